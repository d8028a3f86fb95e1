// SPDX-License-Identifier: BSD-2-Clause
/*
 * seccomp-table.c: the rows of the jail's system call filter, as data.
 *
 * seccomp_allow_rows is the allow list: every system call a jailed
 * process may make, by name, on each ABI that has it (x86_64, x32,
 * i386).  A call libseccomp knows but no row allows is refused with
 * EPERM; a number it does not know (a call newer than the list) gets
 * ENOSYS, so that a C library falls back to an older call.  Docker's
 * default profile (moby profiles/seccomp/default.json) is the model;
 * where this list differs, the row says why.
 *
 * Allowing a call here never lets an argument through that the argument
 * rules (seccomp_arg_rules, seccomp_netlink_rule) refuse: they are a
 * second filter, and the kernel takes the stricter answer of the two.
 * Owns no code: seccomp.c compiles the rows.  Every allow.* row widens
 * only its own calls.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <sched.h>
#include <sys/socket.h>

#include "confine/confine.h"
#include "seccomp-int.h"

const struct call_group seccomp_allow_rows[] = {
	/* Files, directories, descriptors: checked by the file systems. */
	{ NAMES("read", "write", "readv", "writev", "pread64", "pwrite64",
	      "preadv", "pwritev", "preadv2", "pwritev2", "lseek", "_llseek",
	      "open", "openat", "openat2", "creat", "close", "close_range",
	      "dup", "dup2", "dup3", "pipe", "pipe2", "fcntl", "fcntl64",
	      "flock", "stat", "lstat", "fstat", "stat64", "lstat64",
	      "fstat64", "fstatat64", "newfstatat", "statx", "statfs",
	      "fstatfs", "statfs64", "fstatfs64", "access", "faccessat",
	      "faccessat2", "getdents", "getdents64", "getcwd", "chdir",
	      "fchdir", "mkdir", "mkdirat", "rmdir", "rename", "renameat",
	      "renameat2", "link", "linkat", "unlink", "unlinkat", "symlink",
	      "symlinkat", "readlink", "readlinkat", "chmod", "fchmod",
	      "fchmodat", "fchmodat2", "chown", "fchown", "lchown",
	      "fchownat", "chown32", "fchown32", "lchown32", "umask",
	      "truncate", "ftruncate", "truncate64", "ftruncate64",
	      "fallocate", "fadvise64", "fadvise64_64", "readahead",
	      "utime", "utimes", "futimesat", "utimensat",
	      "utimensat_time64", "sync", "syncfs", "fsync", "fdatasync",
	      "sync_file_range", "sendfile", "sendfile64", "splice", "tee",
	      "vmsplice", "copy_file_range", "cachestat", "setxattr",
	      "lsetxattr", "fsetxattr", "getxattr", "lgetxattr", "fgetxattr",
	      "listxattr", "llistxattr", "flistxattr", "removexattr",
	      "lremovexattr", "fremovexattr", "inotify_init", "inotify_init1",
	      "inotify_add_watch", "inotify_rm_watch", "fanotify_mark",
	      "name_to_handle_at"),
	    0, G_ALWAYS, 0 },
	/*
	 * Device nodes need CAP_MKNOD, which no jail holds: what is left
	 * is FIFOs and sockets.  chroot stays within the jail's root
	 * (CAP_SYS_CHROOT is kept: sshd's privilege separation uses it).
	 */
	{ NAMES("mknod", "mknodat", "chroot"), 0, G_ALWAYS, 0 },
	/*
	 * The ioctl requests and socket families that must not pass are
	 * refused by the argument rules; socketcall and ipc are i386's
	 * multiplexers, whose calls those rules check too.
	 */
	{ NAMES("ioctl", "socket", "socketpair", "socketcall", "bind",
	      "connect", "listen", "accept", "accept4", "getsockname",
	      "getpeername", "sendto", "recvfrom", "sendmsg", "recvmsg",
	      "sendmmsg", "recvmmsg", "recvmmsg_time64", "setsockopt",
	      "getsockopt", "shutdown"),
	    0, G_ALWAYS, 0 },
	/* Waiting: poll, select, epoll, event, signal and timer fds. */
	{ NAMES("poll", "ppoll", "ppoll_time64", "select", "_newselect",
	      "pselect6", "pselect6_time64", "epoll_create", "epoll_create1",
	      "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2",
	      "epoll_ctl_old", "epoll_wait_old", "eventfd", "eventfd2",
	      "signalfd", "signalfd4", "timerfd_create", "timerfd_settime",
	      "timerfd_gettime", "timerfd_settime64", "timerfd_gettime64"),
	    0, G_ALWAYS, 0 },
	/*
	 * Memory of the process itself.  mlock is bounded by
	 * RLIMIT_MEMLOCK unless allow.mlock grants CAP_IPC_LOCK; a NUMA
	 * policy moves other processes' pages only with CAP_SYS_NICE,
	 * which no jail holds (migrate_pages and move_pages, which act on
	 * other processes, are refused as by Docker).
	 */
	{ NAMES("brk", "mmap", "mmap2", "munmap", "mprotect", "mremap",
	      "madvise", "mincore", "msync", "mlock", "mlock2", "mlockall",
	      "munlock", "munlockall", "remap_file_pages", "pkey_alloc",
	      "pkey_free", "pkey_mprotect", "memfd_create", "memfd_secret",
	      "map_shadow_stack", "mbind", "get_mempolicy", "set_mempolicy",
	      "set_mempolicy_home_node", "membarrier"),
	    0, G_ALWAYS, 0 },
	/*
	 * Processes and threads.  clone and unshare: the argument rules
	 * refuse new namespaces; personality: only Docker's personas;
	 * setns: the entry filter refuses it (seccomp_entry_refusals).
	 * seccomp and Landlock only ever narrow what a process may do
	 * (sshd's sandbox uses both).
	 */
	{ NAMES("fork", "vfork", "clone", "execve", "execveat", "exit",
	      "exit_group", "wait4", "waitid", "waitpid", "unshare",
	      "personality", "prctl", "arch_prctl", "set_thread_area",
	      "get_thread_area", "set_tid_address", "set_robust_list",
	      "get_robust_list", "futex", "futex_time64", "futex_waitv",
	      "futex_wake", "futex_wait", "futex_requeue", "rseq",
	      "restart_syscall", "seccomp", "setns",
	      "landlock_create_ruleset", "landlock_add_rule",
	      "landlock_restrict_self", "getpid",
	      "getppid", "gettid", "getpgid", "setpgid", "getpgrp", "getsid",
	      "setsid", "pidfd_open", "pidfd_send_signal",
	      "process_mrelease"),
	    0, G_ALWAYS, 0 },
	/* Signals (CAP_KILL reaches the jail's own pid namespace only). */
	{ NAMES("kill", "tkill", "tgkill", "rt_sigqueueinfo",
	      "rt_tgsigqueueinfo", "rt_sigaction", "rt_sigprocmask",
	      "rt_sigreturn", "rt_sigpending", "rt_sigsuspend",
	      "rt_sigtimedwait", "rt_sigtimedwait_time64", "sigaltstack",
	      "sigreturn", "sigprocmask", "pause"),
	    0, G_ALWAYS, 0 },
	/* Credentials: what the jail's capability set lets it change. */
	{ NAMES("getuid", "geteuid", "getgid", "getegid", "getresuid",
	      "getresgid", "getgroups", "setuid", "setgid", "setreuid",
	      "setregid", "setresuid", "setresgid", "setfsuid", "setfsgid",
	      "setgroups", "getuid32", "geteuid32", "getgid32", "getegid32",
	      "getresuid32", "getresgid32", "getgroups32", "setuid32",
	      "setgid32", "setreuid32", "setregid32", "setresuid32",
	      "setresgid32", "setfsuid32", "setfsgid32", "setgroups32",
	      "capget", "capset"),
	    0, G_ALWAYS, 0 },
	/*
	 * Scheduling and limits; raising a priority or a hard limit needs
	 * CAP_SYS_NICE or CAP_SYS_RESOURCE, which no jail holds.
	 */
	{ NAMES("sched_yield", "sched_getaffinity", "sched_setaffinity",
	      "sched_getparam", "sched_setparam", "sched_getscheduler",
	      "sched_setscheduler", "sched_getattr", "sched_setattr",
	      "sched_get_priority_max", "sched_get_priority_min",
	      "sched_rr_get_interval", "sched_rr_get_interval_time64",
	      "getpriority", "setpriority", "ioprio_get", "ioprio_set",
	      "getrlimit", "setrlimit", "ugetrlimit", "prlimit64",
	      "getrusage", "times", "sysinfo", "uname", "getcpu",
	      "getrandom"),
	    0, G_ALWAYS, 0 },
	/*
	 * Time, read only: adjtimex and clock_adjtime with modes 0 read
	 * (ntp_gettime, ntpq); changing the clock needs CAP_SYS_TIME.
	 */
	{ NAMES("time", "gettimeofday", "clock_gettime", "clock_gettime64",
	      "clock_getres", "clock_getres_time64", "clock_nanosleep",
	      "clock_nanosleep_time64", "nanosleep", "adjtimex",
	      "clock_adjtime", "clock_adjtime64", "alarm", "getitimer",
	      "setitimer", "timer_create", "timer_delete", "timer_getoverrun",
	      "timer_gettime", "timer_settime", "timer_gettime64",
	      "timer_settime64"),
	    0, G_ALWAYS, 0 },
	/*
	 * IPC: System V (refused with ENOSYS by the argument rules where
	 * sysvmsg, sysvsem or sysvshm is "disable"), i386's ipc(2), POSIX
	 * message queues (the jail's IPC namespace).  Linux's asynchronous
	 * I/O (io_setup ...) works on the caller's own descriptors.
	 */
	{ NAMES("msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop",
	      "semtimedop", "semtimedop_time64", "semctl", "shmget", "shmat",
	      "shmdt", "shmctl", "ipc", "mq_open", "mq_unlink",
	      "mq_timedsend", "mq_timedreceive", "mq_timedsend_time64",
	      "mq_timedreceive_time64", "mq_notify", "mq_getsetattr",
	      "io_setup", "io_destroy", "io_submit", "io_cancel",
	      "io_getevents", "io_pgetevents", "io_pgetevents_time64"),
	    0, G_ALWAYS, 0 },
	/* Reading the kernel's message buffer (the argument rules: reads). */
	{ NAMES("syslog"), 0, G_IF, P_ALLOW_READ_MSGBUF },
	/*
	 * allow.unprivileged_proc_debug: debugging, reading or writing
	 * another process's memory, taking its descriptors, comparing its
	 * kernel objects, advising its memory; the kernel still requires
	 * the same user and a dumpable target.  A jailed root never holds
	 * CAP_SYS_PTRACE.
	 */
	{ NAMES("ptrace", "process_vm_readv", "process_vm_writev",
	      "pidfd_getfd", "kcmp", "process_madvise"),
	    0, G_IF, P_ALLOW_UNPRIVILEGED_PROC_DEBUG },
	/*
	 * allow.set_hostname: the calls reach a second filter that hands
	 * them to the jail's init (uts.c); without it, EPERM.
	 */
	{ NAMES("sethostname", "setdomainname"), 0, G_IF,
	    P_ALLOW_SET_HOSTNAME },
};
const size_t seccomp_nallow_rows = nitems(seccomp_allow_rows);

