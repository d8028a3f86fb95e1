// SPDX-License-Identifier: BSD-2-Clause
/*
 * jls.c: jls(8), list jails, with FreeBSD's options, formats and messages.
 *
 * Owns argv, the choice of parameters to print and the layout of each
 * mode (default table, -N, -v, -n/-s/-q/-h and explicit parameters).  The
 * jails come from libjail(3) as FreeBSD's jls gets them (jailparam_get
 * walking by lastjid, or keyed by jid or name for -j), their values as
 * jailparam_export's strings; the printers format them by the parameter
 * table (param_export, param_export_pair), then show them as out_vis
 * shows it in text (a jail chooses its host name: no control character
 * of its reaches the terminal raw).  Must never change a jail.
 */
#include <err.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jail/life.h"
#include "cmd.h"
#include "out.h"

#define JLS_XO_VERSION "2"

/* What to print; combined by the options as FreeBSD's jls combines them. */
enum {
	PRINT_DEFAULT = 0x01,
	PRINT_HEADER = 0x02,
	PRINT_NAMEVAL = 0x04,
	PRINT_QUOTED = 0x08,
	PRINT_SKIP = 0x10,
	PRINT_VERBOSE = 0x20,
	PRINT_JAIL_NAME = 0x40,
};

struct jls {
	unsigned pflags;
	bool dying;			/* -d */
	const char *jail;		/* -j */
	enum param_id ids[P__MAX];	/* parameters to print, in order */
	size_t nids;
};

static void __attribute__((noreturn))
usage(void)
{
	out_errx(1, "usage: jls [-dhNnqv] [-j jail] [param ...]");
}

/* One option letter; the masks are FreeBSD's, so the last one wins. */
static void
jls_opt(struct jls *o, int ch, const char *arg)
{
	switch (ch) {
	case 'a':	/* FreeBSD's undocumented synonym of -d */
	case 'd':
		o->dying = true;
		break;
	case 'j':
		o->jail = arg;
		break;
	case 'h':
		o->pflags = (o->pflags & ~(PRINT_SKIP | PRINT_VERBOSE)) |
		    PRINT_HEADER;
		break;
	case 'N':
		o->pflags |= PRINT_JAIL_NAME;
		break;
	case 'n':
		o->pflags = (o->pflags & ~PRINT_VERBOSE) | PRINT_NAMEVAL;
		break;
	case 'q':
		o->pflags |= PRINT_QUOTED;
		break;
	case 's':
		o->pflags = (o->pflags & ~(PRINT_HEADER | PRINT_VERBOSE)) |
		    PRINT_NAMEVAL | PRINT_QUOTED | PRINT_SKIP;
		break;
	case 'v':
		o->pflags = (o->pflags &
		    ~(PRINT_HEADER | PRINT_NAMEVAL | PRINT_SKIP)) |
		    PRINT_VERBOSE;
		break;
	default:
		usage();
	}
}

#define JLS_OPTS "+adj:hNnqsv"

/* getopt's complaints in BSD's words, then usage (opterr is off). */
static void __attribute__((noreturn))
bad_option(void)
{
	bsd_option_error(JLS_OPTS);
	usage();
}

static void
add_param(struct jls *o, enum param_id id)
{
	for (size_t i = 0; i < o->nids; i++)
		if (o->ids[i] == id)
			return;
	o->ids[o->nids++] = id;
}

/* FreeBSD's order for "all": top-level names first, then by name. */
static int
cmp_param(const void *a, const void *b)
{
	const char *na = param_table[*(const enum param_id *)a].name;
	const char *nb = param_table[*(const enum param_id *)b].name;
	bool da = strchr(na, '.') != NULL, db = strchr(nb, '.') != NULL;

	if (da != db)
		return da ? 1 : -1;
	return strcmp(na, nb);
}

/* The pseudo-parameter "all": every row that is not jail(8)'s own. */
static void
add_all(struct jls *o)
{
	enum param_id all[P__MAX];
	size_t n = 0;

	for (int id = 0; id < P__MAX; id++)
		if (!(param_table[id].flags & PF_PSEUDO))
			all[n++] = (enum param_id)id;
	qsort(all, n, sizeof(all[0]), cmp_param);
	for (size_t i = 0; i < n; i++)
		add_param(o, all[i]);
}

