// SPDX-License-Identifier: BSD-2-Clause
/*
 * jexec(8): run a command in a running jail.  argv in; the jail found by
 * jid or name and entered through the one attach path in one registry
 * read (what FreeBSD's jail_getid(3), jail_attach(2) and execvp do, with
 * the user and environment asked for: a running process cannot enter a
 * jail on Linux, jail(3)); the command's exit status out.
 */
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "jail/life.h"

#define JEXEC_OPTS "+lnu:U:"	/* '+': BSD getopt, no permuting */

static void __attribute__((noreturn))
usage(void)
{
	(void)fprintf(stderr, "%s\n",
	    "usage: jexec [-l] [-u username | -U username] jail [command ...]");
	exit(1);
}

static int
jexec_opt(struct attach_spec *s, int ch, const char *arg, int *nusers)
{
	switch (ch) {
	case 'l': s->login = true; break;
	case 'n': break;	/* obsolete FreeBSD flag, ignored there too */
	case 'u': s->user = arg; s->user_in_jail = false; ++*nusers; break;
	case 'U': s->user = arg; s->user_in_jail = true; ++*nusers; break;
	default: return -1;
	}
	return 0;
}

/* Leave as the command left: its exit code, or its signal. */
static int
exit_like(int status)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		(void)signal(sig, SIG_DFL);
		(void)raise(sig);
		return 128 + sig;
	}
	return WEXITSTATUS(status);
}

int
main(int argc, char **argv)
{
	struct attach_spec s = { .stdio = ATTACH_PASS, .outfd = -1,
		.pty = true };
	int ch, nusers = 0, status = 0;

	opterr = 0;
	while ((ch = getopt(argc, argv, JEXEC_OPTS)) != -1)
		if (jexec_opt(&s, ch, optarg, &nusers) < 0) {
			bsd_option_error(JEXEC_OPTS);
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc < 1 || nusers > 1)
		usage();
	s.argv = argc > 1 ? argv + 1 : NULL;
	if (jail_exec(argv[0], &s, &status) < 0)
		errx(1, "%s", jail_errmsg);
	return exit_like(status);
}
