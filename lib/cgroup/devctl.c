// SPDX-License-Identifier: BSD-2-Clause
/*
 * devctl.c: the devices a jail may open, enforced by the kernel's device
 * controller beneath every file system.
 *
 * The jail's devfs (mount.devfs, a devfs line of mount or mount.fstab,
 * or one the host mounted under path and ran `devfs rule applyset` on)
 * decides which device nodes the jail sees.  But a node can reach the
 * jail another way -- a host bind mount of /dev/sda, an old node left in
 * a thick root, a node a root held before it became a jail's -- and
 * opening an existing node takes no capability.  So every jail runs
 * under a device list that allows reading and writing exactly:
 *   - the devices of the nodes in the jail's devfs mounts, as the jail
 *     sees them: what the ruleset left visible there (nothing in a jail
 *     can make a node: CAP_MKNOD is never the jail's);
 *   - ptys: /dev/ptmx (5:2) and the pty slaves (136-143), which only
 *     open the devpts they live in or next to (kernfs.c refuses the
 *     host's devpts in a jail);
 *   - in a jail with no devfs at all, the nodes debootstrap makes (null,
 *     zero, full, random, urandom, tty): none reaches the host (tty is
 *     the caller's own terminal; random takes no credit for what it is
 *     written without CAP_SYS_ADMIN).
 * mknod is allowed for nothing: the jail cannot (no CAP_MKNOD), and the
 * nodes of a devfs the jail's init makes exist before the list is final.
 *
 * A devfs no rule was ever applied to -- the host's `mount -t devfs`
 * with no ruleset= and no `devfs rule applyset` after it -- holds every
 * node of the host's, its disks among them.  FreeBSD would let the jail
 * open them all; no configuration may let a jailed root reach the host,
 * so such a devfs gives the devices of the jail's devfs_ruleset (4,
 * devfsrules_jail, by default) instead of its nodes, and jail -c says
 * how to apply one (devctl_apply).  devfs.c marks a devfs when rules run
 * on it, with an attribute no jail can set.
 *
 * The list goes to both controllers where both exist, each enforcing it
 * alone: the v1 devices cgroup (devices.deny "a", then devices.allow
 * lines) and a BPF_CGROUP_DEVICE program on the jail's cgroup2 cgroup,
 * attached with no flag (as the socket programs: none may be attached
 * beneath it), which looks devices up in a map of the list (devbpf.c).
 * On a hybrid host the kernel runs the program, then the v1 check: a
 * device must pass both.  A jail that can have neither is refused, never
 * run with every device.
 *
 * Order: before init is cloned into the cgroups the list is provisional
 * (mknod of anything, for init making the devfs nodes; open of nothing);
 * once init has built the root, before the spawner every command enters
 * through exists, it becomes the jail's.  devfs(8) changing a devfs that
 * a running jail sees updates that jail's list (devctl_devfs_changed).
 * Never moves a process and never touches a cgroup but the jail's own.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "devctl-int.h"

#define WALK_DEPTH 8

static void
list_free(struct dev_list *l)
{
	free(l->v);
	*l = (struct dev_list){ NULL, 0, 0 };
}

/* Add a rule, merged with one for the same device. */
static int
list_add(struct dev_list *l, char type, int major, int minor, unsigned acc)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].type == type && l->v[i].major == major &&
		    l->v[i].minor == minor) {
			l->v[i].acc |= acc;
			return 0;
		}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct dev_rule *v = reallocarray(l->v, cap, sizeof(*v));

		if (v == NULL)
			return jail_seterr(-ENOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (struct dev_rule){ type, major, minor, acc };
	return 0;
}

static int
rule_cmp(const void *a, const void *b)
{
	const struct dev_rule *x = a, *y = b;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	return x->minor < y->minor ? -1 : x->minor > y->minor;
}

