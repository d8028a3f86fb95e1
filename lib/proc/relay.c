// SPDX-License-Identifier: BSD-2-Clause
/*
 * relay.c: the standard streams of a command jail(8) or jexec(8) starts
 * in a jail, and jail(8)'s side of them while it runs.
 *
 * What a command started in a jail keeps may be kept by every process it
 * leaves behind, and used long after the command that was given it has
 * ended.  So no terminal of the host's ever reaches a jail: a background
 * process would go on writing to the admin's terminal and reading the
 * keystrokes meant for the host's shell, and the terminal ioctls are a
 * way out of any jail (TIOCSTI, TIOCLINUX).  Nor does jail(8)'s stdout
 * or stderr: a `$(jail -c ...)` would wait for its last holder, and the
 * pipe or file behind it belongs to whoever called jail(8).  Instead the
 * command gets pipes of its own (stdout and stderr apart, so 2>/dev/null
 * still works; one pipe where jail(8)'s two are one open file, so their
 * order is kept), which jail(8) copies to and from its own streams while
 * the command runs and lets go of when it ends.  The jail keeps only
 * those pipes: what a background process writes to them later is read
 * and dropped by the jail's spawner (spawn_drain), so it neither blocks
 * nor dies of SIGPIPE, and reaches nobody.
 *
 * Nor does any host file, directory or device: a descriptor is a handle
 * on its object, which jailed root (CAP_DAC_OVERRIDE, CAP_FOWNER)
 * reopens through its magic link /proc/self/fd/N in any mode, chmods and
 * chowns; a directory leads out of every root (fchdir, openat "..").
 * `jexec web psql </etc/shadow` would let the jail rewrite the host's
 * shadow file, `jexec web sh </` leave its root, a block device reach a
 * disk.  What a jail is given is a pipe, a socket, a pty of its own
 * devpts (pty.c) or its own /dev/null; everything else is relayed.
 *
 * Per kind of command (enum attach_stdio):
 *   exec.* scripts     stdin /dev/null, stdout and stderr relayed;
 *   command=           stdin, stdout and stderr relayed;
 *   jexec              the caller's pipes and sockets as they are,
 *                      /dev/null as the jail's own, anything else (a
 *                      terminal, file, directory, device) relayed;
 * and a command on a terminal gets a pty of the jail's instead (pty.c),
 * exec.consolelog's pipe its stdout and stderr (the spawner writes the
 * file: spawn_log), a background exec.* script /dev/null for all three.
 * /dev/null is always the jail's own node; a jail without one gets an
 * empty pipe as stdin and, as output, a pipe the spawner drops.  This
 * file never reads what it relays.
 */
#include <fcntl.h>
#include <linux/kcmp.h>
#include <linux/magic.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "proc/proc.h"

#define RELAY_DRAIN_MAX (1U << 20)	/* bytes read after the command ended */
#define RELAY_PIPE (1U << 20)	/* a pipe's size, what is spliced at once */

void
relay_init(struct relay *r)
{
	/* not the buffer: 64 KiB of pages touched for nothing */
	memset(r, 0, offsetof(struct relay, buf));
	r->src = r->in = r->out[0] = r->out[1] = r->null = -1;
	for (int i = 0; i < 3; i++)
		r->child[i] = -1;
}

/* A descriptor above stderr, so that 0-2 stay as the caller left them. */
static int
fd_high(int fd)
{
	int nfd;

	if (fd < 0 || fd > 2)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	(void)close(fd);
	return nfd;
}

/* A pipe; ours is end `mine' (0 read, 1 write), non-blocking. */
static int
relay_pipe(int *ret_mine, int *ret_theirs, int mine)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return jail_syserr(-errno, "pipe");
	p[0] = fd_high(p[0]);
	p[1] = fd_high(p[1]);
	if (p[0] < 0 || p[1] < 0 ||
	    fcntl(p[mine], F_SETFL, O_NONBLOCK) < 0) {
		int r = -errno;

		(void)close(p[0]);
		(void)close(p[1]);
		return jail_syserr(r, "pipe");
	}
	*ret_mine = p[mine];
	*ret_theirs = p[!mine];
	return 0;
}

/*
 * The jail's own /dev/null, opened from the host: beneath the root its
 * init sees, no link followed, O_PATH first and taken only if it is the
 * null device.  The node is the jail's: what jailed root does to it
 * stays in the jail, unlike the host's /dev/null (fchmod 0 on that would
 * break every host user's).  -ENODEV when the jail has none.
 */
