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
. "$(dirname "$0")/lib.sh"

RUNS=200
ENGINE=hyperfine
NAME=gaol_bench_$$

usage() { echo "usage: bench.sh [-n runs] [-l]" >&2; exit 1; }

while getopts 'n:l' opt; do
	case $opt in
	n) RUNS=$OPTARG ;;
	l) ENGINE=loop ;;
	*) usage ;;
	esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || usage
command -v hyperfine >/dev/null 2>&1 || ENGINE=loop

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