/* /dev/ptmx and every pty slave: they open only a devpts's ptys. */
static int
add_ptys(struct dev_list *l)
{
	int r = list_add(l, 'c', 5, 2, ACC_RW);

	for (int m = 136; r >= 0 && m <= 143; m++)
		r = list_add(l, 'c', m, DEV_ANY, ACC_RW);
	return r;
}

/* A jail without a devfs: what debootstrap makes in a root's /dev. */
static int
add_classic(struct dev_list *l)
{
	static const int classic[][2] = {
		{ 1, 3 }, { 1, 5 }, { 1, 7 }, { 1, 8 }, { 1, 9 }, { 5, 0 },
	};
	int r = 0;

	for (size_t i = 0; r >= 0 && i < nitems(classic); i++)
		r = list_add(l, 'c', classic[i][0], classic[i][1], ACC_RW);
	return r;
}

/* The nodes below dfd on file system dev (not the pts and shm mounts). */
static int
scan_dir(struct dev_list *l, int dfd, dev_t dev, int depth)
{
	_cleanup_closedir_ DIR *d = fdopendir(dfd);
	struct dirent *e;
	int r = 0;

	if (d == NULL) {
		(void)close(dfd);
		return jail_syserr(-errno, "devfs");
	}
	while (r >= 0 && (e = readdir(d)) != NULL) {
		struct stat st;
		int sub;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    st.st_dev != dev)
			continue;
		if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
			r = list_add(l, S_ISCHR(st.st_mode) ? 'c' : 'b',
			    (int)major(st.st_rdev), (int)minor(st.st_rdev),
			    ACC_RW);
		if (!S_ISDIR(st.st_mode) || depth >= WALK_DEPTH)
			continue;
		sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			r = scan_dir(l, sub, dev, depth + 1);
	}
	return r;
}

struct scan_ctx {
	struct dev_list *l;
	int rootfd;		/* the jail's root */
	dev_t only;		/* a devfs's device, or 0: all of them */
	int found;		/* devfs mounts seen */
	struct strv unruled;	/* mount points of devfs no rule was run on */
};

/*
 * One mount of the jail's: a devfs (a tmpfs named devfs, which only gaol
 * mounts) that the jail reaches at its mount point gives its nodes.
 */
static int
scan_mount(const struct mnt_info *m, void *arg)
{
	struct scan_ctx *c = arg;
	_cleanup_close_ int fd = -1;
	struct stat st;
	int dfd, r;

	if (strcmp(m->fstype, "tmpfs") != 0 || strcmp(m->source, "devfs") != 0)
		return 0;
	if (c->only != 0)	/* only whether this devfs is the jail's */
		return m->dev == c->only;
	r = mnt_open_beneath(c->rootfd, m->mp[1] == '\0' ? "." : m->mp + 1,
	    &fd);
	if (mnt_unreachable(r))
		return 0;	/* its nodes stay refused */
	if (r < 0)
		return jail_errctx(r, "devices");
	if (mnt_id_of(fd) != m->id)
		return 0;	/* beneath another mount: out of reach */
	c->found++;
	if (!devfs_ruled(fd))	/* every host node: not one of them */
		return strv_push(&c->unruled, m->mp);
	dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fstat(dfd, &st) < 0) {
		r = jail_syserr(-errno, "devices: %s", m->mp);
		if (dfd >= 0)
			(void)close(dfd);
		return r;
	}
	return scan_dir(c->l, dfd, st.st_dev, 0);
}

/*
 * Walk the mounts of running jail j (only: stop at the devfs of device
 * only, returning 1).  /proc/PID opened first, then checked to be j's
 * init: whatever is opened through it afterwards is that process's.
 */
