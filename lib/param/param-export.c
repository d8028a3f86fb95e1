// SPDX-License-Identifier: BSD-2-Clause
/*
 * param-export.c: parameter values going out: jls's printed forms, the
 * "not supported yet" check, and the state directory's params file.
 *
 * Parses nothing itself (values come back in through param_import_value);
 * the file format written here is read by params_load alone.  Never
 * prints, never exits.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "param/param.h"
#include "param-int.h"

typedef int export_fn(const struct pval *pv, char **ret);

static int
export_bool(const struct pval *pv, char **ret)
{
	*ret = strdup(pv->i ? "true" : "false");
	return *ret == NULL ? param_oom() : 0;
}

static int
export_int(const struct pval *pv, char **ret)
{
	if (asprintf(ret, "%lld", pv->i) < 0)
		return param_oom();
	return 0;
}

static int
export_sys(const struct pval *pv, char **ret)
{
	if (pv->i >= 0 && pv->i < (long long)nitems(param_jailsys_names)) {
		*ret = strdup(param_jailsys_names[pv->i]);
		return *ret == NULL ? param_oom() : 0;
	}
	return export_int(pv, ret);
}

static int
export_string(const struct pval *pv, char **ret)
{
	*ret = strdup(pv->s);
	return *ret == NULL ? param_oom() : 0;
}

/* Join a list with sep: ',' as jls prints arrays, ' ' for a command. */
static int
join(const struct strv *l, char sep, char **ret)
{
	size_t len = 1;
	char *s, *q;

	for (size_t i = 0; i < l->n; i++)
		len += strlen(l->v[i]) + 1;
	s = q = malloc(len);
	if (s == NULL)
		return param_oom();
	*q = '\0';
	for (size_t i = 0; i < l->n; i++)
		q = stpcpy(stpcpy(q, i > 0 ? (char[]) { sep, '\0' } : ""),
		    l->v[i]);
	*ret = s;
	return 0;
}

static int
export_list(const struct pval *pv, char **ret)
{
	return join(&pv->l, ',', ret);
}

static int
export_argv(const struct pval *pv, char **ret)
{
	return join(&pv->l, ' ', ret);
}

static export_fn *const exporters[PT__MAX] = {
	[PT_BOOL] = export_bool,
	[PT_INT] = export_int,
	[PT_STRING] = export_string,
	[PT_LIST] = export_list,
	[PT_ARGV] = export_argv,
	[PT_SYS] = export_sys,
	[PT_IP4] = export_list,
	[PT_IP6] = export_list,
};

/* Print a value as jls does; an unset row prints its default or "". */
int
param_export(const struct jail_params *p, enum param_id id, char **ret)
{
	const char *def = param_table[id].def;
	struct jail_params tmp = { 0 };
	int r;

	assert(id >= 0 && id < P__MAX);
	if (p != NULL && p->v[id].set)
		return exporters[param_table[id].type](&p->v[id], ret);
	if (def == NULL) {
		*ret = strdup("");
		return *ret == NULL ? param_oom() : 0;
	}
	r = param_import_value(&tmp, id, def, false, false);
	if (r >= 0)
		r = exporters[param_table[id].type](&tmp.v[id], ret);
	params_free(&tmp);
	return r;
}

/* jls's quote for a value: ' inside wants ", " wants ', blanks want ". */
char
param_quote_char(const char *v)
{
	if (strchr(v, '\'') != NULL)
		return '"';
	if (strchr(v, '"') != NULL)
		return '\'';
	if (strchr(v, ' ') != NULL || strchr(v, '\t') != NULL)
		return '"';
	return '\0';
}

/* The "name=value" of jls -n; quoted as jls -q/-s; empty as jls does. */
static int
format_pair(enum param_id id, const char *v, bool quote, char **ret)
{
	const char *name = param_table[id].name;
	char q = quote ? param_quote_char(v) : '\0';
	int n;

	if (*v == '\0' && (quote || param_table[id].type == PT_STRING))
		n = asprintf(ret, "%s=\"\"", name);
	else if (q != '\0')
		n = asprintf(ret, "%s=%c%s%c", name, q, v, q);
	else
		n = asprintf(ret, "%s=%s", name, v);
	return n < 0 ? param_oom() : 0;
}

/* One parameter as jls -n prints it: "name=value", "name" or "noname". */
int
param_export_pair(const struct jail_params *p, enum param_id id, bool quote,
    char **ret)
{
	_cleanup_free_ char *v = NULL;
	char nname[PARAM_NAME_MAX];
	int r;

	if (param_table[id].type == PT_BOOL) {
		if (param_bool(p, id))
			*ret = strdup(param_table[id].name);
		else {
			param_noname(param_table[id].name, nname,
			    sizeof(nname));
			*ret = strdup(nname);
		}
		return *ret == NULL ? param_oom() : 0;
	}
	r = param_export(p, id, &v);
	if (r < 0)
		return r;
	return format_pair(id, v, quote, ret);
}

/* Whether a set value prints the same as the row's default. */
static int
value_is_default(const struct jail_params *p, enum param_id id, char **ret)
{
	_cleanup_free_ char *def = NULL;
	int r;

	r = param_export(p, id, ret);
	if (r >= 0)
		r = param_export(NULL, id, &def);
	if (r < 0)
		return r;
	return *ret != NULL && def != NULL && strcmp(*ret, def) == 0;
}

