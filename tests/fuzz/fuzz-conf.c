// SPDX-License-Identifier: BSD-2-Clause
/*
 * fuzz-conf.c: libFuzzer target for the jail.conf(5) reader.
 *
 * Any byte string goes through conf_load_string_flags() and conf_free():
 * no crash, no leak, no hang, whatever the input.  .include is refused
 * (CONF_NOINCLUDE) so the fuzzer never reads the host's files; the
 * include code is covered by tests/unit/test-conf.c.  Build and run with
 * tests/fuzz/run.sh.
 */
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *c = NULL;

	if (conf_load_string_flags("fuzz.conf", (const char *)data, size,
		CONF_NOINCLUDE, &c) >= 0)
		conf_free(c);
	return 0;
}
