// SPDX-License-Identifier: BSD-2-Clause
/*
 * jail(8): create, modify and remove jails.  argv in, one libjail call,
 * messages and exit codes out; all behaviour lives in libjail.
 */
#include <err.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "jail/life.h"

#define JAIL_OPTS "+cde:f:hiJ:lmn:p:qrRs:u:U:v"	/* '+': BSD, no permuting */

enum { OP_CREATE = 1, OP_MODIFY = 2, OP_REMOVE = 4 };

struct jail_cli {
	unsigned op;
	bool remove_raw;	/* -R */
	bool uflag, Uflag, lflag, hflag, dflag;
	const char *user, *name, *securelevel;
	const char *conf_file;	/* -f; NULL: /etc/jail.conf and jail.conf.d */
	const char *separator;	/* -e */
	bool param_flags;	/* -h -l -n -s -u -U: a command-line jail */
	struct jail_ops ops;
	struct jail_params p;
};

static void __attribute__((noreturn))
usage(void)
{
	(void)fprintf(stderr,
	    "usage: jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
	    "            -[cmr] param=value ... [command=command ...]\n"
	    "       jail [-dqv] [-f file] -[cmr] [jail]\n"
	    "       jail [-qv] [-f file] -[rR] ['*' | jail ...]\n"
	    "       jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
	    "            [-n jailname] [-s securelevel]\n"
	    "            path hostname [ip[,...]] command ...\n");
	exit(1);
}

/* "NAME: created" on stdout, as FreeBSD's jail_note(). */
static void __attribute__((format(printf, 2, 0)))
note(const char *name, const char *fmt, va_list ap)
{
	if (name != NULL)
		(void)printf("%s: ", name);
	(void)vprintf(fmt, ap);
	(void)fflush(stdout);
}

static void __attribute__((format(printf, 2, 0)))
warn_cb(const char *name, const char *fmt, va_list ap)
{
	(void)name;
	(void)fprintf(stderr, "jail: ");
	(void)vfprintf(stderr, fmt, ap);
}

static int
jail_opt(struct jail_cli *c, int ch, const char *arg)
{
	c->param_flags = c->param_flags || (ch != 0 && strchr("hlnsuU", ch));
	switch (ch) {
	case 'c': c->op |= OP_CREATE; break;
	case 'm': c->op |= OP_MODIFY; break;
	case 'r': c->op |= OP_REMOVE; break;
	case 'R': c->op |= OP_REMOVE; c->remove_raw = true; break;
	case 'd': c->dflag = true; break;
	case 'h': c->hflag = true; break;
	case 'i': c->ops.print_jid = true; c->ops.verbose = -1; break;
	case 'J': c->ops.jidfile = arg; break;
	case 'l': c->lflag = true; break;
	case 'n': c->name = arg; break;
	case 'p': break;	/* parallel exec.* limit: commands run serially */
	case 'q': c->ops.verbose = -1; break;
	case 's': c->securelevel = arg; break;
	case 'u': c->user = arg; c->uflag = true; break;
	case 'U': c->user = arg; c->Uflag = true; break;
	case 'v': c->ops.verbose = 1; break;
	case 'f': c->conf_file = arg; break;
	case 'e': c->separator = arg; break;
	default: return -1;
	}
	return 0;
}

static void
import_or_die(struct jail_params *p, const char *arg)
{
	if (param_import(p, arg) < 0)
		errx(1, "%s", jail_errmsg);
}

static void
set_or_die(struct jail_params *p, const char *name, const char *value)
{
	bool neg = false;
	int id = param_find(name, &neg);

	if (id < 0 || param_import_value(p, id, value, neg, false) < 0)
		errx(1, "%s", jail_errmsg);
}

/*
 * command= takes every remaining argument.  A "--" right after it is
 * dropped: the seeds' GNU/kFreeBSD jail(8) used glibc getopt(3), which
 * consumed it, so "command=/bin/sh -- -c '...'" means sh -c '...'.
 */
