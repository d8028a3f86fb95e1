// SPDX-License-Identifier: BSD-2-Clause
/*
 * entry.c: reading one entry of the registry: its file, the names its
 * jail set within, and whether it is live (its lock held, lock.c) or
 * dead.  Reads only: a dead entry is handed out marked gone, and
 * removed by registry_forget once its caller has torn its jail down.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry-int.h"

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

	r = entry_status(&st, e->text, false);
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
	/* every line of an entry ends in a newline: one cut short is torn */
	if (e->len == 0 || e->text[e->len - 1] != '\n')
		return -EBADMSG;
	return 0;
}

/* An entry's own state file, read into e, and entry_check. */
int
entry_read(int rundir, struct entry_ref *e)
{
	int r = entry_load(rundir, e);

	return r < 0 ? r : entry_check(rundir, e, ASK_ENTRY);
}


/*
 * An entry read: kept if live.  A dead one (its lock holder gone) is
 * kept too, marked gone, when dead_ok (root, holding the registry lock:
 * its caller may tear the jail down); else -ENOENT, as if it were not
 * there.  The registry never removes a dead entry by itself: its cgroups
 * must go first, and they are not the registry's.
 */
int
entry_settle(struct entry_ref *e, bool dead_ok)
{
	if (e->live)
		return 0;
	if (!dead_ok)
		return -ENOENT;
	e->gone = true;
	return 0;
}

/*
 * One entry, live or dead (creating ones included), as a jail: -ENOENT
 * if there is none, it is being written, or a crash left it half-written.
 */
int
entry_get(int rundir, int jid, struct jail **ret)
{
	struct entry_ref e = { .jid = jid };
	struct jail *j = NULL;
	int r = entry_read(rundir, &e);

	if (r >= 0)
		r = entry_settle(&e, true);
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
