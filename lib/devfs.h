// SPDX-License-Identifier: BSD-2-Clause
/*
 * devfs.h: FreeBSD's devfs(8) rulesets and a devfs for Linux.
 *
 * devfs-rule.c owns rules as data: parsing a rulespec, printing it the way
 * devfs(8) does.  devfs-store.c owns the ruleset store (JAIL_RUNDIR/devfs,
 * loaded from /etc/devfs.rules on first use, kept until reboot).  devfs.c
 * owns a mounted devfs: a tmpfs named "devfs" holding the host's nodes a
 * ruleset leaves visible, and what applying a rule to it does.
 */
#ifndef GAOL_DEVFS_H
#define GAOL_DEVFS_H

#include <stdbool.h>
#include <sys/types.h>

#define DEVFS_RULE_DEPTH 1	/* FreeBSD's vfs.devfs.rule_depth */
#define DEVFS_RULESET_JAIL 4	/* devfsrules_jail: mount.devfs's default */
#define DEVFS_NUM_MAX 65535	/* rule and ruleset numbers are 16 bits */

enum devfs_cond {
	DRC_PATH = 1 << 0,	/* path PATTERN */
	DRC_TYPE = 1 << 1,	/* type disk|mem|tape|tty */
};

enum devfs_devtype {
	DEVT_DISK = 1 << 0,
	DEVT_MEM = 1 << 1,
	DEVT_TAPE = 1 << 2,
	DEVT_TTY = 1 << 3,
};

enum devfs_act {
	DRA_HIDE = 1 << 0,
	DRA_UNHIDE = 1 << 1,
	DRA_UID = 1 << 2,
	DRA_GID = 1 << 3,
	DRA_MODE = 1 << 4,
	DRA_INCLUDE = 1 << 5,
};

struct devfs_rule {
	unsigned num;		/* 1..DEVFS_NUM_MAX; 0 while unnumbered */
	unsigned cond;		/* enum devfs_cond */
	unsigned types;		/* enum devfs_devtype, with DRC_TYPE */
	char *pattern;		/* with DRC_PATH: fnmatch(3), FNM_PATHNAME */
	unsigned acts;		/* enum devfs_act */
	uid_t uid;
	gid_t gid;
	mode_t mode;		/* permission bits only */
	unsigned incset;	/* with DRA_INCLUDE */
};

struct devfs_ruleset {
	unsigned num;
	struct devfs_rule *v;	/* sorted by num */
	size_t n;
};

/* Every ruleset of the host, sorted by number. */
struct devfs_rules {
	struct devfs_ruleset *v;
	size_t n;
	int lockfd;		/* held while loaded for change, or -1 */
};

/* devfs-rule.c */
int devfs_num_parse(const char *s, unsigned *ret);
int devfs_rule_parse(char *const *argv, size_t argc, struct devfs_rule *ret);
int devfs_rule_parse_line(const char *line, struct devfs_rule *ret);
char *devfs_rule_format(const struct devfs_rule *r);
void devfs_rule_clear(struct devfs_rule *r);

/* devfs-rule.c, for devfs-store.c: words of a line, the store's form. */
struct strv;
int devfs_split(const char *line,
    int (*var)(void *arg, const char *name, size_t len, unsigned *ret),
    void *arg, struct strv *ret);
int devfs_rule_parse_stored(char *const *argv, size_t argc,
    struct devfs_rule *ret);
char *devfs_rule_format_stored(const struct devfs_rule *r);

/* devfs-store.c */
int devfs_rules_load(bool for_change, struct devfs_rules *ret);
int devfs_rules_defaults(struct devfs_rules *rs, const char *local);
int devfs_rules_save(struct devfs_rules *rs);
void devfs_rules_free(struct devfs_rules *rs);
const struct devfs_ruleset *devfs_ruleset_find(const struct devfs_rules *rs,
    unsigned num);
int devfs_rules_add(struct devfs_rules *rs, unsigned set,
    struct devfs_rule *r);
int devfs_rules_del(struct devfs_rules *rs, unsigned set, unsigned num);
int devfs_rules_delset(struct devfs_rules *rs, unsigned set);

/* devfs.c */
int devfs_mount_at(int dirfd, unsigned ruleset, unsigned long flags);
int devfs_open(const char *mountpoint, int *ret_fd);
bool devfs_is(int fd);
int devfs_get_ruleset(int devfd, unsigned *ret);
int devfs_set_ruleset(int devfd, unsigned ruleset);
int devfs_apply_set(int devfd, const struct devfs_rules *rs, unsigned set);
int devfs_apply_rule(int devfd, const struct devfs_rules *rs,
    const struct devfs_rule *r);
bool devfs_ruled(int fd);
int devfs_ruleset_devices(unsigned set, int (*fn)(void *arg, mode_t type,
    dev_t rdev), void *arg);

#endif
