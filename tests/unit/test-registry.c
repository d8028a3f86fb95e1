// SPDX-License-Identifier: BSD-2-Clause
/*
 * test-registry.c: the registry, /run/jail (lib/registry/).
 *
 * Without root: an entry's text printed and parsed back, garbled status
 * lines refused, the list written, appended to, and refused when cut
 * short.  As root, on a registry of the test's own (a scratch directory
 * in a -Dtest_switches=true build, else /run/jail, iso's private one
 * when run in iso): reserving, finding and removing a jail; a removed
 * entry's directory kept for the next; a truncated
 * entry never read as a live jail; an entry whose lock holder died seen
 * as dead and forgotten only then; many processes reserving jids at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "config.h"
#include "registry/registry-int.h"

#define PREFIX "gaol-unit-reg-"
#define RACERS 20	/* more than LOCKSET_MIN: /proc/locks is read */

/* A jail with every field of the status line set. */
static struct jail *
sample_jail(void)
{
	struct jail *j = jail_new();

	CHECK(j != NULL);
	j->jid = 42;
	j->state = JS_ACTIVE;
	j->init = (struct proc_ref){ .pid = 4242, .start = 987654321,
		.ino = 77 };
	j->cgroup = strdup("/system.slice/jail.42");
	j->cgv1[CG_DEVICES] = strdup("/sys/fs/cgroup/devices/jail.42");
	j->cgv1[CG_IO] = strdup("/sys/fs/cgroup/blkio/jail.42");
	j->token = 0x1234abcd5678ef90ULL;
	j->locked = true;
	j->spawner = (struct proc_ref){ .pid = 4243, .start = 987654322,
		.ino = 78 };
	j->lent = strdup("7:veth,12:-");
	CHECK(param_import_value(&j->params, P_JID, "42", false, false) >= 0);
	CHECK(param_import_value(&j->params, P_NAME, PREFIX "web", false,
	    false) >= 0);
	CHECK(param_import_value(&j->params, P_PATH, "/srv/web", false,
	    false) >= 0);
	return j;
}

static struct jail *
parse_text(int jid, const char *text, size_t len)
{
	struct entry_ref e = { .jid = jid, .text = text, .len = len };
	struct jail *j = jail_new();

	CHECK(j != NULL);
	CHECK_INT(entry_parse(&e, j), 0);
	return j;
}

TEST(entry_round_trip)
{
	struct jail *j = sample_jail(), *k;
	char *text = NULL, *again = NULL;
	size_t len = 0, alen = 0;

	CHECK_INT(entry_format(j, &text, &len), 0);
	k = parse_text(42, text, len);
	CHECK_INT(k->jid, 42);
	CHECK_INT(k->state, JS_ACTIVE);
	CHECK_INT(k->init.pid, 4242);
	CHECK_INT(k->init.start, 987654321);
	CHECK_INT(k->init.ino, 77);
	CHECK_STR(k->cgroup, "/system.slice/jail.42");
	CHECK_STR(k->cgv1[CG_DEVICES], "/sys/fs/cgroup/devices/jail.42");
	CHECK_STR(k->cgv1[CG_IO], "/sys/fs/cgroup/blkio/jail.42");
	CHECK(k->cgv1[CG_MEMORY] == NULL);
	CHECK(k->token == 0x1234abcd5678ef90ULL);
	CHECK(k->locked);
	CHECK_INT(k->spawner.pid, 4243);
	CHECK_INT(k->spawner.ino, 78);
	CHECK_STR(k->lent, "7:veth,12:-");
	CHECK(!k->gone);
	CHECK_STR(jail_name(k), PREFIX "web");
	CHECK_STR(param_str(&k->params, P_PATH), "/srv/web");
	CHECK_INT(entry_format(k, &again, &alen), 0);
	CHECK(alen == len && memcmp(text, again, len) == 0);
	jail_free(j);
	jail_free(k);
	free(text);
	free(again);
}

