// SPDX-License-Identifier: BSD-2-Clause
/*
 * test-mkroot.c: mkjail's parts that need neither root nor a network
 * (mkjail/mkroot.c, mkconf.c, debootstrap.c, rootetc.c).
 *
 * The host's mirror from apt sources (one-line and deb822), resolv.conf
 * without loopback resolvers, the etc files written beneath a root (a
 * symlink replaced, never followed), debootstrap's output condensed and
 * its failure shown (a fake debootstrap first in PATH), the removal of a
 * tree, request checks and the jail.conf block.  Everything in a
 * temporary directory of the test's own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../tests/lib/harness.h"
#include "../mkroot.h"

static char dir[] = "/tmp/gaol-test.mkroot.XXXXXX";

/* Write text to dir/name, making its parent directories. */
static void
put(const char *name, const char *text)
{
	char path[512], cmd[600];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	(void)snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	CHECK_INT(system(cmd), 0);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f != NULL) {
		(void)fputs(text, f);
		(void)fclose(f);
	}
}

/* dir/name's contents (static buffer). */
static const char *
get(const char *name)
{
	static char buf[4096];
	char path[512];
	size_t n = 0;
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (f != NULL) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		(void)fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

static void
setup(void)
{
	CHECK(mkdtemp(dir) != NULL);
}

static void
teardown(void)
{
	char cmd[128];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)system(cmd);
}

static void
mirror_is(const char *suite, const char *want)
{
	char *uri = NULL;

	CHECK_INT(dbs_host_mirror(dir, suite, &uri), 0);
	if (want == NULL)
		CHECK(uri == NULL);
	else
		CHECK_STR(uri != NULL ? uri : "(null)", want);
	free(uri);
}

TEST(mirror)
{
	setup();
	mirror_is("bookworm", NULL);
	put("etc/apt/sources.list.d/b.sources",
	    "# a comment\n"
	    "Types: deb deb-src\n"
	    "URIs: http://deb.example.org/debian\n"
	    "Suites: bookworm bookworm-updates\n"
	    "Components: main\n"
	    "\n"
	    "Types: deb\n"
	    "URIs: http://off.example.org/debian\n"
	    "Suites: trixie\n"
	    "Enabled: no\n"
	    "\n"
	    "Types: deb\n"
	    "URIs: https://sec.example.org/debian-security\n"
	    "Suites: bookworm-security\n");
	mirror_is("bookworm", "http://deb.example.org/debian");
	mirror_is("bookworm-security", "https://sec.example.org/debian-security");
	mirror_is("trixie", NULL);
	mirror_is("bookwor", NULL);
	/* one-line sources win over deb822 ones; options may span words */
	put("etc/apt/sources.list",
	    "deb-src http://src.example.org/debian bookworm main\n"
	    "deb [arch=amd64 signed-by=/k.gpg] http://one.example.org/debian bookworm main\n");
	mirror_is("bookworm", "http://one.example.org/debian");
	put("etc/apt/sources.list",
	    "deb file:/mnt/debian bookworm main\n"
	    "#deb http://commented.example.org/debian bookworm main\n");
	put("etc/apt/sources.list.d/a.list",
	    "deb [trusted=yes] http://list.example.org/debian bookworm main\n");
	mirror_is("bookworm", "http://list.example.org/debian");
	teardown();
}

static const char *
resolv(void)
{
	static char buf[2048];
	char host[512], up[512];
	char *out = NULL;

	(void)snprintf(host, sizeof(host), "%s/resolv.conf", dir);
	(void)snprintf(up, sizeof(up), "%s/upstream.conf", dir);
	CHECK_INT(rootetc_resolv(host, up, &out), 0);
	(void)snprintf(buf, sizeof(buf), "%s", out != NULL ? out : "(null)");
	free(out);
	return buf;
}

