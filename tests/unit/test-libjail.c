// SPDX-License-Identifier: BSD-2-Clause
/*
 * test-libjail.c: the installed interface, <jail.h>, as a program sees
 * it: every exported call, its success and each errno jail(3) documents.
 *
 * Uses nothing but <jail.h>.  The cases that create jails need root (in
 * the isolation wrapper: its own /run/jail) and skip with a reason
 * otherwise; their jails live in a scratch directory, with a copy of
 * busybox where a command must run, and are removed by the case.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "jail.h"

#define BUSYBOX "/bin/busybox"

/* errno and the message of the last libjail failure. */
#define CHECK_FAIL(call, err, msg)                                    \
	do {                                                          \
		errno = 0;                                            \
		CHECK_INT((call), -1);                                \
		CHECK_INT(errno, (err));                              \
		CHECK_STR(errmsg(), (msg));                           \
	} while (0)

/*
 * jail_errmsg through a call: built with gcc 12 and -fsanitize=address,
 * the array read inline in CHECK_STR came out NULL in one case while it
 * held the message (seen in dying_jail_needs_jail_dying).
 */
static __attribute__((noinline)) const char *
errmsg(void)
{
	return jail_errmsg;
}

static char scratch[PATH_MAX];	/* 0700, holds the roots */
static char root[PATH_MAX];	/* an empty jail root */
static char name[64];		/* this run's jail name */

static void
need_root(void)
{
	if (geteuid() != 0)
		SKIP("creates jails: needs root");
}

/* Run argv (no shell) and tell whether it exited 0. */
static bool
run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		(void)execv(argv[0], argv);
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* A scratch directory with an empty root in it; the names unique. */
static void
make_root(bool busybox)
{
	char bin[PATH_MAX + 8], copy[PATH_MAX + 16], sh[PATH_MAX + 16];

	(void)snprintf(scratch, sizeof(scratch), "/tmp/gaol-libjail.XXXXXX");
	CHECK(mkdtemp(scratch) != NULL);
	(void)snprintf(root, sizeof(root), "%s/root", scratch);
	CHECK(mkdir(root, 0755) == 0);
	(void)snprintf(name, sizeof(name), "ljunit%d", (int)getpid());
	if (!busybox)
		return;
	if (access(BUSYBOX, X_OK) < 0)
		SKIP("runs a command in a jail: needs %s", BUSYBOX);
	(void)snprintf(bin, sizeof(bin), "%s/bin", root);
	(void)snprintf(copy, sizeof(copy), "%s/busybox", bin);
	(void)snprintf(sh, sizeof(sh), "%s/sh", bin);
	CHECK(mkdir(bin, 0755) == 0);
	CHECK(run((char *[]){ "/bin/cp", BUSYBOX, copy, NULL }));
	CHECK(symlink("busybox", sh) == 0);
}

static void
drop_root(void)
{
	(void)run((char *[]){ "/bin/rm", "-rf", "--one-file-system", scratch,
	    NULL });
}

/* A persistent jail of this run, with extra name/value pairs. */
static int
make_jail(const char *suffix)
{
	char n[80];

	(void)snprintf(n, sizeof(n), "%s%s", name, suffix);
	return jail_setv(JAIL_CREATE, "name", n, "path", root, "persist",
	    "true", "host.hostname", "lj-unit", NULL);
}

TEST(init_names_parameters)
{
	struct jailparam jp;

	CHECK_INT(jailparam_init(&jp, "persist"), 0);
	CHECK_STR(jp.jp_name, "persist");
	CHECK_INT(jp.jp_flags, JP_BOOL);
	jailparam_free(&jp, 1);
	CHECK_INT(jailparam_init(&jp, "allow.nomount"), 0);
	CHECK_INT(jp.jp_flags, JP_NOBOOL);
	jailparam_free(&jp, 1);
	CHECK_INT(jailparam_init(&jp, "vnet"), 0);
	CHECK_INT(jp.jp_flags, JP_JAILSYS);
	jailparam_free(&jp, 1);
	CHECK_INT(jailparam_init(&jp, "lastjid"), 0);
	jailparam_free(&jp, 1);
}

