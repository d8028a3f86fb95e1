#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# fakeroot.sh: the seeds' example of System V IPC -- fakeroot works in a
# Debian jail once System V IPC is allowed (allow.sysvipc: a private IPC
# namespace of the jail's own), and fails, saying why, with the default
# (sysvmsg, sysvsem and sysvshm disabled, as FreeBSD).  The root is the
# cached debootstrap (tools/debian-root.sh) seen through an overlay in
# this test's own mount namespace.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/mounthelpers.sh"
mount_helpers_enter "$@"
test_setup
mh_watch "$SCRATCH"

N=gt_fakeroot_$$
D=$SCRATCH/deb
debian_overlay "$D/root"
[ -x "$D/root/usr/bin/fakeroot" ] || bail_out "no fakeroot in $ROOT"

check -o "inline:$N: created\n" -m "a Debian jail with allow.sysvipc" \
    -- "$JAIL" -c name=$N path="$D/root" allow.sysvipc mount.devfs \
    mount.procfs persist
track_jail $N
check -o 'inline:sysvmsg=new sysvsem=new sysvshm=new\n' \
    -m "allow.sysvipc gives it System V IPC of its own" \
    -- "$JLS" -j $N -n sysvmsg sysvsem sysvshm
check -o 'inline:0\n' -m "fakeroot makes the jail's user look like root" \
    -- "$JEXEC" -U nobody $N sh -c 'cd /tmp && fakeroot id -u'
check -o 'inline:4242 4242\n' -m "a chown under fakeroot seems to work" \
    -- "$JEXEC" -U nobody $N sh -c 'cd /tmp && fakeroot sh -c \
    "touch f && chown 4242:4242 f && stat -c \"%u %g\" f"'
check -o 'inline:65534 65534\n' -m "while the file stays the user's" \
    -- "$JEXEC" $N stat -c '%u %g' /tmp/f
check -o empty -- "$JAIL" -r $N

N2=gt_fakeroot2_$$
check -o "inline:$N2: created\n" -m "the same jail with the default System V IPC" \
    -- "$JAIL" -c name=$N2 path="$D/root" mount.devfs mount.procfs persist
track_jail $N2
check -o 'inline:sysvmsg=disable sysvsem=disable sysvshm=disable\n' \
    -m "disabled, as FreeBSD's default" \
    -- "$JLS" -j $N2 -n sysvmsg sysvsem sysvshm
check -s not-exit:0 -o ignore -e 'match:Function not implemented' \
    -m "fakeroot fails, saying the calls are not implemented" \
    -- "$JEXEC" $N2 fakeroot true
check -o empty -- "$JAIL" -r $N2
is "$(state_snapshot)" "" "nothing left in the registry"
done_testing
