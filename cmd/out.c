// SPDX-License-Identifier: BSD-2-Clause
/*
 * out.c: text or JSON output for the commands, in libxo's layout.
 *
 * Owns the --libxo argument, the JSON frame stack, FreeBSD's quoting of
 * values and the escaping of what a terminal must not see raw (out_vis,
 * put_json_string): a jail may choose its host name.  JSON is streamed to stdout as libxo writes it: compact
 * ({"a":1,"b":"x", "c": {...}}) or pretty (two spaces per level); the top
 * object opens lazily with the first member and out_finish() closes it.
 * Must never decide what a command prints, only how.
 */
#include <ctype.h>
#include <err.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "out.h"
#include "param/param.h"

#ifndef nitems
#define nitems(x) (sizeof(x) / sizeof((x)[0]))
#endif

#define OUT_MAXDEPTH 16

enum frame_kind {
	FR_TOP,
	FR_CONTAINER,
	FR_LIST,
	FR_INSTANCE,
};

/* What separates a member from the previous one in the same frame. */
enum member_kind {
	M_FIELD,	/* "a":1,"b":2 */
	M_OPEN,		/* "a":1, "c": {  and  }, {  (libxo adds a blank) */
	M_LEAF,		/* ["x","y"] */
};

struct frame {
	enum frame_kind kind;
	bool not_first;
};

static struct {
	bool json;
	bool pretty;
	bool top_emitted;
	bool finished;
	const char *version;
	int depth;			/* st[depth] is the open frame */
	struct frame st[OUT_MAXDEPTH];
} out;

enum libxo_action {
	XA_TEXT,
	XA_JSON,
	XA_PRETTY,
	XA_UNSUPPORTED,
};

/* The libxo styles and flags we know, by word and by --libxo: letter. */
static const struct {
	const char *word;
	char letter;
	enum libxo_action action;
} libxo_options[] = {
	{ "text", 'T', XA_TEXT },
	{ "json", 'J', XA_JSON },
	{ "pretty", 'P', XA_PRETTY },
	{ "xml", 'X', XA_UNSUPPORTED },
	{ "html", 'H', XA_UNSUPPORTED },
};

static void
libxo_apply(enum libxo_action a, const char *word)
{
	switch (a) {
	case XA_TEXT:
		out.json = false;
		break;
	case XA_JSON:
		out.json = true;
		break;
	case XA_PRETTY:
		out.pretty = true;
		break;
	case XA_UNSUPPORTED:
		errx(1, "libxo style '%s' is not supported", word);
	}
}

/* One comma-separated word of "--libxo json,pretty". */
static void
libxo_word(const char *word, size_t len)
{
	for (size_t i = 0; i < nitems(libxo_options); i++)
		if (strlen(libxo_options[i].word) == len &&
		    strncmp(libxo_options[i].word, word, len) == 0) {
			libxo_apply(libxo_options[i].action,
			    libxo_options[i].word);
			return;
		}
	errx(1, "unknown libxo option value: '%.*s'", (int)len, word);
}

static void
libxo_words(const char *s)
{
	size_t len;

	for (; *s != '\0'; s += len + (s[len] == ',')) {
		len = strcspn(s, ",");
		if (len > 0)
			libxo_word(s, len);
	}
}

/* "--libxo:JP": one letter per style or flag. */
static void
libxo_letters(const char *s)
{
	for (; *s != '\0'; s++) {
		size_t i;

		for (i = 0; i < nitems(libxo_options); i++)
			if (libxo_options[i].letter == *s)
				break;
		if (i == nitems(libxo_options))
			errx(1, "unknown libxo option value: '%c'", *s);
		libxo_apply(libxo_options[i].action, libxo_options[i].word);
	}
}

int
out_parse_args(int argc, char **argv)
{
	int i, n;

	for (i = n = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strncmp(a, "--libxo", 7) != 0) {
			argv[n++] = argv[i];
			continue;
		}
		if (a[7] == '=')
			libxo_words(a + 8);
		else if (a[7] == ':')
			libxo_letters(a + 8);
		else if (a[7] != '\0')
			errx(1, "unknown libxo option: '%s'", a);
		else if (++i < argc)
			libxo_words(argv[i]);
		else
			errx(1, "missing libxo option");
	}
	argv[n] = NULL;
	return n;
}

