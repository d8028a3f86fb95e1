// SPDX-License-Identifier: BSD-2-Clause
/*
 * libjail.c: FreeBSD's libjail(3) interface over gaol's internal one:
 * naming parameters, importing and exporting their values, and reading
 * jails (jail_getid, jail_getname, jailparam_get, jail_getv).
 *
 * Owns only the translation: arrays of string-valued struct jailparam in
 * and out, what FreeBSD's kernel reports of a jail (read-only values,
 * bare addresses), the walk over the jails by lastjid, and -1 with errno
 * at the boundary, the one place libjail does so (STYLE rule 4).
 * Parsing is param.c's, lookups the registry's.  Never changes a jail (that
 * is libjail-set.c's, so that a reader such as jls(8) links none of the
 * lifecycle), never prints.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jail/life.h"
#include "libjail-int.h"

/* How long a walk's snapshot serves the next lastjid call (ms). */
#define WALK_FRESH_MS 1000

/* Turn a negative errno into libjail(3)'s -1 with errno set. */
int
libjail_fail(int r)
{
	errno = -r;
	return -1;
}

int
libjail_nomem(const char *what)
{
	return jail_syserr(-ENOMEM, "%s", what);
}

/*
 * What FreeBSD's kernel reports of every jail and gaol's registry does
 * not store: gaol jails have no parent jail, no children and no cpuset of
 * their own; and ip4.addr/ip6.addr as the kernel holds them, the bare
 * address (jail(8) takes "iface|addr/prefix").
 */
static void
fill_int(struct jail_params *p, enum param_id id, long long v, bool force)
{
	if (p->v[id].set && !force)
		return;
	p->v[id].set = true;
	p->v[id].i = v;
}

static int
kernel_view(struct jail *j)
{
	fill_int(&j->params, P_JID, j->jid, true);
	fill_int(&j->params, P_DYING, j->state == JS_DYING, true);
	fill_int(&j->params, P_PARENT, 0, false);
	fill_int(&j->params, P_CPUSET_ID, 0, false);
	fill_int(&j->params, P_CHILDREN_CUR, 0, false);
	return jail_addrs_bare(&j->params);
}

/*
 * A jail by jid or name; a dying one only if flags has JAIL_DYING.  Not
 * found is ENOENT with jls(8)'s and jexec(8)'s message either way.
 */
int
libjail_find(const char *key, int flags, struct jail **ret)
{
	struct jail *j = NULL;
	int r;

	r = jail_find(key, &j);
	if (r < 0)
		return r;
	if (j->state != JS_ACTIVE &&
	    !(j->state == JS_DYING && (flags & JAIL_DYING))) {
		jail_free(j);
		return jail_seterr(-ENOENT, "jail \"%s\" not found", key);
	}
	*ret = j;
	return 0;
}

int
libjail_find_jid(int jid, int flags, struct jail **ret)
{
	char key[16];

	(void)snprintf(key, sizeof(key), "%d", jid);
	return libjail_find(key, flags, ret);
}

/*
 * A walk over the jails by lastjid (jls(8)) reads the registry once, at
 * its start, and parses each jail when it is asked for, in jid order:
 * each call after the first continues from the jail the previous one
 * returned, while that was less than WALK_FRESH_MS ago.  Any other
 * lastjid, other flags or a pause start a new walk.  Without it a walk
 * over n jails would read the registry n times.  Per thread, as
 * jail_errmsg; it keeps a descriptor on the registry until it ends.
 */
struct walk {
	struct registry_walk *w;
	int last;		/* the jid the walk returned last */
	int flags;
	long long at;		/* when it did (now_ms) */
};

static __thread struct walk walk;

static void
walk_end(void)
{
	registry_walk_close(walk.w);
	walk = (struct walk){ .w = NULL };
}

static bool
walk_continues(int last, int flags)
{
	long long ms;

	if (walk.w == NULL || walk.last != last || walk.flags != flags ||
	    last == 0)
		return false;
	ms = now_ms() - walk.at;
	return ms >= 0 && ms < WALK_FRESH_MS;
}

/* The first jail whose jid is above last, as FreeBSD's lastjid key. */
static int
find_after(const char *last, int flags, struct jail **ret)
{
	struct jail *j = NULL;
	int r, after = (int)strtol(last, NULL, 10);

	flags &= JAIL_DYING;
	if (!walk_continues(after, flags)) {
		walk_end();
		r = registry_walk_open(true, &walk.w);	/* the dead, to reap */
		if (r < 0)
			return r;
		walk.flags = flags;
	}
	while ((r = registry_walk_next(walk.w, &j)) >= 0 && j != NULL) {
		/* a dead jail is torn down on the way, as jail_each does */
		if (jail_passed_over(j, flags & JAIL_DYING)) {
			jail_freep(&j);
			continue;
		}
		if (j->jid > after) {
			*ret = j;
			walk.last = j->jid;
			walk.at = now_ms();
			return 0;
		}
		jail_freep(&j);
	}
	walk_end();
	return r < 0 ? r : jail_seterr(-ENOENT, "no jail after %d", after);
}

