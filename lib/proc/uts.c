// SPDX-License-Identifier: BSD-2-Clause
/*
 * uts.c: allow.set_hostname, a jailed root changing its jail's hostname.
 *
 * sethostname(2) needs CAP_SYS_ADMIN over the jail's UTS namespace, and
 * without a user namespace that is CAP_SYS_ADMIN over the host: no jailed
 * process may hold it.  So the two calls are answered by the jail's init
 * instead, through seccomp user notification: with allow.set_hostname,
 * the jail's spawner (spawn.c), which forks every command entering the
 * jail, installs a filter (seccomp.c) handing sethostname and
 * setdomainname to a listener, and sends the listener to init over a
 * socket only the host can reach (init's descriptor INIT_UTS_FD, fetched
 * with pidfd_getfd: init is not dumpable, so no jailed process can).
 * Every process of the jail inherits that one filter.  In a jail with a
 * socket broker (sockbroker.c), the filter's listener is the broker's
 * (a process has one listener in all): it passes init each hostname
 * call it is notified of, the caller's pid made the jail's, with the
 * listener to answer it on ('N').  Init, with no capability at all, checks
 * that the caller is the jail's root, reads the name from its memory and
 * writes it to kernel/hostname of its own procfs: a UTS sysctl is
 * guarded by file mode only and changes the writer's own namespace,
 * which is the jail's.  Nothing else is ever written, and nothing a
 * jailed process sends is trusted beyond a bounded copy of the name.
 */
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "proc/proc.h"
#include "spawn-int.h"

#define UTS_NAME_MAX 64		/* __NEW_UTS_LEN */

/*
 * The socket pair, before the jail's root is built; statefd is the
 * jail's state directory, which init holds (its entry's lock).
 */
int
uts_service_open(int statefd, struct uts_service *ret)
{
	int sv[2];

	*ret = (struct uts_service){ .kernfd = -1, .rx = -1,
	    .statefd = statefd, .procfd = -1 };
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return jail_syserr(-errno, "socketpair");
	ret->rx = sv[0];
	if (dup3(sv[1], INIT_UTS_FD, O_CLOEXEC) < 0) {
		(void)close(sv[1]);
		return jail_syserr(-errno, "dup3");
	}
	(void)close(sv[1]);
	return 0;
}

/* Init's own procfs: the callers' uids and writable UTS sysctls. */
int
uts_service_proc(struct uts_service *u, int procfd)
{
	u->procfd = procfd;
	u->kernfd = openat(procfd, "sys/kernel",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (u->kernfd < 0)
		return jail_syserr(-errno, "procfs sys/kernel");
	return 0;
}

/* Add u's descriptors to keep (for close_all_but); returns how many. */
size_t
uts_service_fds(const struct uts_service *u, int *keep)
{
	keep[0] = u->kernfd;
	keep[1] = u->rx;
	keep[2] = INIT_UTS_FD;
	keep[3] = u->statefd;
	return 4;
}

/*
 * What arrives on init's socket: 'L' and a listener to serve (from the
 * spawner), or 'N', a hostname call a socket broker was notified of
 * (its pid the jail's) and the listener to answer it on.
 */
struct uts_msg {
	uint32_t type;
	struct seccomp_notif req;
};

static void uts_reply(const struct uts_service *u, int lfd,
    const struct seccomp_notif *req);

/* One listener or request received, or nothing. */
static void
uts_take_listener(struct uts_service *u)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct uts_msg m = { 0 };
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	ssize_t n;
	int fd;

	n = recvmsg(u->rx, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n <= 0)
		return;
	c = CMSG_FIRSTHDR(&mh);
	if (c == NULL || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)))
		return;
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	if (n == (ssize_t)sizeof(m) && m.type == 'N') {
		uts_reply(u, fd, &m.req);
		(void)close(fd);
		return;
	}
	if (n != 1 || *(const char *)&m != 'L') {
		(void)close(fd);
		return;
	}
	if (u->n == nitems(u->lfd)) {
		(void)close(u->lfd[0]);	/* the oldest: ENOSYS from now */
		memmove(u->lfd, u->lfd + 1, (u->n - 1) * sizeof(int));
		u->n--;
	}
	u->lfd[u->n++] = fd;
}

