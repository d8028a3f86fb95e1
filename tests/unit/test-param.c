// SPDX-License-Identifier: BSD-2-Clause
/*
 * test-param.c: the parameter table and its parser and printer.
 *
 * No root, no jail: every row round-trips through import, export and the
 * params file, every bad form gives its exact message, and every row is
 * documented in man/jail.8.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/harness.h"
#include "confine/confine.h"

/* Import arg into p; expect success. */
#define IMPORT_OK(p, arg) CHECK_INT(param_import((p), (arg)), 0)

/* Import arg into a fresh set; expect error r with message msg. */
#define IMPORT_ERR(arg, r, msg)                           \
	do {                                              \
		struct jail_params e_ = { 0 };            \
		CHECK_INT(param_import(&e_, (arg)), (r)); \
		CHECK_STR(jail_errmsg, (msg));            \
		params_free(&e_);                         \
	} while (0)

/* The exported value of id, in a static buffer. */
static const char *
value_of(const struct jail_params *p, enum param_id id)
{
	static char buf[4096];
	char *v = NULL;

	if (param_export(p, id, &v) < 0)
		return "(export failed)";
	(void)snprintf(buf, sizeof(buf), "%s", v);
	free(v);
	return buf;
}

static const char *
pair_of(const struct jail_params *p, enum param_id id, bool quote)
{
	static char buf[4096];
	char *v = NULL;

	if (param_export_pair(p, id, quote, &v) < 0)
		return "(export failed)";
	(void)snprintf(buf, sizeof(buf), "%s", v);
	free(v);
	return buf;
}

/* A valid value for a row other than its default, as "name=value". */
static void
sample(enum param_id id, char *buf, size_t size)
{
	const struct param_def *d = &param_table[id];
	const char *v = "foo bar";

	switch (d->type) {
	case PT_BOOL:
		v = d->def != NULL && strcmp(d->def, "true") == 0 ? "false" :
								    "true";
		break;
	case PT_INT:
		v = "1";
		break;
	case PT_STRING:
		v = id == P_PATH ? "/tmp/root" : id == P_NAME ? "web" : v;
		break;
	case PT_SYS:
		v = d->def != NULL && strcmp(d->def, "new") == 0 ? "inherit" :
								   "new";
		break;
	case PT_IP4:
		v = "10.0.0.1,10.0.0.2";
		break;
	case PT_IP6:
		v = "::1,fe80::1";
		break;
	default:
		v = "/bin/echo hello";
		break;
	}
	(void)snprintf(buf, size, "%s=%s", d->name, v);
}

TEST(table_is_complete)
{
	bool neg;

	for (int id = 0; id < P__MAX; id++) {
		const struct param_def *d = &param_table[id];
		struct jail_params p = { 0 };

		CHECK(d->name != NULL && d->descr != NULL);
		if (d->name == NULL)
			continue;
		CHECK_INT(param_find(d->name, &neg), id);
		CHECK(!neg);
		if (d->def != NULL)
			CHECK_INT(
			    param_import_value(&p, id, d->def, false, false),
			    0);
		if (d->flags & PF_RDONLY)
			CHECK(!(d->flags & (PF_CREATE | PF_SETTABLE_MOD)));
		params_free(&p);
	}
}

