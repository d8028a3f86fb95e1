// SPDX-License-Identifier: BSD-2-Clause
/*
 * out.h: the output layer of the commands, a tiny stand-in for libxo.
 *
 * A command prints its text through out_text() (nothing in JSON) and its
 * data through out_int/out_str/out_bool/out_leaf inside containers, lists
 * and instances (nothing in text), the way one xo_emit() call serves both
 * on FreeBSD.  JSON follows libxo's layout byte for byte, compact or
 * pretty.  Debian has no libxo, hence this file; it never exits except in
 * out_errx() and out_parse_args() errors.
 */
#ifndef GAOL_OUT_H
#define GAOL_OUT_H

#include <stdbool.h>

/*
 * Strip libxo's "--libxo json", "--libxo=json,pretty" and "--libxo:JP"
 * from argv wherever they are; returns the new argc.  An unknown or
 * unsupported style prints a message and exits 1, as xo_parse_args does.
 */
int out_parse_args(int argc, char **argv);

/* The "__version" member of the JSON top level (xo_set_version). */
void out_set_version(const char *version);
bool out_is_json(void);

/* Text only: printed as given in text style, dropped in JSON. */
void out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Structure: JSON only; each open is paired with the next close. */
void out_open_container(const char *name);
void out_close_container(void);
void out_open_list(const char *name);
void out_close_list(void);
void out_open_instance(void);
void out_close_instance(void);

/* Data members: JSON only. */
void out_int(const char *name, long long value);
void out_str(const char *name, const char *value);
void out_bool(const char *name, bool value);
void out_leaf(const char *value);	/* one element of the open list */

/* Close whatever is open and end the document; idempotent. */
void out_finish(void);

/* xo_errx: finish the document, then errx(eval, ...). */
void out_errx(int eval, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

/*
 * A value as text shows it: a jail's host name set within, or a name or
 * path the host gave, may hold control characters meant for the admin's
 * terminal.  Every byte the locale does not print is shown as strvis(3)
 * shows it with VIS_OCTAL | VIS_CSTYLE | VIS_NL | VIS_NOSLASH ("\033",
 * "\n", "\a"); printable characters (multibyte ones too), tabs and
 * backslashes as they are.  s itself when nothing needs it (*tofree
 * NULL), else a new string, also in *tofree.
 */
const char *out_vis(const char *s, char **tofree);

/*
 * Print value as jls prints it (out_vis), quoted with param_quote_char()
 * if quote.
 */
void out_text_quoted(const char *value, bool quote);

#endif