/*
 * Refused with their own errno in the allow list.  clone3's flags sit
 * in memory seccomp cannot read: ENOSYS makes the C library fall back to
 * clone(2), whose flags it can (Docker, nspawn).
 */
const struct call_group seccomp_errno_rows[] = {
	{ NAMES("clone3"), ENOSYS, G_ALWAYS, 0 },
};
const size_t seccomp_nerrno_rows = nitems(seccomp_errno_rows);

/*
 * Whole calls the argument filter refuses.  System V IPC turned off:
 * FreeBSD's jail answers ENOSYS.  i386's ipc(2) multiplexer is in
 * seccomp_arg_rules.
 */
const struct call_group seccomp_refusals[] = {
	{ NAMES("msgget", "msgsnd", "msgrcv", "msgctl"), ENOSYS, G_DISABLED,
	    P_SYSVMSG },
	{ NAMES("semget", "semop", "semtimedop", "semtimedop_time64", "semctl"),
	    ENOSYS, G_DISABLED, P_SYSVSEM },
	{ NAMES("shmget", "shmat", "shmdt", "shmctl"), ENOSYS, G_DISABLED,
	    P_SYSVSHM },
};
const size_t seccomp_nrefusals = nitems(seccomp_refusals);

/*
 * The entry filter's: what the allow list lets through only for the
 * spawner's way into the jail.  It loads the allow list and the argument
 * filter before it enters (while init builds the jail), then this one,
 * which outranks their ALLOW, once it is in.
 */
