// SPDX-License-Identifier: BSD-2-Clause
/*
 * rctl.c: FreeBSD's resource limits (rctl(8)) on jails: the rule store
 * and what rctl -a, -r and -l do with it.
 *
 * Rules belong to a jail NAME, as FreeBSD's kernel keeps them for a name
 * whether or not the jail runs: /run/jail/rctl/NAME, one
 * "resource:action=amount" a line, replaced atomically under the store's
 * lock; applied when a jail of that name is created (before its init
 * runs) and at once to a running one (rctl-cgroup.c).  The rule syntax
 * is rctl-rule.c's.  Never touches a cgroup itself, nor a file outside
 * /run/jail/rctl.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rctl-int.h"

#define RCTL_DIR JAIL_RUNDIR "/rctl"

static int
einval(void)
{
	return jail_seterr(-EINVAL, "%s", strerror(EINVAL));
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

/* The running jail, or NULL (no error) if none has that name or jid. */
int
rctl_find_jail(const char *id, struct jail **ret)
{
	int r = registry_find(id, ret);

	if (r == -ENOENT || r == -ESRCH)
		*ret = NULL;
	return r == -ENOENT || r == -ESRCH ? 0 : r;
}

/* Append rule to the malloc'd array *v of *n. */
static int
rules_push(struct rctl_rule **v, size_t *n, const struct rctl_rule *rule)
{
	struct rctl_rule *nv = reallocarray(*v, *n + 1, sizeof(**v));

	if (nv == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	nv[(*n)++] = *rule;
	*v = nv;
	return 0;
}

/* The rules stored for jail NAME (none: an empty list). */
static int
rules_load(const char *name, struct rctl_rule **ret_v, size_t *ret_n)
{
	char path[PATH_MAX], line[256];
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_free_ struct rctl_rule *v = NULL;
	struct rctl_rule rule;
	size_t n = 0;
	int r = 0;

	(void)snprintf(path, sizeof(path), "%s/%s", RCTL_DIR, name);
	f = fopen(path, "re");
	while (r >= 0 && f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char text[RCTL_NAMELEN + 300];

		line[strcspn(line, "\n")] = '\0';
		(void)snprintf(text, sizeof(text), "jail:%s:%s", name, line);
		if (rctl_rule_parse(text, false, &rule) >= 0)
			r = rules_push(&v, &n, &rule);
	}
	if (r < 0)
		return r;
	*ret_v = TAKE_PTR(v);
	*ret_n = n;
	return 0;
}

/* Replace the rules of NAME (none: remove the file), atomically. */
static int
rules_save(const char *name, const struct rctl_rule *v, size_t n)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8], line[RCTL_NAMELEN + 128];
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
		if (rctl_rule_format(&v[i], RCTL_FMT_SHORT, line,
		    sizeof(line)) >= 0)
			(void)fprintf(f, "%s\n", line);
	if (fflush(f) != 0 || fsync(fileno(f)) < 0 || rename(tmp, path) < 0)
		return jail_syserr(-errno, "%s", path);
	return 0;
}

/* The jail name a rule's id means: a running jail's name, or as given. */
static int
rule_jail_name(struct rctl_rule *r, struct jail **ret_j)
{
	struct jail *j = NULL;
	int q = rctl_find_jail(r->id, &j);

	if (q < 0)
		return q;
	if (j != NULL)
		(void)snprintf(r->id, sizeof(r->id), "%s", jail_name(j));
	if (strchr(r->id, '/') != NULL || r->id[0] == '.') {
		jail_free(j);
		return einval();
	}
	*ret_j = j;
	return 0;
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
	rctl_limits_of(v, n, &l);
	r = rctl_limits_apply(j, &l);
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
	rctl_limits_of(v, n, &l);
	return l.v[RCTL_OPENFILES] == UINT64_MAX ? 0 :
	    (unsigned long)l.v[RCTL_OPENFILES];
}

/* Store the new rule set of a jail and apply it if the jail runs. */
static int
rules_replace(const struct jail *j, const char *name,
    const struct rctl_rule *v, size_t n)
{
	struct rctl_limits l;
	int r;

	if (j != NULL) {
		rctl_limits_of(v, n, &l);
		r = rctl_limits_apply(j, &l);
		if (r < 0)
			return r;
	}
	return rules_save(name, v, n);
}

/* rctl -a: add (or replace, same resource and action) one rule. */
int
rctl_add(const struct rctl_rule *rule)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	_cleanup_free_ struct rctl_rule *v = NULL;
	_cleanup_close_ int lock = -1;
	struct rctl_rule nr = *rule;
	size_t n, i;
	int r;

	r = rctl_rule_supported(&nr);
	if (r >= 0)
		r = rules_lock(&lock);
	if (r >= 0)
		r = rule_jail_name(&nr, &j);
	if (r >= 0)
		r = rules_load(nr.id, &v, &n);
	if (r < 0)
		return r;
	for (i = 0; i < n; i++)
		if (v[i].res == nr.res && v[i].action == nr.action)
			break;
	if (i < n)
		v[i] = nr;
	else if ((r = rules_push(&v, &n, &nr)) < 0)
		return r;
	return rules_replace(j, nr.id, v, n);
}

/* rctl -r: remove the rules a filter matches (jail:NAME: all of them). */
int
rctl_remove(const struct rctl_rule *filter)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	_cleanup_free_ struct rctl_rule *v = NULL;
	_cleanup_close_ int lock = -1;
	struct rctl_rule f = *filter;
	size_t n, k = 0;
	int r = 0;

	if (f.id[0] == '\0')
		r = einval();	/* FreeBSD too wants a subject id here */
	if (r >= 0)
		r = rules_lock(&lock);
	if (r >= 0)
		r = rule_jail_name(&f, &j);
	if (r >= 0)
		r = rules_load(f.id, &v, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (!rctl_rule_matches(&f, &v[i]))
			v[k++] = v[i];
	return rules_replace(j, f.id, v, k);
}

/* Append NAME's rules matching f to *v. */
static int
list_jail(const char *name, const struct rctl_rule *f, struct rctl_rule **v,
    size_t *n)
{
	_cleanup_free_ struct rctl_rule *mine = NULL;
	size_t m;
	int r = rules_load(name, &mine, &m);

	for (size_t i = 0; r >= 0 && i < m; i++)
		if (rctl_rule_matches(f, &mine[i]))
			r = rules_push(v, n, &mine[i]);
	return r;
}

static int
list_all(const struct rctl_rule *f, struct rctl_rule **v, size_t *n)
{
	_cleanup_closedir_ DIR *d = opendir(RCTL_DIR);
	struct dirent *e;
	int r = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : jail_syserr(-errno, "%s", RCTL_DIR);
	while (r >= 0 && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			r = list_jail(e->d_name, f, v, n);
	return r;
}

/*
 * rctl [-l] filter: the rules a filter matches, each with its jail's
 * name, into a malloc'd array (NULL when there are none).
 */
int
rctl_list(const struct rctl_rule *filter, struct rctl_rule **ret_v,
    size_t *ret_n)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	_cleanup_free_ struct rctl_rule *v = NULL;
	struct rctl_rule f = *filter;
	size_t n = 0;
	int r;

	if (f.id[0] == '\0')
		r = list_all(&f, &v, &n);
	else if ((r = rule_jail_name(&f, &j)) >= 0)
		r = list_jail(f.id, &f, &v, &n);
	if (r < 0)
		return r;
	*ret_v = TAKE_PTR(v);
	*ret_n = n;
	return 0;
}
