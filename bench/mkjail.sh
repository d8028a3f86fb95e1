#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# mkjail.sh: what a thin jail costs once its base is cached,
# against the peer a thin jail replaces -- a full copy of the base --
# in one run on one base.  Prints the median of RUNS runs and the ratios
#
#   thin/cp        seconds for `mkjail -t NAME PATH` plus `jail -f BLOCK -c
#                  NAME` (the jail booted: exec.start has run) vs `cp -a
#                  BASE PATH` alone   (target: thin < 5 s)
#   thin-MB/cp-MB  MB of new disk: du of the jail's layer after its boot
#                  vs du of the copy   (target: thin < 20 MB)
#
# A benchmark, not a test: it asserts nothing and is never run by meson.
# The first run makes the base with debootstrap if it is not cached
# (the host's Debian mirror; nothing else leaves the host).
# Usage: bench/mkjail.sh [-n RUNS]   (as root; RUNS defaults to 5)
set -uo pipefail

. "$(dirname "$0")/../tests/lib/roots.sh"

RUNS=5
NAME=gaol_bench_mk_$$
MKJAIL=$GAOL_BUILDDIR/mkjail

usage() { echo "usage: mkjail.sh [-n runs]" >&2; exit 1; }
die() { echo "mkjail.sh: $*" >&2; exit 1; }

while getopts 'n:' opt; do
	case $opt in
	n) RUNS=$OPTARG ;;
	*) usage ;;
	esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || usage

# Seconds (float) since t0, from bash's $EPOCHREALTIME.
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'; }

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	    else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# One thin jail made and booted: "SECONDS KB" (the layer after the boot).
thin_once() {
	local p=$SCRATCH/thin t0 s kb
	t0=$EPOCHREALTIME
	if ! "$MKJAIL" -t "$NAME" "$p" >"$SCRATCH/block" 2>"$SCRATCH/err"; then
		cat "$SCRATCH/err" >&2
		die "mkjail -t failed"
	fi
	"$JAIL" -q -f "$SCRATCH/block" -c "$NAME" || die "jail -c failed"
	s=$(since "$t0")
	kb=$(du -sk "$p.layer" | cut -f1)
	"$JAIL" -q -r "$NAME" || die "jail -r failed"
	"$MKJAIL" -r "$NAME" "$p" || die "mkjail -r failed"
	echo "$s $kb"
}

# The peer: a thick copy of the base, "SECONDS KB".
cp_once() {
	local p=$SCRATCH/copy t0 s kb
	t0=$EPOCHREALTIME
	cp -a "$BASE" "$p" || die "cp -a failed"
	sync -f "$p"
	s=$(since "$t0")
	kb=$(du -sk "$p" | cut -f1)
	rm -rf --one-file-system "$p"
	echo "$s $kb"
}

declare -A V
measure() {
	local label=$1 fn=$2 i out=$SCRATCH/$1.results
	: >"$out"
	for ((i = 0; i < RUNS; i++)); do
		$fn >>"$out" || exit 1
	done
	V[$label-s]=$(cut -d' ' -f1 "$out" | median)
	V[$label-mb]=$(cut -d' ' -f2 "$out" | median |
	    awk '{ printf "%.1f", $1 / 1024 }')
	printf '%-6s %8.3f s %9.1f MB\n' "$label" "${V[$label-s]}" \
	    "${V[$label-mb]}"
}

ratio() {
	awk -v a="${V[$1]}" -v b="${V[$2]}" -v n="$3" -v t="$4" \
	    'BEGIN { printf "%-16s %8.4f   (thin: %s, target %s)\n", n, a / b, a, t }'
}

main() {
	[ "$(id -u)" -eq 0 ] || die "run as root"
	require_binaries
	[ -x "$MKJAIL" ] || die "$MKJAIL not built"
	scratch_new
	track_jail "$NAME"
	# the base, made now if not cached (not timed)
	"$MKJAIL" -t "$NAME" "$SCRATCH/warm" >"$SCRATCH/block" ||
	    die "cannot make the base"
	BASE=$(sed -n 's/.*lowerdir=\([^,]*\),.*/\1/p' "$SCRATCH/block")
	"$MKJAIL" -r "$NAME" "$SCRATCH/warm" || die "mkjail -r failed"
	echo "runs: $RUNS, base: $BASE ($(du -sh "$BASE" | cut -f1))"
	measure thin thin_once
	measure cp cp_once
	echo
	ratio thin-s cp-s "thin/cp (s)" "< 5 s"
	ratio thin-mb cp-mb "thin/cp (MB)" "< 20 MB"
}

main "$@"
