// SPDX-License-Identifier: BSD-2-Clause
/*
 * devfs(8): the rule and ruleset commands of FreeBSD's devfs.  argv in,
 * the store (lib/fs/devfs-rule.c) or a mounted devfs (lib/fs/devfs.c) changed,
 * rules out as FreeBSD prints them.  Messages are FreeBSD's: "devfs
 * rule: ..." for the rule commands (its setprogname), usage on stderr
 * and exit 1 for bad usage.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "jail/life.h"

#define DEVFS_OPTS "+m:"	/* '+': BSD getopt, no permuting */
#define RULE_OPTS "+s:"

struct ctx {
	const char *mp;		/* -m, or /dev */
	unsigned set;		/* -s; 0: the mount point's ruleset */
};

static void __attribute__((noreturn))
usage(void)
{
	(void)fprintf(stderr, "usage: %s\n%s\n",
	    "\tdevfs [-m mount-point] [-s ruleset] rule ...",
	    "\tdevfs [-m mount-point] ruleset ...");
	exit(1);
}

static unsigned
num_or_die(const char *s)
{
	unsigned n;

	if (devfs_num_parse(s, &n) < 0)
		errx(1, "%s", jail_errmsg);
	return n;
}

static int
devfs_or_die(const char *mp)
{
	int fd;

	if (devfs_open(mp, &fd) < 0)
		errx(1, "%s", jail_errmsg);
	return fd;
}

/* Without -s, the mount point's current ruleset, as FreeBSD's kernel. */
static unsigned
ruleset_of(const struct ctx *c)
{
	_cleanup_close_ int fd = -1;
	unsigned set = 0;

	if (c->set != 0)
		return c->set;
	if (devfs_open(c->mp, &fd) < 0 || devfs_get_ruleset(fd, &set) < 0 ||
	    set == 0)
		errx(1, "no ruleset given (-s) and %s has none", c->mp);
	return set;
}

static void
load_or_die(bool for_change, struct devfs_rules *rs)
{
	if (devfs_rules_load(for_change, rs) < 0)
		errx(1, "%s", jail_errmsg);
}

static void
save_or_die(struct devfs_rules *rs)
{
	if (devfs_rules_save(rs) < 0)
		errx(1, "%s", jail_errmsg);
}

/* Call fn for every rule of stdin, one a line; blank lines are skipped. */
static void
each_stdin_rule(void (*fn)(void *arg, struct devfs_rule *r), void *arg)
{
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	unsigned n = 0;

	while (getline(&line, &cap, stdin) > 0) {
		struct devfs_rule r;
		size_t skip = strspn(line, " \t\r\n");

		n++;
		if (line[skip] == '\0' || line[skip] == '#')
			continue;
		if (devfs_rule_parse_line(line, &r) < 0) {
			(void)jail_errctx(-EINVAL, "stdin:%u", n);
			errx(1, "%s", jail_errmsg);
		}
		fn(arg, &r);
		devfs_rule_clear(&r);
	}
	if (ferror(stdin))
		err(1, "stdin");
}

struct add_ctx {
	struct devfs_rules *rs;
	unsigned set;
};

static void
add_one(void *arg, struct devfs_rule *r)
{
	struct add_ctx *a = arg;

	if (devfs_rules_add(a->rs, a->set, r) < 0)
		errx(1, "%s", jail_errmsg);
}

/* add [rulenum] rulespec | add -: every rule or none (one save). */
static int
rule_add(struct ctx *c, int argc, char **argv)
{
	_cleanup_(devfs_rules_free) struct devfs_rules rs = { NULL, 0, -1 };
	_cleanup_(devfs_rule_clear) struct devfs_rule r = { 0 };
	struct add_ctx a = { &rs, 0 };
	bool from_stdin = argc >= 2 && strcmp(argv[1], "-") == 0;

	if (argc < 2 || (from_stdin && argc > 2))
		usage();
	if (!from_stdin && devfs_rule_parse(argv + 1, (size_t)argc - 1,
		&r) < 0)
		errx(1, "%s", jail_errmsg);
	a.set = ruleset_of(c);
	load_or_die(true, &rs);
	if (from_stdin)
		each_stdin_rule(add_one, &a);
	else
		add_one(&a, &r);
	save_or_die(&rs);
	return 0;
}

struct apply_ctx {
	int fd;
	const struct devfs_rules *rs;
};

static void
apply_one(void *arg, struct devfs_rule *r)
{
	const struct apply_ctx *a = arg;

	if (devctl_apply_rule(a->fd, a->rs, r) < 0)
		errx(1, "%s", jail_errmsg);
}

/* Rule num of set, or death. */
static const struct devfs_rule *
rule_or_die(const struct devfs_rules *rs, unsigned set, unsigned num)
{
	const struct devfs_ruleset *s = devfs_ruleset_find(rs, set);

	for (size_t i = 0; s != NULL && i < s->n; i++)
		if (s->v[i].num == num)
			return &s->v[i];
	errx(1, "rule %u does not exist in ruleset %u", num, set);
}

