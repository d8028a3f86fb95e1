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

/* humanize_number(3) with HN_AUTOSCALE, HN_DECIMAL, HN_NOSPACE, 6 bytes. */
static void
humanize(uint64_t n, char *buf, size_t len)
{
	static const char prefix[] = " KMGTPE";
	uint64_t rem = 0;
	int i = 0;

	while (n >= 10000 && i < 6) {
		rem = n % 1024;
		n /= 1024;
		i++;
	}
	if (i > 0 && n < 10 && (n * 10 + (rem * 10 + 512) / 1024) < 100)
		(void)snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "%c", n,
		    (rem * 10 + 512) / 1024, prefix[i]);
	else if (i > 0)
		(void)snprintf(buf, len, "%" PRIu64 "%c",
		    n + (rem >= 512 ? 1 : 0), prefix[i]);
	else
		(void)snprintf(buf, len, "%" PRIu64, n);
}

/* Print lines, with -h the number after the last '=' humanized. */
static void
print_lines(char *text, bool hflag)
{
	char *line, *eq, *end, num[8];
	uint64_t v;

	while ((line = strsep(&text, "\n")) != NULL && *line != '\0') {
		eq = strrchr(line, '=');
		if (!hflag || eq == NULL) {
			(void)printf("%s\n", line);
			continue;
		}
		v = strtoull(eq + 1, &end, 10);
		humanize(v, num, sizeof(num));
		*eq = '\0';
		(void)printf("%s=%s\n", line, *end == '\0' ? num : eq + 1);
	}
}

/* FreeBSD's wording: "failed to <what> '<rule>': <reason>". */
static int
fail(const char *what, const char *rule)
{
	if (strncmp(jail_errmsg, "malformed rule", 14) == 0)
		warnx("%s", jail_errmsg);
	else
		warnx("failed to %s '%s': %s", what, rule, jail_errmsg);
	return 1;
}

static int
show(int (*fn)(const char *, char **), const char *what, const char *rule,
    bool hflag)
{
	char *out = NULL;

	if (fn(rule, &out) < 0) {
		free(out);
		return fail(what, rule);
	}
	print_lines(out, hflag);
	free(out);
	return 0;
}

static int
one(char op, const char *rule, bool hflag, bool vflag)
{
	if (vflag && op != 'a' && op != 'r')
		(void)show(rctl_paths, "show cgroups for", rule, false);
	switch (op) {
	case 'a':
		return rctl_add(rule) < 0 ? fail("add rule", rule) : 0;
	case 'r':
		return rctl_remove(rule) < 0 ? fail("remove rule", rule) : 0;
	case 'u':
		return show(rctl_usage, "show resource consumption for", rule,
		    hflag);
	case 'l':
		return show(rctl_list, "get limits for", rule, hflag);
	default:
		return show(rctl_list, "show rules for", rule, hflag);
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
