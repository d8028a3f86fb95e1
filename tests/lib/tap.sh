# SPDX-License-Identifier: BSD-2-Clause
# tap.sh: TAP helpers for gaol's shell tests; sourced by bash scripts.
#
# Owns: test numbering, the trailing plan, `check` (atf_check-style exact
# comparison of a command's stdout, stderr and exit status), skips and the
# EXIT hook list that roots.sh uses for cleanup.  It never touches jails,
# mounts or files outside its own temporary directory.
#
# A test script looks like:
#	. "$GAOL_SRCDIR/tests/lib/tap.sh"
#	require_root
#	check -o 'inline:hi\n' -- echo hi
#	ok "something else" test -d /
#	done_testing
#
# Skips: `skip_all REASON` prints "1..0 # SKIP REASON" and exits with
# $GAOL_SKIP_STATUS (77 by default, kselftest/automake; meson's TAP
# protocol treats a non-zero exit as an error, so a meson test_env may set
# it to 0).  With GAOL_TEST_MUST_RUN=1 a would-be skip is a failure.

set -u

TAP_N=0			# test points emitted so far
TAP_FAILED=0		# how many of them failed
TAP_PLANNED=		# set when `plan N` printed the plan up front
TAP_DONE=0		# set by done_testing
TAP_HOOKS=()		# functions run at exit, last registered first
TAP_EXIT=		# exit status forced by skip_all
TAP_TMP=$(mktemp -d /tmp/gaol-tap.XXXXXX) || exit 1
CHECK_TIMEOUT=${CHECK_TIMEOUT:-60}

# Outputs of the last `check`, for tests that need the values afterwards.
CHECK_STATUS=
CHECK_STDOUT=
CHECK_STDERR=

plan() { TAP_PLANNED=$1; printf '1..%s\n' "$1"; }
# A failure's diagnostics go to stderr as well, which meson shows in its
# log of a failed test (--print-errorlogs): what differed, not just which.
TAP_DIAG_ERR=0
diag() {
	local d
	d=$(printf '%s\n' "$*" | sed 's/^/# /')
	printf '%s\n' "$d"
	[ "$TAP_DIAG_ERR" -eq 0 ] || printf '%s\n' "$d" >&2
}

# Emit one test point; $1 is 0 for ok, anything else for not ok.  While
# TAP_TODO is set, points carry "# TODO $TAP_TODO" and a failure does not
# fail the script (a known gap, reported but not blocking).
TAP_TODO=
tap_result() {
	local status=$1 todo=; shift
	TAP_N=$((TAP_N + 1))
	TAP_DIAG_ERR=0
	[ -n "$TAP_TODO" ] && todo=" # TODO $TAP_TODO"
	if [ "$status" -eq 0 ]; then
		printf 'ok %d - %s%s\n' "$TAP_N" "$*" "$todo"
	else
		printf 'not ok %d - %s%s\n' "$TAP_N" "$*" "$todo"
		if [ -z "$todo" ]; then
			TAP_FAILED=$((TAP_FAILED + 1))
			TAP_DIAG_ERR=1
			printf 'not ok %d - %s\n' "$TAP_N" "$*" >&2
		fi
	fi
	return "$status"
}

pass() { tap_result 0 "$@"; }
fail() { tap_result 1 "$@"; }