/* apply rulenum (of the ruleset) | apply rulespec | apply - */
static int
rule_apply(struct ctx *c, int argc, char **argv)
{
	_cleanup_(devfs_rules_free) struct devfs_rules rs = { NULL, 0, -1 };
	_cleanup_(devfs_rule_clear) struct devfs_rule r = { 0 };
	_cleanup_close_ int fd = -1;
	bool from_stdin = argc >= 2 && strcmp(argv[1], "-") == 0;
	bool by_num = argc == 2 && devfs_num_parse(argv[1], &r.num) >= 0;
	int ret;

	if (argc < 2 || (from_stdin && argc > 2))
		usage();
	if (!from_stdin && !by_num && devfs_rule_parse(argv + 1,
		(size_t)argc - 1, &r) < 0)
		errx(1, "%s", jail_errmsg);
	fd = devfs_or_die(c->mp);
	load_or_die(false, &rs);
	if (from_stdin) {
		each_stdin_rule(apply_one, &(struct apply_ctx){ fd, &rs });
		return 0;
	}
	if (by_num)
		ret = devctl_apply_rule(fd, &rs,
		    rule_or_die(&rs, ruleset_of(c), r.num));
	else
		ret = devctl_apply_rule(fd, &rs, &r);
	if (ret < 0)
		errx(1, "%s", jail_errmsg);
	return 0;
}

static int
rule_applyset(struct ctx *c, int argc, char **argv)
{
	_cleanup_(devfs_rules_free) struct devfs_rules rs = { NULL, 0, -1 };
	_cleanup_close_ int fd = -1;
	unsigned set;

	if (argc != 1)
		usage();
	fd = devfs_or_die(c->mp);
	set = ruleset_of(c);
	load_or_die(false, &rs);
	if (devctl_apply_set(fd, &rs, set) < 0)
		errx(1, "%s", jail_errmsg);
	return 0;
}

static int
rule_del(struct ctx *c, int argc, char **argv)
{
	_cleanup_(devfs_rules_free) struct devfs_rules rs = { NULL, 0, -1 };
	unsigned num, set;

	if (argc != 2)
		usage();
	num = num_or_die(argv[1]);
	set = ruleset_of(c);
	load_or_die(true, &rs);
	if (devfs_rules_del(&rs, set, num) < 0)
		errx(1, "%s", jail_errmsg);
	save_or_die(&rs);
	return 0;
}

static int
rule_delset(struct ctx *c, int argc, char **argv)
{
	_cleanup_(devfs_rules_free) struct devfs_rules rs = { NULL, 0, -1 };
	unsigned set;

	if (argc != 1)
		usage();
	set = ruleset_of(c);
	load_or_die(true, &rs);
	if (devfs_rules_delset(&rs, set) < 0)
		errx(1, "%s", jail_errmsg);
	save_or_die(&rs);
	return 0;
}

static void
print_rule(const struct devfs_rule *r)
{
	_cleanup_free_ char *s = devfs_rule_format(r);

	if (s == NULL)
		errx(1, "%s", jail_errmsg);
	(void)printf("%s\n", s);
}

/* show [rulenum]: the rules of the ruleset, as rulespecs. */
static int
rule_show(struct ctx *c, int argc, char **argv)
{
	_cleanup_(devfs_rules_free) struct devfs_rules rs = { NULL, 0, -1 };
	const struct devfs_ruleset *s;
	unsigned num = 0, set;

	if (argc > 2)
		usage();
	if (argc == 2)
		num = num_or_die(argv[1]);
	set = ruleset_of(c);
	load_or_die(false, &rs);
	if (argc == 2) {
		print_rule(rule_or_die(&rs, set, num));
		return 0;
	}
	s = devfs_ruleset_find(&rs, set);
	for (size_t i = 0; s != NULL && i < s->n; i++)
		print_rule(&s->v[i]);
	return 0;
}

static int
rule_showsets(struct ctx *c, int argc, char **argv)
{
	_cleanup_(devfs_rules_free) struct devfs_rules rs = { NULL, 0, -1 };

	if (argc != 1)
		usage();
	load_or_die(false, &rs);
	for (size_t i = 0; i < rs.n; i++)
		(void)printf("%u\n", rs.v[i].num);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(struct ctx *c, int argc, char **argv);
} rule_cmds[] = {
	{ "add", rule_add },
	{ "apply", rule_apply },
	{ "applyset", rule_applyset },
	{ "del", rule_del },
	{ "delset", rule_delset },
	{ "show", rule_show },
	{ "showsets", rule_showsets },
};

/* devfs rule [-s ruleset] command ... */
static int
rule_main(struct ctx *c, int argc, char **argv)
{
	int ch;

	program_invocation_short_name = (char *)"devfs rule";
	optind = 0;		/* glibc: start over, '+' included */
	while ((ch = getopt(argc, argv, RULE_OPTS)) != -1)
		if (ch == 's')
			c->set = num_or_die(optarg);
		else {
			bsd_option_error(RULE_OPTS);
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	for (size_t i = 0; i < nitems(rule_cmds); i++)
		if (strcmp(argv[0], rule_cmds[i].name) == 0)
			return rule_cmds[i].fn(c, argc, argv);
	errx(1, "unknown command: %s", argv[0]);
}

/* devfs ruleset N: N becomes the mount point's current ruleset. */
static int
ruleset_main(struct ctx *c, int argc, char **argv)
{
	_cleanup_close_ int fd = -1;
	unsigned set;

	program_invocation_short_name = (char *)"devfs ruleset";
	if (argc != 2)
		usage();
	set = num_or_die(argv[1]);
	fd = devfs_or_die(c->mp);
	if (devfs_set_ruleset(fd, set) < 0)
		errx(1, "%s", jail_errmsg);
	return 0;
}

int
main(int argc, char **argv)
{
	struct ctx c = { "/dev", 0 };
	int ch;

	opterr = 0;
	while ((ch = getopt(argc, argv, DEVFS_OPTS)) != -1)
		if (ch == 'm')
			c.mp = optarg;
		else {
			bsd_option_error(DEVFS_OPTS);
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (strcmp(argv[0], "rule") == 0)
		return rule_main(&c, argc, argv);
	if (strcmp(argv[0], "ruleset") == 0)
		return ruleset_main(&c, argc, argv);
	errx(1, "unknown command: %s", argv[0]);
}