static int
jail_null(const struct jail *j, int *ret)
{
	_cleanup_close_ int root = -1, fd = -1;
	char self[64];
	struct stat st;

	root = jail_root_open(j);
	if (root < 0 || !proc_ref_alive(&j->init))
		return -ENODEV;	/* (the pid named someone else by now) */
	fd = open_in_root(root, "dev/null", O_PATH);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) ||
	    st.st_rdev != makedev(1, 3))
		return -ENODEV;
	(void)snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	*ret = fd_high(open(self, O_RDWR | O_NOCTTY | O_CLOEXEC));
	return *ret < 0 ? -ENODEV : 0;
}

/* /dev/null as fd 0-2: the jail's, once, dup'd for the others. */
static int
null_for(struct relay *r, const struct jail *j, int *ret)
{
	if (r->null < 0 && !r->no_null && jail_null(j, &r->null) < 0)
		r->no_null = true;
	if (r->null < 0)
		return -ENODEV;
	*ret = fcntl(r->null, F_DUPFD_CLOEXEC, 3);
	return *ret < 0 ? jail_syserr(-errno, "dup") : 0;
}

/* An empty stdin where the jail has no /dev/null: a pipe at EOF. */
static int
empty_in(int *ret)
{
	int wr, res = relay_pipe(&wr, ret, 1);

	if (res >= 0)
		(void)close(wr);
	return res;
}

/*
 * Output that leads nowhere where the jail has no /dev/null: a pipe
 * whose reading end the jail's spawner takes and drops what comes.
 */
static int
dropped_out(const struct jail *j, int *ret)
{
	int rd, res = relay_pipe(&rd, ret, 0);

	if (res < 0)
		return res;
	spawn_drain(j, &rd, 1);
	(void)close(rd);
	return 0;
}

/* Whether jail(8)'s stdout and stderr are one open file (2>&1). */
static bool
same_file(int a, int b)
{
	pid_t self = getpid();

	return syscall(SYS_kcmp, self, self, KCMP_FILE, a, b) == 0;
}

/* How one of the caller's fds 0-2 reaches the command. */
enum way {
	WAY_CLOSED,	/* closed stays closed */
	WAY_PASS,	/* as it is */
	WAY_NULL,	/* the jail's /dev/null in its place */
	WAY_RELAY,	/* a pipe jail(8) relays */
};

/*
 * jexec passes what names no object of the host's: a pipe (pipefs; a
 * named FIFO is a host file) or a socket, which /proc/self/fd cannot
 * reopen as anything but itself.  The null device becomes the jail's;
 * everything else is relayed, a terminal as well.
 */
static enum way
fd_way(int fd, enum attach_stdio mode)
{
	struct statfs fs;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return WAY_CLOSED;
	if (mode != ATTACH_PASS)
		return WAY_RELAY;
	if (S_ISSOCK(st.st_mode) || (S_ISFIFO(st.st_mode) &&
	    fstatfs(fd, &fs) == 0 && fs.f_type == PIPEFS_MAGIC))
		return WAY_PASS;
	if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3))
		return WAY_NULL;
	return WAY_RELAY;
}

/* stdin as mode wants it; closed stays closed. */
static int
setup_in(struct relay *r, const struct jail *j, enum attach_stdio mode)
{
	enum way w = mode == ATTACH_SCRIPT ? WAY_NULL :
	    fd_way(STDIN_FILENO, mode);
	int res;

	if (w == WAY_CLOSED)
		return 0;
	if (w == WAY_PASS) {
		r->child[0] = STDIN_FILENO;
		return 0;
	}
	if (w == WAY_NULL) {
		res = null_for(r, j, &r->child[0]);
		return res == -ENODEV ? empty_in(&r->child[0]) : res;
	}
	r->src = STDIN_FILENO;
	res = relay_pipe(&r->in, &r->child[0], 1);
	/* fewer rounds for a large file: as much as an unprivileged pipe */
	if (res >= 0)
		(void)fcntl(r->in, F_SETPIPE_SZ, RELAY_PIPE);
	return res;
}

/* stdout and stderr: relayed pipes, jexec's pipes, /dev/null, closed. */
static int
setup_out(struct relay *r, const struct jail *j, enum attach_stdio mode)
{
	for (int i = 0; i < 2; i++) {
		int fd = STDOUT_FILENO + i, res;
		enum way w = fd_way(fd, mode);

		if (w == WAY_CLOSED)
			continue;
		if (w == WAY_PASS) {
			r->child[fd] = fd;
			continue;
		}
		res = w == WAY_NULL ? null_for(r, j, &r->child[fd]) : -ENODEV;
		if (res != -ENODEV) {
			if (res < 0)
				return res;
			continue;
		}
		if (i == 1 && r->out[0] >= 0 && same_file(STDOUT_FILENO,
		    STDERR_FILENO)) {
			r->child[2] = fcntl(r->child[1], F_DUPFD_CLOEXEC, 3);
			if (r->child[2] < 0)
				return jail_syserr(-errno, "dup");
			continue;
		}
		res = relay_pipe(&r->out[i], &r->child[fd], 0);
		if (res < 0)
			return res;
		(void)fcntl(r->out[i], F_SETPIPE_SZ, RELAY_PIPE);
	}
	return 0;
}

