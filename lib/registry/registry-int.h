// SPDX-License-Identifier: BSD-2-Clause
/*
 * registry-int.h: the registry's internals, shared by the files of
 * lib/registry/ and by its unit test; nothing else includes it.
 *
 *   registry.c      the calls the rest of libjail makes (registry.h)
 *   entry-format.c  an entry's text: its status line and parameters
 *   entry.c         reading one entry, and whether it is live
 *   entry-write.c   writing and removing one entry
 *   lock.c          the registry lock and each entry's lock
 *   index.c         name links and the choice of a jid
 *   list.c          the list, every entry's text in one file
 *   scan.c          reading every entry at once
 *   lockset.c       every entry's lock from one read of /proc/locks
 *   mode.c          who may read what
 */
#ifndef GAOL_REGISTRY_INT_H
#define GAOL_REGISTRY_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "registry.h"

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
	bool gone;	/* dead: handed out to be torn down (entry_settle) */
	const char *text; /* the status line, '\n', parameters */
	size_t len;	/* of text */
	char *buf;	/* text's memory when read from its file, else NULL */
	char *uts;	/* its "uts" file when that counts, else NULL */
	bool skip;	/* not the jail a lookup wants (scan_collect) */
};

/* entry-format.c: an entry's text. */
extern const char *const jail_state_names[JS__MAX];

const char *next_word(const char **s, size_t *len);
int entry_status(struct jail *j, const char *s, bool paths);
int entry_format(const struct jail *j, char **ret, size_t *ret_len);
int entry_parse(const struct entry_ref *e, struct jail *j);

/* lock.c: the registry lock, and an entry's. */
enum { LOCK_LIVE, LOCK_UTS };	/* the bytes of an entry's lock */

int registry_open(int *ret_lock, int *ret_rundir);
int open_rundir(void);
int entry_lock(int dirfd, off_t len);
int entry_lock_get(int dirfd);

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

/* entry.c: reading one entry. */
void entry_drop(struct entry_ref *e);
int entry_check(int rundir, struct entry_ref *e, enum entry_ask ask);
int entry_load(int rundir, struct entry_ref *e);
int entry_read(int rundir, struct entry_ref *e);
int entry_settle(struct entry_ref *e, bool dead_ok);
int entry_get(int rundir, int jid, struct jail **ret);

/* entry-write.c: writing one entry. */
int write_iov(int fd, struct iovec *iov, int n);
#define SPARE_DIR ".spare"	/* the directory of the last entry removed */

int entry_dir_make(int rundir, const char *name);
int entry_write(int rundir, const struct jail *j);
int entry_unlink(int rundir, int jid, const char *name, bool spare);

/* index.c: name links, jids. */
bool is_jid(const char *s);
int index_set(int rundir, const char *name, int jid);
void index_del(int rundir, const char *name, int jid);
int index_lookup(int rundir, const char *name);
int index_ensure(int rundir);
int assign_ids(int rundir, struct jail *j);

/* mode.c: who may read what. */
int registry_check(void);
int uts_make(int rundir, int jid);

/* list.c: the list. */
#define LIST_FILE "list"
#define LIST_TMP ".list.tmp"
#define LIST_BUSY ".list.busy"
#define LIST_SLACK 16384

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

/* scan.c: every entry at once. */
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
int scan_collect(int rundir, bool locked, const char *key, struct scan *s);
int scan_emit(struct scan *s, unsigned states, jail_fn fn, void *arg);
int scan_next(struct scan *s, size_t *i, unsigned states, struct jail **ret);
void scan_free(struct scan *s);
int list_rebuild(int rundir);

/* lockset.c: which entries /proc/locks shows held. */
#define LOCKSET_MIN 16		/* entries from which /proc/locks is cheaper */

bool lockset_root(int rundir, uint64_t lock_ino, struct entry_ref *e,
    size_t n);
enum entry_ask lockset_user(struct scan *s);

#endif
