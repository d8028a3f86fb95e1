// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe: reports what a jailed process can see and do.
 *
 * A test copies this static binary into its own jail root and runs
 * "probe NAME [ARG]" (one attempt) or "probe all [NAME=ARG ...]" (every
 * one) inside the jail; "probe list" prints the table.  Each attempt
 * prints one line: "NAME: ok" when the outcome is the expected one (for
 * most, that the jail refused), "NAME: ESCAPED detail" when a jailed
 * process got through, "NAME: error detail" when the probe could not
 * make its check or something that must work did not.  A skipped attempt
 * (not possible here) prints "NAME: ok skip: reason".  The exit status
 * is 0 when all are ok, 1 when one escaped, 2 on an error.
 *
 * ARG is an expectation or the attempt's own argument.  "expect-refused"
 * (the default for attacks) takes any errno listed in the table as a
 * refusal; "expect-EPERM" (any errno name) takes only that one;
 * "expect-ok" wants the attempt to work (what an allow.* parameter
 * opens).  Where refused and permitted differ only by errno (an invalid
 * reboot magic: EPERM refused, EINVAL permitted), an errno outside the
 * table's list means the permission check was passed: ESCAPED.
 *
 * It must never harm the machine it runs on, even outside a jail and even
 * where an attempt succeeds: it refuses to run (exit 99) unless the root holds
 * the marker /.gaol-probe-root and its pid namespace differs from the host's
 * (GAOL_HOST_PIDNS, set by the test); every attempt is a no-op where it
 * succeeds (the hostname it already has, a mount on a directory it made,
 * an invalid argument the kernel checks after the permission), network
 * traffic stays on the host's abstract socket named by the test, and it
 * removes whatever it created.  With GAOL_PROBE_VERBOSE=1 it adds details
 * on stderr.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#define EXIT_REFUSED 99

enum verdict {
	V_OK,
	V_ESCAPED,
	V_ERROR,
};

enum {
	F_CHECK = 1 << 0,	/* must work; not an attack */
	F_EXPECT_OK = 1 << 1,	/* an attack the defaults permit */
	F_REACH = 1 << 2,	/* expect-ok: any errno but a refusal will do */
	F_SHOW = 1 << 3,	/* print the note after "ok" */
};

struct probe {
	const char *name;
	probe_fn *fn;
	const char *what;	/* what it tries, for "probe list" */
	int refused[4];		/* errnos that mean "refused"; none: any */
	unsigned flags;
	void (*after)(const char *arg);	/* after the report */
};

struct expect {
	enum { XP_DEFAULT, XP_REFUSED, XP_OK, XP_ERRNO } kind;
	int err;
};

#define ANY { 0 }
#define PERM { EPERM }
#define PERM_NOSYS { EPERM, ENOSYS }
#define NOENT { ENOENT }
#define RO { EROFS, EACCES, EPERM, ENOENT }
#define NL { EPROTONOSUPPORT }
#define NL_AF { EPROTONOSUPPORT, EAFNOSUPPORT }

const char *probe_name;

/*
 * The attempts, in the order "probe all" runs them.  refused lists the
 * errnos that mean the jail said no (ANY: every errno does); what says
 * what the attempt tries.
 */
