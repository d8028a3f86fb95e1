// SPDX-License-Identifier: BSD-2-Clause
/*
 * test-fstab.c: the fstab(5) line parser, mount options and mount
 * points below a jail's path (lib/fs/fstab.c).
 *
 * No root, no mount: fields, comments, \040 escapes, every option kind
 * and every error message, exactly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "../lib/harness.h"
#include "fs/fs.h"

/* Parse line; expect an entry with these four fields. */
static void
parse_ok(const char *line, const char *spec, const char *file,
    const char *type, const char *opts)
{
	struct fstab_ent e = { 0 };

	CHECK_INT(fstab_parse_line(line, &e), 1);
	CHECK_STR(e.spec, spec);
	CHECK_STR(e.file, file);
	CHECK_STR(e.vfstype, type);
	CHECK_STR(e.mntops, opts);
	fstab_ent_clear(&e);
}

/* Parse line; expect error r with message msg and no entry. */
static void
parse_err(const char *line, int r, const char *msg)
{
	struct fstab_ent e = { 0 };

	CHECK_INT(fstab_parse_line(line, &e), r);
	CHECK_STR(jail_errmsg, msg);
	CHECK(e.spec == NULL && e.file == NULL);
}

TEST(fields)
{
	struct fstab_ent e = { 0 };

	parse_ok("/a /srv/j/a nullfs ro", "/a", "/srv/j/a", "nullfs", "ro");
	parse_ok("  tmpfs\t/srv/j/tmp  tmpfs\trw,size=1m 0 0\n", "tmpfs",
	    "/srv/j/tmp", "tmpfs", "rw,size=1m");
	CHECK_INT(fstab_parse_line("proc /srv/j/proc procfs rw 1 2", &e), 1);
	CHECK_INT(e.freq, 1);
	CHECK_INT(e.passno, 2);
	fstab_ent_clear(&e);
	CHECK_INT(fstab_parse_line("proc /p procfs rw", &e), 1);
	CHECK_INT(e.freq, 0);
	CHECK_INT(e.passno, 0);
	fstab_ent_clear(&e);
}

TEST(comments_and_blanks)
{
	struct fstab_ent e = { 0 };

	CHECK_INT(fstab_parse_line("", &e), 0);
	CHECK_INT(fstab_parse_line("\n", &e), 0);
	CHECK_INT(fstab_parse_line(" \t \n", &e), 0);
	CHECK_INT(fstab_parse_line("# a comment", &e), 0);
	CHECK_INT(fstab_parse_line("   #indented /a /b nullfs ro", &e), 0);
	CHECK(e.spec == NULL);
	/* any word opening with '#' starts a comment */
	parse_ok("/a /b nullfs ro # the base", "/a", "/b", "nullfs", "ro");
	parse_ok("/a /b nullfs ro 0 0 #x", "/a", "/b", "nullfs", "ro");
	parse_err("/a #b nullfs ro", -EINVAL, "missing mount point");
	parse_ok("/a /b# nullfs ro", "/a", "/b#", "nullfs", "ro");
}

TEST(escapes)
{
	parse_ok("/my\\040data /srv/j/a\\011b nullfs ro", "/my data",
	    "/srv/j/a\tb", "nullfs", "ro");
	parse_ok("/a\\134b /c\\043d nullfs ro", "/a\\b", "/c#d", "nullfs",
	    "ro");
	/* not three octal digits: kept as they are */
	parse_ok("/a\\x /b\\08 nullfs ro", "/a\\x", "/b\\08", "nullfs", "ro");
	parse_ok("/a\\4000 /b nullfs ro", "/a\\4000", "/b", "nullfs", "ro");
	parse_err("/a\\000 /b nullfs ro", -EINVAL, "bad escape \"\\000\"");
}

