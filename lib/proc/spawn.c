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
 * jail's domain.  That is the spawner, forked as soon as the jail's init
 * is (spawn_fork) and entering the jail once init has built it
 * (spawn_enter, spawn_ready), until its init exits.
 *
 * It lives in the host's pid namespace but in the jail's other
 * namespaces, root and cgroup, and its children are born in the jail's
 * pid namespace (setns CLONE_NEWPID applies to children only): no jailed
 * process can name it, so none can signal, trace or count it (init's
 * "jail is empty" check, a jailed root's kill -9 -1).  Before it serves,
 * it makes the jail's Landlock domain, loads the jail's seccomp filters
 * (spawner_filters; and the notifying one, for allow.set_hostname and a
 * socket broker: its listener goes to the broker if there is one, else
 * to init: uts.c),
 * keeps the jail's capabilities and CAP_SETUID/CAP_SETGID
 * (to become the user asked for), is not dumpable and closes every
 * descriptor but its socket, whose other end (SPAWN_FD) only the host can
 * take (pidfd_getfd needs CAP_SYS_PTRACE over it), init's pidfd and
 * signalfd.  Its children inherit all of that.
 *
 * Protocol, all SOCK_SEQPACKET: the host sends on SPAWN_FD 'R' and a
 * fresh socket, and on that socket the plan (a header with the
 * descriptors the child is to have: an error pipe, stdin, stdout, stderr
 * or a pty slave, exec.consolelog's pipe; then the groups and strings in
 * chunks); the spawner reads it, starts a child that applies it and
 * execs (spawn-child.c), and answers on that socket 'P' with its pid and
 * a pidfd (or 'F' and -errno), then 'S' and the wait status once it
 * reaped it.  'D' and up to two pipes: a command's output
 * that processes of the jail still write to once jail(8) stopped
 * relaying it (relay.c), read and dropped here until its last writer
 * goes (spawner_keep).  'L', a pipe and the exec.consolelog file: what
 * the pipe brings is written to the file, for as long as any process of
 * the jail writes to it (spawn_log).  What fails before the child's
 * execve goes to the error pipe (the host waits for its EOF).
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
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "proc/proc.h"
#include "spawn-int.h"

#define CAPBIT(c) (UINT64_C(1) << (c))
#define SPAWN_DRAIN_MAX 256
#define SPAWN_COPY_MAX (1U << 20)	/* bytes from one pipe in a pass */
#define SPAWN_STACK (256U << 10)	/* a child's, before its execve */
#define SPAWN_GUARD 4096U
#define SPAWN_EXEC_MS 10000	/* a command may hold the spawner this long */

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
	char *stack;			/* the children's (kid_stack), or NULL */
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

/*
 * The stack the children start on, made once.  A child shares the
 * spawner's memory until it execs (CLONE_VM), and the spawner waits
 * meanwhile (kid_wait): one child at a time, and nothing of the
 * spawner's address space copied for each command only to be thrown
 * away by its execve (no page tables to copy, no copy-on-write faults,
 * nothing to tear down: a command costs the spawner about half).
 */
static char *
kid_stack(struct spawner *sp)
{
	void *p;

	if (sp->stack != NULL)
		return sp->stack + SPAWN_STACK;
	p = mmap(NULL, SPAWN_STACK + SPAWN_GUARD, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p, SPAWN_GUARD, PROT_NONE) < 0) {
		(void)munmap(p, SPAWN_STACK + SPAWN_GUARD);
		return NULL;
	}
	sp->stack = (char *)p + SPAWN_GUARD;
	return sp->stack + SPAWN_STACK;
}

/*
 * Wait until the child has left the spawner's memory: its execve, or its
 * end, closes its copy of the pipe gone.  A jailed root may stop it
 * before that; past SPAWN_EXEC_MS it is killed, so that the jail can hold
 * its spawner that long and no longer.  errno is not read: the child may
 * be writing it.
 */
static void
kid_wait(int gone, int pidfd)
{
	struct pollfd p = { .fd = gone, .events = POLLIN };
	struct timespec t = { SPAWN_EXEC_MS / 1000, 0 };
	long n;

	while ((n = syscall(SYS_ppoll, &p, 1, &t, NULL, 0)) < 0)
		;	/* EINTR: t holds what is left */
	if (n > 0)
		return;
	(void)syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	while (syscall(SYS_ppoll, &p, 1, NULL, NULL, 0) < 0)
		;
}

/*
 * One request: the plan received here, the child cloned to apply it and
 * exec; then the answer, its pid and a pidfd ('F' and -errno if there
 * is none).
 */
