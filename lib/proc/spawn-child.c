// SPDX-License-Identifier: BSD-2-Clause
/*
 * spawn-child.c: one command the jail's spawner forked (spawn.c), from
 * its plan to execve.
 *
 * The child is already in the jail: its namespaces, root, pid namespace
 * and cgroup, its Landlock domain and seccomp filter, the jail's
 * capabilities plus CAP_SETUID and CAP_SETGID, not dumpable.  The
 * spawner has read and parsed the plan the host sent (spawn-int.h); the
 * child closes every descriptor of the spawner's, takes the caller's
 * descriptors, resource limits and umask, the working directory and the
 * user's credentials (root keeps the jail's capabilities, another user
 * none), and execs.  An error before execve goes to the host through the
 * error pipe it sent; the host waits for that pipe's EOF (execve closed
 * it).  Nothing here trusts the plan beyond its bounds: it comes from
 * the host, but it is parsed in a process of the jail's.
 */
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "proc/proc.h"
#include "spawn-int.h"

/* ---- descriptor passing ---- */

/* Send buf as one message, with n descriptors; flags: sendmsg's more. */
int
spawn_send(int sock, const void *buf, size_t len, const int *fds, size_t n,
    int flags)
{
	char cbuf[CMSG_SPACE(sizeof(int) * SPAWN_MAXFDS)];
	struct iovec iov = { (void *)(uintptr_t)buf, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (n > 0) {
		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	}
	while (sendmsg(sock, &mh, MSG_NOSIGNAL | flags) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

/* Keep up to max of the descriptors a message carried; close the rest. */
static size_t
take_fds(struct msghdr *mh, int *fds, size_t max)
{
	size_t n = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL;
	     c = CMSG_NXTHDR(mh, c)) {
		size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t i = 0; i < k; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			if (n < max)
				fds[n++] = fd;
			else
				(void)close(fd);
		}
	}
	return n;
}

void
spawn_close_fds(const int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		(void)close(fds[i]);
}

/*
 * Receive one message of exactly len bytes and up to max descriptors
 * (close-on-exec); returns how many came, -EPIPE at EOF, -EBADMSG for a
 * message of another size.
 */
int
spawn_recv(int sock, void *buf, size_t len, int *fds, size_t max, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(int) * SPAWN_MAXFDS)];
	struct iovec iov = { buf, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	ssize_t got;
	size_t n;

	do
		got = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | flags);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return -errno;
	n = take_fds(&mh, fds, max);
	if (got == 0 || (size_t)got != len || (mh.msg_flags & MSG_TRUNC)) {
		spawn_close_fds(fds, n);
		return got == 0 ? -EPIPE : -EBADMSG;
	}
	return (int)n;
}

/* ---- the child: one command, from the plan to execve ---- */

/* Report r (and jail_errmsg) to the host, then exit as execvp fails. */
void __attribute__((noreturn))
spawn_child_fail(int errfd, int r)
{
	if (errfd >= 0)
		jail_report_write(errfd, r);
	_exit(127);
}

/* The host side: EOF means execve closed the pipe. */
int
spawn_read_err(int fd)
{
	return jail_report_read(fd, true, "child status");
}

/* Hand the received descriptors out in the order the host sent them. */
static int
kid_assign(struct kid *k, const int *fds, size_t n)
{
	int *slot[] = { &k->in, &k->out, &k->err, &k->tty, &k->log };
	size_t want = 1, i = 1;

	for (size_t b = 0; b < nitems(slot); b++)
		want += (k->h.fds >> b) & 1;
	if (n != want)
		return -EBADMSG;
	k->errfd = fds[0];
	for (size_t b = 0; b < nitems(slot); b++)
		if (k->h.fds & (1U << b))
			*slot[b] = fds[i++];
	return 0;
}

/* Split the blob: groups, dir, file, argv, env (NUL-terminated each). */
static int
kid_parse(struct kid *k)
{
	size_t off = k->h.ngroups * sizeof(gid_t), nstr = 2 + k->h.argc +
	    k->h.envc, s = 0;
	char **v = k->v = calloc(nstr + 2, sizeof(char *));

	if (v == NULL || off > k->h.blob)
		return -EBADMSG;
	k->groups = malloc(off + 1);
	if (k->groups == NULL)
		return -ENOMEM;
	memcpy(k->groups, k->blob, off);
	while (s < nstr && off < k->h.blob) {
		v[s++] = k->blob + off;
		off += strnlen(k->blob + off, k->h.blob - off) + 1;
	}
	if (s != nstr || off != k->h.blob || k->blob[k->h.blob - 1] != '\0')
		return -EBADMSG;
	k->dir = v[0];
	k->file = v[1];
	/* argv and env, each NULL-terminated, in one array */
	memmove(v + 3 + k->h.argc, v + 2 + k->h.argc,
	    k->h.envc * sizeof(char *));
	v[2 + k->h.argc] = NULL;
	v[3 + k->h.argc + k->h.envc] = NULL;
	k->argv = v + 2;
	k->env = v + 3 + k->h.argc;
	return 0;
}

/*
 * The spawner's side: the plan, header and descriptors, then the blob, as
 * the host sends them, parsed into k; kid_free gives it all back.
 */
