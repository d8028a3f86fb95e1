#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# embed.sh IN OUT: IN as the body of a C string literal, one line each.
# embed.sh -b NAME IN OUT: IN's bytes as "static const unsigned char
# NAME[]" and "NAME_len" (a compiled BPF object).
if [ "$1" = -b ]; then
	{
		printf 'static const unsigned char %s[] __attribute__((aligned(8))) = {\n' "$2"
		od -An -v -tx1 "$3" | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1, /g' -e 's/^/\t/' -e 's/, $/,/'
		printf '};\nstatic const size_t %s_len = sizeof(%s);\n' "$2" "$2"
	} >"$4"
	exit
fi
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$1" >"$2"
