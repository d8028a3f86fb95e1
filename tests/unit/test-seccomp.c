// SPDX-License-Identifier: BSD-2-Clause
/*
 * test-seccomp.c: the jail's compiled system call filters (lib/confine/seccomp.c)
 * run by a small classic-BPF interpreter on chosen calls of each ABI, as
 * the kernel would run them: the allow list and the argument filter,
 * the stricter answer winning.  This reaches the i386 ABI where the
 * kernel takes no int $0x80, and socketcall's multiplexed calls.  It
 * also prints the filters' sizes and the time libseccomp takes.
 */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <sys/socket.h>
#include <time.h>

#include "harness.h"
#include "confine/confine.h"

#define X32_BIT 0x40000000

/* What one call looks like to a filter. */
struct call {
	uint32_t arch;
	int nr;
	uint64_t a[3];
};

/* Run prog on d: its SECCOMP_RET_*; 0 (KILL) for what it cannot run. */
static uint32_t
bpf_run(const struct sock_filter *f, unsigned n,
    const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };

	for (unsigned pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];
		uint32_t k = i->k, v = BPF_SRC(i->code) == BPF_X ? x : k;
		bool t;

		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
			if (BPF_MODE(i->code) == BPF_ABS && k % 4 == 0 &&
			    k + 4 <= sizeof(*d))
				memcpy(&a, (const char *)d + k, 4);
			else if (BPF_MODE(i->code) == BPF_IMM)
				a = k;
			else if (BPF_MODE(i->code) == BPF_MEM && k < BPF_MEMWORDS)
				a = mem[k];
			else
				return 0;
			break;
		case BPF_LDX:
			if (BPF_MODE(i->code) == BPF_IMM)
				x = k;
			else if (BPF_MODE(i->code) == BPF_MEM && k < BPF_MEMWORDS)
				x = mem[k];
			else
				return 0;
			break;
		case BPF_ST:
		case BPF_STX:
			if (k >= BPF_MEMWORDS)
				return 0;
			mem[k] = BPF_CLASS(i->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			switch (BPF_OP(i->code)) {
			case BPF_AND: a &= v; break;
			case BPF_OR: a |= v; break;
			case BPF_ADD: a += v; break;
			case BPF_SUB: a -= v; break;
			case BPF_RSH: a >>= v; break;
			case BPF_LSH: a <<= v; break;
			default: return 0;
			}
			break;
		case BPF_JMP:
			switch (BPF_OP(i->code)) {
			case BPF_JA: pc += k; continue;
			case BPF_JEQ: t = a == v; break;
			case BPF_JGT: t = a > v; break;
			case BPF_JGE: t = a >= v; break;
			case BPF_JSET: t = (a & v) != 0; break;
			default: return 0;
			}
			pc += t ? i->jt : i->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(i->code) == BPF_A ? a : k;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
	return 0;
}

/* The stricter of two answers; the newer (b) on a tie, as the kernel. */
static uint32_t
stricter(uint32_t a, uint32_t b)
{
	return (int32_t)(a & SECCOMP_RET_ACTION_FULL) <
		(int32_t)(b & SECCOMP_RET_ACTION_FULL) ? a : b;
}

/* The kernel's answer for c under the three filters: the strictest. */
static uint32_t
answer(const struct seccomp_prog *p, const struct call *c)
{
	struct seccomp_data d = { .nr = c->nr, .arch = c->arch };
	unsigned skip = (unsigned)p->nallow + p->narg;
	uint32_t r1, r2, r3;

	for (size_t i = 0; i < 3; i++)
		d.args[i] = c->a[i];
	r1 = bpf_run(p->v, p->nallow, &d);
	r2 = bpf_run(p->v + p->nallow, p->narg, &d);
	r3 = bpf_run(p->v + skip, p->n - skip, &d);
	return stricter(stricter(r1, r2), r3);
}

#define ALLOW SECCOMP_RET_ALLOW
#define ERR(e) (SECCOMP_RET_ERRNO | (e))
#define X86_64(nr, ...) { AUDIT_ARCH_X86_64, (nr), { __VA_ARGS__ } }
#define X32(nr, ...) { AUDIT_ARCH_X86_64, X32_BIT | (nr), { __VA_ARGS__ } }
#define I386(nr, ...) { AUDIT_ARCH_I386, (nr), { __VA_ARGS__ } }

