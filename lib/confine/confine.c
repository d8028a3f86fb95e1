// SPDX-License-Identifier: BSD-2-Clause
/*
 * confine.c: what a jailed root keeps.
 *
 * Owns the capability set of processes inside a jail, the System V IPC
 * choice (sysvmsg, sysvsem, sysvshm, allow.sysvipc) and the closing of
 * inherited descriptors before execve.  The kept set is, in spirit, what
 * FreeBSD's prison_priv_check() grants a jailed root: ownership and
 * permission overrides, uid/gid changes, signals within the jail,
 * privileged ports, chroot.  Everything that reaches the host kernel or
 * other jails is dropped from the bounding set, so no setuid binary or
 * file capability inside the jail can win it back.  Each allow.*
 * parameter adds or removes exactly one capability (confine_caps_for);
 * nothing may ever add one of never_caps.
 */
#include <assert.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "confine/confine.h"

#define CAPBIT(c) (UINT64_C(1) << (c))

/*
 * What every jailed root keeps (allow.* at their defaults): power over
 * the jail's own files, users and processes, and ports below 1024.
 * CAP_SETPCAP only lets it drop from its own bounding set; CAP_SETFCAP
 * writes file capabilities, which the bounding set caps again at execve.
 */
static const uint64_t base_caps = CAPBIT(CAP_CHOWN) |
    CAPBIT(CAP_DAC_OVERRIDE) | CAPBIT(CAP_FOWNER) | CAPBIT(CAP_FSETID) |
    CAPBIT(CAP_KILL) | CAPBIT(CAP_SETGID) | CAPBIT(CAP_SETUID) |
    CAPBIT(CAP_SETPCAP) | CAPBIT(CAP_NET_BIND_SERVICE) |
    CAPBIT(CAP_SYS_CHROOT) | CAPBIT(CAP_SETFCAP);

/*
 * Never granted, whatever a parameter says (and every capability not
 * in base_caps or added below is dropped too):
 * SYS_PTRACE: a jailed root could attach to a jexec child in the window
 *   before it drops its privileges, and read the host through it;
 * SYS_ADMIN: mount, namespaces, and a hundred host-wide operations;
 * SYS_MODULE: kernel modules; SYS_RAWIO: I/O ports, /dev/mem, raw SCSI;
 * SYS_TIME: the clock is the host's; SYS_BOOT: reboot and kexec;
 * MKNOD: device nodes reaching the host's disks, past the devfs ruleset;
 * DAC_READ_SEARCH: open_by_handle_at(2) opens files outside the jail's
 *   root (the "shocker" escape);
 * SYS_RESOURCE: past rlimits and the file systems' reserved blocks;
 * BPF, PERFMON: kernel programs and tracing of the whole host;
 * CHECKPOINT_RESTORE: /proc/PID/map_files and chosen pids;
 * IPC_OWNER: with sysv*=inherit, every IPC object of the host.
 */
static const uint64_t never_caps = CAPBIT(CAP_SYS_PTRACE) |
    CAPBIT(CAP_SYS_ADMIN) | CAPBIT(CAP_SYS_MODULE) | CAPBIT(CAP_SYS_RAWIO) |
    CAPBIT(CAP_SYS_TIME) | CAPBIT(CAP_SYS_BOOT) | CAPBIT(CAP_MKNOD) |
    CAPBIT(CAP_DAC_READ_SEARCH) |
    CAPBIT(CAP_SYS_RESOURCE) | CAPBIT(CAP_BPF) | CAPBIT(CAP_PERFMON) |
    CAPBIT(CAP_CHECKPOINT_RESTORE) | CAPBIT(CAP_IPC_OWNER);

