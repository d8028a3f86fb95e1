// SPDX-License-Identifier: BSD-2-Clause
/*
 * procref.c: handles on processes that refuse a recycled pid.
 *
 * Owns struct proc_ref (pid, start time, pidfs inode), the pidfds opened
 * from one and waits on them.  Must never signal a process it has not
 * checked to be the one the reference names.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"

#ifndef PID_FS_MAGIC
#define PID_FS_MAGIC 0x50494446
#endif

/*
 * The pidfs inode of a pidfd: unique for the boot where pidfds are pidfs
 * files (Linux 6.9) and st_ino holds 64 bits; 0 elsewhere (before pidfs,
 * every pidfd was the one anonymous inode).
 */
static uint64_t
pidfd_ino(int pidfd)
{
	struct statfs sf;
	struct stat st;

	if (sizeof(st.st_ino) < sizeof(uint64_t) || pidfd < 0 ||
	    fstatfs(pidfd, &sf) < 0 ||
	    sf.f_type != PID_FS_MAGIC || fstat(pidfd, &st) < 0)
		return 0;
	return (uint64_t)st.st_ino;
}

/*
 * The start time of a live pid in clock ticks since boot (field 22 of
 * stat); a zombie counts as gone (-ESRCH).
 */
int
proc_starttime(pid_t pid, unsigned long long *ret)
{
	_cleanup_close_ int fd = -1;
	char path[64], buf[1024], *p;
	unsigned long long t;
	ssize_t n;

	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);	/* one read: no stdio */
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p == NULL || p[1] == '\0')
		return -EIO;
	if (p[2] == 'Z' || p[2] == 'X')
		return -ESRCH;	/* exited, not yet reaped: gone for us */
	/* after ") ": state is field 3, starttime field 22; every jls
	 * reads one a jail, so no scanf: skip 19 blanks */
	p += 2;
	for (int field = 3; field < 22 && p != NULL; field++)
		p = strchr(p, ' ') != NULL ? strchr(p, ' ') + 1 : NULL;
	if (p == NULL || *p < '0' || *p > '9')
		return -EIO;
	t = strtoull(p, NULL, 10);
	*ret = t;
	return 0;
}

/* Name the live process pid, of which pidfd is a handle (or -1). */
int
proc_ref_of(pid_t pid, int pidfd, struct proc_ref *ret)
{
	struct proc_ref p = { .pid = pid };
	int r = proc_starttime(pid, &p.start);

	if (r < 0)
		return jail_syserr(r, "process %d", (int)pid);
	p.ino = pidfd_ino(pidfd);
	*ret = p;
	return 0;
}

/*
 * Whether pidfd is a handle on the process p names, still running (an
 * exited process, a zombie not yet reaped, counts as gone): by its pidfs
 * inode where p has one, else by its start time.
 */
static bool
pidfd_is(int pidfd, const struct proc_ref *p)
{
	struct pollfd pf = { .fd = pidfd, .events = POLLIN };
	unsigned long long t;
	struct stat st;

	if (p->ino == 0)
		return proc_starttime(p->pid, &t) == 0 && t == p->start;
	return fstat(pidfd, &st) == 0 && (uint64_t)st.st_ino == p->ino &&
	    poll(&pf, 1, 0) == 0;
}

/* A pidfd for the process p names; -ESRCH if it is gone. */
int
pidfd_open_checked(const struct proc_ref *p, int *ret_pidfd)
{
	_cleanup_close_ int fd = -1;

	fd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	if (fd < 0)
		return -errno;
	if (!pidfd_is(fd, p))
		return -ESRCH;
	*ret_pidfd = TAKE_FD(fd);
	return 0;
}

/* Whether the process p names still runs. */
bool
proc_ref_alive(const struct proc_ref *p)
{
	_cleanup_close_ int fd = -1;

	return p->pid > 0 && pidfd_open_checked(p, &fd) == 0;
}

/* The monotonic clock in milliseconds: what bounds on waits count in. */
long long
now_ms(void)
{
	struct timespec t;

	(void)clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* Milliseconds from now to end (a now_ms time; < 0: none, -1), >= 0. */
int
left_ms(long long end)
{
	long long ms = end - now_ms();

	if (end < 0)
		return -1;
	return ms < 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
}

/*
 * Wait until fd is readable (a pidfd: its process has exited): 0, or
 * -ETIMEDOUT (timeout_ms < 0: none).  A signal starts the bound again.
 */
int
fd_wait(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}
