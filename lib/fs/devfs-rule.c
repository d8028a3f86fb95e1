// SPDX-License-Identifier: BSD-2-Clause
/*
 * devfs-rule.c: devfs(8) rules as data.
 *
 * Owns a rulespec read from words (FreeBSD's rulespec_intok) or from a
 * line with sh-like quoting, and the text devfs(8) prints for a rule
 * (rulespec_outfp), plus the store's variants of both (numeric ids, a
 * quoted pattern).  Rulesets, devfs.rules(5) and the store live in
 * devfs-store.c, a mounted devfs in devfs.c.  Never prints; looks up
 * user and group names on the host, as FreeBSD's devfs does.
 */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/fs.h"

#define PATTERN_MAX 200		/* FreeBSD's DEVFS_MAXPTRNLEN */
#define BLANKS " \t\r\n"
#define NAME_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"

static const struct {
	const char *name;
	unsigned bit;
} devtypes[] = {	/* in FreeBSD's order: show prints them so */
	{ "disk", DEVT_DISK },
	{ "mem", DEVT_MEM },
	{ "tape", DEVT_TAPE },
	{ "tty", DEVT_TTY },
};

static int
oom(void)
{
	return jail_seterr(-ENOMEM, "%s", strerror(ENOMEM));
}

static bool
is_digits(const char *s)
{
	return *s != '\0' && strspn(s, "0123456789") == strlen(s);
}

/* A rule or ruleset number, 0..65535 (FreeBSD's eatonum). */
int
devfs_num_parse(const char *s, unsigned *ret)
{
	unsigned long v;

	if (!is_digits(s))
		return jail_seterr(-EINVAL, "error converting to number: %s",
		    s);
	errno = 0;
	v = strtoul(s, NULL, 10);
	if (errno == ERANGE || v > DEVFS_NUM_MAX)
		return jail_seterr(-ERANGE,
		    "number out of range: %s (at most %u)", s, DEVFS_NUM_MAX);
	*ret = (unsigned)v;
	return 0;
}

/* ---- words of a line ---------------------------------------------- */

/*
 * The lexer writes words into a buffer three times the line's length:
 * every byte of the line yields at most one byte, but for $x and ${x}
 * (two bytes at least), which yield at most five digits.
 */
struct lex {
	const char *p;
	char *o;
	int (*var)(void *arg, const char *name, size_t len, unsigned *ret);
				/* NULL: '$' is an ordinary byte */
	void *arg;
};

/* $name or ${name}: the number of an earlier [name=N] section. */
static int
lex_var(struct lex *lx)
{
	const char *s = lx->p + 1;
	bool brace = *s == '{';
	unsigned num;
	size_t len;

	s += brace;
	len = strspn(s, NAME_CHARS);
	if (lx->var == NULL || (len == 0 && !brace)) {
		*lx->o++ = *lx->p++;
		return 0;
	}
	if (len == 0 || (brace && s[len] != '}'))
		return jail_seterr(-EINVAL, "bad variable reference: %s",
		    lx->p);
	if (lx->var(lx->arg, s, len, &num) < 0)
		return jail_seterr(-EINVAL, "unknown ruleset name: $%.*s",
		    (int)len, s);
	lx->o += sprintf(lx->o, "%u", num);
	lx->p = s + len + brace;
	return 0;
}

static int
lex_squote(struct lex *lx)
{
	const char *end = strchr(lx->p + 1, '\'');

	if (end == NULL)
		return jail_seterr(-EINVAL, "unterminated quoted string");
	memcpy(lx->o, lx->p + 1, (size_t)(end - lx->p - 1));
	lx->o += end - lx->p - 1;
	lx->p = end + 1;
	return 0;
}

/* "...": a backslash escapes only \ " $ and `, as in sh(1). */
static int
lex_dquote(struct lex *lx)
{
	int r = 0;

	for (lx->p++; r >= 0 && *lx->p != '"'; ) {
		if (*lx->p == '\0')
			return jail_seterr(-EINVAL,
			    "unterminated quoted string");
		if (*lx->p == '$')
			r = lex_var(lx);
		else {
			if (lx->p[0] == '\\' && lx->p[1] != '\0' &&
			    strchr("\\\"$`", lx->p[1]) != NULL)
				lx->p++;
			*lx->o++ = *lx->p++;
		}
	}
	if (r >= 0)
		lx->p++;
	return r;
}