TEST(implemented_rows)
{
	static const char *const impl[] = { "jid", "name", "path",
		"host.hostname", "host.domainname", "persist", "children.cur",
		"cpuset.id", "dying", "parent", "mount.procfs",
		"mount.linprocfs", "mount.devfs", "exec.prestart",
		"exec.created", "exec.start", "command", "exec.poststart",
		"exec.prestop", "exec.stop", "exec.poststop", "exec.clean",
		"exec.jail_user", "exec.system_jail_user", "exec.system_user",
		"exec.timeout", "exec.consolelog", "stop.timeout",
		"allow.dying", "ip4", "ip6", "vnet", "host", "sysvmsg",
		"sysvsem", "sysvshm", "depend", "devfs_ruleset", "mount",
		"mount.fstab", "mount.fdescfs", "allow.mount",
		"allow.mount.devfs", "allow.mount.fdescfs", "allow.mount.nullfs",
		"allow.mount.procfs", "allow.mount.linprocfs",
		"allow.mount.linsysfs", "allow.mount.tmpfs", "allow.mount.zfs",
		"securelevel", "children.max", "enforce_statfs",
		"allow.sysvipc", "allow.raw_sockets", "allow.chflags",
		"allow.quotas", "allow.socket_af", "allow.mlock",
		"allow.reserved_ports", "allow.unprivileged_proc_debug",
		"allow.suser", "allow.read_msgbuf", "allow.nfsd",
		"allow.extattr", "allow.settime", "allow.routing", "allow.audit",
		"allow.set_hostname", "vnet.interface", "ip4.addr", "ip6.addr",
		"ip4.saddrsel", "ip6.saddrsel", "interface", "ip_hostname",
		"cgroup.parent", "landlock", "bpf_lsm" };
	unsigned n = 0;
	bool neg;

	for (size_t i = 0; i < nitems(impl); i++)
		CHECK(param_table[param_find(impl[i], &neg)].flags & PF_IMPL);
	for (int id = 0; id < P__MAX; id++)
		n += (param_table[id].flags & PF_IMPL) != 0;
	CHECK_INT(n, nitems(impl));
	CHECK(param_table[P_MOUNT].flags & PF_REV);
	CHECK(param_table[P_MOUNT_FSTAB].flags & PF_REV);
	CHECK(!(param_table[P_EXEC_STOP].flags & PF_REV));
}

TEST(every_row_roundtrips_import_export)
{
	char arg[256], again[4200];

	for (int id = 0; id < P__MAX; id++) {
		struct jail_params a = { 0 }, b = { 0 }, c = { 0 };
		char v1[4096];

		sample(id, arg, sizeof(arg));
		IMPORT_OK(&a, arg);
		CHECK(param_isset(&a, id));
		(void)snprintf(v1, sizeof(v1), "%s", value_of(&a, id));
		(void)snprintf(again, sizeof(again), "%s=%s",
		    param_table[id].name, v1);
		IMPORT_OK(&b, again);
		CHECK_STR(value_of(&b, id), v1);
		/* jls -n's form goes back into jail(8) unchanged. */
		IMPORT_OK(&c, pair_of(&a, id, false));
		CHECK_STR(value_of(&c, id), v1);
		params_free(&a);
		params_free(&b);
		params_free(&c);
	}
}

/* Write p with params_save and read it back into a fresh set. */
static void
save_load(const struct jail_params *p, struct jail_params *ret)
{
	char *buf = NULL;
	size_t len = 0;

	CHECK_INT(params_save(p, &buf, &len), 0);
	CHECK(buf != NULL && strlen(buf) == len);
	CHECK_INT(params_load(ret, buf, len), 0);
	free(buf);
}

static void
check_same(const struct jail_params *a, const struct jail_params *b)
{
	for (int id = 0; id < P__MAX; id++) {
		CHECK_INT(param_isset(b, id), param_isset(a, id));
		CHECK_STR(value_of(b, id), value_of(a, id));
		if (param_table[id].type != PT_LIST &&
		    param_table[id].type != PT_ARGV &&
		    param_table[id].type != PT_IP4 &&
		    param_table[id].type != PT_IP6)
			continue;
		CHECK_INT(param_list(b, id)->n, param_list(a, id)->n);
		for (size_t i = 0;
		     i < param_list(a, id)->n && i < param_list(b, id)->n; i++)
			CHECK_STR(param_list(b, id)->v[i],
			    param_list(a, id)->v[i]);
	}
}

TEST(every_row_roundtrips_save_load)
{
	struct jail_params p = { 0 }, q = { 0 };
	char arg[256];

	for (int id = 0; id < P__MAX; id++) {
		sample(id, arg, sizeof(arg));
		IMPORT_OK(&p, arg);
	}
	IMPORT_OK(&p, "host.hostname=a\tb\\c\nd,e \\t");
	IMPORT_OK(&p, "host.domainname=");
	IMPORT_OK(&p, "exec.start=echo a,b");
	IMPORT_OK(&p, "exec.start+=x\ty\\n\nz");
	CHECK_INT(strv_push(&p.v[P_EXEC_START].l, ""), 0);
	IMPORT_OK(&p, "exec.stop=");
	CHECK_INT(strv_push(&p.v[P_COMMAND].l, "-c"), 0);
	CHECK_INT(strv_push(&p.v[P_COMMAND].l, "echo \"hi\"\n\\"), 0);
	save_load(&p, &q);
	check_same(&p, &q);
	CHECK_INT(param_list(&q, P_EXEC_START)->n, 3);
	CHECK_INT(param_list(&q, P_EXEC_STOP)->n, 0);
	CHECK(param_isset(&q, P_EXEC_STOP));
	params_free(&p);
	params_free(&q);
}

