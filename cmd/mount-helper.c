// SPDX-License-Identifier: BSD-2-Clause
/*
 * mount-helper.c: mount.TYPE, built once per FreeBSD file system type
 * (-DMOUNT_FSTYPE="devfs" ...) and run by util-linux mount(8) as
 *	mount.TYPE SPEC DIR [-sfnv] [-N ns] [-o options] [-t type[.subtype]]
 * Only argv and exit codes live here (mount(8)'s: 1 for a bad
 * invocation, 32 for a failed mount); lib/fs/mnthelper.c does the mount.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jail/life.h"

#ifndef MOUNT_FSTYPE
#error "MOUNT_FSTYPE must name the file system type"
#endif

#define EX_USAGE_MNT 1	/* mount(8): incorrect invocation */
#define EX_FAIL_MNT 32	/* mount(8): mount failure */

static void __attribute__((noreturn))
usage(void)
{
	(void)fprintf(stderr, "usage: mount.%s [-fnsv] [-N namespace] "
	    "[-o options] [-t type] special node\n", MOUNT_FSTYPE);
	exit(EX_USAGE_MNT);
}

static void __attribute__((noreturn))
oom(void)
{
	(void)fprintf(stderr, "mount.%s: out of memory\n", MOUNT_FSTYPE);
	exit(EX_FAIL_MNT);
}

/* -o may be given more than once: the options add up. */
static char *
opts_join(char *opts, const char *more)
{
	char *j;

	if (opts == NULL)
		return strdup(more);
	if (asprintf(&j, "%s,%s", opts, more) < 0)
		j = NULL;
	free(opts);
	return j;
}

struct args {
	struct mnt_helper_req rq;
	char *opts;
	bool verbose;
};

/* argv is permuted: mount(8) puts SPEC and DIR before the options. */
static void
parse_args(int argc, char **argv, struct args *a)
{
	int ch;

	while ((ch = getopt(argc, argv, "fnsvN:o:t:")) != -1) {
		switch (ch) {
		case 'f':
			a->rq.fake = true;
			break;
		case 'n':	/* no mtab: there is none to write */
		case 't':	/* the type is this program's own */
			break;
		case 's':
			a->rq.sloppy = true;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 'N':
			a->rq.ns = optarg;
			break;
		case 'o':
			if ((a->opts = opts_join(a->opts, optarg)) == NULL)
				oom();
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	a->rq.spec = argv[optind];
	a->rq.dir = argv[optind + 1];
	a->rq.opts = a->opts;
}

int
main(int argc, char **argv)
{
	struct args a = { .rq = { .type = MOUNT_FSTYPE } };

	int r;

	parse_args(argc, argv, &a);
	r = mnt_helper(&a.rq);
	free(a.opts);
	if (r < 0) {
		(void)fprintf(stderr, "mount.%s: %s\n", MOUNT_FSTYPE,
		    jail_errmsg);
		return EX_FAIL_MNT;
	}
	if (a.verbose)
		(void)printf("mount.%s: %s on %s%s\n", MOUNT_FSTYPE,
		    a.rq.spec, a.rq.dir, a.rq.fake ? " (fake)" : "");
	return 0;
}
