// SPDX-License-Identifier: BSD-2-Clause
/*
 * test-rctl.c: rctl(8) rules as values: parsed and printed back, amounts
 * expanded and humanized as FreeBSD's expand_number(3) and
 * humanize_number(3), filters matched, unenforceable rules refused, each
 * bad rule with its exact message.
 *
 * No root, no jail: nothing here reads the rule store or a cgroup.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../lib/harness.h"
#include "cgroup/cgroup.h"

/* text parsed as a rule and printed with flags. */
static const char *
reprint(const char *text, int flags)
{
	static char buf[RCTL_NAMELEN + 128];
	struct rctl_rule r;

	if (rctl_rule_parse(text, false, &r) < 0)
		return jail_errmsg;
	if (rctl_rule_format(&r, flags, buf, sizeof(buf)) < 0)
		return "(format failed)";
	return buf;
}

static const char *
human(uint64_t n)
{
	static char buf[32];

	rctl_humanize(n, buf, sizeof(buf));
	return buf;
}

/* Parse text as rule (or filter); expect r and, when r < 0, msg. */
#define PARSE_ERR(text, filter, r, msg)                                 \
	do {                                                            \
		struct rctl_rule x_;                                    \
		CHECK_INT(rctl_rule_parse((text), (filter), &x_), (r)); \
		CHECK_STR(jail_errmsg, (msg));                          \
	} while (0)

TEST(rule_round_trip)
{
	static const char *const same[] = {
		"jail:web:maxproc:deny=50",
		"jail:web:memoryuse:deny=67108864",
		"jail:170:pcpu:deny=50",
		"jail:web:readbps:throttle=1048576",
		"jail:web:writeiops:throttle=100",
		"jail:web:openfiles:log=100",
		"jail:web:maxproc:devctl=1",
		"jail:web:maxproc:sigterm=5",
		"jail:a.b-c_d:swapuse:deny=0",
	};

	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		CHECK_STR(reprint(same[i], 0), same[i]);
}

TEST(rule_canonical_form)
{
	CHECK_STR(reprint("j:web:memoryuse:deny=64M", 0),
	    "jail:web:memoryuse:deny=67108864");
	CHECK_STR(reprint("J:web:memoryuse:deny=64m", 0),
	    "jail:web:memoryuse:deny=67108864");
	CHECK_STR(reprint(":web:maxproc:deny=1k", 0),
	    "jail:web:maxproc:deny=1024");
	CHECK_STR(reprint("jail:web:maxproc:deny=50/jail", 0),
	    "jail:web:maxproc:deny=50");
	CHECK_STR(reprint("jail:web:memoryuse:deny=64M", RCTL_FMT_HUMAN),
	    "jail:web:memoryuse:deny=64M");
	CHECK_STR(reprint("jail:web:memoryuse:deny=64M", RCTL_FMT_SHORT),
	    "memoryuse:deny=67108864");
}

TEST(rule_fields)
{
	struct rctl_rule r;

	CHECK_INT(rctl_rule_parse("jail:web:readbps:throttle=2M/jail", false,
	    &r), 0);
	CHECK_INT(r.subject, RCTL_SUBJECT_JAIL);
	CHECK_STR(r.id, "web");
	CHECK_INT(r.res, RCTL_READBPS);
	CHECK_INT(r.action, RCTL_THROTTLE);
	CHECK_INT(r.amount, 2097152);
	CHECK(r.has_amount);
	CHECK_INT(r.per, RCTL_SUBJECT_JAIL);
	CHECK_INT(rctl_rule_parse("jail:web:maxproc:sighup=1", false, &r), 0);
	CHECK_INT(r.action, RCTL_SIGNAL);
	CHECK_STR(rctl_action_name(&r), "sighup");
}

TEST(filters)
{
	struct rctl_rule f;

	CHECK_INT(rctl_rule_parse("::", true, &f), 0);
	CHECK_STR(f.id, "");
	CHECK_INT(f.res, RCTL_ANY);
	CHECK_INT(f.action, RCTL_ANY);
	CHECK(!f.has_amount);
	CHECK_INT(rctl_rule_parse("jail:web", true, &f), 0);
	CHECK_STR(f.id, "web");
	CHECK_INT(f.res, RCTL_ANY);
	CHECK_INT(rctl_rule_parse("jail:web:maxproc", true, &f), 0);
	CHECK_INT(f.res, RCTL_MAXPROC);
	CHECK_INT(f.action, RCTL_ANY);
	CHECK_INT(rctl_rule_parse("jail:web:maxproc:deny=", true, &f), 0);
	CHECK_INT(f.action, RCTL_DENY);
	CHECK(!f.has_amount);
	CHECK_INT(rctl_rule_parse("jail:web:maxproc:=5", true, &f), 0);
	CHECK_INT(f.action, RCTL_ANY);
	CHECK(f.has_amount);
}

