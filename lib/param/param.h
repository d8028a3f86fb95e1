// SPDX-License-Identifier: BSD-2-Clause
/*
 * param.h: the jail parameter table and typed parameter sets.
 *
 * Every parameter jail(8), jail.conf(5) and jls(8) know is one row of
 * param_table[], indexed by enum param_id.  Parsing (param_import) and
 * printing (param_export) go through the row's type, so no other file
 * parses a parameter value.
 */
#ifndef GAOL_PARAM_H
#define GAOL_PARAM_H

#include <errno.h>
#include <stdbool.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>

#include "base/base.h"

enum param_type {
	PT_BOOL,	/* name, noname, name=true|false|0|1 */
	PT_INT,		/* decimal integer */
	PT_STRING,
	PT_LIST,	/* one element per value (no split); += appends */
	PT_ARGV,	/* command=: every remaining argv word, verbatim */
	PT_SYS,		/* disable|new|inherit (bare: new; noX: disable) */
	PT_IP4,		/* IPv4 addresses, comma-separated on argv */
	PT_IP6,		/* list of IPv6 addresses */
	PT__MAX,
	PT__INVALID = -EINVAL,
};

enum param_flag {
	PF_RDONLY = 1 << 0,	/* reported by jls, never set by a user */
	PF_CREATE = 1 << 1,	/* set at creation only; jail -m refuses it */
	PF_PSEUDO = 1 << 2,	/* used by jail(8) itself (exec.*, mount.*) */
	PF_IMPL = 1 << 3,	/* implemented; else "not supported yet" */
	PF_SETTABLE_MOD = 1 << 4, /* jail -m may change it while running */
	PF_REV = 1 << 5,	/* list run in reverse when stopping */
};

enum param_id {
	P_JID,
	P_NAME,
	P_PATH,
	P_IP4_ADDR,
	P_IP4_SADDRSEL,
	P_IP4,
	P_IP6_ADDR,
	P_IP6_SADDRSEL,
	P_IP6,
	P_VNET,
	P_HOST_HOSTNAME,
	P_HOST_DOMAINNAME,
	P_HOST_HOSTUUID,
	P_HOST_HOSTID,
	P_HOST,
	P_SECURELEVEL,
	P_DEVFS_RULESET,
	P_CHILDREN_MAX,
	P_CHILDREN_CUR,
	P_ENFORCE_STATFS,
	P_PERSIST,
	P_CPUSET_ID,
	P_DYING,
	P_PARENT,
	P_OSRELEASE,
	P_OSRELDATE,
	P_ALLOW_SET_HOSTNAME,
	P_ALLOW_SYSVIPC,
	P_ALLOW_RAW_SOCKETS,
	P_ALLOW_CHFLAGS,
	P_ALLOW_MOUNT,
	P_ALLOW_MOUNT_DEVFS,
	P_ALLOW_MOUNT_FDESCFS,
	P_ALLOW_MOUNT_NULLFS,
	P_ALLOW_MOUNT_PROCFS,
	P_ALLOW_MOUNT_LINPROCFS,
	P_ALLOW_MOUNT_LINSYSFS,
	P_ALLOW_MOUNT_TMPFS,
	P_ALLOW_MOUNT_ZFS,
	P_ALLOW_QUOTAS,
	P_ALLOW_SOCKET_AF,
	P_ALLOW_MLOCK,
	P_ALLOW_RESERVED_PORTS,
	P_ALLOW_UNPRIVILEGED_PROC_DEBUG,
	P_ALLOW_SUSER,
	P_ALLOW_READ_MSGBUF,
	P_ALLOW_NFSD,
	P_ALLOW_EXTATTR,
	P_ALLOW_SETTIME,
	P_ALLOW_ROUTING,
	P_ALLOW_AUDIT,
	P_SYSVMSG,
	P_SYSVSEM,
	P_SYSVSHM,
	P_LINUX,
	P_LINUX_OSNAME,
	P_LINUX_OSRELEASE,
	P_LINUX_OSS_VERSION,
	/* pseudo-parameters: jail(8)'s own, not the kernel's */
	P_EXEC_PRESTART,
	P_EXEC_CREATED,
	P_EXEC_START,
	P_COMMAND,
	P_EXEC_POSTSTART,
	P_EXEC_PRESTOP,
	P_EXEC_STOP,
	P_EXEC_POSTSTOP,
	P_EXEC_CLEAN,
	P_EXEC_JAIL_USER,
	P_EXEC_SYSTEM_JAIL_USER,
	P_EXEC_SYSTEM_USER,
	P_EXEC_TIMEOUT,
	P_EXEC_CONSOLELOG,
	P_EXEC_FIB,
	P_STOP_TIMEOUT,
	P_INTERFACE,
	P_IP_HOSTNAME,
	P_MOUNT,
	P_MOUNT_FSTAB,
	P_MOUNT_DEVFS,
	P_MOUNT_FDESCFS,
	P_MOUNT_PROCFS,
	P_MOUNT_LINPROCFS,
	P_ALLOW_DYING,
	P_DEPEND,
	P_VNET_INTERFACE,
	P_CGROUP_PARENT,
	P_LANDLOCK,
	P_BPF_LSM,
	P__MAX,
	P__INVALID = -EINVAL,
};