/* i386 numbers (syscall_32.tbl) and socketcall's SYS_* calls. */
enum {
	I_GETPID = 20, I_PTRACE = 26, I_SOCKETCALL = 102, I_IPC = 117,
	I_MODIFY_LDT = 123, I_SOCKET = 359, I_IO_URING_SETUP = 425,
	I_CLONE3 = 435,
	SC_SOCKET = 1, SC_CONNECT = 3, SC_SOCKETPAIR = 8,
};

/* jail params from "name=value" words, compiled. */
static struct seccomp_prog
compile(const char *const *words)
{
	struct jail_params p = { 0 };
	struct seccomp_prog prog = { 0 };
	struct timespec t0, t1;
	const char *name = words == NULL ? "defaults" : words[0];

	for (; words != NULL && *words != NULL; words++)
		CHECK_INT(param_import(&p, *words), 0);
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(seccomp_compile(&p, &prog), 0);
	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# %s: allow list %u instructions, argument filter %u, "
	       "entry filter %u, compiled in %.1f ms\n", name,
	    prog.nallow, prog.narg, prog.n - prog.nallow - prog.narg,
	    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	return prog;
}

/* Check every (call, answer) pair of a table against one compile. */
#define EXPECT(prog, ...)                                                 \
	do {                                                              \
		static const struct {                                     \
			struct call c;                                    \
			uint32_t want;                                    \
		} t_[] = { __VA_ARGS__ };                                 \
		for (size_t i_ = 0; i_ < nitems(t_); i_++) {              \
			uint32_t got_ = answer(&(prog), &t_[i_].c);       \
			if (got_ != t_[i_].want)                          \
				printf("# case %zu: arch %#x nr %#x\n",   \
				    i_, t_[i_].c.arch,                    \
				    (unsigned)t_[i_].c.nr);               \
			CHECK_INT(got_, t_[i_].want);                     \
		}                                                         \
	} while (0)

TEST(allow_list_on_each_abi)
{
	struct seccomp_prog p = compile(NULL);

	CHECK(p.nallow > 0 && p.nallow <= BPF_MAXINSNS);
	CHECK(p.narg > 0 && p.narg <= BPF_MAXINSNS);
	CHECK(p.n - p.nallow - p.narg > 0);
	EXPECT(p,
	    { X86_64(39), ALLOW },			/* getpid */
	    { X32(39), ERR(ENOSYS) },			/* no x32 call */
	    { I386(I_GETPID), ALLOW },
	    { X86_64(154, 0), ERR(EPERM) },		/* modify_ldt */
	    { X32(154, 0), ERR(ENOSYS) },
	    { I386(I_MODIFY_LDT, 0), ERR(EPERM) },
	    { X86_64(425, 1), ERR(EPERM) },		/* io_uring_setup */
	    { X32(425, 1), ERR(ENOSYS) },
	    { I386(I_IO_URING_SETUP, 1), ERR(EPERM) },
	    { X86_64(435), ERR(ENOSYS) },		/* clone3 */
	    { I386(I_CLONE3), ERR(ENOSYS) },
	    { X86_64(461), ERR(ENOSYS) },		/* newer than the list */
	    { X86_64(1023), ERR(ENOSYS) },
	    { X32(1023), ERR(ENOSYS) },
	    { I386(1023), ERR(ENOSYS) },
	    { X86_64(308, 3), ERR(EPERM) },		/* setns */
	    { I386(346, 3), ERR(EPERM) },
	    { X86_64(101), ALLOW },			/* ptrace */
	    { I386(I_PTRACE), ALLOW },
	    { X86_64(103), ERR(EPERM) },		/* syslog */
	    { X86_64(16, 0, 0x5412), ERR(EPERM) },	/* TIOCSTI */
	    { X86_64(16, 0, 0x100005412), ERR(EPERM) },
	    { I386(54, 0, 0x5412), ERR(EPERM) },
	    { X86_64(16, 0, 0x5401), ALLOW });		/* TCGETS */
}

