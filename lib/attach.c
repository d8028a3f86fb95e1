/*
 * attach.c: the one way into a running jail, shared by jexec(8),
 * command=, exec.start, exec.stop and jail(8)'s own helpers.
 *
 * The parent resolves the user (host passwd, or the jail's own files),
 * enters the jail's pid namespace for its next child only, and clones
 * that child straight into the jail's cgroup.  The child joins the
 * jail's other namespaces (which also puts it in the jail's root), takes
 * the jail's credentials and capability bounding set, marks every
 * inherited descriptor close-on-exec and execs.  Until execve it is
 * non-dumpable, so nothing in the jail can ptrace or read it while it
 * still holds host privileges.  Errors before execve reach the parent.
 */
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "jail-int.h"

extern char **environ;

struct attach_err {
	int err;
	char msg[JAIL_ERRMSGLEN - 64];
};

/* What the child needs, prepared in the parent while the host is visible. */
struct attach_plan {
	struct jail_user user;
	const struct jail_params *params; /* the jail's: its confinement */
	char **env;			/* NULL: inherit */
	char *argv_shell[2];
	char *shell_arg0;
	char *const *argv;
	int uts_tx;			/* allow.set_hostname: init's socket */
	struct seccomp_prog prog;	/* the jail's filter, compiled */
	unsigned long nofile;		/* rctl openfiles, or 0 */
};

