// SPDX-License-Identifier: BSD-2-Clause
/*
 * exec.c: the exec.* scripts and command=, as FreeBSD's jail(8) runs them.
 *
 * A value with shell metacharacters runs under /bin/sh -c; otherwise it
 * is split on white space and exec'd directly, a trailing '&' putting it
 * in the background.  exec.prestart, exec.created, exec.poststart,
 * exec.prestop and exec.poststop run on the host (as exec.system_user);
 * exec.start, command and exec.stop run inside the jail through the one
 * attach path (as exec.jail_user, from the jail's passwd unless
 * exec.system_jail_user).  Each is bounded by exec.timeout.
 */
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "proc/proc.h"

extern char **environ;

static const char shell_meta[] = "!\"$&'()*;<>?[\\]`{|}~";

struct command {
	struct strv argv;
	bool bg;
};

static void
command_free(struct command *c)
{
	strv_clear(&c->argv);
}

/* FreeBSD's rule: metacharacters → sh -c; else words, trailing & → bg. */
static int
command_parse(const char *s, struct command *c)
{
	const char *cs = strpbrk(s, shell_meta);
	_cleanup_free_ char *copy = NULL;
	char *save = NULL;
	int r = 0;

	memset(c, 0, sizeof(*c));
	if (cs != NULL && !(cs[0] == '&' && cs[1] == '\0')) {
		r = strv_push(&c->argv, "/bin/sh");
		if (r >= 0)
			r = strv_push(&c->argv, "-c");
		return r >= 0 ? strv_push(&c->argv, s) : r;
	}
	copy = strdup(s);
	if (copy == NULL)
		return -ENOMEM;
	if (cs != NULL) {
		copy[cs - s] = '\0';
		c->bg = true;
	}
	for (char *w = strtok_r(copy, " \t\f\v\r\n", &save);
	     w != NULL && r >= 0; w = strtok_r(NULL, " \t\f\v\r\n", &save))
		r = strv_push(&c->argv, w);
	return r;
}

static bool
runs_in_jail(enum param_id id)
{
	return id == P_EXEC_START || id == P_EXEC_STOP || id == P_COMMAND;
}

/*
 * exec.consolelog is opened by jail(8), on the host, as root, and very
 * often lies in the jail's own tree (the seeds' $path/var/log/...),
 * whose every directory and file the jail's root owns.  So it is opened
 * the way nothing the jail made can redirect or hold up:
 *  - below the jail's path, beneath the jail's root as its init sees it
 *    (/proc/PID/root: a thin jail's root is an overlay only its own
 *    mount namespace has), with no symlink in any component
 *    (resolve_beneath; FreeBSD's check_path), or `var/log -> /etc` would
 *    point the host's write at a host file;
 *  - elsewhere, on the host, but refused when the directory it names
 *    turns out to lie in the jail's tree all the same (a route through a
 *    host link to path, then the jail's own links);
 *  - the last component looked up with O_PATH|O_NOFOLLOW and accepted
 *    only as a regular file (a FIFO would block jail(8) for good, a
 *    device would be written to), then reopened through that very
 *    descriptor, so no swap can come between the check and the open;
 *  - or, when missing, created with O_EXCL|O_NOFOLLOW, never through a
 *    dangling link.  O_NONBLOCK throughout: nothing here waits.
 */
struct logpath {
	int dir;			/* where the last component is */
	const char *base;		/* the last component */
	bool in_jail;			/* resolved beneath the jail's root */
};

/* ".." anywhere, or an empty last component: not a file's name. */
static bool
log_name_bad(const char *path, const char *base)
{
	for (const char *c = path; (c = strstr(c, "..")) != NULL; c += 2)
		if ((c == path || c[-1] == '/') && (c[2] == '/' || c[2] == '\0'))
			return true;
	return *base == '\0';
}

/* Whether directory fd is the jail's path or lies beneath it. */
static bool
under_jail_path(const struct jail *j, int fd)
{
	struct stat top, root, st;
	int cur = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	bool under = false;

	if (cur < 0 || stat(param_str(&j->params, P_PATH), &top) < 0 ||
	    stat("/", &root) < 0) {
		if (cur >= 0)
			(void)close(cur);
		return cur >= 0;	/* cannot tell: as if it were */
	}
	for (int depth = 0; depth < 4096 && fstat(cur, &st) == 0; depth++) {
		int up;

		if (st.st_dev == top.st_dev && st.st_ino == top.st_ino) {
			under = true;
			break;
		}
		if (st.st_dev == root.st_dev && st.st_ino == root.st_ino)
			break;
		up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		(void)close(cur);
		cur = up;
		if (cur < 0)
			return true;
	}
	(void)close(cur);
	return under;
}

