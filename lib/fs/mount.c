// SPDX-License-Identifier: BSD-2-Clause
/*
 * mount.c: the jail's root and the filesystems mounted into it, built by
 * the jail's init inside its own (private) mount namespace.
 *
 * Owns the bind of path onto itself, nullfs binds, fdescfs's Linux
 * stand-in, the order of the mount.* parameters, the switch into the root
 * with pivot_root(2) and the detach of the old root (procfs and sysfs as
 * a jail sees them: procsys.c).  Every
 * mount point inside the root is resolved beneath it with no symlink
 * followed (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS): a jail's root
 * user controls those paths and must not redirect a mount onto the host.
 * Nothing here ever touches the host's mount namespace.
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
#include <sys/syscall.h>

#include "fs/fs.h"
#include "mount-int.h"

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
	struct stat st;

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
		/* O_PATH|O_NOFOLLOW opens a symlink itself: refuse it */
		if (fstat(cur, &st) < 0)
			return -errno;
		if (S_ISLNK(st.st_mode))
			return -ELOOP;
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
 * openat2 (or with the test switch GAOL_FORCE_NOOPENAT2, features.c)
 * the path is walked one O_NOFOLLOW component at a time instead.
 */
int
resolve_beneath(int rootfd, const char *path, int *ret_fd)
{
	struct stat st;
	int fd = -ENOSYS;

	if (!test_switch("GAOL_FORCE_NOOPENAT2"))
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


static void
mount_attrs(unsigned long flags, struct mount_attr *ret)
{
	static const struct {
		unsigned long ms;
		uint64_t attr;
	} map[] = {
		{ MS_RDONLY, MOUNT_ATTR_RDONLY },
		{ MS_NOSUID, MOUNT_ATTR_NOSUID },
		{ MS_NODEV, MOUNT_ATTR_NODEV },
		{ MS_NOEXEC, MOUNT_ATTR_NOEXEC },
		{ MS_NODIRATIME, MOUNT_ATTR_NODIRATIME },
		{ MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW },
		{ MS_NOATIME, MOUNT_ATTR_NOATIME },
		{ MS_STRICTATIME, MOUNT_ATTR_STRICTATIME },
	};

	for (size_t i = 0; i < nitems(map); i++)
		if (flags & map[i].ms)
			ret->attr_set |= map[i].attr;
	if (flags & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME))
		ret->attr_clr |= MOUNT_ATTR__ATIME;
}

/*
 * nullfs: a bind of the host's src, opened as srcfd (O_PATH, by
 * host_open: no link a jail planted followed), not recursive, as
 * FreeBSD's nullfs, on the directory fd refers to.  The copy gets its
 * attributes (ro ...) while still detached, so it is never visible
 * writable.
 */
