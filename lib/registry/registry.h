// SPDX-License-Identifier: BSD-2-Clause
/*
 * registry.h: the jails this host has, as /run/jail records them: the
 * jail record (struct jail), its entry, the lock that tells it live, the
 * list jls reads, and the notes jail(8) prints about a jail.
 */
#ifndef GAOL_REGISTRY_H
#define GAOL_REGISTRY_H

#include <stdarg.h>

#include "conf/conf.h"

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

#define UTS_FILE "uts"		/* in the entry's directory: the names set */
#define UTS_RECORD 256		/* its size: both names, NUL-padded */

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

/* cgroup.c: a jail's v1 cgroup directories in its registry entry. */
int cg_v1_format(const struct jail *j, char *buf, size_t len);
int cg_v1_parse(struct jail *j, const char *word, size_t len);
int cg_destroy(struct jail *j, int wait_ms);

#endif
