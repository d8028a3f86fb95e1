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

#include "jail-int.h"
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

static const char *
str_or_empty(const struct jail *j, enum param_id id)
{
	const char *s = param_str(&j->params, id);

	return s != NULL ? s : "";
}

/* The first address of ip4.addr, as the kernel would hold it. */
static void
first_ip4(const struct jail *j, char *buf, size_t size)
{
	const struct strv *l = param_list(&j->params, P_IP4_ADDR);
	const char *a = l != NULL && l->n > 0 ? l->v[0] : "";
	const char *bar = strchr(a, '|');

	if (bar != NULL)		/* "iface|addr/mask" in jail(8) */
		a = bar + 1;
	(void)snprintf(buf, size, "%.*s", (int)strcspn(a, "/ "), a);
}

static void
print_default(const struct jls *o, const struct jail *j)
{
	const char *host = str_or_empty(j, P_HOST_HOSTNAME);
	const char *path = str_or_empty(j, P_PATH);
	_cleanup_free_ char *fn = NULL, *fi = NULL, *fh = NULL, *fp = NULL;
	char ip[64];

	first_ip4(j, ip, sizeof(ip));
	if (o->pflags & PRINT_JAIL_NAME) {
		out_text(" %-15s ", out_vis(jail_name(j), &fn));
		out_str("name", jail_name(j));
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
print_addrs(const char *list, const struct strv *l)
{
	out_open_list(list);
	for (size_t i = 0; l != NULL && i < l->n; i++) {
		_cleanup_free_ char *f = NULL;

		out_text("        %s\n", out_vis(l->v[i], &f));
		out_leaf(l->v[i]);
	}
	out_close_list();
}

static void
print_verbose(const struct jail *j)
{
	const char *host = str_or_empty(j, P_HOST_HOSTNAME);
	const char *path = str_or_empty(j, P_PATH);
	const char *state = j->state == JS_DYING ? "DYING" : "ACTIVE";
	int cpuset = (int)param_int(&j->params, P_CPUSET_ID);
	_cleanup_free_ char *fh = NULL, *fp = NULL, *fn = NULL;

	out_text("%6d  %-29.29s %.74s\n", j->jid, out_vis(host, &fh),
	    out_vis(path, &fp));
	out_int("jid", j->jid);
	out_str("hostname", host);
	out_str("path", path);
	out_text("        %-29.29s %.74s\n", out_vis(jail_name(j), &fn),
	    state);
	out_str("name", jail_name(j));
	out_str("state", state);
	out_text("        %d\n", cpuset);
	out_int("cpusetid", cpuset);
	print_addrs("ipv4_addrs", param_list(&j->params, P_IP4_ADDR));
	print_addrs("ipv6_addrs", param_list(&j->params, P_IP6_ADDR));
}

/*
 * -s prints what jail -c could take back: no read-only parameter, and
 * none below a disable/new/inherit parent that is not "new" (FreeBSD).
 */
static bool
skip_param(const struct jls *o, const struct jail *j, enum param_id id)
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
	return param_int(&j->params, (enum param_id)pid) != JAIL_SYS_NEW;
}

static bool
is_addr_list(enum param_id id)
{
	return param_table[id].type == PT_IP4 || param_table[id].type == PT_IP6;
}

/* JSON: booleans as true/false, addresses as lists, the rest strings. */
static void
print_param_json(const struct jail *j, enum param_id id)
{
	const char *name = param_table[id].name;
	_cleanup_free_ char *v = NULL;

	if (param_table[id].type == PT_BOOL) {
		out_bool(name, param_bool(&j->params, id));
		return;
	}
	if (is_addr_list(id)) {
		print_addrs(name, param_list(&j->params, id));
		return;
	}
	if (param_export(&j->params, id, &v) < 0)
		out_errx(1, "%s", jail_errmsg);
	out_str(name, v);
}

/*
 * Text: "name=value" (-n) or the bare value.  As on FreeBSD an empty
 * string prints as "" and an empty array as - (nothing after name=).
 */
static void
print_param_text(const struct jls *o, const struct jail *j, enum param_id id)
{
	bool quote = o->pflags & PRINT_QUOTED;
	_cleanup_free_ char *v = NULL;

	if (o->pflags & PRINT_NAMEVAL) {
		_cleanup_free_ char *f = NULL;

		if (param_export_pair(&j->params, id, quote, &v) < 0)
			out_errx(1, "%s", jail_errmsg);
		out_text("%s", out_vis(v, &f));
		return;
	}
	if (param_table[id].type == PT_BOOL)
		v = strdup(param_bool(&j->params, id) ? "true" : "false");
	else if (param_export(&j->params, id, &v) < 0)
		out_errx(1, "%s", jail_errmsg);
	if (v == NULL)
		err(1, "malloc");
	if (*v != '\0')
		out_text_quoted(v, quote);
	else if (quote || param_table[id].type == PT_STRING)
		out_text("\"\"");	/* an empty string needs quoting */
	else
		out_text("-");		/* an empty array */
}

static void
print_params(const struct jls *o, const struct jail *j)
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
print_jail(const struct jls *o, struct jail *j)
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
fetch_key(struct fetch *f, const char *name, const char *value)
{
	jailparam_free(f->jp, 1);
	if (jailparam_init(&f->jp[0], name) < 0)
		out_errx(1, "%s", jail_errmsg);
	(void)jailparam_import_raw(&f->jp[0], (char *)value,
	    strlen(value) + 1);
}

/*
 * One value as jailparam_export gave it, back into a parameter set for
 * the printers: strings and lists as they are, the rest parsed.  An
 * empty non-list value is one with no default: left unset, it prints
 * empty again.
 */
static int
import_shown(struct jail_params *p, enum param_id id, const char *v)
{
	enum param_type t = param_table[id].type;
	struct strv *l = &p->v[id].l;
	char *e;

	if (t == PT_STRING) {
		p->v[id].s = strdup(v);
		p->v[id].set = p->v[id].s != NULL;
		return p->v[id].s != NULL ? 0 : -ENOMEM;
	}
	if (t != PT_IP4 && t != PT_IP6 && t != PT_LIST && t != PT_ARGV)
		return *v != '\0' ? param_import_value(p, id, v, false, false)
				  : 0;
	p->v[id].set = true;
	for (const char *s = v; *s != '\0'; s = e + (*e != '\0')) {
		e = t == PT_IP4 || t == PT_IP6 ? strchrnul(s, ',')
					       : strchr(s, '\0');
		_cleanup_free_ char *one = strndup(s, (size_t)(e - s));

		if (one == NULL || strv_push(l, one) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* A jail as libjail reported it, in the form the printers take. */
static struct jail *
fetched_jail(const struct fetch *f, int jid)
{
	struct jail *j = jail_new();

	if (j == NULL)
		err(1, "malloc");
	j->jid = jid;
	j->state = JS_ACTIVE;
	for (unsigned i = 1; i < f->n; i++) {
		const char *v = f->jp[i].jp_value != NULL ? f->jp[i].jp_value
							  : "";

		if (import_shown(&j->params, f->ids[i - 1], v) < 0)
			out_errx(1, "%s", jail_errmsg);
	}
	if (param_bool(&j->params, P_DYING))
		j->state = JS_DYING;
	return j;
}

/* -j: one jail by jid or name; a dying one only with -d. */
static void
list_one(const struct jls *o, struct fetch *f)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	char *end;
	long jid = strtol(o->jail, &end, 10);
	int r;

	fetch_key(f, jid > 0 && *end == '\0' ? "jid" : "name", o->jail);
	r = jailparam_get(f->jp, f->n, o->dying ? JAIL_DYING : 0);
	if (r < 0)
		out_errx(1, "%s", jail_errmsg);
	j = fetched_jail(f, r);
	print_jail(o, j);
}

/* Every jail, by lastjid as FreeBSD's jls walks them, in jid order. */
static void
list_all(const struct jls *o, struct fetch *f)
{
	char last[16] = "0";
	int r;

	for (;;) {
		_cleanup_(jail_freep) struct jail *j = NULL;

		fetch_key(f, "lastjid", last);
		r = jailparam_get(f->jp, f->n, o->dying ? JAIL_DYING : 0);
		if (r < 0 && errno == ENOENT)
			return;
		if (r < 0)
			out_errx(1, "%s", jail_errmsg);
		j = fetched_jail(f, r);
		print_jail(o, j);
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