TEST(entry_unknown_words_and_dead)
{
	static const char text[] = "active 9 5 - ff ino=0 lock future=1 "
	    "spawner=10:11 devices=/d\njid\t9\nname\tnine\n";
	struct entry_ref e = { .jid = 9, .text = text, .len = strlen(text),
		.gone = true };
	struct jail *j = jail_new();

	CHECK_INT(entry_parse(&e, j), 0);
	CHECK(j->cgroup == NULL);
	CHECK_STR(j->cgv1[CG_DEVICES], "/d");
	CHECK_INT(j->spawner.pid, 10);
	CHECK_INT(j->spawner.ino, 0);
	CHECK(j->gone);
	CHECK_INT(j->state, JS_DYING);
	CHECK_STR(jail_name(j), "nine");
	jail_free(j);
}

TEST(entry_garbled)
{
	static const char *const bad[] = {
		"", "\n", "active\n", "active 5\n", "active 5 1 -\n",
		"bogus 5 1 - 1\n", "active 0 1 - 1\n", "active x 1 - 1\n",
		"active 5 y - 1\n", "active 5 1 - zz\n",
		"active 99999999999 1 - 1\n",
	};

	for (size_t i = 0; i < nitems(bad); i++) {
		struct jail j = { .jid = 1 };

		if (entry_status(&j, bad[i], false) != -EBADMSG)
			printf("# accepted: \"%s\"\n", bad[i]);
		CHECK_INT(entry_status(&j, bad[i], false), -EBADMSG);
	}
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	return remove(path);
}