static int
lex_word(struct lex *lx)
{
	int r = 0;

	while (r >= 0 && *lx->p != '\0' && strchr(BLANKS, *lx->p) == NULL) {
		switch (*lx->p) {
		case '\'': r = lex_squote(lx); break;
		case '"': r = lex_dquote(lx); break;
		case '$': r = lex_var(lx); break;
		case '\\':
			if (*++lx->p == '\0')
				return jail_seterr(-EINVAL,
				    "backslash at end of line");
			*lx->o++ = *lx->p++;
			break;
		default: *lx->o++ = *lx->p++; break;
		}
	}
	return r;
}

/*
 * Split a line into words as sh(1) would: blanks, '...', "...", \, and
 * '#' at the start of a word ends the line.  With var, $name and ${name}
 * are numbers var gives; without, '$' is an ordinary byte.
 */
int
devfs_split(const char *line,
    int (*var)(void *arg, const char *name, size_t len, unsigned *ret),
    void *arg, struct strv *ret)
{
	_cleanup_free_ char *buf = malloc(3 * strlen(line) + 1);
	struct lex lx = { line, buf, var, arg };
	struct strv w = { NULL, 0 };
	int r = 0;

	if (buf == NULL)
		return oom();
	for (;;) {
		char *start = lx.o;

		lx.p += strspn(lx.p, BLANKS);
		if (*lx.p == '\0' || *lx.p == '#')
			break;
		r = lex_word(&lx);
		if (r >= 0) {
			*lx.o++ = '\0';
			r = strv_push(&w, start);
		}
		if (r < 0) {
			strv_clear(&w);
			return r;
		}
	}
	*ret = w;
	return 0;
}

/* ---- a rulespec ---------------------------------------------------- */

void
devfs_rule_clear(struct devfs_rule *r)
{
	free(r->pattern);
	*r = (struct devfs_rule){ 0 };
}

struct rparse {
	struct devfs_rule r;
	bool numeric;	/* the store's ids: numbers, never looked up */
	bool acting;	/* an action was seen: no condition may follow */
};

static int
w_type(struct rparse *p, const char *arg)
{
	for (size_t i = 0; i < nitems(devtypes); i++)
		if (strcmp(arg, devtypes[i].name) == 0) {
			p->r.types |= devtypes[i].bit;
			p->r.cond |= DRC_TYPE;
			return 0;
		}
	return jail_seterr(-EINVAL, "unknown type: %s", arg);
}

/* A control character would break the store's lines: none in patterns. */
static int
w_path(struct rparse *p, const char *arg)
{
	char *s;

	if (strlen(arg) >= PATTERN_MAX)
		return jail_seterr(-ENAMETOOLONG,
		    "pattern specified too long: %s", arg);
	for (const char *c = arg; *c != '\0'; c++)
		if (iscntrl((unsigned char)*c))
			return jail_seterr(-EINVAL,
			    "control character in pattern");
	s = strdup(arg);
	if (s == NULL)
		return oom();
	free(p->r.pattern);
	p->r.pattern = s;
	p->r.cond |= DRC_PATH;
	return 0;
}

static int
w_hide(struct rparse *p, const char *arg)
{
	p->r.acts |= DRA_HIDE;
	return 0;
}

static int
w_unhide(struct rparse *p, const char *arg)
{
	p->r.acts |= DRA_UNHIDE;
	return 0;
}

/* A host user or group name, else a number (as FreeBSD's devfs). */
static int
id_parse(const char *s, bool numeric, bool group, unsigned *ret)
{
	const struct passwd *pw;
	const struct group *gr;
	unsigned long v;

	if (!numeric && !group && (pw = getpwnam(s)) != NULL) {
		*ret = pw->pw_uid;
		return 0;
	}
	if (!numeric && group && (gr = getgrnam(s)) != NULL) {
		*ret = gr->gr_gid;
		return 0;
	}
	errno = 0;
	v = is_digits(s) ? strtoul(s, NULL, 10) : ULONG_MAX;
	if (errno != 0 || v >= (uid_t)-1)	/* -1 is no id */
		return jail_seterr(-EINVAL, "unknown %s: %s",
		    group ? "group" : "user", s);
	*ret = (unsigned)v;
	return 0;
}

static int
w_user(struct rparse *p, const char *arg)
{
	unsigned id = 0;
	int r = id_parse(arg, p->numeric, false, &id);

	if (r >= 0) {
		p->r.uid = id;
		p->r.acts |= DRA_UID;
	}
	return r;
}

