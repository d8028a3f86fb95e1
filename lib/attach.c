/*
 * attach.c: the one way into a running jail, shared by jexec(8),
 * command=, exec.start, exec.stop and jail(8)'s own helpers.
 *
 * A command is prepared here, while the host is visible: the user
 * (host passwd, or the jail's own files read as data), the environment,
 * the argument vector, the pty.  It is then forked by the jail's spawner
 * (spawn.c), so every command of a jail, whichever session started it,
 * is in the jail's one Landlock domain and under its one seccomp filter;
 * the child takes the user's credentials, marks every inherited
 * descriptor close-on-exec and execs, non-dumpable until then.  Errors
 * before execve reach the caller, then the pidfd and the spawner's word
 * on its exit status.  A helper of jail(8)'s own (s->fn: host code run
 * in the jail's namespaces, such as term_all or a mount helper) is
 * cloned from here into the jail's pid namespace and cgroup, joins its
 * other namespaces and runs with full privileges, never execs.
 */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "jail-int.h"

extern char **environ;

/* What the command needs, prepared while the host is visible. */
struct attach_plan {
	struct jail_user user;
	char **env;			/* NULL: inherit */
	char *argv_shell[2];
	char *shell_arg0;
	char *const *argv;
	unsigned long nofile;		/* rctl openfiles, or 0 */
};

static void
plan_free(struct attach_plan *pl)
{
	jail_user_free(&pl->user);
	strv_free(pl->env);
	free(pl->shell_arg0);
}

static int
plan_user(const struct jail *j, const struct attach_spec *s,
    struct attach_plan *pl)
{
	int r;

	if (s->user != NULL && !s->user_in_jail)
		return passwd_lookup_host(s->user, &pl->user);
	if (s->user == NULL && !s->login && s->argv != NULL &&
	    s->argv[0] != NULL)
		goto root;	/* a command as root: nothing to look up */
	r = passwd_lookup_jail(j, s->user != NULL ? s->user : "root",
	    &pl->user);
	if (r >= 0 || s->user != NULL)
		return r;
	/* root without a passwd entry: still root, FreeBSD defaults */
root:
	pl->user = (struct jail_user){ .name = strdup("root"),
		.dir = strdup("/"), .shell = strdup("/bin/sh") };
	return pl->user.name && pl->user.dir && pl->user.shell ? 0 : -ENOMEM;
}

static int
env_push(char ***env, size_t *n, const char *k, const char *v)
{
	char **ne = realloc(*env, (*n + 2) * sizeof(**env));

	if (ne == NULL)
		return -ENOMEM;
	*env = ne;
	if (asprintf(&ne[*n], "%s=%s", k, v) < 0)
		return -ENOMEM;
	ne[++*n] = NULL;
	return 0;
}

/* The login environment of FreeBSD's jexec -l / exec.clean. */
static int
plan_env(const struct jail_user *u, char ***ret)
{
	const char *term = getenv("TERM");
	char **env = NULL;
	size_t n = 0;
	int r;

	r = env_push(&env, &n, "PATH", u->uid == 0
	    ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	    : "/usr/local/bin:/usr/bin:/bin");
	if (r >= 0)
		r = env_push(&env, &n, "HOME", u->dir);
	if (r >= 0)
		r = env_push(&env, &n, "SHELL", u->shell);
	if (r >= 0)
		r = env_push(&env, &n, "USER", u->name);
	if (r >= 0)
		r = env_push(&env, &n, "LOGNAME", u->name);
	if (r >= 0 && term != NULL)
		r = env_push(&env, &n, "TERM", term);
	if (r < 0) {
		strv_free(env);
		return jail_seterr(r, "environment: out of memory");
	}
	*ret = env;
	return 0;
}

static int
plan_make(const struct jail *j, const struct attach_spec *s,
    struct attach_plan *pl)
{
	int r = 0;

