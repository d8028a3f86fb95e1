// SPDX-License-Identifier: BSD-2-Clause
/*
 * init.c: the jail's pid 1.
 *
 * A jail is its init: a process cloned into new pid, mount, uts, ipc and
 * cgroup namespaces (the host's ipc one when a sysv* is "inherit"), and
 * a network one of its own unless both ip4 and ip6 are "inherit": it
 * brings up its loopback for vnet=new, and for a jail whose sockets are
 * made on the host's stack (sockbroker.c) puts the jail's addresses
 * there too.  It builds the jail's root (mount.c), sets the hostnames,
 * reports to its creator, drops every capability and then only reaps.  It exits,
 * taking the jail with it, once no other process is left in its pid
 * namespace, unless the jail is persistent.  The jail's spawner, which
 * forks every command entering the jail (spawn.c), lives outside that
 * namespace: it never counts, and it leaves when init does.  It never executes anything
 * from the jail's root and holds no host file.
 *
 * Requests (check, persist, nopersist, term) arrive as a real-time signal
 * (queued, never merged like SIGUSR1 would be) with a value:
 * only honoured when sent from outside the jail (si_pid 0 in the jail's
 * pid namespace) and carrying the jail's token from the registry, which
 * no jailed process can read.  The creator also talks over a socket and
 * gets an answer (init_ask); should that socket close before the creator
 * said INIT_COMMIT, the creator died half-way and init leaves, taking
 * the half-made jail with it.
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "proc/proc.h"

#define TOKEN_MASK ((UINT64_C(1) << 56) - 1)
#define INIT_SIGNAL (SIGRTMIN + 1)

/* True when pid 1 (this init) is the only process left in the jail. */
static bool
ns_empty(int procfd)
{
	int fd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	bool empty = true;
	DIR *d;

	if (fd < 0)
		return false;
	d = fdopendir(fd);	/* owns fd from here on */
	if (d == NULL) {
		(void)close(fd);
		return false;
	}
	while (empty && (de = readdir(d)) != NULL)
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9' &&
		    strcmp(de->d_name, "1") != 0)
			empty = false;
	(void)closedir(d);
	return empty;
}