int
mnt_bind(const char *src, int srcfd, int fd, unsigned long flags)
{
	_cleanup_close_ int tree = -1;
	struct mount_attr attr = { 0 };

	tree = open_tree(srcfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
	    AT_EMPTY_PATH);
	if (tree < 0)
		return jail_syserr(-errno, "%s", src);
	mount_attrs(flags, &attr);
	if ((attr.attr_set | attr.attr_clr) != 0 &&
	    mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
		return jail_syserr(-errno, "%s: mount attributes", src);
	if (move_mount(tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH |
		MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return jail_syserr(-errno, "nullfs %s", src);
	return 0;
}

struct root_of {
	uint64_t id;
	const char *type, *src, *here;
	bool is;
};

static int
root_of_one(const struct mnt_info *m, void *arg)
{
	struct root_of *q = arg;

	if (m->id != q->id)
		return 0;
	q->is = strcmp(m->fstype, q->type) == 0 &&
	    strcmp(m->source, q->src) == 0 && strcmp(m->mp, q->here) == 0;
	return 1;
}

/*
 * Whether the directory fd refers to is the root of a mount of file
 * system type type and source src, as this namespace's mountinfo says
 * (its mount point, not a directory below it).
 */
bool
mnt_is_root_of(int fd, const char *type, const char *src)
{
	char link[64], here[PATH_MAX];
	struct root_of q = { .id = mnt_id_of(fd), .type = type, .src = src,
		.here = here };
	ssize_t n;

	(void)snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, here, sizeof(here) - 1);
	if (n < 0 || q.id == 0)
		return false;
	here[n] = '\0';
	(void)mnt_info_each(AT_FDCWD, "/proc/self/mountinfo", root_of_one, &q);
	return q.is;
}

/* Is name beneath dirfd a link to /proc/self/fd, or a procfs fd dir? */
static bool
is_fd_dir(int dirfd, const char *name)
{
	_cleanup_close_ int fd = -1;
	char target[32];
	struct statfs sf;
	ssize_t n;

	n = readlinkat(dirfd, name, target, sizeof(target));
	if (n == (ssize_t)strlen("/proc/self/fd") &&
	    memcmp(target, "/proc/self/fd", (size_t)n) == 0)
		return true;
	if (strcmp(name, "fd") != 0)
		return false;
	fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	/* a process's own fd directory: procfs, with fdinfo next to it */
	return fd >= 0 && fstatfs(fd, &sf) == 0 &&
	    sf.f_type == PROC_SUPER_MAGIC &&
	    faccessat(dirfd, "fdinfo", F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

/*
 * fdescfs: Linux has none; its /dev/fd is a link to /proc/self/fd,
 * which lists each process's own descriptors.  So name beneath dirfd
 * (shown as shown) is fine as such a link or a process's fd directory,
 * is made a link in a devfs, and is an error anywhere else.
 */
int
mnt_fdescfs_at(int dirfd, const char *name, const char *shown)
{
	if (is_fd_dir(dirfd, name))
		return 0;
	if (faccessat(dirfd, name, F_OK, AT_SYMLINK_NOFOLLOW) < 0 &&
	    errno == ENOENT && devfs_is(dirfd)) {
		if (symlinkat("/proc/self/fd", dirfd, name) < 0)
			return jail_syserr(-errno, "%s", shown);
		return 0;
	}
	return jail_seterr(-EOPNOTSUPP, "%s: Linux has no fdescfs, and this "
	    "is not a link to /proc/self/fd", shown);
}

/* fdescfs on rel beneath rootfd (mount.fdescfs: "dev/fd"). */
int
mnt_fdescfs(int rootfd, const char *rel)
{
	_cleanup_free_ char *dir = strdup(rel);
	_cleanup_close_ int fd = -1;
	char *slash;
	int r;

	if (dir == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	r = resolve_beneath(rootfd, slash != NULL ? dir : ".", &fd);
	if (r < 0)
		return r;
	return mnt_fdescfs_at(fd, slash != NULL ? slash + 1 : dir, rel);
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

/* The procfs and sysfs mount points strictly below a path. */
struct below {
	const char *path;
	size_t plen;
	struct strv proc, sys;
};

static int
below_one(const struct mnt_info *m, void *arg)
{
	struct below *q = arg;
	struct strv *v = strcmp(m->fstype, "proc") == 0 ? &q->proc :
	    strcmp(m->fstype, "sysfs") == 0 ? &q->sys : NULL;

	if (v == NULL || strncmp(m->mp, q->path, q->plen) != 0 ||
	    m->mp[q->plen] != '/' || m->mp[q->plen + 1] == '\0')
		return 0;
	return strv_push(v, m->mp + q->plen + 1) < 0
	    ? jail_seterr(-ENOMEM, "out of memory") : 0;
}

/*
 * Those of path, relative to it, read in one go: mounting while reading
 * mountinfo would chase its tail.
 */
static int
mounts_below(const char *path, struct below *ret)
{
	*ret = (struct below){ .path = path,
		.plen = strcmp(path, "/") == 0 ? 0 : strlen(path) };
	return mnt_info_each(AT_FDCWD, "/proc/self/mountinfo", below_one,
	    ret);
}

/*
 * Replace every procfs mounted under path (the seeds mount linprocfs on
 * the host before starting a jail) with one of the jail's pid namespace:
 * the host's would show every host process.  Sets *ret_proc when path's
 * own /proc was among them.
 */
static int
replace_procfs(const char *path, int rootfd, const struct strv *mps,
    bool *ret_proc)
{
	char full[PATH_MAX];
	int r = 0;

	for (size_t i = 0; r >= 0 && i < mps->n; i++) {
		if (strv_contains(mps, i, mps->v[i]))
			continue;	/* listed twice: host mount and its bind */
		(void)snprintf(full, sizeof(full), "%s/%s",
		    strcmp(path, "/") == 0 ? "" : path, mps->v[i]);
		if (umount2(full, MNT_DETACH) < 0) {
			r = jail_syserr(-errno, "umount %s", full);
			break;
		}
		r = mount_procfs(rootfd, mps->v[i]);
		if (strcmp(mps->v[i], "proc") == 0)
			*ret_proc = true;
	}
	return r;
}

/*
 * A vnet jail's sysfs: the host's shows the host's network devices (a
 * sysfs shows the network namespace of whoever mounted it), so rel's is
 * replaced by one mounted here, in the jail's namespace, read-only and
 * masked as any other.
 */
static int
sysfs_replace(const char *path, int rootfd, const char *rel)
{
	char full[PATH_MAX];
	int r;

	(void)snprintf(full, sizeof(full), "%s/%s",
	    strcmp(path, "/") == 0 ? "" : path, rel);
	if (umount2(full, MNT_DETACH) < 0)
		return jail_syserr(-errno, "umount %s", full);
	r = mnt_sysfs("sysfs", rootfd, rel, MS_NOSUID | MS_NODEV | MS_NOEXEC);
	return r < 0 ? jail_errctx(r, "sysfs") : 0;
}

/* Whether rel lies strictly below one of l's. */
static bool
below_any(const struct strv *l, const char *rel)
{
	for (size_t i = 0; i < l->n; i++) {
		size_t n = strlen(l->v[i]);

		if (strncmp(rel, l->v[i], n) == 0 && rel[n] == '/')
			return true;
	}
	return false;
}

/*
 * Every sysfs mounted under path: read-only, and the jail's own (vnet).
 * One below a procfs the jail's replaced went with it.
 */
static int
inherited_sysfs(const struct jail_params *p, const char *path, int rootfd,
    const struct strv *mps, const struct strv *procs)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < mps->n; i++) {
		/* listed twice (host mount and its bind), or gone */
		if (strv_contains(mps, i, mps->v[i]) ||
		    below_any(procs, mps->v[i]))
			continue;
		r = vnet_new(p) ? sysfs_replace(path, rootfd, mps->v[i]) :
		    sysfs_readonly(rootfd, mps->v[i]);
	}
	return r;
}

/*
 * What the host mounted under path comes along (the bind is recursive),
 * but a procfs of the host's is replaced and a sysfs made read-only (or,
 * for a vnet jail, replaced).
 */
static int
mount_inherited(const struct jail_params *p, const char *path, int rootfd,
    bool *ret_proc)
{
	struct below b;
	int r = mounts_below(path, &b);

	if (r >= 0)
		r = replace_procfs(path, rootfd, &b.proc, ret_proc);
	if (r >= 0)
		r = inherited_sysfs(p, path, rootfd, &b.sys, &b.proc);
	strv_clear(&b.proc);
	strv_clear(&b.sys);
	return r;
}

/*
 * A devfs for the jail on fd: ruleset (an fstab line's ruleset=, or -1),
 * else the jail's devfs_ruleset, else devfsrules_jail, as FreeBSD's
 * jail(8).  Ruleset 0, which FreeBSD allows, would give the jail every
 * node of the host -- its disks and memory among them: refused.
 */
int
mnt_jail_devfs(const struct jail_params *p, int fd, int ruleset,
    unsigned long flags)
{
	if (ruleset < 0)
		ruleset = param_isset(p, P_DEVFS_RULESET) ?
		    (int)param_int(p, P_DEVFS_RULESET) : DEVFS_RULESET_JAIL;
	if (ruleset == 0)
		return jail_seterr(-EINVAL, "devfs ruleset 0 would show the "
		    "jail every device of the host; give it a ruleset "
		    "(4: devfsrules_jail)");
	return devfs_mount_at(fd, (unsigned)ruleset, flags);
}

/* mount.devfs: a devfs on the root's dev, with the jail's ruleset. */
static int
mount_devfs(const struct jail_params *p, int rootfd)
{
	_cleanup_close_ int fd = -1;
	int r;

	r = resolve_beneath(rootfd, "dev", &fd);
	if (r < 0)
		return jail_errctx(r, "mount.devfs");
	r = mnt_jail_devfs(p, fd, -1, 0);
	return r < 0 ? jail_errctx(r, "mount.devfs") : 0;
}

/*
 * The mount.* parameters in FreeBSD's order: mount and mount.fstab, then
 * mount.devfs, mount.fdescfs, mount.procfs.  An fstab line may mount on
 * path itself: rootfd is then reopened, to be the top of the stack.
 */
static int
mount_params(const struct jail_params *p, const char *path, bool have_proc,
    int *rootfd)
{
	int r = mnt_fstab(p, *rootfd);

	if (r < 0)
		return r;
	(void)close(*rootfd);
	*rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*rootfd < 0)
		return jail_syserr(-errno, "path %s", path);
	if (param_bool(p, P_MOUNT_DEVFS) && (r = mount_devfs(p, *rootfd)) < 0)
		return r;
	if (param_bool(p, P_MOUNT_FDESCFS) &&
	    (r = mnt_fdescfs(*rootfd, "dev/fd")) < 0)
		return jail_errctx(r, "mount.fdescfs");
	if (!have_proc && (param_bool(p, P_MOUNT_PROCFS) ||
	    param_bool(p, P_MOUNT_LINPROCFS)))
		return mount_procfs(*rootfd, "proc");
	return 0;
}

/*
 * The jail's path, O_PATH, as the host names it but never through a link
 * in a tree a jail writes (trees.h): a jail whose tree holds this path,
 * or a directory above it, cannot swap in a link to a host directory
 * between jail -c's check and this open, nor between the opens below.
 */
static int
root_open(const char *path, int *ret)
{
	int r = host_open(trees_current(), path, 0, "a jail's path", ret,
	    NULL);
	struct stat st;

	if (r >= 0 && (fstat(*ret, &st) < 0 || !S_ISDIR(st.st_mode))) {
		(void)close(*ret);
		*ret = -1;
		r = jail_seterr(-ENOTDIR, "path %s: not a directory", path);
	}
	return r;
}

/*
 * Bind path onto itself (with what the host mounted below it), the
 * directory root_open found, and open the mount made: the same
 * directory, now a mount of its own.
 */
static int
root_bind(const char *path, int *ret)
{
	_cleanup_close_ int fd = -1;
	char self[64];
	struct stat a, b;
	int r = root_open(path, &fd);

	if (r < 0)
		return r;
	(void)snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	r = mnt_at(self, fd, NULL, MS_BIND | MS_REC, NULL);
	if (r < 0)
		return jail_syserr(r, "bind %s", path);
	r = root_open(path, ret);
	if (r >= 0 && (fstat(fd, &a) < 0 || fstat(*ret, &b) < 0 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino)) {
		(void)close(*ret);
		*ret = -1;
		r = jail_seterr(-ESTALE, "path %s: changed while being mounted",
		    path);
	}
	return r;
}

/*
 * Make path a mount of its own (pivot_root needs one) carrying the host's
 * mounts below it, then mount what the parameters ask for.  A thin
 * jail's overlay goes on path first; what the host mounted below path
 * then lies beneath it, out of the jail's reach, and is left alone.
 */
int
mnt_setup_root(const struct jail_params *p, const char *path, int *ret_rootfd)
{
	_cleanup_close_ int rootfd = -1;
	bool have_proc = false;
	int r;

	r = root_bind(path, &rootfd);
	if (r < 0)
		return r;
	r = mnt_fstab_root(p, rootfd);
	if (r > 0) {
		(void)close(rootfd);
		rootfd = -1;
		r = root_open(path, &rootfd);
	} else if (r == 0)
		r = mount_inherited(p, path, rootfd, &have_proc);
	if (r >= 0)
		r = mount_params(p, path, have_proc, &rootfd);
	if (r >= 0)	/* whatever came in: no writable kernel interface */
		r = mnt_kernfs_check(path, rootfd);
	if (r < 0)
		return r;
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
