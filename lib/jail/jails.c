// SPDX-License-Identifier: BSD-2-Clause
/*
 * jails.c: jail(8)'s operations over the jails of jail.conf(5).
 *
 * Owns which configured jails an invocation means (none named: all of
 * them; "*": every configured or running one; names), their order by
 * depend= (deps.c), and what happens to each: create, remove, restart
 * (-rc) or modify.  A jail that fails is reported and the others go on,
 * as FreeBSD's jail(8) does; the result says whether any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jail/life.h"

/* A configured jail's parameters with the command line's on top. */
static int
jail_params_for(const struct conf_jail *cj, const struct jail_params *over,
    struct jail_params *ret)
{
	int r = params_copy(ret, &cj->params);

	for (int id = 0; r >= 0 && over != NULL && id < P__MAX; id++)
		if (param_isset(over, id))
			r = param_copy(ret, over, id);
	if (r >= 0 && !param_isset(ret, P_NAME))
		r = param_import_value(ret, P_NAME, cj->name, false, false);
	if (r < 0)
		params_free(ret);
	return r;
}

static bool
is_running(const char *name)
{
	struct jail *j = NULL;
	bool running = registry_find(name, &j) >= 0 && j->state == JS_ACTIVE;

	jail_free(j);
	return running;
}

static int
one_create(const struct conf_jail *cj, const struct jails_req *rq,
    bool asked)
{
	struct jail_params p = { 0 };
	int r, status;

	if (is_running(cj->name)) {
		if (!asked)	/* a dependency already up: fine */
			return 0;
		return jail_seterr(-EEXIST, "\"%s\" already exists", cj->name);
	}
	/* the command line's parameters are for the jails it names */
	r = jail_params_for(cj, asked ? rq->overrides : NULL, &p);
	if (r >= 0)
		r = jail_create(&p, rq->ops, &status);
	params_free(&p);
	return r;
}

/*
 * Not running: fine when restarting or brought along; when asked for by
 * name, said so (FreeBSD warns and goes on, it is no failure).
 */
static int
one_remove(const struct conf_jail *cj, const struct jails_req *rq,
    bool asked)
{
	if (is_running(cj->name))
		return jail_destroy(cj->name, rq->run_scripts, rq->ops);
	if (asked && rq->op == JOPS_REMOVE && rq->ops->verbose >= 0)
		jail_warn(rq->ops, NULL, "\"%s\" not found\n", cj->name);
	return 0;
}

static int
one_modify(const struct conf_jail *cj, const struct jails_req *rq,
    bool asked)
{
	struct jail_params p = { 0 };
	int r, status;

	if (!is_running(cj->name))
		return one_create(cj, rq, asked);	/* -cm */
	r = jail_params_for(cj, asked ? rq->overrides : NULL, &p);
	if (r >= 0)
		r = jail_modify(&p, rq->ops, &status);
	params_free(&p);
	return r;
}

/*
 * Mark the configured jails a request selects (sel) and those it asks for
 * by name, or by naming none (asked): "*" and depend= bring jails along
 * without asking, and those are not told off for being up or down.
 */
static int
select_jails(const struct conf *c, const struct jails_req *rq, bool *sel,
    bool *asked)
{
	bool star = false;

	for (size_t k = 0; k < rq->nnames; k++)
		if (strcmp(rq->names[k], "*") == 0)
			star = true;
		else if (conf_find(c, rq->names[k]) == NULL &&
		    rq->op != JOPS_REMOVE)
			return jail_seterr(-ENOENT,
			    "\"%s\" not found in the configuration",
			    rq->names[k]);
	for (size_t i = 0; i < c->n; i++) {
		asked[i] = rq->nnames == 0;
		for (size_t k = 0; k < rq->nnames; k++)
			asked[i] = asked[i] ||
			    strcmp(rq->names[k], c->jails[i].name) == 0;
		sel[i] = asked[i] || star;
	}
	return 0;
}

