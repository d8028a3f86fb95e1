// SPDX-License-Identifier: BSD-2-Clause
/*
 * seccomp.c: the jail's system call filter, compiled from the rows of
 * seccomp-table.c (and kept compiled: seccomp-cache.c), and installed.
 *
 * Three filters, stacked; the kernel answers with the strictest: the
 * allow list (default ENOSYS, every call libseccomp knows but the list
 * does not allow EPERM, the allowed ones ALLOW whatever their arguments),
 * the argument filter (default ALLOW; refuses namespace flags, personas,
 * TIOCSTI, socket families and netlink protocols, syslog actions, System
 * V IPC turned off) and the entry filter (default ALLOW; refuses setns,
 * which the two others let the spawner make on its way in: it loads
 * those, the long ones, while the jail's init still builds the jail).
 * Each covers x86_64 and i386, and refuses x32 whole.  libseccomp
 * compares 64-bit arguments on x86_64, so a value with stray high bits
 * never slips past a rule the kernel would truncate to 32 bits
 * (CVE-2019-7303, snapd's TIOCSTI filter).  Installed in every process
 * entering a jail, while it still holds CAP_SYS_ADMIN, so without
 * no_new_privs: setuid programs inside the jail keep working.  A fourth
 * filter, kept compiled as well, hands some calls to a listener
 * (seccomp_notify_listener): the jail's hostname calls and the sockets
 * its broker makes on the host's stack.
 *
 * A refusal that cannot be installed is an error naming the call: the
 * jail does not start.  A name of the allow list this libseccomp does
 * not know stays refused, which is harmless.  Never prints, never exits.
 */
#include <assert.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine/confine.h"
#include "seccomp-int.h"

/* Whether a row gated by g on parameter id applies to jail p. */
bool
seccomp_gate_applies(const struct jail_params *p, enum gate g,
    enum param_id id)
{
	switch (g) {
	case G_ALWAYS:
		return true;
	case G_UNLESS:
		return !param_bool(p, id);
	case G_IF:
		return param_bool(p, id);
	case G_DISABLED:
		return param_int(p, id) == JAIL_SYS_DISABLE;
	case G_VNET:
		return vnet_new(p);
	case G_NETNS:
		return net_own_ns(p);
	case G_BROKER:
		return net_brokered(p, id == P_IP4 ? AF_INET : AF_INET6);
	case G_NOFAMILY:
		return net_refused(p, id == P_IP4 ? AF_INET : AF_INET6);
	}
	abort();
}

/*
 * The native number of a call a refusal names; an error naming it if
 * libseccomp does not know it (the jail must not start without it).
 * Calls missing on the native arch resolve to a pseudo number, which
 * libseccomp maps onto the arches that have them (ipc on i386).
 */
static int
resolve(const char *name, int *ret)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR)
		return jail_seterr(-ENOSYS,
		    "seccomp: %s: system call unknown to libseccomp", name);
	*ret = nr;
	return 0;
}

/* Add rule act for call nr, or write an error naming it. */
static int
whole_add(scmp_filter_ctx ctx, uint32_t act, int nr, const char *name)
{
	int r = seccomp_rule_add(ctx, act, nr, 0);

	return r < 0 ? jail_syserr(r, "seccomp: %s", name) : 0;
}

/* Refuse every call of g with its errno, whatever its arguments. */
static int
group_refuse(scmp_filter_ctx ctx, const struct call_group *g)
{
	int nr = 0, r = 0;

	for (const char *const *n = g->names; r == 0 && *n != NULL; n++) {
		r = resolve(*n, &nr);
		if (r == 0)
			r = whole_add(ctx, SCMP_ACT_ERRNO(g->err), nr, *n);
	}
	return r;
}

/* Allow every call of g; one libseccomp does not know stays ENOSYS. */
static int
group_allow(scmp_filter_ctx ctx, const struct call_group *g)
{
	int nr = 0, r = 0;

	for (const char *const *n = g->names; r == 0 && *n != NULL; n++) {
		nr = seccomp_syscall_resolve_name(*n);
		if (nr != __NR_SCMP_ERROR)
			r = whole_add(ctx, SCMP_ACT_ALLOW, nr, *n);
	}
	return r;
}

