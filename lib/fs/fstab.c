// SPDX-License-Identifier: BSD-2-Clause
/*
 * fstab.c: fstab(5) lines, mount options, and the file systems of a
 * jail's mount and mount.fstab parameters.
 *
 * Owns the parsing of FreeBSD fstab lines ("SPEC MOUNTPOINT FSTYPE
 * OPTIONS [DUMP [PASS]]", '#' comments, \040 escapes), the one table of
 * mount options (shared with the mount.TYPE helpers) and mounting each
 * entry from the jail's init, inside the jail's own mount namespace,
 * before pivot_root.  A mount point is a host path at or below the jail's
 * path; the part below is resolved with resolve_beneath, no symlink
 * followed.  A line on the path itself makes the jail's root and is
 * mounted before anything else; an overlay (a thin jail's root: a shared
 * read-only base and the jail's own writable layer) may be mounted
 * there only.  It must never mount outside the jail's root, nor in the
 * host's mount namespace, and never reads a file the jail controls.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "fs/fs.h"

/* The file system types gaol knows, FreeBSD's names. */
enum fs_bit {
	FS_DEVFS = 1 << 0,
	FS_FDESCFS = 1 << 1,
	FS_PROCFS = 1 << 2,	/* procfs and linprocfs: Linux's proc */
	FS_SYSFS = 1 << 3,	/* linsysfs */
	FS_NULLFS = 1 << 4,
	FS_TMPFS = 1 << 5,
	FS_OVERLAY = 1 << 6,	/* Linux's overlayfs: a thin jail's root */
	FS_ALL = (1 << 7) - 1,
};

static const struct {
	const char *name;
	enum fs_bit bit;
} fs_types[] = {
	{ "devfs", FS_DEVFS },
	{ "fdescfs", FS_FDESCFS },
	{ "linprocfs", FS_PROCFS },
	{ "linsysfs", FS_SYSFS },
	{ "nullfs", FS_NULLFS },
	{ "overlay", FS_OVERLAY },
	{ "procfs", FS_PROCFS },
	{ "tmpfs", FS_TMPFS },
};

enum opt_kind {
	OPT_SET,	/* sets flag */
	OPT_CLEAR,	/* clears flag */
	OPT_IGNORE,	/* accepted, no effect */
	OPT_NOAUTO,
	OPT_LATE,
	OPT_DATA,	/* name=value, passed to the file system */
	OPT_RULESET,	/* devfs ruleset=N */
};

struct opt_def {
	const char *name;
	unsigned long flag;	/* MS_*, for OPT_SET and OPT_CLEAR */
	enum opt_kind kind;
	unsigned types;		/* enum fs_bit: where it is valid */
};

