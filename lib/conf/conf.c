// SPDX-License-Identifier: BSD-2-Clause
/*
 * conf.c: jail.conf(5) files -> struct conf, after FreeBSD's
 * jailparse.y and config.c.
 *
 * Owns the grammar (statements, blocks, .include), the files it reads,
 * and per-jail resolution: every section that applies to a jail (global
 * statements and wildcard blocks, and the jail's own block) is applied in
 * file order so that later settings win, then variables are expanded and
 * each value goes through param_import_value().  Tokens come from
 * conf-lex.c.  The first error stops everything; its message is written
 * once, by whoever knows the cause, and gets "FILE:LINE:COL: " in front.
 * Never prints, never exits, never returns a half-built conf.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf-int.h"
#include "conf/conf.h"

/* One file being parsed; tok is the current token. */
struct parser {
	struct parse *ps;
	struct conf_lexer lx;
	struct conf_token tok;
	const char *file;
};

/* Grow *v (n elements of size sz) by one zeroed element. */
void *
conf_grow(void *v, size_t n, size_t sz)
{
	char *nv = reallocarray(v, n + 1, sz);

	if (nv != NULL)
		memset(nv + n * sz, 0, sz);
	return nv;
}

int
conf_at(const char *file, unsigned line, unsigned col, int r)
{
	return jail_errctx(r, "%s:%u:%u", file, line, col);
}

/* -- the grammar ------------------------------------------------------ */

static int
next(struct parser *pr)
{
	conf_str_free(&pr->tok.str);
	return conf_lex_next(&pr->lx, &pr->tok);
}

/* The current token was not what the grammar allows here. */
static int
expected(struct parser *pr, const char *what)
{
	(void)jail_seterr(-EINVAL, "expected %s", what);
	return conf_at(pr->file, pr->tok.line, pr->tok.col, -EINVAL);
}

static int
unexpected(struct parser *pr)
{
	(void)jail_seterr(-EINVAL, "unexpected %s",
	    conf_tok_name(pr->tok.type));
	return conf_at(pr->file, pr->tok.line, pr->tok.col, -EINVAL);
}

static void
stmt_free(struct stmt *st)
{
	free(st->name);
	for (size_t i = 0; i < st->nvals; i++)
		conf_str_free(&st->vals[i]);
	free(st->vals);
}

static void
section_free(struct section *s)
{
	free(s->name);
	conf_str_free(&s->self);
	for (size_t i = 0; i < s->n; i++)
		stmt_free(&s->stmts[i]);
	free(s->stmts);
}

/* Move the current string token's text out as a value. */
static int
take_value(struct parser *pr, struct stmt *st)
{
	struct conf_str *v = conf_grow(st->vals, st->nvals, sizeof(*v));

	if (v == NULL)
		return conf_oom();
	st->vals = v;
	v[st->nvals++] = pr->tok.str;
	pr->tok.str = (struct conf_str){ 0 };
	return next(pr);
}

/* "v, v, ...;" */
static int
parse_values(struct parser *pr, struct stmt *st)
{
	int r;

	for (;;) {
		if (pr->tok.type != TK_STRING)
			return expected(pr, "a value");
		r = take_value(pr, st);
		if (r < 0)
			return r;
		if (pr->tok.type == TK_SEMI)
			return next(pr);
		if (pr->tok.type != TK_COMMA)
			return expected(pr, "\";\"");
		r = next(pr);
		if (r < 0)
			return r;
	}
}

/* What may follow a statement's name: "=", "+=", ";" or the value. */
static int
parse_rest(struct parser *pr, struct stmt *st)
{
	int r;

	switch (pr->tok.type) {
	case TK_SEMI:
		return next(pr);
	case TK_PLEQ:
		st->append = true;
		/* FALLTHROUGH */
	case TK_EQ:
		r = next(pr);
		return r < 0 ? r : parse_values(pr, st);
	case TK_STRING:		/* "name value;" (jailparse.y allows it) */
		return parse_values(pr, st);
	default:
		return expected(pr, "\";\"");
	}
}

