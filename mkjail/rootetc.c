// SPDX-License-Identifier: BSD-2-Clause
/*
 * rootetc.c: the files of a new jail root that say which machine it is:
 * etc/hostname, etc/hosts and etc/resolv.conf (the seeds' advice); no
 * usr/sbin/policy-rc.d, so that the jail's init scripts run; and those
 * scripts as a jail runs them (jail.8, "A Debian system booted by its
 * own init scripts", the recipe tools/debian-root.sh follows).
 *
 * Writes beneath a root descriptor only, replacing a file or symlink
 * rather than writing through it, and follows no symlink on the way.
 * Runs the new root's update-rc.d chrooted into it, as debootstrap runs
 * its maintainer scripts: only on a root just made, never on one a jail
 * has used.  Reads the host's /etc/resolv.conf and systemd-resolved's
 * upstream list.  Never prints.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mkroot.h"

#define RESOLVED_UPSTREAM "/run/systemd/resolve/resolv.conf"

/*
 * path beneath rootfd (openat2, close-on-exec): the descriptor or
 * -errno.  A root being made may hold links to anywhere (a package's, or
 * one planted in a reused base): none is followed, and ".." never climbs
 * out, so every write lands inside the root.
 */
static int
open_beneath(int rootfd, const char *path, int flags)
{
	struct open_how how = { .flags = (unsigned)flags | O_CLOEXEC };
	long fd;

	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
	    RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	return fd < 0 ? -errno : (int)fd;
}

/* Replace dir/name beneath rootfd with a new file holding text. */
static int
write_file(int rootfd, const char *dir, const char *name, const char *text)
{
	_cleanup_close_ int dfd = -1, fd = -1;
	size_t len = strlen(text);

	dfd = open_beneath(rootfd, dir, O_PATH | O_DIRECTORY);
	if (dfd < 0)
		return jail_syserr(dfd, "%s", dir);
	if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
		return jail_syserr(-errno, "%s/%s", dir, name);
	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd < 0)
		return jail_syserr(-errno, "%s/%s", dir, name);
	/* whatever mkjail's umask: every user of the jail reads these */
	if (fchmod(fd, 0644) < 0 ||
	    write(fd, text, len) != (ssize_t)len || fsync(fd) < 0)
		return jail_syserr(-errno, "%s/%s", dir, name);
	return 0;
}

/* Is this "nameserver ADDR" line a resolver on the host's loopback? */
static bool
loopback_nameserver(const char *line)
{
	char addr[INET6_ADDRSTRLEN + 16];
	struct in6_addr a6;
	struct in_addr a4;

	if (sscanf(line, " nameserver %61s", addr) != 1)
		return false;
	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, addr, &a6) == 1 &&
	    IN6_IS_ADDR_LOOPBACK(&a6);
}

/*
 * Append file's lines to out, but its loopback nameservers; counts the
 * nameservers kept and dropped.  A missing file adds nothing.
 */
static void
resolv_filter(const char *file, FILE *out, unsigned *kept,
    unsigned *dropped)
{
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;

	while (f != NULL && getline(&line, &cap, f) >= 0) {
		if (loopback_nameserver(line)) {
			(*dropped)++;
			continue;
		}
		if (strncmp(line, "nameserver", 10) == 0)
			(*kept)++;
		(void)fputs(line, out);
		if (line[strlen(line) - 1] != '\n')
			(void)fputc('\n', out);
	}
}

static const char stub_comment[] =
    "# mkjail: the host's /etc/resolv.conf names a resolver on its loopback\n"
    "# address (127.0.0.x or ::1), which a jail cannot reach: the jail's\n"
    "# 127.0.0.1 is its own address.  Name a resolver the jail can reach.\n";

/*
 * The jail's resolv.conf: the host's (hostfile), unless it names a resolver on the
 * loopback (systemd-resolved's 127.0.0.53, a local dnsmasq): those lines
 * go, a comment says why, and systemd-resolved's upstream servers
 * (upstream) are used when the host's file has no other.
 */
