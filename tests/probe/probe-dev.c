// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-dev.c: devices under the jail's device list: a pty must still
 * work all the way, its slave opened by its name in /dev/pts (the
 * device controller allows 5:2 and 136-143 to every jail), as sshd and
 * login(1) open theirs.
 *
 * Only the probe's own new pty is written to, one byte, read back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "probe.h"

int
probe_pty_path(const char *arg)
{
	char pts[64], c = 0;
	int m, s, r = 0;

	(void)arg;
	m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		return fail_errno("posix_openpt");
	if (grantpt(m) < 0 || unlockpt(m) < 0 ||
	    ptsname_r(m, pts, sizeof(pts)) != 0) {
		(void)close(m);
		return setup_error("grantpt/unlockpt/ptsname");
	}
	s = open(pts, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0) {
		r = fail_errno(pts);
		(void)close(m);
		return r;
	}
	if (write(s, "x", 1) != 1 || read(m, &c, 1) != 1 || c != 'x')
		r = setup_error("a byte through the pty");
	else
		note("%s", pts);
	(void)close(s);
	(void)close(m);
	return r;
}
