// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-netns.c: a vnet jail's root against the network namespace its
 * lent interfaces came from.
 *
 * A veth lent to the jail has its peer outside, and rtnetlink shows that
 * namespace by an id of the jail's ("link-netnsid 0").  Requests naming
 * a namespace by such an id are checked against CAP_NET_ADMIN over it:
 * a jailed root that held the capability in the host's user namespace
 * could list the host's interfaces (IFLA_TARGET_NETNSID) or make a veth
 * with its peer there (IFLA_LINK_NETNSID).  Both must be refused.  The
 * list only reads; a veth made all the same is deleted at once (its peer
 * goes with it).
 */
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#define PROBE_VETH "gt-probe0"

struct req {
	struct nlmsghdr h;
	struct ifinfomsg ifm;
	char attrs[512];
};

/* Append attribute type with len bytes of data; its start, for nesting. */
static struct rtattr *
put(struct nlmsghdr *h, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)h +
	    NLMSG_ALIGN(h->nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len > 0)
		memcpy(RTA_DATA(a), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

/* Close a nested attribute opened by put(h, type, NULL, 0). */
static void
nest_end(struct nlmsghdr *h, struct rtattr *a)
{
	a->rta_len = (unsigned short)((char *)h + h->nlmsg_len - (char *)a);
}

static void
req_init(struct req *r, unsigned short type, unsigned short flags)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = NLMSG_LENGTH(sizeof(r->ifm));
	r->h.nlmsg_type = type;
	r->h.nlmsg_flags = NLM_F_REQUEST | flags;
	r->ifm.ifi_family = AF_UNSPEC;
}

/*
 * Send r and read the answers to the end.  0 if the kernel did it (a
 * dump's messages counted in *count), its errno if it refused.  Each
 * answer is passed to fn (may be NULL) with arg.
 */
static int
talk(struct req *r, int *count, void (*fn)(struct nlmsghdr *, void *),
    void *arg)
{
	static char buf[32768];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int e = 0;

	if (fd < 0)
		return errno;
	if (send(fd, r, r->h.nlmsg_len, 0) < 0) {
		e = errno;
		(void)close(fd);
		return e;
	}
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		int len = (int)n;

		if (n <= 0) {
			e = n < 0 ? errno : EIO;
			break;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf;
		     NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				/* a dump's error comes with its end */
				if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					e = -*(int *)NLMSG_DATA(h);
				goto out;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				e = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
				goto out;
			}
			if (count != NULL)
				(*count)++;
			if (fn != NULL)
				fn(h, arg);
		}
	}
out:
	(void)close(fd);
	return e;
}

/* IFLA_LINK_NETNSID of one link of a dump, into *(int *)arg. */
static void
find_nsid(struct nlmsghdr *h, void *arg)
{
	struct ifinfomsg *ifm = NLMSG_DATA(h);
	struct rtattr *a = IFLA_RTA(ifm);
	int len = (int)IFLA_PAYLOAD(h);

	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFLA_LINK_NETNSID &&
		    RTA_PAYLOAD(a) >= sizeof(int))
			memcpy(arg, RTA_DATA(a), sizeof(int));
}

/* The id the jail's namespace gives the one a lent link's peer is in. */
static int
peer_nsid(int *ret)
{
	struct req r;
	int e;

	*ret = -1;
	req_init(&r, RTM_GETLINK, NLM_F_DUMP);
	e = talk(&r, NULL, find_nsid, ret);
	if (e != 0) {
		errno = e;
		return setup_error("an rtnetlink dump of the jail's links");
	}
	if (*ret < 0) {
		note("no link here has its peer in another namespace");
		return P_SKIP;
	}
	return 0;
}

/* List the links of the namespace the lent veth's peer is in. */
int
probe_net_nsid_target(const char *arg)
{
	struct req r;
	int nsid, count = 0, e;

	(void)arg;
	e = peer_nsid(&nsid);
	if (e != 0)
		return e;
	req_init(&r, RTM_GETLINK, NLM_F_DUMP);
	put(&r.h, IFLA_TARGET_NETNSID, &nsid, sizeof(nsid));
	e = talk(&r, &count, NULL, NULL);
	if (e != 0) {
		note("IFLA_TARGET_NETNSID %d: %s", nsid, errno_name(e));
		return e;
	}
	note("listed %d links of namespace %d, the host's", count, nsid);
	return 0;
}

/* Make a veth whose peer is in the namespace the lent veth's is. */
int
probe_net_nsid_link(const char *arg)
{
	struct req r;
	struct rtattr *info, *data, *peer;
	struct ifinfomsg pm = { .ifi_family = AF_UNSPEC };
	int nsid, e;

	(void)arg;
	e = peer_nsid(&nsid);
	if (e != 0)
		return e;
	req_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
	put(&r.h, IFLA_IFNAME, PROBE_VETH, sizeof(PROBE_VETH));
	put(&r.h, IFLA_LINK_NETNSID, &nsid, sizeof(nsid));
	info = put(&r.h, IFLA_LINKINFO, NULL, 0);
	put(&r.h, IFLA_INFO_KIND, "veth", sizeof("veth"));
	data = put(&r.h, IFLA_INFO_DATA, NULL, 0);
	peer = put(&r.h, VETH_INFO_PEER, &pm, sizeof(pm));
	put(&r.h, IFLA_IFNAME, "gt-probe1", sizeof("gt-probe1"));
	nest_end(&r.h, peer);
	nest_end(&r.h, data);
	nest_end(&r.h, info);
	e = talk(&r, NULL, NULL, NULL);
	if (e != 0) {
		note("IFLA_LINK_NETNSID %d: %s", nsid, errno_name(e));
		return e;
	}
	note("made " PROBE_VETH " with its peer in namespace %d, the host's",
	    nsid);
	req_init(&r, RTM_DELLINK, NLM_F_ACK);
	put(&r.h, IFLA_IFNAME, PROBE_VETH, sizeof(PROBE_VETH));
	(void)talk(&r, NULL, NULL, NULL);
	return 0;
}
