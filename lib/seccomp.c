/*
 * seccomp.c: the system calls a jailed process may not make although no
 * capability guards them, or that only a capability the jail never holds
 * guards (defence in depth: one missed capability must not open the host).
 *
 * The filter answers ALLOW by default and lists what it refuses, since a
 * jail runs whole Debian systems; it is at least as strict as Docker's
 * default profile.  The allow.* parameters and sysvmsg/sysvsem/sysvshm
 * widen or narrow it, each only its own rows.  Installed in every process
 * entering a jail, while it still holds CAP_SYS_ADMIN, so without
 * no_new_privs: setuid programs inside the jail keep working.
 *
 * Rules are data: deny_groups[] (whole system calls) and arg_rules[]
 * (one argument compared), both gated by a parameter.  libseccomp
 * compares 64-bit arguments on x86_64 and x32, so a value with stray high
 * bits never slips past a rule the kernel would truncate to 32 bits
 * (CVE-2019-7303, snapd's TIOCSTI filter).  Never prints, never exits.
 */
#include <assert.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config.h"

#include "jail-int.h"

/* When a row applies; param is the parameter that decides (not G_ALWAYS). */
enum gate {
	G_ALWAYS,   /* in every jail */
	G_UNLESS,   /* unless the boolean parameter is true */
	G_IF,	    /* only if the boolean parameter is true */
	G_DISABLED, /* only if the disable|new|inherit one is disable */
};

#define NAMES(...) ((const char *const[]) { __VA_ARGS__, NULL })

/* Whole system calls refused with err. */
struct deny_group {
	const char *const *names; /* NULL-terminated */
	int err;
	enum gate gate;
	enum param_id param;
};

