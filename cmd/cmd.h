// SPDX-License-Identifier: BSD-2-Clause
/*
 * cmd.h: what the thin commands share beyond libjail: getopt(3) in BSD's
 * manner.  glibc's getopt permutes and words its complaints its own way;
 * the commands call getopt with a leading '+' and opterr = 0, and report
 * a bad option here as FreeBSD's getopt would.
 */
#ifndef GAOL_CMD_H
#define GAOL_CMD_H

#include <err.h>
#include <string.h>
#include <unistd.h>

/* Complain about the option getopt just refused (optopt), BSD's words. */
static inline void
bsd_option_error(const char *optstring)
{
	const char *p = optopt != 0 ? strchr(optstring, optopt) : NULL;

	if (p != NULL && p[1] == ':')
		warnx("option requires an argument -- %c", optopt);
	else
		warnx("illegal option -- %c", optopt);
}

#endif
