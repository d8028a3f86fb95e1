// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-fs.c: escapes through the filesystem: chroot, /proc/PID/root
 * and /proc/PID/exe, device nodes, mounts of every kind, file handles,
 * trusted extended attributes, immutable flags.
 *
 * Every attempt that could change something works on a scratch path of
 * its own, or is made so that the kernel rejects it for a harmless reason
 * once the permission check has passed (pivot_root onto a directory that
 * is no mount point, umount with contradictory flags): the errno then
 * tells "refused" from "would have worked".  It removes what it created.
 */
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <linux/fs.h>
#include <linux/mount.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

/* GAOL_HOST_MARKER: a file the test made on the host, outside the jail. */
static const char *
host_marker(void)
{
	const char *m = getenv("GAOL_HOST_MARKER");

	if (m == NULL || *m != '/') {
		note("GAOL_HOST_MARKER is not set");
		return NULL;
	}
	return m;
}

struct chroot_args {
	const char *dir, *marker;
};

/* In a child: chroot below the cwd, climb out with "..", look around. */
static int
chroot_escape(const void *arg)
{
	const struct chroot_args *a = arg;
	struct stat st;

	if (chroot(a->dir) < 0)
		return fail_errno("chroot");
	for (int i = 0; i < 256; i++)
		if (chdir("..") < 0)
			return setup_error("chdir ..");
	if (chroot(".") < 0)
		return setup_error("chroot .");
	if (stat(a->marker, &st) == 0) {
		note("%s visible after chroot, chdir .., chroot .", a->marker);
		return 0;
	}
	note("%s not found after the climb", a->marker);
	return P_DENIED;
}

/*
 * chroot: the classic escape.  chroot into a fresh directory while the
 * cwd stays outside it, climb with "..", chroot(".") and look for the
 * host's marker.  pivot_root with the old root detached leaves nothing
 * above the jail's "/" to climb to.
 */
int
probe_chroot(const char *arg)
{
	struct chroot_args a;
	char dir[PATH_MAX];
	struct stat st;
	int r;

	(void)arg;
	if ((a.marker = host_marker()) == NULL)
		return P_ERROR;
	if (stat(a.marker, &st) == 0) {
		note("%s visible without chroot", a.marker);
		return 0;
	}
	scratch_path(dir, sizeof(dir), "chroot");
	if (mkdir(dir, 0700) < 0)
		return setup_error("mkdir");
	a.dir = dir;
	r = in_child(chroot_escape, &a);
	if (rmdir(dir) < 0)
		return setup_error("rmdir");
	return r;
}

/*
 * exe: /proc/1/exe (the jail's init, possibly a host binary) must not open
 * for writing, neither directly nor reopened through an O_PATH descriptor
 * (CVE-2019-5736).  Nothing is ever written.
 */
int
probe_exe(const char *arg)
{
	char target[PATH_MAX], fdpath[64];
	ssize_t n;
	int fd, r;

	(void)arg;
	n = readlink("/proc/1/exe", target, sizeof(target) - 1);
	if (n >= 0) {
		target[n] = '\0';
		verbose("/proc/1/exe -> %s", target);
	} else
		verbose("readlink /proc/1/exe: %s", strerror(errno));
	if (try_open("/proc/1/exe", O_WRONLY) == 0 ||
	    try_open("/proc/1/exe", O_RDWR) == 0)
		return 0;
	fd = open("/proc/1/exe", O_PATH | O_CLOEXEC);
	if (fd < 0)
		return P_DENIED;
	(void)snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	r = try_open(fdpath, O_WRONLY);
	(void)close(fd);
	if (r == 0)
		note("/proc/1/exe reopened for writing through O_PATH");
	return r == 0 ? 0 : P_DENIED;
}

/* Look for the host's marker below a /proc magic link (prefix). */
static int
marker_below(const char *prefix)
{
	static const char *const climbs[] = { "", "/../../../..", "/." };
	const char *marker = host_marker();
	char path[PATH_MAX];
	struct stat st;
	int first = 0;

	if (marker == NULL)
		return P_ERROR;
	for (size_t i = 0; i < nitems(climbs); i++) {
		(void)snprintf(path, sizeof(path), "%s%s%s", prefix,
		    climbs[i], marker);
		if (stat(path, &st) == 0) {
			note("host marker visible as %s", path);
			return 0;
		}
		if (first == 0)
			first = fail_errno(path);
	}
	return first;
}

