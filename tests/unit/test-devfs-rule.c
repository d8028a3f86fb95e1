// SPDX-License-Identifier: BSD-2-Clause
/*
 * test-devfs-rule.c: devfs(8) rules as data (lib/fs/devfs-rule.c) and the
 * ruleset store (lib/fs/devfs-store.c), without root: a rulespec reads and
 * prints as FreeBSD's devfs does, every error says what FreeBSD says (or
 * something clearer), rules number and include as the kernel would, the
 * built-in rulesets are FreeBSD's, /etc/devfs.rules replaces a default
 * ruleset, and the store keeps rules across loads but not across boots
 * (GAOL_DEVFS_STORE points it at a scratch directory).
 */
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "fs/fs.h"
#include "harness.h"

/* A line through devfs_rule_parse_line and back out, or the error. */
static const char *
roundtrip(const char *line)
{
	static char buf[512];
	struct devfs_rule r;
	char *s;

	if (devfs_rule_parse_line(line, &r) < 0)
		return jail_errmsg;
	s = devfs_rule_format(&r);
	(void)snprintf(buf, sizeof(buf), "%s", s != NULL ? s : "(null)");
	free(s);
	devfs_rule_clear(&r);
	return buf;
}

/* Every rule of set, "num spec; num spec", or "-" when there is none. */
static const char *
dump(const struct devfs_rules *rs, unsigned set)
{
	static char buf[1024];
	const struct devfs_ruleset *s = devfs_ruleset_find(rs, set);

	(void)snprintf(buf, sizeof(buf), "%s", s == NULL ? "-" : "");
	for (size_t i = 0; s != NULL && i < s->n; i++) {
		char *f = devfs_rule_format(&s->v[i]);

		(void)snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
		    "%s%s", i > 0 ? "; " : "", f);
		free(f);
	}
	return buf;
}

/* Add a rule (from a line) to set; the error message if it fails. */
static const char *
add(struct devfs_rules *rs, unsigned set, const char *line)
{
	struct devfs_rule r;

	if (devfs_rule_parse_line(line, &r) < 0)
		return jail_errmsg;
	if (devfs_rules_add(rs, set, &r) < 0) {
		devfs_rule_clear(&r);
		return jail_errmsg;
	}
	devfs_rule_clear(&r);
	return "ok";
}

static const char *
sets(const struct devfs_rules *rs)
{
	static char buf[256];

	buf[0] = '\0';
	for (size_t i = 0; i < rs->n; i++)
		(void)snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
		    "%s%u", i > 0 ? " " : "", rs->v[i].num);
	return buf;
}

/* Rules of a devfs.rules(5) text after the built-in ones, or the error. */
static const char *
with_local(const char *text, unsigned set)
{
	struct devfs_rules rs = { NULL, 0, -1 };
	char path[] = "/tmp/gt-devfs-rules.XXXXXX";
	int fd = mkstemp(path);
	const char *out;

	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		return "mkstemp failed";
	(void)close(fd);
	out = devfs_rules_defaults(&rs, path) < 0 ? jail_errmsg :
	    dump(&rs, set);
	(void)unlink(path);
	devfs_rules_free(&rs);
	return out;
}

static char store_dir[] = "/tmp/gt-devfs-store.XXXXXX";

/* A scratch store directory for this case. */
static void
scratch_store(void)
{
	if (access("/proc/sys/kernel/random/boot_id", R_OK) < 0)
		SKIP("no /proc/sys/kernel/random/boot_id");
	if (mkdtemp(store_dir) == NULL)
		SKIP("mkdtemp: %s", strerror(errno));
	(void)setenv("GAOL_DEVFS_STORE", store_dir, 1);
}

static void
scratch_remove(void)
{
	static const char *const files[] = { "rules", "rules.tmp", "lock" };
	char path[256];

	for (size_t i = 0; i < nitems(files); i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", store_dir,
		    files[i]);
		(void)unlink(path);
	}
	(void)rmdir(store_dir);
}

TEST(rulespecs_print_as_freebsd)
{
	CHECK_STR(roundtrip("path 'pts/*' unhide"), "0 path pts/* unhide");
	CHECK_STR(roundtrip("100 hide"), "100 hide");
	CHECK_STR(roundtrip("0 path pts/* unhide"), "0 path pts/* unhide");
	CHECK_STR(roundtrip("type tty type disk hide"),
	    "0 type disk type tty hide");
	CHECK_STR(roundtrip("type mem path \"m*\" unhide hide"),
	    "0 type mem path m* hide unhide");
	CHECK_STR(roundtrip("path a\\ b mode 0640"), "0 path a b mode 640");
	CHECK_STR(roundtrip("user 0 group 0 mode 666 include 3"),
	    "0 user root group root mode 666 include 3");
	CHECK_STR(roundtrip("65535 user 4000000 group 4000000"),
	    "65535 user 4000000 group 4000000");
	CHECK_STR(roundtrip("  200 hide   # hidden"), "200 hide");
	CHECK_STR(roundtrip("path 'a#b' hide"), "0 path a#b hide");
	CHECK_STR(roundtrip("path '$x' hide"), "0 path $x hide");
	CHECK_STR(roundtrip("path tape"), "0 path tape");
}

