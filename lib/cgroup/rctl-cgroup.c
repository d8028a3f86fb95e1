// SPDX-License-Identifier: BSD-2-Clause
/*
 * rctl-cgroup.c: a jail's rctl limits written into its cgroups (cgroup.c
 * decides v2 or v1 per controller): memory, pids, cpu and the I/O rates.
 *
 * Only "deny" (and "throttle" for I/O) exists on Linux: the kernel
 * refuses the fork (pids), the allocation's page fault OOM-kills inside
 * the jail (memory), or throttles (cpu, io).  Never touches a cgroup that
 * is not a jail's, nor a rule.
 */
#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rctl-int.h"

static int
einval(void)
{
	return jail_seterr(-EINVAL, "%s", strerror(EINVAL));
}

/* The limits rules v make: the least amount for each resource. */
void
rctl_limits_of(const struct rctl_rule *v, size_t n, struct rctl_limits *l)
{
	for (int i = 0; i < RCTL_RES__MAX; i++)
		l->v[i] = UINT64_MAX;
	for (size_t i = 0; i < n; i++)
		if (v[i].amount < l->v[v[i].res])
			l->v[v[i].res] = v[i].amount;
	/* Linux counts threads and processes alike in pids (see rctl.8) */
	if (l->v[RCTL_NTHR] < l->v[RCTL_MAXPROC])
		l->v[RCTL_MAXPROC] = l->v[RCTL_NTHR];
}

/* Write val to the cgroup file dir/file, saying which on failure. */
static int
cg_set_text(const char *dir, const char *file, const char *val)
{
	int r = cg_file_write(dir, file, val);

	return r < 0 ? jail_syserr(r, "%s/%s", dir, file) : 0;
}

/* A number to a cgroup file, or none (the file's "no limit") for none. */
static int
cg_set(const char *dir, const char *file, uint64_t v, const char *none)
{
	char val[32];

	if (v == UINT64_MAX)
		return cg_set_text(dir, file, none);
	(void)snprintf(val, sizeof(val), "%" PRIu64, v);
	return cg_set_text(dir, file, val);
}

/* The first word of the file dir/file. */
static int
read_word(const char *dir, const char *file, char *buf, size_t len)
{
	if (cg_file_read(dir, file, buf, len) < 0)
		return -1;
	buf[strcspn(buf, " ")] = '\0';
	return 0;
}

