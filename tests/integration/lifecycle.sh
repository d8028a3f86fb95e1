#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# lifecycle.sh: create a persistent jail on a busybox root, see it in jls
# in FreeBSD's format, run commands in it with jexec, remove it; and the
# messages jail -c/-r print with and without -q and -i.
#
# What must hold: "Create a persistent jail on a busybox root; jls
# shows it in FreeBSD's format; jexec NAME hostname prints its hostname;
# the host's hostname is unchanged."
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_lc_web
H=gt-lc.example.org
JID=110
HOST_HOSTNAME=$(hostname)

# The default jls table: FreeBSD's header and one printf-formatted row.
jls_header() { printf '   JID  IP Address      Hostname                      Path\n'; }
jls_row() { printf '%6d  %-15.15s %-29.29s %.74s\n' "$1" "" "$2" "$3"; }

test_create() {
	track_jail "$N"
	check -o "inline:$N: created\n" -m "jail -c name=$N prints '$N: created'" \
	    -- "$JAIL" -c jid=$JID name=$N path="$R" host.hostname=$H persist
	is "$(jail_jid $N)" "$JID" "the jail has the jid it asked for"
}

test_jls() {
	local expected
	expected="$(jls_header)
$(jls_row $JID $H "$R")"
	check -o "match:^ {3}JID  IP Address {6}Hostname {22}Path$" \
	    -m "jls prints FreeBSD's header" -- "$JLS"
	is "$(printf '%s\n' "$CHECK_STDOUT" | grep -E "^ +$JID ")" \
	    "$(jls_row $JID $H "$R")" "jls row: jid, empty address, hostname, path"
	check -o "inline:$expected\n" -m "jls -j $N prints the header and its row" \
	    -- "$JLS" -j $N
	check -o "inline:$expected\n" -m "jls -j $JID (by jid)" -- "$JLS" -j $JID
	check -o "inline:$JID $N $H $R\n" -m "jls -j $N jid name host.hostname path" \
	    -- "$JLS" -j $N jid name host.hostname path
	check -o "inline:$JID\n" -m "jls -j $N jid" -- "$JLS" -j $N jid
}

test_jexec() {
	check -o "inline:$H\n" -m "jexec $N hostname prints the jail's hostname" \
	    -- "$JEXEC" $N hostname
	is "$(hostname)" "$HOST_HOSTNAME" "the host's hostname is unchanged"
	check -o "inline:$H\n" -m "jexec by jid" -- "$JEXEC" $JID /bin/hostname
	check -o "inline:/\n" -m "jexec runs in the jail's root" -- "$JEXEC" $N pwd
	check -o "inline:busybox\n" -m "the jail sees its own /etc/hostname" \
	    -- "$JEXEC" $N cat /etc/hostname
}

test_remove() {
	check -o empty -m "jail -r $N, one jail and no jail.conf: quiet, as FreeBSD" \
	    -- "$JAIL" -r $N
	# FreeBSD's jls prints the header before it looks the jail up.
	check -s 1 -o "inline:$(jls_header)\n" \
	    -e "inline:jls: jail \"$N\" not found\n" \
	    -m "jls -j $N fails after removal" -- "$JLS" -j $N
	check -s 1 -e "inline:jls: jail \"$N\" not found\n" \
	    -m "jls -j $N jid: no header, the error" -- "$JLS" -j $N jid
}

# -q silences jail; -i prints only the jid; without name= nothing is said.
test_quiet_forms() {
	track_jail gt_lc_q; track_jail gt_lc_i; track_jail 113
	check -m "jail -q -c prints nothing" \
	    -- "$JAIL" -q -c jid=111 name=gt_lc_q path="$R" persist
	check -m "jail -q -r prints nothing" -- "$JAIL" -q -r gt_lc_q
	check -o 'inline:112\n' -m "jail -i -c prints the jid only" \
	    -- "$JAIL" -i -c jid=112 name=gt_lc_i path="$R" persist
	check -o empty -- "$JAIL" -r gt_lc_i
	check -m "jail -c without name= prints nothing" \
	    -- "$JAIL" -c jid=113 path="$R" persist
	check -o 'inline:113\n' -m "the name defaults to the jid" \
	    -- "$JLS" -j 113 name
	check -o empty -m "jail -r JID names it by its jid" \
	    -- "$JAIL" -r 113
}

test_create
test_jls
test_jexec
test_remove
test_quiet_forms
done_testing
