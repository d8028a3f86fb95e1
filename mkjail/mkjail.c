// SPDX-License-Identifier: BSD-2-Clause
/*
 * mkjail(8): prepare a Debian jail root with debootstrap -- a thick one
 * at the jail's path, or a thin one (-t: a cached read-only base and a
 * layer of the jail's own) -- and print its jail.conf block.  argv in,
 * the calls of mkroot.c, messages and exit codes out.
 */
#include <err.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mkroot.h"

#define MKJAIL_OPTS "+a:f:H:I:i:m:rs:tV:x:"

struct mkjail_cli {
	struct mkroot_req rq;
	const char *conf_file;	/* -f */
	bool remove;		/* -r */
};

static void __attribute__((noreturn))
usage(void)
{
	(void)fprintf(stderr,
	    "usage: mkjail [-t] [-s suite] [-m mirror] [-V variant] "
	    "[-i package,...]\n"
	    "              [-x package,...] [-H hostname] [-a address] "
	    "[-I interface]\n"
	    "              [-f jail.conf]"
	    " name path\n"
	    "       mkjail -r name path\n");
	exit(1);
}

/* "mkjail: debootstrap bookworm from ..." on stderr. */
static void __attribute__((format(printf, 1, 0)))
step_cb(const char *fmt, va_list ap)
{
	(void)fprintf(stderr, "mkjail: ");
	(void)vfprintf(stderr, fmt, ap);
	(void)fputc('\n', stderr);
}

/* debootstrap's lines, condensed, as they come. */
static void __attribute__((format(printf, 1, 0)))
tool_cb(const char *fmt, va_list ap)
{
	(void)vfprintf(stderr, fmt, ap);
	(void)fputc('\n', stderr);
}

static const struct mkroot_ops ops = { step_cb, tool_cb };

/* The option getopt refused (opterr is 0), in BSD getopt's words. */
static void
option_error(void)
{
	const char *o = optopt != 0 ? strchr(MKJAIL_OPTS, optopt) : NULL;

	warnx(o != NULL && o[1] == ':' ? "option requires an argument -- %c" :
	    "illegal option -- %c", optopt);
}

static int
mkjail_opt(struct mkjail_cli *c, int ch, const char *arg)
{
	switch (ch) {
	case 'a': c->rq.address = arg; break;
	case 'f': c->conf_file = arg; break;
	case 'H': c->rq.hostname = arg; break;
	case 'I': c->rq.interface = arg; break;
	case 'i': c->rq.include = arg; break;
	case 'm': c->rq.mirror = arg; break;
	case 'r': c->remove = true; break;
	case 's': c->rq.suite = arg; break;
	case 't': c->rq.thin = true; break;
	case 'V': c->rq.variant = arg; break;
	case 'x': c->rq.exclude = arg; break;
	default: return -1;
	}
	return 0;
}

static void
on_signal(int sig)
{
	(void)sig;
	mkroot_interrupt();
}

/* ^C, kill, hangup: stop debootstrap and remove what was half-made. */
static void
catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	(void)sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < nitems(sigs); i++)
		(void)sigaction(sigs[i], &sa, NULL);
}

/* The jail.conf block: on stdout, or appended to -f's file. */
static void
print_conf(const struct mkjail_cli *c)
{
	_cleanup_free_ char *block = NULL;

	if (mkroot_conf(&c->rq, &block) < 0)
		errx(1, "%s", jail_errmsg);
	if (c->conf_file == NULL) {
		(void)fputs(block, stdout);
		return;
	}
	if (mkroot_conf_append(c->conf_file, c->rq.name, block) < 0)
		errx(1, "%s", jail_errmsg);
	warnx("jail %s added to %s", c->rq.name, c->conf_file);
}

int
main(int argc, char **argv)
{
	struct mkjail_cli c = { .rq = { .ops = &ops } };
	char path[PATH_MAX];
	int ch;

	opterr = 0;
	while ((ch = getopt(argc, argv, MKJAIL_OPTS)) != -1)
		if (mkjail_opt(&c, ch, optarg) < 0) {
			option_error();
			usage();
		}
	argc -= optind;
	argv += optind;
	/* -r takes a name and a path only */
	if (argc != 2 || (c.remove && (c.rq.thin || c.conf_file != NULL ||
	    c.rq.suite != NULL || c.rq.mirror != NULL || c.rq.variant != NULL ||
	    c.rq.include != NULL || c.rq.exclude != NULL ||
	    c.rq.hostname != NULL || c.rq.address != NULL)))
		usage();
	if (geteuid() != 0)
		errx(1, "must be run as root");
	c.rq.name = argv[0];
	/* as jail(8) will resolve it: the overlay line must name it so */
	if (mkroot_canon(argv[1], path, sizeof(path)) < 0)
		errx(1, "%s", jail_errmsg);
	c.rq.path = path;
	catch_signals();
	if (c.remove) {
		if (mkroot_remove(&c.rq) < 0)
			errx(1, "%s", jail_errmsg);
		return 0;
	}
	if (mkroot_check(&c.rq) < 0 || (c.conf_file != NULL &&
	    mkroot_conf_check(c.conf_file, c.rq.name) < 0))
		errx(1, "%s", jail_errmsg);
	if (mkroot_make(&c.rq) < 0)
		errx(1, "%s", jail_errmsg);
	print_conf(&c);
	return 0;
}
