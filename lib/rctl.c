// SPDX-License-Identifier: BSD-2-Clause
/*
 * rctl.c: FreeBSD's resource limits (rctl(8)) on jails, mapped onto the
 * jail's cgroups (cgroup.c decides v2 or v1 per controller).
 *
 * Owns the rule syntax ("jail:ID:resource:action=amount[/per]"), the rule
 * store and turning a jail's rules into cgroup limits.  Rules belong to a
 * jail NAME, as FreeBSD's kernel keeps them for a name whether or not the
 * jail runs: /run/jail/rctl/NAME, one "resource:action=amount" a line,
 * replaced atomically under the registry lock; applied when a jail of that
 * name is created (before its init runs) and at once to a running one.
 * Only "deny" exists on Linux: the kernel refuses the fork (pids), the
 * allocation's page fault OOM-kills inside the jail (memory), or throttles
 * (cpu).  Never touches a cgroup that is not a jail's.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "jail-int.h"

#define RCTL_DIR JAIL_RUNDIR "/rctl"
#define NAMELEN 256		/* a jail name, as FreeBSD's NAMELEN */

/* FreeBSD's resources, in its order (sys/rctl.h, racct.h). */
enum rctl_res {
	R_CPUTIME, R_DATASIZE, R_STACKSIZE, R_COREDUMPSIZE, R_MEMORYUSE,
	R_MEMORYLOCKED, R_MAXPROC, R_OPENFILES, R_VMEMORYUSE,
	R_PSEUDOTERMINALS, R_SWAPUSE, R_NTHR, R_MSGQQUEUED, R_MSGQSIZE,
	R_NMSGQ, R_NSEM, R_NSEMOP, R_NSHM, R_SHMSIZE, R_WALLCLOCK, R_PCPU,
	R_READBPS, R_WRITEBPS, R_READIOPS, R_WRITEIOPS,
	R__MAX,
	R__INVALID = -EINVAL,
};

static const char *const res_names[R__MAX] = {
	"cputime", "datasize", "stacksize", "coredumpsize", "memoryuse",
	"memorylocked", "maxproc", "openfiles", "vmemoryuse",
	"pseudoterminals", "swapuse", "nthr", "msgqqueued", "msgqsize",
	"nmsgq", "nsem", "nsemop", "nshm", "shmsize", "wallclock", "pcpu",
	"readbps", "writebps", "readiops", "writeiops",
};

static const char *const action_names[] = {
	"deny", "log", "devctl", "throttle",
};

struct rctl_rule {
	char jail[NAMELEN];	/* "" in a filter: any */
	int res;			/* -1 in a filter: any */
	char action[16];		/* "" in a filter: any */
	uint64_t amount;
	bool has_amount;
};

static int
einval(void)
{
	return jail_seterr(-EINVAL, "%s", strerror(EINVAL));
}

/* expand_number(3): decimal with an optional K, M, G, T, P or E suffix. */
static int
expand_amount(const char *s, uint64_t *ret)
{
	static const char units[] = "kmgtpe";
	unsigned long long v;
	const char *u;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -ERANGE;
	if (*end != '\0') {
		u = strchr(units, tolower((unsigned char)*end));
		if (u == NULL || end[1] != '\0')
			return -EINVAL;
		for (long i = 0; i <= u - units; i++) {
			if (v > UINT64_MAX / 1024)
				return -ERANGE;
			v *= 1024;
		}
	}
	*ret = v;
	return 0;
}

static int
res_find(const char *s)
{
	for (int i = 0; i < R__MAX; i++)
		if (strcmp(s, res_names[i]) == 0)
			return i;
	return R__INVALID;
}

static bool
action_valid(const char *s)
{
	for (size_t i = 0; i < nitems(action_names); i++)
		if (strcmp(s, action_names[i]) == 0)
			return true;
	return strncmp(s, "sig", 3) == 0 && s[3] != '\0';
}

/* "jail" and its abbreviation "j"; the other subjects have no meaning here. */
static int
parse_subject(const char *sub, const char *text)
{
	if (strcmp(sub, "jail") == 0 || strcasecmp(sub, "j") == 0)
		return 0;
	if (*sub == '\0')
		return 0;
	return jail_seterr(-EOPNOTSUPP, "malformed rule '%s': subject '%s' "
	    "not supported: gaol limits jails only", text, sub);
}