static const struct probe probes[] = {
	/* filesystem: chroot, /proc/PID/root, devices, mounts */
	{ "chroot", probe_chroot, "chroot + chdir .. + chroot . to the host",
	    ANY, 0, NULL },
	{ "exe", probe_exe, "open /proc/1/exe for writing (CVE-2019-5736)",
	    ANY, 0, NULL },
	{ "proc1-root", probe_proc1_root,
	    "the host marker through /proc/1/root and /proc/1/cwd", ANY, 0,
	    NULL },
	{ "self-root", probe_self_root,
	    "the host marker through /proc/self/root/..", ANY, 0, NULL },
	{ "initfds", probe_initfds, "open the descriptors of pid 1", ANY, 0,
	    NULL },
	{ "fds", probe_fds, "a descriptor leaked into the jail", ANY, 0,
	    NULL },
	{ "mknod", probe_mknod, "mknod c 1 3 (null)", PERM, 0, NULL },
	{ "mknod-disk", probe_mknod_disk, "mknod b 8 0 (sda)", PERM, 0,
	    NULL },
	{ "mknod-mem", probe_mknod_mem, "mknod c 1 1 (/dev/mem)", PERM, 0,
	    NULL },
	{ "mount", probe_mount, "mount a tmpfs", PERM, 0, NULL },
	{ "mount-proc", probe_mount_proc, "mount a procfs", PERM, 0, NULL },
	{ "cgroup-mount", probe_cgroup_mount, "mount a cgroup2 hierarchy",
	    PERM, 0, NULL },
	{ "remount-root", probe_remount_root,
	    "remount / with the flags it has", PERM, 0, NULL },
	{ "umount-kcore", probe_umount_kcore,
	    "umount the mask over /proc/kcore", PERM, 0, NULL },
	{ "umount-procsys", probe_umount_procsys,
	    "umount the read-only /proc/sys", PERM, 0, NULL },
	{ "pivot-root", probe_pivot_root, "pivot_root", PERM, 0, NULL },
	{ "open-by-handle", probe_open_by_handle,
	    "open_by_handle_at (shocker)", PERM, 0, NULL },
	{ "fsopen", probe_fsopen, "fsopen tmpfs (new mount API)", PERM, 0,
	    NULL },
	{ "open-tree", probe_open_tree, "open_tree OPEN_TREE_CLONE of /",
	    PERM, 0, NULL },
	{ "xattr-trusted", probe_xattr_trusted,
	    "set a trusted.* extended attribute", PERM, 0, NULL },
	{ "chflags", probe_chflags, "FS_IOC_SETFLAGS FS_APPEND_FL on a file",
	    PERM, 0, NULL },
	/* procfs, sysfs, devfs, cgroupfs */
	{ "sysctl-hostname", probe_sysctl_hostname,
	    "write /proc/sys/kernel/hostname (its value)", RO, 0, NULL },
	{ "core-pattern", probe_core_pattern,
	    "write /proc/sys/kernel/core_pattern (its value)", RO, 0, NULL },
	{ "sysctl-modprobe", probe_sysctl_modprobe,
	    "write /proc/sys/kernel/modprobe (its value)", RO, 0, NULL },
	{ "sysrq", probe_sysrq, "open /proc/sysrq-trigger for writing",
	    { EROFS, EACCES, ENOENT }, 0, NULL },
	{ "uevent-helper", probe_uevent_helper,
	    "write /sys/kernel/uevent_helper (its value)",
	    { ENOENT, EROFS, EACCES }, 0, NULL },
	{ "kcore", probe_kcore, "read /proc/kcore", ANY, 0, NULL },
	{ "proc-keys", probe_proc_keys, "read /proc/keys", ANY, 0, NULL },
	{ "dev-mem", probe_dev_mem, "/dev/mem exists", NOENT, 0, NULL },
	{ "dev-kmem", probe_dev_kmem, "/dev/kmem exists", NOENT, 0, NULL },
	{ "dev-port", probe_dev_port, "/dev/port exists", NOENT, 0, NULL },
	{ "kmsg", probe_kmsg, "open /dev/kmsg", NOENT, 0, NULL },
	{ "devices", probe_devices, "a disk, memory or console node in /dev",
	    ANY, 0, NULL },
	{ "cgroup-procs", probe_cgroup_procs,
	    "open a cgroup.procs above the jail's cgroup for writing",
	    { ENOENT, EROFS, EACCES }, 0, NULL },
	{ "cgroup-mkdir", probe_cgroup_mkdir, "mkdir in /sys/fs/cgroup",
	    { ENOENT, EROFS, EACCES }, 0, NULL },
	{ "cgroup-view", probe_cgroup_ns,
	    "a cgroup path of the host in /proc/self/cgroup", ANY, 0, NULL },
	/* the kernel, the machine */
	{ "init-module", probe_init_module, "init_module (empty image)",
	    PERM_NOSYS, 0, NULL },
	{ "finit-module", probe_finit_module, "finit_module (fd -1)",
	    PERM_NOSYS, 0, NULL },
	{ "delete-module", probe_delete_module,
	    "delete_module (a name no module has)", PERM_NOSYS, 0, NULL },
	{ "kexec-load", probe_kexec_load, "kexec_load (invalid arguments)",
	    PERM_NOSYS, 0, NULL },
	{ "kexec-file-load", probe_kexec_file_load,
	    "kexec_file_load (fd -1, invalid flag)", PERM_NOSYS, 0, NULL },
	{ "reboot", probe_reboot, "reboot (invalid magic)", PERM, 0, NULL },
	{ "swapon", probe_swapon, "swapon (a missing path)", PERM_NOSYS, 0,
	    NULL },
	{ "swapoff", probe_swapoff, "swapoff (a missing path)", PERM_NOSYS,
	    0, NULL },
	{ "acct", probe_acct, "acct (a missing path)", PERM_NOSYS, 0, NULL },
	{ "clock-settime", probe_clock_settime,
	    "clock_settime to the current time", PERM, 0, NULL },
	{ "settimeofday", probe_settimeofday, "settimeofday(NULL, NULL)",
	    PERM, 0, NULL },
	{ "adjtimex", probe_adjtimex, "adjtimex ADJ_TICK (out of range)",
	    PERM, 0, NULL },
	{ "clock-adjtime", probe_clock_adjtime,
	    "clock_adjtime ADJ_TICK (out of range)", PERM, 0, NULL },
	{ "syslog", probe_syslog, "syslog SYSLOG_ACTION_READ_ALL", PERM, 0,
	    NULL },
	{ "quotactl", probe_quotactl, "quotactl_fd Q_GETQUOTA of another uid",
	    PERM_NOSYS, 0, NULL },
	{ "iopl", probe_iopl, "iopl(3)", PERM_NOSYS, 0, NULL },
	{ "ioperm", probe_ioperm, "ioperm(0x80)", PERM_NOSYS, 0, NULL },
	{ "personality", probe_personality, "personality(PER_BSD)", PERM, 0,
	    NULL },
	{ "rlimit", probe_rlimit, "raise a hard resource limit", PERM, 0,
	    NULL },
	{ "nice", probe_nice, "setpriority -20", { EACCES, EPERM }, 0,
	    NULL },
	{ "rtprio", probe_rtprio, "sched_setscheduler SCHED_FIFO", PERM, 0,
	    NULL },
	/* kernel interfaces the seccomp filter closes, allow.* and sysv* */
	{ "bpf-prog", probe_bpf_prog, "bpf BPF_PROG_LOAD", PERM, 0, NULL },
	{ "bpf-map", probe_bpf_map, "bpf BPF_MAP_CREATE", PERM, 0, NULL },
	{ "perf-event", probe_perf_event,
	    "perf_event_open of every process on cpu 0", { EPERM, EACCES },
	    0, NULL },
	{ "userfaultfd", probe_userfaultfd, "userfaultfd", PERM, 0, NULL },
	{ "io-uring", probe_io_uring, "io_uring_setup", PERM_NOSYS, 0,
	    NULL },
	{ "keyctl", probe_keyctl, "keyctl: the user keyring of uid 0", PERM,
	    0, NULL },
	{ "add-key", probe_add_key, "add_key", PERM, 0, NULL },
	{ "request-key", probe_request_key, "request_key", PERM, 0, NULL },
	{ "fanotify", probe_fanotify, "fanotify_init FAN_CLASS_CONTENT", PERM,
	    0, NULL },
	{ "mlock", probe_mlock, "mlock beyond RLIMIT_MEMLOCK",
	    { ENOMEM, EPERM }, 0, NULL },
	{ "shm", probe_shm, "shmget (sysvshm)", { ENOSYS }, 0, NULL },
	{ "msg", probe_msg, "msgget (sysvmsg)", { ENOSYS }, 0, NULL },
	{ "sem", probe_sem, "semget (sysvsem)", { ENOSYS }, 0, NULL },
	/* processes and privileges */
	{ "caps", probe_caps, "capabilities beyond the jail's set", ANY, 0,
	    NULL },
	{ "capset", probe_capset, "capset +SYS_ADMIN", PERM, 0, NULL },
	{ "ambient", probe_ambient, "raise SYS_ADMIN into the ambient set",
	    PERM, 0, NULL },
	{ "ptrace1", probe_ptrace1, "PTRACE_ATTACH to pid 1", PERM, 0,
	    NULL },
	{ "ptrace-child", probe_ptrace_child,
	    "PTRACE_ATTACH to its own child", PERM, F_EXPECT_OK, NULL },
	{ "kill1", probe_kill1, "SIGKILL to pid 1", ANY, 0, NULL },
	{ "kill-host", probe_kill_host, "signal 0 to a host pid", { ESRCH },
	    0, NULL },
	{ "kcmp", probe_kcmp, "kcmp with pid 1", { EPERM, EACCES }, 0,
	    NULL },
	{ "pidfd-getfd", probe_pidfd_getfd, "pidfd_getfd of pid 1's fd 0",
	    PERM, 0, NULL },
	{ "init-environ", probe_init_environ, "read /proc/1/environ",
	    { EACCES, EPERM }, 0, NULL },
	{ "init-mem", probe_init_mem, "open /proc/1/mem", { EACCES, EPERM },
	    0, NULL },
	{ "vm-read1", probe_vm_read1, "process_vm_readv of pid 1", PERM, 0,
	    NULL },
	{ "sethostname", probe_sethostname,
	    "sethostname to its own name (allow.set_hostname)", PERM,
	    F_EXPECT_OK, NULL },
	{ "dumpable", probe_dumpable, "the process is dumpable", ANY,
	    F_CHECK, NULL },
	/* namespaces */
	{ "userns", probe_userns, "unshare CLONE_NEWUSER", PERM, 0, NULL },
	{ "unshare-mnt", probe_unshare_mnt, "unshare CLONE_NEWNS", PERM, 0,
	    NULL },
	{ "unshare-net", probe_unshare_net, "unshare CLONE_NEWNET", PERM, 0,
	    NULL },
	{ "unshare-pid", probe_unshare_pid, "unshare CLONE_NEWPID", PERM, 0,
	    NULL },
	{ "unshare-uts", probe_unshare_uts, "unshare CLONE_NEWUTS", PERM, 0,
	    NULL },
	{ "unshare-ipc", probe_unshare_ipc, "unshare CLONE_NEWIPC", PERM, 0,
	    NULL },
	{ "unshare-cgroup", probe_unshare_cgroup, "unshare CLONE_NEWCGROUP",
	    PERM, 0, NULL },
	{ "unshare-time", probe_unshare_time, "unshare CLONE_NEWTIME", PERM,
	    0, NULL },
	{ "clone-newuser", probe_clone_newuser, "clone CLONE_NEWUSER", PERM,
	    0, NULL },
	{ "clone3", probe_clone3, "clone3 CLONE_NEWUSER", { ENOSYS }, 0,
	    NULL },
	{ "setns-init", probe_setns_init,
	    "setns into pid 1's namespaces", { EPERM, EACCES }, 0, NULL },
	{ "setns-pids", probe_setns_pids,
	    "setns into every visible process's namespaces",
	    { EPERM, EACCES }, 0, NULL },
	/* network */
	/* no CAP_NET_RAW; a family the jail may not use has no socket */
	{ "raw-socket", probe_raw_socket, "socket AF_INET SOCK_RAW ICMP",
	    { EPERM, EAFNOSUPPORT }, 0, NULL },
	{ "raw6-socket", probe_raw6_socket,
	    "socket AF_INET6 SOCK_RAW ICMPV6", { EPERM, EAFNOSUPPORT }, 0,
	    NULL },
	{ "af-packet", probe_af_packet, "socket AF_PACKET",
	    { EAFNOSUPPORT }, F_REACH, NULL },
	{ "af-xdp", probe_af_xdp, "socket AF_XDP", { EAFNOSUPPORT },
	    F_REACH, NULL },
	{ "af-vsock", probe_af_vsock, "socket AF_VSOCK", { EAFNOSUPPORT },
	    F_REACH, NULL },
	{ "af-alg", probe_af_alg, "socket AF_ALG", { EAFNOSUPPORT }, F_REACH,
	    NULL },
	{ "af-bluetooth", probe_af_bluetooth, "socket AF_BLUETOOTH",
	    { EAFNOSUPPORT }, F_REACH, NULL },
	{ "af-key", probe_af_key, "socket AF_KEY", { EAFNOSUPPORT }, F_REACH,
	    NULL },
	{ "af-tipc", probe_af_tipc, "socket AF_TIPC", { EAFNOSUPPORT },
	    F_REACH, NULL },
	{ "af-can", probe_af_can, "socket AF_CAN", { EAFNOSUPPORT }, F_REACH,
	    NULL },
	{ "af-rds", probe_af_rds, "socket AF_RDS", { EAFNOSUPPORT }, F_REACH,
	    NULL },
	{ "af-kcm", probe_af_kcm, "socket AF_KCM", { EAFNOSUPPORT }, F_REACH,
	    NULL },
	{ "af-appletalk", probe_af_appletalk, "socket AF_APPLETALK",
	    { EAFNOSUPPORT }, F_REACH, NULL },
	{ "af-x25", probe_af_x25, "socket AF_X25", { EAFNOSUPPORT }, F_REACH,
	    NULL },
	{ "abstract-host", probe_abstract_host,
	    "connect to the host's abstract unix socket",
	    { EPERM, ECONNREFUSED }, 0, NULL },
	{ "abstract-self", probe_abstract_self,
	    "connect to its own abstract unix socket", ANY, F_CHECK, NULL },
	{ "abstract-listen", probe_abstract_listen,
	    "listen on an abstract unix socket (ARG: seconds to wait for one "
	    "connection)", ANY, F_CHECK, abstract_listen_linger },
	{ "abstract-jail", probe_abstract_jail,
	    "connect to the abstract unix socket another session of the jail "
	    "listens on", ANY, F_CHECK, NULL },
	{ "ifflags", probe_ifflags, "SIOCSIFFLAGS on lo (its own flags)",
	    PERM, 0, NULL },
	/* terminals */
	{ "tiocsti", probe_tiocsti, "TIOCSTI into its controlling terminal",
	    { EPERM, EIO }, 0, NULL },
	{ "tioclinux", probe_tioclinux, "TIOCLINUX on a virtual console", ANY,
	    0, NULL },
	{ "vhangup", probe_vhangup, "vhangup", PERM, 0, NULL },
	{ "openpty", probe_openpty, "a pseudo-terminal in /dev/pts", ANY,
	    F_CHECK | F_SHOW, openpty_linger },
	/* the system call filter: three ABIs, newer calls, netlink */
	{ "ldt", probe_ldt, "modify_ldt read (x86_64)", PERM, 0, NULL },
	/* x32: no call at all, as where the kernel has none */
	{ "ldt-x32", probe_ldt_x32, "modify_ldt read (x32)", { ENOSYS }, 0,
	    NULL },
	{ "ldt-i386", probe_ldt_i386, "modify_ldt read (i386, int 0x80)",
	    PERM, 0, NULL },
	{ "uring-x32", probe_uring_x32, "io_uring_setup (x32)", { ENOSYS },
	    0, NULL },
	{ "uring-i386", probe_uring_i386, "io_uring_setup (i386, int 0x80)",
	    PERM, 0, NULL },
	{ "nosys-new", probe_nosys_new,
	    "lsm_list_modules, newer than the list", { ENOSYS }, 0, NULL },
	{ "nosys-abis", probe_nosys_abis,
	    "system call 1023 through each ABI", { ENOSYS }, 0, NULL },
	{ "pidfd-getfd-child", probe_pidfd_getfd_child,
	    "pidfd_getfd of its own child's fd 0", PERM, F_EXPECT_OK, NULL },
	{ "vm-write-child", probe_vm_write_child,
	    "process_vm_writev into its own child", PERM, F_EXPECT_OK, NULL },
	{ "nl-route", probe_nl_route, "socket NETLINK_ROUTE", NL, F_CHECK,
	    NULL },
	{ "nl-route-i386", probe_nl_route_i386,
	    "socket NETLINK_ROUTE (i386, int 0x80)", NL, F_CHECK, NULL },
	{ "nl-sock-diag", probe_nl_sock_diag, "socket NETLINK_SOCK_DIAG "
	    "(the jail's own network namespace: net-sock-diag)", NL,
	    F_EXPECT_OK, NULL },
	{ "nl-audit", probe_nl_audit, "socket NETLINK_AUDIT", NL, 0, NULL },
	{ "nl-generic", probe_nl_generic, "socket NETLINK_GENERIC", NL, 0,
	    NULL },
	{ "nl-netfilter", probe_nl_netfilter, "socket NETLINK_NETFILTER", NL,
	    0, NULL },
	{ "nl-uevent", probe_nl_uevent, "socket NETLINK_KOBJECT_UEVENT", NL,
	    0, NULL },
	{ "nl-xfrm", probe_nl_xfrm, "socket NETLINK_XFRM", NL, 0, NULL },
	{ "nl-connector", probe_nl_connector, "socket NETLINK_CONNECTOR", NL,
	    0, NULL },
	{ "nl-diag-high", probe_nl_diag_high,
	    "socket NETLINK_SOCK_DIAG, bits above 32 set", NL_AF, 0, NULL },
	{ "nl-diag-i386", probe_nl_diag_i386,
	    "socket NETLINK_SOCK_DIAG (i386, int 0x80)", NL, F_EXPECT_OK,
	    NULL },
	{ "socketcall-i386", probe_socketcall_i386,
	    "socketcall SYS_SOCKET NETLINK_SOCK_DIAG (i386)", NL_AF, 0, NULL },
	/* devices */
	{ "pty-path", probe_pty_path, "a pty whose slave is opened by its "
	    "name in /dev/pts", ANY, F_CHECK, NULL },
	/* the host's network stack: loopback, source addresses, /proc/net */
	{ "net-lo-connect", probe_net_lo_connect,
	    "connect to the host's 127.0.0.1:ARG",
	    { EAFNOSUPPORT, ECONNREFUSED, EPERM, EADDRNOTAVAIL }, 0, NULL },
	{ "net-lo-bind", probe_net_lo_bind,
	    "bind the host's 127.0.0.1:ARG (or [::1]:ARG) and listen",
	    { EAFNOSUPPORT, EADDRNOTAVAIL, EPERM, EACCES }, 0, NULL },
	{ "net-reuseport", probe_net_reuseport,
	    "SO_REUSEPORT: join the host's listener on 127.0.0.1:ARG",
	    { EAFNOSUPPORT, EADDRNOTAVAIL, EPERM, EACCES }, 0, NULL },
	{ "net-low-port", probe_net_low_port,
	    "bind port ARG (below 1024) on every address of the host",
	    { EAFNOSUPPORT, EADDRNOTAVAIL, EPERM, EACCES }, 0, NULL },
	{ "net-pktinfo", probe_net_pktinfo,
	    "send from the host's 127.0.0.1, chosen with IP_PKTINFO",
	    { EAFNOSUPPORT, EPERM, EADDRNOTAVAIL, EINVAL }, 0, NULL },
	{ "net-pktinfo6", probe_net_pktinfo6,
	    "send from 2001:db8::1: IPV6_FREEBIND and IPV6_PKTINFO",
	    { EAFNOSUPPORT, EPERM, EADDRNOTAVAIL, EINVAL }, 0, NULL },
	{ "net-hdrincl", probe_net_hdrincl,
	    "a raw IPv4 header from the host's 127.0.0.1 (IP_HDRINCL)",
	    { EPERM, EAFNOSUPPORT, EADDRNOTAVAIL, EACCES }, 0, NULL },
	{ "net-transparent", probe_net_transparent,
	    "IP_TRANSPARENT: bind and send from 192.0.2.1",
	    { EPERM, EAFNOSUPPORT, EADDRNOTAVAIL, EINVAL }, 0, NULL },
	{ "net-freebind", probe_net_freebind, "IP_FREEBIND: bind 192.0.2.1",
	    { EAFNOSUPPORT, EADDRNOTAVAIL, EPERM }, 0, NULL },
	{ "net-autobind-udp", probe_net_autobind_udp,
	    "sendto binds an unbound UDP socket: to the jail's address only "
	    "(ARG: the test's reflector)", { EAFNOSUPPORT, EPERM }, 0, NULL },
	{ "net-listen-unbound", probe_net_listen_unbound,
	    "listen binds an unbound TCP socket: to the jail's address only "
	    "(ARG: the test's reflector)", { EAFNOSUPPORT, EPERM }, 0, NULL },
	{ "net-proc-net", probe_net_proc_net,
	    "the host's sockets in /proc/{net,self/net,1/net,PID/task/TID/net}"
	    "/{tcp,udp,unix,...} (ARG: a host listener's port; the host's "
	    "abstract socket)", { EACCES, EPERM, ENOENT }, 0, NULL },
	{ "net-sock-diag", probe_net_sock_diag,
	    "the host's sockets in a sock_diag dump, TCP and unix (ARG: a "
	    "host listener's port; the host's abstract socket)",
	    { EPROTONOSUPPORT, EACCES, EPERM }, 0, NULL },
	{ "net-nsid-target", probe_net_nsid_target,
	    "list the links of the namespace a lent veth's peer is in "
	    "(IFLA_TARGET_NETNSID)", { EACCES, EPERM }, 0, NULL },
	{ "net-nsid-link", probe_net_nsid_link,
	    "make a veth with its peer where a lent veth's peer is "
	    "(IFLA_LINK_NETNSID)", PERM, 0, NULL },
	{ "net-sock-flags", probe_net_sock_flags,
	    "an IPv4 socket keeps SOCK_CLOEXEC and SOCK_NONBLOCK as asked",
	    ANY, F_CHECK, NULL },
	{ "net-ping-dgram", probe_net_ping_dgram,
	    "an ICMP datagram socket (net.ipv4.ping_group_range)",
	    { EACCES, EAFNOSUPPORT, EPERM }, F_CHECK, NULL },
	{ "proc-mem-write", probe_proc_mem_write,
	    "write a child's memory through /proc/PID/mem",
	    { EACCES, EPERM, EIO }, F_EXPECT_OK, NULL },
	/* descriptors given as fds 0-2 */
	{ "stdio-host", probe_stdio_host, "a host file, directory or device "
	    "as fd 0, 1 or 2 (a file reopened for writing)", ANY, F_SHOW,
	    NULL },
	{ "stdin-dir", probe_stdin_dir, "fchdir(0) and openat(0, \"..\") "
	    "out of the root", ANY, 0, NULL },
};

