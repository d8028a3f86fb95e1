// SPDX-License-Identifier: BSD-2-Clause
/*
 * vnet.c: the network namespace of a vnet jail and the interfaces
 * vnet.interface lends it.
 *
 * At creation the named interfaces move from the creator's namespace
 * into the jail's; at removal (and when a creation fails) they move back
 * into the namespace of the process doing it, as FreeBSD's jail -r
 * returns them.  Never into the host's initial namespace by itself: a
 * jail created inside another namespace gives its interfaces back there.
 * An interface that has gone meanwhile is only warned about.
 *
 * The namespace belongs to a user namespace of the jail's own, whose ids
 * are the host's (uid and gid 0 to 4294967294 each map to themselves),
 * and every process of the jail is in it (the spawner enters it: spawn.c).
 * A vnet jail's root needs CAP_NET_ADMIN over its stack, and the kernel
 * takes that capability, held in the host's user namespace, as power
 * over every network namespace: a request naming the host's by its id
 * (a lent veth shows it as "link-netnsid 0") would make, change or
 * delete the host's interfaces.  Held in the jail's user namespace it
 * covers the jail's stack alone.  Files, users and set-uid programs look
 * the same inside.
 */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/net.h"

/*
 * What Linux grants only to a capability held in the host's user
 * namespace.  A vnet jail's root holds its capabilities in its own, so
 * these would be set and do nothing: asking for one is refused.
 */
static const struct {
	enum param_id id;
	const char *what;
} host_only[] = {
	{ P_ALLOW_MLOCK, "locking memory past RLIMIT_MEMLOCK" },
	{ P_ALLOW_CHFLAGS, "the immutable and append-only flags" },
	{ P_ALLOW_READ_MSGBUF, "reading the kernel's log" },
	{ P_ALLOW_AUDIT, "writing to the host's audit log" },
};

/*
 * vnet.interface needs a network stack of the jail's own to move into;
 * a vnet jail cannot have what only the host's user namespace grants.
 */
int
vnet_check(const struct jail_params *p)
{
	const struct strv *l = param_list(p, P_VNET_INTERFACE);

	if (!vnet_new(p)) {
		if (l == NULL || l->n == 0)
			return 0;
		return jail_seterr(-EINVAL, "vnet.interface requires vnet=new");
	}
	for (size_t i = 0; i < nitems(host_only); i++)
		if (param_bool(p, host_only[i].id))
			return jail_seterr(-EOPNOTSUPP, "%s: not supported with "
			    "vnet=new: Linux allows %s only to the host's "
			    "user namespace, and a vnet jail's root has its "
			    "capabilities in its own",
			    param_table[host_only[i].id].name,
			    host_only[i].what);
	return 0;
}

/* Write text to /proc/PID/NAME. */
static int
proc_write(pid_t pid, const char *name, const char *text)
{
	_cleanup_close_ int fd = -1;
	char path[64];
	size_t len = strlen(text);

	(void)snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		return jail_syserr(-errno, "%s", path);
	return 0;
}

/*
 * A new network namespace owned by a new user namespace whose ids are
 * the host's, held by *ret_fd.  A child unshares both (the user one
 * first, so it owns the other) and waits while its ids are mapped from
 * here; the namespaces outlive it through the descriptor.
 */
