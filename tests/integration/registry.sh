#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# registry.sh: finding a jail by name or jid reads its own entry only
# (jls -j X must not read them all), and the name links stay right
# through renames, reuse of a name, and names that cannot be a file name.
#
# The count of entries read is what strace sees jls, jexec and jail -m
# open below /run/jail: one state file, whatever else runs.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup
require_cmd strace

A=gt_reg_a
B=gt_reg_b
LONG=gt_reg_$(printf 'l%.0s' $(seq 1 120))/x%y
for n in $A $B gt_reg_c "$LONG"; do track_jail "$n"; done

# How many state files a command opens ("JID/state" below /run/jail).
states_read() {
	strace -f -qq -e trace=openat -e signal=none -o "$SCRATCH/strace" "$@" \
	    >/dev/null 2>&1
	grep -cE '^[0-9]* *openat\([0-9]+, "[0-9]+/state",' "$SCRATCH/strace"
}

check -o "inline:$A: created\n" -- "$JAIL" -c jid=460 name=$A path="$R" persist
check -o "inline:gt_reg_c: created\n" -- "$JAIL" -c jid=461 name=gt_reg_c \
    path="$R" persist
is "$(readlink "$JAIL_RUNDIR/names/$A")" 460 "names/$A links to jid 460"

is "$(states_read "$JLS" -j $A)" 1 "jls -j NAME reads one state entry"
is "$(states_read "$JLS" -j 461)" 1 "jls -j JID reads one state entry"
is "$(states_read "$JEXEC" $A /bin/true)" 1 "jexec NAME reads one state entry"
if command -v setpriv >/dev/null; then
	check -o "inline:460 $A\n" -m "an ordinary user's jls -j NAME" \
	    -- setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$JLS" -j $A jid name
else
	skip "an ordinary user's jls -j NAME" "no setpriv(1)"
fi

# a rename: the old name is gone, the new one found, the old one free
check -o ignore -m "jail -m jid=460 name=$B renames" \
    -- "$JAIL" -m jid=460 name=$B
check -o "inline:460\n" -m "found under its new name" -- "$JLS" -j $B jid
check -s 1 -e "inline:jls: jail \"$A\" not found\n" \
    -m "not under its old one" -- "$JLS" -j $A jid
check -o "inline:$A: created\n" -m "a new jail takes the old name" \
    -- "$JAIL" -c jid=462 name=$A path="$R" persist
check -o "inline:462\n" -- "$JLS" -j $A jid
check -o "inline:460\n" -- "$JLS" -j $B jid
check -s 1 -e "inline:jail: jail \"$B\" already exists\n" \
    -m "a name in use is refused" -- "$JAIL" -c name=$B path="$R" persist

# a name too long to be a link is found by a scan
check -o "inline:$LONG: created\n" -m "a name with /, % and 130 bytes" \
    -- "$JAIL" -c jid=463 name="$LONG" path="$R" persist
check -o "inline:463\n" -- "$JLS" -j "$LONG" jid
check -o "inline:463\n" -- "$JEXEC" "$LONG" sh -c 'echo 463'
check -s 1 -e "inline:jail: jail \"$LONG\" already exists\n" \
    -- "$JAIL" -c name="$LONG" path="$R" persist

# removal takes the links with it; a stale link (a crash) misleads no one
check -o ignore -- "$JAIL" -r $A $B gt_reg_c "$LONG"
ok "no name link is left" test -z "$(ls "$JAIL_RUNDIR/names" | grep '^gt_reg')"
ln -s 999 "$JAIL_RUNDIR/names/gt_reg_c"
check -s 1 -e "inline:jls: jail \"gt_reg_c\" not found\n" \
    -m "a link to no entry: not found" -- "$JLS" -j gt_reg_c jid
check -o "inline:gt_reg_c: created\n" -m "and the name is free" \
    -- "$JAIL" -c jid=464 name=gt_reg_c path="$R" persist
is "$(readlink "$JAIL_RUNDIR/names/gt_reg_c")" 464 "the stale link replaced"

# a registry made before names/ existed (an older gaol, earlier in this
# boot): lookups scan, and the next creation links every running jail
# and still picks a free jid (jid 1 held, so a creation that saw no
# entry would collide)
if "$JLS" -j 1 >/dev/null 2>&1; then
	skip "a registry without names/" "jid 1 is another jail's"
