#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# command.sh: a non-persistent jail started with command= lives as long as
# its processes, returns the command's status and leaves nothing behind.
#
# What must hold: "jail -c path=R command=/bin/echo hi prints hi,
# returns the command's exit status, and leaves no jail behind; a jail
# started with a background process lives until that process exits, then
# disappears by itself."
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

# argv printer inside the root: one [arg] per line, to see exactly what
# the command received.
cat >"$R/bin/argv" <<'SH'
#!/bin/sh
for a; do printf '[%s]\n' "$a"; done
SH
chmod 755 "$R/bin/argv"

BEFORE=$(state_snapshot)
nothing_left() {
	is "$(state_snapshot)" "$BEFORE" "$1: no jail and no state entry left"
}

test_echo() {
	check -o 'inline:hi\n' -m "jail -c path=R command=/bin/echo hi" \
	    -- "$JAIL" -c path="$R" command=/bin/echo hi
	nothing_left "after echo"
}

test_status() {
	check -s 3 -m "command=/bin/sh -c 'exit 3' returns 3" \
	    -- "$JAIL" -c path="$R" command=/bin/sh -c 'exit 3'
	nothing_left "after exit 3"
	check -s 1 -m "command=/bin/false returns 1" \
	    -- "$JAIL" -c path="$R" command=/bin/false
	nothing_left "after false"
}

# command= takes every remaining argument, options included.  A "--"
# right after command= is dropped, as the seeds' glibc-getopt jail(8) did,
# so their command=/bin/sh -- -c "..." runs sh -c "..."; any other "--"
# is the command's.
test_argv() {
	check -o 'inline:[-c]\n[echo "a b"; exit 0]\n[]\n' \
	    -m "command=/bin/argv -- -c SCRIPT '': the first -- is dropped" \
	    -- "$JAIL" -c path="$R" command=/bin/argv -- -c 'echo "a b"; exit 0' ''
	check -o 'inline:[a]\n[--]\n[-x]\n' -m "a later -- reaches the command" \
	    -- "$JAIL" -c path="$R" command=/bin/argv a -- -x
	check -o 'inline:seeds\n' -m "the seeds' command=/bin/sh -- -c \"...\"" \
	    -- "$JAIL" -c path="$R" command=/bin/sh -- -c 'echo seeds'
	check -o 'inline:seeds a b\n' -m "command=/bin/sh -c with \$0 and \$1" \
	    -- "$JAIL" -c path="$R" command=/bin/sh -c 'echo "$0 $1"' seeds 'a b'
	check -o 'inline:[x=1]\n[persist]\n' \
	    -m "words after command= are not parameters" \
	    -- "$JAIL" -c path="$R" command=/bin/argv x=1 persist
	nothing_left "after the argv checks"
}

test_hostname() {
	check -o 'inline:gt-cmd\n' -m "command= runs with host.hostname" \
	    -- "$JAIL" -c path="$R" host.hostname=gt-cmd command=/bin/hostname
}

# A background process keeps the jail alive; it goes when the process does.
# (mount.devfs: sh gives a background job /dev/null as its stdin.)
test_background() {
	local n=gt_cmd_bg
	track_jail $n
	check -m "command=/bin/sh -c 'sleep 3 &' returns at once" \
	    -- "$JAIL" -q -c name=$n path="$R" mount.devfs \
	    command=/bin/sh -c 'sleep 3 >/dev/null 2>&1 &'
	ok "jls lists $n while its sleep runs" "$JLS" -j $n
	ok "$n disappears by itself once sleep exits (within 15 s)" \
	    wait_until 15 not_running $n
	nothing_left "after the background jail"
}
not_running() { ! "$JLS" -j "$1" >/dev/null 2>&1; }

test_echo
test_status
test_argv
test_hostname
test_background
done_testing