/* The capabilities a process entering jail p keeps (its bounding set). */
uint64_t
confine_caps_for(const struct jail_params *p)
{
	uint64_t caps = base_caps;

	/* FreeBSD: without suser, root in the jail is an ordinary user */
	if (!param_bool(p, P_ALLOW_SUSER))
		return 0;
	if (!param_bool(p, P_ALLOW_RESERVED_PORTS))
		caps &= ~CAPBIT(CAP_NET_BIND_SERVICE);
	/*
	 * Raw sockets on the host's stack (no vnet): as with FreeBSD's
	 * ip4=inherit, they see every packet of their protocol and may
	 * forge source addresses.  AF_PACKET stays refused by seccomp
	 * unless allow.socket_af.
	 */
	if (param_bool(p, P_ALLOW_RAW_SOCKETS))
		caps |= CAPBIT(CAP_NET_RAW);
	/*
	 * Interfaces, addresses, routes, firewall: only a vnet jail's own
	 * stack is in reach (FreeBSD's vnet jails configure theirs), the
	 * capability being held in the jail's own user namespace, which
	 * owns that stack and nothing else (vnet.c).  Without vnet they are
	 * the host's: never.  The price: nf_tables
	 * and rtnl-link-* module autoloading become reachable, the kernel
	 * surface most container escapes through CAP_NET_ADMIN used.
	 */
	if (vnet_new(p))
		caps |= CAPBIT(CAP_NET_ADMIN);
	/*
	 * Immutable and append-only flags.  FreeBSD: from securelevel 1
	 * they can no longer be turned off, so the jail may not touch them.
	 */
	if (param_bool(p, P_ALLOW_CHFLAGS) && param_int(p, P_SECURELEVEL) < 1)
		caps |= CAPBIT(CAP_LINUX_IMMUTABLE);
	/* locked memory is still charged to the jail's memory cgroup */
	if (param_bool(p, P_ALLOW_MLOCK))
		caps |= CAPBIT(CAP_IPC_LOCK);
	/*
	 * Read the kernel log.  seccomp limits syslog(2) to reading, so the
	 * jail cannot clear it or change the host's console level; note
	 * that CAP_SYSLOG also shows kernel addresses (%pK), as the log does.
	 */
	if (param_bool(p, P_ALLOW_READ_MSGBUF))
		caps |= CAPBIT(CAP_SYSLOG);
	/*
	 * The audit log is the host's, one for every jail: a record a jail
	 * writes (AUDIT_USER_*, what login and sudo send) reads as one of
	 * the host's.  The kernel asks for nothing but this capability
	 * (audit_netlink_ok; a jail is in the host's user namespace).
	 */
	if (param_bool(p, P_ALLOW_AUDIT))
		caps |= CAPBIT(CAP_AUDIT_WRITE);
	assert((caps & never_caps) == 0);
	return caps & ~never_caps;	/* and so in NDEBUG builds too */
}

static const enum param_id sysv_ids[] = { P_SYSVMSG, P_SYSVSEM, P_SYSVSHM };

/* The word for a sysv* value that is not "disable". */
static const char *
sys_word(long long v)
{
	return v == JAIL_SYS_NEW ? "new" : "inherit";
}

/*
 * System V IPC as FreeBSD's sysvmsg, sysvsem and sysvshm, at creation.
 * allow.sysvipc (FreeBSD's legacy switch) makes each of the three not
 * given "new" where FreeBSD makes it "inherit": two jails each running
 * a PostgreSQL would otherwise clash on the host's IPC keys, and the
 * host's objects would be the jail's root's to remove (uid 0 is uid 0).
 * Linux keeps all three in one IPC namespace, so "new" for one and
 * "inherit" for another cannot be honoured: refused, never half-done.
 * A "disable" one is refused at the system call (seccomp.c).
 */
int
confine_sysvipc(struct jail_params *p)
{
	enum param_id first = P__MAX;
	long long v;
	int r;

	for (size_t i = 0; i < nitems(sysv_ids); i++) {
		if (!param_bool(p, P_ALLOW_SYSVIPC) ||
		    param_isset(p, sysv_ids[i]))
			continue;
		r = param_import_value(p, sysv_ids[i], "new", false, false);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < nitems(sysv_ids); i++) {
		v = param_int(p, sysv_ids[i]);
		if (v == JAIL_SYS_DISABLE)
			continue;
		if (first == P__MAX)
			first = sysv_ids[i];
		else if (v != param_int(p, first))
			return jail_seterr(-EOPNOTSUPP,
			    "%s=%s with %s=%s: not supported: Linux has one "
			    "IPC namespace for all three",
			    param_table[first].name,
			    sys_word(param_int(p, first)),
			    param_table[sysv_ids[i]].name, sys_word(v));
	}
	return 0;
}