static void
reap_all(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

struct init_state {
	uint64_t token;
	bool persist;
	int procfd, sfd, sock;
	int lockfd;			/* the entry's lock (registry), held */
	int hostns;			/* INIT_NET_FD, or -1 */
	bool committed;			/* INIT_COMMIT came */
	bool uts_on;			/* allow.set_hostname */
	const struct jail_params *params;
	struct uts_service uts;
};

/* Apply one request; returns true when init should exit now. */
static bool
init_apply(struct init_state *st, enum init_req req)
{
	if (req == INIT_PERSIST)
		st->persist = true;
	else if (req == INIT_NOPERSIST || req == INIT_TERM)
		st->persist = false;
	else if (req == INIT_COMMIT)
		st->committed = true;
	/*
	 * jail -r's SIGTERM, sent from here: kill(-1) from the jail's pid 1
	 * reaches every process of the jail and nothing else, and no
	 * process of the jail can stop or kill the sender (the kernel drops
	 * a namespace init's default-handled signals sent from inside).
	 */
	if (req == INIT_TERM)
		(void)kill(-1, SIGTERM);
	reap_all();
	return !st->persist && ns_empty(st->procfd);
}

static bool
init_on_signal(struct init_state *st)
{
	struct signalfd_siginfo si;

	if (read(st->sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return false;
	if (si.ssi_signo == SIGCHLD)
		return init_apply(st, INIT_CHECK);
	/* only the host may ask, and only with the jail's token */
	if ((int)si.ssi_signo != INIT_SIGNAL || si.ssi_pid != 0 ||
	    (si.ssi_ptr >> 8) != (st->token & TOKEN_MASK))
		return false;
	return init_apply(st, (enum init_req)(si.ssi_ptr & 0xff));
}

static bool
init_on_sock(struct init_state *st)
{
	unsigned char req;
	ssize_t n = read(st->sock, &req, 1);
	bool quit;

	if (n <= 0) {
		(void)close(st->sock);
		st->sock = -1;
		/* a creator gone before it was done: no jail to keep */
		return !st->committed;
	}
	quit = init_apply(st, (enum init_req)req);
	(void)write(st->sock, quit ? "E" : "A", 1);
	return quit;
}

/* The reaper loop (and allow.set_hostname's answers); never returns. */
static void __attribute__((noreturn))
init_loop(struct init_state *st)
{
	struct pollfd p[3 + nitems(st->uts.lfd)];

	for (;;) {
		size_t n = 2;
		bool quit = false;

		p[0] = (struct pollfd){ .fd = st->sfd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = st->sock, .events = POLLIN };
		if (st->uts_on)
			n += uts_service_poll(&st->uts, p + 2);
		if (poll(p, n, -1) < 0)
			continue;
		if (st->uts_on)
			uts_service_run(&st->uts, p + 2);
		if (p[0].revents & POLLIN)
			quit = init_on_signal(st);
		if (!quit && st->sock >= 0 && (p[1].revents & (POLLIN | POLLHUP)))
			quit = init_on_sock(st);
		if (quit)
			_exit(0);
	}
}

static int
set_hostnames(const struct jail_params *p)
{
	const char *h = param_str(p, P_HOST_HOSTNAME);
	const char *d = param_str(p, P_HOST_DOMAINNAME);

	if (h != NULL && sethostname(h, strlen(h)) < 0)
		return jail_syserr(-errno, "host.hostname");
	if (d != NULL && setdomainname(d, strlen(d)) < 0)
		return jail_syserr(-errno, "host.domainname");
	return 0;
}

/* The jail's addresses of family on its loopback, /32 or /128 each. */
static int
lo_addrs(const struct jail_params *p, int family)
{
	_cleanup_free_ struct jail_addr *a = NULL;
	size_t n = 0;
	int r = jail_addrs(p, family, &a, &n);

	for (size_t i = 0; r >= 0 && i < n; i++) {
		r = net_addr_add("lo", family, &a[i].addr,
		    family == AF_INET ? 32 : 128);
		if (r == -EEXIST)	/* 127.0.0.1 or ::1, there already */
			r = 0;
	}
	return r;
}

/*
 * The loopback of the jail's own network namespace.  A vnet jail's is
 * up (127.0.0.1 and ::1 exist once it is).  A jail whose sockets its
 * broker makes on the host's stack gets its addresses there besides, so
 * that getifaddrs(3), ip(8) and glibc's AI_ADDRCONFIG see them, as
 * FreeBSD's ifconfig in a jail shows its own (the sockets themselves are
 * the host's).  A jail without network keeps it down: FreeBSD gives it
 * no loopback either.
 */
static int
init_lo(const struct jail_params *p)
{
	bool v4 = net_brokered(p, AF_INET), v6 = net_brokered(p, AF_INET6);
	int r;

	if (!vnet_new(p) && !v4 && !v6)
		return 0;
	r = net_link_up("lo");
	if (r >= 0 && v4)
		r = lo_addrs(p, AF_INET);
	if (r >= 0 && v6)
		r = lo_addrs(p, AF_INET6);
	return r < 0 ? jail_errctx(r, "the jail's loopback") : 0;
}

/*
 * Inside the new namespaces: private propagation (nothing reaches the
 * host), a procfs of the jail's pid namespace to count its processes,
 * the root and its mounts, hostnames, then pivot_root into it.
 */
static int
init_setup(const struct jail *j, int *ret_procfd)
{
	_cleanup_close_ int procfd = -1, rootfd = -1;
	int r;

	r = init_lo(&j->params);
	if (r < 0)
		return r;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return jail_syserr(-errno, "make mounts private");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		NULL) < 0)
		return jail_syserr(-errno, "mount jail procfs");
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return jail_syserr(-errno, "open jail procfs");
	r = mnt_setup_root(&j->params, param_str(&j->params, P_PATH), &rootfd);
	if (r < 0)
		return r;
	r = set_hostnames(&j->params);
	if (r < 0)
		return r;
	r = confine_set_cmdline("jail");
	if (r < 0)
		return r;
	r = mnt_enter_root(rootfd);
	if (r < 0)
		return r;
	*ret_procfd = TAKE_FD(procfd);
	return 0;
}

/*
 * Leave nothing of the host within reach of the jail: every inherited
 * descriptor closed (the creator's stdio, pipes and cgroup fd would
 * otherwise be reachable through /proc/1/fd), no capability, and not
 * dumpable, so no jailed process may ptrace init or open its /proc files
 * (CVE-2019-5736 and CVE-2016-9962 went through exactly these).
 */
static int
init_isolate(struct init_state *st)
{
	int keep[5 + 4] = { st->sock, st->procfd, st->sfd, st->lockfd,
		st->hostns };	/* and uts_service_fds's four */
	size_t n = 5;

	if (st->uts_on)
		n += uts_service_fds(&st->uts, keep + n);
	close_all_but(keep, n);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return jail_syserr(-errno, "PR_SET_DUMPABLE");
	/*
	 * To read a caller's name for allow.set_hostname, init may hold no
	 * capability its callers lack (the kernel's ptrace check): it keeps
	 * the jail's own set, never more.  Otherwise only CAP_KILL, which
	 * the jail's root has too, for jail -r's SIGTERM to processes of
	 * every user of the jail (INIT_TERM).
	 */
	return confine_caps(st->uts_on ? confine_caps_for(st->params)
				       : UINT64_C(1) << CAP_KILL);
}

/*
 * The host's network namespace, which the jail's socket broker makes its
 * sockets in: held by init as INIT_NET_FD, where a spawner started later
 * by whichever host process (spawn.c) finds it.  It never reaches a
 * jailed process (init is not dumpable, and it sends it nowhere); with
 * it, setns(2) needs CAP_SYS_ADMIN, which no jail holds.
 */
static int
init_hostns(int hostns, int *ret)
{
	*ret = -1;
	if (hostns < 0)
		return 0;
	if (dup3(hostns, INIT_NET_FD, O_CLOEXEC) < 0)
		return jail_syserr(-errno, "dup3");
	if (hostns != INIT_NET_FD)
		(void)close(hostns);
	*ret = INIT_NET_FD;
	return 0;
}

/* The child side of init_start: set up, report, then only reap. */
static void __attribute__((noreturn))
init_child(const struct jail *j, int sock, int hostns, int vnetns)
{
	struct init_state st = { .token = j->token, .persist = true,
		.sock = sock, .lockfd = j->lockfd };
	sigset_t set;
	int r = init_hostns(hostns, &st.hostns);

	/* a vnet jail's stack, owned by its user namespace (vnet.c) */
	if (r >= 0 && vnetns >= 0 && setns(vnetns, CLONE_NEWNET) < 0)
		r = jail_syserr(-errno, "setns net");
	if (vnetns >= 0)
		(void)close(vnetns);

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, INIT_SIGNAL);
	sigaddset(&set, SIGPIPE);
	if (r >= 0 && sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		r = -errno;
	st.uts_on = param_bool(&j->params, P_ALLOW_SET_HOSTNAME);
	st.params = &j->params;
	if (r >= 0 && st.uts_on)
		r = uts_service_open(j->lockfd, &st.uts);
	if (r >= 0)
		r = init_setup(j, &st.procfd);
	if (r >= 0 && (st.sfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0)
		r = jail_syserr(-errno, "signalfd");
	if (r >= 0 && st.uts_on)
		r = uts_service_proc(&st.uts, st.procfd);
	if (r >= 0)
		r = init_isolate(&st);
	jail_report_write(sock, r);
	if (r < 0)
		_exit(1);
	init_loop(&st);
}

static int
init_read_report(int sock)
{
	return jail_report_read(sock, false, "jail init");
}

/*
 * The namespaces a jail gets.  The IPC one is its own unless sysvmsg,
 * sysvsem or sysvshm is "inherit" (confine_sysvipc has refused "new"
 * beside "inherit"): with all three "disable" it is still a new one, so
 * nothing of the host's, POSIX message queues included, is in reach.
 * The network one is its own unless both ip4 and ip6 are "inherit"
 * (net_own_ns): with it, the jail's procfs net directories and
 * sock_diag show its own sockets, not the host's, and its abstract unix
 * sockets are its own, whatever Landlock the kernel has.
 */
static unsigned long long
init_ns_flags(const struct jail_params *p)
{
	unsigned long long f = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS |
	    CLONE_NEWCGROUP;

	if (net_own_ns(p) && !vnet_new(p))	/* vnet: made by vnet.c */
		f |= CLONE_NEWNET;

	return confine_ipc_inherit(p) ? f : f | CLONE_NEWIPC;
}

/*
 * Clone the jail's init into its cgroups cg: it builds the jail while the
 * creator goes on, until init_built.  j->pidfd, j->initsock and
 * j->init.pid name it from here on (init_kill takes it back).
 */
int
init_start(struct jail *j, const struct cg_join *cg)
{
	_cleanup_close_ int pidfd = -1, hostns = -1, vnetns = -1;
	int sv[2], r;
	pid_t pid;

	if (getrandom(&j->token, sizeof(j->token), 0) != sizeof(j->token))
		return jail_syserr(-errno, "getrandom");
	j->token &= TOKEN_MASK;
	if (sockbroker_wanted(j) && (hostns = open("/proc/thread-self/ns/net",
	    O_RDONLY | O_CLOEXEC)) < 0)
		return jail_syserr(-errno, "/proc/thread-self/ns/net");
	if (vnet_new(&j->params) && (r = vnet_ns_make(&vnetns)) < 0)
		return r;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return jail_syserr(-errno, "socketpair");
	pid = clone_pidfd(init_ns_flags(&j->params), cg, &pidfd);
	if (pid == 0) {
		(void)close(sv[0]);
		init_child(j, sv[1], TAKE_FD(hostns), TAKE_FD(vnetns));
	}
	(void)close(sv[1]);
	if (pid < 0) {
		(void)close(sv[0]);
		return jail_syserr(-errno, "clone");
	}
	j->init = (struct proc_ref){ .pid = pid };
	j->initsock = sv[0];
	j->pidfd = TAKE_FD(pidfd);
	return 0;
}

/*
 * Wait for j's init to have built the jail.  Then j->init names it
 * whole and init alone holds the entry's lock (j->lockfd is closed).
 */
int
init_built(struct jail *j)
{
	int r = init_read_report(j->initsock);

	if (r >= 0)
		r = proc_ref_of(j->init.pid, j->pidfd, &j->init);
	if (r < 0)
		return r;
	/* from now on the entry lives as long as init: not the creator's */
	(void)close(j->lockfd);
	j->lockfd = -1;
	return 0;
}

/*
 * Send a request to the init pidfd names, with the jail's token, from
 * outside the jail's pid namespace (the spawner's too).
 */
int
init_request_fd(int pidfd, uint64_t token, enum init_req req)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = INIT_SIGNAL;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_ptr = (void *)(uintptr_t)((token << 8) | req);
	if (syscall(SYS_pidfd_send_signal, pidfd, INIT_SIGNAL, &si, 0) < 0)
		return -errno;
	return 0;
}

/* Send a request to a jail's init from any host process. */
int
init_request(const struct jail *j, enum init_req req)
{
	_cleanup_close_ int pidfd = -1;
	int r;

	r = pidfd_open_checked(&j->init, &pidfd);
	if (r < 0)
		return r;
	return init_request_fd(pidfd, j->token, req);
}

/* The creator's request over its socket; tells whether init is exiting. */
int
init_ask(const struct jail *j, enum init_req req, bool *ret_exiting)
{
	unsigned char c = (unsigned char)req;
	char answer;

	if (j->initsock < 0)
		return -EBADF;
	if (write(j->initsock, &c, 1) != 1 || read(j->initsock, &answer, 1) != 1)
		return jail_syserr(-errno, "jail init");
	*ret_exiting = answer == 'E';
	return 0;
}

/* SIGKILL the init (the kernel then kills the whole jail) and wait. */
int
init_kill(const struct jail *j, int pidfd)
{
	_cleanup_close_ int own = -1;

	if (pidfd < 0) {
		if (pidfd_open_checked(&j->init, &own) < 0)
			return 0;	/* already gone */
		pidfd = own;
	}
	if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0 &&
	    errno != ESRCH)
		return jail_syserr(-errno, "kill jail init");
	return fd_wait(pidfd, 10000);
}
