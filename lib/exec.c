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
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "jail-int.h"

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
 * Open a log file for appending.  Below the jail's path, the jail's root
 * owns the directories: no symlink may be followed there (FreeBSD's
 * check_path), or a jailed root could point the host's write anywhere.
 * The part below path is opened in the jail's root as its init sees it
 * (/proc/PID/root), not in the host's path: a thin jail's root is an
 * overlay only its own mount namespace has, its path an empty directory.
 */
static int
log_open(const struct jail *j, const char *path)
{
	const int flags = O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW;
	const char *jpath = param_str(&j->params, P_PATH);
	size_t len = strlen(jpath);
	_cleanup_close_ int root = -1;
	int fd;

	if (strncmp(path, jpath, len) != 0 || path[len] != '/' ||
	    strcmp(jpath, "/") == 0) {
		fd = open(path, flags | O_CLOEXEC, 0644);
		return fd < 0 ? -errno : fd;
	}
	root = jail_root_open(j);
	if (root < 0)
		return root;
	return openat2_fd(root, path + len + 1, flags, 0644,
	    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
}

/* Open exec.consolelog for appending, refusing a relative path. */
static int
consolelog_open(const struct jail *j, int *ret_fd)
{
	const char *path = param_str(&j->params, P_EXEC_CONSOLELOG);
	int fd;

	*ret_fd = -1;
	if (path == NULL || *path == '\0')
		return 0;
	if (path[0] != '/')
		return jail_seterr(-EINVAL,
		    "exec.consolelog: %s: not an absolute pathname", path);
	fd = log_open(j, path);
	if (fd == -ELOOP)
		return jail_seterr(fd,
		    "exec.consolelog: %s: a symbolic link in the jail", path);
	if (fd < 0)
		return jail_syserr(fd, "exec.consolelog: %s", path);
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
	r = pidfd_wait(pidfd, timeout > 0 ? timeout * 1000 : -1);
	if (r == -ETIMEDOUT)
		(void)kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return r;
}

static int
run_in_jail(const struct jail *j, struct command *c, bool pty, int timeout,
    int *status)
{
	_cleanup_(attach_child_close) struct attach_child child =
	    ATTACH_CHILD_INIT;
	_cleanup_close_ int consfd = -1;
	const char *user = param_str(&j->params, P_EXEC_JAIL_USER);
	struct attach_spec s = {
		.argv = c->argv.v,
		.user = user != NULL && *user != '\0' ? user : NULL,
		.user_in_jail = !param_bool(&j->params, P_EXEC_SYSTEM_JAIL_USER),
		.login = param_bool(&j->params, P_EXEC_CLEAN),
		.outfd = -1,
		.pty = pty,
	};
	int r;

	r = consolelog_open(j, &consfd);
	if (r < 0)
		return r;
	s.outfd = consfd;
	if (!c->bg)
		return attach_run(j, &s, timeout, status);
	return attach_spawn(j, &s, &child);	/* the spawner reaps it */
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
    const struct jail_ops *o)
{
	_cleanup_free_ char *line = command_line(c);
	int timeout = (int)param_int(&j->params, P_EXEC_TIMEOUT);
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

/* Run every command of list parameter id, stopping at the first failure. */
int
exec_run_list(const struct jail *j, enum param_id id,
    const struct jail_ops *o)
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
			r = run_one(j, id, &c, o);
		command_free(&c);
	}
	return r;
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