TEST(save_load_unset_and_copy)
{
	struct jail_params p = { 0 }, q = { 0 }, r = { 0 };

	save_load(&p, &q);
	check_same(&p, &q);
	IMPORT_OK(&p, "persist");
	IMPORT_OK(&p, "ip4.addr=10.1.1.1");
	CHECK_INT(params_copy(&r, &p), 0);
	param_clear(&p, P_IP4_ADDR);
	CHECK(!param_isset(&p, P_IP4_ADDR));
	CHECK_STR(value_of(&r, P_IP4_ADDR), "10.1.1.1");
	CHECK(param_bool(&r, P_PERSIST));
	CHECK_INT(param_copy(&p, &r, P_IP4_ADDR), 0);
	CHECK_STR(value_of(&p, P_IP4_ADDR), "10.1.1.1");
	CHECK_INT(param_copy(&p, &p, P_IP4_ADDR), 0);
	CHECK_INT(param_list(&p, P_IP4_ADDR)->n, 1);
	CHECK_INT(param_copy(&p, &q, P_PERSIST), 0);
	CHECK(!param_isset(&p, P_PERSIST));
	params_free(&p);
	params_free(&q);
	params_free(&r);
}

static int
load_str(struct jail_params *p, const char *s)
{
	return params_load(p, s, strlen(s));
}

TEST(params_load_errors)
{
	struct jail_params p = { 0 };

	CHECK_INT(load_str(&p, "persist\ttrue\nbogus\tx\n"), -ENOENT);
	CHECK_STR(jail_errmsg, "params line 2: unknown parameter: bogus");
	CHECK_INT(load_str(&p, "persist\n"), -EINVAL);
	CHECK_STR(jail_errmsg, "params line 1: persist: missing value");
	CHECK_INT(load_str(&p, "name\tx\\q"), -EINVAL);
	CHECK_STR(jail_errmsg, "params line 1: bad escape in value");
	CHECK_INT(load_str(&p, "nopersist\ttrue"), -ENOENT);
	/* len bytes, no more: what follows (the list's next record) is not read */
	CHECK_INT(params_load(&p, "persist\ttrue\nbogus\tx\n", 13), 0);
	CHECK(param_bool(&p, P_PERSIST));
	params_free(&p);
}

TEST(booleans)
{
	struct jail_params p = { 0 };

	IMPORT_OK(&p, "persist");
	CHECK(param_bool(&p, P_PERSIST));
	IMPORT_OK(&p, "nopersist");
	CHECK(!param_bool(&p, P_PERSIST));
	IMPORT_OK(&p, "persist=TRUE");
	CHECK(param_bool(&p, P_PERSIST));
	IMPORT_OK(&p, "persist=False");
	CHECK(!param_bool(&p, P_PERSIST));
	IMPORT_OK(&p, "persist=1");
	CHECK(param_bool(&p, P_PERSIST));
	IMPORT_OK(&p, "persist=0");
	CHECK(!param_bool(&p, P_PERSIST));
	IMPORT_OK(&p, "allow.mount");
	IMPORT_OK(&p, "allow.nomount");
	CHECK(param_isset(&p, P_ALLOW_MOUNT));
	CHECK(!param_bool(&p, P_ALLOW_MOUNT));
	IMPORT_OK(&p, "allow.mount.nodevfs");
	CHECK(!param_bool(&p, P_ALLOW_MOUNT_DEVFS));
	params_free(&p);
	IMPORT_ERR("persist=maybe", -EINVAL,
	    "persist: unknown boolean value \"maybe\"");
	IMPORT_ERR("persist=", -EINVAL, "persist: unknown boolean value \"\"");
	IMPORT_ERR("nopersist=x", -EINVAL, "nopersist: unexpected value \"x\"");
	IMPORT_ERR("allow.mount.nodevfs=1", -EINVAL,
	    "allow.mount.nodevfs: unexpected value \"1\"");
	IMPORT_ERR("noallow.mount", -ENOENT,
	    "unknown parameter: noallow.mount");
	IMPORT_ERR("persist+=true", -EINVAL,
	    "persist: cannot append to a non-list parameter");
}