TEST(filter_matches)
{
	struct rctl_rule r, f;

	CHECK_INT(rctl_rule_parse("jail:web:maxproc:deny=50", false, &r), 0);
	CHECK_INT(rctl_rule_parse("jail:web", true, &f), 0);
	CHECK(rctl_rule_matches(&f, &r));
	CHECK_INT(rctl_rule_parse("jail:web:maxproc", true, &f), 0);
	CHECK(rctl_rule_matches(&f, &r));
	CHECK_INT(rctl_rule_parse("jail:web:maxproc:deny=50", true, &f), 0);
	CHECK(rctl_rule_matches(&f, &r));
	CHECK_INT(rctl_rule_parse("jail:web:maxproc:deny=49", true, &f), 0);
	CHECK(!rctl_rule_matches(&f, &r));
	CHECK_INT(rctl_rule_parse("jail:web:maxproc:throttle", true, &f), 0);
	CHECK(!rctl_rule_matches(&f, &r));
	CHECK_INT(rctl_rule_parse("jail:web:memoryuse", true, &f), 0);
	CHECK(!rctl_rule_matches(&f, &r));
}

/* What rctl(8) itself refuses: "malformed rule", FreeBSD's words. */
TEST(malformed_rules)
{
	CHECK_INT(rctl_rule_check("jail"), -EINVAL);
	CHECK_STR(jail_errmsg, "malformed rule 'jail': missing subject");
	CHECK_INT(rctl_rule_check("user:1000:maxproc:deny=1"), -EOPNOTSUPP);
	CHECK_STR(jail_errmsg, "malformed rule 'user:1000:maxproc:deny=1': "
	    "subject 'user' not supported: gaol limits jails only");
	CHECK_INT(rctl_rule_check("jail:web:maxproc:deny=1Q"), -EINVAL);
	CHECK_STR(jail_errmsg, "malformed rule 'jail:web:maxproc:deny=1Q': "
	    "invalid numeric value '1Q'");
	CHECK_INT(rctl_rule_check("jail:web:maxproc:deny=/jail"), -EINVAL);
	CHECK_STR(jail_errmsg, "malformed rule 'jail:web:maxproc:deny=/jail': "
	    "invalid numeric value ''");
	CHECK_INT(rctl_rule_check("jail:web:maxproc:deny=50"), 0);
	CHECK_INT(rctl_rule_check("jail:web:bogus:deny=50"), 0);
	PARSE_ERR("jail", false, -EINVAL,
	    "malformed rule 'jail': missing subject");
	PARSE_ERR("jail:web:maxproc:deny=99999999999999999999", false, -EINVAL,
	    "malformed rule 'jail:web:maxproc:deny=99999999999999999999': "
	    "invalid numeric value '99999999999999999999'");
}

/* What FreeBSD's kernel refuses: EINVAL and nothing more. */
TEST(invalid_rules)
{
	PARSE_ERR("jail:web:bogus:deny=1", false, -EINVAL, "Invalid argument");
	PARSE_ERR("jail::maxproc:deny=1", false, -EINVAL, "Invalid argument");
	PARSE_ERR("jail:web", false, -EINVAL, "Invalid argument");
	PARSE_ERR("jail:web:maxproc", false, -EINVAL, "Invalid argument");
	PARSE_ERR("jail:web:maxproc:deny", false, -EINVAL, "Invalid argument");
	PARSE_ERR("jail:web:maxproc:deny=", false, -EINVAL, "Invalid argument");
	PARSE_ERR("jail:web:maxproc:kill=1", false, -EINVAL,
	    "Invalid argument");
	PARSE_ERR("jail:web:maxproc:sig=1", false, -EINVAL, "Invalid argument");
	PARSE_ERR("jail:web:maxproc:deny=1/user", false, -EINVAL,
	    "Invalid argument");
	PARSE_ERR("jail:web:bogus", true, -EINVAL, "Invalid argument");
}

TEST(long_jail_name)
{
	char text[RCTL_NAMELEN + 64];
	struct rctl_rule r;

	(void)snprintf(text, sizeof(text), "jail:%0*d:maxproc:deny=1",
	    RCTL_NAMELEN - 1, 0);
	CHECK_INT(rctl_rule_parse(text, false, &r), 0);
	CHECK_INT(strlen(r.id), RCTL_NAMELEN - 1);
	(void)snprintf(text, sizeof(text), "jail:%0*d:maxproc:deny=1",
	    RCTL_NAMELEN, 0);
	PARSE_ERR(text, false, -EINVAL, "Invalid argument");
}