static void
rm_tree(const char *dir)
{
	(void)nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int
scratch_dir(char *buf, size_t len)
{
	(void)snprintf(buf, len, "/tmp/gaol-test-registry.XXXXXX");
	CHECK(mkdtemp(buf) != NULL);
	return open(buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* An entry of the list: jid, text. */
static struct entry_ref
ref(int jid, const char *text)
{
	return (struct entry_ref){ .jid = jid, .ino = (uint64_t)jid * 10,
		.text = text, .len = strlen(text) };
}

/* The list in dirfd, parsed: its entries (into e) and their count. */
static int
list_read(int dirfd, struct entry_ref **e, size_t *n, const char **m,
    size_t *mlen)
{
	int fd = openat(dirfd, LIST_FILE, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	r = list_map(fd, m, mlen);
	(void)close(fd);
	return r < 0 ? r : list_parse(*m, *mlen, e, n);
}

TEST(list_log)
{
	static const char a[] = "active 5 1 - abc ino=0\njid\t1\n";
	static const char b[] = "active 6 1 - def ino=0\njid\t2\n";
	static const char b2[] = "dying 6 1 - def ino=0\njid\t2\n";
	struct entry_ref in[2] = { ref(1, a), ref(2, b) }, *e = NULL;
	char dir[64];
	const char *m = NULL;
	size_t n = 0, mlen = 0;
	struct stat st;
	int dfd = scratch_dir(dir, sizeof(dir)), fd = -1;

	CHECK_INT(list_write(dfd, in, 2), 0);
	CHECK(fstatat(dfd, LIST_FILE, &st, 0) == 0 &&
	    (st.st_mode & 07777) == 0644);
	CHECK_INT(list_read(dfd, &e, &n, &m, &mlen), 0);
	CHECK_INT(n, 2);
	/* the token, the fifth word, is never in the list */
	CHECK(n == 2 && e[0].jid == 1 && e[0].ino == 10 &&
	    e[0].len == strlen(a) - 2 && memcmp(e[0].text,
	    "active 5 1 - - ino=0\n", 21) == 0);
	CHECK(memmem(m, mlen, "abc", 3) == NULL);
	free(e);
	list_unmap(m, mlen);
	/* a change appends a record; a later record of a jid wins */
	CHECK_INT(list_begin(dfd, &fd), 0);
	CHECK(fd >= 0 && faccessat(dfd, LIST_FILE, F_OK, 0) < 0);
	list_end(dfd, fd, 2, 20, b2, strlen(b2));
	CHECK_INT(list_begin(dfd, &fd), 0);
	list_end(dfd, fd, 1, 0, NULL, 0);
	CHECK_INT(list_read(dfd, &e, &n, &m, &mlen), 0);
	CHECK(n == 1 && e[0].jid == 2 && strncmp(e[0].text, "dying", 5) == 0);
	free(e);
	/* cut short: garbled, never half a jail */
	fd = openat(dfd, LIST_FILE, O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0 && ftruncate(fd, (off_t)mlen - 3) == 0);
	(void)close(fd);
	list_unmap(m, mlen);
	CHECK_INT(list_read(dfd, &e, &n, &m, &mlen), -EBADMSG);
	list_unmap(m, mlen);
	(void)close(dfd);
	rm_tree(dir);
}

/*
 * A registry of the test's own, or skip: root only (the registry is
 * root's), in a scratch directory where the build lets the test say so,
 * else /run/jail.
 */
#if GAOL_TEST_SWITCHES
static char regdir[64];
#endif

static void
registry_setup(void)
{
	if (geteuid() != 0)
		SKIP("needs root: the registry and its lock are root's");
#if GAOL_TEST_SWITCHES
	(void)snprintf(regdir, sizeof(regdir), "/tmp/gaol-test-reg.XXXXXX");
	if (mkdtemp(regdir) == NULL || chmod(regdir, 0711) < 0 ||
	    setenv("GAOL_REGISTRY_DIR", regdir, 1) < 0)
		SKIP("no scratch directory: %s", strerror(errno));
	CHECK_STR(registry_dir(), regdir);
#else
	CHECK_STR(registry_dir(), JAIL_RUNDIR);
#endif
}

static void
registry_teardown(void)
{
#if GAOL_TEST_SWITCHES
	rm_tree(regdir);
#endif
}

/* A jail reserved and made active by this process, which holds its lock. */
static struct jail *
make_jail(const char *name)
{
	struct jail *j = jail_new();

	CHECK(j != NULL);
	CHECK(param_import_value(&j->params, P_NAME, name, false, false) >= 0);
	CHECK(param_import_value(&j->params, P_PATH, "/", false, false) >= 0);
	if (registry_reserve(j) < 0) {
		printf("# reserve %s: %s\n", name, jail_errmsg);
		exit(1);
	}
	j->state = JS_ACTIVE;
	CHECK_INT(registry_commit(j), 0);
	return j;
}

/* Whether registry_list (dying too) holds jid; its gone flag in *gone. */
static bool
listed(int jid, bool *gone)
{
	struct jail **v = NULL;
	size_t n = 0;
	bool found = false;

	CHECK_INT(registry_list(true, &v, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (v[i]->jid == jid) {
			found = true;
			if (gone != NULL)
				*gone = v[i]->gone;
		}
	registry_list_free(v, n);
	return found;
}

static char *
entry_path(int jid, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%s/%d/state", registry_dir(), jid);
	return buf;
}

TEST(reserve_find_remove)
{
	struct jail *j, *f = NULL;
	char jid[16];

	registry_setup();
	j = make_jail(PREFIX "a");
	CHECK(j->jid > 0);
	(void)snprintf(jid, sizeof(jid), "%d", j->jid);
	CHECK_INT(registry_find(PREFIX "a", &f), 0);
	CHECK(f != NULL && f->jid == j->jid && f->token == j->token &&
	    f->state == JS_ACTIVE && !f->gone);
	jail_freep(&f);
	CHECK_INT(registry_find(jid, &f), 0);
	CHECK(f != NULL && strcmp(jail_name(f), PREFIX "a") == 0);
	jail_freep(&f);
	/* a name is one jail's */
	{
		struct jail *k = jail_new();

		CHECK(param_import_value(&k->params, P_NAME, PREFIX "a", false,
		    false) >= 0);
		CHECK_INT(registry_reserve(k), -EEXIST);
		jail_free(k);
	}
	CHECK_INT(registry_remove(j), 0);
	CHECK_INT(registry_find(PREFIX "a", &f), -ENOENT);
	CHECK_STR(jail_errmsg, "jail \"" PREFIX "a\" not found");
	CHECK(!listed(j->jid, NULL));
	jail_free(j);
	registry_teardown();
}

/* Cut jid's entry file to len bytes (of text). */
static void
cut_entry(int jid, const char *text, size_t len)
{
	char path[128];
	int fd = open(entry_path(jid, path, sizeof(path)), O_WRONLY |
	    O_TRUNC | O_CLOEXEC);

	CHECK(fd >= 0 && write(fd, text, len) == (ssize_t)len);
	(void)close(fd);
}

TEST(torn_entry_is_not_a_jail)
{
	struct jail *j, *f = NULL;
	char path[128], list[128], *text = NULL, jid[16];
	size_t len = 0, cuts[4];

	registry_setup();
	j = make_jail(PREFIX "torn");
	(void)snprintf(jid, sizeof(jid), "%d", j->jid);
	CHECK_INT(entry_format(j, &text, &len), 0);
	cuts[0] = 0;
	cuts[1] = 7;					/* mid status line */
	cuts[2] = strcspn(text, "\n");			/* its newline lost */
	cuts[3] = len - 2;				/* mid parameter */
	(void)snprintf(list, sizeof(list), "%s/%s", registry_dir(), LIST_FILE);
	for (size_t i = 0; i < nitems(cuts); i++) {
		cut_entry(j->jid, text, cuts[i]);
		if (registry_find(jid, &f) != -ENOENT)
			printf("# cut at %zu: found\n", cuts[i]);
		jail_freep(&f);
		/* without the list, a scan reads the entry itself */
		(void)unlink(list);
		CHECK(!listed(j->jid, NULL));
	}
	/* written whole again, it is a jail again */
	CHECK_INT(registry_commit(j), 0);
	CHECK_INT(registry_find(jid, &f), 0);
	CHECK(f != NULL && f->jid == j->jid && !f->gone);
	jail_freep(&f);
	(void)entry_path(j->jid, path, sizeof(path));
	CHECK_INT(registry_remove(j), 0);
	CHECK(access(path, F_OK) < 0);
	jail_free(j);
	free(text);
	registry_teardown();
}

/* The inode of the registry's file or directory name, or 0: none. */
static ino_t
reg_ino(const char *name)
{
	char path[128];
	struct stat st;

	(void)snprintf(path, sizeof(path), "%s/%s", registry_dir(), name);
	return lstat(path, &st) == 0 ? st.st_ino : 0;
}

static ino_t
entry_ino(const struct jail *j, const char *file)
{
	char name[64];

	(void)snprintf(name, sizeof(name), "%d%s", j->jid, file);
	return reg_ino(name);
}

/* The lock of j's entry let go, as when its init has exited. */
static void
let_go(struct jail *j)
{
	(void)close(j->lockfd);
	j->lockfd = -1;
}

TEST(entry_directory_kept_aside)
{
	struct jail *a, *b, *c, *d, *f = NULL;
	char path[128];
	struct stat st;
	ino_t dir;
	int fd;

	registry_setup();
#if !GAOL_TEST_SWITCHES
	/*
	 * Other tests remove jails from /run/jail meanwhile: a registry of
	 * this case's own, a tmpfs in a mount namespace of its own (this
	 * case's process), gone with it.
	 */
	(void)mkdir(JAIL_RUNDIR, 0711);
	CHECK(unshare(CLONE_NEWNS) == 0);
	CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	CHECK(mount("tmpfs", JAIL_RUNDIR, "tmpfs", MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, "mode=0711") == 0);
#endif
	/* a spare that is no directory is never taken */
	(void)snprintf(path, sizeof(path), "%s/%s", registry_dir(), SPARE_DIR);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	(void)close(fd);
	a = make_jail(PREFIX "spare-a");
	CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
	CHECK(unlink(path) == 0);
	CHECK(entry_ino(a, "") != 0);
	/* removed while its lock is held (a failed jail -c): removed */
	CHECK_INT(registry_remove(a), 0);
	CHECK_INT(entry_ino(a, ""), 0);
	CHECK_INT(reg_ino(SPARE_DIR), 0);
	b = make_jail(PREFIX "spare-b");
	dir = entry_ino(b, "");
	CHECK(dir != 0);
	/* its state replaced whole, nothing left aside */
	CHECK(entry_ino(b, "/state") != 0);
	CHECK_INT(entry_ino(b, "/.state.tmp"), 0);
	/* removed once let go: the directory, emptied, kept for the next */
	let_go(b);
	CHECK_INT(registry_remove(b), 0);
	CHECK_INT(entry_ino(b, ""), 0);
	CHECK_INT(reg_ino(SPARE_DIR), dir);
	CHECK_INT(reg_ino(SPARE_DIR "/state"), 0);
	c = make_jail(PREFIX "spare-c");
	CHECK_INT(entry_ino(c, ""), dir);
	CHECK_INT(reg_ino(SPARE_DIR), 0);
	CHECK_INT(registry_find(PREFIX "spare-c", &f), 0);
	CHECK(f != NULL && f->jid == c->jid && !f->gone &&
	    f->state == JS_ACTIVE);
	jail_freep(&f);
	CHECK_INT(registry_find(PREFIX "spare-b", &f), -ENOENT);
	/* let go, it is dead, as any other */
	let_go(c);
	CHECK_INT(registry_find(PREFIX "spare-c", &f), 0);
	CHECK(f != NULL && f->gone);
	jail_freep(&f);
	/* with one aside already, the next one removed is removed */
	d = make_jail(PREFIX "spare-d");
	CHECK(entry_ino(d, "") != dir);
	let_go(d);
	CHECK_INT(registry_remove(c), 0);
	CHECK_INT(registry_remove(d), 0);
	CHECK_INT(entry_ino(d, ""), 0);
	CHECK_INT(reg_ino(SPARE_DIR), dir);
	CHECK(!listed(c->jid, NULL) && !listed(d->jid, NULL));
	jail_free(a);
	jail_free(b);
	jail_free(c);
	jail_free(d);
	registry_teardown();
}

/* A jail made by a child that then exits: its jid, read from a pipe. */
static int
jail_of_dead_child(const char *name)
{
	int p[2], jid = -1;
	pid_t pid;

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		struct jail *j = make_jail(name);

		(void)write(p[1], &j->jid, sizeof(j->jid));
		_exit(0);	/* the entry's lock goes with this process */
	}
	(void)close(p[1]);
	CHECK(read(p[0], &jid, sizeof(jid)) == (ssize_t)sizeof(jid));
	(void)close(p[0]);
	CHECK(waitpid(pid, NULL, 0) == pid);
	return jid;
}

TEST(dead_lock_holder)
{
	struct jail *f = NULL, *live;
	char jid[16], path[128];
	bool gone = false;
	int dead;

	registry_setup();
	dead = jail_of_dead_child(PREFIX "dead");
	CHECK(dead > 0);
	(void)snprintf(jid, sizeof(jid), "%d", dead);
	CHECK_INT(registry_find(jid, &f), 0);
	CHECK(f != NULL && f->gone && f->state == JS_DYING);
	CHECK(listed(dead, &gone) && gone);
	/* a dead entry's name is free; its jid is not, until it is forgotten */
	live = make_jail(PREFIX "dead");
	CHECK(live->jid != dead);
	CHECK_INT(registry_forget(live), -EBUSY);	/* alive: kept */
	CHECK(access(entry_path(live->jid, path, sizeof(path)), F_OK) == 0);
	CHECK_INT(registry_forget(f), 0);
	CHECK(access(entry_path(dead, path, sizeof(path)), F_OK) < 0);
	CHECK_INT(registry_forget(f), 0);	/* gone already: no error */
	/* its jid taken again: the new jail's entry is not the dead one's */
	{
		struct jail *again = jail_new();

		CHECK(param_import_value(&again->params, P_JID, jid, false,
		    false) >= 0);
		CHECK_INT(registry_reserve(again), 0);
		CHECK_INT(registry_forget(f), 0);
		CHECK(access(entry_path(dead, path, sizeof(path)), F_OK) == 0);
		CHECK_INT(registry_remove(again), 0);
		jail_free(again);
	}
	jail_freep(&f);
	CHECK_INT(registry_find(jid, &f), -ENOENT);
	CHECK(!listed(dead, NULL));
	CHECK_INT(registry_remove(live), 0);
	jail_free(live);
	registry_teardown();
}

/* One racer: reserve, say which jid, hold it until hold reads EOF. */
static void
racer(int i, int go, int out, int hold)
{
	char name[32], c;
	struct jail *j;

	(void)snprintf(name, sizeof(name), PREFIX "race%d", i);
	(void)read(go, &c, 1);		/* all start at once */
	j = make_jail(name);
	(void)write(out, &j->jid, sizeof(j->jid));
	(void)read(hold, &c, 1);
	_exit(0);
}

/* The list file, parsed: how many of its entries are racers'. */
static size_t
racers_in_list(void)
{
	struct entry_ref *e = NULL;
	const char *m = NULL;
	size_t n = 0, mlen = 0, k = 0;
	int dfd = open(registry_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	CHECK_INT(list_read(dfd, &e, &n, &m, &mlen), 0);
	for (size_t i = 0; i < n; i++)
		k += memmem(e[i].text, e[i].len, "\nname\t" PREFIX "race",
		    sizeof("\nname\t" PREFIX "race") - 1) != NULL;
	free(e);
	list_unmap(m, mlen);
	(void)close(dfd);
	return k;
}

TEST(racing_writers)
{
	int go[2], out[2], hold[2], jids[RACERS];
	pid_t pids[RACERS];
	struct jail **v = NULL;
	size_t n = 0, mine = 0;

	registry_setup();
	CHECK(pipe(go) == 0 && pipe(out) == 0 && pipe(hold) == 0);
	for (int i = 0; i < RACERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			(void)close(go[1]);
			(void)close(hold[1]);
			racer(i, go[0], out[1], hold[0]);
		}
	}
	(void)close(go[0]);
	(void)close(hold[0]);
	(void)close(out[1]);
	(void)close(go[1]);		/* EOF: go */
	for (int i = 0; i < RACERS; i++)
		CHECK(read(out[0], &jids[i], sizeof(int)) == sizeof(int));
	for (int i = 0; i < RACERS; i++)
		for (int k = i + 1; k < RACERS; k++)
			CHECK(jids[i] != jids[k]);
	CHECK_INT(registry_list(false, &v, &n), 0);
	for (size_t i = 0; i < n; i++)
		mine += strncmp(jail_name(v[i]), PREFIX "race",
		    sizeof(PREFIX "race") - 1) == 0 && !v[i]->gone;
	registry_list_free(v, n);
	CHECK_INT(mine, RACERS);
	CHECK_INT(racers_in_list(), RACERS);
	(void)close(hold[1]);		/* EOF: the racers exit */
	for (int i = 0; i < RACERS; i++)
		CHECK(waitpid(pids[i], NULL, 0) == pids[i]);
	/* all dead now: each forgotten, none left */
	CHECK_INT(registry_list(true, &v, &n), 0);
	mine = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(jail_name(v[i]), PREFIX "race",
		    sizeof(PREFIX "race") - 1) == 0) {
			CHECK(v[i]->gone);
			CHECK_INT(registry_forget(v[i]), 0);
			mine++;
		}
	registry_list_free(v, n);
	CHECK_INT(mine, RACERS);
	CHECK_INT(racers_in_list(), 0);
	registry_teardown();
}

int
main(void)
{
	return harness_main();
}