/* Is name in one of the groups (whose gate applies to p, if p)? */
static bool
in_groups(const struct call_group *rows, size_t n, const char *name,
    const struct jail_params *p)
{
	for (size_t i = 0; i < n; i++) {
		if (p != NULL &&
		    !seccomp_gate_applies(p, rows[i].gate, rows[i].param))
			continue;
		for (const char *const *s = rows[i].names; *s != NULL; s++)
			if (strcmp(*s, name) == 0)
				return true;
	}
	return false;
}

/* The ABIs add_arches covers; ABI_CALLS numbers of each are asked. */
static const uint32_t abis[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86 };
#define ABI_CALLS 1024

/* EPERM for name, if libseccomp knows it and jail p may not call it. */
static int
refuse_known(scmp_filter_ctx ctx, const struct jail_params *p,
    const char *name)
{
	if (in_groups(seccomp_allow_rows, seccomp_nallow_rows, name, p) ||
	    in_groups(seccomp_errno_rows, seccomp_nerrno_rows, name, NULL))
		return 0;
	return whole_add(ctx, SCMP_ACT_ERRNO(EPERM),
	    seccomp_syscall_resolve_name(name), name);
}

/*
 * Every call libseccomp knows on either ABI that jail p may not make:
 * EPERM (a number it does not know keeps the default, ENOSYS).  A name
 * seen on both ABIs is added twice; libseccomp merges the duplicates.
 */
static int
add_refused(scmp_filter_ctx ctx, const struct jail_params *p)
{
	int r = 0;

	for (size_t a = 0; r == 0 && a < nitems(abis); a++) {
		for (int i = 0; r == 0 && i < ABI_CALLS; i++) {
			char *name = seccomp_syscall_resolve_num_arch(abis[a],
			    i);

			if (name != NULL)
				r = refuse_known(ctx, p, name);
			free(name);
		}
	}
	return r;
}

/* The allow list's rules for jail p. */
static int
add_allow_list(scmp_filter_ctx ctx, const struct jail_params *p)
{
	const struct call_group *g;
	int r = 0;

	for (size_t i = 0; r == 0 && i < seccomp_nallow_rows; i++) {
		g = &seccomp_allow_rows[i];
		if (seccomp_gate_applies(p, g->gate, g->param))
			r = group_allow(ctx, g);
	}
	/*
	 * ENOSYS is the list's default, which libseccomp takes no rule
	 * for: such a row only keeps its calls out of the EPERM ones.
	 */
	for (size_t i = 0; r == 0 && i < seccomp_nerrno_rows; i++) {
		g = &seccomp_errno_rows[i];
		if (seccomp_gate_applies(p, g->gate, g->param) &&
		    g->err != ENOSYS)
			r = group_refuse(ctx, g);
	}
	return r == 0 ? add_refused(ctx, p) : r;
}

/*
 * One rule: call nr is refused with ar's errno when arg op (a, b) holds
 * (and ar's other argument matches, if it names one).
 */
static int
cmp_add(scmp_filter_ctx ctx, const struct arg_rule *ar, int nr,
    enum scmp_compare op, uint64_t a, uint64_t b)
{
	struct scmp_arg_cmp c[2] = { { ar->arg, op, a, b } };
	unsigned n = 1;
	int r;

	if (ar->pre != NULL)
		c[n++] = (struct scmp_arg_cmp) { ar->pre->arg,
			SCMP_CMP_MASKED_EQ, ar->pre->mask, ar->pre->val };
	/* a rule without an errno hands the call over (notify_add) */
	r = seccomp_rule_add_array(ctx, ar->err == 0 ? SCMP_ACT_NOTIFY :
	    SCMP_ACT_ERRNO(ar->err), nr, n, c);
	return r < 0 ? jail_syserr(r, "seccomp: %s", ar->name) : 0;
}

/*
 * Refuse lo <= arg <= hi (hi < 2^32).  libseccomp takes one comparison
 * per argument and rule, so the range is cut into aligned power-of-two
 * blocks, each one masked compare that also requires the high bits 0.
 */
static int
range_add(scmp_filter_ctx ctx, const struct arg_rule *ar, int nr, uint64_t lo,
    uint64_t hi)
{
	int r = 0;

	assert(hi <= UINT32_MAX);
	while (r == 0 && lo <= hi) {
		uint64_t size = lo == 0 ? UINT64_C(1) << 32 : lo & -lo;

		while (lo + size - 1 > hi)
			size >>= 1;
		r = cmp_add(ctx, ar, nr, SCMP_CMP_MASKED_EQ, ~(size - 1), lo);
		lo += size;
	}
	return r;
}

