// SPDX-License-Identifier: BSD-2-Clause
/*
 * netaddr.c: a non-vnet jail's addresses, ip4.addr and ip6.addr, and the
 * ip4/ip6 choice they imply (FreeBSD: an address implies "new", none
 * "disable").
 *
 * Owns parsing the list entries jail(8) takes ("addr", "addr/prefix",
 * "iface|addr/prefix") into struct jail_addr, for the enforcement
 * (netbpf.c), interface= aliases and the jail's own loopback (init.c),
 * and what they decide of the jail's network namespace: its own or the
 * host's, and which families its socket broker makes on the host's
 * stack.  Never touches an interface.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "param/param.h"

/*
 * The prefix after '/': a length in decimal digits up to the family's
 * bits, or for IPv4 a netmask "255.255.255.0" (its bits counted, as
 * jail(8) takes both).  -EINVAL if neither.
 */
static int
prefix_parse(int family, const char *s, int *ret)
{
	int max = family == AF_INET ? 32 : 128;
	struct in_addr m;
	unsigned long long n;

	if (*s != '\0' && s[strspn(s, "0123456789")] == '\0') {
		errno = 0;
		n = strtoull(s, NULL, 10);
		if (errno != 0 || n > (unsigned long long)max)
			return -EINVAL;
		*ret = (int)n;
		return 0;
	}
	if (family != AF_INET || inet_pton(AF_INET, s, &m) != 1)
		return -EINVAL;
	*ret = __builtin_popcount(m.s_addr);
	return 0;
}

/* "iface|" at the head of s (len bytes) into ret; its length, or 0. */
static int
ifname_parse(const char *s, size_t len, struct jail_addr *ret)
{
	const char *bar = memchr(s, '|', len);

	if (bar == NULL)
		return 0;
	if (bar == s || (size_t)(bar - s) >= sizeof(ret->ifname))
		return -EINVAL;
	memcpy(ret->ifname, s, (size_t)(bar - s));
	ret->ifname[bar - s] = '\0';
	return (int)(bar + 1 - s);
}

static int
addr_parse(int family, const char *s, size_t len, struct jail_addr *ret)
{
	char buf[INET6_ADDRSTRLEN + 64];
	int skip = ifname_parse(s, len, ret);
	char *slash;

	if (skip < 0 || len - (size_t)skip >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s + skip, len - (size_t)skip);
	buf[len - (size_t)skip] = '\0';
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash++ = '\0';
		if (prefix_parse(family, slash, &ret->prefix) < 0)
			return -EINVAL;
		ret->prefixed = true;
	}
	return inet_pton(family, buf, &ret->addr) == 1 ? 0 : -EINVAL;
}

/*
 * One entry of ip4.addr (AF_INET) or ip6.addr (AF_INET6), the len bytes
 * at s: "addr", "addr/prefix" or "iface|addr/prefix", as jail(8) takes
 * them.  The one parser of addresses; *ret untouched on failure.
 */
int
jail_addr_parse(int family, const char *s, size_t len, struct jail_addr *ret)
{
	struct jail_addr a = {
		.family = family,
		.prefix = family == AF_INET ? 32 : 128,
	};

	if (family != AF_INET && family != AF_INET6)
		return jail_seterr(-EAFNOSUPPORT, "address family %d", family);
	if (addr_parse(family, s, len, &a) < 0)
		return jail_seterr(-EINVAL, "not an IPv%c address: %.*s",
		    family == AF_INET ? '4' : '6', (int)len, s);
	*ret = a;
	return 0;
}

/*
 * a as jail(8) takes it, "[iface|]addr[/prefix]" (the prefix as a
 * length, only where one was given), or with JAIL_ADDR_BARE the address
 * alone, as FreeBSD's kernel holds it and jls(8) prints it.  The one
 * printer of addresses; buf holds JAIL_ADDRSTRLEN.
 */
int
jail_addr_format(const struct jail_addr *a, int flags, char *buf, size_t len)
{
	char txt[INET6_ADDRSTRLEN];
	bool bare = (flags & JAIL_ADDR_BARE) != 0;
	int n;

	if (inet_ntop(a->family, &a->addr, txt, sizeof(txt)) == NULL)
		return jail_syserr(-errno, "address family %d", a->family);
	if (bare || (a->ifname[0] == '\0' && !a->prefixed))
		n = snprintf(buf, len, "%s", txt);
	else if (!a->prefixed)
		n = snprintf(buf, len, "%s|%s", a->ifname, txt);
	else
		n = snprintf(buf, len, "%s%s%s/%d", a->ifname,
		    a->ifname[0] != '\0' ? "|" : "", txt, a->prefix);
	if (n < 0 || (size_t)n >= len)
		return jail_seterr(-ENAMETOOLONG, "address %s: too long", txt);
	return 0;
}

