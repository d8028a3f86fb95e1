// SPDX-License-Identifier: BSD-2-Clause
/*
 * devfs-store.c: the host's devfs rulesets.
 *
 * Owns the rulesets in memory (FreeBSD's devfs_rule.c bookkeeping: rule
 * numbers, includes, reaping empty sets), devfs.rules(5) files, and the
 * store: every ruleset of the host in JAIL_RUNDIR/devfs/rules, one line
 * per rule, stamped with the boot it was made in.  The first use after a
 * boot loads the built-in defaults (etc/devfs.rules, compiled in) and
 * then /etc/devfs.rules, as FreeBSD's rc.subr does at boot; "lock"
 * beside it serialises changes.  Never touches a mounted devfs (devfs.c
 * does) and never prints.
 *
 * GAOL_DEVFS_STORE, a test switch (features.c: only in a build made
 * for the test suite), names another store directory so that unit tests
 * run without root.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/fs.h"

#define STORE_ENV "GAOL_DEVFS_STORE"
#define STORE_DIR JAIL_RUNDIR "/devfs"
#define STORE_FILE "rules"
#define STORE_TMP "rules.tmp"
#define STORE_LOCK "lock"
#define LOCAL_RULES "/etc/devfs.rules"
#define BOOT_ID "/proc/sys/kernel/random/boot_id"
#define BLANKS " \t\r\n"

static const char devfs_rules_default[] =
#include "devfs-rules-default.h"
    ;

static int
oom(void)
{
	return jail_seterr(-ENOMEM, "%s", strerror(ENOMEM));
}

/* ---- rulesets in memory -------------------------------------------- */

/* Where the element numbered num is, or would go, in v, sorted by num. */
#define NUM_POS(v, n, num) __extension__({				\
	size_t i_ = 0;							\
	while (i_ < (n) && (v)[i_].num < (num))				\
		i_++;							\
	i_;								\
})

static size_t
set_pos(const struct devfs_rules *rs, unsigned num)
{
	return NUM_POS(rs->v, rs->n, num);
}

static struct devfs_ruleset *
set_find(const struct devfs_rules *rs, unsigned num)
{
	size_t i = set_pos(rs, num);

	return i < rs->n && rs->v[i].num == num ? &rs->v[i] : NULL;
}

const struct devfs_ruleset *
devfs_ruleset_find(const struct devfs_rules *rs, unsigned num)
{
	return set_find(rs, num);
}

/* Set num, made (empty) if it does not exist yet. */
static int
set_get(struct devfs_rules *rs, unsigned num, struct devfs_ruleset **ret)
{
	size_t i = set_pos(rs, num);
	struct devfs_ruleset *v;

	if (i < rs->n && rs->v[i].num == num) {
		*ret = &rs->v[i];
		return 0;
	}
	v = realloc(rs->v, (rs->n + 1) * sizeof(*v));
	if (v == NULL)
		return oom();
	memmove(&v[i + 1], &v[i], (rs->n - i) * sizeof(*v));
	v[i] = (struct devfs_ruleset){ num, NULL, 0 };
	rs->v = v;
	rs->n++;
	*ret = &v[i];
	return 0;
}

static size_t
rule_pos(const struct devfs_ruleset *s, unsigned num)
{
	return NUM_POS(s->v, s->n, num);
}

/* Move *r (numbered) into set; its pattern belongs to the set now. */
static int
rule_insert(struct devfs_rules *rs, unsigned set, struct devfs_rule *r)
{
	struct devfs_ruleset *s;
	struct devfs_rule *v;
	size_t i;
	int ret = set_get(rs, set, &s);

	if (ret < 0)
		return ret;
	i = rule_pos(s, r->num);
	if (i < s->n && s->v[i].num == r->num)
		return jail_seterr(-EEXIST,
		    "rule %u already exists in ruleset %u", r->num, set);
	v = realloc(s->v, (s->n + 1) * sizeof(*v));
	if (v == NULL)
		return oom();
	memmove(&v[i + 1], &v[i], (s->n - i) * sizeof(*v));
	v[i] = *r;
	s->v = v;
	s->n++;
	r->pattern = NULL;
	return 0;
}