static void
add_named(struct jls *o, const char *name)
{
	bool negated;
	int id;

	if (strcmp(name, "all") == 0) {
		add_all(o);
		return;
	}
	id = param_find(name, &negated);
	if (id < 0)
		errx(1, "%s", jail_errmsg);
	add_param(o, (enum param_id)id);
}

/* Parameters from the command line, or the mode's own set. */
static void
choose_params(struct jls *o, int argc, char **argv)
{
	if (argc > 0) {
		o->pflags &= ~PRINT_VERBOSE;
		for (int i = 0; i < argc; i++)
			add_named(o, argv[i]);
	} else if (o->pflags & (PRINT_HEADER | PRINT_NAMEVAL))
		add_all(o);
	else if (!(o->pflags & PRINT_VERBOSE))
		o->pflags |= PRINT_DEFAULT;
}

static void
print_header(const struct jls *o)
{
	if (o->pflags & PRINT_VERBOSE)
		out_text("   JID  Hostname                      Path\n"
			 "        Name                          State\n"
			 "        CPUSetID\n"
			 "        IP Address(es)\n");
	else if ((o->pflags & PRINT_DEFAULT) && (o->pflags & PRINT_JAIL_NAME))
		out_text(" JID             IP Address      "
			 "Hostname                      Path\n");
	else if (o->pflags & PRINT_DEFAULT)
		out_text("   JID  IP Address      "
			 "Hostname                      Path\n");
	else if (o->pflags & PRINT_HEADER) {
		for (size_t i = 0; i < o->nids; i++)
			out_text("%s%s", i > 0 ? " " : "",
			    param_table[o->ids[i]].name);
		out_text("\n");
	}
}

/* A jail as libjail reported it: each fetched value, as exported. */
struct shown {
	int jid;
	bool dying;
	const char *v[P__MAX];	/* NULL: not asked for */
};

static const char *
val(const struct shown *j, enum param_id id)
{
	return j->v[id] != NULL ? j->v[id] : "";
}

/* The first address of ip4.addr (libjail gives them bare). */
static void
first_ip4(const struct shown *j, char *buf, size_t size)
{
	const char *a = val(j, P_IP4_ADDR);

	(void)snprintf(buf, size, "%.*s", (int)strcspn(a, ",/ "), a);
}

static void
print_default(const struct jls *o, const struct shown *j)
{
	const char *host = val(j, P_HOST_HOSTNAME), *path = val(j, P_PATH);
	const char *name = val(j, P_NAME);
	_cleanup_free_ char *fn = NULL, *fi = NULL, *fh = NULL, *fp = NULL;
	char ip[64];

	first_ip4(j, ip, sizeof(ip));
	if (o->pflags & PRINT_JAIL_NAME) {
		out_text(" %-15s ", out_vis(name, &fn));
		out_str("name", name);
	} else {
		out_text("%6d  ", j->jid);
		out_int("jid", j->jid);
	}
	out_text("%-15.15s %-29.29s %.74s\n", out_vis(ip, &fi),
	    out_vis(host, &fh), out_vis(path, &fp));
	out_str("ipv4", ip);
	out_str("hostname", host);
	out_str("path", path);
}

/* One address per line in text, a list of strings in JSON. */
static void
print_addrs(const char *list, const char *addrs)
{
	out_open_list(list);
	for (const char *a = addrs, *e; *a != '\0'; a = e + (*e != '\0')) {
		_cleanup_free_ char *one = NULL, *f = NULL;

		e = strchrnul(a, ',');
		one = strndup(a, (size_t)(e - a));
		if (one == NULL)
			err(1, "malloc");
		out_text("        %s\n", out_vis(one, &f));
		out_leaf(one);
	}
	out_close_list();
}

static void
print_verbose(const struct shown *j)
{
	const char *host = val(j, P_HOST_HOSTNAME), *path = val(j, P_PATH);
	const char *name = val(j, P_NAME);
	const char *state = j->dying ? "DYING" : "ACTIVE";
	int cpuset = (int)strtol(val(j, P_CPUSET_ID), NULL, 10);
	_cleanup_free_ char *fh = NULL, *fp = NULL, *fn = NULL;

	out_text("%6d  %-29.29s %.74s\n", j->jid, out_vis(host, &fh),
	    out_vis(path, &fp));
	out_int("jid", j->jid);
	out_str("hostname", host);
	out_str("path", path);
	out_text("        %-29.29s %.74s\n", out_vis(name, &fn), state);
	out_str("name", name);
	out_str("state", state);
	out_text("        %d\n", cpuset);
	out_int("cpusetid", cpuset);
	print_addrs("ipv4_addrs", val(j, P_IP4_ADDR));
	print_addrs("ipv6_addrs", val(j, P_IP6_ADDR));
}