/* proc1-root: the host through the root and cwd of the jail's init. */
int
probe_proc1_root(const char *arg)
{
	int r;

	(void)arg;
	r = marker_below("/proc/1/root");
	return r > 0 || r == P_DENIED ? marker_below("/proc/1/cwd") : r;
}

/* self-root: /proc/self/root, and ".." of it, must be the jail's "/". */
int
probe_self_root(const char *arg)
{
	struct stat root, up;
	int fd, up_fd, r;

	(void)arg;
	r = marker_below("/proc/self/root");
	if (r == 0 || r == P_ERROR)
		return r;
	fd = open("/proc/self/root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return r;
	up_fd = openat(fd, "../..", O_PATH | O_DIRECTORY | O_CLOEXEC);
	(void)close(fd);
	if (up_fd < 0)
		return r;
	if (fstat(up_fd, &up) < 0 || stat("/", &root) < 0) {
		(void)close(up_fd);
		return setup_error("stat");
	}
	(void)close(up_fd);
	if (up.st_dev != root.st_dev || up.st_ino != root.st_ino) {
		note("/proc/self/root/../.. is not the jail's /");
		return 0;
	}
	return r;
}

/* mknod of a node: EPERM; removed if it was made. */
static int
try_mknod(mode_t type, unsigned maj, unsigned min)
{
	char path[PATH_MAX];

	scratch_path(path, sizeof(path), "mknod");
	if (mknod(path, type | 0600, makedev(maj, min)) == 0) {
		(void)unlink(path);
		note("mknod %s %s %u %u succeeded", path,
		    S_ISBLK(type) ? "b" : "c", maj, min);
		return 0;
	}
	return fail_errno("mknod");
}

/* mknod: /dev/null (c 1 3), a disk (b 8 0), /dev/mem (c 1 1). */
int
probe_mknod(const char *arg)
{
	(void)arg;
	return try_mknod(S_IFCHR, 1, 3);
}

int
probe_mknod_disk(const char *arg)
{
	(void)arg;
	return try_mknod(S_IFBLK, 8, 0);
}

int
probe_mknod_mem(const char *arg)
{
	(void)arg;
	return try_mknod(S_IFCHR, 1, 1);
}

/* Mount a filesystem of this type on a scratch directory; undo it. */
static int
try_mount(const char *type, const char *data)
{
	char dir[PATH_MAX];
	int r, e;

	scratch_path(dir, sizeof(dir), "mount");
	if (mkdir(dir, 0700) < 0)
		return setup_error("mkdir");
	r = mount("none", dir, type, MS_NOSUID | MS_NODEV | MS_NOEXEC, data);
	e = errno;
	if (r == 0)
		(void)umount2(dir, MNT_DETACH);
	(void)rmdir(dir);
	if (r == 0) {
		note("mounted %s on %s", type, dir);
		return 0;
	}
	errno = e;
	return fail_errno(type);
}

int
probe_mount(const char *arg)
{
	(void)arg;
	return try_mount("tmpfs", "size=4k");
}

int
probe_mount_proc(const char *arg)
{
	(void)arg;
	return try_mount("proc", NULL);
}

int
probe_cgroup_mount(const char *arg)
{
	(void)arg;
	return try_mount("cgroup2", NULL);
}

/* The MS_* flags "/" has now, from statvfs. */
static unsigned long
root_flags(void)
{
	static const struct {
		unsigned long st, ms;
	} map[] = {
		{ ST_RDONLY, MS_RDONLY }, { ST_NOSUID, MS_NOSUID },
		{ ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC },
		{ ST_NOATIME, MS_NOATIME }, { ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME },
	};
	struct statvfs sv;
	unsigned long f = 0;

	if (statvfs("/", &sv) < 0)
		return 0;
	for (size_t i = 0; i < nitems(map); i++)
		if (sv.f_flag & map[i].st)
			f |= map[i].ms;
	return f;
}

/* remount-root: remount "/" with the very flags it has (a no-op). */
int
probe_remount_root(const char *arg)
{
	unsigned long f = root_flags();

	(void)arg;
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | f, NULL) == 0) {
		note("remounted / (flags %#lx)", f);
		return 0;
	}
	return fail_errno("remount /");
}

/*
 * umount of a masked path.  MNT_EXPIRE with MNT_DETACH is a contradiction
 * the kernel rejects with EINVAL, but only after its permission check
 * (EPERM): nothing is ever unmounted.
 */
static int
try_umount(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0 && errno == ENOENT) {
		note("no %s here", path);
		return P_SKIP;
	}
	if (umount2(path, MNT_EXPIRE | MNT_DETACH) == 0) {
		note("umount %s succeeded", path);
		return 0;
	}
	return fail_errno(path);
}

