#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# switches.sh: a build made to be installed honours none of the test
# suite's switches.  With GAOL_FORCE_LANDLOCK_ABI=0, GAOL_FORCE_NOLANDLOCK,
# GAOL_FORCE_NOCLONE3, GAOL_FORCE_NOOPENAT2, GAOL_FORCE_NOBPFLSM and
# GAOL_DEVFS_STORE in jail(8)'s environment, as an administrator's sudo or
# unit file could leave them, a jail is confined exactly as without: jail
# -c prints no warning, the jail's Landlock domain and its bpf_lsm are the
# kernel's, and a jailed root still cannot
# connect to the host's abstract unix sockets; devfs(8) keeps its rules
# in its own store.  (Only a build configured with -Dtest_switches=true,
# which tools/test.sh makes for its other passes, honours them.)
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/probe.sh"
test_setup
probe_install "$R"

N=gt_sw_$$
M=gt_swb_$$
STORE=$SCRATCH/store
SWITCHES=(GAOL_FORCE_LANDLOCK_ABI=0 GAOL_FORCE_NOLANDLOCK=1
    GAOL_FORCE_NOCLONE3=1 GAOL_FORCE_NOOPENAT2=1 "GAOL_DEVFS_STORE=$STORE"
    GAOL_FORCE_NOBPFLSM=1)

track_jail $M
check -m "a jail made without the switches" \
    -- "$JAIL" -q -c name=$M path="$R" persist
track_jail $N
check -m "jail -c with every switch set: no warning" \
    -- env "${SWITCHES[@]}" "$JAIL" -q -c name=$N path="$R" mount.procfs persist
is "$("$JLS" -j $N landlock)" "$("$JLS" -j $M landlock)" \
    "its landlock is the kernel's"
ok "which scopes abstract sockets" \
    test "$("$JLS" -j $N landlock)" -ge 6
is "$("$JLS" -j $N bpf_lsm)" "$("$JLS" -j $M bpf_lsm)" \
    "its bpf_lsm is the kernel's"

if probe_listen_abstract "gt-sw-host-$$"; then
	check_probe $N abstract-host
else
	fail "the host listens on an abstract socket (python3 or socat)"
fi

DEVFS=$GAOL_BUILDDIR/devfs
"$DEVFS" rule -s 4 show >"$SCRATCH/rules" 2>&1
check -o "file:$SCRATCH/rules" -m "the same rules with GAOL_DEVFS_STORE set" \
    -- env "GAOL_DEVFS_STORE=$STORE" "$DEVFS" rule -s 4 show
ok "and no store made where it points" test ! -e "$STORE"

done_testing
