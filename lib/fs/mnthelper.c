// SPDX-License-Identifier: BSD-2-Clause
/*
 * mnthelper.c: mount.TYPE, FreeBSD's jail file system types mounted on
 * a host directory by mount(8) (util-linux runs /sbin/mount.TYPE).
 *
 * Owns what each type means on Linux: devfs is devfs.c's tmpfs of device
 * nodes, linprocfs a procfs, linsysfs a sysfs, nullfs a bind mount (not
 * recursive), fdescfs nothing at all (Linux's /dev/fd is a link to
 * /proc/self/fd).  The mount point must be an existing directory reached
 * through no symbolic link at all, and is opened once; every mount goes
 * onto that descriptor.  A nullfs source is opened as jail(8) opens one
 * (hostpath.c): no link followed inside a jail's root.  Both are checked
 * as mount(8) was given them, not as it resolved them (as_written).
 * Mounts only what it is asked, in the caller's mount namespace (or
 * -N's); never prints, never exits.
 */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "fs/fs.h"

struct helper_ctx {
	const struct mnt_helper_req *rq;
	const struct mnt_opts *o;
	int fd;		/* the mount point, O_PATH */
	int src;	/* nullfs: the source, O_PATH */
};

/* devfs: ruleset=N, or none (everything visible), as FreeBSD's. */
static int
helper_devfs(const struct helper_ctx *c)
{
	return devfs_mount_at(c->fd,
	    c->o->ruleset >= 0 ? (unsigned)c->o->ruleset : 0, c->o->flags);
}

static int
helper_linprocfs(const struct helper_ctx *c)
{
	int r = mnt_at(c->rq->spec, c->fd, "proc", c->o->flags, c->o->data);

	return r < 0 ? jail_syserr(r, "%s", c->rq->dir) : 0;
}

static int
helper_linsysfs(const struct helper_ctx *c)
{
	int r = mnt_at(c->rq->spec, c->fd, "sysfs", c->o->flags, NULL);

	return r < 0 ? jail_syserr(r, "%s", c->rq->dir) : 0;
}

static int
helper_nullfs(const struct helper_ctx *c)
{
	return mnt_bind(c->rq->spec, c->src, c->fd, c->o->flags);
}

static const struct {
	const char *type;
	int (*fn)(const struct helper_ctx *c);
} helpers[] = {
	{ "devfs", helper_devfs },
	{ "linprocfs", helper_linprocfs },
	{ "linsysfs", helper_linsysfs },
	{ "nullfs", helper_nullfs },
};

/* -N: a pid (its mount namespace) or a namespace file. */
static int
enter_ns(const char *ns)
{
	_cleanup_close_ int fd = -1;
	char path[64];

	if (strspn(ns, "0123456789") == strlen(ns) && *ns != '\0') {
		(void)snprintf(path, sizeof(path), "/proc/%s/ns/mnt", ns);
		ns = path;
	}
	fd = open(ns, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNS) < 0)
		return jail_syserr(-errno, "namespace %s", ns);
	return 0;
}

/*
 * fdescfs: nothing to mount.  mount(8) hands over the canonical path, so
 * /dev/fd arrives as /proc/PID/fd: fine, as is a link to /proc/self/fd
 * or a devfs to make one in; anything else is refused.
 */
static int
helper_fdescfs(const struct mnt_helper_req *rq)
{
	_cleanup_free_ char *parent = strdup(rq->dir);
	_cleanup_close_ int fd = -1;
	char *slash;

	if (parent == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	slash = strrchr(parent, '/');
	if (slash == NULL || slash[1] == '\0')
		return jail_seterr(-EINVAL, "%s: Linux has no fdescfs, and "
		    "this is not a link to /proc/self/fd", rq->dir);
	*slash = '\0';
	fd = open(slash == parent ? "/" : parent,
	    O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return jail_syserr(-errno, "%s", rq->dir);
	if (rq->fake)
		return 0;
	return mnt_fdescfs_at(fd, slash + 1, rq->dir);
}

/* The command line of pid (NUL-separated words), when it is mount(8). */
static int
mount_cmdline(pid_t pid, char *buf, size_t len, size_t *ret_len)
{
	_cleanup_close_ int fd = -1;
	char path[64], exe[PATH_MAX];
	const char *base;
	ssize_t n;

	(void)snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n < 0)
		return -errno;
	exe[n] = '\0';
	base = strrchr(exe, '/') != NULL ? strrchr(exe, '/') + 1 : exe;
	if (strcmp(base, "mount") != 0)
		return -ESRCH;
	(void)snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, len - 1);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	*ret_len = (size_t)n;
	return 0;
}

