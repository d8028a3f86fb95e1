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
 * file that already defines the jail, or does not parse, as jail(8)
 * reads it (jail -e: mkjail has no jail.conf parser of its own).
 * Never prints.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

/*
 * --- the jails a jail.conf defines ---------------------------------------
 *
 * jail.conf has one parser, jail(8)'s: mkjail asks it, as `jail -f FILE
 * -e SEP` (the jails a file defines and their parameters), rather than
 * carrying a parser of its own that could read a file otherwise.
 */

/* The jail(8) installed beside this program (sbindir, or the build tree). */
static int
jail_path(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n < 0)
		return jail_syserr(-errno, "/proc/self/exe");
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash == NULL || (size_t)(slash + 1 - buf) + sizeof("jail") > len)
		return jail_seterr(-ENAMETOOLONG, "%s: too long", buf);
	(void)strcpy(slash + 1, "jail");
	if (access(buf, X_OK) < 0)
		return jail_syserr(-errno, "%s", buf);
	return 0;
}

/* Start `jail -f file -e '\n'`: its output on *ret_out, errors into errfd. */
static int
exhibit_start(const char *file, int errfd, pid_t *ret_pid, int *ret_out)
{
	char jail[PATH_MAX];
	char *argv[] = { jail, "-f", (char *)file, "-e", "\n", NULL };
	posix_spawn_file_actions_t fa;
	int pfd[2], r = jail_path(jail, sizeof(jail));

	if (r < 0)
		return r;
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return jail_syserr(-errno, "pipe");
	r = posix_spawn_file_actions_init(&fa);
	if (r == 0)
		r = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
		    O_RDONLY, 0);
	if (r == 0)
		r = posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	if (r == 0)
		r = posix_spawn_file_actions_adddup2(&fa, errfd, 2);
	if (r == 0)
		r = posix_spawn(ret_pid, jail, &fa, NULL, argv, environ);
	(void)posix_spawn_file_actions_destroy(&fa);
	(void)close(pfd[1]);
	if (r != 0) {
		(void)close(pfd[0]);
		return jail_syserr(-r, "%s", jail);
	}
	*ret_out = pfd[0];
	return 0;
}

/* Whether a line of jail -e's output names the jail: "name=NAME". */
static int
exhibit_scan(int fd, const char *name, bool *ret_found)
{
	_cleanup_fclose_ FILE *f = fdopen(fd, "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0, len = strlen(name);

	if (f == NULL) {
		(void)close(fd);
		return jail_syserr(-errno, "jail -e");
	}
	*ret_found = false;
	while (getline(&line, &cap, f) >= 0)
		if (strncmp(line, "name=", 5) == 0 &&
		    strncmp(line + 5, name, len) == 0 &&
		    (line[5 + len] == '\n' || line[5 + len] == '\0'))
			*ret_found = true;
	return 0;
}

/* What jail(8) said on failure, less its "jail: " and newline. */
static int
exhibit_failed(const char *file, int errfd, int status)
{
	char msg[JAIL_ERRMSGLEN] = "", *m = msg;
	ssize_t n = pread(errfd, msg, sizeof(msg) - 1, 0);

	if (n > 0)
		msg[n] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	if (strncmp(m, "jail: ", 6) == 0)
		m += 6;
	if (*m == '\0')
		return jail_seterr(-EINVAL, "%s does not parse: jail -e "
		    "failed (%s %d)", file, WIFEXITED(status) ? "status" :
		    "signal", WIFEXITED(status) ? WEXITSTATUS(status) :
		    WTERMSIG(status));
	return jail_seterr(-EINVAL, "%s does not parse: %s", file, m);
}

/* Does file (if it exists and parses) define jail name already? */
static int
conf_has(const char *file, const char *name)
{
	_cleanup_close_ int errfd = -1;
	bool found = false;
	pid_t pid;
	int out, st = 0, r;

	if (access(file, F_OK) < 0)
		return 0;
	errfd = memfd_create("jail-e-stderr", MFD_CLOEXEC);
	if (errfd < 0)
		return jail_syserr(-errno, "memfd_create");
	r = exhibit_start(file, errfd, &pid, &out);
	if (r < 0)
		return r;
	r = exhibit_scan(out, name, &found);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return jail_syserr(-errno, "waitpid");
	if (r < 0)
		return r;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return exhibit_failed(file, errfd, st);
	if (found)
		return jail_seterr(-EEXIST, "%s: jail \"%s\" is already "
		    "defined there", file, name);
	return 0;
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
