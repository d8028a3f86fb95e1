// SPDX-License-Identifier: BSD-2-Clause
/*
 * netbpf.c: ip4/ip6 of a non-vnet jail, enforced by the cgroup socket
 * programs of bpf/jail-sock.bpf.c attached to the jail's own cgroup.
 *
 * Owns loading the embedded object with the jail's addresses as its
 * read-only data and attaching every program before the jail's init is
 * cloned into the cgroup, so that no jailed process ever opens a socket
 * unwatched; and the loading and attaching of an embedded object to a
 * jail's cgroup, which lsmbpf.c shares.  A jail whose families are only
 * "disable" needs none: its seccomp filter refuses their sockets.  The
 * programs are attached with BPF_PROG_ATTACH and no flag:
 * they live as long as the cgroup (no fd or link to keep), and no
 * program may be attached beneath them (the kernel refuses descendants
 * of a cgroup whose program is exclusive).  Never detaches: removing the
 * cgroup does.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

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

/* Whether jail c needs any of the programs (program_needed). */
static bool
any_needed(const struct jail_sock_cfg *c)
{
	static const enum bpf_attach_type types[] = {
		BPF_CGROUP_INET4_BIND, BPF_CGROUP_INET4_CONNECT,
		BPF_CGROUP_UDP4_SENDMSG, BPF_CGROUP_INET4_GETSOCKNAME,
		BPF_CGROUP_INET6_BIND, BPF_CGROUP_INET6_CONNECT,
		BPF_CGROUP_UDP6_SENDMSG, BPF_CGROUP_INET6_GETSOCKNAME,
		BPF_CGROUP_INET_EGRESS, BPF_CGROUP_INET_INGRESS,
	};

	for (size_t i = 0; i < nitems(types); i++)
		if (program_needed(types[i], c))
			return true;
	return false;
}

/*
 * Restrict the sockets of the processes in cgroup cgfd to p's ip4/ip6.
 * Nothing to do for a jail unrestricted in both, nor for one that needs
 * none of the programs (program_needed), as one whose families are both
 * "disable": its seccomp filter refuses their sockets.  One that needs
 * programs without a cgroup2 hierarchy is refused rather than run
 * unrestricted.
 */
int
net_bpf_attach(const struct jail_params *p, int cgfd)
{
	struct jail_sock_cfg c = { .mode4 = JAIL_SOCK_INHERIT };
	struct bpf_object *obj = NULL;
	int r;

	if (!net_restricted(p))
		return 0;
	r = fill_family(p, AF_INET, &c);
	if (r >= 0)
		r = fill_family(p, AF_INET6, &c);
	if (r < 0 || !any_needed(&c))
		return r;
	if (cgfd < 0)
		return jail_seterr(-EOPNOTSUPP, "ip4/ip6: not supported: no "
		    "cgroup2 hierarchy to attach the socket programs to");
	r = net_bpf_open(jail_sock_bpf, jail_sock_bpf_len, &c, sizeof(c),
	    "socket programs", &obj);
	if (r < 0)
		return r;
	needed_only(obj, &c);
	return net_bpf_load_attach(obj, cgfd, "socket programs");
}
