// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-kernel.c: privileged operations on the whole machine: kernel
 * modules, kexec, reboot, swap, process accounting, the clock, the kernel
 * log, quotas, I/O ports, personality, resource limits and scheduling.
 *
 * None may change the host where it succeeds.  Each is made so that,
 * past the kernel's permission check, it fails for a harmless reason or
 * does nothing: an empty module image, a name no module has, an invalid
 * reboot magic, a path that does not exist, the current time, a tick out
 * of range.  The errno then says "refused" (EPERM) or "would have worked"
 * (the other error).  Anything that changes the calling process only
 * (iopl, personality, limits, priority) runs in a child that exits.
 */
#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>
#define HAVE_IOPL 1
#endif
#include <sys/klog.h>
#include <sys/personality.h>
#include <sys/quota.h>
#include <sys/resource.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <linux/kexec.h>
#include <linux/reboot.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

#define NOWHERE "/nonexistent/gaol-probe"

/* init_module of an empty image: EPERM, or ENOEXEC/EFAULT once allowed. */
int
probe_init_module(const char *arg)
{
	(void)arg;
	return sys_outcome(syscall(SYS_init_module, NULL, 0UL, ""),
	    "init_module (empty image)");
}

/* finit_module of fd -1: EPERM, or EBADF once allowed. */
int
probe_finit_module(const char *arg)
{
	(void)arg;
	return sys_outcome(syscall(SYS_finit_module, -1, "", 0),
	    "finit_module (fd -1)");
}

/* delete_module of a name no module has: EPERM, or ENOENT. */
int
probe_delete_module(const char *arg)
{
	(void)arg;
	return sys_outcome(syscall(SYS_delete_module, "gaol_probe_none",
	    O_NONBLOCK), "delete_module gaol_probe_none");
}

/*
 * kexec_load with more segments than the kernel takes and a flag it does
 * not know: EINVAL once allowed (checked after CAP_SYS_BOOT), EPERM
 * refused.  nr_segments 0 would unload the loaded kernel: never.
 */
int
probe_kexec_load(const char *arg)
{
	(void)arg;
	return sys_outcome(syscall(SYS_kexec_load, 0UL, 17UL, NULL,
	    0x100UL), "kexec_load (17 segments, unknown flag)");
}

/* kexec_file_load of fd -1 with an unknown flag: EINVAL/EBADF or EPERM. */
int
probe_kexec_file_load(const char *arg)
{
	(void)arg;
	return sys_outcome(syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL,
	    0x80000000UL), "kexec_file_load (fd -1, unknown flag)");
}

/* reboot with an invalid magic: EINVAL once allowed, EPERM refused. */
int
probe_reboot(const char *arg)
{
	(void)arg;
	return sys_outcome(syscall(SYS_reboot, 0, 0,
	    LINUX_REBOOT_CMD_CAD_ON, NULL), "reboot (invalid magic)");
}

/* swapon / swapoff / acct of a path that does not exist: ENOENT or EPERM. */
int
probe_swapon(const char *arg)
{
	(void)arg;
	return sys_outcome(swapon(NOWHERE, 0), "swapon " NOWHERE);
}

int
probe_swapoff(const char *arg)
{
	(void)arg;
	return sys_outcome(swapoff(NOWHERE), "swapoff " NOWHERE);
}

int
probe_acct(const char *arg)
{
	(void)arg;
	return sys_outcome(acct(NOWHERE), "acct " NOWHERE);
}

/* clock_settime to the time it is now (read just before). */
int
probe_clock_settime(const char *arg)
{
	struct timespec now;

	(void)arg;
	if (clock_gettime(CLOCK_REALTIME, &now) < 0)
		return setup_error("clock_gettime");
	return sys_outcome(clock_settime(CLOCK_REALTIME, &now),
	    "clock_settime (now)");
}

/* settimeofday(NULL, NULL): only the permission check, a no-op. */
int
probe_settimeofday(const char *arg)
{
	(void)arg;
	return sys_outcome(syscall(SYS_settimeofday, NULL, NULL),
	    "settimeofday(NULL, NULL)");
}

/*
 * adjtimex / clock_adjtime setting a tick 10% off: EINVAL once allowed
 * (the range is checked after CAP_SYS_TIME), EPERM refused.
 */
static void
bad_tick(struct timex *tx)
{
	memset(tx, 0, sizeof(*tx));
	tx->modes = ADJ_TICK;
	tx->tick = 1;
}

int
probe_adjtimex(const char *arg)
{
	struct timex tx;

	(void)arg;
	bad_tick(&tx);
	return sys_outcome(adjtimex(&tx), "adjtimex ADJ_TICK 1");
}

