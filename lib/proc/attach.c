// SPDX-License-Identifier: BSD-2-Clause
/*
 * attach.c: the one way into a running jail, shared by jexec(8),
 * command=, exec.start and exec.stop.
 *
 * A command is prepared here, while the host is visible: the user
 * (host passwd, or the jail's own files read as data), the environment,
 * the argument vector, its standard streams (relay.c) or pty (pty.c).
 * It is then forked by the jail's spawner (spawn.c), so every command of
 * a jail, whichever session started it, is in the jail's one Landlock
 * domain and under its one seccomp filter; the child takes the user's
 * credentials, marks every inherited descriptor close-on-exec and execs,
 * non-dumpable until then.  Errors before execve reach the caller, then
 * the pidfd and the spawner's word on its exit status.  jail(8) never
 * runs code of its own in the jail's pid namespace: a process there is
 * one the jail's root can see, stop and kill (modify.c and remove.c do
 * their work from the host instead).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "proc/proc.h"

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

/* A command: prepared here, forked by the jail's spawner (spawn.c). */
static int
attach_command(const struct jail *j, const struct attach_spec *s,
    const int stdio[3], int tty, int timeout_ms, struct attach_child *ret)
{
	_cleanup_(plan_free) struct attach_plan pl;
	struct spawn_plan sp;
	int r;

	*ret = (struct attach_child)ATTACH_CHILD_INIT;
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
		.stdio = { stdio[0], stdio[1], stdio[2] },
		.tty = tty,
		.outfd = s->outfd,
		.timeout_ms = timeout_ms,
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

/*
 * Start s inside jail j and leave it: /dev/null as its standard streams
 * (exec.consolelog for its output if set).  The spawner reaps it.
 */
int
attach_background(const struct jail *j, const struct attach_spec *s)
{
	_cleanup_(attach_child_close) struct attach_child c =
	    ATTACH_CHILD_INIT;
	struct relay rl;
	int r;

	r = relay_setup(&rl, j, s->stdio, true, false, s->outfd);
	if (r >= 0)
		r = attach_command(j, s, rl.child, -1, -1, &c);
	relay_given(&rl, s->outfd);
	return r;
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

/*
 * Wait for an attached child, relaying its streams or its pty, until
 * deadline; -ETIMEDOUT kills it.
 */
static int
attach_wait(const struct attach_child *c, long long deadline,
    struct pty *tty, struct relay *rl, int *ret_status)
{
	struct sigaction sa = { .sa_handler = SIG_IGN }, oint, oquit;
	int r, status = 0;

	/* like system(3): ^C belongs to the jailed command, not to us */
	if (tty == NULL) {
		fwd_pgrp = c->pid;
		sa = (struct sigaction){ .sa_handler = forward_signal,
			.sa_flags = SA_RESTART };
	}
	(void)sigaction(SIGINT, &sa, &oint);
	(void)sigaction(SIGQUIT, &sa, &oquit);
	if (tty != NULL)
		r = pty_relay(tty, c->pidfd, left_ms(deadline));
	else
		r = relay_run(rl, c->pidfd, left_ms(deadline));
	if (r == -ETIMEDOUT)
		(void)syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0);
	r = r < 0 ? r : spawn_status(c->statfd, &status);
	if (r == -ETIMEDOUT)
		(void)spawn_status(c->statfd, &status);
	(void)sigaction(SIGINT, &oint, NULL);
	(void)sigaction(SIGQUIT, &oquit, NULL);
	fwd_pgrp = 0;
	*ret_status = status;
	return r;
}

/* On a terminal, a pty of the jail's; tells whether there is one. */
static bool
want_pty(const struct jail *j, const struct attach_spec *s, struct pty *tty)
{
	return s->pty && isatty(STDIN_FILENO) && pty_open(j, tty) >= 0;
}

/*
 * Run s in jail j and wait (timeout seconds, 0: forever; the command's
 * start included).  ret_status is the wait(2) status.  Then let init
 * check whether the jail is empty.
 */
int
attach_run(const struct jail *j, const struct attach_spec *s, int timeout,
    int *ret_status)
{
	_cleanup_(attach_child_close) struct attach_child c =
	    ATTACH_CHILD_INIT;
	long long deadline = -1;	/* now_ms's, or none */
	struct pty tty = { -1, -1 };
	struct relay rl;
	bool on_tty = want_pty(j, s, &tty);
	int r;

	if (timeout > 0)
		deadline = now_ms() + timeout * 1000LL;
	r = relay_setup(&rl, j, s->stdio, false, on_tty, s->outfd);
	if (r >= 0)
		r = attach_command(j, s, rl.child, tty.slave,
		    left_ms(deadline), &c);
	relay_given(&rl, s->outfd);
	if (tty.slave >= 0)	/* the child has it now */
		(void)close(tty.slave);
	tty.slave = -1;
	if (r >= 0)
		r = attach_wait(&c, deadline, on_tty ? &tty : NULL, &rl,
		    ret_status);
	relay_close(&rl, j);
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

	r = registry_find(jid_or_name, &j);
	if (r < 0)
		return r;
	if (j->state != JS_ACTIVE)
		return jail_seterr(-ENOENT, "jail \"%s\" not found",
		    jid_or_name);
	return attach_run(j, s, 0, ret_status);
}
