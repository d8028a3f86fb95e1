// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-procfs.c: what the jail's /proc, /sys and /dev must hide or keep
 * read-only: sysctls that reach the host (hostname, core_pattern,
 * modprobe), sysrq-trigger, uevent_helper, kcore, keys, the memory and
 * port devices, the kernel log, the cgroup hierarchy.
 *
 * Writes are made with the value the file already has, and only to files
 * whose contents are a plain value (sysctls, uevent_helper):
 * sysrq-trigger and cgroup.procs are only opened, never written.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

/*
 * Write to path what it holds now (read just before): a no-op where it
 * succeeds.  0 if the write went through, else the errno of the open
 * or of the write.
 */
static int
write_same(const char *path)
{
	char buf[4096];
	ssize_t n = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf));
		(void)close(fd);
	}
	if (fd < 0 || n < 0)
		verbose("read %s: %s", path, strerror(errno));
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return fail_errno(path);
	if (n <= 0) {
		(void)close(fd);
		note("%s opened for writing (nothing written)", path);
		return 0;
	}
	if (write(fd, buf, (size_t)n) != n) {
		int e = fail_errno(path);

		(void)close(fd);
		return e;
	}
	(void)close(fd);
	note("wrote %s (its own value back)", path);
	return 0;
}

int
probe_sysctl_hostname(const char *arg)
{
	(void)arg;
	return write_same("/proc/sys/kernel/hostname");
}

int
probe_core_pattern(const char *arg)
{
	(void)arg;
	return write_same("/proc/sys/kernel/core_pattern");
}

int
probe_sysctl_modprobe(const char *arg)
{
	(void)arg;
	return write_same("/proc/sys/kernel/modprobe");
}

int
probe_uevent_helper(const char *arg)
{
	(void)arg;
	return write_same("/sys/kernel/uevent_helper");
}

/* sysrq-trigger: must not open for writing; nothing is ever written. */
int
probe_sysrq(const char *arg)
{
	(void)arg;
	return try_open("/proc/sysrq-trigger", O_WRONLY);
}

/* A file that must read as nothing (masked) or not open at all. */
static int
reads_empty(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return fail_errno(path);
	n = read(fd, buf, sizeof(buf));
	(void)close(fd);
	if (n > 0) {
		note("read %zd bytes from %s", n, path);
		return 0;
	}
	note("%s reads as empty", path);
	return n < 0 ? fail_errno(path) : P_DENIED;
}

int
probe_kcore(const char *arg)
{
	(void)arg;
	return reads_empty("/proc/kcore");
}

int
probe_proc_keys(const char *arg)
{
	(void)arg;
	return reads_empty("/proc/keys");
}

/* A device node that must not exist at all. */
static int
absent(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0) {
		note("%s exists", path);
		return 0;
	}
	return fail_errno(path);
}

int
probe_dev_mem(const char *arg)
{
	(void)arg;
	return absent("/dev/mem");
}

int
probe_dev_kmem(const char *arg)
{
	(void)arg;
	return absent("/dev/kmem");
}

int
probe_dev_port(const char *arg)
{
	(void)arg;
	return absent("/dev/port");
}

/* kmsg: the kernel log must not be there (nor open). */
int
probe_kmsg(const char *arg)
{
	(void)arg;
	return try_open("/dev/kmsg", O_RDONLY);
}

/* devices: the jail ruleset's nodes are there, and nothing dangerous. */
static const char *const required_devs[] = { "/dev/null", "/dev/zero",
	"/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/ptmx",
	"/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/shm",
	"/dev/pts" };
static const char *const forbidden_devs[] = { "/dev/mem", "/dev/kmem",
	"/dev/port", "/dev/sd*", "/dev/hd*", "/dev/vd*", "/dev/xvd*",
	"/dev/nvme*", "/dev/loop*", "/dev/dm-*", "/dev/mapper", "/dev/kmsg",
	"/dev/console", "/dev/tty[0-9]*", "/dev/mqueue", "/dev/fuse",
	"/dev/net", "/dev/bpf*", "/dev/cpu*", "/dev/dri", "/dev/input" };

/* Append the names matching each pattern to buf; how many there were. */
static size_t
list_present(char *buf, size_t len)
{
	size_t n = 0, found = 0;
	glob_t g;

	buf[0] = '\0';
	for (size_t i = 0; i < nitems(forbidden_devs); i++) {
		if (glob(forbidden_devs[i], 0, NULL, &g) != 0)
			continue;
		for (size_t j = 0; j < g.gl_pathc && n < len; j++, found++)
			n += (size_t)snprintf(buf + n, len - n, " %s",
			    g.gl_pathv[j]);
		globfree(&g);
	}
	return found;
}

int
probe_devices(const char *arg)
{
	char buf[768];
	struct stat st;
	size_t n = 0;

	(void)arg;
	if (list_present(buf, sizeof(buf)) > 0) {
		note("present:%s", buf);
		return 0;
	}
	buf[0] = '\0';
	for (size_t i = 0; i < nitems(required_devs) && n < sizeof(buf); i++)
		if (lstat(required_devs[i], &st) < 0)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s",
			    required_devs[i]);
	if (n > 0) {
		note("missing:%s", buf);
		return P_ERROR;
	}
	return P_DENIED;
}

/*
 * cgroup-procs: moving into a cgroup outside the jail's means writing a
 * cgroup.procs above it; none may open for writing (never written).
 */
int
probe_cgroup_procs(const char *arg)
{
	static const char *const files[] = { "/sys/fs/cgroup/cgroup.procs",
		"/sys/fs/cgroup/unified/cgroup.procs",
		"/sys/fs/cgroup/pids/cgroup.procs",
		"/sys/fs/cgroup/systemd/cgroup.procs" };
	int first = 0;

	(void)arg;
	for (size_t i = 0; i < nitems(files); i++) {
		int r = try_open(files[i], O_WRONLY);

		if (r == 0)
			return 0;
		if (first == 0)
			first = r;
	}
	return first;
}

/* cgroup-mkdir: the jail's /sys/fs/cgroup is read-only or absent. */
int
probe_cgroup_mkdir(const char *arg)
{
	char dir[PATH_MAX];

	(void)arg;
	(void)snprintf(dir, sizeof(dir), "/sys/fs/cgroup/gaol-probe.%ld",
	    (long)getpid());
	if (mkdir(dir, 0755) == 0) {
		(void)rmdir(dir);
		note("made %s", dir);
		return 0;
	}
	return fail_errno(dir);
}

/*
 * cgroup-view: the jail's cgroup namespace shows its own cgroup as "/";
 * a path there would name the host's hierarchy (and its parents).
 */
int
probe_cgroup_ns(const char *arg)
{
	char line[512];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int r = P_DENIED;

	(void)arg;
	if (f == NULL)
		return setup_error("/proc/self/cgroup");
	while (r == P_DENIED && fgets(line, sizeof(line), f) != NULL) {
		char *path = strrchr(line, ':');

		line[strcspn(line, "\n")] = '\0';
		if (path != NULL && strcmp(path, ":/") != 0) {
			note("/proc/self/cgroup shows %s", line);
			r = 0;
		}
	}
	fclose(f);
	if (r == P_DENIED)
		note("every hierarchy shows /");
	return r;
}
