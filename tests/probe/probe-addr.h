// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-addr.h: what probe-addr.c gives the network probes.
 */
#ifndef PROBE_ADDR_H
#define PROBE_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <sys/socket.h>

#ifndef IP_FREEBIND
#define IP_FREEBIND 15
#endif
#ifndef IP_TRANSPARENT
#define IP_TRANSPARENT 19
#endif
#ifndef IPV6_FREEBIND
#define IPV6_FREEBIND 78
#endif

/* Any address, v4 or v6, as one type. */
union addr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	struct sockaddr_storage ss;
};


/* A port-in-use or refused outcome of an attempt, and what it was. */
struct outcome {
	int err;		/* first errno, or 0 */
	const char *what;
};

socklen_t addr_len(const union addr *a);
const char *addr_text(const union addr *a);
void addr_set(union addr *a, int family, const char *ip, unsigned port);
bool addr_is(const union addr *a, const char *ip);
bool same_host(const union addr *a, const union addr *b);
bool is_wildcard(const union addr *a);
int arg_port(const char *arg);
int arg_addr(const char *arg, union addr *a);
int no_arg(const char *what);
void close_fd(int *fd);
int sock(int family, int type, int proto);
int sockname(int fd, union addr *a);
int on(int fd, int level, int opt);
int own_addr(int family, union addr *ret);
int own_receiver(int family, union addr *a);
int arrived_from(int fd, const union addr *forged, int ms);
void outcome_add(struct outcome *o, int r, const char *what);
int outcome_end(const struct outcome *o, const char *forged);

#endif
