// SPDX-License-Identifier: BSD-2-Clause
/*
 * remove.c: jail -r and jail -R, FreeBSD's stop sequence: the steps of
 * jail -c (steps.c) walked back from the last.
 *
 * Order (jail(8)): mark the jail dying, exec.prestop, exec.stop inside,
 * SIGTERM to every process of the jail, wait up to stop.timeout for them
 * to leave, then remove the jail (SIGKILL to its init: the kernel kills
 * whatever is left in its pid namespace and the mount namespace goes
 * with it), stop its spawner, return its vnet.interface, remove its
 * cgroup, exec.poststop, take the interface= aliases off, and forget it.
 * The jail's network namespace is held open until then: an interface
 * is returned from it after its last process has gone, as in FreeBSD.
 * -R skips the exec.* scripts.  A failing script is reported but never
 * stops the removal.
 *
 * Also the end of a jail whose init died without jail -r: the registry
 * hands it out marked gone, and jail_find and jail_each tear it down
 * (jail_reap, steps.c) and forget it.
 *
 * jail -r always wins: nothing here waits on a process of the jail
 * without a bound, and nothing runs where the jail could see, stop or
 * kill it.  exec.stop is bounded (exec_run_stop); the SIGTERM is sent by
 * the jail's init (INIT_TERM), which is pid 1 there and takes no signal
 * from inside; init is then given stop.timeout to see the jail empty,
 * and SIGKILLed from the host, which takes everything left with it.
 */
#include "steps.h"

/* jail -r: remove the jail named or numbered s. */
int
jail_destroy(const char *s, bool run_scripts, const struct jail_ops *o)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	struct life l;
	int r;

	r = registry_find(s, &j);
	if (r < 0)
		return r;
	life_start(&l, j, o, LIFE_REMOVE);
	l.scripts = run_scripts && !j->gone;	/* gone: only its cgroup left */
	(void)pidfd_open_checked(&j->init, &j->pidfd);	/* -1: init is gone */
	r = life_back(&l);
	if (r < 0)
		return r;
	if (o->verbose > 0 || (o->verbose == 0 && o->note_remove))
		jail_note(o, j, "removed\n");
	return 0;
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

/*
 * Whether a walk over the registry passes j over: a dead jail, torn down
 * here (jail_reap), or a dying one when dying ones were not asked for.
 */
bool
jail_passed_over(struct jail *j, bool dying)
{
	return (j->gone && jail_reap(j) == 0) ||
	    (j->state == JS_DYING && !dying);
}

static int
reap_then(struct jail *j, void *arg)
{
	const struct reap_walk *w = arg;

	if (jail_passed_over(j, w->dying)) {
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
