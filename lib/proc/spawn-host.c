// SPDX-License-Identifier: BSD-2-Clause
/*
 * spawn-host.c: the host's side of a jail's spawner (spawn.c): one
 * command through it.
 *
 * Owns the socket to the spawner (started again if it is gone), the
 * plan a command is sent with (spawn_command), its wait status, and the
 * requests to stop the spawner, to drain a command's leftover output and
 * to write exec.consolelog.  The protocol is spawn.c's.  Never forks a
 * process into the jail itself: the spawner does.
 */
#include <fcntl.h>
#include <malloc.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "proc/proc.h"
#include "spawn-int.h"

/* The host's end of the socket of the spawner j names; -ESRCH: gone. */
static int
spawner_socket(const struct jail *j, int *ret)
{
	_cleanup_close_ int pidfd = -1;
	int fd;

	if (j->spawner.pid <= 0 ||
	    pidfd_open_checked(&j->spawner, &pidfd) < 0)
		return -ESRCH;
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, SPAWN_FD, 0);
	if (fd < 0)
		return jail_syserr(-errno, "jail \"%s\": spawner",
		    jail_name(j));
	*ret = fd;
	return 0;
}

/*
 * A jail whose spawner is gone (killed from the host, by the OOM killer,
 * or made before there were spawners) gets a new one, in a new Landlock
 * domain: the commands from now on no longer share the one of those
 * still running.  The entry is read again first, in case another caller
 * did the same meanwhile (a race of two only leaves one idle spawner,
 * which exits with init).
 */
static int
spawner_restart(const struct jail *j, int *ret)
{
	_cleanup_(cg_join_close) struct cg_join cg = CG_JOIN_INIT;
	_cleanup_(jail_freep) struct jail *nj = NULL;
	char jid[16];
	int r;

	(void)snprintf(jid, sizeof(jid), "%d", j->jid);
	if (j->gone || registry_find(jid, &nj) < 0 || nj->gone ||
	    pidfd_open_checked(&nj->init, &nj->pidfd) < 0)
		return jail_seterr(-ESRCH, "jail \"%s\" not found",
		    jail_name(j));
	if (spawner_socket(nj, ret) >= 0)
		return 0;
	r = cg_open(nj, &cg);
	if (r >= 0)
		r = spawn_start(nj, &cg);
	if (r >= 0)
		r = registry_commit(nj);
	if (r < 0)
		return jail_errctx(r, "jail \"%s\": spawner", jail_name(j));
	r = spawner_socket(nj, ret);
	return r == -ESRCH ? jail_seterr(r, "jail \"%s\" not found",
	    jail_name(j)) : r;
}

static size_t
strv_bytes(char *const *v, uint32_t *ret_n)
{
	size_t len = 0;
	uint32_t n = 0;

	for (; v != NULL && v[n] != NULL; n++)
		len += strlen(v[n]) + 1;
	*ret_n = n;
	return len;
}

static char *
strv_put(char *at, char *const *v)
{
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		at = stpcpy(at, v[i]) + 1;
	return at;
}

/* The blob: groups, dir, file, argv, env. */
static char *
plan_blob(const struct spawn_plan *p, struct spawn_hdr *h)
{
	size_t glen = p->ngroups * sizeof(gid_t);
	size_t len = glen + strlen(p->dir) + strlen(p->file) + 2;
	char *b, *at;

	len += strv_bytes(p->argv, &h->argc);
	len += strv_bytes(p->env, &h->envc);
	if (len > SPAWN_BLOB_MAX || p->ngroups > SPAWN_NGROUPS_MAX) {
		errno = E2BIG;
		return NULL;
	}
	b = malloc(len);
	if (b == NULL)
		return NULL;
	if (glen > 0)
		memcpy(b, p->groups, glen);
	at = stpcpy(b + glen, p->dir) + 1;
	at = stpcpy(at, p->file) + 1;
	at = strv_put(at, p->argv);
	(void)strv_put(at, p->env);
	h->blob = (uint32_t)len;
	h->ngroups = (uint32_t)p->ngroups;
	return b;
}

