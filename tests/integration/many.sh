#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# many.sh: a registry of hundreds of jails lists right and empties right
# (jls and jail -r on 1000 jails must work and be correct; the
# benchmark bench/scale.sh measures them at 1000, this checks them at 200
# on every run).  200 is past the counts from which jls reads entries on
# several threads and their locks from /proc/locks (registry:
# SCAN_PARALLEL_MIN, LOCKSET_MIN), so those paths are the ones checked:
# every jail listed once, in jid order, a dead one among them reaped, and
# jail -r of all leaving no process, entry or cgroup.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=200
FIRST=600		# jids 600..799, names gt_many_600..
LAST=$((FIRST + N - 1))
names() { seq -f "gt_many_%g" "$@"; }
for n in $(names $FIRST $LAST); do track_jail "$n"; done

made=0
for jid in $(seq $FIRST $LAST); do
	"$JAIL" -c jid=$jid name=gt_many_$jid path="$R" persist >/dev/null ||
	    break
	made=$((made + 1))
done
is "$made" $N "$N jails created"

# The jails of this test as jls lists them: "jid name", jid order kept.
mine() {
	"$@" "$JLS" jid name | awk -v a=$FIRST -v b=$LAST '$1 >= a && $1 <= b'
}
expect() { local j; for j in "$@"; do echo "$j gt_many_$j"; done; }
is "$(mine)" "$(expect $(seq $FIRST $LAST))" \
    "jls lists each of the $N once, in jid order"
# an ordinary user may list jails too (FreeBSD's jls needs no privilege):
# without the registry lock, each entry's lock is asked on its own
if command -v setpriv >/dev/null; then
	is "$(mine setpriv --reuid=65534 --regid=65534 --clear-groups)" \
	    "$(expect $(seq $FIRST $LAST))" "and so does an ordinary user's"
else
	skip "an ordinary user's jls" "no setpriv(1)"
fi
# An ordinary user, who may not open an entry, learns which are held from
# /proc/locks, trusted when it shows the user's own lock on the list; held
# by another (an exclusive flock on the list), it is not, and their inits'
# pids say.
if command -v setpriv >/dev/null && command -v flock >/dev/null; then
	spawn flock --no-fork -x "$JAIL_RUNDIR/list" sleep 1000
	wait_until 5 grep -q ":$(stat -c %i "$JAIL_RUNDIR/list") " /proc/locks
	is "$(mine setpriv --reuid=65534 --regid=65534 --clear-groups)" \
	    "$(expect $(seq $FIRST $LAST))" \
	    "  ... also when /proc/locks cannot vouch for the list"
	kill_pid KILL "$SPAWNED"
else
	skip "an ordinary user's jls by pids" "no setpriv(1) or flock(1)"
fi
check -o "inline:700 gt_many_700\n" -m "jls -j among $N" \
    -- "$JLS" -j gt_many_700 jid name

# jls reads every entry's state from the list, no entry's own file.
"$JLS" >/dev/null
is "$(list_check $(seq $FIRST $LAST))" "" \
    "the list holds the $N entries' states as their files do"
if command -v strace >/dev/null; then
	is "$(strace -f -qq -e trace=openat -e signal=none "$JLS" 2>&1 \
	    >/dev/null | grep -cE '"[0-9]+/state"')" 0 \
	    "jls reads the list, no entry's own state file"
else
	skip "jls reads the list" "no strace"
fi
# With no list (a crash mid-change), jls reads the entries, on more than
# one thread where there is more than one CPU, and writes the list again.
rm -f "$JAIL_RUNDIR/list"
if [ "$(nproc)" -gt 1 ] && command -v strace >/dev/null; then
	threads=$(strace -f -qq -e trace=clone,clone3 -e signal=none "$JLS" \
	    2>&1 >/dev/null | grep -c CLONE_THREAD)
	ok "with no list, jls read the entries on $((threads + 1)) threads" \
	    test "$threads" -ge 1
else
	"$JLS" >/dev/null
	skip "jls on several threads" "one CPU here, or no strace"
fi
is "$(list_check $(seq $FIRST $LAST))" "" "  ... and wrote the list again"

# jls prints after letting the registry lock go: one stuck writing to a
# pipe nobody reads (jls -n: more than a pipe holds) stops no creation.
mkfifo "$SCRATCH/fifo"
exec 9<>"$SCRATCH/fifo"
"$JLS" -n >"$SCRATCH/fifo" &
J=$!
track_pid $J
track_jail gt_many_x
sleep 1
check -o ignore -m "a creation while a jls is stuck writing" \
    -- timeout 10 "$JAIL" -c name=gt_many_x path="$R" persist
ok "  ... that jls still stuck" kill -0 $J
kill $J
wait $J 2>/dev/null
exec 9>&-
check -o ignore -- "$JAIL" -r gt_many_x

# jls as root learns which entries are held from one read of /proc/locks
# (it holds the registry lock, which vouches for what that shows): no
# entry of a running jail asks for its lock on its own.
getlk() {
	strace -f -qq -e trace=fcntl -e signal=none "$JLS" 2>&1 >/dev/null |
	    grep -c F_OFD_GETLK
}
is "$(getlk)" 0 "jls asks no running jail's entry for its lock"

# A jail whose init dies is gone from the next listing, and its entry
# with it (read on a thread, reaped after by jls alone).
INIT=$(jail_init_pid gt_many_650)
kill_pid KILL "$INIT"
wait_until 10 eval '! alive "${INIT:-0}"'
is "$(getlk)" 1 "only the dead one's entry is asked (then reaped)"
is "$(mine)" "$(expect $(seq $FIRST 649) $(seq 651 $LAST))" \
    "a jail whose init was killed is left out"
ok "its entry is reaped" wait_until 5 test ! -e "$JAIL_RUNDIR/650"
is "$(list_check $(seq $FIRST 649) $(seq 651 $LAST))" "" \
    "  ... and its record in the list with it"

# jail -r of all of them: nothing of any is left.
PIDNS=$(pidns_of "$(jail_init_pid gt_many_700)")
check -o ignore -m "jail -r of the $((N - 1)) left" \
    -- "$JAIL" -r $(names $FIRST 649) $(names 651 $LAST)
is "$(printf '%s' "$CHECK_STDOUT" | grep -c '^gt_many_[0-9]*: removed$')" \
    $((N - 1)) "  ... each named as removed"
is "$(mine)" "" "jls lists none of them"
left=
for jid in $(seq $FIRST $LAST); do
	[ -e "$JAIL_RUNDIR/$jid" ] && left="$left $jid"
done
is "$left" "" "no state entry is left"
is "$(awk '$3 == "cgroup2" || $3 == "cgroup" { print $2 }' /proc/self/mounts |
    while read -r m; do
	find "$m" -maxdepth 4 -type d -name 'jail.[67][0-9][0-9]*' 2>/dev/null
    done | awk -F'jail.' -v a=$FIRST -v b=$LAST '$NF + 0 >= a && $NF + 0 <= b')" \
    "" "no cgroup of any is left"
is "$(ls "$JAIL_RUNDIR/names" | grep '^gt_many_')" "" "no name link is left"
is "$(list_check)" "" "no record of any is left in the list"
left=
for p in /proc/[0-9]*; do
	# (a zombie is left to whoever reaps it: the host's init)
	[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$PIDNS" ] &&
	    alive "${p#/proc/}" && left="$left ${p#/proc/}"
done
is "$left" "" "no process of a removed jail is left"
done_testing
