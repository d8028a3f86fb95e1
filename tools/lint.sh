#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Static analysis of libjail and the commands: the floor plan
# (tools/layers.sh: layers, private headers, calls, file size), clang-tidy
# with the project's .clang-tidy, then gcc -fanalyzer.  Exits non-zero on
# any finding.  Usage: tools/lint.sh [builddir]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -f "$build/compile_commands.json" ] || { echo "lint: run meson setup $build first" >&2; exit 1; }
shopt -s nullglob globstar
srcs=(lib/**/*.c cmd/*.c mkjail/*.c examples/*.c)

echo "==> layers"
tools/layers.sh "$build"

echo "==> clang-tidy"
clang-tidy --quiet -p "$build" \
    --extra-arg=-Wno-missing-field-initializers \
    --extra-arg=-Wno-unknown-warning-option "${srcs[@]}" 2>/dev/null |
    tee "$build/clang-tidy.log"
if grep -qE 'warning:|error:' "$build/clang-tidy.log"; then
	echo "lint: clang-tidy found problems" >&2
	exit 1
fi

# gcc 12's analyzer loses ownership that moves through unions and
# _cleanup_ variables (every leak, uninitialised-use and NULL-dereference
# report on this tree was one of those); LeakSanitizer and UBSan in the
# test suite's sanitizer pass check those at run time instead.
echo "==> gcc -fanalyzer"
fail=0
for f in "${srcs[@]}"; do
	# the mount helpers are built once per type (meson.build)
	if ! gcc -std=gnu11 -D_GNU_SOURCE -DMOUNT_FSTYPE='"devfs"' \
	    -Iinclude -Ilib -Ibpf -I"$build" -O1 \
	    -fanalyzer -Werror -Wno-analyzer-fd-leak -Wno-analyzer-malloc-leak \
	    -Wno-analyzer-use-of-uninitialized-value \
	    -Wno-analyzer-null-dereference -c "$f" -o /dev/null; then
		fail=1
	fi
done
[ "$fail" = 0 ] || { echo "lint: gcc -fanalyzer found problems" >&2; exit 1; }
echo "lint: clean"