/* The amount part: "action=amount[/per]", per being "jail" only. */
static int
parse_action(char *act, bool filter, const char *text, struct rctl_rule *r)
{
	char *amount = strchr(act, '='), *per;
	int q;

	if (amount != NULL)
		*amount++ = '\0';
	if ((*act != '\0' || !filter) && !action_valid(act))
		return einval();
	(void)snprintf(r->action, sizeof(r->action), "%s", act);
	if (amount == NULL || *amount == '\0')
		return filter ? 0 : einval();
	per = strchr(amount, '/');
	if (per != NULL) {
		*per++ = '\0';
		if (strcmp(per, "jail") != 0)
			return einval();
	}
	q = expand_amount(amount, &r->amount);
	if (q < 0)
		return jail_seterr(-EINVAL, "malformed rule '%s': invalid "
		    "numeric value '%s'", text, amount);
	r->has_amount = true;
	return 0;
}

/*
 * Parse a rule, or with filter a filter (trailing parts may be missing
 * or empty), as FreeBSD's rctl(8) and kernel do.
 */
static int
rule_parse(const char *text, bool filter, struct rctl_rule *ret)
{
	_cleanup_free_ char *copy = strdup(text);
	char *p = copy, *sub, *id, *res, *act;
	int q;

	memset(ret, 0, sizeof(*ret));
	ret->res = -1;
	if (copy == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	sub = strsep(&p, ":");
	id = strsep(&p, ":");
	if (id == NULL)
		return jail_seterr(-EINVAL, "malformed rule '%s': missing "
		    "subject", text);
	res = strsep(&p, ":");
	act = p;
	q = parse_subject(sub, text);
	if (q < 0)
		return q;
	if (strlen(id) >= sizeof(ret->jail) || (!filter && *id == '\0'))
		return einval();
	(void)snprintf(ret->jail, sizeof(ret->jail), "%s", id);
	if (res == NULL || *res == '\0')
		return filter || res != NULL ? (filter ? 0 : einval()) : einval();
	ret->res = res_find(res);
	if (ret->res < 0 || (act == NULL && !filter))
		return einval();
	return act == NULL ? 0 : parse_action(act, filter, text, ret);
}

static bool
res_is_io(int res)
{
	return res == R_READBPS || res == R_WRITEBPS || res == R_READIOPS ||
	    res == R_WRITEIOPS;
}

/*
 * Refuse what Linux cannot enforce honestly, and what FreeBSD refuses:
 * deny on the I/O rates (they decay, so only throttle fits them), and
 * throttle on anything else.  log, devctl and the signals would need a
 * process watching every jail's usage; gaol has no daemon.
 */
static int
rule_supported(const struct rctl_rule *r)
{
	bool io = res_is_io(r->res);

	if (strcmp(r->action, "deny") == 0 && io)
		return jail_seterr(-EOPNOTSUPP, "%s: %s cannot be denied, "
		    "only throttled", strerror(EOPNOTSUPP), res_names[r->res]);
	if (strcmp(r->action, "throttle") == 0 && !io)
		return jail_seterr(-EOPNOTSUPP, "%s: only readbps, writebps, "
		    "readiops and writeiops can be throttled",
		    strerror(EOPNOTSUPP));
	if (strcmp(r->action, "deny") != 0 && strcmp(r->action, "throttle") != 0)
		return jail_seterr(-EOPNOTSUPP, "%s: action '%s' needs a "
		    "process watching the jail's usage, and gaol has no "
		    "daemon; use deny (or throttle for I/O)",
		    strerror(EOPNOTSUPP), r->action);
	if (io && r->amount == 0)
		return jail_seterr(-EINVAL, "%s: %s cannot throttle to 0",
		    strerror(EINVAL), res_names[r->res]);
	switch (r->res) {
	case R_MEMORYUSE: case R_VMEMORYUSE: case R_SWAPUSE: case R_MAXPROC:
	case R_NTHR: case R_PCPU: case R_OPENFILES: case R_READBPS:
	case R_WRITEBPS: case R_READIOPS: case R_WRITEIOPS:
		return 0;
	default:
		return jail_seterr(-EOPNOTSUPP, "%s: resource '%s' cannot be "
		    "limited on Linux", strerror(EOPNOTSUPP),
		    res_names[r->res]);
	}
}

/*
 * The rule store's own lock (not the registry's: registry_find takes that
 * one), serialising rctl -a and -r.
 */
static int
rules_lock(int *ret_fd)
{
	_cleanup_close_ int fd = -1;
	int r = registry_make();

	if (r < 0)
		return r;
	if (mkdir(RCTL_DIR, 0700) < 0 && errno != EEXIST)
		return jail_syserr(-errno, "mkdir %s", RCTL_DIR);
	fd = open(RCTL_DIR "/.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return jail_syserr(-errno, "%s/.lock", RCTL_DIR);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return jail_syserr(-errno, "flock %s", RCTL_DIR);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/* The running jail, or NULL (-ENOENT) if none has that name or jid. */
static int
find_jail(const char *id, struct jail **ret)
{
	int r = registry_find(id, ret);

	if (r == -ENOENT || r == -ESRCH)
		*ret = NULL;
	return r == -ENOENT || r == -ESRCH ? 0 : r;
}

/* The rules stored for jail NAME (none: an empty list). */
static int
rules_load(const char *name, struct rctl_rule **ret_v, size_t *ret_n)
{
	char path[PATH_MAX], line[256];
	_cleanup_fclose_ FILE *f = NULL;
	struct rctl_rule *v = NULL, *nv;
	size_t n = 0;

	(void)snprintf(path, sizeof(path), "%s/%s", RCTL_DIR, name);
	f = fopen(path, "re");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char text[NAMELEN + 300];

		line[strcspn(line, "\n")] = '\0';
		(void)snprintf(text, sizeof(text), "jail:%s:%s", name, line);
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (nv == NULL) {
			free(v);
			return jail_seterr(-ENOMEM, "out of memory");
		}
		v = nv;
		if (rule_parse(text, false, &v[n]) >= 0)
			n++;
	}
	*ret_v = v;
	*ret_n = n;
	return 0;
}

/* Replace the rules of NAME (none: remove the file), atomically. */
static int
rules_save(const char *name, const struct rctl_rule *v, size_t n)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	_cleanup_fclose_ FILE *f = NULL;

	(void)snprintf(path, sizeof(path), "%s/%s", RCTL_DIR, name);
	if (n == 0)
		return unlink(path) < 0 && errno != ENOENT
		    ? jail_syserr(-errno, "%s", path) : 0;
	if (mkdir(RCTL_DIR, 0700) < 0 && errno != EEXIST)
		return jail_syserr(-errno, "%s", RCTL_DIR);
	(void)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", RCTL_DIR, name);
	f = fopen(tmp, "we");
	if (f == NULL)
		return jail_syserr(-errno, "%s", tmp);
	for (size_t i = 0; i < n; i++)
		(void)fprintf(f, "%s:%s=%" PRIu64 "\n", res_names[v[i].res],
		    v[i].action, v[i].amount);
	if (fflush(f) != 0 || fsync(fileno(f)) < 0 || rename(tmp, path) < 0)
		return jail_syserr(-errno, "%s", path);
	return 0;
}

/* The jail name a rule's id means: a running jail's name, or as given. */
static int
rule_jail_name(struct rctl_rule *r, struct jail **ret_j)
{
	struct jail *j = NULL;
	int q = find_jail(r->jail, &j);

	if (q < 0)
		return q;
	if (j != NULL)
		(void)snprintf(r->jail, sizeof(r->jail), "%s", jail_name(j));
	if (strchr(r->jail, '/') != NULL || r->jail[0] == '.') {
		jail_free(j);
		return einval();
	}
	*ret_j = j;
	return 0;
}

/* The limits a jail's rules make: UINT64_MAX for none. */
struct rctl_limits {
	uint64_t v[R__MAX];
};

static void
limits_of(const struct rctl_rule *v, size_t n, struct rctl_limits *l)
{
	for (int i = 0; i < R__MAX; i++)
		l->v[i] = UINT64_MAX;
	for (size_t i = 0; i < n; i++)
		if (v[i].amount < l->v[v[i].res])
			l->v[v[i].res] = v[i].amount;
	/* Linux counts threads and processes alike in pids (see rctl.8) */
	if (l->v[R_NTHR] < l->v[R_MAXPROC])
		l->v[R_MAXPROC] = l->v[R_NTHR];
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
	    strerror(EOPNOTSUPP), res_names[res], cg_ctrl_name(c, 2));
}

