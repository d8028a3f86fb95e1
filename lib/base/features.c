// SPDX-License-Identifier: BSD-2-Clause
/*
 * features.c: the test suite's switches, which make gaol act as it does
 * on an older kernel (no clone3, no openat2, no Landlock), keep its
 * devfs rules in a scratch store, or fail jail -c after a given step
 * (GAOL_FAIL_STEP, steps.c), so that the fallbacks are tested on a
 * current kernel, unit tests run without root and every undo is seen.
 *
 * They exist only in a build configured with -Dtest_switches=true, which
 * tools/test.sh makes for the suite and nothing installs.  In any other
 * build no environment variable can turn a confinement off or point
 * gaol at other rules: an administrator's environment (sudo's env_keep,
 * a unit's Environment=) is not a place to configure a jail's security.
 * Never prints, never exits.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"

#include "base/base.h"

/* The value of the test switch name, or NULL: always NULL when not built. */
const char *
test_switch_value(const char *name)
{
#if GAOL_TEST_SWITCHES
	const char *v = secure_getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
#else
	(void)name;
	return NULL;
#endif
}

/* Whether the test switch name is on (set, and not "0"). */
bool
test_switch(const char *name)
{
	const char *v = test_switch_value(name);

	return v != NULL && strcmp(v, "0") != 0;
}
