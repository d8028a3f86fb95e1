// SPDX-License-Identifier: BSD-2-Clause
/*
 * steps.c: a jail's life as one table, FreeBSD's start and stop lists in
 * one.  Each row is something jail -c does and what takes it back.
 *
 * jail -c runs the rows forward; when one fails, the rows taken are
 * walked back, newest first, so that a failure leaves no entry, alias,
 * cgroup, mount or process behind.  jail -r and -R, a jail that was
 * empty once made (settle), and a dead jail the registry finds (reap)
 * walk the same rows back from the last: there is no other teardown.
 *
 * An undo works from what the registry entry records (a reap runs in
 * another process, long after the jail was made), may run twice (a reap
 * that stops at a busy cgroup is tried again by the next one) and looks
 * at the walk for what applies: the exec.* stop scripts and SIGTERM only
 * for jail -r; for a reap no signal, no alias taken off (as on FreeBSD)
 * and nothing of the registry (it holds its lock, and forgets the entry
 * itself).  Never prints: notes and warnings go through jail_ops.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "steps.h"

/* A row: what jail -c does, and its inverse. */
struct step {
	const char *name;		/* GAOL_FAIL_STEP=name fails after it */
	int (*run)(struct life *l);	/* NULL: a place in the walk back */
	int (*undo)(struct life *l);	/* NULL: nothing to take back */
	bool partial;			/* a failed run may leave some: undo */
};

/* Where an undo says what it could not do: jail -r's user only. */
static const struct jail_ops *
heard(const struct life *l)
{
	return l->walk == LIFE_REMOVE ? l->o : NULL;
}

/* registry: the jid and name, reserved ("creating") until active. */
/* A dead jail still holding the jid asked for goes first (jail_reap). */
static void
reap_jid_holder(const struct jail_params *p)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	_cleanup_free_ char *key = NULL;

	if (param_isset(p, P_JID) && param_int(p, P_JID) > 0 &&
	    param_export(p, P_JID, &key) >= 0)
		(void)jail_find(key, &j);
}

static int
reserve(struct life *l)
{
	reap_jid_holder(&l->j->params);
	return registry_reserve(l->j);
}

static int
forget(struct life *l)
{
	return l->walk == LIFE_REAP ? 0 : registry_remove(l->j);
}

/*
 * landlock: the ABI the jail's domain is made with, for jls.  Below
 * LANDLOCK_ABI_SCOPE a jail in the host's network namespace (ip4 and ip6
 * "inherit") can connect to the host's abstract unix sockets
 * (landlock.c): said once, here.  A jail with a network namespace of its
 * own has abstract sockets of its own, whatever the kernel.  Then
 * bpf_lsm, for jls; or a refusal.
 */
static int
note_landlock(struct life *l)
{
	struct jail *j = l->j;
	int abi = landlock_abi(), r;
	char v[16], why[64];

	(void)snprintf(v, sizeof(v), "%d", abi);
	if (abi == 0)
		(void)snprintf(why, sizeof(why), "this kernel has no Landlock");
	else
		(void)snprintf(why, sizeof(why), "this kernel's Landlock ABI "
		    "%d predates %d (Linux 6.12)", abi, LANDLOCK_ABI_SCOPE);
	if (abi < LANDLOCK_ABI_SCOPE && !net_own_ns(&j->params))
		jail_warn(l->o, j, "%s: warning: %s: the jail can connect to "
		    "the host's abstract unix sockets\n", jail_name(j), why);
	r = param_import_value(&j->params, P_LANDLOCK, v, false, false);
	return r < 0 ? r : lsm_bpf_note(j);
}

/* trees: what jails write, for init's mount sources; the -q-able warning. */
static int
trees(struct life *l)
{
	int r = trees_begin(l->j, l->o, &l->t);

	if (r >= 0)
		r = trees_check_path(&l->t, param_str(l->given, P_PATH),
		    param_str(&l->j->params, P_PATH));
	return r;
}

/* interface: the aliases, FreeBSD: before exec.prestart. */
static int
aliases_add(struct life *l)
{
	return netif_add(&l->j->params);
}

/*
 * As on FreeBSD, where jail(8) takes them off, the aliases of a jail
 * that ended by itself later stay where they are (jail.8, interface).
 */
static int
aliases_del(struct life *l)
{
	if (l->walk != LIFE_REAP)
		netif_del(l->j, heard(l));
	return 0;
}

/* jail -r's scripts; one that fails is reported, never stops it. */
static int
stop_script(struct life *l, enum param_id id)
{
	int r;

	if (!l->scripts)
		return 0;
	r = id == P_EXEC_STOP ? exec_run_stop(l->j, l->o)
			      : exec_run_list(l->j, id, l->o);
	if (r < 0)
		jail_warn(l->o, NULL, "%s\n", jail_errmsg);
	return 0;
}