static void
spawner_fork(struct spawner *sp, int sock)
{
	struct spawn_msg m = { 'P', 0 };
	struct kid k = KID_INIT;
	struct kid_arg a = { &k, sp->caps, -1 };
	int pidfd = -1, gone[2] = { -1, -1 }, r;
	char *stack = NULL;
	pid_t pid = -1;

	r = kids_reserve(sp);
	if (r >= 0 && setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval){
		SPAWN_EXEC_MS / 1000, 0 }, sizeof(struct timeval)) < 0)
		r = -errno;
	if (r >= 0)	/* sent with the request: a host that stalls is let go */
		r = kid_receive(sock, &k);
	if (r >= 0 && (stack = kid_stack(sp)) == NULL)
		r = -ENOMEM;
	if (r >= 0 && pipe2(gone, O_CLOEXEC) < 0)
		r = -errno;
	if (r >= 0) {
		a.gone = gone[1];
		pid = clone(kid_main, stack, CLONE_VM | CLONE_PIDFD | SIGCHLD,
		    &a, &pidfd);
		r = pid < 0 ? -errno : 0;	/* none: nobody shares errno */
		(void)close(gone[1]);
		if (pid > 0)
			kid_wait(gone[0], pidfd);
		(void)close(gone[0]);
	}
	kid_free(&k);
	if (r < 0) {
		m = (struct spawn_msg){ 'F', r };
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

/*
 * While the host's /proc is still there: limits, name, SIGCHLD; and none
 * of the creator's descriptors but the spawner's own (go: where init
 * comes from; rep: the report), nor its lock on the registry entry.
 */
static int
spawner_host_side(struct spawner *sp, int client, int go, int rep)
{
	static const int ignored[] = { SPAWN_IGNORED };
	int keep[] = { 0, 1, 2, sp->sock, SPAWN_FD, go, rep };
	sigset_t set;

	(void)setsid();		/* away from the creator's terminal */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return jail_syserr(-errno, "PR_SET_DUMPABLE");
	if (dup3(client, SPAWN_FD, O_CLOEXEC) < 0)
		return jail_syserr(-errno, "dup3");
	close_all_but(keep, nitems(keep));
	raise_limits();
	/*
	 * What the creator ignored (nohup's SIGHUP) is no command's
	 * business: all back to the default once here, rather than in
	 * every child (a system call each, through the jail's filter).
	 */
	for (int sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	for (size_t i = 0; i < nitems(ignored); i++)
		(void)signal(ignored[i], SIG_IGN);
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
	_cleanup_close_ int userns = -1;
	int pidfd = sp->j->pidfd, r;

	r = vnet_userns_open(sp->j, &userns);	/* with the host's /proc */
	if (r < 0)
		return r;
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
	/* last: the host's user namespace owns the others */
	if (userns >= 0 && setns(userns, CLONE_NEWUSER) < 0)
		return jail_syserr(-errno, "enter the jail's user namespace");
	r = landlock_confine();		/* the jail's one domain */
	if (r >= 0 && sockbroker_wanted(sp->j))	/* now it is out of them */
		r = seccomp_load_program(&sp->prog);
	if (r >= 0)
		r = seccomp_load_entry(&sp->prog);
	if (r >= 0)
		r = spawner_notify(sp);
	if (r >= 0)
		r = confine_bounding(sp->caps);
	if (r >= 0)
		r = confine_caps_set(sp->caps | CAPBIT(CAP_SETUID) |
		    CAPBIT(CAP_SETGID));
	return r;
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

/*
 * What init's step made that the spawner needs, sent once init has built
 * the jail: its pidfd rides along (SCM_RIGHTS).
 */
struct spawn_go {
	uint64_t token;
	struct proc_ref init;
};

/*
 * Wait for the creator to hand over the jail's init (spawn_go) and take
 * from it what the spawner keeps: its socket for hostname calls and the
 * host's network namespace for a broker.  -EPIPE if the creator is gone
 * without it (it failed: the spawner just leaves).
 */
static int
spawner_await(struct spawner *sp, struct jail *j, int go)
{
	struct spawn_go m;
	int fd = -1, n = spawn_recv(go, &m, sizeof(m), &fd, 1, 0);

	(void)close(go);
	if (n < 0)
		return n;
	if (n != 1)
		return jail_seterr(-EBADMSG, "jail spawner: no init");
	j->pidfd = fd;
	j->token = m.token;
	j->init = m.init;
	sp->uts_tx = uts_socket(j);
	sp->hostns = sockbroker_hostns(j);
	return 0;
}

/*
 * The jail's filters, read from the cache (or compiled) here, in the
 * host's mount namespace, while init builds the jail: not by the
 * creator, whose pages are all copy-on-write once init is forked.  The
 * two long ones are loaded now too, which takes the kernel a while,
 * unless a socket broker is to be forked out of them (spawner_enter
 * loads them after it); the entry filter once in the jail.
 */
static int
spawner_filters(struct spawner *sp, const struct jail *j)
{
	int r = seccomp_program(&j->params, &sp->prog);

	if (r >= 0)
		r = seccomp_notify_program(&j->params, &sp->nprog);
	if (r >= 0 && !sockbroker_wanted(j))
		r = seccomp_load_program(&sp->prog);
	return r;
}

static void __attribute__((noreturn))
spawner_main(struct spawner *sp, struct jail *j, int client, int go, int rep)
{
	int r;

	r = spawner_host_side(sp, client, go, rep);
	if (r >= 0)
		r = spawner_filters(sp, j);
	if (r >= 0)
		r = spawner_await(sp, j, go);
	if (r == -EPIPE)
		_exit(1);
	if (r >= 0)
		r = spawner_enter(sp);
	if (r >= 0) {
		int keep[] = { sp->sock, SPAWN_FD, j->pidfd, sp->sfd, rep };

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
 * Fork jail j's spawner into its cgroups cg: it does its part on the
 * host's side (limits, signals, filters) while init builds the jail, then
 * waits for spawn_enter.  *ret keeps the creator's ends: the
 * one init is handed over on, the report's, the spawner's pidfd; until
 * spawn_ready names it in j->spawner, spawn_abandon takes it back.
 */
int
spawn_fork(struct jail *j, const struct cg_join *cg,
    struct spawn_pending *ret)
{
	_cleanup_(spawner_clear) struct spawner sp = { .j = j, .uts_tx = -1,
		.hostns = -1, .sock = -1, .sfd = -1,
		.caps = confine_caps_for(&j->params),
		.broker = { .pid = 0, .tx = -1 } };
	int sv[2], go[2] = { -1, -1 }, rep[2] = { -1, -1 }, pidfd = -1, r = 0;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return jail_syserr(-errno, "socketpair");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, go) < 0) {
		r = jail_syserr(-errno, "socketpair");
		goto out;
	}
	if (pipe2(rep, O_CLOEXEC) < 0) {
		r = jail_syserr(-errno, "pipe");
		goto out;
	}
	pid = clone_pidfd(0, cg, &pidfd);
	if (pid == 0) {
		sp.sock = sv[0];
		(void)close(go[0]);
		(void)close(rep[0]);
		spawner_main(&sp, j, sv[1], go[1], rep[1]);
	}
	if (pid < 0)
		r = jail_syserr(-errno, "clone");
	else
		*ret = (struct spawn_pending){ .go = TAKE_FD(go[0]),
			.rep = TAKE_FD(rep[0]), .pidfd = pidfd, .pid = pid };
out:
	spawn_close_fds(sv, 2);
	spawn_close_fds(go, 2);
	spawn_close_fds(rep, 2);
	return r;
}

/*
 * Hand the spawner jail j's init, now that it has built the jail: the
 * spawner enters it (spawn_ready waits for that).  A spawner gone
 * meanwhile has said why on its report, which spawn_ready reads.
 */
void
spawn_enter(const struct jail *j, struct spawn_pending *p)
{
	struct spawn_go m = { .token = j->token, .init = j->init };

	(void)spawn_send(p->go, &m, sizeof(m), &j->pidfd, 1, 0);
	(void)close(p->go);
	p->go = -1;
}

/*
 * Wait for the spawner to be in the jail, ready to serve; j->spawner
 * then names it.  One that failed is taken back.
 */
int
spawn_ready(struct jail *j, struct spawn_pending *p)
{
	int r = jail_report_read(p->rep, false, "jail spawner");

	if (r >= 0)	/* read now that it waits: no race with its start */
		r = proc_ref_of(p->pid, p->pidfd, &j->spawner);
	if (r < 0)
		return r;	/* spawn_abandon's */
	(void)close(p->pidfd);
	(void)close(p->rep);
	*p = (struct spawn_pending)SPAWN_PENDING_INIT;
	return 0;
}

/* A spawner that never became ready: killed and reaped; none: nothing. */
void
spawn_abandon(struct spawn_pending *p)
{
	int fds[] = { p->go, p->rep };

	spawn_close_fds(fds, nitems(fds));
	if (p->pidfd >= 0) {
		(void)syscall(SYS_pidfd_send_signal, p->pidfd, SIGKILL, NULL, 0);
		(void)waitpid(p->pid, NULL, 0);
		(void)close(p->pidfd);
	}
	*p = (struct spawn_pending)SPAWN_PENDING_INIT;
}

/*
 * Start jail j's spawner in its cgroups cg, its init (j->pidfd) running:
 * all three steps at once, for a jail whose spawner is gone.
 */
int
spawn_start(struct jail *j, const struct cg_join *cg)
{
	struct spawn_pending p = SPAWN_PENDING_INIT;
	int r = spawn_fork(j, cg, &p);

	if (r < 0)
		return r;
	spawn_enter(j, &p);
	r = spawn_ready(j, &p);
	spawn_abandon(&p);
	return r;
}