static bool
set_included(const struct devfs_rules *rs, unsigned num)
{
	for (size_t i = 0; i < rs->n; i++)
		for (size_t k = 0; k < rs->v[i].n; k++)
			if ((rs->v[i].v[k].acts & DRA_INCLUDE) &&
			    rs->v[i].v[k].incset == num)
				return true;
	return false;
}

/* Drop the empty sets no include refers to (FreeBSD's ruleset reaping). */
static void
sets_reap(struct devfs_rules *rs)
{
	size_t n = 0;

	for (size_t i = 0; i < rs->n; i++) {
		if (rs->v[i].n == 0 && !set_included(rs, rs->v[i].num)) {
			free(rs->v[i].v);
			continue;
		}
		rs->v[n++] = rs->v[i];
	}
	rs->n = n;
}

/* FreeBSD's checks on DEVFSIO_RADD, and its auto-numbering. */
static int
add_check(const struct devfs_rules *rs, unsigned set,
    const struct devfs_rule *r, unsigned *ret_num)
{
	const struct devfs_ruleset *s = devfs_ruleset_find(rs, set);
	unsigned last = s != NULL && s->n > 0 ? s->v[s->n - 1].num : 0;

	if (set == 0)
		return jail_seterr(-EINVAL, "ruleset 0 cannot hold rules");
	if (set > DEVFS_NUM_MAX || r->num > DEVFS_NUM_MAX)
		return jail_seterr(-ERANGE, "number out of range (at most %u)",
		    DEVFS_NUM_MAX);
	if ((r->acts & DRA_INCLUDE) && r->incset == set)
		return jail_seterr(-EINVAL, "ruleset %u cannot include itself",
		    set);
	if ((r->acts & DRA_INCLUDE) && !devfs_ruleset_find(rs, r->incset))
		return jail_seterr(-ESRCH, "ruleset %u does not exist",
		    r->incset);
	if (r->num == 0 && last + 100 > DEVFS_NUM_MAX)
		return jail_seterr(-ERANGE,
		    "no rule number left after %u in ruleset %u", last, set);
	*ret_num = r->num != 0 ? r->num : last + 100;
	return 0;
}

/*
 * Add *r to set; number 0 is the last rule's number + 100.  On success
 * r->num holds the number given and the pattern belongs to rs.
 */
int
devfs_rules_add(struct devfs_rules *rs, unsigned set, struct devfs_rule *r)
{
	unsigned num = 0, old = r->num;
	int ret = add_check(rs, set, r, &num);

	if (ret < 0)
		return ret;
	r->num = num;
	ret = rule_insert(rs, set, r);
	if (ret < 0)
		r->num = old;
	return ret;
}

int
devfs_rules_del(struct devfs_rules *rs, unsigned set, unsigned num)
{
	struct devfs_ruleset *s = set_find(rs, set);
	size_t i = s != NULL ? rule_pos(s, num) : 0;

	if (s == NULL || i >= s->n || s->v[i].num != num)
		return jail_seterr(-ENOENT,
		    "rule %u does not exist in ruleset %u", num, set);
	devfs_rule_clear(&s->v[i]);
	memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
	s->n--;
	sets_reap(rs);
	return 0;
}

/* Empty set; a set that does not exist is already empty. */
int
devfs_rules_delset(struct devfs_rules *rs, unsigned set)
{
	struct devfs_ruleset *s = set_find(rs, set);

	for (size_t i = 0; s != NULL && i < s->n; i++)
		devfs_rule_clear(&s->v[i]);
	if (s != NULL)
		s->n = 0;
	sets_reap(rs);
	return 0;
}

void
devfs_rules_free(struct devfs_rules *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		for (size_t k = 0; k < rs->v[i].n; k++)
			devfs_rule_clear(&rs->v[i].v[k]);
		free(rs->v[i].v);
	}
	free(rs->v);
	if (rs->lockfd >= 0)
		(void)close(rs->lockfd);
	*rs = (struct devfs_rules){ NULL, 0, -1 };
}

/* ---- devfs.rules(5) -------------------------------------------------- */

/* The [name=N] sections of devfs.rules(5) files, for $name. */
struct rvars {
	struct rvar {
		char *name;
		unsigned num;
	} *v;
	size_t n;
};

