// SPDX-License-Identifier: BSD-2-Clause
/*
 * hostpath.c: host paths opened by host processes (a jail's init before
 * pivot_root, mount.TYPE) that may run through a directory a jail's root
 * user writes.
 *
 * Owns the walk of such a path from "/": one component at a time, links
 * followed as the kernel would while outside every known tree (their
 * targets are the host's), and from the top of a tree down -- found by
 * device and inode, so a link into a tree is caught too -- the rest
 * resolved with openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS (or one
 * O_NOFOLLOW component at a time without openat2), no ".." allowed.  Also
 * whether a host user can reach a directory (set-user-ID files a jail
 * writes there would run on the host).  Never follows a link inside a
 * tree, never mounts, never prints.
 */
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "fs/fs.h"

#define WALK_LINKS_MAX 40	/* the kernel's MAXSYMLINKS */
#define PROC_ROOT_INO 1

/* One walk: where it is and what it has seen. */
struct walk {
	const struct trees *t;
	unsigned flags;
	const char *given;	/* the path as asked, for plain errors */
	const char *what;	/* "a source", for the refusal */
	char shown[PATH_MAX];	/* where the walk is, as the host says */
	int cur;		/* that directory, O_PATH */
	int links;		/* links followed so far */
	bool strict;		/* at or below a tree's top */
};

/* The refusal of a link (r -ELOOP) or ".." (-EXDEV) at at. */
static int
walk_refuse(const struct walk *w, int r, const char *at)
{
	if ((w->flags & HO_NOLINKS) != 0)
		return r == -ELOOP ?
		    jail_seterr(r, "%s is a symbolic link", at) :
		    jail_seterr(r, "%s/..: \"..\" is refused", at);
	if (r == -ELOOP)
		return jail_seterr(r, "%s: a symbolic link; refusing %s inside "
		    "a jail's root", at, w->what);
	return jail_seterr(r, "%s/..: \"..\"; refusing %s inside a jail's "
	    "root", at, w->what);
}

/* shown with name appended ("/" + name at the top); -ENAMETOOLONG. */
static int
join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s%s%s", dir, strcmp(dir, "/") == 0 ? "" :
	    "/", name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Move the walk to fd (taken), named name below the current directory. */
static int
walk_enter(struct walk *w, int fd, const char *name)
{
	char buf[PATH_MAX];
	struct stat st;

	if (strcmp(name, "..") == 0) {
		char *slash = strrchr(w->shown, '/');

		if (slash != NULL)
			slash[slash == w->shown ? 1 : 0] = '\0';
	} else if (join(buf, sizeof(buf), w->shown, name) < 0) {
		(void)close(fd);
		return jail_seterr(-ENAMETOOLONG, "%s: path too long",
		    w->given);
	} else
		memcpy(w->shown, buf, sizeof(buf));
	(void)close(w->cur);
	w->cur = fd;
	if (fstat(fd, &st) < 0)
		return jail_syserr(-errno, "%s", w->shown);
	w->strict = w->strict || trees_has(w->t, &st);
	return 0;
}

/* Back to "/", for an absolute link target. */
static int
walk_restart(struct walk *w)
{
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			(void)close(fd);
		return jail_syserr(-errno, "/");
	}
	if (w->cur >= 0)
		(void)close(w->cur);
	w->cur = fd;
	(void)snprintf(w->shown, sizeof(w->shown), "/");
	w->strict = (w->flags & HO_NOLINKS) != 0 || trees_has(w->t, &st);
	return 0;
}

/*
 * Outside the trees: follow the link fd (named name in the current
 * directory) by putting its target in front of the rest to walk.  Links
 * of a procfs below its top (/proc/PID/root, fd/N...) are magic: they
 * lead where no path does, and are refused.
 */
