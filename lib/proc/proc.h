// SPDX-License-Identifier: BSD-2-Clause
/*
 * proc.h: the processes of a jail: its init, its spawner, the one
 * attach path every command takes into it, their terminals and fds,
 * exec.* scripts, users read from its passwd, its socket broker.
 */
#ifndef GAOL_PROC_H
#define GAOL_PROC_H

#include "confine/confine.h"

/*
 * attach.c: the one way into a running jail.  What its fds 0-2 are
 * (relay.c): jexec's pipes and sockets as the caller's, everything else
 * (command='s and exec.*'s all) relayed, /dev/null the jail's own.
 */
enum attach_stdio {
	ATTACH_PASS,		/* jexec: pipes, sockets; the rest relayed */
	ATTACH_RELAY,		/* command=: stdin, stdout, stderr relayed */
	ATTACH_SCRIPT,		/* exec.*: stdin /dev/null, output relayed */
};

struct attach_spec {
	char *const *argv;	/* execvp'd inside; NULL: the user's shell */
	const char *user;	/* NULL: root */
	bool user_in_jail;	/* user from the jail's etc/passwd */
	bool login;		/* -l / exec.clean: clean login environment */
	enum attach_stdio stdio;
	int outfd;		/* >= 0: stdout and stderr (a log's pipe) */
	bool pty;		/* on a terminal: give it one of the jail's */
};

/* relay.c: a command's fds 0-2 and jail(8)'s side of them. */
struct relay {
	int child[3];		/* what the command gets as 0-2, or -1 */
	int src;		/* jail(8)'s fd copied to in, or -1 */
	int in;			/* the command's stdin pipe, our end, or -1 */
	int out[2];		/* its stdout and stderr pipes, our ends */
	int null;		/* the jail's /dev/null while setting up */
	bool no_null;		/* the jail has none */
	bool no_splice[2];	/* fd 1, fd 2 take no splice: write */
	size_t len, off;	/* what is read from src and not yet sent */
	char buf[65536];
};

void relay_init(struct relay *r);
int relay_setup(struct relay *r, const struct jail *j,
    enum attach_stdio mode, bool bg, bool tty, int logfd);
void relay_given(struct relay *r, int logfd);
int relay_run(struct relay *r, int pidfd, int timeout_ms);
void relay_close(struct relay *r, const struct jail *j);

/* pty.c: a terminal of the jail's own for an interactive command. */
struct pty {
	int master, slave;
};

int pty_open(const struct jail *j, struct pty *ret);
int pty_attach_child(struct pty *p);
int pty_relay(struct pty *p, int pidfd, int timeout_ms);
void pty_close(struct pty *p);

/* A command started in a jail: wait on pidfd, its status comes on statfd. */
struct attach_child {
	pid_t pid;
	int pidfd;
	int statfd;		/* the spawner's answer (spawn.c); -1: waitpid */
};

#define ATTACH_CHILD_INIT { .pid = 0, .pidfd = -1, .statfd = -1 }

void attach_child_close(struct attach_child *c);
int attach_background(const struct jail *j, const struct attach_spec *s);
int attach_run(const struct jail *j, const struct attach_spec *s,
    int timeout, int *ret_status);
int jail_exec(const char *jid_or_name, const struct attach_spec *s,
    int *ret_status);

/*
 * spawn.c: the jail's spawner, which forks every command entering the
 * jail, so that all of them share one Landlock domain and one filter.
 */
#define SPAWN_FD 101		/* in the spawner: the host's end of its socket */

struct spawn_plan {
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t ngroups;
	const char *dir;	/* working directory */
	const char *file;	/* execvp's */
	char *const *argv;
	char *const *env;
	unsigned long nofile;	/* rctl openfiles, or 0 */
	int stdio[3];		/* fds 0-2 to give, -1: closed (relay.c) */
	int tty;		/* >= 0: the pty slave, the controlling terminal */
	int outfd;		/* >= 0: stdout and stderr */
	int timeout_ms;		/* to reach execve, < 0: no bound */
};

/* A spawner forked and not yet in the jail: the creator's ends. */
struct spawn_pending {
	int go;		/* init is handed over here */
	int rep;	/* its report: in the jail, or why not */
	int pidfd;
	pid_t pid;
};
#define SPAWN_PENDING_INIT { .go = -1, .rep = -1, .pidfd = -1, .pid = 0 }

