// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-net2.c: the addresses a jail uses on the host's network stack
 * (ip4/ip6); writes into another process's memory through /proc/PID/mem.
 *
 * Item by item: the host's loopback (connect, bind, an SO_REUSEPORT
 * takeover of a host listener, a port below 1024 on every address), a
 * source address the jail does not have (IP_PKTINFO, IPV6_PKTINFO with
 * IPV6_FREEBIND, IP_HDRINCL, IP_TRANSPARENT, IP_FREEBIND), the implicit
 * binds of sendto and listen on unbound sockets.  (What the jail sees of
 * the host's sockets: probe-net3.c.)
 *
 * Traffic stays on the loopback of the network namespace the test made:
 * a forged datagram is sent to the probe's own socket on the jail's own
 * address, which tells what source it arrived with; the host's listeners
 * and reflector are the test's, named by the argument.  Nothing is sent
 * to 192.0.2.0/24 or 2001:db8::/32 (documentation prefixes): they are only
 * forged as sources.  Every socket is closed before the attempt returns.
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

/* -- the host's loopback ------------------------------------------------- */

/* After bind (and listen): where did it land?  0 on the host's loopback. */
static int
landed(int fd, const char *host_ip, const char *what)
{
	union addr a;

	if (sockname(fd, &a) < 0)
		return setup_error("getsockname");
	if (addr_is(&a, host_ip) || is_wildcard(&a)) {
		note("%s: bound %s", what, addr_text(&a));
		return 0;
	}
	note("%s: landed on the jail's own %s", what, addr_text(&a));
	return P_DENIED;
}

/* bind (SO_REUSEPORT first if asked) and listen on ip:port. */
static int
bind_listen(int family, const char *ip, int port, bool reuseport,
    const char *what)
{
	union addr a;
	int fd, r;

	addr_set(&a, family, ip, (unsigned)port);
	fd = sock(family, SOCK_STREAM, 0);
	if (fd < 0)
		return fail_errno(what);
	if (reuseport && on(fd, SOL_SOCKET, SO_REUSEPORT) < 0)
		r = setup_error("SO_REUSEPORT");
	else if (bind(fd, &a.sa, addr_len(&a)) < 0 || listen(fd, 1) < 0)
		r = fail_errno(what);
	else
		r = landed(fd, ip, what);
	(void)close(fd);
	return r;
}

/* The IPv4 outcome, unless the IPv6 one got further (0, or past a check). */
static int
both_families(int r4, int r6, const int *refusals)
{
	if (r6 == 0 || r6 == P_ERROR)
		return r6;
	for (size_t i = 0; refusals[i] != 0; i++)
		if (r6 == refusals[i] || r6 == P_DENIED)
			return r4;
	return r4 == 0 ? r4 : r6;
}

static const int lo_refusals[] = { EAFNOSUPPORT, EADDRNOTAVAIL, EPERM,
	EACCES, 0 };

/* net-lo-bind PORT: bind the host's 127.0.0.1:PORT (and [::1]:PORT). */
int
probe_net_lo_bind(const char *arg)
{
	char w4[64], w6[64];
	int port = arg_port(arg), r4, r6;

	if (port < 0)
		return no_arg("port");
	(void)snprintf(w4, sizeof(w4), "bind 127.0.0.1:%d", port);
	(void)snprintf(w6, sizeof(w6), "bind [::1]:%d", port);
	r4 = bind_listen(AF_INET, "127.0.0.1", port, false, w4);
	if (r4 != 0 && r4 != P_ERROR) {
		char n4[256];

		(void)snprintf(n4, sizeof(n4), "%s", note_text());
		r6 = bind_listen(AF_INET6, "::1", port, false, w6);
		if (both_families(r4, r6, lo_refusals) == r4)
			note("%s", n4);
		return both_families(r4, r6, lo_refusals);
	}
	return r4;
}

/*
 * net-reuseport PORT: join the SO_REUSEPORT group of the host's listener
 * on 127.0.0.1:PORT (same uid 0): the jail would take a share of its
 * connections.
 */
int
probe_net_reuseport(const char *arg)
{
	char what[64];
	int port = arg_port(arg);

	if (port < 0)
		return no_arg("port");
	(void)snprintf(what, sizeof(what), "SO_REUSEPORT bind 127.0.0.1:%d",
	    port);
	return bind_listen(AF_INET, "127.0.0.1", port, true, what);
}

/* net-low-port PORT: a port below 1024 on every address of the host. */
int
probe_net_low_port(const char *arg)
{
	char w4[64], w6[64];
	int port = arg_port(arg), r4, r6;

	if (port < 0)
		return no_arg("port");
	(void)snprintf(w4, sizeof(w4), "bind 0.0.0.0:%d", port);
	(void)snprintf(w6, sizeof(w6), "bind [::]:%d", port);
	r4 = bind_listen(AF_INET, "0.0.0.0", port, false, w4);
	if (r4 != 0 && r4 != P_ERROR) {
		char n4[256];

		(void)snprintf(n4, sizeof(n4), "%s", note_text());
		r6 = bind_listen(AF_INET6, "::", port, false, w6);
		if (both_families(r4, r6, lo_refusals) == r4)
			note("%s", n4);
		return both_families(r4, r6, lo_refusals);
	}
	return r4;
}

/* net-lo-connect PORT: reach the host's service on 127.0.0.1:PORT. */
int
probe_net_lo_connect(const char *arg)
{
	union addr a, peer;
	socklen_t len = sizeof(peer);
	int port = arg_port(arg), fd, r;

	if (port < 0)
		return no_arg("port");
	addr_set(&a, AF_INET, "127.0.0.1", (unsigned)port);
	fd = sock(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return fail_errno("socket(AF_INET)");
	if (connect(fd, &a.sa, addr_len(&a)) < 0)
		r = fail_errno("connect to 127.0.0.1");
	else if (getpeername(fd, &peer.sa, &len) < 0)
		r = setup_error("getpeername");
	else if (addr_is(&peer, "127.0.0.1")) {
		note("connected to the host's %s", addr_text(&peer));
		r = 0;
	} else {
		note("127.0.0.1 is the jail's own %s", addr_text(&peer));
		r = P_DENIED;
	}
	(void)close(fd);
	return r;
}

/* -- source addresses ---------------------------------------------------- */

/* sendmsg to dst with a PKTINFO control message naming src as source. */
static int
send_pktinfo(int fd, const union addr *dst, const union addr *src)
{
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))] = { 0 };
	struct iovec iov = { .iov_base = "forged", .iov_len = 6 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf };
	struct cmsghdr *c = (struct cmsghdr *)cbuf;

	if (dst != NULL) {
		m.msg_name = (void *)&dst->sa;
		m.msg_namelen = addr_len(dst);
	}
	if (src->sa.sa_family == AF_INET) {
		struct in_pktinfo pi = { .ipi_spec_dst = src->in.sin_addr };

		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		m.msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		struct in6_pktinfo pi = { .ipi6_addr = src->in6.sin6_addr };

		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		m.msg_controllen = CMSG_SPACE(sizeof(pi));
	}
	return sendmsg(fd, &m, 0) < 0 ? -1 : 0;
}