/* The descriptors the child gets, after the error pipe; SF_* in *mask. */
static size_t
plan_fds(const struct spawn_plan *p, int *fds, uint32_t *mask)
{
	size_t n = 1;

	*mask = 0;
	if (p->tty >= 0) {
		*mask |= SF_TTY;
		fds[n++] = p->tty;
	} else {
		for (int fd = 0; fd < 3; fd++)
			if (p->stdio[fd] >= 0) {	/* closed stays closed */
				*mask |= SF_IN << fd;
				fds[n++] = p->stdio[fd];
			}
	}
	if (p->outfd >= 0) {
		*mask |= SF_LOG;
		fds[n++] = p->outfd;
	}
	return n;
}

/* Send the plan: the header with the descriptors, the blob in chunks. */
static int
send_plan(int sock, const struct spawn_plan *p, int errfd)
{
	_cleanup_free_ char *blob = NULL;
	int fds[SPAWN_MAXFDS] = { errfd };
	struct spawn_hdr h;
	mode_t um = umask(0);
	size_t n;
	int r;

	(void)umask(um);
	memset(&h, 0, sizeof(h));	/* padding too: it leaves the process */
	h.magic = SPAWN_MAGIC;
	h.uid = (uint32_t)p->uid;
	h.gid = (uint32_t)p->gid;
	h.nofile = p->nofile;
	n = plan_fds(p, fds, &h.fds);
	h.umask = (uint32_t)um;
	for (int i = 0; i < RLIMIT_NLIMITS; i++)
		if (getrlimit(i, &h.rl[i]) < 0)
			h.rl[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	blob = plan_blob(p, &h);
	if (blob == NULL)
		return jail_syserr(-errno, "command too long");
	r = spawn_send(sock, &h, sizeof(h), fds, n, 0);
	for (uint32_t off = 0; r >= 0 && off < h.blob; off += SPAWN_CHUNK)
		r = spawn_send(sock, blob + off, h.blob - off < SPAWN_CHUNK
		    ? h.blob - off : SPAWN_CHUNK, NULL, 0, 0);
	return r < 0 ? jail_syserr(r, "jail spawner") : 0;
}

/*
 * The spawner's answer to a request for a child: its pid and pidfd, at
 * most timeout_ms (< 0: no bound) from now.  It comes once the child has
 * reached execve or failed; a child a jailed root stopped before that
 * holds it back, and the caller must not wait for that past its bound.
 */
static int
fork_answer(const struct jail *j, int sock, int timeout_ms, pid_t *ret_pid,
    int *ret_pidfd)
{
	struct spawn_msg m;
	int r;

	if (fd_wait(sock, timeout_ms) == -ETIMEDOUT)
		return -ETIMEDOUT;
	r = spawn_recv(sock, &m, sizeof(m), ret_pidfd, 1, 0);
	if (r < 0)
		return jail_syserr(r == -EPIPE ? -ESRCH : r,
		    "jail \"%s\": spawner", jail_name(j));
	if (m.type == 'P' && r == 1) {
		*ret_pid = m.val;
		return 0;
	}
	if (r == 1)
		(void)close(*ret_pidfd);
	return jail_syserr(m.type == 'F' && m.val < 0 ? m.val : -EIO, "fork");
}

/*
 * Wait for the child to reach execve (EOF on errfd) or fail, at most
 * timeout_ms (< 0: no bound).  The child is in the jail's pid namespace
 * from birth: a jailed root may stop it before it gets there, and
 * jail -r must not wait for that.  Past the bound it is killed.
 */
static int
wait_exec(int errfd, int pidfd, int timeout_ms)
{
	if (fd_wait(errfd, timeout_ms) == -ETIMEDOUT) {
		(void)syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
		(void)spawn_read_err(errfd);	/* EOF once it is dead */
		return -ETIMEDOUT;
	}
	return spawn_read_err(errfd);
}

/*
 * Run plan p in jail j through its spawner; the command runs or has
 * failed when this returns.  ret->statfd then gives its status.
 */
int
spawn_command(const struct jail *j, const struct spawn_plan *p,
    struct attach_child *ret)
{
	_cleanup_close_ int req = -1, sock = -1, pidfd = -1, errfd = -1;
	int sv[2], errp[2], r, q;
	long long end;
	pid_t pid = 0;

	r = spawner_socket(j, &req);
	if (r == -ESRCH)
		r = spawner_restart(j, &req);
	if (r < 0)
		return r;
	if (pipe2(errp, O_CLOEXEC) < 0)
		return jail_syserr(-errno, "pipe");
	errfd = errp[0];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		(void)close(errp[1]);
		return jail_syserr(-errno, "socketpair");
	}
	sock = sv[0];
	r = spawn_send(req, "R", 1, &sv[1], 1, 0);
	(void)close(sv[1]);
	if (r < 0) {
		(void)close(errp[1]);
		return jail_syserr(r, "jail \"%s\": spawner", jail_name(j));
	}
	/*
	 * The plan goes at once, with the request: the spawner reads it
	 * before it starts the child.  A spawner that could not says so
	 * first: 'F' comes before a send that failed for want of a reader.
	 */
	end = p->timeout_ms < 0 ? -1 : now_ms() + p->timeout_ms;
	q = send_plan(sock, p, errp[1]);
	(void)close(errp[1]);
	r = fork_answer(j, sock, left_ms(end), &pid, &pidfd);
	if (r >= 0)
		r = q;
	if (r >= 0)
		r = wait_exec(errfd, pidfd, left_ms(end));
	if (r < 0)
		return r;	/* the child exits 127; the spawner reaps it */
	ret->pid = pid;
	ret->pidfd = TAKE_FD(pidfd);
	ret->statfd = TAKE_FD(sock);
	return 0;
}