/* A background command's: /dev/null in, logfd or /dev/null out. */
static int
setup_bg(struct relay *r, const struct jail *j, int logfd)
{
	int res = null_for(r, j, &r->child[0]);

	if (res == -ENODEV)
		res = empty_in(&r->child[0]);
	if (res < 0)
		return res;
	if (logfd >= 0) {
		r->child[1] = r->child[2] = logfd;
		return 0;
	}
	res = null_for(r, j, &r->child[1]);
	if (res == -ENODEV)
		res = dropped_out(j, &r->child[1]);
	if (res >= 0 && (r->child[2] = fcntl(r->child[1], F_DUPFD_CLOEXEC,
	    3)) < 0)
		res = jail_syserr(-errno, "dup");
	return res;
}

/*
 * Make the descriptors a command in jail j gets as its fds 0-2 (r->child,
 * -1 for closed) and jail(8)'s ends of them.  tty: it gets a pty
 * instead, and nothing is made here.  logfd (exec.consolelog's pipe)
 * takes stdout and stderr.
 */
int
relay_setup(struct relay *r, const struct jail *j, enum attach_stdio mode,
    bool bg, bool tty, int logfd)
{
	int res;

	relay_init(r);
	if (tty)
		return 0;
	if (bg)
		return setup_bg(r, j, logfd);
	res = setup_in(r, j, mode);
	if (res >= 0 && logfd >= 0)
		r->child[1] = r->child[2] = logfd;
	else if (res >= 0)
		res = setup_out(r, j, mode);
	return res;
}

/* The command has its copies: close ours of what it was given. */
void
relay_given(struct relay *r, int logfd)
{
	if (r->null >= 0)
		(void)close(r->null);
	r->null = -1;
	for (int i = 0; i < 3; i++) {
		int fd = r->child[i];

		r->child[i] = -1;
		if (fd <= 2 || fd == logfd)
			continue;	/* the caller's own, or not ours */
		for (int k = i + 1; k < 3; k++)
			if (r->child[k] == fd)
				r->child[k] = -1;
		(void)close(fd);
	}
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
	*fd = -1;
}

/*
 * Move what out[i] holds to fd 1 + i within the kernel (splice: the
 * file's side copies it, nothing of the host's enters the pipe): 1 when
 * done with this round, 0 at EOF or with its reader gone, -1 when fd 1 +
 * i cannot take a splice (O_APPEND, some devices): read and write.
 */
static int
splice_out(struct relay *r, int i, size_t *budget)
{
	int fd = STDOUT_FILENO + i, avail = 0;
	ssize_t n;

	for (;;) {
		n = splice(r->out[i], NULL, fd, NULL, RELAY_PIPE,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n > 0 && budget != NULL)
			*budget = (size_t)n < *budget ? *budget - (size_t)n : 0;
		if (n >= 0)
			return n > 0;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN && ioctl(r->out[i], FIONREAD, &avail) == 0 &&
		    avail > 0) {	/* fd is a full pipe: as write would */
			(void)poll(&(struct pollfd){ .fd = fd,
			    .events = POLLOUT }, 1, -1);
			continue;
		}
		if (errno != EINVAL && errno != ENOSYS)
			return errno == EAGAIN;
		r->no_splice[i] = true;
		return -1;
	}
}

/* Copy what came from the command on out[i] to fd 1 + i; false at EOF. */
static bool
pump_out(struct relay *r, int i, size_t *budget)
{
	char buf[16384];
	int moved = r->no_splice[i] ? -1 : splice_out(r, i, budget);
	ssize_t n;

	if (moved >= 0)
		return moved > 0;
	n = read(r->out[i], buf, sizeof(buf));
	if (n <= 0)
		return n < 0 && (errno == EAGAIN || errno == EINTR);
	if (budget != NULL)
		*budget = (size_t)n < *budget ? *budget - (size_t)n : 0;
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(STDOUT_FILENO + i, buf + off,
		    (size_t)(n - off));

		if (w < 0 && errno == EAGAIN) {
			(void)poll(&(struct pollfd){ .fd = STDOUT_FILENO + i,
			    .events = POLLOUT }, 1, -1);
			continue;
		}
		if (w < 0 && errno != EINTR)
			return false;	/* a reader gone: the command's next
					 * write gets EPIPE, as it would have */
		off += w > 0 ? w : 0;
	}
	return true;
}

