// SPDX-License-Identifier: BSD-2-Clause
/*
 * jail-sock.bpf.c: the address rules of a non-vnet jail, as cgroup socket
 * programs attached to the jail's own cgroup (lib/net/netbpf.c).
 *
 * Owns FreeBSD's ip4/ip6 semantics on the host's stack: "new" lets a
 * socket bind only the jail's addresses (wildcard and loopback land on
 * the first one), maps connects and sends to loopback onto the first
 * address, gives unbound sockets that address as source, and lets no
 * packet leave from, or arrive at, an address not the jail's.  "inherit"
 * is unrestricted; "disable" is the seccomp filter's (the family has no
 * socket).  It never looks at what a packet carries, only at its
 * addresses.  A socket program returning 0 makes the system call fail
 * with EPERM unless it set another errno; a packet program's 0 drops the
 * packet.
 */
#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "jail-sock.h"

#define AF_INET 2	/* <sys/socket.h> is libc's, not for -target bpf */
#define AF_INET6 10

/* Set by lib/net/netbpf.c before the object is loaded, read-only after; in
 * a section of its own, so the map holds exactly this struct. */
const volatile struct jail_sock_cfg cfg SEC(".rodata.cfg");

#define REFUSE 0
#define ALLOW 1

/*
 * FreeBSD's error (bpf_set_retval, Linux 5.18) for an address the jail
 * does not have.  A disabled family has no socket to get here: the
 * jail's seccomp filter refuses it (lib/confine/seccomp-table.c).
 */
#define EADDRNOTAVAIL 99
#define REFUSE_ADDR (bpf_set_retval(-EADDRNOTAVAIL), REFUSE)

/*
 * 127.0.0.1 only, as FreeBSD: the rest of 127/8 are addresses like any
 * other (on Linux they are the loopback's too, and may be a jail's).
 */
static __always_inline int
is_loopback4(__u32 a)
{
	return a == bpf_htonl(0x7f000001);
}

static __always_inline int
v4_listed(__u32 a)
{
	for (__u32 i = 0; i < JAIL_SOCK_MAX; i++)
		if (i < cfg.n4 && cfg.a4[i] == a)
			return 1;
	return 0;
}

static __always_inline int
v6_equal(const __u32 *a, const volatile __u32 *b)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

static __always_inline int
v6_listed(const __u32 *a)
{
	for (__u32 i = 0; i < JAIL_SOCK_MAX; i++)
		if (i < cfg.n6 && v6_equal(a, cfg.a6[i]))
			return 1;
	return 0;
}

static __always_inline int
v6_any(const __u32 *a)
{
	return (a[0] | a[1] | a[2] | a[3]) == 0;
}

static __always_inline int
v6_loopback(const __u32 *a)
{
	return a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == bpf_htonl(1);
}

/* ::ffff:a.b.c.d: an IPv4 address on an IPv6 socket (ip4's rules). */
static __always_inline int
v6_mapped(const __u32 *a)
{
	return a[0] == 0 && a[1] == 0 && a[2] == bpf_htonl(0xffff);
}

static __always_inline void
load6(__u32 *a, const struct bpf_sock_addr *ctx)
{
	a[0] = ctx->user_ip6[0];
	a[1] = ctx->user_ip6[1];
	a[2] = ctx->user_ip6[2];
	a[3] = ctx->user_ip6[3];
}

static __always_inline void
store6(struct bpf_sock_addr *ctx, const volatile __u32 *a)
{
	ctx->user_ip6[0] = a[0];
	ctx->user_ip6[1] = a[1];
	ctx->user_ip6[2] = a[2];
	ctx->user_ip6[3] = a[3];
}

/* Wildcard and loopback land on the first address; others must be listed. */
SEC("cgroup/bind4")
int
jail_bind4(struct bpf_sock_addr *ctx)
{
	__u32 a = ctx->user_ip4;

	if (cfg.mode4 != JAIL_SOCK_NEW)
		return ALLOW;
	if (a == 0 || is_loopback4(a)) {
		ctx->user_ip4 = cfg.a4[0];
		return ALLOW;
	}
	return v4_listed(a) ? ALLOW : REFUSE_ADDR;
}