/* Refuse every value but ar's: the gaps between them, and above. */
static int
notin_add(scmp_filter_ctx ctx, const struct arg_rule *ar, int nr)
{
	uint64_t lo = 0;
	int r = 0;

	for (size_t i = 0; r == 0 && i < ar->nvals; i++) {
		assert(ar->vals[i] >= lo && ar->vals[i] <= UINT32_MAX);
		if (ar->vals[i] > lo)
			r = range_add(ctx, ar, nr, lo, ar->vals[i] - 1);
		lo = ar->vals[i] + 1;
	}
	if (r == 0)
		r = cmp_add(ctx, ar, nr, SCMP_CMP_GT, lo - 1, 0);
	return r;
}

/* The rules of one argument rule; several rules on a call are ORed. */
static int
arg_rule_add(scmp_filter_ctx ctx, const struct arg_rule *ar)
{
	int nr = 0, r;

	r = resolve(ar->name, &nr);
	if (r < 0)
		return r;
	if (ar->cmp == A_NOTIN)
		return notin_add(ctx, ar, nr);
	for (size_t i = 0; r == 0 && i < ar->nvals; i++)
		r = cmp_add(ctx, ar, nr, SCMP_CMP_MASKED_EQ,
		    ar->cmp == A_MASKED ? ar->mask : ar->vals[i], ar->vals[i]);
	return r;
}

/* The netlink protocols jail p may open, sorted, into vals; how many. */
size_t
seccomp_netlink_protos(const struct jail_params *p, uint64_t *vals)
{
	size_t n = 0;

	for (size_t i = 0; i < seccomp_nnetlink_rows; i++) {
		const struct netlink_row *nl = &seccomp_netlink_rows[i];

		assert(i == 0 || nl->proto > seccomp_netlink_rows[i - 1].proto);
		if (seccomp_gate_applies(p, nl->gate, nl->param))
			vals[n++] = (uint64_t)nl->proto;
	}
	return n;
}

/* Refuse the calls of each of the n groups rows that applies to jail p. */
static int
groups_refuse(scmp_filter_ctx ctx, const struct call_group *rows, size_t n,
    const struct jail_params *p)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < n; i++)
		if (seccomp_gate_applies(p, rows[i].gate, rows[i].param))
			r = group_refuse(ctx, &rows[i]);
	return r;
}

/* The argument filter's rules for jail p. */
static int
add_arg_rules(scmp_filter_ctx ctx, const struct jail_params *p)
{
	struct arg_rule nl = seccomp_netlink_rule;
	uint64_t vals[8];
	int r;

	static_assert(nitems(vals) >= 4, "netlink rows");
	assert(seccomp_nnetlink_rows <= nitems(vals));
	r = groups_refuse(ctx, seccomp_refusals, seccomp_nrefusals, p);
	for (size_t i = 0; r == 0 && i < seccomp_narg_rules; i++) {
		const struct arg_rule *ar = &seccomp_arg_rules[i];

		if (seccomp_gate_applies(p, ar->gate, ar->param))
			r = arg_rule_add(ctx, ar);
	}
	nl.vals = vals;
	nl.nvals = seccomp_netlink_protos(p, vals);
	return r == 0 ? arg_rule_add(ctx, &nl) : r;
}

/*
 * The filters cover x86_64 and i386, whose numbers could otherwise make
 * the refused calls.  x32's (bit 30 set), which Debian's kernels turn
 * off unless booted with syscall.x32=y, are refused whole with ENOSYS,
 * as there: their rows would make the allow list half as long again,
 * loaded at every spawner's start.  Other arches keep libseccomp's
 * answer, KILL.
 */
static int
add_arches(scmp_filter_ctx ctx)
{
	int r;

	if (seccomp_arch_native() != SCMP_ARCH_X86_64)
		return 0;
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_ERRNO(ENOSYS));
	if (r < 0)
		return jail_syserr(r, "seccomp: architecture");
	for (size_t i = 0; i < nitems(abis); i++) {
		r = seccomp_arch_add(ctx, abis[i]);
		if (r < 0 && r != -EEXIST)
			return jail_syserr(r, "seccomp: architecture");
	}
	return 0;
}