static int
walk_link(struct walk *w, int fd, const char *name, char **todo,
    const char *rest)
{
	char target[PATH_MAX], at[PATH_MAX];
	struct statfs sf;
	struct stat st;
	char *next;
	ssize_t n;

	(void)join(at, sizeof(at), w->shown, name);
	if (fstatfs(w->cur, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC &&
	    fstat(w->cur, &st) == 0 && st.st_ino != PROC_ROOT_INO)
		return jail_seterr(-ELOOP, "%s: a link of /proc; refusing %s "
		    "through it", at, w->what);
	if (++w->links > WALK_LINKS_MAX)
		return jail_syserr(-ELOOP, "%s", w->given);
	n = readlinkat(fd, "", target, sizeof(target) - 1);
	if (n < 0)
		return jail_syserr(-errno, "%s", at);
	target[n] = '\0';
	if (asprintf(&next, "%s/%s", target, rest) < 0)
		return jail_seterr(-ENOMEM, "out of memory");
	free(*todo);
	*todo = next;
	return target[0] == '/' ? walk_restart(w) : 0;
}

/* The next component of *p (NUL-terminated in place), or NULL. */
static char *
next_name(char **p)
{
	char *c = *p + strspn(*p, "/"), *end;

	if (*c == '\0')
		return NULL;
	end = c + strcspn(c, "/");
	*p = *end != '\0' ? end + 1 : end;
	*end = '\0';
	return c;
}

/* Whether rest (relative) has a ".." component. */
static bool
has_dotdot(const char *rest)
{
	for (const char *c = rest; (c = strstr(c, "..")) != NULL; c += 2)
		if ((c == rest || c[-1] == '/') &&
		    (c[2] == '/' || c[2] == '\0'))
			return true;
	return false;
}

/* openat2, unless the test suite acts as an older kernel (features.c). */
static bool
openat2_allowed(void)
{
	return !test_switch("GAOL_FORCE_NOOPENAT2");
}

/*
 * Inside a tree: rest, one O_NOFOLLOW component at a time, no "..".
 * Also what names the link after openat2 refused one.
 */
static int
strict_walk(struct walk *w, char *rest, int *ret_fd)
{
	char *p = rest, *c;
	int r;

	while ((c = next_name(&p)) != NULL) {
		struct stat st;
		int fd;

		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0)
			return walk_refuse(w, -EXDEV, w->shown);
		fd = openat(w->cur, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return jail_syserr(-errno, "%s", w->given);
		if (fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
			char at[PATH_MAX];

			(void)close(fd);
			(void)join(at, sizeof(at), w->shown, c);
			return walk_refuse(w, -ELOOP, at);
		}
		if ((r = walk_enter(w, fd, c)) < 0)
			return r;
	}
	*ret_fd = TAKE_FD(w->cur);
	return 0;
}

/* From a tree's top (w->cur) down: rest with no link and no "..". */
static int
walk_strict(struct walk *w, char *rest, int *ret_fd)
{
	_cleanup_free_ char *copy = strdup(rest);
	int fd;

	if (copy == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	if (rest[strspn(rest, "/")] == '\0' || has_dotdot(rest) ||
	    !openat2_allowed())
		return strict_walk(w, rest, ret_fd);
	fd = openat2_fd(w->cur, rest, O_PATH, 0, RESOLVE_BENEATH |
	    RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	if (fd >= 0) {
		*ret_fd = fd;
		return 0;
	}
	if (fd == -ELOOP || fd == -EXDEV || fd == -ENOSYS)
		return strict_walk(w, copy, ret_fd);
	return jail_syserr(fd, "%s", w->given);
}

/* The walk proper: w->cur is "/", todo the path without its "/". */
static int
walk_run(struct walk *w, char **todo, int *ret_fd, bool *ret_inside)
{
	char *p = *todo, *c;
	int r;

	while (!w->strict && (c = next_name(&p)) != NULL) {
		struct stat st;
		int fd;

		if (strcmp(c, ".") == 0)
			continue;
		fd = openat(w->cur, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0) {
			if (fd >= 0)
				(void)close(fd);
			return jail_syserr(-errno, "%s", w->given);
		}
		if (S_ISLNK(st.st_mode)) {
			r = walk_link(w, fd, c, todo, p);
			(void)close(fd);
			if (r < 0)
				return r;
			p = *todo;
			continue;
		}
		if ((r = walk_enter(w, fd, c)) < 0)
			return r;
	}
	*ret_inside = w->strict && p[strspn(p, "/")] != '\0';
	if (w->strict)
		return walk_strict(w, p, ret_fd);
	*ret_fd = TAKE_FD(w->cur);
	return 0;
}

int
host_open(const struct trees *t, const char *path, unsigned flags,
    const char *what, int *ret_fd, bool *ret_inside)
{
	static const struct trees none = TREES_INIT;
	struct walk w = { .t = t != NULL ? t : &none, .flags = flags,
		.given = path, .what = what, .cur = -1 };
	_cleanup_free_ char *todo = NULL;
	bool inside = false;
	int fd = -1, r;

	if (path[0] != '/')
		return jail_seterr(-EINVAL, "%s: not an absolute path", path);
	todo = strdup(path);
	if (todo == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	r = walk_restart(&w);
	if (r >= 0)
		r = walk_run(&w, &todo, &fd, &inside);
	if (w.cur >= 0)
		(void)close(w.cur);
	if (r < 0)
		return r;
	if (ret_inside != NULL)
		*ret_inside = inside;
	*ret_fd = fd;
	return 0;
}

/*
 * A host file to read (mount.fstab) as a stream: opened as host_open
 * does, refused if it lies inside a jail's root (whose root user writes
 * it) or is not a regular file (a FIFO would block the reader).
 */
int
host_open_file(const struct trees *t, const char *path, FILE **ret)
{
	_cleanup_close_ int fd = -1, rd = -1;
	bool inside = false;
	char link[64];
	struct stat st;
	int r;

	r = host_open(t, path, t == NULL ? HO_NOLINKS : 0, "a file", &fd,
	    &inside);
	if (r < 0)
		return r;
	if (inside)
		return jail_seterr(-EPERM, "%s: inside a jail's root, which "
		    "its root user writes; keep it outside every jail's path",
		    path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return jail_seterr(-EINVAL, "%s: not a regular file", path);
	(void)snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	rd = open(link, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (rd < 0)
		return jail_syserr(-errno, "%s", path);
	*ret = fdopen(rd, "re");
	if (*ret == NULL)
		return jail_syserr(-errno, "%s", path);
	(void)TAKE_FD(rd);	/* the stream owns it now */
	return 0;
}

/* Whether users other than root may search the directory st describes. */
static bool
searchable(const struct stat *st)
{
	return st->st_uid != 0 || (st->st_mode & S_IXOTH) != 0 ||
	    (st->st_gid != 0 && (st->st_mode & S_IXGRP) != 0);
}

/* Whether users other than root may search every directory down to real. */
static bool
chain_searchable(const char *real)
{
	char prefix[PATH_MAX];
	size_t len = strlen(real);
	struct stat st;

	if (stat("/", &st) < 0 || !searchable(&st))
		return false;
	for (size_t i = 1; i <= len && i < sizeof(prefix); i++) {
		if (real[i] != '/' && real[i] != '\0')
			continue;
		memcpy(prefix, real, i);
		prefix[i] = '\0';
		if (stat(prefix, &st) < 0 || !searchable(&st))
			return false;
	}
	return true;
}

int
host_reachable(const char *dir, bool *ret, char *fix, size_t len)
{
	char real[PATH_MAX];
	struct statvfs vfs;
	char *slash;

	if (realpath(dir, real) == NULL || statvfs(real, &vfs) < 0)
		return jail_syserr(-errno, "%s", dir);
	/* nosuid: the kernel ignores set-user-ID bits and file capabilities */
	*ret = (vfs.f_flag & ST_NOSUID) == 0 && chain_searchable(real);
	slash = strrchr(real, '/');
	if (slash != NULL)
		slash[slash == real ? 1 : 0] = '\0';
	(void)snprintf(fix, len, "%s", real);
	return 0;
}
