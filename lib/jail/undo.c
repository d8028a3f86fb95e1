// SPDX-License-Identifier: BSD-2-Clause
/*
 * undo.c: the undo log of a lifecycle operation.  Each step that changes
 * something outside the process records its inverse at once; leaving
 * scope without undo_commit() runs the inverses newest first, so a failed
 * operation leaves nothing half-made (FreeBSD's failed start walked
 * backwards).
 */
#include <assert.h>

#include "jail/life.h"

void
undo_push(struct undo_log *u, void (*fn)(struct jail *), struct jail *j)
{
	assert(u->n < nitems(u->e));
	u->e[u->n].fn = fn;
	u->e[u->n].j = j;
	u->n++;
}

void
undo_commit(struct undo_log *u)
{
	u->n = 0;
}

/* The _cleanup_ destructor: run what was not committed, newest first. */
void
undo_rollback(struct undo_log *u)
{
	while (u->n > 0) {
		u->n--;
		u->e[u->n].fn(u->e[u->n].j);
	}
}
