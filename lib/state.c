/*
 * state.c: the /run/jail registry, gaol's stand-in for the kernel's list
 * of prisons.
 *
 * Layout: /run/jail/.lock (flock, serialises every change), and one
 * directory per jid holding "state", replaced atomically (rename):
 *   line 1   "STATE PID STARTTIME CGROUP TOKEN ino=INO [lock]
 *            [spawner=SPID:SSTART:SINO] [CTRL=DIR ...]": PID is the
 *            jail's init (active, dying) or its creator (creating),
 *            STARTTIME and INO (its pidfs inode, or 0) tell it from a
 *            later process with its pid (struct proc_ref); CGROUP is the
 *            path below the cgroup2 mount, or "-"; TOKEN authenticates
 *            requests to init (init.c); SPID, SSTART and SINO name the
 *            jail's spawner, which forks every command entering it
 *            (spawn.c); each CTRL=DIR a v1 cgroup of the jail (cgroup.c);
 *            "lock": the entry is live while its directory is locked
 *            (entry_lock), not merely while PID runs;
 *   the rest the jail's parameters (params_save format).
 * /run/jail/list holds every entry's state file in one (see "The list"
 * below): what jls reads.
 * /run/jail/names/NAME (a symlink to the jid; '/', '%' and a leading '.'
 * escaped as %XX) finds a jail by name without reading every entry.  It
 * is a hint: a reader checks that the entry it leads to has that name, so
 * a rename (jail -m name=) or a crash leaves nothing wrong, only stale
 * links that the next user of the name replaces.
 * An entry no process holds the lock of (or, without "lock", whose PID
 * is gone or now names another process) is stale: every reader removes
 * it, with its cgroup, under the registry lock.  This file never starts
 * or signals a process.
 */
#include <ctype.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <dirent.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "jail-int.h"

static const char *const state_names[JS__MAX] = {
	[JS_CREATING] = "creating",
	[JS_ACTIVE] = "active",
	[JS_DYING] = "dying",
};

/* Take the registry lock, creating /run/jail on first use. */
int
state_lock(int *ret_fd)
{
	_cleanup_close_ int fd = -1;

	if (mkdir(JAIL_RUNDIR, 0755) < 0 && errno != EEXIST)
		return jail_syserr(-errno, "mkdir %s", JAIL_RUNDIR);
	fd = open(JAIL_RUNDIR "/.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return jail_syserr(-errno, "open %s/.lock", JAIL_RUNDIR);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return jail_syserr(-errno, "flock %s", JAIL_RUNDIR);
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/*
 * The start time of a live pid in clock ticks since boot (field 22 of
 * stat); a zombie counts as gone (-ESRCH).
 */
int
proc_starttime(pid_t pid, unsigned long long *ret)
{
	_cleanup_close_ int fd = -1;
	char path[64], buf[1024], *p;
	unsigned long long t;
	ssize_t n;

	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);	/* one read: no stdio */
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p == NULL || p[1] == '\0')
		return -EIO;
	if (p[2] == 'Z' || p[2] == 'X')
		return -ESRCH;	/* exited, not yet reaped: gone for us */
	/* after ") ": state is field 3, starttime field 22; every jls
	 * reads one a jail, so no scanf: skip 19 blanks */
	p += 2;
	for (int field = 3; field < 22 && p != NULL; field++)
		p = strchr(p, ' ') != NULL ? strchr(p, ' ') + 1 : NULL;
	if (p == NULL || *p < '0' || *p > '9')
		return -EIO;
	t = strtoull(p, NULL, 10);
	*ret = t;
	return 0;
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
 * The whole file dirfd/name (a path below dirfd, no symlink at its end)
 * as a string of its own size, and its length.  It is read into a buffer
 * on the stack and then copied: a jls over a thousand entries keeps each
 * one's text, and memory a process has not touched before costs far more
 * than the copy (a page fault each page).  A read shorter than asked is
 * the end (the files here are small and on tmpfs), so most take one read.
 */
static int
read_file_at(int dirfd, const char *name, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *heap = NULL;
	char stack[8192], *text = stack, *nb;
	size_t have = 0, len = sizeof(stack), want;
	ssize_t n;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	for (;;) {
		want = len - have - 1;
		n = read(fd, text + have, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		have += (size_t)n;
		if ((size_t)n < want)
			break;
		nb = realloc(heap, len * 2);
		if (nb == NULL)
			return -ENOMEM;
		if (heap == NULL)
			memcpy(nb, stack, have);
		text = heap = nb;
		len *= 2;
	}
	text[have] = '\0';
	if (heap == NULL && (heap = malloc(have + 1)) != NULL)
		memcpy(heap, stack, have + 1);
	if (heap == NULL)
		return -ENOMEM;
	*ret = TAKE_PTR(heap);
	*ret_len = have;
	return 0;
}

/*
 * The next blank-separated word at *s (length *len), or NULL at the end
 * of the string or of its line.
 */
static const char *
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

/*
 * The status line (see the top of this file), by hand: every jls parses
 * one per jail.  Without paths, the cgroup paths are skipped and nothing
 * is allocated: what tells whether the entry is live (entry_read).
 */
static int
parse_status(struct jail *j, const char *s, bool paths)
{
	const char *w, *cg;
	unsigned long long pid, ino, token;
	size_t len, cglen;
	int r;

	w = next_word(&s, &len);
	j->state = JS__INVALID;
	for (int i = 0; w != NULL && i < JS__MAX; i++)
		if (strlen(state_names[i]) == len &&
		    memcmp(w, state_names[i], len) == 0)
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
	if (cg == NULL || !word_num(w, len, 16, &token))
		return -EBADMSG;
	j->token = token;
	if (paths && (cglen != 1 || *cg != '-') &&
	    (j->cgroup = strndup(cg, cglen)) == NULL)
		return -ENOMEM;
	while ((w = next_word(&s, &len)) != NULL) {
		if (len > 4 && memcmp(w, "ino=", 4) == 0 &&
		    word_num(w + 4, len - 4, 10, &ino))
			j->init.ino = ino;
		else if (len == 4 && memcmp(w, "lock", 4) == 0)
			j->locked = true;
		else if (len > 8 && memcmp(w, "spawner=", 8) == 0)
			(void)parse_spawner(w + 8, &j->spawner);
		else if (paths && (r = cg_v1_parse(j, w, len)) < 0)
			return r;
	}
	return 0;
}

/*
 * The names a jailed root gave its jail (allow.set_hostname): init
 * records them in "uts" beside the state file (uts.c), "HOSTNAME\n
 * DOMAINNAME\n", and they are the jail's host.hostname and
 * host.domainname from then on.  text is left as it was: an entry may be
 * parsed twice (entry_settle, then scan_emit).
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
 * An entry's lock: an OFD read lock on its directory, held on byte
 * LOCK_LIVE by what keeps the entry alive -- its creator, then its init,
 * which share the one open file description, so that the lock goes when
 * init exits (a zombie holds no file) -- and on byte LOCK_UTS too once
 * init has written "uts".  A reader learns both with one F_OFD_GETLK,
 * taking nothing: no pid to check, none to be fooled by when the kernel
 * gives it to another process.
 */
enum { LOCK_LIVE, LOCK_UTS };

static int
entry_lock(int dirfd, off_t len)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET,
		.l_start = LOCK_LIVE, .l_len = len };

	return fcntl(dirfd, F_OFD_SETLK, &fl) < 0 ? -errno : 0;
}

