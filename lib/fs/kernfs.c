// SPDX-License-Identifier: BSD-2-Clause
/*
 * kernfs.c: mountinfo as data, and the kernel's file systems in a jail's
 * tree, checked once everything is mounted and before pivot_root.
 *
 * A jailed root is uid 0 with CAP_DAC_OVERRIDE: a file of procfs, sysfs
 * or cgroupfs writable by mode is writable by it, and several of them act
 * on the whole host (core_pattern and uevent_helper run a host program
 * as root, cgroup.procs takes a process out of the jail's cgroups and so
 * out of its device and socket programs).  So, of what the jail's tree
 * holds however it came there (the host's mounts under path, mount,
 * mount.fstab):
 *   - a procfs must be one mnt_procfs made (the jail's pid namespace,
 *     /proc/sys read-only, the masked paths); any other (a nullfs of a
 *     procfs) is refused;
 *   - a sysfs must be one made read-only and masked (linsysfs, or the
 *     host's under path, mount.c); any other (a nullfs of /sys) is refused;
 *   - cgroup, cgroup2, debugfs, tracefs, securityfs, bpf and the other
 *     control file systems (the submounts of a host's `mount --rbind /sys`)
 *     are made read-only;
 *   - a devpts also mounted outside the jail's tree (the host's own
 *     /dev/pts, bound under path) is refused: its terminals are the
 *     host's, and the device controller cannot tell one devpts's pty from
 *     another's (the same numbers).
 * A mount counts only where the jail can reach it: resolved from the
 * jail's root with no symlink, it must be that very mount (the host's
 * mounts beneath a thin jail's overlay, or beneath a later mount, are
 * out of reach).  Runs in the jail's init, in its mount namespace; never
 * touches the host's.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "fs/fs.h"

#define RECORD_MAX 256

/* The procfs and sysfs mounts made for the jail (mount.c records them). */
static uint64_t recorded[RECORD_MAX];
static size_t nrecorded;

/* The control file systems made read-only wherever the jail sees them. */
static const char *const control_fs[] = {
	"cgroup", "cgroup2", "debugfs", "tracefs", "securityfs", "bpf",
	"configfs", "pstore", "efivarfs", "fusectl", "binfmt_misc",
	"selinuxfs", "smackfs", "nfsd", "rpc_pipefs",
};

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void
unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++, o++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) |
			    (s[3] - '0'));
			s += 3;
		} else
			*o = *s;
	}
	*o = '\0';
}

/* Whether the comma-separated options opts hold "ro". */
static bool
opts_ro(const char *opts)
{
	size_t n = strcspn(opts, ",");

	for (;;) {
		if (n == 2 && strncmp(opts, "ro", 2) == 0)
			return true;
		if (opts[n] == '\0')
			return false;
		opts += n + 1;
		n = strcspn(opts, ",");
	}
}

/* One line of mountinfo into m (pointing into line): 0 or -EINVAL. */
static int
parse_line(char *line, struct mnt_info *m)
{
	char *f[6], *save = NULL, *w, *dev;
	unsigned maj, min;

	line[strcspn(line, "\n")] = '\0';
	for (int i = 0; i < 6; i++)
		if ((f[i] = strtok_r(i == 0 ? line : NULL, " ", &save)) == NULL)
			return -EINVAL;
	while ((w = strtok_r(NULL, " ", &save)) != NULL && strcmp(w, "-") != 0)
		;	/* optional fields: shared:N master:N ... */
	m->fstype = strtok_r(NULL, " ", &save);
	m->source = strtok_r(NULL, " ", &save);
	dev = f[2];
	if (w == NULL || m->fstype == NULL || m->source == NULL ||
	    sscanf(f[0], "%" SCNu64, &m->id) != 1 ||
	    sscanf(f[1], "%" SCNu64, &m->parent) != 1 ||
	    sscanf(dev, "%u:%u", &maj, &min) != 2)
		return -EINVAL;
	m->dev = makedev(maj, min);
	m->root = f[3];
	m->mp = f[4];
	m->ro = opts_ro(f[5]);
	unescape(m->root);
	unescape(m->mp);
	unescape(m->source);
	return 0;
}

/*
 * Call fn for each mount file (a mountinfo, beneath dirfd) lists, in its
 * order, until fn returns non-zero: its value (< 0 an error, > 0 a
 * stop), or 0.
 */
int
mnt_info_each(int dirfd, const char *file, int (*fn)(const struct mnt_info *m,
    void *arg), void *arg)
{
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	int fd, r = 0;

	fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (f = fdopen(fd, "r")) == NULL) {
		r = jail_syserr(-errno, "%s", file);
		if (fd >= 0)
			(void)close(fd);
		return r;
	}
	while (r == 0 && getline(&line, &cap, f) >= 0) {
		struct mnt_info m;

		if (parse_line(line, &m) < 0)
			return jail_seterr(-EINVAL, "%s: cannot parse", file);
		r = fn(&m, arg);
	}
	return r;
}

/* The mount the descriptor fd is on (its unique id), or 0. */
uint64_t
mnt_id_of(int fd)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0 ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return 0;
	return stx.stx_mnt_id;
}

/*
 * Note that the mount fd is on is a procfs or sysfs made for the jail,
 * protected as it should be.  One the table has no room for stays
 * unrecorded and is refused later: never the other way round.
 */