void
out_set_version(const char *version)
{
	out.version = version;
}

bool
out_is_json(void)
{
	return out.json;
}

void
out_text(const char *fmt, ...)
{
	va_list ap;

	if (out.json)
		return;
	va_start(ap, fmt);
	(void)vprintf(fmt, ap);
	va_end(ap);
}

static void
put_indent(int level)
{
	if (out.pretty)
		(void)printf("%*s", 2 * level, "");
}

static void
put_nl(void)
{
	if (out.pretty)
		(void)putchar('\n');
}

/* The top '{' and the version, before the first member (xo_emit_top). */
static void
emit_top(void)
{
	if (out.top_emitted)
		return;
	out.top_emitted = true;
	out.depth = 0;
	out.st[0] = (struct frame){ .kind = FR_TOP };
	(void)putchar('{');
	put_nl();
	if (out.version != NULL) {
		put_indent(1);
		(void)printf("\"__version\": \"%s\", ", out.version);
		put_nl();
	}
}

/* Separator and indentation before a member of the open frame. */
static void
begin_member(enum member_kind m)
{
	struct frame *f;

	emit_top();
	f = &out.st[out.depth];
	if (f->not_first) {
		(void)putchar(',');
		if (out.pretty)
			(void)putchar('\n');
		else if (m == M_OPEN)
			(void)putchar(' ');
	}
	f->not_first = true;
	put_indent(out.depth + 1);
}

/*
 * The length of the UTF-8 sequence at s and its code point, or 0 if it
 * is not one (a stray byte, an overlong form, a surrogate).
 */
static size_t
utf8_seq(const unsigned char *s, uint32_t *ret)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n = *s >= 0xf0 && *s < 0xf5 ? 4 : *s >= 0xe0 ? 3
	    : *s >= 0xc2 && *s < 0xe0 ? 2 : 0;
	uint32_t cp;

	if (n == 0 || *s >= 0xf5)
		return 0;
	cp = *s & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
		return 0;
	*ret = cp;
	return n;
}

/*
 * A JSON string, escaped as libxo escapes it, and more: every control
 * character, C1 ones (U+0080..U+009F) and DEL included, as \uXXXX, and
 * a byte that is not UTF-8 as the \u00XX of its value (JSON is UTF-8),
 * so that JSON shown on a terminal cannot command it either.
 */
static void
put_json_string(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t cp;
	size_t n;

	(void)putchar('"');
	for (; *s != '\0'; s += n) {
		n = 1;
		if (*s == '"' || *s == '\\')
			(void)printf("\\%c", *s);
		else if (*s == '\n')
			(void)fputs("\\n", stdout);
		else if (*s == '\t')
			(void)fputs("\\t", stdout);
		else if (*s < 0x20 || *s == 0x7f)
			(void)printf("\\u%04x", *s);
		else if (*s < 0x80)
			(void)putchar(*s);
		else if ((n = utf8_seq(s, &cp)) == 0) {
			(void)printf("\\u%04x", *s);
			n = 1;
		} else if (cp < 0xa0)
			(void)printf("\\u%04x", (unsigned)cp);
		else
			(void)fwrite(s, 1, n, stdout);
	}
	(void)putchar('"');
}

static void
put_name(const char *name, bool open)
{
	put_json_string(name);
	(void)fputs(open || out.pretty ? ": " : ":", stdout);
}

static void
open_frame(enum frame_kind kind, const char *name)
{
	if (!out.json)
		return;
	begin_member(M_OPEN);
	if (name != NULL)
		put_name(name, true);
	(void)putchar(kind == FR_LIST ? '[' : '{');
	put_nl();
	if (out.depth + 1 >= OUT_MAXDEPTH)
		errx(1, "output nested too deeply");
	out.st[++out.depth] = (struct frame){ .kind = kind };
}

