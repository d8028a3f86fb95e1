#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# jidfile.sh: jail -J FILE writes FreeBSD's record of the started jail:
# one line, jid=JID first, then the parameters as given, separated by
# spaces (FreeBSD's print_jail), values quoted the way jail -c needs them
# (quoted_print: "..." around spaces).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

F=$SCRATCH/jid
track_jail gt_jf; track_jail gt_jf2

check -o 'inline:gt_jf: created\n' -m "jail -J FILE -c" \
    -- "$JAIL" -J "$F" -c jid=170 name=gt_jf path="$R" persist
check -o "inline:jid=170 name=gt_jf path=$R persist\n" \
    -m "the jid file holds jid= then the given parameters" -- cat "$F"
check -o empty -- "$JAIL" -r gt_jf

# Without jid= the allocated jid is written; a value with spaces is quoted.
check -o 'inline:gt_jf2: created\n' -m "jail -J FILE -c without jid=" \
    -- "$JAIL" -J "$F" -c name=gt_jf2 path="$R" host.hostname='a b' persist
JID=$(jail_jid gt_jf2)
check -o "inline:jid=$JID name=gt_jf2 path=$R host.hostname=\"a b\" persist\n" \
    -m "the allocated jid and a quoted value" -- cat "$F"
check -o empty -- "$JAIL" -r gt_jf2

check -s 1 -o empty \
    -e "inline:jail: open $SCRATCH/no/such/dir/jid: No such file or directory\n" \
    -m "an unwritable jid file fails before anything is created" \
    -- "$JAIL" -J "$SCRATCH/no/such/dir/jid" -c name=gt_jf3 path="$R" persist
not_ok "and creates no jail" "$JLS" -j gt_jf3
done_testing
