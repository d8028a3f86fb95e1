// SPDX-License-Identifier: BSD-2-Clause
/*
 * libjail-int.h: what libjail.c (reading) and libjail-set.c (changing,
 * entering) share.  Not installed; include/jail.h is the interface.
 */
#ifndef GAOL_LIBJAIL_INT_H
#define GAOL_LIBJAIL_INT_H

#include <stdarg.h>

#include "jail/life.h"

/* jls(8) walks the jails with this key: the first jail above its jid. */
#define LASTJID "lastjid"

/* A negative errno as libjail(3)'s -1 with errno set. */
int libjail_fail(int r);
int libjail_nomem(const char *what);

/* A jail by jid or name (a dying one with JAIL_DYING); ENOENT if none. */
int libjail_find(const char *key, int flags, struct jail **ret);
int libjail_find_jid(int jid, int flags, struct jail **ret);

/* An entry's string value into p, a "no" boolean's inverted. */
int libjail_import_entry(struct jail_params *p, const struct jailparam *jp,
    const char *value);
/* The entry's value as a string of its own (a raw one copied), or NULL. */
char *libjail_entry_string(const struct jailparam *jp);

/* The NULL-terminated name, value pairs of jail_setv and jail_getv. */
unsigned libjail_count_pairs(va_list ap);
int libjail_init_pairs(struct jailparam *jp, unsigned n, va_list ap,
    bool import);

#endif