/* The configured jails to act on, in the order depend= gives. */
static int
plan(const struct conf *c, const struct jails_req *rq, bool stop,
    size_t *order, size_t *n, bool *asked)
{
	_cleanup_free_ bool *sel = calloc(c->n + 1, sizeof(*sel));
	_cleanup_free_ const char **names = calloc(c->n + 1, sizeof(*names));
	_cleanup_free_ const struct strv **deps =
	    calloc(c->n + 1, sizeof(struct strv *));
	struct dep_graph g = { c->n, names, deps };
	int r;

	if (names == NULL || deps == NULL || sel == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	r = select_jails(c, rq, sel, asked);
	if (r < 0)
		return r;
	for (size_t i = 0; i < c->n; i++) {
		names[i] = c->jails[i].name;
		deps[i] = param_list(&c->jails[i].params, P_DEPEND);
	}
	return deps_order(&g, sel, stop, order, n);
}

/* One jail's result: a failure is reported and counted, the rest go on. */
static void
tally(const struct jails_req *rq, int r, int *failed)
{
	if (r >= 0)
		return;
	jail_warn(rq->ops, NULL, "%s\n", jail_errmsg);
	++*failed;
}

static int
outcome(int failed)
{
	return failed > 0 ? jail_seterr(-ECANCELED, "%d jail%s failed",
	    failed, failed == 1 ? "" : "s") : 0;
}

static int
run_pass(const struct conf *c, const struct jails_req *rq, bool stop,
    int (*fn)(const struct conf_jail *, const struct jails_req *, bool))
{
	_cleanup_free_ size_t *order = calloc(c->n + 1, sizeof(*order));
	_cleanup_free_ bool *asked = calloc(c->n + 1, sizeof(*asked));
	size_t n = 0;
	int failed = 0, r;

	if (order == NULL || asked == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	r = plan(c, rq, stop, order, &n, asked);
	if (r < 0) {
		jail_warn(rq->ops, NULL, "%s\n", jail_errmsg);
		return r;
	}
	for (size_t i = 0; i < n; i++)
		tally(rq, fn(&c->jails[order[i]], rq, asked[order[i]]), &failed);
	return outcome(failed);
}

static bool
names_star(const struct jails_req *rq)
{
	for (size_t k = 0; k < rq->nnames; k++)
		if (strcmp(rq->names[k], "*") == 0)
			return true;
	return false;
}

/*
 * What -r names beyond jail.conf: with "*", every running jail it does
 * not know; else each name it does not know, by jid or name.
 */
static int
remove_unconfigured(const struct conf *c, const struct jails_req *rq)
{
	bool star = names_star(rq);
	struct jail **v = NULL;
	size_t n = 0;
	int failed = 0, r = 0;

	if (star)
		r = registry_list(false, &v, &n);
	for (size_t i = 0; i < n; i++)
		if (conf_find(c, jail_name(v[i])) == NULL)
			tally(rq, jail_destroy(jail_name(v[i]), rq->run_scripts,
			    rq->ops), &failed);
	registry_list_free(v, n);
	for (size_t k = 0; !star && k < rq->nnames; k++)
		if (conf_find(c, rq->names[k]) == NULL)
			tally(rq, jail_destroy(rq->names[k], rq->run_scripts,
			    rq->ops), &failed);
	return r < 0 ? r : outcome(failed);
}

/*
 * -rc: stop the named jails (dependents first, as stopping brings them
 * along), then start again every one that was running and those named.
 */
static int
restart(const struct conf *c, const struct jails_req *rq)
{
	_cleanup_free_ char **names = calloc(c->n + rq->nnames + 1,
	    sizeof(*names));
	struct jails_req start = *rq;
	size_t n = 0, m = 0;
	int r, r2;

	if (names == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	for (size_t i = 0; i < c->n; i++)
		if (is_running(c->jails[i].name))
			names[n++] = c->jails[i].name;
	r = run_pass(c, rq, true, one_remove);
	/* was running and is down now, or named: start it */
	for (size_t i = 0; i < n; i++)
		if (!is_running(names[i]))
			names[m++] = names[i];
	for (size_t i = 0; i < rq->nnames; i++)
		names[m++] = rq->names[i];
	start.op = JOPS_CREATE;
	start.names = names;
	start.nnames = m;
	r2 = run_pass(c, &start, false, one_create);
	return r < 0 ? r : r2;
}

/* jail -c / -r / -rc / -m / -cm over configured jails. */
int
jails_run(const struct conf *c, const struct jails_req *req)
{
	struct jail_ops o = *req->ops;
	struct jails_req own = *req, *rq = &own;
	int r = 0, r2;

	/* FreeBSD notes removals unless one jail is named and no file used */
	o.note_remove = rq->op != JOPS_REMOVE || c->n > 0 || rq->nnames > 1 ||
	    names_star(rq);
	rq->ops = &o;
	switch (rq->op) {
	case JOPS_CREATE:
		return run_pass(c, rq, false, one_create);
	case JOPS_MODIFY:
		return run_pass(c, rq, false, one_modify);
	case JOPS_RESTART:
		return restart(c, rq);
	case JOPS_REMOVE:
		r = run_pass(c, rq, true, one_remove);
		r2 = remove_unconfigured(c, rq);
		return r < 0 ? r : r2;
	default:
		return jail_seterr(-EINVAL, "unknown operation");
	}
}