#define STUB_COMMENT \
	"# mkjail: the host's /etc/resolv.conf names a resolver on its loopback\n" \
	"# address (127.0.0.x or ::1), which a jail cannot reach: the jail's\n" \
	"# 127.0.0.1 is its own address.  Name a resolver the jail can reach.\n"

TEST(resolv_conf)
{
	char want[2048];

	setup();
	put("resolv.conf", "search example.org\nnameserver 192.0.2.53\n");
	CHECK_STR(resolv(), "search example.org\nnameserver 192.0.2.53\n");
	/* a loopback resolver beside a real one: only the real one stays */
	put("resolv.conf", "nameserver 127.0.0.53\nnameserver 192.0.2.53\n"
	    "nameserver ::1\noptions edns0\n");
	CHECK_STR(resolv(), STUB_COMMENT "nameserver 192.0.2.53\n"
	    "options edns0\n");
	/* systemd-resolved's stub alone: its upstream servers */
	put("resolv.conf", "nameserver 127.0.0.53\noptions edns0 trust-ad\n"
	    "search example.org");
	put("upstream.conf", "# resolved\nnameserver 192.0.2.1\n"
	    "nameserver 127.0.0.1\nsearch example.org\n");
	(void)snprintf(want, sizeof(want), STUB_COMMENT "# The upstream "
	    "servers of %s/upstream.conf:\n# resolved\nnameserver 192.0.2.1\n"
	    "search example.org\n", dir);
	CHECK_STR(resolv(), want);
	/* no upstream file: the comment and what else the host had */
	(void)snprintf(want, sizeof(want), "%s/upstream.conf", dir);
	(void)unlink(want);
	CHECK_STR(resolv(), STUB_COMMENT "options edns0 trust-ad\n"
	    "search example.org\n");
	teardown();
}

TEST(etc_files)
{
	struct rootetc e = { "web.example.org", "192.0.2.10" };
	char path[512];
	int fd;

	setup();
	put("root/etc/hostname", "old\n");
	put("outside", "untouched\n");
	(void)snprintf(path, sizeof(path), "%s/root/etc/hosts", dir);
	CHECK_INT(symlink("../../outside", path), 0);
	(void)snprintf(path, sizeof(path), "%s/root", dir);
	fd = open(path, O_PATH | O_DIRECTORY);
	CHECK(fd >= 0);
	CHECK_INT(rootetc_write(fd, &e), 0);
	CHECK_STR(get("root/etc/hostname"), "web.example.org\n");
	CHECK_STR(get("root/etc/hosts"), "127.0.0.1\tlocalhost\n"
	    "::1\t\tlocalhost ip6-localhost ip6-loopback\n"
	    "ff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n"
	    "192.0.2.10\tweb.example.org web\n");
	CHECK_STR(get("outside"), "untouched\n");
	e = (struct rootetc){ "web", NULL };
	CHECK_INT(rootetc_write(fd, &e), 0);
	CHECK(strstr(get("root/etc/hosts"), "\n127.0.1.1\tweb\n") != NULL);
	/* policy-rc.d: gone, and no error when there is none */
	put("root/usr/sbin/policy-rc.d", "#!/bin/sh\nexit 101\n");
	CHECK_INT(rootetc_no_policy(fd), 0);
	(void)snprintf(path, sizeof(path), "%s/root/usr/sbin/policy-rc.d", dir);
	CHECK_INT(access(path, F_OK), -1);
	CHECK_INT(rootetc_no_policy(fd), 0);
	/* SSH host keys: gone (every jail of the root would share them) */
	put("root/etc/ssh/ssh_host_ed25519_key", "secret\n");
	put("root/etc/ssh/ssh_host_ed25519_key.pub", "public\n");
	put("root/etc/ssh/sshd_config", "Port 22\n");
	CHECK_INT(rootetc_no_hostkeys(fd), 0);
	(void)snprintf(path, sizeof(path), "%s/root/etc/ssh/ssh_host_ed25519_key",
	    dir);
	CHECK_INT(access(path, F_OK), -1);
	CHECK_STR(get("root/etc/ssh/sshd_config"), "Port 22\n");
	(void)close(fd);
	teardown();
}

