// SPDX-License-Identifier: BSD-2-Clause
/*
 * entry-format.c: an entry's text, and the jail it describes.
 *
 * An entry's "state" file holds its status line, then the jail's
 * parameters (params_save format):
 *   "STATE PID STARTTIME CGROUP TOKEN ino=INO [lock]
 *    [spawner=SPID:SSTART:SINO] [lent=LENT] [CTRL=DIR ...]"
 * PID is the jail's init (active, dying) or its creator (creating);
 * STARTTIME and INO (its pidfs inode, or 0) tell it from a later process
 * with its pid (struct proc_ref); CGROUP is the path below the cgroup2
 * mount, or "-"; TOKEN authenticates requests to init (init.c); SPID,
 * SSTART and SINO name the jail's spawner, which forks every command
 * entering it (spawn.c); each CTRL=DIR is a v1 cgroup of the jail, CTRL
 * the controller's v1 name (cgroup.c makes them); LENT is how the
 * interfaces of vnet.interface were known when the jail was lent them,
 * "IFINDEX:KIND,..." in their order (vnet.c); "lock": the entry is
 * live while its directory is locked (lock.c), not merely while PID runs.
 * Words a reader does not know are skipped, so that a newer gaol may add
 * some.
 *
 * Owns that format both ways and the jail object it fills.  Pure: reads
 * and writes no file.
 */
#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry-int.h"

const char *const jail_state_names[JS__MAX] = {
	[JS_CREATING] = "creating",
	[JS_ACTIVE] = "active",
	[JS_DYING] = "dying",
};

/* The controllers' names in cgroup v1: the CTRL of "CTRL=DIR". */
static const char *const ctrl_v1[CG__MAX] = {
	[CG_MEMORY] = "memory", [CG_PIDS] = "pids", [CG_CPU] = "cpu",
	[CG_CPUACCT] = "cpuacct", [CG_IO] = "blkio", [CG_DEVICES] = "devices",
};

const char *
cg_v1_name(enum cg_ctrl c)
{
	return ctrl_v1[c];
}

struct jail *
jail_new(void)
{
	struct jail *j = calloc(1, sizeof(*j));

	if (j != NULL)
		j->initsock = j->pidfd = j->lockfd = -1;
	return j;
}

void
jail_free(struct jail *j)
{
	if (j == NULL)
		return;
	params_free(&j->params);
	free(j->cgroup);
	free(j->lent);
	for (int c = 0; c < CG__MAX; c++)
		free(j->cgv1[c]);
	if (j->initsock >= 0)
		(void)close(j->initsock);
	if (j->lockfd >= 0)
		(void)close(j->lockfd);
	if (j->pidfd >= 0)
		(void)close(j->pidfd);
	free(j);
}

void
jail_freep(struct jail **j)
{
	jail_free(*j);
}

/* The jail's name; FreeBSD's default name is the jid. */
const char *
jail_name(const struct jail *j)
{
	const char *n = param_str(&j->params, P_NAME);

	return n != NULL && *n != '\0' ? n : "";
}

/*
 * The next blank-separated word at *s (length *len), or NULL at the end
 * of the string or of its line.
 */
const char *
next_word(const char **s, size_t *len)
{
	const char *w = *s + strspn(*s, " ");

	*len = strcspn(w, " \n");
	*s = w + *len;
	return *len > 0 ? w : NULL;
}

/* An unsigned number filling the word w, in base; false if it is not. */
static bool
word_num(const char *w, size_t len, int base, unsigned long long *ret)
{
	char *end;

	if (w == NULL || !isxdigit((unsigned char)*w))
		return false;
	errno = 0;
	*ret = strtoull(w, &end, base);
	return errno == 0 && end == w + len;
}

