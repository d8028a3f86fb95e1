// SPDX-License-Identifier: BSD-2-Clause
/*
 * conf.h: jail.conf(5) files read into resolved parameter sets.
 *
 * conf_load() parses a file and what it .includes, applies FreeBSD's
 * precedence (global and wildcard sections and the jail's own block, in
 * file order, later settings winning), expands variables per jail and
 * imports every value through the parameter table.  The result is one
 * struct conf_jail per jail block, in file order.  Every error is one
 * message in jail_errmsg, "FILE:LINE:COL: what", and a negative errno;
 * nothing is returned half-made.  Never prints, never exits.
 *
 * deps.c orders configured jails by depend=.
 */
#ifndef GAOL_CONF_H
#define GAOL_CONF_H

#include <stddef.h>

#include <stdbool.h>

#include "param/param.h"

/*
 * params: fully resolved: globals, then "*", then the block; variables
 * expanded.
 */
struct conf_jail {
	char *name;			/* the block's name */
	struct jail_params params;	/* fully resolved (above) */
	char *file;			/* where the block starts, for messages */
	unsigned line;
};

struct conf {
	struct conf_jail *jails;	/* in file order (includes in place) */
	size_t n;
};

/* Parse path (and what it .includes). */
int conf_load(const char *path, struct conf **ret);

/*
 * Parse the default set: ROOT/etc/jail.conf, then
 * ROOT/etc/jail.conf.d/\*.conf (sorted) as if the first included the
 * others (files it already included are not read twice); a missing file
 * is no error.  root is "" for the real one.
 */
int conf_load_default(const char *root, struct conf **ret);

/* Parse text in memory (tests, fuzzing); name is used in messages. */
int conf_load_string(const char *name, const char *text, size_t len,
    struct conf **ret);

/* Flags for conf_load_string_flags(). */
enum conf_flag {
	CONF_NOINCLUDE = 1 << 0,	/* .include is an error (fuzzing) */
};

/*
 * conf_load_string() with flags.  Relative .include names are taken
 * relative to the directory part of name (the working directory if it
 * has none).
 */
int conf_load_string_flags(const char *name, const char *text, size_t len,
    unsigned flags, struct conf **ret);

void conf_free(struct conf *c);

/* The jail named name, or NULL. */
const struct conf_jail *conf_find(const struct conf *c, const char *name);

/*
 * Limits: a longer value or file is an error, never truncated.  A value
 * is all of one parameter's values, after variables are expanded.
 */
#define JAIL_CONF "/etc/jail.conf"
#define JAIL_CONF_D "/etc/jail.conf.d"

#define CONF_VALUE_MAX ((size_t)64 * 1024)
#define CONF_FILE_MAX ((size_t)16 * 1024 * 1024)
#define CONF_INCLUDE_MAX 16	/* .include nesting depth */


/* Configured jails: names[i] depends on the names in depends[i]. */
struct dep_graph {
	size_t n;
	const char *const *names;
	const struct strv *const *depends;
};

int deps_order(const struct dep_graph *g, const bool *selected, bool stop,
    size_t *ret_order, size_t *ret_n);

#endif