/*
 * The same forged source, unconnected then connected (a connected socket
 * passes no cgroup sendmsg hook): opt, if not 0, set on both first.
 */
static void
pktinfo_both(const union addr *dst, const union addr *forged, int level,
    int opt, struct outcome *o)
{
	int fd = sock(dst->sa.sa_family, SOCK_DGRAM, 0);

	if (fd >= 0 && opt != 0)
		outcome_add(o, on(fd, level, opt), "setsockopt");
	if (fd >= 0)
		outcome_add(o, send_pktinfo(fd, dst, forged),
		    "sendmsg with a forged source, unconnected");
	close_fd(&fd);
	fd = sock(dst->sa.sa_family, SOCK_DGRAM, 0);
	if (fd >= 0 && opt != 0)
		outcome_add(o, on(fd, level, opt), "setsockopt");
	if (fd >= 0 && connect(fd, &dst->sa, addr_len(dst)) == 0)
		outcome_add(o, send_pktinfo(fd, NULL, forged),
		    "sendmsg with a forged source, connected");
	close_fd(&fd);
}

/*
 * net-pktinfo: a datagram to the jail's own socket whose source, chosen
 * with IP_PKTINFO, is the host's 127.0.0.1 (any local address is taken).
 */
int
probe_net_pktinfo(const char *arg)
{
	struct outcome o = { 0, NULL };
	union addr dst, forged;
	int rx = own_receiver(AF_INET, &dst), r;

	(void)arg;
	if (rx < 0)
		return rx == P_ERROR ? P_ERROR : -rx;
	addr_set(&forged, AF_INET, addr_is(&dst, "127.0.0.1") ? "127.0.0.2" :
	    "127.0.0.1", 0);
	pktinfo_both(&dst, &forged, 0, 0, &o);
	r = arrived_from(rx, &forged, 500) ? 0 :
	    outcome_end(&o, addr_text(&forged));
	(void)close(rx);
	return r;
}

