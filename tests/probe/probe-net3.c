// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-net3.c: what a jail sees of the host's sockets: the socket
 * tables of procfs's net directories and a sock_diag dump.
 *
 * The host's sockets to look for are the test's: a TCP listener whose
 * port is the argument, and the abstract unix socket named by
 * GAOL_HOST_ABSTRACT (probe.sh).  Seeing either is an escape: the jail
 * would learn every service and connection of the host.  Reading tables
 * that list only the jail's own sockets is not.  Nothing is sent
 * anywhere; every socket is closed before the attempt returns.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

/* What to look for: the listener's port, the abstract name. */
struct host_marks {
	int port;		/* or -1 */
	const char *abstract;	/* or NULL */
	char port_hex[16];	/* ":1FFD " as procfs prints a port */
	char at_name[128];	/* " @name" as /proc/net/unix prints it */
};

/* The marks the test gave: ARG a port, GAOL_HOST_ABSTRACT a name. */
static int
host_marks(const char *arg, struct host_marks *m)
{
	char *end = NULL;
	long v = arg != NULL ? strtol(arg, &end, 10) : -1;

	memset(m, 0, sizeof(*m));
	m->port = arg != NULL && *end == '\0' && v > 0 && v < 65536 ?
	    (int)v : -1;
	m->abstract = getenv("GAOL_HOST_ABSTRACT");
	if (m->abstract != NULL && *m->abstract == '\0')
		m->abstract = NULL;
	if (m->port < 0 && m->abstract == NULL) {
		note("neither a host listener's port nor GAOL_HOST_ABSTRACT "
		    "to look for");
		return P_SKIP;
	}
	(void)snprintf(m->port_hex, sizeof(m->port_hex), ":%04X ",
	    (unsigned)(m->port > 0 ? m->port : 0));
	(void)snprintf(m->at_name, sizeof(m->at_name), " @%s",
	    m->abstract != NULL ? m->abstract : "");
	return 0;
}

/* Does a line of a procfs socket table name one of the host's? */
static bool
line_is_hosts(const struct host_marks *m, const char *line, bool unix_table)
{
	if (unix_table)
		return m->abstract != NULL && strstr(line, m->at_name) != NULL;
	return m->port > 0 && strstr(line, m->port_hex) != NULL;
}

/*
 * Read the table at path: 0 if it opened (*found set if it lists one of
 * the host's sockets, noted), else the errno.
 */
static int
read_table(const struct host_marks *m, const char *path, bool unix_table,
    bool *found)
{
	char line[512];
	FILE *f = fopen(path, "re");
	int lines = 0;

	if (f == NULL)
		return errno;
	while (!*found && fgets(line, sizeof(line), f) != NULL) {
		if (lines++ == 0 || !line_is_hosts(m, line, unix_table))
			continue;
		line[strcspn(line, "\n")] = '\0';
		note("%s lists the host's %s: %.100s", path, unix_table ?
		    "abstract socket" : "listener", line);
		*found = true;
	}
	fclose(f);
	return 0;
}

static const char *const socket_tables[] = { "tcp", "tcp6", "udp", "udp6",
	"udplite", "udplite6", "raw", "raw6", "icmp", "icmp6", "unix",
	"packet", "netlink" };

/*
 * net-proc-net [PORT]: the socket tables of procfs's net directories,
 * /proc/net, /proc/self/net, pid 1's, its own pid's and a thread's
 * (each shows the network namespace of that process): none may list the
 * host's listener on PORT or its abstract socket GAOL_HOST_ABSTRACT.
 */
int
probe_net_proc_net(const char *arg)
{
	char dirs[5][64], path[128];
	struct host_marks m;
	int first = 0, opened = 0, r;
	bool found = false;

	if ((r = host_marks(arg, &m)) != 0)
		return r;
	if (access("/proc/self/status", R_OK) < 0) {
		note("no procfs in the jail");
		return P_SKIP;
	}
	(void)snprintf(dirs[0], sizeof(dirs[0]), "/proc/net");
	(void)snprintf(dirs[1], sizeof(dirs[1]), "/proc/self/net");
	(void)snprintf(dirs[2], sizeof(dirs[2]), "/proc/1/net");
	(void)snprintf(dirs[3], sizeof(dirs[3]), "/proc/%ld/net",
	    (long)getpid());
	(void)snprintf(dirs[4], sizeof(dirs[4]), "/proc/self/task/%ld/net",
	    (long)getpid());
	for (size_t d = 0; !found && d < nitems(dirs); d++)
		for (size_t t = 0; !found && t < nitems(socket_tables); t++) {
			(void)snprintf(path, sizeof(path), "%s/%s", dirs[d],
			    socket_tables[t]);
			r = read_table(&m, path,
			    strcmp(socket_tables[t], "unix") == 0, &found);
			if (r == 0)
				opened++;
			else if (first == 0 && r != ENOENT)
				first = r;
		}
	if (found)
		return 0;
	if (opened > 0) {
		note("%d socket tables read: none lists the host's sockets",
		    opened);
		return P_DENIED;
	}
	note("no socket table of /proc/net opened");
	return first != 0 ? first : ENOENT;
}

/* Send one sock_diag dump request of len bytes. */
static int
diag_send(int fd, void *req, size_t len)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };

	return sendto(fd, req, len, 0, (struct sockaddr *)&nl,
	    sizeof(nl)) < 0 ? -1 : 0;
}

