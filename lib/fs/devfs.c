// SPDX-License-Identifier: BSD-2-Clause
/*
 * devfs.c: a devfs for Linux, and what applying devfs(8) rules does to it.
 *
 * A devfs is a tmpfs mounted with the source name "devfs".  What it may
 * hold (its universe) is every device node and directory of the host's
 * /dev, plus entries of its own: a private devpts instance on pts (so the
 * jail's PTYs are its own and the host's stay invisible) with ptmx
 * linking into it, a tmpfs on shm, and fd, stdin, stdout, stderr and log
 * links.  A node is visible when it exists in the tmpfs; hiding removes
 * it, unhiding creates it again with the host's numbers.  Rules run on
 * the universe in memory (FreeBSD's devfs_rule.c semantics: rule by
 * rule, later ones win, includes one level deep); only the difference is
 * then made on the tmpfs.
 *
 * A devfs mounted on the host may have been changed since by a jail's
 * root, so every path in it is opened beneath its root with no symlink
 * followed: a jail must not turn "devfs rule applyset" into a mknod or
 * chmod on the host.  Never creates a node the host's /dev lacks.
 */
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fs/fs.h"

#define DEVFS_SOURCE "devfs"
#define DEVFS_XATTR "trusted.devfs.ruleset"
#define DEVFS_XATTR_RULED "trusted.devfs.ruled"	/* rules were applied */
#define HOST_DEV "/dev"
#define WALK_DEPTH 8

enum node_kind {
	NK_HOST,	/* a node of the host's /dev */
	NK_LINK,	/* one of the devfs's own links */
	NK_DEVPTS,	/* pts: a devpts instance */
	NK_SHM,		/* shm: a tmpfs */
};

struct devfs_node {
	char *path;		/* relative to the devfs root */
	enum node_kind kind;
	mode_t mode;		/* S_IFMT | permission bits */
	uid_t uid;
	gid_t gid;
	dev_t rdev;
	const char *target;	/* NK_LINK */
	bool hidden;
	bool present;		/* in the tmpfs now */
};

struct devfs_tree {
	struct devfs_node *v;
	size_t n, cap;
};

/* The devfs's own entries, in the order they are made. */
static const struct {
	const char *path;
	enum node_kind kind;
	mode_t mode;
	const char *target;
} own_nodes[] = {
	{ "fd", NK_LINK, S_IFLNK | 0777, "/proc/self/fd" },
	{ "stdin", NK_LINK, S_IFLNK | 0777, "/proc/self/fd/0" },
	{ "stdout", NK_LINK, S_IFLNK | 0777, "/proc/self/fd/1" },
	{ "stderr", NK_LINK, S_IFLNK | 0777, "/proc/self/fd/2" },
	{ "log", NK_LINK, S_IFLNK | 0777, "/run/systemd/journal/dev-log" },
	{ "pts", NK_DEVPTS, S_IFDIR | 0755, NULL },
	{ "ptmx", NK_LINK, S_IFLNK | 0777, "pts/ptmx" },
	{ "shm", NK_SHM, S_IFDIR | 01777, NULL },
};

static void
tree_free(struct devfs_tree *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].path);
	free(t->v);
	*t = (struct devfs_tree){ NULL, 0, 0 };
}

static struct devfs_node *
tree_add(struct devfs_tree *t, const char *path)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct devfs_node *v = reallocarray(t->v, cap, sizeof(*v));

		if (v == NULL)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n] = (struct devfs_node){ .path = strdup(path) };
	if (t->v[t->n].path == NULL)
		return NULL;
	return &t->v[t->n++];
}

static bool
is_own(const char *path)
{
	for (size_t i = 0; i < nitems(own_nodes); i++)
		if (strcmp(own_nodes[i].path, path) == 0)
			return true;
	return false;
}

static int walk_host(struct devfs_tree *t, int dirfd, const char *prefix,
    dev_t devdev, int depth);

/* One entry of the host's /dev: devices and directories, not mounts. */
static int
walk_entry(struct devfs_tree *t, int dirfd, const char *name,
    const char *prefix, dev_t devdev, int depth)
{
	char path[PATH_MAX];
	struct devfs_node *n;
	struct stat st;

	(void)snprintf(path, sizeof(path), "%s%s", prefix, name);
	if ((*prefix == '\0' && is_own(path)) ||
	    fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode) &&
	    !(S_ISDIR(st.st_mode) && st.st_dev == devdev))
		return 0;	/* links, sockets, files; mounts (pts, shm) */
	n = tree_add(t, path);
	if (n == NULL)
		return -ENOMEM;
	n->kind = NK_HOST;
	n->mode = st.st_mode;
	n->uid = st.st_uid;
	n->gid = st.st_gid;
	n->rdev = st.st_rdev;
	if (S_ISDIR(st.st_mode) && depth < WALK_DEPTH) {
		_cleanup_close_ int sub = openat(dirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		(void)snprintf(path, sizeof(path), "%s%s/", prefix, name);
		if (sub >= 0)
			return walk_host(t, sub, path, devdev, depth + 1);
	}
	return 0;
}