/* Is outcome r one of p's refusals? */
static bool
refusal(const struct probe *p, int r)
{
	if (r == P_DENIED)
		return true;
	if (r <= 0)
		return false;
	if (p->refused[0] == 0)
		return true;
	for (size_t i = 0; i < nitems(p->refused) && p->refused[i]; i++)
		if (p->refused[i] == r)
			return true;
	return false;
}

/* The expectation that applies: the one given, else the table's. */
static struct expect
effective(const struct probe *p, const struct expect *x)
{
	struct expect e = *x;

	if (e.kind == XP_DEFAULT)
		e.kind = p->flags & (F_CHECK | F_EXPECT_OK) ? XP_OK : XP_REFUSED;
	return e;
}

/* Compare outcome r with the expectation. */
static enum verdict
judge(const struct probe *p, const struct expect *x, int r)
{
	if (r == P_ERROR)
		return V_ERROR;
	if (r == P_SKIP)
		return V_OK;
	switch (x->kind) {
	case XP_OK:
		if (r == 0 || ((p->flags & F_REACH) && r > 0 &&
		    !refusal(p, r)))
			return V_OK;
		return V_ERROR;
	case XP_ERRNO:
		if (r == x->err)
			return V_OK;
		return refusal(p, r) ? V_ERROR : V_ESCAPED;
	default:
		return refusal(p, r) ? V_OK : V_ESCAPED;
	}
}

