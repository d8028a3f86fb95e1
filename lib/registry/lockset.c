// SPDX-License-Identifier: BSD-2-Clause
/*
 * lockset.c: which entries of the registry are held, from one read of
 * /proc/locks (what lslocks(8) reads) instead of an F_OFD_GETLK on each:
 * with many entries, the one read is far cheaper.  What it shows is
 * trusted only when it also shows a lock this process holds, so that a
 * /proc that is not the host's (or a kernel that names inodes otherwise)
 * can make no dead entry look live: then each entry is asked (scan.c).
 *
 * Owns reading /proc/locks.  Takes no lock of an entry's, changes
 * nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "registry-int.h"

/*
 * /proc/locks, whole (what lslocks(8) reads): a line per lock on the
 * system, "N: TYPE ADVISORY MODE PID MAJ:MIN:INO START END"; -EFBIG past
 * max bytes (a host of many other locks: asking each entry is cheaper).
 */
static int
read_proc_locks(size_t max, char **ret)
{
	_cleanup_close_ int fd = open("/proc/locks", O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 0;
	char *buf = NULL, *nb;
	ssize_t n;

	if (fd < 0)
		return -errno;
	do {
		if (cap - len < 4096) {
			nb = realloc(buf, cap = cap * 2 + 65536);
			if (nb == NULL) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno != EINTR) {
			free(buf);
			return -errno;
		}
		len += n > 0 ? (size_t)n : 0;
		if (len > max) {
			free(buf);
			return -EFBIG;
		}
	} while (n != 0);
	buf[len] = '\0';
	*ret = buf;
	return 0;
}

static int
cmp_ino(const void *a, const void *b)
{
	uint64_t x = ((const struct entry_ref *)a)->ino;
	uint64_t y = ((const struct entry_ref *)b)->ino;

	return (x > y) - (x < y);
}

/*
 * Which of the n entries e are held, from one read of /proc/locks instead
 * of an F_OFD_GETLK each: their directories' inodes on the registry's
 * file system (dev) with an OFD read lock from byte 0, and whether up to
 * byte LOCK_UTS (entry_lock).  Trusted only if it shows the flock this
 * process holds on the file self (dev and inode): then the inodes of e
 * are the ones it shows.  -1 if it is not to be trusted, or cannot be
 * read: nothing is filled in.  1 if no entry need ask anything more: it
 * showed each held, none with "uts" written; else 0.
 */
static int
lockset_fill(dev_t dev, uint64_t self, struct entry_ref *e, size_t n)
{
	_cleanup_free_ char *text = NULL;
	unsigned long maj, min;
	unsigned long long ino;
	bool seen = false;
	char *line, *end, *next;
	const char *p;

	if (read_proc_locks((n + 1024) * 128, &text) < 0)
		return -1;
	qsort(e, n, sizeof(*e), cmp_ino);
	for (line = text; *line != '\0'; line = next) {
		const char *type, *mode, *w;
		size_t len;
		struct entry_ref key, *hit;

		end = strchrnul(line, '\n');
		next = end + (*end != '\0');
		*end = '\0';
		p = line;
		(void)next_word(&p, &len);	/* "N:" */
		type = next_word(&p, &len);
		if (type == NULL || strncmp(type, "->", 2) == 0)
			continue;	/* a blocked request, not a lock */
		(void)next_word(&p, &len);	/* ADVISORY */
		mode = next_word(&p, &len);
		(void)next_word(&p, &len);	/* PID */
		w = next_word(&p, &len);
		if (mode == NULL || w == NULL ||
		    sscanf(w, "%lx:%lx:%llu", &maj, &min, &ino) != 3 ||
		    makedev(maj, min) != dev)
			continue;
		if (strncmp(type, "FLOCK ", 6) == 0 && ino == self)
			seen = true;
		if (strncmp(type, "OFDLCK ", 7) != 0 ||
		    strncmp(mode, "READ ", 5) != 0)
			continue;
		w = next_word(&p, &len);	/* START */
		if (w == NULL || *w != '0' || len != 1)
			continue;
		key.ino = ino;
		hit = bsearch(&key, e, n, sizeof(*e), cmp_ino);
		w = next_word(&p, &len);	/* END: EOF or N */
		if (hit != NULL && w != NULL && hit->held < 2)
			hit->held = *w == 'E' || strtoul(w, NULL, 10) >=
			    LOCK_UTS ? 2 : 1;
	}
	if (!seen)	/* not to be trusted */
		for (size_t i = 0; i < n; i++)
			e[i].held = 0;
	qsort(e, n, sizeof(*e), cmp_entry);
	for (size_t i = 0; seen && i < n; i++)
		if (e[i].held != 1)
			return 0;
	return seen ? 1 : -1;
}

/*
 * lockset_fill for root, holding the registry lock (a flock on .lock,
 * inode lock_ino as readdir or the list's writers gave it): true if no
 * entry need ask anything more.
 */
bool
lockset_root(int rundir, uint64_t lock_ino, struct entry_ref *e, size_t n)
{
	struct stat st;

	if (lock_ino == 0 || fstatat(rundir, ".lock", &st,
		AT_SYMLINK_NOFOLLOW) < 0 || st.st_ino != lock_ino)
		return false;
	return lockset_fill(st.st_dev, st.st_ino, e, n) > 0;
}

/*
 * lockset_fill for an ordinary user, who may not open an entry: a shared
 * flock on the list it reads (which nothing else locks) is what it finds
 * itself by.  The way the entries are asked next: from what /proc/locks
 * showed, or by their inits' pids when it cannot be trusted.
 */
enum entry_ask
lockset_user(struct scan *s)
{
	struct stat st;

	if (flock(s->listfd, LOCK_SH | LOCK_NB) < 0 ||
	    fstat(s->listfd, &st) < 0 ||
	    lockset_fill(st.st_dev, st.st_ino, s->e, s->n) < 0)
		return ASK_PID;
	return ASK_HELD;
}
