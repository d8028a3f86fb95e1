// SPDX-License-Identifier: BSD-2-Clause
/*
 * deps.h: ordering configured jails by depend= (deps.c).
 */
#ifndef GAOL_DEPS_H
#define GAOL_DEPS_H

#include <stdbool.h>
#include <stddef.h>

#include "param.h"

/* Configured jails: names[i] depends on the names in depends[i]. */
struct dep_graph {
	size_t n;
	const char *const *names;
	const struct strv *const *depends;
};

int deps_order(const struct dep_graph *g, const bool *selected, bool stop,
    size_t *ret_order, size_t *ret_n);

#endif