const struct call_group seccomp_entry_refusals[] = {
	{ NAMES("setns"), EPERM, G_ALWAYS, 0 },
};
const size_t seccomp_nentry_refusals = nitems(seccomp_entry_refusals);

#define VALS(...)                             \
	((const uint64_t[]) { __VA_ARGS__ }), \
	    nitems(((const uint64_t[]) { __VA_ARGS__ }))

/*
 * New namespaces hand their creator a capability set over them and the
 * kernel surface behind them (user namespaces: most container escapes).
 * CLONE_NEWTIME only exists for unshare and clone3: in clone(2) that bit
 * belongs to the exit signal.
 */
#define NS_FLAGS                                                             \
	CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET, \
	    CLONE_NEWCGROUP, CLONE_NEWUSER

/*
 * ipc(2)'s calls, as in linux/ipc.h (which clashes with glibc's
 * sys/ipc.h, so the numbers are here).
 */
enum ipc_call {
	IPC_SEMOP = 1,
	IPC_SEMGET,
	IPC_SEMCTL,
	IPC_SEMTIMEDOP,
	IPC_MSGSND = 11,
	IPC_MSGRCV,
	IPC_MSGGET,
	IPC_MSGCTL,
	IPC_SHMAT = 21,
	IPC_SHMDT,
	IPC_SHMGET,
	IPC_SHMCTL,
};

