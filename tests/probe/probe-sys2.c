// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-sys2.c: the system call filter seen from each of the three ABIs
 * an x86_64 kernel runs (x86_64, x32 through the 0x40000000 bit, i386
 * through int $0x80 from this 64-bit process), system calls newer than
 * the filter's list, debugging a sibling, and netlink protocols.
 *
 * Every attempt is harmless where it succeeds: modify_ldt only reads the
 * (empty) LDT, an io_uring ring is closed at once, the unknown numbers
 * are numbers no kernel has, lsm_list_modules is given a flag it
 * refuses, the sibling is the probe's own child (one byte of its own
 * copy of a buffer is written, one of its descriptors duplicated and
 * closed), and netlink sockets are created and closed without a message.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/io_uring.h>
#include <linux/netlink.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

#define X32_BIT 0x40000000L

/* i386 system call numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
enum {
	I386_GETPID = 20,
	I386_SOCKETCALL = 102,
	I386_MODIFY_LDT = 123,
	I386_SOCKET = 359,
	I386_IO_URING_SETUP = 425,
};

#define SYS_SOCKET_CALL 1	/* socketcall(2)'s SYS_SOCKET */
#define NR_LSM_LIST_MODULES 461 /* Linux 6.8, unknown to libseccomp 2.5 */
#define NR_NONE 1023		/* a number no ABI has */

/*
 * An i386 system call from this 64-bit process: int $0x80 takes the
 * compat entry, whose arch seccomp sees as AUDIT_ARCH_I386.  The kernel
 * clears r8-r11 on the way back.
 */
static long
int80(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "r8", "r9", "r10", "r11");
	return r;
}

/* int80's result as a raw syscall's: -1 and errno, or the value. */
static long
int80_ret(long r)
{
	if ((int)r < 0 && (int)r > -4096) {
		errno = -(int)r;
		return -1;
	}
	return (int)r;
}

/* A page below 4 GiB, for the pointers an i386 call takes. */
static void *
low_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Can this kernel take i386 calls from a 64-bit process at all?  Asked
 * in a child: where the compat entry is off (ia32_emulation=0, some
 * virtual machines) int $0x80 raises a general protection fault.
 */
static bool
have_int80(void)
{
	static int known = -1;
	pid_t pid;
	int st;

	if (known >= 0)
		return known;
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(int80_ret(int80(I386_GETPID, 0, 0, 0)) == getpid() ? 0 : 1);
	known = pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0;
	if (!known)
		note("no i386 system calls (int $0x80) on this kernel");
	return known;
}

/* modify_ldt(0): read the LDT (a no-op; refused outside Docker's list). */
int
probe_ldt(const char *arg)
{
	char buf[16];

	(void)arg;
	return sys_outcome(syscall(SYS_modify_ldt, 0, buf, sizeof(buf)),
	    "modify_ldt read (x86_64)");
}

int
probe_ldt_x32(const char *arg)
{
	char buf[16];

	(void)arg;
	return sys_outcome(syscall(X32_BIT | SYS_modify_ldt, 0, buf,
	    sizeof(buf)), "modify_ldt read (x32)");
}

int
probe_ldt_i386(const char *arg)
{
	char *buf = low_page();
	long r;

	(void)arg;
	if (!have_int80())
		return P_SKIP;
	if (buf == NULL)
		return setup_error("mmap MAP_32BIT");
	r = int80_ret(int80(I386_MODIFY_LDT, 0, (long)buf, 16));
	r = sys_outcome(r, "modify_ldt read (i386)");
	(void)munmap(buf, 4096);
	return (int)r;
}

/* io_uring_setup through the x32 and i386 numbers; the ring is closed. */
int
probe_uring_x32(const char *arg)
{
	struct io_uring_params p;

	(void)arg;
	memset(&p, 0, sizeof(p));
	return fd_outcome(syscall(X32_BIT | SYS_io_uring_setup, 1, &p),
	    "io_uring_setup (x32)");
}

int
probe_uring_i386(const char *arg)
{
	void *p = low_page();
	long r;

	(void)arg;
	if (!have_int80())
		return P_SKIP;
	if (p == NULL)
		return setup_error("mmap MAP_32BIT");
	memset(p, 0, sizeof(struct io_uring_params));
	r = int80_ret(int80(I386_IO_URING_SETUP, 1, (long)p, 0));
	(void)munmap(p, 4096);
	return fd_outcome(r, "io_uring_setup (i386)");
}

/*
 * nosys-new: lsm_list_modules with a flag it does not know: EINVAL from
 * the kernel, ENOSYS from a filter whose list is older than the call,
 * as it is for every number libseccomp 2.5 does not know (a C library
 * then falls back to an older call).  A libseccomp that knows it turns
 * the answer into EPERM: the test says which it expects.
 */
int
probe_nosys_new(const char *arg)
{
	uint32_t size = 0;

	(void)arg;
	return sys_outcome(syscall(NR_LSM_LIST_MODULES, NULL, &size, 1),
	    "lsm_list_modules with an unknown flag");
}

/*
 * nosys-abis: a number no ABI has, through all three: ENOSYS each time
 * (EPERM would keep a C library from falling back).  Anything else is an
 * error, not an escape.
 */