/* Every device and directory below dirfd, parents before children. */
static int
walk_host(struct devfs_tree *t, int dirfd, const char *prefix, dev_t devdev,
    int depth)
{
	struct dirent **names = NULL;
	int n, r = 0;

	n = scandirat(dirfd, ".", &names, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (r >= 0 && strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
			r = walk_entry(t, dirfd, name, prefix, devdev, depth);
		free(names[i]);
	}
	free(names);
	return r;
}

/* The universe: own entries first, then the host's /dev, all visible. */
static int
tree_build(struct devfs_tree *t)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	for (size_t i = 0; i < nitems(own_nodes); i++) {
		struct devfs_node *n = tree_add(t, own_nodes[i].path);

		if (n == NULL)
			return jail_seterr(-ENOMEM, "out of memory");
		n->kind = own_nodes[i].kind;
		n->mode = own_nodes[i].mode;
		n->target = own_nodes[i].target;
	}
	fd = open(HOST_DEV, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		return jail_syserr(-errno, "%s", HOST_DEV);
	r = walk_host(t, fd, "", st.st_dev, 0);
	if (r < 0)
		return jail_syserr(r, "%s", HOST_DEV);
	return 0;
}

/* FreeBSD's device types, by Linux major number. */
static unsigned
node_types(const struct devfs_node *n)
{
	unsigned maj = major(n->rdev);

	if (S_ISBLK(n->mode))
		return DEVT_DISK;
	if (!S_ISCHR(n->mode))
		return 0;
	if (maj == 1)
		return DEVT_MEM;
	if (maj == 4 || maj == 5 || (maj >= 136 && maj <= 143) ||
	    maj == 188 || maj == 204)
		return DEVT_TTY;
	if (maj == 9 || maj == 37)
		return DEVT_TAPE;
	return 0;
}

static bool
rule_matches(const struct devfs_rule *r, const struct devfs_node *n)
{
	if ((r->cond & DRC_TYPE) && (node_types(n) & r->types) == 0)
		return false;
	if ((r->cond & DRC_PATH) &&
	    fnmatch(r->pattern, n->path, FNM_PATHNAME) != 0)
		return false;
	return true;
}

/* devfs_rule_run(): one rule on one node; an include runs its set there. */
static void
rule_run(const struct devfs_rules *rs, const struct devfs_rule *r,
    struct devfs_node *n, unsigned depth)
{
	const struct devfs_ruleset *inc;

	if (!rule_matches(r, n))
		return;
	if (r->acts & DRA_HIDE)
		n->hidden = true;
	if (r->acts & DRA_UNHIDE)
		n->hidden = false;
	if (r->acts & DRA_UID)
		n->uid = r->uid;
	if (r->acts & DRA_GID)
		n->gid = r->gid;
	if (r->acts & DRA_MODE)
		n->mode = (n->mode & S_IFMT) | (r->mode & 07777);
	if ((r->acts & DRA_INCLUDE) && depth > 0 &&
	    (inc = devfs_ruleset_find(rs, r->incset)) != NULL)
		for (size_t i = 0; i < inc->n; i++)
			rule_run(rs, &inc->v[i], n, depth - 1);
}

static void
tree_apply_rule(struct devfs_tree *t, const struct devfs_rules *rs,
    const struct devfs_rule *r)
{
	for (size_t i = 0; i < t->n; i++)
		rule_run(rs, r, &t->v[i], DEVFS_RULE_DEPTH);
}

/* Whether n or a directory above it is hidden. */
static bool
tree_hidden(const struct devfs_tree *t, const struct devfs_node *n)
{
	size_t len = strlen(n->path);

	if (n->hidden)
		return true;
	for (const struct devfs_node *p = t->v; p < n; p++) {
		size_t pl = strlen(p->path);

		if (p->hidden && pl < len && n->path[pl] == '/' &&
		    strncmp(p->path, n->path, pl) == 0)
			return true;
	}
	return false;
}

/* Split path into its parent (opened beneath devfd) and its last name. */
static int
open_parent(int devfd, const char *path, const char **ret_name)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd = -1;

	*ret_name = slash ? slash + 1 : path;
	if (slash == NULL) {
		fd = fcntl(devfd, F_DUPFD_CLOEXEC, 3);
		return fd < 0 ? -errno : fd;
	}
	(void)snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	int r = resolve_beneath(devfd, dir, &fd);

	return r < 0 ? r : fd;
}

