// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-util.c: what every attempt of the escape probe uses: the note
 * that describes an outcome, verbose output, scratch paths, attempts run
 * in a child process, errno names.
 *
 * Must never print a result line (probe.c does) nor touch anything but
 * the probe's own scratch files.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#define NOTE_SIZE 1024

/*
 * The note lives in a shared page, so that an attempt made in a child
 * (in_child) can describe its outcome to the parent.
 */
static char *note_buf;

static char *
note_page(void)
{
	static char fallback[NOTE_SIZE];
	void *p;

	if (note_buf != NULL)
		return note_buf;
	p = mmap(NULL, NOTE_SIZE, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	note_buf = p == MAP_FAILED ? fallback : p;
	note_buf[0] = '\0';
	return note_buf;
}

/* Describe the outcome of the running attempt (replaces the last note). */
void
note(const char *fmt, ...)
{
	char *buf = note_page();
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, NOTE_SIZE, fmt, ap);
	va_end(ap);
	verbose("%s", buf);
}

/* Forget the last note (before the next attempt). */
void
note_reset(void)
{
	note_page()[0] = '\0';
}

const char *
note_text(void)
{
	return note_page();
}

/* Extra information, on stderr, only when GAOL_PROBE_VERBOSE=1. */
void
verbose(const char *fmt, ...)
{
	const char *v = getenv("GAOL_PROBE_VERBOSE");
	va_list ap;

	if (v == NULL || strcmp(v, "1") != 0)
		return;
	fprintf(stderr, "%s: ", probe_name != NULL ? probe_name : "probe");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The attempt "what" failed with errno: note it and return the errno. */
int
fail_errno(const char *what)
{
	int e = errno;

	note("%s: %s", what, strerror(e));
	return e;
}

/* A step before the attempt failed: the probe cannot decide. */
int
setup_error(const char *what)
{
	note("%s: %s", what, strerror(errno));
	return P_ERROR;
}

/* A scratch path of ours: in /tmp when the root has one, else in /. */
void
scratch_path(char *buf, size_t len, const char *what)
{
	struct stat st;
	const char *dir = "/tmp";

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		dir = "";
	(void)snprintf(buf, len, "%s/.gaol-probe-%s.%ld", dir, what,
	    (long)getpid());
}

/* Exit statuses of in_child for the P_* outcomes (errnos stay below). */
enum { X_DENIED = 200, X_ERROR, X_SKIP };

/*
 * Run fn(arg) in a child that exits at once: whatever it changes about
 * itself (namespaces, personality, capabilities, scheduling, port
 * access) dies with it.  Returns what fn returned.
 */
int
in_child(int (*fn)(const void *), const void *arg)
{
	int st, r;
	pid_t pid;

	(void)note_page();
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return setup_error("fork");
	if (pid == 0) {
		r = fn(arg);
		_exit(r >= 0 && r < X_DENIED ? r : r == P_DENIED ? X_DENIED :
		    r == P_SKIP ? X_SKIP : X_ERROR);
	}
	if (waitpid(pid, &st, 0) < 0)
		return setup_error("waitpid");
	if (WIFSIGNALED(st)) {
		note("child killed by signal %d", WTERMSIG(st));
		return P_ERROR;
	}
	r = WEXITSTATUS(st);
	return r == X_DENIED ? P_DENIED : r == X_SKIP ? P_SKIP :
	    r == X_ERROR ? P_ERROR : r;
}

/* The outcome of a system call that returned r (0 or -1 with errno). */
int
child_errno(int r)
{
	return r == 0 ? 0 : errno;
}

/* The outcome of a raw system call: 0, or its errno, noted. */
int
sys_outcome(long r, const char *what)
{
	if (r < 0)
		return fail_errno(what);
	note("%s succeeded", what);
	return 0;
}

/* The same for one that returns a descriptor (closed at once). */
int
fd_outcome(long fd, const char *what)
{
	if (fd < 0)
		return fail_errno(what);
	(void)close((int)fd);
	note("%s succeeded", what);
	return 0;
}

/* Open path with flags; close at once.  0 if it opened, else errno. */
int
try_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return fail_errno(path);
	(void)close(fd);
	note("%s opened (flags %#x)", path, (unsigned)flags);
	return 0;
}

/*
 * Is a protocol of this name (first column of /proc/net/protocols)
 * registered?  A socket of an unregistered family could make the kernel
 * load a module on the host, so the family probes skip those.
 */
bool
proto_registered(const char *name)
{
	char line[512], first[64];
	FILE *f = fopen("/proc/net/protocols", "re");
	bool found = false;

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = sscanf(line, "%63s", first) == 1 &&
		    strcmp(first, name) == 0;
	fclose(f);
	return found;
}

#define E(x) { x, #x }
static const struct {
	int value;
	const char *name;
} errnos[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EIO), E(ENXIO), E(EBADF), E(ENOMEM),
	E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST), E(ENODEV), E(ENOTDIR),
	E(EINVAL), E(ENOTTY), E(EROFS), E(ENOSYS), E(ENOKEY), E(EOPNOTSUPP),
	E(EAFNOSUPPORT), E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT),
	E(ECONNREFUSED), E(EAGAIN), E(ENOEXEC), E(ENOTBLK), E(EMFILE),
	E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETUNREACH), E(ETIMEDOUT),
};
#undef E

/* "EPERM" for EPERM; a number for the others. */
const char *
errno_name(int e)
{
	static char buf[16];

	for (size_t i = 0; i < nitems(errnos); i++)
		if (errnos[i].value == e)
			return errnos[i].name;
	(void)snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/* EPERM for "EPERM"; -1 for a name it does not know. */
int
errno_value(const char *name)
{
	for (size_t i = 0; i < nitems(errnos); i++)
		if (strcmp(errnos[i].name, name) == 0)
			return errnos[i].value;
	return -1;
}
