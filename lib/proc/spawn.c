// SPDX-License-Identifier: BSD-2-Clause
/*
 * spawn.c: the jail's spawner, the one process every command entering
 * the jail is forked from.
 *
 * Landlock has no way to join a domain: a process is in the domain it
 * made or the one it inherited through fork.  A domain scopes abstract
 * unix sockets (landlock.c), and ptrace, with what it guards (a
 * process's /proc/PID/exe, which start-stop-daemon --exec reads), never
 * crosses into a sibling domain.  For the processes of a jail to reach
 * each other's abstract sockets and /proc entries, whichever session
 * started them, they must all descend from one process that made the
 * jail's domain.  That is the spawner, started when the jail is created
 * (spawn_start), until its init exits.
 *
 * It lives in the host's pid namespace but in the jail's other
 * namespaces, root and cgroup, and its children are born in the jail's
 * pid namespace (setns CLONE_NEWPID applies to children only): no jailed
 * process can name it, so none can signal, trace or count it (init's
 * "jail is empty" check, a jailed root's kill -9 -1).  Before it serves,
 * it makes the jail's Landlock domain, loads the jail's seccomp filter
 * (and the notifying one, for allow.set_hostname and a socket broker:
 * its listener goes to the broker if there is one, else to init: uts.c),
 * keeps the jail's capabilities and CAP_SETUID/CAP_SETGID
 * (to become the user asked for), is not dumpable and closes every
 * descriptor but its socket, whose other end (SPAWN_FD) only the host can
 * take (pidfd_getfd needs CAP_SYS_PTRACE over it), init's pidfd and
 * signalfd.  Its children inherit all of that.
 *
 * Protocol, all SOCK_SEQPACKET: the host sends on SPAWN_FD 'R' and a
 * fresh socket; the spawner forks a child and answers on that socket 'P'
 * with its pid and a pidfd (or 'F' and -errno), then 'S' and the wait
 * status once it reaped it.  'D' and up to two pipes: a command's output
 * that processes of the jail still write to once jail(8) stopped
 * relaying it (relay.c), read and dropped here until its last writer
 * goes (spawner_keep).  'L', a pipe and the exec.consolelog file: what
 * the pipe brings is written to the file, for as long as any process of
 * the jail writes to it (spawn_log).  The child (spawn-child.c) reads
 * its plan from the same socket (a header with the descriptors it is to
 * have: an error pipe, stdin, stdout, stderr or a pty slave,
 * exec.consolelog's pipe; then the groups and strings in chunks),
 * applies it and execs, or writes what failed to the error pipe (the
 * host waits for its EOF, as attach.c did).
 *
 * The spawner may hold host files (the log): no jailed process can name
 * it, trace it or take its descriptors (pidfd_getfd, /proc/PID/fd), so
 * no jailed process ever holds them.
 *
 * A jail whose IPv4 or IPv6 sockets its socket broker makes on the
 * host's stack (sockbroker.c) gets it from its spawner: forked before the
 * spawner enters the jail's network namespace and loads its filters, and
 * given the notifying filter's listener.  The spawner leaves if its
 * broker dies, so that the next command starts both anew.
 */
#include <fcntl.h>
#include <malloc.h>
#include <linux/capability.h>
#include <poll.h>
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

#define CAPBIT(c) (UINT64_C(1) << (c))
#define SPAWN_DRAIN_MAX 256
#define SPAWN_COPY_MAX (1U << 20)	/* bytes from one pipe in a pass */

/* ---- the spawner ---- */

struct spawner {
	const struct jail *j;
	struct seccomp_prog prog;	/* the jail's filter, compiled */
	struct seccomp_prog nprog;	/* its listener's, or none (n 0) */
	int uts_tx;			/* allow.set_hostname: init's socket */
	int hostns;			/* the broker's network namespace, or -1 */
	struct sockbroker broker;	/* the socket broker, if any */
	int sock;			/* requests; SPAWN_FD is the host's end */
	int sfd;			/* SIGCHLD */
	uint64_t caps;			/* the jail's capabilities */
	struct {
		pid_t pid;
		int fd;			/* its socket: 'S' goes there */
	} *kids;
	size_t nkids, cap;
	struct {
		int fd;			/* output nobody relays, */
		int log;		/* written here (-1: dropped) */
	} drain[SPAWN_DRAIN_MAX];
	size_t ndrain;
};

static int
kids_reserve(struct spawner *sp)
{
	void *nk;

	if (sp->nkids < sp->cap)
		return 0;
	nk = realloc(sp->kids, (sp->cap * 2 + 16) * sizeof(*sp->kids));
	if (nk == NULL)
		return -ENOMEM;
	sp->kids = nk;
	sp->cap = sp->cap * 2 + 16;
	return 0;
}

