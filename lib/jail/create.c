// SPDX-License-Identifier: BSD-2-Clause
/*
 * create.c: jail -c, FreeBSD's start sequence as a list of steps.
 *
 * Order (jail(8)): reserve jid and name, add the interface= aliases,
 * exec.prestart, create the jail
 * (cgroup, its socket and device programs, then init, which builds the
 * root and mounts in its own mount namespace, the devices its devfs
 * shows, and the spawner every command enters through), move
 * vnet.interface into it,
 * exec.created, exec.start, command, exec.poststart.  Each
 * step that changes something records its inverse in an undo log, so a
 * failure anywhere leaves no state entry, cgroup or process behind.  Like
 * FreeBSD, the jail persists while it is being started and only then
 * takes its own persist value.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jail/life.h"

/* path must exist and be a directory; store it resolved, as realpath(3). */
static int
check_path(struct jail_params *p)
{
	char real[PATH_MAX];
	const char *path = param_str(p, P_PATH);
	struct stat st;

	if (!param_isset(p, P_PATH) || path == NULL || *path == '\0')
		return jail_seterr(-EINVAL, "missing parameter: path");
	if (realpath(path, real) == NULL)
		return jail_syserr(-errno, "path %s", path);
	if (stat(real, &st) < 0 || !S_ISDIR(st.st_mode))
		return jail_seterr(-ENOTDIR, "path %s: not a directory", path);
	return param_import_value(p, P_PATH, real, false, false);
}

/* The host's names are the jail's when none is given (a copied UTS). */
static int
default_hostnames(struct jail_params *p)
{
	char buf[256];
	int r = 0;

	if (!param_isset(p, P_HOST_HOSTNAME) && gethostname(buf,
	    sizeof(buf)) == 0)
		r = param_import_value(p, P_HOST_HOSTNAME, buf, false, false);
	/* Linux spells an unset NIS domain "(none)"; FreeBSD's is empty */
	if (r >= 0 && !param_isset(p, P_HOST_DOMAINNAME) &&
	    getdomainname(buf, sizeof(buf)) == 0 &&
	    strcmp(buf, "(none)") != 0)
		r = param_import_value(p, P_HOST_DOMAINNAME, buf, false, false);
	return r;
}

/*
 * A thin jail's layer is its own: overlayfs only warns when two mounts
 * share an upperdir, and both would then corrupt it.  A running (or
 * dying) jail whose overlay has the same upperdir= is an error.
 */
static int
check_layer(const struct jail_params *p)
{
	_cleanup_free_ char *mine = NULL;
	struct jail **v = NULL;
	size_t n = 0;
	int r = mnt_overlay_upper(p, &mine);

	if (r < 0 || mine == NULL)
		return r;
	r = registry_list(true, &v, &n);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		_cleanup_free_ char *up = NULL;

		if (mnt_overlay_upper(&v[i]->params, &up) >= 0 && up != NULL &&
		    strcmp(up, mine) == 0)
			r = jail_seterr(-EBUSY, "overlay: upperdir=%s is the "
			    "layer of jail \"%s\"", mine, jail_name(v[i]));
	}
	registry_list_free(v, n);
	return r;
}

static int
check_create(struct jail_params *p)
{
	int r = param_check_supported(p);

	if (r >= 0)
		r = confine_sysvipc(p);	/* jls shows what it resolved */
	if (r >= 0)
		r = vnet_check(p);
	if (r >= 0)
		r = net_resolve(p);	/* an address implies ip4=new */
	if (r < 0)
		return r;
	r = check_path(p);
	if (r >= 0)
		r = check_layer(p);
	if (r < 0)
		return r;
	if (!param_bool(p, P_PERSIST) && !param_isset(p, P_COMMAND) &&
	    !param_isset(p, P_EXEC_START))
		return jail_seterr(-EINVAL,
		    "jail needs persist, exec.start or command");
	return default_hostnames(p);
}