static const struct deny_group deny_groups[] = {
	/*
	 * Replacing, extending or stopping the running kernel: the host's
	 * kernel is the jail's (CAP_SYS_MODULE, CAP_SYS_BOOT).
	 */
	{ NAMES("kexec_load", "kexec_file_load", "init_module", "finit_module",
	      "delete_module", "create_module", "query_module",
	      "get_kernel_syms", "reboot"),
	    EPERM, G_ALWAYS, 0 },
	/*
	 * Host-wide state no jail owns: swap, process accounting, the
	 * controlling terminal of the host's sessions, obsolete calls
	 * (nfsservctl, uselib: a.out loader, CVE-2004-1235;
	 * lookup_dcookie: oprofile).
	 */
	{ NAMES("swapon", "swapoff", "acct", "vhangup", "lookup_dcookie",
	      "nfsservctl", "uselib"),
	    EPERM, G_ALWAYS, 0 },
	/*
	 * Raw hardware: I/O ports (CAP_SYS_RAWIO) and i386's virtual-8086
	 * mode, old kernel surface with a history of bugs.
	 */
	{ NAMES("iopl", "ioperm", "vm86", "vm86old"), EPERM, G_ALWAYS, 0 },
	/*
	 * Kernel surface an unprivileged process reaches and exploits use:
	 * bpf, perf_event_open (CVE-2013-2094), userfaultfd (stalls the
	 * kernel mid-copy to win races), io_uring (most kernel exploits of
	 * 2022-23, CVE-2023-2598; Docker refuses it since 2023).
	 * open_by_handle_at opens any inode of a file system by number,
	 * outside the jail's root: Docker's "shocker" escape (2014).
	 */
	{ NAMES("bpf", "perf_event_open", "userfaultfd", "io_uring_setup",
	      "io_uring_enter", "io_uring_register", "open_by_handle_at"),
	    EPERM, G_ALWAYS, 0 },
	/*
	 * The jail's root and mounts are built by the host.  Mounting needs
	 * CAP_SYS_ADMIN, which no jailed process holds; refusing the calls
	 * themselves is defence in depth, as is setns (see arg_rules for
	 * unshare and clone).
	 */
	{ NAMES("mount", "umount", "umount2", "pivot_root", "fsopen",
	      "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
	      "mount_setattr", "setns"),
	    EPERM, G_ALWAYS, 0 },
	/*
	 * Keyrings are not per jail: a jailed uid 0 would share the host
	 * root's user keyring (keyctl(KEYCTL_READ) of its keys).
	 */
	{ NAMES("keyctl", "add_key", "request_key"), EPERM, G_ALWAYS, 0 },
	/*
	 * The clock is the host's (CAP_SYS_TIME).  adjtimex and
	 * clock_adjtime stay: with modes 0 they only read (ntp_gettime, ntpq),
	 * and any change needs CAP_SYS_TIME, which no jail holds.
	 * allow.settime and allow.quotas are refused by the parameter table,
	 * never honoured.
	 */
	{ NAMES("settimeofday", "stime", "clock_settime", "clock_settime64"),
	    EPERM, G_ALWAYS, 0 },
	/* Quotas are set on the host's file systems (CAP_SYS_ADMIN). */
	{ NAMES("quotactl", "quotactl_fd"), EPERM, G_ALWAYS, 0 },
	/* The kernel message buffer tells of the host (see arg_rules). */
	{ NAMES("syslog"), EPERM, G_UNLESS, P_ALLOW_READ_MSGBUF },
	/*
	 * allow.unprivileged_proc_debug off: no debugging at all, not even
	 * of one's own processes (on by default, as FreeBSD).  A jailed root
	 * never has CAP_SYS_PTRACE: with it on, it debugs only processes of
	 * its own uid.
	 */
	{ NAMES("ptrace", "process_vm_readv", "process_vm_writev"), EPERM,
	    G_UNLESS, P_ALLOW_UNPRIVILEGED_PROC_DEBUG },
	/*
	 * clone3's flags sit in memory seccomp cannot read: ENOSYS makes
	 * libc fall back to clone(2), whose flags it can (Docker, nspawn).
	 */
	{ NAMES("clone3"), ENOSYS, G_ALWAYS, 0 },
	/*
	 * System V IPC turned off: FreeBSD's jail answers ENOSYS.  i386's
	 * ipc(2) multiplexer is in arg_rules.
	 */
	{ NAMES("msgget", "msgsnd", "msgrcv", "msgctl"), ENOSYS, G_DISABLED,
	    P_SYSVMSG },
	{ NAMES("semget", "semop", "semtimedop", "semtimedop_time64", "semctl"),
	    ENOSYS, G_DISABLED, P_SYSVSEM },
	{ NAMES("shmget", "shmat", "shmdt", "shmctl"), ENOSYS, G_DISABLED,
	    P_SYSVSHM },
};

/* How an argument is compared with the row's values. */
enum argcmp {
	A_ANYBIT, /* any one of the values (single bits) set */
	A_NOTIN,  /* none of the values (sorted, each < 2^32) */
	A_MASKED, /* arg & mask equals one of the values */
};

/* One argument of one system call, refused with err when it matches. */
struct arg_rule {
	const char *name;
	int err;
	unsigned arg;
	enum argcmp cmp;
	uint64_t mask; /* A_MASKED only */
	const uint64_t *vals;
	size_t nvals;
	enum gate gate;
	enum param_id param;
};

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

/* The personas Docker lets through: Linux, PER_LINUX32, UNAME26, query. */
#define PERSONAS 0x0, 0x8, 0x20000, 0x20008, 0xffffffff

/* Families FreeBSD's jail keeps without allow.socket_af. */
#define FAMILIES AF_UNIX, AF_INET, AF_INET6, AF_NETLINK

/* syslog(2) actions that only read: READ, READ_ALL, SIZE_BUFFER. */
#define MSGBUF_READS 2, 3, 10