int
probe_clock_adjtime(const char *arg)
{
	struct timex tx;

	(void)arg;
	bad_tick(&tx);
	return sys_outcome(syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx),
	    "clock_adjtime ADJ_TICK 1");
}

/* syslog: reading the kernel log (SYSLOG_ACTION_READ_ALL) is refused. */
int
probe_syslog(const char *arg)
{
	char buf[512];
	int n;

	(void)arg;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf));
	if (n < 0)
		return fail_errno("syslog READ_ALL");
	note("syslog READ_ALL read %d bytes", n);
	return 0;
}

/*
 * quotactl: another user's quota on the root's filesystem needs
 * CAP_SYS_ADMIN (a read: nothing changes).  A filesystem without quota
 * support answers ENOSYS or EINVAL first: then nothing can be learnt.
 */
int
probe_quotactl(const char *arg)
{
	struct dqblk q;
	int fd, r;

	(void)arg;
	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return setup_error("open /");
	r = (int)syscall(SYS_quotactl_fd, fd, QCMD(Q_GETQUOTA, USRQUOTA),
	    54321, &q);
	r = r == 0 ? 0 : fail_errno("quotactl_fd Q_GETQUOTA uid 54321");
	(void)close(fd);
	if (r == EINVAL) {
		note("no user quotas on /: quotactl_fd EINVAL");
		return P_SKIP;
	}
	if (r == 0)
		note("quotactl_fd Q_GETQUOTA of uid 54321 succeeded");
	return r == ESRCH ? 0 : r;
}

/* In a child: raise the I/O privilege level, or open ports 0x80. */
static int
do_iopl(const void *arg)
{
	(void)arg;
#ifdef HAVE_IOPL
	return child_errno(iopl(3));
#else
	return P_SKIP;
#endif
}

static int
do_ioperm(const void *arg)
{
	(void)arg;
#ifdef HAVE_IOPL
	return child_errno(ioperm(0x80, 1, 1));
#else
	return P_SKIP;
#endif
}

int
probe_iopl(const char *arg)
{
	int r;

	(void)arg;
	r = in_child(do_iopl, NULL);
	note("iopl(3): %s", r == 0 ? "succeeded" : errno_name(r));
	return r;
}

int
probe_ioperm(const char *arg)
{
	int r;

	(void)arg;
	r = in_child(do_ioperm, NULL);
	note("ioperm(0x80): %s", r == 0 ? "succeeded" : errno_name(r));
	return r;
}

/* personality(PER_BSD): an execution domain the seccomp filter refuses. */
static int
do_personality(const void *arg)
{
	(void)arg;
	return personality(PER_BSD) == -1 ? errno : 0;
}

int
probe_personality(const char *arg)
{
	int r;

	(void)arg;
	r = in_child(do_personality, NULL);
	note("personality(PER_BSD): %s", r == 0 ? "succeeded" :
	    errno_name(r));
	return r;
}

/* rlimit: raising a hard limit needs CAP_SYS_RESOURCE. */
static int
do_rlimit(const void *arg)
{
	struct rlimit rl;

	(void)arg;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return P_ERROR;
	if (rl.rlim_max == RLIM_INFINITY)
		return P_SKIP;
	rl.rlim_max++;
	return child_errno(setrlimit(RLIMIT_NOFILE, &rl));
}

int
probe_rlimit(const char *arg)
{
	int r;

	(void)arg;
	r = in_child(do_rlimit, NULL);
	note("raise the RLIMIT_NOFILE hard limit: %s", r == 0 ? "succeeded" :
	    r == P_SKIP ? "unlimited already" : errno_name(r));
	return r;
}

/* nice / rtprio: a negative nice value, SCHED_FIFO: CAP_SYS_NICE. */
static int
do_nice(const void *arg)
{
	(void)arg;
	return child_errno(setpriority(PRIO_PROCESS, 0, -20));
}

static int
do_rtprio(const void *arg)
{
	struct sched_param sp = { .sched_priority = 1 };

	(void)arg;
	return child_errno(sched_setscheduler(0, SCHED_FIFO, &sp));
}

int
probe_nice(const char *arg)
{
	int r;

	(void)arg;
	r = in_child(do_nice, NULL);
	note("setpriority -20: %s", r == 0 ? "succeeded" : errno_name(r));
	return r;
}

int
probe_rtprio(const char *arg)
{
	int r;

	(void)arg;
	r = in_child(do_rtprio, NULL);
	note("SCHED_FIFO: %s", r == 0 ? "succeeded" : errno_name(r));
	return r;
}
