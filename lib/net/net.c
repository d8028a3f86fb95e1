// SPDX-License-Identifier: BSD-2-Clause
/*
 * net.c: network interfaces through rtnetlink (libmnl), in the calling
 * thread's network namespace: look a link up, bring it up, move it to
 * another namespace, add or remove an address.
 *
 * Each request is one message on a fresh NETLINK_ROUTE socket, opened
 * in the namespace current when it is called (a socket stays in the
 * namespace it was made in), with an acknowledgement read back: the
 * kernel's NLMSG_ERROR becomes the error, named after the interface.
 * It never runs ip(8), and never chooses a namespace itself.
 */
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "net/net.h"

static void
mnl_closep(struct mnl_socket **nl)
{
	if (*nl != NULL)
		(void)mnl_socket_close(*nl);
}

/*
 * Send the request nlh and read the answers up to its acknowledgement,
 * each passed to cb (may be NULL) with data; 0 or -errno.
 */
static int
nl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	_cleanup_(mnl_closep) struct mnl_socket *nl = NULL;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned portid, seq = (unsigned)time(NULL);
	ssize_t n;
	int r;

	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (nl == NULL || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	portid = mnl_socket_get_portid(nl);
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		r = mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);
	} while (r > 0);	/* MNL_CB_OK: more to come before the ack */
	return r < 0 ? -errno : 0;
}

/* IFLA_LINKINFO's attributes: the kind. */
static int
link_info_attr(const struct nlattr *a, void *data)
{
	struct net_link *l = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		(void)snprintf(l->kind, sizeof(l->kind), "%s",
		    mnl_attr_get_str(a));
	return MNL_CB_OK;
}

/* A reply's attributes: IFLA_LINKINFO, for the kind. */
static int
link_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == IFLA_LINKINFO &&
	    mnl_attr_validate(a, MNL_TYPE_NESTED) >= 0)
		(void)mnl_attr_parse_nested(a, link_info_attr, data);
	return MNL_CB_OK;
}

static int
link_reply(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct net_link *l = data;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	l->index = ifm->ifi_index;
	return mnl_attr_parse(nlh, sizeof(*ifm), link_attr, data);
}

/*
 * The interface ifname, or the one of index ifindex when ifname is NULL,
 * in this thread's network namespace: its index and kind ("" for
 * a device, "veth", "bridge"... for what the kernel made).  -ENODEV if
 * there is none.  Sets no message.
 */
int
net_link_get(const char *ifname, int ifindex, struct net_link *ret)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	int r;

	memset(ret, 0, sizeof(*ret));
	nlh->nlmsg_type = RTM_GETLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifname == NULL ? ifindex : 0;
	if (ifname != NULL)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	r = nl_talk(nlh, link_reply, ret);
	if (r < 0)
		return r;
	return ret->index > 0 ? 0 : -ENODEV;
}

/* The index of interface ifname, > 0, or -ENODEV. */
int
net_link_index(const char *ifname)
{
	unsigned idx = if_nametoindex(ifname);

	if (idx == 0)
		return jail_seterr(-ENODEV, "interface %s: not found", ifname);
	return (int)idx;
}

/* ip link set IFNAME up. */
int
net_link_up(const char *ifname)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	int idx = net_link_index(ifname), r;

	if (idx < 0)
		return -ENODEV;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = idx;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = IFF_UP;
	r = nl_talk(nlh, NULL, NULL);
	return r < 0 ? jail_syserr(r, "interface %s: up", ifname) : 0;
}

/*
 * Move the interface of index ifindex to the namespace netns_fd names,
 * named name there (IFLA_IFNAME: the move and the new name are one).
 */
int
net_link_move_as(int ifindex, int netns_fd, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	int r;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	r = nl_talk(nlh, NULL, NULL);
	return r < 0 ? jail_syserr(r, "interface %s: move", name) : 0;
}

/* RTM_NEWADDR or RTM_DELADDR of addr/prefix (family's size) on ifname. */
static int
addr_msg(uint16_t type, const char *ifname, int family, const void *addr,
    unsigned prefix)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], txt[INET6_ADDRSTRLEN];
	size_t len = family == AF_INET ? 4 : 16;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int idx, r;

	if ((family != AF_INET && family != AF_INET6) || prefix > len * 8)
		return jail_seterr(-EINVAL, "interface %s: bad address",
		    ifname);
	idx = net_link_index(ifname);
	if (idx < 0)
		return idx;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	if (type == RTM_NEWADDR)
		nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (unsigned char)family;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_index = (unsigned)idx;
	mnl_attr_put(nlh, IFA_LOCAL, len, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, len, addr);
	r = nl_talk(nlh, NULL, NULL);
	if (r >= 0)
		return 0;
	if (inet_ntop(family, addr, txt, sizeof(txt)) == NULL)
		txt[0] = '\0';
	return jail_syserr(r, "interface %s: %s %s/%u", ifname,
	    type == RTM_NEWADDR ? "add" : "remove", txt, prefix);
}

/* ip addr add ADDR/PREFIX dev IFNAME (AF_INET: 4 bytes, AF_INET6: 16). */
int
net_addr_add(const char *ifname, int family, const void *addr,
    unsigned prefix)
{
	return addr_msg(RTM_NEWADDR, ifname, family, addr, prefix);
}

/* ip addr del ADDR/PREFIX dev IFNAME. */
int
net_addr_del(const char *ifname, int family, const void *addr,
    unsigned prefix)
{
	return addr_msg(RTM_DELADDR, ifname, family, addr, prefix);
}