TEST(modes_are_octal_or_symbolic)
{
	CHECK_STR(roundtrip("mode 0"), "0 mode 0");
	CHECK_STR(roundtrip("mode 4755"), "0 mode 4755");
	CHECK_STR(roundtrip("mode u=rw,g=r"), "0 mode 640");
	CHECK_STR(roundtrip("mode a=rwx,o-w"), "0 mode 775");
	CHECK_STR(roundtrip("mode +r"), "0 mode 444");
	CHECK_STR(roundtrip("mode ug=rw,o=g"), "0 mode 666");
	CHECK_STR(roundtrip("mode a+X"), "0 mode 0");
	CHECK_STR(roundtrip("mode u=x,a+X"), "0 mode 111");
	CHECK_STR(roundtrip("mode u+s,+t"), "0 mode 5000");
}

TEST(rulespec_errors_say_what_freebsd_says)
{
	static const char *const cases[][2] = {
		{ "bogus", "unknown argument: bogus" },
		{ "hide path x", "unknown argument: path" },
		{ "path", "expecting argument for path" },
		{ "type", "expecting argument for type" },
		{ "hide mode", "expecting argument for mode" },
		{ "include", "expecting argument for include" },
		{ "type floppy", "unknown type: floppy" },
		{ "mode 9", "invalid mode: 9" },
		{ "mode 10000", "invalid mode: 10000" },
		{ "mode u+q", "invalid mode: u+q" },
		{ "mode ''", "invalid mode: " },
		{ "", "unexpected end of rulespec" },
		{ "# nothing", "unexpected end of rulespec" },
		{ "100", "unexpected end of rulespec" },
		{ "70000 hide", "number out of range: 70000 (at most 65535)" },
		{ "include x", "error converting to number: x" },
		{ "include 65536",
		    "number out of range: 65536 (at most 65535)" },
		{ "user gt_no_such_user", "unknown user: gt_no_such_user" },
		{ "user -1", "unknown user: -1" },
		{ "user 4294967295", "unknown user: 4294967295" },
		{ "group gt_no_such_group", "unknown group: gt_no_such_group" },
		{ "path 'pts/*", "unterminated quoted string" },
		{ "path \"pts/*", "unterminated quoted string" },
		{ "hide \\", "backslash at end of line" },
	};

	for (size_t i = 0; i < nitems(cases); i++)
		CHECK_STR(roundtrip(cases[i][0]), cases[i][1]);
}

TEST(long_patterns_are_refused)
{
	char line[300];

	(void)snprintf(line, sizeof(line), "path %0200d hide", 0);
	CHECK(strstr(roundtrip(line), "pattern specified too long: ") ==
	    roundtrip(line));
	(void)snprintf(line, sizeof(line), "path %0199d hide", 0);
	CHECK_INT(strncmp(roundtrip(line), "0 path 000", 10), 0);
}

TEST(argv_rulespecs_take_words_as_they_are)
{
	char *argv[] = { "300", "path", "a b", "unhide" };
	struct devfs_rule r;
	char *s;

	CHECK_INT(devfs_rule_parse(argv, 4, &r), 0);
	CHECK_INT(r.num, 300);
	CHECK_INT(r.cond, DRC_PATH);
	CHECK_INT(r.acts, DRA_UNHIDE);
	s = devfs_rule_format(&r);
	CHECK_STR(s, "300 path a b unhide");
	free(s);
	devfs_rule_clear(&r);
	CHECK_INT(devfs_rule_parse(argv, 0, &r), -EINVAL);
	CHECK_STR(jail_errmsg, "unexpected end of rulespec");
}

TEST(numbers_are_sixteen_bits)
{
	unsigned n = 7;

	CHECK_INT(devfs_num_parse("65535", &n), 0);
	CHECK_INT(n, 65535);
	CHECK_INT(devfs_num_parse("65536", &n), -ERANGE);
	CHECK_INT(devfs_num_parse("99999999999999999999999", &n), -ERANGE);
	CHECK_INT(devfs_num_parse("-1", &n), -EINVAL);
	CHECK_STR(jail_errmsg, "error converting to number: -1");
	CHECK_INT(devfs_num_parse("", &n), -EINVAL);
	CHECK_INT(n, 65535);
}