/*
 * A v4-mapped address follows ip4's list.  The IPv6 wildcard of a dual
 * stack socket would also accept IPv4 on every host address, so with ip4
 * restricted or disabled and ip6 unrestricted it is refused (no hook can set
 * IPV6_V6ONLY); with ip6 restricted it lands on the first IPv6 address.
 */
SEC("cgroup/bind6")
int
jail_bind6(struct bpf_sock_addr *ctx)
{
	__u32 a[4];

	load6(a, ctx);
	if (v6_mapped(a))
		return cfg.mode4 == JAIL_SOCK_INHERIT ||
		    (cfg.mode4 == JAIL_SOCK_NEW && v4_listed(a[3])) ?
		    ALLOW : REFUSE_ADDR;
	if (cfg.mode6 != JAIL_SOCK_NEW)
		return v6_any(a) && cfg.mode4 != JAIL_SOCK_INHERIT ?
		    REFUSE_ADDR : ALLOW;
	if (v6_any(a) || v6_loopback(a)) {
		store6(ctx, cfg.a6[0]);
		return ALLOW;
	}
	return v6_listed(a) ? ALLOW : REFUSE_ADDR;
}

/* An unbound socket takes the jail's first address as its source. */
static __always_inline int
bind_source4(struct bpf_sock_addr *ctx)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = cfg.a4[0],
	};
	struct bpf_sock *sk = ctx->sk;

	if (sk == NULL || sk->src_ip4 != 0)
		return ALLOW;
	return bpf_bind(ctx, (struct sockaddr *)&sa, sizeof(sa)) == 0 ?
	    ALLOW : REFUSE;
}

static __always_inline int
bind_source6(struct bpf_sock_addr *ctx)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	struct bpf_sock *sk = ctx->sk;

	if (sk == NULL || (sk->src_ip6[0] | sk->src_ip6[1] | sk->src_ip6[2] |
	    sk->src_ip6[3]) != 0)
		return ALLOW;
	sa.sin6_addr.in6_u.u6_addr32[0] = cfg.a6[0][0];
	sa.sin6_addr.in6_u.u6_addr32[1] = cfg.a6[0][1];
	sa.sin6_addr.in6_u.u6_addr32[2] = cfg.a6[0][2];
	sa.sin6_addr.in6_u.u6_addr32[3] = cfg.a6[0][3];
	return bpf_bind(ctx, (struct sockaddr *)&sa, sizeof(sa)) == 0 ?
	    ALLOW : REFUSE;
}

/* FreeBSD's loopback mapping: the jail's own loopback is its address. */
SEC("cgroup/connect4")
int
jail_connect4(struct bpf_sock_addr *ctx)
{
	if (cfg.mode4 != JAIL_SOCK_NEW)
		return ALLOW;
	if (is_loopback4(ctx->user_ip4))
		ctx->user_ip4 = cfg.a4[0];
	return bind_source4(ctx);
}

/*
 * An IPv6 destination, for connect6 and sendmsg6: ALLOW or REFUSE when
 * that is all there is to say, else -1 (restricted; ::1 mapped).
 * v4-mapped destinations would pick a host source address the jail may
 * not use: refused unless ip4 is unrestricted.
 */
static __always_inline int
dest6(struct bpf_sock_addr *ctx)
{
	__u32 a[4];

	load6(a, ctx);
	if (v6_mapped(a))
		return cfg.mode4 == JAIL_SOCK_INHERIT ? ALLOW : REFUSE;
	if (cfg.mode6 != JAIL_SOCK_NEW)
		return ALLOW;
	if (v6_loopback(a))
		store6(ctx, cfg.a6[0]);
	return -1;
}

SEC("cgroup/connect6")
int
jail_connect6(struct bpf_sock_addr *ctx)
{
	int r = dest6(ctx);

	return r >= 0 ? r : bind_source6(ctx);
}

/*
 * UDP: the same mapping; an unbound socket sends from the first address.
 * The source is the socket's bound address or the one an IP_PKTINFO
 * control message names (ip_cmsg_send runs before this hook): one the
 * jail does not have is refused here, the connected socket's case (no
 * hook) at egress.
 */
SEC("cgroup/sendmsg4")
int
jail_sendmsg4(struct bpf_sock_addr *ctx)
{
	__u32 src = ctx->msg_src_ip4;

	if (cfg.mode4 != JAIL_SOCK_NEW)
		return ALLOW;
	if (is_loopback4(ctx->user_ip4))
		ctx->user_ip4 = cfg.a4[0];
	if (src == 0)
		ctx->msg_src_ip4 = cfg.a4[0];
	else if (!v4_listed(src))
		return REFUSE_ADDR;
	return ALLOW;
}