/* The rules Linux cannot enforce, refused with why. */
TEST(supported)
{
	struct rctl_rule r;

#define SUPPORTED(text, want, msg)                                    \
	do {                                                          \
		CHECK_INT(rctl_rule_parse((text), false, &r), 0);     \
		CHECK_INT(rctl_rule_supported(&r), (want));           \
		if ((want) < 0)                                       \
			CHECK_STR(jail_errmsg, (msg));                \
	} while (0)
	SUPPORTED("jail:web:maxproc:deny=50", 0, "");
	SUPPORTED("jail:web:readbps:throttle=1M", 0, "");
	SUPPORTED("jail:web:readbps:deny=1M", -EOPNOTSUPP,
	    "Operation not supported: readbps cannot be denied, only "
	    "throttled");
	SUPPORTED("jail:web:maxproc:throttle=9", -EOPNOTSUPP,
	    "Operation not supported: only readbps, writebps, readiops and "
	    "writeiops can be throttled");
	SUPPORTED("jail:web:maxproc:log=1", -EOPNOTSUPP,
	    "Operation not supported: action 'log' needs a process watching "
	    "the jail's usage, and gaol has no daemon; use deny (or throttle "
	    "for I/O)");
	SUPPORTED("jail:web:maxproc:sigkill=1", -EOPNOTSUPP,
	    "Operation not supported: action 'sigkill' needs a process "
	    "watching the jail's usage, and gaol has no daemon; use deny (or "
	    "throttle for I/O)");
	SUPPORTED("jail:web:writeiops:throttle=0", -EINVAL,
	    "Invalid argument: writeiops cannot throttle to 0");
	SUPPORTED("jail:web:cputime:deny=10", -EOPNOTSUPP,
	    "Operation not supported: resource 'cputime' cannot be limited "
	    "on Linux");
#undef SUPPORTED
}

TEST(expand_number)
{
	uint64_t v = 7;

	CHECK_INT(rctl_expand_number("0", &v), 0);
	CHECK_INT(v, 0);
	CHECK_INT(rctl_expand_number("50", &v), 0);
	CHECK_INT(v, 50);
	CHECK_INT(rctl_expand_number("1k", &v), 0);
	CHECK_INT(v, 1024);
	CHECK_INT(rctl_expand_number("64M", &v), 0);
	CHECK_INT(v, 67108864);
	CHECK_INT(rctl_expand_number("3G", &v), 0);
	CHECK_INT(v, 3221225472LL);
	CHECK_INT(rctl_expand_number("2T", &v), 0);
	CHECK_INT(v, 2199023255552LL);
	CHECK_INT(rctl_expand_number("1E", &v), 0);
	CHECK(v == (uint64_t)1 << 60);
	CHECK_INT(rctl_expand_number("18446744073709551615", &v), 0);
	CHECK(v == UINT64_MAX);
	v = 7;
	CHECK_INT(rctl_expand_number("16E", &v), -ERANGE);
	CHECK_INT(rctl_expand_number("18446744073709551616", &v), -ERANGE);
	CHECK_INT(rctl_expand_number("1Q", &v), -EINVAL);
	CHECK_INT(rctl_expand_number("1MB", &v), -EINVAL);
	CHECK_INT(rctl_expand_number("", &v), -EINVAL);
	CHECK_INT(rctl_expand_number("-1", &v), -EINVAL);
	CHECK_INT(rctl_expand_number(" 1", &v), -EINVAL);
	CHECK_INT(v, 7);	/* untouched on failure */
}

TEST(humanize)
{
	CHECK_STR(human(0), "0");
	CHECK_STR(human(50), "50");
	CHECK_STR(human(9999), "9999");
	CHECK_STR(human(10000), "9.8K");
	CHECK_STR(human(15360), "15K");
	CHECK_STR(human(1048576), "1024K");
	CHECK_STR(human(10485760), "10M");
	CHECK_STR(human(67108864), "64M");
	CHECK_STR(human(3221225472ULL), "3072M");
	CHECK_STR(human(10737418240ULL), "10G");
	CHECK_STR(human(UINT64_MAX), "16E");
}

TEST(resource_names)
{
	CHECK_STR(rctl_res_name(RCTL_CPUTIME), "cputime");
	CHECK_STR(rctl_res_name(RCTL_MEMORYUSE), "memoryuse");
	CHECK_STR(rctl_res_name(RCTL_NTHR), "nthr");
	CHECK_STR(rctl_res_name(RCTL_WRITEIOPS), "writeiops");
	CHECK_STR(rctl_res_name(RCTL_RES__MAX), "");
	CHECK_INT(RCTL_RES__MAX, 25);	/* rctl -u prints FreeBSD's 25 */
	for (int i = 0; i < RCTL_RES__MAX; i++) {
		char text[64];
		struct rctl_rule f;

		(void)snprintf(text, sizeof(text), "jail:w:%s",
		    rctl_res_name(i));
		CHECK_INT(rctl_rule_parse(text, true, &f), 0);
		CHECK_INT(f.res, i);
	}
}

int
main(void)
{
	return harness_main();
}