/* Every option gaol accepts; anything else is an error naming it. */
static const struct opt_def opt_table[] = {
	{ "ro", MS_RDONLY, OPT_SET, FS_ALL },
	{ "rw", MS_RDONLY, OPT_CLEAR, FS_ALL },
	{ "nosuid", MS_NOSUID, OPT_SET, FS_ALL },
	{ "suid", MS_NOSUID, OPT_CLEAR, FS_ALL },
	{ "nodev", MS_NODEV, OPT_SET, FS_ALL },
	{ "dev", MS_NODEV, OPT_CLEAR, FS_ALL },
	{ "noexec", MS_NOEXEC, OPT_SET, FS_ALL },
	{ "exec", MS_NOEXEC, OPT_CLEAR, FS_ALL },
	{ "sync", MS_SYNCHRONOUS, OPT_SET, FS_ALL },
	{ "async", MS_SYNCHRONOUS, OPT_CLEAR, FS_ALL },
	{ "noatime", MS_NOATIME, OPT_SET, FS_ALL },
	{ "atime", MS_NOATIME, OPT_CLEAR, FS_ALL },
	{ "relatime", MS_RELATIME, OPT_SET, FS_ALL },
	{ "norelatime", MS_RELATIME, OPT_CLEAR, FS_ALL },
	{ "strictatime", MS_STRICTATIME, OPT_SET, FS_ALL },
	{ "nodiratime", MS_NODIRATIME, OPT_SET, FS_ALL },
	{ "diratime", MS_NODIRATIME, OPT_CLEAR, FS_ALL },
	{ "nosymfollow", MS_NOSYMFOLLOW, OPT_SET, FS_ALL },
	{ "defaults", 0, OPT_IGNORE, FS_ALL },
	{ "auto", 0, OPT_IGNORE, FS_ALL },
	{ "noauto", 0, OPT_NOAUTO, FS_ALL },
	{ "late", 0, OPT_LATE, FS_ALL },
	{ "size", 0, OPT_DATA, FS_TMPFS },
	{ "mode", 0, OPT_DATA, FS_TMPFS },
	{ "uid", 0, OPT_DATA, FS_TMPFS },
	{ "gid", 0, OPT_DATA, FS_TMPFS | FS_PROCFS },
	{ "nr_inodes", 0, OPT_DATA, FS_TMPFS },
	{ "hidepid", 0, OPT_DATA, FS_PROCFS },
	{ "subset", 0, OPT_DATA, FS_PROCFS },
	{ "ruleset", 0, OPT_RULESET, FS_DEVFS },
	/* overlay: host directories, checked by overlay_check */
	{ "lowerdir", 0, OPT_DATA, FS_OVERLAY },
	{ "upperdir", 0, OPT_DATA, FS_OVERLAY },
	{ "workdir", 0, OPT_DATA, FS_OVERLAY },
	/* FreeBSD's fdescfs options: Linux's /proc/self/fd acts as both */
	{ "linrdlnk", 0, OPT_IGNORE, FS_FDESCFS },
	{ "nodup", 0, OPT_IGNORE, FS_FDESCFS },
};

/* The type's bit, or an error naming the type. */
static int
fs_type_bit(const char *type, unsigned *ret)
{
	for (size_t i = 0; i < nitems(fs_types); i++)
		if (strcmp(fs_types[i].name, type) == 0) {
			*ret = fs_types[i].bit;
			return 0;
		}
	return jail_seterr(-EOPNOTSUPP, "unsupported file system type \"%s\"",
	    type);
}

/* The row named by opt (up to '=', if any) valid for types, or NULL. */
static const struct opt_def *
opt_find(const char *opt, unsigned types)
{
	size_t len = strcspn(opt, "=");

	for (size_t i = 0; i < nitems(opt_table); i++)
		if (strlen(opt_table[i].name) == len &&
		    strncmp(opt_table[i].name, opt, len) == 0 &&
		    (opt_table[i].types & types) != 0)
			return &opt_table[i];
	return NULL;
}

/* Append "opt" to the comma-separated data of o. */
static int
opts_add_data(struct mnt_opts *o, const char *opt)
{
	char *d;

	if (asprintf(&d, "%s%s%s", o->data != NULL ? o->data : "",
		o->data != NULL ? "," : "", opt) < 0)
		return jail_seterr(-ENOMEM, "out of memory");
	free(o->data);
	o->data = d;
	return 0;
}

static int
opts_ruleset(struct mnt_opts *o, const char *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*v < '0' || *v > '9' || *end != '\0' || errno != 0 || n < 0 ||
	    n > DEVFS_NUM_MAX)
		return jail_seterr(-EINVAL, "invalid ruleset \"%s\"", v);
	o->ruleset = (int)n;
	return 0;
}

/* Apply one option to o. */
static int
opts_apply(struct mnt_opts *o, const struct opt_def *d, const char *opt)
{
	const char *eq = strchr(opt, '=');

	if ((eq != NULL) != (d->kind == OPT_DATA || d->kind == OPT_RULESET))
		return jail_seterr(-EINVAL, eq != NULL ?
		    "unknown option \"%s\"" : "option \"%s\" needs a value",
		    opt);
	switch (d->kind) {
	case OPT_SET:
		o->flags |= d->flag;
		break;
	case OPT_CLEAR:
		o->flags &= ~d->flag;
		break;
	case OPT_NOAUTO:
		o->noauto = true;
		break;
	case OPT_LATE:
		o->late = true;
		break;
	case OPT_DATA:
		return opts_add_data(o, opt);
	case OPT_RULESET:
		return opts_ruleset(o, eq + 1);
	case OPT_IGNORE:
		break;
	}
	return 0;
}

