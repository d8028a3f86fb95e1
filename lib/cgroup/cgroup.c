// SPDX-License-Identifier: BSD-2-Clause
/*
 * cgroup.c: one cgroup per jail, in the cgroup2 hierarchy, created beneath
 * the cgroup of the process that creates the jail (never elsewhere), and
 * for each controller rctl needs (memory, pids, cpu, cpuacct, io) that
 * cgroup2 cannot give the jail, one "jail.JID" beneath the creator's
 * cgroup in that controller's v1 hierarchy (hybrid hosts).  The v1
 * devices controller, where mounted, always gets one: cgroup2 has no
 * devices controller, and devctl.c enforces the jail's devices in both.
 *
 * With cgroup.parent the jails go beneath that cgroup instead: an
 * absolute path counts from each hierarchy's root, a relative one from
 * the creator's cgroup; what is missing of it is made (and left, as a
 * systemd slice is: it holds no process and may hold the admin's
 * settings).
 *
 * Owns finding the hierarchies, choosing per controller (cg_dir: the one
 * code path deciding v2 or v1), creating and removing the cgroups.  Where
 * no cgroup2 hierarchy is mounted a jail simply has no cgroup2 one: its
 * pid namespace still bounds it.  Never moves a process that is not being
 * born into the jail (CLONE_INTO_CGROUP and cg_join_v1 do that), and never
 * changes a cgroup's settings except enabling controllers in the
 * subtree_control of the creator's own cgroup and of cgroup.parent's
 * (never the hierarchy's root).
 */
#include <fcntl.h>
#include <limits.h>
#include <linux/bpf.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"

/* A /proc file of this process, whole, NUL-terminated; NULL: errno. */
static char *
proc_text(const char *path)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t cap = 0, n = 0, got;

	if (f == NULL)
		return NULL;
	do {
		char *t;

		if (n + 4096 > cap) {
			cap = cap * 2 + 8192;
			t = realloc(text, cap);
			if (t == NULL) {
				free(text);
				return NULL;
			}
			text = t;
		}
		got = fread(text + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	text[n] = '\0';
	return text;
}

/*
 * The cgroup2 mount point from mountinfo (field 5 before " - cgroup2 "),
 * looked up once per process: it is on every jail's start and stop path.
 * Only ever called from the host's mount namespace.
 */
static char cg2_mnt[PATH_MAX];
static int cg2_found;	/* 0 unknown, 1 found, -ENOENT none */

/* Learn it from text, this process's mountinfo (NULL: unread). */
static void
cg_mountpoint_learn(const char *text)
{
	char line[4096];

	for (const char *p = text; p != NULL && cg2_found == 0;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);

		if (n < sizeof(line)) {
			memcpy(line, p, n);
			line[n] = '\0';
			if (strstr(line, " - cgroup2 ") != NULL && sscanf(line,
			    "%*s %*s %*s %*s %4095s", cg2_mnt) == 1)
				cg2_found = 1;
		}
		p = nl != NULL ? nl + 1 : NULL;
	}
	if (cg2_found == 0 && text != NULL)
		cg2_found = -ENOENT;
}

static int
cg_mountpoint(char *buf, size_t len)
{
	if (cg2_found == 0) {
		_cleanup_free_ char *text = proc_text("/proc/self/mountinfo");

		if (text == NULL)
			return -errno;
		cg_mountpoint_learn(text);
	}
	if (cg2_found < 0)
		return cg2_found;
	(void)snprintf(buf, len, "%s", cg2_mnt);
	return 0;
}

/* This process's own cgroup2 path ("0::/path" in /proc/self/cgroup). */
static int
cg_self(const char *text, char *buf, size_t len)
{
	const char *p = text == NULL ? NULL : strstr(text, "0::");

	for (; p != NULL; p = strstr(p + 3, "0::")) {
		size_t n;

		if (p != text && p[-1] != '\n')
			continue;
		p += 3;
		n = strcspn(p, "\n");
		if (n == 1 && *p == '/')
			n = 0;
		(void)snprintf(buf, len, "%.*s", (int)n, p);
		return 0;
	}
	return -ENOENT;
}

static int
cg_fullpath(const char *path, char *buf, size_t len)
{
	char mnt[PATH_MAX];
	int r = cg_mountpoint(mnt, sizeof(mnt));

	if (r < 0)
		return r;
	if ((size_t)snprintf(buf, len, "%s%s", mnt, path) >= len)
		return -ENAMETOOLONG;
	return 0;
}


