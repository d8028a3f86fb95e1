// SPDX-License-Identifier: BSD-2-Clause
/*
 * seccomp-int.h: the rows of the jail's system call filter
 * (seccomp-table.c), as the code that compiles them (seccomp.c) reads
 * them.  Nobody else needs them.
 */
#ifndef GAOL_SECCOMP_INT_H
#define GAOL_SECCOMP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "param/param.h"

/* When a row applies; param is the parameter that decides. */
enum gate {
	G_ALWAYS,   /* in every jail */
	G_UNLESS,   /* unless the boolean parameter is true */
	G_IF,	    /* only if the boolean parameter is true */
	G_DISABLED, /* only if the disable|new|inherit one is disable */
	G_VNET,	    /* only in a jail with a network stack of its own */
	G_NETNS,    /* in a jail with a network namespace of its own */
	G_BROKER,   /* the family of param (P_IP4, P_IP6) is brokered */
	G_NOFAMILY, /* that family has no socket (net_refused) */
};

#define NAMES(...) ((const char *const[]) { __VA_ARGS__, NULL })

/*
 * A group of whole system calls: allowed (allow_rows) or refused with
 * err (errno_rows, refusals) when the gate applies.
 */
struct call_group {
	const char *const *names; /* NULL-terminated */
	int err;		  /* 0 in allow_rows */
	enum gate gate;
	enum param_id param;
};

/* How an argument is compared with the row's values. */
enum argcmp {
	A_ANYBIT, /* any one of the values (single bits) set */
	A_NOTIN,  /* none of the values (sorted, each < 2^32) */
	A_MASKED, /* arg & mask equals one of the values */
};

/* A second argument that must match too: arg & mask == val. */
struct arg_pre {
	unsigned arg;
	uint64_t mask;
	uint64_t val;
};

/*
 * One argument of one system call, refused with err when it matches; in
 * seccomp_notify_args (err 0), handed to the listener instead.
 */
struct arg_rule {
	const char *name;
	int err;
	unsigned arg;
	enum argcmp cmp;
	uint64_t mask; /* A_MASKED only */
	const uint64_t *vals;
	size_t nvals;
	enum gate gate;
	enum param_id param;
	const struct arg_pre *pre; /* or NULL */
};

/* A netlink protocol a jail may open when the gate applies. */
struct netlink_row {
	int proto;
	enum gate gate;
	enum param_id param;
};

/* seccomp.c */
struct seccomp_prog;

bool seccomp_gate_applies(const struct jail_params *p, enum gate g,
    enum param_id id);
size_t seccomp_netlink_protos(const struct jail_params *p, uint64_t *vals);
bool seccomp_notify_applies(const struct jail_params *p);

/* seccomp-cache.c: the form compiled filters are kept in. */
int seccomp_prog_read(int fd, struct seccomp_prog *ret);
int seccomp_prog_read_all(int fd, struct seccomp_prog *ret);

/* seccomp-table.c */
extern const struct call_group seccomp_allow_rows[];
extern const size_t seccomp_nallow_rows;
extern const struct call_group seccomp_errno_rows[];
extern const size_t seccomp_nerrno_rows;
extern const struct call_group seccomp_refusals[];
extern const size_t seccomp_nrefusals;
extern const struct call_group seccomp_entry_refusals[];
extern const size_t seccomp_nentry_refusals;
extern const struct arg_rule seccomp_arg_rules[];
extern const size_t seccomp_narg_rules;
extern const struct netlink_row seccomp_netlink_rows[];
extern const size_t seccomp_nnetlink_rows;
extern const struct arg_rule seccomp_netlink_rule;
extern const struct call_group seccomp_notify_rows[];
extern const size_t seccomp_nnotify_rows;
extern const struct arg_rule seccomp_notify_args[];
extern const size_t seccomp_nnotify_args;

#endif