static char lines[64][256];
static unsigned nlines;

static void __attribute__((format(printf, 1, 0)))
collect(const char *fmt, va_list ap)
{
	if (nlines < 64)
		(void)vsnprintf(lines[nlines++], sizeof(lines[0]), fmt, ap);
}

static const struct mkroot_ops collect_ops = { collect, collect };

/* A fake debootstrap printing its arguments and a run of lines. */
static void
fake_debootstrap(int status)
{
	char text[2048], path[512];

	(void)snprintf(text, sizeof(text), "#!/bin/sh\n"
	    "echo \"args: $*\"\n"
	    "echo 'I: Retrieving InRelease '\n"
	    "for p in a b c; do echo \"I: Retrieving $p 1.0\"; "
	    "echo \"I: Validating $p 1.0\"; done\n"
	    "echo 'I: Resolving dependencies of required packages...'\n"
	    "for p in a b; do echo \"I: Unpacking $p:amd64...\"; done\n"
	    "echo 'I: Unpacking the base system...'\n"
	    "echo 'dpkg: noise'\n"
	    "echo 'E: Something broke' >&2\n"
	    "exit %d\n", status);
	put("bin/debootstrap", text);
	(void)snprintf(path, sizeof(path), "%s/bin/debootstrap", dir);
	CHECK_INT(chmod(path, 0755), 0);
	(void)snprintf(path, sizeof(path), "%s/bin:/usr/bin:/bin", dir);
	CHECK_INT(setenv("PATH", path, 1), 0);
}

TEST(debootstrap_progress)
{
	struct dbs_run run = { "bookworm", "minbase", "http://m.example/d",
		"procps", "udev", "/nonexistent", &collect_ops };

	setup();
	fake_debootstrap(0);
	CHECK_INT(dbs_run(&run), 0);
	CHECK_INT(nlines, 6);
	CHECK_STR(lines[0], "I: Retrieving InRelease ");
	CHECK_STR(lines[1], "I: Retrieved 3 packages");
	CHECK_STR(lines[2], "I: Resolving dependencies of required packages...");
	CHECK_STR(lines[3], "I: Unpacked 2 packages");
	CHECK_STR(lines[4], "I: Unpacking the base system...");
	CHECK_STR(lines[5], "E: Something broke");
	teardown();
}

TEST(debootstrap_failure)
{
	struct dbs_run run = { "sid", "minbase", "http://m.example/d",
		"procps", "", "/nonexistent", &collect_ops };
	char want[256];

	setup();
	fake_debootstrap(3);
	CHECK_INT(dbs_run(&run), -ECANCELED);
	CHECK_STR(jail_errmsg, "debootstrap sid from http://m.example/d "
	    "failed (status 3)");
	/* the condensed lines, then the tail: every line as it came */
	CHECK_STR(lines[6], "--- the last 14 lines of debootstrap's output:");
	(void)snprintf(want, sizeof(want), "args: --variant=minbase "
	    "--include=procps sid /nonexistent http://m.example/d");
	CHECK_STR(lines[7], want);
	CHECK_STR(lines[nlines - 2], "dpkg: noise");
	CHECK_STR(lines[nlines - 1], "E: Something broke");
	teardown();
}

TEST(remove_tree)
{
	char path[512], link[512];

	setup();
	put("t/a/b/c", "x");
	put("t/d", "y");
	(void)snprintf(path, sizeof(path), "%s/t/link", dir);
	(void)snprintf(link, sizeof(link), "%s/keep", dir);
	put("keep/file", "kept");
	CHECK_INT(symlink(link, path), 0);
	(void)snprintf(path, sizeof(path), "%s/t", dir);
	CHECK_INT(dbs_remove_tree(path), 0);
	CHECK_INT(access(path, F_OK), -1);
	CHECK_STR(get("keep/file"), "kept");
	CHECK_INT(dbs_remove_tree(path), 0);	/* gone already: fine */
	teardown();
}