static const char *const ctrl_v2[CG__MAX] = {
	[CG_MEMORY] = "memory", [CG_PIDS] = "pids", [CG_CPU] = "cpu",
	[CG_CPUACCT] = "cpu", [CG_IO] = "io", [CG_DEVICES] = "devices",
};

/* A controller's name in cgroup v2 (version 2) or v1 (version 1). */
const char *
cg_ctrl_name(enum cg_ctrl c, int version)
{
	return version == 2 ? ctrl_v2[c] : cg_v1_name(c);
}

/* Whether the space-separated (or comma-separated) list holds word. */
static bool
has_word(const char *list, const char *word, const char *seps)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || strchr(seps, p[-1]) != NULL) &&
		    (p[n] == '\0' || strchr(seps, p[n]) != NULL))
			return true;
	return false;
}

/* The first line of the cgroup file dir/file, without its newline. */
int
cg_file_read(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX + 64];
	_cleanup_fclose_ FILE *f = NULL;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (f == NULL)
		return -errno;
	if (fgets(buf, (int)len, f) == NULL)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Write val to the cgroup file dir/file in one write(2): 0 or -errno. */
int
cg_file_write(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX + 64];
	_cleanup_close_ int fd = -1;
	size_t n = strlen(val);

	(void)snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, n) != (ssize_t)n)
		return -errno;
	return 0;
}

/*
 * Give each controller to the children of the creator's cgroup2 cgroup
 * (parent): already there, or enabled now.  Enabling fails (EBUSY) while
 * the parent holds processes, as the creator's own usually does; then
 * the controller comes from its v1 hierarchy, if any.  The two files are
 * read once for all controllers.
 */
static void
cg2_enable(const char *parent, bool is_root)
{
	char have[512], given[512], plus[32];

	if (cg_file_read(parent, "cgroup.controllers", have,
		sizeof(have)) < 0)
		return;
	if (cg_file_read(parent, "cgroup.subtree_control", given,
		sizeof(given)) < 0)
		given[0] = '\0';
	for (int c = 0; c < CG__MAX; c++) {
		if (ctrl_v2[c] == NULL || !has_word(have, ctrl_v2[c], " ") ||
		    has_word(given, ctrl_v2[c], " "))
			continue;
		if (is_root)
			return;	/* the host's own settings: never touched */
		(void)snprintf(plus, sizeof(plus), "+%s", ctrl_v2[c]);
		(void)cg_file_write(parent, "cgroup.subtree_control", plus);
	}
}

/*
 * This process's mountinfo and cgroup files, read once for cgroup2 and
 * all the v1 controllers (seven reads each, otherwise, on every jail -c).
 */
struct cg1_proc {
	char *mountinfo, *cgroup;
};

static void
cg1_proc_free(struct cg1_proc *pr)
{
	free(pr->mountinfo);
	free(pr->cgroup);
}

/*
 * Where each v1 controller is, from pr's texts, cut in place: the mount
 * point and root of the first hierarchy whose options name it
 * ("- cgroup cgroup OPTS"), and this process's cgroup in it; NULL where
 * none.  Controllers mounted together share one mnt pointer.
 */
struct cg1_where {
	const char *mnt[CG__MAX], *root[CG__MAX], *self[CG__MAX];
};

static void
cg1_mounts(char *mountinfo, struct cg1_where *w)
{
	char *next = mountinfo, *line;

	while ((line = strsep(&next, "\n")) != NULL) {
		char *sep = strstr(line, " - cgroup "), *f[5], *opts, *save;
		int n = 0;

		if (sep == NULL)
			continue;
		*sep = '\0';
		opts = sep + strlen(" - cgroup ");
		opts += strcspn(opts, " ");	/* past the source */
		opts += strspn(opts, " ");
		opts[strcspn(opts, " ")] = '\0';
		for (char *t = strtok_r(line, " ", &save); t != NULL && n < 5;
		    t = strtok_r(NULL, " ", &save))
			f[n++] = t;
		for (int c = 0; c < CG__MAX && n == 5; c++)
			if (w->mnt[c] == NULL &&
			    has_word(opts, cg_v1_name(c), ",")) {
				w->root[c] = f[3];
				w->mnt[c] = f[4];
			}
	}
}