/* arg (absolute, or relative to cwd) made absolute into ret, malloc'd. */
static int
absolute(const char *arg, const char *cwd, char **ret)
{
	int n = arg[0] == '/' ? asprintf(ret, "%s", arg) :
	    asprintf(ret, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, arg);

	return n < 0 ? jail_seterr(-ENOMEM, "out of memory") : 0;
}

/*
 * The word of mount(8)'s command line that names what got names (the
 * last such word, or the first: a nullfs source comes before its mount
 * point), made absolute; got itself when there is none.
 */
static int
pick_written(const char *got, const char *words, size_t len, bool last,
    pid_t pid, char **ret)
{
	_cleanup_close_ int cwdfd = -1;
	char cwd[PATH_MAX], path[64];
	const char *pick = NULL;
	struct stat want, st;
	ssize_t n;

	(void)snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	cwdfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	n = readlink(path, cwd, sizeof(cwd) - 1);
	if (cwdfd < 0 || n < 0 || stat(got, &want) < 0)
		return absolute(got, "/", ret);
	cwd[n] = '\0';
	/* the first word is mount itself; options start with '-' */
	for (size_t i = strlen(words) + 1; i < len; i += strlen(words + i) + 1)
		if (words[i] != '-' && words[i] != '\0' &&
		    fstatat(cwdfd, words + i, &st, 0) == 0 &&
		    st.st_dev == want.st_dev && st.st_ino == want.st_ino &&
		    (pick == NULL || last))
			pick = words + i;
	return absolute(pick != NULL ? pick : got, cwd, ret);
}

/*
 * What the caller wrote for got.  mount(8) resolves links before it runs
 * its helper, so a jail that made $ROOT/proc a link to /etc would have
 * it hand over /etc; its own command line still says $ROOT/proc.  Run
 * directly, or by "mount --no-canonicalize", got is as written.
 */
static int
as_written(const char *got, bool last, char **ret)
{
	_cleanup_free_ char *words = malloc(65536);
	size_t len = 0;
	pid_t pp = getppid();

	if (words == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	if (got[0] != '/' || mount_cmdline(pp, words, 65536, &len) < 0)
		return absolute(got, "/", ret);
	return pick_written(got, words, len, last, pp, ret);
}

/*
 * The mount point: an existing directory, reached through no symbolic
 * link, as written: a jail's root user may have made any directory of
 * its root a link to one of the host's, which the mount would cover.
 */
static int
open_target(const char *dir, int *ret_fd)
{
	_cleanup_free_ char *written = NULL;
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	if (dir[0] != '/')
		return jail_seterr(-EINVAL, "%s: not an absolute path", dir);
	r = as_written(dir, true, &written);
	if (r >= 0)
		r = host_open(NULL, written, HO_NOLINKS, "a mount point", &fd,
		    NULL);
	if (r < 0)
		return r;
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))
		return jail_syserr(-ENOTDIR, "%s", dir);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/* nullfs's source, as written, through the trees gaol knows. */
static int
open_source(const char *spec, int *ret_fd)
{
	_cleanup_(trees_clear) struct trees t = TREES_INIT;
	_cleanup_free_ char *written = NULL;
	int r;

	if (spec[0] != '/')
		return jail_seterr(-EINVAL, "%s: not an absolute path", spec);
	r = trees_collect(NULL, NULL, &t);
	if (r >= 0)
		r = as_written(spec, false, &written);
	return r < 0 ? r : host_open(&t, written, 0, "a source", ret_fd, NULL);
}

/* mount -t TYPE SPEC DIR: one mount, as mount.TYPE does it. */
int
mnt_helper(const struct mnt_helper_req *rq)
{
	struct mnt_opts o = MNT_OPTS_INIT;
	struct helper_ctx c = { rq, &o, -1, -1 };
	int r = 0;

	if (rq->ns != NULL)
		r = enter_ns(rq->ns);
	if (r >= 0)
		r = mnt_opts_parse(rq->type, rq->opts, rq->sloppy, &o);
	if (r >= 0 && strcmp(rq->type, "fdescfs") == 0)
		r = helper_fdescfs(rq);
	else if (r >= 0)
		r = open_target(rq->dir, &c.fd);
	if (r >= 0 && strcmp(rq->type, "nullfs") == 0)
		r = open_source(rq->spec, &c.src);
	for (size_t i = 0; r >= 0 && c.fd >= 0 && !rq->fake &&
	     i < nitems(helpers); i++)
		if (strcmp(rq->type, helpers[i].type) == 0)
			r = helpers[i].fn(&c);
	if (c.fd >= 0)
		(void)close(c.fd);
	if (c.src >= 0)
		(void)close(c.src);
	mnt_opts_clear(&o);
	return r;
}