static const struct arg_rule arg_rules[] = {
	{ "unshare", EPERM, 0, A_ANYBIT, 0, VALS(NS_FLAGS, CLONE_NEWTIME),
	    G_ALWAYS, 0 },
	{ "clone", EPERM, 0, A_ANYBIT, 0, VALS(NS_FLAGS), G_ALWAYS, 0 },
	/*
	 * Other personas turn off address space randomisation
	 * (ADDR_NO_RANDOMIZE) or make data executable (READ_IMPLIES_EXEC).
	 */
	{ "personality", EPERM, 0, A_NOTIN, 0, VALS(PERSONAS), G_ALWAYS, 0 },
	/*
	 * TIOCSTI types into a terminal another session reads (a host
	 * shell's, CVE-2017-5226), TIOCLINUX pastes into a console
	 * (CVE-2023-1523).  The request is an unsigned int in the kernel:
	 * only the low 32 bits are compared (CVE-2019-7303).
	 */
	{ "ioctl", EPERM, 1, A_MASKED, 0xffffffff, VALS(0x5412, 0x541c),
	    G_ALWAYS, 0 },
	/*
	 * The network stack is the host's: AF_PACKET would sniff its
	 * traffic, and every other family is kernel surface (AF_VSOCK,
	 * AF_ALG ...).  FreeBSD's jail keeps IPv4, IPv6, local and route.
	 * On i386, socketcall(2) hides the family in memory: libseccomp
	 * then refuses socketcall's SOCKET and SOCKETPAIR whole, and only
	 * the direct system calls (Linux 4.3) reach the family check.
	 */
	{ "socket", EAFNOSUPPORT, 0, A_NOTIN, 0, VALS(FAMILIES), G_UNLESS,
	    P_ALLOW_SOCKET_AF },
	{ "socketpair", EAFNOSUPPORT, 0, A_NOTIN, 0, VALS(AF_UNIX), G_UNLESS,
	    P_ALLOW_SOCKET_AF },
	/*
	 * NETLINK_AUDIT (9) without allow.audit: refused as a kernel without
	 * audit refuses it, which sshd and login take in their stride; with
	 * the socket and no CAP_AUDIT_WRITE, sshd ends every PTY session.
	 * One row compares one argument: protocol 9 of another family is
	 * IPPROTO_IGP, a raw socket no jail needs.
	 */
	{ "socket", EPROTONOSUPPORT, 2, A_MASKED, 0xffffffff,
	    VALS(NETLINK_AUDIT), G_UNLESS, P_ALLOW_AUDIT },
	/* Reading the buffer, never clearing it or muting the console. */
	{ "syslog", EPERM, 0, A_NOTIN, 0, VALS(MSGBUF_READS), G_IF,
	    P_ALLOW_READ_MSGBUF },
	/*
	 * i386's ipc(2): the call is the low 16 bits, the rest a version
	 * the kernel ignores, which libseccomp's own ipc rules compare.
	 */
	{ "ipc", ENOSYS, 0, A_MASKED, 0xffff,
	    VALS(IPC_MSGSND, IPC_MSGRCV, IPC_MSGGET, IPC_MSGCTL), G_DISABLED,
	    P_SYSVMSG },
	{ "ipc", ENOSYS, 0, A_MASKED, 0xffff,
	    VALS(IPC_SEMOP, IPC_SEMGET, IPC_SEMCTL, IPC_SEMTIMEDOP), G_DISABLED,
	    P_SYSVSEM },
	{ "ipc", ENOSYS, 0, A_MASKED, 0xffff,
	    VALS(IPC_SHMAT, IPC_SHMDT, IPC_SHMGET, IPC_SHMCTL), G_DISABLED,
	    P_SYSVSHM },
};

/* Whether a row gated by g on parameter id applies to jail p. */
static bool
gate_applies(const struct jail_params *p, enum gate g, enum param_id id)
{
	switch (g) {
	case G_ALWAYS:
		return true;
	case G_UNLESS:
		return !param_bool(p, id);
	case G_IF:
		return param_bool(p, id);
	case G_DISABLED:
		return param_int(p, id) == JAIL_SYS_DISABLE;
	}
	abort();
}