TEST(defaults_are_freebsds_rulesets)
{
	struct devfs_rules rs = { NULL, 0, -1 };

	CHECK_INT(devfs_rules_defaults(&rs, NULL), 0);
	CHECK_STR(sets(&rs), "1 2 3 4 5");
	CHECK_STR(dump(&rs, 1), "100 hide");
	CHECK_STR(dump(&rs, 4), "100 include 1; 200 include 2; "
	    "300 include 3");
	CHECK_STR(dump(&rs, 5), "100 include 1; 200 include 2; "
	    "300 include 3; 400 include 4; 500 path net unhide; "
	    "600 path net/tun unhide");
	CHECK(strstr(dump(&rs, 3), "400 path pts/* unhide") != NULL);
	CHECK_STR(dump(&rs, 6), "-");
	devfs_rules_free(&rs);
	CHECK_INT(rs.lockfd, -1);
}

TEST(rules_number_by_hundreds)
{
	struct devfs_rules rs = { NULL, 0, -1 };

	CHECK_STR(add(&rs, 20, "hide"), "ok");
	CHECK_STR(add(&rs, 20, "path 'tty*' unhide"), "ok");
	CHECK_STR(add(&rs, 20, "150 path null unhide"), "ok");
	CHECK_STR(dump(&rs, 20),
	    "100 hide; 150 path null unhide; 200 path tty* unhide");
	CHECK_STR(add(&rs, 20, "65500 hide"), "ok");
	CHECK_STR(add(&rs, 20, "hide"),
	    "no rule number left after 65500 in ruleset 20");
	CHECK_STR(add(&rs, 20, "150 hide"),
	    "rule 150 already exists in ruleset 20");
	CHECK_STR(add(&rs, 0, "hide"), "ruleset 0 cannot hold rules");
	devfs_rules_free(&rs);
}

TEST(includes_need_an_existing_other_ruleset)
{
	struct devfs_rules rs = { NULL, 0, -1 };

	CHECK_STR(add(&rs, 20, "include 21"), "ruleset 21 does not exist");
	CHECK_STR(add(&rs, 20, "include 20"),
	    "ruleset 20 cannot include itself");
	CHECK_STR(add(&rs, 20, "include 0"), "ruleset 0 does not exist");
	CHECK_STR(sets(&rs), "");
	CHECK_STR(add(&rs, 21, "hide"), "ok");
	CHECK_STR(add(&rs, 20, "include 21"), "ok");
	CHECK_STR(dump(&rs, 20), "100 include 21");
	devfs_rules_free(&rs);
}

/* FreeBSD reaps an empty ruleset once no include refers to it. */
TEST(empty_rulesets_live_while_included)
{
	struct devfs_rules rs = { NULL, 0, -1 };

	CHECK_STR(add(&rs, 20, "hide"), "ok");
	CHECK_STR(add(&rs, 21, "include 20"), "ok");
	CHECK_INT(devfs_rules_delset(&rs, 20), 0);
	CHECK_STR(sets(&rs), "20 21");
	CHECK_STR(dump(&rs, 20), "");
	CHECK_INT(devfs_rules_del(&rs, 21, 7), -ENOENT);
	CHECK_STR(jail_errmsg, "rule 7 does not exist in ruleset 21");
	CHECK_INT(devfs_rules_del(&rs, 21, 100), 0);
	CHECK_STR(sets(&rs), "");
	CHECK_INT(devfs_rules_delset(&rs, 33), 0);
	devfs_rules_free(&rs);
}

TEST(local_rules_replace_a_default_ruleset)
{
	CHECK_STR(with_local("# mine\n"
	    "[devfsrules_jail=4]\n"
	    "add include $devfsrules_hide_all\n"
	    "add path 'zfs' unhide  # ZFS\n"
	    "[mine=20]\n"
	    "add include ${devfsrules_jail}\n"
	    "add 50 path \"$mine\" hide\n", 4),
	    "100 include 1; 200 path zfs unhide");
	CHECK_STR(with_local("[mine=20]\nadd include $devfsrules_jail\n"
	    "add 50 path \"$mine\" hide\n", 20),
	    "50 path 20 hide; 100 include 4");
	CHECK_STR(with_local("", 4), "100 include 1; 200 include 2; "
	    "300 include 3");
}

