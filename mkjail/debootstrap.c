// SPDX-License-Identifier: BSD-2-Clause
/*
 * debootstrap.c: running debootstrap(8) for mkjail, and cleaning up after
 * it.
 *
 * Owns the choice of mirror (the host's apt source for the suite, as
 * tools/debian-root.sh finds it), the debootstrap child (its own process
 * group, so a terminal's ^C reaches mkjail, which stops it), the
 * condensing of its "I: Retrieving ..." lines into counts, the tail of
 * its output kept for a failure, and the removal of a half-made tree:
 * unmount what debootstrap left mounted below it (its proc and sys),
 * then delete it without ever crossing into another file system.  Never
 * prints: lines go to the caller's callbacks.
 */
#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "mkroot.h"

static volatile sig_atomic_t interrupted;

void
mkroot_interrupt(void)
{
	interrupted = 1;
}

bool
dbs_interrupted(void)
{
	return interrupted != 0;
}

static void __attribute__((format(printf, 2, 3)))
tool_line(const struct mkroot_ops *ops, const char *fmt, ...)
{
	va_list ap;

	if (ops == NULL || ops->tool == NULL)
		return;
	va_start(ap, fmt);
	ops->tool(fmt, ap);
	va_end(ap);
}

/* --- the mirror -------------------------------------------------------- */

static bool
is_http(const char *uri)
{
	return strncmp(uri, "http://", 7) == 0 ||
	    strncmp(uri, "https://", 8) == 0;
}

/*
 * One-line format: "deb [opts] URI SUITE COMPONENT...": the URI when
 * SUITE is suite.  Options may span words ("[arch=amd64 signed-by=x]").
 */
static char *
list_line_uri(char *line, const char *suite)
{
	char *w[4], *save = NULL, *t;
	size_t n = 0;
	bool opts = false;

	for (t = strtok_r(line, " \t\n", &save); t != NULL && n < 4;
	     t = strtok_r(NULL, " \t\n", &save)) {
		if (n == 1 && !opts && t[0] == '[')
			opts = true;
		if (opts) {
			opts = t[strlen(t) - 1] != ']';
			continue;
		}
		w[n++] = t;
	}
	if (n < 3 || strcmp(w[0], "deb") != 0 || strcmp(w[2], suite) != 0 ||
	    !is_http(w[1]))
		return NULL;
	return strdup(w[1]);
}

static char *
list_file_uri(const char *file, const char *suite)
{
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	char *uri = NULL;

	while (f != NULL && uri == NULL && getline(&line, &cap, f) >= 0)
		uri = list_line_uri(line, suite);
	return uri;
}

/* deb822 stanza state: Types has deb, Suites has suite, the first URI. */
struct stanza {
	bool deb, suite, off;
	char uri[512];
};

/* Whether the white-space separated words of v include w. */
static bool
has_word(const char *v, const char *w)
{
	size_t len = strlen(w);

	for (const char *p = v; (p = strstr(p, w)) != NULL; p += len)
		if ((p == v || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[len] == '\0' || p[len] == ' ' || p[len] == '\t' ||
		    p[len] == '\n'))
			return true;
	return false;
}

static void
stanza_field(struct stanza *s, const char *line, const char *suite)
{
	if (strncasecmp(line, "Types:", 6) == 0)
		s->deb = has_word(line + 6, "deb");
	else if (strncasecmp(line, "Suites:", 7) == 0)
		s->suite = has_word(line + 7, suite);
	else if (strncasecmp(line, "Enabled:", 8) == 0)
		s->off = has_word(line + 8, "no");
	else if (strncasecmp(line, "URIs:", 5) == 0)
		(void)sscanf(line + 5, " %511s", s->uri);
}

static char *
stanza_uri(const struct stanza *s)
{
	if (!s->deb || !s->suite || s->off || !is_http(s->uri))
		return NULL;
	return strdup(s->uri);
}