/*
 * net-pktinfo6: the same with IPV6_PKTINFO; IPV6_FREEBIND (no privilege)
 * lets the source be any address, here 2001:db8::1.
 */
int
probe_net_pktinfo6(const char *arg)
{
	struct outcome o = { 0, NULL };
	union addr dst, forged;
	int rx = own_receiver(AF_INET6, &dst), r;

	(void)arg;
	if (rx < 0)
		return rx == P_ERROR ? P_ERROR : -rx;
	addr_set(&forged, AF_INET6, "2001:db8::1", 0);
	pktinfo_both(&dst, &forged, IPPROTO_IPV6, IPV6_FREEBIND, &o);
	r = arrived_from(rx, &forged, 500) ? 0 :
	    outcome_end(&o, addr_text(&forged));
	(void)close(rx);
	return r;
}

/* One's complement sum for the IPv4 header checksum. */
static uint16_t
ip_sum(const void *p, size_t n)
{
	const uint16_t *w = p;
	uint32_t s = 0;

	for (; n > 1; n -= 2)
		s += *w++;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/*
 * net-hdrincl: a raw socket (allow.raw_sockets) writes its own IPv4
 * header: a UDP datagram from 127.0.0.1 (the host's) to the jail's socket.
 */
int
probe_net_hdrincl(const char *arg)
{
	struct {
		struct iphdr ip;
		struct udphdr udp;
		char data[8];
	} pkt;
	struct outcome o = { 0, NULL };
	union addr dst, forged;
	int rx = own_receiver(AF_INET, &dst), fd, r;

	(void)arg;
	if (rx < 0)
		return rx == P_ERROR ? P_ERROR : -rx;
	addr_set(&forged, AF_INET, addr_is(&dst, "127.0.0.1") ? "127.0.0.2" :
	    "127.0.0.1", 0);
	fd = sock(AF_INET, SOCK_RAW, IPPROTO_RAW);	/* IP_HDRINCL implied */
	if (fd < 0) {
		r = fail_errno("socket(AF_INET, SOCK_RAW, IPPROTO_RAW)");
		(void)close(rx);
		return r;
	}
	memset(&pkt, 0, sizeof(pkt));
	pkt.ip.version = 4;
	pkt.ip.ihl = 5;
	pkt.ip.ttl = 64;
	pkt.ip.protocol = IPPROTO_UDP;
	pkt.ip.tot_len = htons(sizeof(pkt));
	pkt.ip.saddr = forged.in.sin_addr.s_addr;
	pkt.ip.daddr = dst.in.sin_addr.s_addr;
	pkt.ip.check = ip_sum(&pkt.ip, sizeof(pkt.ip));
	pkt.udp.source = htons(9);
	pkt.udp.dest = dst.in.sin_port;
	pkt.udp.len = htons(sizeof(pkt.udp) + sizeof(pkt.data));
	memcpy(pkt.data, "forged!", 8);
	outcome_add(&o, (int)sendto(fd, &pkt, sizeof(pkt), 0, &dst.sa,
	    addr_len(&dst)) < 0 ? -1 : 0, "sendto with IP_HDRINCL");
	(void)close(fd);
	r = arrived_from(rx, &forged, 500) ? 0 :
	    outcome_end(&o, addr_text(&forged));
	(void)close(rx);
	return r;
}

/*
 * net-transparent: IP_TRANSPARENT (CAP_NET_RAW: allow.raw_sockets) lets
 * a socket bind, and send from, addresses no interface has: 192.0.2.1,
 * bound and as IP_PKTINFO source, to the jail's own socket.
 */
int
probe_net_transparent(const char *arg)
{
	struct outcome o = { 0, NULL };
	union addr dst, forged;
	int rx = own_receiver(AF_INET, &dst), fd, r;

	(void)arg;
	if (rx < 0)
		return rx == P_ERROR ? P_ERROR : -rx;
	addr_set(&forged, AF_INET, "192.0.2.1", 0);
	fd = sock(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || on(fd, IPPROTO_IP, IP_TRANSPARENT) < 0) {
		r = fd < 0 ? setup_error("socket") :
		    fail_errno("setsockopt IP_TRANSPARENT");
		close_fd(&fd);
		(void)close(rx);
		return r;
	}
	if (bind(fd, &forged.sa, addr_len(&forged)) < 0)
		outcome_add(&o, -1, "bind 192.0.2.1 with IP_TRANSPARENT");
	else
		outcome_add(&o, (int)sendto(fd, "forged", 6, 0, &dst.sa,
		    addr_len(&dst)) < 0 ? -1 : 0, "sendto from 192.0.2.1");
	close_fd(&fd);
	pktinfo_both(&dst, &forged, IPPROTO_IP, IP_TRANSPARENT, &o);
	r = arrived_from(rx, &forged, 500) ? 0 :
	    outcome_end(&o, addr_text(&forged));
	(void)close(rx);
	return r;
}

/* net-freebind: IP_FREEBIND (no privilege) and bind 192.0.2.1. */
int
probe_net_freebind(const char *arg)
{
	union addr a, got;
	int fd, r;

	(void)arg;
	addr_set(&a, AF_INET, "192.0.2.1", 0);
	fd = sock(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return fail_errno("socket(AF_INET)");
	if (on(fd, IPPROTO_IP, IP_FREEBIND) < 0)
		r = setup_error("setsockopt IP_FREEBIND");
	else if (bind(fd, &a.sa, addr_len(&a)) < 0)
		r = fail_errno("bind 192.0.2.1 with IP_FREEBIND");
	else if (sockname(fd, &got) < 0)
		r = setup_error("getsockname");
	else {
		note("bound %s, an address the jail does not have",
		    addr_text(&got));
		r = 0;
	}
	(void)close(fd);
	return r;
}

/* -- implicit binds ------------------------------------------------------ */

/*
 * Wait up to ms for what the reflector sends back; 1 if something came
 * to an address not the jail's (noted), 0 if not, -1 if the datagram sent
 * to the jail's own address never came (the reflector did not answer).
 */
static int
udp_replies(int fd, const union addr *own, int ms)
{
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))], buf[64];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	bool mine = false;

	while (poll(&p, 1, ms) == 1) {
		struct iovec iov = { buf, sizeof(buf) - 1 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *c;
		ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);

		if (n < 0)
			break;
		buf[n] = '\0';
		for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
			struct in_pktinfo pi;

			if (c->cmsg_level != IPPROTO_IP ||
			    c->cmsg_type != IP_PKTINFO)
				continue;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			if (pi.ipi_addr.s_addr != own->in.sin_addr.s_addr) {
				note("received \"%s\", sent to %s, an address "
				    "of the host's", buf,
				    inet_ntoa(pi.ipi_addr));
				return 1;
			}
			mine = true;
		}
	}
	return mine ? 0 : -1;
}