/* socketcall(2)'s SYS_SOCKET (linux/net.h). */
#define SOCKETCALL_SOCKET 1

/* The personas Docker lets through: Linux, PER_LINUX32, UNAME26, query. */
#define PERSONAS 0x0, 0x8, 0x20000, 0x20008, 0xffffffff

/* Families FreeBSD's jail keeps without allow.socket_af. */
#define FAMILIES AF_UNIX, AF_INET, AF_INET6, AF_NETLINK

/* syslog(2) actions that only read: READ, READ_ALL, SIZE_BUFFER. */
#define MSGBUF_READS 2, 3, 10

const struct arg_rule seccomp_arg_rules[] = {
	{ "unshare", EPERM, 0, A_ANYBIT, 0, VALS(NS_FLAGS, CLONE_NEWTIME),
	    G_ALWAYS, 0, NULL },
	{ "clone", EPERM, 0, A_ANYBIT, 0, VALS(NS_FLAGS), G_ALWAYS, 0, NULL },
	/*
	 * Other personas turn off address space randomisation
	 * (ADDR_NO_RANDOMIZE) or make data executable (READ_IMPLIES_EXEC).
	 */
	{ "personality", EPERM, 0, A_NOTIN, 0, VALS(PERSONAS), G_ALWAYS, 0,
	    NULL },
	/*
	 * TIOCSTI types into a terminal another session reads (a host
	 * shell's, CVE-2017-5226), TIOCLINUX pastes into a console
	 * (CVE-2023-1523).  The request is an unsigned int in the kernel:
	 * only the low 32 bits are compared (CVE-2019-7303).
	 */
	{ "ioctl", EPERM, 1, A_MASKED, 0xffffffff, VALS(0x5412, 0x541c),
	    G_ALWAYS, 0, NULL },
	/*
	 * The network stack is the host's: AF_PACKET would sniff its
	 * traffic, and every other family is kernel surface (AF_VSOCK,
	 * AF_ALG ...).  FreeBSD's jail keeps IPv4, IPv6, local and route.
	 * A family with bits above the kernel's 32 is none of these, so
	 * it is refused too.  On i386, libseccomp turns these rules into
	 * a refusal of socketcall's SOCKET and SOCKETPAIR whole (the
	 * family is in memory), so only the direct calls (Linux 4.3)
	 * reach the family check.
	 */
	{ "socket", EAFNOSUPPORT, 0, A_NOTIN, 0, VALS(FAMILIES), G_UNLESS,
	    P_ALLOW_SOCKET_AF, NULL },
	/*
	 * A family the jail may not use (net_refused) has no socket,
	 * whatever allow.socket_af says.
	 */
	{ "socket", EAFNOSUPPORT, 0, A_MASKED, 0xffffffff, VALS(AF_INET),
	    G_NOFAMILY, P_IP4, NULL },
	{ "socket", EAFNOSUPPORT, 0, A_MASKED, 0xffffffff, VALS(AF_INET6),
	    G_NOFAMILY, P_IP6, NULL },
	{ "socketpair", EAFNOSUPPORT, 0, A_NOTIN, 0, VALS(AF_UNIX), G_UNLESS,
	    P_ALLOW_SOCKET_AF, NULL },
	/*
	 * socketcall's SOCKET hides the family and the netlink protocol in
	 * memory: refused whatever allow.socket_af says, as nothing can
	 * check it.  i386's C library then needs the direct socket call.
	 */
	{ "socketcall", EAFNOSUPPORT, 0, A_MASKED, 0xffffffff,
	    VALS(SOCKETCALL_SOCKET), G_ALWAYS, 0, NULL },
	/* Reading the buffer, never clearing it or muting the console. */
	{ "syslog", EPERM, 0, A_NOTIN, 0, VALS(MSGBUF_READS), G_IF,
	    P_ALLOW_READ_MSGBUF, NULL },
	/*
	 * i386's ipc(2): the call is the low 16 bits, the rest a version
	 * the kernel ignores, which libseccomp's own ipc rules compare.
	 */
	{ "ipc", ENOSYS, 0, A_MASKED, 0xffff,
	    VALS(IPC_MSGSND, IPC_MSGRCV, IPC_MSGGET, IPC_MSGCTL), G_DISABLED,
	    P_SYSVMSG, NULL },
	{ "ipc", ENOSYS, 0, A_MASKED, 0xffff,
	    VALS(IPC_SEMOP, IPC_SEMGET, IPC_SEMCTL, IPC_SEMTIMEDOP), G_DISABLED,
	    P_SYSVSEM, NULL },
	{ "ipc", ENOSYS, 0, A_MASKED, 0xffff,
	    VALS(IPC_SHMAT, IPC_SHMDT, IPC_SHMGET, IPC_SHMCTL), G_DISABLED,
	    P_SYSVSHM, NULL },
};
const size_t seccomp_narg_rules = nitems(seccomp_arg_rules);

