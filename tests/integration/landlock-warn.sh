#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# landlock-warn.sh: on a kernel whose Landlock cannot scope abstract unix
# sockets (none, or an ABI before 6), a jail with a network namespace of
# its own (every jail but ip4=inherit ip6=inherit) still cannot reach the
# host's abstract sockets: they are in the host's namespace; jail -c
# says nothing.  A jail in the host's namespace (ip4=inherit
# ip6=inherit) could, and jail -c says so once.  jls shows the ABI the
# jail's domain was made with (the read-only parameter landlock).  Such
# kernels are played by the test switch GAOL_FORCE_LANDLOCK_ABI, honoured
# only by a build configured with -Dtest_switches=true.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/probe.sh"
test_setup
probe_install "$R"

N=gt_lw_$$
WARN="the jail can connect to the host's abstract unix sockets"
INHERIT="ip4=inherit ip6=inherit"

probe_listen_abstract "gt-lw-host-$$" ||
    bail_out "the host cannot listen on an abstract socket"

start_jail ${N}_k
ok "on this kernel, a jail's landlock is 6 or more" \
    test "$("$JLS" -j ${N}_k landlock)" -ge 6
check -o "match:^landlock=[0-9]+\$" -m "jls -n shows it" \
    -- "$JLS" -n -j ${N}_k landlock

# No Landlock: a jail of its own namespace, with an address or without.
track_jail ${N}_0
check -m "no Landlock: a jail is created without a word" \
    -- env GAOL_FORCE_LANDLOCK_ABI=0 "$JAIL" -q -c name=${N}_0 path="$R" \
    mount.procfs persist
check -o "inline:landlock=0\n" -m "landlock=0" \
    -- "$JLS" -n -j ${N}_0 landlock
check_probe ${N}_0 abstract-host
track_jail ${N}_a
check -m "nor is one with an address" \
    -- env GAOL_FORCE_LANDLOCK_ABI=0 "$JAIL" -q -c name=${N}_a path="$R" \
    mount.procfs ip4.addr=127.0.1.33 persist
check_probe ${N}_a abstract-host

# The host's namespace, asked for: the warning.
track_jail ${N}_i
# shellcheck disable=SC2086
check -e "inline:jail: ${N}_i: warning: this kernel has no Landlock: $WARN\n" \
    -m "no Landlock, $INHERIT: one warning" \
    -- env GAOL_FORCE_LANDLOCK_ABI=0 "$JAIL" -q -c name=${N}_i path="$R" \
    mount.procfs $INHERIT persist

track_jail ${N}_5
# shellcheck disable=SC2086
check -e "inline:jail: ${N}_5: warning: this kernel's Landlock ABI 5 predates 6 (Linux 6.12): $WARN\n" \
    -m "Landlock ABI 5, $INHERIT: one warning" \
    -- env GAOL_FORCE_LANDLOCK_ABI=5 "$JAIL" -q -c name=${N}_5 path="$R" \
    $INHERIT persist
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