/*
 * net-autobind-udp ADDR:PORT: sendto on an unbound UDP socket binds it
 * implicitly.  getsockname must show the jail's address, and what the
 * test's reflector at ADDR:PORT sends back to 127.0.0.1 (the host's)
 * must not reach it; what it sends to the jail's address must.
 */
int
probe_net_autobind_udp(const char *arg)
{
	union addr refl, own, got;
	int fd, r;

	if (arg_addr(arg, &refl) < 0)
		return no_arg("reflector ADDR:PORT");
	r = own_addr(AF_INET, &own);
	if (r != 0)
		return r;
	fd = sock(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || on(fd, IPPROTO_IP, IP_PKTINFO) < 0)
		r = setup_error("an unbound UDP socket");
	else if (sendto(fd, "reflect", 7, 0, &refl.sa, addr_len(&refl)) < 0)
		r = fail_errno("sendto the reflector");
	else if (sockname(fd, &got) < 0)
		r = setup_error("getsockname");
	else if (!same_host(&got, &own)) {
		note("getsockname shows %s, not the jail's address",
		    addr_text(&got));
		r = 0;
	} else {
		r = udp_replies(fd, &own, 1500);
		if (r < 0)
			note("the reflector's datagram to %s never came",
			    addr_text(&got));
		else if (r == 0)
			note("bound %s; only what was sent there arrived",
			    addr_text(&got));
		r = r > 0 ? 0 : r < 0 ? P_ERROR : P_DENIED;
	}
	close_fd(&fd);
	return r;
}