static void
undo_state(struct jail *j)
{
	(void)registry_remove(j);
}

static void
undo_netif(struct jail *j)
{
	netif_del(j, NULL);
}

static void
undo_cgroup(struct jail *j)
{
	(void)cg_destroy(j, 5000);
}

static void
undo_init(struct jail *j)
{
	(void)init_kill(j, j->pidfd);
}

/* Before init dies: in a dying namespace a veth would be destroyed. */
static void
undo_vnet(struct jail *j)
{
	vnet_return(j, j->pidfd, NULL);
}

/* vnet.interface: the host's interfaces moved into the new jail. */
static int
give_interfaces(struct jail *j, struct undo_log *u)
{
	_cleanup_close_ int nsfd = -1;
	const struct strv *l = param_list(&j->params, P_VNET_INTERFACE);
	int r;

	if (l == NULL || l->n == 0)
		return 0;
	r = vnet_ns_open(j, &nsfd);
	if (r < 0)
		return jail_errctx(r, "vnet.interface");
	undo_push(u, undo_vnet, j);
	return vnet_give(j, nsfd);
}

/* Create the jail proper: its cgroup, its init, its vnet.interface. */
static int
create_jail(struct jail *j, struct undo_log *u, const struct jail_ops *o)
{
	_cleanup_(cg_join_close) struct cg_join cg = CG_JOIN_INIT;
	int r;

	undo_push(u, undo_cgroup, j);
	r = cg_create(j, &cg);
	if (r >= 0)
		r = rctl_apply(j);	/* limits in place before init runs */
	if (r < 0)
		return r;
	/* before init is cloned into the cgroup: no socket escapes them */
	r = net_bpf_attach(&j->params, cg.v2);
	if (r >= 0)
		r = lsm_bpf_attach(&j->params, cg.v2);
	if (r >= 0)	/* the same for devices; mknod only, for now */
		r = devctl_start(j, &cg);
	if (r < 0)
		return r;
	r = init_start(j, &cg, &j->pidfd);
	if (r < 0)
		return r;
	undo_push(u, undo_init, j);
	/* the root is built: its devfs says what may be opened (devctl.c) */
	r = devctl_apply(j, o);
	if (r < 0)
		return r;
	/* every command enters through it; it ends with init (spawn.c) */
	r = spawn_start(j, &cg);
	if (r < 0)
		return r;
	r = give_interfaces(j, u);
	if (r < 0)
		return r;
	j->state = JS_ACTIVE;
	return registry_commit(j);
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

static int
announce(const struct jail *j, const struct jail_params *given, FILE *jf,
    const struct jail_ops *o)
{
	if (o->print_jid)
		jail_note(o, NULL, "%d\n", j->jid);
	if (jf != NULL) {
		int r = write_jidfile(j->jid, given, jf, o->jidfile);

		if (r < 0)
			return r;
	}
	if (o->verbose > 0 || (o->verbose == 0 && param_isset(given, P_NAME)))
		jail_note(o, j, "created\n");
	return 0;
}

/* Once started, a jail takes its persist value; gone when empty. */
static int
settle(struct jail *j)
{
	bool exiting = false;
	int r;

	if (param_bool(&j->params, P_PERSIST))
		return 0;
	r = init_ask(j, INIT_NOPERSIST, &exiting);
	if (r < 0 || !exiting)
		return r;
	/*
	 * Init is exiting; its cgroup can go once it is gone.  (Moving it out
	 * first would be no faster: a cgroup migration waits for an RCU
	 * grace period, longer than the exit itself.)
	 */
	(void)pidfd_wait(j->pidfd, 10000);
	spawn_stop(j);
	(void)cg_destroy(j, 5000);
	netif_del(j, NULL);
	return registry_remove(j);
}

static int
start_commands(struct jail *j, const struct jail_ops *o, int *ret_status)
{
	int r;

	r = exec_run_list(j, P_EXEC_CREATED, o);
	if (r >= 0)
		r = exec_run_list(j, P_EXEC_START, o);
	if (r >= 0 && param_isset(&j->params, P_COMMAND))
		r = exec_command(j, o, ret_status);
	if (r >= 0)
		r = exec_run_list(j, P_EXEC_POSTSTART, o);
	return r;
}

/*
 * landlock: the ABI the jail's domain is made with, for jls.  Below
 * LANDLOCK_ABI_SCOPE a jail in the host's network namespace (ip4 and ip6
 * "inherit") can connect to the host's abstract unix sockets
 * (landlock.c): said once, here.  A jail with a network namespace of its
 * own has abstract sockets of its own, whatever the kernel.
 */
static int
note_landlock(struct jail *j, const struct jail_ops *o)
{
	int abi = landlock_abi();
	char v[16], why[64];

	(void)snprintf(v, sizeof(v), "%d", abi);
	if (abi == 0)
		(void)snprintf(why, sizeof(why), "this kernel has no Landlock");
	else
		(void)snprintf(why, sizeof(why), "this kernel's Landlock ABI %d "
		    "predates %d (Linux 6.12)", abi, LANDLOCK_ABI_SCOPE);
	if (abi < LANDLOCK_ABI_SCOPE && !net_own_ns(&j->params))
		jail_warn(o, j, "%s: warning: %s: the jail can connect to the "
		    "host's abstract unix sockets\n", jail_name(j), why);
	return param_import_value(&j->params, P_LANDLOCK, v, false, false);
}

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

/* jail -c: create a jail from p; ret_status gets command='s status. */
int
jail_create(struct jail_params *p, const struct jail_ops *o, int *ret_status)
{
	/* j is declared first so that the undo log, which uses it, runs first */
	_cleanup_(jail_freep) struct jail *j = jail_new();
	_cleanup_(undo_rollback) struct undo_log u = { .n = 0 };
	_cleanup_(trees_end) struct trees t = TREES_INIT;
	_cleanup_fclose_ FILE *jf = NULL;
	int r;

	*ret_status = 0;
	if (j == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	/* as FreeBSD: the jid file is opened before anything is created;
	 * never through a jail's links, nor onto a FIFO (jidfile.c) */
	if (o->jidfile != NULL && (r = jidfile_open(o->jidfile, p, &jf)) < 0)
		return r;
	r = params_copy(&j->params, p);
	if (r >= 0)
		r = check_create(&j->params);
	if (r >= 0) {
		reap_jid_holder(&j->params);
		r = registry_reserve(j);
	}
	if (r < 0)
		return r;
	undo_push(&u, undo_state, j);
	r = note_landlock(j, o);
	if (r >= 0)
		r = lsm_bpf_note(j);	/* bpf_lsm, for jls; or a refusal */
	/* what jails write, for init's mount sources; the -q-able warning */
	if (r >= 0)
		r = trees_begin(j, o, &t);
	if (r >= 0)
		r = trees_check_path(&t, param_str(p, P_PATH),
		    param_str(&j->params, P_PATH));
	if (r >= 0)
		r = netif_add(&j->params);	/* FreeBSD: before exec.prestart */
	if (r < 0)
		return r;
	undo_push(&u, undo_netif, j);
	r = exec_run_list(j, P_EXEC_PRESTART, o);
	if (r >= 0)
		r = create_jail(j, &u, o);
	if (r >= 0)
		r = announce(j, p, jf, o);
	if (r >= 0)
		r = start_commands(j, o, ret_status);
	if (r < 0)
		return r;
	undo_commit(&u);
	/* from here the jail outlives this process, whatever befalls it */
	(void)init_ask(j, INIT_COMMIT, &(bool){ false });
	(void)param_copy(p, &j->params, P_JID);	/* libjail(3) returns it */
	(void)settle(j);	/* the jail exists; its exit is reaped later */
	return j->jid;
}
