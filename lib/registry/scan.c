// SPDX-License-Identifier: BSD-2-Clause
/*
 * scan.c: every entry of the registry at once, for jls and lookups by a
 * scan: from the list or the entries' own files, their locks from
 * /proc/locks (lockset.c), on several threads when there are many.
 *
 * Reading every entry is most of what jls costs with many jails, and
 * nearly all of it is system calls: with many entries, up to SCAN_THREADS
 * threads read them (entry_read or entry_check only; what an entry then
 * needs, its caller does alone).
 *
 * Owns reading every entry and writing the list whole when it has none
 * or has grown.  Never removes an entry: a dead one is kept, marked gone,
 * for its caller to tear down (registry_forget).
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "registry-int.h"

#define SCAN_THREADS 4
#define SCAN_PARALLEL_MIN 128	/* below, a thread costs more than it saves */
#define SCAN_CHUNK 16

void
scan_free(struct scan *s)
{
	for (size_t i = 0; i < s->n; i++)
		entry_drop(&s->e[i]);
	free(TAKE_PTR(s->e));
	if (s->map != NULL)
		list_unmap(TAKE_PTR(s->map), s->maplen);
	if (s->listfd >= 0)
		(void)close(TAKE_FD(s->listfd));
	s->n = 0;
}

static void *
scan_worker(void *arg)
{
	struct scan *s = arg;
	size_t i, end;

	while ((i = atomic_fetch_add(&s->next, SCAN_CHUNK)) < s->n)
		for (end = i + SCAN_CHUNK < s->n ? i + SCAN_CHUNK : s->n;
		    i < end; i++)
			s->e[i].r = s->e[i].skip ? -ENOENT : s->map != NULL
			    ? entry_check(s->rundir, &s->e[i], s->ask)
			    : entry_read(s->rundir, &s->e[i]);
	return NULL;
}

static void
scan_read(struct scan *s)
{
	pthread_t t[SCAN_THREADS - 1];
	size_t nt = 0, want = 1;
	cpu_set_t cpus;

	/* from the list, with every lock known, no entry costs a call */
	if (s->n >= SCAN_PARALLEL_MIN && !(s->map != NULL && s->known) &&
	    s->ask != ASK_HELD &&
	    sched_getaffinity(0, sizeof(cpus), &cpus) == 0)
		want = (size_t)CPU_COUNT(&cpus);
	want = want < SCAN_THREADS ? want : SCAN_THREADS;
	while (nt + 1 < want &&
	    pthread_create(&t[nt], NULL, scan_worker, s) == 0)
		nt++;
	(void)scan_worker(s);
	for (size_t i = 0; i < nt; i++)
		(void)pthread_join(t[i], NULL);
}

/*
 * Every entry, from the directory's names, sorted by jid; *ret_lock_ino
 * (if asked) is the inode of the registry lock's file, 0 if none.
 */
int
registry_entries(int rundir, struct entry_ref **ret, size_t *ret_n,
    uint64_t *ret_lock_ino)
{
	_cleanup_free_ struct entry_ref *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	d = fdopendir(dup(rundir));
	if (d == NULL)
		return jail_syserr(-errno, "%s", registry_dir());
	rewinddir(d);	/* a dup shares the offset an earlier scan left */
	if (ret_lock_ino != NULL)
		*ret_lock_ino = 0;
	while ((de = readdir(d)) != NULL) {
		if (ret_lock_ino != NULL && strcmp(de->d_name, ".lock") == 0)
			*ret_lock_ino = de->d_ino;
		if (!is_jid(de->d_name))
			continue;
		if (n == cap) {
			struct entry_ref *nv = realloc(v, (cap = cap * 2 + 64) *
			    sizeof(*v));

			if (nv == NULL) {
				(void)closedir(d);
				return jail_seterr(-ENOMEM, "out of memory");
			}
			v = nv;
		}
		v[n++] = (struct entry_ref){ .jid = atoi(de->d_name),
		    .ino = de->d_ino };
	}
	(void)closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_entry);
	*ret = TAKE_PTR(v);
	*ret_n = n;
	return 0;
}

/*
 * The list, open: while an entry changes it is aside (list_begin), and
 * an ordinary user, who may not wait for the change, reads it there: the
 * registry as it was before the change.
 */
