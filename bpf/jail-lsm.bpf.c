// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0
/*
 * jail-lsm.bpf.c: what a jail's processes may do that no namespace,
 * capability or seccomp filter can tell apart, as a BPF LSM program on
 * the jail's own cgroup (BPF_LSM_CGROUP, Linux 6.0; the kernel must run
 * the "bpf" LSM).  lib/confine/lsmbpf.c loads it and attaches it to the jails
 * that need it, so it refuses unconditionally.
 *
 * Owns one refusal.  jail_ptrace_access: with
 * allow.unprivileged_proc_debug=false no process of the jail gets ptrace
 * access to another (PTRACE_MODE_ATTACH: /proc/PID/mem, ptrace,
 * process_vm_*, pidfd_getfd), EPERM; the kernel lets a process at its
 * own /proc/self/mem before this hook, and reads (ps) pass.
 * A program returning 0 refuses; bpf_set_retval chooses the errno.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define PTRACE_MODE_ATTACH 0x02
#define EPERM 1

struct task_struct {
	int pid;
} __attribute__((preserve_access_index));

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
