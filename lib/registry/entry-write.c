// SPDX-License-Identifier: BSD-2-Clause
/*
 * entry-write.c: writing and removing one entry of the registry, under
 * the registry lock: its state file replaced whole (a reader sees the
 * old one or the new one, never half), its record in the list, its name
 * link.
 *
 * Owns the files of an entry's directory.  Never writes outside the
 * registry, and never decides whether a jail is live: its callers did.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry-int.h"

/* writev(2) until all of the n pieces are written. */
int
write_iov(int fd, struct iovec *iov, int n)
{
	ssize_t w;

	while (n > 0) {
		w = writev(fd, iov, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		for (; n > 0 && (size_t)w >= iov->iov_len; n--, iov++)
			w -= (ssize_t)iov->iov_len;
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/*
 * An entry's directory: the one the last entry removed left aside
 * (SPARE_DIR), or a new one.  On ext4 a directory has a block of its
 * own, and freeing it on a disk mounted with discard waits for the disk
 * (half a millisecond on a virtual machine whose /run is not a tmpfs);
 * a rename is 20 us.  The spare holds none of an entry's files, and
 * nobody holds its lock (entry_unlink).
 */
int
entry_dir_make(int rundir, const char *name)
{
	struct stat st;

	if (fstatat(rundir, SPARE_DIR, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode) && renameat2(rundir, SPARE_DIR, rundir, name,
	    RENAME_NOREPLACE) == 0)
		return 0;
	return mkdirat(rundir, name, 0700) < 0 ? -errno : 0;	/* mode.c */
}

/*
 * An entry's directory, its files gone (empty): the spare, if its lock
 * is known to be let go (spare) and there is none yet; else removed.
 */
static int
entry_dir_drop(int rundir, const char *name, bool empty, bool spare)
{
	if (empty && spare && renameat2(rundir, name, rundir, SPARE_DIR,
	    RENAME_NOREPLACE) == 0)
		return 0;
	if (unlinkat(rundir, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return jail_syserr(-errno, "rmdir %s/%s", registry_dir(), name);
	return 0;
}

/*
 * Remove an entry's files, directory and name link; a missing entry is
 * not an error.  name: the entry's, or NULL when unknown.  spare: nobody
 * holds its lock any more (its init and creator have let go), so its
 * directory may be the next entry's.  Not so for a jail -c that failed
 * before init took the lock over: kept aside, the directory would carry
 * the creator's lock, a shared one the next entry's does not conflict
 * with, and that entry would look live after its jail had gone.
 */
int
entry_unlink(int rundir, int jid, const char *name, bool spare)
{
	static const char *const files[] = { "state", ".state.tmp", UTS_FILE,
		"." UTS_FILE ".tmp" };
	_cleanup_close_ int dfd = -1, list = -1;
	bool empty = true;
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
		if (unlinkat(dfd, files[i], 0) < 0 && errno != ENOENT)
			empty = false;
	r = entry_dir_drop(rundir, dir, empty, spare);
	if (r < 0)
		return r;
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
 * Put the state file written aside (.state.tmp) in place: a reader sees
 * the old one or the new one.  One already there is exchanged with it
 * and then unlinked rather than renamed over: ext4 writes out a file
 * renamed over another at once (auto_da_alloc), where it would
 * otherwise still be in memory when the jail is removed, and freeing
 * its blocks then costs a discard on a disk mounted with one (a
 * registry on a disk, not a tmpfs: /run on some virtual machines).
 */
static int
state_replace(int dfd)
{
	if (renameat2(dfd, ".state.tmp", dfd, "state", RENAME_EXCHANGE) == 0) {
		(void)unlinkat(dfd, ".state.tmp", 0);	/* else the next's */
		return 0;
	}
	if (errno != ENOENT && errno != EINVAL)
		return -errno;
	/* the first (ENOENT), or a filesystem that cannot exchange */
	return renameat(dfd, ".state.tmp", dfd, "state") < 0 ? -errno : 0;
}

/*
 * Replace an entry's state file (entry-format.c), written aside first
 * (state_replace); and its record in the list, and its name link.
 */
int
entry_write(int rundir, const struct jail *j)
{
	_cleanup_close_ int dfd = -1, fd = -1, list = -1;
	_cleanup_free_ char *text = NULL;
	char name[16];
	struct stat st;
	size_t len;
	int r;

	(void)snprintf(name, sizeof(name), "%d", j->jid);
	dfd = openat(rundir, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fstat(dfd, &st) < 0)
		return jail_syserr(-errno, "%s/%s", registry_dir(), name);
	r = entry_format(j, &text, &len);
	if (r >= 0)
		r = list_begin(rundir, &list);
	if (r < 0)
		return r;
	/* root's only: it holds the token (mode.c) */
	fd = openat(dfd, ".state.tmp", O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	r = fd < 0 ? -errno : write_iov(fd, &(struct iovec){ text, len }, 1);
	if (r >= 0)
		r = state_replace(dfd);
	if (r < 0)
		return jail_syserr(r, "%s/%s/state", registry_dir(), name);
	/* the parameters written hold what "uts" said (entry_parse) */
	uts_clear(dfd);
	list_end(rundir, TAKE_FD(list), j->jid, st.st_ino, text, len);
	return index_set(rundir, jail_name(j), j->jid);
}
