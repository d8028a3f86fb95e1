// SPDX-License-Identifier: BSD-2-Clause
/*
 * base.h: the lowest layer of libjail, what every other folder uses:
 * the one error type, the _cleanup_ helpers, the test suite's switches,
 * and references to processes that tell them from a later one with the
 * same pid.  It knows nothing of jails.
 */
#ifndef GAOL_BASE_H
#define GAOL_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "base/cleanup.h"
#include "jail.h"

#define JAIL_RUNDIR "/run/jail"

/* err.c: the one error type.  Each returns r (a negative errno). */
int jail_seterr(int r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int jail_syserr(int r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void jail_report_write(int fd, int r);
int jail_report_read(int fd, bool eof_ok, const char *who);
int jail_errctx(int r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * A process as the registry names it: its pid, and what tells it from a
 * later process given the same pid -- its start time (field 22 of
 * /proc/PID/stat) and, where pidfds have inodes of their own (pidfs,
 * Linux 6.9), its pidfs inode, unique for the boot (0 where there is
 * none).  The inode is checked on the pidfd itself, without a /proc
 * read.
 */
struct proc_ref {
	pid_t pid;
	unsigned long long start;
	uint64_t ino;
};

/* features.c: the test suite's switches (a -Dtest_switches=true build). */
const char *test_switch_value(const char *name);
bool test_switch(const char *name);

/* procref.c: process handles that refuse a recycled pid. */
int proc_starttime(pid_t pid, unsigned long long *ret);
int proc_ref_of(pid_t pid, int pidfd, struct proc_ref *ret);
int pidfd_open_checked(const struct proc_ref *p, int *ret_pidfd);
bool proc_ref_alive(const struct proc_ref *p);
int fd_wait(int fd, int timeout_ms);
long long now_ms(void);
int left_ms(long long end);

#endif