static int
apply_memory(const struct jail *j, const struct rctl_limits *l)
{
	char dir[PATH_MAX];
	int v = cg_dir(j, CG_MEMORY, dir, sizeof(dir)), r;

	if (v < 0)
		return no_ctrl(l->v[R_MEMORYUSE] & l->v[R_VMEMORYUSE] &
		    l->v[R_SWAPUSE], R_MEMORYUSE, CG_MEMORY);
	if (v == 2) {
		if (l->v[R_VMEMORYUSE] != UINT64_MAX)
			return jail_seterr(-EOPNOTSUPP, "%s: vmemoryuse: "
			    "cgroup v2 limits swap apart; use swapuse",
			    strerror(EOPNOTSUPP));
		r = cg_set(dir, "memory.max", l->v[R_MEMORYUSE], "max");
		if (r >= 0 && (l->v[R_SWAPUSE] != UINT64_MAX ||
		    has_file(dir, "memory.swap.max")))
			r = cg_set(dir, "memory.swap.max", l->v[R_SWAPUSE],
			    "max");
		return r;
	}
	if (l->v[R_SWAPUSE] != UINT64_MAX)
		return jail_seterr(-EOPNOTSUPP, "%s: swapuse: cgroup v1 has "
		    "no swap-only limit; use vmemoryuse", strerror(EOPNOTSUPP));
	/* memsw may never be below the memory limit: lift it first */
	(void)cg_set(dir, "memory.memsw.limit_in_bytes", UINT64_MAX, "-1");
	r = cg_set(dir, "memory.limit_in_bytes", l->v[R_MEMORYUSE], "-1");
	if (r >= 0 && l->v[R_VMEMORYUSE] != UINT64_MAX)
		r = cg_set(dir, "memory.memsw.limit_in_bytes",
		    l->v[R_VMEMORYUSE], "-1");
	return r;
}