else
	track_jail gt_reg_d
	check -o ignore -- "$JAIL" -c jid=1 name=gt_reg_d path="$R" persist
	rm -rf "$JAIL_RUNDIR/names"
	check -o "inline:464\n" -m "without names/, found by a scan" \
	    -- "$JLS" -j gt_reg_c jid
	check -o "inline:$A: created\n" -m "the next creation makes names/" \
	    -- "$JAIL" -c name=$A path="$R" persist
	is "$(readlink "$JAIL_RUNDIR/names/gt_reg_c")" 464 \
	    "and links the jails already there"
	ok "with a free jid" test "$("$JLS" -j $A jid)" -gt 1
	check -o ignore -- "$JAIL" -r gt_reg_d $A
fi

# A jail's entry is live while its directory is locked -- by its creator,
# then its init -- whatever becomes of the pid it names.  Entry 465 is
# forged for a sleep of the test's own (pid, start time and pidfs inode
# its own): with the "lock" word it is live only while a process of the
# test holds a read lock on the entry's directory.
sleep 1000 &
S=$!
track_pid $S
START=$(sed 's/.*) //' "/proc/$S/stat" | cut -d' ' -f20)
# the pidfs inode of a pid: pidfds of two processes have two inodes only
# where there is pidfs (before it, every pidfd is the one anonymous inode)
pidfd_ino() {
	python3 -c 'import os, sys
print(os.fstat(os.pidfd_open(int(sys.argv[1]))).st_ino)' "$1" 2>/dev/null
}
INO=$(pidfd_ino $S)
# forge START INO [lock]
forge() {
	mkdir -p "$JAIL_RUNDIR/465"
	{ printf 'active %s %s - 1 ino=%s%s\n' $S "$1" "$2" "${3:+ $3}"
	  sed '1d; s/^jid\t.*/jid\t465/; s/^name\t.*/name\tgt_reg_f/' \
	    "$JAIL_RUNDIR/464/state"; } >"$JAIL_RUNDIR/465/state"
}
forge "$START" "${INO:-0}" lock
check -s 1 -e "inline:jls: jail \"465\" not found\n" \
    -m "a locked entry nobody holds the lock of is stale, its pid alive" \
    -- "$JLS" -j 465 jid
ok "and reaped" test ! -e "$JAIL_RUNDIR/465"
forge "$START" "${INO:-0}" lock
python3 -c 'import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
fcntl.lockf(fd, fcntl.LOCK_SH, 1, 0, 0)
print("held", flush=True)
time.sleep(1000)' "$JAIL_RUNDIR/465" >"$SCRATCH/holder" &
H=$!
track_pid $H
wait_until 5 grep -q held "$SCRATCH/holder"
check -o "inline:465\n" -m "held: live" -- "$JLS" -j 465 jid
kill $H
wait $H 2>/dev/null
check -s 1 -e "inline:jls: jail \"465\" not found\n" \
    -m "its holder gone: stale" -- "$JLS" -j 465 jid
# Without the word (a gaol before entry locks, earlier in this boot): the
# pidfs inode decides where there is one, else the start time.
if [ -n "$INO" ] && [ "$INO" != "$(pidfd_ino $$)" ]; then
	forge "$START" "$INO"
	check -o "inline:465\n" -m "pid, start time and pidfs inode: live" \
	    -- "$JLS" -j 465 jid
	forge "$START" $((INO + 1))
	check -s 1 -e "inline:jls: jail \"465\" not found\n" \
	    -m "another pidfs inode: a recycled pid, stale" \
	    -- "$JLS" -j 465 jid
	ok "the stale entry is reaped" test ! -e "$JAIL_RUNDIR/465"
else
	skip "pidfs inodes" "no pidfs here (Linux < 6.9)"
	skip "pidfs inodes: another" "no pidfs here (Linux < 6.9)"
	skip "pidfs inodes: reaped" "no pidfs here (Linux < 6.9)"
fi
forge "$START" 0
check -o "inline:465\n" -m "no inode: the start time decides: live" \
    -- "$JLS" -j 465 jid
forge $((START + 1)) 0
check -s 1 -e "inline:jls: jail \"465\" not found\n" \
    -m "no inode, another start time: stale" -- "$JLS" -j 465 jid
ok "and reaped" test ! -e "$JAIL_RUNDIR/465"
rm -rf "$JAIL_RUNDIR/465"