static void
rvars_free(struct rvars *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		free(vs->v[i].name);
	free(vs->v);
}

static struct rvar *
rvars_find(const struct rvars *vs, const char *name, size_t len)
{
	for (size_t i = 0; i < vs->n; i++)
		if (strlen(vs->v[i].name) == len &&
		    strncmp(vs->v[i].name, name, len) == 0)
			return &vs->v[i];
	return NULL;
}

/* devfs_split's lookup of $name. */
static int
rvars_get(void *arg, const char *name, size_t len, unsigned *ret)
{
	const struct rvar *v = rvars_find(arg, name, len);

	if (v == NULL)
		return -ENOENT;
	*ret = v->num;
	return 0;
}

static int
rvars_set(struct rvars *vs, const char *name, unsigned num)
{
	struct rvar *v = rvars_find(vs, name, strlen(name));
	char *s;

	if (v == NULL) {
		v = realloc(vs->v, (vs->n + 1) * sizeof(*v));
		s = strdup(name);
		if (v != NULL)
			vs->v = v;
		if (v == NULL || s == NULL) {
			free(s);
			return oom();
		}
		v = &vs->v[vs->n++];
		v->name = s;
	}
	v->num = num;
	return 0;
}


/* [name=N]: ruleset N starts, emptied first (rc.subr's delset). */
static int
rfile_header(struct devfs_rules *rs, struct rvars *vs, unsigned *set,
    const char *line)
{
	char name[64], num[8];
	int end = -1, r;

	if (sscanf(line, " [ %63[A-Za-z0-9_] = %7[0-9] ] %n", name, num,
		&end) < 2 || end < 0 ||
	    (line[end] != '\0' && line[end] != '#'))
		return jail_seterr(-EINVAL,
		    "bad ruleset header, expecting [name=number]");
	r = devfs_num_parse(num, set);
	if (r >= 0 && *set == 0)
		r = jail_seterr(-EINVAL, "ruleset 0 cannot hold rules");
	if (r >= 0)
		r = rvars_set(vs, name, *set);
	if (r >= 0)
		r = devfs_rules_delset(rs, *set);
	return r;
}

/* A devfs(8) "rule" command: only add means anything in a file. */
static int
rfile_command(struct devfs_rules *rs, unsigned set, const struct strv *w)
{
	static const char *const others[] = { "apply", "applyset", "del",
		"delset", "show", "showsets" };
	struct devfs_rule rule;
	int r;

	if (strcmp(w->v[0], "add") == 0) {
		r = devfs_rule_parse(w->v + 1, w->n - 1, &rule);
		if (r >= 0 && (r = devfs_rules_add(rs, set, &rule)) < 0)
			devfs_rule_clear(&rule);
		return r;
	}
	for (size_t i = 0; i < nitems(others); i++)
		if (strcmp(w->v[0], others[i]) == 0)
			return jail_seterr(-EINVAL,
			    "%s: not supported in a rules file (only add is)",
			    w->v[0]);
	return jail_seterr(-EINVAL, "unknown command: %s", w->v[0]);
}

static int
rfile_line(struct devfs_rules *rs, struct rvars *vs, unsigned *set,
    const char *line)
{
	_cleanup_(strv_clear) struct strv w = { NULL, 0 };
	int r;

	if (line[strspn(line, BLANKS)] == '[')
		return rfile_header(rs, vs, set, line);
	r = devfs_split(line, rvars_get, vs, &w);
	if (r < 0 || w.n == 0)
		return r;
	if (*set == 0)
		return jail_seterr(-EINVAL,
		    "rule outside a ruleset ([name=number] first)");
	return rfile_command(rs, *set, &w);
}

static int
rfile_parse(struct devfs_rules *rs, struct rvars *vs, const char *name,
    const char *text)
{
	unsigned set = 0, n = 0;

	for (const char *p = text; *p != '\0'; n++) {
		size_t len = strcspn(p, "\n");
		_cleanup_free_ char *line = strndup(p, len);
		int r;

		if (line == NULL)
			return oom();
		r = rfile_line(rs, vs, &set, line);
		if (r < 0)
			return jail_errctx(r, "%s:%u", name, n + 1);
		p += len + (p[len] == '\n');
	}
	return 0;
}