static int
apply_pids(const struct jail *j, const struct rctl_limits *l)
{
	char dir[PATH_MAX];

	if (cg_dir(j, CG_PIDS, dir, sizeof(dir)) < 0)
		return no_ctrl(l->v[R_MAXPROC], R_MAXPROC, CG_PIDS);
	return cg_set(dir, "pids.max", l->v[R_MAXPROC], "max");
}

/* pcpu: percent of one CPU, as a CFS quota per 100 ms period. */
static int
apply_cpu(const struct jail *j, const struct rctl_limits *l)
{
	const uint64_t period = 100000;
	uint64_t pct = l->v[R_PCPU];
	char dir[PATH_MAX], val[64];
	int v = cg_dir(j, CG_CPU, dir, sizeof(dir));

	if (v < 0)
		return no_ctrl(pct, R_PCPU, CG_CPU);
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
	{ R_READBPS, "blkio.throttle.read_bps_device", "rbps" },
	{ R_WRITEBPS, "blkio.throttle.write_bps_device", "wbps" },
	{ R_READIOPS, "blkio.throttle.read_iops_device", "riops" },
	{ R_WRITEIOPS, "blkio.throttle.write_iops_device", "wiops" },
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
	uint64_t any = l->v[R_READBPS] & l->v[R_WRITEBPS] &
	    l->v[R_READIOPS] & l->v[R_WRITEIOPS];
	_cleanup_closedir_ DIR *d = NULL;
	char dir[PATH_MAX], dev[32], size[32];
	int v = cg_dir(j, CG_IO, dir, sizeof(dir)), r = 0, ok = 0;
	struct dirent *e;

	if (v < 0)
		return no_ctrl(any, R_READBPS, CG_IO);
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

static int
apply_limits(const struct jail *j, const struct rctl_limits *l)
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

/* Apply the stored rules of j's name to j's cgroups (jail creation). */
int
rctl_apply(const struct jail *j)
{
	_cleanup_free_ struct rctl_rule *v = NULL;
	struct rctl_limits l;
	size_t n;
	int r = rules_load(jail_name(j), &v, &n);

	if (r < 0 || n == 0)
		return r;
	limits_of(v, n, &l);
	r = apply_limits(j, &l);
	return r < 0 ? jail_errctx(r, "rctl") : 0;
}

/* openfiles: the RLIMIT_NOFILE for processes entering j (0: none). */
unsigned long
rctl_nofile(const struct jail *j)
{
	_cleanup_free_ struct rctl_rule *v = NULL;
	struct rctl_limits l;
	size_t n;

	if (rules_load(jail_name(j), &v, &n) < 0 || n == 0)
		return 0;
	limits_of(v, n, &l);
	return l.v[R_OPENFILES] == UINT64_MAX ? 0 : (unsigned long)l.v[R_OPENFILES];
}

/* Store the new rule set of a jail and apply it if the jail runs. */
static int
rules_replace(const struct jail *j, const char *name,
    const struct rctl_rule *v, size_t n)
{
	struct rctl_limits l;
	int r;

	if (j != NULL) {
		limits_of(v, n, &l);
		r = apply_limits(j, &l);
		if (r < 0)
			return r;
	}
	return rules_save(name, v, n);
}

/* rctl -a: add (or replace, same resource and action) one rule. */
int
rctl_add(const char *text)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	_cleanup_free_ struct rctl_rule *v = NULL;
	_cleanup_close_ int lock = -1;
	struct rctl_rule rule, *nv;
	size_t n, i;
	int r;

	r = rule_parse(text, false, &rule);
	if (r >= 0)
		r = rule_supported(&rule);
	if (r >= 0)
		r = rules_lock(&lock);
	if (r >= 0)
		r = rule_jail_name(&rule, &j);
	if (r >= 0)
		r = rules_load(rule.jail, &v, &n);
	if (r < 0)
		return r;
	for (i = 0; i < n; i++)
		if (v[i].res == rule.res && strcmp(v[i].action, rule.action) == 0)
			break;
	if (i == n) {
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (nv == NULL)
			return jail_seterr(-ENOMEM, "out of memory");
		v = nv;
		n++;
	}
	v[i] = rule;
	return rules_replace(j, rule.jail, v, n);
}