/* What of the universe the tmpfs holds now, with its owners and modes. */
static void
tree_scan(struct devfs_tree *t, int devfd)
{
	for (size_t i = 0; i < t->n; i++) {
		struct devfs_node *n = &t->v[i];
		_cleanup_close_ int dfd = -1;
		const char *name;
		struct stat st;

		n->hidden = true;
		dfd = open_parent(devfd, n->path, &name);
		if (dfd < 0 || fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		n->hidden = false;
		n->present = true;
		if ((st.st_mode & S_IFMT) != (n->mode & S_IFMT))
			continue;	/* not ours: left alone */
		n->mode = st.st_mode;
		n->uid = st.st_uid;
		n->gid = st.st_gid;
	}
}

/* A new mount of type on name beneath dfd (fsopen: no path is followed). */
static int
mount_sub(int dfd, const char *name, const char *type, const char *opts)
{
	_cleanup_close_ int fs = -1, mnt = -1, to = -1;
	_cleanup_free_ char *copy = strdup(opts);
	char *save = NULL;

	if (copy == NULL)
		return -ENOMEM;
	fs = fsopen(type, FSOPEN_CLOEXEC);
	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "source", type, 0) < 0)
		return -errno;
	for (char *o = strtok_r(copy, ",", &save); o != NULL;
	     o = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(o, '=');

		if (eq != NULL)
			*eq++ = '\0';
		if (fsconfig(fs, eq ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG,
			o, eq, 0) < 0)
			return -errno;
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -errno;
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID |
	    MOUNT_ATTR_NOEXEC | (strcmp(type, "devpts") == 0 ? 0 :
	    MOUNT_ATTR_NODEV));
	to = openat(dfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (mnt < 0 || to < 0)
		return -errno;
	if (move_mount(mnt, "", to, "", MOVE_MOUNT_F_EMPTY_PATH |
		MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return -errno;
	return 0;
}

/* Remove name beneath dfd and all below it, following no symlink. */
static int
remove_tree(int dfd, const char *name)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *e;
	int fd;

	if (unlinkat(dfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -errno;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);	/* owns fd from here */
	if (d == NULL) {
		(void)close(fd);
		return -ENOMEM;
	}
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			(void)remove_tree(dirfd(d), e->d_name);
	return unlinkat(dfd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

/* Hide n: take it (and what is below it) out of the tmpfs. */
static int
node_remove(int devfd, const struct devfs_node *n)
{
	_cleanup_close_ int dfd = -1, fd = -1;
	const char *name;
	char path[64];

	dfd = open_parent(devfd, n->path, &name);
	if (dfd < 0)
		return dfd == -ENOENT ? 0 : dfd;
	if (n->kind == NK_DEVPTS || n->kind == NK_SHM) {
		fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (fd >= 0 && umount2(path, MNT_DETACH) < 0 &&
		    errno != EINVAL)
			return -errno;
	}
	return remove_tree(dfd, name);
}

/* Unhide n: make it in the tmpfs as the host (or the devfs) has it. */
static int
node_create(int devfd, const struct devfs_node *n)
{
	_cleanup_close_ int dfd = -1;
	const char *name;
	int r = 0;

	dfd = open_parent(devfd, n->path, &name);
	if (dfd < 0)
		return dfd;
	if (S_ISLNK(n->mode))
		r = symlinkat(n->target, dfd, name);
	else if (S_ISDIR(n->mode))
		r = mkdirat(dfd, name, 0700);
	else
		r = mknodat(dfd, name, (n->mode & S_IFMT) | 0600, n->rdev);
	if (r < 0)
		return -errno;
	if (n->kind == NK_DEVPTS)
		return mount_sub(dfd, name, "devpts",
		    "newinstance,ptmxmode=0666,mode=0620,gid=5");
	if (n->kind == NK_SHM)
		return mount_sub(dfd, name, "tmpfs", "mode=1777");
	return 0;
}

/* Give n its owner and mode; a link keeps its mode. */
static int
node_attrs(int devfd, const struct devfs_node *n)
{
	_cleanup_close_ int dfd = -1, fd = -1;
	const char *name;
	char path[64];
	struct stat st;

	dfd = open_parent(devfd, n->path, &name);
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	if ((st.st_mode & S_IFMT) != (n->mode & S_IFMT))
		return 0;	/* not ours: left alone */
	if ((st.st_uid != n->uid || st.st_gid != n->gid) &&
	    fchownat(fd, "", n->uid, n->gid,
		AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (S_ISLNK(st.st_mode) || (st.st_mode & 07777) == (n->mode & 07777))
		return 0;
	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return chmod(path, n->mode & 07777) < 0 ? -errno : 0;
}

/* Make the tmpfs hold what the tree says: removals deepest first. */
static int
tree_realize(const struct devfs_tree *t, int devfd)
{
	int r;

	for (size_t i = t->n; i-- > 0;) {
		const struct devfs_node *n = &t->v[i];

		if (n->present && tree_hidden(t, n) &&
		    (r = node_remove(devfd, n)) < 0)
			return jail_syserr(r, "devfs: hide %s", n->path);
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct devfs_node *n = &t->v[i];

		if (tree_hidden(t, n))
			continue;
		if (!n->present && (r = node_create(devfd, n)) < 0)
			return jail_syserr(r, "devfs: unhide %s", n->path);
		if ((r = node_attrs(devfd, n)) < 0)
			return jail_syserr(r, "devfs: %s", n->path);
	}
	return 0;
}

/*
 * Rules were applied to the devfs devfd: it shows what they leave, not
 * every host node (devctl.c takes its nodes as the jail's devices only
 * then).  A trusted.* attribute: only CAP_SYS_ADMIN, never a jail's,
 * sets or changes one.
 */
static int
devfs_mark_ruled(int devfd)
{
	char path[64];

	if (devfs_ruled(devfd))
		return 0;
	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", devfd);
	if (setxattr(path, DEVFS_XATTR_RULED, "1", 1, 0) < 0)
		return jail_syserr(-errno, "devfs: mark the rules applied");
	return 0;
}

/* Whether rules were ever applied to the devfs fd (O_PATH will do). */
bool
devfs_ruled(int fd)
{
	char path[64], v;

	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return getxattr(path, DEVFS_XATTR_RULED, &v, 1) == 1;
}

/*
 * The host's devices a fresh devfs under ruleset set would show: fn
 * gets each node's type (S_IFCHR or S_IFBLK) and number.
 */
int
devfs_ruleset_devices(unsigned set, int (*fn)(void *arg, mode_t type,
    dev_t rdev), void *arg)
{
	struct devfs_rules rs = { NULL, 0, -1 };
	struct devfs_tree t = { NULL, 0, 0 };
	const struct devfs_ruleset *s = NULL;
	int r = devfs_rules_load(false, &rs);

	if (r >= 0 && (s = devfs_ruleset_find(&rs, set)) == NULL)
		r = jail_seterr(-ESRCH, "ruleset %u does not exist", set);
	if (r >= 0)
		r = tree_build(&t);
	for (size_t i = 0; r >= 0 && i < s->n; i++)
		tree_apply_rule(&t, &rs, &s->v[i]);
	for (size_t i = 0; r >= 0 && i < t.n; i++) {
		const struct devfs_node *n = &t.v[i];

		if (n->kind == NK_HOST && (S_ISCHR(n->mode) ||
		    S_ISBLK(n->mode)) && !tree_hidden(&t, n))
			r = fn(arg, n->mode & S_IFMT, n->rdev);
	}
	tree_free(&t);
	devfs_rules_free(&rs);
	return r;
}

/* The rules of set (all of them, or the one rule r) over the tmpfs. */
static int
devfs_run(int devfd, const struct devfs_rules *rs, unsigned set,
    const struct devfs_rule *r, bool fresh)
{
	struct devfs_tree t = { NULL, 0, 0 };
	const struct devfs_ruleset *s = NULL;
	int ret;

	if (r == NULL && set != 0 && (s = devfs_ruleset_find(rs, set)) == NULL)
		return jail_seterr(-ESRCH, "ruleset %u does not exist", set);
	ret = tree_build(&t);
	if (ret >= 0) {
		if (!fresh)
			tree_scan(&t, devfd);
		for (size_t i = 0; s != NULL && i < s->n; i++)
			tree_apply_rule(&t, rs, &s->v[i]);
		if (r != NULL)
			tree_apply_rule(&t, rs, r);
		ret = tree_realize(&t, devfd);
	}
	tree_free(&t);
	if (ret >= 0 && (s != NULL || r != NULL))
		ret = devfs_mark_ruled(devfd);
	return ret;
}

/*
 * Rules applied to a devfs that running jails may see: the caller tells
 * their device controllers (devctl_apply_set, devctl_apply_rule).
 */
int
devfs_apply_set(int devfd, const struct devfs_rules *rs, unsigned set)
{
	return devfs_run(devfd, rs, set, NULL, false);
}

int
devfs_apply_rule(int devfd, const struct devfs_rules *rs,
    const struct devfs_rule *r)
{
	if ((r->acts & DRA_INCLUDE) && !devfs_ruleset_find(rs, r->incset))
		return jail_seterr(-ESRCH, "ruleset %u does not exist",
		    r->incset);
	return devfs_run(devfd, rs, 0, r, false);
}

/* The mount's current ruleset ("devfs ruleset N"), kept in an xattr. */
int
devfs_get_ruleset(int devfd, unsigned *ret)
{
	char path[64], buf[16];
	ssize_t len;

	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", devfd);
	len = getxattr(path, DEVFS_XATTR, buf, sizeof(buf) - 1);
	if (len < 0) {
		*ret = 0;
		return errno == ENODATA || errno == EOPNOTSUPP ? 0 :
		    jail_syserr(-errno, "devfs: ruleset");
	}
	buf[len] = '\0';
	*ret = (unsigned)strtoul(buf, NULL, 10);
	return 0;
}

int
devfs_set_ruleset(int devfd, unsigned ruleset)
{
	char path[64], buf[16];

	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", devfd);
	(void)snprintf(buf, sizeof(buf), "%u", ruleset);
	if (setxattr(path, DEVFS_XATTR, buf, strlen(buf), 0) < 0)
		return jail_syserr(-errno, "devfs: ruleset %u", ruleset);
	return 0;
}

/* A tmpfs named devfs, not yet attached: filled before anyone sees it. */
static int
devfs_new(unsigned long flags, int *ret_fd)
{
	_cleanup_close_ int fs = -1;
	unsigned attr = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC;
	int fd;

	fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return jail_syserr(-errno, "devfs: tmpfs");
	if (fsconfig(fs, FSCONFIG_SET_STRING, "source", DEVFS_SOURCE, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "mode", "0755", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return jail_syserr(-errno, "devfs: tmpfs");
	if (flags & MS_NOATIME)
		attr |= MOUNT_ATTR_NOATIME;
	fd = fsmount(fs, FSMOUNT_CLOEXEC, attr);
	if (fd < 0)
		return jail_syserr(-errno, "devfs: tmpfs");
	*ret_fd = fd;
	return 0;
}

/*
 * Mount a devfs on the directory dirfd refers to, holding what ruleset
 * (0: none, everything) leaves visible.  A failure takes it away again:
 * nothing half-made stays mounted.
 */
int
devfs_mount_at(int dirfd, unsigned ruleset, unsigned long flags)
{
	struct devfs_rules rs = { NULL, 0, -1 };
	_cleanup_close_ int mfd = -1;
	int r;

	r = devfs_rules_load(false, &rs);
	if (r >= 0 && ruleset != 0 && !devfs_ruleset_find(&rs, ruleset))
		r = jail_seterr(-ESRCH, "ruleset %u does not exist",
		    ruleset);
	if (r >= 0)
		r = devfs_new(flags, &mfd);
	if (r >= 0 && move_mount(mfd, "", dirfd, "", MOVE_MOUNT_F_EMPTY_PATH |
		MOVE_MOUNT_T_EMPTY_PATH) < 0)
		r = jail_syserr(-errno, "devfs: mount");
	if (r >= 0 && ruleset != 0)
		r = devfs_set_ruleset(mfd, ruleset);
	if (r >= 0)
		r = devfs_run(mfd, &rs, ruleset, NULL, true);
	if (r >= 0 && (flags & MS_RDONLY) &&
	    mount_setattr(mfd, "", AT_EMPTY_PATH, &(struct mount_attr){
		.attr_set = MOUNT_ATTR_RDONLY }, sizeof(struct mount_attr)) < 0)
		r = jail_syserr(-errno, "devfs: read-only");
	if (r < 0 && mfd >= 0) {
		char path[64];

		(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", mfd);
		(void)umount2(path, MNT_DETACH);
	}
	devfs_rules_free(&rs);
	return r;
}

/* Whether fd is the root of a devfs (a tmpfs named devfs). */
bool
devfs_is(int fd)
{
	return mnt_is_root_of(fd, "tmpfs", DEVFS_SOURCE);
}

/* Open mountpoint, which must be a devfs's root, for the rules. */
int
devfs_open(const char *mountpoint, int *ret_fd)
{
	_cleanup_close_ int fd = -1;

	fd = open(mountpoint, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return jail_syserr(-errno, "%s", mountpoint);
	if (!devfs_is(fd))
		return jail_seterr(-EINVAL, "%s: not a devfs mount point",
		    mountpoint);
	*ret_fd = TAKE_FD(fd);
	return 0;
}