static int
jail_mounts(const struct jail *j, struct scan_ctx *c)
{
	_cleanup_close_ int piddir = -1, rootfd = -1;
	char path[64];

	(void)snprintf(path, sizeof(path), "/proc/%d", (int)j->init.pid);
	piddir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (piddir < 0 || !proc_ref_alive(&j->init))
		return jail_seterr(-ESRCH, "jail \"%s\" not found",
		    jail_name(j));
	rootfd = openat(piddir, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return jail_syserr(-errno, "%s/root", path);
	c->rootfd = rootfd;
	return mnt_info_each(piddir, "mountinfo", scan_mount, c);
}

/* The ruleset whose devices stand for a devfs without rules. */
static unsigned
fallback_set(const struct jail *j)
{
	long long n = param_isset(&j->params, P_DEVFS_RULESET) ?
	    param_int(&j->params, P_DEVFS_RULESET) : 0;

	return n > 0 ? (unsigned)n : DEVFS_RULESET_JAIL;
}

static int
add_device(void *arg, mode_t type, dev_t rdev)
{
	return list_add(arg, type == S_IFCHR ? 'c' : 'b', (int)major(rdev),
	    (int)minor(rdev), ACC_RW);
}

/*
 * Jail j's list: its devfs mounts' nodes (else the classic ones), ptys;
 * the mount points of its devfs without rules in *unruled.
 */
static int
jail_list(const struct jail *j, struct dev_list *l, struct strv *unruled)
{
	struct scan_ctx c = { l, -1, 0, 0, { NULL, 0 } };
	int r = jail_mounts(j, &c);

	if (r >= 0 && c.found == 0)
		r = add_classic(l);
	if (r >= 0 && c.unruled.n > 0)
		r = devfs_ruleset_devices(fallback_set(j), add_device, l);
	if (r >= 0)
		r = add_ptys(l);
	if (r >= 0)
		qsort(l->v, l->n, sizeof(*l->v), rule_cmp);
	*unruled = c.unruled;
	return r;
}

/* ---- cgroup v1: devices.allow and devices.deny ---------------------- */

static void
acc_text(unsigned acc, char *buf)
{
	size_t n = 0;

	if (acc & ACC_R)
		buf[n++] = 'r';
	if (acc & ACC_W)
		buf[n++] = 'w';
	if (acc & ACC_M)
		buf[n++] = 'm';
	buf[n] = '\0';
}

static unsigned
acc_parse(const char *s)
{
	return (strchr(s, 'r') ? ACC_R : 0) | (strchr(s, 'w') ? ACC_W : 0) |
	    (strchr(s, 'm') ? ACC_M : 0);
}

/* A rule as devices.list shows it ("c 136:* rw"), acc in place of its. */
static void
rule_text(const struct dev_rule *r, unsigned acc, char *buf, size_t len)
{
	char maj[16] = "*", min[16] = "*", a[4];

	if (r->major != DEV_ANY)
		(void)snprintf(maj, sizeof(maj), "%d", r->major);
	if (r->minor != DEV_ANY)
		(void)snprintf(min, sizeof(min), "%d", r->minor);
	acc_text(acc, a);
	(void)snprintf(buf, len, "%c %s:%s %s", r->type, maj, min, a);
}

/* One line of devices.list into r: 0, or -EINVAL. */
static int
rule_parse(const char *line, struct dev_rule *r)
{
	char maj[16], min[16], acc[8];

	if (sscanf(line, "%c %15[^:]:%15s %7s", &r->type, maj, min, acc) != 4)
		return -EINVAL;
	r->major = strcmp(maj, "*") == 0 ? DEV_ANY : atoi(maj);
	r->minor = strcmp(min, "*") == 0 ? DEV_ANY : atoi(min);
	r->acc = acc_parse(acc);
	return 0;
}

/* The exceptions devices.list holds now; *ret_all: it allows all. */
static int
v1_current(const char *dir, struct dev_list *ret, bool *ret_all)
{
	char path[PATH_MAX + 32], line[64];
	_cleanup_fclose_ FILE *f = NULL;
	int r = 0;

	(void)snprintf(path, sizeof(path), "%s/devices.list", dir);
	f = fopen(path, "re");
	if (f == NULL)
		return jail_syserr(-errno, "%s", path);
	*ret_all = false;
	while (r >= 0 && fgets(line, sizeof(line), f) != NULL) {
		struct dev_rule x;

		if (rule_parse(line, &x) < 0)
			return jail_seterr(-EINVAL, "%s: cannot parse", path);
		if (x.type == 'a')
			*ret_all = true;	/* its default: allow */
		else
			r = list_add(ret, x.type, x.major, x.minor, x.acc);
	}
	return r;
}

/* One rule into the file dir/file, opened once in *fd for all of them. */
static int
v1_write(const char *dir, const char *file, int *fd, const char *text)
{
	char path[PATH_MAX];
	size_t n = strlen(text);

	if (*fd < 0) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >=
		    sizeof(path))
			return jail_seterr(-ENAMETOOLONG, "%s/%s: path too long",
			    dir, file);
		*fd = open(path, O_WRONLY | O_CLOEXEC);
		if (*fd < 0)
			return jail_syserr(-errno, "%s/%s", dir, file);
	}
	/* the kernel takes one rule a write(2) */
	if (write(*fd, text, n) != (ssize_t)n)
		return jail_syserr(-errno, "%s/%s: \"%s\"", dir, file, text);
	return 0;
}

