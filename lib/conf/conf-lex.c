// SPDX-License-Identifier: BSD-2-Clause
/*
 * conf-lex.c: the jail.conf(5) lexer, after FreeBSD's jaillex.l.
 *
 * Owns characters: comments, punctuation, unquoted words, '...' and
 * "..." strings with their backslash escapes, "$name" and "${name}"
 * references, and the rule that pieces with no blank between them make
 * one string.  Every byte is classified by one table and every class has
 * one small handler.  It never interprets a parameter (conf.c and the
 * parameter table do) and never reads past the text it was given: the
 * text holds no NUL (conf.c refuses those first).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf-int.h"
#include "conf/conf.h"

/* Character classes; unlisted bytes (controls, DEL) are CC_BAD. */
enum cclass {
	CC_BAD,
	CC_SPACE,
	CC_WORD,	/* FreeBSD's unquoted-word characters */
	CC_PUNCT,	/* { } ; , = */
	CC_DQ,
	CC_SQ,
	CC_DOLLAR,
	CC_BSLASH,
	CC_SLASH,	/* a word, or the start of a comment */
	CC_HASH,
	CC_ATOM,	/* '*' and '+': one-character words */
	CC_HIGH,	/* bytes >= 0x80: only inside quotes */
	CC__MAX,
};

static const unsigned char cclass[256] = {
	[' '] = CC_SPACE, ['\t'] = CC_SPACE, ['\r'] = CC_SPACE,
	['\n'] = CC_SPACE, ['\f'] = CC_SPACE, ['\v'] = CC_SPACE,
	['A' ... 'Z'] = CC_WORD, ['a' ... 'z'] = CC_WORD,
	['0' ... '9'] = CC_WORD, ['_'] = CC_WORD, ['!'] = CC_WORD,
	['%'] = CC_WORD, ['&'] = CC_WORD, ['('] = CC_WORD, [')'] = CC_WORD,
	['-'] = CC_WORD, ['.'] = CC_WORD, [':'] = CC_WORD, ['<'] = CC_WORD,
	['>'] = CC_WORD, ['?'] = CC_WORD, ['@'] = CC_WORD, ['['] = CC_WORD,
	[']'] = CC_WORD, ['^'] = CC_WORD, ['`'] = CC_WORD, ['|'] = CC_WORD,
	['~'] = CC_WORD,
	['{'] = CC_PUNCT, ['}'] = CC_PUNCT, [';'] = CC_PUNCT,
	[','] = CC_PUNCT, ['='] = CC_PUNCT,
	['"'] = CC_DQ, ['\''] = CC_SQ, ['$'] = CC_DOLLAR, ['\\'] = CC_BSLASH,
	['/'] = CC_SLASH, ['#'] = CC_HASH, ['*'] = CC_ATOM, ['+'] = CC_ATOM,
	[0x80 ... 0xff] = CC_HIGH,
};

static const enum conf_tok punct_tok[256] = {
	['{'] = TK_LBRACE, ['}'] = TK_RBRACE, [';'] = TK_SEMI,
	[','] = TK_COMMA, ['='] = TK_EQ,
};

static const char *const tok_names[TK__MAX] = {
	[TK_EOF] = "end of file", [TK_STRING] = "a string",
	[TK_LBRACE] = "\"{\"", [TK_RBRACE] = "\"}\"", [TK_SEMI] = "\";\"",
	[TK_COMMA] = "\",\"", [TK_EQ] = "\"=\"", [TK_PLEQ] = "\"+=\"",
};

/* C's one-letter escapes; anything else escapes to itself (FreeBSD). */
static const char esc_letters[128] = {
	['a'] = '\a', ['b'] = '\b', ['f'] = '\f', ['n'] = '\n',
	['r'] = '\r', ['t'] = '\t', ['v'] = '\v',
};

const char *
conf_tok_name(enum conf_tok t)
{
	return tok_names[t];
}

void
conf_lex_init(struct conf_lexer *lx, const char *file, const char *text,
    size_t len)
{
	*lx = (struct conf_lexer){ .file = file, .p = text,
		.end = text + len, .line = 1, .col = 1 };
}

static int
peek(const struct conf_lexer *lx, size_t off)
{
	if ((size_t)(lx->end - lx->p) <= off)
		return -1;
	return (unsigned char)lx->p[off];
}

static int
take(struct conf_lexer *lx)
{
	int c = peek(lx, 0);

	if (c < 0)
		return c;
	lx->p++;
	if (c == '\n') {
		lx->line++;
		lx->col = 1;
	} else
		lx->col++;
	return c;
}