/*
 * Parse the comma-separated options of a mount of type fstype.  An
 * unknown option is an error naming it, unless sloppy (mount -s).
 */
int
mnt_opts_parse(const char *fstype, const char *opts, bool sloppy,
    struct mnt_opts *ret)
{
	_cleanup_free_ char *copy = NULL;
	char *save = NULL;
	unsigned types = 0;
	int r;

	r = fs_type_bit(fstype, &types);
	if (r < 0)
		return r;
	if (opts == NULL)
		return 0;
	copy = strdup(opts);
	if (copy == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	for (char *o = strtok_r(copy, ",", &save); o != NULL;
	     o = strtok_r(NULL, ",", &save)) {
		const struct opt_def *d = opt_find(o, types);

		if (d == NULL && sloppy)
			continue;
		if (d == NULL)
			return jail_seterr(-EINVAL, "unknown option \"%s\"", o);
		r = opts_apply(ret, d, o);
		if (r < 0)
			return r;
	}
	return 0;
}

void
mnt_opts_clear(struct mnt_opts *o)
{
	free(o->data);
	o->data = NULL;
}

/*
 * Decode fstab's octal escapes (\040 a space, \011 a tab) in place.  A
 * backslash not followed by three octal digits stays as it is; \000
 * would cut the field short and is an error.
 */
static int
fstab_unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++, o++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) |
			    (s[3] - '0'));
			if (*o == '\0')
				return jail_seterr(-EINVAL,
				    "bad escape \"\\000\"");
			s += 3;
		} else
			*o = *s;
	}
	*o = '\0';
	return 0;
}

/* DUMP or PASS: a decimal number. */
static int
fstab_number(const char *field, const char *what, int *ret)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(field, &end, 10);
	if (*field < '0' || *field > '9' || *end != '\0' || errno != 0 ||
	    n > INT_MAX)
		return jail_seterr(-EINVAL, "%s field \"%s\" is not a number",
		    what, field);
	*ret = (int)n;
	return 0;
}

static const char *const fstab_missing[] = {
	"missing mount point", "missing file system type", "missing options",
};

/*
 * Split a line into at most 6 words; a word opening with '#' starts a
 * comment (a path beginning with '#' is written \043).
 */
static int
fstab_split(char *buf, char **w, size_t *ret_n)
{
	char *save = NULL;
	size_t n = 0;

	for (char *t = strtok_r(buf, " \t\n\r", &save); t != NULL;
	     t = strtok_r(NULL, " \t\n\r", &save)) {
		if (t[0] == '#')
			break;
		if (n == 6)
			return jail_seterr(-EINVAL, "too many fields");
		w[n++] = t;
	}
	*ret_n = n;
	return 0;
}

/* Fill ret from the split words (4 to 6 of them). */
static int
fstab_fill(char **w, size_t n, struct fstab_ent *ret)
{
	char **fields[] = { &ret->spec, &ret->file, &ret->vfstype,
		&ret->mntops };
	int r = 0;

	ret->freq = ret->passno = 0;
	if (n > 4)
		r = fstab_number(w[4], "dump", &ret->freq);
	if (r >= 0 && n > 5)
		r = fstab_number(w[5], "pass", &ret->passno);
	for (size_t i = 0; r >= 0 && i < 4; i++)
		r = fstab_unescape(w[i]);
	for (size_t i = 0; r >= 0 && i < 4; i++)
		if ((*fields[i] = strdup(w[i])) == NULL)
			r = jail_seterr(-ENOMEM, "out of memory");
	if (r < 0)
		fstab_ent_clear(ret);
	return r;
}

/*
 * Parse one fstab(5) line: 1 and *ret filled for an entry, 0 for a
 * blank or comment line, or an error saying what is wrong with it.
 */