int spawn_fork(struct jail *j, const struct cg_join *cg,
    struct spawn_pending *ret);
void spawn_enter(const struct jail *j, struct spawn_pending *p);
int spawn_ready(struct jail *j, struct spawn_pending *p);
void spawn_abandon(struct spawn_pending *p);
int spawn_start(struct jail *j, const struct cg_join *cg);
void spawn_stop(const struct jail *j);
void spawn_drain(const struct jail *j, const int *fds, size_t n);
int spawn_log(const struct jail *j, int logfd, int *ret_wr);
int spawn_command(const struct jail *j, const struct spawn_plan *p,
    struct attach_child *ret);
int spawn_status(int statfd, int *ret_status);
void spawn_child_fail(int errfd, int r) __attribute__((noreturn));
int spawn_read_err(int fd);

/* init.c: the jail's pid 1. */
enum init_req {
	INIT_CHECK = 1,		/* exit if no process is left (and !persist) */
	INIT_PERSIST = 2,
	INIT_NOPERSIST = 3,
	INIT_COMMIT = 4,	/* the creator is done: the jail is made */
	INIT_TERM = 5,		/* jail -r: SIGTERM to all, then as NOPERSIST */
};

int init_start(struct jail *j, const struct cg_join *cg);
int init_built(struct jail *j);
int init_request(const struct jail *j, enum init_req req);
int init_request_fd(int pidfd, uint64_t token, enum init_req req);
int init_ask(const struct jail *j, enum init_req req, bool *ret_exiting);
int init_kill(const struct jail *j, int pidfd);

/* uts.c: allow.set_hostname, answered by init (seccomp notification). */
#define INIT_UTS_FD 100		/* in init: where listeners are sent */
#define INIT_NET_FD 102		/* in init: the host's network namespace */

struct pollfd;

struct uts_service {
	int kernfd;		/* init's procfs sys/kernel, writable */
	int rx;			/* receives listeners (INIT_UTS_FD: the other end) */
	int procfd;		/* init's procfs, for the caller's uid */
	int statefd;		/* the jail's state directory, for UTS_FILE */
	int lfd[128];		/* seccomp listeners: the spawner's (spawn.c) */
	size_t n;
};

int uts_service_open(int statefd, struct uts_service *ret);
int uts_service_proc(struct uts_service *u, int procfd);
size_t uts_service_fds(const struct uts_service *u, int *keep);
size_t uts_service_poll(const struct uts_service *u, struct pollfd *p);
void uts_service_run(struct uts_service *u, const struct pollfd *p);
int uts_send_listener(int tx, int listener);
struct seccomp_notif;
int uts_forward(int tx, int listener, const struct seccomp_notif *req);
int uts_set(const struct jail *j, const char *host, const char *domain);

/* clone.c: clone3(2) with a pidfd, optionally into a cgroup. */
pid_t clone_pidfd(unsigned long long flags, const struct cg_join *cg,
    int *ret_pidfd);

/* exec.c: exec.* scripts and command=, FreeBSD's run_command. */
int exec_run_list(const struct jail *j, enum param_id id,
    const struct jail_ops *o);
int exec_run_stop(const struct jail *j, const struct jail_ops *o);
int exec_command(const struct jail *j, const struct jail_ops *o,
    int *ret_status);

/* passwd.c: users from a passwd file read as data, never through NSS. */
struct jail_user {
	char *name;
	uid_t uid;
	gid_t gid;
	char *dir;
	char *shell;
	gid_t *groups;
	size_t ngroups;
};

int passwd_lookup_in(int rootfd, const char *name, struct jail_user *ret);
int passwd_lookup_jail(const struct jail *j, const char *name,
    struct jail_user *ret);
int passwd_lookup_host(const char *name, struct jail_user *ret);
void jail_user_free(struct jail_user *u);

/* sockbroker.c: a jail's IPv4 and IPv6 sockets, made on the host's stack. */
struct sockbroker {
	pid_t pid;		/* the broker, or 0: the jail needs none */
	int tx;			/* where its listener goes, or -1 */
};

bool sockbroker_wanted(const struct jail *j);
int sockbroker_hostns(const struct jail *j);
int sockbroker_start(const struct jail *j, int hostns, int uts_tx,
    struct sockbroker *ret);
int sockbroker_give(struct sockbroker *b, int listener);

#endif