static bool
has_file(const char *dir, const char *file)
{
	char path[PATH_MAX + 64];

	(void)snprintf(path, sizeof(path), "%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

/* Where no controller backs a limit, only "no limit" is fine. */
static int
no_ctrl(uint64_t v, enum rctl_res res, enum cg_ctrl c)
{
	if (v == UINT64_MAX)
		return 0;
	return jail_seterr(-EOPNOTSUPP, "%s: %s needs the %s cgroup "
	    "controller, which this jail's cgroup lacks (see cgroup.parent "
	    "in jail(8))",
	    strerror(EOPNOTSUPP), rctl_res_name(res), cg_ctrl_name(c, 2));
}

static int
apply_memory(const struct jail *j, const struct rctl_limits *l)
{
	char dir[PATH_MAX];
	int v = cg_dir(j, CG_MEMORY, dir, sizeof(dir)), r;

	if (v < 0)
		return no_ctrl(l->v[RCTL_MEMORYUSE] & l->v[RCTL_VMEMORYUSE] &
		    l->v[RCTL_SWAPUSE], RCTL_MEMORYUSE, CG_MEMORY);
	if (v == 2) {
		if (l->v[RCTL_VMEMORYUSE] != UINT64_MAX)
			return jail_seterr(-EOPNOTSUPP, "%s: vmemoryuse: "
			    "cgroup v2 limits swap apart; use swapuse",
			    strerror(EOPNOTSUPP));
		r = cg_set(dir, "memory.max", l->v[RCTL_MEMORYUSE], "max");
		if (r >= 0 && (l->v[RCTL_SWAPUSE] != UINT64_MAX ||
		    has_file(dir, "memory.swap.max")))
			r = cg_set(dir, "memory.swap.max", l->v[RCTL_SWAPUSE],
			    "max");
		return r;
	}
	if (l->v[RCTL_SWAPUSE] != UINT64_MAX)
		return jail_seterr(-EOPNOTSUPP, "%s: swapuse: cgroup v1 has "
		    "no swap-only limit; use vmemoryuse", strerror(EOPNOTSUPP));
	/* memsw may never be below the memory limit: lift it first */
	(void)cg_set(dir, "memory.memsw.limit_in_bytes", UINT64_MAX, "-1");
	r = cg_set(dir, "memory.limit_in_bytes", l->v[RCTL_MEMORYUSE], "-1");
	if (r >= 0 && l->v[RCTL_VMEMORYUSE] != UINT64_MAX)
		r = cg_set(dir, "memory.memsw.limit_in_bytes",
		    l->v[RCTL_VMEMORYUSE], "-1");
	return r;
}

static int
apply_pids(const struct jail *j, const struct rctl_limits *l)
{
	char dir[PATH_MAX];

	if (cg_dir(j, CG_PIDS, dir, sizeof(dir)) < 0)
		return no_ctrl(l->v[RCTL_MAXPROC], RCTL_MAXPROC, CG_PIDS);
	return cg_set(dir, "pids.max", l->v[RCTL_MAXPROC], "max");
}

/* pcpu: percent of one CPU, as a CFS quota per 100 ms period. */
static int
apply_cpu(const struct jail *j, const struct rctl_limits *l)
{
	const uint64_t period = 100000;
	uint64_t pct = l->v[RCTL_PCPU];
	char dir[PATH_MAX], val[64];
	int v = cg_dir(j, CG_CPU, dir, sizeof(dir));

	if (v < 0)
		return no_ctrl(pct, RCTL_PCPU, CG_CPU);
	if (pct != UINT64_MAX && (pct == 0 || pct > 100000))
		return einval();
	if (v == 1) {
		int r = cg_set(dir, "cpu.cfs_period_us", period, "");

		return r < 0 ? r : cg_set(dir, "cpu.cfs_quota_us",
		    pct == UINT64_MAX ? pct : pct * period / 100, "-1");
	}
	if (pct == UINT64_MAX)
		(void)snprintf(val, sizeof(val), "max %" PRIu64, period);
	else
		(void)snprintf(val, sizeof(val), "%" PRIu64 " %" PRIu64,
		    pct * period / 100, period);
	return cg_set_text(dir, "cpu.max", val);
}

/* The I/O rates: blkio.throttle.* (v1) or io.max (v2) keys. */
static const struct {
	enum rctl_res res;
	const char *v1;
	const char *v2;
} io_files[] = {
	{ RCTL_READBPS, "blkio.throttle.read_bps_device", "rbps" },
	{ RCTL_WRITEBPS, "blkio.throttle.write_bps_device", "wbps" },
	{ RCTL_READIOPS, "blkio.throttle.read_iops_device", "riops" },
	{ RCTL_WRITEIOPS, "blkio.throttle.write_iops_device", "wiops" },
};

/* Whether the I/O cgroup in dir throttles anything now. */
static bool
io_limited(const char *dir, int v)
{
	char path[PATH_MAX + 64];
	_cleanup_fclose_ FILE *f = NULL;

	for (size_t i = 0; i < nitems(io_files); i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", dir,
		    v == 1 ? io_files[i].v1 : "io.max");
		f = fopen(path, "re");
		if (f != NULL && fgetc(f) != EOF)
			return true;
		if (f != NULL)
			(void)fclose(f);
		f = NULL;
	}
	return false;
}

/* One disk's line: "MAJ:MIN VALUE" (v1, 0 lifts) or io.max's keys. */
static int
io_set_disk(const char *dir, int v, const char *dev,
    const struct rctl_limits *l)
{
	char line[160];
	size_t n = 0;
	int r = 0;

	if (v == 2) {
		n = (size_t)snprintf(line, sizeof(line), "%s", dev);
		for (size_t i = 0; i < nitems(io_files); i++) {
			uint64_t x = l->v[io_files[i].res];

			n += (size_t)(x == UINT64_MAX
			    ? snprintf(line + n, sizeof(line) - n, " %s=max",
				io_files[i].v2)
			    : snprintf(line + n, sizeof(line) - n, " %s=%" PRIu64,
				io_files[i].v2, x));
		}
		return cg_set_text(dir, "io.max", line);
	}
	for (size_t i = 0; r >= 0 && i < nitems(io_files); i++) {
		uint64_t x = l->v[io_files[i].res];

		(void)snprintf(line, sizeof(line), "%s %" PRIu64, dev,
		    x == UINT64_MAX ? 0 : x);
		r = cg_set_text(dir, io_files[i].v1, line);
	}
	return r;
}

/*
 * readbps, writebps, readiops, writeiops: the kernel throttles per
 * device, so every disk of the host (/sys/block, those with no medium
 * aside) gets the jail's rates, each on its own.
 */
static int
apply_io(const struct jail *j, const struct rctl_limits *l)
{
	uint64_t any = l->v[RCTL_READBPS] & l->v[RCTL_WRITEBPS] &
	    l->v[RCTL_READIOPS] & l->v[RCTL_WRITEIOPS];
	_cleanup_closedir_ DIR *d = NULL;
	char dir[PATH_MAX], dev[32], size[32];
	int v = cg_dir(j, CG_IO, dir, sizeof(dir)), r = 0, ok = 0;
	struct dirent *e;

	if (v < 0)
		return no_ctrl(any, RCTL_READBPS, CG_IO);
	if (any == UINT64_MAX && !io_limited(dir, v))
		return 0;
	d = opendir("/sys/block");
	if (d == NULL)
		return jail_syserr(-errno, "/sys/block");
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX];
		int q;

		if (e->d_name[0] == '.')
			continue;
		(void)snprintf(path, sizeof(path), "/sys/block/%s",
		    e->d_name);
		if (read_word(path, "size", size, sizeof(size)) < 0 ||
		    strcmp(size, "0") == 0 ||
		    read_word(path, "dev", dev, sizeof(dev)) < 0)
			continue;
		q = io_set_disk(dir, v, dev, l);
		if (q >= 0)
			ok++;
		else if (r == 0)
			r = q;
	}
	return ok > 0 || any == UINT64_MAX ? 0 : r < 0 ? r
	    : jail_seterr(-ENODEV, "%s: no disk to throttle",
		strerror(ENODEV));
}

/* Set every limit of l on j's cgroups (UINT64_MAX lifts one). */
int
rctl_limits_apply(const struct jail *j, const struct rctl_limits *l)
{
	int r = apply_memory(j, l);

	if (r >= 0)
		r = apply_pids(j, l);
	if (r >= 0)
		r = apply_cpu(j, l);
	if (r >= 0)
		r = apply_io(j, l);
	return r;
}