static int
list_open(int rundir, bool aside)
{
	int fd = openat(rundir, LIST_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 && errno == ENOENT && aside)
		fd = openat(rundir, LIST_BUSY, O_RDONLY | O_CLOEXEC |
		    O_NOFOLLOW);
	return fd < 0 ? -errno : fd;
}

/*
 * The entries the list holds, in s, their texts in its mapping, the list
 * kept open: -ENOENT if there is no list, -EBADMSG if it is garbled.
 */
static int
list_load_once(int rundir, bool aside, struct scan *s)
{
	int fd = list_open(rundir, aside), r;

	if (fd < 0)
		return fd;
	s->listfd = fd;
	r = list_map(fd, &s->map, &s->maplen);
	if (r >= 0)
		r = list_parse(s->map, s->maplen, &s->e, &s->n);
	if (r < 0)
		scan_free(s);
	return r;
}

#define LIST_WAIT_US 5000	/* an ordinary user's wait for a list ... */
#define LIST_TRIES 400		/* ... at most 2 s */

/*
 * list_load_once, for a reader who has no other way (an ordinary user,
 * who may not read an entry): a list being appended to may end in half a
 * record, and one being written whole may not be in place yet; so it
 * waits, then says what it lacks.  A registry no command ever took the
 * lock of (no .lock: /run/jail made for devfs rulesets) has no jail.
 */
static int
list_load(int rundir, bool wait, struct scan *s)
{
	int r;

	for (int tries = 0;; tries++) {
		r = list_load_once(rundir, wait, s);
		if (r >= 0 || !wait)
			return r;
		if (faccessat(rundir, ".lock", F_OK, AT_SYMLINK_NOFOLLOW) < 0 &&
		    errno == ENOENT)
			return 0;
		if (tries == LIST_TRIES)
			break;
		(void)usleep(LIST_WAIT_US);
	}
	/* not -ENOENT: to libjail(3) that would be "no more jails" */
	return jail_seterr(r == -ENOENT ? -EAGAIN : r,
	    "%s/%s: %s; jls as root writes it again",
	    registry_dir(), LIST_FILE, r == -ENOENT ? "missing" : r == -EBADMSG
	    ? "garbled" : strerror(-r));
}

/*
 * Skip the entries that cannot be the jail key names (a jid, or a name
 * as its entry's text holds it, "\nname\tNAME\n": params_save escapes
 * only \, tab and newline, and a key holding one is looked for in every
 * entry), so that a lookup checks and parses that one entry alone.  An
 * entry not read yet (no list) is kept for its jid alone.
 */
static void
scan_skip(struct scan *s, const char *key)
{
	_cleanup_free_ char *line = NULL;
	bool jid = is_jid(key);
	size_t len;

	if (!jid && (strpbrk(key, "\\\t\n") != NULL ||
	    (len = (size_t)asprintf(&line, "\nname\t%s\n", key)) == (size_t)-1))
		return;
	for (size_t i = 0; i < s->n; i++) {
		struct entry_ref *e = &s->e[i];

		if (jid)
			e->skip = e->jid != atoi(key);
		else if (e->text != NULL)
			e->skip = memmem(e->text, e->len, line, len) == NULL;
	}
}

/*
 * Read every entry into s, as root, holding the registry lock: from the
 * list or else from each entry's own file.
 */
static int
scan_root(int rundir, struct scan *s)
{
	uint64_t lock_ino = 0;
	struct stat st;
	int r;

	if (list_load(rundir, false, s) >= 0) {
		/* the list's inodes are stat's, as are those /proc/locks shows */
		if (fstatat(rundir, ".lock", &st, AT_SYMLINK_NOFOLLOW) == 0)
			lock_ino = st.st_ino;
	} else {
		r = registry_entries(rundir, &s->e, &s->n, &lock_ino);
		if (r < 0)
			return r;
	}
	/* /proc/locks only vouches for entries while we hold .lock */
	if (s->n >= LOCKSET_MIN)
		s->known = lockset_root(rundir, lock_ino, s->e, s->n);
	return 0;
}

/*
 * Read every entry into s, as an ordinary user: from the list alone (the
 * entries are root's), their locks from /proc/locks, or for a few, what
 * their inits' pids say (cheaper than /proc/locks, which holds every
 * lock of the system).
 */
static int
scan_user(int rundir, const char *key, struct scan *s)
{
	size_t want = 0;
	int r = list_load(rundir, true, s);

	if (r < 0)
		return r;
	if (key != NULL)
		scan_skip(s, key);
	for (size_t i = 0; i < s->n; i++)
		want += !s->e[i].skip;
	s->ask = want >= LOCKSET_MIN ? lockset_user(s) : ASK_PID;
	return 0;
}

