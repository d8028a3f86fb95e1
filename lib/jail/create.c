// SPDX-License-Identifier: BSD-2-Clause
/*
 * create.c: jail -c: the parameters checked (path, the thin layer, what
 * the kernel supports, the default hostnames), then the steps of
 * steps.c run forward: reserve the jid and name, add the interface=
 * aliases, exec.prestart, make the cgroup, its limits and programs,
 * init (the root and mounts in its own mount namespace), the devices
 * its devfs shows, the spawner, vnet.interface, then exec.created,
 * exec.start, command, exec.poststart.  A failure walks the steps taken
 * back, so nothing is left half-made.  Like FreeBSD, the jail persists
 * while it is being started and only then takes its own persist value.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "steps.h"

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
	/* its root would be the host's: refused before anything is made */
	if (strcmp(real, "/") == 0)
		return jail_seterr(-EINVAL, "path %s: the host's own root "
		    "cannot be a jail's", path);
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

/* jail -c: create a jail from p; ret_status gets command='s status. */
int
jail_create(struct jail_params *p, const struct jail_ops *o, int *ret_status)
{
	_cleanup_(jail_freep) struct jail *j = jail_new();
	_cleanup_fclose_ FILE *jf = NULL;
	struct life l;
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
	if (r < 0)
		return r;
	life_start(&l, j, o, LIFE_CREATE);
	l.given = p;
	l.jf = jf;
	l.ret_status = ret_status;
	r = life_create(&l);	/* steps.c: the jail made, or nothing */
	if (r < 0)
		return r;
	(void)life_settle(&l);	/* the jail exists; its exit is reaped later */
	return j->jid;
}
