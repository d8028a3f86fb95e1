// SPDX-License-Identifier: BSD-2-Clause
/*
 * libjail.c: FreeBSD's libjail(3) interface over gaol's internal one.
 *
 * Owns only the translation: arrays of string-valued struct jailparam in
 * and out, and -1 with errno at the boundary, the one place libjail does
 * so (STYLE rule 4).  Parsing is param.c's, lookups registry's, and the
 * lifecycle create.c's, modify.c's and remove.c's; never prints.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jail/life.h"

/* jls(8) walks the jails with this key: the first jail above its jid. */
#define LASTJID "lastjid"

/* libjail(3) calls never report progress: jail(8)'s notes are its own. */
static const struct jail_ops quiet_ops = { .verbose = -1 };

/* Turn a negative errno into libjail(3)'s -1 with errno set. */
static int
fail(int r)
{
	errno = -r;
	return -1;
}

static int
no_memory(const char *what)
{
	return jail_syserr(-ENOMEM, "%s", what);
}

/* A jail by jid or name; a dying one only if flags has JAIL_DYING. */
static int
find_jail(const char *key, int flags, struct jail **ret)
{
	struct jail *j = NULL;
	int r;

	r = jail_find(key, &j);
	if (r < 0)
		return r;
	if (j->state == JS_DYING && !(flags & JAIL_DYING)) {
		jail_free(j);
		return jail_seterr(-ENOENT, "jail \"%s\" is dying", key);
	}
	*ret = j;
	return 0;
}

/* The first jail whose jid is above last, as FreeBSD's lastjid key. */
static int
find_after(const char *last, int flags, struct jail **ret)
{
	struct jail **v = NULL;
	size_t n = 0;
	int r, after = (int)strtol(last, NULL, 10);

	r = registry_list(flags & JAIL_DYING, &v, &n);
	if (r < 0)
		return r;
	r = jail_seterr(-ENOENT, "no jail after %d", after);
	for (size_t i = 0; i < n && r < 0; i++)
		if (v[i]->jid > after) {
			*ret = TAKE_PTR(v[i]);
			r = 0;
		}
	registry_list_free(v, n);
	return r;
}

/* The jid of a jail given by jid or name, as jail_getid(3). */
int
jail_getid(const char *name)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	int r;

	r = find_jail(name, 0, &j);
	if (r < 0)
		return fail(r);
	return j->jid;
}

/* A malloc'd copy of a jail's name, as jail_getname(3). */
char *
jail_getname(int jid)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	char key[16];
	char *name;
	int r;

	(void)snprintf(key, sizeof(key), "%d", jid);
	r = find_jail(key, 0, &j);
	if (r < 0) {
		(void)fail(r);
		return NULL;
	}
	name = strdup(jail_name(j));
	if (name == NULL)
		(void)fail(no_memory("jail_getname"));
	return name;
}

/* Name an entry; unknown names fail here, as on FreeBSD. */
int
jailparam_init(struct jailparam *jp, const char *name)
{
	bool negated = false;
	int id = 0;

	memset(jp, 0, sizeof(*jp));
	if (strcmp(name, LASTJID) != 0) {
		id = param_find(name, &negated);
		if (id < 0)
			return fail(id);
		if (param_table[id].type == PT_BOOL)
			jp->jp_flags = negated ? JP_NOBOOL : JP_BOOL;
		else if (param_table[id].type == PT_SYS)
			jp->jp_flags = JP_JAILSYS;
	}
	jp->jp_name = strdup(name);
	if (jp->jp_name == NULL)
		return fail(no_memory("jailparam_init"));
	return 0;
}

/*
 * Parse one entry's string value into p.  A value on a "no" boolean
 * ("nopersist=true") is inverted, as libjail's JP_NOBOOL values are.
 */
static int
import_entry(struct jail_params *p, const char *name, const char *value)
{
	bool negated;
	int id, r;

	id = param_find(name, &negated);
	if (id < 0)
		return id;
	if (!negated || value == NULL || param_table[id].type != PT_BOOL)
		return param_import_value(p, id, value, negated, false);
	r = param_import_value(p, id, value, false, false);
	if (r >= 0)
		p->v[id].i = !p->v[id].i;
	return r;
}

/* Check a value the way jailparam_set will read it. */
static int
check_value(const char *name, const char *value)
{
	struct jail_params tmp = { 0 };
	char *end;
	int r;

	if (strcmp(name, LASTJID) == 0) {
		(void)strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0')
			return jail_seterr(-EINVAL,
			    "%s: non-integer value \"%s\"", name, value);
		return 0;
	}
	r = import_entry(&tmp, name, value);
	params_free(&tmp);
	return r;
}

/* Check a string value and keep a copy of it in the entry. */
int
jailparam_import(struct jailparam *jp, const char *value)
{
	char *v;
	int r;

	if (value == NULL)
		return 0;
	r = check_value(jp->jp_name, value);
	if (r < 0)
		return fail(r);
	v = strdup(value);
	if (v == NULL)
		return fail(no_memory("jailparam_import"));
	free(jp->jp_value);
	jp->jp_value = v;
	jp->jp_valuelen = strlen(v);
	return 0;
}