static void
import_command(struct jail_params *p, char **argv, int argc)
{
	int i = 0;

	set_or_die(p, "command", argv[0] + strlen("command="));
	if (argc > 1 && strcmp(argv[1], "--") == 0)
		i++;
	for (i++; i < argc; i++)
		if (strv_push(&p->v[P_COMMAND].l, argv[i]) < 0)
			errx(1, "out of memory");
}

static void
import_args(struct jail_cli *c, char **argv, int argc)
{
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "command=", 8) == 0) {
			import_command(&c->p, argv + i, argc - i);
			return;
		}
		import_or_die(&c->p, argv[i]);
	}
}

/* The old fixed form: jail path hostname ip command ... */
static void
import_old_style(struct jail_cli *c, char **argv, int argc)
{
	if (argc < 4 || argv[0][0] != '/')
		errx(1, "%s\n%s", "no -c or -m, so this must be an old-style "
		    "command.", "But it doesn't look like one.");
	set_or_die(&c->p, "path", argv[0]);
	set_or_die(&c->p, "host.hostname", argv[1]);
	if (argv[2][0] != '\0')
		set_or_die(&c->p, "ip4.addr", argv[2]);
	set_or_die(&c->p, "command", argv[3]);
	for (int i = 4; i < argc; i++)
		if (strv_push(&c->p.v[P_COMMAND].l, argv[i]) < 0)
			errx(1, "out of memory");
	c->op = OP_CREATE;
}

/* Flags that stand for parameters become those parameters. */
static void
import_flags(struct jail_cli *c)
{
	if (c->name != NULL)
		set_or_die(&c->p, "name", c->name);
	if (c->securelevel != NULL)
		set_or_die(&c->p, "securelevel", c->securelevel);
	if (c->user != NULL) {
		set_or_die(&c->p, "exec.jail_user", c->user);
		set_or_die(&c->p, "exec.system_jail_user",
		    c->uflag ? "true" : "false");
	}
	if (c->lflag)
		set_or_die(&c->p, "exec.clean", NULL);
	if (c->hflag)
		set_or_die(&c->p, "ip_hostname", NULL);
	if (c->dflag)
		set_or_die(&c->p, "allow.dying", NULL);
}

/* The jails of -f FILE, or of /etc/jail.conf and /etc/jail.conf.d. */
static struct conf *
load_conf(const struct jail_cli *c, bool required)
{
	struct conf *cf = NULL;
	int r;

	if (c->conf_file != NULL)
		r = conf_load(c->conf_file, &cf);
	else if (required && access(JAIL_CONF, F_OK) < 0 &&
	    access(JAIL_CONF_D, F_OK) < 0)
		errx(1, "%s: %s", JAIL_CONF, strerror(ENOENT));
	else
		r = conf_load_default("", &cf);
	if (r < 0)
		errx(1, "%s", jail_errmsg);
	return cf;
}

/* -r / -R: jails by name or jid, "*" for all; jail.conf's when it has them. */
static int
do_remove(struct jail_cli *c, char **argv, int argc)
{
	struct conf empty = { NULL, 0 }, *cf = NULL;
	struct jails_req rq = { .op = JOPS_REMOVE, .names = argv,
		.nnames = (size_t)argc, .run_scripts = !c->remove_raw,
		.ops = &c->ops };
	int r;

	if (argc == 0 || c->ops.jidfile != NULL || c->param_flags)
		usage();
	for (int i = 0; !c->remove_raw && i < argc; i++)
		if (strchr(argv[i], '=') != NULL)
			usage();
	if (!c->remove_raw)
		cf = load_conf(c, false);
	r = jails_run(cf != NULL ? cf : &empty, &rq);
	conf_free(cf);
	return r < 0 ? 1 : 0;
}

static const enum jails_op conf_ops[] = {
	[OP_CREATE] = JOPS_CREATE,
	[OP_MODIFY] = JOPS_MODIFY,
	[OP_CREATE | OP_MODIFY] = JOPS_MODIFY,
	[OP_CREATE | OP_REMOVE] = JOPS_RESTART,
	[OP_MODIFY | OP_REMOVE] = JOPS_MODIFY,
	[OP_CREATE | OP_MODIFY | OP_REMOVE] = JOPS_MODIFY,
};