# A state entry larger than jls's buffer for one (8 KiB) reads whole.
BIG=$(head -c 12000 /dev/zero | tr '\0' x)
check -o ignore -m "jail -m: a 12 KB exec.stop" \
    -- "$JAIL" -m jid=464 exec.stop="echo $BIG"
check -o "inline:echo $BIG\n" -m "a 12 KB parameter reads back whole" \
    -- "$JLS" -j 464 exec.stop

# The list: every entry's state text in one file, which jls reads instead
# of each entry's own (lib/registry), kept with every change of an entry.
mine() { "$JLS" jid name | grep ' gt_reg_'; }
"$JLS" >/dev/null
is "$(list_check 464)" "" "the list holds each entry's state as its file does"
is "$(states_read "$JLS")" 0 "jls reads the list, no entry's own state file"
check -o ignore -m "jail -m of 464" \
    -- "$JAIL" -m jid=464 exec.stop="echo again"
is "$(list_check 464)" "" "  ... and still after jail -m"
# with none (a crash mid-change), jls reads every entry and writes it anew
rm -f "$JAIL_RUNDIR/list"
is "$(mine)" "464 gt_reg_c" "with no list, jls lists from the entries"
is "$(list_check 464)" "" "  ... and writes the list again"
printf '1 2 3\nx' >"$JAIL_RUNDIR/list"
is "$(mine)" "464 gt_reg_c" "a garbled list: jls lists from the entries"
is "$(list_check 464)" "" "  ... and writes the list again"
# An ordinary user may read the list alone (the entries are root's:
# lib/registry/mode.c).  While an entry changes the list is set aside, and
# it reads it there; with none at all (a crash mid-change), it waits for
# one, then says what it lacks.
if command -v setpriv >/dev/null; then
	nb() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	is "$(nb "$JLS" jid name | grep ' gt_reg_')" "464 gt_reg_c" \
	    "an ordinary user's jls reads the list"
	mv "$JAIL_RUNDIR/list" "$JAIL_RUNDIR/.list.busy"
	is "$(nb "$JLS" jid name | grep ' gt_reg_')" "464 gt_reg_c" \
	    "  ... or, mid-change, the list set aside"
	rm "$JAIL_RUNDIR/.list.busy"
	check -s 1 -o 'inline:jid\n' \
	    -e "inline:jls: $JAIL_RUNDIR/list: missing; jls as root writes it again\n" \
	    -m "  ... and with none, waits, then says so" -- nb "$JLS" -h jid
	is "$(mine)" "464 gt_reg_c" "root's jls lists from the entries"
	is "$(nb "$JLS" -j gt_reg_c jid name)" "464 gt_reg_c" \
	    "  ... and writes the list the user reads"
else
	for t in 1 2 3 4 5; do skip "an ordinary user's jls" "no setpriv(1)"; done
fi
# A change appends a record to the list; one that finds it grown past
# twice its size when last written whole (and 64 KiB) writes it whole.
lsize() { stat -c %s "$JAIL_RUNDIR/list"; }
before=$(lsize)
check -o ignore -m "jail -m: another 12 KB exec.stop" \
    -- "$JAIL" -m jid=464 exec.stop="echo 0$BIG"
grown=$(lsize)
ok "a change appends to the list ($before, then $grown bytes)" \
    test "$grown" -gt $((before + 12000))
for i in $(seq 1 12); do
	"$JAIL" -m jid=464 exec.stop="echo $i$BIG" || break
done
ok "twelve more: it was written whole again ($(lsize) bytes)" \
    test "$(lsize)" -lt $((grown + 6 * 12000))
is "$(list_check 464)" "" "  ... and holds each entry's state still"
check -o "inline:echo 12$BIG\n" -m "  ... the last one's" \
    -- "$JLS" -j 464 exec.stop
# five more (past 64 KiB, not yet past twice its size whole and 64 KiB),
# then the jail goes: a jls that finds most of the list overridden writes
# it whole
for i in $(seq 1 5); do
	"$JAIL" -m jid=464 exec.stop="echo $i$BIG" || break
done
check -o ignore -- "$JAIL" -r gt_reg_c
is "$(list_check)" "" "a removed jail's record goes with it"
grown=$(lsize)
"$JLS" >/dev/null
ok "jls writes a list mostly overridden whole ($grown, then $(lsize) B)" \
    test "$(lsize)" -lt 4096
done_testing
