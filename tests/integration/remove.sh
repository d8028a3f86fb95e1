#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# remove.sh: jail -r stops every process of the jail and leaves no mount,
# cgroup or state entry behind.
#
# What must hold: "jail -r stops every process, leaves no mount,
# cgroup or state behind."
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_rm
JID=130

# Processes whose mount namespace is $1.
ns_users() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink $p/ns/mnt 2>/dev/null)" = "$1" ] && echo "${p#/proc/}"
	done
}

# Mount points under $R in every mount namespace this host can see.
mounts_under_root() {
	cat /proc/[0-9]*/mountinfo 2>/dev/null | awk '{ print $5 }' |
	    grep -E "^$R(/|\$)" | sort -u
}

# Processes that ignore SIGTERM must be killed too (stop.timeout).
start_processes() {
	spawn "$JEXEC" $N sleep 986
	spawn "$JEXEC" $N sh -c 'trap "" TERM; sleep 985'
	wait_until 10 find_cmdline sleep 985
	wait_until 10 find_cmdline sleep 986
}

track_jail $N
check -o "inline:$N: created\n" -- "$JAIL" -c jid=$JID name=$N path="$R" \
    mount.procfs mount.devfs stop.timeout=2 persist
start_processes
INIT=$(jail_init_pid $N)
ok "the jail's init has a host pid (${INIT:-none})" test -n "$INIT"
PIDS=$(pids_in_ns_of "${INIT:-$$}")
declare -A ARGS	# their command lines, read now: a dead process has none
for p in $PIDS; do ARGS[$p]=$(tr '\0' ' ' </proc/$p/cmdline 2>/dev/null | tr -s ' '); done
ok "the host sees the jail's processes: $(echo $PIDS)" \
    test "$(echo "$PIDS" | grep -c .)" -ge 3
diag "cgroups before removal: $(cgroup_dirs $JID | tr '\n' ' ')"
MNTNS=$(readlink /proc/${INIT:-0}/ns/mnt)
ok "the jail's mounts: $(awk '{ print $5 }' /proc/${INIT:-0}/mountinfo | tr '\n' ' ')" \
    grep -q ' /proc ' /proc/${INIT:-0}/mountinfo
ok "the state directory exists while the jail runs" test -d "$JAIL_RUNDIR/$JID"

check -o empty -m "jail -r $N" -- "$JAIL" -r $N
for p in $PIDS; do
	not_ok "process $p (${ARGS[$p]}) is gone" \
	    alive $p
done
is "$(mounts_under_root)" "" "no mount under the root in any namespace"
is "$(ns_users "$MNTNS")" "" "no process is left in the jail's mount namespace ($MNTNS)"
is "$(cgroup_dirs $JID)" "" "no cgroup directory jail.$JID remains"
not_ok "$JAIL_RUNDIR/$JID is gone" test -e "$JAIL_RUNDIR/$JID"
check -s 1 -e "inline:jls: jail \"$N\" not found\n" -m "jls -j $N fails" \
    -- "$JLS" -j $N jid
check -s 1 -e "inline:jexec: jail \"$N\" not found\n" -m "jexec $N fails" \
    -- "$JEXEC" $N true
check -s 1 -e "inline:jail: jail \"$N\" not found\n" -m "a second jail -r fails" \
    -- "$JAIL" -r $N
check -o "inline:$N: created\n" -m "the name and jid can be used again" \
    -- "$JAIL" -c jid=$JID name=$N path="$R" persist
check -o empty -- "$JAIL" -r $N
done_testing
