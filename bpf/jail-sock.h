// SPDX-License-Identifier: BSD-2-Clause
/*
 * jail-sock.h: the configuration lib/net/netbpf.c gives bpf/jail-sock.bpf.c
 * (its read-only data, set before loading).  Addresses in network order.
 */
#ifndef GAOL_JAIL_SOCK_H
#define GAOL_JAIL_SOCK_H

#include <linux/types.h>

#define JAIL_SOCK_MAX 16	/* addresses per family */

/* Per family, as FreeBSD's ip4/ip6 (jailsys values differ: see netbpf.c). */
enum jail_sock_mode {
	JAIL_SOCK_INHERIT = 0,	/* unrestricted */
	JAIL_SOCK_NEW = 1,	/* only the listed addresses */
	JAIL_SOCK_DISABLE = 2,	/* no socket of the family */
};

struct jail_sock_cfg {
	__u32 mode4, mode6;	/* enum jail_sock_mode */
	__u32 n4, n6;		/* >= 1 when the mode is NEW */
	__u32 a4[JAIL_SOCK_MAX];
	__u32 a6[JAIL_SOCK_MAX][4];
};

#endif
