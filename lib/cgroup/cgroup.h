// SPDX-License-Identifier: BSD-2-Clause
/*
 * cgroup.h: a jail's cgroups: the one per jail beneath its creator's,
 * rctl(8) rules applied to them, and the device controller that lets
 * the jail open exactly the devices its devfs shows.
 */
#ifndef GAOL_CGROUP_H
#define GAOL_CGROUP_H

#include "fs/fs.h"

/*
 * cgroup.c: one cgroup per jail, beneath the creator's own: cgroup2, plus
 * one in each v1 hierarchy of a controller cgroup2 lacks.
 */
/* Descriptors a process entering a jail is born or moved into. */
struct cg_join {
	int v2;			/* CLONE_INTO_CGROUP, or -1 */
	int v1[CG__MAX];	/* each v1 cgroup once, then -1 */
};

#define CG_JOIN_INIT { .v2 = -1, .v1 = { -1, -1, -1, -1, -1, -1 } }

int cg_create(struct jail *j, struct cg_join *ret);
int cg_open(const struct jail *j, struct cg_join *ret);
void cg_join_close(struct cg_join *cj);
int cg_join_v1(const struct cg_join *cj);
int cg_destroy(struct jail *j, int wait_ms);
int cg_dir(const struct jail *j, enum cg_ctrl c, char *buf, size_t len);
const char *cg_ctrl_name(enum cg_ctrl c, int version);
int cg_file_read(const char *dir, const char *file, char *buf, size_t len);
int cg_file_write(const char *dir, const char *file, const char *val);
int cg_v1_format(const struct jail *j, char *buf, size_t len);

/* rctl.c: rctl(8) rules on jails, applied to their cgroups. */
int rctl_add(const char *rule);
int rctl_remove(const char *filter);
int rctl_list(const char *filter, char **ret);
int rctl_usage(const char *filter, char **ret);
int rctl_paths(const char *filter, char **ret);
int rctl_apply(const struct jail *j);
unsigned long rctl_nofile(const struct jail *j);

/* devctl.c: the device controller, what the jail's devfs shows. */
int devctl_start(const struct jail *j, const struct cg_join *cg);
int devctl_apply(const struct jail *j, const struct jail_ops *o);
int devctl_devfs_changed(int devfd);
int devctl_apply_set(int devfd, const struct devfs_rules *rs, unsigned set);
int devctl_apply_rule(int devfd, const struct devfs_rules *rs,
    const struct devfs_rule *rule);

#endif