/* "SPID:SSTART:SINO" (SINO missing before pidfs inodes were recorded). */
static bool
parse_spawner(const char *w, struct proc_ref *ret)
{
	unsigned long long pid, ino = 0;
	char *end;

	errno = 0;
	pid = strtoull(w, &end, 10);
	if (errno != 0 || *end != ':' || pid == 0 || pid > INT_MAX)
		return false;
	ret->start = strtoull(end + 1, &end, 10);
	if (*end == ':')
		ino = strtoull(end + 1, &end, 10);
	if (errno != 0 || (*end != ' ' && *end != '\n' && *end != '\0'))
		return false;
	ret->pid = (pid_t)pid;
	ret->ino = ino;
	return true;
}

/* The v1 cgroup dirs: " CTRL=DIR" per controller the jail has one of. */
static int
cg_v1_format(const struct jail *j, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int c = 0; c < CG__MAX; c++) {
		if (j->cgv1[c] == NULL)
			continue;
		n += (size_t)snprintf(buf + n, len - n, " %s=%s", ctrl_v1[c],
		    j->cgv1[c]);
		if (n >= len)
			return -ENAMETOOLONG;
	}
	return 0;
}

/* Take one word "CTRL=DIR" of what cg_v1_format wrote (others: 0). */
static int
cg_v1_parse(struct jail *j, const char *word, size_t len)
{
	const char *eq = memchr(word, '=', len);

	if (eq == NULL)
		return 0;
	for (int c = 0; c < CG__MAX; c++)
		if (strlen(ctrl_v1[c]) == (size_t)(eq - word) &&
		    memcmp(word, ctrl_v1[c], (size_t)(eq - word)) == 0 &&
		    j->cgv1[c] == NULL &&
		    (j->cgv1[c] = strndup(eq + 1, len - (size_t)(eq + 1 - word)))
		    == NULL)
			return -ENOMEM;
	return 0;
}

/* The words after TOKEN: ino=, lock, spawner=, lent= and v1 cgroups. */
static int
parse_tail(struct jail *j, const char *s, bool paths)
{
	unsigned long long ino;
	const char *w;
	size_t len;
	int r;

	while ((w = next_word(&s, &len)) != NULL) {
		if (len > 4 && memcmp(w, "ino=", 4) == 0 &&
		    word_num(w + 4, len - 4, 10, &ino))
			j->init.ino = ino;
		else if (len == 4 && memcmp(w, "lock", 4) == 0)
			j->locked = true;
		else if (len > 8 && memcmp(w, "spawner=", 8) == 0)
			(void)parse_spawner(w + 8, &j->spawner);
		else if (paths && len > 5 && memcmp(w, "lent=", 5) == 0) {
			free(j->lent);
			if ((j->lent = strndup(w + 5, len - 5)) == NULL)
				return -ENOMEM;
		}
		else if (paths && (r = cg_v1_parse(j, w, len)) < 0)
			return r;
	}
	return 0;
}

/*
 * The status line (see the top of this file), by hand: every jls parses
 * one per jail.  Without paths, the cgroup paths are skipped and nothing
 * is allocated: what tells whether the entry is live (entry_check).
 * -EBADMSG if it is garbled.
 */
int
entry_status(struct jail *j, const char *s, bool paths)
{
	const char *w, *cg;
	unsigned long long pid, token;
	size_t len, cglen;

	w = next_word(&s, &len);
	j->state = JS__INVALID;
	for (int i = 0; w != NULL && i < JS__MAX; i++)
		if (strlen(jail_state_names[i]) == len &&
		    memcmp(w, jail_state_names[i], len) == 0)
			j->state = i;
	w = next_word(&s, &len);
	if (j->state == JS__INVALID || !word_num(w, len, 10, &pid) ||
	    pid == 0 || pid > INT_MAX)
		return -EBADMSG;
	j->init.pid = (pid_t)pid;
	w = next_word(&s, &len);
	if (!word_num(w, len, 10, &j->init.start))
		return -EBADMSG;
	cg = next_word(&s, &cglen);
	w = next_word(&s, &len);
	if (cg == NULL || w == NULL)
		return -EBADMSG;
	if (len == 1 && *w == '-')
		token = 0;	/* the list's copy: the entry's file has it */
	else if (!word_num(w, len, 16, &token))
		return -EBADMSG;
	j->token = token;
	if (paths && (cglen != 1 || *cg != '-') &&
	    (j->cgroup = strndup(cg, cglen)) == NULL)
		return -ENOMEM;
	return parse_tail(j, s, paths);
}