static void
check_err(const struct mkroot_req *rq, const char *msg)
{
	CHECK(mkroot_check(rq) < 0);
	CHECK_STR(jail_errmsg, msg);
}

TEST(request_checks)
{
	struct mkroot_req rq = { .name = "web", .path = "/srv/none/web" };

	CHECK_INT(mkroot_check(&rq), 0);
	rq.name = "w.eb";
	check_err(&rq, "jail name \"w.eb\": invalid character '.'");
	rq.name = "42";
	check_err(&rq, "jail name \"42\": a number is a jid, not a name");
	rq.name = "web";
	rq.include = "a b";
	check_err(&rq, "package list \"a b\": invalid character ' '");
	rq.include = NULL;
	rq.suite = "../x";
	check_err(&rq, "suite \"../x\": invalid character '/'");
	rq.suite = NULL;
	rq.address = "::g";
	check_err(&rq, "address \"::g\": not an IPv4 or IPv6 address");
	rq.address = "2001:db8::1";
	rq.path = "rel";
	check_err(&rq, "path \"rel\": not an absolute path below /");
	rq.path = "/";
	check_err(&rq, "path \"/\": not an absolute path below /");
	rq.path = "/var/cache";
	check_err(&rq, "path /var/cache: overlaps the base cache "
	    "/var/cache/gaol/base");
	rq.path = "/etc";
	check_err(&rq, "/etc: not empty");
	rq.path = "/etc/passwd";
	check_err(&rq, "/etc/passwd: exists and is not a directory");
}

static void
canon_is(const char *path, const char *want)
{
	char got[512];

	CHECK_INT(mkroot_canon(path, got, sizeof(got)), 0);
	CHECK_STR(got, want);
}

TEST(canonical_path)
{
	char link[512], path[512], want[512], real[512];

	setup();
	CHECK(realpath(dir, real) != NULL);
	put("d/file", "x");
	(void)snprintf(link, sizeof(link), "%s/l", dir);
	(void)snprintf(path, sizeof(path), "%s/d", dir);
	CHECK_INT(symlink(path, link), 0);
	(void)snprintf(path, sizeof(path), "%s/l/new//web/", dir);
	(void)snprintf(want, sizeof(want), "%s/d/new/web", real);
	canon_is(path, want);
	(void)snprintf(path, sizeof(path), "%s/l", dir);
	(void)snprintf(want, sizeof(want), "%s/d", real);
	canon_is(path, want);
	canon_is("/", "/");
	canon_is("/nonexistent-gaol", "/nonexistent-gaol");
	CHECK_INT(chdir(real), 0);
	(void)snprintf(want, sizeof(want), "%s/d/x", real);
	canon_is("l/x", want);
	CHECK(mkroot_canon("l/x/../y", path, sizeof(path)) < 0);
	CHECK_STR(jail_errmsg, "l/x/../y: \".\" or \"..\" in a part that "
	    "does not exist yet");
	teardown();
}

