// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe.h: what the escape probe's files share.
 *
 * Each attempt is a function "int probe_NAME(const char *arg)" that tries
 * one thing a jailed process must not do (or, for a check, one thing it
 * must be able to do) and returns what happened: 0 when the attempt went
 * through, the errno that stopped it, or one of the P_* values below.  It
 * never prints; it describes the outcome with note().  probe.c decides,
 * from the table and the expectation the test gave, whether that outcome
 * is "ok", "ESCAPED" or "error".
 *
 * Every attempt must be harmless where it succeeds (see probe.c).
 */
#ifndef PROBE_H
#define PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* Outcomes other than "it worked" (0) and "refused with errno" (> 0). */
enum {
	P_ERROR = -1,	/* the probe could not make its check (note why) */
	P_DENIED = -2,	/* refused, with no errno to show (nothing seen) */
	P_SKIP = -3,	/* cannot be tried here (note why); never a failure */
};

typedef int probe_fn(const char *arg);

extern const char *probe_name;	/* the attempt running, for messages */

void note(const char *, ...) __attribute__((format(printf, 1, 2)));
void verbose(const char *, ...) __attribute__((format(printf, 1, 2)));
const char *note_text(void);
void note_reset(void);
int fail_errno(const char *what);
int setup_error(const char *what);
void scratch_path(char *buf, size_t len, const char *what);
int in_child(int (*fn)(const void *), const void *arg);
int child_errno(int r);
int try_open(const char *path, int flags);
int sys_outcome(long r, const char *what);
int fd_outcome(long fd, const char *what);
bool proto_registered(const char *name);
const char *errno_name(int e);
int errno_value(const char *name);

/* The attempts, by file. */
probe_fn probe_chroot, probe_exe, probe_proc1_root, probe_self_root,
    probe_mknod, probe_mknod_disk, probe_mknod_mem, probe_mount,
    probe_mount_proc, probe_remount_root, probe_umount_kcore,
    probe_umount_procsys, probe_pivot_root, probe_open_by_handle,
    probe_fsopen, probe_open_tree, probe_xattr_trusted, probe_chflags;
probe_fn probe_sysctl_hostname, probe_core_pattern, probe_sysctl_modprobe,
    probe_sysrq, probe_uevent_helper, probe_kcore, probe_proc_keys,
    probe_dev_mem, probe_dev_kmem, probe_dev_port, probe_kmsg,
    probe_devices, probe_cgroup_mount, probe_cgroup_procs,
    probe_cgroup_mkdir, probe_cgroup_ns;
probe_fn probe_init_module, probe_finit_module, probe_delete_module,
    probe_kexec_load, probe_kexec_file_load, probe_reboot, probe_swapon,
    probe_swapoff, probe_acct, probe_clock_settime, probe_settimeofday,
    probe_adjtimex, probe_clock_adjtime, probe_syslog, probe_quotactl,
    probe_iopl, probe_ioperm, probe_personality, probe_rlimit, probe_nice,
    probe_rtprio;
probe_fn probe_bpf_prog, probe_bpf_map, probe_perf_event,
    probe_userfaultfd, probe_io_uring, probe_keyctl, probe_add_key,
    probe_request_key, probe_mlock, probe_shm, probe_msg, probe_sem,
    probe_fanotify;
probe_fn probe_caps, probe_capset, probe_ambient, probe_ptrace1,
    probe_ptrace_child, probe_kill1, probe_kill_host, probe_kcmp,
    probe_pidfd_getfd, probe_init_environ, probe_init_mem, probe_vm_read1,
    probe_fds, probe_initfds, probe_dumpable, probe_sethostname;
probe_fn probe_userns, probe_unshare_mnt, probe_unshare_net,
    probe_unshare_pid, probe_unshare_uts, probe_unshare_ipc,
    probe_unshare_cgroup, probe_unshare_time, probe_clone_newuser,
    probe_clone3, probe_setns_init, probe_setns_pids;
probe_fn probe_raw_socket, probe_raw6_socket, probe_af_packet,
    probe_af_xdp, probe_af_vsock, probe_af_alg, probe_af_bluetooth,
    probe_af_key, probe_af_tipc, probe_af_can, probe_af_rds, probe_af_kcm,
    probe_af_appletalk, probe_af_x25, probe_abstract_host,
    probe_abstract_self, probe_abstract_listen, probe_abstract_jail,
    probe_ifflags;
probe_fn probe_ldt, probe_ldt_x32, probe_ldt_i386, probe_uring_x32,
    probe_uring_i386, probe_nosys_new, probe_nosys_abis,
    probe_pidfd_getfd_child, probe_vm_write_child, probe_nl_route,
    probe_nl_route_i386, probe_nl_sock_diag, probe_nl_audit,
    probe_nl_generic, probe_nl_netfilter, probe_nl_uevent, probe_nl_xfrm,
    probe_nl_connector, probe_nl_diag_high, probe_nl_diag_i386,
    probe_socketcall_i386;
probe_fn probe_openpty, probe_tiocsti, probe_tioclinux, probe_vhangup;
probe_fn probe_net_lo_connect, probe_net_lo_bind, probe_net_reuseport,
    probe_net_low_port, probe_net_pktinfo, probe_net_pktinfo6,
    probe_net_hdrincl, probe_net_transparent, probe_net_freebind,
    probe_net_autobind_udp, probe_net_listen_unbound, probe_net_proc_net,
    probe_net_sock_diag, probe_net_nsid_target, probe_net_nsid_link,
    probe_net_sock_flags, probe_net_ping_dgram,
    probe_proc_mem_write;
void openpty_linger(const char *arg);
probe_fn probe_pty_path;
probe_fn probe_stdio_host, probe_stdin_dir;
void abstract_listen_linger(const char *arg);

#endif
