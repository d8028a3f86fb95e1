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
	printf '%-12s %10.3f ms   %s\n' "$label" "${MS[$label]}" "$*"
}
ratio() {
	awk -v a="${MS[$1]}" -v b="${MS[$2]}" -v t="$3" \
	    'BEGIN { printf "%-20s %6.2f   (target %s)\n", "'"$1/$2"'", a / b, t }'
}

# paired LABEL_A LABEL_B N CMD_A... -- CMD_B...: run A and B alternately
# N times each, timed with $EPOCHREALTIME; print their medians and set
# PAIR[LABEL_A/LABEL_B], the median of
# the N ratios of a run of A to the run of B next to it: what the rest
# of a shared machine does at that moment weighs on both alike.  With
# GAP set (seconds), every run waits that long first, so that each runs
# on its own, as an administrator runs jail -c, with nothing left warm
# by the run before (caches, the kernel's grace periods).
declare -A PAIR
GAP=
paired() {
	local la=$1 lb=$2 n=$3 i t0 t1 t2 t3 ma mb a=() b=(); shift 3
	local ca=() cb=()
	while [ "$1" != -- ]; do ca+=("$1"); shift; done
	shift
	cb=("$@")
	for ((i = 0; i < 5; i++)); do
		"${ca[@]}" >/dev/null 2>&1; "${cb[@]}" >/dev/null 2>&1
	done
	for ((i = 0; i < n; i++)); do
		[ -z "$GAP" ] || sleep "$GAP"
		t0=$EPOCHREALTIME
		"${ca[@]}" >/dev/null 2>&1 || die "failed: ${ca[*]}"
		t1=$EPOCHREALTIME
		[ -z "$GAP" ] || sleep "$GAP"
		t2=$EPOCHREALTIME
		"${cb[@]}" >/dev/null 2>&1 || die "failed: ${cb[*]}"
		t3=$EPOCHREALTIME
		a+=("${t0/./} ${t1/./}") b+=("${t2/./} ${t3/./}")
	done
	read -r ma mb PAIR[$la/$lb] < <(
	    paste -d' ' <(printf '%s\n' "${a[@]}") <(printf '%s\n' "${b[@]}") |
	    awk 'function med(v, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	    }
	    { x[NR] = ($2 - $1) / 1000; y[NR] = ($4 - $3) / 1000
	      q[NR] = x[NR] / y[NR] }
	    END { printf "%.6f %.6f %.6f\n", med(x, NR), med(y, NR), med(q, NR) }')
	printf '%-12s %10.3f ms   %s\n' "$la" "$ma" "${ca[*]}"
	printf '%-12s %10.3f ms   %s\n' "$lb" "$mb" "${cb[*]}"
}
pair_ratio() {
	awk -v q="${PAIR[$1/$2]}" -v t="$3" \
	    'BEGIN { printf "%-20s %6.2f   (paired; target %s)\n", "'"$1/$2"'", q, t }'
}