/* A malloc'd copy of the entry's value ("" if it has none). */
char *
jailparam_export(struct jailparam *jp)
{
	char *v;

	v = strdup(jp->jp_value != NULL ? jp->jp_value : "");
	if (v == NULL)
		(void)fail(no_memory("jailparam_export"));
	return v;
}

void
jailparam_free(struct jailparam *jp, unsigned njp)
{
	for (unsigned i = 0; i < njp; i++) {
		free(jp[i].jp_name);
		free(jp[i].jp_value);
		jp[i].jp_name = NULL;
		jp[i].jp_value = NULL;
	}
}

/* Every parameter a jail has (jail(8)'s own pseudo-parameters aside). */
int
jailparam_all(struct jailparam **jpp)
{
	struct jailparam *jp;
	unsigned n = 0;

	jp = calloc(P__MAX, sizeof(*jp));
	if (jp == NULL)
		return fail(no_memory("jailparam_all"));
	for (int id = 0; id < P__MAX; id++) {
		if (param_table[id].flags & PF_PSEUDO)
			continue;
		if (jailparam_init(&jp[n], param_table[id].name) < 0) {
			jailparam_free(jp, n);
			free(jp);
			return -1;
		}
		n++;
	}
	*jpp = jp;
	return (int)n;
}

/* Whether the jail named by jid= or name= in p exists (for -cm). */
static bool
jail_exists(const struct jail_params *p)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	const char *key;
	char buf[24];

	if (param_isset(p, P_JID) && param_int(p, P_JID) > 0) {
		(void)snprintf(buf, sizeof(buf), "%lld", param_int(p, P_JID));
		key = buf;
	} else if (param_isset(p, P_NAME))
		key = param_str(p, P_NAME);
	else
		return false;
	return find_jail(key, JAIL_DYING, &j) == 0;
}

/* The jid jail_create or jail_modify acted on. */
static int
result_jid(const struct jail_params *p)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	int r;

	if (param_isset(p, P_JID) && param_int(p, P_JID) > 0)
		return (int)param_int(p, P_JID);
	if (!param_isset(p, P_NAME))
		return jail_seterr(-ENOENT, "jail_set: no jid assigned");
	r = find_jail(param_str(p, P_NAME), JAIL_DYING, &j);
	return r < 0 ? r : j->jid;
}

/* Create or modify a jail from a parameter set, as jail_set(2) does. */
static int
set_params(struct jail_params *p, int flags)
{
	int status, r;

	if (flags & JAIL_ATTACH)
		return jail_seterr(-EOPNOTSUPP,
		    "JAIL_ATTACH: not supported yet");
	if (!(flags & (JAIL_CREATE | JAIL_UPDATE)) ||
	    (flags & ~(JAIL_CREATE | JAIL_UPDATE | JAIL_DYING)))
		return jail_syserr(-EINVAL, "jail_set");
	if (!(flags & JAIL_CREATE) || ((flags & JAIL_UPDATE) && jail_exists(p)))
		r = jail_modify(p, &quiet_ops, &status);
	else
		r = jail_create(p, &quiet_ops, &status);
	return r < 0 ? r : result_jid(p);
}

/* Create and/or modify a jail from the entries; returns its jid. */
int
jailparam_set(struct jailparam *jp, unsigned njp, int flags)
{
	_cleanup_(params_free) struct jail_params p = { 0 };
	int r;

	for (unsigned i = 0; i < njp; i++) {
		r = import_entry(&p, jp[i].jp_name, jp[i].jp_value);
		if (r < 0)
			return fail(r);
	}
	r = set_params(&p, flags);
	return r < 0 ? fail(r) : r;
}

/* The key entry: lastjid, else a non-zero jid, else name; or -1. */
static int
find_key(const struct jailparam *jp, unsigned njp)
{
	int jid = -1, name = -1;

	for (unsigned i = 0; i < njp; i++) {
		if (strcmp(jp[i].jp_name, LASTJID) == 0)
			return (int)i;
		if (strcmp(jp[i].jp_name, "jid") == 0 && jp[i].jp_value &&
		    strtol(jp[i].jp_value, NULL, 10) != 0)
			jid = (int)i;
		else if (strcmp(jp[i].jp_name, "name") == 0 && jp[i].jp_value)
			name = (int)i;
	}
	return jid >= 0 ? jid : name;
}

/* Fill one entry with the jail's value, as jailparam_export prints it. */
static int
fill_entry(struct jailparam *jp, const struct jail *j)
{
	bool negated;
	char *v = NULL;
	int id, r;

	id = param_find(jp->jp_name, &negated);
	if (id < 0)
		return id;
	r = param_export(&j->params, id, &v);
	if (r < 0)
		return r;
	if (negated && param_table[id].type == PT_BOOL) {
		free(v);
		v = strdup(param_bool(&j->params, id) ? "false" : "true");
		if (v == NULL)
			return no_memory("jailparam_get");
	}
	free(jp->jp_value);
	jp->jp_value = v;
	jp->jp_valuelen = strlen(v);
	return 0;
}