/* The jid of a jail given by jid or name, as jail_getid(3). */
int
jail_getid(const char *name)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	int r;

	r = libjail_find(name, 0, &j);
	if (r < 0)
		return libjail_fail(r);
	return j->jid;
}

/* A malloc'd copy of a jail's name, as jail_getname(3). */
char *
jail_getname(int jid)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	char *name;
	int r;

	r = libjail_find_jid(jid, 0, &j);
	if (r < 0) {
		(void)libjail_fail(r);
		return NULL;
	}
	name = strdup(jail_name(j));
	if (name == NULL)
		(void)libjail_fail(libjail_nomem("jail_getname"));
	return name;
}

/*
 * Name an entry; unknown names fail here, as on FreeBSD.  jp_ctltype
 * keeps the parameter's row (-1: lastjid), so that a jls over many jails
 * does not look each name up again for each jail.
 */
int
jailparam_init(struct jailparam *jp, const char *name)
{
	bool negated = false;
	int id = -1;

	memset(jp, 0, sizeof(*jp));
	if (strcmp(name, LASTJID) != 0) {
		id = param_find(name, &negated);
		if (id < 0)
			return libjail_fail(id);
		if (param_table[id].type == PT_BOOL)
			jp->jp_flags = negated ? JP_NOBOOL : JP_BOOL;
		else if (param_table[id].type == PT_SYS)
			jp->jp_flags = JP_JAILSYS;
	}
	jp->jp_ctltype = id;
	jp->jp_name = strdup(name);
	if (jp->jp_name == NULL)
		return libjail_fail(libjail_nomem("jailparam_init"));
	return 0;
}

/* The entry's row, from jailparam_init, or looked up again by name. */
static int
entry_row(const struct jailparam *jp, bool *ret_negated)
{
	int id = jp->jp_ctltype;

	if (id >= 0 && id < P__MAX &&
	    strcmp(param_table[id].name, jp->jp_name) == 0) {
		*ret_negated = false;
		return id;
	}
	return param_find(jp->jp_name, ret_negated);
}

/*
 * Parse one entry's string value into p.  A value on a "no" boolean
 * ("nopersist=true") is inverted, as libjail's JP_NOBOOL values are.
 */