/* Note where the error is, then set its message (conf_lex_next adds it). */
static void
mark(struct conf_lexer *lx, unsigned line, unsigned col)
{
	lx->eline = line;
	lx->ecol = col;
}

#define lex_err(lx, line, col, ...) \
	(mark((lx), (line), (col)), jail_seterr(-EINVAL, __VA_ARGS__))

void
conf_str_free(struct conf_str *s)
{
	free(s->s);
	for (size_t i = 0; i < s->nvars; i++)
		free(s->vars[i].name);
	free(s->vars);
	*s = (struct conf_str){ 0 };
}

/* Append n bytes; a value of CONF_VALUE_MAX bytes or more is refused. */
int
conf_str_append(struct conf_str *s, const char *p, size_t n)
{
	size_t cap = s->cap ? s->cap : 32;
	char *ns;

	if (s->len + n >= CONF_VALUE_MAX)
		return jail_seterr(-E2BIG, "value too long");
	while (cap < s->len + n + 1)
		cap *= 2;
	if (cap != s->cap) {
		ns = realloc(s->s, cap);
		if (ns == NULL)
			return jail_seterr(-ENOMEM, "%s", strerror(ENOMEM));
		s->s = ns;
		s->cap = cap;
	}
	memcpy(s->s + s->len, p, n);
	s->len += n;
	s->s[s->len] = '\0';
	return 0;
}

static int
str_putc(struct conf_str *s, char c)
{
	return conf_str_append(s, &c, 1);
}

