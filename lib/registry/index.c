// SPDX-License-Identifier: BSD-2-Clause
/*
 * index.c: finding a jail by name, and choosing a new jail's jid.
 *
 * /run/jail/names/NAME (a symlink to the jid; '/', '%' and a leading '.'
 * escaped as %XX) finds a jail by name without reading every entry.  It
 * is a hint: a reader checks that the entry it leads to has that name, so
 * a rename (jail -m name=) or a crash leaves nothing wrong, only stale
 * links that the next user of the name replaces.
 *
 * A new jail gets the jid asked for, or FreeBSD's lowest free one, and a
 * name no live jail has.  Everything here runs under the registry lock.
 * Owns names/ and those choices; reads entries, writes none.
 */
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry-int.h"

#define NAMES_DIR "names"

bool
is_jid(const char *s)
{
	if (*s == '\0' || strlen(s) > 9)
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* NAME's link in names/: NAMES_DIR "/" plus NAME escaped. */
static int
index_path(const char *name, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s/", NAMES_DIR);

	for (const char *p = name; *p != '\0'; p++) {
		bool esc = *p == '/' || *p == '%' || (p == name && *p == '.');

		if (n + 4 >= len || n + 4 > sizeof(NAMES_DIR) + NAME_MAX)
			return -ENAMETOOLONG;
		n += (size_t)(esc ? snprintf(buf + n, len - n, "%%%02X",
					 (unsigned char)*p)
				  : snprintf(buf + n, len - n, "%c", *p));
	}
	return 0;
}

/* The jid NAME's link names: -ENOENT without one. */
static int
index_get(int rundir, const char *name)
{
	char path[sizeof(NAMES_DIR) + NAME_MAX + 8], target[16];
	ssize_t n;

	if (index_path(name, path, sizeof(path)) < 0)
		return -ENOENT;
	n = readlinkat(rundir, path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	return is_jid(target) ? atoi(target) : -ENOENT;
}

/*
 * The jid s names (a jid, or a name's link): -ENOENT if its link is
 * missing, -ENOLINK if the name cannot have a link or there are no links
 * yet (a scan must say).
 */
int
index_lookup(int rundir, const char *s)
{
	char path[sizeof(NAMES_DIR) + NAME_MAX + 8];
	int jid;

	if (is_jid(s))
		return atoi(s);
	if (index_path(s, path, sizeof(path)) < 0)
		return -ENOLINK;
	jid = index_get(rundir, s);
	if (jid == -ENOENT && faccessat(rundir, NAMES_DIR, F_OK, 0) < 0)
		return -ENOLINK;
	return jid;
}

/* Point NAME's link at jid, replacing any (a numeric name needs none). */
int
index_set(int rundir, const char *name, int jid)
{
	char path[sizeof(NAMES_DIR) + NAME_MAX + 8], target[16];

	if (is_jid(name) || index_path(name, path, sizeof(path)) < 0)
		return 0;	/* found by jid, or by a scan (registry_find) */
	(void)snprintf(target, sizeof(target), "%d", jid);
	(void)unlinkat(rundir, NAMES_DIR "/.tmp", 0);
	if (symlinkat(target, rundir, NAMES_DIR "/.tmp") < 0)
		return errno == ENOENT ? 0	/* no names/ yet: lookups scan */
		    : jail_syserr(-errno, "%s/%s", registry_dir(), path);
	if (renameat(rundir, NAMES_DIR "/.tmp", rundir, path) < 0)
		return jail_syserr(-errno, "%s/%s", registry_dir(), path);
	return 0;
}

/* Drop NAME's link if it still names jid. */
void
index_del(int rundir, const char *name, int jid)
{
	char path[sizeof(NAMES_DIR) + NAME_MAX + 8];

	if (!is_jid(name) && index_path(name, path, sizeof(path)) == 0 &&
	    index_get(rundir, name) == jid)
		(void)unlinkat(rundir, path, 0);
}

static int
index_one(struct jail *j, void *arg)
{
	int r = index_set(*(const int *)arg, jail_name(j), j->jid);

	jail_free(j);
	return r;
}

/*
 * Make names/ if there is none, linking the jails made before it (by a
 * gaol without it, earlier in this boot).
 */
int
index_ensure(int rundir)
{
	struct scan s;
	int r;

	if (mkdirat(rundir, NAMES_DIR, 0700) < 0)
		return errno == EEXIST ? 0 : jail_syserr(-errno, "%s/%s",
		    registry_dir(), NAMES_DIR);
	r = scan_collect(rundir, true, NULL, &s);
	if (r < 0)
		return r;
	return scan_emit(&s, (1u << JS__MAX) - 1, index_one, &rundir);
}

/*
 * The lowest jid with no entry (FreeBSD hands out the lowest free one),
 * from the directory's names alone: a dead entry keeps its jid until its
 * jail is torn down and the entry forgotten.
 */
static int
lowest_free_jid(int rundir, int *ret)
{
	_cleanup_free_ struct entry_ref *v = NULL;
	size_t n = 0;
	int jid = 1, r = registry_entries(rundir, &v, &n, NULL);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n && v[i].jid <= jid; i++)
		if (v[i].jid == jid)
			jid++;
	*ret = jid;
	return 0;
}

/*
 * Whether an entry holds jid (live or dead: a dead one's cgroups are
 * still to go) or a live one holds name.
 */
static int
check_unique(int rundir, int jid, const char *name)
{
	_cleanup_(jail_freep) struct jail *o = NULL;
	int other;

	if (entry_get(rundir, jid, &o) == 0)
		return jail_seterr(-EEXIST, "jail %d already exists", jid);
	if (name == NULL || is_jid(name))
		return 0;
	other = index_get(rundir, name);
	if (other > 0 && entry_get(rundir, other, &o) == 0 &&
	    !o->gone && strcmp(jail_name(o), name) == 0)
		return jail_seterr(-EEXIST, "jail \"%s\" already exists",
		    name);
	return 0;
}

/* Give the jail its jid and default name; refuse numeric names != jid. */
int
assign_ids(int rundir, struct jail *j)
{
	const char *name = param_isset(&j->params, P_NAME)
	    ? param_str(&j->params, P_NAME) : NULL;
	char buf[16];
	int r = 0;

	j->jid = param_isset(&j->params, P_JID)
	    ? (int)param_int(&j->params, P_JID) : 0;
	if (j->jid == 0)
		r = lowest_free_jid(rundir, &j->jid);
	if (r < 0)
		return r;
	if (name != NULL && is_jid(name) && atoi(name) != j->jid)
		return jail_seterr(-EINVAL,
		    "name: numeric name \"%s\" must be the jid", name);
	r = check_unique(rundir, j->jid, name);
	if (r < 0)
		return r;
	(void)snprintf(buf, sizeof(buf), "%d", j->jid);
	r = param_import_value(&j->params, P_JID, buf, false, false);
	if (r >= 0 && name == NULL)
		r = param_import_value(&j->params, P_NAME, buf, false, false);
	return r;
}
