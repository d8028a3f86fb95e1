#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# hostname.sh: allow.set_hostname (on by default, as FreeBSD): the jail's
# root changes the jail's host name with hostname(1) (and, the same way,
# its domain name with setdomainname(2)),
# jls shows the new names, jail -m still sets them from the host, and the
# host's own name never changes.  The jail's other users may not; with
# allow.set_hostname=false nobody in the jail may.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_hostname_$$
HOST_NAME=$(hostname)

check -o "inline:$N: created\n" -m "a jail with the default allow.set_hostname" \
    -- "$JAIL" -c name=$N path="$R" host.hostname=before.example \
    mount.procfs persist
track_jail $N

check -m "the jail's root sets the host name" \
    -- "$JEXEC" $N hostname after.example
check -o 'inline:after.example\n' -m "the jail has the new name" \
    -- "$JEXEC" $N hostname
check -o 'inline:after.example\n' -m "another session sees it too" \
    -- "$JEXEC" $N cat /proc/sys/kernel/hostname
check -o 'inline:after.example\n' -m "jls shows the name the jail set" \
    -- "$JLS" -j $N host.hostname
is "$(hostname)" "$HOST_NAME" "the host's name is unchanged"

check -s 1 -o empty -e 'match:Operation not permitted' \
    -m "the jail's user may not" -- "$JEXEC" -U user $N hostname user.example
check -o 'inline:after.example\n' -m "and the name stays" \
    -- "$JEXEC" $N hostname

check -o 'inline:after.example ""\n' -m "jls shows the name, the domain as it was" \
    -- "$JLS" -j $N host.hostname host.domainname

check -s 1 -e 'match:Invalid argument' -m "a name over 64 bytes is refused" \
    -- "$JEXEC" $N hostname "$(printf 'x%.0s' $(seq 65))"

check -o "inline:$N: updated\n" -m "jail -m sets it from the host" \
    -- "$JAIL" -m name=$N host.hostname=host-set.example
check -o 'inline:host-set.example\n' -m "the jail has the host's name for it" \
    -- "$JEXEC" $N hostname
check -o 'inline:host-set.example\n' -m "jls shows it" \
    -- "$JLS" -j $N host.hostname
check -o empty -- "$JAIL" -r $N

N2=gt_hostname2_$$
check -o "inline:$N2: created\n" -m "a jail with allow.set_hostname=false" \
    -- "$JAIL" -c name=$N2 path="$R" host.hostname=fixed.example \
    allow.set_hostname=false persist
track_jail $N2
check -s 1 -e 'match:Operation not permitted' -m "its root may not set the name" \
    -- "$JEXEC" $N2 hostname other.example
check -o 'inline:fixed.example\n' -m "the name stays" -- "$JLS" -j $N2 host.hostname
check -o empty -- "$JAIL" -r $N2
is "$(state_snapshot)" "" "nothing left in the registry"
is "$(hostname)" "$HOST_NAME" "the host's name is unchanged at the end"
done_testing
