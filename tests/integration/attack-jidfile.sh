#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# attack-jidfile.sh: jail -J FILE writes as root, before the jail exists,
# wherever FILE leads; a jailed root that made FILE, or a directory above
# it, a symbolic link (to a host file, here a scratch file of the test's
# own), or FILE a FIFO, during an earlier run on the same root, must not
# get root's write through it, nor stall jail -c on a FIFO no one reads.
# Each is refused with one line naming FILE, exit 1, no jail made.  A
# regular file there, and a host path through the host's own links,
# work as on FreeBSD (the file truncated, 0666 less the umask).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

A=gt_ajid_a
B=gt_ajid_b
for n in $A $B; do track_jail $n; done
mkdir -p "$R/var/run" "$SCRATCH/hostdir"
echo precious >"$SCRATCH/target"
CHECK_TIMEOUT=10	# a -J that blocks on the FIFO is killed, and fails

check -o "inline:$A: created\n" -- "$JAIL" -c name=$A path="$R" persist
check -m "jailed root links /var/run/jid to a host file" \
    -- "$JEXEC" $A ln -s "$SCRATCH/target" /var/run/jid
check -m "jailed root links /var/run/d to a host directory" \
    -- "$JEXEC" $A ln -s "$SCRATCH/hostdir" /var/run/d
check -m "jailed root makes /var/run/fifo a FIFO" \
    -- "$JEXEC" $A mkfifo /var/run/fifo
check -o empty -m "the jail stops" -- "$JAIL" -r $A

# The next start on the same root, with -J into the jail's /var/run.
refused() {	# FILE MESSAGE DESCRIPTION
	check -s 1 -o empty -e "inline:jail: open $1: $2\n" -m "$3" \
	    -- "$JAIL" -J "$1" -c jid=480 name=$B path="$R" persist
	check -s 1 -o ignore -e "inline:jls: jail \"$B\" not found\n" \
	    -m "  ... and no jail made" -- "$JLS" -j $B
	# (one made anyway is removed, so that the next point stands alone)
	"$JLS" -j $B >/dev/null 2>&1 && "$JAIL" -r $B >/dev/null 2>&1
}
refused "$R/var/run/jid" "a symbolic link, not a regular file" \
    "-J on the jail's link to a host file: refused"
check -o "inline:precious\n" -m "  ... nothing written through it" \
    -- cat "$SCRATCH/target"
refused "$R/var/run/d/jid" "a symbolic link below jail path $R" \
    "-J below the jail's link to a host directory: refused"
ok "  ... nothing made there" test ! -e "$SCRATCH/hostdir/jid"
refused "$R/var/run/fifo" "a FIFO, not a regular file" \
    "-J on the jail's FIFO: refused at once"
refused "$R/var/run/../../../target" "\"..\" leaves jail path $R" \
    "-J with .. out of the jail's path: refused"
check -o "inline:precious\n" -m "  ... nothing written there" \
    -- cat "$SCRATCH/target"
check -s 1 -o empty -e "inline:jail: open /dev/null: a device, not a regular file\n" \
    -m "-J on a device: refused" \
    -- "$JAIL" -J /dev/null -c jid=480 name=$B path="$R" persist

# Below a running jail's path, for a jail made elsewhere: the same.
R2=$SCRATCH/root2
make_busybox_root "$R2" || bail_out "cannot build a busybox root in $R2"
check -o "inline:$A: created\n" -- "$JAIL" -c name=$A path="$R" persist
check -s 1 -o empty \
    -e "inline:jail: open $R/var/run/d/jid: a symbolic link below jail path $R\n" \
    -m "-J below a running jail's link, for a jail on another root: refused" \
    -- "$JAIL" -J "$R/var/run/d/jid" -c jid=480 name=$B path="$R2" persist
ok "  ... nothing made there" test ! -e "$SCRATCH/hostdir/jid"
rm -f "$SCRATCH/hostdir/jid"
"$JLS" -j $B >/dev/null 2>&1 && "$JAIL" -r $B >/dev/null 2>&1
check -o empty -- "$JAIL" -r $A

# What still works, as on FreeBSD.
echo "an older and longer jid file" >"$R/var/run/jid.ok"
check -o "inline:$B: created\n" -m "-J on a regular file in the jail's root" \
    -- "$JAIL" -J "$R/var/run/jid.ok" -c jid=480 name=$B path="$R" persist
check -o "inline:jid=480 name=$B path=$R persist\n" \
    -m "  ... truncated and written" -- cat "$R/var/run/jid.ok"
check -o empty -- "$JAIL" -r $B
ln -s "$SCRATCH/hostdir" "$SCRATCH/hostlink"
check -o "inline:$B: created\n" \
    -m "-J through the host's own link, outside any jail's path" \
    -- sh -c "umask 022; exec '$JAIL' -J '$SCRATCH/hostlink/jid' -c jid=480 \
    name=$B path='$R' persist"
check -o "inline:644 jid=480 name=$B path=$R persist\n" \
    -m "  ... made 0666 less the umask, and written" \
    -- sh -c "printf '%s ' \$(stat -c %a '$SCRATCH/hostdir/jid'); \
    cat '$SCRATCH/hostdir/jid'"
check -o empty -- "$JAIL" -r $B
is "$(state_snapshot)" "" "nothing left in the registry"
done_testing
