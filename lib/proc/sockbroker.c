// SPDX-License-Identifier: BSD-2-Clause
/*
 * sockbroker.c: the socket broker of a jail whose IPv4 or IPv6 sockets
 * are the host's stack's while the jail lives in a network namespace of
 * its own.
 *
 * A jail without vnet and not "inherit" in both ip4 and ip6 has a network
 * namespace of its own (init.c): its procfs net directories and
 * sock_diag list its own sockets, not the host's, its abstract unix
 * sockets are its own, and its loopback holds its addresses.  Its
 * sockets of the families it may use (net_brokered) must still be made
 * on the host's stack, where its addresses, their routes and the aliases
 * of interface= are.  The jail's spawner (spawn.c) installs a filter
 * handing socket(2) of those families to a listener (seccomp.c) and gives
 * the listener to this broker: a process it forks before it enters the
 * jail's network namespace, which then joins the host's (the one init
 * keeps as INIT_NET_FD), in the host's pid namespace (nothing in the
 * jail can see, signal or trace it; it is not dumpable) and in the
 * jail's cgroup.  A socket takes its cgroup from its creator, so the
 * jail's socket programs and packet filters (netbpf.c) hold for these
 * sockets unchanged.
 *
 * For each call it reads the caller's credentials from /proc/PID/status
 * (a procfs of pid directories only, its own), checks the call is still
 * waiting (its arguments are registers: there is no memory the caller
 * could change meanwhile), makes the socket with the caller's fsuid and
 * fsgid (its owner), egid and groups (ping_group_range, for an ICMP
 * datagram socket) and CAP_NET_RAW only if the caller has it in effect
 * (a raw socket: allow.raw_sockets and root), and installs it in the
 * caller with SECCOMP_ADDFD_FLAG_SEND (Linux 5.14), which answers the
 * call with the new descriptor, close-on-exec if the caller asked.  The
 * rest (bind, connect, accept, sendmsg...) the caller does itself.  With
 * allow.set_hostname the same listener gets the hostname calls (a
 * process has one listener in all): they go to the jail's init (uts.c)
 * with the caller's pid in the jail's pid namespace.
 *
 * It leaves with the jail's init, or when no process is left under its
 * filter; it outlives its spawner, so that the processes a killed
 * spawner started keep making sockets.  Should the broker itself be
 * killed, a socket(2) it would have made fails with ENOSYS (the kernel's
 * answer once a listener is gone) in the processes of its spawner, which
 * then leaves too: the next command entering the jail starts a new
 * spawner and broker.  It never runs anything of the jail's, never reads
 * a caller's memory and holds only CAP_SETUID, CAP_SETGID and, with
 * allow.raw_sockets, CAP_NET_RAW.
 */
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <linux/nsfs.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc/proc.h"
#include "spawn-int.h"

#define CAPBIT(c) (UINT64_C(1) << (c))
#define X32_SYSCALL_BIT 0x40000000

/* The broker's state. */
struct broker {
	int lfd;		/* the listener */
	int procfd;		/* a procfs of the host's pid namespace */
	int initfd;		/* the jail's init: it leaves with it */
	int uts_tx;		/* allow.set_hostname: init's socket, or -1 */
	uint64_t perm;		/* what it holds */
};

/* A caller, from its /proc/PID/status. */
struct caller {
	unsigned fsuid, egid, fsgid;
	uint64_t capeff;
	long nspid;		/* in the jail's pid namespace, or -1 */
	const char *groups;	/* the Groups line's numbers, or NULL */
};

/* What a notification is. */
enum call {
	CALL_OTHER,
	CALL_SOCKET,
	CALL_UTS,		/* sethostname, setdomainname */
};