# ok DESC [COMMAND ...]: without a command DESC alone is a pass; with one,
# the command's exit status decides (output goes to diagnostics).
ok() {
	local desc=$1 out rc; shift
	[ $# -eq 0 ] && { pass "$desc"; return 0; }
	out=$("$@" 2>&1); rc=$?
	tap_result "$rc" "$desc" || { diag "command: $*" "status $rc"; \
	    [ -n "$out" ] && diag "$out"; }
	return "$rc"
}

# not_ok DESC [COMMAND ...]: the opposite of ok: passes when COMMAND fails.
not_ok() {
	local desc=$1 rc; shift
	[ $# -eq 0 ] && { fail "$desc"; return 1; }
	"$@" >/dev/null 2>&1; rc=$?
	[ "$rc" -ne 0 ] && { pass "$desc"; return 0; }
	fail "$desc"; diag "command unexpectedly succeeded: $*"; return 1
}

# is GOT EXPECTED DESC: string equality.
is() {
	[ "$1" = "$2" ] && { pass "$3"; return 0; }
	fail "$3"; diag "got:      '$1'" "expected: '$2'"; return 1
}

# like GOT ERE DESC: GOT matches the extended regular expression.
like() {
	printf '%s\n' "$1" | grep -Eq -- "$2" && { pass "$3"; return 0; }
	fail "$3"; diag "got:        '$1'" "expected ~: /$2/"; return 1
}

skip() { TAP_N=$((TAP_N + 1)); printf 'ok %d - %s # SKIP %s\n' "$TAP_N" "$1" "$2"; }

# skip_all REASON: nothing in this script can run here.
skip_all() {
	if [ "${GAOL_TEST_MUST_RUN:-0}" = 1 ]; then
		printf '1..1\nnot ok 1 - must run (GAOL_TEST_MUST_RUN=1) but would skip: %s\n' "$*"
		TAP_DONE=1 TAP_PLANNED=1 TAP_FAILED=1 TAP_EXIT=1
		exit 1
	fi
	printf '1..0 # SKIP %s\n' "$*"
	TAP_DONE=1 TAP_PLANNED=0 TAP_EXIT=${GAOL_SKIP_STATUS:-77}
	exit "$TAP_EXIT"
}

require_root() { [ "$(id -u)" -eq 0 ] || skip_all "needs root"; }

require_cmd() {
	local c
	for c; do
		command -v "$c" >/dev/null 2>&1 || skip_all "needs $c"
	done
}

bail_out() {
	printf 'Bail out! %s\n' "$*"
	printf 'Bail out! %s\n' "$*" >&2
	exit 1
}
done_testing() { TAP_DONE=1; }
tap_atexit() { TAP_HOOKS+=("$1"); }

# Print a file as `sed -n l` does (escapes visible, $ at line ends), for
# exact comparisons in diagnostics.
tap_show() {
	if [ -s "$1" ]; then diag "$(sed -n l "$1" | sed 's/^/  /')"
	else diag '  (empty)'; fi
}

# Does file $2 satisfy expectation $1 (empty|ignore|not-empty|inline:TEXT|
# match:ERE|file:PATH)?  inline: TEXT takes printf %b escapes (\n, \t).
check_spec() {
	local spec=$1 file=$2
	case $spec in
	ignore) return 0 ;;
	empty) [ ! -s "$file" ] ;;
	not-empty) [ -s "$file" ] ;;
	inline:*)
		printf '%b' "${spec#inline:}" >"$TAP_TMP/expected"
		cmp -s "$TAP_TMP/expected" "$file" ;;
	match:*) grep -Eq -- "${spec#match:}" "$file" ;;
	file:*) cmp -s "${spec#file:}" "$file" ;;
	*) diag "check: bad expectation '$spec'"; return 2 ;;
	esac
}

# Does exit status $2 satisfy $1 (N|exit:N|not-exit:N|ignore)?
check_status() {
	case $1 in
	ignore) return 0 ;;
	not-exit:*) [ "$2" -ne "${1#not-exit:}" ] ;;
	exit:*) [ "$2" -eq "${1#exit:}" ] ;;
	*) [ "$2" -eq "$1" ] ;;
	esac
}

# Explain a failed check: what was expected and what came out.
check_explain() {
	local what=$1 spec=$2 file=$3
	check_spec "$spec" "$file" && return 0
	diag "$what expected: $spec"
	diag "$what was:"
	tap_show "$file"
}

# Run a command under the per-check timeout; shell functions run directly.
check_run() {
	if declare -F "$1" >/dev/null; then
		"$@"
	else
		timeout -k 5 "$CHECK_TIMEOUT" "$@"
	fi
}