int
vnet_ns_make(int *ret_fd)
{
	static const char ids[] = "0 0 4294967295\n";
	_cleanup_close_ int ready = -1, go = -1;
	int up[2], down[2], r = 0;
	char c = 0, path[64];	/* c: the child's errno, or 0 */
	pid_t pid;

	if (pipe2(up, O_CLOEXEC) < 0)
		return jail_syserr(-errno, "pipe");
	if (pipe2(down, O_CLOEXEC) < 0) {
		(void)close(up[0]);
		(void)close(up[1]);
		return jail_syserr(-errno, "pipe");
	}
	pid = fork();
	if (pid == 0) {
		(void)close(up[0]);
		(void)close(down[1]);
		/* 0, or the errno (all below 256) that refused them */
		c = (char)(unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0 ?
		    errno : 0);
		if (write(up[1], &c, 1) == 1)
			(void)read(down[0], &c, 1);	/* EOF: done */
		_exit(0);
	}
	ready = up[0];
	go = down[1];
	(void)close(up[1]);
	(void)close(down[0]);
	if (pid < 0)
		return jail_syserr(-errno, "fork");
	if (read(ready, &c, 1) != 1)
		c = EIO;
	if (c != 0)
		r = jail_syserr(-(unsigned char)c, "vnet: a user namespace "
		    "for the jail's network namespace");
	if (r >= 0)
		r = proc_write(pid, "uid_map", ids);
	if (r >= 0)
		r = proc_write(pid, "gid_map", ids);
	(void)snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	if (r >= 0 && (*ret_fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		r = jail_syserr(-errno, "%s", path);
	(void)close(TAKE_FD(go));
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return r;
}

/*
 * The user namespace that owns the network namespace of j's init, in
 * *ret_fd, when it is not this thread's (a vnet jail's; else -1).  The
 * last step into the jail enters it (setns CLONE_NEWUSER): once there,
 * the thread has no power over the namespaces the host's user namespace
 * owns.
 */
int
vnet_userns_open(const struct jail *j, int *ret_fd)
{
	_cleanup_close_ int net = -1, user = -1;
	struct stat own, owner;
	int r;

	*ret_fd = -1;
	if (!vnet_new(&j->params))
		return 0;
	r = vnet_ns_open(j, &net);
	if (r < 0)
		return r;
	user = ioctl(net, NS_GET_USERNS);
	if (user < 0)
		return jail_syserr(-errno, "NS_GET_USERNS");
	if (stat("/proc/thread-self/ns/user", &own) < 0 ||
	    fstat(user, &owner) < 0)
		return jail_syserr(-errno, "/proc/thread-self/ns/user");
	if (own.st_ino != owner.st_ino || own.st_dev != owner.st_dev)
		*ret_fd = TAKE_FD(user);
	return 0;
}

/*
 * The network namespace of j's init, held open: it outlives the jail's
 * processes while the descriptor lasts.  init must be alive and be j's
 * (checked through a pidfd before and after the open).
 */
int
vnet_ns_open(const struct jail *j, int *ret_fd)
{
	_cleanup_close_ int pidfd = -1, fd = -1;
	char path[64];
	int r;

	r = pidfd_open_checked(&j->init, &pidfd);
	if (r < 0)
		return r;
	(void)snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)j->init.pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return jail_syserr(-errno, "%s", path);
	/* a pid reused between the two opens would fail this */
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
		return jail_seterr(-ESRCH, "jail init has exited");
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/* Add "IFINDEX:KIND" of l to *lent, a list separated by commas. */
static int
lent_add(char **lent, const struct net_link *l)
{
	size_t have = *lent != NULL ? strlen(*lent) : 0;
	char item[64], *grown;
	int n = snprintf(item, sizeof(item), "%s%d:%s", have > 0 ? "," : "",
	    l->index, l->kind[0] != '\0' ? l->kind : "-");

	grown = realloc(*lent, have + (size_t)n + 1);
	if (grown == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	memcpy(grown + have, item, (size_t)n + 1);
	*lent = grown;
	return 0;
}

/*
 * Move every vnet.interface of j into the namespace nsfd, and keep in
 * j->lent how each was known: its index, which a move into a new
 * namespace keeps, and its kind.  vnet_return gives back only what
 * still matches, never an interface by its name alone: the jail's root
 * may rename what it was lent and make another with that name.
 */
int
vnet_give(struct jail *j, int nsfd)
{
	const struct strv *l = param_list(&j->params, P_VNET_INTERFACE);
	struct net_link link;
	int r;

	for (size_t i = 0; l != NULL && i < l->n; i++) {
		size_t had = j->lent != NULL ? strlen(j->lent) : 0;

		r = net_link_get(l->v[i], 0, &link);
		if (r == -ENODEV)
			r = jail_seterr(r, "interface %s: not found", l->v[i]);
		else if (r < 0)
			r = jail_syserr(r, "interface %s", l->v[i]);
		if (r >= 0)
			r = lent_add(&j->lent, &link);
		if (r >= 0 && (r = net_link_move_as(link.index, nsfd,
		    l->v[i])) < 0)
			j->lent[had] = '\0';	/* not lent after all */
		if (r < 0)
			return jail_errctx(r, "vnet.interface");
	}
	return 0;
}

/* The i-th "IFINDEX:KIND" of lent, or false. */
static bool
lent_item(const char *lent, size_t i, int *ret_index, char *kind, size_t size)
{
	const char *p = lent, *end;
	char *colon;
	long idx;

	while (p != NULL && i-- > 0)
		if ((p = strchr(p, ',')) != NULL)
			p++;
	if (p == NULL)
		return false;
	idx = strtol(p, &colon, 10);
	if (idx <= 0 || idx > INT_MAX || *colon != ':')
		return false;
	end = strchrnul(colon + 1, ',');
	if ((size_t)(end - colon - 1) >= size)
		return false;
	memcpy(kind, colon + 1, (size_t)(end - colon - 1));
	kind[end - colon - 1] = '\0';
	if (strcmp(kind, "-") == 0)
		kind[0] = '\0';
	*ret_index = (int)idx;
	return true;
}

/*
 * Give back the i-th interface of vnet.interface, named name, from the
 * jail's namespace (the thread's now) into self: the one of the index
 * and kind it had when lent, under its own name again.  Anything else
 * stays in the jail, to go with its namespace.
 */
static int
vnet_return_one(const struct jail *j, size_t i, const char *name, int self)
{
	struct net_link now;
	char kind[sizeof(now.kind)];
	int idx, r;

	if (j->lent == NULL || !lent_item(j->lent, i, &idx, kind, sizeof(kind)))
		return jail_seterr(-ENOENT, "interface %s: not known as lent "
		    "(left in the jail)", name);
	r = net_link_get(NULL, idx, &now);
	if (r < 0)
		return jail_seterr(r, "interface %s: gone", name);
	if (strcmp(now.kind, kind) != 0)
		return jail_seterr(-EPERM, "interface %s: index %d is a %s "
		    "made in the jail now (left there)", name, idx,
		    now.kind[0] != '\0' ? now.kind : "device");
	return net_link_move_as(idx, self, name);
}

/*
 * Move every vnet.interface of j still in the namespace jailns (a
 * namespace fd or init's pidfd) back into this thread's.  The thread
 * enters jailns to ask (a netlink socket belongs to the namespace it was
 * made in) and always comes back.  o NULL: say nothing of the missing.
 * jail_errmsg is left as it was (a failed creation's reason).
 */
void
vnet_return(const struct jail *j, int jailns, const struct jail_ops *o)
{
	const struct strv *l = param_list(&j->params, P_VNET_INTERFACE);
	_cleanup_close_ int self = -1;
	char saved[JAIL_ERRMSGLEN];

	if (l == NULL || l->n == 0)
		return;
	(void)snprintf(saved, sizeof(saved), "%s", jail_errmsg);
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || setns(jailns, CLONE_NEWNET) < 0) {
		if (o != NULL)
			jail_warn(o, j, "vnet.interface: cannot enter the "
			    "jail's network: %s\n", strerror(errno));
		return;
	}
	for (size_t i = 0; i < l->n; i++)
		if (vnet_return_one(j, i, l->v[i], self) < 0 && o != NULL)
			jail_warn(o, j, "vnet.interface: %s\n", jail_errmsg);
	if (setns(self, CLONE_NEWNET) < 0)
		abort();	/* cannot happen: our own, still alive */
	(void)snprintf(jail_errmsg, sizeof(jail_errmsg), "%s", saved);
}
