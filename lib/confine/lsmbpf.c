// SPDX-License-Identifier: BSD-2-Clause
/*
 * lsmbpf.c: the BPF LSM program of bpf/jail-lsm.bpf.c on a jail's own
 * cgroup: no ptrace access between the jail's processes with
 * allow.unprivileged_proc_debug=false (writes through /proc/PID/mem,
 * which no system call filter can see).
 *
 * Owns finding out whether the kernel lets gaol use the BPF LSM (jls
 * shows it: bpf_lsm; the answer is kept for the boot), refusing a jail
 * that needs it where it does not (allow.unprivileged_proc_debug=false
 * fails closed: nothing else enforces it), and attaching the program
 * before the jail's init is cloned into the cgroup (as the socket
 * programs are: bpfobj.c).  The object is the same for every jail:
 * loaded once per process, its program attached to each jail's cgroup.
 * The test switch GAOL_FORCE_NOBPFLSM (features.c) acts as a kernel
 * without the BPF LSM.  Never detaches: removing the cgroup does.  (The
 * host's sockets are kept out of a jail's procfs by its network
 * namespace of its own: init.c.)
 */
#include <fcntl.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine/confine.h"
#include "jail-lsm-bpf.h"	/* jail_lsm_bpf[], the compiled object */

#define LSM_ID_BPF 110		/* <linux/lsm.h>, Linux 6.8 */
#ifndef SYS_lsm_list_modules
#define SYS_lsm_list_modules 461	/* the same on every architecture */
#endif

/* The program, loaded once; why not, when it could not be. */
static struct {
	pthread_mutex_t lock;
	bool tried;
	int ptrace_fd;
	char why[200];
} lsm = { PTHREAD_MUTEX_INITIALIZER, false, -1, "" };