static int
str_addvar(struct conf_str *s, char *name, unsigned line, unsigned col)
{
	struct conf_var *v;
	int r;

	r = conf_str_append(s, "", 0);	/* s->s exists, even if empty */
	v = r < 0 ? NULL :
		    reallocarray(s->vars, s->nvars + 1, sizeof(*s->vars));
	if (v == NULL) {
		free(name);
		return r < 0 ? r : jail_seterr(-ENOMEM, "%s", strerror(ENOMEM));
	}
	s->vars = v;
	v[s->nvars++] = (struct conf_var){ .name = name, .pos = s->len,
		.line = line, .col = col };
	return 0;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
size_t
conf_utf8_len(const unsigned char *p, size_t n)
{
	static const struct {
		unsigned char lead_min, lead_max, len, lo, hi;
	} forms[] = {	/* second-byte ranges exclude overlongs, surrogates */
		{ 0xc2, 0xdf, 2, 0x80, 0xbf }, { 0xe0, 0xe0, 3, 0xa0, 0xbf },
		{ 0xe1, 0xec, 3, 0x80, 0xbf }, { 0xed, 0xed, 3, 0x80, 0x9f },
		{ 0xee, 0xef, 3, 0x80, 0xbf }, { 0xf0, 0xf0, 4, 0x90, 0xbf },
		{ 0xf1, 0xf3, 4, 0x80, 0xbf }, { 0xf4, 0xf4, 4, 0x80, 0x8f },
	};

	for (size_t i = 0; i < nitems(forms); i++) {
		if (p[0] < forms[i].lead_min || p[0] > forms[i].lead_max)
			continue;
		if (n < forms[i].len || p[1] < forms[i].lo ||
		    p[1] > forms[i].hi)
			return 0;
		for (size_t k = 2; k < forms[i].len; k++)
			if ((p[k] & 0xc0) != 0x80)
				return 0;
		return forms[i].len;
	}
	return 0;
}

/* Copy one character (a whole UTF-8 sequence) from the text into s. */
static int
copy_char(struct conf_lexer *lx, struct conf_str *s)
{
	size_t n = 1;
	int r;

	if (peek(lx, 0) >= 0x80) {
		n = conf_utf8_len((const unsigned char *)lx->p,
		    (size_t)(lx->end - lx->p));
		if (n == 0)
			return lex_err(lx, lx->line, lx->col, "invalid UTF-8");
	}
	r = conf_str_append(s, lx->p, n);
	if (r < 0)
		return r;
	while (n-- > 0)
		(void)take(lx);
	return 0;
}

/* Up to max digits of base (8 or 16) into *v; how many there were. */
static unsigned
take_digits(struct conf_lexer *lx, unsigned base, unsigned max, unsigned *v)
{
	static const char digits[] = "0123456789abcdef";
	const char *d;
	unsigned n = 0;
	int c;

	while (n < max && (c = peek(lx, 0)) > 0 && c < 0x80 &&
	    isalnum(c) && (d = memchr(digits, c | 0x20, base)) != NULL) {
		*v = *v * base + (unsigned)(d - digits);
		(void)take(lx);
		n++;
	}
	return n;
}

/*
 * A backslash escape, as FreeBSD's text2lval: \a \b \f \n \r \t \v,
 * \NNN octal, \xHH hex, backslash-newline is nothing, any other
 * character is itself.  One that would make a NUL byte is an error.
 */
static int
lex_escape(struct conf_lexer *lx, struct conf_str *s)
{
	const char *start = lx->p;
	unsigned line = lx->line, col = lx->col, v = 0;
	int c;

	(void)take(lx);
	c = peek(lx, 0);
	if (c < 0)	/* a final backslash is itself (FreeBSD) */
		return str_putc(s, '\\');
	if (c == '\n' || c >= 0x80) {	/* continuation; or a literal */
		if (c == '\n')
			(void)take(lx);
		return 0;
	}
	if (c >= '0' && c <= '7')
		(void)take_digits(lx, 8, 3, &v);
	else {
		(void)take(lx);
		if (c == 'x')
			(void)take_digits(lx, 16, 2, &v);
		else
			v = esc_letters[c] ? (unsigned char)esc_letters[c] :
					     (unsigned)c;
	}
	if ((v & 0xff) == 0)
		return lex_err(lx, line, col, "bad escape \"%.*s\"",
		    (int)(lx->p - start), start);
	return str_putc(s, (char)v);
}

static bool
is_name_start(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool
is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

/* The name inside "${...}"; in_dq: a '"' ends it too (FreeBSD). */
static int
lex_braced(struct conf_lexer *lx, struct conf_str *name, bool in_dq,
    unsigned line, unsigned col)
{
	int c, r = 0;

	(void)take(lx);
	while (r >= 0 && (c = peek(lx, 0)) != '}') {
		if (c < 0 || c == '\n' || c == '{' || (in_dq && c == '"'))
			return lex_err(lx, line, col, "unterminated variable");
		r = c == '\\' ? lex_escape(lx, name) : copy_char(lx, name);
	}
	if (r < 0)
		return r;
	(void)take(lx);
	if (name->len == 0)
		return lex_err(lx, line, col, "empty variable name");
	return 0;
}

/* "$name" or "${name}" becomes a reference; a lone "$" is itself. */
static int
lex_var(struct conf_lexer *lx, struct conf_str *s, bool in_dq)
{
	struct conf_str name = { 0 };
	unsigned line = lx->line, col = lx->col;
	int r = 0;

	if (peek(lx, 1) != '{' && !is_name_start(peek(lx, 1)))
		return copy_char(lx, s);
	(void)take(lx);
	if (peek(lx, 0) == '{')
		r = lex_braced(lx, &name, in_dq, line, col);
	else
		while (r >= 0 && is_name_char(peek(lx, 0)))
			r = copy_char(lx, &name);
	if (r >= 0)
		r = str_addvar(s, TAKE_PTR(name.s), line, col);
	conf_str_free(&name);
	return r;
}

/* A quoted string; only "..." expands variables (jail.conf(5)). */
static int
lex_quoted(struct conf_lexer *lx, struct conf_str *s)
{
	unsigned line = lx->line, col = lx->col;
	int q = take(lx), c, r = 0;

	while (r >= 0 && (c = peek(lx, 0)) != q) {
		if (c < 0)
			return lex_err(lx, line, col, "unterminated string");
		if (c == '\\')
			r = lex_escape(lx, s);
		else if (c == '$' && q == '"')
			r = lex_var(lx, s, true);
		else
			r = copy_char(lx, s);
	}
	if (r >= 0)
		(void)take(lx);
	return r;
}

static int
lex_word(struct conf_lexer *lx, struct conf_str *s)
{
	const char *start = lx->p;

	while (peek(lx, 0) >= 0 && cclass[peek(lx, 0)] == CC_WORD)
		(void)take(lx);
	return conf_str_append(s, start, (size_t)(lx->p - start));
}

static int
lex_atom(struct conf_lexer *lx, struct conf_str *s)
{
	return copy_char(lx, s);
}

static int
lex_unquoted_var(struct conf_lexer *lx, struct conf_str *s)
{
	return lex_var(lx, s, false);
}

typedef int piece_fn(struct conf_lexer *lx, struct conf_str *s);

/* The pieces a string is made of, by the class of their first byte. */
static piece_fn *const piece_handlers[CC__MAX] = {
	[CC_WORD] = lex_word,
	[CC_DQ] = lex_quoted,
	[CC_SQ] = lex_quoted,
	[CC_DOLLAR] = lex_unquoted_var,
	[CC_BSLASH] = lex_escape,
	[CC_SLASH] = lex_atom,
	[CC_ATOM] = lex_atom,
};

/* The handler for the piece at the cursor; NULL if the string ends. */
static piece_fn *
piece_here(const struct conf_lexer *lx)
{
	int c = peek(lx, 0), n = peek(lx, 1);

	if (c < 0 || (c == '/' && (n == '/' || n == '*')) ||
	    (c == '+' && n == '='))
		return NULL;
	return piece_handlers[cclass[c]];
}

/* Skip a comment at the cursor: "#" or "//" to the line's end, or C's. */
static int
skip_comment(struct conf_lexer *lx)
{
	unsigned line = lx->line, col = lx->col;

	if (peek(lx, 0) == '#' || peek(lx, 1) == '/') {
		while (peek(lx, 0) >= 0 && peek(lx, 0) != '\n')
			(void)take(lx);
		return 0;
	}
	(void)take(lx);
	(void)take(lx);
	while (peek(lx, 0) >= 0 && !(peek(lx, 0) == '*' && peek(lx, 1) == '/'))
		(void)take(lx);
	if (peek(lx, 0) < 0)
		return lex_err(lx, line, col, "unterminated comment");
	(void)take(lx);
	(void)take(lx);
	return 0;
}

/* Skip blanks and comments. */
static int
skip_blank(struct conf_lexer *lx)
{
	int c, r;

	while ((c = peek(lx, 0)) >= 0) {
		if (cclass[c] == CC_SPACE)
			(void)take(lx);
		else if (c == '#' ||
		    (c == '/' && (peek(lx, 1) == '/' || peek(lx, 1) == '*'))) {
			r = skip_comment(lx);
			if (r < 0)
				return r;
		} else
			break;
	}
	return 0;
}

/* Adjacent pieces, no blank between, make one string (FreeBSD's STR1). */
static int
lex_string(struct conf_lexer *lx, struct conf_token *t)
{
	piece_fn *fn;
	size_t pieces = 0;
	int r;

	t->type = TK_STRING;
	t->plain = cclass[peek(lx, 0)] == CC_WORD;
	t->str.line = t->line;
	t->str.col = t->col;
	t->str.file = lx->file;
	while ((fn = piece_here(lx)) != NULL) {
		r = fn(lx, &t->str);
		if (r < 0) {
			if (r == -E2BIG || r == -ENOMEM)
				mark(lx, t->line, t->col);
			return r;
		}
		pieces++;
	}
	t->plain = t->plain && pieces == 1;
	t->lone_var = pieces == 1 && t->str.nvars == 1 && t->str.len == 0;
	return conf_str_append(&t->str, "", 0);
}

/* A character no token starts with. */
static int
lex_bad(struct conf_lexer *lx, int c)
{
	if (c >= 0x80)
		return lex_err(lx, lx->line, lx->col,
		    "non-ASCII character outside quotes");
	return lex_err(lx, lx->line, lx->col,
	    "unexpected character \"\\x%02x\"", (unsigned)c);
}

static int
lex_token(struct conf_lexer *lx, struct conf_token *t)
{
	int r = skip_blank(lx), c;

	if (r < 0)
		return r;
	t->line = lx->line;
	t->col = lx->col;
	c = peek(lx, 0);
	if (c < 0)
		t->type = TK_EOF;
	else if (cclass[c] == CC_PUNCT) {
		t->type = punct_tok[c];
		(void)take(lx);
	}
	else if (c == '+' && peek(lx, 1) == '=') {
		t->type = TK_PLEQ;
		(void)take(lx);
		(void)take(lx);
	} else if (piece_here(lx) != NULL)
		return lex_string(lx, t);
	else
		return lex_bad(lx, c);
	return 0;
}

int
conf_lex_next(struct conf_lexer *lx, struct conf_token *ret)
{
	struct conf_token t = { .type = TK__INVALID };
	int r;

	r = lex_token(lx, &t);
	if (r < 0) {
		conf_str_free(&t.str);
		return jail_errctx(r, "%s:%u:%u", lx->file, lx->eline,
		    lx->ecol);
	}
	*ret = t;
	return 0;
}
