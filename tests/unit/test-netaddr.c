// SPDX-License-Identifier: BSD-2-Clause
/*
 * test-netaddr.c: ip4.addr and ip6.addr entries as values: each form
 * jail(8) takes ("addr", "addr/prefix", "addr/netmask", "iface|addr")
 * parsed and printed back, prefixes at and past their bounds, bare
 * addresses as jls(8) shows them, and every bad entry with its exact
 * message.
 *
 * No root, no jail, no interface touched.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../lib/harness.h"
#include "param/param.h"

/* s parsed as family and printed with flags (or the error message). */
static const char *
reprint(int family, const char *s, int flags)
{
	static char buf[JAIL_ADDRSTRLEN];
	struct jail_addr a;

	if (jail_addr_parse(family, s, strlen(s), &a) < 0)
		return jail_errmsg;
	if (jail_addr_format(&a, flags, buf, sizeof(buf)) < 0)
		return "(format failed)";
	return buf;
}

/* Expect s to be refused as family with message msg. */
#define BAD(family, s, msg)                                              \
	do {                                                             \
		struct jail_addr bad_;                                   \
		CHECK_INT(jail_addr_parse((family), (s), strlen(s), &bad_), \
		    -EINVAL);                                            \
		CHECK_STR(jail_errmsg, (msg));                           \
	} while (0)

TEST(round_trip)
{
	static const char *const v4[] = {
		"10.0.0.1", "10.0.0.1/24", "10.0.0.1/32", "10.0.0.1/0",
		"em0|10.0.0.3/24", "em0|10.0.0.3", "127.0.1.5",
		"123456789012345|10.1.0.1/8",
	};
	static const char *const v6[] = {
		"::1", "::1/128", "fe80::1/64", "vtnet0|fe80::1/64",
		"2001:db8::1", "2001:db8::/0", "lo|::ffff:10.0.0.1",
	};

	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
		CHECK_STR(reprint(AF_INET, v4[i], 0), v4[i]);
	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
		CHECK_STR(reprint(AF_INET6, v6[i], 0), v6[i]);
}

TEST(fields)
{
	struct jail_addr a;

	CHECK_INT(jail_addr_parse(AF_INET, "10.1.2.3", 8, &a), 0);
	CHECK_INT(a.family, AF_INET);
	CHECK_INT(ntohl(a.addr.v4.s_addr), 0x0a010203);
	CHECK_INT(a.prefix, 32);
	CHECK(!a.prefixed);
	CHECK_STR(a.ifname, "");
	CHECK_INT(jail_addr_parse(AF_INET6, "em0|fe80::2/64", 14, &a), 0);
	CHECK_INT(a.family, AF_INET6);
	CHECK_INT(a.addr.v6.s6_addr[0], 0xfe);
	CHECK_INT(a.addr.v6.s6_addr[15], 2);
	CHECK_INT(a.prefix, 64);
	CHECK(a.prefixed);
	CHECK_STR(a.ifname, "em0");
	CHECK_INT(jail_addr_parse(AF_INET6, "::1", 3, &a), 0);
	CHECK_INT(a.prefix, 128);
	/* len bounds the entry: the rest of a list is not read */
	CHECK_INT(jail_addr_parse(AF_INET, "10.0.0.1,10.0.0.2", 8, &a), 0);
	CHECK_STR(reprint(AF_INET, "10.0.0.1", 0), "10.0.0.1");
}

TEST(prefixes)
{
	CHECK_STR(reprint(AF_INET, "10.0.0.4/255.255.255.0", 0),
	    "10.0.0.4/24");
	CHECK_STR(reprint(AF_INET, "10.0.0.4/255.255.255.255", 0),
	    "10.0.0.4/32");
	CHECK_STR(reprint(AF_INET, "10.0.0.4/0.0.0.0", 0), "10.0.0.4/0");
	CHECK_STR(reprint(AF_INET, "10.0.0.4/007", 0), "10.0.0.4/7");
	CHECK_STR(reprint(AF_INET6, "::1/0", 0), "::1/0");
	BAD(AF_INET, "10.0.0.1/33", "not an IPv4 address: 10.0.0.1/33");
	BAD(AF_INET, "10.0.0.1/", "not an IPv4 address: 10.0.0.1/");
	BAD(AF_INET, "10.0.0.1/+8", "not an IPv4 address: 10.0.0.1/+8");
	BAD(AF_INET, "10.0.0.1/-1", "not an IPv4 address: 10.0.0.1/-1");
	BAD(AF_INET, "10.0.0.1/24/8", "not an IPv4 address: 10.0.0.1/24/8");
	BAD(AF_INET, "10.0.0.1/ 8", "not an IPv4 address: 10.0.0.1/ 8");
	BAD(AF_INET, "10.0.0.1/99999999999999999999",
	    "not an IPv4 address: 10.0.0.1/99999999999999999999");
	BAD(AF_INET, "10.0.0.1/255.255.256.0",
	    "not an IPv4 address: 10.0.0.1/255.255.256.0");
	BAD(AF_INET6, "::1/129", "not an IPv6 address: ::1/129");
	BAD(AF_INET6, "::1/ffff::", "not an IPv6 address: ::1/ffff::");
	BAD(AF_INET6, "::1/255.255.255.0",
	    "not an IPv6 address: ::1/255.255.255.0");
}