TEST(netlink_protocols)
{
	static const char *const inh[] = { "ip4=inherit", "ip6=inherit",
		NULL };
	struct seccomp_prog p = compile(NULL), h = compile(inh);

	EXPECT(p,
	    { X86_64(41, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), ALLOW },
	    { X32(41, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), ERR(ENOSYS) },
	    { I386(I_SOCKET, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), ALLOW },
	    /* the jail's own network namespace: its own sockets */
	    { X86_64(41, AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG), ALLOW },
	    { I386(I_SOCKET, AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG), ALLOW },
	    { X86_64(41, AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER),
		ERR(EPROTONOSUPPORT) },
	    { X32(41, AF_NETLINK, SOCK_RAW, NETLINK_AUDIT), ERR(ENOSYS) },
	    { I386(I_SOCKET, AF_NETLINK, SOCK_RAW, NETLINK_GENERIC),
		ERR(EPROTONOSUPPORT) },
	    { X86_64(41, AF_NETLINK, SOCK_RAW, 1L << 32),
		ERR(EPROTONOSUPPORT) },
	    { X86_64(41, AF_PACKET, SOCK_RAW, 0), ERR(EAFNOSUPPORT) },
	    /* socketcall: SOCKET refused whole, the rest allowed */
	    { I386(I_SOCKETCALL, SC_SOCKET, 0x1000), ERR(EAFNOSUPPORT) },
	    { I386(I_SOCKETCALL, SC_SOCKETPAIR, 0x1000), ERR(EAFNOSUPPORT) },
	    { I386(I_SOCKETCALL, SC_CONNECT, 0x1000), ALLOW });
	/* the host's network namespace: the host's sockets, refused */
	EXPECT(h,
	    { X86_64(41, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), ALLOW },
	    { X86_64(41, AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG),
		ERR(EPROTONOSUPPORT) },
	    { I386(I_SOCKET, AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG),
		ERR(EPROTONOSUPPORT) });
}

/*
 * ip4 and ip6 "disable" (the default), or "new" without an address: the
 * family has no socket, whatever allow.socket_af says; "inherit", an
 * address, or a network stack of its own (vnet) gives it back.
 */
TEST(disabled_family_has_no_socket)
{
	static const char *const af[] = { "allow.socket_af", NULL };
	static const char *const i4[] = { "ip4=inherit", NULL };
	static const char *const a6[] = { "ip6=new", "ip6.addr=::1", NULL };
	static const char *const vn[] = { "vnet=new", NULL };
	struct seccomp_prog d = compile(NULL), w = compile(af),
	    p4 = compile(i4), p6 = compile(a6), v = compile(vn);

	EXPECT(d,
	    { X86_64(41, AF_INET, SOCK_STREAM, 0), ERR(EAFNOSUPPORT) },
	    { X86_64(41, AF_INET6, SOCK_DGRAM, 0), ERR(EAFNOSUPPORT) },
	    { X86_64(41, AF_INET | (1L << 32), SOCK_RAW, 1),
		ERR(EAFNOSUPPORT) },
	    { X32(41, AF_INET, SOCK_STREAM, 0), ERR(ENOSYS) },
	    { I386(I_SOCKET, AF_INET6, SOCK_STREAM, 0), ERR(EAFNOSUPPORT) },
	    { X86_64(41, AF_UNIX, SOCK_STREAM, 0), ALLOW });
	EXPECT(w,
	    { X86_64(41, AF_INET, SOCK_STREAM, 0), ERR(EAFNOSUPPORT) },
	    { X86_64(41, AF_INET6, SOCK_STREAM, 0), ERR(EAFNOSUPPORT) },
	    { X86_64(41, AF_PACKET, SOCK_RAW, 0), ALLOW });
	EXPECT(p4,
	    { X86_64(41, AF_INET, SOCK_STREAM, 0), ALLOW },
	    { I386(I_SOCKET, AF_INET, SOCK_STREAM, 0), ALLOW },
	    { X86_64(41, AF_INET6, SOCK_STREAM, 0), ERR(EAFNOSUPPORT) });
	EXPECT(p6,
	    { X86_64(41, AF_INET, SOCK_STREAM, 0), ERR(EAFNOSUPPORT) },
	    { X86_64(41, AF_INET6, SOCK_STREAM, 0), ALLOW });
	EXPECT(v,
	    { X86_64(41, AF_INET, SOCK_STREAM, 0), ALLOW },
	    { X86_64(41, AF_INET6, SOCK_STREAM, 0), ALLOW });
}

