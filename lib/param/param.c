// SPDX-License-Identifier: BSD-2-Clause
/*
 * param.c: parameter names and values coming in, and typed access.
 *
 * Owns the one parser of parameter values: argv, jail.conf, libjail(3)
 * and the state directory all come through param_import_value, driven by
 * the row types of param_table[] (param-table.c); param-export.c prints.
 * Never prints, never exits; every failure names the parameter.
 */
#include <assert.h>
#include <limits.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "param/param.h"
#include "param-int.h"

typedef int import_fn(enum param_id id, const char *value, bool negated,
    struct pval *out);

static const struct {
	const char *word;
	bool value;
} bool_words[] = {
	{ "false", false },
	{ "true", true },
	{ "0", false },
	{ "1", true },
};

static const struct {
	long long min, max;
} int_ranges[PR__MAX] = {
	[PR_DEFAULT] = { INT_MIN, INT_MAX },
	[PR_NONNEG] = { 0, INT_MAX },
	[PR_STATFS] = { 0, 2 },
	[PR_U32] = { 0, UINT32_MAX },
	[PR_NEW_INHERIT] = { JAIL_SYS_NEW, JAIL_SYS_INHERIT },
};

const char *const param_jailsys_names[3] = {
	[JAIL_SYS_DISABLE] = "disable",
	[JAIL_SYS_NEW] = "new",
	[JAIL_SYS_INHERIT] = "inherit",
};

int
param_oom(void)
{
	return jail_seterr(-ENOMEM, "%s", strerror(ENOMEM));
}

/* Linux UTS fields hold 64 bytes plus the terminating NUL. */
#define UTS_MAX 64

/* Append a copy of s to l, keeping l NULL-terminated. */
int
strv_push(struct strv *l, const char *s)
{
	char **v;
	char *c;

	c = strdup(s);
	if (c == NULL)
		return param_oom();
	v = realloc(l->v, (l->n + 2) * sizeof(*v));
	if (v == NULL) {
		free(c);
		return param_oom();
	}
	v[l->n++] = c;
	v[l->n] = NULL;
	l->v = v;
	return 0;
}

void
strv_clear(struct strv *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Move every element of src to the end of dst; src ends up empty. */
static int
strv_extend(struct strv *dst, struct strv *src)
{
	char **v;

	if (src->n == 0)
		return 0;
	v = realloc(dst->v, (dst->n + src->n + 1) * sizeof(*v));
	if (v == NULL)
		return param_oom();
	memcpy(v + dst->n, src->v, src->n * sizeof(*v));
	dst->n += src->n;
	v[dst->n] = NULL;
	dst->v = v;
	free(src->v);
	src->v = NULL;
	src->n = 0;
	return 0;
}

/* Free what a value owns, according to its row's type. */
static void
pval_free(enum param_id id, struct pval *pv)
{
	enum param_type t = param_table[id].type;

	if (pv->set && t == PT_STRING)
		free(pv->s);
	else if (pv->set && param_type_is_list(t))
		strv_clear(&pv->l);
	memset(pv, 0, sizeof(*pv));
}

/* "persist" -> "nopersist", "allow.mount.devfs" -> "allow.mount.nodevfs". */
void
param_noname(const char *name, char *buf, size_t size)
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL)
		(void)snprintf(buf, size, "no%s", name);
	else
		(void)snprintf(buf, size, "%.*s.no%s", (int)(dot - name), name,
		    dot + 1);
}

static int
find_exact(const char *name)
{
	for (size_t i = 0; i < nitems(param_table); i++)
		if (strcmp(param_table[i].name, name) == 0)
			return (int)i;
	return -ENOENT;
}

/* The row a "no" form names: "allow.nomount" -> allow.mount, if boolean. */
static int
find_negated(const char *name)
{
	const char *dot = strrchr(name, '.');
	const char *last = dot == NULL ? name : dot + 1;
	char buf[PARAM_NAME_MAX];
	int id;

	if (strncmp(last, "no", 2) != 0 || strlen(name) >= sizeof(buf))
		return -ENOENT;
	(void)snprintf(buf, sizeof(buf), "%.*s%s", (int)(last - name), name,
	    last + 2);
	id = find_exact(buf);
	if (id < 0 ||
	    (param_table[id].type != PT_BOOL && param_table[id].type != PT_SYS))
		return -ENOENT;
	return id;
}

