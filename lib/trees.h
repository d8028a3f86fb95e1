// SPDX-License-Identifier: BSD-2-Clause
/*
 * trees.h: the host directories a jail's root user can write, and host
 * paths resolved so that no link it planted there is ever followed.
 *
 * A jail's root user writes its path (a thick root), its overlay's
 * upperdir= (a thin root) and every nullfs source it has read-write.  In
 * any of those trees it can replace a directory with a symbolic link to
 * "/" or to /etc, so a host process opening a path that runs through one
 * (a nullfs source, a mount.fstab file, a mount helper's mount point)
 * must not follow links there.  Never prints, never mounts.
 */
#ifndef GAOL_TREES_H
#define GAOL_TREES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "param.h"

struct conf;
struct jail;
struct jail_ops;

/* The trees' top directories, by identity (a link cannot fake one). */
struct tree_id {
	dev_t dev;
	ino_t ino;
};

struct trees {
	struct tree_id *v;
	size_t n;
};

#define TREES_INIT { NULL, 0 }

void trees_clear(struct trees *t);
int trees_add_fd(struct trees *t, int fd);
bool trees_has(const struct trees *t, const struct stat *st);

/*
 * What a jail's parameters let its root user write: path, an overlay's
 * upperdir=, the source of each read-write nullfs line (of mount, and of
 * mount.fstab when known is given, the file opened through known).
 * *ret_covered: a line mounts on path itself (path is then out of reach).
 */
int trees_of(const struct jail_params *p, const struct trees *known,
    struct strv *ret, bool *ret_covered);

/*
 * Every tree gaol knows: self's (NULL: none), every running or dying
 * jail's, those recorded for jails started since boot, and those of
 * conf's jails (NULL: the default jail.conf, if it reads).
 */
int trees_collect(const struct jail_params *self, const struct conf *conf,
    struct trees *ret);

/*
 * jail -c, before the jail's init is made: collect the trees (o->conf:
 * the jail.conf in use), record j's own for later starts, warn (unless
 * -q) about each of j's trees a host user other than root can reach, and
 * make t the set the init resolves mount sources with (trees_current).
 */
int trees_begin(const struct jail *j, const struct jail_ops *o,
    struct trees *t);
/*
 * The jail's path as written (absolute: the parameter's rule),
 * resolved as host_open does: refused where it runs through a link in a
 * tree a jail writes (path=/jails/a/sub with sub -> /etc planted by jail
 * a's root; realpath(3) would make /etc the new jail's root).  It must
 * lead to the directory real (its realpath) names.
 */
int trees_check_path(const struct trees *t, const char *written,
    const char *real);
/* The set trees_begin made, in the jail's init; NULL: none. */
struct trees *trees_current(void);
/* _cleanup_: t cleared, and no longer current. */
void trees_end(struct trees *t);

/* hostpath.c: resolving host paths against the trees. */
enum host_open_flag {
	HO_NOLINKS = 1 << 0,	/* no link and no ".." anywhere at all */
};

/*
 * Open the absolute host path (O_PATH, no trailing link) as the host
 * names it: links are followed outside t's trees; from a tree's top
 * down, a link or ".." is refused, naming it ("X: a symbolic link;
 * refusing WHAT inside a jail's root").  *ret_inside (may be NULL): the
 * result lies strictly below a tree's top.
 */
int host_open(const struct trees *t, const char *path, unsigned flags,
    const char *what, int *ret_fd, bool *ret_inside);

/* host_open's file, read-only, refused inside a tree; *ret a stream. */
int host_open_file(const struct trees *t, const char *path, FILE **ret);

/*
 * Whether a host user other than root can reach dir and run a set-user-ID
 * file in it: every directory from / down to dir searchable by others or
 * by a group other than root's (or owned by another user, who may chmod
 * it), on a file system mounted without nosuid.  fix receives the
 * directory above dir to close (chmod 700).
 */
int host_reachable(const char *dir, bool *ret, char *fix, size_t len);

#endif
