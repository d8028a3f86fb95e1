/*
 * mount.c: the jail's root and the filesystems mounted into it, built by
 * the jail's init inside its own (private) mount namespace.
 *
 * Owns the bind of path onto itself, the jail-aware procfs, the switch
 * into the root with pivot_root(2) and the detach of the old root.  Every
 * mount point inside the root is resolved beneath it with no symlink
 * followed (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS): a jail's root
 * user controls those paths and must not redirect a mount onto the host.
 * Nothing here ever touches the host's mount namespace.
 */
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "jail-int.h"

/* mount(2) onto the directory fd refers to, through its /proc magic link. */
int
mnt_at(const char *src, int fd, const char *type, unsigned long flags,
    const char *data)
{
	char target[64];

	(void)snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
	if (mount(src, target, type, flags, data) < 0)
		return -errno;
	return 0;
}

/* openat2 unavailable: walk the components with O_NOFOLLOW, no "..". */
static int
resolve_walk(int rootfd, const char *path, int *ret_fd)
{
	_cleanup_free_ char *copy = strdup(path);
	_cleanup_close_ int cur = -1;
	char *save = NULL;

	if (copy == NULL)
		return -ENOMEM;
	cur = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	if (cur < 0)
		return -errno;
	for (char *c = strtok_r(copy, "/", &save); c != NULL;
	     c = strtok_r(NULL, "/", &save)) {
		int next;

		if (strcmp(c, "..") == 0)
			return -EXDEV;
		next = openat(cur, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			return -errno;
		(void)close(cur);
		cur = next;
	}
	*ret_fd = TAKE_FD(cur);
	return 0;
}

/* openat2(2), close-on-exec: the descriptor or -errno. */
int
openat2_fd(int dirfd, const char *path, int flags, mode_t mode,
    uint64_t resolve)
{
	struct open_how how = {
		.flags = (uint64_t)(unsigned)flags | O_CLOEXEC,
		.mode = mode,
		.resolve = resolve,
	};
	int fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : fd;
}

/*
 * Open path (relative to rootfd) as an O_PATH directory without leaving
 * rootfd and without following any symlink.  Errors name the path the
 * way FreeBSD's jail(8) does ("... is a symbolic link").  Without
 * openat2 (or with GAOL_FORCE_NOOPENAT2 set, for the tests) the path is
 * walked one O_NOFOLLOW component at a time instead.
 */
int
resolve_beneath(int rootfd, const char *path, int *ret_fd)
{
	struct stat st;
	int fd = -ENOSYS;

	if (getenv("GAOL_FORCE_NOOPENAT2") == NULL)
		fd = openat2_fd(rootfd, path, O_PATH | O_DIRECTORY, 0,
		    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
		    RESOLVE_NO_MAGICLINKS);
	if (fd == -ENOSYS) {
		int r = resolve_walk(rootfd, path, &fd);

		if (r < 0)
			fd = r;
	}
	if (fd < 0)
		return jail_syserr(fd, "%s%s", path,
		    fd == -ELOOP ? " is a symbolic link" : "");
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
		(void)close(fd);
		return jail_seterr(-ENOTDIR, "%s: not a directory", path);
	}
	*ret_fd = fd;
	return 0;
}

#define MNT_SAFE (MS_NOSUID | MS_NODEV | MS_NOEXEC)

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

	(void)snprintf(path, sizeof(path), "/proc/%d/root", (int)j->pid);
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* A procfs of this (the jail's) pid namespace on rel beneath rootfd. */
static int
mount_procfs(int rootfd, const char *rel)
{
	_cleanup_close_ int fd = -1, procfd = -1;
	int r;

	r = resolve_beneath(rootfd, rel, &fd);
	if (r < 0)
		return jail_errctx(r, "mount.procfs");
	r = mnt_at("proc", fd, "proc", MNT_SAFE, NULL);
	if (r < 0)
		return jail_syserr(r, "mount.procfs: %s", rel);
	/* the fresh mount: no jailed process has touched it yet */
	r = resolve_beneath(rootfd, rel, &procfd);
	for (size_t i = 0; r >= 0 && i < nitems(proc_readonly); i++)
		if ((r = bind_ro(procfd, proc_readonly[i])) < 0)
			return jail_syserr(r, "mount.procfs: %s/%s read-only",
			    rel, proc_readonly[i]);
	return r < 0 ? jail_errctx(r, "mount.procfs") : 0;
}

/*
 * A sysfs the host mounted under path (the seeds' linsysfs) stays, but
 * read-only inside the jail: its files are writable by uid 0 by mode
 * alone (uevent_helper would run a host program as root).
 */
static int
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
	return 0;
}

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void
unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++, o++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] != '\0' &&
		    s[3] != '\0') {
			*o = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) |
			    (s[3] - '0'));
			s += 3;
		} else
			*o = *s;
	}
	*o = '\0';
}

