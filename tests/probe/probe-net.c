// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-net.c: sockets: raw IP sockets, packet sockets and the other
 * address families outside IPv4, IPv6, local and netlink, a listening
 * abstract unix socket of the host, the host's interfaces.
 *
 * No packet is ever sent: sockets are created and closed.  A family whose
 * protocol is not registered (/proc/net/protocols) is not tried, since
 * socket() could then make the kernel load a module on the host.  The
 * only connection made is to the abstract name the test listens on (and
 * to the probe's own, in its own check), and between two sessions of the
 * same jail (abstract-listen, abstract-jail).
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_ether.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif
#ifndef AF_KCM
#define AF_KCM 41
#endif

/* raw / raw6: an ICMP raw socket needs CAP_NET_RAW (allow.raw_sockets). */
int
probe_raw_socket(const char *arg)
{
	(void)arg;
	return fd_outcome(socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC,
	    IPPROTO_ICMP), "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)");
}

int
probe_raw6_socket(const char *arg)
{
	(void)arg;
	return fd_outcome(socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC,
	    IPPROTO_ICMPV6), "socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6)");
}

/*
 * One address family: the filter answers EAFNOSUPPORT unless
 * allow.socket_af; past it, the family's own checks apply (CAP_NET_RAW
 * for packet and XDP sockets, CAP_NET_ADMIN for PF_KEY).
 */
static int
try_family(const char *proto, int domain, int type, int protocol,
    const char *what)
{
	if (!proto_registered(proto)) {
		note("%s: this kernel has no %s protocol", what, proto);
		return P_SKIP;
	}
	return fd_outcome(socket(domain, type | SOCK_CLOEXEC, protocol), what);
}

int
probe_af_packet(const char *arg)
{
	(void)arg;
	return try_family("PACKET", AF_PACKET, SOCK_RAW, htons(ETH_P_ALL),
	    "socket(AF_PACKET, SOCK_RAW)");
}

int
probe_af_xdp(const char *arg)
{
	(void)arg;
	return try_family("XDP", AF_XDP, SOCK_RAW, 0, "socket(AF_XDP)");
}

int
probe_af_vsock(const char *arg)
{
	(void)arg;
	return try_family("AF_VSOCK", AF_VSOCK, SOCK_STREAM, 0,
	    "socket(AF_VSOCK)");
}

int
probe_af_alg(const char *arg)
{
	(void)arg;
	return try_family("ALG", AF_ALG, SOCK_SEQPACKET, 0, "socket(AF_ALG)");
}

int
probe_af_bluetooth(const char *arg)
{
	(void)arg;
	return try_family("HCI", AF_BLUETOOTH, SOCK_RAW, 1 /* BTPROTO_HCI */,
	    "socket(AF_BLUETOOTH, BTPROTO_HCI)");
}

int
probe_af_key(const char *arg)
{
	(void)arg;
	return try_family("KEY", AF_KEY, SOCK_RAW, 2 /* PF_KEY_V2 */,
	    "socket(AF_KEY)");
}

int
probe_af_tipc(const char *arg)
{
	(void)arg;
	return try_family("TIPC", AF_TIPC, SOCK_RDM, 0, "socket(AF_TIPC)");
}

int
probe_af_can(const char *arg)
{
	(void)arg;
	return try_family("CAN_RAW", AF_CAN, SOCK_RAW, 1 /* CAN_RAW */,
	    "socket(AF_CAN)");
}

int
probe_af_rds(const char *arg)
{
	(void)arg;
	return try_family("RDS", AF_RDS, SOCK_SEQPACKET, 0, "socket(AF_RDS)");
}

int
probe_af_kcm(const char *arg)
{
	(void)arg;
	return try_family("KCM", AF_KCM, SOCK_DGRAM, 0, "socket(AF_KCM)");
}

int
probe_af_appletalk(const char *arg)
{
	(void)arg;
	return try_family("DDP", AF_APPLETALK, SOCK_DGRAM, 0,
	    "socket(AF_APPLETALK)");
}

int
probe_af_x25(const char *arg)
{
	(void)arg;
	return try_family("X25", AF_X25, SOCK_SEQPACKET, 0, "socket(AF_X25)");
}

