// SPDX-License-Identifier: BSD-2-Clause
/*
 * jail-int.h: libjail's private types and the interfaces between its
 * modules.  Nothing here is installed; commands and tests link the static
 * core and may use it, the shared library exports only jail.h.
 */
#ifndef GAOL_JAIL_INT_H
#define GAOL_JAIL_INT_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "cleanup.h"
#include "jail.h"
#include "param.h"

#define JAIL_RUNDIR "/run/jail"
#define JAIL_CONF "/etc/jail.conf"
#define JAIL_CONF_D "/etc/jail.conf.d"

/* err.c: the one error type.  Each returns r (a negative errno). */
int jail_seterr(int r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int jail_syserr(int r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void jail_report_write(int fd, int r);
int jail_report_read(int fd, bool eof_ok, const char *who);
int jail_errctx(int r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

enum jail_state {
	JS_CREATING,	/* reserved by a jail -c still at work */
	JS_ACTIVE,
	JS_DYING,	/* jail -r at work */
	JS__MAX,
	JS__INVALID = -EINVAL,
};

/* The cgroup controllers gaol uses (cgroup.c). */
enum cg_ctrl {
	CG_MEMORY,
	CG_PIDS,
	CG_CPU,
	CG_CPUACCT,	/* cgroup2: part of cpu (cpu.stat) */
	CG_IO,		/* v1: blkio */
	CG_DEVICES,	/* v1 only; cgroup2's is a BPF program (devctl.c) */
	CG__MAX,
	CG__INVALID = -EINVAL,
};

struct cg_join;

/*
 * A process as the registry names it: its pid, and what tells it from a
 * later process given the same pid -- its start time (field 22 of
 * /proc/PID/stat) and, where pidfds have inodes of their own (pidfs,
 * Linux 6.9), its pidfs inode, unique for the boot (0 where there is
 * none).  The inode is checked on the pidfd itself, without a /proc
 * read.
 */
struct proc_ref {
	pid_t pid;
	unsigned long long start;
	uint64_t ino;
};

/* A jail as the registry knows it. */
struct jail {
	int jid;
	enum jail_state state;
	struct proc_ref init;		/* init (ACTIVE/DYING) or creator */
	char *cgroup;			/* path below the cgroup2 mount, or NULL */
	char *cgv1[CG__MAX];		/* v1 cgroup dirs, or NULL */
	uint64_t token;			/* proves a request comes from the host */
	int initsock;			/* creator only: socket to init, or -1 */
	int lockfd;			/* creator only: entry lock (state.c), or -1 */
	bool locked;			/* the entry's lock tells it is live */
	int pidfd;			/* creator only: handle on init, or -1 */
	struct proc_ref spawner;	/* the jail's spawner (spawn.c), or 0 */
	bool gone;			/* init dead, cgroup not yet empty */
	struct jail_params params;	/* P_JID, P_NAME, P_PATH always set */
};

void jail_free(struct jail *j);
void jail_freep(struct jail **j);
const char *jail_name(const struct jail *j);

/* state.c: the /run/jail registry.  See the file's header for the format. */
int registry_make(void);		/* /run/jail, 0711 */
int state_lock(int *ret_fd);
int state_reserve(struct jail *j);	/* lock, pick jid, check name, write */
int state_commit(const struct jail *j);
int state_remove(const struct jail *j);
int state_find(const char *jid_or_name, struct jail **ret);
typedef int (*jail_fn)(struct jail *j, void *arg);	/* owns j */
int state_each(bool dying, jail_fn fn, void *arg);
int state_list(bool dying, struct jail ***ret_v, size_t *ret_n);
void state_list_free(struct jail **v, size_t n);
int proc_starttime(pid_t pid, unsigned long long *ret);
int state_lock_uts(int dirfd);

struct jail *jail_new(void);

/* features.c: the test suite's switches (a -Dtest_switches=true build). */
const char *test_switch_value(const char *name);
bool test_switch(const char *name);

/* undo.c: the inverse of each step taken, run backwards unless committed. */
struct undo_log {
	struct {
		void (*fn)(struct jail *j);
		struct jail *j;
	} e[16];
	size_t n;
};

void undo_push(struct undo_log *u, void (*fn)(struct jail *), struct jail *j);
void undo_commit(struct undo_log *u);
void undo_rollback(struct undo_log *u);

/* Notes jail(8) prints ("NAME: created"); libjail never prints itself. */
struct jail_ops {
	int verbose;		/* -1 quiet, 0 normal, 1 verbose */
	bool print_jid;		/* -i */
	bool note_remove;	/* "NAME: removed"; jails_run() decides */
	const char *jidfile;	/* -J */
	const struct conf *conf;	/* the jail.conf in use, or NULL */
	void (*note)(const char *name, const char *fmt, va_list ap);
	void (*warn)(const char *name, const char *fmt, va_list ap);
};

void jail_note(const struct jail_ops *o, const struct jail *j,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void jail_warn(const struct jail_ops *o, const struct jail *j,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * create.c / modify.c / remove.c: the three operations of jail(8).
 * ret_status receives the exit status of command= (0 if none).
 */
int jail_create(struct jail_params *p, const struct jail_ops *o,
    int *ret_status);
int jail_modify(struct jail_params *p, const struct jail_ops *o,
    int *ret_status);
int jail_destroy(const char *jid_or_name, bool run_scripts,
    const struct jail_ops *o);
/* steps.c: a dead jail torn down, all but its entry (its lock held). */
int jail_reap(struct jail *dead);

/* jidfile.c: jail -J's file, open, truncated, never through a jail. */
int jidfile_open(const char *path, const struct jail_params *p, FILE **ret);

/* jails.c: jail(8) over the jails of a jail.conf (conf.c, deps.c). */
struct conf;

enum jails_op {
	JOPS_CREATE,		/* -c */
	JOPS_REMOVE,		/* -r, -R */
	JOPS_RESTART,		/* -rc */
	JOPS_MODIFY,		/* -m, -cm */
	JOPS__MAX,
	JOPS__INVALID = -EINVAL,
};

struct jails_req {
	enum jails_op op;
	char **names;		/* jail names or "*"; none: every one */
	size_t nnames;
	const struct jail_params *overrides;	/* the command line's */
	bool run_scripts;	/* false for -R */
	const struct jail_ops *ops;
};

int jails_run(const struct conf *c, const struct jails_req *rq);

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

int init_start(struct jail *j, const struct cg_join *cg, int *ret_pidfd);
int init_request(const struct jail *j, enum init_req req);
int init_request_fd(int pidfd, uint64_t token, enum init_req req);
int init_ask(const struct jail *j, enum init_req req, bool *ret_exiting);
int init_kill(const struct jail *j, int pidfd);
int pidfd_wait(int pidfd, int timeout_ms);

/* mount.c, devfs.c: the jail's filesystems, built inside its namespace. */
int mnt_setup_root(const struct jail_params *p, const char *path,
    int *ret_rootfd);
int mnt_enter_root(int rootfd);
int mnt_at(const char *src, int fd, const char *type, unsigned long flags,
    const char *data);
int resolve_beneath(int rootfd, const char *path, int *ret_fd);
int openat2_fd(int dirfd, const char *path, int flags, mode_t mode,
    uint64_t resolve);
int open_in_root(int rootfd, const char *path, int flags);
int jail_root_open(const struct jail *j);
int mnt_procfs(int rootfd, const char *rel, unsigned long flags,
    const char *data);
int mnt_sysfs(const char *spec, int rootfd, const char *rel,
    unsigned long flags);
int mnt_bind(const char *src, int srcfd, int fd, unsigned long flags);
int mnt_fdescfs_at(int dirfd, const char *name, const char *shown);
int mnt_fdescfs(int rootfd, const char *rel);
int mnt_jail_devfs(const struct jail_params *p, int fd, int ruleset,
    unsigned long flags);
bool mnt_is_root_of(int fd, const char *type, const char *src);

/* fstab.c: fstab(5) lines, mount options, mount and mount.fstab. */
struct fstab_ent {
	char *spec;		/* fs_spec: what to mount */
	char *file;		/* fs_file: the mount point (a host path) */
	char *vfstype;		/* fs_vfstype: FreeBSD's type name */
	char *mntops;		/* fs_mntops: comma-separated options */
	int freq, passno;	/* dump and fsck pass: read, unused */
};

struct mnt_opts {
	unsigned long flags;	/* MS_* */
	char *data;		/* file system options for mount(2), or NULL */
	int ruleset;		/* devfs ruleset=N, or -1 */
	bool noauto, late;
};

#define MNT_OPTS_INIT { .flags = 0, .data = NULL, .ruleset = -1 }

int fstab_parse_line(const char *line, struct fstab_ent *ret);
void fstab_ent_clear(struct fstab_ent *e);
int mnt_opts_parse(const char *fstype, const char *opts, bool sloppy,
    struct mnt_opts *ret);
void mnt_opts_clear(struct mnt_opts *o);
int mnt_rel_below(const char *path, const char *mp, char **ret_rel);
int mnt_fstab_root(const struct jail_params *p, int rootfd);
int mnt_overlay_upper(const struct jail_params *p, char **ret);
int mnt_fstab(const struct jail_params *p, int rootfd);

/* mnthelper.c: mount.TYPE, one FreeBSD file system type mounted by hand. */
struct mnt_helper_req {
	const char *type;	/* devfs fdescfs linprocfs linsysfs nullfs */
	const char *spec;	/* what to mount (nullfs: the source dir) */
	const char *dir;	/* the mount point, an existing directory */
	const char *opts;	/* -o, or NULL */
	const char *ns;		/* -N: a pid or a namespace file, or NULL */
	bool fake;		/* -f: check everything, mount nothing */
	bool sloppy;		/* -s: ignore unknown options */
};

int mnt_helper(const struct mnt_helper_req *rq);

/* confine.c: what a jailed root keeps. */
uint64_t confine_caps_for(const struct jail_params *p);
int confine_bounding(uint64_t keep);
int confine_caps_set(uint64_t keep);
int confine_caps(uint64_t keep);
int confine_sysvipc(struct jail_params *p);
bool confine_ipc_inherit(const struct jail_params *p);
void confine_fds(void);
void close_all_but(int *keep, size_t n);

/* uts.c: allow.set_hostname, answered by init (seccomp notification). */
#define INIT_UTS_FD 100		/* in init: where listeners are sent */
#define INIT_NET_FD 102		/* in init: the host's network namespace */
#define UTS_FILE "uts"		/* in the state directory: the names set */
#define UTS_RECORD 256		/* its size: both names, NUL-padded */

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

/* landlock.c: abstract unix sockets scoped to the jail's processes. */
#define LANDLOCK_ABI_SCOPE 6	/* the first ABI that scopes them */

int landlock_abi(void);
bool landlock_available(void);
int landlock_confine(void);

/* seccomp.c: what no capability guards but a jail must not do. */
struct sock_filter;

struct seccomp_prog {
	struct sock_filter *v;	/* malloc'd: the allow list, then the rest */
	unsigned short n;	/* instructions in all */
	unsigned short nallow;	/* of which the allow list's */
};

int seccomp_program(const struct jail_params *p, struct seccomp_prog *ret);
int seccomp_compile(const struct jail_params *p, struct seccomp_prog *ret);
int seccomp_load_program(const struct seccomp_prog *prog);
int seccomp_notify_listener(const struct jail_params *p, int *ret_fd);
int seccomp_notify_compile(const struct jail_params *p,
    struct seccomp_prog *ret);
int confine_set_cmdline(const char *name);

/* clone.c: clone3(2) with a pidfd, optionally into a cgroup. */
pid_t clone_pidfd(unsigned long long flags, const struct cg_join *cg,
    int *ret_pidfd);
int proc_ref_of(pid_t pid, int pidfd, struct proc_ref *ret);
int pidfd_open_checked(const struct proc_ref *p, int *ret_pidfd);
bool proc_ref_alive(const struct proc_ref *p);

/*
 * cgroup.c: one cgroup per jail, beneath the creator's own: cgroup2, plus
 * one in each v1 hierarchy of a controller cgroup2 lacks.
 */
/* Descriptors a process entering a jail is born or moved into. */
struct cg_join {
	int v2;			/* CLONE_INTO_CGROUP, or -1 */
	int v1[CG__MAX];	/* each v1 cgroup once, then -1 */
};

#define CG_JOIN_INIT { .v2 = -1, .v1 = { -1, -1, -1, -1, -1, -1 } }

int cg_create(struct jail *j, struct cg_join *ret);
int cg_open(const struct jail *j, struct cg_join *ret);
void cg_join_close(struct cg_join *cj);
int cg_join_v1(const struct cg_join *cj);
int cg_destroy(struct jail *j, int wait_ms);
int cg_dir(const struct jail *j, enum cg_ctrl c, char *buf, size_t len);
const char *cg_ctrl_name(enum cg_ctrl c, int version);
int cg_file_read(const char *dir, const char *file, char *buf, size_t len);
int cg_file_write(const char *dir, const char *file, const char *val);
int cg_v1_format(const struct jail *j, char *buf, size_t len);
int cg_v1_parse(struct jail *j, const char *word, size_t len);

/* rctl.c: rctl(8) rules on jails, applied to their cgroups. */
int rctl_add(const char *rule);
int rctl_remove(const char *filter);
int rctl_list(const char *filter, char **ret);
int rctl_usage(const char *filter, char **ret);
int rctl_paths(const char *filter, char **ret);
int rctl_apply(const struct jail *j);
unsigned long rctl_nofile(const struct jail *j);

/* exec.c: exec.* scripts and command=, FreeBSD's run_command. */
int exec_run_list(const struct jail *j, enum param_id id,
    const struct jail_ops *o);
int exec_run_stop(const struct jail *j, const struct jail_ops *o);
int exec_command(const struct jail *j, const struct jail_ops *o,
    int *ret_status);

/* net.c: rtnetlink in the calling thread's network namespace. */
int net_link_index(const char *ifname);
int net_link_up(const char *ifname);
int net_link_move(const char *ifname, int netns_fd);
int net_addr_add(const char *ifname, int family, const void *addr,
    unsigned prefix);
int net_addr_del(const char *ifname, int family, const void *addr,
    unsigned prefix);

/* vnet.c: a vnet jail's network namespace and its vnet.interface. */
bool vnet_new(const struct jail_params *p);
int vnet_check(const struct jail_params *p);
int vnet_ns_open(const struct jail *j, int *ret_fd);
int vnet_give(const struct jail *j, int nsfd);
void vnet_return(const struct jail *j, int jailns, const struct jail_ops *o);

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

/* netaddr.c: ip4.addr and ip6.addr entries, "[iface|]addr[/prefix]". */
struct jail_addr {
	int family;			/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;				/* network order */
	int prefix;			/* as given; else 32 or 128 */
	char ifname[IFNAMSIZ];		/* "iface|": the interface; else "" */
};

int jail_addrs(const struct jail_params *p, int family,
    struct jail_addr **ret, size_t *ret_n);
int net_resolve(struct jail_params *p);
bool net_restricted(const struct jail_params *p);
bool net_own_ns(const struct jail_params *p);
bool net_brokered(const struct jail_params *p, int family);

/* sockbroker.c: a jail's IPv4 and IPv6 sockets, made on the host's stack. */
struct sockbroker {
	pid_t pid;		/* the broker, or 0: the jail needs none */
	int tx;			/* where its listener goes, or -1 */
};

int sockbroker_hostns(const struct jail *j);
int sockbroker_start(const struct jail *j, int hostns, int uts_tx,
    struct sockbroker *ret);
int sockbroker_give(struct sockbroker *b, int listener);

/* netif.c: interface= and iface|addr: aliases on the host's interfaces. */
int netif_add(const struct jail_params *p);
void netif_del(const struct jail *j, const struct jail_ops *o);

/* netbpf.c: the cgroup socket programs enforcing ip4/ip6 (no vnet). */
struct bpf_object;

int net_bpf_attach(const struct jail_params *p, int cgfd);
int net_bpf_open(const unsigned char *img, size_t len, const void *cfg,
    size_t size, const char *what, struct bpf_object **ret);
int net_bpf_load_attach(struct bpf_object *obj, int cgfd, const char *what);

/* lsmbpf.c: the BPF LSM program: /proc/PID/mem, when asked. */
int lsm_bpf_note(struct jail *j);
int lsm_bpf_attach(const struct jail_params *p, int cgfd);

/* devctl.c: the device controller, what the jail's devfs shows. */
int devctl_start(const struct jail *j, const struct cg_join *cg);
int devctl_apply(const struct jail *j, const struct jail_ops *o);
int devctl_devfs_changed(int devfd);

/* kernfs.c: mountinfo, and the kernel's file systems in a jail's tree. */
struct mnt_info {
	uint64_t id, parent;
	dev_t dev;		/* the superblock's */
	char *root;		/* within its file system */
	char *mp;		/* the mount point, unescaped */
	char *fstype;
	char *source;
	bool ro;		/* the mount's own read-only flag */
};

int mnt_info_each(int dirfd, const char *file,
    int (*fn)(const struct mnt_info *m, void *arg), void *arg);
uint64_t mnt_id_of(int fd);
int mnt_open_beneath(int rootfd, const char *rel, int *ret_fd);
bool mnt_unreachable(int r);
void mnt_kernfs_record(int fd);
int mnt_kernfs_check(const char *path, int rootfd);

#endif
