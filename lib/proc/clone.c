// SPDX-License-Identifier: BSD-2-Clause
/*
 * clone.c: process creation.
 *
 * Owns clone3(2) with CLONE_PIDFD (and CLONE_INTO_CGROUP, so a process is
 * born inside its jail's cgroup and never runs a cycle outside it) and
 * the fallback for kernels or sandboxes without clone3.
 */
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "proc/proc.h"

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
