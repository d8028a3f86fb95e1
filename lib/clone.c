// SPDX-License-Identifier: BSD-2-Clause
/*
 * clone.c: process creation and process handles.
 *
 * Owns clone3(2) with CLONE_PIDFD (and CLONE_INTO_CGROUP, so a process is
 * born inside its jail's cgroup and never runs a cycle outside it), the
 * fallback for kernels or sandboxes without clone3, and pidfd helpers
 * that refuse a pid recycled since the registry recorded it.
 */
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jail-int.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* struct clone_args of <linux/sched.h>, which clashes with <sched.h>. */
struct gaol_clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;
	uint64_t set_tid_size;
	uint64_t cgroup;
};

/* The test suite's GAOL_FORCE_NOCLONE3=1 runs the fallback path. */
static bool
clone3_usable(void)
{
	return !test_switch("GAOL_FORCE_NOCLONE3");
}

/*
 * Old-style clone(2): no cgroup at birth, so the child joins it first
 * thing, and only then makes its cgroup namespace (rooted there).
 */
static pid_t
clone_fallback(unsigned long long flags, int cgfd, int *ret_pidfd)
{
	unsigned long cflags = (unsigned long)flags & ~(unsigned long)CLONE_NEWCGROUP;
	int pidfd = -1, fd;
	pid_t pid;

	pid = (pid_t)syscall(SYS_clone, cflags | CLONE_PIDFD | SIGCHLD, NULL,
	    &pidfd, NULL, NULL);
	if (pid != 0) {
		if (pid > 0)
			*ret_pidfd = pidfd;
		return pid;
	}
	if (cgfd >= 0) {
		fd = openat(cgfd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0\n", 2) != 2)
			_exit(126);
		(void)close(fd);
	}
	if ((flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		_exit(126);
	return 0;
}

static pid_t
clone_v2(unsigned long long flags, int cgfd, int *ret_pidfd)
{
	struct gaol_clone_args args;
	int pidfd = -1;
	pid_t pid;

	if (!clone3_usable())
		return clone_fallback(flags, cgfd, ret_pidfd);
	memset(&args, 0, sizeof(args));
	args.flags = flags | CLONE_PIDFD | (cgfd >= 0 ? CLONE_INTO_CGROUP : 0);
	args.pidfd = (uint64_t)(uintptr_t)&pidfd;
	args.exit_signal = SIGCHLD;
	args.cgroup = cgfd >= 0 ? (uint64_t)cgfd : 0;
	pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0 && errno == ENOSYS)
		return clone_fallback(flags, cgfd, ret_pidfd);
	if (pid > 0)
		*ret_pidfd = pidfd;
	return pid;
}

/*
 * fork(2) with namespace flags, a pidfd for the child and, with cg, the
 * child born in the cgroup2 cgroup and moved into the v1 ones before it
 * returns (and before it makes its cgroup namespace, rooted there): it
 * runs nothing of its caller's outside them.  Returns 0 in the child,
 * which exits 126 if it cannot join.  The caller must be single-threaded
 * (no atfork handlers run).
 */
pid_t
clone_pidfd(unsigned long long flags, const struct cg_join *cg,
    int *ret_pidfd)
{
	bool v1 = cg != NULL && cg->v1[0] >= 0;
	pid_t pid;

	pid = clone_v2(v1 ? flags & ~(unsigned long long)CLONE_NEWCGROUP
			  : flags, cg != NULL ? cg->v2 : -1, ret_pidfd);
	if (pid != 0 || !v1)
		return pid;
	if (cg_join_v1(cg) < 0)
		_exit(126);
	if ((flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		_exit(126);
	return 0;
}

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

/* Wait until the process exits: 0, or -ETIMEDOUT (timeout_ms < 0: none). */
int
pidfd_wait(int pidfd, int timeout_ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}