static int
w_group(struct rparse *p, const char *arg)
{
	unsigned id = 0;
	int r = id_parse(arg, p->numeric, true, &id);

	if (r >= 0) {
		p->r.gid = id;
		p->r.acts |= DRA_GID;
	}
	return r;
}

/* The bits a chmod(1) permission letter stands for, given mode m. */
static mode_t
perm_bits(char c, mode_t m)
{
	switch (c) {
	case 'r': return 0444;
	case 'w': return 0222;
	case 'x': return 0111;
	case 'X': return (m & 0111) ? 0111 : 0;
	case 's': return 06000;
	case 't': return 01000;
	case 'u': return ((m >> 6) & 7) * 0111;
	case 'g': return ((m >> 3) & 7) * 0111;
	case 'o': return (m & 7) * 0111;
	default: return 0;
	}
}

/* One clause of a symbolic mode, [ugoa]*([-+=][rwxXstugo]*)+, on *m. */
static int
mode_clause(const char **sp, mode_t *m)
{
	static const mode_t whos[] = { ['u' - 'a'] = 04700,
		['g' - 'a'] = 02070, ['o' - 'a'] = 0007, ['a' - 'a'] = 07777 };
	const char *s = *sp;
	mode_t who = 0;

	for (; *s != '\0' && strchr("ugoa", *s) != NULL; s++)
		who |= whos[*s - 'a'];
	if (who == 0)
		who = 07777;	/* no umask, unlike chmod(1): see devfs(8) */
	if (*s == '\0' || strchr("+-=", *s) == NULL)
		return -EINVAL;
	while (*s != '\0' && strchr("+-=", *s) != NULL) {
		char op = *s++;
		mode_t perm = 0;

		for (; *s != '\0' && strchr("rwxXstugo", *s) != NULL; s++)
			perm |= perm_bits(*s, *m);
		perm &= who;
		if (op == '=')
			*m &= ~who;
		*m = op == '-' ? *m & ~perm : *m | perm;
	}
	*sp = s;
	return 0;
}

/* Octal, or chmod(1)'s symbolic form applied to mode 0 (FreeBSD setmode). */
static int
mode_parse(const char *s, mode_t *ret)
{
	const char *p = s;
	mode_t m = 0;
	char *end;

	if (isdigit((unsigned char)*s)) {
		unsigned long v = strtoul(s, &end, 8);

		if (*end != '\0' || v > 07777)
			return jail_seterr(-EINVAL, "invalid mode: %s", s);
		*ret = (mode_t)v;
		return 0;
	}
	do {
		if (mode_clause(&p, &m) < 0)
			return jail_seterr(-EINVAL, "invalid mode: %s", s);
	} while (*p++ == ',');
	if (p[-1] != '\0')
		return jail_seterr(-EINVAL, "invalid mode: %s", s);
	*ret = m;
	return 0;
}

static int
w_mode(struct rparse *p, const char *arg)
{
	int r = mode_parse(arg, &p->r.mode);

	if (r >= 0)
		p->r.acts |= DRA_MODE;
	return r;
}

static int
w_include(struct rparse *p, const char *arg)
{
	int r = devfs_num_parse(arg, &p->r.incset);

	if (r >= 0)
		p->r.acts |= DRA_INCLUDE;
	return r;
}

static const struct rword {
	const char *name;
	bool cond;	/* a condition: comes before every action */
	bool arg;	/* takes an argument */
	int (*fn)(struct rparse *p, const char *arg);
} rwords[] = {
	{ "type", true, true, w_type },
	{ "path", true, true, w_path },
	{ "hide", false, false, w_hide },
	{ "unhide", false, false, w_unhide },
	{ "user", false, true, w_user },
	{ "group", false, true, w_group },
	{ "mode", false, true, w_mode },
	{ "include", false, true, w_include },
};

/* The word at av[*i] and its argument, if it takes one. */
static int
rule_word(struct rparse *p, char *const *av, size_t ac, size_t *i)
{
	const struct rword *w = NULL;

	for (size_t k = 0; k < nitems(rwords) && w == NULL; k++)
		if (strcmp(av[*i], rwords[k].name) == 0)
			w = &rwords[k];
	if (w == NULL || (w->cond && p->acting))
		return jail_seterr(-EINVAL, "unknown argument: %s", av[*i]);
	if (w->arg && *i + 1 >= ac)
		return jail_seterr(-EINVAL, "expecting argument for %s",
		    w->name);
	p->acting |= !w->cond;
	*i += w->arg ? 2 : 1;
	return w->fn(p, w->arg ? av[*i - 1] : NULL);
}

