// SPDX-License-Identifier: BSD-2-Clause
/*
 * seccomp-cache.c: compiled filters kept in JAIL_RUNDIR/seccomp (root's
 * only, like the rest of /run/jail), named by a digest of what went into
 * them, so that only the first process entering a jail with a given set
 * of rows pays for libseccomp (milliseconds for two ABIs); and the form
 * they are kept in, which seccomp.c writes.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#include "confine/confine.h"
#include "seccomp-int.h"

/* FNV-1a over len bytes, continuing from h. */
static uint64_t
fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *b = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * UINT64_C(0x100000001b3);
	return h;
}

/* h, continued over groups' names and errnos and whether each applies. */
static uint64_t
fnv_groups(uint64_t h, const struct call_group *rows, size_t n,
    const struct jail_params *p)
{
	for (size_t i = 0; i < n; i++) {
		bool on = seccomp_gate_applies(p, rows[i].gate, rows[i].param);

		for (const char *const *s = rows[i].names; *s != NULL; s++)
			h = fnv(h, *s, strlen(*s) + 1);
		h = fnv(h, &rows[i].err, sizeof(rows[i].err));
		h = fnv(h, &on, sizeof(on));
	}
	return h;
}

/* h, continued over argument rules and whether each applies. */
static uint64_t
fnv_args(uint64_t h, const struct arg_rule *rows, size_t n,
    const struct jail_params *p)
{
	for (size_t i = 0; i < n; i++) {
		const struct arg_rule *ar = &rows[i];
		bool on = seccomp_gate_applies(p, ar->gate, ar->param);

		h = fnv(h, ar->name, strlen(ar->name) + 1);
		h = fnv(h, &ar->err, sizeof(ar->err));
		h = fnv(h, &ar->arg, sizeof(ar->arg));
		h = fnv(h, &ar->cmp, sizeof(ar->cmp));
		h = fnv(h, &ar->mask, sizeof(ar->mask));
		h = fnv(h, ar->vals, ar->nvals * sizeof(*ar->vals));
		if (ar->pre != NULL)
			h = fnv(h, ar->pre, sizeof(*ar->pre));
		h = fnv(h, &on, sizeof(on));
	}
	return h;
}

/*
 * The name of jail p's compiled filters in the cache (notify: of its
 * listener's filter): a digest of the rows, whether each applies to p,
 * the versions and the running program's file.  A filter from another
 * build of gaol or libseccomp never matches.
 */
static void
cache_name(const struct jail_params *p, bool notify, char *buf, size_t size)
{
	const struct scmp_version *v = seccomp_version();
	uint64_t h = UINT64_C(0xcbf29ce484222325), nl[8];
	struct stat st;

	h = fnv(h, GAOL_VERSION, sizeof(GAOL_VERSION));
	h = fnv(h, v, sizeof(*v));
	/* the code that builds it: a rebuilt program makes its own */
	if (stat("/proc/self/exe", &st) == 0) {
		h = fnv(h, &st.st_ino, sizeof(st.st_ino));
		h = fnv(h, &st.st_mtim, sizeof(st.st_mtim));
	}
	if (notify) {	/* the listener's filter: its own rows */
		h = fnv_groups(h, seccomp_notify_rows, seccomp_nnotify_rows, p);
		h = fnv_args(h, seccomp_notify_args, seccomp_nnotify_args, p);
		(void)snprintf(buf, size, "n%016" PRIx64 ".bpf", h);
		return;
	}
	h = fnv_groups(h, seccomp_allow_rows, seccomp_nallow_rows, p);
	h = fnv_groups(h, seccomp_errno_rows, seccomp_nerrno_rows, p);
	h = fnv_groups(h, seccomp_refusals, seccomp_nrefusals, p);
	h = fnv_groups(h, seccomp_entry_refusals, seccomp_nentry_refusals, p);
	h = fnv_args(h, seccomp_arg_rules, seccomp_narg_rules, p);
	h = fnv_args(h, &seccomp_netlink_rule, 1, p);
	h = fnv(h, nl, seccomp_netlink_protos(p, nl) * sizeof(*nl));
	(void)snprintf(buf, size, "%016" PRIx64 ".bpf", h);
}

/* Whether a filter of len instructions can be one. */
static bool
prog_len_ok(size_t len)
{
	return len >= 1 && len <= BPF_MAXINSNS;
}

/* The instructions of file fd, at most max: into *ret_v, *ret_n. */
static int
insns_read(int fd, size_t max, struct sock_filter **ret_v, size_t *ret_n)
{
	struct sock_filter *v;
	struct stat st;
	size_t n;

	if (fstat(fd, &st) < 0)
		return -errno;
	n = (size_t)st.st_size / sizeof(*v);
	if (st.st_size <= 0 || st.st_size % sizeof(*v) != 0 || n > max)
		return -EBADMSG;
	v = malloc((size_t)st.st_size);
	if (v == NULL)
		return -ENOMEM;
	if (pread(fd, v, (size_t)st.st_size, 0) != st.st_size) {
		free(v);
		return -EIO;
	}
	*ret_v = v;
	*ret_n = n;
	return 0;
}