/* A variable may not shadow a parameter (FreeBSD). */
static int
stmt_var(struct stmt *st, const struct conf_token *name)
{
	bool neg;

	st->id = -1;
	st->name = strdup(name->str.vars[0].name);
	if (st->name == NULL)
		return conf_oom();
	if (param_find(st->name, &neg) >= 0)
		return jail_seterr(-EINVAL,
		    "variable \"$%s\" cannot have the same name as a parameter",
		    st->name);
	return 0;
}

/* Fill in st's name from the name token: a parameter or a variable. */
static int
stmt_name(struct stmt *st, const struct conf_token *name)
{
	if (name->lone_var)
		return stmt_var(st, name);
	if (name->str.nvars > 0)
		return jail_seterr(-EINVAL,
		    "parameter name cannot contain variables");
	if (name->plain && strcmp(name->str.s, ".include") == 0)
		return jail_seterr(-EINVAL,
		    ".include is not allowed inside a jail block");
	st->id = param_find(name->str.s, &st->negated);
	if (st->id < 0)
		return st->id;
	st->name = strdup(name->str.s);
	return st->name == NULL ? conf_oom() : 0;
}

static int
section_push(struct section *sec, struct stmt *st)
{
	struct stmt *v = conf_grow(sec->stmts, sec->n, sizeof(*v));

	if (v == NULL)
		return conf_oom();
	sec->stmts = v;
	st->shared = sec->wild;
	for (size_t i = 0; i < st->nvals; i++)
		st->vals[i].shared = sec->wild;
	v[sec->n++] = *st;
	*st = (struct stmt){ 0 };
	return 0;
}

/* A statement whose name token is *name, the current token after it. */
static int
parse_stmt(struct parser *pr, const struct conf_token *name, size_t sec)
{
	struct stmt st = { .file = pr->file, .line = name->line,
		.col = name->col };
	int r;

	r = stmt_name(&st, name);
	if (r < 0)
		r = conf_at(pr->file, name->line, name->col, r);
	if (r >= 0)
		r = parse_rest(pr, &st);
	if (r >= 0)
		r = section_push(&pr->ps->secs[sec], &st);
	stmt_free(&st);
	return r;
}

static int
add_section(struct parse *ps, const struct conf_token *name)
{
	struct section *v = conf_grow(ps->secs, ps->nsecs, sizeof(*v));

	if (v == NULL)
		return conf_oom();
	ps->secs = v;
	v += ps->nsecs;
	v->self = (struct conf_str){ .s = strdup(name->str.s),
		.len = name->str.len, .file = name->str.file,
		.line = name->line, .col = name->col };
	v->name = v->self.s == NULL ? NULL : strdup(name->str.s);
	if (v->name == NULL) {
		section_free(v);
		return conf_oom();
	}
	ps->nsecs++;
	return 0;
}

/* The section global statements go to: the last, if it is "*". */
static int
global_section(struct parser *pr, const struct conf_token *at_tok,
    size_t *ret)
{
	struct parse *ps = pr->ps;
	struct conf_token star = { .line = at_tok->line, .col = at_tok->col,
		.str = { .s = (char *)"*", .len = 1, .file = pr->file } };
	int r;

	if (ps->nsecs == 0 || strcmp(ps->secs[ps->nsecs - 1].name, "*") != 0) {
		r = add_section(ps, &star);
		if (r < 0)
			return r;
		ps->secs[ps->nsecs - 1].wild = true;
	}
	*ret = ps->nsecs - 1;
	return 0;
}

/* Whether a jail name is a wildcard: it has a component "*". */
static bool
is_wild(const char *n)
{
	for (const char *c = strchr(n, '*'); c != NULL; c = strchr(c + 1, '*'))
		if ((c == n || c[-1] == '.') && (c[1] == '\0' || c[1] == '.'))
			return true;
	return false;
}

/* A block's name: literal, UTF-8 (escapes may make it not) and new. */
static int
check_block_name(struct parse *ps, const struct conf_token *name)
{
	const struct conf_str *s = &name->str;
	size_t n;

	if (s->nvars > 0)
		return jail_seterr(-EINVAL,
		    "jail name cannot contain variables");
	for (size_t i = 0; i < s->len; i += n) {
		n = (unsigned char)s->s[i] < 0x80 ? 1 :
			conf_utf8_len((const unsigned char *)s->s + i,
			    s->len - i);
		if (n == 0)
			return jail_seterr(-EINVAL,
			    "jail name is not valid UTF-8");
	}
	for (size_t i = 0; i < ps->nsecs && !is_wild(s->s); i++)
		if (!ps->secs[i].wild && strcmp(ps->secs[i].name, s->s) == 0)
			return jail_seterr(-EINVAL,
			    "jail \"%s\" defined twice", s->s);
	return 0;
}