int
param_find(const char *name, bool *ret_negated)
{
	int id;

	id = find_exact(name);
	if (id >= 0) {
		*ret_negated = false;
		return id;
	}
	id = find_negated(name);
	if (id >= 0) {
		*ret_negated = true;
		return id;
	}
	return jail_seterr(-ENOENT, "unknown parameter: %s", name);
}

/* strtoll for a whole string: -EINVAL if not a number, -ERANGE if huge. */
static int
parse_ll(const char *s, long long *ret)
{
	char *end;
	long long v;

	if (!(*s == '-' || *s == '+' || (*s >= '0' && *s <= '9')))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0')
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	*ret = v;
	return 0;
}

/* Whether v is a value the row accepts (its param_range). */
static bool
in_range(enum param_id id, long long v)
{
	enum param_range r = param_table[id].range;

	if (r == PR_DEFAULT && param_table[id].type == PT_SYS)
		return v >= JAIL_SYS_DISABLE && v <= JAIL_SYS_INHERIT;
	return v >= int_ranges[r].min && v <= int_ranges[r].max;
}

static int
err_invalid(enum param_id id, const char *value)
{
	return jail_seterr(-EINVAL, "%s: invalid value \"%s\"",
	    param_table[id].name, value);
}

/* true|false|1|0 in any case; a bare name is true, its "no" form false. */
static int
import_bool(enum param_id id, const char *value, bool negated, struct pval *out)
{
	if (value == NULL) {
		out->i = !negated;
		return 0;
	}
	for (size_t i = 0; i < nitems(bool_words); i++)
		if (strcasecmp(value, bool_words[i].word) == 0) {
			out->i = bool_words[i].value;
			return 0;
		}
	return jail_seterr(-EINVAL, "%s: unknown boolean value \"%s\"",
	    param_table[id].name, value);
}

/* A decimal int: syntax errors "non-integer", range errors "invalid". */
static int
import_int(enum param_id id, const char *value, _unused_ bool negated,
    struct pval *out)
{
	long long v;
	int r;

	if (value == NULL)
		value = "";
	r = parse_ll(value, &v);
	if (r == -EINVAL)
		return jail_seterr(r, "%s: non-integer value \"%s\"",
		    param_table[id].name, value);
	if (r < 0 || !in_range(id, v))
		return err_invalid(id, value);
	out->i = v;
	return 0;
}

/* disable|new|inherit or 0..2; bare "vnet" is new, "noip4" disable. */
static int
import_sys(enum param_id id, const char *value, bool negated, struct pval *out)
{
	long long v = -1;

	if (value == NULL || *value == '\0')
		v = !negated			   ? JAIL_SYS_NEW :
		    in_range(id, JAIL_SYS_DISABLE) ? JAIL_SYS_DISABLE :
						     JAIL_SYS_INHERIT;
	for (size_t i = 0; v < 0 && i < nitems(param_jailsys_names); i++)
		if (strcasecmp(value, param_jailsys_names[i]) == 0)
			v = (long long)i;
	if (v < 0 && parse_ll(value, &v) < 0)
		return jail_seterr(-EINVAL, "%s: unknown jailsys value \"%s\"",
		    param_table[id].name, value);
	if (!in_range(id, v))
		return err_invalid(id, value);
	out->i = v;
	return 0;
}

/* name= is the jail's key beside jid: non-empty, no "." (no children). */
static int
check_name(_unused_ enum param_id id, const char *v)
{
	if (*v == '\0')
		return jail_seterr(-EINVAL, "name: must not be empty");
	if (strchr(v, '.') != NULL)
		return jail_seterr(-EINVAL,
		    "name: \"%s\": must not contain \".\"", v);
	return 0;
}

static int
check_path(enum param_id id, const char *v)
{
	if (*v != '/')
		return jail_seterr(-EINVAL, "%s: \"%s\": not an absolute path",
		    param_table[id].name, v);
	return 0;
}

