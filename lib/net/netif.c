// SPDX-License-Identifier: BSD-2-Clause
/*
 * netif.c: interface= and "iface|addr", a jail's addresses as aliases on
 * the host's interfaces.
 *
 * As FreeBSD's jail(8): each address of ip4.addr and ip6.addr that names
 * an interface ("em0|10.1.0.5/24"), or every one when the interface
 * parameter is set, is added to that interface before the jail is
 * created (before exec.prestart) and removed after it is removed (after
 * exec.poststop).  An address already there is refused, so that gaol
 * never removes an address it did not add: each alias is added and
 * removed exactly once, and a creation that fails half-way takes back
 * what it added.  Netlink only (net.c); never an address nobody named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"

/* The jail's addresses that go on an interface, with that interface. */
static int
ifaddrs(const struct jail_params *p, struct jail_addr **ret, size_t *ret_n)
{
	static const int families[] = { AF_INET, AF_INET6 };
	const char *iface = param_str(p, P_INTERFACE);
	struct jail_addr *all = NULL;
	size_t n = 0;
	int r = 0;

	*ret = NULL;
	*ret_n = 0;
	if (vnet_new(p))
		return 0;	/* its addresses are on its own stack */
	for (size_t f = 0; r >= 0 && f < nitems(families); f++) {
		struct jail_addr *v = NULL, *grown;
		size_t m = 0;

		r = jail_addrs(p, families[f], &v, &m);
		grown = r < 0 ? NULL : reallocarray(all, n + m + 1, sizeof(*all));
		if (r >= 0 && grown == NULL)
			r = jail_seterr(-ENOMEM, "out of memory");
		for (size_t i = 0; r >= 0 && i < m; i++) {
			if (v[i].ifname[0] == '\0' && iface != NULL)
				(void)snprintf(v[i].ifname, sizeof(v[i].ifname),
				    "%s", iface);
			if (v[i].ifname[0] != '\0')
				grown[n++] = v[i];
		}
		if (grown != NULL)
			all = grown;
		free(v);
	}
	if (r < 0) {
		free(all);
		return r;
	}
	*ret = all;
	*ret_n = n;
	return 0;
}

static int
ifaddr_del(const struct jail_addr *a)
{
	return net_addr_del(a->ifname, a->family, &a->addr, (unsigned)a->prefix);
}

/* Add every alias of jail p, or none: those added are taken back. */
int
netif_add(const struct jail_params *p)
{
	_cleanup_free_ struct jail_addr *v = NULL;
	size_t n = 0, i;
	int r = ifaddrs(p, &v, &n);

	for (i = 0; r >= 0 && i < n; i++) {
		r = net_addr_add(v[i].ifname, v[i].family, &v[i].addr,
		    (unsigned)v[i].prefix);
		if (r == -EEXIST)
			r = jail_seterr(r, "interface %s: an address of the jail "
			    "is there already", v[i].ifname);
	}
	if (r >= 0)
		return 0;
	while (i-- > 1)
		(void)ifaddr_del(&v[i - 1]);
	return jail_errctx(r, "interface");
}

/*
 * Remove every alias of jail j; what is gone already is only noted
 * (o may be NULL: nothing is said).
 */
void
netif_del(const struct jail *j, const struct jail_ops *o)
{
	static const struct jail_ops quiet = { 0 };
	_cleanup_free_ struct jail_addr *v = NULL;
	size_t n = 0;

	if (o == NULL)
		o = &quiet;
	if (ifaddrs(&j->params, &v, &n) < 0) {
		jail_warn(o, j, "%s\n", jail_errmsg);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (ifaddr_del(&v[i]) < 0)
			jail_warn(o, j, "%s\n", jail_errmsg);
}