static void
plan_free(struct attach_plan *pl)
{
	jail_user_free(&pl->user);
	strv_free(pl->env);
	free(pl->shell_arg0);
	if (pl->uts_tx >= 0)
		(void)close(pl->uts_tx);
	free(pl->prog.v);
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
	pl->uts_tx = -1;
	pl->params = &j->params;
	if (s->fn != NULL)
		return 0;
	pl->nofile = rctl_nofile(j);
	r = plan_user(j, s, pl);
	if (r >= 0)
		r = seccomp_program(&j->params, &pl->prog);
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

static void __attribute__((noreturn))
child_fail(int errfd, int r)
{
	struct attach_err ce = { .err = r };

	(void)snprintf(ce.msg, sizeof(ce.msg), "%s", jail_errmsg);
	(void)write(errfd, &ce, sizeof(ce));	/* < PIPE_BUF: atomic */
	_exit(127);
}

/* allow.set_hostname: sethostname and setdomainname answered by init. */
static int
child_uts(int tx)
{
	_cleanup_close_ int lfd = -1;
	int r;

	if (tx < 0)
		return 0;
	r = seccomp_hostname_listener(&lfd);
	if (r >= 0)
		r = uts_send_listener(tx, lfd);
	return r;
}

static int
child_creds(const struct attach_plan *pl)
{
	const struct jail_user *u = &pl->user;
	const struct jail_params *p = pl->params;
	int r;

	if (setgroups(u->ngroups, u->groups) < 0)
		return jail_syserr(-errno, "setgroups");
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		return jail_syserr(-errno, "setgid %u", (unsigned)u->gid);
	/* needs CAP_SYS_ADMIN: before the drop */
	r = seccomp_load_program(&pl->prog);
	if (r >= 0)
		r = child_uts(pl->uts_tx);
	if (r < 0)
		return r;
	r = confine_caps(confine_caps_for(p));
	if (r < 0)
		return r;
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		return jail_syserr(-errno, "setuid %u", (unsigned)u->uid);
	return 0;
}

static void
child_signals(void)
{
	sigset_t none;

	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
}

/* The child, already in the jail's pid namespace and cgroup. */
static void __attribute__((noreturn))
child_main(int pidfd, const struct attach_spec *s,
    const struct attach_plan *pl, int errfd)
{
	const char *dir = s->login ? pl->user.dir : "/";
	int r;

	/* a jail sharing the caller's network namespace enters it again */
	if (setns(pidfd, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
		CLONE_NEWCGROUP | CLONE_NEWNET) < 0)
		child_fail(errfd, jail_syserr(-errno, "setns"));
	if (s->fn != NULL) {
		r = s->fn(s->arg);
		if (r < 0)
			child_fail(errfd, r);
		_exit(0);
	}
	if (s->tty != NULL && (r = pty_attach_child(s->tty)) < 0)
		child_fail(errfd, r);
	if ((r = landlock_confine()) < 0)	/* still privileged */
		child_fail(errfd, r);
	if (pl->nofile > 0 && setrlimit(RLIMIT_NOFILE, &(struct rlimit){
		pl->nofile, pl->nofile }) < 0)	/* rctl openfiles:deny */
		child_fail(errfd, jail_syserr(-errno, "openfiles"));
	if (chdir(dir) < 0)
		child_fail(errfd, jail_seterr(-errno, "no home directory"));
	r = child_creds(pl);
	if (r < 0)
		child_fail(errfd, r);
	if (s->outfd >= 0 && (dup2(s->outfd, 1) < 0 || dup2(s->outfd, 2) < 0))
		child_fail(errfd, jail_syserr(-errno, "exec.consolelog"));
	child_signals();
	confine_fds();
	if (pl->env != NULL)
		environ = pl->env;
	execvp(s->argv != NULL && s->argv[0] != NULL ? pl->argv[0]
						      : pl->user.shell,
	    pl->argv);
	child_fail(errfd, jail_syserr(-errno, "execvp: %s", pl->argv[0]));
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

static int
read_child_err(int fd)
{
	struct attach_err ce;
	ssize_t n;

	do
		n = read(fd, &ce, sizeof(ce));
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0;	/* execve closed the pipe */
	if (n != (ssize_t)sizeof(ce))
		return jail_syserr(n < 0 ? -errno : -EIO, "child status");
	return jail_seterr(ce.err, "%s", ce.msg);
}

/*
 * With allow.set_hostname, init's end of the socket that takes seccomp
 * listeners (uts.c): fetched from init, which no jailed process can do.
 * -1 when there is none (the name calls then fail as without it).
 */
static int
uts_socket(const struct jail *j, int pidfd)
{
	int fd;

	if (!param_bool(&j->params, P_ALLOW_SET_HOSTNAME))
		return -1;
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, INIT_UTS_FD, 0);
	return fd < 0 ? -1 : fd;
}

/* Start s inside jail j; the child runs or has failed when this returns. */
int
attach_spawn(const struct jail *j, const struct attach_spec *s,
    pid_t *ret_pid, int *ret_pidfd)
{
	_cleanup_(plan_free) struct attach_plan pl;
	_cleanup_close_ int pidfd = -1, childfd = -1;
	int errp[2], r;
	pid_t pid;

	r = plan_make(j, s, &pl);
	if (r < 0)
		return r;
	r = pidfd_open_checked(j->pid, j->starttime, &pidfd);
	if (r < 0)
		return jail_seterr(r, "jail \"%s\" not found", jail_name(j));
	pl.uts_tx = uts_socket(j, pidfd);
	if (pipe2(errp, O_CLOEXEC) < 0)
		return jail_syserr(-errno, "pipe");
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	pid = clone_into(pidfd, j, &childfd);
	if (pid == 0) {
		(void)close(errp[0]);
		child_main(pidfd, s, &pl, errp[1]);
	}
	(void)close(errp[1]);
	r = pid < 0 ? pid : read_child_err(errp[0]);
	(void)close(errp[0]);
	if (r < 0) {
		if (pid > 0)
			(void)waitpid(pid, NULL, 0);
		return r;
	}
	*ret_pid = pid;
	*ret_pidfd = TAKE_FD(childfd);
	return 0;
}

/* Wait for an attached child; -ETIMEDOUT kills it (timeout 0: none). */
static int
attach_wait(pid_t pid, int pidfd, int timeout, struct pty *tty,
    int *ret_status)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	int r, status = 0;

	/* like system(3): ^C belongs to the jailed command, not to us */
	(void)sigaction(SIGINT, &ign, &oint);
	(void)sigaction(SIGQUIT, &ign, &oquit);
	if (tty != NULL)
		pty_relay(tty, pidfd);
	r = pidfd_wait(pidfd, timeout > 0 ? timeout * 1000 : -1);
	if (r == -ETIMEDOUT)
		(void)kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	(void)sigaction(SIGINT, &oint, NULL);
	(void)sigaction(SIGQUIT, &oquit, NULL);
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
	_cleanup_close_ int pidfd = -1;
	struct attach_spec ts = *s;
	struct pty tty = { -1, -1 };
	pid_t pid;
	int r;

	/* on a terminal, a pty of the jail's; without one, the caller's */
	if (s->pty && isatty(STDIN_FILENO) && pty_open(j, &tty) >= 0)
		ts.tty = &tty;
	r = attach_spawn(j, &ts, &pid, &pidfd);
	if (tty.slave >= 0)	/* the child has it now */
		(void)close(tty.slave);
	tty.slave = -1;
	if (r >= 0)
		r = attach_wait(pid, pidfd, timeout, ts.tty, ret_status);
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
