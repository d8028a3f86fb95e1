// SPDX-License-Identifier: BSD-2-Clause
/*
 * net.c: network interfaces through rtnetlink (libmnl), in the calling
 * thread's network namespace: bring a link up, move it to another
 * namespace, add or remove an address.
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

/* Send the request nlh and wait for its acknowledgement; 0 or -errno. */
static int
nl_talk(struct nlmsghdr *nlh)
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
		r = mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL);
	} while (r > 0);	/* MNL_CB_OK: more to come before the ack */
	return r < 0 ? -errno : 0;
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

/*
 * An RTM_NEWLINK for ifname: IFF_UP set (up), or moved to the network
 * namespace netns_fd names (netns_fd >= 0).  what names it in errors.
 */
static int
link_set(const char *ifname, bool up, int netns_fd, const char *what)
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
	if (up) {
		ifm->ifi_change = IFF_UP;
		ifm->ifi_flags = IFF_UP;
	}
	if (netns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);
	r = nl_talk(nlh);
	return r < 0 ? jail_syserr(r, "interface %s: %s", ifname, what) : 0;
}

/* ip link set IFNAME up. */
int
net_link_up(const char *ifname)
{
	return link_set(ifname, true, -1, "up");
}

/* ip link set IFNAME netns FD: move it to the namespace netns_fd names. */
int
net_link_move(const char *ifname, int netns_fd)
{
	return link_set(ifname, false, netns_fd, "move");
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
	r = nl_talk(nlh);
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