TEST(socket_af_opens_families_not_netlink)
{
	static const char *const w[] = { "allow.socket_af", NULL };
	struct seccomp_prog p = compile(w);

	EXPECT(p,
	    { X86_64(41, AF_PACKET, SOCK_RAW, 0), ALLOW },
	    { X86_64(41, AF_NETLINK, SOCK_RAW, NETLINK_GENERIC),
		ERR(EPROTONOSUPPORT) },
	    { X86_64(41, AF_NETLINK | (1L << 32), SOCK_RAW,
		NETLINK_GENERIC), ERR(EPROTONOSUPPORT) },
	    { I386(I_SOCKETCALL, SC_SOCKET, 0x1000), ERR(EAFNOSUPPORT) },
	    { I386(I_SOCKETCALL, SC_SOCKETPAIR, 0x1000), ALLOW });
}

TEST(vnet_and_audit_netlink)
{
	static const char *const vn[] = { "vnet=new", NULL };
	static const char *const au[] = { "allow.audit", NULL };
	struct seccomp_prog v = compile(vn), a = compile(au);

	EXPECT(v,
	    { X86_64(41, AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG), ALLOW },
	    { X86_64(41, AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER), ALLOW },
	    { I386(I_SOCKET, AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER), ALLOW },
	    { X86_64(41, AF_NETLINK, SOCK_RAW, NETLINK_AUDIT),
		ERR(EPROTONOSUPPORT) },
	    { X86_64(41, AF_NETLINK, SOCK_RAW, NETLINK_GENERIC),
		ERR(EPROTONOSUPPORT) });
	EXPECT(a,
	    { X86_64(41, AF_NETLINK, SOCK_RAW, NETLINK_AUDIT), ALLOW },
	    { X86_64(41, AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER),
		ERR(EPROTONOSUPPORT) });
}

/* The notifying filter of jail params words; n 0: none. */
static struct seccomp_prog
compile_notify(const char *const *words)
{
	struct jail_params p = { 0 };
	struct seccomp_prog prog = { 0 };

	for (; words != NULL && *words != NULL; words++)
		CHECK_INT(param_import(&p, *words), 0);
	CHECK_INT(seccomp_notify_compile(&p, &prog), 0);
	return prog;
}

#define NOTIFY SECCOMP_RET_USER_NOTIF

/* Run the notifying filter alone on c. */
static uint32_t
notify_answer(const struct seccomp_prog *p, const struct call *c)
{
	struct seccomp_data d = { .nr = c->nr, .arch = c->arch };

	for (size_t i = 0; i < 3; i++)
		d.args[i] = c->a[i];
	return bpf_run(p->v, p->n, &d) & SECCOMP_RET_ACTION_FULL;
}

#define EXPECT_NOTIFY(prog, ...)                                          \
	do {                                                              \
		static const struct {                                     \
			struct call c;                                    \
			uint32_t want;                                    \
		} t_[] = { __VA_ARGS__ };                                 \
		for (size_t i_ = 0; i_ < nitems(t_); i_++)                \
			CHECK_INT(notify_answer(&(prog), &t_[i_].c),      \
			    t_[i_].want);                                 \
	} while (0)

/*
 * A jail with an address: socket(2) of its family goes to the socket
 * broker on each ABI (its low 32 bits compared), other families and
 * calls stay native; the hostname calls go to the listener too.
 */
TEST(notify_brokered_families)
{
	static const char *const a4[] = { "ip4=new", "ip4.addr=127.0.1.1",
		NULL };
	static const char *const a6[] = { "ip6=new", "ip6.addr=::1",
		"allow.set_hostname=false", NULL };
	static const char *const inh[] = { "ip4=inherit", "ip6=disable",
		NULL };
	struct seccomp_prog p4 = compile_notify(a4), p6 = compile_notify(a6);
	struct seccomp_prog pi = compile_notify(inh);

	CHECK(p4.n > 0 && p6.n > 0 && pi.n > 0);
	EXPECT_NOTIFY(p4,
	    { X86_64(41, AF_INET, SOCK_STREAM, 0), NOTIFY },
	    { X86_64(41, AF_INET | (1L << 32), SOCK_STREAM, 0), NOTIFY },
	    /* x32 refused: notify_answer keeps the action, not the errno */
	    { X32(41, AF_INET, SOCK_DGRAM, 0), SECCOMP_RET_ERRNO },
	    { I386(I_SOCKET, AF_INET, SOCK_RAW, 1), NOTIFY },
	    { X86_64(41, AF_INET6, SOCK_STREAM, 0), ALLOW },
	    { X86_64(41, AF_UNIX, SOCK_STREAM, 0), ALLOW },
	    { X86_64(41, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), ALLOW },
	    { X86_64(170), NOTIFY },			/* sethostname */
	    { X86_64(39), ALLOW });
	EXPECT_NOTIFY(p6,
	    { X86_64(41, AF_INET6, SOCK_DGRAM, 0), NOTIFY },
	    { X32(41, AF_INET6, SOCK_DGRAM, 0), SECCOMP_RET_ERRNO },
	    { X86_64(41, AF_INET, SOCK_DGRAM, 0), ALLOW },
	    { X86_64(170), ALLOW });
	EXPECT_NOTIFY(pi,
	    { X86_64(41, AF_INET, SOCK_STREAM, 0), NOTIFY },
	    { X86_64(41, AF_INET6, SOCK_STREAM, 0), ALLOW });
	free(p4.v);
	free(p6.v);
	free(pi.v);
}

