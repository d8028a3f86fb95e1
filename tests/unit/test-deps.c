// SPDX-License-Identifier: BSD-2-Clause
/*
 * test-deps.c: depend= ordering (lib/conf/deps.c): dependencies start first
 * and stop last, selection brings them along, cycles and unknown names
 * are errors that name them.
 */
#include "conf/conf.h"
#include "harness.h"

#define MAXJ 8

struct g {
	const char *names[MAXJ];
	struct strv dep[MAXJ];
	const struct strv *deps[MAXJ];
	struct dep_graph graph;
};

/* Build a graph from "name:dep,dep" specs. */
static void
g_init(struct g *g, size_t n, const char *const *specs)
{
	memset(g, 0, sizeof(*g));
	for (size_t i = 0; i < n; i++) {
		char *s = strdup(specs[i]), *colon = strchr(s, ':');
		char *save = NULL;

		if (colon != NULL) {
			*colon = '\0';
			for (char *d = strtok_r(colon + 1, ",", &save); d != NULL;
			     d = strtok_r(NULL, ",", &save))
				(void)strv_push(&g->dep[i], d);
		}
		g->names[i] = s;
		g->deps[i] = &g->dep[i];
	}
	g->graph = (struct dep_graph){ n, g->names, g->deps };
}

/* The order as "a b c" for the selected names (NULL: all). */
static const char *
order(struct g *g, const char *sel, bool stop)
{
	static char buf[256];
	bool selected[MAXJ];
	size_t out[MAXJ], n = 0;

	for (size_t i = 0; i < g->graph.n; i++)
		selected[i] = sel == NULL || strstr(sel, g->names[i]) != NULL;
	if (deps_order(&g->graph, selected, stop, out, &n) < 0)
		return jail_errmsg;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strcat(buf, i ? " " : "");
		strcat(buf, g->names[out[i]]);
	}
	return buf;
}

TEST(no_dependencies_keep_file_order)
{
	static const char *const s[] = { "a", "b", "c" };
	struct g g;

	g_init(&g, 3, s);
	CHECK_STR(order(&g, NULL, false), "a b c");
	CHECK_STR(order(&g, NULL, true), "a b c");
}

TEST(dependencies_start_first_and_stop_last)
{
	static const char *const s[] = { "web:db,cache", "db", "cache:db" };
	struct g g;

	g_init(&g, 3, s);
	CHECK_STR(order(&g, NULL, false), "db cache web");
	CHECK_STR(order(&g, NULL, true), "web cache db");
}

TEST(selection_brings_dependencies_or_dependents)
{
	static const char *const s[] = { "web:db", "db", "other" };
	struct g g;

	g_init(&g, 3, s);
	CHECK_STR(order(&g, "web", false), "db web");
	CHECK_STR(order(&g, "db", true), "web db");
	CHECK_STR(order(&g, "db", false), "db");
	CHECK_STR(order(&g, "other", true), "other");
}

TEST(cycle_is_named)
{
	static const char *const s[] = { "a:b", "b:c", "c:a", "d" };
	struct g g;

	g_init(&g, 4, s);
	CHECK_STR(order(&g, NULL, false), "dependency loop: a -> b -> c -> a");
	CHECK_STR(order(&g, "d", false), "d");
}

TEST(self_dependency_is_a_cycle)
{
	static const char *const s[] = { "a:a" };
	struct g g;

	g_init(&g, 1, s);
	CHECK_STR(order(&g, NULL, true), "dependency loop: a -> a");
}

TEST(unknown_dependency)
{
	static const char *const s[] = { "web:nosuch" };
	struct g g;

	g_init(&g, 1, s);
	CHECK_STR(order(&g, NULL, false),
	    "web: depends on unknown jail \"nosuch\"");
}

int
main(void)
{
	return harness_main();
}
