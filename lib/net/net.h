// SPDX-License-Identifier: BSD-2-Clause
/*
 * net.h: a jail's network: rtnetlink, vnet namespaces, interface
 * aliases on the host, and the cgroup socket programs of ip4/ip6.
 */
#ifndef GAOL_NET_H
#define GAOL_NET_H

#include "cgroup/cgroup.h"

/* net.c: rtnetlink in the calling thread's network namespace. */
struct net_link {
	int index;
	char kind[32];		/* "" for a device; "veth", "bridge"... */
};

int net_link_get(const char *ifname, int ifindex, struct net_link *ret);
int net_link_move_as(int ifindex, int netns_fd, const char *name);
int net_link_index(const char *ifname);
int net_link_up(const char *ifname);
int net_addr_add(const char *ifname, int family, const void *addr,
    unsigned prefix);
int net_addr_del(const char *ifname, int family, const void *addr,
    unsigned prefix);

/* vnet.c: a vnet jail's network namespace and its vnet.interface. */
bool vnet_new(const struct jail_params *p);
int vnet_check(const struct jail_params *p);
int vnet_ns_make(int *ret_fd);
int vnet_userns_open(const struct jail *j, int *ret_fd);
int vnet_ns_open(const struct jail *j, int *ret_fd);
int vnet_give(struct jail *j, int nsfd);
void vnet_return(const struct jail *j, int jailns, const struct jail_ops *o);

/* netif.c: interface= and iface|addr: aliases on the host's interfaces. */
int netif_add(const struct jail_params *p);
void netif_del(const struct jail *j, const struct jail_ops *o);

/* netbpf.c: the cgroup socket programs enforcing ip4/ip6 (no vnet). */
int net_bpf_attach(const struct jail_params *p, int cgfd);

/* bpfobj.c: embedded BPF objects, through libbpf opened when needed. */
struct bpf_object;

int net_bpf_program(const unsigned char *img, size_t len, const char *name,
    const char *what, int *ret_fd);

#endif
