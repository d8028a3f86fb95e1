// SPDX-License-Identifier: BSD-2-Clause
/*
 * conf-resolve.c: one jail's parameters from the parsed sections, after
 * FreeBSD's load_config() and add_param().
 *
 * Owns precedence and variables: the block's name sets name= (or jid=),
 * then every section that applies to the jail -- global statements,
 * wildcard blocks that match, the block itself -- is applied in file
 * order, "=" replacing and "+=" appending, so later settings win.  Then
 * "$name"/"${name}" references are expanded with this jail's values and
 * every parameter is imported through param_import_value(), which does
 * every type check.  Never reads files (conf.c does) and never parses
 * text (conf-lex.c does).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf-int.h"
#include "conf/conf.h"

enum entry_state { ES_NEW, ES_BUSY, ES_DONE };

/* A value as written (variables not in yet): a struct, so arrays of them
 * are not arrays of bare pointers to structs. */
struct tmpl {
	const struct conf_str *s;
};

/* A value expanded, and the template it came from (for messages). */
struct value {
	char *s;
	const struct conf_str *src;
};

/* A parameter or variable as the sections applied so far left it. */
struct entry {
	bool present;
	const char *name;	/* as last written, for "$name" */
	int id;			/* -1: a variable */
	bool negated;
	bool fixed;		/* set by the block's name: no statement may */
	struct conf_str where;	/* the statement that last set it */
	struct tmpl *vals;
	size_t n;
	struct value *out;	/* expanded */
	size_t nout, bytes;
	enum entry_state state;
};

/* One jail's entries, by slot, and the slots in the order first set. */
struct resolver {
	const struct section *jail;
	struct entry *e;
	size_t *order;
	size_t n;
};

static void
resolver_free(struct resolver *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		struct entry *e = &rs->e[rs->order[i]];

		for (size_t k = 0; k < e->nout; k++)
			free(e->out[k].s);
		free(e->out);
		free(e->vals);
	}
	free(rs->e);
	free(rs->order);
}

/* Prefix a message with its place; a shared statement names the jail. */
static int
place(const struct resolver *rs, const struct conf_str *where, int r)
{
	if (!where->shared)
		return conf_at(where->file, where->line, where->col, r);
	return jail_errctx(r, "%s:%u:%u: jail \"%s\"", where->file,
	    where->line, where->col, rs->jail->name);
}

static struct entry *
find_entry(const struct resolver *rs, size_t slot)
{
	return rs->e[slot].present ? &rs->e[slot] : NULL;
}

static struct entry *
new_entry(struct resolver *rs, size_t slot, int id, const char *name)
{
	size_t *v = conf_grow(rs->order, rs->n, sizeof(*v));

	if (v == NULL)
		return NULL;
	rs->order = v;
	v[rs->n++] = slot;
	rs->e[slot] = (struct entry){ .present = true, .id = id,
		.name = name };
	return &rs->e[slot];
}

static int
push_val(struct entry *e, const struct conf_str *v)
{
	struct tmpl *nv = conf_grow(e->vals, e->n, sizeof(*nv));

	if (nv == NULL)
		return conf_oom();
	e->vals = nv;
	nv[e->n++].s = v;
	return 0;
}

/*
 * Apply one statement, as FreeBSD's add_param: "=" replaces the values,
 * "+=" appends to them; the spelling last used ("nopersist") sticks.
 */
static int
apply(struct resolver *rs, const struct stmt *st)
{
	struct entry *e = find_entry(rs, st->slot);
	const struct conf_str where = { .file = st->file, .line = st->line,
		.col = st->col, .shared = st->shared };

	if (e == NULL &&
	    (e = new_entry(rs, st->slot, st->id, st->name)) == NULL)
		return conf_oom();
	if (e->fixed)
		return place(rs, &where, jail_seterr(-EINVAL,
		    "cannot redefine parameter \"%s\"", e->name));
	e->name = st->name;
	e->negated = st->negated;
	e->where = where;
	if (!st->append || st->nvals == 0)
		e->n = 0;
	for (size_t i = 0; i < st->nvals; i++)
		if (push_val(e, &st->vals[i]) < 0)
			return conf_oom();
	return 0;
}

/*
 * Whether jail name matches wildcard w (config.c's wild_jail_match): a
 * final "*" component matches the rest, an inner one one component.
 */
static bool
wild_match(const char *name, const char *w)
{
	const char *nd, *wd;

	for (; (nd = strchr(name, '.')) && (wd = strchr(w, '.'));
	     name = nd + 1, w = wd + 1)
		if (strncmp(w, "*.", 2) != 0 &&
		    (nd - name != wd - w || strncmp(name, w, nd - name) != 0))
			return false;
	return strcmp(w, "*") == 0 || strcmp(name, w) == 0;
}