TEST(init_unknown_parameter_is_enoent)
{
	struct jailparam jp;

	CHECK_FAIL(jailparam_init(&jp, "no.such.param"), ENOENT,
	    "unknown parameter: no.such.param");
}

TEST(import_checks_values)
{
	struct jailparam jp;
	char *v;

	CHECK_INT(jailparam_init(&jp, "host.hostname"), 0);
	CHECK_INT(jailparam_import(&jp, "a.example"), 0);
	v = jailparam_export(&jp);
	CHECK_STR(v, "a.example");
	free(v);
	CHECK_INT(jailparam_import(&jp, "b.example"), 0);	/* replaces */
	CHECK_STR(jp.jp_value, "b.example");
	CHECK_INT(jailparam_import(&jp, NULL), 0);		/* no change */
	CHECK_STR(jp.jp_value, "b.example");
	jailparam_free(&jp, 1);
}

TEST(import_wrong_type_is_einval)
{
	struct jailparam jp[3];

	CHECK_INT(jailparam_init(&jp[0], "persist"), 0);
	CHECK_FAIL(jailparam_import(&jp[0], "maybe"), EINVAL,
	    "persist: unknown boolean value \"maybe\"");
	CHECK(jp[0].jp_value == NULL);
	CHECK_INT(jailparam_init(&jp[1], "jid"), 0);
	CHECK_FAIL(jailparam_import(&jp[1], "x"), EINVAL,
	    "jid: non-integer value \"x\"");
	CHECK_INT(jailparam_init(&jp[2], "lastjid"), 0);
	CHECK_FAIL(jailparam_import(&jp[2], "1x"), EINVAL,
	    "lastjid: non-integer value \"1x\"");
	jailparam_free(jp, 3);
}

TEST(import_raw_keeps_the_callers_buffer)
{
	struct jailparam jp;
	char buf[] = "raw.example";
	char *v;

	CHECK_INT(jailparam_init(&jp, "host.hostname"), 0);
	CHECK_INT(jailparam_import_raw(&jp, buf, 3), 0);
	CHECK(jp.jp_value == buf);
	CHECK(jp.jp_flags & JP_RAWVALUE);
	v = jailparam_export(&jp);	/* valuelen bytes of the string */
	CHECK_STR(v, "raw");
	free(v);
	jailparam_free(&jp, 1);		/* must not free buf */
	CHECK_STR(buf, "raw.example");
}

TEST(export_of_no_value_is_empty)
{
	struct jailparam jp;
	char *v;

	CHECK_INT(jailparam_init(&jp, "path"), 0);
	v = jailparam_export(&jp);
	CHECK_STR(v, "");
	free(v);
	jailparam_free(&jp, 1);
}

TEST(all_lists_the_kernels_parameters)
{
	struct jailparam *jp = NULL;
	bool jid = false, path = false, command = false;
	int n;

	n = jailparam_all(&jp);
	CHECK(n > 20);
	for (int i = 0; i < n; i++) {
		jid |= strcmp(jp[i].jp_name, "jid") == 0;
		path |= strcmp(jp[i].jp_name, "path") == 0;
		command |= strcmp(jp[i].jp_name, "command") == 0 ||
		    strcmp(jp[i].jp_name, "exec.start") == 0;
	}
	CHECK(jid && path);
	CHECK(!command);	/* jail(8)'s own, not a jail's */
	jailparam_free(jp, (unsigned)n);
	free(jp);
}

TEST(unknown_jail_is_enoent)
{
	CHECK_FAIL(jail_getid("ljunit-no-such-jail"), ENOENT,
	    "jail \"ljunit-no-such-jail\" not found");
	errno = 0;
	CHECK(jail_getname(999999) == NULL);
	CHECK_INT(errno, ENOENT);
	CHECK_FAIL(jail_getv(0, "name", "ljunit-no-such-jail", NULL), ENOENT,
	    "jail \"ljunit-no-such-jail\" not found");
}

