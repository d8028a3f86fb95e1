// SPDX-License-Identifier: BSD-2-Clause
/*
 * probe-syscall.c: kernel interfaces no capability guards well enough,
 * which the jail's seccomp filter closes (as Docker's default profile
 * does): BPF, perf events, userfaultfd, io_uring, keyrings, fanotify;
 * and the ones an allow.* parameter or a sysv* parameter opens: locked
 * memory, System V shared memory, message queues and semaphores.
 *
 * Whatever one of them creates (a BPF program, a ring, an IPC object in
 * the jail's own IPC namespace, locked pages) is released at once.
 */
#include <sys/ipc.h>
#include <sys/fanotify.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "probe.h"

/* bpf-prog: load "r0 = 0; exit" as a socket filter. */
int
probe_bpf_prog(const char *arg)
{
	struct bpf_insn insns[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;

	(void)arg;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insn_cnt = 2;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.license = (uint64_t)(uintptr_t)"GPL";
	return fd_outcome(syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a)),
	    "bpf BPF_PROG_LOAD");
}

/* bpf-map: a one-entry array map. */
int
probe_bpf_map(const char *arg)
{
	union bpf_attr a;

	(void)arg;
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	return fd_outcome(syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a)),
	    "bpf BPF_MAP_CREATE");
}

/* perf-event: counting CPU 0 for every process (the host's included). */
int
probe_perf_event(const char *arg)
{
	struct perf_event_attr pa;

	(void)arg;
	memset(&pa, 0, sizeof(pa));
	pa.size = sizeof(pa);
	pa.type = PERF_TYPE_SOFTWARE;
	pa.config = PERF_COUNT_SW_CPU_CLOCK;
	pa.disabled = 1;
	return fd_outcome(syscall(SYS_perf_event_open, &pa, -1, 0, -1,
	    PERF_FLAG_FD_CLOEXEC), "perf_event_open (all processes, cpu 0)");
}

/* userfaultfd: a way to stall the kernel at will in exploits. */
int
probe_userfaultfd(const char *arg)
{
	(void)arg;
	return fd_outcome(syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK),
	    "userfaultfd");
}

/* io-uring: a one-entry ring (io_uring bypasses the seccomp filter). */
int
probe_io_uring(const char *arg)
{
	struct io_uring_params p;

	(void)arg;
	memset(&p, 0, sizeof(p));
	return fd_outcome(syscall(SYS_io_uring_setup, 1, &p),
	    "io_uring_setup");
}

/*
 * keyctl: the host's keyrings are not the jail's: asking for uid 0's user
 * keyring must fail (a query; nothing is read or changed).
 */
int
probe_keyctl(const char *arg)
{
	long id;

	(void)arg;
	id = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING,
	    0);
	if (id < 0)
		return fail_errno("keyctl KEYCTL_GET_KEYRING_ID");
	note("user keyring %ld reachable", id);
	return 0;
}

/* add-key of a type no kernel has: ENODEV once allowed, EPERM refused. */
int
probe_add_key(const char *arg)
{
	(void)arg;
	return sys_outcome(syscall(SYS_add_key, "gaol_probe_none", "gaol-probe",
	    "x", 1UL, KEY_SPEC_PROCESS_KEYRING), "add_key");
}

/* request-key of a key nobody has, without upcall: ENOKEY or EPERM. */
int
probe_request_key(const char *arg)
{
	(void)arg;
	return sys_outcome(syscall(SYS_request_key, "user", "gaol-probe-none",
	    NULL, 0), "request_key user gaol-probe-none");
}

/*
 * mlock of one page more than RLIMIT_MEMLOCK: ENOMEM (or EPERM) without
 * CAP_IPC_LOCK; unlocked and unmapped at once.
 */
int
probe_mlock(const char *arg)
{
	struct rlimit rl;
	size_t len;
	void *p;
	int r;

	(void)arg;
	if (getrlimit(RLIMIT_MEMLOCK, &rl) < 0)
		return setup_error("getrlimit");
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (64UL << 20)) {
		note("RLIMIT_MEMLOCK is unlimited or above 64 MiB");
		return P_SKIP;
	}
	len = (size_t)rl.rlim_cur + (size_t)sysconf(_SC_PAGESIZE);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return setup_error("mmap");
	r = mlock(p, len);
	r = r == 0 ? 0 : fail_errno("mlock (RLIMIT_MEMLOCK + 1 page)");
	if (r == 0) {
		(void)munlock(p, len);
		note("locked %zu bytes, over RLIMIT_MEMLOCK", len);
	}
	(void)munmap(p, len);
	return r;
}

/* shm / msg / sem: a private System V object, removed at once. */
int
probe_shm(const char *arg)
{
	int id;

	(void)arg;
	id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	if (id < 0)
		return fail_errno("shmget");
	(void)shmctl(id, IPC_RMID, NULL);
	note("shmget made segment %d (removed)", id);
	return 0;
}

int
probe_msg(const char *arg)
{
	int id;

	(void)arg;
	id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (id < 0)
		return fail_errno("msgget");
	(void)msgctl(id, IPC_RMID, NULL);
	note("msgget made queue %d (removed)", id);
	return 0;
}

int
probe_sem(const char *arg)
{
	int id;

	(void)arg;
	id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	if (id < 0)
		return fail_errno("semget");
	(void)semctl(id, 0, IPC_RMID);
	note("semget made set %d (removed)", id);
	return 0;
}

/* fanotify: a permission-event group watches every file: SYS_ADMIN. */
int
probe_fanotify(const char *arg)
{
	(void)arg;
	return fd_outcome(fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC,
	    O_RDONLY), "fanotify_init FAN_CLASS_CONTENT");
}
