// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-addr.c: the addresses, sockets and outcomes the network probes
 * share (probe-net2.c): v4 and v6 as one type, the jail's own address,
 * whether a forged source arrived.
 */
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"
#include "probe-addr.h"

socklen_t
addr_len(const union addr *a)
{
	return a->sa.sa_family == AF_INET ? sizeof(a->in) : sizeof(a->in6);
}

/* "127.0.0.1:80", "[::1]:80" */
const char *
addr_text(const union addr *a)
{
	static char buf[2][INET6_ADDRSTRLEN + 16];
	static int k;
	char ip[INET6_ADDRSTRLEN];
	char *b = buf[k++ & 1];

	if (a->sa.sa_family == AF_INET) {
		(void)inet_ntop(AF_INET, &a->in.sin_addr, ip, sizeof(ip));
		(void)snprintf(b, sizeof(buf[0]), "%s:%u", ip,
		    ntohs(a->in.sin_port));
	} else {
		(void)inet_ntop(AF_INET6, &a->in6.sin6_addr, ip, sizeof(ip));
		(void)snprintf(b, sizeof(buf[0]), "[%s]:%u", ip,
		    ntohs(a->in6.sin6_port));
	}
	return b;
}

void
addr_set(union addr *a, int family, const char *ip, unsigned port)
{
	memset(a, 0, sizeof(*a));
	a->sa.sa_family = (sa_family_t)family;
	if (family == AF_INET) {
		(void)inet_pton(AF_INET, ip, &a->in.sin_addr);
		a->in.sin_port = htons((uint16_t)port);
	} else {
		(void)inet_pton(AF_INET6, ip, &a->in6.sin6_addr);
		a->in6.sin6_port = htons((uint16_t)port);
	}
}

bool
addr_is(const union addr *a, const char *ip)
{
	union addr b;

	addr_set(&b, a->sa.sa_family, ip, 0);
	if (a->sa.sa_family == AF_INET)
		return a->in.sin_addr.s_addr == b.in.sin_addr.s_addr;
	return memcmp(&a->in6.sin6_addr, &b.in6.sin6_addr, 16) == 0;
}

bool
same_host(const union addr *a, const union addr *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->in.sin_addr.s_addr == b->in.sin_addr.s_addr;
	return memcmp(&a->in6.sin6_addr, &b->in6.sin6_addr, 16) == 0;
}

bool
is_wildcard(const union addr *a)
{
	return addr_is(a, a->sa.sa_family == AF_INET ? "0.0.0.0" : "::");
}

/* The port of ARG, or -1 (the attempt is then skipped). */
int
arg_port(const char *arg)
{
	char *end;
	long v;

	if (arg == NULL)
		return -1;
	v = strtol(arg, &end, 10);
	return *end == '\0' && v > 0 && v < 65536 ? (int)v : -1;
}

/* "ADDR:PORT" of ARG into *a; -1 if it is not one. */
int
arg_addr(const char *arg, union addr *a)
{
	char ip[64];
	const char *colon = arg != NULL ? strrchr(arg, ':') : NULL;
	int port = colon != NULL ? arg_port(colon + 1) : -1;

	if (port < 0 || (size_t)(colon - arg) >= sizeof(ip))
		return -1;
	memcpy(ip, arg, (size_t)(colon - arg));
	ip[colon - arg] = '\0';
	addr_set(a, AF_INET, ip, (unsigned)port);
	return a->in.sin_addr.s_addr != 0 ? 0 : -1;
}

int
no_arg(const char *what)
{
	note("no %s given", what);
	return P_SKIP;
}

void
close_fd(int *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
	*fd = -1;
}

/* A socket of family and type, or -1 with errno. */
int
sock(int family, int type, int proto)
{
	return socket(family, type | SOCK_CLOEXEC, proto);
}

int
sockname(int fd, union addr *a)
{
	socklen_t len = sizeof(*a);

	memset(a, 0, sizeof(*a));
	return getsockname(fd, &a->sa, &len);
}

int
on(int fd, int level, int opt)
{
	int one = 1;

	return setsockopt(fd, level, opt, &one, sizeof(one));
}

/*
 * The jail's own address of family: where a wildcard bind lands (ip4=new
 * and ip6=new put it on the jail's first address).  A jail that keeps the
 * wildcard (ip4=inherit) uses the loopback.  0, or the errno that refused
 * the socket.
 */
int
own_addr(int family, union addr *ret)
{
	union addr any;
	int fd, r = 0;

	addr_set(&any, family, family == AF_INET ? "0.0.0.0" : "::", 0);
	fd = sock(family, SOCK_DGRAM, 0);
	if (fd < 0)
		return fail_errno(family == AF_INET ? "socket(AF_INET)" :
		    "socket(AF_INET6)");
	if (bind(fd, &any.sa, addr_len(&any)) < 0 || sockname(fd, ret) < 0)
		r = fail_errno("bind to the wildcard address");
	(void)close(fd);
	if (r == 0 && is_wildcard(ret))
		addr_set(ret, family, family == AF_INET ? "127.0.0.1" : "::1",
		    0);
	return r;
}

/* A UDP socket bound to the jail's own address; its address in *a. */
int
own_receiver(int family, union addr *a)
{
	int fd, r = own_addr(family, a);

	if (r != 0)
		return -r;
	fd = sock(family, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, &a->sa, addr_len(a)) < 0 || sockname(fd, a) < 0) {
		r = setup_error("a receiver on the jail's own address");
		close_fd(&fd);
		return P_ERROR;
	}
	return fd;
}

/*
 * Wait up to ms for datagrams on fd; 1 if one came from forged (noted),
 * 0 if none did.
 */
int
arrived_from(int fd, const union addr *forged, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[256];
	union addr from;
	socklen_t len;

	while (poll(&p, 1, ms) == 1) {
		len = sizeof(from);
		if (recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, &from.sa,
		    &len) < 0)
			break;
		if (same_host(&from, forged)) {
			note("a datagram arrived from %s, an address of the "
			    "host's, not the jail's", addr_text(&from));
			return 1;
		}
		ms = 100;
	}
	return 0;
}


void
outcome_add(struct outcome *o, int r, const char *what)
{
	if (r < 0 && o->err == 0) {
		o->err = errno;
		o->what = what;
	}
}

/* Nothing forged arrived: the refusal seen, or P_DENIED. */
int
outcome_end(const struct outcome *o, const char *forged)
{
	if (o->err != 0) {
		note("%s: %s", o->what, strerror(o->err));
		return o->err;
	}
	note("nothing arrived from %s", forged);
	return P_DENIED;
}