/*
 * The netlink protocols a jail may open, sorted; every other one is
 * refused with EPROTONOSUPPORT, what the kernel answers for a protocol
 * it lacks (libaudit and libnl then take it as absent).
 * NETLINK_ROUTE: the jail reads its addresses and routes (ip, ifconfig,
 *   getifaddrs); changing them needs CAP_NET_ADMIN, which only a vnet
 *   jail holds, over its own stack.
 * NETLINK_SOCK_DIAG lists every socket of the caller's network
 *   namespace: a jail's own (net_own_ns) holds only its unix and netlink
 *   sockets, its IPv4 and IPv6 ones being the host's stack's, which ss
 *   asks nothing of; refused where the namespace is the host's (ip4 and
 *   ip6 "inherit").  NETLINK_NETFILTER is the firewall and conntrack
 *   (nft, iptables-nft): a vnet jail's own, for nft.
 * NETLINK_AUDIT writes the host's audit log: allow.audit.
 * Refused: NETLINK_GENERIC (taskstats counts the host's processes; its
 *   families configure host-wide devices: nl80211, devlink, ethtool's
 *   netlink falls back to ioctls), NETLINK_KOBJECT_UEVENT (the host's
 *   device events: a jail's /dev is made by devfs rules on the host,
 *   so no udev runs inside), NETLINK_CONNECTOR (process events of the
 *   host), NETLINK_XFRM (IPsec) and the rest.
 */