/*
 * A system call's native number; false if libseccomp does not know it.
 * Calls missing on the native arch resolve to a pseudo number, which
 * libseccomp maps onto the arches that have them (vm86 on i386).
 */
static bool
resolve(const char *name, int *ret)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR)
		return false;
	*ret = nr;
	return true;
}

/* Refuse every call of g that libseccomp knows, whatever its arguments. */
static int
deny_group_add(scmp_filter_ctx ctx, const struct deny_group *g)
{
	int nr, r;

	for (const char *const *n = g->names; *n != NULL; n++) {
		if (!resolve(*n, &nr))
			continue;
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(g->err), nr, 0);
		if (r < 0)
			return jail_syserr(r, "seccomp: %s", *n);
	}
	return 0;
}

/* One rule: call nr is refused with ar's errno when arg op (a, b) holds. */
static int
cmp_add(scmp_filter_ctx ctx, const struct arg_rule *ar, int nr,
    enum scmp_compare op, uint64_t a, uint64_t b)
{
	struct scmp_arg_cmp c = { ar->arg, op, a, b };
	int r;

	r = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(ar->err), nr, 1, &c);
	return r < 0 ? jail_syserr(r, "seccomp: %s", ar->name) : 0;
}

/*
 * Refuse lo <= arg <= hi (hi < 2^32).  libseccomp takes one comparison
 * per argument and rule, so the range is cut into aligned power-of-two
 * blocks, each one masked compare that also requires the high bits 0.
 */
static int
range_add(scmp_filter_ctx ctx, const struct arg_rule *ar, int nr, uint64_t lo,
    uint64_t hi)
{
	int r = 0;

	assert(hi <= UINT32_MAX);
	while (r == 0 && lo <= hi) {
		uint64_t size = lo == 0 ? UINT64_C(1) << 32 : lo & -lo;

		while (lo + size - 1 > hi)
			size >>= 1;
		r = cmp_add(ctx, ar, nr, SCMP_CMP_MASKED_EQ, ~(size - 1), lo);
		lo += size;
	}
	return r;
}

/* Refuse every value but ar's: the gaps between them, and above. */
static int
notin_add(scmp_filter_ctx ctx, const struct arg_rule *ar, int nr)
{
	uint64_t lo = 0;
	int r = 0;

	for (size_t i = 0; r == 0 && i < ar->nvals; i++) {
		assert(ar->vals[i] >= lo && ar->vals[i] <= UINT32_MAX);
		if (ar->vals[i] > lo)
			r = range_add(ctx, ar, nr, lo, ar->vals[i] - 1);
		lo = ar->vals[i] + 1;
	}
	if (r == 0)
		r = cmp_add(ctx, ar, nr, SCMP_CMP_GT, lo - 1, 0);
	return r;
}

/* The rules of one arg_rules[] row; several rules on a call are ORed. */
static int
arg_rule_add(scmp_filter_ctx ctx, const struct arg_rule *ar)
{
	int nr, r = 0;

	if (!resolve(ar->name, &nr))
		return 0;
	if (ar->cmp == A_NOTIN)
		return notin_add(ctx, ar, nr);
	for (size_t i = 0; r == 0 && i < ar->nvals; i++)
		r = cmp_add(ctx, ar, nr, SCMP_CMP_MASKED_EQ,
		    ar->cmp == A_MASKED ? ar->mask : ar->vals[i], ar->vals[i]);
	return r;
}

/* Every row of both tables that jail p's parameters call for. */
static int
add_rules(scmp_filter_ctx ctx, const struct jail_params *p)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < nitems(deny_groups); i++)
		if (gate_applies(p, deny_groups[i].gate, deny_groups[i].param))
			r = deny_group_add(ctx, &deny_groups[i]);
	for (size_t i = 0; r == 0 && i < nitems(arg_rules); i++)
		if (gate_applies(p, arg_rules[i].gate, arg_rules[i].param))
			r = arg_rule_add(ctx, &arg_rules[i]);
	return r;
}