TEST(field_errors)
{
	parse_err("/a", -EINVAL, "missing mount point");
	parse_err("/a /b", -EINVAL, "missing file system type");
	parse_err("/a /b nullfs", -EINVAL, "missing options");
	parse_err("/a /b nullfs # ro", -EINVAL, "missing options");
	parse_err("/a /b nullfs ro x", -EINVAL,
	    "dump field \"x\" is not a number");
	parse_err("/a /b nullfs ro -1", -EINVAL,
	    "dump field \"-1\" is not a number");
	parse_err("/a /b nullfs ro 0 2x", -EINVAL,
	    "pass field \"2x\" is not a number");
	parse_err("/a /b nullfs ro 0 99999999999", -EINVAL,
	    "pass field \"99999999999\" is not a number");
	parse_err("/a /b nullfs ro 0 0 extra", -EINVAL, "too many fields");
}

/* Parse opts for type; expect success. */
static struct mnt_opts
opts_ok(const char *type, const char *opts)
{
	struct mnt_opts o = MNT_OPTS_INIT;

	CHECK_INT(mnt_opts_parse(type, opts, false, &o), 0);
	return o;
}

static void
opts_err(const char *type, const char *opts, int r, const char *msg)
{
	struct mnt_opts o = MNT_OPTS_INIT;

	CHECK_INT(mnt_opts_parse(type, opts, false, &o), r);
	CHECK_STR(jail_errmsg, msg);
	mnt_opts_clear(&o);
}