const struct netlink_row seccomp_netlink_rows[] = {
	{ NETLINK_ROUTE, G_ALWAYS, 0 },
	{ NETLINK_SOCK_DIAG, G_NETNS, 0 },
	{ NETLINK_AUDIT, G_IF, P_ALLOW_AUDIT },
	{ NETLINK_NETFILTER, G_VNET, 0 },
};
const size_t seccomp_nnetlink_rows = nitems(seccomp_netlink_rows);

/*
 * socket(AF_NETLINK, type, protocol): refused unless the protocol is one
 * of the rows above (vals filled in by seccomp.c).  The family is an int
 * in the kernel: only its low 32 bits are compared, so that a family
 * with stray high bits is still taken for netlink when allow.socket_af
 * lets every family through.
 */
static const struct arg_pre netlink_family = { 0, 0xffffffff, AF_NETLINK };

const struct arg_rule seccomp_netlink_rule = { "socket", EPROTONOSUPPORT, 2,
	A_NOTIN, 0, NULL, 0, G_ALWAYS, 0, &netlink_family };

/*
 * Handed to a listener, one filter stacked on the others (a process may
 * have one listener in all): sethostname and setdomainname with
 * allow.set_hostname, answered by the jail's init (uts.c); socket(2) of
 * the families the jail's socket broker makes on the host's stack
 * (net_brokered: the jail's own network namespace has none of the
 * host's addresses), answered by the broker (sockbroker.c).  A
 * notification outranks the others' ALLOW, never their refusals: a
 * family or type they refuse stays refused.  The family is an int in the
 * kernel: its low 32 bits are compared.  i386's socketcall hides it and
 * is refused whole (seccomp_arg_rules); i386's direct call is handed
 * over like the others.
 */
const struct call_group seccomp_notify_rows[] = {
	{ NAMES("sethostname", "setdomainname"), 0, G_IF,
	    P_ALLOW_SET_HOSTNAME },
};
const size_t seccomp_nnotify_rows = nitems(seccomp_notify_rows);

const struct arg_rule seccomp_notify_args[] = {
	{ "socket", 0, 0, A_MASKED, 0xffffffff, VALS(AF_INET), G_BROKER, P_IP4,
	    NULL },
	{ "socket", 0, 0, A_MASKED, 0xffffffff, VALS(AF_INET6), G_BROKER,
	    P_IP6, NULL },
};
const size_t seccomp_nnotify_args = nitems(seccomp_notify_args);