/*
 * The filter covers every ABI an x86_64 kernel runs: a jailed process
 * could otherwise make the refused calls through i386's or x32's system
 * call numbers.  Other arches keep libseccomp's answer, KILL.
 */
static int
add_arches(scmp_filter_ctx ctx)
{
	static const uint32_t arches[] = { SCMP_ARCH_X86, SCMP_ARCH_X32 };
	int r;

	if (seccomp_arch_native() != SCMP_ARCH_X86_64)
		return 0;
	for (size_t i = 0; i < nitems(arches); i++) {
		r = seccomp_arch_add(ctx, arches[i]);
		if (r < 0 && r != -EEXIST)
			return jail_syserr(r, "seccomp: architecture");
	}
	return 0;
}

/* FNV-1a over len bytes, continuing from h. */
static uint64_t
fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *b = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * UINT64_C(0x100000001b3);
	return h;
}

/*
 * The name of jail p's compiled filter in the cache: a digest of the
 * tables, the versions, the running program's file and the rows p calls
 * for.  A filter from another build of gaol or libseccomp never matches.
 */
static void
cache_name(const struct jail_params *p, char *buf, size_t size)
{
	const struct scmp_version *v = seccomp_version();
	uint64_t h = UINT64_C(0xcbf29ce484222325), rows = 0;
	size_t bit = 0;
	struct stat st;

	h = fnv(h, GAOL_VERSION, sizeof(GAOL_VERSION));
	h = fnv(h, v, sizeof(*v));
	/* the code that builds it: a rebuilt program makes its own */
	if (stat("/proc/self/exe", &st) == 0) {
		h = fnv(h, &st.st_ino, sizeof(st.st_ino));
		h = fnv(h, &st.st_mtim, sizeof(st.st_mtim));
	}
	for (size_t i = 0; i < nitems(deny_groups); i++, bit++) {
		for (const char *const *n = deny_groups[i].names; *n; n++)
			h = fnv(h, *n, strlen(*n));
		h = fnv(h, &deny_groups[i].err, sizeof(int));
		if (gate_applies(p, deny_groups[i].gate, deny_groups[i].param))
			rows |= UINT64_C(1) << bit;
	}
	for (size_t i = 0; i < nitems(arg_rules); i++, bit++) {
		const struct arg_rule *ar = &arg_rules[i];

		h = fnv(h, ar->name, strlen(ar->name));
		h = fnv(h, &ar->err, sizeof(ar->err));
		h = fnv(h, &ar->arg, sizeof(ar->arg));
		h = fnv(h, &ar->cmp, sizeof(ar->cmp));
		h = fnv(h, &ar->mask, sizeof(ar->mask));
		h = fnv(h, ar->vals, ar->nvals * sizeof(*ar->vals));
		if (gate_applies(p, ar->gate, ar->param))
			rows |= UINT64_C(1) << bit;
	}
	static_assert(nitems(deny_groups) + nitems(arg_rules) <= 64,
	    "one bit per row");
	(void)snprintf(buf, size, "%016" PRIx64 "-%016" PRIx64 ".bpf", h, rows);
}

/* A compiled filter read from fd (at most BPF_MAXINSNS instructions). */
static int
prog_read(int fd, struct seccomp_prog *ret)
{
	struct stat st;
	struct sock_filter *v;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size <= 0 || st.st_size % sizeof(*v) != 0 ||
	    st.st_size / sizeof(*v) > BPF_MAXINSNS)
		return -EBADMSG;
	v = malloc((size_t)st.st_size);
	if (v == NULL)
		return -ENOMEM;
	if (pread(fd, v, (size_t)st.st_size, 0) != st.st_size) {
		free(v);
		return -EIO;
	}
	ret->v = v;
	ret->n = (unsigned short)(st.st_size / sizeof(*v));
	return 0;
}

