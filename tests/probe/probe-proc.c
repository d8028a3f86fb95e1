// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-proc.c: reaching other processes and widening one's own
 * privileges: the capability sets, capset and ambient capabilities,
 * ptrace, signals to the jail's init and to the host, kcmp, pidfd_getfd,
 * /proc/1's environ, mem and descriptors, leaked descriptors, the
 * hostname.
 *
 * Only pid 1 of the jail, the probe's own children and one host pid
 * number given by the test are ever addressed; signals to pid 1 are
 * SIGKILL (which the kernel drops for a namespace's init signalled from
 * inside) and signal 0 elsewhere.
 */
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/kcmp.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

static const char *const cap_names[] = { "CHOWN", "DAC_OVERRIDE",
	"DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
	"SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST",
	"NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE",
	"SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN",
	"SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG",
	"MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
	"MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND",
	"AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE" };

#define CAPBIT(c) (1ULL << (c))

/*
 * What a jailed root keeps under default parameters (lib/confine/confine.c);
 * CAP_AUDIT_WRITE only with allow.audit.
 */
static const unsigned long long base_caps = CAPBIT(CAP_CHOWN) |
    CAPBIT(CAP_DAC_OVERRIDE) | CAPBIT(CAP_FOWNER) | CAPBIT(CAP_FSETID) |
    CAPBIT(CAP_KILL) | CAPBIT(CAP_SETGID) | CAPBIT(CAP_SETUID) |
    CAPBIT(CAP_SETPCAP) | CAPBIT(CAP_NET_BIND_SERVICE) |
    CAPBIT(CAP_SYS_CHROOT) | CAPBIT(CAP_SETFCAP);

/* Read the hex value of a "Cap*:" line of /proc/self/status. */
static int
read_capset(const char *key, unsigned long long *ret)
{
	char line[256];
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/self/status", "re");
	int r = -ENOENT;

	if (f == NULL)
		return -errno;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			*ret = strtoull(line + klen + 1, NULL, 16);
			r = 0;
			break;
		}
	}
	fclose(f);
	return r;
}

/* The base set plus the comma-separated capability names in extra. */
static int
expected_caps(const char *extra, unsigned long long *ret)
{
	char buf[256], *save = NULL;
	unsigned long long v = base_caps;

	(void)snprintf(buf, sizeof(buf), "%s", extra != NULL ? extra : "");
	for (char *w = strtok_r(buf, ",+", &save); w != NULL;
	     w = strtok_r(NULL, ",+", &save)) {
		size_t i = 0;

		while (i < nitems(cap_names) && strcmp(cap_names[i], w) != 0)
			i++;
		if (i == nitems(cap_names)) {
			note("unknown capability %s", w);
			return P_ERROR;
		}
		v |= CAPBIT(i);
	}
	*ret = v;
	return 0;
}

/* Append the names of the bits in mask to buf. */
static void
cap_list(char *buf, size_t len, unsigned long long mask)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < 64 && n < len; i++)
		if (mask & CAPBIT(i))
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
			    n ? "," : "", i < nitems(cap_names) ?
			    cap_names[i] : "?");
}

/*
 * caps: the bounding set is exactly the jail's set (base plus what the
 * argument lists, e.g. "NET_RAW" for allow.raw_sockets); root holds it
 * all, effective and permitted; any other user holds nothing; nobody
 * holds ambient capabilities.
 */
int
probe_caps(const char *arg)
{
	static const char *const sets[] = { "CapBnd", "CapPrm", "CapEff",
		"CapAmb" };
	unsigned long long v[nitems(sets)], want, held;
	char more[256], less[256];

	for (size_t i = 0; i < nitems(sets); i++)
		if (read_capset(sets[i], &v[i]) < 0) {
			note("no %s in /proc/self/status", sets[i]);
			return P_ERROR;
		}
	verbose("CapBnd=%016llx CapPrm=%016llx CapEff=%016llx CapAmb=%016llx",
	    v[0], v[1], v[2], v[3]);
	if (expected_caps(arg, &want) < 0)
		return P_ERROR;
	held = geteuid() == 0 ? want : 0;
	cap_list(more, sizeof(more), (v[0] & ~want) | (v[1] & ~held) |
	    (v[2] & ~held) | v[3]);
	cap_list(less, sizeof(less), (want & ~v[0]) | (held & ~v[2]));
	if (more[0] != '\0') {
		note("CapBnd=%016llx CapEff=%016llx has %s", v[0], v[2], more);
		return 0;
	}
	if (less[0] != '\0') {
		note("CapBnd=%016llx CapEff=%016llx lacks %s", v[0], v[2], less);
		return P_ERROR;
	}
	note("CapBnd=%016llx CapEff=%016llx", v[0], v[2]);
	return P_DENIED;
}