/* PT_SYS values, in FreeBSD's JAIL_SYS_* order. */
enum jailsys {
	JAIL_SYS_DISABLE = 0,
	JAIL_SYS_NEW = 1,
	JAIL_SYS_INHERIT = 2,
};

/* Values a PT_INT or PT_SYS row accepts (PR_DEFAULT: the type's own). */
enum param_range {
	PR_DEFAULT,	/* PT_INT: any int; PT_SYS: disable|new|inherit */
	PR_NONNEG,	/* 0 .. INT_MAX */
	PR_STATFS,	/* 0 .. 2 */
	PR_U32,		/* 0 .. UINT32_MAX */
	PR_NEW_INHERIT,	/* PT_SYS without disable: noX is inherit (vnet) */
	PR__MAX,
};

struct param_def {
	const char *name;
	enum param_type type;
	unsigned flags;		/* enum param_flag */
	const char *def;	/* default in import syntax; NULL: none */
	const char *descr;	/* one line, as in jail(8) and jls -v */
	enum param_range range;
	const char *only;	/* PF_IMPL for this exported value only */
	const char *why;	/* with only: why other values are refused */
};

extern const struct param_def param_table[P__MAX];

struct strv {
	char **v;		/* NULL-terminated when n > 0 */
	size_t n;
};

/* One parameter's value; which member is live follows the row's type. */
struct pval {
	bool set;		/* given by the user (argv, jail.conf, -m) */
	union {
		long long i;	/* PT_INT, PT_BOOL (0/1), PT_SYS */
		char *s;	/* PT_STRING */
		struct strv l;	/* PT_LIST, PT_ARGV, PT_IP4, PT_IP6 */
	};
};

/* A whole parameter set: one slot per table row. */
struct jail_params {
	struct pval v[P__MAX];
};

/*
 * Find a row by name.  Accepts the "no" forms of booleans ("nopersist",
 * "allow.nomount") and of PT_SYS rows ("novnet"), reporting them through
 * ret_negated.  Unknown: -ENOENT, "unknown parameter: NAME".
 */
int param_find(const char *name, bool *ret_negated);

/*
 * Parse one argument "name", "noname", "name=value" or "name+=value"
 * into p.  A repeated name replaces the earlier value (FreeBSD), except
 * with +=, which appends to a list.  Errors name the parameter, e.g.
 * "jid: non-integer value \"x\"", "persist: unknown boolean value \"x\"".
 */
int param_import(struct jail_params *p, const char *arg);

/* Set parameter id from a value string (NULL = bare boolean name). */
int param_import_value(struct jail_params *p, enum param_id id,
    const char *value, bool negated, bool append);

