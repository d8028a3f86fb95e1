// SPDX-License-Identifier: BSD-2-Clause
/*
 * state-entry.c: one entry of the registry (state.c): its status line,
 * the names its jail set within, its lock, and whether it is live.  Reads
 * and reaps; creates nothing.
 */
#include <ctype.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state-int.h"

/*
 * The start time of a live pid in clock ticks since boot (field 22 of
 * stat); a zombie counts as gone (-ESRCH).
 */
int
proc_starttime(pid_t pid, unsigned long long *ret)
{
	_cleanup_close_ int fd = -1;
	char path[64], buf[1024], *p;
	unsigned long long t;
	ssize_t n;

	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);	/* one read: no stdio */
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p == NULL || p[1] == '\0')
		return -EIO;
	if (p[2] == 'Z' || p[2] == 'X')
		return -ESRCH;	/* exited, not yet reaped: gone for us */
	/* after ") ": state is field 3, starttime field 22; every jls
	 * reads one a jail, so no scanf: skip 19 blanks */
	p += 2;
	for (int field = 3; field < 22 && p != NULL; field++)
		p = strchr(p, ' ') != NULL ? strchr(p, ' ') + 1 : NULL;
	if (p == NULL || *p < '0' || *p > '9')
		return -EIO;
	t = strtoull(p, NULL, 10);
	*ret = t;
	return 0;
}

/*
 * The whole file dirfd/name (a path below dirfd, no symlink at its end)
 * as a string of its own size, and its length.  It is read into a buffer
 * on the stack and then copied: a jls over a thousand entries keeps each
 * one's text, and memory a process has not touched before costs far more
 * than the copy (a page fault each page).  A read shorter than asked is
 * the end (the files here are small and on tmpfs), so most take one read.
 */
