#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# lsm-warn.sh: on a kernel that does not give gaol the BPF LSM, jail -c
# says nothing of it for a jail that does not need it (with an address
# or without, vnet or not: its network namespace keeps the host's sockets
# out of its /proc/net), jls shows bpf_lsm false, and a jail asking for
# allow.unprivileged_proc_debug=false is refused, leaving nothing behind.
# Such a kernel is played by the test switch GAOL_FORCE_NOBPFLSM, honoured
# only by a build configured with -Dtest_switches=true.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_lsmw_$$
WHY='this kernel runs no BPF LSM ("bpf" is not in its lsm= list)'

nothing_left() { state_snapshot | grep -F -- "$1"; true; }

track_jail ${N}_n
check -m "no BPF LSM: a jail is created without a word" \
    -- env GAOL_FORCE_NOBPFLSM=1 "$JAIL" -q -c name=${N}_n path="$R" \
    mount.procfs persist
track_jail ${N}_a
check -m "nor is one with an address" \
    -- env GAOL_FORCE_NOBPFLSM=1 "$JAIL" -q -c name=${N}_a path="$R" \
    ip4.addr=127.0.1.32 persist
check -o "inline:nobpf_lsm\n" -m "jls -n shows nobpf_lsm" \
    -- "$JLS" -n -j ${N}_n bpf_lsm

track_jail ${N}_v
check -m "a vnet jail: no warning" \
    -- env GAOL_FORCE_NOBPFLSM=1 "$JAIL" -q -c name=${N}_v path="$R" \
    vnet persist
check -o "inline:false\n" -m "its bpf_lsm is false all the same" \
    -- "$JLS" -j ${N}_v bpf_lsm

track_jail ${N}_d
check -s 1 -e "inline:jail: allow.unprivileged_proc_debug=false: not supported: $WHY, without which /proc/PID/mem cannot be refused\n" \
    -m "allow.unprivileged_proc_debug=false is refused" \
    -- env GAOL_FORCE_NOBPFLSM=1 "$JAIL" -q -c name=${N}_d path="$R" \
    persist allow.unprivileged_proc_debug=false
check -o "inline:" -m "leaving nothing" -- nothing_left ${N}_d

check -o "inline:hi\n" -m "jexec works in the jail without the BPF LSM" \
    -- "$JEXEC" ${N}_n echo hi

done_testing