/* After "name {": statements up to the closing brace. */
static int
parse_block(struct parser *pr, struct conf_token *name)
{
	struct conf_token pname = { 0 };
	size_t sec = pr->ps->nsecs;
	int r;

	r = check_block_name(pr->ps, name);
	if (r < 0)
		return conf_at(pr->file, name->line, name->col, r);
	r = add_section(pr->ps, name);
	if (r >= 0)
		pr->ps->secs[sec].wild = is_wild(name->str.s);
	if (r >= 0)
		r = next(pr);
	while (r >= 0 && pr->tok.type != TK_RBRACE) {
		if (pr->tok.type == TK_SEMI) {
			r = next(pr);
			continue;
		}
		if (pr->tok.type != TK_STRING)
			return pr->tok.type == TK_EOF ? expected(pr, "\"}\"") :
							unexpected(pr);
		pname = pr->tok;
		pr->tok.str = (struct conf_str){ 0 };
		r = next(pr);
		if (r >= 0 && pr->tok.type == TK_LBRACE)
			r = conf_at(pr->file, pr->tok.line, pr->tok.col,
			    jail_seterr(-EINVAL,
				"jail blocks cannot be nested"));
		if (r >= 0)
			r = parse_stmt(pr, &pname, sec);
		conf_str_free(&pname.str);
	}
	return r < 0 ? r : next(pr);
}

static int parse_path(struct parse *ps, const char *path,
    const struct file_id *id, const char *text, size_t len);
static int read_file(const char *path, char **ret_text, size_t *ret_len,
    struct file_id *ret_id);

/* Whether id is among the n file ids at v. */
static bool
file_in(const struct file_id *v, size_t n, const struct file_id *id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].dev == id->dev && v[i].ino == id->ino)
			return true;
	return false;
}

/* Read and parse one included file; open errors point at the .include. */
static int
include_one(struct parser *pr, const char *path, unsigned line, unsigned col)
{
	_cleanup_free_ char *text = NULL;
	struct file_id id;
	size_t len;
	int r;

	r = read_file(path, &text, &len, &id);
	if (r >= 0 && file_in(pr->ps->stack, pr->ps->depth, &id))
		r = jail_seterr(-ELOOP, "include loop: %s", path);
	if (r >= 0 && pr->ps->depth >= CONF_INCLUDE_MAX)
		r = jail_seterr(-ELOOP, "includes nested too deeply: %s", path);
	if (r < 0)
		return conf_at(pr->file, line, col, r);
	return parse_path(pr->ps, path, &id, text, len);
}

/* The pattern relative to the including file's directory, globbed. */
static int
include_glob(struct parser *pr, const char *pattern, unsigned line,
    unsigned col)
{
	const char *slash = strrchr(pr->file, '/');
	_cleanup_free_ char *full = NULL;
	glob_t g = { 0 };
	int r = 0, gr;

	if (pattern[0] != '/' && slash != NULL &&
	    asprintf(&full, "%.*s/%s", (int)(slash - pr->file), pr->file,
		pattern) < 0) {
		full = NULL;
		return conf_oom();
	}
	gr = glob(full != NULL ? full : pattern, GLOB_NOMAGIC, NULL, &g);
	if (gr == GLOB_NOSPACE)
		r = conf_oom();
	for (size_t i = 0; gr == 0 && r >= 0 && i < g.gl_pathc; i++)
		r = include_one(pr, g.gl_pathv[i], line, col);
	globfree(&g);
	return r;
}