static void
cg1_where(struct cg1_proc *pr, struct cg1_where *w)
{
	char *next = pr->cgroup, *line;

	memset(w, 0, sizeof(*w));
	cg1_mounts(pr->mountinfo, w);
	/* each line "N:CTRLS:PATH" */
	while ((line = strsep(&next, "\n")) != NULL) {
		char *ctrls = strchr(line, ':'), *path;

		if (ctrls == NULL || (path = strchr(++ctrls, ':')) == NULL)
			continue;
		*path++ = '\0';
		for (int c = 0; c < CG__MAX; c++)
			if (w->self[c] == NULL &&
			    has_word(ctrls, cg_v1_name(c), ","))
				w->self[c] = path;
	}
}

/*
 * The directory of this process's own cgroup in the v1 hierarchy of
 * controller c: its mount point joined with the cgroup's path below the
 * hierarchy's root.
 */
static int
cg1_self(const struct cg1_where *w, enum cg_ctrl c, char *buf, size_t len)
{
	const char *rel = w->self[c], *root = w->root[c];

	if (w->mnt[c] == NULL || rel == NULL)
		return -ENOENT;
	if (strcmp(root, "/") != 0 && strncmp(rel, root, strlen(root)) == 0)
		rel += strlen(root);
	if (strcmp(rel, "/") == 0)
		rel = "";
	if ((size_t)snprintf(buf, len, "%s%s", w->mnt[c], rel) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Whether cgroup.parent is a path of plain names ("gaol", "/gaol.slice/
 * web"): no empty, "." or ".." component that could leave the hierarchy.
 */
static bool
parent_valid(const char *parent)
{
	const char *p = parent + (*parent == '/');

	if (*p == '\0')
		return *parent == '/';
	for (;;) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (p[n] == '\0')
			return true;
		p += n + 1;
	}
}

/*
 * The directory the jail's cgroup goes in, in the hierarchy mounted at
 * mnt where the creator's own cgroup is self: self, or cgroup.parent
 * (made if missing).  In cgroup2 (v2) each directory from the start
 * down passes the controllers on where it can (cg2_enable).
 */
static int
cg_base(const struct jail *j, const char *mnt, const char *self, bool v2,
    char *buf, size_t len)
{
	const char *parent = param_str(&j->params, P_CGROUP_PARENT);
	const char *p;

	if (parent == NULL || *parent == '\0')
		parent = ".";
	else if (!parent_valid(parent))
		return jail_seterr(-EINVAL, "cgroup.parent: invalid cgroup "
		    "path \"%s\"", parent);
	if ((size_t)snprintf(buf, len, "%s", *parent == '/' ? mnt : self) >=
	    len)
		return jail_seterr(-ENAMETOOLONG, "cgroup path too long");
	p = strcmp(parent, ".") == 0 ? "" : parent + (*parent == '/');
	for (;;) {
		size_t n = strcspn(p, "/"), at = strlen(buf);

		if (v2)
			cg2_enable(buf, strcmp(buf, mnt) == 0);
		if (n == 0)
			return 0;
		if (at + 1 + n >= len)
			return jail_seterr(-ENAMETOOLONG, "cgroup path too long");
		buf[at] = '/';
		memcpy(buf + at + 1, p, n);
		buf[at + 1 + n] = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return jail_syserr(-errno, "cgroup.parent %s", buf);
		p += n + (p[n] == '/');
	}
}

/* mkdir base/jail.JID, or a twin if a leftover still holds processes. */
static int
mkdir_jail(const char *base, int jid, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%s/jail.%d", base, jid);
	if (mkdir(buf, 0755) == 0)
		return 0;
	if (errno == EEXIST && rmdir(buf) == 0 && mkdir(buf, 0755) == 0)
		return 0;
	if (errno != EEXIST && errno != EBUSY)
		return jail_syserr(-errno, "cgroup %s", buf);
	(void)snprintf(buf, len, "%s/jail.%d-%d", base, jid, (int)getpid());
	if (mkdir(buf, 0755) < 0)
		return jail_syserr(-errno, "cgroup %s", buf);
	return 0;
}

/*
 * The jail's cgroup2 cgroup "jail.JID" and its descriptor; cgroup: this
 * process's /proc/self/cgroup.
 */
static int
cg2_create(struct jail *j, const char *cgroup, int *ret_fd)
{
	char self[PATH_MAX], mnt[PATH_MAX], parent[PATH_MAX], full[PATH_MAX + 32];
	int fd, r;

	if (cg_self(cgroup, self, sizeof(self)) < 0 ||
	    cg_mountpoint(mnt, sizeof(mnt)) < 0)
		return 0;
	if ((size_t)snprintf(full, sizeof(full), "%s%s", mnt, self) >=
	    sizeof(full))
		return jail_seterr(-ENAMETOOLONG, "cgroup path too long");
	r = cg_base(j, mnt, full, true, parent, sizeof(parent));
	if (r >= 0)
		r = mkdir_jail(parent, j->jid, full, sizeof(full));
	if (r < 0)
		return r;
	fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (j->cgroup = strdup(full + strlen(mnt))) == NULL) {
		r = fd < 0 ? -errno : -ENOMEM;
		if (fd >= 0)
			(void)close(fd);
		(void)rmdir(full);
		return jail_syserr(r, "cgroup %s", full);
	}
	*ret_fd = fd;
	return 0;
}

/* The controllers of the jail's cgroup2 cgroup into line (none: ""). */
static void
cg2_controllers(const struct jail *j, char *line, size_t len)
{
	char full[PATH_MAX];

	if (j->cgroup == NULL || cg_fullpath(j->cgroup, full,
		sizeof(full)) < 0 || cg_file_read(full, "cgroup.controllers",
		line, len) < 0)
		line[0] = '\0';
}

/* Whether a cgroup2 cgroup with controllers line has controller c. */
static bool
cg2_in(const struct jail *j, const char *line, enum cg_ctrl c)
{
	if (j->cgroup == NULL)
		return false;
	/* cpu.stat's usage is always there; devctl.c's device program too */
	if (c == CG_CPUACCT || c == CG_DEVICES)
		return true;
	return has_word(line, ctrl_v2[c], " ");
}

/* Whether the jail's cgroup2 cgroup has controller c. */
static bool
cg2_has(const struct jail *j, enum cg_ctrl c)
{
	char line[512];

	cg2_controllers(j, line, sizeof(line));
	return cg2_in(j, line, c);
}

/* "jail.JID" in the v1 hierarchy of each controller cgroup2 lacks. */
static int
cg1_create(struct jail *j, struct cg1_proc *pr)
{
	char self[PATH_MAX], base[PATH_MAX], full[PATH_MAX + 32], v2[512];
	struct cg1_where w;
	int r;

	if (pr->mountinfo == NULL || pr->cgroup == NULL)
		return 0;	/* as no v1 hierarchy found */
	cg1_where(pr, &w);
	cg2_controllers(j, v2, sizeof(v2));
	for (int c = 0; c < CG__MAX; c++) {
		/* devices: both, each enforcing the same list (devctl.c) */
		if ((c != CG_DEVICES && cg2_in(j, v2, c)) ||
		    cg1_self(&w, c, self, sizeof(self)) < 0)
			continue;
		for (int o = 0; o < c && j->cgv1[c] == NULL; o++)
			if (j->cgv1[o] != NULL && w.mnt[o] == w.mnt[c])
				j->cgv1[c] = strdup(j->cgv1[o]); /* comounted */
		if (j->cgv1[c] == NULL) {
			r = cg_base(j, w.mnt[c], self, false, base,
			    sizeof(base));
			if (r >= 0)
				r = mkdir_jail(base, j->jid, full,
				    sizeof(full));
			if (r < 0)
				return r;
			j->cgv1[c] = strdup(full);
		}
		if (j->cgv1[c] == NULL)
			return jail_seterr(-ENOMEM, "out of memory");
	}
	return 0;
}

/*
 * Create the jail's cgroups; *ret holds what a process entering the jail
 * is born into.  On failure the caller's cg_destroy removes what was made.
 */
int
cg_create(struct jail *j, struct cg_join *ret)
{
	_cleanup_(cg1_proc_free) struct cg1_proc pr = {
		proc_text("/proc/self/mountinfo"), proc_text("/proc/self/cgroup")
	};
	int r;

	cg_mountpoint_learn(pr.mountinfo);
	r = cg2_create(j, pr.cgroup, &ret->v2);
	if (r >= 0)	/* last: it cuts the texts up */
		r = cg1_create(j, &pr);
	if (r >= 0)
		r = cg_open(j, ret);
	return r;
}

void
cg_join_close(struct cg_join *cj)
{
	if (cj->v2 >= 0)
		(void)close(cj->v2);
	cj->v2 = -1;
	for (int c = 0; c < CG__MAX; c++) {
		if (cj->v1[c] >= 0)
			(void)close(cj->v1[c]);
		cj->v1[c] = -1;
	}
}

/* Open a jail's cgroups for a process entering it (each v1 one once). */
int
cg_open(const struct jail *j, struct cg_join *ret)
{
	char full[PATH_MAX];
	size_t n = 0;
	int r;

	if (ret->v2 < 0 && j->cgroup != NULL) {
		r = cg_fullpath(j->cgroup, full, sizeof(full));
		if (r < 0)
			return jail_syserr(r, "cgroup %s", j->cgroup);
		ret->v2 = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (ret->v2 < 0)
			return jail_syserr(-errno, "cgroup %s", full);
	}
	for (int c = 0; c < CG__MAX; c++) {
		bool dup = false;

		for (int o = 0; o < c; o++)
			dup |= j->cgv1[o] != NULL && j->cgv1[c] != NULL &&
			    strcmp(j->cgv1[o], j->cgv1[c]) == 0;
		if (j->cgv1[c] == NULL || dup)
			continue;
		ret->v1[n] = open(j->cgv1[c], O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC);
		if (ret->v1[n++] < 0)
			return jail_syserr(-errno, "cgroup %s", j->cgv1[c]);
	}
	return 0;
}

/*
 * Move the calling process into each v1 cgroup of cj: run by a process
 * entering a jail, first thing after its clone, before it makes its
 * cgroup namespace and long before it execs anything of the jail's.
 * The caller has one thread (it was just forked), so moving that thread
 * ("0" in tasks) moves the whole process.  Through cgroup.procs the
 * kernel would take its global threadgroup lock for writing, which
 * waits for an RCU grace period unless another move came just before:
 * 5 to 25 ms on an idle machine, where moving the thread takes 0.1 ms.
 */
int
cg_join_v1(const struct cg_join *cj)
{
	for (int i = 0; i < CG__MAX && cj->v1[i] >= 0; i++) {
		_cleanup_close_ int fd = openat(cj->v1[i], "tasks",
		    O_WRONLY | O_CLOEXEC);

		if (fd < 0 || write(fd, "0\n", 2) != 2)
			return -errno;
	}
	return 0;
}

/*
 * The directory whose files control c for jail j: its v1 cgroup if it
 * has one for c (returns 1), else its cgroup2 one if that has c
 * (returns 2), else -EOPNOTSUPP.  The one place deciding v1 or v2.
 */
int
cg_dir(const struct jail *j, enum cg_ctrl c, char *buf, size_t len)
{
	if (j->cgv1[c] != NULL) {
		(void)snprintf(buf, len, "%s", j->cgv1[c]);
		return 1;
	}
	if (cg2_has(j, c) && cg_fullpath(j->cgroup, buf, len) == 0)
		return 2;
	return -EOPNOTSUPP;
}

/*
 * Whether the cgroup2 cgroup whose cgroup.events ev is open still holds
 * a process (a read also clears the event that woke a poll).
 */
static bool
cg_populated(int ev)
{
	char buf[256];
	ssize_t n = pread(ev, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, "populated 1\n") != NULL;
}

/*
 * rmdir a cgroup once empty.  Processes of a pid namespace whose init
 * died are killed by the kernel but leave asynchronously (and a jail's
 * spawner and socket broker leave once they see init go), so wait up to
 * wait_ms for the cgroup to empty before giving up with EBUSY: woken by
 * cgroup.events where there is one, else looking again after 0.1 ms,
 * then twice as long each time (up to 5 ms).
 */
static int
rmdir_wait(const char *full, bool v1, int wait_ms)
{
	char path[PATH_MAX + 16];
	long long end = now_ms() + wait_ms;
	_cleanup_close_ int ev = -1;
	long pause_ns = 100000L;
	int err;

	(void)snprintf(path, sizeof(path), "%s/cgroup.events", full);
	for (;;) {
		if (rmdir(full) == 0 || errno == ENOENT)
			return 0;
		err = errno;
		if (err != EBUSY || left_ms(end) == 0)
			break;
		if (!v1 && ev < 0)
			ev = open(path, O_RDONLY | O_CLOEXEC);
		if (ev >= 0 && cg_populated(ev)) {
			struct pollfd p = { .fd = ev, .events = POLLPRI };

			(void)poll(&p, 1, left_ms(end));
			continue;
		}
		/* emptied but not yet let go, or v1: look again shortly */
		(void)nanosleep(&(struct timespec){ 0, pause_ns }, NULL);
		pause_ns = pause_ns < 2500000L ? pause_ns * 2 : 5000000L;
	}
	return jail_syserr(-err, "rmdir cgroup %s", full);
}

/*
 * Remove a jail's cgroups, cgroup2 first (its events say when empty);
 * each is tried even if another could not go.  The first error wins.
 */
int
cg_destroy(struct jail *j, int wait_ms)
{
	char full[PATH_MAX];
	int r = 0, q;

	if (j->cgroup != NULL && j->cgroup[0] == '/') {
		q = cg_fullpath(j->cgroup, full, sizeof(full));
		if (q < 0 && q != -ENOENT)
			r = jail_syserr(q, "cgroup %s", j->cgroup);
		if (q == 0)
			r = rmdir_wait(full, false, wait_ms);
	}
	for (int c = 0; c < CG__MAX; c++) {
		if (j->cgv1[c] == NULL)
			continue;
		q = rmdir_wait(j->cgv1[c], true, wait_ms);
		r = r < 0 ? r : q;
	}
	return r;
}

/*
 * Load n instructions insns as a program of prog_type (enum
 * bpf_prog_type) expecting attach_type (enum bpf_attach_type, 0 for
 * none): its descriptor, or -1 with errno set.  With log (size bytes),
 * a refused program is loaded again to put the verifier's first line
 * there.  bpf(2) itself: libbpf's bpf_prog_load first probes the kernel
 * with two programs of its own, once per process, which was a third of
 * the device programs' cost in jail -c.
 */
int
cg_bpf_load(unsigned prog_type, unsigned attach_type,
    const struct bpf_insn *insns, size_t n, char *log, size_t size)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = prog_type;
	a.expected_attach_type = attach_type;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = (uint32_t)n;
	a.license = (uint64_t)(uintptr_t)"GPL";
	fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (fd >= 0 || log == NULL || size == 0 || errno == EPERM ||
	    errno == ENOSYS)
		return fd;
	a.log_buf = (uint64_t)(uintptr_t)log;	/* again, to say why */
	a.log_size = (uint32_t)size;
	a.log_level = 1;
	fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0)
		log[strcspn(log, "\n")] = '\0';
	return fd;
}