static int
read_file_at(int dirfd, const char *name, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *heap = NULL;
	char stack[8192], *text = stack, *nb;
	size_t have = 0, len = sizeof(stack), want;
	ssize_t n;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	for (;;) {
		want = len - have - 1;
		n = read(fd, text + have, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		have += (size_t)n;
		if ((size_t)n < want)
			break;
		nb = realloc(heap, len * 2);
		if (nb == NULL)
			return -ENOMEM;
		if (heap == NULL)
			memcpy(nb, stack, have);
		text = heap = nb;
		len *= 2;
	}
	text[have] = '\0';
	if (heap == NULL && (heap = malloc(have + 1)) != NULL)
		memcpy(heap, stack, have + 1);
	if (heap == NULL)
		return -ENOMEM;
	*ret = TAKE_PTR(heap);
	*ret_len = have;
	return 0;
}

/*
 * The next blank-separated word at *s (length *len), or NULL at the end
 * of the string or of its line.
 */
const char *
next_word(const char **s, size_t *len)
{
	const char *w = *s + strspn(*s, " ");

	*len = strcspn(w, " \n");
	*s = w + *len;
	return *len > 0 ? w : NULL;
}

/* An unsigned number filling the word w, in base; false if it is not. */
static bool
word_num(const char *w, size_t len, int base, unsigned long long *ret)
{
	char *end;

	if (w == NULL || !isxdigit((unsigned char)*w))
		return false;
	errno = 0;
	*ret = strtoull(w, &end, base);
	return errno == 0 && end == w + len;
}

/* "SPID:SSTART:SINO" (SINO missing before pidfs inodes were recorded). */
static bool
parse_spawner(const char *w, struct proc_ref *ret)
{
	unsigned long long pid, ino = 0;
	char *end;

	errno = 0;
	pid = strtoull(w, &end, 10);
	if (errno != 0 || *end != ':' || pid == 0 || pid > INT_MAX)
		return false;
	ret->start = strtoull(end + 1, &end, 10);
	if (*end == ':')
		ino = strtoull(end + 1, &end, 10);
	if (errno != 0 || (*end != ' ' && *end != '\n' && *end != '\0'))
		return false;
	ret->pid = (pid_t)pid;
	ret->ino = ino;
	return true;
}

/*
 * The status line (see the top of this file), by hand: every jls parses
 * one per jail.  Without paths, the cgroup paths are skipped and nothing
 * is allocated: what tells whether the entry is live (entry_read).
 */
static int
parse_status(struct jail *j, const char *s, bool paths)
{
	const char *w, *cg;
	unsigned long long pid, ino, token;
	size_t len, cglen;
	int r;

	w = next_word(&s, &len);
	j->state = JS__INVALID;
	for (int i = 0; w != NULL && i < JS__MAX; i++)
		if (strlen(state_names[i]) == len &&
		    memcmp(w, state_names[i], len) == 0)
			j->state = i;
	w = next_word(&s, &len);
	if (j->state == JS__INVALID || !word_num(w, len, 10, &pid) ||
	    pid == 0 || pid > INT_MAX)
		return -EBADMSG;
	j->init.pid = (pid_t)pid;
	w = next_word(&s, &len);
	if (!word_num(w, len, 10, &j->init.start))
		return -EBADMSG;
	cg = next_word(&s, &cglen);
	w = next_word(&s, &len);
	if (cg == NULL || w == NULL)
		return -EBADMSG;
	if (len == 1 && *w == '-')
		token = 0;	/* the list's copy: the entry's file has it */
	else if (!word_num(w, len, 16, &token))
		return -EBADMSG;
	j->token = token;
	if (paths && (cglen != 1 || *cg != '-') &&
	    (j->cgroup = strndup(cg, cglen)) == NULL)
		return -ENOMEM;
	while ((w = next_word(&s, &len)) != NULL) {
		if (len > 4 && memcmp(w, "ino=", 4) == 0 &&
		    word_num(w + 4, len - 4, 10, &ino))
			j->init.ino = ino;
		else if (len == 4 && memcmp(w, "lock", 4) == 0)
			j->locked = true;
		else if (len > 8 && memcmp(w, "spawner=", 8) == 0)
			(void)parse_spawner(w + 8, &j->spawner);
		else if (paths && (r = cg_v1_parse(j, w, len)) < 0)
			return r;
	}
	return 0;
}

/*
 * The names a jailed root gave its jail (allow.set_hostname): init
 * records them in "uts" beside the state file (uts.c), "HOSTNAME\n
 * DOMAINNAME\n", and they are the jail's host.hostname and
 * host.domainname from then on.  text is left as it was: an entry may be
 * parsed twice (entry_settle, then scan_emit).
 */
static void
uts_apply(const char *text, struct jail_params *p)
{
	char host[256], dom[256];
	size_t hl = strcspn(text, "\n"), dl;

	if (text[hl] != '\n' || hl >= sizeof(host))
		return;
	dl = strcspn(text + hl + 1, "\n");
	if (dl >= sizeof(dom))
		return;
	memcpy(host, text, hl);
	host[hl] = '\0';
	memcpy(dom, text + hl + 1, dl);
	dom[dl] = '\0';
	/* a name the parameters refuse leaves the parameter as it was */
	if (param_import_value(p, P_HOST_HOSTNAME, host, false, false) >= 0)
		(void)param_import_value(p, P_HOST_DOMAINNAME, dom, false,
		    false);
}

/*
 * An entry's lock: an OFD read lock on its directory, held on byte
 * LOCK_LIVE by what keeps the entry alive -- its creator, then its init,
 * which share the one open file description, so that the lock goes when
 * init exits (a zombie holds no file) -- and on byte LOCK_UTS too once
 * init has written "uts".  A reader learns both with one F_OFD_GETLK,
 * taking nothing: no pid to check, none to be fooled by when the kernel
 * gives it to another process.
 */
int
entry_lock(int dirfd, off_t len)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET,
		.l_start = LOCK_LIVE, .l_len = len };

	return fcntl(dirfd, F_OFD_SETLK, &fl) < 0 ? -errno : 0;
}

/* 0: no holder (stale), 1: live, 2: live, "uts" written. */
static int
entry_lock_get(int dirfd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
		.l_start = LOCK_LIVE, .l_len = LOCK_UTS + 1 };

	if (fcntl(dirfd, F_OFD_GETLK, &fl) < 0)
		return -errno;
	if (fl.l_type == F_UNLCK)
		return 0;
	return fl.l_start + fl.l_len > LOCK_UTS ? 2 : 1;
}

/* Init, having written "uts" in its entry's directory dirfd, says so. */
int
state_lock_uts(int dirfd)
{
	return entry_lock(dirfd, LOCK_UTS + 1);
}

void
entry_drop(struct entry_ref *e)
{
	e->text = NULL;
	free(TAKE_PTR(e->buf));
	free(TAKE_PTR(e->uts));
}

/*
 * The names its jail set within, for an entry that may have them: the
 * entry's own "uts" (root), or its public copy uts/JID (anyone; the same
 * file, linked twice, but for an entry made by an older gaol).
 */
static int
entry_uts(int rundir, struct entry_ref *e, enum entry_ask ask)
{
	char path[32];
	size_t len;
	int r;

	if (ask == ASK_ENTRY)
		(void)snprintf(path, sizeof(path), "%d/%s", e->jid, UTS_FILE);
	else
		(void)snprintf(path, sizeof(path), "%s/%d", UTS_DIR, e->jid);
	r = read_file_at(rundir, path, &e->uts, &len);
	return r == -ENOENT ? 0 : r;
}

