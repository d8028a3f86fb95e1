/*
 * err.c: libjail's one error type.
 *
 * Functions return >= 0 or a negative errno; the function that knows the
 * cause writes the message once, here, into the thread-local jail_errmsg.
 * Callers only prefix context.  Never prints, never exits.
 */
#include <stdio.h>
#include <string.h>

#include "jail-int.h"

__thread char jail_errmsg[JAIL_ERRMSGLEN];

/* Format a message and return r, like errx(3) without the exit. */
int
jail_seterr(int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(jail_errmsg, sizeof(jail_errmsg), fmt, ap);
	va_end(ap);
	return r;
}

/* Format a message followed by ": strerror(-r)", like err(3). */
int
jail_syserr(int r, const char *fmt, ...)
{
	char msg[JAIL_ERRMSGLEN];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)snprintf(jail_errmsg, sizeof(jail_errmsg), "%s: %s", msg,
	    strerror(r < 0 ? -r : r));
	return r;
}

/* Prefix the current message with context ("ctx: message"). */
int
jail_errctx(int r, const char *fmt, ...)
{
	char ctx[JAIL_ERRMSGLEN];
	char old[JAIL_ERRMSGLEN];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	memcpy(old, jail_errmsg, sizeof(old));
	(void)snprintf(jail_errmsg, sizeof(jail_errmsg), "%s: %s", ctx, old);
	return r;
}
