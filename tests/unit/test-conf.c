// SPDX-License-Identifier: BSD-2-Clause
/*
 * test-conf.c: the jail.conf(5) reader (lib/conf*.c).
 *
 * No root, no jail.  tests/unit/conf/good/X.conf must resolve to exactly
 * X.expect (every parameter set, as param_export prints it; FreeBSD's
 * own examples are among them); every tests/unit/conf/bad/X.conf must
 * fail with the one message its first line names.  The rest checks
 * precedence, "+=", variables, includes with globs (in temporary
 * directories under /tmp, removed afterwards), the default file set and
 * the limits.  GAOL_CONF_BLESS=1 rewrites the .expect files.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "conf/conf.h"

/* -- helpers ------------------------------------------------------------ */

static const char *
srcdir(void)
{
	const char *s = getenv("GAOL_SRCDIR");

	return s != NULL ? s : ".";
}

/*
 * jail_errmsg, copied: gcc 12 with -fsanitize=undefined at -O2 takes the
 * address of the thread-local array for NULL in some callers (a false
 * "null pointer passed as argument" and a failed CHECK_STR).
 */
static const char *
errmsg(void)
{
	static char buf[JAIL_ERRMSGLEN];

	(void)snprintf(buf, sizeof(buf), "%s", jail_errmsg);
	return buf;
}

/* Parse text as "x.conf"; NULL (and a "# ..." line) on failure. */
static struct conf *
load(const char *text)
{
	struct conf *c = NULL;
	int r = conf_load_string("x.conf", text, strlen(text), &c);

	if (r < 0)
		printf("# unexpected error %d: %s\n", r, errmsg());
	CHECK_INT(r, 0);
	return c;
}

/* Parse text as "x.conf", expecting failure with message msg. */
#define LOAD_ERR(text, msg)                                                   \
	do {                                                                  \
		struct conf *c_ = NULL;                                       \
		CHECK(conf_load_string("x.conf", (text), strlen(text), &c_) < \
		    0);                                                       \
		CHECK(c_ == NULL);                                            \
		CHECK_STR(errmsg(), (msg));                                   \
		conf_free(c_);                                                \
	} while (0)

/* The exported value of a jail's parameter, in a static buffer. */
static const char *
val(const struct conf *c, const char *jail, const char *param)
{
	static char buf[8192];
	const struct conf_jail *j = conf_find(c, jail);
	char *v = NULL;
	bool neg;
	int id = param_find(param, &neg);

	if (j == NULL || id < 0)
		return "(no such jail or parameter)";
	if (!param_isset(&j->params, id))
		return "(unset)";
	if (param_export(&j->params, id, &v) < 0)
		return "(export failed)";
	(void)snprintf(buf, sizeof(buf), "%s", v);
	free(v);
	return buf;
}

/* A list parameter's elements joined by "|", in a static buffer. */
static const char *
list(const struct conf *c, const char *jail, const char *param)
{
	static char buf[8192];
	const struct conf_jail *j = conf_find(c, jail);
	const struct strv *l;
	size_t n = 0;
	bool neg;
	int id = param_find(param, &neg);

	if (j == NULL || id < 0)
		return "(no such jail or parameter)";
	l = param_list(&j->params, id);
	buf[0] = '\0';
	for (size_t i = 0; l != NULL && i < l->n; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    i ? "|" : "", l->v[i]);
	return buf;
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	(void)fputs(text, f);
	(void)fclose(f);
}

static char *
read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 1 << 16);
	size_t n = 0;

	if (f != NULL && buf != NULL)
		n = fread(buf, 1, (1 << 16) - 1, f);
	if (f != NULL)
		(void)fclose(f);
	if (buf != NULL)
		buf[n] = '\0';
	return buf;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* A fresh directory under /tmp with subdirectories etc, etc/jail.conf.d. */
static char *
tmpdir(void)
{
	char *d = strdup("/tmp/gaol-test-conf.XXXXXX");
	char sub[4096];

	CHECK(d != NULL && mkdtemp(d) != NULL);
	(void)snprintf(sub, sizeof(sub), "%s/etc", d);
	CHECK_INT(mkdir(sub, 0755), 0);
	(void)snprintf(sub, sizeof(sub), "%s/etc/jail.conf.d", d);
	CHECK_INT(mkdir(sub, 0755), 0);
	return d;
}

