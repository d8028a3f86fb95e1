// SPDX-License-Identifier: BSD-2-Clause
/*
 * mkroot.h: Debian jail roots made with debootstrap, for mkjail(8).
 *
 * A thick root is a whole Debian tree at the jail's path.  A thin jail
 * shares a read-only base, made once per suite and package set and cached
 * under MKROOT_BASEDIR, and owns only a writable layer (PATH.layer/upper
 * and work); its path is an empty mount point, and its root an overlay
 * the jail's init mounts in the jail's own mount namespace (fstab.c).
 * Never prints: progress goes to the caller's callbacks.
 *
 * mkjail is a program of its own over libjail's public interface
 * (jail.h): of libjail's internals it uses only the lowest layer, the
 * error type (err.c: jail_seterr, jail_syserr, jail_errctx) and the
 * _cleanup_ helpers, and links nothing else of libjail's core.
 */
#ifndef GAOL_MKROOT_H
#define GAOL_MKROOT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"	/* the lowest layer only: errors, _cleanup_ */

#define MKROOT_BASEDIR "/var/cache/gaol/base"
#define MKROOT_SUITE "bookworm"
#define MKROOT_VARIANT "minbase"
#define MKROOT_MIRROR "http://deb.debian.org/debian"
/* The Linux counterparts of the seeds' --exclude list (devd, kldutils). */
#define MKROOT_EXCLUDE "udev,kmod,dmidecode,isc-dhcp-client,isc-dhcp-common,ifupdown"
/* Always in: jails boot with /etc/init.d/rc; ps shows what a jail sees. */
#define MKROOT_INCLUDE "sysvinit-core,procps"
#define MKROOT_LAYER_SUFFIX ".layer"
/* What mkjail does to a root after debootstrap; part of a base's name. */
#define MKROOT_RECIPE "jail-boot-2"

struct mkroot_ops {
	/* one step of mkjail's own ("debootstrap bookworm from ..."), no \n */
	void (*step)(const char *fmt, va_list ap)
	    __attribute__((format(printf, 1, 0)));
	/* a line of debootstrap's (condensed), with its "I: " */
	void (*tool)(const char *fmt, va_list ap)
	    __attribute__((format(printf, 1, 0)));
};

struct mkroot_req {
	const char *name;	/* the jail's name */
	const char *path;	/* its root (thick) or mount point (thin) */
	const char *suite;	/* NULL: MKROOT_SUITE */
	const char *mirror;	/* NULL: the host's for suite, else MKROOT_MIRROR */
	const char *variant;	/* NULL: MKROOT_VARIANT */
	const char *include;	/* added to MKROOT_INCLUDE, comma-separated */
	const char *exclude;	/* added to MKROOT_EXCLUDE, comma-separated */
	const char *hostname;	/* NULL: name */
	const char *address;	/* an IPv4 or IPv6 address, or NULL */
	const char *interface;	/* interface= for the address, or NULL */
	const char *basedir;	/* NULL: MKROOT_BASEDIR */
	bool thin;
	const struct mkroot_ops *ops;
};

/* path made absolute and resolved as jail(8) will see it. */
int mkroot_canon(const char *path, char *buf, size_t len);

/* Check a request (names, address, path) before anything is made. */
int mkroot_check(const struct mkroot_req *rq);

/* Make the root (thick) or the base and layer (thin) rq describes. */
int mkroot_make(const struct mkroot_req *rq);

/* A thin jail's layer and empty mount point removed (mkjail -r). */
int mkroot_remove(const struct mkroot_req *rq);

/* The jail's hostname (-H, else its name), malloc'd; NULL: no memory. */
char *mkroot_hostname(const struct mkroot_req *rq);

/* The base a thin jail of rq has (whether made yet or not). */
int mkroot_base_path(const struct mkroot_req *rq, char *buf, size_t len);

/* The jail.conf(5) block of the jail, malloc'd. */
int mkroot_conf(const struct mkroot_req *rq, char **ret);

/* Append block to the jail.conf file (made if missing). */
int mkroot_conf_append(const char *file, const char *name,
    const char *block);

/* Fails when file already defines jail name (checked before making). */
int mkroot_conf_check(const char *file, const char *name);

/* Async-signal-safe: stop the work in progress (SIGINT, SIGTERM). */
void mkroot_interrupt(void);

/* --- within mkjail: debootstrap.c and rootetc.c --- */

/* A debootstrap run: its lists as given to --include and --exclude. */
struct dbs_run {
	const char *suite, *variant, *mirror;
	const char *include, *exclude;
	const char *target;		/* an empty directory */
	const struct mkroot_ops *ops;
};

int dbs_host_mirror(const char *root, const char *suite, char **ret);
int dbs_run(const struct dbs_run *run);
int dbs_remove_tree(const char *dir);
bool dbs_interrupted(void);

/* A root's etc files: hostname, hosts, resolv.conf; no policy-rc.d. */
struct rootetc {
	const char *hostname;
	const char *address;	/* NULL: 127.0.1.1 */
};

int rootetc_write(int rootfd, const struct rootetc *e);
int rootetc_no_policy(int rootfd);
int rootetc_no_hostkeys(int rootfd);
int rootetc_boot(const char *root);
int rootetc_resolv(const char *hostfile, const char *upstream, char **ret);

#endif