/* The errnos p takes as refusals, "EPERM,ENOSYS". */
static const char *
refusal_list(const struct probe *p)
{
	static char buf[128];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < nitems(p->refused) && p->refused[i]; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    i ? "," : "", errno_name(p->refused[i]));
	return p->refused[0] == 0 ? "any errno" : buf;
}

/* Print the one result line of probe p; its exit status. */
static int
report(const struct probe *p, const struct expect *x, int r)
{
	static const char *const words[] = { "ok", "ESCAPED", "error" };
	enum verdict v = judge(p, x, r);
	const char *n = note_text();

	printf("%s: %s", p->name, words[v]);
	if (r == P_SKIP)
		printf(" skip: %s", n);
	else if (v == V_OK && (p->flags & F_SHOW))
		printf(" %s", n);
	else if (v == V_ERROR && r != P_ERROR && x->kind == XP_OK)
		printf(" expected to work: %s", n);
	else if (v == V_ERROR && x->kind == XP_ERRNO)
		printf(" expected %s: %s", errno_name(x->err), n);
	else if (v == V_ESCAPED && r > 0)
		printf(" %s (%s is past the check: refused is %s)", n,
		    errno_name(r), x->kind == XP_ERRNO ? errno_name(x->err) :
		    refusal_list(p));
	else if (v != V_OK)
		printf(" %s", n);
	putchar('\n');
	fflush(stdout);
	return v == V_OK ? 0 : v == V_ESCAPED ? 1 : 2;
}

