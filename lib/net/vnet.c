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
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "net/net.h"

/* vnet.interface needs a network stack of the jail's own to move into. */
int
vnet_check(const struct jail_params *p)
{
	const struct strv *l = param_list(p, P_VNET_INTERFACE);

	if (l == NULL || l->n == 0 || vnet_new(p))
		return 0;
	return jail_seterr(-EINVAL, "vnet.interface requires vnet=new");
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

/* Move every vnet.interface of j into the namespace nsfd. */
int
vnet_give(const struct jail *j, int nsfd)
{
	const struct strv *l = param_list(&j->params, P_VNET_INTERFACE);
	int r;

	for (size_t i = 0; l != NULL && i < l->n; i++)
		if ((r = net_link_move(l->v[i], nsfd)) < 0)
			return jail_errctx(r, "vnet.interface");
	return 0;
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
		if (net_link_move(l->v[i], self) < 0 && o != NULL)
			jail_warn(o, j, "vnet.interface: %s\n", jail_errmsg);
	if (setns(self, CLONE_NEWNET) < 0)
		abort();	/* cannot happen: our own, still alive */
	(void)snprintf(jail_errmsg, sizeof(jail_errmsg), "%s", saved);
}