int
fstab_parse_line(const char *line, struct fstab_ent *ret)
{
	_cleanup_free_ char *buf = strdup(line);
	char *w[6];
	size_t n = 0;
	int r;

	if (buf == NULL) {
		(void)jail_seterr(-ENOMEM, "out of memory");
		return -ENOMEM;
	}
	r = fstab_split(buf, w, &n);
	if (r < 0)
		return r;
	if (n == 0)
		return 0;
	if (n < 4) {
		(void)jail_seterr(-EINVAL, "%s", fstab_missing[n - 1]);
		return -EINVAL;
	}
	r = fstab_fill(w, n, ret);
	return r < 0 ? r : 1;
}

void
fstab_ent_clear(struct fstab_ent *e)
{
	free(e->spec);
	free(e->file);
	free(e->vfstype);
	free(e->mntops);
	e->spec = e->file = e->vfstype = e->mntops = NULL;
}

/* Whether path has a ".." component (which could lead out of a root). */
static bool
has_dotdot(const char *path)
{
	for (const char *c = path; (c = strstr(c, "..")) != NULL; c += 2)
		if ((c == path || c[-1] == '/') &&
		    (c[2] == '/' || c[2] == '\0'))
			return true;
	return false;
}

/*
 * The part of host path mp below the jail's path (canonical, from
 * realpath), "." for path itself; an error unless mp lies at or below it.
 * The result is only ever resolved beneath the jail's root.
 */
int
mnt_rel_below(const char *path, const char *mp, char **ret_rel)
{
	size_t plen = strcmp(path, "/") == 0 ? 0 : strlen(path);
	const char *rest = mp + plen;
	char *rel;

	if (mp[0] != '/' || strncmp(mp, path, plen) != 0 ||
	    (*rest != '/' && *rest != '\0') || has_dotdot(rest))
		return jail_seterr(-EINVAL, "%s: not under the jail's path %s",
		    mp, path);
	while (*rest == '/')
		rest++;
	rel = strdup(*rest == '\0' ? "." : rest);
	if (rel == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	*ret_rel = rel;
	return 0;
}

/* What one fstab entry needs to be mounted in a jail. */
struct fstab_ctx {
	const struct jail_params *p;
	int rootfd;
	const struct fstab_ent *e;
	const struct mnt_opts *o;
	const char *rel;	/* the mount point, below the root */
};

/* devfs: ruleset=N, else the jail's devfs_ruleset, else devfsrules_jail. */
static int
fstab_devfs(const struct fstab_ctx *c, int fd)
{
	return mnt_jail_devfs(c->p, fd, c->o->ruleset, c->o->flags);
}

/*
 * The source is a host path: a jail's root user may have made a link of
 * any directory it writes (its root, another jail's, a shared source),
 * so no link is followed from the top of such a tree down; with no set
 * of trees at hand, none is followed at all.
 */
static int
fstab_nullfs(const struct fstab_ctx *c, int fd)
{
	const struct trees *t = trees_current();
	_cleanup_close_ int src = -1;
	int r;

	r = host_open(t, c->e->spec, t == NULL ? HO_NOLINKS : 0, "a source",
	    &src, NULL);
	return r < 0 ? r : mnt_bind(c->e->spec, src, fd, c->o->flags);
}

static int
fstab_tmpfs(const struct fstab_ctx *c, int fd)
{
	int r = mnt_at(c->e->spec, fd, "tmpfs", c->o->flags, c->o->data);

	return r < 0 ? jail_syserr(r, "tmpfs on %s", c->e->file) : 0;
}

static int
fstab_sysfs(const struct fstab_ctx *c, int fd)
{
	return mnt_sysfs(c->e->spec, c->rootfd, c->rel, c->o->flags);
}

/*
 * One directory of an overlay: an absolute host path with no "..", no
 * backslash (overlayfs's escape) and outside the jail's path (a layer
 * the jail could reach would be changed beneath the overlay), naming an
 * existing directory.  dev receives its device.
 */
static int
overlay_dir(const char *path, const char *opt, const char *dir,
    dev_t *ret_dev)
{
	size_t plen = strcmp(path, "/") == 0 ? 0 : strlen(path);
	_cleanup_close_ int fd = -1;
	bool inside = false;
	struct stat st;
	int r;

	if (dir[0] != '/' || has_dotdot(dir) || strchr(dir, '\\') != NULL)
		return jail_seterr(-EINVAL, "%s=%s: not an absolute host path",
		    opt, dir);
	if (strncmp(dir, path, plen) == 0 &&
	    (dir[plen] == '/' || dir[plen] == '\0'))
		return jail_seterr(-EINVAL, "%s=%s: inside the jail's path %s",
		    opt, dir, path);
	/* overlayfs looks dir up again: no tree may be crossed on the way */
	r = host_open(trees_current(), dir, 0, "a layer", &fd, &inside);
	if (r == -ELOOP || r == -EXDEV)
		return jail_errctx(r, "%s", opt);
	if (r < 0)
		return jail_syserr(r, "%s=%s", opt, dir);
	if (inside)
		return jail_seterr(-EPERM, "%s=%s: inside a jail's root, which "
		    "its root user writes", opt, dir);
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))
		return jail_seterr(-ENOTDIR, "%s=%s: not a directory", opt,
		    dir);
	*ret_dev = st.st_dev;
	return 0;
}

