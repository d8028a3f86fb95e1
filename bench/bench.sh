#!/usr/bin/env bash
#
# bench.sh: gaol's start-up and attach costs against its peers, in one run
# on one busybox root (issue 2, Performance).  Prints the median wall time
# of each command in ms and the ratios
#
#   jail/unshare   jail -c path=R command=/bin/true  vs  unshare --fork --pid
#                  --mount --uts --ipc --mount-proc --root=R /bin/true
#                  (target: <= 1.3)
#   jail/bwrap     ... vs bwrap --unshare-pid --unshare-uts --unshare-ipc
#                  --bind R / --proc /proc --dev /dev /bin/true  (target: < 1)
#   jexec/nsenter  jexec NAME /bin/true  vs  nsenter -t INIT -a /bin/true
#                  (target: <= 1.3)
#
# A benchmark, not a test: it asserts nothing and is never run by meson.
# Usage: bench/bench.sh [-n RUNS] [-l]   (as root; RUNS defaults to 200;
# -l times with a bash loop even when hyperfine is installed).
set -uo pipefail

. "$(dirname "$0")/../tests/lib/roots.sh"

RUNS=200
ENGINE=hyperfine
NAME=gaol_bench_$$

usage() { echo "usage: bench.sh [-n runs] [-l]" >&2; exit 1; }
die() { echo "bench.sh: $*" >&2; exit 1; }

while getopts 'n:l' opt; do
	case $opt in
	n) RUNS=$OPTARG ;;
	l) ENGINE=loop ;;
	*) usage ;;
	esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || usage
command -v hyperfine >/dev/null 2>&1 || ENGINE=loop

# median_loop CMD ...: median wall time in ms of RUNS runs, timed with
# bash's $EPOCHREALTIME (no fork for the clock).
median_loop() {
	local i t0 t1 times=()
	for ((i = 0; i < 5; i++)); do "$@" >/dev/null 2>&1; done	# warm up
	for ((i = 0; i < RUNS; i++)); do
		t0=$EPOCHREALTIME
		"$@" >/dev/null 2>&1 || die "failed: $*"
		t1=$EPOCHREALTIME
		times+=("$(echo "$t0 $t1" | awk '{ printf "%.6f", ($2 - $1) * 1000 }')")
	done
	printf '%s\n' "${times[@]}" | sort -n |
	    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	        else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# median_hyperfine CMD ...: hyperfine's median in ms (no shell in between).
median_hyperfine() {
	local json=$SCRATCH/hyperfine.json cmd
	cmd=$(printf '%q ' "$@")
	hyperfine -N --style none --warmup 5 --runs "$RUNS" \
	    --export-json "$json" "$cmd" >/dev/null 2>&1 || die "failed: $*"
	python3 -c 'import json, sys
print("%.6f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$json"
}

median() { "median_$ENGINE" "$@"; }

# The results, by label, and how they are printed.
declare -A MS
measure() {
	local label=$1; shift
	MS[$label]=$(median "$@") || exit 1
	printf '%-10s %10.3f ms   %s\n' "$label" "${MS[$label]}" "$*"
}
ratio() {
	awk -v a="${MS[$1]}" -v b="${MS[$2]}" -v t="$3" \
	    'BEGIN { printf "%-16s %6.2f   (target %s)\n", "'"$1/$2"'", a / b, t }'
}

main() {
	[ "$(id -u)" -eq 0 ] || die "run as root"
	require_binaries
	for c in unshare bwrap nsenter python3; do
		command -v $c >/dev/null || die "needs $c"
	done
	scratch_new
	R=$SCRATCH/root
	make_busybox_root "$R" || die "cannot build a busybox root"
	echo "runs: $RUNS, timer: $ENGINE, root: $R"
	measure jail "$JAIL" -c path="$R" command=/bin/true
	measure unshare unshare --fork --pid --mount --uts --ipc --mount-proc \
	    --root="$R" /bin/true
	measure bwrap bwrap --unshare-pid --unshare-uts --unshare-ipc \
	    --bind "$R" / --proc /proc --dev /dev /bin/true
	track_jail "$NAME"
	"$JAIL" -q -c name="$NAME" path="$R" persist || die "cannot create $NAME"
	INIT=$(jail_init_pid "$NAME") || die "no init pid for $NAME"
	measure jexec "$JEXEC" "$NAME" /bin/true
	measure nsenter nsenter -t "$INIT" -a /bin/true
	"$JAIL" -q -r "$NAME"
	echo
	ratio jail unshare '<= 1.3'
	ratio jail bwrap '< 1'
	ratio jexec nsenter '<= 1.3'
}

main "$@"
