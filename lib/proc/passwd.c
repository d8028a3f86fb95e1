// SPDX-License-Identifier: BSD-2-Clause
/*
 * passwd.c: users and groups for commands run in a jail.
 *
 * A jail's etc/passwd and etc/group are read as plain files, resolved
 * inside the jail's root (openat2 RESOLVE_IN_ROOT), never through NSS:
 * NSS would load modules named by the jail's own nsswitch.conf into a
 * privileged host process.  The host's users (jexec -u) come from the
 * host's NSS as FreeBSD's getpwnam(3) would.  Never changes credentials.
 */
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "proc/proc.h"

void
jail_user_free(struct jail_user *u)
{
	free(u->name);
	free(u->dir);
	free(u->shell);
	free(u->groups);
	memset(u, 0, sizeof(*u));
}

/* Open a regular file beneath the jail's root; FIFOs and devices refused. */
static int
open_file_in_root(int rootfd, const char *path, FILE **ret)
{
	struct stat st;
	int fd;

	fd = open_in_root(rootfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		(void)close(fd);
		return -EINVAL;
	}
	*ret = fdopen(fd, "re");
	if (*ret == NULL) {
		(void)close(fd);
		return -ENOMEM;
	}
	return 0;
}

/* Split line on ':' into at most n fields; returns how many. */
static size_t
split_colon(char *line, char **f, size_t n)
{
	size_t k = 0;

	line[strcspn(line, "\n")] = '\0';
	while (k < n) {
		f[k++] = line;
		line = strchr(line, ':');
		if (line == NULL)
			break;
		*line++ = '\0';
	}
	return k;
}

static int
parse_id(const char *s, unsigned *ret)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v > 0xfffffffeUL)
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

static int
find_passwd(FILE *f, const char *name, struct jail_user *u)
{
	char line[4096], *fl[7];

	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned uid, gid;

		if (split_colon(line, fl, 7) != 7 || strcmp(fl[0], name) != 0)
			continue;
		if (parse_id(fl[2], &uid) < 0 || parse_id(fl[3], &gid) < 0)
			return -EINVAL;
		u->uid = uid;
		u->gid = gid;
		u->name = strdup(fl[0]);
		u->dir = strdup(fl[5]);
		u->shell = strdup(*fl[6] != '\0' ? fl[6] : "/bin/sh");
		return u->name && u->dir && u->shell ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

static int
add_group(struct jail_user *u, gid_t g)
{
	gid_t *ng;

	for (size_t i = 0; i < u->ngroups; i++)
		if (u->groups[i] == g)
			return 0;
	ng = realloc(u->groups, (u->ngroups + 1) * sizeof(*ng));
	if (ng == NULL)
		return -ENOMEM;
	u->groups = ng;
	u->groups[u->ngroups++] = g;
	return 0;
}

static bool
is_member(char *members, const char *name)
{
	char *save = NULL;

	for (char *m = strtok_r(members, ",", &save); m != NULL;
	     m = strtok_r(NULL, ",", &save))
		if (strcmp(m, name) == 0)
			return true;
	return false;
}

/* The primary group plus every group listing the user as a member. */
static int
find_groups(FILE *f, struct jail_user *u)
{
	char line[65536], *fl[4];
	int r = add_group(u, u->gid);

	while (r >= 0 && f != NULL && fgets(line, sizeof(line), f) != NULL) {
		unsigned gid;

		if (split_colon(line, fl, 4) != 4 || parse_id(fl[2], &gid) < 0)
			continue;
		if (is_member(fl[3], u->name))
			r = add_group(u, gid);
	}
	return r;
}

/* Look a user up in the etc/passwd and etc/group beneath rootfd. */
int
passwd_lookup_in(int rootfd, const char *name, struct jail_user *ret)
{
	_cleanup_fclose_ FILE *pw = NULL, *gr = NULL;
	struct jail_user u = { 0 };
	int r;

	r = open_file_in_root(rootfd, "etc/passwd", &pw);
	if (r < 0)
		return jail_syserr(r, "/etc/passwd in jail");
	r = find_passwd(pw, name, &u);
	if (r == -ENOENT)
		return jail_seterr(r, "%s: no such user", name);
	if (r < 0) {
		jail_user_free(&u);
		return jail_syserr(r, "/etc/passwd in jail: %s", name);
	}
	(void)open_file_in_root(rootfd, "etc/group", &gr);
	r = find_groups(gr, &u);
	if (r < 0) {
		jail_user_free(&u);
		return jail_syserr(r, "/etc/group in jail");
	}
	*ret = u;
	return 0;
}

/* Look a user up in a running jail, through its init's view of "/". */
int
passwd_lookup_jail(const struct jail *j, const char *name,
    struct jail_user *ret)
{
	_cleanup_close_ int rootfd = jail_root_open(j);

	if (rootfd < 0)
		return jail_syserr(rootfd, "jail root");
	return passwd_lookup_in(rootfd, name, ret);
}

/* Look a user up on the host, with its groups, as getpwnam(3) does. */
int
passwd_lookup_host(const char *name, struct jail_user *ret)
{
	struct jail_user u = { 0 };
	struct passwd *pw;
	int n = 64;

	errno = 0;
	pw = getpwnam(name);
	if (pw == NULL)
		return errno != 0 ? jail_syserr(-errno, "getpwnam: %s", name)
				  : jail_seterr(-ENOENT, "%s: no such user", name);
	u.uid = pw->pw_uid;
	u.gid = pw->pw_gid;
	u.name = strdup(pw->pw_name);
	u.dir = strdup(pw->pw_dir);
	u.shell = strdup(*pw->pw_shell != '\0' ? pw->pw_shell : "/bin/sh");
	u.groups = calloc((size_t)n, sizeof(gid_t));
	if (!u.name || !u.dir || !u.shell || !u.groups ||
	    getgrouplist(name, u.gid, u.groups, &n) < 0) {
		jail_user_free(&u);
		return jail_seterr(-ENOMEM, "getgrouplist: %s", name);
	}
	u.ngroups = (size_t)n;
	*ret = u;
	return 0;
}
