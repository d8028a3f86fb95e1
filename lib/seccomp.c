/*
 * seccomp.c: the system calls a jailed process may not make although no
 * capability guards them.  Installed in every process entering a jail,
 * while it still holds CAP_SYS_ADMIN (so without no_new_privs: setuid
 * programs inside the jail keep working).  The full policy, and the
 * allow.* parameters that widen it, belong to the confinement work; this
 * is the part that closes a way out of the jail today.
 */
#include <sched.h>
#include <seccomp.h>

#include "jail-int.h"

/*
 * Keyrings are not per jail: a jailed uid 0 would share the host root's
 * user keyring (keyctl(KEYCTL_READ) of its keys).  User namespaces would
 * hand a jailed process a full capability set over new namespaces and
 * the kernel surface behind them; clone3's flags sit in memory seccomp
 * cannot read, so it answers ENOSYS and libc falls back to clone(2),
 * whose flags it can (as Docker's and systemd-nspawn's filters do).
 */
static int
add_rules(scmp_filter_ctx ctx)
{
	static const int nokeys[] = { SCMP_SYS(keyctl), SCMP_SYS(add_key),
		SCMP_SYS(request_key) };
	int r = 0;

	for (size_t i = 0; r == 0 && i < nitems(nokeys); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nokeys[i], 0);
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
		    SCMP_SYS(unshare), 1,
		    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone),
		    1, SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
		    SCMP_SYS(clone3), 0);
	return r;
}

/* Install the jail's filter on this process (and all it will start). */
int
seccomp_confine(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r;

	if (ctx == NULL)
		return jail_seterr(-ENOMEM, "seccomp: out of memory");
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (r == 0)
		r = add_rules(ctx);
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	return r < 0 ? jail_syserr(r, "seccomp") : 0;
}