/* The entry the block's name makes: jid= if it is a number, else name=. */
static int
name_entry(struct resolver *rs)
{
	const struct section *j = rs->jail;
	char *end;
	bool jid = strtol(j->name, &end, 10) != 0 && *end == '\0';
	struct entry *e = new_entry(rs, jid ? P_JID : P_NAME,
	    jid ? P_JID : P_NAME, jid ? "jid" : "name");

	if (e == NULL || push_val(e, &j->self) < 0)
		return conf_oom();
	e->fixed = true;
	e->where = j->self;
	return 0;
}

/* Apply every section that applies to the jail, in file order. */
static int
collect(struct resolver *rs, const struct parse *ps)
{
	const struct section *j = rs->jail;
	int r = name_entry(rs);

	for (size_t i = 0; r >= 0 && i < ps->nsecs; i++) {
		const struct section *s = &ps->secs[i];

		if (s != j && !(s->wild && wild_match(j->name, s->name)))
			continue;
		for (size_t k = 0; r >= 0 && k < s->n; k++)
			r = apply(rs, &s->stmts[k]);
	}
	return r;
}

/* Add one expanded value; all of an entry's together stay small. */
static int
push_out(const struct resolver *rs, struct entry *e, char *s,
    const struct conf_str *src)
{
	struct value *nv;

	e->bytes += strlen(s) + 1;
	if (e->bytes > CONF_VALUE_MAX) {
		free(s);
		return place(rs, src, jail_seterr(-E2BIG, "value too long"));
	}
	nv = conf_grow(e->out, e->nout, sizeof(*nv));
	if (nv == NULL) {
		free(s);
		return conf_oom();
	}
	e->out = nv;
	nv[e->nout++] = (struct value){ s, src };
	return 0;
}

static int expand(struct resolver *rs, struct entry *e);

/* The entry reference i of v names, expanded; errors point at the "$". */
static int
lookup(struct resolver *rs, const struct conf_str *v, size_t i,
    struct entry **ret)
{
	const struct conf_var *var = &v->vars[i];
	const struct conf_str where = { .file = v->file, .line = var->line,
		.col = var->col, .shared = v->shared };
	struct entry *t = var->slot == SIZE_MAX ? NULL :
						  find_entry(rs, var->slot);
	int r;

	if (t == NULL || strcmp(t->name, var->name) != 0)
		r = jail_seterr(-EINVAL, "unknown variable \"$%s\"", var->name);
	else if (t->n == 0)
		r = jail_seterr(-EINVAL, "variable \"$%s\" has no value",
		    var->name);
	else if (t->state == ES_BUSY)
		r = jail_seterr(-ELOOP, "variable loop: \"$%s\"", var->name);
	else {
		r = expand(rs, t);
		if (r < 0)
			return r;	/* placed where it happened */
		if (t->nout == 1 || (v->len == 0 && v->nvars == 1)) {
			*ret = t;
			return 0;
		}
		r = jail_seterr(-EINVAL,
		    "list \"$%s\" cannot be substituted inline", var->name);
	}
	return place(rs, &where, r);
}

/*
 * Add reference i of v to out, after the text before it.  A value that is
 * one reference to a list and nothing else becomes the whole list
 * (FreeBSD): all but its last element go to e directly.
 */
static int
put_ref(struct resolver *rs, struct entry *e, const struct conf_str *v,
    size_t i, struct conf_str *out)
{
	size_t pos = i == 0 ? 0 : v->vars[i - 1].pos;
	struct entry *t = NULL;
	int r = lookup(rs, v, i, &t);

	for (size_t k = 1; r >= 0 && k < t->nout; k++) {
		char *dup = strdup(t->out[k - 1].s);

		r = dup == NULL ? conf_oom() : push_out(rs, e, dup, v);
	}
	if (r < 0)
		return r;
	r = conf_str_append(out, v->s + pos, v->vars[i].pos - pos);
	if (r >= 0)
		r = conf_str_append(out, t->out[t->nout - 1].s,
		    strlen(t->out[t->nout - 1].s));
	return r < 0 ? place(rs, v, r) : 0;
}

/* Expand one template into e's values. */
static int
expand_value(struct resolver *rs, struct entry *e, const struct conf_str *v)
{
	struct conf_str out = { 0 };
	size_t pos = v->nvars == 0 ? 0 : v->vars[v->nvars - 1].pos;
	int r = 0;

	for (size_t i = 0; r >= 0 && i < v->nvars; i++)
		r = put_ref(rs, e, v, i, &out);
	if (r >= 0 && conf_str_append(&out, v->s + pos, v->len - pos) < 0)
		r = place(rs, v, -E2BIG);
	if (r >= 0)
		return push_out(rs, e, TAKE_PTR(out.s), v);
	conf_str_free(&out);
	return r;
}