/* In a child: put CAP_SYS_ADMIN in the permitted and effective sets. */
static int
do_capset(const void *arg)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	(void)arg;
	if (syscall(SYS_capget, &h, d) < 0)
		return P_ERROR;
	d[0].permitted |= 1U << CAP_SYS_ADMIN;
	d[0].effective |= 1U << CAP_SYS_ADMIN;
	return child_errno((int)syscall(SYS_capset, &h, d));
}

int
probe_capset(const char *arg)
{
	int r;

	(void)arg;
	r = in_child(do_capset, NULL);
	note("capset +SYS_ADMIN: %s", r == 0 ? "succeeded" : errno_name(r));
	return r;
}

/* In a child: raise CAP_SYS_ADMIN into the ambient set. */
static int
do_ambient(const void *arg)
{
	(void)arg;
	return child_errno(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE,
	    CAP_SYS_ADMIN, 0, 0));
}

int
probe_ambient(const char *arg)
{
	int r;

	(void)arg;
	r = in_child(do_ambient, NULL);
	note("ambient +SYS_ADMIN: %s", r == 0 ? "succeeded" : errno_name(r));
	return r;
}

/* ptrace1: attaching to the jail's init must fail; detach if it does not. */
int
probe_ptrace1(const char *arg)
{
	(void)arg;
	if (ptrace(PTRACE_ATTACH, 1, NULL, NULL) == 0) {
		(void)waitpid(1, NULL, __WALL);
		(void)ptrace(PTRACE_DETACH, 1, NULL, NULL);
		note("PTRACE_ATTACH to pid 1 succeeded");
		return 0;
	}
	return fail_errno("PTRACE_ATTACH 1");
}

/*
 * ptrace-child: debugging one's own child, which
 * allow.unprivileged_proc_debug (on by default) permits.
 */
int
probe_ptrace_child(const char *arg)
{
	pid_t pid;
	int r;

	(void)arg;
	pid = fork();
	if (pid < 0)
		return setup_error("fork");
	if (pid == 0) {
		(void)pause();
		_exit(0);
	}
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) == 0) {
		(void)waitpid(pid, NULL, __WALL);
		(void)ptrace(PTRACE_DETACH, pid, NULL, NULL);
		note("PTRACE_ATTACH to child %ld succeeded", (long)pid);
		r = 0;
	} else
		r = fail_errno("PTRACE_ATTACH to a child");
	(void)kill(pid, SIGKILL);
	(void)waitpid(pid, NULL, 0);
	return r;
}

/* The state letter of a pid in /proc/PID/stat ('?' if unreadable). */
static char
proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;

	(void)snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "re")) == NULL)
		return '?';
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (p == NULL || (p = strrchr(buf, ')')) == NULL || p[1] == '\0')
		return '?';
	return p[2];
}

/*
 * kill1: SIGKILL to the jail's init from inside its pid namespace is
 * dropped by the kernel; init must still be there afterwards.
 */
int
probe_kill1(const char *arg)
{
	struct timespec ts = { 0, 100000000L };	/* 0.1 s */

	(void)arg;
	if (kill(1, SIGKILL) < 0)
		return fail_errno("kill -KILL 1");
	(void)nanosleep(&ts, NULL);
	if (kill(1, 0) < 0 || proc_state(1) == 'Z' || proc_state(1) == '?') {
		note("pid 1 died of SIGKILL");
		return 0;
	}
	note("SIGKILL to pid 1 ignored");
	return P_DENIED;
}

/*
 * kill-host: a host pid (GAOL_HOST_PID, from the test) must not exist in
 * the jail's pid namespace: signal 0 answers ESRCH.
 */
int
probe_kill_host(const char *arg)
{
	const char *s = getenv("GAOL_HOST_PID");
	char path[64];
	struct stat st;
	long pid;

	(void)arg;
	if (s == NULL || (pid = strtol(s, NULL, 10)) <= 1) {
		note("GAOL_HOST_PID is not set");
		return P_SKIP;
	}
	(void)snprintf(path, sizeof(path), "/proc/%ld", pid);
	if (stat(path, &st) == 0) {
		note("pid %ld is a process of the jail as well", pid);
		return P_SKIP;
	}
	if (kill((pid_t)pid, 0) == 0) {
		note("host pid %ld answers signal 0", pid);
		return 0;
	}
	return fail_errno("kill -0 host pid");
}