TEST(jailsys)
{
	struct jail_params p = { 0 };

	CHECK_STR(value_of(&p, P_HOST), "new");
	CHECK_STR(value_of(&p, P_SYSVSHM), "disable"); /* FreeBSD's */
	IMPORT_OK(&p, "vnet");
	CHECK_INT(param_int(&p, P_VNET), JAIL_SYS_NEW);
	IMPORT_OK(&p, "novnet");
	CHECK_INT(param_int(&p, P_VNET), JAIL_SYS_INHERIT);
	IMPORT_OK(&p, "noip4");
	CHECK_STR(value_of(&p, P_IP4), "disable");
	IMPORT_OK(&p, "ip4=Inherit");
	CHECK_STR(value_of(&p, P_IP4), "inherit");
	IMPORT_OK(&p, "sysvshm=1");
	CHECK_STR(value_of(&p, P_SYSVSHM), "new");
	IMPORT_OK(&p, "host=inherit");
	CHECK_STR(pair_of(&p, P_HOST, false), "host=inherit");
	params_free(&p);
	IMPORT_ERR("vnet=disable", -EINVAL, "vnet: invalid value \"disable\"");
	IMPORT_ERR("ip4=3", -EINVAL, "ip4: invalid value \"3\"");
	IMPORT_ERR("ip4=x", -EINVAL, "ip4: unknown jailsys value \"x\"");
	IMPORT_ERR("novnet=new", -EINVAL, "novnet: unexpected value \"new\"");
	IMPORT_ERR("host+=new", -EINVAL,
	    "host: cannot append to a non-list parameter");
}

TEST(integers)
{
	struct jail_params p = { 0 };

	IMPORT_OK(&p, "jid=12");
	CHECK_INT(param_int(&p, P_JID), 12);
	IMPORT_OK(&p, "securelevel=-1");
	IMPORT_OK(&p, "enforce_statfs=0");
	IMPORT_OK(&p, "host.hostid=4294967295");
	params_free(&p);
	IMPORT_ERR("jid=12x", -EINVAL, "jid: non-integer value \"12x\"");
	IMPORT_ERR("jid=", -EINVAL, "jid: non-integer value \"\"");
	IMPORT_ERR("jid", -EINVAL, "jid: non-integer value \"\"");
	IMPORT_ERR("jid= 5", -EINVAL, "jid: non-integer value \" 5\"");
	IMPORT_ERR("jid=-1", -EINVAL, "jid: invalid value \"-1\"");
	IMPORT_ERR("jid=2147483648", -EINVAL,
	    "jid: invalid value \"2147483648\"");
	IMPORT_ERR("jid=99999999999999999999", -EINVAL,
	    "jid: invalid value \"99999999999999999999\"");
	IMPORT_ERR("stop.timeout=-5", -EINVAL,
	    "stop.timeout: invalid value \"-5\"");
	IMPORT_ERR("exec.timeout=-1", -EINVAL,
	    "exec.timeout: invalid value \"-1\"");
	IMPORT_ERR("children.max=-1", -EINVAL,
	    "children.max: invalid value \"-1\"");
	IMPORT_ERR("enforce_statfs=3", -EINVAL,
	    "enforce_statfs: invalid value \"3\"");
	IMPORT_ERR("jid+=1", -EINVAL,
	    "jid: cannot append to a non-list parameter");
}

TEST(strings)
{
	struct jail_params p = { 0 };
	char arg[128];

	IMPORT_OK(&p, "name=web");
	CHECK_STR(param_str(&p, P_NAME), "web");
	IMPORT_OK(&p, "name=db");
	CHECK_STR(param_str(&p, P_NAME), "db");
	(void)snprintf(arg, sizeof(arg), "host.hostname=%064d", 0);
	IMPORT_OK(&p, arg);
	params_free(&p);
	IMPORT_ERR("name=a.b", -EINVAL,
	    "name: \"a.b\": must not contain \".\"");
	IMPORT_ERR("name=", -EINVAL, "name: must not be empty");
	IMPORT_ERR("path=rel/dir", -EINVAL,
	    "path: \"rel/dir\": not an absolute path");
	(void)snprintf(arg, sizeof(arg), "host.hostname=%065d", 0);
	IMPORT_ERR(arg, -EINVAL,
	    "host.hostname: \"00000000000000000000"
	    "000000000000000000000000000000000000000000000\": longer than "
	    "64 bytes");
	IMPORT_ERR("path+=/x", -EINVAL,
	    "path: cannot append to a non-list parameter");
}

