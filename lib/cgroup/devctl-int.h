// SPDX-License-Identifier: BSD-2-Clause
/*
 * devctl-int.h: a jail's device list, as devctl.c makes it and devbpf.c
 * hands it to cgroup2.  Nobody else needs it.
 */
#ifndef GAOL_DEVCTL_INT_H
#define GAOL_DEVCTL_INT_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

#define DEV_ANY (-1)
#define ACC_M BPF_DEVCG_ACC_MKNOD
#define ACC_R BPF_DEVCG_ACC_READ
#define ACC_W BPF_DEVCG_ACC_WRITE
#define ACC_RW (ACC_R | ACC_W)

struct dev_rule {
	char type;		/* 'c' or 'b' */
	int major, minor;	/* DEV_ANY: any */
	unsigned acc;		/* ACC_* */
};

struct dev_list {
	struct dev_rule *v;
	size_t n, cap;
};

int devbpf_set(int cgfd, const struct dev_list *l, uint32_t prog_id);

#endif