	memset(pl, 0, sizeof(*pl));
	pl->nofile = rctl_nofile(j);
	r = plan_user(j, s, pl);
	if (r >= 0 && s->login)
		r = plan_env(&pl->user, &pl->env);
	if (r < 0)
		return r;
	pl->argv = s->argv;
	if (s->argv == NULL || s->argv[0] == NULL) {
		const char *base = strrchr(pl->user.shell, '/');

		/* no command: the user's shell, a login shell with -l */
		if (asprintf(&pl->shell_arg0, "%s%s", s->login ? "-" : "",
			base != NULL ? base + 1 : pl->user.shell) < 0)
			return -ENOMEM;
		pl->argv_shell[0] = pl->shell_arg0;
		pl->argv = pl->argv_shell;
	}
	return 0;
}

/* A helper of jail(8)'s, already in the jail's pid namespace and cgroup. */
static void __attribute__((noreturn))
helper_main(int pidfd, const struct attach_spec *s, int errfd)
{
	int r;

	/* a jail sharing the caller's network namespace enters it again */
	if (setns(pidfd, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
		CLONE_NEWCGROUP | CLONE_NEWNET) < 0)
		spawn_child_fail(errfd, jail_syserr(-errno, "setns"));
	r = s->fn(s->arg);
	if (r < 0)
		spawn_child_fail(errfd, r);
	_exit(0);
}

/*
 * Clone a child into the jail's pid namespace: setns(CLONE_NEWPID) only
 * affects this process's future children, and is undone right after.
 */
static pid_t
clone_into(int pidfd, const struct jail *j, int *ret_childfd)
{
	_cleanup_(cg_join_close) struct cg_join cg = CG_JOIN_INIT;
	_cleanup_close_ int self = -1;
	pid_t pid;
	int r;

	r = cg_open(j, &cg);
	if (r < 0)
		return r;
	self = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return jail_syserr(-errno, "/proc/self/ns/pid");
	if (setns(pidfd, CLONE_NEWPID) < 0)
		return jail_syserr(-errno, "setns pid");
	pid = clone_pidfd(0, &cg, ret_childfd);
	if (pid == 0)
		return 0;
	r = pid < 0 ? jail_syserr(-errno, "clone") : pid;
	if (setns(self, CLONE_NEWPID) < 0)
		abort();	/* cannot happen: own active namespace */
	return r;
}

/* Run helper s->fn inside jail j; it has run or failed on return. */
static int
attach_helper(const struct jail *j, const struct attach_spec *s,
    struct attach_child *ret)
{
	_cleanup_close_ int pidfd = -1, childfd = -1;
	int errp[2], r;
	pid_t pid;

	r = pidfd_open_checked(&j->init, &pidfd);
	if (r < 0)
		return jail_seterr(r, "jail \"%s\" not found", jail_name(j));
	if (pipe2(errp, O_CLOEXEC) < 0)
		return jail_syserr(-errno, "pipe");
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	pid = clone_into(pidfd, j, &childfd);
	if (pid == 0) {
		(void)close(errp[0]);
		helper_main(pidfd, s, errp[1]);
	}
	(void)close(errp[1]);
	r = pid < 0 ? pid : spawn_read_err(errp[0]);
	(void)close(errp[0]);
	if (r < 0) {
		if (pid > 0)
			(void)waitpid(pid, NULL, 0);
		return r;
	}
	ret->pid = pid;
	ret->pidfd = TAKE_FD(childfd);
	return 0;
}

/* A command: prepared here, forked by the jail's spawner (spawn.c). */
static int
attach_command(const struct jail *j, const struct attach_spec *s,
    struct attach_child *ret)
{
	_cleanup_(plan_free) struct attach_plan pl;
	struct spawn_plan sp;
	int r;

	r = plan_make(j, s, &pl);
	if (r < 0)
		return r;
	sp = (struct spawn_plan){
		.uid = pl.user.uid,
		.gid = pl.user.gid,
		.groups = pl.user.groups,
		.ngroups = pl.user.ngroups,
		.dir = s->login ? pl.user.dir : "/",
		.file = s->argv != NULL && s->argv[0] != NULL ? pl.argv[0]
							      : pl.user.shell,
		.argv = pl.argv,
		.env = pl.env != NULL ? pl.env : environ,
		.nofile = pl.nofile,
		.tty = s->tty != NULL ? s->tty->slave : -1,
		.outfd = s->outfd,
	};
	return spawn_command(j, &sp, ret);
}