/*
 * -s prints what jail -c could take back: no read-only parameter, and
 * none below a disable/new/inherit parent that is not "new" (FreeBSD).
 */
static bool
skip_param(const struct jls *o, const struct shown *j, enum param_id id)
{
	const char *name = param_table[id].name;
	size_t len = strcspn(name, ".");
	char parent[64];
	bool negated;
	int pid;

	if (!(o->pflags & PRINT_SKIP))
		return false;
	if (param_table[id].flags & PF_RDONLY)
		return true;
	if (name[len] == '\0' || len >= sizeof(parent))
		return false;
	(void)snprintf(parent, sizeof(parent), "%.*s", (int)len, name);
	pid = param_find(parent, &negated);
	if (pid < 0 || param_table[pid].type != PT_SYS)
		return false;
	return strcmp(val(j, (enum param_id)pid), "new") != 0;
}

static bool
is_addr_list(enum param_id id)
{
	return param_table[id].type == PT_IP4 || param_table[id].type == PT_IP6;
}

/* JSON: booleans as true/false, addresses as lists, the rest strings. */
static void
print_param_json(const struct shown *j, enum param_id id)
{
	const char *name = param_table[id].name;

	if (param_table[id].type == PT_BOOL)
		out_bool(name, strcmp(val(j, id), "true") == 0);
	else if (is_addr_list(id))
		print_addrs(name, val(j, id));
	else
		out_str(name, val(j, id));
}

/*
 * -n's "name=value": booleans bare ("persist", "nopersist"), values with
 * blanks or quotes quoted with -q/-s, an empty string as "".
 */
static char *
name_value(const struct jls *o, enum param_id id, const char *v)
{
	const char *name = param_table[id].name;
	char q = (o->pflags & PRINT_QUOTED) ? param_quote_char(v) : '\0';
	char nname[PARAM_NAME_MAX];
	char *pair = NULL;
	int n;

	if (param_table[id].type == PT_BOOL) {
		if (strcmp(v, "true") != 0)
			param_noname(name, nname, sizeof(nname));
		pair = strdup(strcmp(v, "true") == 0 ? name : nname);
		n = pair != NULL ? 0 : -1;
	} else if (*v == '\0' && ((o->pflags & PRINT_QUOTED) ||
	    param_table[id].type == PT_STRING))
		n = asprintf(&pair, "%s=\"\"", name);
	else if (q != '\0')
		n = asprintf(&pair, "%s=%c%s%c", name, q, v, q);
	else
		n = asprintf(&pair, "%s=%s", name, v);
	if (n < 0)
		err(1, "malloc");
	return pair;
}

/*
 * Text: "name=value" (-n) or the bare value.  As on FreeBSD an empty
 * string prints as "" and an empty array as - (nothing after name=).
 */
static void
print_param_text(const struct jls *o, const struct shown *j, enum param_id id)
{
	bool quote = o->pflags & PRINT_QUOTED;
	const char *v = val(j, id);

	if (o->pflags & PRINT_NAMEVAL) {
		_cleanup_free_ char *pair = name_value(o, id, v), *f = NULL;

		out_text("%s", out_vis(pair, &f));
		return;
	}
	if (*v != '\0')
		out_text_quoted(v, quote);
	else if (quote || param_table[id].type == PT_STRING)
		out_text("\"\"");	/* an empty string needs quoting */
	else
		out_text("-");		/* an empty array */
}

static void
print_params(const struct jls *o, const struct shown *j)
{
	bool spc = false;

	for (size_t i = 0; i < o->nids; i++) {
		if (skip_param(o, j, o->ids[i]))
			continue;
		if (out_is_json()) {
			print_param_json(j, o->ids[i]);
			continue;
		}
		out_text("%s", spc ? " " : "");
		spc = true;
		print_param_text(o, j, o->ids[i]);
	}
	out_text("\n");
}

static void
print_jail(const struct jls *o, const struct shown *j)
{
	out_open_instance();
	if (o->pflags & PRINT_VERBOSE)
		print_verbose(j);
	else if (o->pflags & PRINT_DEFAULT)
		print_default(o, j);
	else
		print_params(o, j);
	out_close_instance();
}

/*
 * The parameters jls asks libjail for: entry 0 is the key (lastjid, jid
 * or name), then those it prints, those the modes print and, for -s, the
 * disable/new/inherit parents skip_param reads.
 */