/* ".include "pattern" [;]": the files it names, in glob order. */
static int
parse_include(struct parser *pr)
{
	unsigned line = pr->tok.line, col = pr->tok.col;
	struct conf_str pat = { 0 };
	int r;

	r = next(pr);
	if (r < 0)
		return r;
	if (pr->tok.type != TK_STRING)
		return expected(pr, "a file name");
	if (pr->tok.str.nvars > 0)
		r = jail_seterr(-EINVAL,
		    ".include: file name cannot contain variables");
	else if (pr->ps->flags & CONF_NOINCLUDE)
		r = jail_seterr(-EPERM, ".include is not allowed here");
	if (r < 0)
		return conf_at(pr->file, line, col, r);
	pat = pr->tok.str;
	pr->tok.str = (struct conf_str){ 0 };
	r = include_glob(pr, pat.s, line, col);
	conf_str_free(&pat);
	if (r >= 0)
		r = next(pr);
	if (r >= 0 && pr->tok.type == TK_SEMI)
		r = next(pr);
	return r;
}

/* At the top: a jail block, a global statement or an .include. */
static int
parse_top_string(struct parser *pr)
{
	struct conf_token name = pr->tok;
	size_t sec;
	int r;

	if (name.plain && strcmp(name.str.s, ".include") == 0)
		return parse_include(pr);
	pr->tok.str = (struct conf_str){ 0 };
	r = next(pr);
	if (r >= 0 && pr->tok.type == TK_LBRACE)
		r = parse_block(pr, &name);
	else if (r >= 0) {
		r = global_section(pr, &name, &sec);
		if (r >= 0)
			r = parse_stmt(pr, &name, sec);
	}
	conf_str_free(&name.str);
	return r;
}

static int
parse_tokens(struct parser *pr)
{
	int r = next(pr);

	while (r >= 0 && pr->tok.type != TK_EOF) {
		if (pr->tok.type == TK_SEMI)
			r = next(pr);
		else if (pr->tok.type == TK_STRING)
			r = parse_top_string(pr);
		else
			r = unexpected(pr);
	}
	return r;
}

/* Keep a copy of path for the messages that will point into it. */
static const char *
keep_path(struct parse *ps, const char *path)
{
	char **v = conf_grow(ps->files, ps->nfiles, sizeof(*v));

	if (v == NULL)
		return NULL;
	ps->files = v;
	v[ps->nfiles] = strdup(path);
	return v[ps->nfiles] == NULL ? NULL : v[ps->nfiles++];
}

/* A NUL byte would end every string early: refuse it, with its place. */
static int
check_nul(const char *file, const char *text, size_t len)
{
	const char *nul = memchr(text, '\0', len);
	unsigned line = 1, col = 1;

	if (nul == NULL)
		return 0;
	for (const char *p = text; p < nul; p++, col++)
		if (*p == '\n') {
			line++;
			col = 0;
		}
	(void)jail_seterr(-EINVAL, "NUL byte in file");
	return conf_at(file, line, col, -EINVAL);
}

/* Parse one file's text into ps; id (if any) is on the include stack. */
static int
parse_path(struct parse *ps, const char *path, const struct file_id *id,
    const char *text, size_t len)
{
	struct parser pr = { .ps = ps, .file = keep_path(ps, path) };
	struct file_id *seen;
	int r;

	if (pr.file == NULL)
		return conf_oom();
	r = check_nul(pr.file, text, len);
	if (r < 0)
		return r;
	if (id != NULL) {
		seen = conf_grow(ps->seen, ps->nseen, sizeof(*seen));
		if (seen == NULL)
			return conf_oom();
		ps->seen = seen;
		seen[ps->nseen++] = *id;
		ps->stack[ps->depth++] = *id;
	}
	conf_lex_init(&pr.lx, pr.file, text, len);
	r = parse_tokens(&pr);
	conf_str_free(&pr.tok.str);
	ps->depth -= id != NULL;
	return r;
}

/* Read what is left of fd into a buffer; more than CONF_FILE_MAX fails. */
static int
read_all(int fd, const char *path, char **ret_text, size_t *ret_len)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n = 1;
	char *nb;

	while (n != 0) {
		if (len + 1 >= cap) {
			cap = cap ? cap * 2 : 4096;
			if (cap > CONF_FILE_MAX + 2)
				return jail_seterr(-EFBIG,
				    "%s: file too large", path);
			nb = realloc(buf, cap);
			if (nb == NULL)
				return conf_oom();
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno != EINTR)
			return jail_syserr(-errno, "%s", path);
		len += n > 0 ? (size_t)n : 0;
	}
	*ret_len = len;
	*ret_text = TAKE_PTR(buf);
	return 0;
}

