// SPDX-License-Identifier: BSD-2-Clause
/*
 * remove.c: jail -r and jail -R, FreeBSD's stop sequence.
 *
 * Order (jail(8)): exec.prestop, exec.stop inside, SIGTERM to every
 * process of the jail, wait up to stop.timeout for them to leave, then
 * remove the jail (SIGKILL to its init: the kernel kills whatever is left
 * in its pid namespace and the mount namespace goes with it), return its
 * vnet.interface, remove its cgroup, exec.poststop, take the interface=
 * aliases off, and forget it.  The
 * jail's network namespace is held open until then: an interface is
 * returned from it after its last process has gone, as in FreeBSD.  -R skips the exec.* scripts.
 * A failing script is reported but never stops the removal.
 *
 * Also the end of a jail whose init died without jail -r: the registry
 * hands it out marked gone, and jail_reap tears it down and forgets it.
 *
 * jail -r always wins: nothing here waits on a process of the jail
 * without a bound, and nothing runs where the jail could see, stop or
 * kill it.  exec.stop is bounded (exec_run_stop); the SIGTERM is sent by
 * the jail's init (INIT_TERM), which is pid 1 there and takes no signal
 * from inside; init is then given stop.timeout to see the jail empty,
 * and SIGKILLed from the host, which takes everything left with it.
 */
#include <signal.h>
#include <stdio.h>

#include "jail/life.h"

static void
run_stop_list(const struct jail *j, enum param_id id,
    const struct jail_ops *o)
{
	int r = id == P_EXEC_STOP ? exec_run_stop(j, o)
				  : exec_run_list(j, id, o);

	if (r < 0)
		jail_warn(o, NULL, "%s\n", jail_errmsg);
}

/*
 * SIGTERM everything, let init leave once the jail is empty, and wait up
 * to stop.timeout seconds for that (0: straight to SIGKILL, as FreeBSD).
 */
static void
term_procs(const struct jail *j, int pidfd)
{
	long long timeout = param_int(&j->params, P_STOP_TIMEOUT);

	if (timeout <= 0)
		return;
	if (init_request(j, INIT_TERM) < 0)
		return;		/* init is gone: nothing to wait for */
	(void)pidfd_wait(pidfd, (int)(timeout > 86400 ? 86400 : timeout) * 1000);
}

/* jail -r: remove the jail named or numbered s. */
int
jail_destroy(const char *s, bool run_scripts, const struct jail_ops *o)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	_cleanup_close_ int pidfd = -1, netns = -1;
	int r;

	r = registry_find(s, &j);
	if (r < 0)
		return r;
	if (j->gone)
		run_scripts = false;	/* only its cgroup is left */
	j->state = JS_DYING;
	r = registry_commit(j);
	if (r < 0)
		return r;
	if (run_scripts) {
		run_stop_list(j, P_EXEC_PRESTOP, o);
		run_stop_list(j, P_EXEC_STOP, o);
	}
	if (pidfd_open_checked(&j->init, &pidfd) >= 0) {
		if (vnet_new(&j->params) && vnet_ns_open(j, &netns) < 0)
			jail_warn(o, j, "%s\n", jail_errmsg);
		term_procs(j, pidfd);
		r = init_kill(j, pidfd);
		if (r < 0)
			return r;
	}
	spawn_stop(j);
	if (netns >= 0)
		vnet_return(j, netns, o);
	r = cg_destroy(j, 5000);
	if (r < 0)
		return r;
	if (run_scripts)
		run_stop_list(j, P_EXEC_POSTSTOP, o);
	netif_del(j, o);
	r = registry_remove(j);
	if (r < 0)
		return r;
	if (o->verbose > 0 || (o->verbose == 0 && o->note_remove))
		jail_note(o, j, "removed\n");
	return 0;
}

/*
 * Tear down a jail whose init died (the registry hands it out gone): its
 * cgroups, then its entry.  -EBUSY while processes linger in its cgroup
 * (the kernel kills those of a dead pid namespace, but they leave in
 * their own time): it stays, a dying jail holding its jid, as FreeBSD's
 * dying prisons do, until a later reader tries again.
 */
int
jail_reap(struct jail *j)
{
	if (cg_destroy(j, 200) < 0)
		return -EBUSY;
	return registry_forget(j);
}

/* A jail by jid or name, a dead one torn down first: then not found. */
int
jail_find(const char *s, struct jail **ret)
{
	struct jail *j = NULL;
	int r = registry_find(s, &j);

	if (r >= 0 && j->gone && jail_reap(j) == 0) {
		jail_free(j);
		return jail_seterr(-ENOENT, "jail \"%s\" not found", s);
	}
	if (r >= 0)
		*ret = j;
	return r;
}

struct reap_walk {
	bool dying;
	jail_fn fn;
	void *arg;
};

static int
reap_then(struct jail *j, void *arg)
{
	const struct reap_walk *w = arg;

	if ((j->gone && jail_reap(j) == 0) ||
	    (j->state == JS_DYING && !w->dying)) {
		jail_free(j);
		return 0;
	}
	return w->fn(j, w->arg);
}

/*
 * Call fn on every running jail (and dying ones when dying), as
 * registry_each, the dead ones torn down on the way.
 */
int
jail_each(bool dying, jail_fn fn, void *arg)
{
	struct reap_walk w = { .dying = dying, .fn = fn, .arg = arg };

	return registry_each(true, reap_then, &w);
}