SEC("cgroup/sendmsg6")
int
jail_sendmsg6(struct bpf_sock_addr *ctx)
{
	int r = dest6(ctx);
	__u32 src[4];

	if (r >= 0)
		return r;
	src[0] = ctx->msg_src_ip6[0];
	src[1] = ctx->msg_src_ip6[1];
	src[2] = ctx->msg_src_ip6[2];
	src[3] = ctx->msg_src_ip6[3];
	if (v6_any(src)) {
		ctx->msg_src_ip6[0] = cfg.a6[0][0];
		ctx->msg_src_ip6[1] = cfg.a6[0][1];
		ctx->msg_src_ip6[2] = cfg.a6[0][2];
		ctx->msg_src_ip6[3] = cfg.a6[0][3];
		return ALLOW;
	}
	return v6_listed(src) ? ALLOW : REFUSE_ADDR;
}

/*
 * getsockname: a socket still on the wildcard shows the jail's first
 * address.  Two implicit binds leave it there, sendto on an unbound UDP
 * socket and listen on an unbound TCP socket (no hook can bind them);
 * ingress below lets only the jail's own traffic reach such a socket.
 */
SEC("cgroup/getsockname4")
int
jail_getsockname4(struct bpf_sock_addr *ctx)
{
	if (cfg.mode4 == JAIL_SOCK_NEW && ctx->user_ip4 == 0)
		ctx->user_ip4 = cfg.a4[0];
	return ALLOW;
}

SEC("cgroup/getsockname6")
int
jail_getsockname6(struct bpf_sock_addr *ctx)
{
	__u32 a[4];

	load6(a, ctx);
	if (cfg.mode6 == JAIL_SOCK_NEW && v6_any(a))
		store6(ctx, cfg.a6[0]);
	return ALLOW;
}

/*
 * Every packet a jailed socket sends or receives, whatever made it: one
 * whose source (egress) or destination (ingress) is not the jail's is
 * dropped.  This is what holds where no socket hook runs: a connected
 * socket's IP_PKTINFO, IP_TRANSPARENT and IP_FREEBIND sockets, raw
 * sockets (allow.raw_sockets), whose bind and sendmsg pass no cgroup hook
 * and which may write their own header (IP_HDRINCL), an unbound raw
 * socket given a host address by routing, and the wildcard sockets of
 * implicit binds.  The family is the packet's (an IPv6 socket may carry
 * IPv4); a disabled family's packets are dropped.  A dropped egress
 * packet fails its send with EPERM.
 */
#define IP4_SRC 12	/* offsets in the IPv4 and IPv6 headers */
#define IP4_DST 16
#define IP6_SRC 8
#define IP6_DST 24

static __always_inline int
packet_ours(struct __sk_buff *skb, int egress)
{
	__u8 vhl;
	__u32 a[4];

	if (bpf_skb_load_bytes(skb, 0, &vhl, 1) < 0)
		return 0;
	if (vhl >> 4 == 4) {
		if (cfg.mode4 != JAIL_SOCK_NEW)
			return cfg.mode4 == JAIL_SOCK_INHERIT;
		if (bpf_skb_load_bytes(skb, egress ? IP4_SRC : IP4_DST, a,
		    4) < 0)
			return 0;
		return v4_listed(a[0]);
	}
	if (vhl >> 4 == 6) {
		if (cfg.mode6 != JAIL_SOCK_NEW)
			return cfg.mode6 == JAIL_SOCK_INHERIT;
		if (bpf_skb_load_bytes(skb, egress ? IP6_SRC : IP6_DST, a,
		    16) < 0)
			return 0;
		return v6_listed(a);
	}
	return 0;
}

SEC("cgroup_skb/egress")
int
jail_egress(struct __sk_buff *skb)
{
	return packet_ours(skb, 1) ? ALLOW : REFUSE;
}

SEC("cgroup_skb/ingress")
int
jail_ingress(struct __sk_buff *skb)
{
	return packet_ours(skb, 0) ? ALLOW : REFUSE;
}

char _license[] SEC("license") = "Dual BSD/GPL";
