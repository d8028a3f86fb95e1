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
struct bpf_insn;
union bpf_attr;

int cg_bpf_call(int cmd, union bpf_attr *a);
int cg_bpf_load(unsigned prog_type, unsigned attach_type,
    const struct bpf_insn *insns, size_t n, char *log, size_t size);
int cg_bpf_attach(int cgfd, int progfd, unsigned type);
int cg_bpf_count(int cgfd, unsigned type, uint32_t *ret_id);

/*
 * rctl*.c: rctl(8) rules on jails, applied to their cgroups.  Rules and
 * usage are values; cmd/rctl.c prints them.
 */
#include <limits.h>

#define RCTL_NAMELEN 256	/* a jail name, as FreeBSD's NAMELEN */
#define RCTL_ANY (-1)		/* a filter's resource or action: any */

/* FreeBSD's resources, in its order (sys/rctl.h, racct.h). */
enum rctl_res {
	RCTL_CPUTIME, RCTL_DATASIZE, RCTL_STACKSIZE, RCTL_COREDUMPSIZE,
	RCTL_MEMORYUSE, RCTL_MEMORYLOCKED, RCTL_MAXPROC, RCTL_OPENFILES,
	RCTL_VMEMORYUSE, RCTL_PSEUDOTERMINALS, RCTL_SWAPUSE, RCTL_NTHR,
	RCTL_MSGQQUEUED, RCTL_MSGQSIZE, RCTL_NMSGQ, RCTL_NSEM, RCTL_NSEMOP,
	RCTL_NSHM, RCTL_SHMSIZE, RCTL_WALLCLOCK, RCTL_PCPU, RCTL_READBPS,
	RCTL_WRITEBPS, RCTL_READIOPS, RCTL_WRITEIOPS,
	RCTL_RES__MAX,
	RCTL_RES__INVALID = -EINVAL,
};

enum rctl_action {
	RCTL_DENY, RCTL_LOG, RCTL_DEVCTL, RCTL_THROTTLE,
	RCTL_SIGNAL,		/* "sigNAME": the name in rctl_rule.sig */
	RCTL_ACTION__MAX,
	RCTL_ACTION__INVALID = -EINVAL,
};

/* Whose rules and usage: gaol limits jails only. */
enum rctl_subject {
	RCTL_SUBJECT_JAIL,
	RCTL_SUBJECT__MAX,
	RCTL_SUBJECT__INVALID = -EINVAL,
};

/* "jail:ID:resource:action=amount[/per]"; a filter may leave parts out. */
struct rctl_rule {
	enum rctl_subject subject;
	char id[RCTL_NAMELEN];		/* name or jid; filter: "" is any */
	int res;			/* enum rctl_res, or RCTL_ANY */
	int action;			/* enum rctl_action, or RCTL_ANY */
	char sig[16];			/* RCTL_SIGNAL: "sigNAME" */
	uint64_t amount;
	bool has_amount;		/* filter: false is any */
	enum rctl_subject per;		/* whose usage counts: the subject */
};

/* rctl -u: what the jail's cgroups hold, indexed by enum rctl_res. */
struct rctl_usage {
	uint64_t v[RCTL_RES__MAX];
};

/* rctl -v: per controller, the cgroup version (0: none) and directory. */
struct rctl_cgroups {
	char jail[RCTL_NAMELEN];	/* "": no running jail matched */
	struct {
		int version;
		char dir[PATH_MAX];
	} c[CG__MAX];
};

#define RCTL_FMT_HUMAN 0x1	/* the amount as humanize_number(3) */
#define RCTL_FMT_SHORT 0x2	/* "resource:action=amount", no subject */

/* rctl-rule.c: the rule syntax, names and numbers (pure). */
int rctl_rule_check(const char *text);
int rctl_rule_parse(const char *text, bool filter, struct rctl_rule *ret);
int rctl_rule_format(const struct rctl_rule *r, int flags, char *buf,
    size_t len);
bool rctl_rule_matches(const struct rctl_rule *filter,
    const struct rctl_rule *r);
int rctl_rule_supported(const struct rctl_rule *r);
const char *rctl_res_name(enum rctl_res res);
const char *rctl_action_name(const struct rctl_rule *r);
int rctl_expand_number(const char *s, uint64_t *ret);
void rctl_humanize(uint64_t n, char *buf, size_t len);

/* rctl.c: the rule store, and what rctl -a, -r and -l do with it. */
int rctl_add(const struct rctl_rule *rule);
int rctl_remove(const struct rctl_rule *filter);
int rctl_list(const struct rctl_rule *filter, struct rctl_rule **ret_v,
    size_t *ret_n);
int rctl_apply(const struct jail *j);
unsigned long rctl_nofile(const struct jail *j);

/* rctl-usage.c: rctl -u and -v on a running jail. */
int rctl_usage(const struct rctl_rule *filter, struct rctl_usage *ret);
int rctl_cgroups(const struct rctl_rule *filter, struct rctl_cgroups *ret);

/* devctl.c: the device controller, what the jail's devfs shows. */
int devctl_start(const struct jail *j, const struct cg_join *cg);
int devctl_apply(const struct jail *j, const struct jail_ops *o);
int devctl_devfs_changed(int devfd);
int devctl_apply_set(int devfd, const struct devfs_rules *rs, unsigned set);
int devctl_apply_rule(int devfd, const struct devfs_rules *rs,
    const struct devfs_rule *rule);

#endif