/* Find the jail the key entry names and fill in every other entry. */
int
jailparam_get(struct jailparam *jp, unsigned njp, int flags)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	int key, r;

	key = find_key(jp, njp);
	if (key < 0 || jp[key].jp_value == NULL)
		return fail(jail_seterr(-ENOENT, "no jail specified"));
	r = strcmp(jp[key].jp_name, LASTJID) == 0 ?
	    find_after(jp[key].jp_value, flags, &j) :
	    find_jail(jp[key].jp_value, flags, &j);
	if (r >= 0)
		r = param_import_value(&j->params, P_DYING,
		    j->state == JS_DYING ? "true" : "false", false, false);
	for (unsigned i = 0; r >= 0 && i < njp; i++)
		if ((int)i != key && strcmp(jp[i].jp_name, LASTJID) != 0)
			r = fill_entry(&jp[i], j);
	return r < 0 ? fail(r) : j->jid;
}

/* Count the name/value pairs of a NULL-terminated argument list. */
static unsigned
count_pairs(va_list ap)
{
	va_list tap;
	unsigned n = 0;

	va_copy(tap, ap);
	while (va_arg(tap, char *) != NULL) {
		(void)va_arg(tap, char *);
		n++;
	}
	va_end(tap);
	return n;
}

/* Build jp[0..n) from the name/value pairs of ap; values imported. */
static int
init_pairs(struct jailparam *jp, unsigned n, va_list ap, bool import)
{
	for (unsigned i = 0; i < n; i++) {
		const char *name = va_arg(ap, char *);
		const char *value = va_arg(ap, char *);

		if (jailparam_init(&jp[i], name) < 0 ||
		    (import && jailparam_import(&jp[i], value) < 0)) {
			jailparam_free(jp, i + 1);
			return -1;
		}
	}
	return 0;
}

/* jailparam_set over NULL-terminated name, value string pairs. */
int
jail_setv(int flags, ...)
{
	struct jailparam *jp;
	unsigned n;
	va_list ap;
	int jid = -1;

	va_start(ap, flags);
	n = count_pairs(ap);
	jp = calloc(n + 1, sizeof(*jp));
	if (jp == NULL)
		jid = fail(no_memory("jail_setv"));
	else if (init_pairs(jp, n, ap, true) == 0) {
		jid = jailparam_set(jp, n, flags);
		jailparam_free(jp, n);
	}
	va_end(ap);
	free(jp);
	return jid;
}

/* Copy each non-key value out to the caller's buffers (theirs to size). */
static void
copy_out(const struct jailparam *jp, unsigned n, int key, va_list ap)
{
	for (unsigned i = 0; i < n; i++) {
		char *buf;

		(void)va_arg(ap, char *);
		buf = va_arg(ap, char *);
		if ((int)i != key)
			strcpy(buf,
			    jp[i].jp_value != NULL ? jp[i].jp_value : "");
	}
}

/* Look a jail up by the key among the pairs and fill in the others. */
static int
getv(struct jailparam *jp, unsigned n, int flags, va_list ap)
{
	const char *keyval;
	va_list tap;
	int key, jid = -1;

	va_copy(tap, ap);
	for (unsigned i = 0; i < n; i++) {
		(void)va_arg(tap, char *);
		jp[i].jp_value = va_arg(tap, char *); /* borrowed */
	}
	va_end(tap);
	key = find_key(jp, n);
	keyval = key >= 0 ? jp[key].jp_value : NULL;
	for (unsigned i = 0; i < n; i++)
		jp[i].jp_value = NULL;
	if (key < 0)
		return fail(jail_seterr(-ENOENT, "no jail specified"));
	if (jailparam_import(&jp[key], keyval) == 0)
		jid = jailparam_get(jp, n, flags);
	if (jid >= 0)
		copy_out(jp, n, key, ap);
	return jid;
}

/* jailparam_get over name, buffer pairs; the key's buffer is its value. */
int
jail_getv(int flags, ...)
{
	struct jailparam *jp;
	unsigned n;
	va_list ap, tap;
	int jid = -1;

	va_start(ap, flags);
	n = count_pairs(ap);
	jp = calloc(n + 1, sizeof(*jp));
	va_copy(tap, ap);
	if (jp == NULL)
		jid = fail(no_memory("jail_getv"));
	else if (init_pairs(jp, n, tap, false) == 0) {
		jid = getv(jp, n, flags, ap);
		jailparam_free(jp, n);
	}
	va_end(tap);
	va_end(ap);
	free(jp);
	return jid;
}

/* Remove a jail and kill its processes, without exec.* scripts. */
int
jail_remove(int jid)
{
	char key[16];
	int r;

	(void)snprintf(key, sizeof(key), "%d", jid);
	r = jail_destroy(key, false, &quiet_ops);
	return r < 0 ? fail(r) : 0;
}
