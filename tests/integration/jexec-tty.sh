#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# jexec-tty.sh: an interactive command gets a terminal of the jail's own
# (from its private devpts), so tty(1), tmux, su and the like work inside;
# input, output and the exit status pass through.  script(1) supplies the
# terminal jexec runs on.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup
require_cmd script

N=gt_tty_$$
track_jail $N
check -o "inline:$N: created\n" -- "$JAIL" -c name=$N path="$R" persist mount.devfs

# on_tty CMD...: run CMD on a fresh terminal, its output without the CRs.
# script(1) types a NUL when its own stdin ends; the jail's terminal, like
# any, echoes it as "^@", which is dropped here too.
on_tty() {
	local q
	q=$(printf '%q ' "$@")
	script -qec "$q" /dev/null </dev/null | tr -d '\r' | sed 's/\^@//g'
	return "${PIPESTATUS[0]}"
}

check -o 'inline:/dev/pts/0\n' -m "on a terminal, the command's tty is the jail's /dev/pts/0" \
    -- on_tty "$JEXEC" $N tty
check -s 5 -m "the exit status passes through the relay" \
    -- on_tty "$JEXEC" $N sh -c 'exit 5'
check -o 'inline:got-ok\n' -m "input reaches the command through the jail's pty" \
    -- sh -c "printf 'read x; echo got-\$x; exit\nok\n' | script -qec '$JEXEC $N sh' /dev/null | tr -d '\r' | grep -x got-ok"
check -o 'inline:ok\n' -m "command= on a terminal gets the jail's pty too" \
    -- on_tty "$JAIL" -m name=$N command=/bin/sh -c 'tty | grep -q "^/dev/pts/" && echo ok'
check -s 1 -o 'inline:not a tty\n' -m "without a terminal, nothing changes" \
    -- "$JEXEC" $N tty
check -o empty -- "$JAIL" -r $N
done_testing
