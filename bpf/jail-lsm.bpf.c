// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0
/*
 * jail-lsm.bpf.c: what a jail's processes may open that no namespace,
 * capability or seccomp filter can tell apart, as BPF LSM programs on
 * the jail's own cgroup (BPF_LSM_CGROUP, Linux 6.0; the kernel must run
 * the "bpf" LSM).  lib/lsmbpf.c loads them and attaches each to the
 * jails that need it, so each refuses unconditionally.
 *
 * Owns two refusals.  jail_file_open: a jail sharing the host's network
 * stack would see the host's sockets in its procfs's net directories
 * (/proc/net, /proc/PID/net, /proc/PID/task/TID/net show the stack of
 * the process, not of the jail); opening a socket table there is refused
 * with EACCES (jail-procnet.h says which files stay).  jail_ptrace_access:
 * with allow.unprivileged_proc_debug=false no process of the jail gets
 * ptrace access to another (PTRACE_MODE_ATTACH: /proc/PID/mem, ptrace,
 * process_vm_*, pidfd_getfd), EPERM; the kernel lets a process at its
 * own /proc/self/mem before this hook, and reads (ps) pass.  Never looks
 * at a path outside procfs, nor at what a file holds.
 * A program returning 0 refuses; bpf_set_retval chooses the errno.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "jail-procnet.h"

#define PTRACE_MODE_ATTACH 0x02
#define EPERM 1
#define EACCES 13

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

SEC("lsm_cgroup/file_open")
int
BPF_PROG(jail_file_open, struct file *file)
{
	if (!procnet_refused(file))
		return 1;
	bpf_set_retval(-EACCES);
	return 0;
}

SEC("lsm_cgroup/ptrace_access_check")
int
BPF_PROG(jail_ptrace_access, struct task_struct *child, unsigned int mode)
{
	if (!(mode & PTRACE_MODE_ATTACH))
		return 1;
	bpf_set_retval(-EPERM);
	return 0;
}

char _license[] SEC("license") = "Dual BSD/GPL";
