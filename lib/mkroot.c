// SPDX-License-Identifier: BSD-2-Clause
/*
 * mkroot.c: mkjail(8)'s jail roots: thick (a whole Debian tree at the
 * jail's path) and thin (a shared, cached, read-only base plus a layer of
 * the jail's own).
 *
 * Owns the checks of a request, the base cache (MKROOT_BASEDIR/SUITE-HASH,
 * HASH a digest of variant and package lists; made once, under a lock),
 * the layer (PATH.layer/upper and work, with the jail's etc files in
 * upper), and the jail.conf block.  Everything is built in a temporary
 * directory beside its final place and renamed into it, so a failure or
 * an interruption leaves nothing half-made.  Never mounts anything on
 * the host: a thin jail's overlay is mounted by the jail's init, in the
 * jail's mount namespace (fstab.c).  Never prints.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "jail-int.h"
#include "mkroot.h"

static void __attribute__((format(printf, 2, 3)))
step(const struct mkroot_req *rq, const char *fmt, ...)
{
	va_list ap;

	if (rq->ops == NULL || rq->ops->step == NULL)
		return;
	va_start(ap, fmt);
	rq->ops->step(fmt, ap);
	va_end(ap);
}

static const char *
or_default(const char *s, const char *def)
{
	return s != NULL && *s != '\0' ? s : def;
}

/* --- checks ------------------------------------------------------------ */

/* Only characters of accept, and not empty. */
static int
check_word(const char *what, const char *s, const char *accept)
{
	if (s == NULL || *s == '\0')
		return jail_seterr(-EINVAL, "empty %s", what);
	if (s[strspn(s, accept)] != '\0')
		return jail_seterr(-EINVAL, "%s \"%s\": invalid character '%c'",
		    what, s, s[strspn(s, accept)]);
	return 0;
}

#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

/* Names and lists: what debootstrap, jail.conf and a hosts file take. */
static int
check_names(const struct mkroot_req *rq)
{
	/* gaol's jail.conf: a jail name holds no dot */
	int r = check_word("jail name", rq->name, ALNUM "_-");

	if (r >= 0 && rq->name[strspn(rq->name, "0123456789")] == '\0')
		r = jail_seterr(-EINVAL, "jail name \"%s\": a number is a "
		    "jid, not a name", rq->name);
	if (r >= 0 && rq->hostname != NULL)
		r = check_word("hostname", rq->hostname, ALNUM "-.");
	if (r >= 0)
		r = check_word("suite", or_default(rq->suite, MKROOT_SUITE),
		    ALNUM "-._");
	if (r >= 0)
		r = check_word("variant", or_default(rq->variant,
		    MKROOT_VARIANT), ALNUM "-._");
	if (r >= 0 && rq->include != NULL)
		r = check_word("package list", rq->include, ALNUM "+-.,:");
	if (r >= 0 && rq->exclude != NULL)
		r = check_word("package list", rq->exclude, ALNUM "+-.,:");
	if (r >= 0 && rq->mirror != NULL && strpbrk(rq->mirror, " \t\n\"\\"))
		r = jail_seterr(-EINVAL, "mirror \"%s\": not a URL",
		    rq->mirror);
	return r;
}

static int
check_address(const char *a)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (a == NULL || inet_pton(AF_INET, a, buf) == 1 ||
	    inet_pton(AF_INET6, a, buf) == 1)
		return 0;
	return jail_seterr(-EINVAL, "address \"%s\": not an IPv4 or IPv6 "
	    "address", a);
}

/* path: absent, or an empty directory. */
static int
check_empty(const char *path)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : jail_syserr(-errno, "%s", path);
	if (!S_ISDIR(st.st_mode))
		return jail_seterr(-EEXIST, "%s: exists and is not a "
		    "directory", path);
	d = opendir(path);
	if (d == NULL)
		return jail_syserr(-errno, "%s", path);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			return jail_seterr(-ENOTEMPTY, "%s: not empty", path);
	return 0;
}

/* The layer directory of a thin jail at path. */
static int
layer_path(const char *path, char *buf, size_t len)
{
	if (snprintf(buf, len, "%s" MKROOT_LAYER_SUFFIX, path) >= (int)len)
		return jail_seterr(-ENAMETOOLONG, "%s: path too long", path);
	return 0;
}