int
probe_nosys_abis(const char *arg)
{
	static const char *const abi[] = { "x86_64", "x32", "i386" };
	long r[3];

	(void)arg;
	r[0] = syscall(NR_NONE);
	r[0] = r[0] < 0 ? errno : 0;
	r[1] = syscall(X32_BIT | NR_NONE);
	r[1] = r[1] < 0 ? errno : 0;
	r[2] = ENOSYS;		/* where the kernel has no i386 calls */
	if (have_int80()) {
		r[2] = int80_ret(int80(NR_NONE, 0, 0, 0));
		r[2] = r[2] < 0 ? errno : 0;
	}
	for (size_t i = 0; i < 3; i++)
		if (r[i] != ENOSYS) {
			note("system call %d (%s): %s", NR_NONE, abi[i],
			    r[i] ? errno_name((int)r[i]) : "succeeded");
			return P_ERROR;
		}
	note("system call %d: ENOSYS on x86_64, x32 and i386", NR_NONE);
	return ENOSYS;
}

/* A child that waits to be killed; its pid, or -1. */
static pid_t
sleeper(void)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		for (;;)
			(void)pause();
	}
	return pid;
}

static void
reap(pid_t pid)
{
	(void)kill(pid, SIGKILL);
	(void)waitpid(pid, NULL, 0);
}

/* pidfd-getfd-child: a copy of the probe's own child's stdin. */
int
probe_pidfd_getfd_child(const char *arg)
{
	pid_t pid = sleeper();
	long pidfd, r;

	(void)arg;
	if (pid < 0)
		return setup_error("fork");
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		reap(pid);
		return setup_error("pidfd_open");
	}
	r = syscall(SYS_pidfd_getfd, (int)pidfd, 0, 0);
	(void)close((int)pidfd);
	reap(pid);
	return fd_outcome(r, "pidfd_getfd of a child's fd 0");
}

static char vm_byte = 'a';

/* vm-write-child: one byte into the child's copy of vm_byte. */
int
probe_vm_write_child(const char *arg)
{
	char c = 'b';
	struct iovec local = { &c, 1 };
	struct iovec remote = { &vm_byte, 1 };
	pid_t pid = sleeper();
	long r;

	(void)arg;
	if (pid < 0)
		return setup_error("fork");
	r = process_vm_writev(pid, &local, 1, &remote, 1, 0);
	reap(pid);
	return sys_outcome(r, "process_vm_writev into a child");
}

/* A netlink socket of protocol proto, closed at once. */
static int
netlink(int proto, const char *what)
{
	return fd_outcome(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto),
	    what);
}

int
probe_nl_route(const char *arg)
{
	(void)arg;
	return netlink(NETLINK_ROUTE, "socket NETLINK_ROUTE");
}

int
probe_nl_sock_diag(const char *arg)
{
	(void)arg;
	return netlink(NETLINK_SOCK_DIAG, "socket NETLINK_SOCK_DIAG");
}

int
probe_nl_audit(const char *arg)
{
	(void)arg;
	return netlink(NETLINK_AUDIT, "socket NETLINK_AUDIT");
}

int
probe_nl_generic(const char *arg)
{
	(void)arg;
	return netlink(NETLINK_GENERIC, "socket NETLINK_GENERIC");
}

int
probe_nl_netfilter(const char *arg)
{
	(void)arg;
	return netlink(NETLINK_NETFILTER, "socket NETLINK_NETFILTER");
}

int
probe_nl_uevent(const char *arg)
{
	(void)arg;
	return netlink(NETLINK_KOBJECT_UEVENT, "socket NETLINK_KOBJECT_UEVENT");
}

int
probe_nl_xfrm(const char *arg)
{
	(void)arg;
	return netlink(NETLINK_XFRM, "socket NETLINK_XFRM");
}

int
probe_nl_connector(const char *arg)
{
	(void)arg;
	return netlink(NETLINK_CONNECTOR, "socket NETLINK_CONNECTOR");
}

/*
 * The same protocol with stray bits above the 32 the kernel reads: a
 * filter comparing 64 bits must not take it for another protocol.
 */
int
probe_nl_diag_high(const char *arg)
{
	(void)arg;
	return fd_outcome(syscall(SYS_socket, AF_NETLINK | (1L << 32),
	    SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG | (1L << 32)),
	    "socket NETLINK_SOCK_DIAG (high bits set)");
}

/* nl-diag-i386 / nl-route-i386: the direct i386 socket call. */
static int
netlink_i386(int proto, const char *what)
{
	if (!have_int80())
		return P_SKIP;
	return fd_outcome(int80_ret(int80(I386_SOCKET, AF_NETLINK,
	    SOCK_RAW | SOCK_CLOEXEC, proto)), what);
}

int
probe_nl_diag_i386(const char *arg)
{
	(void)arg;
	return netlink_i386(NETLINK_SOCK_DIAG,
	    "socket NETLINK_SOCK_DIAG (i386)");
}

int
probe_nl_route_i386(const char *arg)
{
	(void)arg;
	return netlink_i386(NETLINK_ROUTE, "socket NETLINK_ROUTE (i386)");
}

/*
 * socketcall-i386: socket(2) through i386's multiplexer, whose arguments
 * lie in memory no filter can read: refused whatever they are, here
 * those of a NETLINK_SOCK_DIAG socket.
 */
int
probe_socketcall_i386(const char *arg)
{
	uint32_t *args = low_page();
	long r;

	(void)arg;
	if (!have_int80())
		return P_SKIP;
	if (args == NULL)
		return setup_error("mmap MAP_32BIT");
	args[0] = AF_NETLINK;
	args[1] = SOCK_RAW | SOCK_CLOEXEC;
	args[2] = NETLINK_SOCK_DIAG;
	r = int80_ret(int80(I386_SOCKETCALL, SYS_SOCKET_CALL, (long)args, 0));
	(void)munmap(args, 4096);
	return fd_outcome(r, "socketcall SYS_SOCKET NETLINK_SOCK_DIAG (i386)");
}