static int
prestart(struct life *l)
{
	return exec_run_list(l->j, P_EXEC_PRESTART, l->o);
}

static int
poststop(struct life *l)
{
	return stop_script(l, P_EXEC_POSTSTOP);
}

/* cgroup: the jail's own, beneath the creator's. */
static int
cgroup_make(struct life *l)
{
	return cg_create(l->j, &l->cg);
}

/* A reap does not wait on lingering processes: the next one tries again. */
static int
cgroup_remove(struct life *l)
{
	return cg_destroy(l->j, l->walk == LIFE_REAP ? 200 : 5000);
}

/* rctl: limits in place before init runs (they go with the cgroup). */
static int
limits(struct life *l)
{
	return rctl_apply(l->j);
}

/* Before init is cloned into the cgroup: no socket escapes them. */
static int
netbpf(struct life *l)
{
	return net_bpf_attach(&l->j->params, l->cg.v2);
}

static int
lsmbpf(struct life *l)
{
	return lsm_bpf_attach(&l->j->params, l->cg.v2);
}

/* The same for devices; mknod only, for now. */
static int
devctl(struct life *l)
{
	return devctl_start(l->j, &l->cg);
}

/*
 * vnet.return: vnet.interface comes back once the jail's last process is
 * gone, as FreeBSD's does when the vnet dies; this row stands before init
 * so that the walk back comes to it after init's.  The namespace is held
 * open from the start of the walk (hold_netns), so it outlives them.
 */
static int
vnet_back(struct life *l)
{
	if (l->netns >= 0)
		vnet_return(l->j, l->netns, heard(l));
	return 0;
}

/* init: the jail's pid 1, which builds its root and mounts. */
static int
init_run(struct life *l)
{
	return init_start(l->j, &l->cg);
}

/* init.built: it has (while the spawner loaded the jail's filters). */
static int
init_wait(struct life *l)
{
	cg_join_close(&l->cg);	/* nothing else is born into the cgroups */
	return init_built(l->j);
}

/*
 * SIGKILL: the kernel takes every process of the jail with its init, and
 * its mounts with the mount namespace.  A reap signals nothing: the
 * kernel did this when init died, and a process an entry found stale
 * still names (its creator's, a pid whose lock nobody holds) is not the
 * registry's to kill (registry.sh forges such entries).
 */
static int
init_end(struct life *l)
{
	if (l->walk == LIFE_REAP)
		return 0;
	return init_kill(l->j, l->j->pidfd);
}

/* devfs: the root is built; its devfs says what may be opened (devctl.c). */
static int
devfs(struct life *l)
{
	return devctl_apply(l->j, l->o);
}

/*
 * spawner: every command enters through it (spawn.c).  Forked into the
 * cgroups as soon as they are made, it does its host-side part (the
 * jail's filters, which take the kernel a while to load) while the
 * socket and device programs are attached and init is cloned and builds
 * the jail, and enters the jail once init has (spawner.enter,
 * spawner.ready): nothing of the jail's runs in it before those
 * programs are in place.  Until then a failed create kills it (its own
 * undo); from then on, the row before its own takes it back.
 */
static int
spawner_fork(struct life *l)
{
	return spawn_fork(l->j, &l->cg, &l->spawner);
}

static int
spawner_abandon(struct life *l)
{
	spawn_abandon(&l->spawner);
	return 0;
}

/*
 * spawner.end: the spawner lives in the host's pid namespace, and the
 * commands it forked would be reparented out of the jail's if it died
 * first (the jail's init would then wait on the host to reap them), so
 * it goes once init has: this row stands before init.  A reap signals
 * nothing (init_end): the spawner leaves by itself when init has.
 */
static int
spawner_end(struct life *l)
{
	if (l->walk != LIFE_REAP)
		spawn_stop(l->j);
	return 0;
}

/* spawner.enter: init is handed to the spawner, which enters the jail. */
static int
spawner_enter(struct life *l)
{
	spawn_enter(l->j, &l->spawner);
	return 0;
}

/* spawner.ready: it is in the jail (while devfs was applied). */
static int
spawner_ready(struct life *l)
{
	return spawn_ready(l->j, &l->spawner);
}

/* vnet: the host's interfaces moved into the new jail (back: vnet.return). */
static int
vnet_give_all(struct life *l)
{
	_cleanup_close_ int nsfd = -1;
	const struct strv *v = param_list(&l->j->params, P_VNET_INTERFACE);
	int r;

	if (v == NULL || v->n == 0)
		return 0;
	r = vnet_ns_open(l->j, &nsfd);
	if (r < 0)
		return jail_errctx(r, "vnet.interface");
	return vnet_give(l->j, nsfd);
}

