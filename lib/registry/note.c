// SPDX-License-Identifier: BSD-2-Clause
/*
 * note.c: what jail(8) tells its user about a jail ("NAME: created",
 * warnings), handed to the caller's jail_ops; libjail never prints.
 */
#include <stdarg.h>

#include "registry/registry.h"

void
jail_note(const struct jail_ops *o, const struct jail *j, const char *fmt,
    ...)
{
	va_list ap;

	if (o->note == NULL)
		return;
	va_start(ap, fmt);
	o->note(j != NULL ? jail_name(j) : NULL, fmt, ap);
	va_end(ap);
}

void
jail_warn(const struct jail_ops *o, const struct jail *j, const char *fmt,
    ...)
{
	va_list ap;

	if (o->warn == NULL)
		return;
	va_start(ap, fmt);
	o->warn(j != NULL ? jail_name(j) : NULL, fmt, ap);
	va_end(ap);
}