/* Expand an entry's values, the entries they name first. */
static int
expand(struct resolver *rs, struct entry *e)
{
	int r = 0;

	if (e->state == ES_DONE)
		return 0;
	e->state = ES_BUSY;
	for (size_t i = 0; r >= 0 && i < e->n; i++)
		r = expand_value(rs, e, e->vals[i].s);
	e->state = ES_DONE;
	return r;
}

static bool
is_list(enum param_id id)
{
	enum param_type t = param_table[id].type;

	return t == PT_LIST || t == PT_ARGV || t == PT_IP4 || t == PT_IP6;
}

/* One parameter's values into p; a list takes each, others only one. */
static int
import(const struct resolver *rs, const struct entry *e,
    struct jail_params *p)
{
	int r;

	if (e->nout > 1 && !is_list(e->id))
		return place(rs, &e->where, jail_seterr(-EINVAL,
		    "%s: more than one value", e->name));
	if (e->nout == 0) {
		r = param_import_value(p, e->id, NULL, e->negated, false);
		return r < 0 ? place(rs, &e->where, r) : 0;
	}
	for (size_t i = 0; i < e->nout; i++) {
		r = param_import_value(p, e->id, e->out[i].s, e->negated,
		    i > 0);
		if (r < 0)
			return place(rs, e->out[i].src, r);
	}
	return 0;
}

/* One jail block into j. */
static int
resolve_jail(const struct parse *ps, const struct section *s,
    struct conf_jail *j)
{
	struct resolver rs = { .jail = s,
		.e = calloc(ps->nslots, sizeof(*rs.e)) };
	int r = rs.e == NULL ? conf_oom() : collect(&rs, ps);

	for (size_t i = 0; r >= 0 && i < rs.n; i++)
		r = expand(&rs, &rs.e[rs.order[i]]);
	for (size_t i = 0; r >= 0 && i < rs.n; i++)
		if (rs.e[rs.order[i]].id >= 0)
			r = import(&rs, &rs.e[rs.order[i]], &j->params);
	resolver_free(&rs);
	if (r < 0)
		return r;
	j->name = strdup(s->name);
	j->file = strdup(s->self.file);
	j->line = s->self.line;
	return j->name == NULL || j->file == NULL ? conf_oom() : 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A reference's slot: a variable's, a parameter's row, or none. */
static size_t
ref_slot(char **vars, size_t n, const char *name)
{
	char **hit = n == 0 ? NULL :
			      bsearch(&name, vars, n, sizeof(*vars), cmp_name);
	bool neg;
	int id;

	if (hit != NULL)
		return P__MAX + (size_t)(hit - vars);
	id = param_find(name, &neg);
	return id >= 0 ? (size_t)id : SIZE_MAX;
}

/* The distinct variable names statements define, sorted. */
static int
var_names(const struct parse *ps, char ***ret, size_t *ret_n)
{
	char **v = NULL, **nv;
	size_t n = 0, k = 0;

	for (size_t i = 0; i < ps->nsecs; i++)
		for (size_t s = 0; s < ps->secs[i].n; s++) {
			if (ps->secs[i].stmts[s].id >= 0)
				continue;
			nv = conf_grow(v, n, sizeof(*v));
			if (nv == NULL) {
				free(v);
				return conf_oom();
			}
			v = nv;
			v[n++] = ps->secs[i].stmts[s].name;
		}
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_name);
	for (size_t i = 0; i < n; i++)	/* drop duplicates */
		if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
			v[k++] = v[i];
	*ret = v;
	*ret_n = k;
	return 0;
}

/*
 * Number what statements set and references name once, so each jail
 * finds an entry by index (a file with thousands of variables and jails
 * must not take quadratic time per jail).
 */
static int
index_slots(struct parse *ps)
{
	char **vars = NULL;
	size_t n = 0;
	int r = var_names(ps, &vars, &n);

	for (size_t i = 0; r >= 0 && i < ps->nsecs; i++)
		for (size_t s = 0; s < ps->secs[i].n; s++) {
			struct stmt *st = &ps->secs[i].stmts[s];

			st->slot = st->id >= 0 ? (size_t)st->id :
						 ref_slot(vars, n, st->name);
			for (size_t v = 0; v < st->nvals; v++)
				for (size_t k = 0; k < st->vals[v].nvars; k++)
					st->vals[v].vars[k].slot = ref_slot(
					    vars, n, st->vals[v].vars[k].name);
		}
	ps->nslots = P__MAX + n;
	free(vars);
	return r;
}

int
conf_resolve(struct parse *ps, struct conf *c)
{
	struct conf_jail *v;
	int r = index_slots(ps);

	if (r < 0)
		return r;
	for (size_t i = 0; i < ps->nsecs; i++) {
		if (ps->secs[i].wild)
			continue;
		v = conf_grow(c->jails, c->n, sizeof(*v));
		if (v == NULL)
			return conf_oom();
		c->jails = v;
		r = resolve_jail(ps, &ps->secs[i], &v[c->n++]);
		if (r < 0)
			return r;
	}
	return 0;
}