/* Linux keeps a UTS name in 64 bytes; longer would be cut silently. */
static int
check_uts(enum param_id id, const char *v)
{
	if (strlen(v) > UTS_MAX)
		return jail_seterr(-EINVAL, "%s: \"%s\": longer than %d bytes",
		    param_table[id].name, v, UTS_MAX);
	return 0;
}

/* Extra checks for string rows, by parameter. */
static int (*const string_checks[P__MAX])(enum param_id, const char *) = {
	[P_NAME] = check_name,
	[P_PATH] = check_path,
	[P_HOST_HOSTNAME] = check_uts,
	[P_HOST_DOMAINNAME] = check_uts,
};

static int
import_string(enum param_id id, const char *value, _unused_ bool negated,
    struct pval *out)
{
	int r;

	if (value == NULL)
		value = "";
	if (string_checks[id] != NULL) {
		r = string_checks[id](id, value);
		if (r < 0)
			return r;
	}
	out->s = strdup(value);
	return out->s == NULL ? param_oom() : 0;
}

/* One element: an empty value is an empty list (FreeBSD's arrays). */
static int
import_list(_unused_ enum param_id id, const char *value, _unused_ bool negated,
    struct pval *out)
{
	if (value == NULL || *value == '\0')
		return 0;
	return strv_push(&out->l, value);
}

/* A comma-separated address list; "" and "-" are the empty list. */
static int
import_ip(enum param_id id, const char *value, _unused_ bool negated,
    struct pval *out)
{
	int af = param_table[id].type == PT_IP4 ? AF_INET : AF_INET6;
	size_t len;
	char *elem;
	int r;

	if (value == NULL || strcmp(value, "") == 0 || strcmp(value, "-") == 0)
		return 0;
	for (const char *s = value;; s += len + 1) {
		struct jail_addr a;

		len = strcspn(s, ",");
		r = jail_addr_parse(af, s, len, &a);	/* netaddr.c */
		if (r < 0)
			return jail_errctx(r, "%s", param_table[id].name);
		elem = strndup(s, len);
		r = elem == NULL ? param_oom() : strv_push(&out->l, elem);
		free(elem);
		if (r < 0)
			return r;
		if (s[len] == '\0')
			return 0;
	}
}

static import_fn *const importers[PT__MAX] = {
	[PT_BOOL] = import_bool,
	[PT_INT] = import_int,
	[PT_STRING] = import_string,
	[PT_LIST] = import_list,
	[PT_ARGV] = import_list,
	[PT_SYS] = import_sys,
	[PT_IP4] = import_ip,
	[PT_IP6] = import_ip,
};

/* Parse value by the row's type into p, replacing or (+=) appending. */
int
param_import_value(struct jail_params *p, enum param_id id, const char *value,
    bool negated, bool append)
{
	const struct param_def *d = &param_table[id];
	struct pval nv = { .set = true };
	char nname[PARAM_NAME_MAX];
	int r;

	assert(id >= 0 && id < P__MAX);
	if (append && !param_type_is_list(d->type))
		return jail_seterr(-EINVAL,
		    "%s: cannot append to a non-list parameter", d->name);
	if (negated && value != NULL) {
		param_noname(d->name, nname, sizeof(nname));
		return jail_seterr(-EINVAL, "%s: unexpected value \"%s\"",
		    nname, value);
	}
	r = importers[d->type](id, value, negated, &nv);
	if (r >= 0 && append && p->v[id].set)
		r = strv_extend(&p->v[id].l, &nv.l);
	if (r < 0 || (append && p->v[id].set)) {
		pval_free(id, &nv);
		return r;
	}
	pval_free(id, &p->v[id]);
	p->v[id] = nv;
	return 0;
}