/* Run one attempt with its expectation and argument. */
static int
run(const struct probe *p, const struct expect *x, const char *arg)
{
	struct expect e = effective(p, x);
	int r, status;

	probe_name = p->name;
	note_reset();
	r = p->fn(arg);
	status = report(p, &e, r);
	if (p->after != NULL)
		p->after(arg);
	return status;
}

/* Take "expect-..." into *x, anything else as the argument. */
static int
parse_arg(const char *s, struct expect *x, const char **arg)
{
	if (strncmp(s, "expect-", 7) != 0) {
		*arg = s;
		return 0;
	}
	s += 7;
	if (strcmp(s, "ok") == 0)
		x->kind = XP_OK;
	else if (strcmp(s, "refused") == 0)
		x->kind = XP_REFUSED;
	else if ((x->err = errno_value(s)) > 0)
		x->kind = XP_ERRNO;
	else
		return -1;
	return 0;
}

static const struct probe *
find(const char *name, size_t len)
{
	for (size_t i = 0; i < nitems(probes); i++)
		if (strlen(probes[i].name) == len &&
		    strncmp(probes[i].name, name, len) == 0)
			return &probes[i];
	return NULL;
}

static void
usage(void)
{
	fprintf(stderr, "usage: probe list | all [NAME=ARG ...] | NAME [ARG]\n"
	    "       ARG: expect-ok | expect-refused | expect-ERRNO | argument\n"
	    "       NAME: ");
	for (size_t i = 0; i < nitems(probes); i++)
		fprintf(stderr, "%s%s", probes[i].name,
		    i + 1 < nitems(probes) ? "|" : "\n");
	exit(2);
}