/*
 * Copy the caller's input to the command's stdin, never blocking.  A
 * copy, never a splice: a spliced pipe would hold the pages of a host
 * file's page cache, and the jail may write to that pipe (it reopens
 * /proc/self/fd/0 for writing), which is all that CVE-2022-0847 (Dirty
 * Pipe) wanted to write into a file it could not open.
 */
static void
pump_in(struct relay *r, bool readable)
{
	ssize_t n;

	if (r->len == 0 && readable) {
		n = read(r->src, r->buf, sizeof(r->buf));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {		/* EOF: the command sees it too */
			r->src = -1;
			close_fd(&r->in);
			return;
		}
		r->len = (size_t)n;
		r->off = 0;
	}
	n = write(r->in, r->buf + r->off, r->len - r->off);
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		r->src = -1;		/* nobody reads it any more */
		close_fd(&r->in);
		r->len = 0;
		return;
	}
	r->off += n > 0 ? (size_t)n : 0;
	if (r->off == r->len)
		r->len = 0;
}

static int
ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	if (deadline == NULL)
		return -1;
	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000LL +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > 86400000 ? 86400000 : (int)ms;
}

/*
 * What the command wrote before it ended, bounded: a process it left may
 * write on.  A pipe nobody can write to any more is closed here.
 */
static void
drain(struct relay *r)
{
	size_t budget = RELAY_DRAIN_MAX;

	for (int i = 0; i < 2; i++)
		while (r->out[i] >= 0 && budget > 0) {
			struct pollfd p = { .fd = r->out[i], .events = POLLIN };
			int n = 0;

			if (ioctl(r->out[i], FIONREAD, &n) < 0 || n == 0) {
				if (poll(&p, 1, 0) == 1 && p.revents == POLLHUP)
					close_fd(&r->out[i]);	/* EOF */
				break;
			}
			if (!pump_out(r, i, &budget))
				close_fd(&r->out[i]);
		}
}

/* One round of poll; true when the command has ended. */
static bool
relay_round(struct relay *r, int pidfd, int ms)
{
	struct pollfd f[5] = {
		{ .fd = r->in >= 0 && r->len == 0 ? r->src : -1,
		    .events = POLLIN },
		{ .fd = r->len > 0 ? r->in : -1, .events = POLLOUT },
		{ .fd = r->out[0], .events = POLLIN },
		{ .fd = r->out[1], .events = POLLIN },
		{ .fd = pidfd, .events = POLLIN },
	};

	if (poll(f, nitems(f), ms) <= 0)
		return false;
	if (f[0].revents != 0 || f[1].revents != 0)
		pump_in(r, f[0].revents != 0);
	for (int i = 0; i < 2; i++)
		if (f[2 + i].revents != 0 && !pump_out(r, i, NULL))
			close_fd(&r->out[i]);
	return f[4].revents != 0;
}

/*
 * Relay until the command (pidfd) ends, then what it wrote last;
 * -ETIMEDOUT after timeout_ms (< 0: none).  jail(8) ignores SIGPIPE
 * meanwhile: a reader of its stdout gone is the command's business.
 */
int
relay_run(struct relay *r, int pidfd, int timeout_ms)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	struct timespec deadline;
	int res = 0;

	(void)clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	(void)sigaction(SIGPIPE, &ign, &old);
	for (;;) {
		int ms = ms_left(timeout_ms < 0 ? NULL : &deadline);

		if (ms == 0) {
			res = -ETIMEDOUT;
			break;
		}
		if (relay_round(r, pidfd, ms))
			break;
	}
	drain(r);
	(void)sigaction(SIGPIPE, &old, NULL);
	return res;
}

/*
 * Let go of the command's streams: its stdin closes (a process still
 * reading it sees EOF); an output pipe a process of the jail still holds
 * goes to the jail's spawner, which reads and drops what comes.
 */
void
relay_close(struct relay *r, const struct jail *j)
{
	int keep[2];
	size_t n = 0;

	close_fd(&r->in);
	for (int i = 0; i < 2; i++)
		if (r->out[i] >= 0)
			keep[n++] = r->out[i];
	if (n > 0 && j != NULL)
		spawn_drain(j, keep, n);
	for (int i = 0; i < 2; i++)
		close_fd(&r->out[i]);
	relay_given(r, -1);
}