/*
 * No address, or the host's stack, or vnet: no socket goes to a broker;
 * without allow.set_hostname either, there is no notifying filter.
 */
TEST(notify_nothing_brokered)
{
	static const char *const none[] = { "allow.set_hostname=false",
		NULL };
	static const char *const inh[] = { "ip4=inherit", "ip6=inherit",
		NULL };
	static const char *const vn[] = { "vnet=new", "ip4=inherit",
		"ip6=inherit", NULL };
	static const char *const noaddr[] = { "ip4=new", NULL };
	struct seccomp_prog d = compile_notify(NULL), n = compile_notify(none);
	struct seccomp_prog h = compile_notify(inh), v = compile_notify(vn);
	struct seccomp_prog a = compile_notify(noaddr);

	CHECK_INT(n.n, 0);
	EXPECT_NOTIFY(d,
	    { X86_64(41, AF_INET, SOCK_STREAM, 0), ALLOW },
	    { X86_64(171), NOTIFY });		/* setdomainname */
	EXPECT_NOTIFY(h, { X86_64(41, AF_INET, SOCK_STREAM, 0), ALLOW });
	EXPECT_NOTIFY(v, { X86_64(41, AF_INET6, SOCK_STREAM, 0), ALLOW });
	EXPECT_NOTIFY(a, { X86_64(41, AF_INET, SOCK_STREAM, 0), ALLOW });
	free(d.v);
	free(h.v);
	free(v.v);
	free(a.v);
}

TEST(each_allow_widens_its_own_calls)
{
	static const char *const nd[] = {
		"allow.unprivileged_proc_debug=false", NULL };
	static const char *const mb[] = { "allow.read_msgbuf", NULL };
	static const char *const nh[] = { "allow.set_hostname=false", NULL };
	struct seccomp_prog d = compile(nd), m = compile(mb), h = compile(nh);

	EXPECT(d,
	    { X86_64(101), ERR(EPERM) },		/* ptrace */
	    { X86_64(310), ERR(EPERM) },		/* process_vm_readv */
	    { X86_64(311), ERR(EPERM) },		/* process_vm_writev */
	    { X32(540), ERR(ENOSYS) },		/* x32's own number */
	    { X86_64(438), ERR(EPERM) },		/* pidfd_getfd */
	    { I386(I_PTRACE), ERR(EPERM) },
	    { X86_64(39), ALLOW });
	EXPECT(m,
	    { X86_64(103, 3), ALLOW },			/* READ_ALL */
	    { X86_64(103, 5), ERR(EPERM) },		/* CLEAR */
	    { X86_64(101), ALLOW });
	EXPECT(h,
	    { X86_64(170), ERR(EPERM) },		/* sethostname */
	    { X86_64(101), ALLOW });
}

TEST(sysv_disabled_is_enosys)
{
	static const char *const w[] = { "sysvmsg=new", NULL };
	struct seccomp_prog p = compile(NULL), q = compile(w);

	EXPECT(p,
	    { X86_64(68), ERR(ENOSYS) },		/* msgget */
	    { X86_64(29), ERR(ENOSYS) },		/* shmget */
	    { I386(I_IPC, 13), ERR(ENOSYS) },		/* ipc MSGGET */
	    { I386(I_IPC, 13 | (1 << 16)), ERR(ENOSYS) });
	EXPECT(q,
	    { X86_64(68), ALLOW },
	    { I386(I_IPC, 13 | (1 << 16)), ALLOW },
	    { X86_64(29), ERR(ENOSYS) });
}

int
main(void)
{
	return harness_main();
}