/* bpf(2) command cmd with a: its result (>= 0), or -errno. */
int
cg_bpf_call(int cmd, union bpf_attr *a)
{
	int r = (int)syscall(SYS_bpf, cmd, a, sizeof(*a));

	return r < 0 ? -errno : r;
}

/*
 * Attach BPF program progfd to cgroup cgfd as a program of type (enum
 * bpf_attach_type), with no flag: it lives as long as the cgroup, and no
 * program may be attached beneath it.  0 or -errno.
 */
int
cg_bpf_attach(int cgfd, int progfd, unsigned type)
{
	union bpf_attr a;
	int r;

	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cgfd;
	a.attach_bpf_fd = (uint32_t)progfd;
	a.attach_type = type;
	r = cg_bpf_call(BPF_PROG_ATTACH, &a);
	return r < 0 ? r : 0;
}

/*
 * How many programs of type are attached to cgroup cgfd, or -errno; with
 * ret_id, the first one's id (0 when there is none).
 */
int
cg_bpf_count(int cgfd, unsigned type, uint32_t *ret_id)
{
	union bpf_attr a;
	uint32_t id = 0;
	int r;

	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)cgfd;
	a.query.attach_type = type;
	if (ret_id != NULL) {
		a.query.prog_ids = (uint64_t)(uintptr_t)&id;
		a.query.prog_cnt = 1;
		*ret_id = 0;
	}
	r = cg_bpf_call(BPF_PROG_QUERY, &a);
	if (r < 0)
		return r;
	if (ret_id != NULL && a.query.prog_cnt > 0)
		*ret_id = id;
	return (int)a.query.prog_cnt;
}
