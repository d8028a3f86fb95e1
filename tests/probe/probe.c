/*
 * probe: reports what a jailed process can see and do.
 *
 * A test copies this static binary into its own jail root and runs
 * "probe SUBCOMMAND" inside the jail.  Each subcommand prints one line,
 * "NAME: ok" when the jail denied what it should (or, for openpty,
 * devices and dumpable, when what must work works), "NAME: ESCAPED detail"
 * when a jailed process got through, or "NAME: error detail" when the probe
 * could not make its check.  It exits 0 for ok, 1 otherwise.
 *
 * It must never harm the machine it runs on, even outside a jail and even
 * where an attempt succeeds: it refuses to run (exit 99) unless the root holds
 * the marker /.gaol-probe-root and its pid namespace differs from the host's
 * (GAOL_HOST_PIDNS, set by the test); every attempt is a no-op where it
 * succeeds (the hostname it already has, a mount on a directory it made), and
 * it removes whatever it created.  With GAOL_PROBE_VERBOSE=1 it adds details
 * on stderr.
 */

#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

#define EXIT_REFUSED 99

enum verdict {
	V_OK,
	V_ESCAPED,
	V_ERROR,
};

static const char *probe_name;
static char detail[1024];

static int report(enum verdict, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Print the one result line for the running subcommand. */
static int
report(enum verdict v, const char *fmt, ...)
{
	static const char *const words[] = { "ok", "ESCAPED", "error" };
	va_list ap;

	printf("%s: %s", probe_name, words[v]);
	if (fmt != NULL && *fmt != '\0') {
		putchar(' ');
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	putchar('\n');
	fflush(stdout);
	return v == V_OK ? 0 : 1;
}

static void verbose(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Extra information, on stderr, only when GAOL_PROBE_VERBOSE=1. */
static void
verbose(const char *fmt, ...)
{
	const char *v = getenv("GAOL_PROBE_VERBOSE");
	va_list ap;

	if (v == NULL || strcmp(v, "1") != 0)
		return;
	fprintf(stderr, "%s: ", probe_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A scratch path of ours: in /tmp when the root has one, else in /. */
static void
scratch_path(char *buf, size_t len, const char *what)
{
	struct stat st;
	const char *dir = "/tmp";

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		dir = "";
	snprintf(buf, len, "%s/.gaol-probe-%s.%ld", dir, what, (long)getpid());
}

/*
 * caps: none of the capabilities a FreeBSD jailed root lacks may be in the
 * bounding, permitted, effective or ambient set.
 */
static const struct {
	int bit;
	const char *name;
} forbidden_caps[] = {
	{ 2, "DAC_READ_SEARCH" },
	{ 9, "LINUX_IMMUTABLE" },
	{ 12, "NET_ADMIN" },
	{ 13, "NET_RAW" },
	{ 14, "IPC_LOCK" },
	{ 16, "SYS_MODULE" },
	{ 17, "SYS_RAWIO" },
	{ 19, "SYS_PTRACE" },
	{ 21, "SYS_ADMIN" },
	{ 22, "SYS_BOOT" },
	{ 24, "SYS_RESOURCE" },
	{ 25, "SYS_TIME" },
	{ 27, "MKNOD" },
};

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

static int
probe_caps(int argc, char **argv)
{
	static const char *const sets[] = { "CapBnd", "CapPrm", "CapEff",
		"CapAmb" };
	unsigned long long v[nitems(sets)];
	size_t n = 0;

	for (size_t i = 0; i < nitems(sets); i++)
		if (read_capset(sets[i], &v[i]) < 0)
			return report(V_ERROR, "no %s in /proc/self/status",
			    sets[i]);
	verbose("CapBnd=%016llx CapPrm=%016llx CapEff=%016llx CapAmb=%016llx",
	    v[0], v[1], v[2], v[3]);
	detail[0] = '\0';
	for (size_t i = 0; i < nitems(forbidden_caps); i++) {
		unsigned long long m = 1ULL << forbidden_caps[i].bit;

		for (size_t s = 0; s < nitems(sets); s++) {
			if ((v[s] & m) == 0)
				continue;
			n += (size_t)snprintf(detail + n, sizeof(detail) - n,
			    "%s%s", n ? "," : "", forbidden_caps[i].name);
			break;
		}
		if (n >= sizeof(detail))
			break;
	}
	if (detail[0] != '\0')
		return report(V_ESCAPED, "CapBnd=%016llx CapEff=%016llx has %s",
		    v[0], v[2], detail);
	return report(V_OK, NULL);
}

/*
 * chroot: the classic escape.  In a child, chroot into a fresh directory
 * while the cwd stays outside it, climb with "..", chroot(".") and look for
 * the host's marker.  pivot_root with the old root detached leaves nothing
 * above the jail's "/" to climb to.  The parent removes the directory.
 */
static int
chroot_child(const char *dir, const char *marker)
{
	struct stat st;

	if (chroot(dir) < 0)
		_exit(errno == EPERM ? 0 : 3);
	for (int i = 0; i < 256; i++)
		if (chdir("..") < 0)
			_exit(4);
	if (chroot(".") < 0)
		_exit(5);
	_exit(stat(marker, &st) == 0 ? 1 : 0);
}

static int
probe_chroot(int argc, char **argv)
{
	const char *marker = getenv("GAOL_HOST_MARKER");
	char dir[PATH_MAX];
	struct stat st;
	int status;
	pid_t pid;

	if (marker == NULL || *marker != '/')
		return report(V_ERROR, "GAOL_HOST_MARKER is not set");
	if (stat(marker, &st) == 0)
		return report(V_ESCAPED, "%s visible without chroot", marker);
	scratch_path(dir, sizeof(dir), "chroot");
	if (mkdir(dir, 0700) < 0)
		return report(V_ERROR, "mkdir %s: %s", dir, strerror(errno));
	pid = fork();
	if (pid == 0)
		chroot_child(dir, marker);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		status = -1;
	if (rmdir(dir) < 0)
		return report(V_ERROR, "rmdir %s: %s", dir, strerror(errno));
	if (!WIFEXITED(status))
		return report(V_ERROR, "child failed (status %d)", status);
	if (WEXITSTATUS(status) == 1)
		return report(V_ESCAPED, "%s visible after chroot escape",
		    marker);
	if (WEXITSTATUS(status) != 0)
		return report(V_ERROR, "chroot step %d failed",
		    WEXITSTATUS(status));
	return report(V_OK, NULL);
}

/* Try one open of a path for writing; close at once if it works. */
static bool
opens_for_write(const char *path, int flags, char *why, size_t len)
{
	int fd = open(path, flags | O_CLOEXEC | O_NOCTTY);

	if (fd >= 0) {
		close(fd);
		snprintf(why, len, "%s opened %s", path,
		    (flags & O_ACCMODE) == O_RDWR ? "O_RDWR" : "O_WRONLY");
		return true;
	}
	verbose("open %s: %s", path, strerror(errno));
	return false;
}

/*
 * exe: /proc/1/exe (the jail's init, possibly a host binary) must not open
 * for writing, neither directly nor reopened through an O_PATH descriptor
 * (CVE-2019-5736).  Nothing is ever written.
 */
static int
probe_exe(int argc, char **argv)
{
	char target[PATH_MAX], fdpath[64];
	ssize_t n;
	int fd;

	n = readlink("/proc/1/exe", target, sizeof(target) - 1);
	if (n >= 0) {
		target[n] = '\0';
		verbose("/proc/1/exe -> %s", target);
	} else
		verbose("readlink /proc/1/exe: %s", strerror(errno));
	if (opens_for_write("/proc/1/exe", O_WRONLY, detail, sizeof(detail)) ||
	    opens_for_write("/proc/1/exe", O_RDWR, detail, sizeof(detail)))
		return report(V_ESCAPED, "%s", detail);
	fd = open("/proc/1/exe", O_PATH | O_CLOEXEC);
	if (fd >= 0) {
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
		if (opens_for_write(fdpath, O_WRONLY, detail, sizeof(detail))) {
			close(fd);
			return report(V_ESCAPED, "O_PATH reopen: %s", detail);
		}
		close(fd);
	}
	return report(V_OK, NULL);
}

/* fds: only 0, 1, 2 and the directory being read may be open. */
static int
probe_fds(int argc, char **argv)
{
	char path[64], target[PATH_MAX];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (d == NULL)
		return report(V_ERROR, "/proc/self/fd: %s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		int fd = atoi(de->d_name);
		ssize_t len;

		if (de->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		len = readlink(path, target, sizeof(target) - 1);
		target[len < 0 ? 0 : len] = '\0';
		n += (size_t)snprintf(detail + n, sizeof(detail) - n, "%s%d->%s",
		    n ? " " : "", fd, target);
		if (n >= sizeof(detail))
			break;
	}
	closedir(d);
	if (n > 0)
		return report(V_ESCAPED, "%s", detail);
	return report(V_OK, NULL);
}

/* mknod: a character device (1,3 = null) must be refused with EPERM. */
static int
probe_mknod(int argc, char **argv)
{
	char path[PATH_MAX];

	scratch_path(path, sizeof(path), "mknod");
	if (mknod(path, S_IFCHR | 0600, makedev(1, 3)) == 0) {
		unlink(path);
		return report(V_ESCAPED, "mknod %s c 1 3 succeeded", path);
	}
	if (errno != EPERM)
		return report(V_ERROR, "mknod %s: %s", path, strerror(errno));
	return report(V_OK, NULL);
}

/* sethostname: setting the name it already has must fail with EPERM. */
static int
probe_sethostname(int argc, char **argv)
{
	char name[256];

	if (gethostname(name, sizeof(name)) < 0)
		return report(V_ERROR, "gethostname: %s", strerror(errno));
	name[sizeof(name) - 1] = '\0';
	if (sethostname(name, strlen(name)) == 0)
		return report(V_ESCAPED, "sethostname(\"%s\") succeeded", name);
	if (errno != EPERM)
		return report(V_ERROR, "sethostname: %s", strerror(errno));
	return report(V_OK, NULL);
}

/* mount: a tmpfs on a directory of our own must fail with EPERM. */
static int
probe_mount(int argc, char **argv)
{
	char dir[PATH_MAX];
	int r, e;

	scratch_path(dir, sizeof(dir), "mount");
	if (mkdir(dir, 0700) < 0)
		return report(V_ERROR, "mkdir %s: %s", dir, strerror(errno));
	r = mount("none", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    "size=4k");
	e = errno;
	if (r == 0)
		umount2(dir, MNT_DETACH);
	rmdir(dir);
	if (r == 0)
		return report(V_ESCAPED, "mounted tmpfs on %s", dir);
	if (e != EPERM)
		return report(V_ERROR, "mount: %s", strerror(e));
	return report(V_OK, NULL);
}

/* ptrace1: attaching to the jail's init must fail; detach if it does not. */
static int
probe_ptrace1(int argc, char **argv)
{
	if (ptrace(PTRACE_ATTACH, 1, NULL, NULL) == 0) {
		waitpid(1, NULL, __WALL);
		ptrace(PTRACE_DETACH, 1, NULL, NULL);
		return report(V_ESCAPED, "PTRACE_ATTACH to pid 1 succeeded");
	}
	verbose("PTRACE_ATTACH 1: %s", strerror(errno));
	return report(V_OK, NULL);
}

/*
 * initfds: the descriptors of the jail's pid 1 (gaol's init, started from
 * the host) must not be reachable through /proc/1/fd: a directory there
 * would be a way out of the root, through "..".  Only O_PATH opens, closed
 * at once.
 */
static int
probe_initfds(int argc, char **argv)
{
	char path[64], target[PATH_MAX];
	struct dirent *de;
	size_t n = 0;
	DIR *d;
	int fd;

	d = opendir("/proc/1/fd");
	if (d == NULL) {
		verbose("/proc/1/fd: %s", strerror(errno));
		return report(V_OK, NULL);
	}
	while ((de = readdir(d)) != NULL && n < sizeof(detail)) {
		ssize_t len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/1/fd/%s", de->d_name);
		fd = open(path, O_PATH | O_CLOEXEC);
		if (fd < 0)
			continue;
		close(fd);
		len = readlink(path, target, sizeof(target) - 1);
		target[len < 0 ? 0 : len] = '\0';
		n += (size_t)snprintf(detail + n, sizeof(detail) - n, "%s%s->%s",
		    n ? " " : "opened ", de->d_name, target);
	}
	closedir(d);
	if (n > 0)
		return report(V_ESCAPED, "%s", detail);
	return report(V_OK, NULL);
}

/*
 * openpty: a pseudo-terminal must work, with its slave in the jail's own
 * /dev/pts.  "openpty SECONDS" keeps it open that long after the report so
 * a test can look for it from outside.
 */
static int
probe_openpty(int argc, char **argv)
{
	struct stat st;
	const char *pts;
	int fd;

	fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return report(V_ERROR, "posix_openpt: %s", strerror(errno));
	if (grantpt(fd) < 0)
		return report(V_ERROR, "grantpt: %s", strerror(errno));
	if (unlockpt(fd) < 0)
		return report(V_ERROR, "unlockpt: %s", strerror(errno));
	pts = ptsname(fd);
	if (pts == NULL)
		return report(V_ERROR, "ptsname: %s", strerror(errno));
	if (strncmp(pts, "/dev/pts/", 9) != 0 || stat(pts, &st) < 0 ||
	    !S_ISCHR(st.st_mode))
		return report(V_ERROR, "slave %s is not in /dev/pts", pts);
	report(V_OK, "%s", pts);
	if (argc > 2)
		sleep((unsigned)atoi(argv[2]));
	close(fd);
	return 0;
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

static int
probe_devices(int argc, char **argv)
{
	struct stat st;
	glob_t g;
	size_t n = 0;

	for (size_t i = 0; i < nitems(forbidden_devs); i++) {
		if (glob(forbidden_devs[i], 0, NULL, &g) != 0)
			continue;
		for (size_t j = 0; j < g.gl_pathc && n < sizeof(detail); j++)
			n += (size_t)snprintf(detail + n, sizeof(detail) - n,
			    "%s%s", n ? " " : "present: ", g.gl_pathv[j]);
		globfree(&g);
	}
	if (n > 0)
		return report(V_ESCAPED, "%s", detail);
	for (size_t i = 0; i < nitems(required_devs); i++)
		if (lstat(required_devs[i], &st) < 0 && n < sizeof(detail))
			n += (size_t)snprintf(detail + n, sizeof(detail) - n,
			    "%s%s", n ? " " : "missing: ", required_devs[i]);
	if (n > 0)
		return report(V_ERROR, "%s", detail);
	return report(V_OK, NULL);
}

/* dumpable: after execve a process of the jail is dumpable again. */
static int
probe_dumpable(int argc, char **argv)
{
	int d = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);

	if (d != 1)
		return report(V_ERROR, "PR_GET_DUMPABLE is %d", d);
	return report(V_OK, NULL);
}

/* kmsg: the kernel log must not open. */
static int
probe_kmsg(int argc, char **argv)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return report(V_ESCAPED, "/dev/kmsg opened");
	}
	verbose("open /dev/kmsg: %s", strerror(errno));
	return report(V_OK, NULL);
}

/*
 * keyctl: the host's keyrings are not the jail's: asking for uid 0's user
 * keyring must fail (a harmless query; nothing is read or changed).
 */
static int
probe_keyctl(int argc, char **argv)
{
	long id = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */,
	    -4 /* KEY_SPEC_USER_KEYRING */, 0);

	if (id >= 0)
		return report(V_ESCAPED, "user keyring %ld reachable", id);
	verbose("keyctl: %s", strerror(errno));
	return report(errno == EPERM ? V_OK : V_ESCAPED, errno == EPERM ? NULL :
	    "keyctl: %s", strerror(errno));
}

/*
 * userns: no user namespace may be made (it would hold every capability
 * over the namespaces it creates).  Tried in a child that exits at once.
 */
static int
probe_userns(int argc, char **argv)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) == 0 ? 1 : errno == EPERM ? 0 : 2);
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return report(V_ERROR, "fork: %s", strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return report(V_OK, NULL);
	return report(V_ESCAPED, "unshare(CLONE_NEWUSER) %s",
	    WEXITSTATUS(st) == 1 ? "succeeded" : "failed oddly");
}

static const struct probe {
	const char *name;
	int (*fn)(int, char **);
} probes[] = {
	{ "keyctl", probe_keyctl },
	{ "userns", probe_userns },
	{ "caps", probe_caps },
	{ "chroot", probe_chroot },
	{ "exe", probe_exe },
	{ "fds", probe_fds },
	{ "mknod", probe_mknod },
	{ "sethostname", probe_sethostname },
	{ "mount", probe_mount },
	{ "ptrace1", probe_ptrace1 },
	{ "initfds", probe_initfds },
	{ "openpty", probe_openpty },
	{ "devices", probe_devices },
	{ "dumpable", probe_dumpable },
	{ "kmsg", probe_kmsg },
};

/*
 * Refuse to run anywhere but in a test's jail: the root must carry the
 * test's marker and the pid namespace must not be the host's.
 */
static bool
in_test_jail(void)
{
	const char *host = getenv("GAOL_HOST_PIDNS");
	char ns[128];
	ssize_t n;

	if (access("/.gaol-probe-root", F_OK) < 0) {
		fprintf(stderr, "probe: no /.gaol-probe-root: refusing to run\n");
		return false;
	}
	n = readlink("/proc/self/ns/pid", ns, sizeof(ns) - 1);
	if (n < 0) {
		fprintf(stderr, "probe: /proc/self/ns/pid: %s: refusing to run\n",
		    strerror(errno));
		return false;
	}
	ns[n] = '\0';
	if (host == NULL || *host == '\0' || strcmp(host, ns) == 0) {
		fprintf(stderr, "probe: pid namespace %s is the host's or "
		    "GAOL_HOST_PIDNS is unset: refusing to run\n", ns);
		return false;
	}
	return true;
}

static void
usage(void)
{
	fprintf(stderr, "usage: probe all|");
	for (size_t i = 0; i < nitems(probes); i++)
		fprintf(stderr, "%s%s", probes[i].name,
		    i + 1 < nitems(probes) ? "|" : "\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int r = 0;

	if (argc < 2)
		usage();
	if (!in_test_jail())
		return EXIT_REFUSED;
	for (size_t i = 0; i < nitems(probes); i++) {
		if (strcmp(argv[1], "all") != 0 &&
		    strcmp(argv[1], probes[i].name) != 0)
			continue;
		probe_name = probes[i].name;
		r |= probes[i].fn(argc, argv);
		if (strcmp(argv[1], "all") != 0)
			return r;
	}
	if (probe_name == NULL)
		usage();
	return r;
}