/*
 * Read every entry into s, from the list or else from each entry's own
 * file: root holding the lock (locked) keeps dead ones too, marked gone;
 * an ordinary user reads the list alone and leaves them out.  s keeps
 * the text of those kept, creating and dying ones included, for
 * scan_emit; the others have r < 0.  With a key (a jid or a name), only
 * the entries it may name.
 */
int
scan_collect(int rundir, bool locked, const char *key, struct scan *s)
{
	int r;

	*s = (struct scan){ .rundir = rundir, .listfd = -1,
	    .ask = locked ? ASK_ENTRY : ASK_HELD };
	r = locked ? scan_root(rundir, s) : scan_user(rundir, key, s);
	if (r < 0)
		return r;
	if (locked && key != NULL)
		scan_skip(s, key);
	scan_read(s);
	for (size_t i = 0; i < s->n; i++) {
		struct entry_ref *e = &s->e[i];

		r = e->r;
		if (r >= 0) {
			r = entry_settle(e, locked);
			if (r < 0 && r != -ENOENT && r != -EBADMSG)
				r = jail_errctx(r, "%s/%d", registry_dir(),
				    e->jid);
		} else if (r != -ENOENT && r != -EBADMSG)
			/* read on a thread, which set no message */
			r = jail_syserr(r, "%s/%d", registry_dir(), e->jid);
		if (r < 0)
			entry_drop(e);
		/* gone, half-written or dead to a user: as if not there */
		e->r = r == -EBADMSG ? -ENOENT : r;
		if (e->r < 0 && e->r != -ENOENT) {
			scan_free(s);
			return r;
		}
	}
	/* none, or more than half of it overridden: written whole */
	if (locked && key == NULL && (s->map == NULL || (s->maplen > LIST_SLACK &&
	    list_size(s->e, s->n) < s->maplen / 2)))
		(void)list_write(rundir, s->e, s->n);
	return 0;
}

/*
 * The list, whole, from every entry's own file, as root holding the
 * registry lock, for a registry that has none (list_begin, registry_check).
 */
int
list_rebuild(int rundir)
{
	_cleanup_free_ struct entry_ref *e = NULL;
	size_t n = 0;
	int r = registry_entries(rundir, &e, &n, NULL);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		e[i].r = entry_load(rundir, &e[i]);
	r = list_write(rundir, e, n);
	for (size_t i = 0; i < n; i++)
		entry_drop(&e[i]);
	return r;
}

/*
 * The next jail of s from entry *i on whose state is in states (a mask of
 * 1 << enum jail_state), parsed from its text, or NULL when none is
 * left; *i moves past it.  An entry's memory is freed once parsed.
 */
int
scan_next(struct scan *s, size_t *i, unsigned states, struct jail **ret)
{
	int r = 0;

	*ret = NULL;
	for (; *i < s->n && *ret == NULL && r >= 0; ++*i) {
		struct entry_ref *e = &s->e[*i];
		struct jail *j;

		if (e->r < 0)
			continue;
		j = jail_new();
		r = j == NULL ? jail_seterr(-ENOMEM, "out of memory")
		    : entry_parse(e, j);
		entry_drop(e);
		if (r >= 0 && (states & 1u << j->state))
			*ret = TAKE_PTR(j);
		else if (r == -ENOENT || r == -EBADMSG)
			r = 0;	/* garbled: as if it were not there */
		else if (r < 0)
			r = jail_errctx(r, "%s/%d", registry_dir(), e->jid);
		jail_free(j);
	}
	return r;
}

/*
 * Hand fn, in jid order, each jail of s whose state is in states,
 * parsed from its text; fn owns it.  The memory one jail took serves the
 * next when fn frees it: a jls holds one parsed jail at a time.  Frees s
 * whatever happens; fn's error ends it.
 */
int
scan_emit(struct scan *s, unsigned states, jail_fn fn, void *arg)
{
	struct jail *j = NULL;
	size_t i = 0;
	int r;

	do {
		r = scan_next(s, &i, states, &j);
		if (r >= 0 && j != NULL)
			r = fn(TAKE_PTR(j), arg);
	} while (r >= 0 && i < s->n);
	scan_free(s);
	return r;
}