/*
 * -c / -m / -rc with jail names (none: every configured jail), then
 * param=value words that override the file's for those jails.
 */
static int
do_conf(struct jail_cli *c, char **argv, int argc)
{
	int nnames = 0;
	struct jails_req rq = { .op = conf_ops[c->op], .names = argv,
		.run_scripts = !c->remove_raw, .ops = &c->ops,
		.overrides = &c->p };
	struct conf *cf;
	int r;

	if (c->remove_raw || c->param_flags)
		usage();
	while (nnames < argc && strchr(argv[nnames], '=') == NULL)
		nnames++;
	rq.nnames = (size_t)nnames;
	import_args(c, argv + nnames, argc - nnames);
	cf = load_conf(c, true);
	c->ops.conf = cf;	/* its jails' paths are known trees */
	r = jails_run(cf, &rq);
	c->ops.conf = NULL;
	conf_free(cf);
	params_free(&c->p);
	return r < 0 ? 1 : 0;
}

/* -e SEP: every configured jail, its parameters joined by SEP. */
static int
do_exhibit(struct jail_cli *c)
{
	struct conf *cf;

	if (c->op != 0)
		usage();
	cf = load_conf(c, true);
	for (size_t i = 0; i < cf->n; i++) {
		bool first = true;

		for (int id = 0; id < P__MAX; id++) {
			_cleanup_free_ char *pair = NULL;

			if (!param_isset(&cf->jails[i].params, id))
				continue;
			if (param_export_pair(&cf->jails[i].params, id, true,
				&pair) < 0)
				errx(1, "out of memory");
			(void)printf("%s%s", first ? "" : c->separator, pair);
			first = false;
		}
		(void)putchar('\n');
	}
	conf_free(cf);
	return 0;
}

/* -cm: modify when the named jail exists, else create. */
static bool
target_exists(const struct jail_params *p)
{
	_cleanup_free_ char *key = NULL;
	struct jail *j = NULL;
	enum param_id id = param_isset(p, P_JID) ? P_JID : P_NAME;

	if (!param_isset(p, id) || param_export(p, id, &key) < 0)
		return false;
	if (jail_find(key, &j) < 0)
		return false;
	jail_free(j);
	return true;
}

static int
do_set(struct jail_cli *c)
{
	int status = 0, r;

	if (c->op == (OP_CREATE | OP_MODIFY))
		c->op = target_exists(&c->p) ? OP_MODIFY : OP_CREATE;
	if (c->op == OP_CREATE)
		r = jail_create(&c->p, &c->ops, &status);
	else if (c->op == OP_MODIFY)
		r = jail_modify(&c->p, &c->ops, &status);
	else
		usage();
	if (r < 0)
		errx(1, "%s", jail_errmsg);
	return status;
}

/*
 * jail.conf's jails (named first, maybe with parameters to override),
 * not one jail described on the command line.
 */
static bool
names_jails(char **argv, int argc)
{
	return argc == 0 || strchr(argv[0], '=') == NULL;
}

int
main(int argc, char **argv)
{
	struct jail_cli c = { .ops = { .note = note, .warn = warn_cb } };
	int ch, rc;

	opterr = 0;
	while ((ch = getopt(argc, argv, JAIL_OPTS)) != -1)
		if (jail_opt(&c, ch, optarg) < 0) {
			bsd_option_error(JAIL_OPTS);
			usage();
		}
	argc -= optind;
	argv += optind;
	if (c.uflag && c.Uflag)
		usage();
	if (c.separator != NULL)
		return do_exhibit(&c);
	if (c.op == OP_REMOVE)
		return do_remove(&c, argv, argc);
	if (c.op != 0 && names_jails(argv, argc))
		return do_conf(&c, argv, argc);
	if (c.op == 0)
		import_old_style(&c, argv, argc);
	else
		import_args(&c, argv, argc);
	import_flags(&c);
	rc = do_set(&c);
	params_free(&c.p);
	return rc;
}