/* Whether a is b or below it. */
static bool
path_within(const char *a, const char *b)
{
	size_t len = strlen(b);

	return strncmp(a, b, len) == 0 && (a[len] == '\0' || a[len] == '/');
}

/*
 * The folder holding jail roots (path's parent) must be root's alone,
 * as on FreeBSD: a jail's root user makes set-user-ID files in its root,
 * a root shell for any host user who can reach them.  One that is wider
 * than 0700 is narrowed by mkroot_make (jails_folder), unless it is
 * shared with the rest of the system -- "/", a top-level directory
 * (/srv, /home: chmod 700 would lock their users out), a sticky one
 * (/tmp) or one another user owns (who could open it again) -- which is
 * refused: the jail needs a folder of its own.
 */
static int
check_folder(const char *path)
{
	_cleanup_free_ char *copy = strdup(path);
	const char *dir = copy != NULL ? dirname(copy) : NULL;
	struct stat st;

	if (dir == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	if (stat(dir, &st) < 0)
		return errno == ENOENT ? 0 : jail_syserr(-errno, "%s", dir);
	if ((st.st_mode & 077) == 0 && st.st_uid == 0)
		return 0;
	if (strchr(dir + 1, '/') != NULL && (st.st_mode & S_ISVTX) == 0 &&
	    st.st_uid == 0)
		return 0;	/* narrowed by jails_folder */
	return jail_seterr(-EPERM, "%s: mode %04o%s lets the host's users "
	    "reach the jail's set-user-ID files, and it is no folder of jails "
	    "alone; put the jail in one, mode 0700 (say %s/jail/%s)", dir,
	    (unsigned)(st.st_mode & 07777), st.st_uid != 0 ?
	    ", another user's," : "", strcmp(dir, "/") == 0 ? "/srv" : dir,
	    strrchr(path, '/') + 1);
}

static int
check_paths(const struct mkroot_req *rq)
{
	const char *base = or_default(rq->basedir, MKROOT_BASEDIR);
	char layer[PATH_MAX];
	int r;

	if (rq->path == NULL || rq->path[0] != '/' ||
	    strcmp(rq->path, "/") == 0)
		return jail_seterr(-EINVAL, "path \"%s\": not an absolute "
		    "path below /", rq->path != NULL ? rq->path : "");
	if (path_within(rq->path, base) || path_within(base, rq->path))
		return jail_seterr(-EINVAL, "path %s: overlaps the base "
		    "cache %s", rq->path, base);
	r = check_empty(rq->path);
	if (r >= 0)
		r = check_folder(rq->path);
	if (r < 0 || !rq->thin)
		return r;
	r = layer_path(rq->path, layer, sizeof(layer));
	if (r >= 0 && access(layer, F_OK) == 0)
		r = jail_seterr(-EEXIST, "%s: exists (a thin jail's layer)",
		    layer);
	return r;
}

/*
 * path as jail(8) will see it: absolute (from the working directory),
 * its longest existing part resolved by realpath(3), the rest as given
 * but for "." and ".." (refused: they would be resolved later, maybe
 * elsewhere).  The overlay line's mount point must be exactly the jail's
 * resolved path.
 */
int
mkroot_canon(const char *path, char *buf, size_t len)
{
	char abs[PATH_MAX], real[PATH_MAX], rest[PATH_MAX] = "", tmp[PATH_MAX];
	int n;

	n = path[0] == '/' ? snprintf(abs, sizeof(abs), "%s", path) :
	    snprintf(abs, sizeof(abs), "%s/%s", getcwd(real, sizeof(real)) ?
	    real : ".", path);
	if (n < 0 || (size_t)n >= sizeof(abs))
		return jail_seterr(-ENAMETOOLONG, "%s: path too long", path);
	/* realpath("/") succeeds: the walk up ends */
	while (realpath(abs, real) == NULL) {
		char *slash = strrchr(abs, '/');

		if (errno != ENOENT || slash == NULL)
			return jail_syserr(-errno, "%s", path);
		if (strcmp(slash + 1, ".") == 0 || strcmp(slash + 1, "..") == 0)
			return jail_seterr(-EINVAL, "%s: \".\" or \"..\" in a "
			    "part that does not exist yet", path);
		if (slash[1] != '\0') {
			(void)snprintf(tmp, sizeof(tmp), "%s%s%s", slash + 1,
			    *rest != '\0' ? "/" : "", rest);
			(void)snprintf(rest, sizeof(rest), "%s", tmp);
		}
		if (slash == abs)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	n = snprintf(buf, len, "%s%s%s", strcmp(real, "/") == 0 ? "" : real,
	    *rest != '\0' || strcmp(real, "/") == 0 ? "/" : "", rest);
	if (n < 0 || (size_t)n >= len)
		return jail_seterr(-ENAMETOOLONG, "%s: path too long", path);
	return 0;
}

/* Check a request (names, address, path) before anything is made. */
int
mkroot_check(const struct mkroot_req *rq)
{
	int r = check_names(rq);

	if (r >= 0)
		r = check_address(rq->address);
	if (r >= 0)
		r = check_paths(rq);
	return r;
}

/* --- package lists and the base's name -------------------------------- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* a,b (either may be NULL) as one sorted list without duplicates. */
static int
list_join(const char *a, const char *b, char **ret)
{
	_cleanup_free_ char *all = NULL;
	struct strv v = { NULL, 0 };
	char *save = NULL, *out;
	size_t len = 1;
	int r = 0;

	if (asprintf(&all, "%s,%s", a ? a : "", b ? b : "") < 0)
		return jail_seterr(-ENOMEM, "out of memory");
	for (char *w = strtok_r(all, ",", &save); w != NULL && r >= 0;
	     w = strtok_r(NULL, ",", &save)) {
		len += strlen(w) + 1;
		r = strv_push(&v, w);
	}
	out = r >= 0 ? calloc(1, len) : NULL;
	if (out == NULL) {
		strv_clear(&v);
		return jail_seterr(-ENOMEM, "out of memory");
	}
	if (v.n > 0)
		qsort(v.v, v.n, sizeof(*v.v), cmp_str);
	for (size_t i = 0; i < v.n; i++)
		if (i == 0 || strcmp(v.v[i], v.v[i - 1]) != 0)
			(void)strcat(strcat(out, *out ? "," : ""), v.v[i]);
	strv_clear(&v);
	*ret = out;
	return 0;
}

/* What debootstrap is asked for: suite, variant, mirror, the lists. */
struct pkgset {
	const char *suite, *variant;
	char *mirror, *include, *exclude;
};

static void
pkgset_clear(struct pkgset *s)
{
	free(s->mirror);
	free(s->include);
	free(s->exclude);
}

static int
pkgset_make(const struct mkroot_req *rq, struct pkgset *s)
{
	int r;

	s->suite = or_default(rq->suite, MKROOT_SUITE);
	s->variant = or_default(rq->variant, MKROOT_VARIANT);
	r = list_join(MKROOT_INCLUDE, rq->include, &s->include);
	if (r >= 0)
		r = list_join(MKROOT_EXCLUDE, rq->exclude, &s->exclude);
	if (r >= 0 && rq->mirror != NULL)
		s->mirror = strdup(rq->mirror);
	else if (r >= 0)
		r = dbs_host_mirror("", s->suite, &s->mirror);
	if (r >= 0 && s->mirror == NULL)
		s->mirror = strdup(MKROOT_MIRROR);
	if (r >= 0 && s->mirror == NULL)
		r = jail_seterr(-ENOMEM, "out of memory");
	return r;
}

/* FNV-1a, folded to 32 bits: names a base by what it holds. */
static unsigned
pkgset_hash(const struct pkgset *s)
{
	const char *parts[] = { s->variant, "\n", s->include, "\n",
		s->exclude, "\n", MKROOT_RECIPE };
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < nitems(parts); i++)
		for (const char *c = parts[i]; *c != '\0'; c++)
			h = (h ^ (unsigned char)*c) * 0x100000001b3ULL;
	return (unsigned)(h ^ (h >> 32));
}

/* --- building a tree beside its place ---------------------------------- */

/* mkdir -p: dir and its missing parents, 0755; errno on failure. */
static int
mkdir_p(const char *dir)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *c = buf + 1; *c != '\0'; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*c = '/';
	}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* parent (made if missing, 0755) of path, and a temporary dir in it. */