/* [rulenum] conditions... actions..., as FreeBSD's rulespec_intok. */
static int
rule_parse(char *const *av, size_t ac, bool numeric, struct devfs_rule *ret)
{
	struct rparse p = { .numeric = numeric };
	size_t i = 0;
	int r = 0;

	if (ac > 0 && is_digits(av[0]))
		r = devfs_num_parse(av[i++], &p.r.num);
	while (r >= 0 && i < ac)
		r = rule_word(&p, av, ac, &i);
	if (r >= 0 && p.r.cond == 0 && p.r.acts == 0)
		r = jail_seterr(-EINVAL, "unexpected end of rulespec");
	if (r < 0) {
		devfs_rule_clear(&p.r);
		return r;
	}
	*ret = p.r;
	return 0;
}

int
devfs_rule_parse(char *const *argv, size_t argc, struct devfs_rule *ret)
{
	return rule_parse(argv, argc, false, ret);
}

int
devfs_rule_parse_line(const char *line, struct devfs_rule *ret)
{
	_cleanup_(strv_clear) struct strv w = { NULL, 0 };
	int r = devfs_split(line, NULL, NULL, &w);

	if (r < 0)
		return r;
	return rule_parse(w.v, w.n, false, ret);
}

/* A rule in the store's form: user and group are numbers. */
int
devfs_rule_parse_stored(char *const *argv, size_t argc,
    struct devfs_rule *ret)
{
	return rule_parse(argv, argc, true, ret);
}

/* ---- a rule as text ------------------------------------------------ */

/* The store quotes a pattern that would not read back as one word. */
static void
put_pattern(FILE *f, const char *s, bool quote)
{
	if (!quote || (*s != '\0' && strpbrk(s, " \t'\"\\$#") == NULL)) {
		(void)fprintf(f, " path %s", s);
		return;
	}
	(void)fputs(" path '", f);
	for (; *s != '\0'; s++)
		if (*s == '\'')
			(void)fputs("'\\''", f);
		else
			(void)fputc(*s, f);
	(void)fputc('\'', f);
}

static void
put_ids(FILE *f, const struct devfs_rule *r, bool numeric)
{
	const struct passwd *pw = NULL;
	const struct group *gr = NULL;

	if ((r->acts & DRA_UID) && !numeric)
		pw = getpwuid(r->uid);
	if ((r->acts & DRA_GID) && !numeric)
		gr = getgrgid(r->gid);
	if (pw != NULL)
		(void)fprintf(f, " user %s", pw->pw_name);
	else if (r->acts & DRA_UID)
		(void)fprintf(f, " user %u", (unsigned)r->uid);
	if (gr != NULL)
		(void)fprintf(f, " group %s", gr->gr_name);
	else if (r->acts & DRA_GID)
		(void)fprintf(f, " group %u", (unsigned)r->gid);
}

/* FreeBSD's rulespec_outfp; the store's form has numeric ids. */
static char *
rule_format(const struct devfs_rule *r, bool store)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL) {
		(void)oom();
		return NULL;
	}
	(void)fprintf(f, "%u", r->num);
	for (size_t i = 0; i < nitems(devtypes); i++)
		if ((r->cond & DRC_TYPE) && (r->types & devtypes[i].bit))
			(void)fprintf(f, " type %s", devtypes[i].name);
	if (r->cond & DRC_PATH)
		put_pattern(f, r->pattern, store);
	if (r->acts & DRA_HIDE)
		(void)fputs(" hide", f);
	if (r->acts & DRA_UNHIDE)
		(void)fputs(" unhide", f);
	put_ids(f, r, store);
	if (r->acts & DRA_MODE)
		(void)fprintf(f, " mode %o", (unsigned)r->mode);
	if (r->acts & DRA_INCLUDE)
		(void)fprintf(f, " include %u", r->incset);
	if (fclose(f) != 0) {
		free(buf);
		(void)oom();
		return NULL;
	}
	return buf;
}

char *
devfs_rule_format(const struct devfs_rule *r)
{
	return rule_format(r, false);
}

/* The store's form: numeric ids, a pattern quoted to read back whole. */
char *
devfs_rule_format_stored(const struct devfs_rule *r)
{
	return rule_format(r, true);
}

