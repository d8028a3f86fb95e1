/*
 * jail-procnet.h: which files of procfs list the sockets of a network
 * stack, for bpf/jail-lsm.bpf.c (and the test that checks the same
 * logic through an iterator, tests/lsm).  BPF code: included by BPF
 * programs only.
 *
 * The kernel's types are declared with the members read only, relocated
 * against the running kernel's BTF (CO-RE), so no vmlinux.h is needed.
 * A net directory is PID/net or PID/task/TID/net below procfs's root
 * (/proc/net is a link to self/net): it may be listed, and the few files
 * in it that list no socket opened (interfaces and their counters,
 * routes, neighbours, protocol counters: what ifconfig, route, netstat
 * -i/-s and Java's IPv6 check read); nothing else in it or below.
 */
#ifndef GAOL_JAIL_PROCNET_H
#define GAOL_JAIL_PROCNET_H

#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#define PROC_SUPER_MAGIC 0x9fa0

struct super_block {
	unsigned long s_magic;
} __attribute__((preserve_access_index));

struct inode {
	struct super_block *i_sb;
} __attribute__((preserve_access_index));

struct qstr {
	const unsigned char *name;
} __attribute__((preserve_access_index));

struct dentry {
	struct dentry *d_parent;
	struct qstr d_name;
} __attribute__((preserve_access_index));

struct path {
	struct dentry *dentry;
} __attribute__((preserve_access_index));

struct file {
	struct path f_path;
	struct inode *f_inode;
} __attribute__((preserve_access_index));

#define PROCNET_NAME 16		/* enough for "net", a pid, a listed name */
#define PROCNET_DEPTH 16	/* no net directory's file is deeper */

static const char procnet_allowed[][PROCNET_NAME] = {
	"arp", "dev", "dev_mcast", "if_inet6", "ipv6_route", "netstat",
	"protocols", "psched", "route", "snmp", "snmp6", "sockstat",
	"sockstat6",
};

/* The names of levels 1 to 5 below procfs's root; the leaf's level. */
struct procnet_names {
	char n[5][PROCNET_NAME];
	int depth;
};

static __always_inline int
procnet_is(const char *n, const char *w, int len)
{
	for (int i = 0; i < len; i++)
		if (n[i] != w[i])
			return 0;
	return n[len] == '\0';
}

/* A pid directory's name: digits only. */
static __always_inline int
procnet_is_pid(const char *n)
{
	for (int i = 0; i < PROCNET_NAME - 1; i++) {
		if (n[i] == '\0')
			return i > 0;
		if (n[i] < '0' || n[i] > '9')
			return 0;
	}
	return 0;
}

static __always_inline int
procnet_is_allowed(const char *n)
{
	for (int k = 0; k < (int)(sizeof(procnet_allowed) /
	    sizeof(procnet_allowed[0])); k++) {
		int i;

		for (i = 0; i < PROCNET_NAME; i++)
			if (n[i] != procnet_allowed[k][i] || n[i] == '\0')
				break;
		if (i < PROCNET_NAME && n[i] == procnet_allowed[k][i])
			return 1;
	}
	return 0;
}

/* How many levels d is below its file system's root; -1 if too deep. */
static __always_inline int
procnet_depth(struct dentry *d)
{
	for (int i = 0; i < PROCNET_DEPTH; i++) {
		struct dentry *p = d->d_parent;

		if (p == d)
			return i;
		d = p;
	}
	return -1;
}

static __always_inline void
procnet_read(struct dentry *d, char *buf)
{
	(void)bpf_probe_read_kernel_str(buf, PROCNET_NAME, d->d_name.name);
}

static __always_inline void
procnet_names_of(struct dentry *d, struct procnet_names *s)
{
	for (int i = 0; i < PROCNET_DEPTH; i++) {
		int level = s->depth - i;

		if (level < 1)
			break;
		if (level == 1)
			procnet_read(d, s->n[0]);
		else if (level == 2)
			procnet_read(d, s->n[1]);
		else if (level == 3)
			procnet_read(d, s->n[2]);
		else if (level == 4)
			procnet_read(d, s->n[3]);
		else if (level == 5)
			procnet_read(d, s->n[4]);
		d = d->d_parent;
	}
}

/* May a file at the place s names be opened? */
static __always_inline int
procnet_place_ok(const struct procnet_names *s)
{
	int net;

	if (s->depth < 2 || !procnet_is_pid(s->n[0]))
		return 1;
	if (procnet_is(s->n[1], "net", 3))
		net = 2;
	else if (s->depth >= 4 && procnet_is(s->n[1], "task", 4) &&
	    procnet_is_pid(s->n[2]) && procnet_is(s->n[3], "net", 3))
		net = 4;
	else
		return 1;
	if (s->depth == net)
		return 1;
	if (s->depth > net + 1)
		return 0;
	return procnet_is_allowed(net == 2 ? s->n[2] : s->n[4]);
}

/* 1 if opening file would show a network stack's sockets. */
static __always_inline int
procnet_refused(struct file *file)
{
	struct procnet_names s = { .depth = 0 };
	struct dentry *d;

	if (file->f_inode->i_sb->s_magic != PROC_SUPER_MAGIC)
		return 0;
	d = file->f_path.dentry;
	s.depth = procnet_depth(d);
	if (s.depth < 0)	/* deeper than any net directory's file */
		return 0;
	procnet_names_of(d, &s);
	return !procnet_place_ok(&s);
}

#endif
