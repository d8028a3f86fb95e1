// SPDX-License-Identifier: BSD-2-Clause
/*
 * mount-int.h: what mount.c and procsys.c share inside lib/fs.
 */
#ifndef GAOL_MOUNT_INT_H
#define GAOL_MOUNT_INT_H

#include <sys/mount.h>

/* Every kernel file system a jail gets: no set-uid, devices or exec. */
#define MNT_SAFE (MS_NOSUID | MS_NODEV | MS_NOEXEC)

int mount_procfs(int rootfd, const char *rel);
int sysfs_readonly(int rootfd, const char *rel);

#endif
