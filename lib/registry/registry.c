// SPDX-License-Identifier: BSD-2-Clause
/*
 * registry.c: the /run/jail registry, gaol's stand-in for the kernel's
 * list of prisons: the calls the rest of libjail makes (registry.h) --
 * reserve, commit, remove, forget, find, list.
 *
 * Layout: /run/jail/.lock (the registry lock, lock.c), and one directory
 * per jid holding "state" (entry-format.c), replaced atomically
 * (entry-write.c); /run/jail/list, every entry's text in one (list.c),
 * what jls reads; names/, a link per name (index.c); uts/JID, the names
 * a jail set within.  Who may read what: mode.c.
 *
 * An entry no process holds the lock of (or, without "lock", whose PID
 * is gone or now names another process) is dead.  Root's readers, under
 * the registry lock, hand it out as a dying jail marked gone; an
 * ordinary user's leave it out.  Tearing its jail down (its cgroups) is
 * the caller's job, which then calls registry_forget: the registry never
 * starts, signals or waits for a process and never touches a cgroup.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "registry-int.h"

void
registry_list_free(struct jail **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		jail_free(v[i]);
	free(v);
}

/*
 * Call fn on every running jail (and dying ones when dying, dead ones
 * among them), in jid order; fn owns each jail it is given, and its
 * error ends the walk.  The entries are read under the registry lock and
 * handed out after it is let go: fn may take its time (jls writing to a
 * pipe).  A reader who may not take the lock (jls as an ordinary user,
 * as on FreeBSD) reads without it and leaves dead entries out.
 */
static int
scan_open(const char *key, int *ret_rundir, struct scan *s)
{
	_cleanup_close_ int lock = -1, rundir = -1;
	int r;

	*s = (struct scan){ .rundir = -1, .listfd = -1 };
	*ret_rundir = -1;
	r = registry_lock(&lock);
	if (r < 0 && r != -EACCES)
		return r;
	rundir = open_rundir();
	if (rundir == -ENOENT)
		return 0;	/* no jail was ever made here */
	if (rundir < 0)
		return rundir;
	r = scan_collect(rundir, lock >= 0, key, s);
	if (r < 0)
		return r;
	*ret_rundir = TAKE_FD(rundir);
	return 0;
}

static unsigned
scan_states(bool dying)
{
	return 1u << JS_ACTIVE | (dying ? 1u << JS_DYING : 0);
}

static int
scan_jails(bool dying, const char *key, jail_fn fn, void *arg)
{
	_cleanup_close_ int rundir = -1;
	struct scan s;
	int r;

	r = scan_open(key, &rundir, &s);
	if (r < 0 || rundir < 0)
		return r;
	return scan_emit(&s, scan_states(dying), fn, arg);
}

int
registry_each(bool dying, jail_fn fn, void *arg)
{
	return scan_jails(dying, NULL, fn, arg);
}

/*
 * A walk over the running jails (and dying ones when asked), in jid
 * order, read as registry_each reads them but handed out one at a time:
 * each jail is parsed when asked for, so a walk holds one at a time.
 */
struct registry_walk {
	struct scan s;
	size_t i;
	unsigned states;
	int rundir;
};