/* One request: fork the child, answer with its pid and a pidfd. */
static void
spawner_fork(struct spawner *sp, int sock)
{
	struct spawn_msg m = { 'P', 0 };
	int pidfd = -1;
	pid_t pid = -1;

	if (kids_reserve(sp) >= 0)
		pid = clone_pidfd(0, NULL, &pidfd);
	else
		errno = ENOMEM;
	if (pid == 0)
		spawn_child_main(sock, sp->caps);
	if (pid < 0) {
		m = (struct spawn_msg){ 'F', -errno };
		(void)spawn_send(sock, &m, sizeof(m), NULL, 0, 0);
		(void)close(sock);
		return;
	}
	m.val = pid;
	(void)spawn_send(sock, &m, sizeof(m), &pidfd, 1, 0);
	(void)close(pidfd);
	sp->kids[sp->nkids].pid = pid;
	sp->kids[sp->nkids++].fd = sock;
}

/*
 * A command's output pipes that processes of the jail still write to,
 * after jail(8) stopped relaying them (relay.c), or exec.consolelog's
 * (log >= 0: what comes is written there): read here, so that they
 * neither block nor die of SIGPIPE.  Past SPAWN_DRAIN_MAX the pipe is
 * closed instead (its writers get EPIPE): a jail cannot make the
 * spawner hold descriptors without bound.
 */
static void
spawner_keep(struct spawner *sp, const int *fds, int n, int log)
{
	for (int i = 0; i < n; i++) {
		if (sp->ndrain < nitems(sp->drain) &&
		    fcntl(fds[i], F_SETFL, O_NONBLOCK) == 0) {
			sp->drain[sp->ndrain].fd = fds[i];
			sp->drain[sp->ndrain++].log = log;
			log = -1;
			continue;
		}
		(void)close(fds[i]);
	}
	if (log >= 0)
		(void)close(log);
}

static bool
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		buf += w;
		len -= (size_t)w;
	}
	return true;
}

/* What pipe i holds now, to its log or nowhere; false at EOF. */
static bool
drain_one(struct spawner *sp, size_t i)
{
	char buf[65536];
	size_t total = 0;
	ssize_t n = 1;

	while (total < SPAWN_COPY_MAX &&
	    (n = read(sp->drain[i].fd, buf, sizeof(buf))) != 0) {
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		total += (size_t)n;
		if (sp->drain[i].log >= 0 &&
		    !write_all(sp->drain[i].log, buf, (size_t)n)) {
			(void)close(sp->drain[i].log);	/* dropped from now */
			sp->drain[i].log = -1;
		}
	}
	return n != 0;
}

/* The pipes poll found readable (p), or all of them (p NULL). */
static void
spawner_drain(struct spawner *sp, const struct pollfd *p)
{
	size_t kept = 0, n = sp->ndrain;

	for (size_t i = 0; i < n; i++) {
		if ((p == NULL || p[i].revents != 0) && !drain_one(sp, i)) {
			(void)close(sp->drain[i].fd);	/* no writer left */
			if (sp->drain[i].log >= 0)
				(void)close(sp->drain[i].log);
			continue;
		}
		sp->drain[kept++] = sp->drain[i];
	}
	sp->ndrain = kept;
}

/*
 * 'R' and a socket: a command to fork; 'D' and pipes: output to drop;
 * 'L', a pipe and a file: output to log.
 */
static void
spawner_take(struct spawner *sp)
{
	char byte;
	int fds[2] = { -1, -1 };
	int n = spawn_recv(sp->sock, &byte, 1, fds, 2, MSG_DONTWAIT);

	if (n == 1 && byte == 'R')
		spawner_fork(sp, fds[0]);
	else if (n > 0 && byte == 'D')
		spawner_keep(sp, fds, n, -1);
	else if (n == 2 && byte == 'L')
		spawner_keep(sp, fds, 1, fds[1]);
	else if (n > 0)
		spawn_close_fds(fds, (size_t)n);
}

/* Reap every child that exited; its status goes to whoever asked. */
static void
spawner_reap(struct spawner *sp)
{
	struct signalfd_siginfo si;
	bool reaped = false;
	int status;
	pid_t pid;

	while (read(sp->sfd, &si, sizeof(si)) > 0)
		;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		reaped = true;
		if (pid == sp->broker.pid)
			_exit(0);	/* its sockets fail: leave it a new one */
		for (size_t i = 0; i < sp->nkids; i++) {
			struct spawn_msg m = { 'S', status };

			if (sp->kids[i].pid != pid)
				continue;
			/* what it wrote before it ended is in the log first */
			spawner_drain(sp, NULL);
			/* a background command's caller is long gone: EPIPE */
			(void)spawn_send(sp->kids[i].fd, &m, sizeof(m), NULL, 0, 0);
			(void)close(sp->kids[i].fd);
			sp->kids[i] = sp->kids[--sp->nkids];
			break;
		}
	}
	/* the jail may be empty now: init decides (persist) */
	if (reaped)
		(void)init_request_fd(sp->j->pidfd, sp->j->token, INIT_CHECK);
}

