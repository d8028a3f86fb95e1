// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0
/*
 * procnet-iter.bpf.c: bpf/jail-procnet.h's decision, run by an iterator
 * over the open files of one process (tests/lsm/lsm-procnet.c), so that
 * the logic of the LSM program and its CO-RE relocations are checked
 * against the running kernel even where BPF LSM programs cannot load.
 * Prints "FD REFUSED" per descriptor of cfg.tgid.
 */
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "jail-procnet.h"

struct seq_file;

struct task_struct {
	int tgid;
} __attribute__((preserve_access_index));

struct bpf_iter_meta {
	struct seq_file *seq;
} __attribute__((preserve_access_index));

struct bpf_iter__task_file {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	__u32 fd;
	struct file *file;
} __attribute__((preserve_access_index));

const volatile struct {
	int tgid;
} cfg SEC(".rodata.cfg");

SEC("iter/task_file")
int
procnet_check(struct bpf_iter__task_file *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;

	if (task == NULL || file == NULL || task->tgid != cfg.tgid)
		return 0;
	BPF_SEQ_PRINTF(seq, "%u %d\n", ctx->fd, procnet_refused(file));
	return 0;
}

char _license[] SEC("license") = "Dual BSD/GPL";