/* What overlay_check has seen. */
struct overlay_seen {
	unsigned lower, upper, work;
	unsigned nlower;	/* directories in lowerdir= */
	dev_t upper_dev, work_dev;
};

/* One name=value of an overlay's data; lowerdir is ':'-separated. */
static int
overlay_opt(const char *path, char *opt, struct overlay_seen *s)
{
	char *eq = strchr(opt, '='), *save = NULL;
	dev_t dev = 0;
	int r = 0;

	if (eq == NULL)		/* mnt_opts_parse let none through */
		return jail_seterr(-EINVAL, "option \"%s\" needs a value", opt);
	*eq = '\0';
	if (strcmp(opt, "upperdir") == 0) {
		s->upper++;
		return overlay_dir(path, opt, eq + 1, &s->upper_dev);
	}
	if (strcmp(opt, "workdir") == 0) {
		s->work++;
		return overlay_dir(path, opt, eq + 1, &s->work_dev);
	}
	s->lower++;
	if (eq[1] == '\0' || eq[1] == ':' || eq[strlen(eq + 1)] == ':' ||
	    strstr(eq + 1, "::") != NULL)
		return jail_seterr(-EINVAL, "lowerdir=%s: an empty directory "
		    "name in the list", eq + 1);
	for (char *d = strtok_r(eq + 1, ":", &save); d != NULL && r >= 0;
	     d = strtok_r(NULL, ":", &save)) {
		r = overlay_dir(path, opt, d, &dev);
		s->nlower++;
	}
	return r;
}

/*
 * An overlay's data (lowerdir=, upperdir=, workdir= and nothing else,
 * as mnt_opts_parse allows): one lowerdir, upperdir and workdir both or
 * neither (a read-only root), each once, upper and work on one file
 * system, all of them host directories outside the jail's path.
 */
