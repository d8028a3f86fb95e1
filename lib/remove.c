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
 */
#include <signal.h>
#include <stdio.h>

#include "jail-int.h"

/* Runs inside the jail: SIGTERM to all but init and this helper. */
static int
term_all(void *arg)
{
	(void)arg;
	if (kill(-1, SIGTERM) < 0 && errno != ESRCH)
		return jail_syserr(-errno, "kill");
	return 0;
}

static void
run_stop_list(const struct jail *j, enum param_id id,
    const struct jail_ops *o)
{
	if (exec_run_list(j, id, o) < 0)
		jail_warn(o, NULL, "%s\n", jail_errmsg);
}

/*
 * SIGTERM everything, let init leave once the jail is empty, and wait up
 * to stop.timeout seconds for that (0: straight to SIGKILL, as FreeBSD).
 */
static void
term_procs(const struct jail *j, int pidfd)
{
	struct attach_spec s = { .fn = term_all, .outfd = -1 };
	long long timeout = param_int(&j->params, P_STOP_TIMEOUT);
	int status;

	if (timeout <= 0)
		return;
	(void)attach_run(j, &s, 0, &status);
	(void)init_request(j, INIT_NOPERSIST);
	(void)pidfd_wait(pidfd, (int)(timeout > 86400 ? 86400 : timeout) * 1000);
}

/* jail -r: remove the jail named or numbered s. */
int
jail_destroy(const char *s, bool run_scripts, const struct jail_ops *o)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	_cleanup_close_ int pidfd = -1, netns = -1;
	int r;

	r = state_find(s, &j);
	if (r < 0)
		return r;
	if (j->gone)
		run_scripts = false;	/* only its cgroup is left */
	j->state = JS_DYING;
	r = state_commit(j);
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
	r = state_remove(j);
	if (r < 0)
		return r;
	if (o->verbose > 0 || (o->verbose == 0 && o->note_remove))
		jail_note(o, j, "removed\n");
	return 0;
}