TEST(lists)
{
	struct jail_params p = { 0 };

	IMPORT_OK(&p, "exec.start=sh /etc/rc, and more");
	CHECK_INT(param_list(&p, P_EXEC_START)->n, 1);
	IMPORT_OK(&p, "exec.start+=echo done");
	CHECK_INT(param_list(&p, P_EXEC_START)->n, 2);
	CHECK_STR(param_list(&p, P_EXEC_START)->v[1], "echo done");
	CHECK(param_list(&p, P_EXEC_START)->v[2] == NULL);
	IMPORT_OK(&p, "exec.start=again");
	CHECK_INT(param_list(&p, P_EXEC_START)->n, 1);
	IMPORT_OK(&p, "mount+=/a /b nullfs ro,noatime 0 0");
	CHECK_STR(value_of(&p, P_MOUNT), "/a /b nullfs ro,noatime 0 0");
	IMPORT_OK(&p, "command=ls -l");
	IMPORT_OK(&p, "command+=/tmp");
	CHECK_INT(param_list(&p, P_COMMAND)->n, 2);
	CHECK_STR(param_list(&p, P_COMMAND)->v[0], "ls -l");
	CHECK_STR(value_of(&p, P_COMMAND), "ls -l /tmp");
	CHECK_INT(param_list(&p, P_DEPEND)->n, 0);
	params_free(&p);
}

TEST(addresses)
{
	struct jail_params p = { 0 };

	IMPORT_OK(&p, "ip4.addr=10.0.0.1,10.0.0.2");
	CHECK_INT(param_list(&p, P_IP4_ADDR)->n, 2);
	IMPORT_OK(&p, "ip4.addr+=em0|10.0.0.3/24");
	IMPORT_OK(&p, "ip4.addr+=10.0.0.4/255.255.255.0");
	CHECK_STR(value_of(&p, P_IP4_ADDR),
	    "10.0.0.1,10.0.0.2,em0|10.0.0.3/24,10.0.0.4/255.255.255.0");
	IMPORT_OK(&p, "ip6.addr=::1,vtnet0|fe80::1/64");
	CHECK_INT(param_list(&p, P_IP6_ADDR)->n, 2);
	IMPORT_OK(&p, "ip4.addr=");
	CHECK(param_isset(&p, P_IP4_ADDR));
	CHECK_INT(param_list(&p, P_IP4_ADDR)->n, 0);
	params_free(&p);
	IMPORT_ERR("ip4.addr=10.0.0.256", -EINVAL,
	    "ip4.addr: not an IPv4 address: 10.0.0.256");
	IMPORT_ERR("ip4.addr=10.0.0.1,,10.0.0.2", -EINVAL,
	    "ip4.addr: not an IPv4 address: ");
	IMPORT_ERR("ip4.addr=10.0.0.1/33", -EINVAL,
	    "ip4.addr: not an IPv4 address: 10.0.0.1/33");
	IMPORT_ERR("ip4.addr=|10.0.0.1", -EINVAL,
	    "ip4.addr: not an IPv4 address: |10.0.0.1");
	IMPORT_ERR("ip4.addr=::1", -EINVAL,
	    "ip4.addr: not an IPv4 address: ::1");
	IMPORT_ERR("ip6.addr=::1/129", -EINVAL,
	    "ip6.addr: not an IPv6 address: ::1/129");
	IMPORT_ERR("ip6.addr=10.0.0.1", -EINVAL,
	    "ip6.addr: not an IPv6 address: 10.0.0.1");
}

TEST(unknown_names)
{
	bool neg = true;

	IMPORT_ERR("foo=1", -ENOENT, "unknown parameter: foo");
	IMPORT_ERR("nopath", -ENOENT, "unknown parameter: nopath");
	IMPORT_ERR("allow.nofoo", -ENOENT, "unknown parameter: allow.nofoo");
	IMPORT_ERR("=x", -ENOENT, "unknown parameter: ");
	CHECK_INT(param_find("allow.mount.noprocfs", &neg),
	    P_ALLOW_MOUNT_PROCFS);
	CHECK(neg);
	CHECK_INT(param_find("persist", &neg), P_PERSIST);
	CHECK(!neg);
}

