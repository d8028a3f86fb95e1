// SPDX-License-Identifier: BSD-2-Clause
/*
 * rctl-rule.c: the rctl(8) rule as a value: its syntax
 * ("jail:ID:resource:action=amount[/per]"), the names of resources and
 * actions, amounts with suffixes (expand_number(3)) and humanized
 * (humanize_number(3)), which rules a filter matches and which rules
 * Linux can enforce.
 *
 * Pure: never reads the rule store, a cgroup or a jail; every function
 * here is unit-tested without root.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cgroup/cgroup.h"

static const char *const res_names[RCTL_RES__MAX] = {
	"cputime", "datasize", "stacksize", "coredumpsize", "memoryuse",
	"memorylocked", "maxproc", "openfiles", "vmemoryuse",
	"pseudoterminals", "swapuse", "nthr", "msgqqueued", "msgqsize",
	"nmsgq", "nsem", "nsemop", "nshm", "shmsize", "wallclock", "pcpu",
	"readbps", "writebps", "readiops", "writeiops",
};

/* The named actions; RCTL_SIGNAL is any "sigNAME". */
static const char *const action_names[RCTL_SIGNAL] = {
	"deny", "log", "devctl", "throttle",
};

static int
einval(void)
{
	return jail_seterr(-EINVAL, "%s", strerror(EINVAL));
}

const char *
rctl_res_name(enum rctl_res res)
{
	return res >= 0 && res < RCTL_RES__MAX ? res_names[res] : "";
}

const char *
rctl_action_name(const struct rctl_rule *r)
{
	if (r->action == RCTL_SIGNAL)
		return r->sig;
	return r->action >= 0 && r->action < RCTL_SIGNAL ?
	    action_names[r->action] : "";
}

static int
res_find(const char *s)
{
	for (int i = 0; i < RCTL_RES__MAX; i++)
		if (strcmp(s, res_names[i]) == 0)
			return i;
	return RCTL_RES__INVALID;
}

/* "deny", "log", "devctl", "throttle" or "sigNAME" into r. */
static int
action_find(const char *s, struct rctl_rule *r)
{
	for (int i = 0; i < RCTL_SIGNAL; i++)
		if (strcmp(s, action_names[i]) == 0)
			return r->action = i;
	if (strncmp(s, "sig", 3) != 0 || s[3] == '\0')
		return RCTL_ACTION__INVALID;
	(void)snprintf(r->sig, sizeof(r->sig), "%s", s);
	return r->action = RCTL_SIGNAL;
}

/* expand_number(3): decimal with an optional K, M, G, T, P or E suffix. */
int
rctl_expand_number(const char *s, uint64_t *ret)
{
	static const char units[] = "kmgtpe";
	unsigned long long v;
	const char *u;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -ERANGE;
	if (*end != '\0') {
		u = strchr(units, tolower((unsigned char)*end));
		if (u == NULL || end[1] != '\0')
			return -EINVAL;
		for (long i = 0; i <= u - units; i++) {
			if (v > UINT64_MAX / 1024)
				return -ERANGE;
			v *= 1024;
		}
	}
	*ret = v;
	return 0;
}

/* humanize_number(3) with HN_AUTOSCALE, HN_DECIMAL, HN_NOSPACE, 6 bytes. */
void
rctl_humanize(uint64_t n, char *buf, size_t len)
{
	static const char prefix[] = " KMGTPE";
	uint64_t rem = 0;
	int i = 0;

	while (n >= 10000 && i < 6) {
		rem = n % 1024;
		n /= 1024;
		i++;
	}
	if (i > 0 && n < 10 && (n * 10 + (rem * 10 + 512) / 1024) < 100)
		(void)snprintf(buf, len, "%" PRIu64 ".%" PRIu64 "%c", n,
		    (rem * 10 + 512) / 1024, prefix[i]);
	else if (i > 0)
		(void)snprintf(buf, len, "%" PRIu64 "%c",
		    n + (rem >= 512 ? 1 : 0), prefix[i]);
	else
		(void)snprintf(buf, len, "%" PRIu64, n);
}