static int
temp_beside(const char *path, const char *tag, char *buf, size_t len)
{
	_cleanup_free_ char *copy = strdup(path), *copy2 = strdup(path);
	char *parent, *base;

	if (copy == NULL || copy2 == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	parent = dirname(copy);
	base = basename(copy2);
	if (mkdir_p(parent) < 0)
		return jail_syserr(-errno, "mkdir %s", parent);
	if (snprintf(buf, len, "%s/.%s.%s.XXXXXX", parent, base, tag) >=
	    (int)len)
		return jail_seterr(-ENAMETOOLONG, "%s: path too long", path);
	if (mkdtemp(buf) == NULL)
		return jail_syserr(-errno, "mkdtemp %s", buf);
	return 0;
}

/* Remove a temporary tree, keeping the message of the first failure. */
static void
temp_remove(const char *tmp)
{
	char saved[JAIL_ERRMSGLEN];

	memcpy(saved, jail_errmsg, sizeof(saved));
	(void)dbs_remove_tree(tmp);
	memcpy(jail_errmsg, saved, sizeof(saved));
}

/*
 * debootstrap s into tmp (an empty directory), then no policy-rc.d and
 * the init scripts as a jail runs them.
 */
static int
bootstrap(const struct mkroot_req *rq, const struct pkgset *s,
    const char *tmp)
{
	struct dbs_run run = { s->suite, s->variant, s->mirror, s->include,
		s->exclude, tmp, rq->ops };
	_cleanup_close_ int fd = -1;
	int r;

	step(rq, "debootstrap %s from %s (variant %s, with %s) ...",
	    s->suite, s->mirror, s->variant, s->include);
	r = dbs_run(&run);
	if (r < 0)
		return r;
	fd = open(tmp, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return jail_syserr(-errno, "%s", tmp);
	if (chmod(tmp, 0755) < 0)
		return jail_syserr(-errno, "chmod %s", tmp);
	r = rootetc_no_policy(fd);
	if (r >= 0)
		r = rootetc_no_hostkeys(fd);
	return r < 0 ? r : rootetc_boot(tmp);
}

/*
 * The jail's hostname: -H's, else its name with '_' (which a hostname
 * may not hold: Debian's hostname.sh refuses it) made '-'.  Malloc'd.
 */
char *
mkroot_hostname(const struct mkroot_req *rq)
{
	char *h = strdup(or_default(rq->hostname, rq->name));

	for (char *c = h; c != NULL && *c != '\0'; c++)
		if (*c == '_')
			*c = '-';
	return h;
}

/* The jail's etc files beneath dir. */
static int
write_etc(const struct mkroot_req *rq, const char *dir)
{
	_cleanup_close_ int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_free_ char *host = mkroot_hostname(rq);
	struct rootetc e = { host, rq->address };

	if (host == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	if (fd < 0)
		return jail_syserr(-errno, "%s", dir);
	return rootetc_write(fd, &e);
}

/* rename(2) tmp onto path (absent or an empty directory). */
static int
put_in_place(const char *tmp, const char *path)
{
	if (dbs_interrupted())
		return jail_seterr(-EINTR, "interrupted");
	if (rename(tmp, path) < 0)
		return jail_syserr(-errno, "rename %s to %s", tmp, path);
	return 0;
}

/* A thick root: debootstrap beside path, etc files, rename into place. */
static int
make_thick(const struct mkroot_req *rq, const struct pkgset *s)
{
	char tmp[PATH_MAX];
	int r = temp_beside(rq->path, "mkjail", tmp, sizeof(tmp));

	if (r < 0)
		return r;
	r = bootstrap(rq, s, tmp);
	if (r >= 0)
		r = write_etc(rq, tmp);
	if (r >= 0)
		r = put_in_place(tmp, rq->path);
	if (r < 0)
		temp_remove(tmp);
	return r;
}

/* --- the base cache ----------------------------------------------------- */

/*
 * Whoever holds the lock is the only one making a base: older temporary
 * directories are what an interrupted or killed run left.
 */
static void
remove_stale(const char *basedir, const char *name)
{
	char pattern[PATH_MAX];
	glob_t g;

	(void)snprintf(pattern, sizeof(pattern), "%s/.%s.base.*", basedir,
	    name);
	if (glob(pattern, GLOB_NOSORT, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++)
		temp_remove(g.gl_pathv[i]);
	globfree(&g);
}

static int
base_lock(const struct mkroot_req *rq, const char *basedir, int *ret_fd)
{
	char lock[PATH_MAX];
	int fd;

	if (mkdir_p(basedir) < 0)
		return jail_syserr(-errno, "mkdir %s", basedir);
	(void)snprintf(lock, sizeof(lock), "%s/.lock", basedir);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return jail_syserr(-errno, "%s", lock);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		step(rq, "waiting for %s (another mkjail makes a base)", lock);
		while (flock(fd, LOCK_EX) < 0)
			if (errno != EINTR || dbs_interrupted()) {
				(void)close(fd);
				return jail_syserr(-errno, "flock %s", lock);
			}
	}
	*ret_fd = fd;
	return 0;
}

/* The base for s, made unless cached; its path into buf. */
static int
base_get(const struct mkroot_req *rq, const struct pkgset *s, char *buf,
    size_t len)
{
	const char *basedir = or_default(rq->basedir, MKROOT_BASEDIR);
	_cleanup_close_ int lock = -1;
	char tmp[PATH_MAX];
	const char *name;
	int r;

	if (snprintf(buf, len, "%s/%s-%08x", basedir, s->suite,
	    pkgset_hash(s)) >= (int)len)
		return jail_seterr(-ENAMETOOLONG, "%s: too long", basedir);
	name = buf + strlen(basedir) + 1;
	r = base_lock(rq, basedir, &lock);
	if (r < 0)
		return r;
	if (access(buf, F_OK) == 0) {
		step(rq, "using the cached base %s", buf);
		return 0;
	}
	remove_stale(basedir, name);
	r = temp_beside(buf, "base", tmp, sizeof(tmp));
	if (r < 0)
		return r;
	r = bootstrap(rq, s, tmp);
	if (r >= 0)
		r = put_in_place(tmp, buf);
	if (r < 0)
		temp_remove(tmp);
	return r;
}

/* --- a thin jail's layer ------------------------------------------------ */

/*
 * upper (with etc, the jail's files) and work in tmp.  upper is the
 * jail's "/" and upper/etc its /etc: 0755 whatever mkjail's umask.  The
 * layer itself is 0700: the host's users have no business in a jail's
 * files (its set-user-ID programs among them).
 */
static int
layer_fill(const struct mkroot_req *rq, const char *tmp)
{
	static const struct {
		const char *name;
		mode_t mode;
	} dirs[] = { { "upper", 0755 }, { "upper/etc", 0755 },
		{ "work", 0700 } };
	char d[PATH_MAX];

	if (chmod(tmp, 0700) < 0)
		return jail_syserr(-errno, "chmod %s", tmp);
	for (size_t i = 0; i < nitems(dirs); i++) {
		(void)snprintf(d, sizeof(d), "%s/%s", tmp, dirs[i].name);
		if (mkdir(d, dirs[i].mode) < 0 || chmod(d, dirs[i].mode) < 0)
			return jail_syserr(-errno, "mkdir %s", d);
	}
	(void)snprintf(d, sizeof(d), "%s/upper", tmp);
	return write_etc(rq, d);
}

/* A thin jail: the base, then the layer beside path, then path. */
static int
make_thin(const struct mkroot_req *rq, const struct pkgset *s)
{
	char base[PATH_MAX], layer[PATH_MAX], tmp[PATH_MAX];
	int r = base_get(rq, s, base, sizeof(base));

	if (r >= 0)
		r = layer_path(rq->path, layer, sizeof(layer));
	if (r >= 0)
		r = temp_beside(layer, "mkjail", tmp, sizeof(tmp));
	if (r < 0)
		return r;
	r = layer_fill(rq, tmp);
	if (r >= 0)
		r = put_in_place(tmp, layer);
	if (r < 0) {
		temp_remove(tmp);
		return r;
	}
	if ((mkdir(rq->path, 0755) < 0 && errno != EEXIST) ||
	    chmod(rq->path, 0755) < 0) {
		r = jail_syserr(-errno, "mkdir %s", rq->path);
		temp_remove(layer);
		return r;
	}
	step(rq, "thin jail %s: base %s, layer %s", rq->name, base, layer);
	return 0;
}

/* The base a thin jail of rq has (whether made yet or not). */
int
mkroot_base_path(const struct mkroot_req *rq, char *buf, size_t len)
{
	struct pkgset s = { 0 };
	int r = pkgset_make(rq, &s);

	if (r >= 0 && snprintf(buf, len, "%s/%s-%08x", or_default(rq->basedir,
	    MKROOT_BASEDIR), s.suite, pkgset_hash(&s)) >= (int)len)
		r = jail_seterr(-ENAMETOOLONG, "base path too long");
	pkgset_clear(&s);
	return r;
}

/* dir made 0700, its missing parents 0755. */
static int
folder_make(const char *dir)
{
	_cleanup_free_ char *up = strdup(dir);

	if (up == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	if (mkdir_p(dirname(up)) < 0 || (mkdir(dir, 0700) < 0 &&
	    errno != EEXIST) || chmod(dir, 0700) < 0)
		return jail_syserr(-errno, "mkdir %s", dir);
	return 0;
}

/*
 * The folder holding jail roots (check_folder): made 0700 when missing,
 * narrowed to 0700 when wider, which is said: its other users lose it.
 */
static int
jails_folder(const struct mkroot_req *rq)
{
	_cleanup_free_ char *copy = strdup(rq->path);
	const char *dir = copy != NULL ? dirname(copy) : NULL;
	struct stat st;

	if (dir == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	if (stat(dir, &st) < 0)
		return errno == ENOENT ? folder_make(dir) :
		    jail_syserr(-errno, "%s", dir);
	if ((st.st_mode & 077) == 0)
		return 0;
	if (chmod(dir, st.st_mode & 07700) < 0)
		return jail_syserr(-errno, "chmod %s", dir);
	step(rq, "%s: mode %04o let the host's users reach the jails' "
	    "set-user-ID files; now %04o", dir, (unsigned)(st.st_mode & 07777),
	    (unsigned)(st.st_mode & 07700));
	return 0;
}

/* Make the root (thick) or the base and layer (thin) rq describes. */
int
mkroot_make(const struct mkroot_req *rq)
{
	struct pkgset s = { 0 };
	int r = mkroot_check(rq);

	if (r >= 0)
		r = jails_folder(rq);
	if (r >= 0)
		r = pkgset_make(rq, &s);
	if (r >= 0)
		r = rq->thin ? make_thin(rq, &s) : make_thick(rq, &s);
	pkgset_clear(&s);
	return r;
}

/* --- removal ------------------------------------------------------------ */

/* Is a jail running on path?  Its name, then. */
static int
jail_on(const char *path, char **ret_name)
{
	struct jail **v = NULL;
	size_t n = 0;
	int r = registry_list(false, &v, &n);

	*ret_name = NULL;
	for (size_t i = 0; r >= 0 && i < n && *ret_name == NULL; i++) {
		const char *p = param_str(&v[i]->params, P_PATH);

		if (p != NULL && strcmp(p, path) == 0 &&
		    (*ret_name = strdup(jail_name(v[i]))) == NULL)
			r = jail_seterr(-ENOMEM, "out of memory");
	}
	registry_list_free(v, n);
	return r;
}

/* A thin jail's layer and empty mount point removed (mkjail -r). */
int
mkroot_remove(const struct mkroot_req *rq)
{
	_cleanup_free_ char *running = NULL;
	char layer[PATH_MAX];
	int r = layer_path(rq->path, layer, sizeof(layer));

	if (r < 0)
		return r;
	if (access(layer, F_OK) < 0)
		return jail_syserr(-errno, "%s: not a thin jail: %s",
		    rq->path, layer);
	r = jail_on(rq->path, &running);
	if (r >= 0 && running != NULL)
		r = jail_seterr(-EBUSY, "%s: jail \"%s\" runs on it; jail -r "
		    "it first", rq->path, running);
	if (r >= 0)
		r = check_empty(rq->path);
	if (r < 0)
		return r;
	r = dbs_remove_tree(layer);
	if (r >= 0 && rmdir(rq->path) < 0 && errno != ENOENT)
		r = jail_syserr(-errno, "rmdir %s", rq->path);
	return r;
}
