// SPDX-License-Identifier: BSD-2-Clause
/*
 * rctl-int.h: what the rctl*.c files share and nobody else needs.
 * Everything else goes through the rctl block of cgroup/cgroup.h.
 */
#ifndef GAOL_RCTL_INT_H
#define GAOL_RCTL_INT_H

#include "cgroup/cgroup.h"

/* The limits a jail's rules make, by resource: UINT64_MAX for none. */
struct rctl_limits {
	uint64_t v[RCTL_RES__MAX];
};

void rctl_limits_of(const struct rctl_rule *v, size_t n,
    struct rctl_limits *ret);
int rctl_limits_apply(const struct jail *j, const struct rctl_limits *l);
int rctl_find_jail(const char *id, struct jail **ret);

#endif
