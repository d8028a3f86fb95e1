// SPDX-License-Identifier: BSD-2-Clause
/*
 * mode.c: who may read what in the registry, /run/jail.
 *
 * The registry is root's.  An entry's state file holds its jail's token,
 * which lets a process speak for the host to the jail's init (init.c);
 * an entry's directory carries the lock that says whether its jail lives
 * (lock.c), which anyone who may open the directory could take,
 * keeping a dead jail's name and jid from reuse.  So every directory is
 * 0700 and every file 0600, but what FreeBSD shows every user: the list
 * (0644; list.c writes no token into it), and the names a jail
 * set within (uts/JID, 0644, in uts/, 0711), both reached through
 * /run/jail itself, 0711: others may pass, not list.  A jailed process
 * sees none of it (the jail's root is elsewhere, and its init's
 * descriptors are out of its reach).
 *
 * Owns those modes, their repair in a registry an older gaol made with
 * wider ones, and the public file of a jail's names.  Must never make
 * anything else readable by others.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry-int.h"

#define RUNDIR_MODE 0711	/* others may pass through, not list */
#define PUBLIC_MODE 0644	/* the list, uts/JID */

/* Make /run/jail if it is not there (root only): its mode whatever the umask. */
int
registry_make(void)
{
	if (mkdir(registry_dir(), RUNDIR_MODE) == 0)
		return chmod(registry_dir(), RUNDIR_MODE) < 0
		    ? jail_syserr(-errno, "chmod %s", registry_dir()) : 0;
	return errno == EEXIST ? 0
	    : jail_syserr(-errno, "mkdir %s", registry_dir());
}

/* Mode d to the directory name below dirfd, f to the files in it. */
static void
repair_dir(int dirfd, const char *name, mode_t d, mode_t f)
{
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int fd;

	(void)fchmodat(dirfd, name, d, 0);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0 || (dir = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			(void)close(fd);
		return;
	}
	while ((de = readdir(dir)) != NULL)
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode))	/* not names/'s links */
			(void)fchmodat(fd, de->d_name, f, 0);
	(void)closedir(dir);
}

/*
 * A registry an older gaol made, its directories 0755 and its files 0644,
 * its list holding every token: each directory root's (uts/ passable),
 * each file too (uts/JID readable), the list written anew.  Under the
 * registry lock, before /run/jail itself gets its mode, which marks the
 * work done.
 */
static int
registry_repair(int rundir)
{
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int fd = openat(rundir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || (dir = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			(void)close(fd);
		return jail_syserr(-errno, "%s", registry_dir());
	}
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    fstatat(rundir, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && strcmp(de->d_name, UTS_DIR) != 0)
			repair_dir(rundir, de->d_name, 0700, 0600);
		else if (S_ISREG(st.st_mode))
			(void)fchmodat(rundir, de->d_name, 0600, 0);
	}
	(void)closedir(dir);
	/* last: its files are also the entries' "uts", made 0600 above */
	if (fstatat(rundir, UTS_DIR, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode))
		repair_dir(rundir, UTS_DIR, RUNDIR_MODE, PUBLIC_MODE);
	/* the old list, tokens and all, goes; so may what a crash left */
	(void)unlinkat(rundir, LIST_BUSY, 0);
	(void)unlinkat(rundir, LIST_TMP, 0);
	if (unlinkat(rundir, LIST_FILE, 0) < 0 && errno != ENOENT)
		return jail_syserr(-errno, "%s/%s", registry_dir(), LIST_FILE);
	(void)list_rebuild(rundir);
	if (fchmod(rundir, RUNDIR_MODE) < 0)
		return jail_syserr(-errno, "chmod %s", registry_dir());
	return 0;
}

/*
 * What root checks each time it takes the registry lock: /run/jail is
 * root's (anyone else's would be theirs to forge), an older registry is
 * repaired, and one no jail was ever made in has its (empty) list, for
 * an ordinary user's jls.  A missing list with entries (a crash) waits
 * for the next change or root's next jls, which write it whole.
 */
int
registry_check(void)
{
	_cleanup_close_ int rundir = -1;
	struct entry_ref *e = NULL;
	struct stat st;
	size_t n = 0;
	int r = 0;

	rundir = open(registry_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rundir < 0 || fstat(rundir, &st) < 0)
		return jail_syserr(-errno, "%s", registry_dir());
	if (st.st_uid != 0)
		return jail_seterr(-EPERM, "%s: owned by uid %u, not root",
		    registry_dir(), (unsigned)st.st_uid);
	if ((st.st_mode & 07777) != RUNDIR_MODE)
		return registry_repair(rundir);
	if (faccessat(rundir, LIST_FILE, F_OK, AT_SYMLINK_NOFOLLOW) == 0 ||
	    errno != ENOENT)
		return 0;
	r = registry_entries(rundir, &e, &n, NULL);
	if (r >= 0 && n == 0)
		r = list_write(rundir, NULL, 0);
	free(e);
	return r;
}

/*
 * The public copy of the names jail jid sets within: uts/JID, empty, and
 * linked into its entry as "uts", the file its init writes them into
 * (uts.c) and every reader reads (lock.c): one file, which an
 * ordinary user's jls reads by its public name.
 */
int
uts_make(int rundir, int jid)
{
	_cleanup_close_ int fd = -1;
	char pub[32], link[32];

	if (mkdirat(rundir, UTS_DIR, RUNDIR_MODE) == 0)
		(void)fchmodat(rundir, UTS_DIR, RUNDIR_MODE, 0);
	else if (errno != EEXIST)
		return jail_syserr(-errno, "mkdir %s/%s", registry_dir(),
		    UTS_DIR);
	(void)snprintf(pub, sizeof(pub), "%s/%d", UTS_DIR, jid);
	(void)snprintf(link, sizeof(link), "%d/%s", jid, UTS_FILE);
	(void)unlinkat(rundir, pub, 0);		/* a crash's leftover */
	fd = openat(rundir, pub, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, PUBLIC_MODE);
	if (fd < 0 || fchmod(fd, PUBLIC_MODE) < 0 ||
	    linkat(rundir, pub, rundir, link, 0) < 0)
		return jail_syserr(-errno, "%s/%s", registry_dir(), pub);
	return 0;
}