/* Answer call id with -err; nothing to do if the caller went. */
static void
respond(int lfd, uint64_t id, int err)
{
	struct seccomp_notif_resp resp = { .id = id, .error = err };

	(void)ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/* The call a notification stands for, on any of the three ABIs. */
static enum call
call_of(const struct seccomp_notif *req)
{
	uint32_t arch = req->data.arch;
	enum call c = CALL_OTHER;
	char *name;

	/* x32 calls come as x86_64's arch with bit 30 in the number */
	if (arch == SCMP_ARCH_X86_64 && (req->data.nr & X32_SYSCALL_BIT))
		arch = SCMP_ARCH_X32;
	name = seccomp_syscall_resolve_num_arch(arch, req->data.nr);
	if (name != NULL && strcmp(name, "socket") == 0)
		c = CALL_SOCKET;
	else if (name != NULL && (strcmp(name, "sethostname") == 0 ||
	    strcmp(name, "setdomainname") == 0))
		c = CALL_UTS;
	free(name);
	return c;
}

/* The last number of an "NSpid:" line: the pid in the innermost. */
static long
last_number(const char *s)
{
	const char *sp = strrchr(s, '\t');

	return strtol(sp != NULL ? sp + 1 : s, NULL, 10);
}

/* Parse a status text (modified in place) into ret; -EPERM if short. */
static int
status_parse(char *buf, struct caller *ret)
{
	unsigned x, got = 0;
	char *next;

	*ret = (struct caller){ .nspid = -1 };
	for (char *l = buf; l != NULL && *l != '\0'; l = next) {
		next = strchr(l, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (strncmp(l, "Uid:", 4) == 0 &&
		    sscanf(l, "Uid: %u %u %u %u", &x, &x, &x, &ret->fsuid) == 4)
			got |= 1;
		else if (strncmp(l, "Gid:", 4) == 0 && sscanf(l,
		    "Gid: %u %u %u %u", &x, &ret->egid, &x, &ret->fsgid) == 4)
			got |= 2;
		else if (strncmp(l, "Groups:", 7) == 0)
			ret->groups = l + 7;
		else if (strncmp(l, "CapEff:", 7) == 0 &&
		    sscanf(l, "CapEff: %" SCNx64, &ret->capeff) == 1)
			got |= 4;
		else if (strncmp(l, "NSpid:", 6) == 0) {
			ret->nspid = strchr(l + 7, '\t') != NULL ?
			    last_number(l + 6) : -1;	/* one: not jailed */
			got |= 8;
		}
	}
	return got == 15 ? 0 : -EPERM;
}

/*
 * The credentials of the thread pid (the broker's pid namespace), from
 * its status file; they are its until the call is answered, which the
 * caller checks with SECCOMP_IOCTL_NOTIF_ID_VALID afterwards.
 */
static int
caller_read(const struct broker *b, uint32_t pid, struct caller *ret)
{
	static char buf[65536];	/* Groups may be long */
	_cleanup_close_ int fd = -1;
	size_t len = 0;
	char path[32];
	ssize_t n;

	(void)snprintf(path, sizeof(path), "%u/status", pid);
	fd = openat(b->procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -EPERM;	/* gone, which ID_VALID tells next */
	/* procfs gives the whole file at once: a short read is its end */
	while (len < sizeof(buf) - 1 &&
	    (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += (size_t)n;
		if ((size_t)n < sizeof(buf) - 1 - (len - (size_t)n))
			break;
	}
	buf[len] = '\0';
	return status_parse(buf, ret);
}

/* The caller's supplementary groups ("1 2 3"), the broker's own. */
static int
groups_set(const char *list)
{
	_cleanup_free_ gid_t *g = NULL;
	size_t n = 0, max = 0;
	char *end;

	for (const char *s = list; s != NULL && *s != '\0'; s++)
		max += *s == ' ' || *s == '\t';
	g = calloc(max + 1, sizeof(*g));
	if (g == NULL)
		return -ENOMEM;
	for (const char *s = list; s != NULL && n <= max; s = end) {
		unsigned long v = strtoul(s, &end, 10);

		if (end == s)
			break;
		g[n++] = (gid_t)v;
	}
	return setgroups(n, g) < 0 ? -errno : 0;
}

/* capset: permitted perm, effective eff (a subset). */
static int
caps_eff(uint64_t perm, uint64_t eff)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	d[0].permitted = (uint32_t)perm;
	d[1].permitted = (uint32_t)(perm >> 32);
	d[0].effective = (uint32_t)eff;
	d[1].effective = (uint32_t)(eff >> 32);
	return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

/* What become changed, for unbecome. */
enum {
	TOOK_IDS = 1 << 0,	/* fsuid, fsgid */
	TOOK_GROUPS = 1 << 1,	/* egid, groups */
	TOOK_CAPS = 1 << 2,	/* something in effect */
};

/*
 * Take the caller's powers over a socket: its fsuid and fsgid (which own
 * it), for an ICMP datagram socket its egid and groups (the kernel's
 * ping_group_range check), and of the broker's capabilities, none in
 * effect at rest, only CAP_NET_RAW for a raw socket (the only one that
 * needs it), if the caller has it in effect.  Each step is checked: a
 * socket is never made with more than the caller has.  The jail's root
 * over a TCP or UDP socket, the common case, needs no change at all:
 * fsuid and fsgid 0, no capability.  *took: what changed.
 */
static int
become(const struct broker *b, const struct caller *c, int type,
    bool icmp, unsigned *took)
{
	uint64_t ids = CAPBIT(CAP_SETUID) | CAPBIT(CAP_SETGID);
	uint64_t eff = (type & 0xf) != SOCK_RAW ? 0 :
	    b->perm & c->capeff & CAPBIT(CAP_NET_RAW);

	*took = (c->fsuid != 0 || c->fsgid != 0 ? TOOK_IDS : 0) |
	    (icmp ? TOOK_GROUPS : 0);
	if (*took != 0 && caps_eff(b->perm, ids) < 0)
		return -EPERM;
	if (*took != 0)
		*took |= TOOK_CAPS;
	if (icmp && (groups_set(c->groups) < 0 ||
	    setresgid((gid_t)-1, c->egid, (gid_t)-1) < 0))
		return -EPERM;
	if (*took & TOOK_IDS) {
		(void)setfsgid(c->fsgid);
		(void)setfsuid(c->fsuid);
		/* an invalid id changes nothing and returns the current one */
		if ((unsigned)setfsgid((gid_t)-1) != c->fsgid ||
		    (unsigned)setfsuid((uid_t)-1) != c->fsuid)
			return -EPERM;
	}
	if (eff != 0)
		*took |= TOOK_CAPS;
	return *took & TOOK_CAPS ? caps_eff(b->perm, eff) : 0;
}

/*
 * Back to the broker's own credentials, what become changed: uid and gid
 * 0 (which needs no capability), no groups, nothing in effect.  It
 * cannot go on without them.
 */
static void
unbecome(const struct broker *b, unsigned took)
{
	if ((took & TOOK_GROUPS) && (caps_eff(b->perm,
	    CAPBIT(CAP_SETGID)) < 0 || setgroups(0, NULL) < 0 ||
	    setresgid((gid_t)-1, 0, (gid_t)-1) < 0))
		_exit(1);
	if (took & TOOK_IDS) {
		(void)setfsuid(0);
		(void)setfsgid(0);
		if (setfsuid((uid_t)-1) != 0 || setfsgid((gid_t)-1) != 0)
			_exit(1);
	}
	if ((took & TOOK_CAPS) && caps_eff(b->perm, 0) < 0)
		_exit(1);
}

/* Install fd in the caller as what its socket(2) returns. */
static void
install(const struct broker *b, const struct seccomp_notif *req, int fd,
    bool cloexec)
{
	struct seccomp_notif_addfd a = {
		.id = req->id,
		.flags = SECCOMP_ADDFD_FLAG_SEND,
		.srcfd = (uint32_t)fd,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};

	/* on failure (EMFILE) the call still waits for an answer */
	if (ioctl(b->lfd, SECCOMP_IOCTL_NOTIF_ADDFD, &a) < 0 &&
	    errno != ENOENT)
		respond(b->lfd, req->id, -errno);
}

/*
 * socket(family, type, protocol) for the caller of req, on the host's
 * stack: the arguments are an int each in the kernel, as here.
 */
static void
broker_socket(const struct broker *b, const struct seccomp_notif *req)
{
	int family = (int)req->data.args[0], type = (int)req->data.args[1];
	int proto = (int)req->data.args[2], fd = -1, r;
	bool icmp = (type & 0xf) == SOCK_DGRAM &&
	    ((family == AF_INET && proto == IPPROTO_ICMP) ||
	    (family == AF_INET6 && proto == IPPROTO_ICMPV6));
	unsigned took = TOOK_IDS | TOOK_GROUPS | TOOK_CAPS;
	struct caller c;

	r = caller_read(b, req->pid, &c);
	if (ioctl(b->lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
		return;		/* gone: its pid may be another's now */
	if (r < 0) {
		respond(b->lfd, req->id, r);
		return;
	}
	r = become(b, &c, type, icmp, &took);
	if (r >= 0 && (fd = socket(family, type | SOCK_CLOEXEC, proto)) < 0)
		r = -errno;
	unbecome(b, took);
	if (r < 0) {
		respond(b->lfd, req->id, r);
		return;
	}
	install(b, req, fd, (type & SOCK_CLOEXEC) != 0);
	(void)close(fd);
}

/*
 * sethostname or setdomainname: to the jail's init, which answers it
 * (uts.c), with the caller's pid in the jail's pid namespace; refused as
 * without allow.set_hostname if there is no init to ask.
 */
static void
broker_uts(const struct broker *b, struct seccomp_notif *req)
{
	struct caller c;
	int r = b->uts_tx < 0 ? -EPERM : caller_read(b, req->pid, &c);

	if (ioctl(b->lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
		return;
	if (r >= 0 && c.nspid <= 0)
		r = -EPERM;	/* not a process of the jail's */
	if (r >= 0) {
		req->pid = (uint32_t)c.nspid;
		if (req->data.arch == SCMP_ARCH_X86_64 &&
		    (req->data.nr & X32_SYSCALL_BIT))
			req->data.arch = SCMP_ARCH_X32;	/* for init's lookup */
		r = uts_forward(b->uts_tx, b->lfd, req) < 0 ? -EPERM : 0;
	}
	if (r < 0)
		respond(b->lfd, req->id, r);
}

/* One notification. */
static void
broker_one(const struct broker *b)
{
	struct seccomp_notif req;

	memset(&req, 0, sizeof(req));	/* the kernel wants it zeroed */
	if (ioctl(b->lfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
		if (errno != ENOENT && errno != EINTR)
			_exit(1);
		return;		/* the caller went meanwhile */
	}
	switch (call_of(&req)) {
	case CALL_SOCKET:
		broker_socket(b, &req);
		break;
	case CALL_UTS:
		broker_uts(b, &req);
		break;
	default:
		respond(b->lfd, req.id, -ENOSYS);
		break;
	}
}

/* Serve until init exits or no process is left under the filter. */
static void __attribute__((noreturn))
broker_loop(const struct broker *b)
{
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = b->lfd, .events = POLLIN },
			{ .fd = b->initfd, .events = POLLIN },
		};

		if (poll(p, 2, -1) < 0)
			continue;
		if (p[1].revents != 0)
			_exit(0);
		if (p[0].revents & POLLIN)
			broker_one(b);
		else if (p[0].revents != 0)
			_exit(0);	/* POLLHUP: nobody left to serve */
	}
}

/*
 * A procfs of the broker's own, of its pid namespace (the host's, where
 * the notifications' pids are), with pid directories only (subset=pid,
 * Linux 5.8): no sysctl or other host-wide file in reach.
 */
static int
broker_procfs(int *ret)
{
	_cleanup_close_ int fs = fsopen("proc", FSOPEN_CLOEXEC);
	int mnt;

	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "subset", "pid",
	    0) < 0 || fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return jail_syserr(-errno, "socket broker: procfs");
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID |
	    MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_RDONLY);
	if (mnt < 0)
		return jail_syserr(-errno, "socket broker: procfs");
	*ret = mnt;
	return 0;
}

/*
 * Into the host's network namespace, its own procfs, nothing else of the
 * spawner's, its capabilities: CAP_SETUID and CAP_SETGID to take a
 * caller's ids, and CAP_NET_RAW where the jail's root has it.
 */
static int
broker_setup(struct broker *b, const struct jail_params *p, int hostns,
    int rx)
{
	int keep[] = { rx, b->initfd, b->uts_tx, -1 };
	int r = 0;

	if (hostns >= 0 && setns(hostns, CLONE_NEWNET) < 0)
		r = jail_syserr(-errno, "socket broker: setns");
	if (r >= 0)
		r = broker_procfs(&b->procfd);
	if (r < 0)
		return r;
	keep[3] = b->procfd;
	close_all_but(keep, nitems(keep));
	b->perm = CAPBIT(CAP_SETUID) | CAPBIT(CAP_SETGID) |
	    (confine_caps_for(p) & CAPBIT(CAP_NET_RAW));
	if (setgroups(0, NULL) < 0)
		return jail_syserr(-errno, "socket broker: setgroups");
	r = confine_bounding(b->perm);
	if (r >= 0)
		r = caps_eff(b->perm, 0);	/* raised only while needed */
	if (r >= 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		r = -errno;
	return r < 0 ? jail_syserr(r, "socket broker: capabilities") : 0;
}

/* The listener, from the spawner; -1 if it gave none. */
static int
take_listener(int rx)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(rx, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&mh);
	if (c != NULL && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

static void __attribute__((noreturn))
broker_main(const struct jail *j, int hostns, int uts_tx, int rx)
{
	struct broker b = { .lfd = -1, .procfd = -1, .initfd = j->pidfd,
		.uts_tx = uts_tx };
	int r = broker_setup(&b, &j->params, hostns, rx);

	jail_report_write(rx, r);
	if (r < 0)
		_exit(1);
	b.lfd = take_listener(rx);
	if (b.lfd < 0)
		_exit(1);
	(void)close(rx);
	broker_loop(&b);
}

/* Whether jail j's IPv4 or IPv6 sockets are its broker's to make. */
bool
sockbroker_wanted(const struct jail *j)
{
	return net_brokered(&j->params, AF_INET) ||
	    net_brokered(&j->params, AF_INET6);
}

/*
 * The host's network namespace for jail j's broker, from its init
 * (INIT_NET_FD; only the host can take it: pidfd_getfd needs
 * CAP_SYS_PTRACE over init); -1 if the jail needs no broker.  A jail
 * whose init has none (made by an older gaol) gets the caller's own.
 */
int
sockbroker_hostns(const struct jail *j)
{
	int fd;

	if (!sockbroker_wanted(j))
		return -1;
	fd = (int)syscall(SYS_pidfd_getfd, j->pidfd, INIT_NET_FD, 0);
	if (fd >= 0 && ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET) {
		(void)close(fd);	/* not one: an init of another gaol */
		fd = -1;
	}
	return fd;
}

/*
 * In jail j's spawner, in the jail's namespaces but its network and pid
 * ones, before its filters: fork its broker, if it needs one, into the
 * network namespace hostns.  uts_tx, init's socket for hostname calls,
 * or -1.  ret->pid is 0 if there is none.
 */
int
sockbroker_start(const struct jail *j, int hostns, int uts_tx,
    struct sockbroker *ret)
{
	int sv[2], r;
	pid_t pid;

	*ret = (struct sockbroker){ .pid = 0, .tx = -1 };
	if (!sockbroker_wanted(j))
		return 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return jail_syserr(-errno, "socketpair");
	pid = fork();
	if (pid == 0) {
		(void)close(sv[0]);
		broker_main(j, hostns, uts_tx, sv[1]);
	}
	(void)close(sv[1]);
	if (pid < 0) {
		(void)close(sv[0]);
		return jail_syserr(-errno, "socket broker: fork");
	}
	r = jail_report_read(sv[0], false, "socket broker");
	if (r < 0) {
		(void)close(sv[0]);
		return r;	/* it has exited: the spawner reaps it */
	}
	*ret = (struct sockbroker){ .pid = pid, .tx = sv[0] };
	return 0;
}

/* Give the broker its listener (the spawner's filter's); once. */
int
sockbroker_give(struct sockbroker *b, int listener)
{
	int r = spawn_send(b->tx, "L", 1, &listener, 1, 0);

	(void)close(b->tx);
	b->tx = -1;
	return r < 0 ? jail_syserr(r, "socket broker: hand over") : 0;
}