/* Serve until the jail's init exits (the kernel has then killed all). */
static void __attribute__((noreturn))
spawner_loop(struct spawner *sp)
{
	for (;;) {
		struct pollfd p[3 + SPAWN_DRAIN_MAX] = {
			{ .fd = sp->sfd, .events = POLLIN },
			{ .fd = sp->sock, .events = POLLIN },
			{ .fd = sp->j->pidfd, .events = POLLIN },
		};
		size_t nd = sp->ndrain;

		for (size_t i = 0; i < nd; i++)
			p[3 + i] = (struct pollfd){ .fd = sp->drain[i].fd,
				.events = POLLIN };
		if (poll(p, 3 + nd, -1) < 0)
			continue;
		spawner_drain(sp, p + 3);	/* (reaping drains them too) */
		if (p[0].revents & POLLIN)
			spawner_reap(sp);
		if (p[2].revents != 0) {
			spawner_reap(sp);
			spawner_drain(sp, NULL);	/* the last lines */
			_exit(0);
		}
		if (p[1].revents & POLLIN)
			spawner_take(sp);
	}
}

/*
 * Hard limits as high as they go while privileged: a command takes its
 * caller's limits (kid_limits), which it could not raise past these.
 */
static void
raise_limits(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/sys/fs/nr_open", "re");
	unsigned long nr_open = 0;
	struct rlimit rl;

	if (f == NULL || fscanf(f, "%lu", &nr_open) != 1)
		nr_open = 0;
	for (int r = 0; r < RLIMIT_NLIMITS; r++) {
		if (getrlimit(r, &rl) < 0)
			continue;
		if (r != RLIMIT_NOFILE)
			rl.rlim_max = RLIM_INFINITY;
		else if (nr_open > rl.rlim_max)
			rl.rlim_max = nr_open;
		(void)setrlimit(r, &rl);
	}
}