/*
 * Format a parameter's value as jls -n prints it (lists joined by ',',
 * booleans "true"/"false" as the caller wants via param_export_pair).
 * Unset parameters format their default; no default gives "".
 * *ret is malloc'd.
 */
int param_export(const struct jail_params *p, enum param_id id, char **ret);

/*
 * Format "name=value" (or "name"/"noname" for booleans) as jls -n does;
 * quote: as jls -q / -s (FreeBSD's quoting for values with spaces).
 */
int param_export_pair(const struct jail_params *p, enum param_id id,
    bool quote, char **ret);

/* The quote jls -q/-s and jail -J put around v ('\0': none needed). */
char param_quote_char(const char *v);

/* Typed getters: the value if set, else the row's default. */
bool param_bool(const struct jail_params *p, enum param_id id);
long long param_int(const struct jail_params *p, enum param_id id);
const char *param_str(const struct jail_params *p, enum param_id id);
const struct strv *param_list(const struct jail_params *p, enum param_id id);
bool param_isset(const struct jail_params *p, enum param_id id);

/* Clear one value back to unset; free a whole set (not the struct). */
void param_clear(struct jail_params *p, enum param_id id);
void params_free(struct jail_params *p);
/* Replace dst's value of id with a deep copy of src's (set or not). */
int param_copy(struct jail_params *dst, const struct jail_params *src,
    enum param_id id);
int params_copy(struct jail_params *dst, const struct jail_params *src);

/*
 * Refuse parameters that are set (to something other than their default)
 * but not implemented: -EOPNOTSUPP, "\"ip4.addr\": not supported yet".
 * Also refuses setting PF_RDONLY rows: -EINVAL, "\"dying\": read-only
 * parameter"; a PF_IMPL row with an `only` value refuses any other value:
 * "\"ip4=new\": not supported yet", or, when the row says why gaol will
 * never honour it, "allow.settime: not supported: the clock is the
 * host's" (a boolean) or "enforce_statfs=1: not supported: ..." (others).
 */
int param_check_supported(const struct jail_params *p);

/*
 * Serialise a set for the state directory and read it back: one line per
 * set value, "name\tvalue" with \\, \t and \n escaped; lists repeat the
 * line once per element.  Round-trips every row exactly.
 */
int params_save(const struct jail_params *p, char **ret, size_t *ret_len);
int params_load(struct jail_params *p, const char *buf, size_t len);

/* A boolean's "no" form: "allow.mount" -> "allow.nomount". */
#define PARAM_NAME_MAX 128
void param_noname(const char *name, char *buf, size_t size);

/* strv helpers shared with the rest of libjail. */
int strv_push(struct strv *l, const char *s);
void strv_clear(struct strv *l);

/*
 * netaddr.c: ip4.addr and ip6.addr entries, "[iface|]addr[/prefix]", and
 * what a jail's network is, told from its parameters.
 */
struct jail_addr {
	int family;			/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;				/* network order */
	int prefix;			/* as given; else 32 or 128 */
	bool prefixed;			/* "/prefix" was given */
	char ifname[IFNAMSIZ];		/* "iface|": the interface; else "" */
};

#define JAIL_ADDR_BARE 0x1	/* the address alone, as jls(8) shows it */
#define JAIL_ADDRSTRLEN (IFNAMSIZ + INET6_ADDRSTRLEN + 8)

int jail_addr_parse(int family, const char *s, size_t len,
    struct jail_addr *ret);
int jail_addr_format(const struct jail_addr *a, int flags, char *buf,
    size_t len);
int jail_addrs(const struct jail_params *p, int family,
    struct jail_addr **ret, size_t *ret_n);
int jail_addrs_bare(struct jail_params *p);
int net_resolve(struct jail_params *p);
bool net_restricted(const struct jail_params *p);
bool net_own_ns(const struct jail_params *p);
bool net_brokered(const struct jail_params *p, int family);
bool net_refused(const struct jail_params *p, int family);
bool vnet_new(const struct jail_params *p);

#endif