static char *
sources_file_uri(const char *file, const char *suite)
{
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	_cleanup_free_ char *line = NULL;
	struct stanza s = { 0 };
	size_t cap = 0;
	char *uri = NULL;

	while (f != NULL && uri == NULL && getline(&line, &cap, f) >= 0) {
		if (line[strspn(line, " \t\n")] == '\0') {
			uri = stanza_uri(&s);
			memset(&s, 0, sizeof(s));
		} else if (line[0] != '#')
			stanza_field(&s, line, suite);
	}
	return uri != NULL ? uri : stanza_uri(&s);
}

/* The first match among the files pattern names (sorted). */
static char *
glob_uri(const char *pattern, char *(*fn)(const char *, const char *),
    const char *suite)
{
	glob_t g;
	char *uri = NULL;

	if (glob(pattern, 0, NULL, &g) != 0)
		return NULL;
	for (size_t i = 0; i < g.gl_pathc && uri == NULL; i++)
		uri = fn(g.gl_pathv[i], suite);
	globfree(&g);
	return uri;
}

/*
 * The URI of the host's Debian archive for suite: the first "deb" source
 * (one-line .list, then deb822 .sources) whose suite is exactly suite.
 * root prefixes the apt paths ("" for the host's own).  0 and *ret NULL
 * when there is none.
 */
int
dbs_host_mirror(const char *root, const char *suite, char **ret)
{
	char path[PATH_MAX];
	char *uri;

	(void)snprintf(path, sizeof(path), "%s/etc/apt/sources.list", root);
	uri = list_file_uri(path, suite);
	(void)snprintf(path, sizeof(path), "%s/etc/apt/sources.list.d/*.list",
	    root);
	if (uri == NULL)
		uri = glob_uri(path, list_file_uri, suite);
	(void)snprintf(path, sizeof(path),
	    "%s/etc/apt/sources.list.d/*.sources", root);
	if (uri == NULL)
		uri = glob_uri(path, sources_file_uri, suite);
	*ret = uri;
	return 0;
}

/* --- progress ---------------------------------------------------------- */

#define TAIL_LINES 20

/* A run of per-package lines ("I: Retrieving libc6 2.36-9") and a tail. */
struct progress {
	const struct mkroot_ops *ops;
	const char *verb;	/* of the current run, or NULL */
	unsigned n;
	char tail[TAIL_LINES][256];
	unsigned ntail;
};

static const struct {
	const char *verb, *past;
	unsigned words;		/* words after the verb on a package's line */
} pkg_verbs[] = {
	{ "Retrieving", "Retrieved", 2 },
	{ "Validating", NULL, 2 },	/* one per Retrieving: not counted */
	{ "Extracting", "Extracted", 1 },
	{ "Unpacking", "Unpacked", 1 },
	{ "Configuring", "Configured", 1 },
};

/* The verb of a per-package line, or -1 ("I: Retrieving Packages"). */
static int
pkg_line(const char *line)
{
	char verb[32], a[128], b[128], c[8];
	int n = sscanf(line, "I: %31s %127s %127s %7s", verb, a, b, c);
	size_t len = n >= 2 ? strlen(a) : 0;

	for (size_t i = 0; i < nitems(pkg_verbs); i++) {
		if (n < 2 || strcmp(verb, pkg_verbs[i].verb) != 0 ||
		    (unsigned)n - 1 != pkg_verbs[i].words)
			continue;
		if (pkg_verbs[i].words == 2)
			return (int)i;
		/* "I: Unpacking libc6:amd64..." but not "packages..." */
		if (len > 3 && strcmp(a + len - 3, "...") == 0 &&
		    strcmp(a, "packages...") != 0 && strcmp(a, "system...") != 0)
			return (int)i;
	}
	return -1;
}

static void
progress_flush(struct progress *p)
{
	for (size_t i = 0; p->verb != NULL && i < nitems(pkg_verbs); i++)
		if (pkg_verbs[i].verb == p->verb)
			tool_line(p->ops, "I: %s %u package%s", pkg_verbs[i].past,
			    p->n, p->n == 1 ? "" : "s");
	p->verb = NULL;
	p->n = 0;
}

