// SPDX-License-Identifier: BSD-2-Clause
/*
 * rctl-usage.c: what a running jail uses, as FreeBSD's rctl -u reports
 * it (read from the jail's cgroups and its init's start time), and which
 * cgroup holds each controller of the jail (rctl -v).
 *
 * Reads only: never writes a cgroup file, never touches a rule.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rctl-int.h"

/* One number from a cgroup file: the first, or the one after key. */
static uint64_t
cg_read(const char *dir, const char *file, const char *key)
{
	char path[PATH_MAX + 64], word[64];
	_cleanup_fclose_ FILE *f = NULL;
	unsigned long long v;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (f == NULL)
		return 0;
	if (key == NULL)
		return fscanf(f, "%llu", &v) == 1 ? v : 0;
	while (fscanf(f, "%63s %llu", word, &v) == 2)
		if (strcmp(word, key) == 0)
			return v;
	return 0;
}

static uint64_t
usage_of(const struct jail *j, enum cg_ctrl c, const char *v1file,
    const char *v2file, const char *v2key)
{
	char dir[PATH_MAX];
	int v = cg_dir(j, c, dir, sizeof(dir));

	if (v == 1)
		return cg_read(dir, v1file, NULL);
	return v == 2 ? cg_read(dir, v2file, v2key) : 0;
}

/* Seconds since the jail's init started (its start time in ticks). */
static uint64_t
wallclock(const struct jail *j)
{
	struct timespec now;
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t up;

	if (clock_gettime(CLOCK_BOOTTIME, &now) < 0 || hz <= 0)
		return 0;
	up = (uint64_t)now.tv_sec;
	return up > j->init.start / (uint64_t)hz
	    ? up - j->init.start / (uint64_t)hz : 0;
}

static void
usage_fill(const struct jail *j, uint64_t *u)
{
	uint64_t cpu;

	memset(u, 0, RCTL_RES__MAX * sizeof(*u));
	cpu = usage_of(j, CG_CPUACCT, "cpuacct.usage", "cpu.stat",
	    "usage_usec");
	/* cpuacct.usage counts ns, cpu.stat usage_usec µs */
	u[RCTL_CPUTIME] = j->cgv1[CG_CPUACCT] != NULL ? cpu / 1000000000
						       : cpu / 1000000;
	u[RCTL_MEMORYUSE] = usage_of(j, CG_MEMORY, "memory.usage_in_bytes",
	    "memory.current", NULL);
	u[RCTL_VMEMORYUSE] = j->cgv1[CG_MEMORY] != NULL
	    ? usage_of(j, CG_MEMORY, "memory.memsw.usage_in_bytes", "", NULL)
	    : u[RCTL_MEMORYUSE];
	if (j->cgv1[CG_MEMORY] == NULL)
		u[RCTL_SWAPUSE] = usage_of(j, CG_MEMORY, "",
		    "memory.swap.current", NULL);
	u[RCTL_MAXPROC] = usage_of(j, CG_PIDS, "pids.current",
	    "pids.current", NULL);
	u[RCTL_NTHR] = u[RCTL_MAXPROC];
	u[RCTL_WALLCLOCK] = wallclock(j);
}

/* rctl -u jail:ID: every resource, in FreeBSD's order, into *ret. */
int
rctl_usage(const struct rctl_rule *f, struct rctl_usage *ret)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	int r = 0;

	if (f->id[0] == '\0' || f->res != RCTL_ANY)
		return jail_seterr(-EINVAL, "%s", strerror(EINVAL));
	r = rctl_find_jail(f->id, &j);
	if (r >= 0 && j == NULL)
		r = jail_seterr(-ESRCH, "%s", strerror(ESRCH));
	if (r < 0)
		return r;
	usage_fill(j, ret->v);
	return 0;
}

/*
 * rctl -v: per controller, the cgroup version and directory the running
 * jail f names uses; ret->jail "" when f names none.
 */
int
rctl_cgroups(const struct rctl_rule *f, struct rctl_cgroups *ret)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	int r = 0;

	memset(ret, 0, sizeof(*ret));
	if (f->id[0] != '\0')
		r = rctl_find_jail(f->id, &j);
	if (r < 0 || j == NULL)
		return r;
	(void)snprintf(ret->jail, sizeof(ret->jail), "%s", jail_name(j));
	for (int c = 0; c < CG__MAX; c++) {
		int v = cg_dir(j, c, ret->c[c].dir, sizeof(ret->c[c].dir));

		ret->c[c].version = v < 0 ? 0 : v;
		if (v < 0)
			ret->c[c].dir[0] = '\0';
	}
	return 0;
}