/* "probe all NAME=ARG ...": every attempt, the worst status. */
static int
run_all(int argc, char **argv)
{
	int worst = 0;

	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');

		if (eq == NULL || find(argv[i], (size_t)(eq - argv[i])) == NULL)
			usage();
	}
	for (size_t i = 0; i < nitems(probes); i++) {
		struct expect x = { XP_DEFAULT, 0 };
		const char *arg = NULL;
		size_t len = strlen(probes[i].name);
		int s;

		for (int j = 0; j < argc; j++)
			if (strncmp(argv[j], probes[i].name, len) == 0 &&
			    argv[j][len] == '=' &&
			    parse_arg(argv[j] + len + 1, &x, &arg) < 0)
				usage();
		s = run(&probes[i], &x, arg);
		if (s == 1 || (s == 2 && worst == 0))
			worst = s;
	}
	return worst;
}

/* "probe list": name, kind, expected outcome and what it tries. */
static int
list(void)
{
	for (size_t i = 0; i < nitems(probes); i++) {
		const struct probe *p = &probes[i];

		printf("%s\t%s\t%s\t%s\n", p->name,
		    p->flags & F_CHECK ? "check" : "attack",
		    p->flags & (F_CHECK | F_EXPECT_OK) ? "works" :
		    refusal_list(p), p->what);
	}
	return 0;
}

