/*
 * confine.c: what a jailed root keeps.
 *
 * Owns the capability set of processes inside a jail and the closing of
 * inherited descriptors before execve.  The kept set is, in spirit, what
 * FreeBSD's prison_priv_check() grants a jailed root: ownership and
 * permission overrides, uid/gid changes, signals within the jail,
 * privileged ports, chroot.  Everything that reaches the host kernel or
 * other jails (SYS_ADMIN, SYS_MODULE, SYS_RAWIO, SYS_TIME, SYS_BOOT,
 * MKNOD, NET_ADMIN, NET_RAW, SYS_PTRACE, DAC_READ_SEARCH, ...) is dropped
 * from the bounding set, so no setuid binary or file capability inside
 * the jail can win it back.  Widening lives in the allow.* parameters.
 */
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "jail-int.h"

#define CAPBIT(c) (UINT64_C(1) << (c))

const uint64_t confine_jail_caps = CAPBIT(CAP_CHOWN) |
    CAPBIT(CAP_DAC_OVERRIDE) | CAPBIT(CAP_FOWNER) | CAPBIT(CAP_FSETID) |
    CAPBIT(CAP_KILL) | CAPBIT(CAP_SETGID) | CAPBIT(CAP_SETUID) |
    CAPBIT(CAP_SETPCAP) | CAPBIT(CAP_NET_BIND_SERVICE) |
    CAPBIT(CAP_SYS_CHROOT) | CAPBIT(CAP_AUDIT_WRITE) | CAPBIT(CAP_SETFCAP);

static int
cap_last(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	char buf[16];
	long last;

	if (f == NULL || fgets(buf, sizeof(buf), f) == NULL)
		return CAP_LAST_CAP;
	last = strtol(buf, NULL, 10);
	return last > 0 && last < 64 ? (int)last : CAP_LAST_CAP;
}

/*
 * Reduce this process to the capabilities in keep: bounding set first
 * (needs CAP_SETPCAP, still held), then ambient, then the three sets.
 */
int
confine_caps(uint64_t keep)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];
	int last = cap_last();

	for (int c = 0; c <= last; c++)
		if (!(keep & CAPBIT(c)) &&
		    prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return jail_syserr(-errno, "drop capability %d", c);
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
