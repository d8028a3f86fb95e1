/*
 * mnthelper.c: mount.TYPE, FreeBSD's jail file system types mounted on
 * a host directory by mount(8) (util-linux runs /sbin/mount.TYPE).
 *
 * Owns what each type means on Linux: devfs is devfs.c's tmpfs of device
 * nodes, linprocfs a procfs, linsysfs a sysfs, nullfs a bind mount (not
 * recursive), fdescfs nothing at all (Linux's /dev/fd is a link to
 * /proc/self/fd).  The mount point must be an existing directory and is
 * opened once, with no symlink followed at its end; every mount goes onto
 * that descriptor.  Mounts only what it is asked, in the caller's mount
 * namespace (or -N's); never prints, never exits.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "devfs.h"
#include "jail-int.h"

struct helper_ctx {
	const struct mnt_helper_req *rq;
	const struct mnt_opts *o;
	int fd;		/* the mount point, O_PATH */
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
	return mnt_bind(c->rq->spec, c->fd, c->o->flags);
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

/* The mount point: an existing directory, not a symlink. */
static int
open_dir(const char *dir, int *ret_fd)
{
	int fd = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0 && lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
		return jail_seterr(-ELOOP, "%s is a symbolic link", dir);
	if (fd < 0)
		return jail_syserr(-errno, "%s", dir);
	*ret_fd = fd;
	return 0;
}

/* mount -t TYPE SPEC DIR: one mount, as mount.TYPE does it. */
int
mnt_helper(const struct mnt_helper_req *rq)
{
	struct mnt_opts o = MNT_OPTS_INIT;
	struct helper_ctx c = { rq, &o, -1 };
	int r = 0;

	if (rq->ns != NULL)
		r = enter_ns(rq->ns);
	if (r >= 0)
		r = mnt_opts_parse(rq->type, rq->opts, rq->sloppy, &o);
	if (r >= 0 && strcmp(rq->type, "fdescfs") == 0)
		r = helper_fdescfs(rq);
	else if (r >= 0)
		r = open_dir(rq->dir, &c.fd);
	for (size_t i = 0; r >= 0 && c.fd >= 0 && !rq->fake &&
	     i < nitems(helpers); i++)
		if (strcmp(rq->type, helpers[i].type) == 0)
			r = helpers[i].fn(&c);
	if (c.fd >= 0)
		(void)close(c.fd);
	mnt_opts_clear(&o);
	return r;
}
