// SPDX-License-Identifier: BSD-2-Clause
/*
 * fs.h: the file systems of a jail: paths resolved beneath a root and
 * never through a jail's links, the trees jails can write, mounts,
 * fstab(5), devfs(5) and its rules, mountinfo.
 */
#ifndef GAOL_FS_H
#define GAOL_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "registry/registry.h"

#define DEVFS_RULE_DEPTH 1	/* FreeBSD's vfs.devfs.rule_depth */
#define DEVFS_RULESET_JAIL 4	/* devfsrules_jail: mount.devfs's default */
#define DEVFS_NUM_MAX 65535	/* rule and ruleset numbers are 16 bits */

enum devfs_cond {
	DRC_PATH = 1 << 0,	/* path PATTERN */
	DRC_TYPE = 1 << 1,	/* type disk|mem|tape|tty */
};

enum devfs_devtype {
	DEVT_DISK = 1 << 0,
	DEVT_MEM = 1 << 1,
	DEVT_TAPE = 1 << 2,
	DEVT_TTY = 1 << 3,
};

enum devfs_act {
	DRA_HIDE = 1 << 0,
	DRA_UNHIDE = 1 << 1,
	DRA_UID = 1 << 2,
	DRA_GID = 1 << 3,
	DRA_MODE = 1 << 4,
	DRA_INCLUDE = 1 << 5,
};

struct devfs_rule {
	unsigned num;		/* 1..DEVFS_NUM_MAX; 0 while unnumbered */
	unsigned cond;		/* enum devfs_cond */
	unsigned types;		/* enum devfs_devtype, with DRC_TYPE */
	char *pattern;		/* with DRC_PATH: fnmatch(3), FNM_PATHNAME */
	unsigned acts;		/* enum devfs_act */
	uid_t uid;
	gid_t gid;
	mode_t mode;		/* permission bits only */
	unsigned incset;	/* with DRA_INCLUDE */
};

struct devfs_ruleset {
	unsigned num;
	struct devfs_rule *v;	/* sorted by num */
	size_t n;
};

/* Every ruleset of the host, sorted by number. */
struct devfs_rules {
	struct devfs_ruleset *v;
	size_t n;
	int lockfd;		/* held while loaded for change, or -1 */
};

/* devfs-rule.c */
int devfs_num_parse(const char *s, unsigned *ret);
int devfs_rule_parse(char *const *argv, size_t argc, struct devfs_rule *ret);
int devfs_rule_parse_line(const char *line, struct devfs_rule *ret);
char *devfs_rule_format(const struct devfs_rule *r);
void devfs_rule_clear(struct devfs_rule *r);

/* devfs-rule.c, for devfs-store.c: words of a line, the store's form. */
struct strv;
int devfs_split(const char *line,
    int (*var)(void *arg, const char *name, size_t len, unsigned *ret),
    void *arg, struct strv *ret);
int devfs_rule_parse_stored(char *const *argv, size_t argc,
    struct devfs_rule *ret);
char *devfs_rule_format_stored(const struct devfs_rule *r);

/* devfs-store.c */
int devfs_rules_load(bool for_change, struct devfs_rules *ret);
int devfs_rules_defaults(struct devfs_rules *rs, const char *local);
int devfs_rules_save(struct devfs_rules *rs);
void devfs_rules_free(struct devfs_rules *rs);
const struct devfs_ruleset *devfs_ruleset_find(const struct devfs_rules *rs,
    unsigned num);
int devfs_rules_add(struct devfs_rules *rs, unsigned set,
    struct devfs_rule *r);
int devfs_rules_del(struct devfs_rules *rs, unsigned set, unsigned num);
int devfs_rules_delset(struct devfs_rules *rs, unsigned set);

/* devfs.c */
int devfs_mount_at(int dirfd, unsigned ruleset, unsigned long flags);
int devfs_open(const char *mountpoint, int *ret_fd);
bool devfs_is(int fd);
int devfs_get_ruleset(int devfd, unsigned *ret);
int devfs_set_ruleset(int devfd, unsigned ruleset);
int devfs_apply_set(int devfd, const struct devfs_rules *rs, unsigned set);
int devfs_apply_rule(int devfd, const struct devfs_rules *rs,
    const struct devfs_rule *r);
bool devfs_ruled(int fd);
int devfs_ruleset_devices(unsigned set, int (*fn)(void *arg, mode_t type,
    dev_t rdev), void *arg);

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