int
rootetc_resolv(const char *hostfile, const char *upstream, char **ret)
{
	_cleanup_free_ char *host = NULL, *up = NULL;
	size_t hlen = 0, ulen = 0;
	unsigned kept = 0, dropped = 0, ukept = 0, udropped = 0;
	FILE *h = open_memstream(&host, &hlen);
	FILE *u = open_memstream(&up, &ulen);

	if (h == NULL || u == NULL) {
		if (h != NULL)
			(void)fclose(h);
		if (u != NULL)
			(void)fclose(u);
		return jail_seterr(-ENOMEM, "out of memory");
	}
	resolv_filter(hostfile, h, &kept, &dropped);
	if (dropped > 0 && kept == 0)
		resolv_filter(upstream, u, &ukept, &udropped);
	if (fclose(h) != 0 || fclose(u) != 0)
		return jail_seterr(-ENOMEM, "out of memory");
	if (dropped == 0) {
		*ret = TAKE_PTR(host);
		return 0;
	}
	if (asprintf(ret, "%s%s%s%s%s", stub_comment, ukept > 0 ?
	    "# The upstream servers of " : "", ukept > 0 ? upstream : "",
	    ukept > 0 ? ":\n" : "", ukept > 0 ? up : host) < 0)
		return jail_seterr(-ENOMEM, "out of memory");
	return 0;
}

/* etc/hosts: the loopback names and the jail's on its address. */
static int
hosts_text(const struct rootetc *e, char **ret)
{
	const char *dot = strchr(e->hostname, '.');
	int shortlen = dot != NULL ? (int)(dot - e->hostname) : 0;

	if (asprintf(ret, "127.0.0.1\tlocalhost\n"
	    "::1\t\tlocalhost ip6-localhost ip6-loopback\n"
	    "ff02::1\t\tip6-allnodes\n"
	    "ff02::2\t\tip6-allrouters\n"
	    "%s\t%s%s%.*s\n", e->address != NULL ? e->address : "127.0.1.1",
	    e->hostname, dot != NULL ? " " : "", shortlen, e->hostname) < 0)
		return jail_seterr(-ENOMEM, "out of memory");
	return 0;
}

/* Write etc/hostname, etc/hosts and etc/resolv.conf beneath rootfd. */
int
rootetc_write(int rootfd, const struct rootetc *e)
{
	_cleanup_free_ char *name = NULL, *hosts = NULL, *resolv = NULL;
	int r;

	if (asprintf(&name, "%s\n", e->hostname) < 0)
		return jail_seterr(-ENOMEM, "out of memory");
	r = hosts_text(e, &hosts);
	if (r < 0)
		return r;
	r = rootetc_resolv("/etc/resolv.conf", RESOLVED_UPSTREAM, &resolv);
	if (r < 0)
		return r;
	if (hosts == NULL || resolv == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	r = write_file(rootfd, "etc", "hostname", name);
	if (r >= 0)
		r = write_file(rootfd, "etc", "hosts", hosts);
	if (r >= 0)
		r = write_file(rootfd, "etc", "resolv.conf", resolv);
	return r;
}

/*
 * debootstrap may leave a usr/sbin/policy-rc.d that forbids starting
 * services (exit 101); the jail boots with its init scripts: remove it.
 */
int
rootetc_no_policy(int rootfd)
{
	_cleanup_close_ int dfd = -1;

	dfd = open_beneath(rootfd, "usr/sbin", O_PATH | O_DIRECTORY);
	if (dfd == -ENOENT)
		return 0;
	if (dfd < 0)
		return jail_syserr(dfd, "usr/sbin");
	if (unlinkat(dfd, "policy-rc.d", 0) < 0 && errno != ENOENT)
		return jail_syserr(-errno, "usr/sbin/policy-rc.d");
	return 0;
}

/*
 * No SSH host keys in a prepared root: openssh-server's postinst made
 * them during debootstrap, and every jail of a base (or copy of a root)
 * would share them.  Each jail makes its own at its first start
 * (ssh-keygen -A in the block mkconf.c prints).
 */
int
rootetc_no_hostkeys(int rootfd)
{
	_cleanup_close_ int dfd = -1;
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *e;
	int fd;

	dfd = open_beneath(rootfd, "etc/ssh", O_RDONLY | O_DIRECTORY);
	if (dfd == -ENOENT)
		return 0;
	if (dfd < 0)
		return jail_syserr(dfd, "etc/ssh");
	fd = dup(dfd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (d == NULL) {
		if (fd >= 0)
			(void)close(fd);
		return jail_syserr(-errno, "etc/ssh");
	}
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "ssh_host_", 9) == 0 &&
		    unlinkat(dfd, e->d_name, 0) < 0)
			return jail_syserr(-errno, "etc/ssh/%s", e->d_name);
	return 0;
}

/*
 * Init scripts doing the host's work, out of a jail's runlevels (as LXC's
 * Debian template does): checkroot.sh, checkroot-bootclean.sh and
 * checkfs.sh fsck and remount what the host mounted, procps writes the
 * host's sysctls, bootlogs reads the host's kernel log: disabled.
 * hwclock.sh sets the host's clock; umountfs, umountroot, halt and reboot
 * would unmount and power off the machine (gaol takes a jail's mounts
 * away, jail -r ends its processes): removed.
 */