static const struct dev_rule *
list_find(const struct dev_list *l, const struct dev_rule *r)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].type == r->type && l->v[i].major == r->major &&
		    l->v[i].minor == r->minor)
			return &l->v[i];
	return NULL;
}

/*
 * Make the v1 cgroup dir allow exactly l: from a default of allow (a new
 * cgroup), deny all first; else add what is missing, then take away what
 * is too much, so a running jail never loses a device it keeps.
 */
static int
v1_install(const char *dir, const struct dev_list *l)
{
	struct dev_list cur = { NULL, 0, 0 };
	_cleanup_close_ int allow = -1, deny = -1;
	char text[64];
	bool all = false;
	int r = v1_current(dir, &cur, &all);

	if (r >= 0 && all) {
		cur.n = 0;
		r = v1_write(dir, "devices.deny", &deny, "a");
	}
	for (size_t i = 0; r >= 0 && i < l->n; i++) {
		const struct dev_rule *c = list_find(&cur, &l->v[i]);

		rule_text(&l->v[i], l->v[i].acc, text, sizeof(text));
		if (c == NULL || (l->v[i].acc & ~c->acc) != 0)
			r = v1_write(dir, "devices.allow", &allow, text);
	}
	for (size_t i = 0; r >= 0 && i < cur.n; i++) {
		const struct dev_rule *w = list_find(l, &cur.v[i]);
		unsigned extra = cur.v[i].acc & ~(w != NULL ? w->acc : 0);

		rule_text(&cur.v[i], extra, text, sizeof(text));
		if (extra != 0)
			r = v1_write(dir, "devices.deny", &deny, text);
	}
	list_free(&cur);
	return r;
}

/* ---- both ------------------------------------------------------------ */

/*
 * Give jail j list l in the v1 devices cgroup and on cgroup2 cgroup v2fd
 * (-1: none).  first: the jail's first list, where a kernel without
 * device programs may leave cgroup2 to v1; after, only a program that is
 * attached is replaced.  Concurrent callers are serialised by a lock on
 * the jail's cgroup directory.
 */
static int
install(const struct jail *j, int v2fd, const struct dev_list *l, bool first)
{
	const char *v1 = j->cgv1[CG_DEVICES];
	_cleanup_close_ int lockfd = -1;
	uint32_t prog = 0;
	int r;

	if (v1 == NULL && v2fd < 0)
		return jail_seterr(-EOPNOTSUPP, "devices: not supported: no "
		    "devices cgroup (v1) and no cgroup2 hierarchy for a device "
		    "program; the jail could open every device node it finds");
	/* an open file description of its own: closing it lets go */
	lockfd = v2fd >= 0 ? openat(v2fd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC) : open(v1, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0)
		return jail_syserr(-errno, "devices: lock the jail's cgroup");
	if (v1 != NULL && (r = v1_install(v1, l)) < 0)
		return r;
	if (v2fd < 0 || (!first &&
	    cg_bpf_count(v2fd, BPF_CGROUP_DEVICE, &prog) == 0 && v1 != NULL))
		return 0;
	r = devbpf_set(v2fd, l, prog);
	/* no device programs in this kernel: v1 alone enforces the list */
	return r < 0 && first && v1 != NULL ? 0 : r;
}

