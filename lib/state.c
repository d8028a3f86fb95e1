// SPDX-License-Identifier: BSD-2-Clause
/*
 * state.c: the /run/jail registry, gaol's stand-in for the kernel's list
 * of prisons: its public calls (reserve, commit, remove, find, list), its
 * lock and the name links; an entry's parsing and liveness live in
 * state-entry.c, the list in state-list.c, reading every entry at once in
 * state-scan.c (state-int.h).
 *
 * Layout: /run/jail/.lock (flock, serialises every change), and one
 * directory per jid holding "state", replaced atomically (rename):
 *   line 1   "STATE PID STARTTIME CGROUP TOKEN ino=INO [lock]
 *            [spawner=SPID:SSTART:SINO] [CTRL=DIR ...]": PID is the
 *            jail's init (active, dying) or its creator (creating),
 *            STARTTIME and INO (its pidfs inode, or 0) tell it from a
 *            later process with its pid (struct proc_ref); CGROUP is the
 *            path below the cgroup2 mount, or "-"; TOKEN authenticates
 *            requests to init (init.c); SPID, SSTART and SINO name the
 *            jail's spawner, which forks every command entering it
 *            (spawn.c); each CTRL=DIR a v1 cgroup of the jail (cgroup.c);
 *            "lock": the entry is live while its directory is locked
 *            (entry_lock), not merely while PID runs;
 *   the rest the jail's parameters (params_save format).
 * /run/jail/list holds every entry's state file in one, its token left
 * out (state-list.c): what jls reads.  An entry's "uts", the names its
 * jail set within, is also /run/jail/uts/JID.  Who may read what:
 * state-mode.c.
 * /run/jail/names/NAME (a symlink to the jid; '/', '%' and a leading '.'
 * escaped as %XX) finds a jail by name without reading every entry.  It
 * is a hint: a reader checks that the entry it leads to has that name, so
 * a rename (jail -m name=) or a crash leaves nothing wrong, only stale
 * links that the next user of the name replaces.
 * An entry no process holds the lock of (or, without "lock", whose PID
 * is gone or now names another process) is stale: every reader removes
 * it, with its cgroup, under the registry lock.  This file never starts
 * or signals a process.
 */
#include <ctype.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "state-int.h"

const char *const state_names[JS__MAX] = {
	[JS_CREATING] = "creating",
	[JS_ACTIVE] = "active",
	[JS_DYING] = "dying",
};

/*
 * Take the registry lock, creating /run/jail on first use, and check its
 * modes (registry_check).  -EACCES for an ordinary user, who reads the
 * list without it.
 */