struct fetch {
	struct jailparam jp[P__MAX + 1];
	enum param_id ids[P__MAX];	/* ids[i]: the row of jp[i + 1] */
	unsigned n;			/* entries in jp, the key included */
};

static const enum param_id shown[] = { P_JID, P_NAME, P_DYING, P_PATH,
	P_HOST_HOSTNAME, P_IP4_ADDR, P_IP6_ADDR, P_CPUSET_ID };

static void
fetch_init(struct fetch *f, const struct jls *o)
{
	bool want[P__MAX] = { false };

	for (size_t i = 0; i < o->nids; i++)
		want[o->ids[i]] = true;
	for (size_t i = 0; i < nitems(shown); i++)
		want[shown[i]] = true;
	for (int id = 0; id < P__MAX; id++)
		if ((o->pflags & PRINT_SKIP) && param_table[id].type == PT_SYS)
			want[id] = true;
	f->n = 1;
	for (int id = 0; id < P__MAX; id++) {
		if (!want[id])
			continue;
		if (jailparam_init(&f->jp[f->n], param_table[id].name) < 0)
			out_errx(1, "%s", jail_errmsg);
		f->ids[f->n++ - 1] = (enum param_id)id;
	}
}

/*
 * The key, its value raw (never checked, never written: the key is not
 * filled in), so that -j takes any string as a name, as FreeBSD's does.
 */
static void
fetch_key(struct fetch *f, const char *name, const char *value,
    size_t size)
{
	jailparam_free(f->jp, 1);
	if (jailparam_init(&f->jp[0], name) < 0)
		out_errx(1, "%s", jail_errmsg);
	(void)jailparam_import_raw(&f->jp[0], (char *)value, size);
}

/* What libjail reported of jail jid, for the printers. */
static void
fetched(const struct fetch *f, int jid, struct shown *ret)
{
	*ret = (struct shown){ .jid = jid };
	for (unsigned i = 1; i < f->n; i++)
		ret->v[f->ids[i - 1]] = f->jp[i].jp_value;
	ret->dying = strcmp(val(ret, P_DYING), "true") == 0;
}

/* -j: one jail by jid or name; a dying one only with -d. */
static void
list_one(const struct jls *o, struct fetch *f)
{
	struct shown j;
	char *end;
	long jid = strtol(o->jail, &end, 10);
	int r;

	fetch_key(f, jid > 0 && *end == '\0' ? "jid" : "name", o->jail,
	    strlen(o->jail) + 1);
	r = jailparam_get(f->jp, f->n, o->dying ? JAIL_DYING : 0);
	if (r < 0)
		out_errx(1, "%s", jail_errmsg);
	fetched(f, r, &j);
	print_jail(o, &j);
}

/* Every jail, by lastjid as FreeBSD's jls walks them, in jid order. */
static void
list_all(const struct jls *o, struct fetch *f)
{
	char last[16] = "0";
	int r;

	fetch_key(f, "lastjid", last, sizeof(last));	/* rewritten below */
	for (;;) {
		struct shown j;

		r = jailparam_get(f->jp, f->n, o->dying ? JAIL_DYING : 0);
		if (r < 0 && errno == ENOENT)
			return;
		if (r < 0)
			out_errx(1, "%s", jail_errmsg);
		fetched(f, r, &j);
		print_jail(o, &j);
		(void)snprintf(last, sizeof(last), "%d", r);
	}
}

int
main(int argc, char **argv)
{
	struct jls o = { .pflags = 0 };
	struct fetch f = { .n = 0 };
	int ch;

	/* what the terminal prints as it is (out_vis), multibyte ones too */
	(void)setlocale(LC_CTYPE, "");
	argc = out_parse_args(argc, argv);
	out_set_version(JLS_XO_VERSION);
	opterr = 0;
	while ((ch = getopt(argc, argv, JLS_OPTS)) != -1)
		if (ch == '?')
			bad_option();
		else
			jls_opt(&o, ch, optarg);
	choose_params(&o, argc - optind, argv + optind);
	print_header(&o);
	fetch_init(&f, &o);
	out_open_container("jail-information");
	out_open_list("jail");
	if (o.jail != NULL)
		list_one(&o, &f);
	else
		list_all(&o, &f);
	jailparam_free(f.jp, f.n);
	out_close_list();
	out_close_container();
	out_finish();
	return 0;
}