/* One line of debootstrap's output: kept in the tail, shown condensed. */
static void
progress_line(struct progress *p, char *line)
{
	int v;

	line[strcspn(line, "\n")] = '\0';
	(void)snprintf(p->tail[p->ntail++ % TAIL_LINES], sizeof(p->tail[0]),
	    "%s", line);
	v = pkg_line(line);
	if (v >= 0 && pkg_verbs[v].past == NULL)
		return;
	if (v >= 0 && pkg_verbs[v].verb == p->verb) {
		if (++p->n % 25 == 0)
			tool_line(p->ops, "I: %s packages... %u", p->verb, p->n);
		return;
	}
	progress_flush(p);
	if (v >= 0) {
		p->verb = pkg_verbs[v].verb;
		p->n = 1;
	} else if (strncmp(line, "I: ", 3) == 0 ||
	    strncmp(line, "W: ", 3) == 0 || strncmp(line, "E: ", 3) == 0)
		tool_line(p->ops, "%s", line);
}

/* The last lines of the output, for a failure. */
static void
progress_tail(const struct progress *p)
{
	unsigned first = p->ntail > TAIL_LINES ? p->ntail - TAIL_LINES : 0;

	tool_line(p->ops, "--- the last %u lines of debootstrap's output:",
	    p->ntail - first);
	for (unsigned i = first; i < p->ntail; i++)
		tool_line(p->ops, "%s", p->tail[i % TAIL_LINES]);
}

/* --- the child --------------------------------------------------------- */

/* debootstrap's argv: options, suite, target, mirror; no allocation. */
struct dbs_argv {
	char variant[64], inc[4096], exc[4096];
	const char *v[8];
};

static int
dbs_argv(const struct dbs_run *run, struct dbs_argv *a)
{
	size_t n = 0;

	(void)snprintf(a->variant, sizeof(a->variant), "--variant=%s",
	    run->variant);
	if (snprintf(a->inc, sizeof(a->inc), "--include=%s", run->include) >=
	    (int)sizeof(a->inc) ||
	    snprintf(a->exc, sizeof(a->exc), "--exclude=%s", run->exclude) >=
	    (int)sizeof(a->exc))
		return jail_seterr(-E2BIG, "package lists too long");
	a->v[n++] = "debootstrap";
	a->v[n++] = a->variant;
	a->v[n++] = a->inc;
	if (*run->exclude != '\0')
		a->v[n++] = a->exc;
	a->v[n++] = run->suite;
	a->v[n++] = run->target;
	a->v[n++] = run->mirror;
	a->v[n] = NULL;
	return 0;
}

/* In the child: its own process group, output into the pipe, exec. */
static void __attribute__((noreturn))
dbs_child(const char *const *argv, int out)
{
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	(void)setpgid(0, 0);
	(void)signal(SIGINT, SIG_DFL);
	(void)signal(SIGTERM, SIG_DFL);
	(void)signal(SIGHUP, SIG_DFL);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 ||
	    dup2(out, 2) < 0)
		_exit(126);
	(void)setenv("LC_ALL", "C", 1);
	execvp(argv[0], (char *const *)argv);
	(void)fprintf(stderr, "E: debootstrap: %s\n", strerror(errno));
	_exit(127);
}

