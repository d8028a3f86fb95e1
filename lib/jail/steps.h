// SPDX-License-Identifier: BSD-2-Clause
/*
 * steps.h: a jail's life as one table of steps (steps.c), and the walks
 * over it: jail -c forward (create.c), and backward jail -r (remove.c),
 * a jail that ended as soon as it was made, a failed jail -c, and a dead
 * jail the registry reaps.
 */
#ifndef GAOL_STEPS_H
#define GAOL_STEPS_H

#include <stdio.h>

#include "jail/life.h"

/* Why the steps are walked; an undo looks at it to know what applies. */
enum life_walk {
	LIFE_CREATE,	/* jail -c; a failure walks back over what it did */
	LIFE_SETTLE,	/* jail -c done, the jail already empty: gone */
	LIFE_REMOVE,	/* jail -r, jail -R */
	LIFE_REAP,	/* the registry found it dead, and holds its lock */
	LIFE__MAX,
	LIFE__INVALID = -EINVAL,
};

struct life {
	struct jail *j;
	const struct jail_ops *o;
	enum life_walk walk;
	bool scripts;			/* jail -r: exec.prestop, stop, poststop */
	size_t done;			/* the steps taken, walked back from */
	int netns;			/* the jail's network, held, or -1 */
	/* jail -c only */
	struct jail_params *given;	/* the parameters as the user gave them */
	FILE *jf;			/* -J's file, or NULL */
	int *ret_status;		/* command='s exit status */
	struct trees t;
	struct cg_join cg;
	struct spawn_pending spawner;	/* forked, not yet in the jail */
};

/* l for walk w over j: create starts from none, the others from all. */
void life_start(struct life *l, struct jail *j, const struct jail_ops *o,
    enum life_walk w);
/* Every step forward; on failure the steps taken are walked back. */
int life_create(struct life *l);
/* A non-persist jail found empty once created: its steps walked back. */
int life_settle(struct life *l);
/* The steps taken walked back, newest first. */
int life_back(struct life *l);

#endif
