// SPDX-License-Identifier: BSD-2-Clause
/*
 * conf-int.h: what the three parts of the jail.conf reader share: the
 * lexer (conf-lex.c) hands tokens to the parser (conf.c), which hands
 * sections of statements to the resolver (conf-resolve.c).  Nothing
 * outside those files uses it.
 */
#ifndef GAOL_CONF_INT_H
#define GAOL_CONF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "conf/conf.h"

/* A variable reference cut out of a value: "$name" or "${name}". */
struct conf_var {
	char *name;
	size_t pos;		/* where in the text it goes */
	unsigned line, col;
	size_t slot;		/* what it names (conf-resolve.c) */
};

/* One string as written: its text, and the variables to put into it. */
struct conf_str {
	char *s;		/* NUL-terminated; never holds a NUL itself */
	size_t len, cap;
	struct conf_var *vars;
	size_t nvars;
	const char *file;	/* the parse's copy; for messages */
	unsigned line, col;
	bool shared;		/* from a global or wildcard section */
};

enum conf_tok {
	TK_EOF,
	TK_STRING,		/* adjacent words, quotes and variables */
	TK_LBRACE,
	TK_RBRACE,
	TK_SEMI,
	TK_COMMA,
	TK_EQ,
	TK_PLEQ,		/* += */
	TK__MAX,
	TK__INVALID = -1,
};

struct conf_token {
	enum conf_tok type;
	unsigned line, col;
	struct conf_str str;	/* TK_STRING only */
	bool lone_var;		/* exactly one variable, nothing else */
	bool plain;		/* one unquoted word, no escapes */
};

struct conf_lexer {
	const char *file;
	const char *p, *end;
	unsigned line, col;	/* of *p, from 1 */
	unsigned eline, ecol;	/* where the last error is */
};

/* "name;", "name = v, ...;", "name += v, ...;" or "$var = v, ...;". */
struct stmt {
	char *name;		/* as written; a variable's without "$" */
	int id;			/* parameter row, or -1 for a variable */
	bool negated, append;
	struct conf_str *vals;
	size_t nvals;
	const char *file;
	unsigned line, col;
	bool shared;		/* in a global or wildcard section */
	size_t slot;		/* the row, or P__MAX + the variable's index */
};

/* A jail block, a wildcard block, or a run of global statements ("*"). */
struct section {
	char *name;
	bool wild;
	struct conf_str self;	/* the name as a value, for name= or jid= */
	struct stmt *stmts;
	size_t n;
};

struct file_id {
	dev_t dev;
	ino_t ino;
};

/* One parse: every file read into one list of sections. */
struct parse {
	struct section *secs;
	size_t nsecs;
	char **files;		/* the paths messages point into */
	size_t nfiles;
	struct file_id *seen;	/* every file read */
	size_t nseen;
	struct file_id stack[CONF_INCLUDE_MAX];
	size_t depth;
	unsigned flags;
	size_t nslots;		/* parameter rows, then variables */
};

/* conf-lex.c */
void conf_lex_init(struct conf_lexer *lx, const char *file, const char *text,
    size_t len);
/* The next token; errors are "FILE:LINE:COL: what". */
int conf_lex_next(struct conf_lexer *lx, struct conf_token *ret);
/* The printable name of a token type, for "expected ..." messages. */
const char *conf_tok_name(enum conf_tok t);
/* Length of the valid multi-byte UTF-8 sequence at p, or 0. */
size_t conf_utf8_len(const unsigned char *p, size_t n);
void conf_str_free(struct conf_str *s);
int conf_str_append(struct conf_str *s, const char *p, size_t n);


/* conf-resolve.c: every jail block of ps, resolved into c. */
int conf_resolve(struct parse *ps, struct conf *c);

/* Shared helpers (conf.c). */
void *conf_grow(void *v, size_t n, size_t sz);
int conf_at(const char *file, unsigned line, unsigned col, int r);
#define conf_oom() jail_seterr(-ENOMEM, "%s", strerror(ENOMEM))

#endif