TEST(export_as_jls)
{
	struct jail_params p = { 0 };

	CHECK_STR(pair_of(&p, P_PERSIST, false), "nopersist");
	CHECK_STR(pair_of(&p, P_ALLOW_MOUNT_DEVFS, false),
	    "allow.mount.nodevfs");
	CHECK_STR(pair_of(&p, P_ALLOW_SET_HOSTNAME, false),
	    "allow.set_hostname");
	CHECK_STR(pair_of(&p, P_HOST, false), "host=new");
	CHECK_STR(pair_of(&p, P_HOST_DOMAINNAME, false),
	    "host.domainname=\"\"");
	CHECK_STR(pair_of(&p, P_IP4_ADDR, false), "ip4.addr=");
	CHECK_STR(pair_of(&p, P_IP4_ADDR, true), "ip4.addr=\"\"");
	CHECK_STR(value_of(&p, P_IP4_ADDR), "");
	CHECK_STR(value_of(&p, P_PERSIST), "false");
	CHECK_STR(value_of(&p, P_ENFORCE_STATFS), "2");
	IMPORT_OK(&p, "persist");
	IMPORT_OK(&p, "ip4.addr=10.0.0.1,10.0.0.2");
	IMPORT_OK(&p, "host.hostname=foo");
	CHECK_STR(pair_of(&p, P_PERSIST, true), "persist");
	CHECK_STR(value_of(&p, P_PERSIST), "true");
	CHECK_STR(pair_of(&p, P_IP4_ADDR, false), "ip4.addr=10.0.0.1,10.0.0.2");
	CHECK_STR(pair_of(&p, P_HOST_HOSTNAME, false), "host.hostname=foo");
	CHECK_STR(pair_of(&p, P_HOST_HOSTNAME, true), "host.hostname=foo");
	IMPORT_OK(&p, "host.hostname=my host");
	CHECK_STR(pair_of(&p, P_HOST_HOSTNAME, false), "host.hostname=my host");
	CHECK_STR(pair_of(&p, P_HOST_HOSTNAME, true),
	    "host.hostname=\"my host\"");
	IMPORT_OK(&p, "host.hostname=a\tb");
	CHECK_STR(pair_of(&p, P_HOST_HOSTNAME, true), "host.hostname=\"a\tb\"");
	IMPORT_OK(&p, "host.hostname=it's");
	CHECK_STR(pair_of(&p, P_HOST_HOSTNAME, true), "host.hostname=\"it's\"");
	IMPORT_OK(&p, "host.hostname=say \"hi\"");
	CHECK_STR(pair_of(&p, P_HOST_HOSTNAME, true),
	    "host.hostname='say \"hi\"'");
	params_free(&p);
}

TEST(getters_and_defaults)
{
	struct jail_params p = { 0 };

	CHECK(!param_bool(&p, P_PERSIST));
	CHECK(param_bool(&p, P_ALLOW_SET_HOSTNAME));
	CHECK(param_bool(&p, P_ALLOW_RESERVED_PORTS));
	CHECK_INT(param_int(&p, P_ENFORCE_STATFS), 2);
	CHECK_INT(param_int(&p, P_STOP_TIMEOUT), 10);
	CHECK_INT(param_int(&p, P_EXEC_TIMEOUT), 0);
	CHECK_INT(param_int(&p, P_SECURELEVEL), -1);
	CHECK_INT(param_int(&p, P_DEVFS_RULESET), 0);
	CHECK_INT(param_int(&p, P_CHILDREN_MAX), 0);
	CHECK_INT(param_int(&p, P_HOST), JAIL_SYS_NEW);
	CHECK_INT(param_int(&p, P_VNET), JAIL_SYS_INHERIT);
	CHECK_INT(param_int(&p, P_IP4), JAIL_SYS_DISABLE);
	CHECK_INT(param_int(&p, P_IP6), JAIL_SYS_DISABLE);
	CHECK(!param_bool(&p, P_BPF_LSM));
	CHECK_INT(param_int(&p, P_SYSVMSG), JAIL_SYS_DISABLE);
	CHECK(param_bool(&p, P_ALLOW_SUSER));
	CHECK(param_bool(&p, P_ALLOW_UNPRIVILEGED_PROC_DEBUG));
	CHECK(!param_bool(&p, P_ALLOW_SYSVIPC));
	CHECK(param_str(&p, P_NAME) == NULL);
	CHECK_INT(param_list(&p, P_EXEC_START)->n, 0);
	CHECK(!param_isset(&p, P_PERSIST));
	CHECK(!param_isset(NULL, P_PERSIST));
}