/* Compile jail p's filter with libseccomp into fd, as raw BPF. */
static int
prog_compile(const struct jail_params *p, int fd)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r;

	if (ctx == NULL)
		return jail_seterr(-ENOMEM, "seccomp: out of memory");
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (r < 0)
		r = jail_syserr(r, "seccomp");
	if (r == 0)
		r = add_arches(ctx);
	if (r == 0)
		r = add_rules(ctx, p);
	if (r == 0 && (r = seccomp_export_bpf(ctx, fd)) < 0)
		r = jail_syserr(r, "seccomp: export");
	seccomp_release(ctx);
	return r;
}

/* Keep a compiled filter for the next process (best effort). */
static void
cache_store(int dirfd, const char *name, const struct seccomp_prog *prog)
{
	size_t len = prog->n * sizeof(*prog->v);
	_cleanup_close_ int out = -1;
	char tmp[96];

	(void)snprintf(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
	out = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600);
	if (out < 0)
		return;
	if (write(out, prog->v, len) != (ssize_t)len ||
	    renameat(dirfd, tmp, dirfd, name) < 0)
		(void)unlinkat(dirfd, tmp, 0);
}

/*
 * Jail p's filter, compiled.  libseccomp takes milliseconds to build it
 * for three ABIs, so each build is kept in JAIL_RUNDIR/seccomp (root's
 * only, like the rest of /run/jail) and read back by the next process
 * entering a jail with the same rows.
 */
int
seccomp_program(const struct jail_params *p, struct seccomp_prog *ret)
{
	_cleanup_close_ int dirfd = -1, fd = -1;
	char name[64];
	int r;

	cache_name(p, name, sizeof(name));
	(void)mkdir(JAIL_RUNDIR, 0755);
	(void)mkdir(JAIL_RUNDIR "/seccomp", 0700);
	dirfd = open(JAIL_RUNDIR "/seccomp", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
	if (dirfd >= 0 &&
	    (fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0 &&
	    prog_read(fd, ret) >= 0)
		return 0;
	if (fd >= 0)
		(void)close(fd);
	fd = memfd_create("seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return jail_syserr(-errno, "seccomp: memfd");
	r = prog_compile(p, fd);
	if (r < 0)
		return r;
	r = prog_read(fd, ret);
	if (r < 0)
		return jail_syserr(r, "seccomp: export");
	if (dirfd >= 0)
		cache_store(dirfd, name, ret);
	return 0;
}

/*
 * Install a compiled filter on this process (and all it will start).
 * Needs CAP_SYS_ADMIN, as no_new_privs stays off (setuid programs in the
 * jail keep working).
 */
int
seccomp_load_program(const struct seccomp_prog *prog)
{
	struct sock_fprog fp = { prog->n, prog->v };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
		return jail_syserr(-errno, "seccomp");
	return 0;
}

/*
 * allow.set_hostname: a second filter handing sethostname and
 * setdomainname to a listener, which the caller sends to the jail's init
 * (uts.c).  Stacked on the first, whose ALLOW it outranks.  *ret_fd is
 * the listener.
 */
int
seccomp_hostname_listener(int *ret_fd)
{
	static const char *const calls[] = { "sethostname", "setdomainname" };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r, fd = -1;

	if (ctx == NULL)
		return jail_seterr(-ENOMEM, "seccomp: out of memory");
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (r == 0)
		r = add_arches(ctx);
	for (size_t i = 0; r == 0 && i < nitems(calls); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY,
		    seccomp_syscall_resolve_name(calls[i]), 0);
	if (r == 0)
		r = seccomp_load(ctx);
	if (r == 0 && (fd = seccomp_notify_fd(ctx)) < 0)
		r = fd;
	seccomp_release(ctx);
	if (r < 0)
		return jail_syserr(r, "seccomp: allow.set_hostname");
	*ret_fd = fd;
	return 0;
}