/*
 * Whether an entry whose text e holds is live, and the text of its "uts"
 * file if that counts: only its status line is parsed, into no memory of
 * its own; entry_parse does the rest, once the registry lock is let go.
 * e->held is what /proc/locks said of its lock (0: nothing, or not asked;
 * else what entry_lock_get would say); ask says what else may be asked
 * (enum entry_ask).  Entries of a gaol before entry locks (this boot,
 * before an upgrade) are live while their init is.  -ENOENT if the entry
 * vanished, -EBADMSG if it is garbled.  Sets no message: it runs on the
 * scan's threads.
 */
int
entry_check(int rundir, struct entry_ref *e, enum entry_ask ask)
{
	_cleanup_close_ int dfd = -1;
	struct jail st = { .jid = e->jid };	/* paths unparsed: no free */
	char path[32];
	int r, lk = 2;

	r = parse_status(&st, e->text, false);
	if (r < 0)
		return r;
	if (st.locked && (e->held > 0 || ask == ASK_HELD))
		lk = e->held;
	else if (st.locked && ask == ASK_ENTRY) {
		(void)snprintf(path, sizeof(path), "%d", e->jid);
		dfd = openat(rundir, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		lk = dfd < 0 ? -errno : entry_lock_get(dfd);
		if (lk < 0)
			return lk;
	}
	e->live = st.locked && ask != ASK_PID ? lk > 0
	    : proc_ref_alive(&st.init);
	/* its names as set within: a dying one may have lost the mark */
	if ((lk != 1 || !e->live) && (e->live || ask == ASK_ENTRY))
		return entry_uts(rundir, e, ask);
	return 0;
}

/* An entry's own state file, read into e: root's only. */
int
entry_load(int rundir, struct entry_ref *e)
{
	char path[32];
	int r;

	(void)snprintf(path, sizeof(path), "%d/state", e->jid);
	r = read_file_at(rundir, path, &e->buf, &e->len);
	if (r < 0)
		return r;
	e->text = e->buf;
	if (e->text == NULL || memchr(e->text, '\n', e->len) == NULL)
		return -EBADMSG;	/* half-written, by a crash */
	return 0;
}

/* An entry's own state file, read into e, and entry_check. */
int
entry_read(int rundir, struct entry_ref *e)
{
	int r = entry_load(rundir, e);

	return r < 0 ? r : entry_check(rundir, e, ASK_ENTRY);
}

/* The jail of an entry entry_check checked, into j (new, from jail_new). */
int
entry_parse(const struct entry_ref *e, struct jail *j)
{
	const char *params = (const char *)memchr(e->text, '\n', e->len) + 1;
	int r;

	j->jid = e->jid;
	r = parse_status(j, e->text, true);
	if (r >= 0)
		r = params_load(&j->params, params,
		    e->len - (size_t)(params - e->text));
	if (r < 0)
		return r;
	if (e->uts != NULL)
		uts_apply(e->uts, &j->params);
	if (e->gone) {
		j->state = JS_DYING;
		j->gone = true;
	}
	return 0;
}

/*
 * Drop a stale entry: the jail torn down first (steps.c), then its files.
 * -EBUSY while processes linger in the cgroup: the entry stays, as a
 * dying jail holding its jid, like FreeBSD's dying prisons.
 */
static int
state_reap(int rundir, struct jail *j)
{
	if (jail_reap(j) < 0)
		return -EBUSY;
	return state_unlink(rundir, j->jid, jail_name(j));
}


/*
 * An entry read: kept if live; if stale, reaped when reap (the lock is
 * held), -ENOENT, unless its cgroup cannot go yet: then it is kept, and
 * is dying.
 */
int
entry_settle(int rundir, struct entry_ref *e, bool reap)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	int r;

	if (e->live)
		return 0;
	if (!reap)
		return -ENOENT;
	j = jail_new();
	if (j == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	r = entry_parse(e, j);
	if (r < 0)
		return r;
	if (state_reap(rundir, j) >= 0)
		return -ENOENT;
	e->gone = true;
	return 0;
}

/*
 * One live entry (creating ones included): -ENOENT if there is none, it
 * is being written, or a crash left it half-written.
 */
int
entry_get(int rundir, int jid, bool reap, struct jail **ret)
{
	struct entry_ref e = { .jid = jid };
	struct jail *j = NULL;
	int r = entry_read(rundir, &e);

	if (r >= 0)
		r = entry_settle(rundir, &e, reap);
	if (r >= 0)
		r = (j = jail_new()) == NULL
		    ? jail_seterr(-ENOMEM, "out of memory") : entry_parse(&e, j);
	entry_drop(&e);
	if (r < 0) {
		jail_free(j);
		return r == -EBADMSG ? -ENOENT : r;
	}
	*ret = j;
	return 0;
}