/*
 * Follow the symbolic link next (in directory *cur) by hand: refused
 * where the jail may have made it (a directory of its tree), else its
 * target spliced before the rest of the path.
 */
static int
follow_link(const struct jail *j, int *cur, int next, char *buf,
    size_t size, char **p, const char *rest)
{
	char target[PATH_MAX], tail[PATH_MAX];
	ssize_t n;

	if (under_jail_path(j, *cur))
		return -ELOOP;
	n = readlinkat(next, "", target, sizeof(target) - 1);
	if (n <= 0)
		return n < 0 ? -errno : -ENOENT;
	target[n] = '\0';
	(void)snprintf(tail, sizeof(tail), "%s", rest);
	if ((size_t)snprintf(buf, size, "%s%s", target, tail) >= size)
		return -ENAMETOOLONG;
	if (target[0] == '/') {
		int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

		if (root < 0)
			return -errno;
		(void)close(*cur);
		*cur = root;
	}
	*p = buf;
	return 0;
}

/*
 * Open directory path on the host, one component at a time: a symbolic
 * link is followed only where the host put it, never in the jail's tree
 * (reached through a host link to path, or by the name itself).
 */
static int
host_dir_open(const struct jail *j, const char *path, int *ret_fd)
{
	char buf[PATH_MAX], *p = buf;
	int cur = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), links = 0, r = 0;

	if ((size_t)snprintf(buf, sizeof(buf), "%s", path) >= sizeof(buf))
		r = -ENAMETOOLONG;
	while (cur >= 0 && r >= 0 && *(p += strspn(p, "/")) != '\0') {
		char *e = strchrnul(p, '/'), save = *e;
		struct stat st;
		int next;

		*e = '\0';
		next = openat(cur, p, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		*e = save;
		if (next < 0 || fstat(next, &st) < 0)
			r = -errno;
		else if (S_ISLNK(st.st_mode))
			r = ++links > 40 ? -ELOOP
			    : follow_link(j, &cur, next, buf, sizeof(buf), &p, e);
		else if (!S_ISDIR(st.st_mode))
			r = -ENOTDIR;
		else {
			(void)close(cur);
			cur = TAKE_FD(next);
			p = e;
		}
		if (next >= 0)
			(void)close(next);
	}
	if (cur < 0)
		r = -errno;
	if (r < 0) {
		if (cur >= 0)
			(void)close(cur);
		return r;
	}
	*ret_fd = cur;
	return 0;
}

/* The directory of the log and its last component, as above. */
static int
log_dir(const struct jail *j, const char *path, char *copy,
    struct logpath *ret)
{
	const char *jpath = param_str(&j->params, P_PATH);
	size_t len = strlen(jpath);
	char *slash = strrchr(copy, '/');
	_cleanup_close_ int root = -1;
	const char *rel;
	int r;

	*slash = '\0';
	ret->base = slash + 1;
	if (log_name_bad(path, ret->base))
		return jail_seterr(-EINVAL, "not a file name");
	ret->in_jail = strcmp(jpath, "/") != 0 &&
	    strncmp(path, jpath, len) == 0 && path[len] == '/';
	if (!ret->in_jail) {
		r = host_dir_open(j, copy, &ret->dir);
		if (r == -ELOOP)
			return jail_seterr(r, "a symbolic link in the jail's "
			    "tree; name it below path");
		return r < 0 ? jail_syserr(r, "open") : 0;
	}
	root = jail_root_open(j);
	if (root < 0)
		return jail_syserr(root, "the jail's root");
	for (rel = copy + len; *rel == '/'; rel++)
		;
	if (*rel == '\0') {
		ret->dir = TAKE_FD(root);
		return 0;
	}
	return resolve_beneath(root, rel, &ret->dir);
}

/* Open (or create) the last component: a regular file, nothing else. */
static int
log_file(const struct logpath *lp)
{
	const int wr = O_WRONLY | O_APPEND | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	_cleanup_close_ int fd = -1;
	char self[64];
	struct stat st;

	fd = openat(lp->dir, lp->base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fd = openat(lp->dir, lp->base, wr | O_CREAT | O_EXCL |
		    O_NOFOLLOW, 0644);
		return fd >= 0 ? TAKE_FD(fd) : jail_syserr(-errno, "create");
	}
	if (fd < 0 || fstat(fd, &st) < 0)
		return jail_syserr(-errno, "open");
	if (S_ISLNK(st.st_mode))
		return jail_seterr(-ELOOP, "a symbolic link");
	if (!S_ISREG(st.st_mode))
		return jail_seterr(-EINVAL, "not a regular file");
	(void)snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	fd = open(self, wr);
	return fd >= 0 ? TAKE_FD(fd) : jail_syserr(-errno, "open");
}