/* Refuse one set row that gaol cannot honour yet. */
static int
check_row(const struct jail_params *p, enum param_id id)
{
	const struct param_def *d = &param_table[id];
	_cleanup_free_ char *v = NULL;
	int r;

	if (d->flags & PF_RDONLY)
		return jail_seterr(-EINVAL, "\"%s\": read-only parameter",
		    d->name);
	r = value_is_default(p, id, &v);
	if (r < 0)
		return r;
	if (!(d->flags & PF_IMPL) && r == 0)
		return jail_seterr(-EOPNOTSUPP, "\"%s\": not supported yet",
		    d->name);
	if (!(d->flags & PF_IMPL) || d->only == NULL || strcmp(v, d->only) == 0)
		return 0;
	if (d->why == NULL)
		return jail_seterr(-EOPNOTSUPP, "\"%s=%s\": not supported yet",
		    d->name, v);
	/* a refusal for good: say why, so nobody waits for it to come */
	if (d->type == PT_BOOL)
		return jail_seterr(-EOPNOTSUPP, "%s: not supported: %s",
		    d->name, d->why);
	return jail_seterr(-EOPNOTSUPP, "%s=%s: not supported: %s", d->name,
	    v, d->why);
}

/* Refuse the first set row that is read-only or not implemented yet. */
int
param_check_supported(const struct jail_params *p)
{
	int r;

	for (int id = 0; id < P__MAX; id++) {
		if (!p->v[id].set)
			continue;
		r = check_row(p, id);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Write s with \, tab and newline escaped, so one value is one line. */
static void
put_escaped(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
}

/* One row: "name\tvalue", a line per list element, "name" if empty. */
static int
save_row(FILE *f, const struct jail_params *p, enum param_id id)
{
	const char *name = param_table[id].name;
	_cleanup_free_ char *v = NULL;
	const struct strv *l;
	int r;

	if (!param_type_is_list(param_table[id].type)) {
		r = param_export(p, id, &v);
		if (r < 0)
			return r;
		fprintf(f, "%s\t", name);
		put_escaped(f, v);
		fputc('\n', f);
		return 0;
	}
	l = param_list(p, id);
	if (l->n == 0)
		fprintf(f, "%s\n", name);
	for (size_t i = 0; i < l->n; i++) {
		fprintf(f, "%s\t", name);
		put_escaped(f, l->v[i]);
		fputc('\n', f);
	}
	return 0;
}

/*
 * Every set row, as params_load reads them, in a new string (*ret, of
 * *ret_len bytes, NUL-terminated), which the caller frees.
 */
int
params_save(const struct jail_params *p, char **ret, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int r = 0;

	f = open_memstream(&buf, &len);
	if (f == NULL)
		return param_oom();
	for (int id = 0; r >= 0 && id < P__MAX; id++)
		if (p->v[id].set)
			r = save_row(f, p, id);
	if (fclose(f) != 0 && r >= 0)
		r = param_oom();
	if (r < 0) {
		free(buf);
		return r;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

/*
 * Undo put_escaped on s[0..len): into buf (size bytes) when it fits, else
 * into a new string; *ret is the one used (the caller frees it if it is
 * not buf).  Every jls decodes every line of every jail: no malloc then.
 */
static int
unescape(const char *s, size_t len, char *buf, size_t size, char **ret)
{
	char *out = len < size ? buf : malloc(len + 1), *q = out;

	if (out == NULL)
		return param_oom();
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\\') {
			*q++ = s[i];
			continue;
		}
		if (++i == len || strchr("\\tn", s[i]) == NULL) {
			if (out != buf)
				free(out);
			return jail_seterr(-EINVAL, "bad escape in value");
		}
		*q++ = s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : '\\';
	}
	*q = '\0';
	*ret = out;
	return 0;
}

static int
load_elem(struct jail_params *p, enum param_id id, const char *v, bool *seen)
{
	if (!*seen) {
		param_clear(p, id);
		p->v[id].set = true;
		*seen = true;
	}
	return v == NULL ? 0 : strv_push(&p->v[id].l, v);
}

/* Parse one "name[\tvalue]" line of a params file into p. */
static int
load_line(struct jail_params *p, const char *line, size_t len, bool *seen)
{
	const char *tab = memchr(line, '\t', len);
	size_t nlen = tab == NULL ? len : (size_t)(tab - line);
	char name[PARAM_NAME_MAX], vbuf[512], *v = NULL;
	bool negated;
	int id, r;

	if (nlen >= sizeof(name))
		return jail_seterr(-ENOENT, "unknown parameter: %.*s",
		    (int)nlen, line);
	memcpy(name, line, nlen);
	name[nlen] = '\0';
	id = param_find(name, &negated);
	if (id >= 0 && negated)
		id = jail_seterr(-ENOENT, "unknown parameter: %s", name);
	if (id < 0)
		return id;
	if (tab != NULL) {
		r = unescape(tab + 1, len - (size_t)(tab + 1 - line), vbuf,
		    sizeof(vbuf), &v);
		if (r < 0)
			return r;
	}
	if (param_type_is_list(param_table[id].type))
		r = load_elem(p, id, v, &seen[id]);
	else if (v == NULL)
		r = jail_seterr(-EINVAL, "%s: missing value", name);
	else
		r = param_import_value(p, id, v, false, false);
	if (v != vbuf)
		free(v);
	return r;
}

/* Read the len bytes at buf, as params_save wrote them, into p. */
int
params_load(struct jail_params *p, const char *buf, size_t len)
{
	const char *end = buf + len, *nl;
	bool seen[P__MAX] = { false };
	unsigned lineno = 0;
	int r;

	for (const char *line = buf; line < end; line = nl + (nl < end)) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		lineno++;
		if (nl == line)
			continue;
		r = load_line(p, line, (size_t)(nl - line), seen);
		if (r < 0)
			return jail_errctx(r, "params line %u", lineno);
	}
	return 0;
}
