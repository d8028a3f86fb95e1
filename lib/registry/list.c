// SPDX-License-Identifier: BSD-2-Clause
/*
 * list.c: the registry's list, every entry's text in one file, kept as a
 * log of records.
 *
 * The list: /run/jail/list holds every entry's text, so that
 * listing a thousand jails takes a few system calls rather than three a
 * jail.  It is a log of records, "JID INO LEN\n" and LEN bytes: the state
 * file of entry JID as written (INO: its directory's inode, by which
 * /proc/locks names its lock), or, with LEN 0, its removal; a later
 * record of a jid overrides the earlier ones.  Its first record, "0 BASE
 * 0\n", gives the size of the records it had when last written whole.  A
 * change appends a record, and the one that finds the list grown past
 * twice that (and LIST_SLACK more) writes it whole again: a change costs
 * the same whatever the number of jails.  While an entry changes, under
 * the registry lock, the list is renamed aside (LIST_BUSY) and back after
 * (list_begin, list_end), so that a crash between leaves no list rather
 * than a wrong one, as does a change that fails.  Without a list, a scan
 * reads every entry's own file, and one holding the lock writes the list
 * whole.  Only gaol writes the registry: an entry made by hand (or by a
 * gaol before the list, earlier in this boot) is not listed until the
 * list is removed.
 *
 * The list is the one file of the registry anyone may read (0644, in a
 * directory others may only pass through): what an ordinary user's jls
 * reads, as FreeBSD shows every jail to every user.  So it never holds
 * what gives control of a jail: each entry's token, the status line's
 * fifth word, is written "-" (record_iov); the entry's own file, root's
 * only, keeps it.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry-int.h"

/* A decimal number and then sep at *p (before end); *p moves past sep. */
static bool
take_num(const char **p, const char *end, char sep, unsigned long long *ret)
{
	unsigned long long v = 0;
	const char *s = *p;

	if (s >= end || *s < '0' || *s > '9')
		return false;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return false;
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (s >= end || *s != sep)
		return false;
	*p = s + 1;
	*ret = v;
	return true;
}

/*
 * The list's record at *p (before end) into e (jid, ino, text, len; len
 * 0: a removal); *p moves to the next.  -EBADMSG if it is garbled: a text
 * must hold its status line's end, which entry_status stops at.
 */
static int
list_record(const char **p, const char *end, struct entry_ref *e)
{
	unsigned long long jid, ino, len;

	if (!take_num(p, end, ' ', &jid) || jid > INT_MAX ||
	    !take_num(p, end, ' ', &ino) || !take_num(p, end, '\n', &len) ||
	    len > (size_t)(end - *p) ||
	    (len > 0 && memchr(*p, '\n', len) == NULL))
		return -EBADMSG;
	*e = (struct entry_ref){ .jid = (int)jid, .ino = ino, .text = *p,
		.len = len };
	*p += len;
	return 0;
}

int
cmp_entry(const void *a, const void *b)
{
	int x = ((const struct entry_ref *)a)->jid;
	int y = ((const struct entry_ref *)b)->jid;

	return (x > y) - (x < y);
}

/* By jid, and for one jid in the order written: where in the list. */
static int
cmp_record(const void *a, const void *b)
{
	const struct entry_ref *x = a, *y = b;
	int c = cmp_entry(a, b);

	return c != 0 ? c : (x->text > y->text) - (x->text < y->text);
}

/*
 * The entries the list m (len bytes) holds, sorted by jid, their texts in
 * m.  -EBADMSG if it is garbled.
 */