/* Accept for up to ms; what came to an address not the jail's: 1. */
static int
tcp_accepts(int lfd, const union addr *own, int ms)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	bool mine = false;

	while (poll(&p, 1, ms) == 1) {
		union addr local;
		int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (c < 0)
			break;
		if (sockname(c, &local) == 0 && !same_host(&local, own)) {
			note("accepted a connection to %s, an address of the "
			    "host's", addr_text(&local));
			(void)close(c);
			return 1;
		}
		mine = true;
		(void)close(c);
		ms = 1500;
	}
	return mine ? 0 : -1;
}

/* Tell the reflector at refl which port to connect back to. */
static int
ask_reflector(const union addr *refl, unsigned port)
{
	char line[16];
	int fd = sock(AF_INET, SOCK_STREAM, 0), n, r = 0;

	n = snprintf(line, sizeof(line), "%u\n", port);
	if (fd < 0 || connect(fd, &refl->sa, addr_len(refl)) < 0 ||
	    write(fd, line, (size_t)n) != n)
		r = setup_error("ask the reflector");
	close_fd(&fd);
	return r;
}

/*
 * net-listen-unbound ADDR:PORT: listen on an unbound TCP socket (an
 * implicit bind).  getsockname must show the jail's address; the test's
 * reflector at ADDR:PORT then connects to 127.0.0.1 (the host's) and to
 * the jail's address on that port: only the second may be accepted.
 */
int
probe_net_listen_unbound(const char *arg)
{
	union addr refl, own, got;
	int fd, r;

	if (arg_addr(arg, &refl) < 0)
		return no_arg("reflector ADDR:PORT");
	r = own_addr(AF_INET, &own);
	if (r != 0)
		return r;
	fd = sock(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || listen(fd, 4) < 0)
		r = fd < 0 ? setup_error("socket") : fail_errno("listen");
	else if (sockname(fd, &got) < 0)
		r = setup_error("getsockname");
	else if (!same_host(&got, &own)) {
		note("getsockname shows %s, not the jail's address",
		    addr_text(&got));
		r = 0;
	} else if ((r = ask_reflector(&refl, ntohs(got.in.sin_port))) == 0) {
		r = tcp_accepts(fd, &own, 4000);
		if (r < 0)
			note("the reflector's connection to %s never came",
			    addr_text(&got));
		else if (r == 0)
			note("listening on %s; only connections to it came",
			    addr_text(&got));
		r = r > 0 ? 0 : r < 0 ? P_ERROR : P_DENIED;
	}
	close_fd(&fd);
	return r;
}

/* -- /proc/PID/mem ------------------------------------------------------- */

static volatile char mem_marker[16] = "untouched";

/* In the child: wait for the parent's word, then report the marker. */
static void
mem_child(int rfd)
{
	char c;

	(void)read(rfd, &c, 1);
	_exit(strcmp((const char *)mem_marker, "written") == 0 ? 0 : 1);
}

/*
 * proc-mem-write: write into a child's memory through /proc/CHILD/mem
 * (the marker, at the same address after fork); the child says whether
 * it changed.  allow.unprivileged_proc_debug=false must refuse it.
 */
int
probe_proc_mem_write(const char *arg)
{
	char path[64];
	int p[2], st, fd, r;
	pid_t pid;

	(void)arg;
	if (access("/proc/self/mem", F_OK) < 0) {
		note("no procfs in the jail");
		return P_SKIP;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		return setup_error("pipe");
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return setup_error("fork");
	if (pid == 0) {
		(void)close(p[1]);
		mem_child(p[0]);
	}
	(void)close(p[0]);
	(void)snprintf(path, sizeof(path), "/proc/%ld/mem", (long)pid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		r = fail_errno(path);
	else if (pwrite(fd, "written", 8, (off_t)(uintptr_t)mem_marker) != 8)
		r = fail_errno("write to the child's memory");
	else
		r = 0;
	if (fd >= 0)
		(void)close(fd);
	(void)write(p[1], "x", 1);
	(void)close(p[1]);
	if (waitpid(pid, &st, 0) < 0)
		return setup_error("waitpid");
	if (r == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		note("wrote into its child's memory through %s", path);
	else if (r == 0) {
		note("the write went through but the child saw no change");
		r = P_ERROR;
	}
	return r;
}