TEST(rules_file_errors_name_file_and_line)
{
	static const char *const cases[][2] = {
		{ "add hide\n",
		    "rule outside a ruleset ([name=number] first)" },
		{ "[x=20]\n\nadd include $nope\n",
		    "unknown ruleset name: $nope" },
		{ "[x]\n", "bad ruleset header, expecting [name=number]" },
		{ "[x=20] junk\n",
		    "bad ruleset header, expecting [name=number]" },
		{ "[x=0]\n", "ruleset 0 cannot hold rules" },
		{ "[x=70000]\n", "number out of range: 70000 (at most 65535)" },
		{ "[x=20]\ndel 100\n",
		    "del: not supported in a rules file (only add is)" },
		{ "[x=20]\nfrobnicate\n", "unknown command: frobnicate" },
		{ "[x=20]\nadd hide\nadd 100 hide\n",
		    "rule 100 already exists in ruleset 20" },
	};
	static const unsigned lines[] = { 1, 3, 1, 1, 1, 1, 2, 2, 3 };

	for (size_t i = 0; i < nitems(cases); i++) {
		char want[256];
		const char *got = with_local(cases[i][0], 20);
		const char *colon = strstr(got, ":");

		(void)snprintf(want, sizeof(want), "%u: %s", lines[i],
		    cases[i][1]);
		CHECK(strncmp(got, "/tmp/gt-devfs-rules.", 20) == 0);
		CHECK_STR(colon != NULL ? colon + 1 : got, want);
	}
}

TEST(the_store_keeps_rules_until_reboot)
{
	struct devfs_rules rs = { NULL, 0, -1 };
	char path[256];
	FILE *f;

	scratch_store();
	CHECK_INT(devfs_rules_load(true, &rs), 0);
	CHECK(rs.lockfd >= 0);
	CHECK_STR(sets(&rs), "1 2 3 4 5");
	CHECK_STR(add(&rs, 20, "hide"), "ok");
	CHECK_STR(add(&rs, 21, "include 20"), "ok");
	CHECK_INT(devfs_rules_delset(&rs, 20), 0);
	CHECK_INT(devfs_rules_save(&rs), 0);
	devfs_rules_free(&rs);

	CHECK_INT(devfs_rules_load(true, &rs), 0);
	/* 20 is empty, but 21 includes it */
	CHECK_STR(sets(&rs), "1 2 3 4 5 20 21");
	CHECK_STR(dump(&rs, 20), "");
	CHECK_STR(add(&rs, 20, "path \"it's a b\" user 0 group 0 mode 600"),
	    "ok");
	CHECK_INT(devfs_rules_save(&rs), 0);
	devfs_rules_free(&rs);

	CHECK_INT(devfs_rules_load(false, &rs), 0);
	CHECK_INT(rs.lockfd, -1);
	CHECK_STR(dump(&rs, 20),
	    "100 path it's a b user root group root mode 600");
	CHECK_STR(dump(&rs, 21), "100 include 20");
	CHECK_INT(devfs_rules_save(&rs), -EBADF);
	devfs_rules_free(&rs);

	/* another boot's store: the defaults again */
	(void)snprintf(path, sizeof(path), "%s/rules", store_dir);
	f = fopen(path, "r+");
	CHECK(f != NULL && fputs("boot x", f) >= 0 && fclose(f) == 0);
	CHECK_INT(devfs_rules_load(false, &rs), 0);
	CHECK_STR(sets(&rs), "1 2 3 4 5");
	devfs_rules_free(&rs);
	scratch_remove();
}

TEST(the_store_is_locked_while_changed)
{
	struct devfs_rules rs = { NULL, 0, -1 };
	char path[256];
	int fd;

	scratch_store();
	CHECK_INT(devfs_rules_load(true, &rs), 0);
	(void)snprintf(path, sizeof(path), "%s/lock", store_dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0);
	CHECK_INT(flock(fd, LOCK_SH | LOCK_NB), -1);
	CHECK_INT(errno, EWOULDBLOCK);
	devfs_rules_free(&rs);
	CHECK_INT(flock(fd, LOCK_SH | LOCK_NB), 0);
	(void)close(fd);
	scratch_remove();
}

TEST(a_spoilt_store_is_an_error_with_its_line)
{
	struct devfs_rules rs = { NULL, 0, -1 };
	char path[256], boot[64] = "";
	FILE *f;
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY);

	scratch_store();
	CHECK(fd >= 0 && read(fd, boot, sizeof(boot) - 1) > 0);
	(void)close(fd);
	(void)snprintf(path, sizeof(path), "%s/rules", store_dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	(void)fprintf(f, "boot %s4 100 hide\n4 bogus\n", boot);
	(void)fclose(f);
	CHECK_INT(devfs_rules_load(false, &rs), -EINVAL);
	CHECK(strstr(jail_errmsg, "/rules:3: unknown argument: bogus") !=
	    NULL);
	scratch_remove();
}

int
main(void)
{
	return harness_main();
}
