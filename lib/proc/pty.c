// SPDX-License-Identifier: BSD-2-Clause
/*
 * pty.c: a terminal of the jail's own for an interactive command.
 *
 * The caller's terminal belongs to the host's devpts, which a jail never
 * sees: inside, ttyname(3) would fail and tmux, su or tty(1) would not
 * work.  So when jexec(8) or command= runs on a terminal, the command
 * gets a pty from the jail's own devpts instance (mount.devfs) as its
 * controlling terminal, and the caller relays between the two, its own
 * terminal in raw mode.  Without a usable /dev/ptmx in the jail the
 * command gets pipes relayed from and to the caller's terminal instead
 * (relay.c): the host's terminal itself never reaches a jail.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>

#include "proc/proc.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/*
 * Open the jail's /dev/ptmx from the host, resolved inside the jail's
 * root (it is the jail's to change) and accepted only if it is the pty
 * multiplexer itself, never a FIFO or a file that could block or lie.
 */
static int
open_ptmx(const struct jail *j)
{
	_cleanup_close_ int root = jail_root_open(j), fd = -1;
	char path[64];
	struct stat st;

	if (root < 0)
		return root;
	/* O_PATH first: nothing is opened for real before it is checked */
	fd = open_in_root(root, "dev/ptmx", O_PATH);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) ||
	    major(st.st_rdev) != 5 || minor(st.st_rdev) != 2)
		return -ENOTTY;
	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
}

/*
 * A pty pair in jail j, its size and modes copied from the caller's
 * terminal (fd 0).  The slave is opened from the master (TIOCGPTPEER),
 * so no path in the jail is looked up for it.
 */
int
pty_open(const struct jail *j, struct pty *ret)
{
	_cleanup_close_ int master = -1;
	struct termios tio;
	struct winsize ws;
	int unlock = 0, slave;

	master = open_ptmx(j);
	if (master < 0)
		return master;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return -errno;
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return -errno;
	if (tcgetattr(STDIN_FILENO, &tio) == 0)
		(void)tcsetattr(slave, TCSANOW, &tio);
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(master, TIOCSWINSZ, &ws);
	ret->master = TAKE_FD(master);
	ret->slave = slave;
	return 0;
}

/* In the child: the slave becomes its controlling terminal and stdio. */
int
pty_attach_child(struct pty *p)
{
	if (setsid() < 0 || ioctl(p->slave, TIOCSCTTY, 0) < 0)
		return jail_syserr(-errno, "controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(p->slave, fd) < 0)
			return jail_syserr(-errno, "dup2 terminal");
	return 0;
}

/* Copy what is there from one descriptor to the other; false at EOF. */
static bool
pump(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n <= 0)
		return n < 0 && (errno == EAGAIN || errno == EINTR);
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(to, buf + off, (size_t)(n - off));

		if (w < 0 && errno != EINTR && errno != EAGAIN)
			return false;
		off += w > 0 ? w : 0;
	}
	return true;
}

static void
resize(int master)
{
	struct winsize ws;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(master, TIOCSWINSZ, &ws);
}

/* One round of the relay; true when the child has ended. */
static bool
relay_round(struct pty *p, int pidfd, int sfd, bool *in_open,
    bool *out_open, int ms)
{
	struct pollfd f[4] = {
		{ .fd = *in_open ? STDIN_FILENO : -1, .events = POLLIN },
		{ .fd = *out_open ? p->master : -1, .events = POLLIN },
		{ .fd = pidfd, .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
	};

	if (poll(f, nitems(f), ms) <= 0)
		return false;
	if (f[0].revents != 0)
		*in_open = pump(STDIN_FILENO, p->master);
	if (f[1].revents != 0)
		*out_open = pump(p->master, STDOUT_FILENO);
	if (f[3].revents & POLLIN) {
		struct signalfd_siginfo si;

		(void)read(sfd, &si, sizeof(si));
		resize(p->master);
	}
	if (!(f[2].revents & POLLIN))
		return false;
	/* the child is gone: what it wrote last, then stop */
	while (*out_open && poll(&f[1], 1, 0) > 0)
		*out_open = pump(p->master, STDOUT_FILENO) &&
		    (f[1].revents & POLLIN);
	return true;
}

/*
 * Relay between the caller's terminal and the jail's pty until the child
 * (pidfd) exits, then drain what it wrote last; -ETIMEDOUT after
 * timeout_ms (< 0: none).  The caller's terminal is raw meanwhile (the
 * jail's pty does the line discipline) and restored on the way out;
 * window size changes follow the caller's.  The master is closed after
 * (pty_close): a process of the jail's still on the slave then gets
 * EIO, and never the caller's terminal.
 */
int
pty_relay(struct pty *p, int pidfd, int timeout_ms)
{
	struct termios saved, raw;
	bool restore = tcgetattr(STDIN_FILENO, &saved) == 0;
	bool in_open = true, out_open = true;
	long long end = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	sigset_t winch;
	int sfd, r = 0;

	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	(void)sigprocmask(SIG_BLOCK, &winch, NULL);
	sfd = signalfd(-1, &winch, SFD_CLOEXEC | SFD_NONBLOCK);
	if (restore) {
		raw = saved;
		cfmakeraw(&raw);
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	for (;;) {
		long long ms = end < 0 ? -1 : end - now_ms();

		if (end >= 0 && ms <= 0) {
			r = -ETIMEDOUT;
			break;
		}
		if (relay_round(p, pidfd, sfd, &in_open, &out_open, (int)ms))
			break;
	}
	if (restore)
		(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
	if (sfd >= 0)
		(void)close(sfd);
	(void)sigprocmask(SIG_UNBLOCK, &winch, NULL);
	return r;
}

void
pty_close(struct pty *p)
{
	if (p->master >= 0)
		(void)close(p->master);
	if (p->slave >= 0)
		(void)close(p->slave);
	p->master = p->slave = -1;
}
