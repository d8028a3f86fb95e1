// SPDX-License-Identifier: BSD-2-Clause
/*
 * spawn-int.h: what the jail's spawner and the host's side of it
 * (spawn.c) share with a command it forks (spawn-child.c): the plan's
 * wire format and descriptor passing.  Private to those two files.
 */
#ifndef GAOL_SPAWN_INT_H
#define GAOL_SPAWN_INT_H

#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#define SPAWN_MAGIC 0x67616f6cU
#define SPAWN_CHUNK 32768U
#define SPAWN_BLOB_MAX (16U << 20)
#define SPAWN_NGROUPS_MAX 65536U
#define SPAWN_MAXFDS 6

/* Which descriptors follow the error pipe in the plan's header. */
enum {
	SF_IN = 1 << 0,
	SF_OUT = 1 << 1,
	SF_ERR = 1 << 2,
	SF_TTY = 1 << 3,
	SF_LOG = 1 << 4,
};

/* The plan's header, host to child; the blob follows in chunks. */
struct spawn_hdr {
	uint32_t magic;
	uint32_t uid, gid, ngroups;
	uint32_t argc, envc, blob;
	uint32_t umask;
	uint32_t fds;			/* SF_* */
	uint64_t nofile;
	struct rlimit rl[RLIMIT_NLIMITS]; /* the caller's, inherited before */
};

/* Spawner to host: 'P' pid (with a pidfd), 'F' -errno, 'S' wait status. */
struct spawn_msg {
	int type;
	int val;
};

int spawn_send(int sock, const void *buf, size_t len, const int *fds,
    size_t n, int flags);
int spawn_recv(int sock, void *buf, size_t len, int *fds, size_t max,
    int flags);
void spawn_close_fds(const int *fds, size_t n);

/* A command's plan as the spawner received it, parsed (spawn-child.c). */
struct kid {
	struct spawn_hdr h;
	int errfd, in, out, err, tty, log;
	char *blob;
	gid_t *groups;
	char **v;			/* dir, file, argv, env: into blob */
	char *dir, *file;
	char **argv, **env;
};
#define KID_INIT { .errfd = -1, .in = -1, .out = -1, .err = -1, \
	.tty = -1, .log = -1 }

/* What the child is cloned with. */
struct kid_arg {
	const struct kid *k;
	uint64_t caps;			/* root's in the jail */
	int gone;			/* open until its execve or end */
};

int kid_receive(int sock, struct kid *k);
void kid_free(struct kid *k);
int kid_main(void *arg) __attribute__((noreturn));

/*
 * The signals the spawner ignores (a write to a relay nobody reads any
 * more, a log past RLIMIT_FSIZE); every other one it has at its default
 * (spawner_host_side), so these are all a command has to set back.
 */
#define SPAWN_IGNORED SIGPIPE, SIGXFSZ

#endif
