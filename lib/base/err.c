// SPDX-License-Identifier: BSD-2-Clause
/*
 * err.c: libjail's one error type.
 *
 * Functions return >= 0 or a negative errno; the function that knows the
 * cause writes the message once, here, into the thread-local jail_errmsg.
 * Callers only prefix context.  Never prints, never exits.
 */
#include <stdio.h>
#include <string.h>

#include "base/base.h"

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

/* What one process tells another of a step it ran (jail_report_write). */
struct jail_report {
	int err;
	char msg[JAIL_ERRMSGLEN - 64];
};

/*
 * Tell the process at the other end of fd how a step ended: r, and
 * jail_errmsg when r is an error.  One write, shorter than PIPE_BUF, so
 * never torn.
 */
void
jail_report_write(int fd, int r)
{
	struct jail_report rep = { .err = r };

	if (r < 0)
		(void)snprintf(rep.msg, sizeof(rep.msg), "%s", jail_errmsg);
	(void)write(fd, &rep, sizeof(rep));
}

/*
 * Read what jail_report_write wrote: its r, with jail_errmsg set for an
 * error.  End of file is 0 with eof_ok (the writer's execve closed fd),
 * else, as a short read, an error about who.
 */
int
jail_report_read(int fd, bool eof_ok, const char *who)
{
	struct jail_report rep;
	ssize_t n;

	do
		n = read(fd, &rep, sizeof(rep));
	while (n < 0 && errno == EINTR);
	if (n == 0 && eof_ok)
		return 0;
	if (n != (ssize_t)sizeof(rep))
		return jail_syserr(n < 0 ? -errno : -EIO, "%s", who);
	return rep.err < 0 ? jail_seterr(rep.err, "%s", rep.msg) : rep.err;
}