/* An abstract address for name; its length in *len. */
static void
abstract_addr(struct sockaddr_un *sun, socklen_t *len, const char *name)
{
	size_t n = strlen(name);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (n > sizeof(sun->sun_path) - 1)
		n = sizeof(sun->sun_path) - 1;
	memcpy(sun->sun_path + 1, name, n);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

/* Connect a fresh stream socket to an abstract name: 0 or errno. */
static int
connect_abstract(const char *name)
{
	struct sockaddr_un sun;
	socklen_t len;
	int fd, r;

	abstract_addr(&sun, &len, name);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return setup_error("socket(AF_UNIX)");
	r = connect(fd, (struct sockaddr *)&sun, len);
	r = r == 0 ? 0 : fail_errno("connect to the abstract socket");
	(void)close(fd);
	return r;
}

/*
 * abstract-host: the host listens on the abstract name GAOL_HOST_ABSTRACT.
 * Abstract names belong to a network namespace: a jail with one of its
 * own does not find it (ECONNREFUSED); one sharing the host's (ip4 and
 * ip6 "inherit") does, and Landlock's scoping must refuse (EPERM).
 */
int
probe_abstract_host(const char *arg)
{
	const char *name = getenv("GAOL_HOST_ABSTRACT");
	int r;

	(void)arg;
	if (name == NULL || *name == '\0') {
		note("GAOL_HOST_ABSTRACT is not set");
		return P_SKIP;
	}
	r = connect_abstract(name);
	if (r == 0)
		note("connected to the host's @%s", name);
	return r;
}

/* abstract-self: the jail's own abstract sockets keep working. */
int
probe_abstract_self(const char *arg)
{
	struct sockaddr_un sun;
	char name[64];
	socklen_t len;
	int fd, r;

	(void)arg;
	(void)snprintf(name, sizeof(name), "gaol-probe-self.%ld",
	    (long)getpid());
	abstract_addr(&sun, &len, name);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return setup_error("socket(AF_UNIX)");
	if (bind(fd, (struct sockaddr *)&sun, len) < 0 || listen(fd, 1) < 0) {
		r = setup_error("bind/listen");
		(void)close(fd);
		return r;
	}
	r = connect_abstract(name);
	(void)close(fd);
	if (r == 0)
		note("connected to its own @%s", name);
	return r == 0 ? 0 : P_ERROR;
}

/* abstract-listen's socket, kept open for its linger. */
static int listen_fd = -1;

/* The name the two sessions of a jail share: GAOL_JAIL_ABSTRACT. */
static const char *
jail_abstract(void)
{
	const char *name = getenv("GAOL_JAIL_ABSTRACT");

	return name != NULL && *name != '\0' ? name : NULL;
}

/*
 * abstract-listen: listen on the abstract name GAOL_JAIL_ABSTRACT (or one
 * of its own), for abstract-jail in another session of the same jail.
 */
int
probe_abstract_listen(const char *arg)
{
	const char *name = jail_abstract();
	struct sockaddr_un sun;
	char own[64];
	socklen_t len;

	(void)arg;
	if (name == NULL) {
		(void)snprintf(own, sizeof(own), "gaol-probe-listen.%ld",
		    (long)getpid());
		name = own;
	}
	abstract_addr(&sun, &len, name);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		return setup_error("socket(AF_UNIX)");
	if (bind(listen_fd, (struct sockaddr *)&sun, len) < 0 ||
	    listen(listen_fd, 4) < 0)
		return setup_error("bind/listen");
	note("listening on @%s", name);
	return 0;
}

/* After abstract-listen SECONDS: accept one connection, or give up. */
void
abstract_listen_linger(const char *arg)
{
	struct pollfd p = { .fd = listen_fd, .events = POLLIN };
	int c;

	if (arg != NULL && listen_fd >= 0 &&
	    poll(&p, 1, atoi(arg) * 1000) == 1 &&
	    (c = accept(listen_fd, NULL, NULL)) >= 0) {
		printf("abstract-listen: accepted\n");
		fflush(stdout);
		(void)close(c);
	}
	if (listen_fd >= 0)
		(void)close(listen_fd);
	listen_fd = -1;
}

/*
 * abstract-jail: connect to GAOL_JAIL_ABSTRACT, which another session of
 * the same jail listens on (abstract-listen): one Landlock domain per
 * jail, not per session.
 */
int
probe_abstract_jail(const char *arg)
{
	const char *name = jail_abstract();
	int r;

	(void)arg;
	if (name == NULL) {
		note("GAOL_JAIL_ABSTRACT is not set");
		return P_SKIP;
	}
	r = connect_abstract(name);
	if (r == 0)
		note("connected to the jail's @%s", name);
	return r;
}

/*
 * ifflags: set lo's flags to what they are: CAP_NET_ADMIN.  Interface
 * ioctls work on a socket of any family: a local one, which a jail
 * without IPv4 still has.
 */
int
probe_ifflags(const char *arg)
{
	struct ifreq ifr;
	int fd, r;

	(void)arg;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return setup_error("socket(AF_UNIX)");
	memset(&ifr, 0, sizeof(ifr));
	(void)snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		r = setup_error("SIOCGIFFLAGS lo");
	else if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		r = fail_errno("SIOCSIFFLAGS lo");
	else {
		note("SIOCSIFFLAGS lo (its own flags) succeeded");
		r = 0;
	}
	(void)close(fd);
	return r;
}
