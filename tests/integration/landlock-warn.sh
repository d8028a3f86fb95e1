#!/usr/bin/env bash
# landlock-warn.sh: on a kernel whose Landlock cannot scope abstract unix
# sockets (none, or an ABI before 6), jail -c says so once for each jail
# sharing the host's network stack, and jls shows the ABI the jail's
# domain was made with (the read-only parameter landlock); a vnet jail,
# whose abstract sockets are its own, gets no warning.  Such kernels are
# played by the test switch GAOL_FORCE_LANDLOCK_ABI, honoured only by a
# build configured with -Dtest_switches=true.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_lw_$$
WARN="the jail can connect to the host's abstract unix sockets"

start_jail ${N}_k
ok "on this kernel, a jail's landlock is 6 or more" \
    test "$("$JLS" -j ${N}_k landlock)" -ge 6
check -o "match:^landlock=[0-9]+\$" -m "jls -n shows it" \
    -- "$JLS" -n -j ${N}_k landlock

track_jail ${N}_0
check -e "inline:jail: ${N}_0: warning: this kernel has no Landlock: $WARN\n" \
    -m "no Landlock: one warning" \
    -- env GAOL_FORCE_LANDLOCK_ABI=0 "$JAIL" -q -c name=${N}_0 path="$R" persist
check -o "inline:landlock=0\n" -m "landlock=0" \
    -- "$JLS" -n -j ${N}_0 landlock

track_jail ${N}_5
check -e "inline:jail: ${N}_5: warning: this kernel's Landlock ABI 5 predates 6 (Linux 6.12): $WARN\n" \
    -m "Landlock ABI 5: one warning" \
    -- env GAOL_FORCE_LANDLOCK_ABI=5 "$JAIL" -q -c name=${N}_5 path="$R" persist
check -o "inline:5\n" -m "landlock 5" -- "$JLS" -j ${N}_5 landlock

track_jail ${N}_v
check -m "a vnet jail: no warning" \
    -- env GAOL_FORCE_LANDLOCK_ABI=0 "$JAIL" -q -c name=${N}_v path="$R" \
    vnet persist
check -o "inline:0\n" -m "its landlock is 0 all the same" \
    -- "$JLS" -j ${N}_v landlock

check -o "inline:hi\n" -m "jexec works in the jail without Landlock" \
    -- "$JEXEC" ${N}_0 echo hi

done_testing