TEST(generic_options)
{
	struct mnt_opts o = opts_ok("nullfs", "ro,nosuid,nodev,noexec");

	CHECK_INT(o.flags, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
	CHECK(o.data == NULL);
	CHECK_INT(o.ruleset, -1);
	CHECK(!o.noauto && !o.late);
	/* the last word wins */
	o = opts_ok("nullfs", "ro,rw,nosuid,suid,noexec,exec,nodev,dev");
	CHECK_INT(o.flags, 0);
	o = opts_ok("tmpfs", "defaults,auto,noatime,nodiratime,sync");
	CHECK_INT(o.flags, MS_NOATIME | MS_NODIRATIME | MS_SYNCHRONOUS);
	o = opts_ok("tmpfs", "noatime,atime,async,relatime,strictatime");
	CHECK_INT(o.flags, MS_RELATIME | MS_STRICTATIME);
	o = opts_ok("nullfs", "rw,noauto,late");
	CHECK(o.noauto && o.late);
	o = opts_ok("nullfs", NULL);
	CHECK_INT(o.flags, 0);
	o = opts_ok("nullfs", ",,ro,");
	CHECK_INT(o.flags, MS_RDONLY);
}

TEST(data_options)
{
	struct mnt_opts o = opts_ok("tmpfs", "rw,size=1m,mode=1777,uid=0");

	CHECK_STR(o.data, "size=1m,mode=1777,uid=0");
	CHECK_INT(o.flags, 0);
	mnt_opts_clear(&o);
	CHECK(o.data == NULL);
	o = opts_ok("linprocfs", "hidepid=2,gid=5,subset=pid,nosuid");
	CHECK_STR(o.data, "hidepid=2,gid=5,subset=pid");
	CHECK_INT(o.flags, MS_NOSUID);
	mnt_opts_clear(&o);
	o = opts_ok("procfs", "hidepid=invisible");
	CHECK_STR(o.data, "hidepid=invisible");
	mnt_opts_clear(&o);
	o = opts_ok("devfs", "ruleset=4,ro");
	CHECK_INT(o.ruleset, 4);
	CHECK_INT(o.flags, MS_RDONLY);
	CHECK(o.data == NULL);
	o = opts_ok("devfs", "ruleset=0");
	CHECK_INT(o.ruleset, 0);
	o = opts_ok("fdescfs", "rw,linrdlnk,nodup");
	CHECK_INT(o.flags, 0);
	/* a thin jail's root: its three directories go to overlayfs */
	o = opts_ok("overlay", "lowerdir=/b,upperdir=/l/u,workdir=/l/w,nodev");
	CHECK_STR(o.data, "lowerdir=/b,upperdir=/l/u,workdir=/l/w");
	CHECK_INT(o.flags, MS_NODEV);
	mnt_opts_clear(&o);
}

TEST(option_errors)
{
	opts_err("nullfs", "ro,bogus", -EINVAL, "unknown option \"bogus\"");
	opts_err("nullfs", "size=1m", -EINVAL, "unknown option \"size=1m\"");
	opts_err("linsysfs", "hidepid=2", -EINVAL,
	    "unknown option \"hidepid=2\"");
	opts_err("tmpfs", "ruleset=4", -EINVAL,
	    "unknown option \"ruleset=4\"");
	opts_err("tmpfs", "ro=1", -EINVAL, "unknown option \"ro=1\"");
	opts_err("tmpfs", "size", -EINVAL, "option \"size\" needs a value");
	opts_err("devfs", "ruleset", -EINVAL,
	    "option \"ruleset\" needs a value");
	opts_err("devfs", "ruleset=x", -EINVAL, "invalid ruleset \"x\"");
	opts_err("devfs", "ruleset=", -EINVAL, "invalid ruleset \"\"");
	opts_err("devfs", "ruleset=-1", -EINVAL, "invalid ruleset \"-1\"");
	opts_err("devfs", "ruleset=65536", -EINVAL,
	    "invalid ruleset \"65536\"");
	opts_err("overlay", "lowerdir=/b,size=1m", -EINVAL,
	    "unknown option \"size=1m\"");
	opts_err("overlay", "lowerdir", -EINVAL,
	    "option \"lowerdir\" needs a value");
	opts_err("tmpfs", "lowerdir=/b", -EINVAL,
	    "unknown option \"lowerdir=/b\"");
	opts_err("ext4", "rw", -EOPNOTSUPP,
	    "unsupported file system type \"ext4\"");
}

TEST(sloppy)
{
	struct mnt_opts o = MNT_OPTS_INIT;

	CHECK_INT(mnt_opts_parse("nullfs", "ro,bogus,size=1", true, &o), 0);
	CHECK_INT(o.flags, MS_RDONLY);
	CHECK(o.data == NULL);
	/* sloppy ignores unknown words, not bad values of known ones */
	CHECK_INT(mnt_opts_parse("devfs", "ruleset=x", true, &o), -EINVAL);
}

static void
rel_ok(const char *path, const char *mp, const char *want)
{
	char *rel = NULL;

	CHECK_INT(mnt_rel_below(path, mp, &rel), 0);
	CHECK_STR(rel, want);
	free(rel);
}

static void
rel_err(const char *path, const char *mp, const char *msg)
{
	char *rel = NULL;

	CHECK_INT(mnt_rel_below(path, mp, &rel), -EINVAL);
	CHECK_STR(jail_errmsg, msg);
	CHECK(rel == NULL);
}

TEST(mount_point_below_path)
{
	rel_ok("/srv/j", "/srv/j/mnt", "mnt");
	rel_ok("/srv/j", "/srv/j//usr/local/", "usr/local/");
	rel_ok("/srv/j", "/srv/j", ".");
	rel_ok("/srv/j", "/srv/j/", ".");
	rel_ok("/", "/mnt", "mnt");
	rel_ok("/", "/", ".");
	rel_ok("/srv/j", "/srv/j/a..b/..c", "a..b/..c");
	rel_err("/srv/j", "/srv/j/../x",
	    "/srv/j/../x: not under the jail's path /srv/j");
	rel_err("/srv/j", "/srv/j/a/..",
	    "/srv/j/a/..: not under the jail's path /srv/j");
	rel_err("/srv/j", "/x", "/x: not under the jail's path /srv/j");
	rel_err("/srv/j", "/srv/jail/x",
	    "/srv/jail/x: not under the jail's path /srv/j");
	rel_err("/srv/j", "/srv", "/srv: not under the jail's path /srv/j");
	rel_err("/srv/j", "srv/j/x",
	    "srv/j/x: not under the jail's path /srv/j");
	rel_err("/", "mnt", "mnt: not under the jail's path /");
}

int
main(void)
{
	return harness_main();
}