/* Does one sock_diag answer name the host's listener or socket? */
static bool
diag_is_hosts(const struct host_marks *m, struct nlmsghdr *h, int family)
{
	struct unix_diag_msg *u = NLMSG_DATA(h);
	struct rtattr *a = (struct rtattr *)(u + 1);
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*u));

	if (family != AF_UNIX) {
		const struct inet_diag_msg *d = NLMSG_DATA(h);

		return m->port > 0 && ntohs(d->id.idiag_sport) == m->port;
	}
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		const char *name = RTA_DATA(a);
		size_t n = RTA_PAYLOAD(a);

		if (a->rta_type != UNIX_DIAG_NAME || n < 2 || name[0] != '\0' ||
		    m->abstract == NULL)
			continue;
		if (n - 1 == strlen(m->abstract) &&
		    memcmp(name + 1, m->abstract, n - 1) == 0)
			return true;
	}
	return false;
}

/* Read a dump's answers to its end: 1 if one is the host's, else 0. */
static int
diag_read(int fd, const struct host_marks *m, int family, int *count)
{
	static char buf[32768];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		int len = (int)n;

		if (n <= 0)
			return 0;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf;
		     NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR)
				return 0;
			(*count)++;
			if (diag_is_hosts(m, h, family))
				return 1;
		}
	}
}

/* One dump of family (TCP of AF_INET/AF_INET6, or AF_UNIX); 1: host's. */
static int
diag_dump(int fd, const struct host_marks *m, int family, int *count)
{
	struct {
		struct nlmsghdr h;
		union {
			struct inet_diag_req_v2 in;
			struct unix_diag_req un;
		} r;
	} req;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	if (family == AF_UNIX) {
		req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.r.un));
		req.r.un.sdiag_family = AF_UNIX;
		req.r.un.udiag_states = ~0U;
		req.r.un.udiag_show = UDIAG_SHOW_NAME;
	} else {
		req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.r.in));
		req.r.in.sdiag_family = (__u8)family;
		req.r.in.sdiag_protocol = IPPROTO_TCP;
		req.r.in.idiag_states = ~0U;
	}
	if (diag_send(fd, &req, req.h.nlmsg_len) < 0)
		return -1;
	return diag_read(fd, m, family, count);
}

/*
 * net-sock-diag [PORT]: a NETLINK_SOCK_DIAG dump of TCP sockets (IPv4,
 * IPv6) and unix sockets with their names (ss -t, ss -x): none may be
 * the host's listener on PORT or its abstract socket GAOL_HOST_ABSTRACT.
 * Refused outright where the jail's namespace is the host's.
 */
int
probe_net_sock_diag(const char *arg)
{
	static const int families[] = { AF_INET, AF_INET6, AF_UNIX };
	struct host_marks m;
	int fd, r, count = 0;

	if ((r = host_marks(arg, &m)) != 0)
		return r;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return fail_errno("socket NETLINK_SOCK_DIAG");
	for (size_t i = 0; i < nitems(families); i++) {
		r = diag_dump(fd, &m, families[i], &count);
		if (r < 0) {
			r = setup_error("a sock_diag dump");
			break;
		}
		if (r > 0) {
			note("sock_diag lists the host's %s",
			    families[i] == AF_UNIX ? "abstract socket" :
			    "listener");
			r = 0;
			break;
		}
		r = P_DENIED;
	}
	(void)close(fd);
	if (r == P_DENIED)
		note("%d sockets listed: none is the host's", count);
	return r;
}

/* The descriptor flags of fd: FD_CLOEXEC and O_NONBLOCK, as "cn". */
static void
fd_flags(int fd, char *buf)
{
	int fdf = fcntl(fd, F_GETFD), fl = fcntl(fd, F_GETFL);

	buf[0] = fdf >= 0 && (fdf & FD_CLOEXEC) ? 'c' : '-';
	buf[1] = fl >= 0 && (fl & O_NONBLOCK) ? 'n' : '-';
	buf[2] = '\0';
}

/*
 * net-sock-flags: an IPv4 socket (made by the jail's socket broker on
 * the host's stack) keeps the SOCK_CLOEXEC and SOCK_NONBLOCK asked for,
 * and has neither when not asked.
 */
int
probe_net_sock_flags(const char *arg)
{
	int a = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int b = a < 0 ? -1 : socket(AF_INET, SOCK_DGRAM, 0);
	char fa[3] = "", fb[3] = "";
	int r = 0;

	(void)arg;
	if (a < 0 && errno == EAFNOSUPPORT) {
		note("no IPv4 socket in this jail");
		return P_SKIP;
	}
	if (a < 0 || b < 0)
		r = fail_errno("socket(AF_INET)");
	if (r == 0) {
		fd_flags(a, fa);
		fd_flags(b, fb);
		note("flags %s and %s (cloexec, nonblock)", fa, fb);
		r = strcmp(fa, "cn") == 0 && strcmp(fb, "--") == 0 ? 0 :
		    P_ERROR;
	}
	if (a >= 0)
		(void)close(a);
	if (b >= 0)
		(void)close(b);
	return r;
}

/*
 * net-ping-dgram run: an ICMP datagram socket, which the kernel lets only
 * a group of net.ipv4.ping_group_range make (its egid or one of its
 * groups): 0, or EACCES.  What it should be depends on the range the
 * test set: only tried when asked ("run"), with its expectation.
 */
int
probe_net_ping_dgram(const char *arg)
{
	int fd;

	if (arg == NULL || strcmp(arg, "run") != 0) {
		note("only with the argument run");
		return P_SKIP;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (fd < 0)
		return fail_errno("socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)");
	(void)close(fd);
	return 0;
}
