#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# test.sh: build gaol and run its whole test suite -- the README's test
# command, and what .ci/run executes.  Run it as root on a Debian 12
# machine: it installs the build and test dependencies with apt-get when
# they are missing, then
#
#   1. builds build/ as it would be installed and runs every meson suite
#      (GAOL_TEST_MUST_RUN=1 as root, so a test that would skip fails
#      instead), switches.sh among them: such a build honours no test
#      switch;
#   1b. builds build-fallback/ with -Dtest_switches=true, which honours
#      the suite's GAOL_FORCE_* and GAOL_DEVFS_STORE (lib/base/features.c), and
#      runs the unit and integration suites with clone3 and openat2
#      forced to fail (GAOL_FORCE_NOCLONE3, GAOL_FORCE_NOOPENAT2), plus the
#      tests that need a switch (a kernel without Landlock, a scratch
#      devfs store);
#   2. builds build-asan/ with AddressSanitizer and UBSan (and the test
#      switches) and runs the unit and integration suites there;
#   3. checks the manual pages with mandoc -Tlint;
#   4. runs clang-tidy and gcc -fanalyzer over lib/ and cmd/ (tools/lint.sh).
#
# The last line is "N passed, M failed": meson's test counts over both
# passes, plus one failure for each step that could not run (a failed
# build, mandoc warnings).  The exit status is non-zero if M is.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1

DEPS=(strace meson ninja-build pkg-config gcc libc6-dev clang clang-tidy libclang-rt-14-dev
    libseccomp-dev libmnl-dev
    libbpf-dev libcap-dev busybox-static debootstrap bubblewrap mandoc
    util-linux bsdutils procps iproute2 hyperfine python3 openssh-client
    postgresql-client)
BUILD=${GAOL_TEST_BUILD:-build}			# build directories; may be
FALLBACK_BUILD=${GAOL_TEST_FALLBACK_BUILD:-build-fallback}	# outside
ASAN_BUILD=${GAOL_TEST_ASAN_BUILD:-build-asan}	# the tree
PASSED=0
FAILED=0
LOG=$(mktemp /tmp/gaol-test-log.XXXXXX)
trap 'rm -f "$LOG"' EXIT

step() { printf '\n==> %s\n' "$*"; }
step_failed() { printf 'test.sh: %s\n' "$*" >&2; FAILED=$((FAILED + 1)); }

# Install the packages that are not installed yet (needs root).
install_deps() {
	local p missing=()
	for p in "${DEPS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "test.sh: missing ${missing[*]} (run as root to install)" >&2
		return 0
	fi
	step "apt-get install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q && apt-get install -y -q --no-install-recommends \
	    "${missing[@]}"
}

# build DIR [MESON-OPTIONS...]: configure (once, or again with the
# options given: a directory made by an older test.sh gets them), then
# ninja.
build() {
	local dir=$1; shift
	step "build $dir"
	if [ -d "$dir/meson-private" ] && [ ! -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" "$@" || return 1
	elif [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" || return 1
	elif [ $# -gt 0 ]; then
		# meson reports its errors on stdout: shown when it fails
		meson configure "$dir" "$@" >"$dir/configure.out" 2>&1 || {
			cat "$dir/configure.out"
			return 1
		}
	fi
	ninja -C "$dir"
}

# Add meson test's summary ("Ok: N", "Fail: M", ...) from $LOG to the totals.
count_results() {
	local ok fail
	ok=$(awk '/^Ok:/ { n += $2 } END { print n + 0 }' "$LOG")
	fail=$(awk '/^(Fail|Unexpected Pass|Timeout):/ { n += $NF } END { print n + 0 }' "$LOG")
	PASSED=$((PASSED + ok))
	FAILED=$((FAILED + fail))
}

# run_tests DIR [SUITE...]: meson test in DIR, all suites or the given ones.
run_tests() {
	local dir=$1 s args=(); shift
	for s; do args+=(--suite "$s"); done
	step "meson test -C $dir ${args[*]}"
	meson test -C "$dir" --print-errorlogs "${args[@]}" 2>&1 | tee "$LOG"
	local rc=${PIPESTATUS[0]}
	count_results
	# meson exits non-zero also when it could not run the tests at all.
	if [ "$rc" -ne 0 ] && ! grep -q '^Ok:' "$LOG"; then
		step_failed "meson test -C $dir could not run (status $rc)"
	fi
}

lint_man() {
	step "mandoc -Tlint -W warning man/*"
	mandoc -Tlint -W warning man/* || step_failed "mandoc reports warnings"
}

main() {
	install_deps || step_failed "installing dependencies failed"
	# As root nothing may skip: a skipped test is a failed one.
	[ "$(id -u)" -eq 0 ] && export GAOL_TEST_MUST_RUN=1
	# What gets installed: no test switch (-Dtest_switches=false).
	if build "$BUILD" -Dtest_switches=false; then
		run_tests "$BUILD"
	else
		step_failed "build failed"
	fi
	# Again as in a sandbox whose seccomp policy answers ENOSYS to
	# clone3(2) and openat2(2): the fallbacks must hold up too (crun).
	if build "$FALLBACK_BUILD" -Dtest_switches=true; then
		step "fallback pass: clone3 and openat2 unavailable"
		GAOL_FORCE_NOCLONE3=1 GAOL_FORCE_NOOPENAT2=1 \
		    run_tests "$FALLBACK_BUILD" unit integration
	else
		step_failed "$FALLBACK_BUILD failed"
	fi
	if build "$ASAN_BUILD" -Db_sanitize=address,undefined -Db_lundef=false \
	    -Dtest_switches=true; then
		run_tests "$ASAN_BUILD" unit integration
	else
		step_failed "$ASAN_BUILD failed"
	fi
	lint_man
	step "static analysis (tools/lint.sh)"
	tools/lint.sh "$BUILD" || step_failed "clang-tidy or gcc -fanalyzer found problems"
	echo
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

main "$@"
