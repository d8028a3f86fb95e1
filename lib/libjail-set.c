// SPDX-License-Identifier: BSD-2-Clause
/*
 * libjail-set.c: the libjail(3) calls that change or enter jails:
 * jailparam_set and jail_setv (FreeBSD's jail_set(2)), jail_remove(2),
 * jail_attach(2), and gaol's jail_execvp.
 *
 * Owns the checks FreeBSD's kernel makes before it acts (root, flags,
 * a jail to act on) and -1 with errno at the boundary.  The lifecycle is
 * create.c's, modify.c's and remove.c's, entering a jail attach.c's:
 * this file never makes a second way into a jail, and never prints.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jail/life.h"
#include "libjail-int.h"

/* libjail(3) calls never report progress: jail(8)'s notes are its own. */
static const struct jail_ops quiet_ops = { .verbose = -1 };

/*
 * Creating, changing, entering and removing jails is root's, as on
 * FreeBSD (priv_check PRIV_JAIL_*): say so before anything is touched.
 */
static int
need_root(const char *what)
{
	if (geteuid() != 0)
		return jail_seterr(-EPERM, "%s: %s", what, strerror(EPERM));
	return 0;
}

/* Whether the jail named by jid= or name= in p exists (for -cm). */
static bool
jail_exists(const struct jail_params *p)
{
	_cleanup_(jail_freep) struct jail *j = NULL;

	int r = -ENOENT;

	if (param_isset(p, P_JID) && param_int(p, P_JID) > 0)
		r = libjail_find_jid((int)param_int(p, P_JID), JAIL_DYING, &j);
	else if (param_isset(p, P_NAME))
		r = libjail_find(param_str(p, P_NAME), JAIL_DYING, &j);
	return r == 0;
}

/* The jid jail_create or jail_modify acted on. */
static int
result_jid(const struct jail_params *p)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	int r;

	if (param_isset(p, P_JID) && param_int(p, P_JID) > 0)
		return (int)param_int(p, P_JID);
	if (!param_isset(p, P_NAME))
		return jail_seterr(-ENOENT, "jail_set: no jid assigned");
	r = libjail_find(param_str(p, P_NAME), JAIL_DYING, &j);
	return r < 0 ? r : j->jid;
}

/*
 * Create or modify a jail from a parameter set, as jail_set(2) does.
 * JAIL_ATTACH would move the caller into the jail, which Linux cannot do
 * safely (see jail_attach): refused before anything is made.
 */
static int
set_params(struct jail_params *p, int flags)
{
	int status, r;

	if (!(flags & (JAIL_CREATE | JAIL_UPDATE)) ||
	    (flags & ~(JAIL_CREATE | JAIL_UPDATE | JAIL_ATTACH | JAIL_DYING)))
		return jail_seterr(-EINVAL, "jail_set: %s", strerror(EINVAL));
	if (flags & JAIL_ATTACH)
		return jail_seterr(-EOPNOTSUPP, "jail_set: JAIL_ATTACH: %s",
		    "a running process cannot enter a jail");
	r = need_root("jail_set");
	if (r < 0)
		return r;
	if (!(flags & JAIL_CREATE) || ((flags & JAIL_UPDATE) && jail_exists(p)))
		r = jail_modify(p, &quiet_ops, &status);
	else
		r = jail_create(p, &quiet_ops, &status);
	return r < 0 ? r : result_jid(p);
}

/* An entry's value as jailparam_set reads it (a raw one NUL-ended). */
static int
set_entry(struct jail_params *p, const struct jailparam *jp)
{
	_cleanup_free_ char *v = NULL;

	if (strcmp(jp->jp_name, LASTJID) == 0)
		return jail_seterr(-EINVAL, "jail_set: %s: read-only parameter",
		    LASTJID);
	if (jp->jp_flags & JP_RAWVALUE) {
		v = libjail_entry_string(jp);
		if (v == NULL && jp->jp_value != NULL)
			return libjail_nomem("jailparam_set");
		return libjail_import_entry(p, jp, v);
	}
	return libjail_import_entry(p, jp, jp->jp_value);
}