/* Whether one of the first n entries of l is s. */
static bool
strv_contains(const struct strv *l, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

/*
 * The mount points of type fstype strictly below path, relative to it,
 * read in one go: mounting while reading mountinfo would chase its tail.
 */
static int
mounts_below(const char *path, const char *fstype, struct strv *ret)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	size_t plen = strcmp(path, "/") == 0 ? 0 : strlen(path);
	char line[8192], mp[PATH_MAX];
	int r = 0;

	if (f == NULL)
		return jail_syserr(-errno, "/proc/self/mountinfo");
	while (r >= 0 && fgets(line, sizeof(line), f) != NULL) {
		char sep[64];

		(void)snprintf(sep, sizeof(sep), " - %s ", fstype);
		if (strstr(line, sep) == NULL ||
		    sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
			continue;
		unescape(mp);
		if (strncmp(mp, path, plen) == 0 && mp[plen] == '/' &&
		    mp[plen + 1] != '\0')
			r = strv_push(ret, mp + plen + 1);
	}
	return r < 0 ? jail_seterr(r, "out of memory") : 0;
}

/*
 * Replace every procfs mounted under path (the seeds mount linprocfs on
 * the host before starting a jail) with one of the jail's pid namespace:
 * the host's would show every host process.  Sets *ret_proc when path's
 * own /proc was among them.
 */
static int
replace_procfs(const char *path, int rootfd, bool *ret_proc)
{
	char full[PATH_MAX];
	struct strv mps = { NULL, 0 };
	int r;

	r = mounts_below(path, "proc", &mps);
	for (size_t i = 0; r >= 0 && i < mps.n; i++) {
		if (strv_contains(&mps, i, mps.v[i]))
			continue;	/* listed twice: host mount and its bind */
		(void)snprintf(full, sizeof(full), "%s/%s",
		    strcmp(path, "/") == 0 ? "" : path, mps.v[i]);
		if (umount2(full, MNT_DETACH) < 0) {
			r = jail_syserr(-errno, "umount %s", full);
			break;
		}
		r = mount_procfs(rootfd, mps.v[i]);
		if (strcmp(mps.v[i], "proc") == 0)
			*ret_proc = true;
	}
	strv_clear(&mps);
	return r;
}

/* Every sysfs mounted under path: read-only for the jail. */
static int
readonly_sysfs(const char *path, int rootfd)
{
	struct strv mps = { NULL, 0 };
	int r = mounts_below(path, "sysfs", &mps);

	for (size_t i = 0; r >= 0 && i < mps.n; i++)
		if (!strv_contains(&mps, i, mps.v[i]))
			r = sysfs_readonly(rootfd, mps.v[i]);
	strv_clear(&mps);
	return r;
}

/*
 * Make path a mount of its own (pivot_root needs one) carrying the host's
 * mounts below it, then mount what the parameters ask for.
 */
int
mnt_setup_root(const struct jail_params *p, const char *path, int *ret_rootfd)
{
	_cleanup_close_ int rootfd = -1;
	bool have_proc = false;
	int r;

	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return jail_syserr(-errno, "bind %s", path);
	rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return jail_syserr(-errno, "path %s", path);
	r = replace_procfs(path, rootfd, &have_proc);
	if (r < 0)
		return r;
	r = readonly_sysfs(path, rootfd);
	if (r < 0)
		return r;
	if (!have_proc && (param_bool(p, P_MOUNT_PROCFS) ||
	    param_bool(p, P_MOUNT_LINPROCFS))) {
		r = mount_procfs(rootfd, "proc");
		if (r < 0)
			return r;
	}
	if (param_bool(p, P_MOUNT_DEVFS)) {
		r = devfs_mount(rootfd);
		if (r < 0)
			return r;
	}
	*ret_rootfd = TAKE_FD(rootfd);
	return 0;
}

/*
 * Make rootfd this process's root: pivot_root(".", ".") stacks the old
 * root on top of the new one, and the lazy unmount detaches it, so no
 * path (and no chroot trick) leads back to the host's tree.
 */
int
mnt_enter_root(int rootfd)
{
	if (fchdir(rootfd) < 0)
		return jail_syserr(-errno, "chdir to jail root");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return jail_syserr(-errno, "pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		return jail_syserr(-errno, "detach old root");
	if (chdir("/") < 0)
		return jail_syserr(-errno, "chdir /");
	return 0;
}
