// SPDX-License-Identifier: BSD-2-Clause
/*
 * life.h: a jail's life: jail(8)'s create, modify and remove, over one
 * jail or the jails of a jail.conf, and the -J file.
 */
#ifndef GAOL_LIFE_H
#define GAOL_LIFE_H

#include "proc/proc.h"

/*
 * create.c / modify.c / remove.c: the three operations of jail(8).
 * ret_status receives the exit status of command= (0 if none).
 */
int jail_create(struct jail_params *p, const struct jail_ops *o,
    int *ret_status);
int jail_modify(struct jail_params *p, const struct jail_ops *o,
    int *ret_status);
int jail_destroy(const char *jid_or_name, bool run_scripts,
    const struct jail_ops *o);
int jail_reap(struct jail *j);
int jail_find(const char *jid_or_name, struct jail **ret);
int jail_each(bool dying, jail_fn fn, void *arg);
bool jail_passed_over(struct jail *j, bool dying);

/* jidfile.c: jail -J's file, open, truncated, never through a jail. */
int jidfile_open(const char *path, const struct jail_params *p, FILE **ret);

/* jails.c: jail(8) over the jails of a jail.conf (conf.c, deps.c). */
struct conf;

enum jails_op {
	JOPS_CREATE,		/* -c */
	JOPS_REMOVE,		/* -r, -R */
	JOPS_RESTART,		/* -rc */
	JOPS_MODIFY,		/* -m, -cm */
	JOPS__MAX,
	JOPS__INVALID = -EINVAL,
};

struct jails_req {
	enum jails_op op;
	char **names;		/* jail names or "*"; none: every one */
	size_t nnames;
	const struct jail_params *overrides;	/* the command line's */
	bool run_scripts;	/* false for -R */
	const struct jail_ops *ops;
};

int jails_run(const struct conf *c, const struct jails_req *rq);

#endif