/* Create and/or modify a jail from the entries; returns its jid. */
int
jailparam_set(struct jailparam *jp, unsigned njp, int flags)
{
	_cleanup_(params_free) struct jail_params p = { 0 };
	int r;

	for (unsigned i = 0; i < njp; i++) {
		r = set_entry(&p, &jp[i]);
		if (r < 0)
			return libjail_fail(r);
	}
	r = set_params(&p, flags);
	return r < 0 ? libjail_fail(r) : r;
}

/* jailparam_set over NULL-terminated name, value string pairs. */
int
jail_setv(int flags, ...)
{
	struct jailparam *jp;
	unsigned n;
	va_list ap;
	int jid = -1;

	va_start(ap, flags);
	n = libjail_count_pairs(ap);
	jp = calloc(n + 1, sizeof(*jp));
	if (jp == NULL)
		jid = libjail_fail(libjail_nomem("jail_setv"));
	else if (libjail_init_pairs(jp, n, ap, true) == 0) {
		jid = jailparam_set(jp, n, flags);
		jailparam_free(jp, n);
	}
	va_end(ap);
	free(jp);
	return jid;
}

/*
 * A running jail the caller may enter or remove, by jid; as FreeBSD's
 * jail_attach(2) and jail_remove(2): EPERM for all but root, EINVAL for
 * a jid no running jail has.
 */
static int
check_jid(int jid, const char *what)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	int r;

	r = need_root(what);
	if (r < 0)
		return r;
	if (jid <= 0 || libjail_find_jid(jid, 0, &j) < 0)
		return jail_seterr(-EINVAL, "%s: jail %d not found", what, jid);
	return 0;
}

/* Remove a jail and kill its processes, without exec.* scripts. */
int
jail_remove(int jid)
{
	char key[16];
	int r;

	r = check_jid(jid, "jail_remove");
	if (r < 0)
		return libjail_fail(r);
	(void)snprintf(key, sizeof(key), "%d", jid);
	r = jail_destroy(key, false, &quiet_ops);
	return r < 0 ? libjail_fail(r) : 0;
}

/*
 * FreeBSD's jail_attach(2) moves the calling process into the jail.  On
 * Linux that cannot be done safely: Landlock has no way to join a domain
 * (the jail's abstract sockets and /proc entries are scoped to the one
 * its spawner made), setns(CLONE_NEWPID) reaches only children, and the
 * caller's memory and descriptors came from the host, where a jailed
 * root must never reach them.  A caller told "attached" would go on
 * opening host files as if they were the jail's.  So it checks what
 * FreeBSD's checks and then fails; jail_execvp is the way in.
 */
int
jail_attach(int jid)
{
	int r;

	r = check_jid(jid, "jail_attach");
	if (r < 0)
		return libjail_fail(r);
	return libjail_fail(jail_seterr(-EOPNOTSUPP, "jail_attach: %s; %s",
	    "a running process cannot enter a jail", "use jail_execvp"));
}

/* Leave as the command left: its exit code, or its signal. */
static void __attribute__((noreturn))
exit_like(int status)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		(void)signal(sig, SIG_DFL);
		(void)raise(sig);
		_exit(128 + sig);
	}
	_exit(WEXITSTATUS(status));
}

/*
 * jail_attach(jid) then execvp(argv[0], argv), as jexec(8) does: argv
 * runs as root in the jail, from its spawner (attach.c), in /, with the
 * caller's environment and standard streams (a terminal gets one of the
 * jail's ptys).  Like execvp it returns only on failure; otherwise the
 * calling process waits and then leaves as the command left.
 */
int
jail_execvp(int jid, char *const argv[])
{
	struct attach_spec s = { .argv = argv, .stdio = ATTACH_PASS,
		.outfd = -1, .pty = true };
	char key[16];
	int status = 0, r;

	if (argv == NULL || argv[0] == NULL)
		return libjail_fail(jail_seterr(-EINVAL,
		    "jail_execvp: no command"));
	r = check_jid(jid, "jail_execvp");
	if (r < 0)
		return libjail_fail(r);
	(void)snprintf(key, sizeof(key), "%d", jid);
	r = jail_exec(key, &s, &status);
	if (r < 0)
		return libjail_fail(r);
	exit_like(status);
}