/* 0: no holder (stale), 1: live, 2: live, "uts" written. */
static int
entry_lock_get(int dirfd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
		.l_start = LOCK_LIVE, .l_len = LOCK_UTS + 1 };

	if (fcntl(dirfd, F_OFD_GETLK, &fl) < 0)
		return -errno;
	if (fl.l_type == F_UNLCK)
		return 0;
	return fl.l_start + fl.l_len > LOCK_UTS ? 2 : 1;
}

/* Init, having written "uts" in its entry's directory dirfd, says so. */
int
state_lock_uts(int dirfd)
{
	return entry_lock(dirfd, LOCK_UTS + 1);
}

static bool
is_jid(const char *s)
{
	if (*s == '\0' || strlen(s) > 9)
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

#define NAMES_DIR "names"

/* NAME's link in names/: NAMES_DIR "/" plus NAME escaped. */
static int
index_path(const char *name, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s/", NAMES_DIR);

	for (const char *p = name; *p != '\0'; p++) {
		bool esc = *p == '/' || *p == '%' || (p == name && *p == '.');

		if (n + 4 >= len || n + 4 > sizeof(NAMES_DIR) + NAME_MAX)
			return -ENAMETOOLONG;
		n += (size_t)(esc ? snprintf(buf + n, len - n, "%%%02X",
					 (unsigned char)*p)
				  : snprintf(buf + n, len - n, "%c", *p));
	}
	return 0;
}

/* The jid NAME's link names: -ENOENT without one. */
static int
index_get(int rundir, const char *name)
{
	char path[sizeof(NAMES_DIR) + NAME_MAX + 8], target[16];
	ssize_t n;

	if (index_path(name, path, sizeof(path)) < 0)
		return -ENOENT;
	n = readlinkat(rundir, path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	return is_jid(target) ? atoi(target) : -ENOENT;
}

/* Point NAME's link at jid, replacing any (a numeric name needs none). */
static int
index_set(int rundir, const char *name, int jid)
{
	char path[sizeof(NAMES_DIR) + NAME_MAX + 8], target[16];

	if (is_jid(name) || index_path(name, path, sizeof(path)) < 0)
		return 0;	/* found by jid, or by a scan (state_find) */
	(void)snprintf(target, sizeof(target), "%d", jid);
	(void)unlinkat(rundir, NAMES_DIR "/.tmp", 0);
	if (symlinkat(target, rundir, NAMES_DIR "/.tmp") < 0)
		return errno == ENOENT ? 0	/* no names/ yet: lookups scan */
		    : jail_syserr(-errno, "%s/%s", JAIL_RUNDIR, path);
	if (renameat(rundir, NAMES_DIR "/.tmp", rundir, path) < 0)
		return jail_syserr(-errno, "%s/%s", JAIL_RUNDIR, path);
	return 0;
}

/* Drop NAME's link if it still names jid. */
static void
index_del(int rundir, const char *name, int jid)
{
	char path[sizeof(NAMES_DIR) + NAME_MAX + 8];

	if (!is_jid(name) && index_path(name, path, sizeof(path)) == 0 &&
	    index_get(rundir, name) == jid)
		(void)unlinkat(rundir, path, 0);
}

/*
 * An entry as a scan finds it: its jid and its directory's inode, from
 * the list or the directory; what /proc/locks shows of its lock; and then
 * what entry_check found.
 */
struct entry_ref {
	int jid;
	int held;	/* what /proc/locks shows of its lock (lockset_fill) */
	uint64_t ino;	/* of its directory */
	int r;		/* entry_check's result */
	bool live;
	bool gone;	/* stale, but its cgroup would not go: dying */
	const char *text; /* its state: the status line, '\n', parameters */
	size_t len;	/* of text */
	char *buf;	/* text's memory when read from its file, else NULL */
	char *uts;	/* its "uts" file when that counts, else NULL */
};

static void
entry_drop(struct entry_ref *e)
{
	e->text = NULL;
	free(TAKE_PTR(e->buf));
	free(TAKE_PTR(e->uts));
}

/*
 * The list: /run/jail/list holds every entry's state text, so that
 * listing a thousand jails takes a few system calls rather than three a
 * jail.  It is a log of records, "JID INO LEN\n" and LEN bytes: the state
 * file of entry JID as written (INO: its directory's inode, by which
 * /proc/locks names its lock), or, with LEN 0, its removal; a later
 * record of a jid overrides the earlier ones.  Its first record, "0 BASE
 * 0\n", gives the size of the records it had when last written whole.  A
 * change appends a record, and the one that finds the list grown past
 * twice that (and LIST_SLACK more) writes it whole again: a change costs
 * the same whatever the number of jails.  While an entry changes, under
 * the registry lock, the list is renamed aside (LIST_BUSY) and back after
 * (list_begin, list_end), so that a crash between leaves no list rather
 * than a wrong one, as does a change that fails.  Without a list, a scan
 * reads every entry's own file, and one holding the lock writes the list
 * whole.  Only gaol writes the registry: an entry made by hand (or by a
 * gaol before the list, earlier in this boot) is not listed until the
 * list is removed.
 */
#define LIST_FILE "list"
#define LIST_TMP ".list.tmp"
#define LIST_BUSY ".list.busy"
#define LIST_SLACK 65536

/* writev(2) until all of the n pieces are written. */
static int
write_iov(int fd, struct iovec *iov, int n)
{
	ssize_t w;

	while (n > 0) {
		w = writev(fd, iov, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		for (; n > 0 && (size_t)w >= iov->iov_len; n--, iov++)
			w -= (ssize_t)iov->iov_len;
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/* A decimal number and then sep at *p (before end); *p moves past sep. */
static bool
take_num(const char **p, const char *end, char sep, unsigned long long *ret)
{
	unsigned long long v = 0;
	const char *s = *p;

	if (s >= end || *s < '0' || *s > '9')
		return false;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return false;
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (s >= end || *s != sep)
		return false;
	*p = s + 1;
	*ret = v;
	return true;
}

/*
 * The list's record at *p (before end) into e (jid, ino, text, len; len
 * 0: a removal); *p moves to the next.  -EBADMSG if it is garbled: a text
 * must hold its status line's end, which parse_status stops at.
 */
static int
list_record(const char **p, const char *end, struct entry_ref *e)
{
	unsigned long long jid, ino, len;

	if (!take_num(p, end, ' ', &jid) || jid > INT_MAX ||
	    !take_num(p, end, ' ', &ino) || !take_num(p, end, '\n', &len) ||
	    len > (size_t)(end - *p) ||
	    (len > 0 && memchr(*p, '\n', len) == NULL))
		return -EBADMSG;
	*e = (struct entry_ref){ .jid = (int)jid, .ino = ino, .text = *p,
		.len = len };
	*p += len;
	return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	int x = ((const struct entry_ref *)a)->jid;
	int y = ((const struct entry_ref *)b)->jid;

	return (x > y) - (x < y);
}

/* By jid, and for one jid in the order written: where in the list. */
static int
cmp_record(const void *a, const void *b)
{
	const struct entry_ref *x = a, *y = b;
	int c = cmp_entry(a, b);

	return c != 0 ? c : (x->text > y->text) - (x->text < y->text);
}

/*
 * The entries the list m (len bytes) holds, sorted by jid, their texts in
 * m.  -EBADMSG if it is garbled.
 */
static int
list_parse(const char *m, size_t len, struct entry_ref **ret, size_t *ret_n)
{
	const char *p = m, *end = m + len;
	struct entry_ref head, rec, *e;
	size_t n = 0, k = 0;

	if (list_record(&p, end, &head) < 0 || head.jid != 0 || head.len != 0)
		return -EBADMSG;
	for (const char *q = p; q < end; n++)
		if (list_record(&q, end, &rec) < 0 || rec.jid == 0)
			return -EBADMSG;
	e = calloc(n + 1, sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		(void)list_record(&p, end, &e[i]);
	if (n > 1)
		qsort(e, n, sizeof(*e), cmp_record);
	for (size_t i = 0; i < n; i++)	/* the last of each jid, if not gone */
		if ((i + 1 == n || e[i + 1].jid != e[i].jid) && e[i].len > 0)
			e[k++] = e[i];
	*ret = e;
	*ret_n = k;
	return 0;
}

/*
 * The list open at fd, mapped whole, read-only: a list is never written
 * but at its end, and a new one is written aside (list_write), so the
 * mapping stays whole.  An empty file is "".
 */
static int
list_map(int fd, const char **ret, size_t *ret_len)
{
	struct stat st;
	void *m;

	if (fstat(fd, &st) < 0)
		return -errno;
	*ret = "";
	*ret_len = 0;
	if (st.st_size == 0)
		return 0;
	m = mmap(NULL, (size_t)st.st_size, PROT_READ,
	    MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	*ret = m;
	*ret_len = (size_t)st.st_size;
	return 0;
}

static void
list_unmap(const char *m, size_t len)
{
	if (len > 0)
		(void)munmap((void *)m, len);
}

/*
 * The bytes the records of the n entries e whose r is not negative take
 * in the list: what it holds of them, their headers included.
 */
static size_t
list_size(const struct entry_ref *e, size_t n)
{
	size_t size = 0;

	for (size_t i = 0; i < n; i++)
		if (e[i].r >= 0)
			size += (size_t)snprintf(NULL, 0, "%d %" PRIu64 " %zu\n",
			    e[i].jid, e[i].ino, e[i].len) + e[i].len;
	return size;
}

/*
 * The list, whole, of the n entries e whose r is not negative, written
 * aside and renamed in.
 */
static int
list_write(int rundir, const struct entry_ref *e, size_t n)
{
	bool ok = true;
	FILE *f;
	int fd;

	fd = openat(rundir, LIST_TMP, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (f == NULL) {
		(void)close(fd);
		(void)unlinkat(rundir, LIST_TMP, 0);
		return -ENOMEM;
	}
	ok = fprintf(f, "0 %zu 0\n", list_size(e, n)) > 0;
	for (size_t i = 0; ok && i < n; i++)
		if (e[i].r >= 0)
			ok = fprintf(f, "%d %" PRIu64 " %zu\n", e[i].jid,
			    e[i].ino, e[i].len) > 0 &&
			    fwrite(e[i].text, 1, e[i].len, f) == e[i].len;
	ok = fclose(f) == 0 && ok;
	if (ok && renameat(rundir, LIST_TMP, rundir, LIST_FILE) == 0) {
		/* what a change that failed left aside */
		(void)unlinkat(rundir, LIST_BUSY, 0);
		return 0;
	}
	(void)unlinkat(rundir, LIST_TMP, 0);
	return -EIO;
}

/* Before an entry changes: *ret_fd is the list, open, renamed aside; or -1. */
static int
list_begin(int rundir, int *ret_fd)
{
	int fd = openat(rundir, LIST_FILE, O_RDWR | O_APPEND | O_CLOEXEC |
	    O_NOFOLLOW);

	*ret_fd = -1;
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd >= 0 && renameat(rundir, LIST_FILE, rundir, LIST_BUSY) == 0) {
		*ret_fd = fd;
		return 0;
	}
	if (fd >= 0)
		(void)close(fd);
	/* no list rather than one this change would make wrong */
	if (unlinkat(rundir, LIST_FILE, 0) < 0 && errno != ENOENT)
		return jail_syserr(-errno, "unlink %s/%s", JAIL_RUNDIR,
		    LIST_FILE);
	return 0;
}

/*
 * The list grown past twice its size when last written whole, written
 * whole again from fd (the list aside).
 */
static int
list_compact(int rundir, int fd)
{
	_cleanup_free_ struct entry_ref *e = NULL;
	const char *m;
	size_t mlen, n;
	int r;

	r = list_map(fd, &m, &mlen);
	if (r < 0)
		return r;
	r = list_parse(m, mlen, &e, &n);
	if (r >= 0)
		r = list_write(rundir, e, n);
	list_unmap(m, mlen);
	return r;
}

/* The BASE of the list open at fd, from its header, "0 BASE 0\n". */
static bool
list_base(int fd, unsigned long long *ret)
{
	char first[64];
	const char *p = first;
	unsigned long long zero;
	ssize_t n = pread(fd, first, sizeof(first), 0);

	return n > 0 && take_num(&p, first + n, ' ', &zero) && zero == 0 &&
	    take_num(&p, first + n, ' ', ret);
}

/*
 * After entry jid changed: its record (text, len bytes, its directory's
 * inode ino; text NULL: removed) appended to the list fd (list_begin's),
 * which goes back in place, or is written whole when it has grown enough.
 * Closes fd.  Without a list, or if this fails, there is none until a
 * scan writes one.
 */
static void
list_end(int rundir, int fd, int jid, uint64_t ino, const char *text,
    size_t len)
{
	unsigned long long base;
	struct iovec iov[2];
	struct stat st;
	char head[64];

	if (fd < 0)
		return;
	if (text == NULL)
		len = 0;
	iov[0] = (struct iovec){ head, (size_t)snprintf(head, sizeof(head),
	    "%d %" PRIu64 " %zu\n", jid, ino, len) };
	iov[1] = (struct iovec){ (void *)text, len };
	if (write_iov(fd, iov, 2) < 0 || !list_base(fd, &base) ||
	    fstat(fd, &st) < 0)
		;	/* no list, then */
	else if ((unsigned long long)st.st_size > 2 * base + LIST_SLACK)
		(void)list_compact(rundir, fd);
	else
		(void)renameat(rundir, LIST_BUSY, rundir, LIST_FILE);
	(void)unlinkat(rundir, LIST_BUSY, 0);
	(void)close(fd);
}

/*
 * Remove an entry's files, directory and name link; a missing entry is
 * not an error.  name: the entry's, or NULL when unknown.
 */
static int
state_unlink(int rundir, int jid, const char *name)
{
	static const char *const files[] = { "state", ".state.tmp", UTS_FILE,
		"." UTS_FILE ".tmp" };
	_cleanup_close_ int dfd = -1, list = -1;
	char dir[16];
	int r;

	if (name != NULL)
		index_del(rundir, name, jid);
	(void)snprintf(dir, sizeof(dir), "%d", jid);
	dfd = openat(rundir, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? 0 : -errno;
	r = list_begin(rundir, &list);
	if (r < 0)
		return r;
	for (size_t i = 0; i < nitems(files); i++)
		(void)unlinkat(dfd, files[i], 0);
	if (unlinkat(rundir, dir, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return jail_syserr(-errno, "rmdir %s/%s", JAIL_RUNDIR, dir);
	list_end(rundir, TAKE_FD(list), jid, 0, NULL, 0);
	return 0;
}

/*
 * Whether an entry whose text e holds is live, and the text of its "uts"
 * file if that counts: only its status line is parsed, into no memory of
 * its own; entry_parse does the rest, once the registry lock is let go.
 * e->held is what /proc/locks said of its lock (0: nothing, or not asked;
 * else what entry_lock_get would say); an entry it does not show held
 * asks itself.  Entries of a gaol before entry locks (this boot, before
 * an upgrade) are live while their init is.  -ENOENT if the entry
 * vanished, -EBADMSG if it is garbled.  Sets no message: it runs on the
 * scan's threads.
 */
static int
entry_check(int rundir, struct entry_ref *e)
{
	_cleanup_close_ int dfd = -1;
	struct jail st = { .jid = e->jid };	/* paths unparsed: no free */
	char path[32];
	size_t len;
	int r, lk = 2;

	r = parse_status(&st, e->text, false);
	if (r < 0)
		return r;
	if (st.locked && e->held > 0)
		lk = e->held;
	else if (st.locked) {
		(void)snprintf(path, sizeof(path), "%d", e->jid);
		dfd = openat(rundir, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		lk = dfd < 0 ? -errno : entry_lock_get(dfd);
		if (lk < 0)
			return lk;
	}
	e->live = st.locked ? lk > 0 : proc_ref_alive(&st.init);
	/* its names as set within: a dying one may have lost the mark */
	if (lk != 1 || !e->live) {
		(void)snprintf(path, sizeof(path), "%d/%s", e->jid, UTS_FILE);
		r = read_file_at(rundir, path, &e->uts, &len);
		if (r < 0 && r != -ENOENT)
			return r;
	}
	return 0;
}

/* An entry's own state file, read into e, and entry_check. */
static int
entry_read(int rundir, struct entry_ref *e)
{
	char path[32];
	int r;

	(void)snprintf(path, sizeof(path), "%d/state", e->jid);
	r = read_file_at(rundir, path, &e->buf, &e->len);
	if (r < 0)
		return r;
	e->text = e->buf;
	if (memchr(e->text, '\n', e->len) == NULL)
		return -EBADMSG;	/* half-written, by a crash */
	return entry_check(rundir, e);
}

/* The jail of an entry entry_check checked, into j (new, from jail_new). */
static int
entry_parse(const struct entry_ref *e, struct jail *j)
{
	const char *params = (const char *)memchr(e->text, '\n', e->len) + 1;
	int r;

	j->jid = e->jid;
	r = parse_status(j, e->text, true);
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

/*
 * Replace an entry's state file: its status line, then its parameters,
 * written aside and renamed over the old one, so a reader sees either;
 * and its record in the list.
 */
static int
state_write(int rundir, const struct jail *j)
{
	_cleanup_close_ int dfd = -1, fd = -1, list = -1;
	_cleanup_free_ char *params = NULL, *text = NULL;
	char name[16], v1[CG__MAX * (PATH_MAX + 16)];
	char status[sizeof(v1) + PATH_MAX + 128], sp[64] = "";
	size_t plen, n;
	struct stat st;
	int r;

	(void)snprintf(name, sizeof(name), "%d", j->jid);
	dfd = openat(rundir, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fstat(dfd, &st) < 0)
		return jail_syserr(-errno, "%s/%s", JAIL_RUNDIR, name);
	if (cg_v1_format(j, v1, sizeof(v1)) < 0)
		return jail_seterr(-ENAMETOOLONG, "cgroup paths too long");
	if (j->spawner.pid > 0)
		(void)snprintf(sp, sizeof(sp), " spawner=%d:%llu:%" PRIu64,
		    (int)j->spawner.pid, j->spawner.start, j->spawner.ino);
	n = (size_t)snprintf(status, sizeof(status), "%s %d %llu %s %" PRIx64
	    " ino=%" PRIu64 "%s%s%s\n", state_names[j->state],
	    (int)j->init.pid, j->init.start, j->cgroup != NULL ? j->cgroup
	    : "-", j->token, j->init.ino, j->locked ? " lock" : "", sp, v1);
	if (n >= sizeof(status))
		return jail_seterr(-ENAMETOOLONG, "%s/%s: status too long",
		    JAIL_RUNDIR, name);
	r = params_save(&j->params, &params, &plen);
	if (r < 0)
		return r;
	text = malloc(n + plen);
	if (text == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	memcpy(text, status, n);
	memcpy(text + n, params, plen);
	r = list_begin(rundir, &list);
	if (r < 0)
		return r;
	fd = openat(dfd, ".state.tmp", O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0644);
	r = fd < 0 ? -errno
	    : write_iov(fd, &(struct iovec){ text, n + plen }, 1);
	if (r >= 0 && renameat(dfd, ".state.tmp", dfd, "state") < 0)
		r = -errno;
	if (r < 0)
		return jail_syserr(r, "%s/%s/state", JAIL_RUNDIR, name);
	/* the parameters written hold what "uts" said (uts_apply) */
	(void)unlinkat(dfd, UTS_FILE, 0);
	list_end(rundir, TAKE_FD(list), j->jid, st.st_ino, text, n + plen);
	return index_set(rundir, jail_name(j), j->jid);
}

static int
open_rundir(void)
{
	int fd = open(JAIL_RUNDIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return jail_syserr(-errno, "%s", JAIL_RUNDIR);
	return fd;
}

/*
 * Drop a stale entry: its cgroup first (the processes of a dead pid
 * namespace are already being killed by the kernel), then its files.
 * -EBUSY while processes linger in the cgroup: the entry stays, as a
 * dying jail holding its jid, like FreeBSD's dying prisons.
 */
static int
state_reap(int rundir, struct jail *j)
{
	if (cg_destroy(j, 200) < 0)
		return -EBUSY;
	return state_unlink(rundir, j->jid, jail_name(j));
}

void
state_list_free(struct jail **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		jail_free(v[i]);
	free(v);
}

/*
 * An entry read: kept if live; if stale, reaped when reap (the lock is
 * held), -ENOENT, unless its cgroup cannot go yet: then it is kept, and
 * is dying.
 */
static int
entry_settle(int rundir, struct entry_ref *e, bool reap)
{
	_cleanup_(jail_freep) struct jail *j = NULL;
	int r;

	if (e->live)
		return 0;
	if (!reap)
		return -ENOENT;
	j = jail_new();
	if (j == NULL)
		return jail_seterr(-ENOMEM, "out of memory");
	r = entry_parse(e, j);
	if (r < 0)
		return r;
	if (state_reap(rundir, j) >= 0)
		return -ENOENT;
	e->gone = true;
	return 0;
}

/*
 * One live entry (creating ones included): -ENOENT if there is none, it
 * is being written, or a crash left it half-written.
 */
static int
entry_get(int rundir, int jid, bool reap, struct jail **ret)
{
	struct entry_ref e = { .jid = jid };
	struct jail *j = NULL;
	int r = entry_read(rundir, &e);

	if (r >= 0)
		r = entry_settle(rundir, &e, reap);
	if (r >= 0)
		r = (j = jail_new()) == NULL
		    ? jail_seterr(-ENOMEM, "out of memory") : entry_parse(&e, j);
	entry_drop(&e);
	if (r < 0) {
		jail_free(j);
		return r == -EBADMSG ? -ENOENT : r;
	}
	*ret = j;
	return 0;
}

/*
 * Reading every entry is most of what jls costs with many jails, and
 * nearly all of it is system calls: with many entries, up to SCAN_THREADS
 * threads read them (entry_read or entry_check only; what an entry then
 * needs, its caller does alone).
 */
#define SCAN_THREADS 4
#define SCAN_PARALLEL_MIN 128	/* below, a thread costs more than it saves */
#define SCAN_CHUNK 16
#define LOCKSET_MIN 16		/* entries from which /proc/locks is cheaper */

/* The entries of a scan, sorted by jid. */
struct scan {
	int rundir;
	struct entry_ref *e;
	size_t n;
	const char *map;	/* the list, mapped, or NULL: no list was read */
	size_t maplen;
	bool known;		/* lockset_fill: no entry needs a call */
	atomic_size_t next;
};

static void
scan_free(struct scan *s)
{
	for (size_t i = 0; i < s->n; i++)
		entry_drop(&s->e[i]);
	free(TAKE_PTR(s->e));
	if (s->map != NULL)
		list_unmap(TAKE_PTR(s->map), s->maplen);
	s->n = 0;
}

static void *
scan_worker(void *arg)
{
	struct scan *s = arg;
	size_t i, end;

	while ((i = atomic_fetch_add(&s->next, SCAN_CHUNK)) < s->n)
		for (end = i + SCAN_CHUNK < s->n ? i + SCAN_CHUNK : s->n;
		    i < end; i++)
			s->e[i].r = s->map != NULL
			    ? entry_check(s->rundir, &s->e[i])
			    : entry_read(s->rundir, &s->e[i]);
	return NULL;
}

static void
scan_read(struct scan *s)
{
	pthread_t t[SCAN_THREADS - 1];
	size_t nt = 0, want = 1;
	cpu_set_t cpus;

	/* from the list, with every lock known, no entry costs a call */
	if (s->n >= SCAN_PARALLEL_MIN && !(s->map != NULL && s->known) &&
	    sched_getaffinity(0, sizeof(cpus), &cpus) == 0)
		want = (size_t)CPU_COUNT(&cpus);
	want = want < SCAN_THREADS ? want : SCAN_THREADS;
	while (nt + 1 < want &&
	    pthread_create(&t[nt], NULL, scan_worker, s) == 0)
		nt++;
	(void)scan_worker(s);
	for (size_t i = 0; i < nt; i++)
		(void)pthread_join(t[i], NULL);
}

/*
 * Every entry, from the directory's names, sorted by jid; *ret_lock_ino
 * (if asked) is the inode of the registry lock's file, 0 if none.
 */
static int
registry_entries(int rundir, struct entry_ref **ret, size_t *ret_n,
    uint64_t *ret_lock_ino)
{
	_cleanup_free_ struct entry_ref *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	d = fdopendir(dup(rundir));
	if (d == NULL)
		return jail_syserr(-errno, "%s", JAIL_RUNDIR);
	rewinddir(d);	/* a dup shares the offset an earlier scan left */
	if (ret_lock_ino != NULL)
		*ret_lock_ino = 0;
	while ((de = readdir(d)) != NULL) {
		if (ret_lock_ino != NULL && strcmp(de->d_name, ".lock") == 0)
			*ret_lock_ino = de->d_ino;
		if (!is_jid(de->d_name))
			continue;
		if (n == cap) {
			struct entry_ref *nv = realloc(v, (cap = cap * 2 + 64) *
			    sizeof(*v));

			if (nv == NULL) {
				(void)closedir(d);
				return jail_seterr(-ENOMEM, "out of memory");
			}
			v = nv;
		}
		v[n++] = (struct entry_ref){ .jid = atoi(de->d_name),
		    .ino = de->d_ino };
	}
	(void)closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_entry);
	*ret = TAKE_PTR(v);
	*ret_n = n;
	return 0;
}

/*
 * /proc/locks, whole (what lslocks(8) reads): a line per lock on the
 * system, "N: TYPE ADVISORY MODE PID MAJ:MIN:INO START END"; -EFBIG past
 * max bytes (a host of many other locks: asking each entry is cheaper).
 */
static int
read_proc_locks(size_t max, char **ret)
{
	_cleanup_close_ int fd = open("/proc/locks", O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 0;
	char *buf = NULL, *nb;
	ssize_t n;

	if (fd < 0)
		return -errno;
	do {
		if (cap - len < 4096) {
			nb = realloc(buf, cap = cap * 2 + 65536);
			if (nb == NULL) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno != EINTR) {
			free(buf);
			return -errno;
		}
		len += n > 0 ? (size_t)n : 0;
		if (len > max) {
			free(buf);
			return -EFBIG;
		}
	} while (n != 0);
	buf[len] = '\0';
	*ret = buf;
	return 0;
}

static int
cmp_ino(const void *a, const void *b)
{
	uint64_t x = ((const struct entry_ref *)a)->ino;
	uint64_t y = ((const struct entry_ref *)b)->ino;

	return (x > y) - (x < y);
}

/*
 * Which of the n entries e are held, from one read of /proc/locks instead
 * of an F_OFD_GETLK each: their directories' inodes on the registry's
 * file system (dev) with an OFD read lock from byte 0, and whether up to
 * byte LOCK_UTS (entry_lock).  Trusted only if it shows the registry lock
 * this process holds (a flock on .lock, inode lock_ino as readdir or the
 * list's writers gave it) at the device and inode stat gives: then the
 * inodes of e are the ones it shows.  Otherwise, or if it cannot be read,
 * nothing is filled in, and every entry asks on its own.  True if no
 * entry need ask anything: it showed each held, none with "uts" written.
 */
static bool
lockset_fill(int rundir, uint64_t lock_ino, struct entry_ref *e, size_t n)
{
	_cleanup_free_ char *text = NULL;
	unsigned long maj, min;
	unsigned long long ino;
	struct stat st;
	bool self = false;
	char *line, *end, *next;
	const char *p;

	if (lock_ino == 0 || fstatat(rundir, ".lock", &st,
		AT_SYMLINK_NOFOLLOW) < 0 || st.st_ino != lock_ino ||
	    read_proc_locks((n + 1024) * 128, &text) < 0)
		return false;
	qsort(e, n, sizeof(*e), cmp_ino);
	for (line = text; *line != '\0'; line = next) {
		const char *type, *mode, *w;
		size_t len;
		struct entry_ref key, *hit;

		end = strchrnul(line, '\n');
		next = end + (*end != '\0');
		*end = '\0';
		p = line;
		(void)next_word(&p, &len);	/* "N:" */
		type = next_word(&p, &len);
		if (type == NULL || strncmp(type, "->", 2) == 0)
			continue;	/* a blocked request, not a lock */
		(void)next_word(&p, &len);	/* ADVISORY */
		mode = next_word(&p, &len);
		(void)next_word(&p, &len);	/* PID */
		w = next_word(&p, &len);
		if (mode == NULL || w == NULL ||
		    sscanf(w, "%lx:%lx:%llu", &maj, &min, &ino) != 3 ||
		    makedev(maj, min) != st.st_dev)
			continue;
		if (strncmp(type, "FLOCK ", 6) == 0 && ino == st.st_ino)
			self = true;
		if (strncmp(type, "OFDLCK ", 7) != 0 ||
		    strncmp(mode, "READ ", 5) != 0)
			continue;
		w = next_word(&p, &len);	/* START */
		if (w == NULL || *w != '0' || len != 1)
			continue;
		key.ino = ino;
		hit = bsearch(&key, e, n, sizeof(*e), cmp_ino);
		w = next_word(&p, &len);	/* END: EOF or N */
		if (hit != NULL && w != NULL && hit->held < 2)
			hit->held = *w == 'E' || strtoul(w, NULL, 10) >=
			    LOCK_UTS ? 2 : 1;
	}
	if (!self)	/* not to be trusted: every entry asks */
		for (size_t i = 0; i < n; i++)
			e[i].held = 0;
	qsort(e, n, sizeof(*e), cmp_entry);
	for (size_t i = 0; self && i < n; i++)
		self = e[i].held == 1;
	return self;
}

/*
 * The entries the list holds, in s, their texts in its mapping: -ENOENT
 * if there is no list, -EBADMSG if it is garbled.
 */
static int
list_load(int rundir, struct scan *s)
{
	_cleanup_close_ int fd = -1;
	int r;

	fd = openat(rundir, LIST_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	r = list_map(fd, &s->map, &s->maplen);
	if (r >= 0)
		r = list_parse(s->map, s->maplen, &s->e, &s->n);
	if (r < 0)
		scan_free(s);
	return r;
}

/*
 * Read every entry into s, from the list or else from each entry's own
 * file, reaping stale ones when reap (the lock is held): s keeps the text
 * of the live ones, creating and dying ones included, for scan_emit; the
 * others have r < 0.
 */
static int
scan_collect(int rundir, bool reap, struct scan *s)
{
	uint64_t lock_ino = 0;
	struct stat st;
	int r;

	*s = (struct scan){ .rundir = rundir };
	if (list_load(rundir, s) >= 0) {
		/* the list's inodes are stat's, as are those /proc/locks shows */
		if (fstatat(rundir, ".lock", &st, AT_SYMLINK_NOFOLLOW) == 0)
			lock_ino = st.st_ino;
	} else {
		r = registry_entries(rundir, &s->e, &s->n, &lock_ino);
		if (r < 0)
			return r;
	}
	/* /proc/locks only vouches for entries while we hold .lock */
	if (reap && s->n >= LOCKSET_MIN)
		s->known = lockset_fill(rundir, lock_ino, s->e, s->n);
	scan_read(s);
	for (size_t i = 0; i < s->n; i++) {
		struct entry_ref *e = &s->e[i];

		r = e->r;
		if (r >= 0) {
			r = entry_settle(rundir, e, reap);
			if (r < 0 && r != -ENOENT && r != -EBADMSG)
				r = jail_errctx(r, "%s/%d", JAIL_RUNDIR,
				    e->jid);
		} else if (r != -ENOENT && r != -EBADMSG)
			/* read on a thread, which set no message */
			r = jail_syserr(r, "%s/%d", JAIL_RUNDIR, e->jid);
		if (r < 0)
			entry_drop(e);
		/* gone, half-written or reaped: as if it were not there */
		e->r = r == -EBADMSG ? -ENOENT : r;
		if (e->r < 0 && e->r != -ENOENT) {
			scan_free(s);
			return r;
		}
	}
	/* none, or more than half of it overridden: written whole */
	if (reap && (s->map == NULL || (s->maplen > LIST_SLACK &&
	    list_size(s->e, s->n) < s->maplen / 2)))
		(void)list_write(rundir, s->e, s->n);
	return 0;
}

/*
 * Hand fn, in jid order, each jail of s whose state is in states (a mask
 * of 1 << enum jail_state), parsed from its text; fn owns it.  An entry's
 * memory is freed once parsed, and the memory one jail took serves the
 * next when fn frees it: a jls holds one parsed jail at a time.  Frees s
 * whatever happens; fn's error ends it.
 */
static int
scan_emit(struct scan *s, unsigned states, jail_fn fn, void *arg)
{
	int r = 0;

	for (size_t i = 0; i < s->n && r >= 0; i++) {
		struct entry_ref *e = &s->e[i];
		struct jail *j;

		if (e->r < 0)
			continue;
		j = jail_new();
		r = j == NULL ? jail_seterr(-ENOMEM, "out of memory")
		    : entry_parse(e, j);
		entry_drop(e);
		if (r >= 0 && (states & 1u << j->state))
			r = fn(TAKE_PTR(j), arg);
		else if (r == -ENOENT || r == -EBADMSG)
			r = 0;	/* garbled: as if it were not there */
		else if (r < 0)
			r = jail_errctx(r, "%s/%d", JAIL_RUNDIR, e->jid);
		jail_free(j);
	}
	scan_free(s);
	return r;
}

/*
 * Call fn on every running jail (and dying ones when dying), in jid
 * order; fn owns each jail it is given, and its error ends the walk.  The
 * entries are read under the registry lock and handed out after it is
 * let go: fn may take its time (jls writing to a pipe).  A reader who may
 * not take the lock (jls as an ordinary user, as on FreeBSD) reads
 * without it and leaves stale entries alone.
 */
int
state_each(bool dying, jail_fn fn, void *arg)
{
	_cleanup_close_ int lock = -1, rundir = -1;
	struct scan s;
	int r;

	r = state_lock(&lock);
	if (r < 0 && r != -EACCES)
		return r;
	rundir = open_rundir();
	if (rundir == -ENOENT)
		return 0;	/* no jail was ever made here */
	if (rundir < 0)
		return rundir;
	r = scan_collect(rundir, lock >= 0, &s);
	if (r < 0)
		return r;
	(void)close(TAKE_FD(lock));
	return scan_emit(&s, 1u << JS_ACTIVE | (dying ? 1u << JS_DYING : 0),
	    fn, arg);
}

struct jail_vec {
	struct jail **v;
	size_t n, cap;
};

static int
jail_vec_add(struct jail *j, void *arg)
{
	struct jail_vec *c = arg;
	struct jail **nv;

	if (c->n == c->cap) {
		nv = realloc(c->v, (c->cap = c->cap * 2 + 16) *
		    sizeof(struct jail *));
		if (nv == NULL) {
			jail_free(j);
			return jail_seterr(-ENOMEM, "out of memory");
		}
		c->v = nv;
	}
	c->v[c->n++] = j;
	return 0;
}

/* Every running jail (and dying ones when asked), sorted by jid. */
int
state_list(bool dying, struct jail ***ret_v, size_t *ret_n)
{
	struct jail_vec c = { .v = NULL };
	int r = state_each(dying, jail_vec_add, &c);

	if (r < 0) {
		state_list_free(c.v, c.n);
		return r;
	}
	*ret_v = c.v;
	*ret_n = c.n;
	return 0;
}

static bool
jail_matches(const struct jail *j, const char *s)
{
	if (is_jid(s))
		return j->jid == atoi(s);
	return strcmp(jail_name(j), s) == 0;
}

/* One jail by a full scan: names without a link (too long to be one). */
static int
find_by_scan(const char *s, struct jail **ret)
{
	struct jail **v = NULL;
	size_t n = 0;
	int r;

	r = state_list(true, &v, &n);
	if (r < 0)
		return r;
	r = -ENOENT;
	for (size_t i = 0; i < n; i++)
		if (jail_matches(v[i], s)) {
			*ret = TAKE_PTR(v[i]);
			r = 0;
			break;
		}
	state_list_free(v, n);
	return r;
}

/*
 * One jail by its entry, or its name's link: -ENOENT if none, -ENOLINK
 * if the name cannot have a link or there are no links yet (a scan must
 * say).  Reads no other entry.
 */
static int
find_direct(const char *s, struct jail **ret)
{
	_cleanup_close_ int lock = -1, rundir = -1;
	char path[sizeof(NAMES_DIR) + NAME_MAX + 8];
	struct jail *j = NULL;
	int r, jid;

	if (!is_jid(s) && index_path(s, path, sizeof(path)) < 0)
		return -ENOLINK;
	r = state_lock(&lock);
	if (r < 0 && r != -EACCES)
		return r;
	rundir = open_rundir();
	if (rundir < 0)
		return rundir;
	jid = is_jid(s) ? atoi(s) : index_get(rundir, s);
	if (jid == -ENOENT && faccessat(rundir, NAMES_DIR, F_OK, 0) < 0)
		return -ENOLINK;
	r = jid > 0 ? entry_get(rundir, jid, lock >= 0, &j) : -ENOENT;
	if (r < 0)
		return r;
	if (j->state == JS_CREATING || !jail_matches(j, s)) {
		jail_free(j);
		return -ENOENT;
	}
	*ret = j;
	return 0;
}

/* One jail by jid or name, as FreeBSD's jail_getid(3) finds it. */
int
state_find(const char *s, struct jail **ret)
{
	int r = find_direct(s, ret);

	if (r == -ENOLINK)
		r = find_by_scan(s, ret);
	return r == -ENOENT
	    ? jail_seterr(-ENOENT, "jail \"%s\" not found", s) : r;
}

/* Take the lock and open /run/jail: every change starts here. */
static int
state_open(int *ret_lock, int *ret_rundir)
{
	int r = state_lock(ret_lock);

	if (r < 0)
		return r;
	*ret_rundir = open_rundir();
	return *ret_rundir < 0 ? *ret_rundir : 0;
}

static int
index_one(struct jail *j, void *arg)
{
	int r = index_set(*(const int *)arg, jail_name(j), j->jid);

	jail_free(j);
	return r;
}

/*
 * Make names/ if there is none, linking the jails made before it (by a
 * gaol without it, earlier in this boot).
 */
static int
index_ensure(int rundir)
{
	struct scan s;
	int r;

	if (mkdirat(rundir, NAMES_DIR, 0755) < 0)
		return errno == EEXIST ? 0
		    : jail_syserr(-errno, "%s/%s", JAIL_RUNDIR, NAMES_DIR);
	r = scan_collect(rundir, true, &s);
	if (r < 0)
		return r;
	return scan_emit(&s, (1u << JS__MAX) - 1, index_one, &rundir);
}

/*
 * The lowest jid with no entry (FreeBSD hands out the lowest free one),
 * from the directory's names alone: a stale entry keeps its jid until a
 * scan (jls) reaps it.
 */
static int
lowest_free_jid(int rundir, int *ret)
{
	_cleanup_free_ struct entry_ref *v = NULL;
	size_t n = 0;
	int jid = 1, r = registry_entries(rundir, &v, &n, NULL);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n && v[i].jid <= jid; i++)
		if (v[i].jid == jid)
			jid++;
	*ret = jid;
	return 0;
}

/* Whether a live entry (or a dying one, for the jid) holds jid or name. */
static int
check_unique(int rundir, int jid, const char *name)
{
	_cleanup_(jail_freep) struct jail *o = NULL;
	int other;

	if (entry_get(rundir, jid, true, &o) == 0)
		return jail_seterr(-EEXIST, "jail %d already exists", jid);
	if (name == NULL || is_jid(name))
		return 0;
	other = index_get(rundir, name);
	if (other > 0 && entry_get(rundir, other, true, &o) == 0 &&
	    !o->gone && strcmp(jail_name(o), name) == 0)
		return jail_seterr(-EEXIST, "jail \"%s\" already exists",
		    name);
	return 0;
}

/* Give the jail its jid and default name; refuse numeric names != jid. */
static int
assign_ids(int rundir, struct jail *j)
{
	const char *name = param_isset(&j->params, P_NAME)
	    ? param_str(&j->params, P_NAME) : NULL;
	char buf[16];
	int r = 0;

	j->jid = param_isset(&j->params, P_JID)
	    ? (int)param_int(&j->params, P_JID) : 0;
	if (j->jid == 0)
		r = lowest_free_jid(rundir, &j->jid);
	if (r < 0)
		return r;
	if (name != NULL && is_jid(name) && atoi(name) != j->jid)
		return jail_seterr(-EINVAL,
		    "name: numeric name \"%s\" must be the jid", name);
	r = check_unique(rundir, j->jid, name);
	if (r < 0)
		return r;
	(void)snprintf(buf, sizeof(buf), "%d", j->jid);
	r = param_import_value(&j->params, P_JID, buf, false, false);
	if (r >= 0 && name == NULL)
		r = param_import_value(&j->params, P_NAME, buf, false, false);
	return r;
}

/*
 * Reserve a jid and name for a jail about to be created: the entry is
 * "creating", owned by this process, so a crash mid-create leaves an
 * entry the next reader reaps.
 */
int
state_reserve(struct jail *j)
{
	_cleanup_close_ int lock = -1, rundir = -1, self = -1;
	char name[16];
	int r;

	r = state_open(&lock, &rundir);
	if (r >= 0)
		r = index_ensure(rundir);
	if (r >= 0)
		r = assign_ids(rundir, j);
	if (r < 0)
		return r;
	(void)snprintf(name, sizeof(name), "%d", j->jid);
	(void)state_unlink(rundir, j->jid, NULL); /* a half-written leftover */
	if (mkdirat(rundir, name, 0755) < 0)
		return jail_syserr(-errno, "mkdir %s/%s", JAIL_RUNDIR, name);
	j->state = JS_CREATING;
	j->lockfd = openat(rundir, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (j->lockfd < 0 || entry_lock(j->lockfd, LOCK_LIVE + 1) < 0) {
		r = jail_syserr(-errno, "%s/%s: lock", JAIL_RUNDIR, name);
		(void)state_unlink(rundir, j->jid, NULL);
		return r;
	}
	j->locked = true;
	self = (int)syscall(SYS_pidfd_open, getpid(), 0);
	r = proc_ref_of(getpid(), self, &j->init);
	if (r >= 0)
		r = state_write(rundir, j);
	if (r < 0)
		(void)state_unlink(rundir, j->jid, jail_name(j));
	return r;
}

/* Rewrite an entry (status, pid, parameters) under the lock. */
int
state_commit(const struct jail *j)
{
	_cleanup_close_ int lock = -1, rundir = -1;
	int r = state_open(&lock, &rundir);

	return r < 0 ? r : state_write(rundir, j);
}

/* Forget a jail: its entry goes, its jid and name are free again. */
int
state_remove(const struct jail *j)
{
	_cleanup_close_ int lock = -1, rundir = -1;
	int r = state_open(&lock, &rundir);

	return r < 0 ? r : state_unlink(rundir, j->jid, jail_name(j));
}