void
mnt_kernfs_record(int fd)
{
	uint64_t id = mnt_id_of(fd);

	if (id != 0 && nrecorded < RECORD_MAX)
		recorded[nrecorded++] = id;
}

static bool
is_recorded(uint64_t id)
{
	for (size_t i = 0; i < nrecorded; i++)
		if (recorded[i] == id)
			return true;
	return false;
}

struct check_ctx {
	const char *path;	/* the jail's path */
	size_t plen;		/* its length, 0 for "/" */
	int rootfd;		/* its top mount */
	const struct mnt_info *pts;	/* the devpts being checked, or NULL */
};

/* mp relative to the jail's path ("." for path itself), or NULL. */
static const char *
below(const struct check_ctx *c, const char *mp)
{
	if (c->plen == 0)
		return mp[1] == '\0' ? "." : mp + 1;
	if (strncmp(mp, c->path, c->plen) != 0)
		return NULL;
	if (mp[c->plen] == '\0')
		return ".";
	return mp[c->plen] == '/' ? mp + c->plen + 1 : NULL;
}

static bool
in_list(const char *type, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(type, v[i]) == 0)
			return true;
	return false;
}

/* Another mount of the devpts c->pts outside the jail's tree: stop. */
static int
devpts_elsewhere(const struct mnt_info *m, void *arg)
{
	const struct check_ctx *c = arg;

	if (strcmp(m->fstype, "devpts") != 0 || m->dev != c->pts->dev)
		return 0;
	return below(c, m->mp) == NULL ? jail_seterr(-EPERM, "%s: a devpts "
	    "also mounted on %s: refused; its terminals are not the jail's",
	    c->pts->mp, m->mp) : 0;
}

/* A control file system: read-only, nosuid, nodev, noexec. */
static int
make_readonly(int fd, const char *mp)
{
	struct mount_attr a = { .attr_set = MOUNT_ATTR_RDONLY |
		MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC };

	if (mount_setattr(fd, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0)
		return jail_syserr(-errno, "%s read-only", mp);
	return 0;
}

/* One mount of the jail's tree (as reached from its root): judged. */
static int
check_reached(struct check_ctx *c, const struct mnt_info *m, int fd)
{
	if (strcmp(m->fstype, "proc") == 0 && !is_recorded(m->id))
		return jail_seterr(-EPERM, "%s: a procfs that is not the "
		    "jail's own: refused; mount procfs there instead", m->mp);
	if (strcmp(m->fstype, "sysfs") == 0 && !is_recorded(m->id))
		return jail_seterr(-EPERM, "%s: a sysfs that is not read-only: "
		    "refused; mount linsysfs there instead", m->mp);
	if (strcmp(m->fstype, "devpts") == 0) {
		int r;

		c->pts = m;
		r = mnt_info_each(AT_FDCWD, "/proc/self/mountinfo",
		    devpts_elsewhere, c);
		c->pts = NULL;
		return r;
	}
	if (!m->ro && in_list(m->fstype, control_fs, nitems(control_fs)))
		return make_readonly(fd, m->mp);
	return 0;
}

/*
 * Whether mnt_open_beneath's r says the path leads nowhere from the root
 * (a mount point beneath a thin jail's overlay, or beneath a later
 * mount, that the covering file system lacks): what the jail cannot
 * reach either.
 */
bool
mnt_unreachable(int r)
{
	return r == -ENOENT || r == -ENOTDIR || r == -ELOOP || r == -EXDEV;
}

/*
 * Open rel beneath rootfd (O_PATH), following no symlink: its directory
 * resolved beneath rootfd, then its last name.  A mount point may be a
 * file (a device node bound onto one).
 */
int
mnt_open_beneath(int rootfd, const char *rel, int *ret_fd)
{
	_cleanup_free_ char *dir = strdup(rel);
	_cleanup_close_ int dfd = -1;
	char *slash;
	int r, fd;

	if (dir == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	r = resolve_beneath(rootfd, slash != NULL ? dir : ".", &dfd);
	if (r < 0)
		return r;
	fd = openat(dfd, slash != NULL ? slash + 1 : rel,
	    O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return jail_syserr(-errno, "%s", rel);
	*ret_fd = fd;
	return 0;
}

/* Each mount at or below the jail's path that its root reaches. */
static int
check_one(const struct mnt_info *m, void *arg)
{
	struct check_ctx *c = arg;
	_cleanup_close_ int fd = -1;
	const char *rel = below(c, m->mp);
	int r;

	if (rel == NULL)
		return 0;
	r = mnt_open_beneath(c->rootfd, rel, &fd);
	if (mnt_unreachable(r))
		return 0;
	if (r < 0)
		return r;
	if (mnt_id_of(fd) != m->id)
		return 0;	/* beneath another mount: out of reach */
	return check_reached(c, m, fd);
}

/*
 * Check the kernel file systems of the tree at path, which rootfd (its
 * top mount) roots, as the file's header says.  Only in the jail's init.
 */
int
mnt_kernfs_check(const char *path, int rootfd)
{
	struct check_ctx c = { path, strcmp(path, "/") == 0 ? 0 :
		strlen(path), rootfd, NULL };

	return mnt_info_each(AT_FDCWD, "/proc/self/mountinfo", check_one,
	    &c);
}