/* A libseccomp context for the ABIs, default action def. */
static scmp_filter_ctx
ctx_new(uint32_t def)
{
	scmp_filter_ctx ctx = seccomp_init(def);

	if (ctx == NULL)
		return NULL;
	/*
	 * A binary tree over the call numbers: a few comparisons reach
	 * any of the ~400 rows per ABI, where a list takes hundreds.
	 */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0 ||
	    add_arches(ctx) < 0) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/* Build one of jail p's filters with add and append it to fd. */
static int
prog_export(const struct jail_params *p, uint32_t def,
    int (*add)(scmp_filter_ctx, const struct jail_params *), int fd)
{
	scmp_filter_ctx ctx = ctx_new(def);
	int r;

	if (ctx == NULL)
		return jail_seterr(-ENOMEM, "seccomp: cannot set up a filter");
	r = add(ctx, p);
	if (r == 0 && (r = seccomp_export_bpf(ctx, fd)) < 0)
		r = jail_syserr(r, "seccomp: export");
	seccomp_release(ctx);
	return r;
}

/* The entry filter's rules for jail p. */
static int
add_entry(scmp_filter_ctx ctx, const struct jail_params *p)
{
	return groups_refuse(ctx, seccomp_entry_refusals,
	    seccomp_nentry_refusals, p);
}

/* Compile jail p's filters with libseccomp into fd, in the cache's form. */
static int
prog_compile(const struct jail_params *p, int fd)
{
	struct sock_filter head[2] = { { 0, 0, 0, 0 }, { 0, 0, 0, 0 } };
	off_t end, start;
	int r;

	if (write(fd, head, sizeof(head)) != sizeof(head))
		return jail_syserr(-errno, "seccomp: export");
	r = prog_export(p, SCMP_ACT_ERRNO(ENOSYS), add_allow_list, fd);
	start = lseek(fd, 0, SEEK_CUR);
	if (r >= 0)
		r = prog_export(p, SCMP_ACT_ALLOW, add_arg_rules, fd);
	end = lseek(fd, 0, SEEK_CUR);
	if (r < 0)
		return r;
	head[0].k = (uint32_t)((size_t)start / sizeof(*head) - 2);
	head[1].k = (uint32_t)((size_t)(end - start) / sizeof(*head));
	if (start < 0 || end < 0 ||
	    pwrite(fd, head, sizeof(head), 0) != sizeof(head))
		return jail_syserr(-errno, "seccomp: export");
	return prog_export(p, SCMP_ACT_ALLOW, add_entry, fd);
}

/* Jail p's filters, compiled now (no cache). */
int
seccomp_compile(const struct jail_params *p, struct seccomp_prog *ret)
{
	_cleanup_close_ int fd = memfd_create("seccomp", MFD_CLOEXEC);
	int r;

	if (fd < 0)
		return jail_syserr(-errno, "seccomp: memfd");
	r = prog_compile(p, fd);
	if (r < 0)
		return r;
	r = seccomp_prog_read(fd, ret);
	return r < 0 ? jail_syserr(r, "seccomp: export") : 0;
}

/* Install n instructions from v on this process; >= 0 or -errno. */
static int
load(struct sock_filter *v, unsigned short n, unsigned flags,
    const char *what)
{
	struct sock_fprog fp = { n, v };
	int r = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fp);

	return r < 0 ? jail_syserr(-errno, "seccomp: %s", what) : r;
}

/*
 * Install the compiled filters on this process (and all it will start):
 * the allow list, then the argument filter; the entry filter, once in
 * the jail, is seccomp_load_entry's.  Needs CAP_SYS_ADMIN, as
 * no_new_privs stays off (setuid programs in the jail keep working).
 */
int
seccomp_load_program(const struct seccomp_prog *prog)
{
	int r = load(prog->v, prog->nallow, 0, "allow list");

	if (r >= 0)
		r = load(prog->v + prog->nallow, prog->narg, 0,
		    "argument filter");
	return r < 0 ? r : 0;
}