void
attach_child_close(struct attach_child *c)
{
	if (c->pidfd >= 0)
		(void)close(c->pidfd);
	if (c->statfd >= 0)
		(void)close(c->statfd);
	c->pidfd = c->statfd = -1;
}

/* Start s inside jail j; the child runs or has failed when this returns. */
int
attach_spawn(const struct jail *j, const struct attach_spec *s,
    struct attach_child *ret)
{
	*ret = (struct attach_child)ATTACH_CHILD_INIT;
	if (s->fn != NULL)
		return attach_helper(j, s, ret);
	return attach_command(j, s, ret);
}

/*
 * Without a pty of the jail's, the command is not in the caller's
 * process group (the spawner forked it): ^C and ^\ on the caller's
 * terminal reach it through here, as they reached it directly before.
 */
static volatile sig_atomic_t fwd_pgrp;

static void
forward_signal(int sig)
{
	if (fwd_pgrp > 0)
		(void)kill(-(pid_t)fwd_pgrp, sig);
}

/* Wait for an attached child; -ETIMEDOUT kills it (timeout 0: none). */
static int
attach_wait(const struct attach_child *c, int timeout, struct pty *tty,
    int *ret_status)
{
	struct sigaction sa = { .sa_handler = SIG_IGN }, oint, oquit;
	int r, status = 0;

	/* like system(3): ^C belongs to the jailed command, not to us */
	if (tty == NULL && c->statfd >= 0) {
		fwd_pgrp = c->pid;
		sa = (struct sigaction){ .sa_handler = forward_signal,
			.sa_flags = SA_RESTART };
	}
	(void)sigaction(SIGINT, &sa, &oint);
	(void)sigaction(SIGQUIT, &sa, &oquit);
	if (tty != NULL)
		pty_relay(tty, c->pidfd);
	r = pidfd_wait(c->pidfd, timeout > 0 ? timeout * 1000 : -1);
	if (r == -ETIMEDOUT)
		(void)syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0);
	if (c->statfd >= 0) {
		int s = spawn_status(c->statfd, &status);

		r = r < 0 ? r : s;
	} else
		while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
			;
	(void)sigaction(SIGINT, &oint, NULL);
	(void)sigaction(SIGQUIT, &oquit, NULL);
	fwd_pgrp = 0;
	*ret_status = status;
	return r;
}

/*
 * Run s in jail j and wait (timeout seconds, 0: forever).  ret_status is
 * the wait(2) status.  Then let init check whether the jail is empty.
 */
int
attach_run(const struct jail *j, const struct attach_spec *s, int timeout,
    int *ret_status)
{
	_cleanup_(attach_child_close) struct attach_child c =
	    ATTACH_CHILD_INIT;
	struct attach_spec ts = *s;
	struct pty tty = { -1, -1 };
	int r;

	/* on a terminal, a pty of the jail's; without one, the caller's */
	if (s->pty && isatty(STDIN_FILENO) && pty_open(j, &tty) >= 0)
		ts.tty = &tty;
	r = attach_spawn(j, &ts, &c);
	if (tty.slave >= 0)	/* the child has it now */
		(void)close(tty.slave);
	tty.slave = -1;
	if (r >= 0)
		r = attach_wait(&c, timeout, ts.tty, ret_status);
	pty_close(&tty);
	if (r < 0 && r != -ETIMEDOUT)
		return r;
	if (j->initsock < 0)	/* the creator asks init itself, later */
		(void)init_request(j, INIT_CHECK);
	return r;
}

/* jexec(8): run a command in the running jail named or numbered s. */
int
jail_exec(const char *jid_or_name, const struct attach_spec *s,
    int *ret_status)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	int r;

	r = state_find(jid_or_name, &j);
	if (r < 0)
		return r;
	if (j->state != JS_ACTIVE)
		return jail_seterr(-ENOENT, "jail \"%s\" not found",
		    jid_or_name);
	return attach_run(j, s, 0, ret_status);
}