TEST(interfaces)
{
	CHECK_STR(reprint(AF_INET, "lo|127.0.1.1/32", 0), "lo|127.0.1.1/32");
	BAD(AF_INET, "|10.0.0.1", "not an IPv4 address: |10.0.0.1");
	BAD(AF_INET, "1234567890123456|10.0.0.1",
	    "not an IPv4 address: 1234567890123456|10.0.0.1");
	BAD(AF_INET, "em0|em1|10.0.0.1",
	    "not an IPv4 address: em0|em1|10.0.0.1");
	BAD(AF_INET, "em0|", "not an IPv4 address: em0|");
	BAD(AF_INET6, "em0|10.0.0.1", "not an IPv6 address: em0|10.0.0.1");
}

TEST(bad_addresses)
{
	struct jail_addr a = { .prefix = 7 };

	BAD(AF_INET, "", "not an IPv4 address: ");
	BAD(AF_INET, "10.0.0.256", "not an IPv4 address: 10.0.0.256");
	BAD(AF_INET, "10.0.0", "not an IPv4 address: 10.0.0");
	BAD(AF_INET, "010.0.0.1", "not an IPv4 address: 010.0.0.1");
	BAD(AF_INET, " 10.0.0.1", "not an IPv4 address:  10.0.0.1");
	BAD(AF_INET, "::1", "not an IPv4 address: ::1");
	BAD(AF_INET, "localhost", "not an IPv4 address: localhost");
	BAD(AF_INET6, "10.0.0.1", "not an IPv6 address: 10.0.0.1");
	BAD(AF_INET6, "::g", "not an IPv6 address: ::g");
	BAD(AF_INET6, "1:2:3:4:5:6:7:8:9", "not an IPv6 address: "
	    "1:2:3:4:5:6:7:8:9");
	CHECK_INT(jail_addr_parse(AF_INET, "x", 1, &a), -EINVAL);
	CHECK_INT(a.prefix, 7);		/* untouched on failure */
	CHECK_INT(jail_addr_parse(AF_UNIX, "x", 1, &a), -EAFNOSUPPORT);
	CHECK_STR(jail_errmsg, "address family 1");
}

/* What jls(8) shows: the address alone, as FreeBSD's kernel holds it. */
TEST(bare)
{
	CHECK_STR(reprint(AF_INET, "em0|10.0.0.3/24", JAIL_ADDR_BARE),
	    "10.0.0.3");
	CHECK_STR(reprint(AF_INET, "10.0.0.4/255.255.255.0", JAIL_ADDR_BARE),
	    "10.0.0.4");
	CHECK_STR(reprint(AF_INET6, "vtnet0|fe80::1/64", JAIL_ADDR_BARE),
	    "fe80::1");
	/* inet_ntop's form, as FreeBSD's jls prints it from the kernel */
	CHECK_STR(reprint(AF_INET6, "2001:DB8:0:0::0001", JAIL_ADDR_BARE),
	    "2001:db8::1");
}

TEST(params_lists)
{
	struct jail_params p = { 0 };
	struct jail_addr *v = NULL;
	size_t n = 0;

	CHECK_INT(param_import(&p, "ip4.addr=10.0.0.1,em0|10.0.0.2/24"), 0);
	CHECK_INT(param_import(&p, "ip6.addr=vtnet0|fe80::1/64"), 0);
	CHECK_INT(jail_addrs(&p, AF_INET, &v, &n), 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(v[1].ifname, "em0");
		CHECK_INT(v[1].prefix, 24);
		CHECK_INT(v[0].prefix, 32);
	}
	free(v);
	v = NULL;
	CHECK_INT(jail_addrs(&p, AF_INET6, &v, &n), 0);
	CHECK_INT(n, 1);
	free(v);
	CHECK_INT(jail_addrs_bare(&p), 0);
	CHECK_INT(param_list(&p, P_IP4_ADDR)->n, 2);
	CHECK_STR(param_list(&p, P_IP4_ADDR)->v[0], "10.0.0.1");
	CHECK_STR(param_list(&p, P_IP4_ADDR)->v[1], "10.0.0.2");
	CHECK_STR(param_list(&p, P_IP6_ADDR)->v[0], "fe80::1");
	CHECK(param_isset(&p, P_IP4_ADDR));
	params_free(&p);
}

TEST(params_empty)
{
	struct jail_params p = { 0 };
	struct jail_addr *v = (struct jail_addr *)&p;
	size_t n = 9;

	CHECK_INT(jail_addrs(&p, AF_INET, &v, &n), 0);
	CHECK(v == NULL);
	CHECK_INT(n, 0);
	CHECK_INT(jail_addrs_bare(&p), 0);
	CHECK(!param_isset(&p, P_IP4_ADDR));
	CHECK(param_list(&p, P_IP4_ADDR) == NULL ||
	    param_list(&p, P_IP4_ADDR)->n == 0);
	params_free(&p);
}

/* The message param_import gives: the parameter's name, then why. */
TEST(import_messages)
{
	struct jail_params p = { 0 };

	CHECK_INT(param_import(&p, "ip4.addr=10.0.0.1,em0|10.0.0.2/33"),
	    -EINVAL);
	CHECK_STR(jail_errmsg, "ip4.addr: not an IPv4 address: "
	    "em0|10.0.0.2/33");
	CHECK_INT(param_import(&p, "ip6.addr=::1,,::2"), -EINVAL);
	CHECK_STR(jail_errmsg, "ip6.addr: not an IPv6 address: ");
	params_free(&p);
}

int
main(void)
{
	return harness_main();
}