TEST(supported_check)
{
	struct jail_params p = { 0 };
	char arg[256];

	IMPORT_OK(&p, "name=web");
	IMPORT_OK(&p, "path=/tmp");
	IMPORT_OK(&p, "allow.set_hostname"); /* the default: harmless */
	IMPORT_OK(&p, "enforce_statfs=2");
	IMPORT_OK(&p, "sysvshm=new");
	IMPORT_OK(&p, "ip4.addr=");
	IMPORT_OK(&p, "host=new");
	IMPORT_OK(&p, "ip4=inherit");
	CHECK_INT(param_check_supported(&p), 0);
	params_free(&p);
	IMPORT_OK(&p, "ip4.addr=10.0.0.1");
	IMPORT_OK(&p, "ip4=new");
	IMPORT_OK(&p, "ip6=disable");
	CHECK_INT(param_check_supported(&p), 0);
	params_free(&p);
	IMPORT_OK(&p, "host.hostuuid=x");
	CHECK_INT(param_check_supported(&p), -EOPNOTSUPP);
	CHECK_STR(jail_errmsg, "\"host.hostuuid\": not supported yet");
	params_free(&p);
	IMPORT_OK(&p, "vnet");
	IMPORT_OK(&p, "vnet.interface=veth1");
	CHECK_INT(param_check_supported(&p), 0);
	params_free(&p);
	IMPORT_OK(&p, "enforce_statfs=1");
	CHECK_INT(param_check_supported(&p), -EOPNOTSUPP);
	CHECK_STR(jail_errmsg, "enforce_statfs=1: not supported: a jail sees "
			       "only the mounts of its own mount namespace");
	params_free(&p);
	IMPORT_OK(&p, "children.max=1");
	CHECK_INT(param_check_supported(&p), -EOPNOTSUPP);
	CHECK_STR(jail_errmsg, "children.max=1: not supported: jails inside "
			       "jails are not supported");
	params_free(&p);
	IMPORT_OK(&p, "allow.mount.tmpfs");
	CHECK_INT(param_check_supported(&p), -EOPNOTSUPP);
	CHECK_STR(jail_errmsg, "allow.mount.tmpfs: not supported: mounting in "
			       "a jail would need CAP_SYS_ADMIN over the host");
	params_free(&p);
	IMPORT_OK(&p, "allow.settime=1");
	CHECK_INT(param_check_supported(&p), -EOPNOTSUPP);
	CHECK_STR(jail_errmsg,
	    "allow.settime: not supported: the clock is the host's");
	params_free(&p);
	IMPORT_OK(&p, "allow.nomount");	/* the default: harmless */
	IMPORT_OK(&p, "sysvshm=disable");
	IMPORT_OK(&p, "sysvmsg=inherit");
	IMPORT_OK(&p, "securelevel=3");
	IMPORT_OK(&p, "children.max=0");
	CHECK_INT(param_check_supported(&p), 0);
	params_free(&p);
	IMPORT_OK(&p, "nodying");
	CHECK_INT(param_check_supported(&p), -EINVAL);
	CHECK_STR(jail_errmsg, "\"dying\": read-only parameter");
	params_free(&p);
	for (int id = 0; id < P__MAX; id++) {
		const struct param_def *d = &param_table[id];

		if (!(d->flags & PF_IMPL) || (d->flags & PF_RDONLY) ||
		    d->only != NULL)
			continue;
		sample(id, arg, sizeof(arg));
		IMPORT_OK(&p, arg);
	}
	CHECK_INT(param_check_supported(&p), 0);
	params_free(&p);
}

/* The capability set of a jail with params args (NULL-terminated). */
static uint64_t
caps_with(const char *const *args)
{
	struct jail_params p = { 0 };
	uint64_t caps;

	for (; *args != NULL; args++)
		IMPORT_OK(&p, *args);
	caps = confine_caps_for(&p);
	params_free(&p);
	return caps;
}

#define BIT(c) (UINT64_C(1) << (c))
#define CAPS(...) caps_with((const char *const[]){ __VA_ARGS__, NULL })