# check [-s STATUS] [-o SPEC] [-e SPEC] [-i STDIN-TEXT] [-m DESC] -- CMD ...
# Runs CMD once and emits one test point: ok iff status, stdout and stderr
# all match (defaults: status 0, stdout and stderr empty, as atf_check).
# Leaves CHECK_STATUS, CHECK_STDOUT and CHECK_STDERR set.
check() {
	local st=0 out=empty err=empty in= desc= rc=0 opt OPTIND=1
	while getopts 's:o:e:i:m:' opt; do
		case $opt in
		s) st=$OPTARG ;; o) out=$OPTARG ;; e) err=$OPTARG ;;
		i) in=$OPTARG ;; m) desc=$OPTARG ;;
		*) bail_out "check: bad option" ;;
		esac
	done
	shift $((OPTIND - 1))
	[ $# -gt 0 ] || bail_out "check: no command"
	[ -n "$desc" ] || desc="$*"
	printf '%b' "$in" >"$TAP_TMP/stdin"
	check_run "$@" <"$TAP_TMP/stdin" >"$TAP_TMP/stdout" \
	    2>"$TAP_TMP/stderr" || rc=$?
	CHECK_STATUS=$rc
	CHECK_STDOUT=$(tr -d '\0' <"$TAP_TMP/stdout")	# (NULs dropped)
	CHECK_STDERR=$(tr -d '\0' <"$TAP_TMP/stderr")
	if check_status "$st" "$rc" && check_spec "$out" "$TAP_TMP/stdout" &&
	    check_spec "$err" "$TAP_TMP/stderr"; then
		pass "$desc"
		return 0
	fi
	fail "$desc"
	diag "command: $*"
	check_status "$st" "$rc" || diag "status expected: $st, was: $rc"
	check_explain stdout "$out" "$TAP_TMP/stdout"
	check_explain stderr "$err" "$TAP_TMP/stderr"
	return 1
}

# At exit: run the hooks (cleanup may add test points), then the plan.
tap_finish() {
	local rc=$? i
	trap - EXIT
	for ((i = ${#TAP_HOOKS[@]} - 1; i >= 0; i--)); do
		"${TAP_HOOKS[i]}"
	done
	if [ "$TAP_DONE" != 1 ]; then
		fail "test script ended before done_testing (status $rc)"
	fi
	[ -n "$TAP_PLANNED" ] || printf '1..%d\n' "$TAP_N"
	rm -rf "$TAP_TMP"
	[ -n "$TAP_EXIT" ] && exit "$TAP_EXIT"
	[ "$TAP_FAILED" -eq 0 ] && [ "$TAP_DONE" = 1 ] && exit 0
	exit 1
}
trap tap_finish EXIT

# tap_exec CMD...: the test again as CMD (a run in namespaces of its
# own, which has a TAP state of its own): nothing of this run's is left.
tap_exec() {
	trap - EXIT
	rm -rf "$TAP_TMP"
	exec "$@"
}
# netns_enter "$@": run this test script again in a network namespace of
# its own (unshare -n), with its lo up, so that its traffic and the
# addresses it adds never reach the host's; skips where none can be made.
# Call it first, with the script's arguments.
netns_enter() {
	if [ -z "${GAOL_TEST_OUTER_NET:-}" ]; then
		require_root
		command -v unshare >/dev/null 2>&1 || skip_all "needs unshare(1)"
		unshare -n true 2>/dev/null ||
		    skip_all "cannot make a network namespace"
		tap_exec env GAOL_TEST_OUTER_NET="$(readlink /proc/self/ns/net)" \
		    unshare -n bash "$0" "$@"
	fi
	[ "$(readlink /proc/self/ns/net)" != "$GAOL_TEST_OUTER_NET" ] ||
	    bail_out "still in the network namespace the test started in"
	ip link set lo up || bail_out "cannot bring up the namespace's lo"
}

# A signal should still clean up: turn it into an ordinary exit.
trap 'exit 130' INT TERM HUP
