// SPDX-License-Identifier: BSD-2-Clause
/*
 * netbpf.c: ip4/ip6 of a non-vnet jail, enforced by the cgroup socket
 * programs of bpf/jail-sock.bpf.c attached to the jail's own cgroup.
 *
 * Owns loading the embedded object with the jail's addresses as its
 * read-only data and attaching every program before the jail's init is
 * cloned into the cgroup, so that no jailed process ever opens a socket
 * unwatched; and the loading and attaching of an embedded object to a
 * jail's cgroup, which lsmbpf.c shares.  A jail that only refuses
 * families gets that one program built here instead (sock_create_load).  The programs are attached with BPF_PROG_ATTACH and no flag:
 * they live as long as the cgroup (no fd or link to keep), and no
 * program may be attached beneath them (the kernel refuses descendants
 * of a cgroup whose program is exclusive).  Never detaches: removing the
 * cgroup does.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "net/net.h"
#include "jail-sock.h"
#include "jail-sock-bpf.h"	/* jail_sock_bpf[], the compiled object */

/* libbpf's chatter: its last line becomes the message of a failure. */
static _Thread_local char bpf_last[256];

static int __attribute__((format(printf, 2, 0)))
bpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level != LIBBPF_DEBUG) {
		(void)vsnprintf(bpf_last, sizeof(bpf_last), fmt, ap);
		bpf_last[strcspn(bpf_last, "\n")] = '\0';
	}
	return 0;
}

static enum jail_sock_mode
sock_mode(long long sys, size_t naddrs)
{
	if (sys == JAIL_SYS_INHERIT)
		return JAIL_SOCK_INHERIT;
	/* "new" without an address leaves the jail none to use: disable */
	return sys == JAIL_SYS_NEW && naddrs > 0 ? JAIL_SOCK_NEW :
	    JAIL_SOCK_DISABLE;
}

/* One family's mode and addresses into c. */
static int
fill_family(const struct jail_params *p, int family, struct jail_sock_cfg *c)
{
	_cleanup_free_ struct jail_addr *a = NULL;
	enum param_id sys = family == AF_INET ? P_IP4 : P_IP6;
	size_t n = 0;
	int r;

	r = jail_addrs(p, family, &a, &n);
	if (r < 0)
		return r;
	if (n > JAIL_SOCK_MAX)
		return jail_seterr(-E2BIG, "%s: more than %d addresses",
		    family == AF_INET ? "ip4.addr" : "ip6.addr", JAIL_SOCK_MAX);
	for (size_t i = 0; i < n; i++)
		if (family == AF_INET)
			c->a4[i] = a[i].addr.v4.s_addr;
		else
			memcpy(c->a6[i], &a[i].addr.v6, 16);
	if (family == AF_INET) {
		c->mode4 = sock_mode(param_int(p, sys), n);
		c->n4 = (__u32)n;
	} else {
		c->mode6 = sock_mode(param_int(p, sys), n);
		c->n6 = (__u32)n;
	}
	return 0;
}

static int
bpf_fail(int r, const char *what)
{
	if (bpf_last[0] != '\0')
		return jail_seterr(r, "%s: %s", what, bpf_last);
	return jail_syserr(r, "%s", what);
}

/*
 * Open the embedded object img (len bytes) and give it cfg (size bytes),
 * if not NULL, as its read-only data, the section ".rodata.cfg".  Not
 * loaded yet: the caller may still leave programs out
 * (bpf_program__set_autoload).
 */
int
net_bpf_open(const unsigned char *img, size_t len, const void *cfg,
    size_t size, const char *what, struct bpf_object **ret)
{
	struct bpf_object *obj;
	struct bpf_map *map;
	int r;

	bpf_last[0] = '\0';
	(void)libbpf_set_print(bpf_print);
	obj = bpf_object__open_mem(img, len, NULL);
	if (obj == NULL)
		return bpf_fail(-errno, what);
	map = bpf_object__find_map_by_name(obj, ".rodata.cfg");
	r = cfg == NULL ? 0 : map == NULL ? -ENOENT :
	    bpf_map__set_initial_value(map, cfg, size);
	if (r < 0) {
		bpf_object__close(obj);
		return bpf_fail(r, what);
	}
	*ret = obj;
	return 0;
}

/*
 * Load obj and attach each of its programs left in to cgroup cgfd, with
 * BPF_PROG_ATTACH and no flag (see above); the object is closed either
 * way: attached programs hold their own references.
 */
int
net_bpf_load_attach(struct bpf_object *obj, int cgfd, const char *what)
{
	struct bpf_program *prog;
	int r = bpf_object__load(obj);

	if (r < 0) {
		r = bpf_fail(r, what);
		bpf_object__close(obj);
		return r;
	}
	bpf_object__for_each_program(prog, obj) {
		enum bpf_attach_type t = bpf_program__expected_attach_type(prog);

		if (!bpf_program__autoload(prog))
			continue;
		if (bpf_prog_attach(bpf_program__fd(prog), cgfd, t, 0) < 0) {
			r = jail_syserr(-errno, "attach %s to the jail's cgroup",
			    bpf_program__name(prog));
			break;
		}
	}
	bpf_object__close(obj);
	return r < 0 ? r : 0;
}

/*
 * Whether program type t has anything to do for jail c; each left out
 * would only answer ALLOW (a program costs its load, some milliseconds,
 * and its run on every call or packet).  A disabled family has no
 * socket, so none of its address programs runs; an "inherit" one needs
 * them only where IPv6 must keep off IPv4 (v4-mapped addresses, the
 * dual-stack wildcard: bind6, connect6, sendmsg6).  The packet programs
 * check the addresses of a "new" family.
 */