TEST(caps_from_allow)
{
	const uint64_t base = CAPS("persist");

	CHECK_INT(base, BIT(0) | BIT(1) | BIT(3) | BIT(4) | BIT(5) | BIT(6) |
		BIT(7) | BIT(8) | BIT(10) | BIT(18) | BIT(31));
	CHECK_INT(CAPS("allow.audit"), base | BIT(29));
	CHECK_INT(CAPS("allow.raw_sockets"), base | BIT(13));
	CHECK_INT(CAPS("allow.chflags"), base | BIT(9));
	CHECK_INT(CAPS("allow.chflags", "securelevel=0"), base | BIT(9));
	CHECK_INT(CAPS("allow.chflags", "securelevel=1"), base);
	CHECK_INT(CAPS("allow.mlock"), base | BIT(14));
	CHECK_INT(CAPS("allow.noreserved_ports"), base & ~BIT(10));
	CHECK_INT(CAPS("allow.read_msgbuf"), base | BIT(34));
	CHECK_INT(CAPS("allow.nosuser", "allow.raw_sockets"), 0);
	CHECK_INT(CAPS("allow.socket_af", "allow.sysvipc"), base);
}

/* confine_sysvipc on args: its result, and the three values after it. */
static int
sysv_with(const char *const *args, char *ret, size_t size)
{
	struct jail_params p = { 0 };
	int r;

	for (; *args != NULL; args++)
		IMPORT_OK(&p, *args);
	r = confine_sysvipc(&p);
	(void)snprintf(ret, size, "%s", value_of(&p, P_SYSVMSG));
	(void)snprintf(ret + strlen(ret), size - strlen(ret), " %s",
	    value_of(&p, P_SYSVSEM));
	(void)snprintf(ret + strlen(ret), size - strlen(ret), " %s%s",
	    value_of(&p, P_SYSVSHM), confine_ipc_inherit(&p) ? " shared" : "");
	params_free(&p);
	return r;
}

#define SYSV(buf, ...) \
	sysv_with((const char *const[]){ __VA_ARGS__, NULL }, buf, sizeof(buf))

TEST(sysvipc)
{
	char v[64];

	CHECK_INT(SYSV(v, "persist"), 0);
	CHECK_STR(v, "disable disable disable");
	CHECK_INT(SYSV(v, "allow.sysvipc"), 0);
	CHECK_STR(v, "new new new");
	CHECK_INT(SYSV(v, "allow.sysvipc", "sysvshm=disable"), 0);
	CHECK_STR(v, "new new disable");
	CHECK_INT(SYSV(v, "sysvshm=inherit"), 0);
	CHECK_STR(v, "disable disable inherit shared");
	CHECK_INT(SYSV(v, "sysvshm=inherit", "sysvsem=inherit"), 0);
	CHECK_STR(v, "disable inherit inherit shared");
	CHECK_INT(SYSV(v, "sysvshm=new", "sysvmsg=inherit"), -EOPNOTSUPP);
	CHECK_STR(jail_errmsg, "sysvmsg=inherit with sysvshm=new: not "
			       "supported: Linux has one IPC namespace for "
			       "all three");
	CHECK_INT(SYSV(v, "allow.sysvipc", "sysvsem=inherit"), -EOPNOTSUPP);
	CHECK_STR(jail_errmsg, "sysvmsg=new with sysvsem=inherit: not "
			       "supported: Linux has one IPC namespace for "
			       "all three");
}

static bool
is_word(char c)
{
	return c != '\0' && strchr("abcdefghijklmnopqrstuvwxyz0123456789_.", c);
}

/* Whether name occurs in text as a whole word (dots count as letters). */
static bool
has_word(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *s = strstr(text, name); s; s = strstr(s + 1, name)) {
		char before = s == text ? ' ' : s[-1];
		char after = s[len];

		if (!is_word(before) && !is_word(after))
			return true;
	}
	return false;
}

TEST(every_row_in_jail_8)
{
	const char *dir = getenv("GAOL_SRCDIR");
	char path[4096];
	static char text[1 << 20];
	FILE *f;
	size_t n;

	(void)snprintf(path, sizeof(path), "%s/man/jail.8", dir ? dir : ".");
	f = fopen(path, "re");
	if (f == NULL)
		SKIP("%s not written yet", path);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	(void)fclose(f);
	for (int id = 0; id < P__MAX; id++)
		if (!has_word(text, param_table[id].name))
			printf("# %s: %s not documented\n", path,
			    param_table[id].name);
	for (int id = 0; id < P__MAX; id++)
		CHECK(has_word(text, param_table[id].name));
}

int
main(void)
{
	return harness_main();
}