/* Whether pid (in the jail) runs as the jail's root: effective uid 0. */
static bool
caller_is_root(const struct uts_service *u, pid_t pid)
{
	char path[64], line[256];
	unsigned ruid, euid;
	bool root = false;
	FILE *f;
	int fd;

	(void)snprintf(path, sizeof(path), "%d/status", (int)pid);
	fd = openat(u->procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (f = fdopen(fd, "r")) == NULL) {
		if (fd >= 0)
			(void)close(fd);
		return false;
	}
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Uid: %u %u", &ruid, &euid) == 2) {
			root = euid == 0;
			break;
		}
	(void)fclose(f);
	return root;
}

/* The sysctl a notified call stands for, or NULL. */
static const char *
uts_sysctl(const struct seccomp_notif *req)
{
	char *name = seccomp_syscall_resolve_num_arch(req->data.arch,
	    req->data.nr);
	const char *file = NULL;

	if (name != NULL && strcmp(name, "sethostname") == 0)
		file = "hostname";
	else if (name != NULL && strcmp(name, "setdomainname") == 0)
		file = "domainname";
	free(name);
	return file;
}

/*
 * Record the jail's names for jls in the entry's "uts" (registry made it,
 * and linked it public as uts/JID for an ordinary user's jls): written in
 * place, one record of UTS_RECORD bytes padded with NULs, by one pwrite.
 * A reader racing it may see a mix of two names the jail set, no more
 * than the jail could set at once.
 */
static void
uts_record(const struct uts_service *u)
{
	_cleanup_close_ int fd = -1;
	struct utsname un;
	char buf[UTS_RECORD] = "";

	if (uname(&un) < 0)
		return;
	/* Linux's "(none)" is an unset domain name: "" as a parameter */
	(void)snprintf(buf, sizeof(buf), "%s\n%s\n", un.nodename,
	    strcmp(un.domainname, "(none)") == 0 ? "" : un.domainname);
	fd = openat(u->statefd, UTS_FILE, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && pwrite(fd, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf))
		(void)registry_lock_uts(u->statefd);	/* readers: look */
}

/* Do what sethostname/setdomainname asked; 0 or -errno for the caller. */
static int
uts_answer(const struct uts_service *u, int lfd,
    const struct seccomp_notif *req)
{
	const char *file = uts_sysctl(req);
	size_t len = (size_t)req->data.args[1];
	char name[UTS_NAME_MAX + 1];
	struct iovec local = { name, len }, remote = {
		(void *)(uintptr_t)req->data.args[0], len };
	_cleanup_close_ int fd = -1;

	if (file == NULL)
		return -ENOSYS;
	if (len > UTS_NAME_MAX)
		return -EINVAL;
	if (!caller_is_root(u, (pid_t)req->pid))
		return -EPERM;
	if (len > 0 && process_vm_readv((pid_t)req->pid, &local, 1, &remote,
		1, 0) != (ssize_t)len)
		return errno == ESRCH ? -ESRCH : errno == EFAULT ? -EFAULT :
		    -EPERM;	/* not dumpable (a setuid program) */
	/* the caller may have died and its pid been reused meanwhile */
	if (seccomp_notify_id_valid(lfd, req->id) != 0)
		return -ESRCH;
	if (memchr(name, '\n', len) != NULL)
		return -EINVAL;	/* the sysctl would cut the name there */
	name[len] = '\n';	/* an empty name too, as sethostname("") */
	fd = openat(u->kernfd, file, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, name, len + 1) != (ssize_t)(len + 1))
		return -errno;
	uts_record(u);
	return 0;
}

/* Answer a hostname call req, notified on lfd. */
static void
uts_reply(const struct uts_service *u, int lfd,
    const struct seccomp_notif *req)
{
	struct seccomp_notif_resp resp = { .id = req->id };

	resp.error = uts_answer(u, lfd, req);
	(void)seccomp_notify_respond(lfd, &resp);
}