/*
 * The entries of ip4.addr (AF_INET) or ip6.addr (AF_INET6) of p, in
 * order; *ret is malloc'd (NULL when there are none).
 */
int
jail_addrs(const struct jail_params *p, int family, struct jail_addr **ret,
    size_t *ret_n)
{
	enum param_id id = family == AF_INET ? P_IP4_ADDR : P_IP6_ADDR;
	const struct strv *l = param_list(p, id);
	_cleanup_free_ struct jail_addr *v = NULL;
	size_t n = l != NULL ? l->n : 0;
	int r;

	if (family != AF_INET && family != AF_INET6)
		return jail_seterr(-EAFNOSUPPORT, "address family %d", family);
	if (n > 0 && (v = calloc(n, sizeof(*v))) == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		r = jail_addr_parse(family, l->v[i], strlen(l->v[i]), &v[i]);
		if (r < 0)
			return jail_errctx(r, "%s", param_table[id].name);
	}
	*ret = TAKE_PTR(v);
	*ret_n = n;
	return 0;
}

/* One family's list of p as bare addresses. */
static int
bare_family(struct jail_params *p, int family)
{
	enum param_id id = family == AF_INET ? P_IP4_ADDR : P_IP6_ADDR;
	_cleanup_free_ struct jail_addr *a = NULL;
	struct strv nl = { .v = NULL, .n = 0 };
	char txt[JAIL_ADDRSTRLEN];
	size_t n = 0;
	int r = jail_addrs(p, family, &a, &n);

	if (r < 0 || !p->v[id].set)
		return r;
	for (size_t i = 0; r >= 0 && i < n; i++) {
		r = jail_addr_format(&a[i], JAIL_ADDR_BARE, txt, sizeof(txt));
		if (r >= 0)
			r = strv_push(&nl, txt);
	}
	if (r < 0) {
		strv_clear(&nl);
		return r;
	}
	strv_clear(&p->v[id].l);
	p->v[id].l = nl;
	return 0;
}

/*
 * ip4.addr and ip6.addr of p as the kernel would hold them: the bare
 * addresses, without "iface|" or "/prefix" (what jls(8) shows).
 */
int
jail_addrs_bare(struct jail_params *p)
{
	int r = bare_family(p, AF_INET);

	return r < 0 ? r : bare_family(p, AF_INET6);
}

/*
 * ip4 (or ip6) as FreeBSD resolves it at creation (kern_jail.c): an
 * address implies "new" and needs it.  A jail given neither the
 * parameter nor an address of the family has none of it, "disable" --
 * also when it has addresses of the other family only, since a host-wide
 * dual-stack IPv6 wildcard would otherwise take IPv4 on every host
 * address.  A vnet jail's stack is its own: "inherit", as FreeBSD shows
 * it.  The value resolved is stored, so that jls shows what the jail got
 * whatever the table's default becomes; "inherit" is only ever had by
 * asking for it.
 */
static int
resolve_one(struct jail_params *p, enum param_id sys, enum param_id addrs)
{
	const struct strv *l = param_list(p, addrs);
	bool has = l != NULL && l->n > 0;

	if (!has && param_isset(p, sys))
		return 0;
	if (!has)
		return param_import_value(p, sys, vnet_new(p) ? "inherit" :
		    "disable", false, false);
	if (!param_isset(p, sys))
		return param_import_value(p, sys, "new", false, false);
	if (param_int(p, sys) != JAIL_SYS_NEW)
		return jail_seterr(-EINVAL, "%s: addresses require %s=new",
		    param_table[addrs].name, param_table[sys].name);
	return 0;
}

/* Append item to the comma-separated *buf, unless it is there already. */
static int
csv_add(char **buf, const char *item)
{
	size_t len = strlen(item);
	char *nb;

	for (const char *s = *buf; s != NULL && *s != '\0';) {
		size_t n = strcspn(s, ",");

		if (n == len && strncmp(s, item, len) == 0)
			return 0;
		s += n + (s[n] == ',');
	}
	if (asprintf(&nb, "%s%s%s", *buf ? *buf : "", *buf ? "," : "",
		item) < 0)
		return -ENOMEM;
	free(*buf);
	*buf = nb;
	return 0;
}