int
libjail_import_entry(struct jail_params *p, const struct jailparam *jp,
    const char *value)
{
	bool negated;
	int id, r;

	id = entry_row(jp, &negated);
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
check_value(const struct jailparam *jp, const char *value)
{
	struct jail_params tmp = { 0 };
	char *end;
	int r;

	if (strcmp(jp->jp_name, LASTJID) == 0) {
		(void)strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0')
			return jail_seterr(-EINVAL,
			    "%s: non-integer value \"%s\"", jp->jp_name, value);
		return 0;
	}
	r = libjail_import_entry(&tmp, jp, value);
	params_free(&tmp);
	return r;
}

/* Give an entry a value it owns, dropping what it held. */
static void
entry_own(struct jailparam *jp, char *v)
{
	if (!(jp->jp_flags & JP_RAWVALUE))
		free(jp->jp_value);
	jp->jp_flags &= ~JP_RAWVALUE;
	jp->jp_value = v;
	jp->jp_valuelen = v != NULL ? strlen(v) : 0;
}

/* Check a string value and keep a copy of it in the entry. */
int
jailparam_import(struct jailparam *jp, const char *value)
{
	char *v;
	int r;

	if (value == NULL)
		return 0;
	r = check_value(jp, value);
	if (r < 0)
		return libjail_fail(r);
	v = strdup(value);
	if (v == NULL)
		return libjail_fail(libjail_nomem("jailparam_import"));
	entry_own(jp, v);
	return 0;
}

/*
 * The caller's own buffer as the value, unchecked and not copied, as on
 * FreeBSD.  gaol's native form of every parameter is its string, so the
 * buffer holds valuelen bytes of that string (a NUL ends it sooner);
 * jailparam_set checks it, jailparam_get writes into it.
 */
int
jailparam_import_raw(struct jailparam *jp, void *value, size_t valuelen)
{
	entry_own(jp, NULL);
	jp->jp_value = value;
	jp->jp_valuelen = valuelen;
	jp->jp_flags |= JP_RAWVALUE;
	return 0;
}

/* The entry's value as a string of its own (a raw one copied), or NULL. */
char *
libjail_entry_string(const struct jailparam *jp)
{
	if (jp->jp_value == NULL)
		return NULL;
	if (jp->jp_flags & JP_RAWVALUE)
		return strndup(jp->jp_value, jp->jp_valuelen);
	return strdup(jp->jp_value);
}

/* A malloc'd copy of the entry's value ("" if it has none). */
char *
jailparam_export(struct jailparam *jp)
{
	char *v = libjail_entry_string(jp);

	if (v == NULL && jp->jp_value == NULL)
		v = strdup("");
	if (v == NULL)
		(void)libjail_fail(libjail_nomem("jailparam_export"));
	return v;
}

void
jailparam_free(struct jailparam *jp, unsigned njp)
{
	for (unsigned i = 0; i < njp; i++) {
		free(jp[i].jp_name);
		if (!(jp[i].jp_flags & JP_RAWVALUE))
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
		return libjail_fail(libjail_nomem("jailparam_all"));
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

/* v into the caller's own buffer of a raw entry, if it fits. */
static int
fill_raw(struct jailparam *jp, const char *v)
{
	size_t len = strlen(v);

	if (len >= jp->jp_valuelen)
		return jail_seterr(-EINVAL,
		    "%s: value does not fit in %zu bytes", jp->jp_name,
		    jp->jp_valuelen);
	memcpy(jp->jp_value, v, len + 1);
	return 0;
}

/*
 * A row's default as jailparam_export prints it, made once per process
 * (a walk over many jails exports the same defaults again and again).
 * Shared by threads: the first to store it wins, a loser frees its copy.
 */
static const char *
default_value(enum param_id id)
{
	static char *cache[P__MAX];
	char *v = __atomic_load_n(&cache[id], __ATOMIC_ACQUIRE), *none = NULL;

	if (v != NULL || param_export(NULL, id, &v) < 0)
		return v;
	if (!__atomic_compare_exchange_n(&cache[id], &none, v, false,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		free(v);
		v = none;
	}
	return v;
}

/*
 * v as the entry's value: into a raw entry's buffer, into the string the
 * entry already owns if it is long enough, else a copy of its own.
 */
static int
put_value(struct jailparam *jp, const char *v)
{
	size_t len = strlen(v);
	char *c;

	if (jp->jp_flags & JP_RAWVALUE)
		return fill_raw(jp, v);
	if (jp->jp_value != NULL && len <= jp->jp_valuelen) {
		memcpy(jp->jp_value, v, len + 1);
		jp->jp_valuelen = len;
		return 0;
	}
	c = strdup(v);
	if (c == NULL)
		return libjail_nomem("jailparam_get");
	entry_own(jp, c);
	return 0;
}

/* Fill one entry with the jail's value, as jailparam_export prints it. */
static int
fill_entry(struct jailparam *jp, const struct jail *j)
{
	_cleanup_free_ char *v = NULL;
	const char *d;
	bool negated;
	int id, r;

	id = entry_row(jp, &negated);
	if (id < 0)
		return id;
	if (param_table[id].type == PT_BOOL)
		return put_value(jp,
		    param_bool(&j->params, id) != negated ? "true" : "false");
	if (!j->params.v[id].set) {
		d = default_value(id);
		return d != NULL ? put_value(jp, d)
				 : libjail_nomem("jailparam_get");
	}
	/* strings and integers as param_export prints them, without a copy */
	if (param_table[id].type == PT_STRING)
		return put_value(jp, j->params.v[id].s);
	if (param_table[id].type == PT_INT) {
		char num[24];

		(void)snprintf(num, sizeof(num), "%lld", j->params.v[id].i);
		return put_value(jp, num);
	}
	r = param_export(&j->params, id, &v);
	return r < 0 ? r : put_value(jp, v);
}

/* Find the jail the key entry names and fill in every other entry. */
int
jailparam_get(struct jailparam *jp, unsigned njp, int flags)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	_cleanup_free_ char *keyval = NULL;
	int key, r;

	if (flags & ~JAIL_DYING)	/* FreeBSD's JAIL_GET_MASK */
		return libjail_fail(jail_seterr(-EINVAL, "jail_get: %s",
		    strerror(EINVAL)));
	key = find_key(jp, njp);
	keyval = key >= 0 ? libjail_entry_string(&jp[key]) : NULL;
	if (keyval == NULL)
		return libjail_fail(jail_seterr(-ENOENT, "no jail specified"));
	r = strcmp(jp[key].jp_name, LASTJID) == 0 ?
	    find_after(keyval, flags, &j) : libjail_find(keyval, flags, &j);
	if (r >= 0)
		r = kernel_view(j);
	for (unsigned i = 0; r >= 0 && i < njp; i++)
		if ((int)i != key && strcmp(jp[i].jp_name, LASTJID) != 0)
			r = fill_entry(&jp[i], j);
	return r < 0 ? libjail_fail(r) : j->jid;
}

/* Count the name/value pairs of a NULL-terminated argument list. */
unsigned
libjail_count_pairs(va_list ap)
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
int
libjail_init_pairs(struct jailparam *jp, unsigned n, va_list ap, bool import)
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
		return libjail_fail(jail_seterr(-ENOENT, "no jail specified"));
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
	n = libjail_count_pairs(ap);
	jp = calloc(n + 1, sizeof(*jp));
	va_copy(tap, ap);
	if (jp == NULL)
		jid = libjail_fail(libjail_nomem("jail_getv"));
	else if (libjail_init_pairs(jp, n, tap, false) == 0) {
		jid = getv(jp, n, flags, ap);
		jailparam_free(jp, n);
	}
	va_end(tap);
	va_end(ap);
	free(jp);
	return jid;
}