/*
 * Whether jail p shares the host's IPC namespace (some sysv* is
 * "inherit"); otherwise it gets its own, even with all three disabled,
 * so that nothing (POSIX message queues included) is shared.
 */
bool
confine_ipc_inherit(const struct jail_params *p)
{
	for (size_t i = 0; i < nitems(sysv_ids); i++)
		if (param_int(p, sysv_ids[i]) == JAIL_SYS_INHERIT)
			return true;
	return false;
}

/*
 * Drop from the bounding set every capability not in keep (needs
 * CAP_SETPCAP while one is left to drop): no execve can win them back.
 */
int
confine_bounding(uint64_t keep)
{
	for (int c = 0; c < 64; c++) {
		if ((keep & CAPBIT(c)) ||
		    prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == 0)
			continue;
		if (errno == EINVAL)	/* past the kernel's last one */
			return 0;
		return jail_syserr(-errno, "drop capability %d", c);
	}
	return 0;
}

/* Hold exactly keep: no ambient capability, keep permitted and effective. */
int
confine_caps_set(uint64_t keep)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return jail_syserr(-errno, "clear ambient capabilities");
	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = (uint32_t)keep;
	d[1].effective = d[1].permitted = (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &h, d) < 0)
		return jail_syserr(-errno, "capset");
	return 0;
}

/*
 * Reduce this process to the capabilities in keep: bounding set first
 * (needs CAP_SETPCAP, still held), then ambient, then the three sets.
 */
int
confine_caps(uint64_t keep)
{
	int r = confine_bounding(keep);

	return r < 0 ? r : confine_caps_set(keep);
}

static int
cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) -
	    (*(const int *)a < *(const int *)b);
}

/* Close every descriptor but the n in keep (which it sorts). */
void
close_all_but(int *keep, size_t n)
{
	unsigned from = 0;

	qsort(keep, n, sizeof(*keep), cmp_int);
	for (size_t i = 0; i <= n; i++) {
		unsigned to = i < n ? (unsigned)keep[i] : ~0U;

		if (i < n && keep[i] < 0)
			continue;
		if (to > from &&
		    syscall(SYS_close_range, from, to == ~0U ? to : to - 1, 0) < 0)
			for (unsigned fd = from; fd < to && fd < 65536; fd++)
				(void)close((int)fd);
		from = to + 1;
	}
}

/*
 * Mark every descriptor above stderr close-on-exec: no host descriptor
 * may survive into a jailed program (CVE-2016-9962 style leaks).
 */
void
confine_fds(void)
{
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	for (int fd = 3; fd < 65536; fd++)
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/*
 * Overwrite this process's argument area (its /proc/PID/cmdline) with
 * name: a jail's pid 1 is forked from jail(8) and would otherwise show
 * the host's command line, paths included, to every process in the jail.
 * The area's bounds are fields 48 and 49 of /proc/self/stat.
 */
int
confine_set_cmdline(const char *name)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/stat", "re");
	unsigned long start = 0, end = 0;
	char buf[1024], *p, *save = NULL;
	size_t len = strlen(name) + 1;
	int field = 3;		/* the first one after "pid (comm)" */

	if (f == NULL || fgets(buf, sizeof(buf), f) == NULL ||
	    (p = strrchr(buf, ')')) == NULL)
		return jail_syserr(-EIO, "/proc/self/stat");
	for (p = strtok_r(p + 1, " ", &save); p != NULL && field <= 49;
	     p = strtok_r(NULL, " ", &save), field++) {
		if (field == 48)
			start = strtoul(p, NULL, 10);
		else if (field == 49)
			end = strtoul(p, NULL, 10);
	}
	if (end <= start)
		return jail_syserr(-EIO, "/proc/self/stat: argument area");
	memset((void *)start, 0, end - start);
	memcpy((void *)start, name, len < end - start ? len : end - start - 1);
	(void)prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
	return 0;
}
