#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# modify.sh: jail -m changes a running jail and runs command= in it.
#
# What must hold: "jail -m changes host.hostname of a running jail;
# jail -m name=X command=... runs the command in it (the seeds' stand-in
# for jexec)."
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_mod
H1=gt-mod-one
H2=gt-mod-two

track_jail $N
check -o "inline:$N: created\n" -m "create $N with hostname $H1" \
    -- "$JAIL" -c jid=120 name=$N path="$R" host.hostname=$H1 persist
check -o "inline:$H1\n" -- "$JEXEC" $N hostname

# FreeBSD prints NAME: updated after a successful -m.
check -o "inline:$N: updated\n" -m "jail -m name=$N host.hostname=$H2" \
    -- "$JAIL" -m name=$N host.hostname=$H2
check -o "inline:$H2\n" -m "jexec sees the new hostname" -- "$JEXEC" $N hostname
check -o "inline:120 $H2\n" -m "jls reports the new hostname" \
    -- "$JLS" -j $N jid host.hostname
check -m "jail -q -m by jid" -- "$JAIL" -q -m jid=120 host.hostname=$H1
check -o "inline:$H1\n" -m "modified again by jid" -- "$JEXEC" $N hostname

# command= with -m runs inside the existing jail.
check -o "inline:$H1\n" -m "jail -q -m name=$N command=/bin/hostname" \
    -- "$JAIL" -q -m name=$N command=/bin/hostname
check -s 5 -m "jail -q -m ... command= returns the command's status" \
    -- "$JAIL" -q -m name=$N command=/bin/sh -c 'exit 5'
check -o "inline:$N\n" -m "the jail is still there afterwards" \
    -- "$JLS" -j $N name

check -s 1 -e "inline:jail: jail \"gt_mod_none\" not found\n" \
    -m "jail -m of an unknown jail" \
    -- "$JAIL" -m name=gt_mod_none host.hostname=x
check -o empty -- "$JAIL" -r $N
done_testing