/* Open exec.consolelog for appending, refusing a relative path. */
static int
consolelog_open(const struct jail *j, int *ret_fd)
{
	const char *path = param_str(&j->params, P_EXEC_CONSOLELOG);
	struct logpath lp = { .dir = -1 };
	_cleanup_free_ char *copy = NULL;
	int fd;

	*ret_fd = -1;
	if (path == NULL || *path == '\0')
		return 0;
	if (path[0] != '/')
		return jail_seterr(-EINVAL,
		    "exec.consolelog: %s: not an absolute pathname", path);
	copy = strdup(path);
	if (copy == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	fd = log_dir(j, path, copy, &lp);
	if (fd >= 0)
		fd = log_file(&lp);
	if (lp.dir >= 0)
		(void)close(lp.dir);
	if (fd == -ELOOP && lp.in_jail)
		return jail_seterr(fd,
		    "exec.consolelog: %s: a symbolic link in the jail", path);
	if (fd < 0)
		return jail_errctx(fd, "exec.consolelog: %s", path);
	*ret_fd = fd;
	return 0;
}

/* Host side: become exec.system_user, in a clean environment if asked. */
static void __attribute__((noreturn))
host_child(const struct jail *j, char **argv, bool bg)
{
	const char *user = param_str(&j->params, P_EXEC_SYSTEM_USER);
	struct jail_user u = { 0 };

	if (bg)
		(void)setsid();
	if (user != NULL && *user != '\0') {
		if (passwd_lookup_host(user, &u) < 0 ||
		    setgroups(u.ngroups, u.groups) < 0 ||
		    setresgid(u.gid, u.gid, u.gid) < 0 ||
		    setresuid(u.uid, u.uid, u.uid) < 0) {
			(void)fprintf(stderr, "jail: %s: %s: %s\n",
			    jail_name(j), user, jail_errmsg);
			_exit(1);
		}
	}
	if (param_bool(&j->params, P_EXEC_CLEAN)) {
		static char *clean[] = { "PATH=/bin:/usr/bin", NULL };

		environ = clean;
	}
	execvp(argv[0], argv);
	(void)fprintf(stderr, "jail: %s: exec %s: %s\n", jail_name(j), argv[0],
	    strerror(errno));
	_exit(1);
}

static int
run_host(const struct jail *j, struct command *c, int timeout, int *status)
{
	_cleanup_close_ int pidfd = -1;
	pid_t pid;
	int r = 0;

	pid = clone_pidfd(0, NULL, &pidfd);
	if (pid < 0)
		return jail_syserr(-errno, "fork");
	if (pid == 0)
		host_child(j, c->argv.v, c->bg);
	if (c->bg)
		return 0;
	r = fd_wait(pidfd, timeout > 0 ? timeout * 1000 : -1);
	if (r == -ETIMEDOUT)
		(void)kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return r;
}

/*
 * exec.start, exec.stop (script) and command= (interactive) in the jail:
 * their standard streams as relay.c says, exec.consolelog taking their
 * output where it is set.  The log is a host file, often outside the
 * jail's tree (FreeBSD's /var/log/jail_NAME_console.log): the commands
 * get a pipe, which the jail's spawner copies into the file, never the
 * file itself, which jailed root would reopen through /proc/self/fd.
 */
static int
run_in_jail(const struct jail *j, struct command *c, bool interactive,
    int timeout, int *status)
{
	_cleanup_close_ int consfd = -1, logfd = -1;
	const char *user = param_str(&j->params, P_EXEC_JAIL_USER);
	struct attach_spec s = {
		.argv = c->argv.v,
		.user = user != NULL && *user != '\0' ? user : NULL,
		.user_in_jail = !param_bool(&j->params, P_EXEC_SYSTEM_JAIL_USER),
		.login = param_bool(&j->params, P_EXEC_CLEAN),
		.stdio = interactive ? ATTACH_RELAY : ATTACH_SCRIPT,
		.outfd = -1,
		.pty = interactive,
	};
	int r;

	r = consolelog_open(j, &consfd);
	if (r < 0)
		return r;
	if (consfd >= 0 && (r = spawn_log(j, consfd, &logfd)) < 0)
		return jail_errctx(r, "exec.consolelog");
	s.outfd = logfd;
	if (!c->bg)
		return attach_run(j, &s, timeout, status);
	return attach_background(j, &s);	/* the spawner reaps it */
}

static char *
command_line(const struct command *c)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; i < c->argv.n; i++)
		len += strlen(c->argv.v[i]) + 1;
	s = calloc(1, len);
	for (size_t i = 0; s != NULL && i < c->argv.n; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, c->argv.v[i]);
	}
	return s;
}