/* The address of one resolver answer, appended to *buf. */
static int
csv_add_ai(char **buf, const struct addrinfo *ai)
{
	char a[INET6_ADDRSTRLEN];
	const void *src = ai->ai_family == AF_INET ?
	    (const void *)&((const struct sockaddr_in *)ai->ai_addr)->sin_addr :
	    (const void *)&((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;

	if (inet_ntop(ai->ai_family, src, a, sizeof(a)) == NULL)
		return -errno;
	return csv_add(buf, a);
}

/*
 * ip_hostname: the addresses host.hostname resolves to (on the host, by
 * its resolver), in the resolver's order, ahead of the jail's own: as
 * FreeBSD, the first of each family is the jail's primary address.
 */
static int
ip_hostname(struct jail_params *p)
{
	const char *h = param_str(p, P_HOST_HOSTNAME);
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	char *bufs[2] = { NULL, NULL };
	static const enum param_id ids[2] = { P_IP4_ADDR, P_IP6_ADDR };
	int r = 0;

	if (!param_bool(p, P_IP_HOSTNAME))
		return 0;
	if (h == NULL || (r = getaddrinfo(h, NULL, &hints, &res)) != 0)
		return jail_seterr(-EINVAL, "ip_hostname: %s: %s",
		    h != NULL ? h : "no host.hostname",
		    h != NULL ? gai_strerror(r) : "set one");
	for (const struct addrinfo *ai = res; r >= 0 && ai != NULL;
	     ai = ai->ai_next)
		if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
			r = csv_add_ai(&bufs[ai->ai_family == AF_INET6], ai);
	freeaddrinfo(res);
	for (size_t i = 0; i < 2; i++) {
		const struct strv *l = param_list(p, ids[i]);

		for (size_t k = 0; r >= 0 && l != NULL && k < l->n; k++)
			r = csv_add(&bufs[i], l->v[k]);
		if (r >= 0 && bufs[i] != NULL)
			r = param_import_value(p, ids[i], bufs[i], false, false);
		free(bufs[i]);
	}
	return r < 0 ? jail_errctx(r, "ip_hostname") : 0;
}

int
net_resolve(struct jail_params *p)
{
	int r = ip_hostname(p);

	if (r >= 0)
		r = resolve_one(p, P_IP4, P_IP4_ADDR);
	if (r >= 0)
		r = resolve_one(p, P_IP6, P_IP6_ADDR);
	return r;
}

/*
 * Whether a jail's sockets are held to its ip4/ip6 on the host's stack:
 * the cgroup programs (netbpf.c) and the refusal of a disabled family
 * (the seccomp filter).
 */
bool
net_restricted(const struct jail_params *p)
{
	if (param_int(p, P_VNET) == JAIL_SYS_NEW)
		return false;	/* its own stack: all of it is the jail's */
	return param_int(p, P_IP4) != JAIL_SYS_INHERIT ||
	    param_int(p, P_IP6) != JAIL_SYS_INHERIT;
}

/*
 * Whether jail p has a network namespace of its own: a vnet jail's, and
 * that of every jail sharing the host's stack under ip4/ip6 rules, so
 * that neither the host's sockets (procfs's net directories, sock_diag)
 * nor its abstract unix sockets are in the jail's view.  Only
 * ip4=inherit with ip6=inherit, the host's whole stack when asked for,
 * stays in the host's.
 */
bool
net_own_ns(const struct jail_params *p)
{
	return param_int(p, P_VNET) == JAIL_SYS_NEW || net_restricted(p);
}

/*
 * Whether jail p's sockets of family are made on the host's stack by its
 * socket broker (sockbroker.c): a jail in a namespace of its own that is
 * not vnet, for a family it may use ("inherit", or "new" with an
 * address).
 */
bool
net_brokered(const struct jail_params *p, int family)
{
	const struct strv *l = param_list(p, family == AF_INET ? P_IP4_ADDR :
	    P_IP6_ADDR);
	long long v = param_int(p, family == AF_INET ? P_IP4 : P_IP6);

	if (!net_restricted(p))
		return false;	/* vnet, or the host's namespace */
	return v == JAIL_SYS_INHERIT ||
	    (v == JAIL_SYS_NEW && l != NULL && l->n > 0);
}

/*
 * Whether jail p's sockets of family are refused (its seccomp filter):
 * on the host's stack under ip4/ip6 rules, a family it may not use
 * ("disable", or "new" without an address), as FreeBSD's
 * prison_check_af.
 */
bool
net_refused(const struct jail_params *p, int family)
{
	return net_restricted(p) && !net_brokered(p, family);
}

/* A vnet jail: its own network namespace (vnet=new). */
bool
vnet_new(const struct jail_params *p)
{
	return param_int(p, P_VNET) == JAIL_SYS_NEW;
}
