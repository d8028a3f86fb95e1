/*
 * cgroup.c: one cgroup per jail, in the cgroup2 hierarchy, created beneath
 * the cgroup of the process that creates the jail (never elsewhere).
 *
 * Owns finding the cgroup2 mount, creating "jail.JID" and removing it once
 * empty.  Where no cgroup2 hierarchy is mounted a jail simply has no
 * cgroup: its pid namespace still bounds it.  Never moves a process that
 * is not being born into the jail (CLONE_INTO_CGROUP does that).
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "jail-int.h"

/*
 * The cgroup2 mount point from mountinfo (field 5 before " - cgroup2 "),
 * looked up once per process: it is on every jail's start and stop path.
 * Only ever called from the host's mount namespace.
 */
static int
cg_mountpoint(char *buf, size_t len)
{
	static char mnt[PATH_MAX];
	static int found;	/* 0 unknown, 1 found, -ENOENT none */
	_cleanup_fclose_ FILE *f = NULL;
	char line[4096];

	if (found == 0 && (f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return -errno;
	while (found == 0 && fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, " - cgroup2 ") != NULL &&
		    sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1)
			found = 1;
	if (found == 0)
		found = -ENOENT;
	if (found < 0)
		return found;
	(void)snprintf(buf, len, "%s", mnt);
	return 0;
}

/* This process's own cgroup2 path ("0::/path" in /proc/self/cgroup). */
static int
cg_self(char *buf, size_t len)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
	char line[PATH_MAX + 16];

	if (f == NULL)
		return -errno;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		(void)snprintf(buf, len, "%s", strcmp(line + 3, "/") == 0
		    ? "" : line + 3);
		return 0;
	}
	return -ENOENT;
}

static int
cg_fullpath(const char *path, char *buf, size_t len)
{
	char mnt[PATH_MAX];
	int r = cg_mountpoint(mnt, sizeof(mnt));

	if (r < 0)
		return r;
	if ((size_t)snprintf(buf, len, "%s%s", mnt, path) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Create the jail's cgroup and open it for CLONE_INTO_CGROUP.  No cgroup2
 * mount: success with *ret_path NULL and *ret_fd -1.
 */
int
cg_create(int jid, char **ret_path, int *ret_fd)
{
	char self[PATH_MAX], rel[PATH_MAX], full[PATH_MAX];
	int fd;

	if (cg_self(self, sizeof(self)) < 0 ||
	    cg_fullpath("", full, sizeof(full)) < 0) {
		*ret_path = NULL;
		*ret_fd = -1;
		return 0;
	}
	/*
	 * "jail.JID"; a leftover of that name still holding processes (its
	 * jail's init died moments ago) gets a twin named after this process.
	 */
	(void)snprintf(rel, sizeof(rel), "%s/jail.%d", self, jid);
	if (cg_fullpath(rel, full, sizeof(full)) < 0)
		return jail_seterr(-ENAMETOOLONG, "cgroup path too long");
	if (mkdir(full, 0755) < 0 && errno == EEXIST &&
	    (rmdir(full) < 0 || mkdir(full, 0755) < 0)) {
		(void)snprintf(rel, sizeof(rel), "%s/jail.%d-%d", self, jid,
		    (int)getpid());
		(void)cg_fullpath(rel, full, sizeof(full));
		if (mkdir(full, 0755) < 0)
			return jail_syserr(-errno, "cgroup %s", full);
	} else if (access(full, F_OK) < 0)
		return jail_syserr(-errno, "cgroup %s", full);
	fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (*ret_path = strdup(rel)) == NULL) {
		int r = fd < 0 ? -errno : -ENOMEM;

		if (fd >= 0)
			(void)close(fd);
		(void)rmdir(full);
		return jail_syserr(r, "cgroup %s", full);
	}
	*ret_fd = fd;
	return 0;
}

/* Open an existing jail cgroup for CLONE_INTO_CGROUP. */
int
cg_open(const char *path, int *ret_fd)
{
	char full[PATH_MAX];
	int fd, r;

	*ret_fd = -1;
	if (path == NULL)
		return 0;
	r = cg_fullpath(path, full, sizeof(full));
	if (r < 0)
		return jail_syserr(r, "cgroup %s", path);
	fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return jail_syserr(-errno, "cgroup %s", full);
	*ret_fd = fd;
	return 0;
}

static bool
cg_populated(const char *full)
{
	char path[PATH_MAX + 16], line[64];
	_cleanup_fclose_ FILE *f = NULL;

	(void)snprintf(path, sizeof(path), "%s/cgroup.events", full);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strcmp(line, "populated 1\n") == 0)
			return true;
	return false;
}

/*
 * Remove a jail's cgroup.  Processes of a pid namespace whose init died
 * are killed by the kernel but leave asynchronously, so wait up to
 * wait_ms for the cgroup to empty before giving up with EBUSY.
 */
int
cg_destroy(const char *path, int wait_ms)
{
	const struct timespec tick = { 0, 5000000L };
	char full[PATH_MAX];
	int r;

	r = cg_fullpath(path, full, sizeof(full));
	if (r < 0)
		return r == -ENOENT ? 0 : jail_syserr(r, "cgroup %s", path);
	for (int i = 0; i <= wait_ms / 5; i++) {
		if (rmdir(full) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		if (!cg_populated(full) && i > 0 && rmdir(full) == 0)
			return 0;
		(void)nanosleep(&tick, NULL);
	}
	return jail_syserr(-errno, "rmdir cgroup %s", full);
}
