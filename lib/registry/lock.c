// SPDX-License-Identifier: BSD-2-Clause
/*
 * lock.c: the registry's two kinds of lock.
 *
 * The registry lock, a flock on /run/jail/.lock, serialises every change
 * of the registry (reserving a jid and name, rewriting or removing an
 * entry) and root's reads, which may meet dead entries.  An ordinary
 * user never takes it: they read the list alone (scan.c).
 *
 * An entry's lock says whether its jail lives: an OFD read lock on the
 * entry's directory, held on byte LOCK_LIVE by what keeps the entry alive
 * -- its creator, then its init, which share the one open file
 * description, so that the lock goes when init exits (a zombie holds no
 * file) -- and on byte LOCK_UTS too once init has written "uts".  A
 * reader learns both with one F_OFD_GETLK, taking nothing: no pid to
 * check, none to be fooled by when the kernel gives it to another
 * process.
 *
 * Owns taking and asking those locks and opening /run/jail.  Never waits
 * on anything but the registry lock.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "registry-int.h"

/*
 * Where the registry is: /run/jail, or in a -Dtest_switches=true build
 * GAOL_REGISTRY_DIR, a directory of the unit test's own.
 */
const char *
registry_dir(void)
{
	const char *d = test_switch_value("GAOL_REGISTRY_DIR");

	return d != NULL && d[0] == '/' ? d : JAIL_RUNDIR;
}

/*
 * Take the registry lock, creating /run/jail on first use, and check its
 * modes (registry_check).  -EACCES for an ordinary user, who reads the
 * list without it.
 */
int
registry_lock(int *ret_fd)
{
	_cleanup_close_ int fd = -1;
	char path[PATH_MAX];
	int r = registry_make();

	if (r < 0)
		return r;
	(void)snprintf(path, sizeof(path), "%s/.lock", registry_dir());
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return jail_syserr(-errno, "open %s", path);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return jail_syserr(-errno, "flock %s", path);
	r = registry_check();
	if (r < 0)
		return r;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/* /run/jail, open; only to pass through for an ordinary user (0711). */
int
open_rundir(void)
{
	int fd = open(registry_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 && errno == EACCES)
		fd = open(registry_dir(), O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return jail_syserr(-errno, "%s", registry_dir());
	return fd;
}

/* Take the lock and open /run/jail: every change starts here. */
int
registry_open(int *ret_lock, int *ret_rundir)
{
	int r = registry_lock(ret_lock);

	if (r < 0)
		return r;
	*ret_rundir = open_rundir();
	return *ret_rundir < 0 ? *ret_rundir : 0;
}

/* Hold an entry's lock (its directory dirfd) from LOCK_LIVE, len bytes. */
int
entry_lock(int dirfd, off_t len)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET,
		.l_start = LOCK_LIVE, .l_len = len };

	return fcntl(dirfd, F_OFD_SETLK, &fl) < 0 ? -errno : 0;
}

/* 0: no holder (dead), 1: live, 2: live, "uts" written. */
int
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
registry_lock_uts(int dirfd)
{
	return entry_lock(dirfd, LOCK_UTS + 1);
}