TEST(get_without_a_key_is_enoent)
{
	char host[256];

	CHECK_FAIL(jail_getv(0, "host.hostname", host, NULL), ENOENT,
	    "no jail specified");
	CHECK_FAIL(jail_getv(0, "jid", "0", "host.hostname", host, NULL),
	    ENOENT, "no jail specified");
}

TEST(bad_flags_are_einval)
{
	CHECK_FAIL(jail_setv(0, "name", "x", NULL), EINVAL,
	    "jail_set: Invalid argument");
	CHECK_FAIL(jail_setv(JAIL_CREATE | 0x100, "name", "x", NULL), EINVAL,
	    "jail_set: Invalid argument");
	CHECK_FAIL(jail_getv(JAIL_CREATE, "name", "x", NULL), EINVAL,
	    "jail_get: Invalid argument");
}

/* As an ordinary user: every call that changes or enters a jail. */
TEST(not_root_is_eperm)
{
	char *argv[] = { "/bin/true", NULL };

	if (geteuid() == 0 && setresuid(65534, 65534, 65534) < 0)
		SKIP("cannot become nobody");
	CHECK_FAIL(jail_setv(JAIL_CREATE, "name", "x", "path", "/", NULL),
	    EPERM, "jail_set: Operation not permitted");
	CHECK_FAIL(jail_remove(1), EPERM,
	    "jail_remove: Operation not permitted");
	CHECK_FAIL(jail_attach(1), EPERM,
	    "jail_attach: Operation not permitted");
	CHECK_FAIL(jail_execvp(1, argv), EPERM,
	    "jail_execvp: Operation not permitted");
}

TEST(create_get_update_remove)
{
	char host[256], persist[16], jidbuf[16], n[80];
	char *got;
	int jid;

	need_root();
	make_root(false);
	jid = make_jail("");
	CHECK(jid > 0);
	(void)snprintf(jidbuf, sizeof(jidbuf), "%d", jid);
	CHECK_INT(jail_getid(name), jid);
	CHECK_INT(jail_getid(jidbuf), jid);
	got = jail_getname(jid);
	CHECK_STR(got, name);
	free(got);
	CHECK_INT(jail_getv(0, "name", name, "host.hostname", host,
	    "persist", persist, NULL), jid);
	CHECK_STR(host, "lj-unit");
	CHECK_STR(persist, "true");
	CHECK_INT(jail_getv(0, "jid", jidbuf, "nopersist", persist,
	    "dying", host, NULL), jid);
	CHECK_STR(persist, "false");
	CHECK_STR(host, "false");
	CHECK_INT(jail_setv(JAIL_UPDATE, "name", name, "host.hostname",
	    "lj-unit2", NULL), jid);
	CHECK_INT(jail_getv(0, "name", name, "host.hostname", host, NULL),
	    jid);
	CHECK_STR(host, "lj-unit2");
	/* both flags: the jail exists, so it is updated */
	CHECK_INT(jail_setv(JAIL_CREATE | JAIL_UPDATE, "name", name,
	    "path", root, "host.hostname", "lj-unit3", NULL), jid);
	CHECK_INT(jail_remove(jid), 0);
	(void)snprintf(n, sizeof(n), "jail \"%s\" not found", name);
	CHECK_FAIL(jail_getid(name), ENOENT, n);
	drop_root();
}

TEST(create_twice_is_eexist)
{
	char msg[128];
	int jid;

	need_root();
	make_root(false);
	jid = make_jail("");
	CHECK(jid > 0);
	(void)snprintf(msg, sizeof(msg), "jail \"%s\" already exists", name);
	CHECK_FAIL(make_jail(""), EEXIST, msg);
	CHECK_INT(jail_remove(jid), 0);
	drop_root();
}