int
probe_umount_kcore(const char *arg)
{
	(void)arg;
	return try_umount("/proc/kcore");
}

int
probe_umount_procsys(const char *arg)
{
	(void)arg;
	return try_umount("/proc/sys");
}

/*
 * pivot_root onto a fresh directory that is no mount point: EINVAL once
 * permitted (may_mount() comes first), EPERM when refused.
 */
int
probe_pivot_root(const char *arg)
{
	char dir[PATH_MAX];
	int r;

	(void)arg;
	scratch_path(dir, sizeof(dir), "pivot");
	if (mkdir(dir, 0700) < 0)
		return setup_error("mkdir");
	r = (int)syscall(SYS_pivot_root, dir, dir);
	r = r == 0 ? 0 : fail_errno("pivot_root");
	(void)rmdir(dir);
	if (r == 0)
		note("pivot_root succeeded");
	return r;
}

/*
 * open-by-handle: the "shocker" escape (Docker 2014) opens any inode of
 * the filesystem by its handle, ignoring the chroot; it needs
 * CAP_DAC_READ_SEARCH.  The handle is that of the jail's own "/".
 */
int
probe_open_by_handle(const char *arg)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + MAX_HANDLE_SZ];
	} h;
	int mount_id, mfd, fd;

	(void)arg;
	h.fh.handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, "/", &h.fh, &mount_id, 0) < 0) {
		note("name_to_handle_at /: %s", strerror(errno));
		return errno == EOPNOTSUPP ? P_SKIP : P_ERROR;
	}
	/* (an O_PATH descriptor would fail EBADF before the check) */
	mfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mfd < 0)
		return setup_error("open /");
	fd = open_by_handle_at(mfd, &h.fh, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		(void)close(mfd);
		return fail_errno("open_by_handle_at");
	}
	(void)close(fd);
	(void)close(mfd);
	note("open_by_handle_at opened a file by its handle");
	return 0;
}

/* fsopen / open_tree: the new mount API, the same CAP_SYS_ADMIN. */
int
probe_fsopen(const char *arg)
{
	(void)arg;
	return fd_outcome(syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC),
	    "fsopen tmpfs");
}

int
probe_open_tree(const char *arg)
{
	(void)arg;
	return fd_outcome(syscall(SYS_open_tree, AT_FDCWD, "/",
	    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC), "open_tree / clone");
}

/* A fresh scratch file, open for reading; its path in path. */
static int
scratch_file(char *path, size_t len, const char *what)
{
	int fd;

	scratch_path(path, len, what);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return setup_error(path);
	return fd;
}

/* xattr-trusted: trusted.* attributes need CAP_SYS_ADMIN. */
int
probe_xattr_trusted(const char *arg)
{
	char path[PATH_MAX];
	int fd, r;

	(void)arg;
	if ((fd = scratch_file(path, sizeof(path), "xattr")) < 0)
		return fd;
	r = fsetxattr(fd, "trusted.gaol-probe", "1", 1, 0);
	r = r == 0 ? 0 : fail_errno("setxattr trusted.gaol-probe");
	(void)close(fd);
	(void)unlink(path);
	if (r == 0)
		note("set trusted.gaol-probe on %s", path);
	if (r == EOPNOTSUPP)
		return P_SKIP;
	return r;
}

/*
 * chflags: FS_APPEND_FL (chflags sappnd) on a file of ours needs
 * CAP_LINUX_IMMUTABLE; if it is set, it is cleared again at once.
 */
int
probe_chflags(const char *arg)
{
	char path[PATH_MAX];
	int fd, flags, r = 0;

	(void)arg;
	if ((fd = scratch_file(path, sizeof(path), "chflags")) < 0)
		return fd;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) {
		r = errno == ENOTTY || errno == EOPNOTSUPP ? P_SKIP : P_ERROR;
		note("FS_IOC_GETFLAGS on %s: %s (no file flags here)", path,
		    strerror(errno));
	} else {
		int set = flags | FS_APPEND_FL;

		if (ioctl(fd, FS_IOC_SETFLAGS, &set) < 0)
			r = fail_errno("FS_IOC_SETFLAGS FS_APPEND_FL");
		else if (ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0)
			r = setup_error("FS_IOC_SETFLAGS (clearing)");
		else
			note("set and cleared FS_APPEND_FL on %s", path);
	}
	(void)close(fd);
	if (unlink(path) < 0 && r == 0)
		r = setup_error("unlink");
	return r;
}