/*
 * Compiled filters, as kept in the cache: two header instructions whose
 * k are the allow list's and the argument filter's lengths, the allow
 * list, the argument filter, the entry filter.
 */
int
seccomp_prog_read(int fd, struct seccomp_prog *ret)
{
	struct sock_filter *v = NULL;
	size_t n = 0;
	int r = insns_read(fd, 3 * BPF_MAXINSNS + 2, &v, &n);

	if (r < 0)
		return r;
	if (n < 5 || v[0].code != 0 || v[1].code != 0 ||
	    !prog_len_ok(v[0].k) || !prog_len_ok(v[1].k) ||
	    n - 2 <= (size_t)v[0].k + v[1].k ||
	    !prog_len_ok(n - 2 - v[0].k - v[1].k)) {
		free(v);
		return -EBADMSG;
	}
	ret->nallow = (unsigned short)v[0].k;
	ret->narg = (unsigned short)v[1].k;
	ret->n = (unsigned short)(n - 2);
	memmove(v, v + 2, ret->n * sizeof(*v));
	ret->v = v;
	return 0;
}

/*
 * Keep compiled filters for the next process (best effort): the allow
 * list's and the argument filter's lengths first, but for a listener's
 * filter (nallow 0).
 */
static void
cache_store(int dirfd, const char *name, const struct seccomp_prog *prog)
{
	struct sock_filter head[2] = { { 0, 0, 0, prog->nallow },
		{ 0, 0, 0, prog->narg } };
	size_t len = prog->n * sizeof(*prog->v);
	_cleanup_close_ int out = -1;
	char tmp[96];

	(void)snprintf(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
	out = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600);
	if (out < 0)
		return;
	if ((prog->nallow > 0 &&
	    write(out, head, sizeof(head)) != sizeof(head)) ||
	    write(out, prog->v, len) != (ssize_t)len ||
	    renameat(dirfd, tmp, dirfd, name) < 0)
		(void)unlinkat(dirfd, tmp, 0);
}

/* The cache of compiled filters, made if missing. */
static int
cache_dir(void)
{
	(void)registry_make();
	(void)mkdir(JAIL_RUNDIR "/seccomp", 0700);
	return open(JAIL_RUNDIR "/seccomp", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
}

/*
 * Jail p's filters (notify: its listener's), compiled.  libseccomp takes
 * milliseconds to build them for two ABIs, so each build is kept in
 * JAIL_RUNDIR/seccomp (root's only, like the rest of /run/jail) and read
 * back by the next process entering a jail with the same rows.
 */
static int
cache_get(const struct jail_params *p, bool notify, struct seccomp_prog *ret)
{
	_cleanup_close_ int dirfd = cache_dir(), fd = -1;
	char name[64];
	int r;

	cache_name(p, notify, name, sizeof(name));
	if (dirfd >= 0 && (fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC)) >= 0 && (notify ? seccomp_prog_read_all(fd, ret) :
	    seccomp_prog_read(fd, ret)) >= 0)
		return 0;
	r = notify ? seccomp_notify_compile(p, ret) : seccomp_compile(p, ret);
	if (r >= 0 && ret->n > 0 && dirfd >= 0)
		cache_store(dirfd, name, ret);
	return r < 0 ? r : 0;
}

/* Jail p's filters, from the cache or compiled (and kept). */
int
seccomp_program(const struct jail_params *p, struct seccomp_prog *ret)
{
	return cache_get(p, false, ret);
}

/* Read the n instructions fd holds into ret (nallow 0). */
int
seccomp_prog_read_all(int fd, struct seccomp_prog *ret)
{
	size_t n = 0;
	int r = insns_read(fd, BPF_MAXINSNS, &ret->v, &n);

	if (r < 0)
		return r;
	ret->n = (unsigned short)n;
	ret->nallow = 0;
	ret->narg = 0;
	return 0;
}

/*
 * The filter handing calls to a listener for jail p, compiled once and
 * kept, as the others (seccomp_program); ret->n is 0 when jail p has
 * nothing to hand over.  Read on the host's side, before the spawner
 * enters the jail: /run/jail is the host's.
 */
int
seccomp_notify_program(const struct jail_params *p, struct seccomp_prog *ret)
{
	*ret = (struct seccomp_prog){ NULL, 0, 0, 0 };
	return seccomp_notify_applies(p) ? cache_get(p, true, ret) : 0;
}
