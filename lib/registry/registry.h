// SPDX-License-Identifier: BSD-2-Clause
/*
 * registry.h: the registry, /run/jail, gaol's stand-in for the kernel's
 * list of prisons, as the rest of libjail sees it: a jail as the registry
 * knows it (struct jail) and the calls that reserve, rewrite, find, list
 * and forget its entries; and the notes jail(8) prints about a jail.
 *
 * The registry reads, writes and locks files below /run/jail, and
 * nothing else: it never starts, signals or waits for a process, and
 * never touches a cgroup.  An entry whose jail died is handed out marked
 * gone (a dying jail); tearing it down is its caller's job, which then
 * calls registry_forget.
 */

#ifndef GAOL_REGISTRY_H
#define GAOL_REGISTRY_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

enum jail_state {
	JS_CREATING,	/* reserved by a jail -c still at work */
	JS_ACTIVE,
	JS_DYING,	/* jail -r at work, or its init dead (gone) */
	JS__MAX,
	JS__INVALID = -EINVAL,
};

/*
 * The cgroup controllers gaol uses: an entry records the v1 cgroup of
 * each (cgroup.c makes them).
 */
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

const char *cg_v1_name(enum cg_ctrl c);

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
	int lockfd;			/* creator only: entry lock, or -1 */
	bool locked;			/* the entry's lock tells it is live */
	int pidfd;			/* creator only: handle on init, or -1 */
	struct proc_ref spawner;	/* the jail's spawner (spawn.c), or 0 */
	bool gone;			/* init dead: to tear down, then forget */
	char *lent;			/* vnet.interface as lent, or NULL */
	struct jail_params params;	/* P_JID, P_NAME, P_PATH always set */
};

struct jail *jail_new(void);
void jail_free(struct jail *j);
void jail_freep(struct jail **j);
const char *jail_name(const struct jail *j);

typedef int (*jail_fn)(struct jail *j, void *arg);	/* owns j */

const char *registry_dir(void);		/* /run/jail */
int registry_make(void);		/* /run/jail, 0711 */
int registry_lock(int *ret_fd);
int registry_lock_uts(int dirfd);
int registry_reserve(struct jail *j);	/* lock, pick jid, check name, write */
int registry_commit(const struct jail *j);
int registry_remove(const struct jail *j);
int registry_forget(const struct jail *j);	/* a gone one, torn down */
int registry_find(const char *jid_or_name, struct jail **ret);
int registry_each(bool dying, jail_fn fn, void *arg);
int registry_list(bool dying, struct jail ***ret_v, size_t *ret_n);
void registry_list_free(struct jail **v, size_t n);
struct registry_walk;	/* registry_each's jails, one at a time, on demand */
int registry_walk_open(bool dying, struct registry_walk **ret);
int registry_walk_next(struct registry_walk *w, struct jail **ret);
void registry_walk_close(struct registry_walk *w);


/* note.c: what jail(8) prints ("NAME: created"); libjail never prints. */
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

#endif
