#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# libjail-example.sh: examples/jailctl.c, a program built on <jail.h> and
# the shared libjail alone, creates a jail, lists it, runs commands in it
# (jail_execvp: inside, with their exit status and signal) and removes
# it; jls(8) and jail(8) see what it did, and its errors are libjail's.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

JAILCTL=$GAOL_BUILDDIR/jailctl
[ -x "$JAILCTL" ] || skip_all "$JAILCTL not built"
N=gt_lj

track_jail $N
check -o 'match:^[0-9]+$' -m "jailctl create prints the jid" \
    -- "$JAILCTL" create $N "$R" host.hostname=gt-lj
JID=$CHECK_STDOUT
check -o "inline:$JID $N gt-lj $R\n" -m "jailctl list: the jail as libjail reports it" \
    -- "$JAILCTL" list
check -o "inline:$N gt-lj true\n" -m "jls sees the jail jailctl made" \
    -- "$JLS" -j $JID name host.hostname persist
check -s 1 -e "inline:jailctl: jail \"$N\" already exists\n" \
    -m "a second create: libjail's EEXIST message" \
    -- "$JAILCTL" create $N "$R"
check -s 1 -e 'inline:jailctl: persist: unknown boolean value "x"\n' \
    -m "a value of the wrong type is refused before anything is made" \
    -- "$JAILCTL" create gt_lj_bad "$R" persist=x
check -s 1 -e 'inline:jls: jail "gt_lj_bad" not found\n' \
    -m "... and no jail is left" -- "$JLS" -j gt_lj_bad jid

check -o 'inline:gt-lj\n0\n/\nexit status 0\n' \
    -m "jailctl run: the command runs inside, as root, in /" \
    -- "$JAILCTL" run $N sh -c 'hostname; id -u; pwd'
check -o "inline:0\nexit status 0\n" \
    -m "... in the jail's pid namespace (its parent outside it)" \
    -- "$JAILCTL" run $N sh -c 'echo $PPID'
check -i 'from stdin\n' -o 'inline:from stdin\nexit status 0\n' \
    -m "... with the caller's standard input" -- "$JAILCTL" run $N cat
check -s 3 -o 'inline:exit status 3\n' -m "... and its exit status" \
    -- "$JAILCTL" run $N sh -c 'exit 3'
check -s 1 -o 'inline:killed by signal 15\n' -m "... or the signal that killed it" \
    -- "$JAILCTL" run $N sh -c 'kill -TERM $$'
check -s 127 -o 'inline:exit status 127\n' -e 'match:^jailctl: .*no/such/command' \
    -m "a command the jail does not have: jail_execvp returns" \
    -- "$JAILCTL" run $N /no/such/command
check -s 1 -e 'inline:jailctl: jail "gt_lj_none" not found\n' \
    -m "run in no jail: jail_getid's message" -- "$JAILCTL" run gt_lj_none true

check -m "jailctl remove" -- "$JAILCTL" remove $N
check -s 1 -e "inline:jls: jail \"$N\" not found\n" -m "the jail is gone" \
    -- "$JLS" -j $N jid
check -m "jailctl list: nothing left" -- "$JAILCTL" list
check -s 1 -e "inline:jailctl: jail \"$N\" not found\n" \
    -m "remove again: not found" -- "$JAILCTL" remove $N
done_testing