TEST(update_of_no_jail_is_enoent)
{
	need_root();
	CHECK_FAIL(jail_setv(JAIL_UPDATE, "name", "ljunit-no-such-jail",
	    "host.hostname", "x", NULL), ENOENT,
	    "jail \"ljunit-no-such-jail\" not found");
}

TEST(remove_of_no_jail_is_einval)
{
	need_root();
	CHECK_FAIL(jail_remove(999999), EINVAL,
	    "jail_remove: jail 999999 not found");
	CHECK_FAIL(jail_remove(0), EINVAL, "jail_remove: jail 0 not found");
}

/* A bad value on set: EINVAL, and no jail made. */
TEST(set_of_a_bad_value_makes_nothing)
{
	struct jailparam jp[3];
	char bad[] = "maybe";

	need_root();
	make_root(false);
	CHECK_INT(jailparam_init(&jp[0], "name"), 0);
	CHECK_INT(jailparam_import(&jp[0], name), 0);
	CHECK_INT(jailparam_init(&jp[1], "path"), 0);
	CHECK_INT(jailparam_import(&jp[1], root), 0);
	CHECK_INT(jailparam_init(&jp[2], "persist"), 0);
	CHECK_INT(jailparam_import_raw(&jp[2], bad, sizeof(bad)), 0);
	CHECK_FAIL(jailparam_set(jp, 3, JAIL_CREATE), EINVAL,
	    "persist: unknown boolean value \"maybe\"");
	CHECK_INT(jail_getid(name), -1);
	jailparam_free(jp, 3);
	drop_root();
}

TEST(get_into_a_raw_buffer)
{
	struct jailparam jp[2];
	char small[4], big[64];
	int jid;

	need_root();
	make_root(false);
	jid = make_jail("");
	CHECK(jid > 0);
	CHECK_INT(jailparam_init(&jp[0], "name"), 0);
	CHECK_INT(jailparam_import(&jp[0], name), 0);
	CHECK_INT(jailparam_init(&jp[1], "host.hostname"), 0);
	CHECK_INT(jailparam_import_raw(&jp[1], small, sizeof(small)), 0);
	CHECK_FAIL(jailparam_get(jp, 2, 0), EINVAL,
	    "host.hostname: value does not fit in 4 bytes");
	CHECK_INT(jailparam_import_raw(&jp[1], big, sizeof(big)), 0);
	CHECK_INT(jailparam_get(jp, 2, 0), jid);
	CHECK_STR(big, "lj-unit");
	jailparam_free(jp, 2);
	CHECK_INT(jail_remove(jid), 0);
	drop_root();
}

/* lastjid walks the jails in jid order, then ENOENT. */
TEST(lastjid_walks_every_jail)
{
	struct jailparam jp[2];
	char last[16] = "0", msg[64];
	int a, b, jid, seen = 0;

	need_root();
	make_root(false);
	a = make_jail("a");
	b = make_jail("b");
	CHECK(a > 0 && b > a);
	CHECK_INT(jailparam_init(&jp[0], "lastjid"), 0);
	CHECK_INT(jailparam_init(&jp[1], "name"), 0);
	for (;;) {
		CHECK_INT(jailparam_import(&jp[0], last), 0);
		jid = jailparam_get(jp, 2, 0);
		if (jid < 0)
			break;
		CHECK(jid > atoi(last));
		seen += jid == a || jid == b;
		(void)snprintf(last, sizeof(last), "%d", jid);
	}
	CHECK_INT(errno, ENOENT);
	(void)snprintf(msg, sizeof(msg), "no jail after %s", last);
	CHECK_STR(jail_errmsg, msg);
	CHECK_INT(seen, 2);
	jailparam_free(jp, 2);
	CHECK_INT(jail_remove(a), 0);
	CHECK_INT(jail_remove(b), 0);
	drop_root();
}