/* Does securityfs's list of active LSMs ("a,b,c") name "bpf"? */
static bool
lsm_list_has_bpf(void)
{
	char buf[512];
	_cleanup_close_ int fd = open("/sys/kernel/security/lsm",
	    O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (char *save = NULL, *w = strtok_r(buf, ",\n", &save); w != NULL;
	     w = strtok_r(NULL, ",\n", &save))
		if (strcmp(w, "bpf") == 0)
			return true;
	return false;
}

/*
 * Does the kernel run the BPF LSM?  One built with it runs it only when
 * "bpf" is in its lsm= list (Debian 12's default list lacks it): the
 * programs would load, attach and never be called.  Asked with
 * lsm_list_modules(2) (Linux 6.8), else securityfs's list.
 */
static bool
lsm_bpf_running(void)
{
	uint64_t ids[64];
	uint32_t size = sizeof(ids);
	long n = syscall(SYS_lsm_list_modules, ids, &size, 0);

	if (n < 0)
		return lsm_list_has_bpf();
	for (long i = 0; i < n && i < (long)nitems(ids); i++)
		if (ids[i] == LSM_ID_BPF)
			return true;
	return false;
}

/*
 * Does the kernel let programs of the BPF LSM in at all?  A two-insn one
 * with no hook named passes every permission check and fails the
 * verifier (EINVAL) where they are allowed; a kernel that refuses them
 * (some refuse every trampoline program) says EPERM at once, before the
 * object's load parses the kernel's BTF (about 100 ms).  0 or -errno.
 */
static int
lsm_prog_permitted(void)
{
	const struct bpf_insn ret1[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = cg_bpf_load(BPF_PROG_TYPE_LSM, BPF_LSM_CGROUP, ret1,
	    nitems(ret1), NULL, 0);

	if (fd >= 0)
		(void)close(fd);
	return fd < 0 && errno == EPERM ? -EPERM : 0;
}

/*
 * Load the program, the first time; afterwards say again how it went.
 * A kernel may run the BPF LSM and still refuse its programs (this
 * happens: some refuse every trampoline program, EPERM), so the test is
 * the load itself.  0, or -EOPNOTSUPP with the reason in lsm.why.
 */
static int
lsm_load(void)
{
	int r;

	if (lsm.tried)
		return lsm.why[0] == '\0' ? 0 : -EOPNOTSUPP;
	lsm.tried = true;
	if (test_switch("GAOL_FORCE_NOBPFLSM") || !lsm_bpf_running()) {
		(void)snprintf(lsm.why, sizeof(lsm.why), "this kernel runs no "
		    "BPF LSM (\"bpf\" is not in its lsm= list)");
		return -EOPNOTSUPP;
	}
	r = lsm_prog_permitted();
	if (r >= 0)	/* the program's descriptor kept, the object gone */
		r = net_bpf_program(jail_lsm_bpf, jail_lsm_bpf_len,
		    "jail_ptrace_access", "LSM programs", &lsm.ptrace_fd);
	if (r >= 0)
		return 0;
	(void)snprintf(lsm.why, sizeof(lsm.why), "this kernel refuses BPF "
	    "LSM programs (%s)", strerror(-r));
	if (lsm.ptrace_fd >= 0)
		(void)close(lsm.ptrace_fd);
	lsm.ptrace_fd = -1;
	return -EOPNOTSUPP;
}

/*
 * What the load found, kept for the boot: loading the object parses the
 * kernel's BTF (about 100 ms where the BPF LSM runs) and even a refusal
 * costs three program loads, for a jail that only shows the answer.
 * JAIL_RUNDIR/bpf-lsm holds "BOOT_ID OBJECT_DIGEST 0|1".  It is trusted
 * only as root's, not writable by others, of this boot and this object;
 * no jailed process can reach /run/jail (the jail's /run is its own and
 * the host's root is detached from its mount namespace).  And it only
 * ever decides what jls shows: a jail that needs the program
 * (allow.unprivileged_proc_debug=false) loads it, or is refused.
 */
#define LSM_CACHE JAIL_RUNDIR "/bpf-lsm"

/* This boot and this build's object, as the cache names them. */
static int
cache_key(char *buf, size_t size)
{
	char boot[40];
	_cleanup_close_ int fd = open("/proc/sys/kernel/random/boot_id",
	    O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, boot, sizeof(boot) - 1);
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	if (n < 36)
		return -EIO;
	boot[36] = '\0';
	for (size_t i = 0; i < jail_lsm_bpf_len; i++)
		h = (h ^ jail_lsm_bpf[i]) * UINT64_C(0x100000001b3);
	(void)snprintf(buf, size, "%s %016" PRIx64, boot, h);
	return 0;
}

/* The answer kept for key: 1 runs, 0 does not, -1 nothing (trusted). */
static int
cache_read(const char *key)
{
	char buf[128];
	size_t len = strlen(key);
	struct stat st;
	_cleanup_close_ int fd = open(LSM_CACHE, O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != 0 || (st.st_mode & 022) != 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n != (ssize_t)len + 3 || memcmp(buf, key, len) != 0 ||
	    buf[len] != ' ' || (buf[len + 1] != '0' && buf[len + 1] != '1') ||
	    buf[len + 2] != '\n')
		return -1;
	return buf[len + 1] - '0';
}

/* Keep the answer for the boot (best effort: without it, load again). */
static void
cache_write(const char *key, bool ok)
{
	char tmp[64], line[128];
	int len = snprintf(line, sizeof(line), "%s %d\n", key, ok);
	_cleanup_close_ int fd = -1;

	(void)snprintf(tmp, sizeof(tmp), LSM_CACHE ".%d", (int)getpid());
	if (registry_make() < 0 || (fd = open(tmp, O_WRONLY | O_CREAT |
	    O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		return;
	if (write(fd, line, (size_t)len) != len || rename(tmp, LSM_CACHE) < 0)
		(void)unlink(tmp);
}

/*
 * Whether the kernel lets gaol use its BPF LSM: from the cache, else
 * loaded (and kept in the cache).  0 or -EOPNOTSUPP; lsm.why as
 * lsm_load's only when loaded here.  A test switch bypasses the cache.
 */
static int
lsm_usable(void)
{
	char key[80];
	int r, kept;

	if (lsm.tried || test_switch("GAOL_FORCE_NOBPFLSM") ||
	    cache_key(key, sizeof(key)) < 0)
		return lsm_load();
	kept = cache_read(key);
	if (kept >= 0)
		return kept ? 0 : -EOPNOTSUPP;
	r = lsm_load();
	cache_write(key, r >= 0);
	return r;
}

/*
 * bpf_lsm at creation: whether the kernel lets gaol use its BPF LSM,
 * that is, whether allow.unprivileged_proc_debug=false can be honoured.
 * Without it such a jail is refused: it must not run with /proc/PID/mem
 * writable.  Such a jail has the program loaded here; any other needs
 * nothing of it but the answer, which may come from the cache.
 */
int
lsm_bpf_note(struct jail *j)
{
	struct jail_params *p = &j->params;
	bool needed = !param_bool(p, P_ALLOW_UNPRIVILEGED_PROC_DEBUG);
	char why[sizeof(lsm.why)];
	int r;

	(void)pthread_mutex_lock(&lsm.lock);
	r = needed ? lsm_load() : lsm_usable();
	(void)snprintf(why, sizeof(why), "%s", lsm.why);
	(void)pthread_mutex_unlock(&lsm.lock);
	if (r < 0 && needed)
		return jail_seterr(-EOPNOTSUPP, "allow.unprivileged_proc_debug"
		    "=false: not supported: %s, without which /proc/PID/mem "
		    "cannot be refused", why);
	return param_import_value(p, P_BPF_LSM, r < 0 ? "false" : "true",
	    false, false);
}

static int
attach_one(int fd, int cgfd, const char *what)
{
	int r = cg_bpf_attach(cgfd, fd, BPF_LSM_CGROUP);

	return r < 0 ? jail_syserr(r, "attach %s to the jail's cgroup", what)
	    : 0;
}

/*
 * Attach to cgroup cgfd what jail p needs: jail_ptrace_access with
 * allow.unprivileged_proc_debug=false (lsm_bpf_note has refused such a
 * jail without bpf_lsm).
 */
int
lsm_bpf_attach(const struct jail_params *p, int cgfd)
{
	int r = 0;

	if (param_bool(p, P_ALLOW_UNPRIVILEGED_PROC_DEBUG))
		return 0;
	if (cgfd < 0)
		return jail_seterr(-EOPNOTSUPP, "allow.unprivileged_proc_debug"
		    "=false: not supported: no cgroup2 hierarchy to attach the "
		    "LSM program to");
	(void)pthread_mutex_lock(&lsm.lock);
	if (lsm_load() < 0)	/* loaded by lsm_bpf_note: only says so */
		r = jail_seterr(-EOPNOTSUPP, "bpf_lsm: %s", lsm.why);
	if (r >= 0)
		r = attach_one(lsm.ptrace_fd, cgfd, "jail_ptrace_access");
	(void)pthread_mutex_unlock(&lsm.lock);
	return r;
}
