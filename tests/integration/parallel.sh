#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# parallel.sh: concurrent jail -c from separate shells never corrupts the
# state or hands out one jid twice; concurrent jail -r likewise.
#
# What must hold: "20 jails created in parallel from separate shells
# all succeed with distinct jids and are all listed."
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

COUNT=20
OUT=$SCRATCH/out
mkdir -p "$OUT"

# run_parallel VERB: jail VERB for p1..pN at once, each in its own shell;
# $OUT/VERB.i.{out,err,rc} keep what each printed and returned.
run_parallel() {
	local verb=$1 i pids=()
	for i in $(seq $COUNT); do
		if [ "$verb" = c ]; then
			bash -c '"$@"; echo $? >"$0"' "$OUT/$verb.$i.rc" \
			    "$JAIL" -c name=gt_par_$i path="$R" persist \
			    >"$OUT/$verb.$i.out" 2>"$OUT/$verb.$i.err" &
		else
			bash -c '"$@"; echo $? >"$0"' "$OUT/$verb.$i.rc" \
			    "$JAIL" -r gt_par_$i \
			    >"$OUT/$verb.$i.out" 2>"$OUT/$verb.$i.err" &
		fi
		pids+=($!)
	done
	wait "${pids[@]}"
}

# check_parallel VERB WORD: every run exited 0 and printed "NAME: WORD".
check_parallel() {
	local verb=$1 word=$2 i bad=
	for i in $(seq $COUNT); do
		check_host_warnings "$OUT/$verb.$i.err"
		[ "$(cat "$OUT/$verb.$i.rc")" = 0 ] &&
		    [ "$(cat "$OUT/$verb.$i.out")" = "${word:+gt_par_$i: $word}" ] &&
		    [ ! -s "$OUT/$verb.$i.err" ] && continue
		bad="$bad $i"
		diag "gt_par_$i: status $(cat "$OUT/$verb.$i.rc")," \
		    "stdout '$(cat "$OUT/$verb.$i.out")'," \
		    "stderr '$(cat "$OUT/$verb.$i.err")'"
	done
	is "$bad" "" "all $COUNT jail -$verb exited 0 and printed '$word'"
}

for i in $(seq $COUNT); do track_jail gt_par_$i; done
run_parallel c
check_parallel c created
JIDS=$(for i in $(seq $COUNT); do "$JLS" -j gt_par_$i jid; done)
is "$(echo "$JIDS" | grep -c .)" $COUNT "jls -j finds all $COUNT jails"
is "$(echo "$JIDS" | sort -u | grep -c .)" $COUNT "their jids are distinct"
LISTED=$("$JLS" name | grep -c '^gt_par_')
is "$LISTED" $COUNT "jls lists all $COUNT"
is "$("$JLS" | grep -c " $R\$")" $COUNT "the default table shows $COUNT rows"

run_parallel r
check_parallel r ""	# one jail, no jail.conf: FreeBSD prints nothing
is "$("$JLS" name | grep -c '^gt_par_')" 0 "none is listed after removal"
LEFT=$(for j in $JIDS; do [ -e "$JAIL_RUNDIR/$j" ] && echo "$j"; done)
is "$(echo $LEFT)" "" "no state entry is left for their jids"
done_testing