/* While the host's /proc is still there: limits, name, SIGCHLD. */
static int
spawner_host_side(struct spawner *sp, int client)
{
	sigset_t set;

	(void)setsid();		/* away from the creator's terminal */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return jail_syserr(-errno, "PR_SET_DUMPABLE");
	if (dup3(client, SPAWN_FD, O_CLOEXEC) < 0)
		return jail_syserr(-errno, "dup3");
	raise_limits();
	(void)signal(SIGPIPE, SIG_IGN);
	(void)signal(SIGXFSZ, SIG_IGN);	/* a log past RLIMIT_FSIZE: EFBIG */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (sp->sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		return jail_syserr(-errno, "signalfd");
	/* the creator's command line is no business of the jail's */
	return confine_set_cmdline("jail");
}

/*
 * The notifying filter, for allow.set_hostname and a socket broker: its
 * listener goes to the broker, which passes hostname calls to init, or,
 * without one, to init (none: the name calls fail as without it).
 */
static int
spawner_notify(struct spawner *sp)
{
	_cleanup_close_ int lfd = -1;
	int r;

	if (sp->uts_tx < 0 && sp->broker.pid <= 0)
		return 0;
	r = seccomp_notify_listener(&sp->nprog, &lfd);
	if (r < 0 || lfd < 0)
		return r;
	if (sp->broker.pid > 0)
		return sockbroker_give(&sp->broker, lfd);
	return uts_send_listener(sp->uts_tx, lfd);
}

/*
 * Into the jail (its namespaces and root; its pid namespace for the
 * children only), its Landlock domain and filters, its capabilities.
 */
static int
spawner_enter(struct spawner *sp)
{
	int pidfd = sp->j->pidfd, r;

	if (setns(pidfd, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
		CLONE_NEWCGROUP) < 0)
		return jail_syserr(-errno, "setns");
	/* the broker: out of the jail's network, domain and filters */
	r = sockbroker_start(sp->j, sp->hostns, sp->uts_tx, &sp->broker);
	if (r < 0)
		return r;
	if (setns(pidfd, CLONE_NEWNET) < 0)
		return jail_syserr(-errno, "setns net");
	if (setns(pidfd, CLONE_NEWPID) < 0)
		return jail_syserr(-errno, "setns pid");
	r = landlock_confine();		/* the jail's one domain */
	if (r >= 0)
		r = seccomp_load_program(&sp->prog);
	if (r >= 0)
		r = spawner_notify(sp);
	if (r >= 0)
		r = confine_bounding(sp->caps);
	if (r >= 0)
		r = confine_caps_set(sp->caps | CAPBIT(CAP_SETUID) |
		    CAPBIT(CAP_SETGID));
	return r;
}

static void __attribute__((noreturn))
spawner_main(struct spawner *sp, int client, int rep)
{
	int r;

	r = spawner_host_side(sp, client);
	if (r >= 0)
		r = spawner_enter(sp);
	if (r >= 0) {
		int keep[] = { sp->sock, SPAWN_FD, sp->j->pidfd, sp->sfd, rep };

		close_all_but(keep, nitems(keep));
		/*
		 * The creator's heap (parsed configuration, BPF objects)
		 * given back: every command is forked from here, and a
		 * fork copies the page tables of what is resident.
		 */
		(void)malloc_trim(0);
	}
	jail_report_write(rep, r);
	if (r < 0)
		_exit(1);
	(void)close(rep);
	spawner_loop(sp);
}

/*
 * With allow.set_hostname, init's end of the socket that takes seccomp
 * listeners (uts.c): fetched from init, which no jailed process can do.
 * -1 when there is none (the name calls then fail as without it).
 */
static int
uts_socket(const struct jail *j)
{
	int fd;

	if (!param_bool(&j->params, P_ALLOW_SET_HOSTNAME))
		return -1;
	fd = (int)syscall(SYS_pidfd_getfd, j->pidfd, INIT_UTS_FD, 0);
	return fd < 0 ? -1 : fd;
}

static void
spawner_clear(struct spawner *sp)
{
	if (sp->uts_tx >= 0)
		(void)close(sp->uts_tx);
	if (sp->hostns >= 0)
		(void)close(sp->hostns);
	free(sp->prog.v);
	free(sp->nprog.v);
}

/*
 * Start jail j's spawner in its cgroups cg, once its init (j->pidfd) has
 * built it; j->spawner then names it.  It exits when init does.
 */
int
spawn_start(struct jail *j, const struct cg_join *cg)
{
	_cleanup_(spawner_clear) struct spawner sp = { .j = j, .uts_tx = -1,
		.hostns = -1, .sock = -1, .sfd = -1,
		.caps = confine_caps_for(&j->params),
		.broker = { .pid = 0, .tx = -1 } };
	_cleanup_close_ int pidfd = -1, rep_rd = -1;
	int sv[2], rep[2], r;
	pid_t pid;

	r = seccomp_program(&j->params, &sp.prog);
	if (r >= 0)	/* here, in the host's mount namespace */
		r = seccomp_notify_program(&j->params, &sp.nprog);
	if (r < 0)
		return r;
	sp.uts_tx = uts_socket(j);
	sp.hostns = sockbroker_hostns(j);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return jail_syserr(-errno, "socketpair");
	if (pipe2(rep, O_CLOEXEC) < 0) {
		spawn_close_fds(sv, 2);
		return jail_syserr(-errno, "pipe");
	}
	rep_rd = rep[0];
	pid = clone_pidfd(0, cg, &pidfd);
	if (pid == 0) {
		sp.sock = sv[0];
		spawner_main(&sp, sv[1], rep[1]);
	}
	spawn_close_fds(sv, 2);
	(void)close(rep[1]);
	if (pid < 0)
		return jail_syserr(-errno, "clone");
	r = jail_report_read(rep_rd, false, "jail spawner");
	if (r >= 0)
		r = proc_ref_of(pid, pidfd, &j->spawner);
	if (r < 0) {
		(void)syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
		(void)waitpid(pid, NULL, 0);
		return r;
	}
	return 0;
}

/* ---- the host: one command through the spawner ---- */

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

/* The spawner's answer to a request for a child: its pid and pidfd. */
static int
fork_answer(const struct jail *j, int sock, pid_t *ret_pid, int *ret_pidfd)
{
	struct spawn_msg m;
	int r;

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
	struct pollfd p = { .fd = errfd, .events = POLLIN };
	int n = 1;

	if (timeout_ms >= 0)
		while ((n = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
			;	/* (a rare signal: the bound starts again) */
	if (n == 0) {
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
	 * The plan goes at once, without waiting for the child's pid: it
	 * waits in the socket the child reads (one wake-up less a command).
	 * A spawner that could not fork says so first: 'F' comes before
	 * a send that failed for want of a reader.
	 */
	q = send_plan(sock, p, errp[1]);
	(void)close(errp[1]);
	r = fork_answer(j, sock, &pid, &pidfd);
	if (r >= 0)
		r = q;
	if (r >= 0)
		r = wait_exec(errfd, pidfd, p->timeout_ms);
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
	(void)pidfd_wait(fd, 1000);
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
