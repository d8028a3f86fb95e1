// SPDX-License-Identifier: BSD-2-Clause
/*
 * modify.c: jail -m, changing a running jail.
 *
 * The jail is named by its jid or name parameter.  Only parameters
 * flagged PF_SETTABLE_MOD may change; the UTS names are set from the
 * host in the jail's UTS namespace alone (uts.c), persist is a request
 * to the jail's init.  A trailing command= then runs in the jail, which is
 * how the seeds stand in for jexec(8).
 */
#include <stdio.h>
#include <string.h>

#include "jail/life.h"

/* Which jail -m talks about: jid if given, else name. */
static int
find_target(const struct jail_params *p, struct jail **ret)
{
	_cleanup_free_ char *key = NULL;
	int r;

	if (param_isset(p, P_JID))
		r = param_export(p, P_JID, &key);
	else if (param_isset(p, P_NAME))
		r = param_export(p, P_NAME, &key);
	else
		return jail_seterr(-EINVAL, "jail -m needs a jid or name");
	if (r < 0)
		return jail_seterr(r, "out of memory");
	r = registry_find(key, ret);
	if (r >= 0 && (*ret)->state != JS_ACTIVE) {
		jail_freep(ret);
		return jail_seterr(-ENOENT, "jail \"%s\" not found", key);
	}
	return r;
}

static bool
value_differs(const struct jail_params *a, const struct jail_params *b,
    enum param_id id)
{
	_cleanup_free_ char *x = NULL, *y = NULL;

	if (param_export(a, id, &x) < 0 || param_export(b, id, &y) < 0)
		return true;
	return strcmp(x, y) != 0;
}

/* Refuse changes to what cannot change on a running jail. */
static int
check_modify(const struct jail *j, const struct jail_params *p)
{
	int r = param_check_supported(p);

	if (r < 0)
		return r;
	for (int id = 0; id < P__MAX; id++) {
		if (!param_isset(p, id) || id == P_COMMAND ||
		    (param_table[id].flags & PF_SETTABLE_MOD))
			continue;
		if (value_differs(&j->params, p, id))
			return jail_seterr(-EINVAL,
			    "%s cannot be changed after creation",
			    param_table[id].name);
	}
	if (param_isset(p, P_JID) && param_isset(p, P_NAME) &&
	    value_differs(&j->params, p, P_NAME)) {
		struct jail *other = NULL;

		if (registry_find(param_str(p, P_NAME), &other) >= 0) {
			jail_free(other);
			return jail_seterr(-EEXIST, "jail \"%s\" already exists",
			    param_str(p, P_NAME));
		}
	}
	return 0;
}

/* Set the UTS names from the host, if they are being changed (uts.c). */
static int
apply_uts(struct jail *j, const struct jail_params *p)
{
	const char *h = param_str(p, P_HOST_HOSTNAME);
	const char *d = param_str(p, P_HOST_DOMAINNAME);

	if (!param_isset(p, P_HOST_HOSTNAME))
		h = NULL;
	if (!param_isset(p, P_HOST_DOMAINNAME))
		d = NULL;
	if (h == NULL && d == NULL)
		return 0;
	return uts_set(j, h, d);
}

/* Copy every value set in p (but jid and command) over the jail's own. */
static int
merge_params(struct jail *j, const struct jail_params *p)
{
	int r = 0;

	for (int id = 0; id < P__MAX && r >= 0; id++)
		if (param_isset(p, id) && id != P_COMMAND && id != P_JID)
			r = param_copy(&j->params, p, id);
	return r;
}

/* Whether p sets more than the jail's identity and a command. */
static bool
changes_anything(const struct jail_params *p)
{
	for (int id = 0; id < P__MAX; id++)
		if (param_isset(p, id) && id != P_JID && id != P_NAME &&
		    id != P_COMMAND)
			return true;
	return false;
}

/* jail -m: change a running jail, then run command= in it if given. */
int
jail_modify(struct jail_params *p, const struct jail_ops *o, int *ret_status)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	bool was_persist;
	int r;

	*ret_status = 0;
	r = find_target(p, &j);
	if (r < 0)
		return r;
	r = check_modify(j, p);
	if (r < 0)
		return r;
	was_persist = param_bool(&j->params, P_PERSIST);
	r = apply_uts(j, p);
	if (r >= 0)
		r = merge_params(j, p);
	if (r >= 0)
		r = registry_commit(j);
	if (r < 0)
		return r;
	if (param_bool(&j->params, P_PERSIST) != was_persist)
		(void)init_request(j, was_persist ? INIT_NOPERSIST : INIT_PERSIST);
	if (o->verbose > 0 || (o->verbose == 0 && param_isset(p, P_NAME) &&
	    changes_anything(p)))
		jail_note(o, j, "updated\n");
	if (param_isset(p, P_COMMAND)) {
		r = param_copy(&j->params, p, P_COMMAND);
		if (r >= 0)
			r = exec_command(j, o, ret_status);
	}
	return r < 0 ? r : j->jid;
}
