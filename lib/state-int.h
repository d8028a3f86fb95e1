// SPDX-License-Identifier: BSD-2-Clause
/*
 * state-int.h: the registry's internals, shared by its files: state.c
 * (the public calls, the lock, the name links, writing an entry),
 * state-entry.c (one entry: its status line, its lock, whether it is
 * live), state-list.c (the list of every entry's state that jls reads)
 * and state-scan.c (reading every entry at once).  Nothing outside them
 * includes it.
 */
#ifndef GAOL_STATE_INT_H
#define GAOL_STATE_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "jail-int.h"

extern const char *const state_names[JS__MAX];

/*
 * An entry as a scan finds it: its jid and its directory's inode, from
 * the list or the directory; what /proc/locks shows of its lock; and then
 * what entry_check found.
 */
struct entry_ref {
	int jid;
	int held;	/* what /proc/locks shows of its lock (lockset_fill) */
	uint64_t ino;	/* of its directory */
	int r;		/* entry_check's result */
	bool live;
	bool gone;	/* stale, but its cgroup would not go: dying */
	const char *text; /* its state: the status line, '\n', parameters */
	size_t len;	/* of text */
	char *buf;	/* text's memory when read from its file, else NULL */
	char *uts;	/* its "uts" file when that counts, else NULL */
	bool skip;	/* not the jail a lookup wants (scan_collect) */
};

/* state.c */
bool is_jid(const char *s);
int open_rundir(void);
int state_unlink(int rundir, int jid, const char *name);

/* state-mode.c: who may read what. */
int registry_check(void);
int uts_make(int rundir, int jid);

/* state-entry.c: one entry. */
enum { LOCK_LIVE, LOCK_UTS };	/* the bytes of an entry's lock */

/*
 * How entry_check learns whether an entry's lock is held, beyond what
 * /proc/locks showed held (e->held): by asking the entry (root: an
 * F_OFD_GETLK on its directory); from e->held alone (an ordinary user,
 * who may not open an entry, with /proc/locks to be trusted); or from
 * its init's pid, start time and pidfs inode (an ordinary user without).
 */
enum entry_ask {
	ASK_ENTRY,
	ASK_HELD,
	ASK_PID,
	ASK__MAX,
	ASK__INVALID = -EINVAL,
};

/* uts/JID: the names an entry's jail set within, public (entry_check) */
#define UTS_DIR "uts"

const char *next_word(const char **s, size_t *len);
int entry_lock(int dirfd, off_t len);
void entry_drop(struct entry_ref *e);
int entry_check(int rundir, struct entry_ref *e, enum entry_ask ask);
int entry_load(int rundir, struct entry_ref *e);
int entry_read(int rundir, struct entry_ref *e);
int entry_parse(const struct entry_ref *e, struct jail *j);
int entry_settle(int rundir, struct entry_ref *e, bool reap);
int entry_get(int rundir, int jid, bool reap, struct jail **ret);

/* state-list.c: the list. */
#define LIST_FILE "list"
#define LIST_TMP ".list.tmp"
#define LIST_BUSY ".list.busy"
#define LIST_SLACK 65536

int write_iov(int fd, struct iovec *iov, int n);
int cmp_entry(const void *a, const void *b);
int list_parse(const char *m, size_t len, struct entry_ref **ret,
    size_t *ret_n);
int list_map(int fd, const char **ret, size_t *ret_len);
void list_unmap(const char *m, size_t len);
size_t list_size(const struct entry_ref *e, size_t n);
int list_write(int rundir, const struct entry_ref *e, size_t n);
int list_begin(int rundir, int *ret_fd);
void list_end(int rundir, int fd, int jid, uint64_t ino, const char *text,
    size_t len);

/* state-scan.c: every entry at once. */
struct scan {
	int rundir;
	struct entry_ref *e;
	size_t n;
	const char *map;	/* the list, mapped, or NULL: no list was read */
	size_t maplen;
	bool known;		/* lockset_fill: no entry needs a call */
	int listfd;		/* the list, open, or -1 */
	enum entry_ask ask;	/* how entry_check learns the rest */
	atomic_size_t next;
};

int registry_entries(int rundir, struct entry_ref **ret, size_t *ret_n,
    uint64_t *ret_lock_ino);
int scan_collect(int rundir, bool reap, const char *key, struct scan *s);
int scan_emit(struct scan *s, unsigned states, jail_fn fn, void *arg);
int scan_next(struct scan *s, size_t *i, unsigned states, struct jail **ret);
void scan_free(struct scan *s);
int list_rebuild(int rundir);

#endif
