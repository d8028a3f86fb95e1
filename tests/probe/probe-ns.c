// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-ns.c: namespaces: making new ones (unshare of each type, clone
 * and clone3 with CLONE_NEWUSER) and entering other processes' (setns
 * through /proc/PID/ns and through pidfds).
 *
 * Every attempt runs in a child that exits right after it: a namespace
 * made or entered there is gone with it.
 */
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

/* In a child: unshare(*flags). */
static int
do_unshare(const void *arg)
{
	return child_errno(unshare(*(const int *)arg));
}

static int
try_unshare(int flag, const char *name)
{
	int r = in_child(do_unshare, &flag);

	if (r >= 0)
		note("unshare(%s): %s", name, r == 0 ? "succeeded" :
		    errno_name(r));
	return r;
}

/* userns: no user namespace (it would hold every capability in it). */
int
probe_userns(const char *arg)
{
	(void)arg;
	return try_unshare(CLONE_NEWUSER, "CLONE_NEWUSER");
}

int
probe_unshare_mnt(const char *arg)
{
	(void)arg;
	return try_unshare(CLONE_NEWNS, "CLONE_NEWNS");
}

int
probe_unshare_net(const char *arg)
{
	(void)arg;
	return try_unshare(CLONE_NEWNET, "CLONE_NEWNET");
}

int
probe_unshare_pid(const char *arg)
{
	(void)arg;
	return try_unshare(CLONE_NEWPID, "CLONE_NEWPID");
}

int
probe_unshare_uts(const char *arg)
{
	(void)arg;
	return try_unshare(CLONE_NEWUTS, "CLONE_NEWUTS");
}

int
probe_unshare_ipc(const char *arg)
{
	(void)arg;
	return try_unshare(CLONE_NEWIPC, "CLONE_NEWIPC");
}

int
probe_unshare_cgroup(const char *arg)
{
	(void)arg;
	return try_unshare(CLONE_NEWCGROUP, "CLONE_NEWCGROUP");
}

int
probe_unshare_time(const char *arg)
{
	(void)arg;
	return try_unshare(CLONE_NEWTIME, "CLONE_NEWTIME");
}

/* Wait for a child made by clone/clone3 (which exits at once). */
static int
reap(long pid, const char *what)
{
	if (pid < 0)
		return fail_errno(what);
	if (pid == 0)
		_exit(0);
	(void)waitpid((pid_t)pid, NULL, 0);
	note("%s succeeded", what);
	return 0;
}

/* clone(CLONE_NEWUSER): the filter reads clone's flags. */
int
probe_clone_newuser(const char *arg)
{
	(void)arg;
	return reap(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL,
	    NULL, NULL), "clone(CLONE_NEWUSER)");
}

/* clone3: its flags sit in memory a filter cannot read: ENOSYS. */
int
probe_clone3(const char *arg)
{
	struct clone_args ca;

	(void)arg;
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_NEWUSER;
	ca.exit_signal = SIGCHLD;
	return reap(syscall(SYS_clone3, &ca, sizeof(ca)),
	    "clone3(CLONE_NEWUSER)");
}

/* In a child: open a namespace file (or use a pidfd) and setns to it. */
struct setns_args {
	const char *path;	/* a /proc/PID/ns/TYPE, or NULL */
	pid_t pid;		/* with path NULL: the pidfd's process */
};

static int
do_setns(const void *arg)
{
	const struct setns_args *a = arg;
	int fd;

	if (a->path != NULL)
		fd = open(a->path, O_RDONLY | O_CLOEXEC);
	else
		fd = (int)syscall(SYS_pidfd_open, a->pid, 0);
	if (fd < 0)
		return errno;
	return child_errno(setns(fd, a->path != NULL ? 0 : CLONE_NEWNS |
	    CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP));
}

/*
 * setns into each namespace of pid: 0 as soon as one works, else the
 * first errno (EACCES opening the file, EPERM from setns).
 */
static int
setns_pid(const char *pid, int *first)
{
	char dir[64], path[PATH_MAX];
	struct setns_args a = { path, 0 };
	struct dirent *de;
	DIR *d;
	int r;

	(void)snprintf(dir, sizeof(dir), "/proc/%s/ns", pid);
	if ((d = opendir(dir)) == NULL) {
		r = errno;
		if (*first == 0 && r != ENOENT)	/* ENOENT: it has exited */
			*first = r;
		return r;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		r = in_child(do_setns, &a);
		if (r == 0) {
			closedir(d);
			note("setns to %s succeeded", path);
			return 0;
		}
		if (*first == 0 && r > 0) {
			*first = r;
			note("setns %s: %s", path, errno_name(r));
		}
	}
	closedir(d);
	a.path = NULL;
	a.pid = (pid_t)atoi(pid);
	if ((r = in_child(do_setns, &a)) == 0)
		note("setns to the pidfd of %s succeeded", pid);
	return r;
}

/* setns-init: into the namespaces of the jail's init (its own). */
int
probe_setns_init(const char *arg)
{
	int first = 0;

	(void)arg;
	return setns_pid("1", &first) == 0 ? 0 : first;
}

/* setns-pids: into those of every process the jail can see. */
int
probe_setns_pids(const char *arg)
{
	struct dirent *de;
	int first = 0;
	DIR *d;

	(void)arg;
	if ((d = opendir("/proc")) == NULL)
		return setup_error("/proc");
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (setns_pid(de->d_name, &first) == 0) {
			closedir(d);
			return 0;
		}
	}
	closedir(d);
	return first != 0 ? first : P_DENIED;
}
