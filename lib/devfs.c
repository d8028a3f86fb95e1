/*
 * devfs.c: a FreeBSD-like /dev for a jail.
 *
 * Owns the contents of devfsrules_jail (ruleset 4) on Linux: a tmpfs with
 * the harmless character devices, a private devpts instance (so PTY
 * allocation works and the host's ptys stay invisible), the fd and std*
 * links, and shm.  Never creates mem, kmem, port, disks or anything else
 * that reaches host hardware or kernel memory; a jailed root has no
 * CAP_MKNOD to add nodes later.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "jail-int.h"

struct devnode {
	const char *name;
	unsigned major, minor;
};

static const struct devnode devfs_nodes[] = {
	{ "null", 1, 3 },
	{ "zero", 1, 5 },
	{ "full", 1, 7 },
	{ "random", 1, 8 },
	{ "urandom", 1, 9 },
	{ "tty", 5, 0 },
};

static const struct {
	const char *name, *target;
} devfs_links[] = {
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
	{ "ptmx", "pts/ptmx" },
};

static int
devfs_nodes_make(int devfd)
{
	for (size_t i = 0; i < nitems(devfs_nodes); i++) {
		const struct devnode *n = &devfs_nodes[i];

		if (mknodat(devfd, n->name, S_IFCHR | 0666,
			makedev(n->major, n->minor)) < 0)
			return jail_syserr(-errno, "mount.devfs: mknod %s",
			    n->name);
		if (fchmodat(devfd, n->name, 0666, 0) < 0)
			return jail_syserr(-errno, "mount.devfs: chmod %s",
			    n->name);
	}
	for (size_t i = 0; i < nitems(devfs_links); i++)
		if (symlinkat(devfs_links[i].target, devfd,
			devfs_links[i].name) < 0)
			return jail_syserr(-errno, "mount.devfs: symlink %s",
			    devfs_links[i].name);
	return 0;
}

/* A new devpts instance: ptys of this jail only, /dev/ptmx usable by all. */
static int
devfs_devpts(int devfd)
{
	_cleanup_close_ int fd = -1;
	int r;

	if (mkdirat(devfd, "pts", 0755) < 0)
		return jail_syserr(-errno, "mount.devfs: mkdir pts");
	r = resolve_beneath(devfd, "pts", &fd);
	if (r < 0)
		return jail_errctx(r, "mount.devfs");
	r = mnt_at("devpts", fd, "devpts", MS_NOSUID | MS_NOEXEC,
	    "newinstance,ptmxmode=0666,mode=0620,gid=5");
	if (r < 0)
		return jail_syserr(r, "mount.devfs: devpts");
	return 0;
}

/* Mount the jail's /dev and fill it with the jail ruleset's devices. */
int
devfs_mount(int rootfd)
{
	_cleanup_close_ int mp = -1, fd = -1, devfd = -1;
	int r;

	r = resolve_beneath(rootfd, "dev", &mp);
	if (r < 0)
		return jail_errctx(r, "mount.devfs");
	r = mnt_at("devfs", mp, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755");
	if (r < 0)
		return jail_syserr(r, "mount.devfs: dev");
	/* reopen: mp is the directory the tmpfs now covers */
	r = resolve_beneath(rootfd, "dev", &fd);
	if (r < 0)
		return jail_errctx(r, "mount.devfs");
	devfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (devfd < 0)
		return jail_syserr(-errno, "mount.devfs: open dev");
	r = devfs_nodes_make(devfd);
	if (r >= 0 && mkdirat(devfd, "shm", 01777) < 0)
		r = jail_syserr(-errno, "mount.devfs: mkdir shm");
	if (r >= 0 && fchmodat(devfd, "shm", 01777, 0) < 0)
		r = jail_syserr(-errno, "mount.devfs: chmod shm");
	if (r >= 0)
		r = devfs_devpts(devfd);
	return r;
}