TEST(conf_block)
{
	struct mkroot_req rq = { .name = "my_web", .path = "/srv/j/my_web",
		.address = "2001:db8::1", .mirror = "http://m.example/d" };
	char *block = NULL, base[256];

	CHECK_INT(mkroot_conf(&rq, &block), 0);
	CHECK_STR(block != NULL ? block : "",
	    "# my_web: Debian bookworm, a thick jail made by mkjail(8)\n"
	    "my_web {\n"
	    "\tpath = \"/srv/j/my_web\";\n"
	    "\thost.hostname = \"my-web\";\n"
	    "\tip6.addr = \"2001:db8::1\";\n"
	    "\t# no IPv4: ip4 defaults to disable without ip4.addr\n"
	    "\tmount = \"tmpfs /srv/j/my_web/run tmpfs rw,nosuid,nodev,mode=755 0 0\";\n"
	    "\tmount += \"linsysfs /srv/j/my_web/sys linsysfs ro 0 0\";\n"
	    "\tmount.devfs;\n"
	    "\tmount.procfs;\n"
	    "\texec.clean;\n"
	    "\texec.start = \"/etc/init.d/rc S && /etc/init.d/rc 2\";\n"
	    "\texec.stop = \"/etc/init.d/rc 0\";\n"
	    "\texec.consolelog = \"/srv/j/my_web/var/log/console.log\";\n"
	    "\tpersist;\n"
	    "}\n");
	free(block);
	/* thin: the overlay; the base named by variant and package lists */
	rq.thin = true;
	rq.path = "/srv/j/$x";
	rq.address = NULL;
	CHECK_INT(mkroot_base_path(&rq, base, sizeof(base)), 0);
	CHECK(strncmp(base, "/var/cache/gaol/base/bookworm-", 30) == 0);
	CHECK_INT(mkroot_conf(&rq, &block), 0);
	CHECK(block != NULL && strstr(block, "\tpath = \"/srv/j/\\$x\";\n"));
	CHECK(block != NULL && strstr(block, "\t# no address, no network: ip4 "
	    "and ip6 default to disable;\n\t# \"ip4 = inherit;\" would share "
	    "all of the host's network with it\n") != NULL);
	CHECK(block != NULL && strstr(block, "\tmount = \"overlay /srv/j/\\$x "
	    "overlay lowerdir=/var/cache/gaol/base/bookworm-") != NULL);
	CHECK(block != NULL && strstr(block, ",upperdir=/srv/j/\\$x.layer/upper,"
	    "workdir=/srv/j/\\$x.layer/work 0 0\";\n\tmount += \"tmpfs") != NULL);
	free(block);
	/* interface=; a root with ssh-keygen makes its host keys first */
	{
		char root[] = "/tmp/gaol-mkconf.XXXXXX", f[300];
		int fd;

		CHECK(mkdtemp(root) != NULL);
		(void)snprintf(f, sizeof(f), "%s/usr", root);
		CHECK_INT(mkdir(f, 0755), 0);
		(void)snprintf(f, sizeof(f), "%s/usr/bin", root);
		CHECK_INT(mkdir(f, 0755), 0);
		(void)snprintf(f, sizeof(f), "%s/usr/bin/ssh-keygen", root);
		fd = open(f, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
		CHECK(fd >= 0);
		if (fd >= 0)
			(void)close(fd);
		rq.thin = false;
		rq.path = root;
		rq.interface = "lo";
		rq.address = "127.0.1.9";
		CHECK_INT(mkroot_conf(&rq, &block), 0);
		CHECK(block != NULL && strstr(block, "\tinterface = \"lo\";\n"
		    "\tip4.addr = \"127.0.1.9\";\n\t# no IPv6: ip6 defaults to "
		    "disable without ip6.addr\n") != NULL);
		CHECK(block != NULL && strstr(block, "\texec.start = "
		    "\"/usr/bin/ssh-keygen -A && /etc/init.d/rc S && "
		    "/etc/init.d/rc 2\";\n") != NULL);
		free(block);
		(void)unlink(f);
		(void)snprintf(f, sizeof(f), "%s/usr/bin", root);
		(void)rmdir(f);
		(void)snprintf(f, sizeof(f), "%s/usr", root);
		(void)rmdir(f);
		(void)rmdir(root);
		rq.thin = true;
		rq.interface = NULL;
		rq.address = NULL;
	}
	/* the same lists in another order: the same base; another: not */
	{
		char b2[256];

		rq.include = "procps,sysvinit-core,procps";
		CHECK_INT(mkroot_base_path(&rq, b2, sizeof(b2)), 0);
		CHECK_STR(b2, base);
		rq.include = "fakeroot";
		CHECK_INT(mkroot_base_path(&rq, b2, sizeof(b2)), 0);
		CHECK(strcmp(b2, base) != 0);
	}
}

int
main(void)
{
	return harness_main();
}