/* The entry filter, last: no setns from here on. */
int
seccomp_load_entry(const struct seccomp_prog *prog)
{
	unsigned short skip = (unsigned short)(prog->nallow + prog->narg);
	int r = load(prog->v + skip, (unsigned short)(prog->n - skip), 0,
	    "entry filter");

	return r < 0 ? r : 0;
}

/*
 * The rules of the filter handing calls to a listener, for jail p
 * (seccomp_notify_rows, seccomp_notify_args); *ret_n is how many apply.
 */
static int
notify_add(scmp_filter_ctx ctx, const struct jail_params *p, size_t *ret_n)
{
	int r = add_arches(ctx);
	size_t n = 0;

	for (size_t i = 0; r == 0 && i < seccomp_nnotify_rows; i++) {
		const struct call_group *g = &seccomp_notify_rows[i];

		if (!seccomp_gate_applies(p, g->gate, g->param))
			continue;
		for (const char *const *c = g->names; r == 0 && *c != NULL;
		     c++, n++)
			r = whole_add(ctx, SCMP_ACT_NOTIFY,
			    seccomp_syscall_resolve_name(*c), *c);
	}
	for (size_t i = 0; r == 0 && i < seccomp_nnotify_args; i++) {
		const struct arg_rule *ar = &seccomp_notify_args[i];

		if (!seccomp_gate_applies(p, ar->gate, ar->param))
			continue;
		r = arg_rule_add(ctx, ar);
		n++;
	}
	*ret_n = n;
	return r;
}

/* A context with the notifying filter of jail p; NULL if it has none. */
static int
notify_ctx(const struct jail_params *p, scmp_filter_ctx *ret)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	size_t n = 0;
	int r;

	*ret = NULL;
	if (ctx == NULL)
		return jail_seterr(-ENOMEM, "seccomp: out of memory");
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (r < 0)
		r = jail_syserr(r, "seccomp: listener");
	if (r == 0)
		r = notify_add(ctx, p, &n);
	if (r < 0 || n == 0) {
		seccomp_release(ctx);
		return r;
	}
	*ret = ctx;
	return 0;
}

/*
 * The filter handing calls to a listener, compiled for the tests, not
 * installed: ret->n is 0 when jail p has none.
 */
int
seccomp_notify_compile(const struct jail_params *p, struct seccomp_prog *ret)
{
	_cleanup_close_ int fd = -1;
	scmp_filter_ctx ctx = NULL;
	int r = notify_ctx(p, &ctx);

	*ret = (struct seccomp_prog){ NULL, 0, 0, 0 };
	if (r < 0 || ctx == NULL)
		return r;
	fd = memfd_create("seccomp", MFD_CLOEXEC);
	if (fd < 0)
		r = jail_syserr(-errno, "seccomp: memfd");
	else if ((r = seccomp_export_bpf(ctx, fd)) < 0)
		r = jail_syserr(r, "seccomp: export");
	seccomp_release(ctx);
	if (r >= 0 && (r = seccomp_prog_read_all(fd, ret)) < 0)
		r = jail_syserr(r, "seccomp: export");
	return r < 0 ? r : 0;
}

/* Whether any row of the listener's filter applies to jail p. */
bool
seccomp_notify_applies(const struct jail_params *p)
{
	for (size_t i = 0; i < seccomp_nnotify_rows; i++)
		if (seccomp_gate_applies(p, seccomp_notify_rows[i].gate,
		    seccomp_notify_rows[i].param) &&
		    seccomp_notify_rows[i].names[0] != NULL)
			return true;
	for (size_t i = 0; i < seccomp_nnotify_args; i++)
		if (seccomp_gate_applies(p, seccomp_notify_args[i].gate,
		    seccomp_notify_args[i].param))
			return true;
	return false;
}

/*
 * Install prog, the listener's filter, stacked on the others (whose
 * ALLOW it outranks): *ret_fd is its listener, -1 when prog is empty.
 * The caller sends it to the socket broker, else to init (uts.c).
 */
int
seccomp_notify_listener(const struct seccomp_prog *prog, int *ret_fd)
{
	int fd = 0;

	*ret_fd = -1;
	if (prog->n > 0 && (fd = load(prog->v, prog->n,
	    SECCOMP_FILTER_FLAG_NEW_LISTENER, "listener")) >= 0)
		*ret_fd = fd;
	return fd < 0 ? fd : 0;
}