/* jail_attach cannot move a process on Linux: it says so, after checks. */
TEST(attach_is_refused)
{
	int jid;

	need_root();
	make_root(false);
	CHECK_FAIL(jail_attach(999999), EINVAL,
	    "jail_attach: jail 999999 not found");
	jid = make_jail("");
	CHECK(jid > 0);
	CHECK_FAIL(jail_attach(jid), EOPNOTSUPP, "jail_attach: a running "
	    "process cannot enter a jail; use jail_execvp");
	CHECK_INT(jail_getid(name), jid);	/* left alone */
	CHECK_INT(jail_remove(jid), 0);
	CHECK_FAIL(jail_setv(JAIL_CREATE | JAIL_ATTACH, "name", name, "path",
	    root, "persist", "true", NULL), EOPNOTSUPP,
	    "jail_set: JAIL_ATTACH: a running process cannot enter a jail");
	CHECK_INT(jail_getid(name), -1);	/* nothing made */
	drop_root();
}

/* The wait status of jail_execvp(jid, argv) run in a child. */
static int
execvp_status(int jid, char *const argv[])
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		(void)jail_execvp(jid, argv);
		_exit(100 + errno);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	return status;
}

TEST(execvp_runs_a_command_inside)
{
	char *true3[] = { "sh", "-c",
	    "test \"$(busybox hostname)\" = lj-unit && "
	    "test ! -e /root && exit 3", NULL };
	char *term[] = { "sh", "-c", "kill -TERM $$", NULL };
	char *none[] = { "/no/such/command", NULL };
	int jid, st;

	need_root();
	make_root(true);
	jid = make_jail("");
	CHECK(jid > 0);
	st = execvp_status(jid, true3);
	CHECK(WIFEXITED(st));
	CHECK_INT(WEXITSTATUS(st), 3);	/* in the jail: its hostname, root */
	st = execvp_status(jid, term);
	CHECK(WIFSIGNALED(st));
	CHECK_INT(WTERMSIG(st), SIGTERM);
	errno = 0;
	CHECK_INT(jail_execvp(jid, none), -1);	/* returns: nothing ran */
	CHECK_INT(errno, ENOENT);
	CHECK_FAIL(jail_execvp(999999, true3), EINVAL,
	    "jail_execvp: jail 999999 not found");
	CHECK_INT(jail_remove(jid), 0);
	drop_root();
}

/*
 * A dying jail (jail -r running its exec.stop) is found only with
 * JAIL_DYING, and says so.
 */
TEST(dying_jail_needs_jail_dying)
{
	const char *bdir = getenv("GAOL_BUILDDIR");
	char jailbin[PATH_MAX], dying[16], jidbuf[16], msg[128];
	int jid, status;
	pid_t pid;

	need_root();
	if (bdir == NULL)
		SKIP("removes a jail with jail(8): needs GAOL_BUILDDIR");
	make_root(true);
	(void)snprintf(jailbin, sizeof(jailbin), "%s/jail", bdir);
	jid = jail_setv(JAIL_CREATE, "name", name, "path", root, "persist",
	    "true", "exec.stop", "/bin/busybox sleep 3", NULL);
	CHECK(jid > 0);
	(void)snprintf(jidbuf, sizeof(jidbuf), "%d", jid);
	pid = fork();
	if (pid == 0) {
		(void)execl(jailbin, "jail", "-q", "-r", name, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100 && jail_getid(name) >= 0; i++)
		(void)usleep(20000);
	(void)snprintf(msg, sizeof(msg), "jail \"%s\" not found", name);
	CHECK_FAIL(jail_getid(name), ENOENT, msg);
	CHECK_FAIL(jail_getv(0, "name", name, "dying", dying, NULL), ENOENT,
	    msg);
	CHECK_INT(jail_getv(JAIL_DYING, "name", name, "dying", dying, NULL),
	    jid);
	CHECK_STR(dying, "true");
	CHECK_INT(jail_getv(JAIL_DYING, "jid", jidbuf, "dying", dying, NULL),
	    jid);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_INT(jail_getv(JAIL_DYING, "name", name, "dying", dying, NULL),
	    -1);
	drop_root();
}

int
main(void)
{
	return harness_main();
}
