# SPDX-License-Identifier: BSD-2-Clause
# lib.sh: timing for gaol's benchmarks, sourced after tests/lib/roots.sh.
# The caller sets RUNS (runs per measurement) and ENGINE (hyperfine or
# loop).  die() reports with the script's name and exits.

die() { echo "${0##*/}: $*" >&2; exit 1; }

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

