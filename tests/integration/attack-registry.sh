#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# attack-registry.sh: the registry, /run/jail, gives no hold on a jail to
# a jailed root or to an ordinary host user.  A jailed root sees no
# /run/jail at all, nor its init's descriptors (which hold its entry).
# The host's nobody cannot read an entry (its init's token), lock one (an
# entry's lock says whether its jail lives: held by another, a dead
# jail's name and jid stay taken), list /run/jail or write anything into
# it; and still lists every jail with jls as root sees them, through the
# one file it may read, the list (which holds no token).  A registry an
# older gaol made with wider modes is repaired by the next root command.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup
require_cmd setpriv /usr/bin/python3

A=gt_areg_a
B=gt_areg_b
for n in $A $B; do track_jail $n; done
RUN=$JAIL_RUNDIR
asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

check -o "inline:$A: created\n" -- "$JAIL" -c jid=470 name=$A path="$R" \
    host.hostname=a.example mount.procfs persist
check -o "inline:$B: created\n" -- "$JAIL" -c jid=471 name=$B path="$R" \
    persist

# -- as the jail's root ------------------------------------------------------
check -s 1 -m "jailed root: no /run/jail in the jail" \
    -- "$JEXEC" $A test -e /run/jail
# its init holds the entry's directory open: no way through it
check -o empty -m "jailed root: its init's descriptors lead nowhere" \
    -- "$JEXEC" $A sh -c 'for f in /proc/1/fd/*; do
	readlink "$f" 2>/dev/null; ls "$f/" >/dev/null 2>&1 && echo "$f/"
	done; true'

# -- as the host's nobody ----------------------------------------------------
TOKEN=$(awk 'NR == 1 { print $5 }' "$RUN/470/state")
check -s 1 -o empty -e "inline:cat: $RUN/470/state: Permission denied\n" \
    -m "nobody cannot read an entry's state (its token)" \
    -- asnobody cat "$RUN/470/state"
check -o "inline:0\n" -m "the list nobody reads holds no token" \
    -- asnobody sh -c "grep -c ' $TOKEN ' '$RUN/list'; true"
check -s 2 -o empty -e "inline:ls: cannot open directory '$RUN': Permission denied\n" \
    -m "nobody cannot list /run/jail" -- asnobody ls "$RUN"

# A lock taken by an ordinary user on an entry's directory (what its
# creator, then its init, hold) or on its state file: tried by a python
# that reports and, when it got one and is asked to hold it, keeps it
# until killed.
locker() {
	asnobody /usr/bin/python3 -c '
import fcntl, os, struct, sys, time
path, how = sys.argv[1], sys.argv[2]
try:
    fd = os.open(path, os.O_RDONLY)
    if how == "ofd":
        fcntl.fcntl(fd, 37, struct.pack("hhqqi", fcntl.F_RDLCK, 0, 0, 0, 0))
    else:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except OSError as e:
    sys.exit(print("refused:", os.strerror(e.errno), flush=True))
print("locked", flush=True)
if len(sys.argv) > 3:
    time.sleep(1000)' "$@"
}
check -o "inline:refused: Permission denied\n" \
    -m "nobody cannot flock an entry's state file" \
    -- locker "$RUN/471/state" flock
locker "$RUN/471" ofd hold >"$SCRATCH/lock" &
L=$!
track_pid $L
wait_until 5 grep -q . "$SCRATCH/lock"
is "$(cat "$SCRATCH/lock")" "refused: Permission denied" \
    "nobody cannot take an entry's lock (F_OFD_SETLK on its directory)"
# had it held the lock, $B would look alive after its init is gone
check -o ignore -m "$B made nopersist, with no process: it goes" \
    -- "$JAIL" -m name=$B nopersist
check -s 1 -o "inline:   JID  IP Address      Hostname                      Path\n" \
    -e "inline:jls: jail \"$B\" not found\n" \
    -m "  ... and is gone" -- "$JLS" -j $B
check -o "inline:$B: created\n" -m "  ... its name and jid free again" \
    -- "$JAIL" -c jid=471 name=$B path="$R" persist
kill $L 2>/dev/null; wait $L 2>/dev/null

for f in "$RUN/list" "$RUN/470/state" "$RUN/.lock"; do
	check -s 2 -o empty -e "match:Permission denied" \
	    -m "nobody cannot write $f" \
	    -- asnobody sh -c "echo x >>'$f'"
done
for d in "$RUN" "$RUN/470" "$RUN/names"; do
	check -s 2 -o empty -e "match:Permission denied" \
	    -m "nobody cannot make a file in $d/" \
	    -- asnobody sh -c "echo x >'$d/x'"
done

# jls works for nobody as for root: every mode, and the name the jail set
mine() { grep -E "gt_areg_|^ +47[01] |^ +JID|^ +Name|^ +CPU|^ +IP" || true; }
check -m "jailed root sets its host name" -- "$JEXEC" $A hostname b.example
for args in "" "-v" "-n" "-N" "jid name host.hostname" "-s -j $A" \
    "-j $B" "-q -h -j $A" "--libxo json -j $A"; do
	# shellcheck disable=SC2086
	want=$("$JLS" $args | mine)
	# shellcheck disable=SC2086
	is "$(asnobody "$JLS" $args | mine)" "$want" \
	    "nobody's jls $args prints what root's does"
done
check -o "inline:b.example\n" -m "nobody sees the name the jail set" \
    -- asnobody "$JLS" -j 470 host.hostname

# The modes: root's only, but the list and the way to it.
modes() {
	stat -c '%a %n' "$RUN" "$RUN/.lock" "$RUN/list" "$RUN/names" \
	    "$RUN/470" "$RUN/470/state" | sed "s|$RUN|R|"
}
is "$(modes)" "711 R
600 R/.lock
644 R/list
700 R/names
700 R/470
600 R/470/state" "the registry's modes"

# An older gaol's registry: wide modes, and tokens in the list.
chmod 755 "$RUN" "$RUN/names" "$RUN/470" "$RUN/471"
chmod 644 "$RUN/470/state" "$RUN/471/state"
rm -f "$RUN/list"
/usr/bin/python3 - "$RUN" 470 471 <<-'EOF'
	import os, sys
	run, out = sys.argv[1], b""
	for jid in sys.argv[2:]:
	    text = open(f"{run}/{jid}/state", "rb").read()
	    ino = os.stat(f"{run}/{jid}").st_ino
	    out += b"%s %d %d\n" % (jid.encode(), ino, len(text)) + text
	open(f"{run}/list", "wb").write(b"0 %d 0\n" % len(out) + out)
	os.chmod(f"{run}/list", 0o644)
	EOF
ok "an older registry's list holds the token" grep -q " $TOKEN " "$RUN/list"
check -o ignore -m "the next root command (jls)" -- "$JLS"
is "$(modes)" "711 R
600 R/.lock
644 R/list
700 R/names
700 R/470
600 R/470/state" "  ... repairs the modes"
check -o "inline:0\n" -m "  ... and writes the list anew, without tokens" \
    -- sh -c "grep -c ' $TOKEN ' '$RUN/list'; true"
is "$(asnobody "$JLS" jid name | grep ' gt_areg_')" "470 $A
471 $B" "  ... which nobody reads"
check -o ignore -- "$JAIL" -r $A $B
is "$(state_snapshot)" "" "nothing left in the registry"
done_testing
