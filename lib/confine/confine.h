// SPDX-License-Identifier: BSD-2-Clause
/*
 * confine.h: what a jailed root keeps: capabilities, the seccomp
 * policy, Landlock, the BPF LSM program.
 */
#ifndef GAOL_CONFINE_H
#define GAOL_CONFINE_H

#include "net/net.h"

/* confine.c: what a jailed root keeps. */
uint64_t confine_caps_for(const struct jail_params *p);
int confine_bounding(uint64_t keep);
int confine_caps_set(uint64_t keep);
int confine_caps(uint64_t keep);
int confine_sysvipc(struct jail_params *p);
bool confine_ipc_inherit(const struct jail_params *p);
void confine_fds(void);
void close_all_but(int *keep, size_t n);

/* landlock.c: abstract unix sockets scoped to the jail's processes. */
#define LANDLOCK_ABI_SCOPE 6	/* the first ABI that scopes them */

int landlock_abi(void);
bool landlock_available(void);
int landlock_confine(void);

/* seccomp.c: what no capability guards but a jail must not do. */
struct sock_filter;

struct seccomp_prog {
	struct sock_filter *v;	/* malloc'd: allow list, argument, entry */
	unsigned short n;	/* instructions in all */
	unsigned short nallow;	/* of which the allow list's */
	unsigned short narg;	/* and the argument filter's */
};

int seccomp_program(const struct jail_params *p, struct seccomp_prog *ret);
int seccomp_compile(const struct jail_params *p, struct seccomp_prog *ret);
int seccomp_load_program(const struct seccomp_prog *prog);
int seccomp_load_entry(const struct seccomp_prog *prog);
int seccomp_notify_program(const struct jail_params *p,
    struct seccomp_prog *ret);
int seccomp_notify_listener(const struct seccomp_prog *prog, int *ret_fd);
int seccomp_notify_compile(const struct jail_params *p,
    struct seccomp_prog *ret);
int confine_set_cmdline(const char *name);

/* lsmbpf.c: the BPF LSM program: /proc/PID/mem, when asked. */
int lsm_bpf_note(struct jail *j);
int lsm_bpf_attach(const struct jail_params *p, int cgfd);

#endif