/* A whole file as a string; -ENOENT, unreported, if it is missing. */
static int
read_text(const char *path, char **ret)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_free_ char *buf = NULL;
	size_t cap = 0;

	if (f == NULL)
		return errno == ENOENT ? -ENOENT :
		    jail_syserr(-errno, "%s", path);
	if (getdelim(&buf, &cap, '\0', f) < 0) {
		if (ferror(f))
			return jail_syserr(-EIO, "%s", path);
		free(buf);	/* empty: getdelim leaves no string */
		buf = strdup("");
		if (buf == NULL)
			return oom();
	}
	*ret = TAKE_PTR(buf);
	return 0;
}

/*
 * The built-in rulesets, then those of the devfs.rules(5) file local
 * (NULL: none; a missing file is no error) into rs, which starts empty.
 * $names of the built-in file hold in local too (one rc.subr shell).
 */
int
devfs_rules_defaults(struct devfs_rules *rs, const char *local)
{
	_cleanup_(rvars_free) struct rvars vs = { NULL, 0 };
	_cleanup_free_ char *text = NULL;
	int r;

	r = rfile_parse(rs, &vs, "built-in devfs.rules", devfs_rules_default);
	if (r < 0 || local == NULL)
		return r;
	r = read_text(local, &text);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	return rfile_parse(rs, &vs, local, text);
}

/* ---- the store ------------------------------------------------------- */

static const char *
store_dir(void)
{
	const char *d = test_switch_value(STORE_ENV);

	return d != NULL && *d != '\0' ? d : STORE_DIR;
}