/*
 * Before init is cloned into the cgroups cg: mknod of anything (init
 * makes the devfs's nodes), no open.  Refuses a jail with neither
 * controller.
 */
int
devctl_start(const struct jail *j, const struct cg_join *cg)
{
	struct dev_list l = { NULL, 0, 0 };
	int r = list_add(&l, 'b', DEV_ANY, DEV_ANY, ACC_M);

	if (r >= 0)
		r = list_add(&l, 'c', DEV_ANY, DEV_ANY, ACC_M);
	if (r >= 0)
		r = install(j, cg->v2, &l, true);
	list_free(&l);
	return r;
}

/* One line per devfs of jail j no rule was applied to (o: jail -c). */
static void
warn_unruled(const struct jail *j, const struct jail_ops *o,
    const struct strv *unruled)
{
	const char *path = param_str(&j->params, P_PATH);
	unsigned set = fallback_set(j);

	if (path == NULL || strcmp(path, "/") == 0)
		path = "";
	for (size_t i = 0; o != NULL && i < unruled->n; i++)
		jail_warn(o, j, "%s: warning: %s%s: a devfs with no ruleset "
		    "applied shows every host device; the jail may open only "
		    "those of ruleset %u (devfs -m %s%s rule -s %u applyset)\n",
		    jail_name(j), path, unruled->v[i], set, path,
		    unruled->v[i], set);
}

/*
 * Give running jail j the list of what its devfs mounts hold now; o:
 * jail -c's, to warn about a devfs without rules.
 */
int
devctl_apply(const struct jail *j, const struct jail_ops *o)
{
	_cleanup_(cg_join_close) struct cg_join cg = CG_JOIN_INIT;
	struct dev_list l = { NULL, 0, 0 };
	struct strv unruled = { NULL, 0 };
	int r = cg_open(j, &cg);

	if (r >= 0)
		r = jail_list(j, &l, &unruled);
	if (r >= 0)
		r = install(j, cg.v2, &l, false);
	if (r >= 0)
		warn_unruled(j, o, &unruled);
	strv_clear(&unruled);
	list_free(&l);
	return r;
}

/*
 * devfs(8) changed the devfs devfd: every running jail that has it among
 * its mounts gets its list again (a node unhidden becomes usable, one
 * hidden unusable, whatever other node names it).  The first error wins.
 */
int
devctl_devfs_changed(int devfd)
{
	struct jail **v = NULL;
	struct stat st;
	size_t n = 0;
	int r, ret = 0;

	if (fstat(devfd, &st) < 0)
		return jail_syserr(-errno, "devfs");
	r = registry_list(false, &v, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		struct scan_ctx c = { NULL, -1, st.st_dev, 0, { NULL, 0 } };

		if (v[i]->state != JS_ACTIVE || jail_mounts(v[i], &c) <= 0)
			continue;
		r = devctl_apply(v[i], NULL);
		if (r < 0 && ret == 0)
			ret = jail_errctx(r, "jail \"%s\"", jail_name(v[i]));
	}
	registry_list_free(v, n);
	return ret;
}

/* devfs(8) rule applyset and rule apply: the rules, then the jails. */
int
devctl_apply_set(int devfd, const struct devfs_rules *rs, unsigned set)
{
	int r = devfs_apply_set(devfd, rs, set);

	return r < 0 ? r : devctl_devfs_changed(devfd);
}

int
devctl_apply_rule(int devfd, const struct devfs_rules *rs,
    const struct devfs_rule *rule)
{
	int r = devfs_apply_rule(devfd, rs, rule);

	return r < 0 ? r : devctl_devfs_changed(devfd);
}
