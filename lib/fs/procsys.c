// SPDX-License-Identifier: BSD-2-Clause
/*
 * procsys.c: procfs and sysfs as a jail sees them.
 *
 * Owns the jail-aware procfs with its read-only and masked paths (the
 * host's /dev/null bound read-only over what a jail must not read) and
 * read-only sysfs (a vnet jail's own) with its masked paths.  The mounts
 * it protects are recorded for kernfs.c, which checks the finished tree
 * before pivot_root.  Every path is resolved beneath the jail's root with
 * no symlink followed; nothing here touches the host's mount namespace.
 */
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include "fs/fs.h"
#include "mount-int.h"
/*
 * Make name (beneath dirfd) a read-only bind mount of itself.  The second
 * lookup crosses the new bind mount, so the remount applies to it alone.
 */
static int
bind_ro(int dirfd, const char *name)
{
	_cleanup_close_ int fd = -1, top = -1;
	char path[64];

	fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (mount(path, path, NULL, MS_BIND, NULL) < 0)
		return -errno;
	top = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (top < 0)
		return -errno;
	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", top);
	if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MNT_SAFE,
		NULL) < 0)
		return -errno;
	mnt_kernfs_record(top);	/* a part of the jail's procfs (kernfs.c) */
	return 0;
}

/*
 * What a jailed root, uid 0 with DAC_OVERRIDE, must not write in its
 * procfs: sysctls are checked by file mode only, and core_pattern alone
 * would run a host command as root; sysrq-trigger reboots the host.
 * (The set runc and Docker make read-only.)
 */
static const char *const proc_readonly[] = {
	"sys", "sysrq-trigger", "irq", "bus", "fs",
};

/*
 * What it must not even read (runc's masked paths): kcore is the host's
 * memory, keys and key-users list every keyring of the host, timer_list,
 * sched_debug and latency_stats leak host processes and kernel pointers,
 * acpi and scsi drive host hardware.  Files get /dev/null over them,
 * directories an empty read-only tmpfs; missing ones are skipped.
 */
static const char *const proc_masked[] = {
	"kcore", "keys", "key-users", "timer_list", "sched_debug",
	"latency_stats", "acpi", "scsi",
};

/*
 * And in sysfs: firmware holds the host's ACPI tables, EFI variables.
 * kernel/security, fs/pstore and kernel/config are where the host's
 * securityfs (its LSM policy), pstore (its crash logs) and configfs go:
 * an empty read-only mount on each keeps them out of reach and tells a
 * guest's boot scripts (Debian's mountkernfs.sh, mount-configfs, which
 * skip a mount point already mounted) there is nothing to mount.
 */
static const char *const sys_masked[] = {
	"firmware", "kernel/security", "fs/pstore", "kernel/config",
};

/*
 * The host's /dev/null, checked to be the real device (a file there
 * would be shown, or written, in place of kcore).  Before pivot_root.
 */
static int
devnull_open(int *ret_fd)
{
	struct stat st;
	int fd = open("/dev/null", O_PATH | O_CLOEXEC);

	if (fd < 0)
		return jail_syserr(-errno, "/dev/null");
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) ||
	    st.st_rdev != makedev(1, 3)) {
		(void)close(fd);
		return jail_seterr(-EINVAL, "/dev/null: not the null device");
	}
	*ret_fd = fd;
	return 0;
}

