// SPDX-License-Identifier: BSD-2-Clause
/*
 * rctl(8): display and update resource limits of jails.  argv in, one
 * libjail call per rule or filter, FreeBSD's output and messages out; the
 * exit status counts the rules that failed, as FreeBSD's does.
 */
#include <err.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jail/life.h"

static void __attribute__((noreturn))
usage(void)
{
	(void)fprintf(stderr, "usage: rctl [ -h ] [-a rule | -l filter | "
	    "-r filter | -u filter | filter]\n");
	exit(1);
}

/* FreeBSD's wording: "failed to <what> '<rule>': <reason>". */
static int
fail(const char *what, const char *rule)
{
	warnx("failed to %s '%s': %s", what, rule, jail_errmsg);
	return 1;
}

/*
 * text as a rule (or a filter) into *ret: 0; 1 when a listing has
 * nothing to show (a subject gaol keeps no rules for); -1 once said why.
 * What rctl itself refuses is "malformed rule", the rest "failed to".
 */
static int
parse(const char *text, bool filter, bool listing, const char *what,
    struct rctl_rule *ret)
{
	int r = rctl_rule_check(text);

	if (r == -EOPNOTSUPP && listing)
		return 1;
	if (r < 0) {
		warnx("%s", jail_errmsg);
		return -1;
	}
	if (rctl_rule_parse(text, filter, ret) < 0) {
		(void)fail(what, text);
		return -1;
	}
	return 0;
}

/* rctl [-l] [-h]: the rules a filter matches, one a line. */
static int
list(const char *what, const char *text, bool hflag)
{
	char line[RCTL_NAMELEN + 128];
	struct rctl_rule f, *v = NULL;
	size_t n = 0;
	int q = parse(text, true, true, what, &f);

	if (q != 0)
		return q < 0;
	if (rctl_list(&f, &v, &n) < 0)
		return fail(what, text);
	for (size_t i = 0; i < n; i++)
		if (rctl_rule_format(&v[i], hflag ? RCTL_FMT_HUMAN : 0, line,
		    sizeof(line)) >= 0)
			(void)printf("%s\n", line);
	free(v);
	return 0;
}

/* rctl -u [-h]: "resource=value" for each of FreeBSD's resources. */
static int
usage_show(const char *text, bool hflag)
{
	static const char what[] = "show resource consumption for";
	struct rctl_usage u;
	struct rctl_rule f;
	char num[32];

	if (parse(text, true, false, what, &f) < 0)
		return 1;
	if (rctl_usage(&f, &u) < 0)
		return fail(what, text);
	for (int i = 0; i < RCTL_RES__MAX; i++) {
		if (hflag)
			rctl_humanize(u.v[i], num, sizeof(num));
		else
			(void)snprintf(num, sizeof(num), "%" PRIu64, u.v[i]);
		(void)printf("%s=%s\n", rctl_res_name(i), num);
	}
	return 0;
}

/* rctl -v: "jail:NAME: controller: cgroup vN DIR" (or "none") lines. */
static int
cgroups_show(const char *text)
{
	static const char what[] = "show cgroups for";
	struct rctl_cgroups cg;
	struct rctl_rule f;

	if (parse(text, true, false, what, &f) < 0)
		return 1;
	if (rctl_cgroups(&f, &cg) < 0)
		return fail(what, text);
	for (int c = 0; cg.jail[0] != '\0' && c < CG__MAX; c++)
		if (cg.c[c].version == 0)
			(void)printf("jail:%s: %s: none\n", cg.jail,
			    cg_ctrl_name(c, 1));
		else
			(void)printf("jail:%s: %s: cgroup v%d %s\n", cg.jail,
			    cg_ctrl_name(c, 1), cg.c[c].version,
			    cg.c[c].dir);
	return 0;
}

/* rctl -a or -r: one rule added, or the rules of one filter removed. */
static int
change(char op, const char *text)
{
	const char *what = op == 'a' ? "add rule" : "remove rule";
	struct rctl_rule rule;

	if (parse(text, op == 'r', false, what, &rule) < 0)
		return 1;
	if ((op == 'a' ? rctl_add(&rule) : rctl_remove(&rule)) < 0)
		return fail(what, text);
	return 0;
}

static int
one(char op, const char *rule, bool hflag, bool vflag)
{
	if (vflag && op != 'a' && op != 'r')
		(void)cgroups_show(rule);
	switch (op) {
	case 'a':
	case 'r':
		return change(op, rule);
	case 'u':
		return usage_show(rule, hflag);
	case 'l':
		return list("get limits for", rule, hflag);
	default:
		return list("show rules for", rule, hflag);
	}
}

int
main(int argc, char **argv)
{
	bool hflag = false, vflag = false;
	int ch, nops = 0, errors = 0;
	char op = 0;

	while ((ch = getopt(argc, argv, "+ahlnruv")) != -1) {
		switch (ch) {
		case 'a': case 'l': case 'r': case 'u': op = (char)ch; nops++;
			break;
		case 'h': hflag = true; break;
		case 'n': break;	/* jail rules carry no uid to resolve */
		case 'v': vflag = true; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (nops > 1)
		errx(1, "at most one of -a, -l, -r, or -u may be specified");
	if (argc == 0) {
		if (op != 0)
			usage();
		return one(0, "::", hflag, false);
	}
	for (int i = 0; i < argc; i++)
		errors += one(op, argv[i], hflag, vflag);
	return errors;
}