static int
store_open(int *ret_fd)
{
	const char *dir = store_dir();
	int fd, r;

	if (strcmp(dir, STORE_DIR) == 0 && (r = registry_make()) < 0)
		return r;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return jail_syserr(-errno, "mkdir %s", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return jail_syserr(-errno, "%s", dir);
	*ret_fd = fd;
	return 0;
}

static int
store_lock(int dfd, int how, int *ret_fd)
{
	_cleanup_close_ int fd = -1;

	fd = openat(dfd, STORE_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0)
		return jail_syserr(-errno, "%s/%s", store_dir(), STORE_LOCK);
	while (flock(fd, how) < 0)
		if (errno != EINTR)
			return jail_syserr(-errno, "flock %s/%s", store_dir(),
			    STORE_LOCK);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

static int
boot_id(char *buf, size_t size)
{
	_cleanup_close_ int fd = open(BOOT_ID, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

	if (n <= 0)
		return jail_syserr(n < 0 ? -errno : -EIO, "%s", BOOT_ID);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* "SET" (an empty set an include keeps) or "SET RULE", ids numeric. */
static int
store_line(struct devfs_rules *rs, const char *line)
{
	_cleanup_(strv_clear) struct strv w = { NULL, 0 };
	struct devfs_ruleset *s;
	struct devfs_rule rule;
	unsigned set;
	int r = devfs_split(line, NULL, NULL, &w);

	if (r >= 0 && w.n == 0)
		r = jail_seterr(-EBADMSG, "empty line");
	if (r >= 0)
		r = devfs_num_parse(w.v[0], &set);
	if (r >= 0)
		r = set_get(rs, set, &s);
	if (r < 0 || w.n == 1)
		return r;
	r = devfs_rule_parse_stored(w.v + 1, w.n - 1, &rule);
	if (r >= 0 && rule.num == 0)
		r = jail_seterr(-EBADMSG, "rule without a number");
	if (r >= 0)
		r = rule_insert(rs, set, &rule);
	devfs_rule_clear(&rule);
	return r;
}

/* Read the store into rs: 0, or 1 if it is missing or of another boot. */
static int
store_read(int dfd, const char *boot, struct devfs_rules *rs)
{
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	unsigned n = 0;
	ssize_t len;
	int fd, r;

	fd = openat(dfd, STORE_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 :
		    jail_syserr(-errno, "%s/%s", store_dir(), STORE_FILE);
	f = fdopen(fd, "r");
	if (f == NULL) {
		(void)close(fd);
		return oom();
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (n++ == 0) {
			if (strncmp(line, "boot ", 5) != 0 ||
			    strcmp(line + 5, boot) != 0)
				return 1;
			continue;
		}
		r = store_line(rs, line);
		if (r < 0)
			return jail_errctx(r, "%s/%s:%u", store_dir(),
			    STORE_FILE, n);
	}
	if (ferror(f))
		return jail_syserr(-EIO, "%s/%s", store_dir(), STORE_FILE);
	return n == 0 ? 1 : 0;
}

static int
store_print(FILE *f, const char *boot, const struct devfs_rules *rs)
{
	(void)fprintf(f, "boot %s\n", boot);
	for (size_t i = 0; i < rs->n; i++) {
		if (rs->v[i].n == 0)
			(void)fprintf(f, "%u\n", rs->v[i].num);
		for (size_t k = 0; k < rs->v[i].n; k++) {
			_cleanup_free_ char *s = devfs_rule_format_stored(
			    &rs->v[i].v[k]);

			if (s == NULL)
				return -ENOMEM;
			(void)fprintf(f, "%u %s\n", rs->v[i].num, s);
		}
	}
	return ferror(f) ? -EIO : 0;
}

/* Replace the store with rs: written aside, then renamed over it. */
static int
store_write(int dfd, const char *boot, const struct devfs_rules *rs)
{
	FILE *f;
	int fd, r = 0;

	fd = openat(dfd, STORE_TMP, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0)
		return jail_syserr(-errno, "%s/%s", store_dir(), STORE_TMP);
	f = fdopen(fd, "w");
	if (f == NULL) {
		(void)close(fd);
		return oom();
	}
	r = store_print(f, boot, rs);
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dfd, STORE_TMP, dfd, STORE_FILE) < 0)
		r = -errno;
	if (r < 0) {
		(void)unlinkat(dfd, STORE_TMP, 0);
		return jail_syserr(r, "%s/%s", store_dir(), STORE_FILE);
	}
	return 0;
}

/* The store as it is, or, first thing after a boot, the defaults. */
static int
store_get(int dfd, int lockfd, const char *boot, bool exclusive,
    struct devfs_rules *rs)
{
	int r = store_read(dfd, boot, rs);

	if (r == 1 && !exclusive) {
		/* flock converts by unlocking first: read again after */
		devfs_rules_free(rs);
		while ((r = flock(lockfd, LOCK_EX)) < 0 && errno == EINTR)
			;
		if (r < 0)
			return jail_syserr(-errno, "flock %s", store_dir());
		r = store_read(dfd, boot, rs);
	}
	if (r != 1)
		return r;
	devfs_rules_free(rs);
	r = devfs_rules_defaults(rs, LOCAL_RULES);
	return r < 0 ? r : store_write(dfd, boot, rs);
}

/*
 * Every ruleset of the host.  for_change: under the store's lock, held
 * until devfs_rules_free, for devfs_rules_save; else a snapshot.
 */
int
devfs_rules_load(bool for_change, struct devfs_rules *ret)
{
	struct devfs_rules rs = { NULL, 0, -1 };
	_cleanup_close_ int dfd = -1, lockfd = -1;
	char boot[64];
	int r;

	r = boot_id(boot, sizeof(boot));
	if (r >= 0)
		r = store_open(&dfd);
	if (r >= 0)
		r = store_lock(dfd, for_change ? LOCK_EX : LOCK_SH, &lockfd);
	if (r >= 0)
		r = store_get(dfd, lockfd, boot, for_change, &rs);
	if (r < 0) {
		devfs_rules_free(&rs);
		return r;
	}
	if (for_change)
		rs.lockfd = TAKE_FD(lockfd);
	*ret = rs;
	return 0;
}

int
devfs_rules_save(struct devfs_rules *rs)
{
	_cleanup_close_ int dfd = -1;
	char boot[64];
	int r;

	if (rs->lockfd < 0)
		return jail_seterr(-EBADF,
		    "devfs rules: not loaded for change");
	r = boot_id(boot, sizeof(boot));
	if (r >= 0)
		r = store_open(&dfd);
	return r < 0 ? r : store_write(dfd, boot, rs);
}