int
state_lock(int *ret_fd)
{
	_cleanup_close_ int fd = -1;
	int r = registry_make();

	if (r < 0)
		return r;
	fd = open(JAIL_RUNDIR "/.lock", O_RDWR | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0)
		return jail_syserr(-errno, "open %s/.lock", JAIL_RUNDIR);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return jail_syserr(-errno, "flock %s", JAIL_RUNDIR);
	r = registry_check();
	if (r < 0)
		return r;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

struct jail *
jail_new(void)
{
	struct jail *j = calloc(1, sizeof(*j));

	if (j != NULL)
		j->initsock = j->pidfd = j->lockfd = -1;
	return j;
}

void
jail_free(struct jail *j)
{
	if (j == NULL)
		return;
	params_free(&j->params);
	free(j->cgroup);
	for (int c = 0; c < CG__MAX; c++)
		free(j->cgv1[c]);
	if (j->initsock >= 0)
		(void)close(j->initsock);
	if (j->lockfd >= 0)
		(void)close(j->lockfd);
	if (j->pidfd >= 0)
		(void)close(j->pidfd);
	free(j);
}

void
jail_freep(struct jail **j)
{
	jail_free(*j);
}

/* The jail's name; FreeBSD's default name is the jid. */
const char *
jail_name(const struct jail *j)
{
	const char *n = param_str(&j->params, P_NAME);

	return n != NULL && *n != '\0' ? n : "";
}

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

#define NAMES_DIR "names"

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

/* Point NAME's link at jid, replacing any (a numeric name needs none). */
static int
index_set(int rundir, const char *name, int jid)
{
	char path[sizeof(NAMES_DIR) + NAME_MAX + 8], target[16];

	if (is_jid(name) || index_path(name, path, sizeof(path)) < 0)
		return 0;	/* found by jid, or by a scan (state_find) */
	(void)snprintf(target, sizeof(target), "%d", jid);
	(void)unlinkat(rundir, NAMES_DIR "/.tmp", 0);
	if (symlinkat(target, rundir, NAMES_DIR "/.tmp") < 0)
		return errno == ENOENT ? 0	/* no names/ yet: lookups scan */
		    : jail_syserr(-errno, "%s/%s", JAIL_RUNDIR, path);
	if (renameat(rundir, NAMES_DIR "/.tmp", rundir, path) < 0)
		return jail_syserr(-errno, "%s/%s", JAIL_RUNDIR, path);
	return 0;
}

/* Drop NAME's link if it still names jid. */
static void
index_del(int rundir, const char *name, int jid)
{
	char path[sizeof(NAMES_DIR) + NAME_MAX + 8];

	if (!is_jid(name) && index_path(name, path, sizeof(path)) == 0 &&
	    index_get(rundir, name) == jid)
		(void)unlinkat(rundir, path, 0);
}

/*
 * Remove an entry's files, directory and name link; a missing entry is
 * not an error.  name: the entry's, or NULL when unknown.
 */
int
state_unlink(int rundir, int jid, const char *name)
{
	static const char *const files[] = { "state", ".state.tmp", UTS_FILE,
		"." UTS_FILE ".tmp" };
	_cleanup_close_ int dfd = -1, list = -1;
	char dir[32];
	int r;

	if (name != NULL)
		index_del(rundir, name, jid);
	(void)snprintf(dir, sizeof(dir), "%s/%d", UTS_DIR, jid);
	(void)unlinkat(rundir, dir, 0);
	(void)snprintf(dir, sizeof(dir), "%d", jid);
	dfd = openat(rundir, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? 0 : -errno;
	r = list_begin(rundir, &list);
	if (r < 0)
		return r;
	for (size_t i = 0; i < nitems(files); i++)
		(void)unlinkat(dfd, files[i], 0);
	if (unlinkat(rundir, dir, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return jail_syserr(-errno, "rmdir %s/%s", JAIL_RUNDIR, dir);
	list_end(rundir, TAKE_FD(list), jid, 0, NULL, 0);
	return 0;
}

/*
 * Empty an entry's "uts" (uts/JID too: one file), keeping it where its
 * init writes: a change of the entry holds its names from then on.
 */
static void
uts_clear(int dfd)
{
	int fd = openat(dfd, UTS_FILE, O_WRONLY | O_TRUNC | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		(void)close(fd);
}

/*
 * Replace an entry's state file: its status line, then its parameters,
 * written aside and renamed over the old one, so a reader sees either;
 * and its record in the list.
 */
static int
state_write(int rundir, const struct jail *j)
{
	_cleanup_close_ int dfd = -1, fd = -1, list = -1;
	_cleanup_free_ char *params = NULL, *text = NULL;
	char name[16], v1[CG__MAX * (PATH_MAX + 16)];
	char status[sizeof(v1) + PATH_MAX + 128], sp[64] = "";
	size_t plen, n;
	struct stat st;
	int r;

	(void)snprintf(name, sizeof(name), "%d", j->jid);
	dfd = openat(rundir, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fstat(dfd, &st) < 0)
		return jail_syserr(-errno, "%s/%s", JAIL_RUNDIR, name);
	if (cg_v1_format(j, v1, sizeof(v1)) < 0)
		return jail_seterr(-ENAMETOOLONG, "cgroup paths too long");
	if (j->spawner.pid > 0)
		(void)snprintf(sp, sizeof(sp), " spawner=%d:%llu:%" PRIu64,
		    (int)j->spawner.pid, j->spawner.start, j->spawner.ino);
	n = (size_t)snprintf(status, sizeof(status), "%s %d %llu %s %" PRIx64
	    " ino=%" PRIu64 "%s%s%s\n", state_names[j->state],
	    (int)j->init.pid, j->init.start, j->cgroup != NULL ? j->cgroup
	    : "-", j->token, j->init.ino, j->locked ? " lock" : "", sp, v1);
	if (n >= sizeof(status))
		return jail_seterr(-ENAMETOOLONG, "%s/%s: status too long",
		    JAIL_RUNDIR, name);
	r = params_save(&j->params, &params, &plen);
	if (r < 0)
		return r;
	text = malloc(n + plen);
	if (text == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	memcpy(text, status, n);
	memcpy(text + n, params, plen);
	r = list_begin(rundir, &list);
	if (r < 0)
		return r;
	/* root's only: it holds the token (state-mode.c) */
	fd = openat(dfd, ".state.tmp", O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	r = fd < 0 ? -errno
	    : write_iov(fd, &(struct iovec){ text, n + plen }, 1);
	if (r >= 0 && renameat(dfd, ".state.tmp", dfd, "state") < 0)
		r = -errno;
	if (r < 0)
		return jail_syserr(r, "%s/%s/state", JAIL_RUNDIR, name);
	/* the parameters written hold what "uts" said (uts_apply) */
	uts_clear(dfd);
	list_end(rundir, TAKE_FD(list), j->jid, st.st_ino, text, n + plen);
	return index_set(rundir, jail_name(j), j->jid);
}

/* /run/jail, open; only to pass through for an ordinary user (0711). */
int
open_rundir(void)
{
	int fd = open(JAIL_RUNDIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 && errno == EACCES)
		fd = open(JAIL_RUNDIR, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return jail_syserr(-errno, "%s", JAIL_RUNDIR);
	return fd;
}

void
state_list_free(struct jail **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		jail_free(v[i]);
	free(v);
}

/*
 * Call fn on every running jail (and dying ones when dying), in jid
 * order; fn owns each jail it is given, and its error ends the walk.  The
 * entries are read under the registry lock and handed out after it is
 * let go: fn may take its time (jls writing to a pipe).  A reader who may
 * not take the lock (jls as an ordinary user, as on FreeBSD) reads
 * without it and leaves stale entries alone.
 */
static int
scan_open(const char *key, int *ret_rundir, struct scan *s)
{
	_cleanup_close_ int lock = -1, rundir = -1;
	int r;

	*s = (struct scan){ .rundir = -1, .listfd = -1 };
	*ret_rundir = -1;
	r = state_lock(&lock);
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
state_each(bool dying, jail_fn fn, void *arg)
{
	return scan_jails(dying, NULL, fn, arg);
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
		state_list_free(c.v, c.n);
		return r;
	}
	*ret_v = c.v;
	*ret_n = c.n;
	return 0;
}

/* Every running jail (and dying ones when asked), sorted by jid. */
int
state_list(bool dying, struct jail ***ret_v, size_t *ret_n)
{
	return list_jails(dying, NULL, ret_v, ret_n);
}

/*
 * A walk over the running jails (and dying ones when asked), in jid
 * order, read as state_each reads them but handed out one at a time:
 * each jail is parsed when asked for, so a walk holds one at a time.
 */
struct state_walk {
	struct scan s;
	size_t i;
	unsigned states;
	int rundir;
};

int
state_walk_open(bool dying, struct state_walk **ret)
{
	struct state_walk *w = calloc(1, sizeof(*w));
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
state_walk_next(struct state_walk *w, struct jail **ret)
{
	return scan_next(&w->s, &w->i, w->states, ret);
}

void
state_walk_close(struct state_walk *w)
{
	if (w == NULL)
		return;
	scan_free(&w->s);
	if (w->rundir >= 0)
		(void)close(w->rundir);
	free(w);
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
	state_list_free(v, n);
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
	char path[sizeof(NAMES_DIR) + NAME_MAX + 8];
	struct jail *j = NULL;
	int r, jid;

	if (!is_jid(s) && index_path(s, path, sizeof(path)) < 0)
		return -ENOLINK;
	r = state_lock(&lock);
	if (r < 0)
		return r;
	rundir = open_rundir();
	if (rundir < 0)
		return rundir;
	jid = is_jid(s) ? atoi(s) : index_get(rundir, s);
	if (jid == -ENOENT && faccessat(rundir, NAMES_DIR, F_OK, 0) < 0)
		return -ENOLINK;
	r = jid > 0 ? entry_get(rundir, jid, true, &j) : -ENOENT;
	if (r < 0)
		return r;
	if (j->state == JS_CREATING || !jail_matches(j, s)) {
		jail_free(j);
		return -ENOENT;
	}
	*ret = j;
	return 0;
}

/* One jail by jid or name, as FreeBSD's jail_getid(3) finds it. */
int
state_find(const char *s, struct jail **ret)
{
	int r = find_direct(s, ret);

	if (r == -ENOLINK || r == -EACCES)
		r = find_by_scan(s, r == -ENOLINK, ret);
	return r == -ENOENT
	    ? jail_seterr(-ENOENT, "jail \"%s\" not found", s) : r;
}

/* Take the lock and open /run/jail: every change starts here. */
static int
state_open(int *ret_lock, int *ret_rundir)
{
	int r = state_lock(ret_lock);

	if (r < 0)
		return r;
	*ret_rundir = open_rundir();
	return *ret_rundir < 0 ? *ret_rundir : 0;
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
static int
index_ensure(int rundir)
{
	struct scan s;
	int r;

	if (mkdirat(rundir, NAMES_DIR, 0700) < 0)
		return errno == EEXIST ? 0
		    : jail_syserr(-errno, "%s/%s", JAIL_RUNDIR, NAMES_DIR);
	r = scan_collect(rundir, true, NULL, &s);
	if (r < 0)
		return r;
	return scan_emit(&s, (1u << JS__MAX) - 1, index_one, &rundir);
}

/*
 * The lowest jid with no entry (FreeBSD hands out the lowest free one),
 * from the directory's names alone: a stale entry keeps its jid until a
 * scan (jls) reaps it.
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

/* Whether a live entry (or a dying one, for the jid) holds jid or name. */
static int
check_unique(int rundir, int jid, const char *name)
{
	_cleanup_(jail_freep) struct jail *o = NULL;
	int other;

	if (entry_get(rundir, jid, true, &o) == 0)
		return jail_seterr(-EEXIST, "jail %d already exists", jid);
	if (name == NULL || is_jid(name))
		return 0;
	other = index_get(rundir, name);
	if (other > 0 && entry_get(rundir, other, true, &o) == 0 &&
	    !o->gone && strcmp(jail_name(o), name) == 0)
		return jail_seterr(-EEXIST, "jail \"%s\" already exists",
		    name);
	return 0;
}

/* Give the jail its jid and default name; refuse numeric names != jid. */
static int
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

/*
 * Reserve a jid and name for a jail about to be created: the entry is
 * "creating", owned by this process, so a crash mid-create leaves an
 * entry the next reader reaps.
 */
int
state_reserve(struct jail *j)
{
	_cleanup_close_ int lock = -1, rundir = -1, self = -1;
	char name[16];
	int r;

	r = state_open(&lock, &rundir);
	if (r >= 0)
		r = index_ensure(rundir);
	if (r >= 0)
		r = assign_ids(rundir, j);
	if (r < 0)
		return r;
	(void)snprintf(name, sizeof(name), "%d", j->jid);
	(void)state_unlink(rundir, j->jid, NULL); /* a half-written leftover */
	if (mkdirat(rundir, name, 0700) < 0)	/* state-mode.c */
		return jail_syserr(-errno, "mkdir %s/%s", JAIL_RUNDIR, name);
	j->state = JS_CREATING;
	j->lockfd = openat(rundir, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (j->lockfd < 0 || entry_lock(j->lockfd, LOCK_LIVE + 1) < 0) {
		r = jail_syserr(-errno, "%s/%s: lock", JAIL_RUNDIR, name);
		(void)state_unlink(rundir, j->jid, NULL);
		return r;
	}
	if (param_bool(&j->params, P_ALLOW_SET_HOSTNAME) &&
	    (r = uts_make(rundir, j->jid)) < 0) {
		(void)state_unlink(rundir, j->jid, NULL);
		return r;
	}
	j->locked = true;
	self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	r = proc_ref_of(getpid(), self, &j->init);
	if (r >= 0)
		r = state_write(rundir, j);
	if (r < 0)
		(void)state_unlink(rundir, j->jid, jail_name(j));
	return r;
}

/* Rewrite an entry (status, pid, parameters) under the lock. */
int
state_commit(const struct jail *j)
{
	_cleanup_close_ int lock = -1, rundir = -1;
	int r = state_open(&lock, &rundir);

	return r < 0 ? r : state_write(rundir, j);
}

/* Forget a jail: its entry goes, its jid and name are free again. */
int
state_remove(const struct jail *j)
{
	_cleanup_close_ int lock = -1, rundir = -1;
	int r = state_open(&lock, &rundir);

	return r < 0 ? r : state_unlink(rundir, j->jid, jail_name(j));
}