/*
 * Refuse to run anywhere but in a test's jail: the root must carry the
 * test's marker and the pid namespace must not be the host's.
 */
static bool
in_test_jail(void)
{
	const char *host = getenv("GAOL_HOST_PIDNS");
	char ns[128];
	ssize_t n;

	if (access("/.gaol-probe-root", F_OK) < 0) {
		fprintf(stderr, "probe: no /.gaol-probe-root: refusing to run\n");
		return false;
	}
	n = readlink("/proc/self/ns/pid", ns, sizeof(ns) - 1);
	if (n < 0) {
		fprintf(stderr, "probe: /proc/self/ns/pid: %s: refusing to run\n",
		    strerror(errno));
		return false;
	}
	ns[n] = '\0';
	if (host == NULL || *host == '\0' || strcmp(host, ns) == 0) {
		fprintf(stderr, "probe: pid namespace %s is the host's or "
		    "GAOL_HOST_PIDNS is unset: refusing to run\n", ns);
		return false;
	}
	return true;
}

int
main(int argc, char **argv)
{
	struct expect x = { XP_DEFAULT, 0 };
	const struct probe *p;
	const char *arg = NULL;

	if (argc < 2)
		usage();
	if (!in_test_jail())
		return EXIT_REFUSED;
	if (strcmp(argv[1], "list") == 0)
		return list();
	if (strcmp(argv[1], "all") == 0)
		return run_all(argc - 2, argv + 2);
	if ((p = find(argv[1], strlen(argv[1]))) == NULL)
		usage();
	for (int i = 2; i < argc; i++)
		if (parse_arg(argv[i], &x, &arg) < 0)
			usage();
	return run(p, &x, arg);
}