static void
close_frame(void)
{
	struct frame *f = &out.st[out.depth];

	if (!out.json || out.depth == 0)
		return;
	if (out.pretty && f->not_first)
		(void)putchar('\n');
	put_indent(out.depth);
	(void)putchar(f->kind == FR_LIST ? ']' : '}');
	out.depth--;
}

void
out_open_container(const char *name)
{
	open_frame(FR_CONTAINER, name);
}

void
out_close_container(void)
{
	close_frame();
}

void
out_open_list(const char *name)
{
	open_frame(FR_LIST, name);
}

void
out_close_list(void)
{
	close_frame();
}

void
out_open_instance(void)
{
	open_frame(FR_INSTANCE, NULL);
}

void
out_close_instance(void)
{
	close_frame();
}

void
out_int(const char *name, long long value)
{
	if (!out.json)
		return;
	begin_member(M_FIELD);
	put_name(name, false);
	(void)printf("%lld", value);
}

void
out_str(const char *name, const char *value)
{
	if (!out.json)
		return;
	begin_member(M_FIELD);
	put_name(name, false);
	put_json_string(value != NULL ? value : "");
}

void
out_bool(const char *name, bool value)
{
	if (!out.json)
		return;
	begin_member(M_FIELD);
	put_name(name, false);
	(void)fputs(value ? "true" : "false", stdout);
}

void
out_leaf(const char *value)
{
	if (!out.json)
		return;
	begin_member(M_LEAF);
	put_json_string(value != NULL ? value : "");
}

void
out_finish(void)
{
	if (out.json && out.top_emitted && !out.finished) {
		while (out.depth > 0)
			close_frame();
		(void)fputs("\n}\n", stdout);
		out.finished = true;
	}
	(void)fflush(stdout);
}

void
out_errx(int eval, const char *fmt, ...)
{
	va_list ap;

	out_finish();
	va_start(ap, fmt);
	verrx(eval, fmt, ap);
}

/*
 * How many bytes at s make one character the locale prints (a multibyte
 * one too), or 0: a byte to encode.  A tab is printed as it is.
 */
static size_t
printable(const char *s)
{
	unsigned char c = (unsigned char)*s;
	mbstate_t st;
	wchar_t wc;
	size_t n;

	if (c < 0x80 || MB_CUR_MAX == 1)
		return c == '\t' || (isprint(c) && c != 0x7f) ? 1 : 0;
	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
		return 0;
	return iswprint((wint_t)wc) ? n : 0;
}

/* One byte as strvis(3) with VIS_OCTAL | VIS_CSTYLE shows it. */
static char *
vis_byte(char *q, unsigned char c)
{
	static const char cstyle[] = { ['\a'] = 'a', ['\b'] = 'b',
		['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\v'] = 'v' };

	if (c < sizeof(cstyle) && cstyle[c] != '\0')
		return q + sprintf(q, "\\%c", cstyle[c]);
	return q + sprintf(q, "\\%03o", c);
}

const char *
out_vis(const char *s, char **tofree)
{
	const char *p;
	char *buf, *q;
	size_t n;

	*tofree = NULL;
	for (p = s; *p != '\0' && (n = printable(p)) > 0; p += n)
		;
	if (*p == '\0')
		return s;	/* nothing to show otherwise: no copy */
	buf = q = malloc(4 * strlen(s) + 1);
	if (buf == NULL)
		err(1, "malloc");
	memcpy(q, s, (size_t)(p - s));
	q += p - s;
	while (*p != '\0') {
		n = printable(p);
		if (n == 0) {
			q = vis_byte(q, (unsigned char)*p++);
			continue;
		}
		memcpy(q, p, n);
		q += n;
		p += n;
	}
	*q = '\0';
	return *tofree = buf;
}

void
out_text_quoted(const char *value, bool quote)
{
	int qc = quote ? param_quote_char(value) : 0;
	char *tofree;
	const char *v = out_vis(value, &tofree);

	if (qc != 0)
		out_text("%c%s%c", qc, v, qc);
	else
		out_text("%s", v);
	free(tofree);
}