/* Hide name beneath dirfd: /dev/null over a file, a tmpfs over a dir. */
static int
mask_path(int dirfd, const char *name)
{
	_cleanup_close_ int fd = -1, null = -1;
	char src[64];
	struct stat st;
	int r;

	fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return mnt_at("tmpfs", fd, "tmpfs", MS_RDONLY | MNT_SAFE,
		    "mode=0555");
	r = devnull_open(&null);
	if (r < 0)
		return r;
	(void)snprintf(src, sizeof(src), "/proc/self/fd/%d", null);
	r = mnt_at(src, fd, NULL, MS_BIND, NULL);
	if (r < 0)
		return r;
	/*
	 * The host's /dev/null inode itself: read-only, or jailed root
	 * (CAP_FOWNER) chmods it for every host user (attack-devices.sh).
	 * Reads and writes of the device are no business of the mount's.
	 */
	(void)close(fd);
	fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return mnt_at(NULL, fd, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
}

/* Read-only and masked paths beneath dirfd (a fresh procfs or sysfs). */
static int
protect(int dirfd, const char *rel, const char *const *ro, size_t nro,
    const char *const *masked, size_t nmasked)
{
	int r;

	for (size_t i = 0; i < nro; i++)
		if ((r = bind_ro(dirfd, ro[i])) < 0)
			return jail_syserr(r, "%s/%s read-only", rel, ro[i]);
	for (size_t i = 0; i < nmasked; i++)
		if ((r = mask_path(dirfd, masked[i])) < 0)
			return jail_syserr(r, "%s/%s masked", rel, masked[i]);
	return 0;
}

/*
 * Open path as a jailed process would see it from rootfd (a jail's "/"):
 * symlinks and ".." stay inside the root, magic links are refused.  For
 * host processes reading or opening what a jail's root user controls.
 */
int
open_in_root(int rootfd, const char *path, int flags)
{
	return openat2_fd(rootfd, path, flags, 0,
	    RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

/* A running jail's "/" as its init sees it, for open_in_root(). */
int
jail_root_open(const struct jail *j)
{
	char path[64];
	int fd;

	(void)snprintf(path, sizeof(path), "/proc/%d/root", (int)j->init.pid);
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * A procfs of this (the jail's) pid namespace on rel beneath rootfd, with
 * its read-only and masked paths; flags and data as the caller asks
 * (mount.fstab options), never less than nosuid, nodev, noexec.
 */
int
mnt_procfs(int rootfd, const char *rel, unsigned long flags,
    const char *data)
{
	_cleanup_close_ int fd = -1, procfd = -1;
	int r;

	r = resolve_beneath(rootfd, rel, &fd);
	if (r < 0)
		return r;
	r = mnt_at("proc", fd, "proc", flags | MNT_SAFE, data);
	if (r < 0)
		return jail_syserr(r, "%s", rel);
	/* the fresh mount: no jailed process has touched it yet */
	r = resolve_beneath(rootfd, rel, &procfd);
	if (r < 0)
		return r;
	mnt_kernfs_record(procfd);	/* the jail's own (kernfs.c) */
	return protect(procfd, rel, proc_readonly, nitems(proc_readonly),
	    proc_masked, nitems(proc_masked));
}

/* mount.procfs and the procfs replacing a host one: the context added. */
int
mount_procfs(int rootfd, const char *rel)
{
	int r = mnt_procfs(rootfd, rel, 0, NULL);

	return r < 0 ? jail_errctx(r, "mount.procfs") : 0;
}

/* sysfs's masked paths beneath rel, a sysfs mount of rootfd's tree. */
static int
sysfs_mask(int rootfd, const char *rel)
{
	_cleanup_close_ int fd = -1;
	int r;

	r = resolve_beneath(rootfd, rel, &fd);
	if (r < 0)
		return r;
	mnt_kernfs_record(fd);	/* read-only, masked below (kernfs.c) */
	return protect(fd, rel, NULL, 0, sys_masked, nitems(sys_masked));
}

/*
 * A sysfs the host mounted under path (the seeds' linsysfs) stays, but
 * read-only inside the jail: its files are writable by uid 0 by mode
 * alone (uevent_helper would run a host program as root).
 */
int
sysfs_readonly(int rootfd, const char *rel)
{
	_cleanup_close_ int fd = -1;
	char path[64];
	int r;

	r = resolve_beneath(rootfd, rel, &fd);
	if (r < 0)
		return jail_errctx(r, "sysfs");
	/* already a mount of its own (this namespace's copy): remount it */
	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY |
		MNT_SAFE, NULL) < 0)
		return jail_syserr(-errno, "sysfs %s read-only", rel);
	r = sysfs_mask(rootfd, rel);
	return r < 0 ? jail_errctx(r, "sysfs") : 0;
}

/* linsysfs from mount.fstab: a sysfs on rel, always read-only, masked. */
int
mnt_sysfs(const char *spec, int rootfd, const char *rel, unsigned long flags)
{
	_cleanup_close_ int fd = -1;
	int r;

	r = resolve_beneath(rootfd, rel, &fd);
	if (r < 0)
		return r;
	r = mnt_at(spec, fd, "sysfs", flags | MS_RDONLY | MNT_SAFE, NULL);
	if (r < 0)
		return jail_syserr(r, "linsysfs on %s", rel);
	return sysfs_mask(rootfd, rel);
}

/* MS_* mount flags as mount_setattr(2) attributes. */