/* Read the child's output until EOF or an interruption. */
static int
dbs_read(int fd, struct progress *p)
{
	_cleanup_fclose_ FILE *f = fdopen(fd, "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;

	if (f == NULL) {
		(void)close(fd);
		return jail_syserr(-errno, "debootstrap output");
	}
	for (;;) {
		if (interrupted)
			return jail_seterr(-EINTR, "interrupted");
		errno = 0;
		if (getline(&line, &cap, f) >= 0) {
			progress_line(p, line);
			continue;
		}
		if (errno != EINTR)
			break;
		clearerr(f);
	}
	progress_flush(p);
	return 0;
}

/* Wait for the child; on an interruption stop its whole group first. */
static int
dbs_wait(pid_t pid, bool stop, int *ret_status)
{
	if (stop)
		(void)kill(-pid, SIGTERM);
	while (waitpid(pid, ret_status, 0) < 0)
		if (errno != EINTR)
			return jail_syserr(-errno, "waitpid");
	return 0;
}

/*
 * Run debootstrap into run->target, showing its progress.  On failure the
 * tail of its output goes to the tool callback; the target is left as it
 * is, for the caller to remove (dbs_remove_tree).
 */
int
dbs_run(const struct dbs_run *run)
{
	struct dbs_argv argv;
	struct progress p = { .ops = run->ops };
	int pfd[2], r, st = 0, rr;
	pid_t pid;

	r = dbs_argv(run, &argv);
	if (r >= 0 && pipe2(pfd, O_CLOEXEC) < 0)
		r = jail_syserr(-errno, "pipe");
	if (r < 0)
		return r;
	pid = fork();
	if (pid == 0)
		dbs_child(argv.v, pfd[1]);
	(void)close(pfd[1]);
	if (pid < 0) {
		(void)close(pfd[0]);
		return jail_syserr(-errno, "fork");
	}
	r = dbs_read(pfd[0], &p);
	rr = dbs_wait(pid, r < 0, &st);
	if (r < 0 || rr < 0)
		return r < 0 ? r : rr;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	progress_tail(&p);
	if (WIFSIGNALED(st))
		return jail_seterr(-ECANCELED, "debootstrap %s: killed by "
		    "signal %d", run->suite, WTERMSIG(st));
	return jail_seterr(-ECANCELED, "debootstrap %s from %s failed "
	    "(status %d)", run->suite, run->mirror, WEXITSTATUS(st));
}

/* --- removing a half-made tree ---------------------------------------- */

/*
 * Unmount every mount strictly below dir (debootstrap's proc, sys, or
 * anything an interrupted run left), deepest first, detaching each and
 * following no symlink.
 */
static int
unmount_below(const char *dir)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *mps = NULL;	/* mount points, each NUL-ended */
	size_t len = strlen(dir), size = 0;
	char line[8192], mp[PATH_MAX];
	FILE *m;
	int r = 0;

	if (f == NULL)
		return jail_syserr(-errno, "/proc/self/mountinfo");
	m = open_memstream(&mps, &size);
	if (m == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1 &&
		    strncmp(mp, dir, len) == 0 && mp[len] == '/')
			(void)fwrite(mp, 1, strlen(mp) + 1, m);
	if (fclose(m) != 0)
		return jail_seterr(-ENOMEM, "out of memory");
	/* mountinfo lists parents first: backwards is deepest first */
	for (char *end = mps + size; r >= 0 && end > mps;) {
		char *p = end - 1;	/* the last one's NUL */

		while (p > mps && p[-1] != '\0')
			p--;
		if (umount2(p, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 &&
		    errno != EINVAL && errno != ENOENT)
			r = jail_syserr(-errno, "umount %s", p);
		end = p;
	}
	return r;
}

static int rm_at(int dirfd, const char *name, dev_t dev, unsigned depth);

/* Empty the directory fd refers to, staying on device dev. */
static int
rm_contents(int fd, dev_t dev, unsigned depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int r = 0;

	if (d == NULL) {
		(void)close(fd);
		return -errno;
	}
	while (r >= 0 && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			r = rm_at(dirfd(d), de->d_name, dev, depth + 1);
	(void)closedir(d);
	return r;
}

/* Remove name beneath dirfd and all below it, on device dev only. */
static int
rm_at(int dirfd, const char *name, dev_t dev, unsigned depth)
{
	struct stat st;
	int fd, r;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (st.st_dev != dev)
		return -EXDEV;	/* a mount left below: never cross it */
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0) < 0 && errno != ENOENT ?
		    -errno : 0;
	if (depth > 256)
		return -ELOOP;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = rm_contents(fd, dev, depth);
	if (r >= 0 && unlinkat(dirfd, name, AT_REMOVEDIR) < 0)
		r = -errno;
	return r;
}

/*
 * Remove dir and everything in it: first unmount what is mounted below
 * it, then delete, never crossing into another file system (like rm -rf
 * --one-file-system, but refusing rather than skipping).
 */
int
dbs_remove_tree(const char *dir)
{
	struct stat st;
	int r;

	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : jail_syserr(-errno, "%s", dir);
	r = unmount_below(dir);
	if (r < 0)
		return r;
	r = rm_at(AT_FDCWD, dir, st.st_dev, 0);
	return r < 0 ? jail_syserr(r, "remove %s", dir) : 0;
}
