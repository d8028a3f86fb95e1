// SPDX-License-Identifier: BSD-2-Clause
/*
 * deps.c: the order in which jail(8) starts and stops configured jails.
 *
 * Owns depend= (jail.conf(5)): a jail's dependencies start before it and
 * stop after it, and asking for a jail brings its dependencies along when
 * starting, its dependents when stopping.  A cycle is an error that names
 * it.  Pure computation over names: never touches a jail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

enum mark { UNSEEN, ON_PATH, DONE };

struct walk {
	const struct dep_graph *g;
	bool stop;
	enum mark *mark;
	size_t *path;		/* the DFS path, for naming a cycle */
	size_t depth;
	size_t *out;
	size_t nout;
};

static int
find(const struct dep_graph *g, const char *name)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->names[i], name) == 0)
			return (int)i;
	return -1;
}

/* Does a depend on b? */
static bool
depends_on(const struct dep_graph *g, size_t a, size_t b)
{
	const struct strv *d = g->depends[a];

	for (size_t i = 0; d != NULL && i < d->n; i++)
		if (strcmp(d->v[i], g->names[b]) == 0)
			return true;
	return false;
}

/* "dependency loop: a -> b -> a", from where the path re-enters i. */
static int
cycle_error(const struct walk *w, size_t i)
{
	char msg[JAIL_ERRMSGLEN] = "";
	size_t k = 0;

	while (k < w->depth && w->path[k] != i)
		k++;
	for (; k < w->depth; k++) {
		strncat(msg, w->g->names[w->path[k]],
		    sizeof(msg) - strlen(msg) - 1);
		strncat(msg, " -> ", sizeof(msg) - strlen(msg) - 1);
	}
	strncat(msg, w->g->names[i], sizeof(msg) - strlen(msg) - 1);
	return jail_seterr(-ELOOP, "dependency loop: %s", msg);
}

/* Every name in depend= must be a configured jail. */
static int
check_known(const struct dep_graph *g)
{
	for (size_t i = 0; i < g->n; i++) {
		const struct strv *d = g->depends[i];

		for (size_t k = 0; d != NULL && k < d->n; k++)
			if (find(g, d->v[k]) < 0)
				return jail_seterr(-ENOENT,
				    "%s: depends on unknown jail \"%s\"",
				    g->names[i], d->v[k]);
	}
	return 0;
}

/*
 * Depth-first: emit what must come first (dependencies when starting,
 * dependents when stopping), then i.
 */
static int
visit(struct walk *w, size_t i)
{
	int r;

	if (w->mark[i] == DONE)
		return 0;
	if (w->mark[i] == ON_PATH)
		return cycle_error(w, i);
	w->mark[i] = ON_PATH;
	w->path[w->depth++] = i;
	for (size_t k = 0; k < w->g->n; k++) {
		bool before = w->stop ? depends_on(w->g, k, i)
				      : depends_on(w->g, i, k);

		if (before && (r = visit(w, k)) < 0)
			return r;
	}
	w->depth--;
	w->mark[i] = DONE;
	w->out[w->nout++] = i;
	return 0;
}

/*
 * Order the selected jails of g (and those they bring along) for starting
 * or stopping.  ret_order (g->n entries) receives indexes into g.
 */
int
deps_order(const struct dep_graph *g, const bool *selected, bool stop,
    size_t *ret_order, size_t *ret_n)
{
	_cleanup_free_ enum mark *mark = calloc(g->n + 1, sizeof(*mark));
	_cleanup_free_ size_t *path = calloc(g->n + 1, sizeof(*path));
	struct walk w = { .g = g, .stop = stop, .mark = mark, .path = path,
		.out = ret_order };
	int r = check_known(g);

	if (r < 0)
		return r;
	if (mark == NULL || path == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	for (size_t i = 0; i < g->n; i++)
		if (selected[i] && (r = visit(&w, i)) < 0)
			return r;
	*ret_n = w.nout;
	return 0;
}
