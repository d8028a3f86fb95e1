// SPDX-License-Identifier: BSD-2-Clause
/*
 * param-int.h: what param.c and param-export.c share and nobody else
 * needs.  Everything else goes through param.h.
 */
#ifndef GAOL_PARAM_INT_H
#define GAOL_PARAM_INT_H

#include "param/param.h"

/* Handlers share one signature; not every one needs every argument. */
#define _unused_ __attribute__((unused))

/* PT_SYS words, indexed by enum jailsys. */
extern const char *const param_jailsys_names[3];

/* Set jail_errmsg for a failed allocation and return -ENOMEM. */
int param_oom(void);

static inline bool
param_type_is_list(enum param_type t)
{
	return t == PT_LIST || t == PT_ARGV || t == PT_IP4 || t == PT_IP6;
}

#endif
