#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# badinput.sh: every kind of bad input gives exactly one line on stderr,
# nothing on stdout, exit status 1, and leaves nothing behind (the jails
# jls lists, the state directory and the mounts under the root are
# unchanged).
#
# What must hold: "Bad input: missing path, unknown parameter,
# non-numeric or negative jid, duplicate jid or name, unknown jail for
# jexec/jls/-r, a malformed boolean -- each gives one clear line on
# stderr, exit 1, and leaves nothing behind."
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

# bad MESSAGE CMD ...: CMD fails with exactly MESSAGE and changes nothing.
bad() {
	local msg=$1 before; shift
	before=$(state_snapshot; scratch_mounts)
	check -s 1 -o empty -e "inline:$msg\n" -m "$msg" -- "$@"
	is "$(state_snapshot; scratch_mounts)" "$before" "  ... and nothing is left behind"
}

test_parameters() {
	bad 'jail: missing parameter: path' \
	    "$JAIL" -c name=gt_bad_x persist
	bad 'jail: unknown parameter: foo' \
	    "$JAIL" -c name=gt_bad_x path="$R" persist foo=1
	bad 'jail: jid: non-integer value "abc"' \
	    "$JAIL" -c jid=abc name=gt_bad_x path="$R" persist
	bad 'jail: jid: invalid value "-5"' \
	    "$JAIL" -c jid=-5 name=gt_bad_x path="$R" persist
	bad 'jail: persist: unknown boolean value "maybe"' \
	    "$JAIL" -c name=gt_bad_x path="$R" persist=maybe
	bad 'jail: ip4.addr: addresses require ip4=new' \
	    "$JAIL" -c name=gt_bad_x path="$R" ip4.addr=192.0.2.1 ip4=inherit \
	    persist
	bad "jail: path $SCRATCH/nonexistent: No such file or directory" \
	    "$JAIL" -c name=gt_bad_x path="$SCRATCH/nonexistent" persist
	bad "jail: path /: the host's own root cannot be a jail's" \
	    "$JAIL" -c name=gt_bad_x path=/ persist
	ln -s / "$SCRATCH/slash"
	bad "jail: path $SCRATCH/slash: the host's own root cannot be a jail's" \
	    "$JAIL" -c name=gt_bad_x path="$SCRATCH/slash" persist
	check -s 1 -m "/ is not recorded as a tree a jail could write" \
	    -- sh -c "cat /run/jail/roots 2>/dev/null | tr '\\0' '\\n' | grep -qx /"
}

# A jail that exists makes a second one with its jid or name fail.
test_duplicates() {
	track_jail gt_bad_web
	check -o 'inline:gt_bad_web: created\n' \
	    -- "$JAIL" -c jid=150 name=gt_bad_web path="$R" persist
	bad 'jail: jail 150 already exists' \
	    "$JAIL" -c jid=150 name=gt_bad_other path="$R" persist
	bad 'jail: jail "gt_bad_web" already exists' \
	    "$JAIL" -c jid=151 name=gt_bad_web path="$R" persist
	bad 'jail: jail "gt_bad_web" already exists' \
	    "$JAIL" -c name=gt_bad_web path="$R" persist
	check -o 'inline:150 gt_bad_web\n' -m "the first jail is untouched" \
	    -- "$JLS" -j gt_bad_web jid name
	check -o empty -- "$JAIL" -r gt_bad_web
}

test_unknown_jail() {
	bad 'jexec: jail "gt_bad_nope" not found' "$JEXEC" gt_bad_nope true
	bad 'jls: jail "gt_bad_nope" not found' "$JLS" -j gt_bad_nope name
	bad 'jail: jail "gt_bad_nope" not found' "$JAIL" -r gt_bad_nope
	bad 'jexec: jail "159" not found' "$JEXEC" 159 true
	bad 'jls: jail "159" not found' "$JLS" -j 159 jid
}

test_parameters
test_duplicates
test_unknown_jail
done_testing