int
registry_walk_open(bool dying, struct registry_walk **ret)
{
	struct registry_walk *w = calloc(1, sizeof(*w));
	int r;

	if (w == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	r = scan_open(NULL, &w->rundir, &w->s);
	if (r < 0) {
		free(w);
		return r;
	}
	w->states = scan_states(dying);
	*ret = w;
	return 0;
}

/* The walk's next jail, or NULL at its end; the caller owns it. */
int
registry_walk_next(struct registry_walk *w, struct jail **ret)
{
	return scan_next(&w->s, &w->i, w->states, ret);
}

void
registry_walk_close(struct registry_walk *w)
{
	if (w == NULL)
		return;
	scan_free(&w->s);
	if (w->rundir >= 0)
		(void)close(w->rundir);
	free(w);
}

struct jail_vec {
	struct jail **v;
	size_t n, cap;
};

static int
jail_vec_add(struct jail *j, void *arg)
{
	struct jail_vec *c = arg;
	struct jail **nv;

	if (c->n == c->cap) {
		nv = realloc(c->v, (c->cap = c->cap * 2 + 16) *
		    sizeof(struct jail *));
		if (nv == NULL) {
			jail_free(j);
			return jail_seterr(-ENOMEM, "out of memory");
		}
		c->v = nv;
	}
	c->v[c->n++] = j;
	return 0;
}

/*
 * The running jails (and dying ones when asked), sorted by jid: all, or
 * those key (a jid or a name) may name.
 */
static int
list_jails(bool dying, const char *key, struct jail ***ret_v, size_t *ret_n)
{
	struct jail_vec c = { .v = NULL };
	int r = scan_jails(dying, key, jail_vec_add, &c);

	if (r < 0) {
		registry_list_free(c.v, c.n);
		return r;
	}
	*ret_v = c.v;
	*ret_n = c.n;
	return 0;
}

/* Every running jail (and dying ones when asked), sorted by jid. */
int
registry_list(bool dying, struct jail ***ret_v, size_t *ret_n)
{
	return list_jails(dying, NULL, ret_v, ret_n);
}

static bool
jail_matches(const struct jail *j, const char *s)
{
	if (is_jid(s))
		return j->jid == atoi(s);
	return strcmp(jail_name(j), s) == 0;
}

static int find_direct(const char *s, struct jail **ret);

/*
 * One jail by a full scan: a name without a link (too long to be one),
 * or any jail for an ordinary user, who may read no entry.  The list
 * holds no token; root, who may need it, then reads the entry found
 * (entry).
 */
static int
find_by_scan(const char *s, bool entry, struct jail **ret)
{
	struct jail **v = NULL;
	char jid[16];
	size_t n = 0;
	int r;

	r = list_jails(true, s, &v, &n);
	if (r < 0)
		return r;
	r = -ENOENT;
	for (size_t i = 0; i < n && r == -ENOENT; i++)
		if (jail_matches(v[i], s) && entry) {
			(void)snprintf(jid, sizeof(jid), "%d", v[i]->jid);
			r = find_direct(jid, ret);
		} else if (jail_matches(v[i], s)) {
			*ret = TAKE_PTR(v[i]);
			r = 0;
		}
	registry_list_free(v, n);
	return r;
}

/*
 * One jail by its entry, or its name's link: -ENOENT if none, -ENOLINK
 * if the name cannot have a link or there are no links yet (a scan must
 * say), -EACCES for an ordinary user (the list must).  Reads no other
 * entry.
 */
static int
find_direct(const char *s, struct jail **ret)
{
	_cleanup_close_ int lock = -1, rundir = -1;
	struct jail *j = NULL;
	int r, jid;

	r = registry_open(&lock, &rundir);
	if (r < 0)
		return r;
	jid = index_lookup(rundir, s);
	if (jid == -ENOLINK)
		return jid;
	r = jid > 0 ? entry_get(rundir, jid, &j) : -ENOENT;
	if (r < 0)
		return r;
	if (j->state == JS_CREATING || !jail_matches(j, s)) {
		jail_free(j);
		return -ENOENT;
	}
	*ret = j;
	return 0;
}

/*
 * One jail by jid or name, as FreeBSD's jail_getid(3) finds it; a dead
 * one comes out dying and gone, for its caller to tear down.
 */
int
registry_find(const char *s, struct jail **ret)
{
	int r = find_direct(s, ret);

	if (r == -ENOLINK || r == -EACCES)
		r = find_by_scan(s, r == -ENOLINK, ret);
	return r == -ENOENT
	    ? jail_seterr(-ENOENT, "jail \"%s\" not found", s) : r;
}

/* The entry's lock, and this process as its holder (the creator). */
static int
reserve_entry(int rundir, struct jail *j)
{
	_cleanup_close_ int self = -1;
	char name[16];
	int r;

	(void)snprintf(name, sizeof(name), "%d", j->jid);
	r = entry_dir_make(rundir, name);
	if (r < 0)
		return jail_syserr(r, "mkdir %s/%s", registry_dir(), name);
	j->state = JS_CREATING;
	j->lockfd = openat(rundir, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (j->lockfd < 0 || entry_lock(j->lockfd, LOCK_LIVE + 1) < 0)
		return jail_syserr(-errno, "%s/%s: lock", registry_dir(), name);
	if (param_bool(&j->params, P_ALLOW_SET_HOSTNAME) &&
	    (r = uts_make(rundir, j->jid)) < 0)
		return r;
	j->locked = true;
	self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	r = proc_ref_of(getpid(), self, &j->init);
	return r < 0 ? r : entry_write(rundir, j);
}

/*
 * Reserve a jid and name for a jail about to be created: the entry is
 * "creating", its lock held by this process, so a crash mid-create
 * leaves an entry the next reader finds dead.
 */
int
registry_reserve(struct jail *j)
{
	_cleanup_close_ int lock = -1, rundir = -1;
	int r;

	r = registry_open(&lock, &rundir);
	if (r >= 0)
		r = index_ensure(rundir);
	if (r >= 0)
		r = assign_ids(rundir, j);
	if (r < 0)
		return r;
	/* a half-written leftover */
	(void)entry_unlink(rundir, j->jid, NULL, false);
	r = reserve_entry(rundir, j);
	if (r < 0)
		(void)entry_unlink(rundir, j->jid, jail_name(j), false);
	return r;
}

/* Rewrite an entry (status, pid, parameters) under the lock. */
int
registry_commit(const struct jail *j)
{
	_cleanup_close_ int lock = -1, rundir = -1;
	int r = registry_open(&lock, &rundir);

	return r < 0 ? r : entry_write(rundir, j);
}

/*
 * Forget a jail: its entry goes, its jid and name are free again.  Its
 * directory is kept for the next entry unless this process still holds
 * its lock: a jail -c that failed before its init took it over.
 */
int
registry_remove(const struct jail *j)
{
	_cleanup_close_ int lock = -1, rundir = -1;
	int r = registry_open(&lock, &rundir);

	return r < 0 ? r : entry_unlink(rundir, j->jid, jail_name(j),
	    j->lockfd < 0);
}

/*
 * Forget a dead jail its caller has torn down (j, handed out gone): its
 * entry goes if it is still that jail's -- the same process named in it
 * (j may come from the list, which holds no token).  A dead entry stays
 * dead (no process may take its lock again), so its lock is not asked
 * again.  An entry that is gone already, or now another jail's, is left
 * as it is; -EBUSY for a jail not handed out dead.
 */
int
registry_forget(const struct jail *j)
{
	_cleanup_close_ int lock = -1, rundir = -1;
	struct entry_ref e = { .jid = j->jid };
	struct jail now = { .jid = j->jid };	/* paths unparsed: no free */
	int r;

	if (!j->gone)
		return jail_seterr(-EBUSY, "jail %d is alive", j->jid);
	r = registry_open(&lock, &rundir);
	if (r < 0)
		return r;
	r = entry_load(rundir, &e);
	if (r >= 0)
		r = entry_status(&now, e.text, false);
	if (r >= 0 && now.init.pid == j->init.pid &&
	    now.init.start == j->init.start && now.init.ino == j->init.ino)
		r = entry_unlink(rundir, j->jid, jail_name(j), true);
	entry_drop(&e);
	return r == -ENOENT || r == -EBADMSG ? 0 : r;
}
