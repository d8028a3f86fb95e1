// SPDX-License-Identifier: BSD-2-Clause
/*
 * jidfile.c: opening jail -J's file, which jail(8) writes as root before
 * the jail exists (FreeBSD opens it first, truncated, 0666 less the
 * umask, and so does gaol).
 *
 * Where the file lies below the path of a jail (the one being created,
 * or one running), the jail's root user owns the directories on the way
 * and may have left a symbolic link in any of them -- to a host file,
 * which root's write would truncate -- or a FIFO, on which an open for
 * writing would wait for a reader forever.  So the part below that path
 * is resolved beneath it with no symbolic link and no ".." out of it
 * (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, as exec.consolelog
 * is), the file itself is never followed if it is a link, and anything
 * but a regular file is refused before it is opened for writing: no
 * FIFO waits, no device sees an open.  A path elsewhere keeps FreeBSD's
 * meaning, the host's own links followed, the file itself not.
 *
 * Owns that choice; must never write a byte, nor create a file anywhere
 * but at the path given.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jail/life.h"

/* What a file is, in a refusal: "a FIFO, not a regular file". */
static const char *
file_kind(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link, not a regular file";
	if (S_ISFIFO(m))
		return "a FIFO, not a regular file";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device, not a regular file";
	if (S_ISSOCK(m))
		return "a socket, not a regular file";
	if (S_ISDIR(m))
		return "a directory, not a regular file";
	return "not a regular file";
}

/*
 * The regular file name below dirfd, existing, opened for writing: the
 * very inode checked, reopened through its O_PATH descriptor, so that a
 * FIFO or a device put there meanwhile is never opened.  Without /proc,
 * opened again by name and checked to be the same.
 */