/* kcmp of our descriptor 0 with init's: needs ptrace access to init. */
int
probe_kcmp(const char *arg)
{
	(void)arg;
	return sys_outcome(syscall(SYS_kcmp, getpid(), 1, KCMP_FILE, 0, 0),
	    "kcmp KCMP_FILE with pid 1");
}

/* pidfd-getfd: taking a descriptor of init (its 0) through a pidfd. */
int
probe_pidfd_getfd(const char *arg)
{
	long pidfd, r;

	(void)arg;
	pidfd = syscall(SYS_pidfd_open, 1, 0);
	if (pidfd < 0)
		return fail_errno("pidfd_open 1");
	r = syscall(SYS_pidfd_getfd, (int)pidfd, 0, 0);
	(void)close((int)pidfd);
	return fd_outcome(r, "pidfd_getfd of pid 1's fd 0");
}

/* init-environ: the environment of init, read (must not open). */
int
probe_init_environ(const char *arg)
{
	char buf[256];
	ssize_t n;
	int fd;

	(void)arg;
	fd = open("/proc/1/environ", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail_errno("/proc/1/environ");
	n = read(fd, buf, sizeof(buf));
	(void)close(fd);
	if (n > 0) {
		note("read %zd bytes of /proc/1/environ", n);
		return 0;
	}
	note("/proc/1/environ reads as empty");
	return n < 0 ? fail_errno("/proc/1/environ") : P_DENIED;
}

int
probe_init_mem(const char *arg)
{
	(void)arg;
	return try_open("/proc/1/mem", O_RDONLY);
}

/* vm-read1: process_vm_readv of init: EFAULT past the check, or EPERM. */
int
probe_vm_read1(const char *arg)
{
	char c;
	struct iovec local = { &c, 1 };
	struct iovec remote = { (void *)0x10000, 1 };

	(void)arg;
	return sys_outcome(process_vm_readv(1, &local, 1, &remote, 1, 0),
	    "process_vm_readv of pid 1");
}

/* Append " fd->target" for one descriptor link to buf. */
static size_t
add_link(char *buf, size_t len, size_t n, const char *dir, const char *fd)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t l;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, fd);
	l = readlink(path, target, sizeof(target) - 1);
	target[l < 0 ? 0 : l] = '\0';
	if (n >= len)
		return n;
	return n + (size_t)snprintf(buf + n, len - n, " %s->%s", fd, target);
}

/* fds: only 0, 1, 2 and the directory being read may be open. */
int
probe_fds(const char *arg)
{
	char buf[768];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	(void)arg;
	if ((d = opendir("/proc/self/fd")) == NULL)
		return setup_error("/proc/self/fd");
	while ((de = readdir(d)) != NULL) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		n = add_link(buf, sizeof(buf), n, "/proc/self/fd", de->d_name);
	}
	closedir(d);
	if (n > 0) {
		note("open:%s", buf);
		return 0;
	}
	return P_DENIED;
}

/*
 * initfds: the descriptors of the jail's pid 1 (gaol's init, started from
 * the host) must not be reachable through /proc/1/fd: a directory there
 * would be a way out of the root, through "..".  Only O_PATH opens,
 * closed at once.
 */
int
probe_initfds(const char *arg)
{
	char buf[768], path[64];
	struct dirent *de;
	size_t n = 0;
	DIR *d;
	int fd;

	(void)arg;
	if ((d = opendir("/proc/1/fd")) == NULL)
		return fail_errno("/proc/1/fd");
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		(void)snprintf(path, sizeof(path), "/proc/1/fd/%s", de->d_name);
		fd = open(path, O_PATH | O_CLOEXEC);
		if (fd < 0)
			continue;
		(void)close(fd);
		n = add_link(buf, sizeof(buf), n, "/proc/1/fd", de->d_name);
	}
	closedir(d);
	if (n > 0) {
		note("opened:%s", buf);
		return 0;
	}
	note("no descriptor of pid 1 opens");
	return P_DENIED;
}

/* dumpable: after execve a process of the jail is dumpable again. */
int
probe_dumpable(const char *arg)
{
	int d = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);

	(void)arg;
	note("PR_GET_DUMPABLE is %d", d);
	return d == 1 ? 0 : P_ERROR;
}

/* sethostname: the name the jail already has (allow.set_hostname). */
int
probe_sethostname(const char *arg)
{
	char name[256];

	(void)arg;
	if (gethostname(name, sizeof(name)) < 0)
		return setup_error("gethostname");
	name[sizeof(name) - 1] = '\0';
	if (sethostname(name, strlen(name)) == 0) {
		note("sethostname(\"%s\") succeeded", name);
		return 0;
	}
	return fail_errno("sethostname");
}