/* active: the entry says it runs, with its init, cgroups and spawner. */
static int
activate(struct life *l)
{
	l->j->state = JS_ACTIVE;
	return registry_commit(l->j);
}

/*
 * jail -r: SIGTERM everything, let init leave once the jail is empty, and
 * wait up to stop.timeout seconds for that (0: straight to SIGKILL, as
 * FreeBSD).
 */
static int
term(struct life *l)
{
	long long timeout = param_int(&l->j->params, P_STOP_TIMEOUT);

	if (l->walk != LIFE_REMOVE || l->j->pidfd < 0 || timeout <= 0)
		return 0;
	if (init_request(l->j, INIT_TERM) < 0)
		return 0;	/* init is gone: nothing to wait for */
	(void)fd_wait(l->j->pidfd,
	    (int)(timeout > 86400 ? 86400 : timeout) * 1000);
	return 0;
}

/*
 * -J: FreeBSD's jid file: "jid=N" and then every parameter as the user
 * gave it, space-separated, lists joined by ',' (print_jail()).
 */
static int
write_jidfile(int jid, const struct jail_params *given, FILE *f,
    const char *file)
{
	(void)fprintf(f, "jid=%d", jid);
	for (int id = 0; id < P__MAX; id++) {
		_cleanup_free_ char *pair = NULL;

		if (id == P_JID || !param_isset(given, id))
			continue;
		if (param_export_pair(given, id, true, &pair) < 0)
			return jail_seterr(-ENOMEM, "%s: out of memory", file);
		(void)fprintf(f, " %s", pair);
	}
	(void)fputc('\n', f);
	if (fflush(f) != 0)
		return jail_syserr(-errno, "%s", file);
	return 0;
}

/* announce: -i's jid, -J's file, "NAME: created". */
static int
announce(struct life *l)
{
	const struct jail_ops *o = l->o;
	int r;

	if (o->print_jid)
		jail_note(o, NULL, "%d\n", l->j->jid);
	if (l->jf != NULL) {
		r = write_jidfile(l->j->jid, l->given, l->jf, o->jidfile);
		if (r < 0)
			return r;
	}
	if (o->verbose > 0 || (o->verbose == 0 && param_isset(l->given,
	    P_NAME)))
		jail_note(o, l->j, "created\n");
	return 0;
}

static int
created(struct life *l)
{
	return exec_run_list(l->j, P_EXEC_CREATED, l->o);
}

static int
start(struct life *l)
{
	return exec_run_list(l->j, P_EXEC_START, l->o);
}

static int
stop(struct life *l)
{
	return stop_script(l, P_EXEC_STOP);
}

static int
command(struct life *l)
{
	if (!param_isset(&l->j->params, P_COMMAND))
		return 0;
	return exec_command(l->j, l->o, l->ret_status);
}

static int
poststart(struct life *l)
{
	return exec_run_list(l->j, P_EXEC_POSTSTART, l->o);
}

static int
prestop(struct life *l)
{
	return stop_script(l, P_EXEC_PRESTOP);
}

/*
 * commit: from here the jail outlives this process, whatever befalls it;
 * libjail(3) returns its jid.
 */
static int
commit(struct life *l)
{
	(void)init_ask(l->j, INIT_COMMIT, &(bool){ false });
	(void)param_copy(l->given, &l->j->params, P_JID);
	return 0;
}

/* jail -r: no command enters a jail being removed, nor jail -m. */
static int
dying(struct life *l)
{
	if (l->walk != LIFE_REMOVE)
		return 0;
	l->j->state = JS_DYING;
	return registry_commit(l->j);
}

/* FreeBSD's start order (jail(8)); walked back, its stop order. */
static const struct step steps[] = {
	{ "registry", reserve, forget, false },
	{ "landlock", note_landlock, NULL, false },
	{ "trees", trees, NULL, false },
	{ "interface", aliases_add, aliases_del, false },
	{ "exec.prestart", prestart, poststop, false },
	{ "cgroup", cgroup_make, cgroup_remove, true },
	{ "rctl", limits, NULL, false },
	{ "spawner.end", NULL, spawner_end, false },
	{ "spawner", spawner_fork, spawner_abandon, false },
	{ "netbpf", netbpf, NULL, false },
	{ "lsmbpf", lsmbpf, NULL, false },
	{ "devctl", devctl, NULL, false },
	{ "vnet.return", NULL, vnet_back, false },
	{ "init", init_run, init_end, false },
	{ "init.built", init_wait, NULL, false },
	{ "spawner.enter", spawner_enter, NULL, false },
	{ "devfs", devfs, NULL, false },
	{ "spawner.ready", spawner_ready, NULL, false },
	{ "vnet", vnet_give_all, NULL, false },
	{ "active", activate, term, false },
	{ "announce", announce, NULL, false },
	{ "exec.created", created, NULL, false },
	{ "exec.start", start, stop, false },
	{ "command", command, NULL, false },
	{ "exec.poststart", poststart, prestop, false },
	{ "commit", commit, dying, false },
};