/* One notification on lfd; false when the listener is done. */
static bool
uts_serve(const struct uts_service *u, int lfd)
{
	struct seccomp_notif *req = NULL;
	struct seccomp_notif_resp *resp = NULL;
	bool alive = true;

	if (seccomp_notify_alloc(&req, &resp) != 0)
		return true;
	if (seccomp_notify_receive(lfd, req) == 0) {
		resp->id = req->id;
		resp->error = uts_answer(u, lfd, req);
		resp->val = 0;
		resp->flags = 0;
		(void)seccomp_notify_respond(lfd, resp);
	} else if (errno != ENOENT && errno != EINTR)
		alive = false;
	seccomp_notify_free(req, resp);
	return alive;
}

/* Append u's pollfds (rx, then each listener) at p; returns how many. */
size_t
uts_service_poll(const struct uts_service *u, struct pollfd *p)
{
	p[0] = (struct pollfd){ .fd = u->rx, .events = POLLIN };
	for (size_t i = 0; i < u->n; i++)
		p[1 + i] = (struct pollfd){ .fd = u->lfd[i], .events = POLLIN };
	return 1 + u->n;
}

/* Handle what poll reported on the pollfds uts_service_poll made. */
void
uts_service_run(struct uts_service *u, const struct pollfd *p)
{
	size_t n = u->n, kept = 0;
	int old[nitems(u->lfd)];

	memcpy(old, u->lfd, n * sizeof(int));
	for (size_t i = 0; i < n; i++) {
		bool alive = true;

		if (p[1 + i].revents & POLLIN)
			alive = uts_serve(u, old[i]);
		if (p[1 + i].revents & (POLLHUP | POLLERR | POLLNVAL))
			alive = false;	/* every process of it is gone */
		if (alive)
			u->lfd[kept++] = old[i];
		else
			(void)close(old[i]);
	}
	u->n = kept;
	if (p[0].revents & POLLIN)
		uts_take_listener(u);
}

/*
 * In a socket broker: hand init the hostname call req it was notified
 * of on listener, req->pid being the caller's pid in the jail.
 */
int
uts_forward(int tx, int listener, const struct seccomp_notif *req)
{
	struct uts_msg m = { .type = 'N', .req = *req };

	return spawn_send(tx, &m, sizeof(m), &listener, 1, MSG_DONTWAIT);
}

/* In the jail's spawner: hand its filter's listener to init. */
int
uts_send_listener(int tx, int listener)
{
	int r = spawn_send(tx, "L", 1, &listener, 1, 0);

	return r < 0 ? jail_syserr(r, "allow.set_hostname: hand over") : 0;
}

/*
 * jail -m host.hostname / host.domainname: set the names of jail j's UTS
 * namespace (NULL: leave it).  jail(8) enters that namespace alone, for
 * the two calls, and goes back: no process is made in the jail's pid
 * namespace, where the jail's root could see it and stop it for good
 * (a jailed loop sending SIGSTOP to every new process), and none of the
 * jail's mounts, root or files is touched.  jail(8) has one thread, so
 * nothing else runs meanwhile in the namespace it borrows.
 */
int
uts_set(const struct jail *j, const char *host, const char *domain)
{
	_cleanup_close_ int pidfd = -1, self = -1;
	int r = 0;

	if (pidfd_open_checked(&j->init, &pidfd) < 0)
		return jail_seterr(-ESRCH, "jail \"%s\" not found",
		    jail_name(j));
	self = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return jail_syserr(-errno, "/proc/self/ns/uts");
	if (setns(pidfd, CLONE_NEWUTS) < 0)
		return jail_syserr(-errno, "setns uts");
	if (host != NULL && sethostname(host, strlen(host)) < 0)
		r = jail_syserr(-errno, "host.hostname");
	if (r >= 0 && domain != NULL &&
	    setdomainname(domain, strlen(domain)) < 0)
		r = jail_syserr(-errno, "host.domainname");
	if (setns(self, CLONE_NEWUTS) < 0)
		abort();	/* cannot happen: our own namespace */
	return r;
}
