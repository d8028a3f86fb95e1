// SPDX-License-Identifier: BSD-2-Clause
/*
 * netbpf.c: ip4/ip6 of a non-vnet jail, enforced by the cgroup socket
 * programs of bpf/jail-sock.bpf.c attached to the jail's own cgroup.
 *
 * Owns choosing the programs a jail needs and loading the embedded
 * object with the jail's addresses as its read-only data, attached
 * before the jail's init is cloned into the cgroup (bpfobj.c), so that
 * no jailed process ever opens a socket unwatched.  A jail whose
 * families are only "disable" needs none: its seccomp filter refuses
 * their sockets.
 */
#include <linux/bpf.h>
#include <string.h>
#include <sys/socket.h>

#include "net-int.h"
#include "jail-sock.h"
#include "jail-sock-bpf.h"	/* jail_sock_bpf[], the compiled object */

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

/*
 * Whether jail c needs IPv6's address programs: a "new" IPv6, or an
 * "inherit" one that must keep off IPv4 (v4-mapped addresses, the
 * dual-stack wildcard: bind6, connect6, sendmsg6).
 */
static bool
keeps6(const struct jail_sock_cfg *c)
{
	return c->mode6 == JAIL_SOCK_NEW || (c->mode6 == JAIL_SOCK_INHERIT &&
	    c->mode4 != JAIL_SOCK_INHERIT);
}

/*
 * Whether a program of attach type t has anything to do for the jail
 * arg configures (a struct jail_sock_cfg); each left out would only
 * answer ALLOW (a program costs its load, some milliseconds, and its
 * run on every call or packet).  A disabled family has no socket, so
 * none of its address programs runs.  The packet programs check the
 * addresses of a "new" family.
 */
static bool
program_needed(unsigned t, const void *arg)
{
	const struct jail_sock_cfg *c = arg;
	bool new4 = c->mode4 == JAIL_SOCK_NEW, new6 = c->mode6 == JAIL_SOCK_NEW;

	switch (t) {
	case BPF_CGROUP_INET4_BIND:
	case BPF_CGROUP_INET4_CONNECT:
	case BPF_CGROUP_UDP4_SENDMSG:
	case BPF_CGROUP_INET4_GETSOCKNAME:
		return new4;
	case BPF_CGROUP_INET6_BIND:
	case BPF_CGROUP_INET6_CONNECT:
	case BPF_CGROUP_UDP6_SENDMSG:
		return keeps6(c);
	case BPF_CGROUP_INET6_GETSOCKNAME:
		return new6;
	case BPF_CGROUP_INET_EGRESS:
	case BPF_CGROUP_INET_INGRESS:
		return new4 || new6;
	default:
		return true;
	}
}

/*
 * Whether jail c needs any of the programs: a "new" IPv4 (its address
 * and packet programs) or IPv6's (keeps6, which a "new" IPv6 is); with
 * neither, program_needed answers false for every type.
 */
static bool
any_needed(const struct jail_sock_cfg *c)
{
	return c->mode4 == JAIL_SOCK_NEW || keeps6(c);
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
	r = bpfobj_open(jail_sock_bpf, jail_sock_bpf_len, &c, sizeof(c),
	    "socket programs", &obj);
	if (r < 0)
		return r;
	bpfobj_select(obj, program_needed, &c);
	return bpfobj_attach(obj, cgfd, "socket programs");
}