static bool
rule_matches(const struct rctl_rule *f, const struct rctl_rule *r)
{
	return (f->res < 0 || f->res == r->res) &&
	    (f->action[0] == '\0' || strcmp(f->action, r->action) == 0) &&
	    (!f->has_amount || f->amount == r->amount);
}

/* rctl -r: remove the rules a filter matches (jail:NAME: all of them). */
int
rctl_remove(const char *text)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	_cleanup_free_ struct rctl_rule *v = NULL;
	_cleanup_close_ int lock = -1;
	struct rctl_rule f;
	size_t n, k = 0;
	int r;

	r = rule_parse(text, true, &f);
	if (r >= 0 && f.jail[0] == '\0')
		r = einval();	/* FreeBSD too wants a subject id here */
	if (r >= 0)
		r = rules_lock(&lock);
	if (r >= 0)
		r = rule_jail_name(&f, &j);
	if (r >= 0)
		r = rules_load(f.jail, &v, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (!rule_matches(&f, &v[i]))
			v[k++] = v[i];
	return rules_replace(j, f.jail, v, k);
}

/* Append "jail:NAME:res:action=amount\n" for NAME's rules matching f. */
static int
list_jail(const char *name, const struct rctl_rule *f, FILE *out)
{
	_cleanup_free_ struct rctl_rule *v = NULL;
	size_t n;
	int r = rules_load(name, &v, &n);

	for (size_t i = 0; r >= 0 && i < n; i++)
		if (rule_matches(f, &v[i]))
			(void)fprintf(out, "jail:%s:%s:%s=%" PRIu64 "\n", name,
			    res_names[v[i].res], v[i].action, v[i].amount);
	return r;
}