static int
overlay_check(const char *path, const char *data)
{
	_cleanup_free_ char *copy = strdup(data != NULL ? data : "");
	struct overlay_seen s = { 0 };
	char *save = NULL;
	int r = 0;

	if (copy == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	for (char *o = strtok_r(copy, ",", &save); o != NULL && r >= 0;
	     o = strtok_r(NULL, ",", &save))
		r = overlay_opt(path, o, &s);
	if (r < 0)
		return r;
	if (s.lower != 1 || s.upper > 1 || s.work > 1)
		return jail_seterr(-EINVAL, s.lower == 0 ?
		    "overlay: missing lowerdir=" :
		    "overlay: lowerdir=, upperdir= or workdir= given twice");
	if (s.upper != s.work)
		return jail_seterr(-EINVAL, "overlay: upperdir= and workdir= "
		    "go together");
	/* Linux's rule: a read-only overlay stacks at least two layers */
	if (s.upper == 0 && s.nlower < 2)
		return jail_seterr(-EINVAL, "overlay: without upperdir= "
		    "lowerdir= needs two directories or more (upper:lower)");
	if (s.upper > 0 && s.upper_dev != s.work_dev)
		return jail_seterr(-EXDEV, "overlay: upperdir= and workdir= "
		    "must be on one file system");
	return 0;
}

/*
 * overlay: a thin jail's root, on the jail's path itself and nowhere
 * else (an overlay below it would let the jail's root user pick what
 * it hides).  Mounted from the jail's init, in its own mount namespace:
 * the host never sees it and it goes with the jail.
 */
static int
fstab_overlay(const struct fstab_ctx *c, int fd)
{
	int r = overlay_check(param_str(c->p, P_PATH), c->o->data);

	if (r < 0)
		return r;
	r = mnt_at(c->e->spec, fd, "overlay", c->o->flags, c->o->data);
	return r < 0 ? jail_syserr(r, "overlay on %s", c->e->file) : 0;
}

/* Mount one parsed entry beneath the jail's root. */
static int
fstab_mount(const struct fstab_ctx *c)
{
	static const struct {
		const char *type;
		int (*fn)(const struct fstab_ctx *c, int fd);
	} mounters[] = {
		{ "devfs", fstab_devfs },
		{ "linsysfs", fstab_sysfs },
		{ "nullfs", fstab_nullfs },
		{ "overlay", fstab_overlay },
		{ "tmpfs", fstab_tmpfs },
	};
	_cleanup_close_ int fd = -1;
	int r;

	/* these two resolve their mount points themselves */
	if (strcmp(c->e->vfstype, "fdescfs") == 0)
		return mnt_fdescfs(c->rootfd, c->rel);
	if (strcmp(c->e->vfstype, "procfs") == 0 ||
	    strcmp(c->e->vfstype, "linprocfs") == 0)
		return mnt_procfs(c->rootfd, c->rel, c->o->flags, c->o->data);
	if (strcmp(c->e->vfstype, "overlay") == 0 && strcmp(c->rel, ".") != 0)
		return jail_seterr(-EINVAL, "overlay: only on the jail's path "
		    "%s (a thin jail's root), not on %s",
		    param_str(c->p, P_PATH), c->e->file);
	r = resolve_beneath(c->rootfd, c->rel, &fd);
	if (r < 0)
		return r;
	for (size_t i = 0; i < nitems(mounters); i++)
		if (strcmp(c->e->vfstype, mounters[i].type) == 0)
			return mounters[i].fn(c, fd);
	return jail_seterr(-EOPNOTSUPP, "unsupported file system type \"%s\"",
	    c->e->vfstype);
}

/*
 * The two passes over the fstab lines: the jail's root (lines whose
 * mount point is path itself: a thin jail's overlay, a nullfs of a base)
 * first, before anything else is mounted in it, then everything else.
 */
enum fstab_pass {
	FSTAB_ROOT,
	FSTAB_REST,
};

/*
 * Parse one line (of a file or of the mount parameter) and mount it if
 * it belongs to pass (its mount point the jail's path itself: the root
 * pass; below it: the rest): 1 when mounted, 0 when not, or an error.
 */
static int
fstab_line(const struct jail_params *p, int rootfd, const char *line,
    enum fstab_pass pass)
{
	struct mnt_opts o = MNT_OPTS_INIT;
	struct fstab_ent e = { 0 };
	_cleanup_free_ char *rel = NULL;
	int r;

	r = fstab_parse_line(line, &e);
	if (r <= 0)
		return r;
	r = mnt_opts_parse(e.vfstype, e.mntops, false, &o);
	if (r >= 0 && !o.noauto)
		r = mnt_rel_below(param_str(p, P_PATH), e.file, &rel);
	if (r >= 0 && rel != NULL &&
	    (strcmp(rel, ".") == 0) == (pass == FSTAB_ROOT)) {
		struct fstab_ctx c = { p, rootfd, &e, &o, rel };

		r = fstab_mount(&c);
		if (r >= 0)
			r = 1;
	}
	mnt_opts_clear(&o);
	fstab_ent_clear(&e);
	return r;
}

/*
 * mount.fstab: every line of a host file, in order; counts the mounts.
 * A file inside a jail's root is refused, link or not: its root user
 * could write it a nullfs line of the host's "/".
 */
static int
fstab_file(const struct jail_params *p, int rootfd, const char *file,
    enum fstab_pass pass)
{
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	unsigned n = 0;
	int count = 0, r;

	r = host_open_file(trees_current(), file, &f);
	if (r < 0)
		return jail_errctx(r, "mount.fstab");
	while (getline(&line, &cap, f) >= 0) {
		r = fstab_line(p, rootfd, line, pass);
		n++;
		if (r < 0)
			return jail_errctx(r, "mount.fstab: %s:%u", file, n);
		count += r;
	}
	if (ferror(f))
		return jail_syserr(-EIO, "mount.fstab: %s", file);
	return count;
}

/* One pass over each mount line, then the fstab file: the mounts made. */
static int
fstab_pass(const struct jail_params *p, int rootfd, enum fstab_pass pass)
{
	const struct strv *l = param_list(p, P_MOUNT);
	const char *file = param_str(p, P_MOUNT_FSTAB);
	int count = 0, r;

	for (size_t i = 0; l != NULL && i < l->n; i++) {
		r = fstab_line(p, rootfd, l->v[i], pass);
		if (r < 0)
			return jail_errctx(r, "mount: \"%s\"", l->v[i]);
		count += r;
	}
	if (file == NULL || *file == '\0')
		return count;
	r = fstab_file(p, rootfd, file, pass);
	return r < 0 ? r : count + r;
}

/* The value of upperdir= in an overlay's options, malloc'd, or NULL. */
static char *
opts_upperdir(const char *mntops)
{
	_cleanup_free_ char *copy = strdup(mntops);
	char *save = NULL;

	for (char *o = copy != NULL ? strtok_r(copy, ",", &save) : NULL;
	     o != NULL; o = strtok_r(NULL, ",", &save))
		if (strncmp(o, "upperdir=", 9) == 0)
			return strdup(o + 9);
	return NULL;
}

/*
 * The upperdir= of p's overlay (a thin jail's layer) from its mount
 * lines: 0 and *ret NULL when it has none.  Lines that do not parse are
 * left to mnt_fstab_root to report.
 */
int
mnt_overlay_upper(const struct jail_params *p, char **ret)
{
	const struct strv *l = param_list(p, P_MOUNT);

	*ret = NULL;
	for (size_t i = 0; l != NULL && i < l->n && *ret == NULL; i++) {
		struct fstab_ent e = { 0 };

		if (fstab_parse_line(l->v[i], &e) == 1 &&
		    strcmp(e.vfstype, "overlay") == 0)
			*ret = opts_upperdir(e.mntops);
		fstab_ent_clear(&e);
	}
	return 0;
}

/*
 * The jail's root: the lines of mount and mount.fstab whose mount point
 * is the jail's path itself (a thin jail's overlay), before anything else
 * is mounted.  Returns how many were mounted (0: the jail's root is its
 * path as it is).
 */
int
mnt_fstab_root(const struct jail_params *p, int rootfd)
{
	return fstab_pass(p, rootfd, FSTAB_ROOT);
}

/*
 * The jail's mount and mount.fstab file systems, FreeBSD's order: each
 * mount line, then the fstab file (those on path itself aside:
 * mnt_fstab_root).
 * Everything happens in the jail's mount namespace, so it vanishes with
 * the jail: no unmount step.
 */
int
mnt_fstab(const struct jail_params *p, int rootfd)
{
	int r = 0;

	/* a thin jail's overlay, now on path, is a tree of its own */
	if (trees_current() != NULL)
		r = trees_add_fd(trees_current(), rootfd);
	if (r >= 0)
		r = fstab_pass(p, rootfd, FSTAB_REST);

	return r < 0 ? r : 0;
}