int
kid_receive(int sock, struct kid *k)
{
	int fds[SPAWN_MAXFDS];
	int n = spawn_recv(sock, &k->h, sizeof(k->h), fds, nitems(fds), 0);

	if (n < 0)
		return n;
	if (k->h.magic != SPAWN_MAGIC || k->h.blob == 0 ||
	    k->h.blob > SPAWN_BLOB_MAX || k->h.ngroups > SPAWN_NGROUPS_MAX ||
	    k->h.argc == 0 || k->h.argc > SPAWN_BLOB_MAX ||
	    k->h.envc > SPAWN_BLOB_MAX || kid_assign(k, fds, (size_t)n) < 0) {
		spawn_close_fds(fds, (size_t)n);
		return -EBADMSG;
	}
	k->blob = malloc(k->h.blob);
	if (k->blob == NULL)
		return -ENOMEM;
	for (uint32_t off = 0; off < k->h.blob;) {
		uint32_t len = k->h.blob - off < SPAWN_CHUNK ? k->h.blob - off
							     : SPAWN_CHUNK;
		int r = spawn_recv(sock, k->blob + off, len, NULL, 0, 0);

		if (r < 0)
			return r;
		off += len;
	}
	return kid_parse(k);
}

void
kid_free(struct kid *k)
{
	int fds[] = { k->errfd, k->in, k->out, k->err, k->tty, k->log };

	for (size_t i = 0; i < nitems(fds); i++)
		if (fds[i] >= 0)
			(void)close(fds[i]);
	free(k->blob);
	free(k->groups);
	free(k->v);
	*k = (struct kid)KID_INIT;
}

/* Move a descriptor above stderr, so that dup2 onto 0-2 never hits it. */
static void
fd_above_stdio(int *fd)
{
	int nfd;

	if (*fd < 0 || *fd > 2)
		return;
	nfd = fcntl(*fd, F_DUPFD_CLOEXEC, 3);
	(void)close(*fd);
	*fd = nfd;
}

/* stdin, stdout, stderr: the pty slave, or the caller's own. */
static int
kid_stdio(struct kid *k)
{
	const int *from[] = { &k->in, &k->out, &k->err };

	if (k->tty >= 0) {
		struct pty pt = { -1, k->tty };

		return pty_attach_child(&pt);
	}
	for (int fd = 0; fd < 3; fd++)
		if (*from[fd] >= 0 && dup2(*from[fd], fd) < 0)
			return jail_syserr(-errno, "dup2");
	/* a process group of its own: the caller forwards ^C to it */
	(void)setpgid(0, 0);
	return 0;
}

static int
kid_limits(const struct kid *k)
{
	for (int r = 0; r < RLIMIT_NLIMITS; r++)
		if (setrlimit(r, &k->h.rl[r]) < 0)
			return jail_syserr(-errno, "setrlimit %d", r);
	if (k->h.nofile > 0 && setrlimit(RLIMIT_NOFILE, &(struct rlimit){
		k->h.nofile, k->h.nofile }) < 0)	/* rctl openfiles:deny */
		return jail_syserr(-errno, "openfiles");
	(void)umask((mode_t)k->h.umask);
	return 0;
}

/*
 * The user's credentials; root keeps the jail's capabilities, no more.
 * System calls of this task's own (libc's setuid family would consult
 * thread state it shares with the spawner).
 */
static int
kid_creds(const struct kid *k, uint64_t caps)
{
	uid_t uid = (uid_t)k->h.uid;
	gid_t gid = (gid_t)k->h.gid;

	if (syscall(SYS_setgroups, (size_t)k->h.ngroups, k->groups) < 0)
		return jail_syserr(-errno, "setgroups");
	if (syscall(SYS_setresgid, gid, gid, gid) < 0)
		return jail_syserr(-errno, "setgid %u", (unsigned)gid);
	if (uid == 0)
		return confine_caps_set(caps);
	/* leaving uid 0 clears every capability */
	if (syscall(SYS_setresuid, uid, uid, uid) < 0)
		return jail_syserr(-errno, "setuid %u", (unsigned)uid);
	return 0;
}

/* Every signal at its default and none blocked, as a command starts. */
static void
kid_signals(void)
{
	static const int ignored[] = { SPAWN_IGNORED };
	sigset_t none;

	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	for (size_t i = 0; i < nitems(ignored); i++)
		(void)signal(ignored[i], SIG_DFL);
}

/*
 * The spawner's child, cloned with CLONE_VM onto a stack of its own
 * (spawn.c): it shares the spawner's memory, which waits for it, until
 * execve or _exit.  So it allocates nothing and writes nothing of the
 * spawner's but errno and the error message: its own copy of the plan's
 * descriptors, from the kid the spawner received, is applied in its own
 * descriptor table (gone among them, whose end tells the spawner it has
 * left), and the environment is handed to execve, not put in environ.
 */
int
kid_main(void *arg)
{
	const struct kid_arg *a = arg;
	struct kid k = *a->k;
	int gone = a->gone;
	int keep[] = { k.errfd, k.in, k.out, k.err, k.tty, k.log, gone };
	int *fds[] = { &k.errfd, &k.in, &k.out, &k.err, &k.tty, &k.log,
		&gone };
	int r;

	close_all_but(keep, nitems(keep));	/* the spawner's, others' */
	for (size_t i = 0; i < nitems(fds); i++)
		fd_above_stdio(fds[i]);
	r = kid_stdio(&k);
	if (r >= 0)
		r = kid_limits(&k);
	if (r >= 0 && chdir(k.dir) < 0)
		r = jail_seterr(-errno, "no home directory");
	if (r >= 0)
		r = kid_creds(&k, a->caps);
	if (r >= 0 && k.log >= 0 && (dup2(k.log, 1) < 0 || dup2(k.log, 2) < 0))
		r = jail_syserr(-errno, "exec.consolelog");
	if (r < 0)
		spawn_child_fail(k.errfd, r);
	kid_signals();
	confine_fds();
	execvpe(k.file, k.argv, k.env);
	spawn_child_fail(k.errfd, jail_syserr(-errno, "execvp: %s", k.argv[0]));
}
