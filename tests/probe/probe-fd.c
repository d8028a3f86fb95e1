// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-fd.c: what a jailed process is given as its fds 0-2.
 *
 * What a command entering a jail is given, every process it leaves
 * keeps.  A host file, directory or device among them is a host object
 * in the jail's hands: jailed root (CAP_DAC_OVERRIDE) reopens it through
 * its magic link /proc/self/fd/N with another mode, changes its owner
 * and mode, and a directory is a way out of the root (fchdir, openat
 * ".."). What may be given is a pipe, a socket, a pty of the jail's own
 * devpts or the jail's own /dev/null.
 *
 * Nothing is written: a file reopened for writing is closed at once,
 * and the probe's working directory is all that fchdir changes.
 */
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#define PIPEFS_MAGIC_ 0x50495045

/* Whether st is the inode at path in the jail (its /dev/null, ...). */
static bool
same_inode(const struct stat *st, const char *path)
{
	struct stat o;

	return stat(path, &o) == 0 && o.st_dev == st->st_dev &&
	    o.st_ino == st->st_ino;
}

/* A pty slave of the jail's own devpts (not one of the host's). */
static bool
own_pty(const struct stat *st)
{
	struct stat pts;

	return major(st->st_rdev) >= 136 && major(st->st_rdev) <= 143 &&
	    stat("/dev/pts/ptmx", &pts) == 0 && pts.st_dev == st->st_dev;
}

/* What a descriptor a jail may hold is, or NULL. */
static const char *
allowed(int fd, const struct stat *st)
{
	struct statfs fs;

	if (S_ISFIFO(st->st_mode) && fstatfs(fd, &fs) == 0 &&
	    fs.f_type == PIPEFS_MAGIC_)
		return "pipe";
	if (S_ISSOCK(st->st_mode))
		return "socket";
	if (S_ISCHR(st->st_mode) && own_pty(st))
		return "pty";
	if (S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3) &&
	    same_inode(st, "/dev/null"))
		return "null";
	return NULL;
}

/*
 * What fd is, in words, into kind; whether a jail may hold it.  A file
 * is also reopened for writing, as an attacker would.
 */
static bool
classify(int fd, const struct stat *st, char *kind, size_t len)
{
	const char *ok = allowed(fd, st);
	char self[64];
	int wr;

	if (ok != NULL) {
		(void)snprintf(kind, len, "%s", ok);
		return true;
	}
	if (S_ISFIFO(st->st_mode) || S_ISDIR(st->st_mode)) {
		(void)snprintf(kind, len, "%s", S_ISDIR(st->st_mode) ?
		    "a directory" : "a named FIFO");
		return false;
	}
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
		(void)snprintf(kind, len, "a %s device %u:%u",
		    S_ISCHR(st->st_mode) ? "character" : "block",
		    major(st->st_rdev), minor(st->st_rdev));
		return false;
	}
	(void)snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	wr = open(self, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	(void)snprintf(kind, len, "%s%s", S_ISREG(st->st_mode) ?
	    "a regular file" : "a file", wr >= 0 ?
	    ", reopened for writing" : "");
	if (wr >= 0)
		(void)close(wr);
	return false;
}

/*
 * stdio-host: fds 0-2 are pipes, sockets, the jail's ptys or its own
 * /dev/null, never a host file, directory or device.  The note lists
 * each ("0:pipe 1:pipe 2:null"); a closed one is left out.
 */
int
probe_stdio_host(const char *arg)
{
	char all[512] = "", kind[96];
	bool escaped = false;
	size_t n = 0;

	(void)arg;
	for (int fd = 0; fd < 3; fd++) {
		struct stat st;

		if (fstat(fd, &st) < 0)
			continue;
		escaped |= !classify(fd, &st, kind, sizeof(kind));
		n += (size_t)snprintf(all + n, sizeof(all) - n, "%s%d:%s",
		    n > 0 ? " " : "", fd, kind);
		if (n >= sizeof(all))
			n = sizeof(all) - 1;
	}
	note("%s", all);
	return escaped ? 0 : P_DENIED;
}

/* Whether the working directory lies outside the root (the kernel's
 * getcwd then starts it with "(unreachable)"). */
static bool
cwd_outside(char *buf, size_t len)
{
	long n = syscall(SYS_getcwd, buf, len);

	return n < 0 || buf[0] != '/';
}

/*
 * stdin-dir: fd 0 a directory outside the root, fchdir(0) and
 * openat(0, "..") then fchdir lead out of it.
 */
int
probe_stdin_dir(const char *arg)
{
	char cwd[PATH_MAX];
	int up, r = 0;

	(void)arg;
	if (fchdir(0) < 0)
		return fail_errno("fchdir(0)");
	if (cwd_outside(cwd, sizeof(cwd))) {
		note("fchdir(0): working directory %s", cwd);
		goto out;
	}
	up = openat(0, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (up < 0) {
		r = fail_errno("openat(0, \"..\")");
		goto out;
	}
	r = fchdir(up) < 0 ? fail_errno("fchdir(openat(0, \"..\"))") : 0;
	(void)close(up);
	if (r == 0 && cwd_outside(cwd, sizeof(cwd)))
		note("openat(0, \"..\"): working directory %s", cwd);
	else if (r == 0) {
		note("fd 0 is a directory inside the root");
		r = P_DENIED;
	}
out:
	(void)chdir("/");
	return r;
}
