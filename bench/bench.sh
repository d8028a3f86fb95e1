#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# bench.sh: gaol's start-up and attach costs against its peers, in one run
# on one busybox root.  Prints the median wall time
# of each command in ms and the ratios
#
#   jail/unshare   jail -c path=R command=/bin/true  vs  unshare --fork --pid
#                  --mount --uts --ipc --mount-proc --root=R /bin/true
#   jail/unshare-net  the same with unshare --net: like for like, as the
#                  default jail (ip4 and ip6 disable) has a network
#                  namespace of its own  (target: <= 1.5)
#   jail/bwrap     ... vs bwrap --unshare-pid --unshare-uts --unshare-ipc
#                  --bind R / --proc /proc --dev /dev /bin/true
#   jail/bwrap-net the same with bwrap --unshare-net  (target: < 1)
#   inherit/unshare  jail -c with ip4=inherit ip6=inherit (no network
#                  namespace of its own) vs unshare without --net
#   jexec/nsenter  jexec NAME /bin/true  vs  nsenter -t INIT -a /bin/true
#                  (target: <= 1.1)
#   addr/inherit   jail -c with ip4.addr (a network namespace of its own and
#                  a socket broker) vs with ip4=inherit ip6=inherit (the
#                  host's namespace), command=/bin/true  (target: <= 1.3)
#   socket         microseconds per socket(2) and close(2) in a jail with
#                  ip4.addr (made by its broker) and in one with
#                  ip4=inherit ip6=inherit (made by the caller), and their
#                  ratio (bench/sockets.c; no target: the price of the
#                  broker, which only socket(2) pays)
#
# and then the paired ratios: the two commands run alternately, RUNS
# times each, and the median of the ratios of neighbouring runs, which
# the rest of a shared machine moves less than the medians: jail against
# unshare --net, bwrap --unshare-net and, with -b, against the jail(8)
# of another build (-b DIR: its build directory, say of main), whose
# jail -c and jexec (into a jail it made) are timed besides.  Last the
# same pairs once more (at most 30 of each) with 0.2 s before every run:
# a jail made on its own, as an administrator makes one, which finds
# nothing warm that the run before it left.
#
# A benchmark, not a test: it asserts nothing and is never run by meson.
# Usage: bench/bench.sh [-n RUNS] [-l] [-b BUILDDIR]   (as root; RUNS
# defaults to 200; -l times with a bash loop even when hyperfine is
# installed).
set -uo pipefail

. "$(dirname "$0")/../tests/lib/roots.sh"
. "$(dirname "$0")/lib.sh"

RUNS=200
ONCE=30
ENGINE=hyperfine
NAME=gaol_bench_$$
BEFORE=

usage() { echo "usage: bench.sh [-n runs] [-l] [-b builddir]" >&2; exit 1; }

while getopts 'n:lb:' opt; do
	case $opt in
	n) RUNS=$OPTARG ;;
	l) ENGINE=loop ;;
	b) BEFORE=$OPTARG ;;
	*) usage ;;
	esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || usage
command -v hyperfine >/dev/null 2>&1 || ENGINE=loop
[ -z "$BEFORE" ] || [ -x "$BEFORE/jail" ] || { echo "bench.sh: no $BEFORE/jail" >&2; exit 1; }

# The peers' flags, but the root and the network namespace.
UNSHARE=(unshare --fork --pid --mount --uts --ipc --mount-proc)
BWRAP=(bwrap --unshare-pid --unshare-uts --unshare-ipc)