void
life_start(struct life *l, struct jail *j, const struct jail_ops *o,
    enum life_walk w)
{
	*l = (struct life){ .j = j, .o = o, .walk = w, .netns = -1,
		.done = w == LIFE_CREATE ? 0 : nitems(steps),
		.t = TREES_INIT, .cg = CG_JOIN_INIT,
		.spawner = SPAWN_PENDING_INIT };
}

/*
 * The jail's network namespace, held for vnet.interface to come back
 * from after the last process of the jail has gone (vnet.return):
 * by a failed jail -c and by jail -r.  A jail that ended by itself has
 * an init already exiting, and its namespace with it.
 */
static void
hold_netns(struct life *l)
{
	const struct strv *v = param_list(&l->j->params, P_VNET_INTERFACE);

	if (l->walk == LIFE_SETTLE || l->walk == LIFE_REAP)
		return;
	if (l->netns >= 0 || l->j->pidfd < 0 || v == NULL || v->n == 0)
		return;
	if (vnet_ns_open(l->j, &l->netns) < 0 && heard(l) != NULL)
		jail_warn(l->o, l->j, "%s\n", jail_errmsg);
}

/*
 * jail -r and a reap stop at the first undo that fails (the entry stays,
 * dying, for another try); a failed create and a settle take back all
 * they can.
 */
int
life_back(struct life *l)
{
	bool stop_on_error = l->walk == LIFE_REMOVE || l->walk == LIFE_REAP;
	int r = 0, q;

	hold_netns(l);
	while (l->done > 0) {
		const struct step *s = &steps[--l->done];

		q = s->undo != NULL ? s->undo(l) : 0;
		if (q < 0 && stop_on_error) {
			r = q;
			break;
		}
		r = r < 0 ? r : q;
	}
	if (l->netns >= 0)
		(void)close(l->netns);
	l->netns = -1;
	return r;
}

/* Walk back over a failed create, keeping what it failed of. */
static void
rollback(struct life *l)
{
	char why[JAIL_ERRMSGLEN];

	(void)snprintf(why, sizeof(why), "%s", jail_errmsg);
	(void)life_back(l);
	(void)snprintf(jail_errmsg, sizeof(jail_errmsg), "%s", why);
}

/*
 * Run step s.  GAOL_FAIL_STEP=name (a -Dtest_switches=true build) fails
 * once it has run, so that the test suite sees each walk back.
 */
static int
step_run(struct life *l, const struct step *s, const char *fail)
{
	int r = s->run != NULL ? s->run(l) : 0;

	if (r < 0 && !s->partial)
		return r;
	l->done++;
	if (r >= 0 && fail != NULL && strcmp(fail, s->name) == 0)
		r = jail_seterr(-EIO, "%s: failed (GAOL_FAIL_STEP)", s->name);
	return r;
}

int
life_create(struct life *l)
{
	const char *fail = test_switch_value("GAOL_FAIL_STEP");
	int r = 0;

	l->walk = LIFE_CREATE;
	l->done = 0;
	while (r >= 0 && l->done < nitems(steps))
		r = step_run(l, &steps[l->done], fail);
	cg_join_close(&l->cg);
	if (r < 0)
		rollback(l);
	trees_end(&l->t);
	return r;
}

/*
 * Once started, a jail takes its persist value; gone when empty.  Init
 * is then exiting; its cgroup can go once it is gone.  (Moving it out
 * first would be no faster: a cgroup migration waits for an RCU grace
 * period, longer than the exit itself.)
 */
int
life_settle(struct life *l)
{
	bool exiting = false;
	int r;

	if (param_bool(&l->j->params, P_PERSIST))
		return 0;
	r = init_ask(l->j, INIT_NOPERSIST, &exiting);
	if (r < 0 || !exiting)
		return r;
	l->walk = LIFE_SETTLE;
	l->done = nitems(steps);
	return life_back(l);
}

/*
 * A dead jail the registry found, holding its lock: its steps walked
 * back, then its entry forgotten.  -EBUSY
 * while processes linger in its cgroup: the entry stays, dying, like
 * FreeBSD's dying prisons, and the next reap tries again.
 */
int
jail_reap(struct jail *dead)
{
	struct life l;

	life_start(&l, dead, NULL, LIFE_REAP);
	if (life_back(&l) < 0)
		return -EBUSY;
	return registry_forget(dead);
}