static bool
program_needed(enum bpf_attach_type t, const struct jail_sock_cfg *c)
{
	bool new4 = c->mode4 == JAIL_SOCK_NEW, new6 = c->mode6 == JAIL_SOCK_NEW;
	bool keep6 = new6 || (c->mode6 == JAIL_SOCK_INHERIT &&
	    c->mode4 != JAIL_SOCK_INHERIT);

	switch (t) {
	case BPF_CGROUP_INET_SOCK_CREATE:
		return c->mode4 == JAIL_SOCK_DISABLE ||
		    c->mode6 == JAIL_SOCK_DISABLE;
	case BPF_CGROUP_INET4_BIND:
	case BPF_CGROUP_INET4_CONNECT:
	case BPF_CGROUP_UDP4_SENDMSG:
	case BPF_CGROUP_INET4_GETSOCKNAME:
		return new4;
	case BPF_CGROUP_INET6_BIND:
	case BPF_CGROUP_INET6_CONNECT:
	case BPF_CGROUP_UDP6_SENDMSG:
		return keep6;
	case BPF_CGROUP_INET6_GETSOCKNAME:
		return new6;
	case BPF_CGROUP_INET_EGRESS:
	case BPF_CGROUP_INET_INGRESS:
		return new4 || new6;
	default:
		return true;
	}
}

static void
needed_only(struct bpf_object *obj, const struct jail_sock_cfg *c)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
		(void)bpf_program__set_autoload(prog, program_needed(
		    bpf_program__expected_attach_type(prog), c));
}

static struct bpf_insn
insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst & 0xf,
		.src_reg = src & 0xf, .off = off, .imm = imm };
}

/*
 * A jail with no "new" family, and no IPv6 to keep off IPv4, needs
 * only jail_sock_create (program_needed): the same program, written here,
 * is one bpf(2) call where loading the object takes twenty (libbpf
 * parses it, uploads its BTF and probes the kernel first), about 1.5 ms
 * of each jail -c.  Refuses each disabled family with EAFNOSUPPORT,
 * allows everything else; r1 is the struct bpf_sock.
 */
static int
sock_create_load(const struct jail_sock_cfg *c)
{
	struct bpf_insn p[16];
	union bpf_attr a;
	size_t n = 0;
	int fd;

	p[n++] = insn(BPF_LDX | BPF_MEM | BPF_W, 2, 1,
	    offsetof(struct bpf_sock, family), 0);
	if (c->mode4 == JAIL_SOCK_DISABLE)	/* to the refusal below */
		p[n++] = insn(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 0, AF_INET);
	if (c->mode6 == JAIL_SOCK_DISABLE)
		p[n++] = insn(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 0, AF_INET6);
	for (size_t i = 1; i < n; i++)
		p[i].off = (int16_t)(n - i + 1);
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
	p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, -EAFNOSUPPORT);
	p[n++] = insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_set_retval);
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_SOCK;
	a.expected_attach_type = BPF_CGROUP_INET_SOCK_CREATE;
	a.insns = (uint64_t)(uintptr_t)p;
	a.insn_cnt = (uint32_t)n;
	a.license = (uint64_t)(uintptr_t)"Dual BSD/GPL";
	fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0)
		return jail_syserr(-errno, "socket programs: jail_sock_create");
	return fd;
}

/* Whether jail_sock_create is all jail c needs (program_needed). */
static bool
sock_create_only(const struct jail_sock_cfg *c)
{
	static const enum bpf_attach_type others[] = {
		BPF_CGROUP_INET4_BIND, BPF_CGROUP_INET4_CONNECT,
		BPF_CGROUP_UDP4_SENDMSG, BPF_CGROUP_INET4_GETSOCKNAME,
		BPF_CGROUP_INET6_BIND, BPF_CGROUP_INET6_CONNECT,
		BPF_CGROUP_UDP6_SENDMSG, BPF_CGROUP_INET6_GETSOCKNAME,
		BPF_CGROUP_INET_EGRESS, BPF_CGROUP_INET_INGRESS,
	};

	for (size_t i = 0; i < nitems(others); i++)
		if (program_needed(others[i], c))
			return false;
	return true;
}

/* The refusals alone on cgroup cgfd (sock_create_only). */
static int
sock_create_attach(const struct jail_sock_cfg *c, int cgfd)
{
	_cleanup_close_ int fd = sock_create_load(c);

	if (fd < 0)
		return fd;
	if (bpf_prog_attach(fd, cgfd, BPF_CGROUP_INET_SOCK_CREATE, 0) < 0)
		return jail_syserr(-errno, "attach jail_sock_create to the "
		    "jail's cgroup");
	return 0;
}

/*
 * Restrict the sockets of the processes in cgroup cgfd to p's ip4/ip6.
 * Nothing to do for a jail unrestricted in both; one without a cgroup2
 * hierarchy is refused rather than run unrestricted.
 */
int
net_bpf_attach(const struct jail_params *p, int cgfd)
{
	struct jail_sock_cfg c = { .mode4 = JAIL_SOCK_INHERIT };
	struct bpf_object *obj = NULL;
	int r;

	if (!net_restricted(p))
		return 0;
	if (cgfd < 0)
		return jail_seterr(-EOPNOTSUPP, "ip4/ip6: not supported: no "
		    "cgroup2 hierarchy to attach the socket programs to");
	r = fill_family(p, AF_INET, &c);
	if (r >= 0)
		r = fill_family(p, AF_INET6, &c);
	if (r >= 0 && sock_create_only(&c))
		return sock_create_attach(&c, cgfd);
	if (r >= 0)
		r = net_bpf_open(jail_sock_bpf, jail_sock_bpf_len, &c,
		    sizeof(c), "socket programs", &obj);
	if (r < 0)
		return r;
	needed_only(obj, &c);
	return net_bpf_load_attach(obj, cgfd, "socket programs");
}