static const struct {
	const char *script;
	const char *how;	/* update-rc.d's verb */
	const char *links;	/* glob of the links that mean it is there */
} boot_changes[] = {
	{ "checkroot.sh", "disable", "etc/rc[S2].d/S[0-9][0-9]" },
	{ "checkroot-bootclean.sh", "disable", "etc/rc[S2].d/S[0-9][0-9]" },
	{ "checkfs.sh", "disable", "etc/rc[S2].d/S[0-9][0-9]" },
	{ "procps", "disable", "etc/rc[S2].d/S[0-9][0-9]" },
	{ "bootlogs", "disable", "etc/rc[S2].d/S[0-9][0-9]" },
	{ "hwclock.sh", "remove", "etc/rc[0-6S].d/[SK][0-9][0-9]" },
	{ "umountfs", "remove", "etc/rc[0-6S].d/[SK][0-9][0-9]" },
	{ "umountroot", "remove", "etc/rc[0-6S].d/[SK][0-9][0-9]" },
	{ "halt", "remove", "etc/rc[0-6S].d/[SK][0-9][0-9]" },
	{ "reboot", "remove", "etc/rc[0-6S].d/[SK][0-9][0-9]" },
};

/* Whether root has a link matching links + script. */
static bool
has_links(const char *root, const char *links, const char *script)
{
	char pattern[PATH_MAX];
	glob_t g;
	bool found;

	(void)snprintf(pattern, sizeof(pattern), "%s/%s%s", root, links,
	    script);
	found = glob(pattern, GLOB_NOSORT, NULL, &g) == 0;
	if (found)
		globfree(&g);
	return found;
}

/* chroot root update-rc.d -f script how, quietly. */
static int
update_rc(const char *root, const char *script, const char *how)
{
	char *argv[] = { "update-rc.d", "-f", (char *)script, (char *)how,
		NULL };
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
		    dup2(null, 2) < 0 || chroot(root) < 0 || chdir("/") < 0)
			_exit(126);
		(void)setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
		execv("/usr/sbin/update-rc.d", argv);
		_exit(127);
	}
	if (pid < 0)
		return jail_syserr(-errno, "fork");
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return jail_syserr(-errno, "waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return jail_seterr(-ECANCELED, "update-rc.d -f %s %s failed in "
		    "%s", script, how, root);
	return 0;
}

/* Append text to dir/name beneath rootfd unless a line starts with key. */
static int
append_unless(int rootfd, const char *file, const char *key,
    const char *text)
{
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	int fd;

	fd = open_beneath(rootfd, file, O_RDWR | O_APPEND);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0 || (f = fdopen(fd, "r+")) == NULL) {
		if (fd >= 0)
			(void)close(fd);
		return jail_syserr(fd < 0 ? fd : -errno, "%s", file);
	}
	while (getline(&line, &cap, f) >= 0)
		if (strncmp(line, key, strlen(key)) == 0)
			return 0;
	if (fputs(text, f) < 0 || fflush(f) != 0)
		return jail_syserr(-errno, "%s", file);
	return 0;
}

/*
 * Debian's init scripts (rc S, rc 2, rc 0) as a jail runs them: the
 * host's work out of the runlevels; etc/mtab the link checkroot.sh would
 * have made; RAMLOCK=no, /run/lock being a directory of the jail's /run
 * tmpfs (a jailed root may mount nothing).  For a root just made.
 */
int
rootetc_boot(const char *root)
{
	_cleanup_close_ int rootfd = -1, etc = -1;
	char path[PATH_MAX];
	int r = 0;

	(void)snprintf(path, sizeof(path), "%s/usr/sbin/update-rc.d", root);
	for (size_t i = 0; r >= 0 && access(path, X_OK) == 0 &&
	     i < nitems(boot_changes); i++)
		if (has_links(root, boot_changes[i].links,
		    boot_changes[i].script))
			r = update_rc(root, boot_changes[i].script,
			    boot_changes[i].how);
	if (r < 0)
		return r;
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd >= 0)
		etc = open_beneath(rootfd, "etc", O_PATH | O_DIRECTORY);
	if (rootfd < 0 || etc < 0)
		return jail_syserr(rootfd < 0 ? -errno : etc, "%s/etc", root);
	if (symlinkat("../proc/self/mounts", etc, "mtab") < 0 &&
	    errno != EEXIST)
		return jail_syserr(-errno, "%s/etc/mtab", root);
	return append_unless(rootfd, "etc/default/tmpfs", "RAMLOCK=",
	    "# a jail: /run/lock is part of /run (gaol)\nRAMLOCK=no\n");
}
