// SPDX-License-Identifier: BSD-2-Clause
/*
 * trees.c: the host directories jails' root users can write -- their
 * paths, overlay layers and read-write nullfs sources -- as gaol knows
 * them: from the jail being made, the registry (running and dying
 * jails), the jail.conf in use, and /run/jail/roots, where every jail -c
 * records its own trees, so that they stay known after the jail is gone
 * (until reboot, when /run is emptied).
 *
 * Owns the collection of that set, the record, the warning of jail -c
 * about trees a host user can reach, and the set a jail's init resolves
 * mount sources with.  A tree is known by its top directory's device and
 * inode, the path opened through the trees found before it (add_paths).
 * Never mounts, never prints but through the caller's warn hook.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "fs/fs.h"

#define TREES_RECORD JAIL_RUNDIR "/roots"
#define TREES_RECORD_MAX ((size_t)4 << 20)	/* a larger one is not read */

void
trees_clear(struct trees *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

bool
trees_has(const struct trees *t, const struct stat *st)
{
	for (size_t i = 0; t != NULL && i < t->n; i++)
		if (t->v[i].dev == st->st_dev && t->v[i].ino == st->st_ino)
			return true;
	return false;
}

static int
trees_add_stat(struct trees *t, const struct stat *st)
{
	struct tree_id *v;

	if (!S_ISDIR(st->st_mode) || trees_has(t, st))
		return 0;
	v = realloc(t->v, (t->n + 1) * sizeof(*v));
	if (v == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	t->v = v;
	t->v[t->n++] = (struct tree_id){ st->st_dev, st->st_ino };
	return 0;
}

int
trees_add_fd(struct trees *t, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return jail_syserr(-errno, "fstat");
	return trees_add_stat(t, &st);
}

static int
push_unique(struct strv *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 0;
	return strv_push(l, s) < 0 ? jail_seterr(-ENOMEM, "out of memory") : 0;
}

/* An overlay's upperdir=, or NULL. */
static const char *
upperdir(char *data)
{
	char *save = NULL;

	for (char *o = strtok_r(data, ",", &save); o != NULL;
	     o = strtok_r(NULL, ",", &save))
		if (strncmp(o, "upperdir=", 9) == 0)
			return o + 9;
	return NULL;
}

/* One fstab line: what it makes writable into ret; on path: covered. */
static int
line_trees(const char *path, const char *line, struct strv *ret,
    bool *covered)
{
	struct mnt_opts o = MNT_OPTS_INIT;
	struct fstab_ent e = { 0 };
	_cleanup_free_ char *rel = NULL;
	const char *up;
	int r = 0;

	if (fstab_parse_line(line, &e) <= 0)
		return 0;	/* the mount itself will report it */
	if (mnt_opts_parse(e.vfstype, e.mntops, false, &o) < 0 || o.noauto ||
	    mnt_rel_below(path, e.file, &rel) < 0)
		goto out;
	if (strcmp(rel, ".") == 0)
		*covered = true;
	if (strcmp(e.vfstype, "nullfs") == 0 && (o.flags & MS_RDONLY) == 0)
		r = push_unique(ret, e.spec);
	else if (strcmp(e.vfstype, "overlay") == 0 && o.data != NULL &&
	    (up = upperdir(o.data)) != NULL)
		r = push_unique(ret, up);
out:
	mnt_opts_clear(&o);
	fstab_ent_clear(&e);
	return r;
}

/* mount.fstab's lines, the file opened through known; unreadable: none. */
static int
fstab_trees(const char *path, const char *file, const struct trees *known,
    struct strv *ret, bool *covered)
{
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	int r = 0;

	if (host_open_file(known, file, &f) < 0)
		return 0;	/* the jail's init will report it */
	while (r >= 0 && getline(&line, &cap, f) >= 0)
		r = line_trees(path, line, ret, covered);
	return r;
}

int
trees_of(const struct jail_params *p, const struct trees *known,
    struct strv *ret, bool *ret_covered)
{
	const char *path = param_str(p, P_PATH);
	const char *file = param_str(p, P_MOUNT_FSTAB);
	const struct strv *l = param_list(p, P_MOUNT);
	bool covered = false;
	int r = 0;

	if (path == NULL || *path != '/')
		return 0;
	r = push_unique(ret, path);
	for (size_t i = 0; r >= 0 && l != NULL && i < l->n; i++)
		r = line_trees(path, l->v[i], ret, &covered);
	if (r >= 0 && known != NULL && file != NULL && *file != '\0')
		r = fstab_trees(path, file, known, ret, &covered);
	if (ret_covered != NULL)
		*ret_covered = covered;
	return r;
}

/* The record's paths (NUL-terminated each) added to ret; none: 0. */
static int
record_read(struct strv *ret)
{
	_cleanup_close_ int fd = open(TREES_RECORD, O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t got = 0;
	int r = 0;

	if (fd < 0)
		return errno == ENOENT ? 0 : jail_syserr(-errno, TREES_RECORD);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return jail_seterr(-EINVAL, TREES_RECORD ": not a file");
	/* some 70,000 paths: refused rather than half read */
	if ((size_t)st.st_size > TREES_RECORD_MAX)
		return jail_seterr(-EFBIG, TREES_RECORD ": over 4 MB; remove "
		    "it while no jail runs");
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	/* a record not yet ended (being written) is left out */
	for (size_t i = 0; r >= 0 && i < got; i += strlen(buf + i) + 1)
		if (memchr(buf + i, '\0', got - i) != NULL)
			r = push_unique(ret, buf + i);
	return r;
}

/*
 * Is a recorded path gone from the host?  Only a missing directory
 * counts.  A jail can make a path vanish only below a tree of its own,
 * which stays recorded (a jail cannot remove its root or a mount's top),
 * so what lies under it stays known without its own line; a path no jail
 * can write above vanishes only by the host's hand.
 */
static bool
record_gone(const char *path)
{
	struct stat st;

	return fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
	    (errno == ENOENT || errno == ENOTDIR);
}

/* l's paths from the from-th on, each NUL-terminated, to fd (file). */
static int
record_put(int fd, const struct strv *l, size_t from, const char *file)
{
	for (size_t i = from; i < l->n; i++) {
		size_t len = strlen(l->v[i]) + 1;
		ssize_t w = write(fd, l->v[i], len);

		if (w < 0)
			return jail_syserr(-errno, "%s", file);
		if ((size_t)w != len)
			return jail_seterr(-EIO, "%s: short write", file);
	}
	return 0;
}

/* Write the record anew with keep's paths, atomically. */
static int
record_rewrite(const struct strv *keep)
{
	static const char tmp[] = TREES_RECORD ".new";
	_cleanup_close_ int fd = -1;
	int r = 0;

	if (unlink(tmp) < 0 && errno != ENOENT)
		return jail_syserr(-errno, "%s", tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0)
		return jail_syserr(-errno, "%s", tmp);
	r = record_put(fd, keep, 0, tmp);
	if (r >= 0 && rename(tmp, TREES_RECORD) < 0)
		r = jail_syserr(-errno, TREES_RECORD);
	if (r < 0)
		(void)unlink(tmp);
	return r;
}

/*
 * Add paths to the record, those it lacks, under the registry lock; the
 * record loses the paths gone from the host, so that it holds what is
 * there to guard rather than every jail ever made since boot.  The file
 * is root's alone: it says where jails' roots are.
 */
static int
record_add(const struct strv *paths)
{
	_cleanup_close_ int lock = -1, fd = -1;
	struct strv have = { NULL, 0 }, keep = { NULL, 0 };
	size_t kept = 0;
	int r = registry_lock(&lock);

	if (r < 0)
		return r;
	r = record_read(&have);
	for (size_t k = 0; r >= 0 && k < have.n; k++)
		if (!record_gone(have.v[k]))
			r = push_unique(&keep, have.v[k]);
	kept = keep.n;
	for (size_t i = 0; r >= 0 && i < paths->n; i++)
		r = push_unique(&keep, paths->v[i]);
	if (r >= 0 && kept < have.n)
		r = record_rewrite(&keep);
	else if (r >= 0 && keep.n > kept) {
		fd = open(TREES_RECORD, O_WRONLY | O_APPEND | O_CREAT |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
		r = fd < 0 ? jail_syserr(-errno, TREES_RECORD) :
		    record_put(fd, &keep, kept, TREES_RECORD);
	}
	strv_clear(&have);
	strv_clear(&keep);
	return r;
}

/* The parameter sets of the running and dying jails and conf's. */
struct known_jails {
	struct jail **v;
	size_t n;
	struct conf *own;	/* the default jail.conf, loaded here */
	const struct conf *conf;
};

static void
known_free(struct known_jails *k)
{
	registry_list_free(k->v, k->n);
	conf_free(k->own);
}

/* Every jail's trees (mount.fstab's through t when given) into paths. */
static int
known_trees(const struct known_jails *k, const struct trees *t,
    struct strv *paths)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < k->n; i++)
		r = trees_of(&k->v[i]->params, t, paths, NULL);
	for (size_t i = 0; r >= 0 && k->conf != NULL && i < k->conf->n; i++)
		r = trees_of(&k->conf->jails[i].params, t, paths, NULL);
	return r;
}

static int
cmp_len(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

	return la < lb ? -1 : la > lb;
}

/*
 * The directory of each path from the from-th on into t, shortest
 * first, each opened through the trees already in t: a recorded source
 * that the jail owning it has since made a link (to "/", say) lies in
 * that jail's root, found first, and is skipped rather than followed.
 * Missing ones are skipped too.
 */
static int
add_paths(struct trees *t, struct strv *paths, size_t from)
{
	int r = 0;

	if (paths->n > from + 1)
		qsort(paths->v + from, paths->n - from, sizeof(*paths->v),
		    cmp_len);
	for (size_t i = from; r >= 0 && i < paths->n; i++) {
		_cleanup_close_ int fd = -1;

		if (host_open(t, paths->v[i], 0, "a tree", &fd, NULL) >= 0)
			r = trees_add_fd(t, fd);
	}
	return r;
}

/*
 * Two rounds: every path and layer first, then mount.fstab files, which
 * are opened through the trees the first round found, and the paths
 * they add.  The first round's are not opened again: with more trees
 * known, a path either comes to the tree it came to before or is
 * skipped (it passes through a tree now known), never to a new one.
 */
int
trees_collect(const struct jail_params *self, const struct conf *conf,
    struct trees *ret)
{
	struct known_jails k = { .conf = conf };
	struct strv paths = { NULL, 0 };
	size_t first;
	int r;

	if (conf == NULL && conf_load_default("", &k.own) >= 0)
		k.conf = k.own;
	r = registry_list(true, &k.v, &k.n);
	if (r >= 0 && self != NULL)
		r = trees_of(self, NULL, &paths, NULL);
	if (r >= 0)
		r = known_trees(&k, NULL, &paths);
	if (r >= 0)
		r = record_read(&paths);
	if (r >= 0)
		r = add_paths(ret, &paths, 0);
	first = paths.n;
	if (r >= 0 && self != NULL)
		r = trees_of(self, ret, &paths, NULL);
	if (r >= 0)
		r = known_trees(&k, ret, &paths);
	if (r >= 0)
		r = add_paths(ret, &paths, first);
	strv_clear(&paths);
	known_free(&k);
	return r;
}

/*
 * Warn about each of j's trees a host user other than root can reach: a
 * set-user-ID file jailed root makes there is a root shell for them.
 * path is left out when a line mounts on it (a thin jail's overlay):
 * the jail then writes its layer, not path.
 */
static void
warn_reachable(const struct jail *j, const struct jail_ops *o,
    const struct strv *mine, bool covered)
{
	const char *path = param_str(&j->params, P_PATH);
	char name[32], fix[PATH_MAX];

	if (*jail_name(j) == '\0')
		(void)snprintf(name, sizeof(name), "%d", j->jid);
	for (size_t i = 0; i < mine->n; i++) {
		bool reach = false;

		if (covered && strcmp(mine->v[i], path) == 0)
			continue;
		if (host_reachable(mine->v[i], &reach, fix, sizeof(fix)) < 0 ||
		    !reach)
			continue;
		jail_warn(o, j, "%s: warning: %s: reachable by users other "
		    "than root; set-uid files made in the jail would work on "
		    "the host (chmod 700 %s)\n", *jail_name(j) != '\0' ?
		    jail_name(j) : name, mine->v[i], fix);
	}
}

/* The set the jail's init inherits (its own copy of this memory). */
static struct trees *current;

int
trees_begin(const struct jail *j, const struct jail_ops *o,
    struct trees *t)
{
	struct strv mine = { NULL, 0 };
	bool covered = false;
	int r = trees_collect(&j->params, o->conf, t);

	if (r >= 0)
		r = trees_of(&j->params, t, &mine, &covered);
	if (r >= 0)
		r = record_add(&mine);
	if (r >= 0 && o->verbose >= 0)
		warn_reachable(j, o, &mine, covered);
	strv_clear(&mine);
	if (r >= 0)
		current = t;
	return r;
}

int
trees_check_path(const struct trees *t, const char *written,
    const char *real)
{
	_cleanup_close_ int fd = -1;
	struct stat a, b;
	int r;

	r = host_open(t, written, 0, "a jail's path", &fd, NULL);
	if (r < 0)
		return jail_errctx(r, "path");
	if (fstat(fd, &a) < 0 || stat(real, &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino)
		return jail_seterr(-ESTALE, "path %s: changed while being "
		    "checked", written);
	return 0;
}

struct trees *
trees_current(void)
{
	return current;
}

void
trees_end(struct trees *t)
{
	if (current == t)
		current = NULL;
	trees_clear(t);
}
