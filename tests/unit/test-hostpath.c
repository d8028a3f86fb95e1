// SPDX-License-Identifier: BSD-2-Clause
/*
 * test-hostpath.c: host paths looked up against the trees jails write
 * (lib/fs/hostpath.c, lib/fs/trees.c's set).
 *
 * No root, no mount: a scratch directory in /tmp with a "jail root" in
 * it (a tree), links planted inside and outside it, and every result and
 * message, exactly, with openat2 and with its component-walk fallback.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "fs/fs.h"

static char top[PATH_MAX];	/* the scratch directory */

static void
at(char *buf, const char *rel)
{
	(void)snprintf(buf, PATH_MAX, "%s/%s", top, rel);
}

/*
 * top/root (the tree) with dir/ and shared/x -> "/"; top/host/ outside
 * it; top/hostlink -> root/shared, top/srclink -> host.
 */
static void
scratch(struct trees *t)
{
	char p[PATH_MAX], q[PATH_MAX];
	int fd;

	(void)snprintf(top, sizeof(top), "/tmp/gaol-unit.XXXXXX");
	if (mkdtemp(top) == NULL)
		abort();
	at(p, "root"), (void)mkdir(p, 0755);
	at(p, "root/dir"), (void)mkdir(p, 0755);
	at(p, "root/shared"), (void)mkdir(p, 0755);
	at(p, "root/shared/x"), (void)symlink("/", p);
	at(p, "root/fstab"), (void)close(open(p, O_CREAT | O_WRONLY, 0644));
	at(p, "host"), (void)mkdir(p, 0755);
	at(p, "host/fifo"), (void)mkfifo(p, 0600);
	at(p, "hostlink"), at(q, "root/shared"), (void)symlink(q, p);
	at(p, "srclink"), (void)symlink("host", p);
	at(p, "root");
	fd = open(p, O_PATH | O_DIRECTORY);
	CHECK_INT(trees_add_fd(t, fd), 0);
	(void)close(fd);
}

static void
unscratch(void)
{
	char cmd[PATH_MAX + 16];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	(void)system(cmd);
}

/* host_open(rel) gives the directory rel2 names; inside as expected. */
static void
opens(const struct trees *t, const char *rel, const char *rel2, bool inside)
{
	char p[PATH_MAX], q[PATH_MAX];
	struct stat a, b;
	bool in = !inside;
	int fd = -1;

	at(p, rel);
	at(q, rel2);
	CHECK_INT(host_open(t, p, 0, "a source", &fd, &in), 0);
	CHECK(fd >= 0 && fstat(fd, &a) == 0 && stat(q, &b) == 0 &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	CHECK_INT(in, inside);
	if (fd >= 0)
		(void)close(fd);
}

/* host_open(rel, flags) fails with r and "TOP/" + msg. */
static void
refused(const struct trees *t, const char *rel, unsigned flags, int r,
    const char *msg)
{
	char p[PATH_MAX], want[PATH_MAX * 2];
	int fd = -1;

	at(p, rel);
	(void)snprintf(want, sizeof(want), "%s/%s", top, msg);
	CHECK_INT(host_open(t, p, flags, "a source", &fd, NULL), r);
	CHECK_STR(jail_errmsg, want);
	CHECK_INT(fd, -1);
}

static void
cases(void)
{
	struct trees t = TREES_INIT;

	scratch(&t);
	opens(&t, "host", "host", false);
	opens(&t, "srclink", "host", false);
	opens(&t, "root", "root", false);
	opens(&t, "root/dir", "root/dir", true);
	opens(&t, "host/../root/./dir", "root/dir", true);
	refused(&t, "root/shared/x", 0, -ELOOP, "root/shared/x: a symbolic "
	    "link; refusing a source inside a jail's root");
	refused(&t, "hostlink/x", 0, -ELOOP, "root/shared/x: a symbolic "
	    "link; refusing a source inside a jail's root");
	refused(&t, "root/shared/x/etc", 0, -ELOOP, "root/shared/x: a "
	    "symbolic link; refusing a source inside a jail's root");
	refused(&t, "root/dir/../dir", 0, -EXDEV, "root/dir/..: \"..\"; "
	    "refusing a source inside a jail's root");
	refused(&t, "root/none", 0, -ENOENT,
	    "root/none: No such file or directory");
	refused(&t, "srclink", HO_NOLINKS, -ELOOP,
	    "srclink is a symbolic link");
	refused(&t, "host/..", HO_NOLINKS, -EXDEV, "host/..: \"..\" is "
	    "refused");
	trees_clear(&t);
	unscratch();
}

TEST(openat2)
{
	(void)unsetenv("GAOL_FORCE_NOOPENAT2");
	cases();
}

/* The walk without openat2: in a -Dtest_switches=true build only. */
TEST(component_walk)
{
	(void)setenv("GAOL_FORCE_NOOPENAT2", "1", 1);
	cases();
}

TEST(relative_and_magic)
{
	char want[64];
	int fd = -1;

	CHECK_INT(host_open(NULL, "tmp", 0, "a source", &fd, NULL), -EINVAL);
	CHECK_STR(jail_errmsg, "tmp: not an absolute path");
	CHECK_INT(host_open(NULL, "/proc/self/root/etc", 0, "a source", &fd,
	    NULL), -ELOOP);
	(void)snprintf(want, sizeof(want), "/proc/%d/root: a link of /proc; "
	    "refusing a source through it", (int)getpid());
	CHECK_STR(jail_errmsg, want);
	/* the plain links of /proc's top are fine */
	CHECK_INT(host_open(NULL, "/proc/self/fdinfo", 0, "a source", &fd,
	    NULL), 0);
	(void)close(fd);
}

TEST(files)
{
	struct trees t = TREES_INIT;
	char p[PATH_MAX], want[PATH_MAX * 2];
	FILE *f = NULL;

	scratch(&t);
	at(p, "root/fstab");
	CHECK_INT(host_open_file(&t, p, &f), -EPERM);
	(void)snprintf(want, sizeof(want), "%s: inside a jail's root, which "
	    "its root user writes; keep it outside every jail's path", p);
	CHECK_STR(jail_errmsg, want);
	at(p, "host/fifo");
	CHECK_INT(host_open_file(&t, p, &f), -EINVAL);
	(void)snprintf(want, sizeof(want), "%s: not a regular file", p);
	CHECK_STR(jail_errmsg, want);
	CHECK(f == NULL);
	trees_clear(&t);
	unscratch();
}

TEST(reachable)
{
	struct trees t = TREES_INIT;
	char p[PATH_MAX], fix[PATH_MAX];
	struct statvfs vfs;
	bool reach = true;

	scratch(&t);
	at(p, "root");
	CHECK_INT(chmod(top, 0700), 0);
	CHECK_INT(host_reachable(p, &reach, fix, sizeof(fix)), 0);
	CHECK(!reach || getuid() != 0);	/* not root: top is someone's */
	CHECK_STR(fix, top);
	CHECK_INT(chmod(top, 0755), 0);
	CHECK_INT(host_reachable(p, &reach, fix, sizeof(fix)), 0);
	CHECK(reach || (statvfs(p, &vfs) == 0 && (vfs.f_flag & ST_NOSUID)));
	trees_clear(&t);
	unscratch();
}

int
main(void)
{
	return harness_main();
}
