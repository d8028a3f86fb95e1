// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-tty.c: terminals: a pseudo-terminal must work in the jail, while
 * pushing input into a terminal (TIOCSTI), the virtual consoles
 * (TIOCLINUX) and vhangup stay out of reach.
 *
 * Only the probe's own new pseudo-terminal is ever written to; the
 * attempts that need a controlling terminal make a new session with its
 * own pty, in a child.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "probe.h"

static int linger_fd = -1;

/* A new pty master, its slave's name in pts. */
static int
new_pty(char *pts, size_t len)
{
	int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return setup_error("posix_openpt");
	if (grantpt(fd) < 0 || unlockpt(fd) < 0 ||
	    ptsname_r(fd, pts, len) != 0) {
		(void)close(fd);
		return setup_error("grantpt/unlockpt/ptsname");
	}
	return fd;
}

/*
 * openpty: a pseudo-terminal must work, with its slave in the jail's own
 * /dev/pts.  "openpty SECONDS" keeps it open that long after the report so
 * a test can look for it from outside.
 */
int
probe_openpty(const char *arg)
{
	char pts[64];
	struct stat st;
	int fd;

	(void)arg;
	if ((fd = new_pty(pts, sizeof(pts))) < 0)
		return fd;
	if (strncmp(pts, "/dev/pts/", 9) != 0 || stat(pts, &st) < 0 ||
	    !S_ISCHR(st.st_mode)) {
		(void)close(fd);
		note("slave %s is not in /dev/pts", pts);
		return P_ERROR;
	}
	note("%s", pts);
	linger_fd = fd;
	return 0;
}

/* After the report: keep the pty open for "openpty SECONDS". */
void
openpty_linger(const char *arg)
{
	if (arg != NULL && linger_fd >= 0)
		(void)sleep((unsigned)atoi(arg));
	if (linger_fd >= 0)
		(void)close(linger_fd);
	linger_fd = -1;
}

/*
 * In a child: a new session whose controlling terminal is a new pty, and
 * TIOCSTI of one byte into it (CVE-2016-7545, CVE-2017-5226: a jailed
 * process typing commands into the terminal of whoever started it).
 */
static int
do_tiocsti(const void *arg)
{
	char pts[64];
	int m, s, r;

	(void)arg;
	(void)signal(SIGHUP, SIG_IGN);	/* closing its own terminal */
	if (setsid() < 0 || (m = new_pty(pts, sizeof(pts))) < 0)
		return P_ERROR;
	if ((s = open(pts, O_RDWR)) < 0) {
		(void)close(m);
		return P_ERROR;
	}
	(void)ioctl(s, TIOCSCTTY, 0);
	r = child_errno(ioctl(s, TIOCSTI, "\n"));
	(void)close(s);
	(void)close(m);
	return r;
}

int
probe_tiocsti(const char *arg)
{
	int r;

	(void)arg;
	r = in_child(do_tiocsti, NULL);
	if (r >= 0)
		note("TIOCSTI on its own terminal: %s", r == 0 ? "succeeded" :
		    errno_name(r));
	return r;
}

/*
 * tioclinux: the virtual consoles must not be there; if one is, a
 * harmless TIOCLINUX query (the shift state) must fail.
 */
int
probe_tioclinux(const char *arg)
{
	static const char *const ttys[] = { "/dev/tty0", "/dev/tty1",
		"/dev/console" };
	int first = 0;

	(void)arg;
	for (size_t i = 0; i < nitems(ttys); i++) {
		char sub = 6;	/* TIOCL_GETSHIFTSTATE */
		int fd = open(ttys[i], O_RDONLY | O_NOCTTY | O_CLOEXEC);

		if (fd < 0) {
			if (first == 0)
				first = fail_errno(ttys[i]);
			continue;
		}
		if (ioctl(fd, TIOCLINUX, &sub) == 0) {
			(void)close(fd);
			note("TIOCLINUX on %s succeeded", ttys[i]);
			return 0;
		}
		if (first == 0)
			first = fail_errno("TIOCLINUX");
		(void)close(fd);
	}
	return first;
}

/* vhangup in a new session (no terminal to hang up): CAP_SYS_TTY_CONFIG. */
static int
do_vhangup(const void *arg)
{
	(void)arg;
	if (setsid() < 0)
		return P_ERROR;
	return child_errno(vhangup());
}

int
probe_vhangup(const char *arg)
{
	int r;

	(void)arg;
	r = in_child(do_vhangup, NULL);
	if (r >= 0)
		note("vhangup: %s", r == 0 ? "succeeded" : errno_name(r));
	return r;
}