/* The wait status the spawner sends once it reaped the command. */
int
spawn_status(int statfd, int *ret_status)
{
	struct spawn_msg m;
	int r = spawn_recv(statfd, &m, sizeof(m), NULL, 0, 0);

	if (r < 0 || m.type != 'S')
		return jail_seterr(r < 0 ? r : -EIO,
		    "the command's exit status is lost");
	*ret_status = m.val;
	return 0;
}

/*
 * A jail whose init is gone: its spawner ends now rather than when it
 * notices, so that the jail's cgroups, which it is in, can go at once
 * (cg_destroy would otherwise retry until it has left).
 */
void
spawn_stop(const struct jail *j)
{
	int fd = -1;

	if (j->spawner.pid <= 0 ||
	    pidfd_open_checked(&j->spawner, &fd) < 0)
		return;
	(void)syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
	(void)fd_wait(fd, 1000);
	(void)close(fd);
}

/*
 * Hand output pipes that processes of jail j still write to over to its
 * spawner, which drops what comes (spawner_keep).  Without a spawner
 * they are only closed, by the caller.
 */
void
spawn_drain(const struct jail *j, const int *fds, size_t n)
{
	_cleanup_close_ int pidfd = -1, req = -1;

	/* quietly: the caller may be reporting an error of its own */
	if (n == 0 || n > 2 || j->spawner.pid <= 0 ||
	    pidfd_open_checked(&j->spawner, &pidfd) < 0)
		return;
	req = (int)syscall(SYS_pidfd_getfd, pidfd, SPAWN_FD, 0);
	if (req >= 0)
		(void)spawn_send(req, "D", 1, fds, n, 0);
}

/*
 * exec.consolelog: a pipe whose writing end (*ret_wr) a command gets as
 * its stdout and stderr; jail j's spawner takes the reading end and
 * logfd, and writes what comes to the file for as long as any process
 * of the jail writes (a daemon exec.start left behind, after jail -c
 * returned, as on FreeBSD).  No process of the jail holds the file.
 */
int
spawn_log(const struct jail *j, int logfd, int *ret_wr)
{
	_cleanup_close_ int req = -1;
	int p[2], r;

	r = spawner_socket(j, &req);
	if (r == -ESRCH)
		r = spawner_restart(j, &req);
	if (r < 0)
		return r;
	if (pipe2(p, O_CLOEXEC) < 0)
		return jail_syserr(-errno, "pipe");
	r = spawn_send(req, "L", 1, (int[]){ p[0], logfd }, 2, 0);
	(void)close(p[0]);
	if (r < 0) {
		(void)close(p[1]);
		return jail_syserr(r, "jail \"%s\": spawner", jail_name(j));
	}
	*ret_wr = p[1];
	return 0;
}
