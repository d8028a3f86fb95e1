// SPDX-License-Identifier: BSD-2-Clause
/*
 * landlock.c: Landlock scoping of a jailed process.
 *
 * A jail without vnet shares the host's network stack, and with it the
 * host's abstract unix socket namespace: without this, a jailed process
 * could connect to any abstract socket a host daemon listens on (an X
 * server, a container runtime's shim, a debugger's agent...), which no
 * capability or namespace of the jail guards.  Landlock's
 * LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (ABI 6, Linux 6.12) refuses every
 * connection to an abstract socket made outside the process's own
 * Landlock domain.  A jail has one domain, made by its spawner (spawn.c),
 * which forks every command entering the jail: all of the jail's
 * processes share it, so the sessions of one jail reach each other's
 * abstract sockets and /proc entries (Landlock refuses ptrace between
 * sibling domains, and start-stop-daemon --exec reads /proc/PID/exe),
 * while no other jail and no host process is in it.
 *
 * Signals are not scoped: the jail's pid namespace already leaves no host
 * process to name.  Nor are files: the mount
 * namespace and the root are the jail's.  Where the kernel has no
 * Landlock or an older ABI, nothing is added: jail -c says so once, and
 * the read-only parameter landlock shows the ABI the jail got (the jail.8
 * SECURITY section says what that leaves open).  GAOL_FORCE_LANDLOCK_ABI, a
 * test switch (features.c), acts as such a kernel.
 *
 * The header of Debian 12's linux-libc-dev predates ABI 6: the attribute
 * is declared here, as the kernel defines it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine/confine.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_restrict_self 446
#endif

#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (UINT64_C(1) << 0)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

/*
 * The kernel's Landlock ABI version, or 0 without Landlock.  The test
 * switch GAOL_FORCE_LANDLOCK_ABI=N acts as a kernel whose ABI is N.
 */
int
landlock_abi(void)
{
	const char *force = test_switch_value("GAOL_FORCE_LANDLOCK_ABI");
	long v;

	v = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LL_CREATE_RULESET_VERSION);
	if (v < 0)
		v = 0;
	if (force != NULL && strtol(force, NULL, 10) < v)
		v = strtol(force, NULL, 10);
	return v < 0 ? 0 : (int)v;
}

/* Whether this kernel can scope abstract unix sockets. */
bool
landlock_available(void)
{
	return landlock_abi() >= LANDLOCK_ABI_SCOPE;
}

/*
 * Put this process (and all it starts) in a new Landlock domain scoped
 * to itself: the jail's spawner, once.  Needs CAP_SYS_ADMIN or
 * no_new_privs: called before the capabilities are dropped.
 */
int
landlock_confine(void)
{
	struct ll_ruleset_attr attr = {
		.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET,
	};
	long fd;
	int r = 0;

	if (!landlock_available())
		return 0;
	fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0)
		return jail_syserr(-errno, "landlock: create ruleset");
	if (syscall(SYS_landlock_restrict_self, (int)fd, 0) < 0)
		r = jail_syserr(-errno, "landlock: restrict");
	(void)close((int)fd);
	return r;
}
