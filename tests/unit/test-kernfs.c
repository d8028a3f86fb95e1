// SPDX-License-Identifier: BSD-2-Clause
/*
 * test-kernfs.c: mountinfo as lib/fs/kernfs.c reads it (what the check of a
 * jail's kernel file systems and the device list stand on).
 *
 * No root, no mount: a mountinfo written to a scratch file, its fields,
 * optional fields, octal escapes, the read-only flag, a stop, and a line
 * that does not parse.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "fs/fs.h"

struct seen {
	char text[8][512];
	size_t n;
	size_t stop_at;		/* stop after this many (0: never) */
};

static int
collect(const struct mnt_info *m, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8)
		(void)snprintf(s->text[s->n++], sizeof(s->text[0]),
		    "%llu %llu %u:%u [%s] [%s] %s [%s] %s",
		    (unsigned long long)m->id, (unsigned long long)m->parent,
		    major(m->dev), minor(m->dev), m->root, m->mp, m->fstype,
		    m->source, m->ro ? "ro" : "rw");
	return s->stop_at != 0 && s->n == s->stop_at ? 1 : 0;
}

/* A scratch file holding text; its path in buf. */
static void
scratch(char *buf, size_t len, const char *text)
{
	int fd;

	(void)snprintf(buf, len, "/tmp/gaol-test-kernfs.XXXXXX");
	fd = mkstemp(buf);
	CHECK(fd >= 0);
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	(void)close(fd);
}

static const char sample[] =
    "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
    "35 30 0:32 / /sys/fs/cgroup/devices ro,nosuid master:4 - cgroup "
    "cgroup rw,devices\n"
    "40 22 0:40 /sub /srv/my\\040jail/dev rw - tmpfs devfs rw,mode=755\n"
    "41 40 0:41 / /srv/my\\040jail/dev/pts rw,noatime,ro - devpts "
    "devpts rw\n";

TEST(fields)
{
	struct seen s = { .n = 0 };
	char path[64];

	scratch(path, sizeof(path), sample);
	CHECK_INT(mnt_info_each(AT_FDCWD, path, collect, &s), 0);
	CHECK_INT(s.n, 4);
	CHECK_STR(s.text[0], "22 1 254:1 [/] [/] ext4 [/dev/vda] rw");
	CHECK_STR(s.text[1],
	    "35 30 0:32 [/] [/sys/fs/cgroup/devices] cgroup [cgroup] ro");
	CHECK_STR(s.text[2],
	    "40 22 0:40 [/sub] [/srv/my jail/dev] tmpfs [devfs] rw");
	CHECK_STR(s.text[3],
	    "41 40 0:41 [/] [/srv/my jail/dev/pts] devpts [devpts] ro");
	(void)unlink(path);
}

TEST(stop)
{
	struct seen s = { .n = 0, .stop_at = 2 };
	char path[64];

	scratch(path, sizeof(path), sample);
	CHECK_INT(mnt_info_each(AT_FDCWD, path, collect, &s), 1);
	CHECK_INT(s.n, 2);
	(void)unlink(path);
}

TEST(bad_line)
{
	struct seen s = { .n = 0 };
	char path[64], msg[128];

	scratch(path, sizeof(path), "22 1 254:1 / / rw shared:1 ext4\n");
	CHECK_INT(mnt_info_each(AT_FDCWD, path, collect, &s), -EINVAL);
	(void)snprintf(msg, sizeof(msg), "%s: cannot parse", path);
	CHECK_STR(jail_errmsg, msg);
	CHECK_INT(s.n, 0);
	(void)unlink(path);
}

TEST(missing_file)
{
	struct seen s = { .n = 0 };

	CHECK_INT(mnt_info_each(AT_FDCWD, "/nonexistent/mountinfo", collect,
	    &s), -ENOENT);
	CHECK_STR(jail_errmsg, "/nonexistent/mountinfo: No such file or "
	    "directory");
}

TEST(this_process)
{
	struct seen s = { .n = 0, .stop_at = 1 };

	CHECK_INT(mnt_info_each(AT_FDCWD, "/proc/self/mountinfo", collect,
	    &s), 1);
	CHECK_INT(s.n, 1);
}

int
main(void)
{
	return harness_main();
}