int
list_parse(const char *m, size_t len, struct entry_ref **ret, size_t *ret_n)
{
	const char *p = m, *end = m + len;
	struct entry_ref head, rec, *e;
	size_t n = 0, k = 0;

	if (list_record(&p, end, &head) < 0 || head.jid != 0 || head.len != 0)
		return -EBADMSG;
	for (const char *q = p; q < end; n++)
		if (list_record(&q, end, &rec) < 0 || rec.jid == 0)
			return -EBADMSG;
	e = calloc(n + 1, sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		(void)list_record(&p, end, &e[i]);
	if (n > 1)
		qsort(e, n, sizeof(*e), cmp_record);
	for (size_t i = 0; i < n; i++)	/* the last of each jid, if not gone */
		if ((i + 1 == n || e[i + 1].jid != e[i].jid) && e[i].len > 0)
			e[k++] = e[i];
	*ret = e;
	*ret_n = k;
	return 0;
}

/*
 * The list open at fd, mapped whole, read-only: a list is never written
 * but at its end, and a new one is written aside (list_write), so the
 * mapping stays whole.  An empty file is "".
 */
int
list_map(int fd, const char **ret, size_t *ret_len)
{
	struct stat st;
	void *m;

	if (fstat(fd, &st) < 0)
		return -errno;
	*ret = "";
	*ret_len = 0;
	if (st.st_size == 0)
		return 0;
	m = mmap(NULL, (size_t)st.st_size, PROT_READ,
	    MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	*ret = m;
	*ret_len = (size_t)st.st_size;
	return 0;
}

void
list_unmap(const char *m, size_t len)
{
	if (len > 0)
		(void)munmap((void *)m, len);
}

/*
 * An entry's text (len bytes) as the list holds it, in three
 * pieces: up to its token, "-" in its place, the rest; its length.  A
 * text read from the list has "-" already; one too short to have a token
 * is kept whole (a reader finds it garbled, as before).
 */
static size_t
record_iov(const char *text, size_t len, struct iovec iov[3])
{
	const char *nl = memchr(text, '\n', len), *p = text, *tok = NULL;
	size_t tlen = 0;

	for (int word = 1; nl != NULL && word <= 5 && p < nl; word++) {
		p += strspn(p, " ");
		tok = p;
		tlen = strcspn(p, " \n");
		p += tlen;
	}
	iov[0] = (struct iovec){ (void *)text, len };
	iov[1] = iov[2] = (struct iovec){ NULL, 0 };
	if (tok == NULL || tlen == 0 || p > nl || (tlen == 1 && *tok == '-'))
		return len;
	iov[0].iov_len = (size_t)(tok - text);
	iov[1] = (struct iovec){ (void *)"-", 1 };
	iov[2] = (struct iovec){ (void *)(tok + tlen), len - iov[0].iov_len -
	    tlen };
	return len - tlen + 1;
}

/* The length of an entry's text as the list holds it (record_iov). */
static size_t
record_len(const char *text, size_t len)
{
	struct iovec iov[3];

	return record_iov(text, len, iov);
}

/*
 * The bytes the records of the n entries e whose r is not negative take
 * in the list: what it holds of them, their headers included.
 */
size_t
list_size(const struct entry_ref *e, size_t n)
{
	size_t size = 0, len;

	for (size_t i = 0; i < n; i++)
		if (e[i].r >= 0) {
			len = record_len(e[i].text, e[i].len);
			size += (size_t)snprintf(NULL, 0, "%d %" PRIu64 " %zu\n",
			    e[i].jid, e[i].ino, len) + len;
		}
	return size;
}

/* One record of the list: its header and the text of record_iov. */
static bool
record_put(FILE *f, const struct entry_ref *e)
{
	struct iovec iov[3];
	size_t len = record_iov(e->text, e->len, iov);

	if (fprintf(f, "%d %" PRIu64 " %zu\n", e->jid, e->ino, len) <= 0)
		return false;
	for (int k = 0; k < 3; k++)
		if (iov[k].iov_len > 0 && fwrite(iov[k].iov_base, 1,
			iov[k].iov_len, f) != iov[k].iov_len)
			return false;
	return true;
}

/*
 * The list, whole, of the n entries e whose r is not negative, written
 * aside and renamed in.
 */
int
list_write(int rundir, const struct entry_ref *e, size_t n)
{
	bool ok = true;
	FILE *f;
	int fd;

	fd = openat(rundir, LIST_TMP, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	/* readable by all whatever the umask: an ordinary user's jls */
	if (fchmod(fd, 0644) < 0) {
		(void)close(fd);
		(void)unlinkat(rundir, LIST_TMP, 0);
		return -errno;
	}
	f = fdopen(fd, "w");
	if (f == NULL) {
		(void)close(fd);
		(void)unlinkat(rundir, LIST_TMP, 0);
		return -ENOMEM;
	}
	ok = fprintf(f, "0 %zu 0\n", list_size(e, n)) > 0;
	for (size_t i = 0; ok && i < n; i++)
		if (e[i].r >= 0)
			ok = record_put(f, &e[i]);
	ok = fclose(f) == 0 && ok;
	if (ok && renameat(rundir, LIST_TMP, rundir, LIST_FILE) == 0) {
		/* what a change that failed left aside */
		(void)unlinkat(rundir, LIST_BUSY, 0);
		return 0;
	}
	(void)unlinkat(rundir, LIST_TMP, 0);
	return -EIO;
}

/*
 * Before an entry changes: *ret_fd is the list, open, renamed aside; or
 * -1.  A registry with no list (a crash mid-change) gets one first, from
 * the entries' own files: an ordinary user's jls has nothing else.
 */
int
list_begin(int rundir, int *ret_fd)
{
	int fd = openat(rundir, LIST_FILE, O_RDWR | O_APPEND | O_CLOEXEC |
	    O_NOFOLLOW);

	*ret_fd = -1;
	if (fd < 0 && errno == ENOENT && list_rebuild(rundir) >= 0)
		fd = openat(rundir, LIST_FILE, O_RDWR | O_APPEND | O_CLOEXEC |
		    O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd >= 0 && renameat(rundir, LIST_FILE, rundir, LIST_BUSY) == 0) {
		*ret_fd = fd;
		return 0;
	}
	if (fd >= 0)
		(void)close(fd);
	/* no list rather than one this change would make wrong */
	if (unlinkat(rundir, LIST_FILE, 0) < 0 && errno != ENOENT)
		return jail_syserr(-errno, "unlink %s/%s", registry_dir(),
		    LIST_FILE);
	return 0;
}

/*
 * The list grown past twice its size when last written whole, written
 * whole again from fd (the list aside).
 */
static int
list_compact(int rundir, int fd)
{
	_cleanup_free_ struct entry_ref *e = NULL;
	const char *m;
	size_t mlen, n;
	int r;

	r = list_map(fd, &m, &mlen);
	if (r < 0)
		return r;
	r = list_parse(m, mlen, &e, &n);
	if (r >= 0)
		r = list_write(rundir, e, n);
	list_unmap(m, mlen);
	return r;
}

/* The BASE of the list open at fd, from its header, "0 BASE 0\n". */
static bool
list_base(int fd, unsigned long long *ret)
{
	char first[64];
	const char *p = first;
	unsigned long long zero;
	ssize_t n = pread(fd, first, sizeof(first), 0);

	return n > 0 && take_num(&p, first + n, ' ', &zero) && zero == 0 &&
	    take_num(&p, first + n, ' ', ret);
}

/*
 * After entry jid changed: its record (text, len bytes, its directory's
 * inode ino; text NULL: removed) appended to the list fd (list_begin's),
 * which goes back in place, or is written whole when it has grown enough.
 * Closes fd.  If this fails, there is no list until the next change or
 * root's next jls writes one whole.
 */
void
list_end(int rundir, int fd, int jid, uint64_t ino, const char *text,
    size_t len)
{
	unsigned long long base;
	struct iovec iov[4];
	struct stat st;
	char head[64];

	if (fd < 0)
		return;
	if (text == NULL) {	/* removed */
		text = "";
		len = 0;
	}
	len = record_iov(text, len, iov + 1);
	iov[0] = (struct iovec){ head, (size_t)snprintf(head, sizeof(head),
	    "%d %" PRIu64 " %zu\n", jid, ino, len) };
	if (write_iov(fd, iov, 4) < 0 || !list_base(fd, &base) ||
	    fstat(fd, &st) < 0)
		;	/* no list, then */
	else if ((unsigned long long)st.st_size > 2 * base + LIST_SLACK)
		(void)list_compact(rundir, fd);
	else
		(void)renameat(rundir, LIST_BUSY, rundir, LIST_FILE);
	(void)unlinkat(rundir, LIST_BUSY, 0);
	(void)close(fd);
}