static int
list_all(const struct rctl_rule *f, FILE *out)
{
	DIR *d = opendir(RCTL_DIR);
	struct dirent *e;
	int r = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : jail_syserr(-errno, "%s", RCTL_DIR);
	while (r >= 0 && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			r = list_jail(e->d_name, f, out);
	(void)closedir(d);
	return r;
}

/*
 * rctl [-l] filter: the rules a filter matches, one a line, into a
 * malloc'd *ret.  Subjects other than jail have no rules here.
 */
int
rctl_list(const char *text, char **ret)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	struct rctl_rule f;
	size_t len = 0;
	FILE *out;
	int r;

	r = rule_parse(text, true, &f);
	if (r == -EOPNOTSUPP) {
		*ret = strdup("");
		return *ret == NULL ? -ENOMEM : 0;
	}
	if (r < 0)
		return r;
	out = open_memstream(ret, &len);
	if (out == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	if (f.jail[0] == '\0')
		r = list_all(&f, out);
	else if ((r = rule_jail_name(&f, &j)) >= 0)
		r = list_jail(f.jail, &f, out);
	(void)fclose(out);
	return r;
}

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

	memset(u, 0, R__MAX * sizeof(*u));
	cpu = usage_of(j, CG_CPUACCT, "cpuacct.usage", "cpu.stat",
	    "usage_usec");
	/* cpuacct.usage counts ns, cpu.stat usage_usec µs */
	u[R_CPUTIME] = j->cgv1[CG_CPUACCT] != NULL ? cpu / 1000000000
						    : cpu / 1000000;
	u[R_MEMORYUSE] = usage_of(j, CG_MEMORY, "memory.usage_in_bytes",
	    "memory.current", NULL);
	u[R_VMEMORYUSE] = j->cgv1[CG_MEMORY] != NULL
	    ? usage_of(j, CG_MEMORY, "memory.memsw.usage_in_bytes", "", NULL)
	    : u[R_MEMORYUSE];
	if (j->cgv1[CG_MEMORY] == NULL)
		u[R_SWAPUSE] = usage_of(j, CG_MEMORY, "", "memory.swap.current",
		    NULL);
	u[R_MAXPROC] = usage_of(j, CG_PIDS, "pids.current", "pids.current",
	    NULL);
	u[R_NTHR] = u[R_MAXPROC];
	u[R_WALLCLOCK] = wallclock(j);
}

/* A filter (-u, -v) and the running jail it names, if it names one. */
static int
filter_jail(const char *text, struct rctl_rule *f, struct jail **ret)
{
	int r = rule_parse(text, true, f);

	if (r >= 0 && f->jail[0] != '\0')
		r = find_jail(f->jail, ret);
	return r;
}

/* rctl -u jail:ID: "resource=value" lines, FreeBSD's order, all of them. */
int
rctl_usage(const char *text, char **ret)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	struct rctl_rule f;
	uint64_t u[R__MAX];
	size_t len = 0;
	FILE *out;
	int r;

	r = filter_jail(text, &f, &j);
	if (r >= 0 && (f.jail[0] == '\0' || f.res >= 0))
		r = einval();
	if (r >= 0 && j == NULL)
		r = jail_seterr(-ESRCH, "%s", strerror(ESRCH));
	if (r < 0)
		return r;
	usage_fill(j, u);
	out = open_memstream(ret, &len);
	if (out == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	for (int i = 0; i < R__MAX; i++)
		(void)fprintf(out, "%s=%" PRIu64 "\n", res_names[i], u[i]);
	(void)fclose(out);
	return 0;
}

/* rctl -v: per controller, the cgroup version and directory in use. */
int
rctl_paths(const char *text, char **ret)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	struct rctl_rule f;
	char dir[PATH_MAX];
	size_t len = 0;
	FILE *out;
	int r;

	r = filter_jail(text, &f, &j);
	if (r < 0 || j == NULL) {
		*ret = strdup("");
		return r < 0 ? r : *ret == NULL ? -ENOMEM : 0;
	}
	out = open_memstream(ret, &len);
	if (out == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	for (int c = 0; c < CG__MAX; c++) {
		int v = cg_dir(j, c, dir, sizeof(dir));

		if (v < 0)
			(void)fprintf(out, "jail:%s: %s: none\n", jail_name(j),
			    cg_ctrl_name(c, 1));
		else
			(void)fprintf(out, "jail:%s: %s: cgroup v%d %s\n",
			    jail_name(j), cg_ctrl_name(c, 1), v, dir);
	}
	(void)fclose(out);
	return 0;
}