/* A rule split at its colons; act is NULL when there is no third one. */
struct rule_parts {
	char *sub, *id, *res, *act;
};

static void
split(char *copy, struct rule_parts *p)
{
	p->sub = strsep(&copy, ":");
	p->id = strsep(&copy, ":");
	p->res = p->id != NULL ? strsep(&copy, ":") : NULL;
	p->act = copy;
}

/* "jail" and its abbreviation "j"; the other subjects have no meaning here. */
static int
check_subject(const char *sub, const char *text)
{
	if (strcmp(sub, "jail") == 0 || strcasecmp(sub, "j") == 0)
		return 0;
	if (*sub == '\0')
		return 0;
	return jail_seterr(-EOPNOTSUPP, "malformed rule '%s': subject '%s' "
	    "not supported: gaol limits jails only", text, sub);
}

/*
 * What FreeBSD's rctl(8) checks itself before the kernel sees a rule
 * (its expand_rule): a subject and an id, a subject it knows, an amount
 * that is a number.  Each failure is "malformed rule '...': why";
 * -EOPNOTSUPP for a subject other than jail.
 */
int
rctl_rule_check(const char *text)
{
	_cleanup_free_ char *copy = strdup(text);
	struct rule_parts p;
	char *amount;
	uint64_t v;
	int r;

	if (copy == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	split(copy, &p);
	if (p.id == NULL)
		return jail_seterr(-EINVAL, "malformed rule '%s': missing "
		    "subject", text);
	r = check_subject(p.sub, text);
	if (r < 0 || p.act == NULL || (amount = strchr(p.act, '=')) == NULL ||
	    *++amount == '\0')
		return r;
	amount[strcspn(amount, "/")] = '\0';
	if (rctl_expand_number(amount, &v) < 0)
		return jail_seterr(-EINVAL, "malformed rule '%s': invalid "
		    "numeric value '%s'", text, amount);
	return 0;
}

/* The part "action=amount[/per]"; per may only be the subject, jail. */
static int
parse_action(char *act, bool filter, struct rctl_rule *r)
{
	char *amount = strchr(act, '='), *per;

	if (amount != NULL)
		*amount++ = '\0';
	if ((*act != '\0' || !filter) && action_find(act, r) < 0)
		return einval();
	if (amount == NULL || *amount == '\0')
		return filter ? 0 : einval();
	per = strchr(amount, '/');
	if (per != NULL) {
		*per++ = '\0';
		if (strcmp(per, "jail") != 0)
			return einval();
	}
	if (rctl_expand_number(amount, &r->amount) < 0)
		return einval();	/* rctl_rule_check said why */
	r->has_amount = true;
	return 0;
}

/*
 * Parse a rule, or with filter a filter (trailing parts may be missing
 * or empty), as FreeBSD's rctl(8) and then its kernel do: what
 * rctl_rule_check refuses first, with its message, then plain EINVAL
 * for the rest (an unknown resource or action, a missing part).
 */
int
rctl_rule_parse(const char *text, bool filter, struct rctl_rule *ret)
{
	_cleanup_free_ char *copy = NULL;
	struct rctl_rule r = {
		.subject = RCTL_SUBJECT_JAIL, .per = RCTL_SUBJECT_JAIL,
		.res = RCTL_ANY, .action = RCTL_ANY,
	};
	struct rule_parts p;
	int q = rctl_rule_check(text);

	if (q < 0)
		return q;
	if ((copy = strdup(text)) == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	split(copy, &p);
	if (p.id == NULL || strlen(p.id) >= sizeof(r.id) ||
	    (!filter && *p.id == '\0'))
		return einval();
	(void)snprintf(r.id, sizeof(r.id), "%s", p.id);
	if (p.res == NULL || *p.res == '\0') {
		if (!filter)
			return einval();
	} else if ((r.res = res_find(p.res)) < 0 ||
	    (p.act == NULL && !filter)) {
		return einval();
	} else if (p.act != NULL && (q = parse_action(p.act, filter, &r)) < 0) {
		return q;
	}
	*ret = r;
	return 0;
}

/*
 * "jail:ID:resource:action=amount" (per is always the subject, so never
 * shown, as FreeBSD's kernel prints it); RCTL_FMT_SHORT leaves out
 * "jail:ID:", RCTL_FMT_HUMAN humanizes the amount.
 */
int
rctl_rule_format(const struct rctl_rule *r, int flags, char *buf, size_t len)
{
	char amount[32];
	int n;

	if (flags & RCTL_FMT_HUMAN)
		rctl_humanize(r->amount, amount, sizeof(amount));
	else
		(void)snprintf(amount, sizeof(amount), "%" PRIu64, r->amount);
	if (flags & RCTL_FMT_SHORT)
		n = snprintf(buf, len, "%s:%s=%s", rctl_res_name(r->res),
		    rctl_action_name(r), amount);
	else
		n = snprintf(buf, len, "jail:%s:%s:%s=%s", r->id,
		    rctl_res_name(r->res), rctl_action_name(r), amount);
	if (n < 0 || (size_t)n >= len)
		return jail_seterr(-ENAMETOOLONG, "rule of jail %s: too long",
		    r->id);
	return 0;
}

/* Whether filter f matches rule r (the jail is the caller's to match). */
bool
rctl_rule_matches(const struct rctl_rule *f, const struct rctl_rule *r)
{
	return (f->res == RCTL_ANY || f->res == r->res) &&
	    (f->action == RCTL_ANY || (f->action == r->action &&
	    (f->action != RCTL_SIGNAL || strcmp(f->sig, r->sig) == 0))) &&
	    (!f->has_amount || f->amount == r->amount);
}

static bool
res_is_io(int res)
{
	return res == RCTL_READBPS || res == RCTL_WRITEBPS ||
	    res == RCTL_READIOPS || res == RCTL_WRITEIOPS;
}

/* Whether Linux has a cgroup or rlimit that enforces res. */
static bool
res_enforced(int res)
{
	switch (res) {
	case RCTL_MEMORYUSE: case RCTL_VMEMORYUSE: case RCTL_SWAPUSE:
	case RCTL_MAXPROC: case RCTL_NTHR: case RCTL_PCPU:
	case RCTL_OPENFILES: case RCTL_READBPS: case RCTL_WRITEBPS:
	case RCTL_READIOPS: case RCTL_WRITEIOPS:
		return true;
	default:
		return false;
	}
}

/*
 * Refuse what Linux cannot enforce honestly, and what FreeBSD refuses:
 * deny on the I/O rates (they decay, so only throttle fits them), and
 * throttle on anything else.  log, devctl and the signals would need a
 * process watching every jail's usage; gaol has no daemon.
 */
int
rctl_rule_supported(const struct rctl_rule *r)
{
	bool io = res_is_io(r->res);

	if (r->action == RCTL_DENY && io)
		return jail_seterr(-EOPNOTSUPP, "%s: %s cannot be denied, "
		    "only throttled", strerror(EOPNOTSUPP), res_names[r->res]);
	if (r->action == RCTL_THROTTLE && !io)
		return jail_seterr(-EOPNOTSUPP, "%s: only readbps, writebps, "
		    "readiops and writeiops can be throttled",
		    strerror(EOPNOTSUPP));
	if (r->action != RCTL_DENY && r->action != RCTL_THROTTLE)
		return jail_seterr(-EOPNOTSUPP, "%s: action '%s' needs a "
		    "process watching the jail's usage, and gaol has no "
		    "daemon; use deny (or throttle for I/O)",
		    strerror(EOPNOTSUPP), rctl_action_name(r));
	if (io && r->amount == 0)
		return jail_seterr(-EINVAL, "%s: %s cannot throttle to 0",
		    strerror(EINVAL), res_names[r->res]);
	if (!res_enforced(r->res))
		return jail_seterr(-EOPNOTSUPP, "%s: resource '%s' cannot be "
		    "limited on Linux", strerror(EOPNOTSUPP),
		    res_names[r->res]);
	return 0;
}