/* Judge a finished command as FreeBSD's finish_command() does. */
static int
command_status(const struct jail *j, const char *line, int r, int status)
{
	if (r == -ETIMEDOUT)
		return jail_seterr(r, "%s: %s: timed out", jail_name(j), line);
	if (r < 0)
		return jail_errctx(r, "%s", jail_name(j));
	if (WIFSIGNALED(status))
		return jail_seterr(-ECANCELED, "%s: %s: exited on signal %d",
		    jail_name(j), line, WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		return jail_seterr(-ECANCELED, "%s: %s: failed", jail_name(j),
		    line);
	return 0;
}

static int
run_one(const struct jail *j, enum param_id id, struct command *c,
    const struct jail_ops *o, int timeout)
{
	_cleanup_free_ char *line = command_line(c);
	const char *user = param_str(&j->params, runs_in_jail(id)
	    ? P_EXEC_JAIL_USER : P_EXEC_SYSTEM_USER);
	int r, status = 0;

	if (line == NULL)
		return -ENOMEM;
	if (o->verbose > 0)
		jail_note(o, j, "run command%s%s%s: %s\n",
		    runs_in_jail(id) ? " in jail" : "", user ? " as " : "",
		    user ? user : "", line);
	r = runs_in_jail(id) ? run_in_jail(j, c, false, timeout, &status)
			     : run_host(j, c, timeout, &status);
	return command_status(j, line, r, status);
}

/* Every command of list id, each bounded by timeout seconds (0: none). */
static int
run_list(const struct jail *j, enum param_id id, const struct jail_ops *o,
    int timeout)
{
	const struct strv *l = param_list(&j->params, id);
	int r = 0;

	for (size_t i = 0; l != NULL && i < l->n && r >= 0; i++) {
		struct command c;

		if (l->v[i][0] == '\0')
			continue;
		r = command_parse(l->v[i], &c);
		if (r < 0)
			r = jail_seterr(r, "%s: out of memory", jail_name(j));
		else if (c.argv.n > 0)	/* white space only: nothing to run */
			r = run_one(j, id, &c, o, timeout);
		command_free(&c);
	}
	return r;
}

/* Run every command of list parameter id, stopping at the first failure. */
int
exec_run_list(const struct jail *j, enum param_id id,
    const struct jail_ops *o)
{
	return run_list(j, id, o, (int)param_int(&j->params, P_EXEC_TIMEOUT));
}

#define STOP_TIMEOUT_DEFAULT 10		/* FreeBSD's stop.timeout */

/*
 * exec.stop, always bounded: jail -r must win over whatever the jail's
 * processes do, and exec.stop runs among them (a jailed root can stop
 * or hang it).  The bound is exec.timeout where set (FreeBSD's), else
 * stop.timeout, else FreeBSD's default stop.timeout; a command past it
 * is killed and reported, and the removal goes on.
 */
int
exec_run_stop(const struct jail *j, const struct jail_ops *o)
{
	long long t = param_int(&j->params, P_EXEC_TIMEOUT);

	if (t <= 0)
		t = param_int(&j->params, P_STOP_TIMEOUT);
	if (t <= 0 || t > 86400)
		t = t > 86400 ? 86400 : STOP_TIMEOUT_DEFAULT;
	return run_list(j, P_EXEC_STOP, o, (int)t);
}

/*
 * command=: its words verbatim, inside the jail; ret_status is the
 * command's exit status (128 + signal when killed), which jail(8) returns.
 */
int
exec_command(const struct jail *j, const struct jail_ops *o,
    int *ret_status)
{
	const struct strv *l = param_list(&j->params, P_COMMAND);
	struct command c = { .argv = { .v = l->v, .n = l->n } };
	int timeout = (int)param_int(&j->params, P_EXEC_TIMEOUT);
	int r, status = 0;

	if (o->verbose > 0) {
		_cleanup_free_ char *line = command_line(&c);

		jail_note(o, j, "run command in jail: %s\n", line ? line : "");
	}
	r = run_in_jail(j, &c, true, timeout, &status);	/* interactive */
	if (r == -ETIMEDOUT)
		return command_status(j, l->v[0], r, status);
	if (r < 0)
		return r;
	*ret_status = WIFSIGNALED(status) ? 128 + WTERMSIG(status)
					  : WEXITSTATUS(status);
	return 0;
}