/*
 * An entry's whole text for jail j: its status line, then its
 * parameters.  Sets the message.
 */
int
entry_format(const struct jail *j, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *params = NULL;
	char v1[CG__MAX * (PATH_MAX + 16)];
	char status[sizeof(v1) + (size_t)PATH_MAX * 2 + 128], sp[64] = "";
	size_t plen, n;
	char *text;
	int r;

	if (cg_v1_format(j, v1, sizeof(v1)) < 0)
		return jail_seterr(-ENAMETOOLONG, "cgroup paths too long");
	if (j->spawner.pid > 0)
		(void)snprintf(sp, sizeof(sp), " spawner=%d:%llu:%" PRIu64,
		    (int)j->spawner.pid, j->spawner.start, j->spawner.ino);
	n = (size_t)snprintf(status, sizeof(status), "%s %d %llu %s %" PRIx64
	    " ino=%" PRIu64 "%s%s%s%s%s\n", jail_state_names[j->state],
	    (int)j->init.pid, j->init.start, j->cgroup != NULL ? j->cgroup
	    : "-", j->token, j->init.ino, j->locked ? " lock" : "", sp,
	    j->lent != NULL && *j->lent != '\0' ? " lent=" : "",
	    j->lent != NULL ? j->lent : "",
	    v1);
	if (n >= sizeof(status))
		return jail_seterr(-ENAMETOOLONG, "%s/%d: status too long",
		    registry_dir(), j->jid);
	r = params_save(&j->params, &params, &plen);
	if (r < 0)
		return r;
	text = malloc(n + plen);
	if (text == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	memcpy(text, status, n);
	memcpy(text + n, params, plen);
	*ret = text;
	*ret_len = n + plen;
	return 0;
}

/*
 * The names a jailed root gave its jail (allow.set_hostname): init
 * records them in "uts" beside the state file (uts.c), "HOSTNAME\n
 * DOMAINNAME\n", and they are the jail's host.hostname and
 * host.domainname from then on.  text is left as it was: an entry may be
 * parsed twice.
 */
static void
uts_apply(const char *text, struct jail_params *p)
{
	char host[256], dom[256];
	size_t hl = strcspn(text, "\n"), dl;

	if (text[hl] != '\n' || hl >= sizeof(host))
		return;
	dl = strcspn(text + hl + 1, "\n");
	if (dl >= sizeof(dom))
		return;
	memcpy(host, text, hl);
	host[hl] = '\0';
	memcpy(dom, text + hl + 1, dl);
	dom[dl] = '\0';
	/* a name the parameters refuse leaves the parameter as it was */
	if (param_import_value(p, P_HOST_HOSTNAME, host, false, false) >= 0)
		(void)param_import_value(p, P_HOST_DOMAINNAME, dom, false,
		    false);
}

/*
 * The jail of an entry entry_check checked, into j (new, from jail_new);
 * a dead one (e->gone) comes out dying and gone.
 */
int
entry_parse(const struct entry_ref *e, struct jail *j)
{
	const char *params = (const char *)memchr(e->text, '\n', e->len) + 1;
	int r;

	j->jid = e->jid;
	r = entry_status(j, e->text, true);
	if (r >= 0)
		r = params_load(&j->params, params,
		    e->len - (size_t)(params - e->text));
	if (r < 0)
		return r;
	if (e->uts != NULL)
		uts_apply(e->uts, &j->params);
	if (e->gone) {
		j->state = JS_DYING;
		j->gone = true;
	}
	return 0;
}