/* Parse "name", "noname", "name=value" or "name+=value" into p. */
int
param_import(struct jail_params *p, const char *arg)
{
	_cleanup_free_ char *name = NULL;
	const char *eq = strchr(arg, '=');
	size_t len = eq == NULL ? strlen(arg) : (size_t)(eq - arg);
	bool append = false, negated;
	int id;

	if (eq != NULL && len > 0 && arg[len - 1] == '+') {
		append = true;
		len--;
	}
	name = strndup(arg, len);
	if (name == NULL)
		return param_oom();
	id = param_find(name, &negated);
	if (id < 0)
		return id;
	return param_import_value(p, id, eq == NULL ? NULL : eq + 1, negated,
	    append);
}

/* The row's default as a value; false if it has none. */
static bool
default_value(enum param_id id, struct pval *ret)
{
	const char *def = param_table[id].def;
	int r;

	memset(ret, 0, sizeof(*ret));
	if (def == NULL)
		return false;
	/* Defaults are valid by construction: test-param imports each. */
	r = importers[param_table[id].type](id, def, false, ret);
	assert(r >= 0);
	ret->set = r >= 0;
	return ret->set;
}

/* The integer behind a bool, int or jailsys row, set or default. */
static long long
scalar(const struct jail_params *p, enum param_id id)
{
	struct pval def;

	assert(!param_type_is_list(param_table[id].type) &&
	    param_table[id].type != PT_STRING);
	if (p != NULL && p->v[id].set)
		return p->v[id].i;
	return default_value(id, &def) ? def.i : 0;
}

bool
param_bool(const struct jail_params *p, enum param_id id)
{
	return scalar(p, id) != 0;
}

long long
param_int(const struct jail_params *p, enum param_id id)
{
	return scalar(p, id);
}

/* The string if set, else the default (which may be NULL). */
const char *
param_str(const struct jail_params *p, enum param_id id)
{
	assert(param_table[id].type == PT_STRING);
	if (p != NULL && p->v[id].set)
		return p->v[id].s;
	return param_table[id].def;
}

/* The list if set, else an empty one. */
const struct strv *
param_list(const struct jail_params *p, enum param_id id)
{
	static const struct strv empty = { NULL, 0 };

	assert(param_type_is_list(param_table[id].type));
	if (p != NULL && p->v[id].set)
		return &p->v[id].l;
	return &empty;
}

bool
param_isset(const struct jail_params *p, enum param_id id)
{
	return p != NULL && p->v[id].set;
}

void
param_clear(struct jail_params *p, enum param_id id)
{
	pval_free(id, &p->v[id]);
}

void
params_free(struct jail_params *p)
{
	if (p == NULL)
		return;
	for (int id = 0; id < P__MAX; id++)
		pval_free(id, &p->v[id]);
}

/* Deep-copy one value. */
static int
pval_copy(enum param_id id, struct pval *dst, const struct pval *src)
{
	enum param_type t = param_table[id].type;
	int r = 0;

	*dst = (struct pval) { .set = true, .i = src->i };
	if (t == PT_STRING) {
		dst->s = strdup(src->s);
		r = dst->s == NULL ? param_oom() : 0;
	} else if (param_type_is_list(t)) {
		dst->l = (struct strv) { NULL, 0 };
		for (size_t i = 0; r >= 0 && i < src->l.n; i++)
			r = strv_push(&dst->l, src->l.v[i]);
	}
	if (r < 0)
		pval_free(id, dst);
	return r;
}

/* Replace dst's value of id with a copy of src's; dst may be src. */
int
param_copy(struct jail_params *dst, const struct jail_params *src,
    enum param_id id)
{
	struct pval v = { .set = false };
	int r;

	if (src->v[id].set) {
		r = pval_copy(id, &v, &src->v[id]);
		if (r < 0)
			return r;
	}
	pval_free(id, &dst->v[id]);
	dst->v[id] = v;
	return 0;
}

/* Deep-copy a whole set; on failure dst is left empty. */
int
params_copy(struct jail_params *dst, const struct jail_params *src)
{
	int r;

	memset(dst, 0, sizeof(*dst));
	for (int id = 0; id < P__MAX; id++) {
		if (!src->v[id].set)
			continue;
		r = pval_copy(id, &dst->v[id], &src->v[id]);
		if (r < 0) {
			params_free(dst);
			return r;
		}
	}
	return 0;
}