static void
tmpdir_remove(char *d)
{
	CHECK_INT(nftw(d, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
	free(d);
}

/* Escape "\", newline and tab so a dump stays one line per value. */
static void
put_escaped(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\\' || *s == '\n' || *s == '\t')
			fprintf(f, "\\%c",
			    *s == '\n'	   ? 'n' :
				*s == '\t' ? 't' :
					     '\\');
		else
			(void)fputc(*s, f);
}

/* Every jail defined in file itself: its place, then its set values. */
static char *
dump(const struct conf *c, const char *file)
{
	char *out = NULL, *v;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	for (size_t i = 0; f != NULL && i < c->n; i++) {
		const struct conf_jail *j = &c->jails[i];

		if (strcmp(j->file, file) != 0)
			continue; /* from the host's own files */
		fprintf(f, "%s (%s:%u)\n", j->name, strrchr(file, '/') + 1,
		    j->line);
		for (int id = 0; id < P__MAX; id++) {
			if (!param_isset(&j->params, id) ||
			    param_export(&j->params, id, &v) < 0)
				continue;
			fprintf(f, "\t%s=", param_table[id].name);
			put_escaped(f, v);
			(void)fputc('\n', f);
			free(v);
		}
	}
	if (f != NULL)
		(void)fclose(f);
	return out;
}

/* -- the data files ----------------------------------------------------- */

static void
check_good(const char *path)
{
	char exp_path[4096];
	struct conf *c = NULL;
	char *got, *want;
	FILE *f;

	(void)snprintf(exp_path, sizeof(exp_path), "%.*s.expect",
	    (int)(strlen(path) - 5), path);
	if (conf_load(path, &c) < 0) {
		printf("# %s: %s\n", path, errmsg());
		CHECK(false);
		return;
	}
	got = dump(c, path);
	if (getenv("GAOL_CONF_BLESS") != NULL &&
	    (f = fopen(exp_path, "w")) != NULL) {
		(void)fputs(got, f);
		(void)fclose(f);
	}
	want = read_text(exp_path);
	if (strcmp(got, want) != 0)
		printf("# %s: differs from %s\n", path, exp_path);
	CHECK_STR(got, want);
	free(got);
	free(want);
	conf_free(c);
}

TEST(good_files_resolve_as_expected)
{
	char pattern[4096];
	glob_t g;

	(void)snprintf(pattern, sizeof(pattern),
	    "%s/tests/unit/conf/good/*.conf", srcdir());
	CHECK_INT(glob(pattern, 0, NULL, &g), 0);
	CHECK(g.gl_pathc >= 6);
	for (size_t i = 0; i < g.gl_pathc; i++)
		check_good(g.gl_pathv[i]);
	globfree(&g);
}

static void
check_bad(const char *path)
{
	char *text = read_text(path), want[1024], *nl;
	struct conf *c = NULL;

	nl = strchr(text, '\n');
	CHECK(strncmp(text, "# error: ", 9) == 0 && nl != NULL);
	if (nl != NULL)
		*nl = '\0';
	(void)snprintf(want, sizeof(want), "%s:%s", path, text + 9);
	CHECK(conf_load(path, &c) < 0);
	CHECK(c == NULL);
	CHECK_STR(errmsg(), want);
	free(text);
}

TEST(bad_files_give_one_exact_error)
{
	char pattern[4096];
	glob_t g;

	(void)snprintf(pattern, sizeof(pattern),
	    "%s/tests/unit/conf/bad/*.conf", srcdir());
	CHECK_INT(glob(pattern, 0, NULL, &g), 0);
	CHECK(g.gl_pathc >= 25);
	for (size_t i = 0; i < g.gl_pathc; i++)
		check_bad(g.gl_pathv[i]);
	globfree(&g);
}

TEST(sample_file_parses)
{
	char path[4096];
	struct conf *c = NULL;

	(void)snprintf(path, sizeof(path), "%s/etc/jail.conf.sample", srcdir());
	CHECK_INT(conf_load(path, &c), 0);
	if (c == NULL)
		return;
	CHECK_INT(c->n, 3);
	CHECK_STR(val(c, "web", "path"), "/srv/jail/web");
	CHECK_STR(val(c, "web", "depend"), "db");
	CHECK_STR(val(c, "db", "host.hostname"), "db.example.org");
	CHECK_STR(val(c, "scratch", "allow.mount"), "false");
	conf_free(c);
}

/* -- grammar and precedence ---------------------------------------------- */

TEST(wildcards_and_globals_apply_in_file_order)
{
	struct conf *c = load("persist;\n"
			      "* { securelevel = 1; }\n"
			      "early { securelevel = 2; }\n"
			      "* { children.max = 5; }\n"
			      "late { children.max = 3; }\n"
			      "enforce_statfs = 0;\n");

	if (c == NULL)
		return;
	CHECK_INT(c->n, 2);
	CHECK_STR(c->jails[0].name, "early");
	CHECK_STR(c->jails[1].name, "late");
	CHECK_STR(val(c, "early", "securelevel"), "2");
	CHECK_STR(val(c, "early", "children.max"), "5"); /* later "*" wins */
	CHECK_STR(val(c, "late", "securelevel"), "1");
	CHECK_STR(val(c, "late", "children.max"), "3");
	CHECK_STR(val(c, "early", "enforce_statfs"), "0");
	CHECK_STR(val(c, "late", "enforce_statfs"), "0");
	CHECK_STR(val(c, "late", "persist"), "true");
	CHECK(conf_find(c, "*") == NULL);
	CHECK(conf_find(c, "nope") == NULL);
	conf_free(c);
}

TEST(append_extends_lists)
{
	struct conf *c =
	    load("exec.start = \"a\";\n"
		 "one { exec.start += \"b\"; }\n"
		 "two { exec.start = \"c\"; exec.start += d, e; }\n"
		 "three { exec.start += \"x\"; exec.start = y; }\n"
		 "exec.start += \"z\";\n"
		 "four { mount += \"m\"; }\n");

	if (c == NULL)
		return;
	CHECK_STR(list(c, "one", "exec.start"), "a|b|z");
	CHECK_STR(list(c, "two", "exec.start"), "c|d|e|z");
	CHECK_STR(list(c, "three", "exec.start"), "y|z");
	CHECK_STR(list(c, "four", "exec.start"), "a|z");
	CHECK_STR(list(c, "four", "mount"), "m");
	conf_free(c);
}

TEST(booleans_and_their_no_forms)
{
	struct conf *c = load("a { allow.mount = \"false\"; }\n"
			      "b { allow.nomount; }\n"
			      "c { allow.mount; allow.nomount; }\n"
			      "d { nopersist; persist; }\n"
			      "e { persist = 0; allow.raw_sockets = TRUE; }\n");

	if (c == NULL)
		return;
	CHECK_STR(val(c, "a", "allow.mount"), "false");
	CHECK_STR(val(c, "b", "allow.mount"), "false");
	CHECK_STR(val(c, "c", "allow.mount"), "false");
	CHECK_STR(val(c, "d", "persist"), "true");
	CHECK_STR(val(c, "e", "persist"), "false");
	CHECK_STR(val(c, "e", "allow.raw_sockets"), "true");
	conf_free(c);
}

TEST(variables_expand_per_jail)
{
	struct conf *c = load(
	    "$base = \"/jails\";\n"
	    "path = \"$base/$name\";\n"
	    "host.hostname = ${name}.example.org;\n"
	    "exec.start = \"echo ${host.hostname} in ${path}\";\n"
	    "$addrs = 10.0.0.1, 10.0.0.2;\n"
	    "web { ip4.addr = $addrs, 10.0.0.3; $base = /srv; }\n"
	    "db { exec.stop = \"$$\", '$name', \"\\$name\", \"$${name}\"; }\n");

	if (c == NULL)
		return;
	CHECK_STR(val(c, "web", "path"), "/srv/web");
	CHECK_STR(val(c, "db", "path"), "/jails/db");
	CHECK_STR(val(c, "web", "host.hostname"), "web.example.org");
	CHECK_STR(list(c, "web", "exec.start"),
	    "echo web.example.org in /srv/web");
	CHECK_STR(list(c, "web", "ip4.addr"), "10.0.0.1|10.0.0.2|10.0.0.3");
	CHECK_STR(list(c, "db", "ip4.addr"), "");
	CHECK_STR(list(c, "db", "exec.stop"), "$$|$name|$name|$db");
	conf_free(c);
}

TEST(numeric_block_name_is_the_jid)
{
	struct conf *c = load("7 { persist; exec.start = \"echo $jid\"; }\n");

	if (c == NULL)
		return;
	CHECK_STR(c->jails[0].name, "7");
	CHECK_STR(val(c, "7", "jid"), "7");
	CHECK_STR(val(c, "7", "name"), "(unset)");
	CHECK_STR(list(c, "7", "exec.start"), "echo 7");
	conf_free(c);
	LOAD_ERR("7 { jid = 8; }",
	    "x.conf:1:5: cannot redefine parameter \"jid\"");
}

TEST(strings_escapes_and_comments)
{
	struct conf *c =
	    load("web {\r\n"
		 "\tpath=/a/b//comment\n"
		 "\t;host.hostname web#comment\n"
		 "\t;exec.start = \"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\\'\", "
		 "'\\101\\x42\\x4a3\\q', a\\ b, \"con\"'cat'enated, \"\";\n"
		 "\texec.stop = /*x*/ \"one\\\n"
		 "two\";\n"
		 "\tmount = 'UTF-8 caf\xc3\xa9', \"\xe2\x82\xac\";\n"
		 "}\n");

	if (c == NULL)
		return;
	CHECK_STR(val(c, "web", "path"), "/a/b");
	CHECK_STR(val(c, "web", "host.hostname"), "web");
	CHECK_STR(list(c, "web", "exec.start"),
	    "\a\b\f\n\r\t\v\\\"'|ABJ3q|a b|concatenated");
	CHECK_STR(list(c, "web", "exec.stop"), "onetwo");
	CHECK_STR(list(c, "web", "mount"), "UTF-8 caf\xc3\xa9|\xe2\x82\xac");
	conf_free(c);
}

TEST(errors_count_lines_and_columns)
{
	LOAD_ERR("web {\n\texec.start = \"a\nb\\\nc\";\n\tfoo;\n}",
	    "x.conf:5:2: unknown parameter: foo");
	LOAD_ERR("/* a\n * b */ web { persist; } }",
	    "x.conf:2:26: unexpected \"}\"");
	LOAD_ERR("web { path = \"/x\" }", "x.conf:1:19: expected \";\"");
}

TEST(empty_and_blank_files_have_no_jails)
{
	static const char *const texts[] = { "", "\n\n", "# only\n", ";;;",
		"persist; * { persist; }" };

	for (size_t i = 0; i < nitems(texts); i++) {
		struct conf *c = load(texts[i]);

		CHECK(c != NULL && c->n == 0);
		conf_free(c);
	}
}

/* -- limits --------------------------------------------------------------- */

TEST(values_are_limited_to_64k)
{
	size_t n = CONF_VALUE_MAX + 16;
	char *text = malloc(n + 64), *big = malloc(CONF_VALUE_MAX / 2 + 64);

	CHECK(text != NULL && big != NULL);
	if (text == NULL || big == NULL)
		return;
	(void)snprintf(text, 64, "web { path = \"/");
	memset(text + 15, 'a', n - 15);
	(void)snprintf(text + n, 64, "\"; }");
	LOAD_ERR(text, "x.conf:1:14: value too long");
	memset(big, 'b', CONF_VALUE_MAX / 2 + 8);
	(void)snprintf(text, n, "$v = \"%.*s\";\nweb { path = \"/$v$v\"; }",
	    (int)(CONF_VALUE_MAX / 2 + 8), big);
	LOAD_ERR(text, "x.conf:2:14: value too long");
	(void)snprintf(text, n,
	    "$a = %.*s;\n$b = $a, $a, $a;\n"
	    "web { exec.start = $b, $b, $b; }",
	    (int)(CONF_VALUE_MAX / 8), big);
	LOAD_ERR(text, "x.conf:3:28: value too long");
	free(text);
	free(big);
}

TEST(many_small_values_are_fine)
{
	char text[65536];
	size_t n = 0;
	struct conf *c;

	n += (size_t)snprintf(text, sizeof(text), "web { exec.start = x");
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, ", c%d", i);
	(void)snprintf(text + n, sizeof(text) - n, "; }");
	c = load(text);
	if (c == NULL)
		return;
	CHECK_INT(param_list(&c->jails[0].params, P_EXEC_START)->n, 1001);
	conf_free(c);
}

/* -- files and includes ------------------------------------------------- */

TEST(includes_glob_relative_to_the_including_file)
{
	char *d = tmpdir(), path[4096];
	struct conf *c = NULL;

	write_file(d, "main.conf",
	    "path = \"/j/$name\";\n"
	    ".include \"etc/jail.conf.d/*.conf\";\n"
	    ".include \"etc/nothing/*.conf\"\n"
	    "last { persist; }\n");
	write_file(d, "etc/jail.conf.d/b.conf",
	    "b { persist; }\n.include \"../extra.inc\";\n");
	write_file(d, "etc/jail.conf.d/a.conf", "a { persist; }\n");
	write_file(d, "etc/jail.conf.d/c.txt", "c { persist; }\n");
	write_file(d, "etc/extra.inc", "extra { path = /e; persist; }\n");
	(void)snprintf(path, sizeof(path), "%s/main.conf", d);
	CHECK_INT(conf_load(path, &c), 0);
	if (c != NULL) {
		CHECK_INT(c->n, 4);
		CHECK_STR(c->jails[0].name, "a");
		CHECK_STR(c->jails[1].name, "b");
		CHECK_STR(c->jails[2].name, "extra");
		CHECK_STR(c->jails[3].name, "last");
		CHECK_STR(val(c, "a", "path"), "/j/a");
		CHECK_STR(val(c, "extra", "path"), "/e");
		CHECK(strstr(c->jails[2].file, "/jail.conf.d/../extra.inc") !=
		    NULL);
		CHECK_INT(c->jails[2].line, 1);
	}
	conf_free(c);
	tmpdir_remove(d);
}

/* Load DIR/name and expect failure with the message fmt formats. */
__attribute__((format(printf, 3, 4))) static void
load_file_err(const char *d, const char *name, const char *fmt, ...)
{
	char path[4096], want[8192];
	struct conf *c = NULL;
	va_list ap;

	(void)snprintf(path, sizeof(path), "%s/%s", d, name);
	va_start(ap, fmt);
	(void)vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	CHECK(conf_load(path, &c) < 0);
	CHECK(c == NULL);
	CHECK_STR(errmsg(), want);
}

TEST(include_errors)
{
	char *d = tmpdir();

	write_file(d, "self.conf", ".include \"self.conf\";\n");
	load_file_err(d, "self.conf",
	    "%s/self.conf:1:1: include loop: %s/self.conf", d, d);
	write_file(d, "a.conf", "a { persist; }\n.include \"b.conf\";\n");
	write_file(d, "b.conf", "\n  .include \"a.conf\";\n");
	load_file_err(d, "a.conf", "%s/b.conf:2:3: include loop: %s/a.conf", d,
	    d);
	write_file(d, "missing.conf", ".include \"none.conf\";\n");
	load_file_err(d, "missing.conf",
	    "%s/missing.conf:1:1: %s/none.conf: No such file or directory", d,
	    d);
	write_file(d, "dir.conf", ".include \"etc\";\n");
	load_file_err(d, "dir.conf",
	    "%s/dir.conf:1:1: %s/etc: not a regular file", d, d);
	write_file(d, "twice.conf",
	    ".include \"x.inc\";\n.include \"x.inc\";\n");
	write_file(d, "x.inc", "x { persist; }\n");
	load_file_err(d, "twice.conf", "%s/x.inc:1:1: jail \"x\" defined twice",
	    d);
	load_file_err(d, "nonexistent.conf",
	    "%s/nonexistent.conf: No such file or directory", d);
	tmpdir_remove(d);
}

TEST(includes_can_be_refused)
{
	struct conf *c = NULL;
	const char *t = "\n .include \"/etc/passwd\";";

	CHECK(conf_load_string_flags("f.conf", t, strlen(t), CONF_NOINCLUDE,
		  &c) < 0);
	CHECK_STR(errmsg(), "f.conf:2:2: .include is not allowed here");
	CHECK(c == NULL);
}

TEST(default_set_reads_jail_conf_then_jail_conf_d)
{
	char *d = tmpdir();
	struct conf *c = NULL;

	CHECK_INT(conf_load_default(d, &c), 0); /* nothing there */
	CHECK(c != NULL && c->n == 0);
	conf_free(c);
	c = NULL;
	write_file(d, "etc/jail.conf.d/20-b.conf", "b { persist; }\n");
	write_file(d, "etc/jail.conf.d/10-a.conf", "a { persist; }\n");
	write_file(d, "etc/jail.conf.d/skip.inc", "skip { persist; }\n");
	CHECK_INT(conf_load_default(d, &c), 0); /* no jail.conf */
	CHECK(c != NULL && c->n == 2 && strcmp(c->jails[0].name, "a") == 0);
	conf_free(c);
	c = NULL;
	write_file(d, "etc/jail.conf",
	    "host.hostname = \"$name.lan\";\n"
	    ".include \"jail.conf.d/20-b.conf\";\nmain { persist; }\n");
	CHECK_INT(conf_load_default(d, &c), 0);
	if (c != NULL && c->n == 3) { /* 20-b.conf read once */
		CHECK_STR(c->jails[0].name, "b");
		CHECK_STR(c->jails[1].name, "main");
		CHECK_STR(c->jails[2].name, "a");
		CHECK_STR(val(c, "a", "host.hostname"), "a.lan");
	} else
		CHECK(false);
	conf_free(c);
	tmpdir_remove(d);
}

int
main(void)
{
	return harness_main();
}