main() {
	[ "$(id -u)" -eq 0 ] || die "run as root"
	require_binaries
	for c in unshare bwrap nsenter python3 cc; do
		command -v $c >/dev/null || die "needs $c"
	done
	scratch_new
	R=$SCRATCH/root
	make_busybox_root "$R" || die "cannot build a busybox root"
	echo "runs: $RUNS, timer: $ENGINE, root: $R"
	measure jail "$JAIL" -c path="$R" command=/bin/true
	[ -z "$BEFORE" ] ||
	    measure before "$BEFORE/jail" -c path="$R" command=/bin/true
	measure unshare "${UNSHARE[@]}" --root="$R" /bin/true
	measure unshare-net "${UNSHARE[@]}" --net --root="$R" /bin/true
	measure bwrap "${BWRAP[@]}" --bind "$R" / --proc /proc --dev /dev \
	    /bin/true
	measure bwrap-net "${BWRAP[@]}" --unshare-net --bind "$R" / \
	    --proc /proc --dev /dev /bin/true
	track_jail "$NAME"
	"$JAIL" -q -c name="$NAME" path="$R" persist || die "cannot create $NAME"
	INIT=$(jail_init_pid "$NAME") || die "no init pid for $NAME"
	measure jexec "$JEXEC" "$NAME" /bin/true
	measure nsenter nsenter -t "$INIT" -a /bin/true
	"$JAIL" -q -r "$NAME"
	[ -z "$BEFORE" ] || jexec_before
	measure addr "$JAIL" -c path="$R" ip4.addr=127.0.1.250 command=/bin/true
	measure inherit "$JAIL" -c path="$R" ip4=inherit ip6=inherit \
	    command=/bin/true
	sockets
	echo
	ratio jail unshare '-'
	ratio jail unshare-net '<= 1.5'
	ratio jail bwrap '-'
	ratio jail bwrap-net '< 1'
	ratio inherit unshare '-'
	ratio jexec nsenter '<= 1.1'
	if [ -n "$BEFORE" ]; then
		ratio before unshare-net '-'
		ratio before bwrap-net '-'
		ratio jexec-before nsenter '-'
	fi
	ratio addr inherit '<= 1.3'
	ratio sock-broker sock-own '-'
	pairs
}

# jexec of the other build (-b), into a jail that build made (its spawner).
jexec_before() {
	track_jail "${NAME}_b"
	"$BEFORE/jail" -q -c name="${NAME}_b" path="$R" persist ||
	    die "cannot create ${NAME}_b"
	measure jexec-before "$BEFORE/jexec" "${NAME}_b" /bin/true
	"$JAIL" -q -r "${NAME}_b"
}

# The paired ratios (lib.sh): jail against unshare --net, bwrap
# --unshare-net and, with -b, the other build's jail(8); N pairs each,
# jail labelled a, t1 and t2 the first two ratios' targets.
pair_set() {
	local a=$1 n=$2 t1=$3 t2=$4
	paired "$a" unshare-net "$n" "$JAIL" -c path="$R" \
	    command=/bin/true -- "${UNSHARE[@]}" --net --root="$R" /bin/true
	paired "$a" bwrap-net "$n" "$JAIL" -c path="$R" \
	    command=/bin/true -- "${BWRAP[@]}" --unshare-net --bind "$R" / \
	    --proc /proc --dev /dev /bin/true
	if [ -n "$BEFORE" ]; then
		paired "$a" before "$n" "$JAIL" -c path="$R" \
		    command=/bin/true -- "$BEFORE/jail" -c path="$R" \
		    command=/bin/true
	fi
	pair_ratio "$a" unshare-net "$t1"
	pair_ratio "$a" bwrap-net "$t2"
	[ -z "$BEFORE" ] || pair_ratio "$a" before '-'
}

# Each over RUNS pairs, back to back.
pairs() {
	echo
	echo "paired, $RUNS pairs each:"
	pair_set jail "$RUNS" '<= 1.5' '< 1'
	once
}

# The same pairs with every run on its own (GAP: 0.2 s before each), as
# an administrator makes one jail: back to back, a run finds what the
# one before left warm.  ONCE pairs each (at most RUNS).
once() {
	local n=$((RUNS < ONCE ? RUNS : ONCE))
	echo
	echo "one at a time (0.2 s apart), $n pairs each:"
	GAP=0.2
	pair_set jail-once "$n" - -
	GAP=
}

# sockets: socket(2) and close(2) in a jail whose sockets its broker
# makes and in one that makes its own, in microseconds a call.
sockets() {
	cc -O2 -static -o "$R/sockets" "$(dirname "$0")/sockets.c" ||
	    die "cannot build sockets.c"
	MS[sock-broker]=$("$JAIL" -c path="$R" ip4.addr=127.0.1.250 \
	    command=/sockets) || die "sockets failed in a jail with ip4.addr"
	MS[sock-own]=$("$JAIL" -c path="$R" ip4=inherit ip6=inherit \
	    command=/sockets) || die "sockets failed with ip4=inherit"
	printf '%-12s %10.3f us   %s\n' sock-broker "${MS[sock-broker]}" \
	    "socket(2) + close(2), ip4.addr"
	printf '%-12s %10.3f us   %s\n' sock-own "${MS[sock-own]}" \
	    "socket(2) + close(2), ip4=inherit ip6=inherit"
}

main "$@"