/* Read a whole regular file (never a FIFO or device: they may block). */
static int
read_file(const char *path, char **ret_text, size_t *ret_len,
    struct file_id *ret_id)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0)
		return jail_syserr(-errno, "%s", path);
	if (!S_ISREG(st.st_mode))
		return jail_seterr(-EINVAL, "%s: not a regular file", path);
	r = read_all(fd, path, ret_text, ret_len);
	if (r >= 0)
		*ret_id = (struct file_id){ st.st_dev, st.st_ino };
	return r;
}

/* -- loading ------------------------------------------------------------ */

static void
parse_free(struct parse *ps)
{
	for (size_t i = 0; i < ps->nsecs; i++)
		section_free(&ps->secs[i]);
	free(ps->secs);
	for (size_t i = 0; i < ps->nfiles; i++)
		free(ps->files[i]);
	free(ps->files);
	free(ps->seen);
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->jails[i].name);
		free(c->jails[i].file);
		params_free(&c->jails[i].params);
	}
	free(c->jails);
	free(c);
}

/* Resolve what ps holds (if r says the parse went well) into *ret. */
static int
finish(struct parse *ps, int r, struct conf **ret)
{
	struct conf *c = NULL;

	if (r >= 0) {
		c = calloc(1, sizeof(*c));
		r = c == NULL ? conf_oom() : conf_resolve(ps, c);
	}
	parse_free(ps);
	if (r < 0) {
		conf_free(c);
		return r;
	}
	*ret = c;
	return 0;
}

int
conf_load_string_flags(const char *name, const char *text, size_t len,
    unsigned flags, struct conf **ret)
{
	struct parse ps = { .flags = flags };

	return finish(&ps, parse_path(&ps, name, NULL, text, len), ret);
}

int
conf_load_string(const char *name, const char *text, size_t len,
    struct conf **ret)
{
	return conf_load_string_flags(name, text, len, 0, ret);
}

int
conf_load(const char *path, struct conf **ret)
{
	_cleanup_free_ char *text = NULL;
	struct parse ps = { 0 };
	struct file_id id;
	size_t len;
	int r;

	r = read_file(path, &text, &len, &id);
	if (r >= 0)
		r = parse_path(&ps, path, &id, text, len);
	return finish(&ps, r, ret);
}

/* One file of the default set: missing is fine, read already skipped. */
static int
load_default_file(struct parse *ps, const char *path)
{
	_cleanup_free_ char *text = NULL;
	struct file_id id;
	size_t len;
	int r;

	r = read_file(path, &text, &len, &id);
	if (r == -ENOENT)
		return 0;
	if (r < 0 || file_in(ps->seen, ps->nseen, &id))
		return r;
	return parse_path(ps, path, &id, text, len);
}

int
conf_load_default(const char *root, struct conf **ret)
{
	_cleanup_free_ char *main_path = NULL, *pattern = NULL;
	struct parse ps = { 0 };
	glob_t g = { 0 };
	int r, gr;

	if (asprintf(&main_path, "%s/etc/jail.conf", root) < 0)
		main_path = NULL;
	if (asprintf(&pattern, "%s/etc/jail.conf.d/*.conf", root) < 0)
		pattern = NULL;
	if (main_path == NULL || pattern == NULL)
		return conf_oom();
	r = load_default_file(&ps, main_path);
	gr = r < 0 ? GLOB_NOMATCH : glob(pattern, 0, NULL, &g);
	if (gr == GLOB_NOSPACE)
		r = conf_oom();
	for (size_t i = 0; gr == 0 && r >= 0 && i < g.gl_pathc; i++)
		r = load_default_file(&ps, g.gl_pathv[i]);
	globfree(&g);
	return finish(&ps, r, ret);
}

const struct conf_jail *
conf_find(const struct conf *c, const char *name)
{
	for (size_t i = 0; c != NULL && i < c->n; i++)
		if (strcmp(c->jails[i].name, name) == 0)
			return &c->jails[i];
	return NULL;
}
