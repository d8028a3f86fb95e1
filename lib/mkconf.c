// SPDX-License-Identifier: BSD-2-Clause
/*
 * mkconf.c: the jail.conf(5) block of a jail mkjail(8) made, printed or
 * appended to a jail.conf file.
 *
 * Owns what a Debian jail is started with (jail.8's recipe for a Debian
 * system booted by its own init scripts): its path, hostname and
 * address (and a comment on what it has of the network without one), a
 * devfs, procfs, /run and a read-only /sys, exec.clean, the
 * seeds' boot (rc S, then rc 2; rc 0 to stop) logged to the jail's
 * var/log/console.log, and for a thin jail the overlay that is its root.
 * Values are quoted as jail.conf reads them back.  Appending refuses a
 * file that already defines the jail.
 * Never prints.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "jail/life.h"
#include "mkroot.h"

/* name = "value"; with jail.conf's escapes for \, " and $. */
static void
conf_str(FILE *f, const char *name, const char *op, const char *value)
{
	(void)fprintf(f, "\t%s %s \"", name, op);
	for (const char *c = value; *c != '\0'; c++) {
		if (*c == '\\' || *c == '"' || *c == '$')
			(void)fputc('\\', f);
		(void)fputc(*c, f);
	}
	(void)fputs("\";\n", f);
}

/* The overlay line of a thin jail: its base and its layer. */
static int
conf_overlay(const struct mkroot_req *rq, FILE *f)
{
	char base[PATH_MAX], line[4 * PATH_MAX];
	int r = mkroot_base_path(rq, base, sizeof(base));

	if (r < 0)
		return r;
	(void)snprintf(line, sizeof(line), "overlay %s overlay lowerdir=%s,"
	    "upperdir=%s" MKROOT_LAYER_SUFFIX "/upper,workdir=%s"
	    MKROOT_LAYER_SUFFIX "/work 0 0", rq->path, base, rq->path,
	    rq->path);
	conf_str(f, "mount", "=", line);
	return 0;
}

/*
 * The address, and what the jail has of the other family: nothing, by
 * default (ip4 and ip6 are "disable" without an address, as FreeBSD's).
 */
static void
conf_address(const struct mkroot_req *rq, FILE *f)
{
	unsigned char buf[sizeof(struct in_addr)];
	bool v4;

	if (rq->interface != NULL)
		conf_str(f, "interface", "=", rq->interface);
	if (rq->address == NULL) {
		(void)fputs("\t# no address, no network: ip4 and ip6 default to "
		    "disable;\n\t# \"ip4 = inherit;\" would share all of the host's "
		    "network with it\n", f);
		return;
	}
	v4 = inet_pton(AF_INET, rq->address, buf) == 1;
	conf_str(f, v4 ? "ip4.addr" : "ip6.addr", "=", rq->address);
	(void)fprintf(f, "\t# no %s: %s defaults to disable without %s\n",
	    v4 ? "IPv6" : "IPv4", v4 ? "ip6" : "ip4",
	    v4 ? "ip6.addr" : "ip4.addr");
}

/*
 * rc S, then rc 2; first ssh-keygen -A where the root has it: a
 * prepared root holds no host keys (rootetc_no_hostkeys), and each jail
 * makes its own once.
 */
static int
conf_start(const struct mkroot_req *rq, FILE *f)
{
	static const char rc[] = "/etc/init.d/rc S && /etc/init.d/rc 2";
	char root[PATH_MAX], keygen[PATH_MAX + 32], line[sizeof(rc) + 32];
	int r = 0;

	if (rq->thin)
		r = mkroot_base_path(rq, root, sizeof(root));
	else
		(void)snprintf(root, sizeof(root), "%s", rq->path);
	if (r < 0)
		return r;
	(void)snprintf(keygen, sizeof(keygen), "%s/usr/bin/ssh-keygen", root);
	(void)snprintf(line, sizeof(line), "%s%s", access(keygen, X_OK) == 0
	    ? "/usr/bin/ssh-keygen -A && " : "", rc);
	conf_str(f, "exec.start", "=", line);
	return 0;
}

static int
conf_body(const struct mkroot_req *rq, FILE *f)
{
	_cleanup_free_ char *host = mkroot_hostname(rq);
	char run[PATH_MAX + 64];
	int r = 0;

	if (host == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	(void)fprintf(f, "# %s: Debian %s, a %s jail made by mkjail(8)\n",
	    rq->name, rq->suite != NULL ? rq->suite : MKROOT_SUITE,
	    rq->thin ? "thin" : "thick");
	(void)fprintf(f, "%s {\n", rq->name);
	conf_str(f, "path", "=", rq->path);
	conf_str(f, "host.hostname", "=", host);
	conf_address(rq, f);
	if (rq->thin)
		r = conf_overlay(rq, f);
	(void)snprintf(run, sizeof(run), "tmpfs %s/run tmpfs "
	    "rw,nosuid,nodev,mode=755 0 0", rq->path);
	conf_str(f, "mount", rq->thin ? "+=" : "=", run);
	(void)snprintf(run, sizeof(run), "linsysfs %s/sys linsysfs ro 0 0",
	    rq->path);
	conf_str(f, "mount", "+=", run);
	(void)fputs("\tmount.devfs;\n\tmount.procfs;\n\texec.clean;\n", f);
	if (r >= 0)
		r = conf_start(rq, f);
	conf_str(f, "exec.stop", "=", "/etc/init.d/rc 0");
	/* the boot's messages: in the jail, as a VPS's console log */
	(void)snprintf(run, sizeof(run), "%s/var/log/console.log", rq->path);
	conf_str(f, "exec.consolelog", "=", run);
	(void)fputs("\tpersist;\n}\n", f);
	return r;
}

/* The jail.conf(5) block of the jail, malloc'd. */
int
mkroot_conf(const struct mkroot_req *rq, char **ret)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int r;

	if (f == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	r = conf_body(rq, f);
	if (fclose(f) != 0 && r >= 0)
		r = jail_seterr(-ENOMEM, "out of memory");
	if (r < 0)
		return r;
	*ret = TAKE_PTR(buf);
	return 0;
}

/* Does file (if it exists and parses) define jail name already? */
static int
conf_has(const char *file, const char *name)
{
	struct conf *c = NULL;
	int r;

	if (access(file, F_OK) < 0)
		return 0;
	r = conf_load(file, &c);
	if (r < 0)
		return jail_errctx(r, "%s does not parse", file);
	r = conf_find(c, name) != NULL ? jail_seterr(-EEXIST,
	    "%s: jail \"%s\" is already defined there", file, name) : 0;
	conf_free(c);
	return r;
}

/* Append block to the jail.conf file (made if missing). */
int
mkroot_conf_append(const char *file, const char *name, const char *block)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	size_t len = strlen(block);
	int r = conf_has(file, name);

	if (r < 0)
		return r;
	fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX) < 0 || fstat(fd, &st) < 0)
		return jail_syserr(-errno, "%s", file);
	/* a blank line between blocks */
	if (st.st_size > 0 && write(fd, "\n", 1) != 1)
		return jail_syserr(-errno, "%s", file);
	if (write(fd, block, len) != (ssize_t)len)
		return jail_syserr(-errno, "%s", file);
	return 0;
}

/* Whether the block would go into file without a clash (checked early). */
int
mkroot_conf_check(const char *file, const char *name)
{
	return conf_has(file, name);
}