static int
reopen_regular(int dirfd, const char *name, const char *path)
{
	_cleanup_close_ int pfd = -1;
	struct stat st, now;
	char proc[64];
	int fd;

	pfd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0 || fstat(pfd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return jail_seterr(-EINVAL, "open %s: %s", path,
		    file_kind(st.st_mode));
	(void)snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		fd = openat(dirfd, name, O_WRONLY | O_NOFOLLOW | O_NONBLOCK |
		    O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return jail_syserr(-errno, "open %s", path);
	if (fstat(fd, &now) < 0 || now.st_dev != st.st_dev ||
	    now.st_ino != st.st_ino) {
		(void)close(fd);
		return jail_seterr(-EAGAIN, "open %s: replaced while opened",
		    path);
	}
	return fd;
}

/*
 * name below dirfd, as -J wants it: made (0666 less the umask) if it is
 * not there, else the regular file truncated.  A name that comes and goes
 * meanwhile is tried again, a few times.
 */
static int
open_at(int dirfd, const char *name, const char *path)
{
	int fd = -ENOENT;

	for (int tries = 0; tries < 4 && fd == -ENOENT; tries++) {
		fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			return jail_syserr(-errno, "open %s", path);
		fd = reopen_regular(dirfd, name, path);
	}
	if (fd == -ENOENT)
		return jail_syserr(fd, "open %s", path);
	if (fd >= 0 && (ftruncate(fd, 0) < 0 ||
	    fcntl(fd, F_SETFL, 0) < 0)) {	/* blocking again */
		int r = jail_syserr(-errno, "open %s", path);

		(void)close(fd);
		return r;
	}
	return fd;
}

/*
 * path as seen from the current directory, absolute, its empty and "."
 * components gone ("..", kept, is for resolution to judge): what is
 * compared with the paths of jails.
 */
static char *
jidfile_abs(const char *path)
{
	_cleanup_free_ char *cwd = NULL, *raw = NULL;
	char *out, *q, *c, *save = NULL;

	if (path[0] != '/' && (cwd = getcwd(NULL, 0)) == NULL)
		return NULL;
	if (asprintf(&raw, "%s/%s", cwd != NULL ? cwd : "", path) < 0)
		return NULL;
	out = q = malloc(strlen(raw) + 2);
	if (out == NULL)
		return NULL;
	for (c = strtok_r(raw, "/", &save); c != NULL;
	     c = strtok_r(NULL, "/", &save))
		if (strcmp(c, ".") != 0)
			q += sprintf(q, "/%s", c);
	if (q == out)
		*q++ = '/';
	*q = '\0';
	return out;
}

/* The length of root if abs lies below it (root not "/"), else 0. */
static size_t
below(const char *abs, const char *root)
{
	size_t len = root != NULL ? strlen(root) : 0;

	while (len > 1 && root[len - 1] == '/')
		len--;
	if (len <= 1 || strncmp(abs, root, len) != 0 || abs[len] != '/')
		return 0;
	return len;
}

/*
 * The outermost jail path abs lies below: the new jail's (p), or a
 * running jail's.  Into *ret (new), or NULL for none.
 */
static int
jail_root_of(const char *abs, const struct jail_params *p, char **ret)
{
	const char *best = param_str(p, P_PATH);
	struct jail **v = NULL;
	size_t n = 0, len = below(abs, best);
	int r = registry_list(true, &v, &n);

	if (len == 0)
		best = NULL;
	for (size_t i = 0; r >= 0 && i < n; i++) {
		const char *jp = param_str(&v[i]->params, P_PATH);
		size_t l = below(abs, jp);

		if (l > 0 && (best == NULL || l < len)) {
			best = jp;
			len = l;
		}
	}
	*ret = best != NULL ? strndup(best, len) : NULL;
	if (best != NULL && *ret == NULL)
		r = jail_seterr(-ENOMEM, "out of memory");
	registry_list_free(v, n);
	return r < 0 ? r : 0;
}

/*
 * The directory of abs's last component, below root (a jail's path):
 * resolved beneath it, no symbolic link, no ".." out of it.
 */
static int
open_dir_beneath(const char *abs, const char *root, const char *path,
    int *ret_fd)
{
	_cleanup_close_ int rootfd = -1;
	const char *rel = abs + strlen(root) + 1, *slash = strrchr(rel, '/');
	_cleanup_free_ char *dir = NULL;
	int r;

	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return jail_syserr(-errno, "open %s: %s", path, root);
	if (slash == NULL) {
		*ret_fd = TAKE_FD(rootfd);
		return 0;
	}
	dir = strndup(rel, (size_t)(slash - rel));
	if (dir == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	r = resolve_beneath(rootfd, dir, ret_fd);
	if (r == -ELOOP)
		return jail_seterr(r, "open %s: a symbolic link below jail "
		    "path %s", path, root);
	if (r == -EXDEV)
		return jail_seterr(r, "open %s: \"..\" leaves jail path %s",
		    path, root);
	return r < 0 ? jail_syserr(r, "open %s", path) : 0;
}

/*
 * jail -J's file, open for writing, truncated (FreeBSD's fopen "w"), for
 * the jail p is about to create: see the top of this file.
 */
int
jidfile_open(const char *path, const struct jail_params *p, FILE **ret)
{
	_cleanup_free_ char *abs = jidfile_abs(path), *root = NULL;
	_cleanup_close_ int dirfd = -1;
	const char *name;
	FILE *f;
	int r, fd;

	if (abs == NULL)
		return jail_syserr(-errno, "open %s", path);
	name = strrchr(abs, '/') + 1;
	if (*name == '\0' || strcmp(name, "..") == 0)
		return jail_seterr(-EISDIR, "open %s: %s", path,
		    file_kind(S_IFDIR));
	r = jail_root_of(abs, p, &root);
	if (r >= 0 && root != NULL)
		r = open_dir_beneath(abs, root, path, &dirfd);
	else if (r >= 0) {
		_cleanup_free_ char *dir = strndup(abs, (size_t)(name - abs));

		dirfd = dir == NULL ? -ENOMEM
		    : open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0)
			r = jail_syserr(dir == NULL ? -ENOMEM : -errno,
			    "open %s", path);
	}
	if (r < 0)
		return r;
	fd = open_at(dirfd, name, path);
	if (fd < 0)
		return fd;
	f = fdopen(fd, "w");
	if (f == NULL) {
		(void)close(fd);
		return jail_syserr(-errno, "open %s", path);
	}
	*ret = f;
	return 0;
}
