#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# steps.sh: a jail -c that fails at any of its steps leaves nothing
# behind: no registry entry, cgroup, mount, address alias, network
# namespace, interface lent to it, or process; nor does jail -r, nor a
# jail that ended by itself once the registry has reaped it (but for its
# aliases, as on FreeBSD).
#
# The test switch GAOL_FAIL_STEP=NAME (a -Dtest_switches=true build,
# lib/base/features.c) makes jail -c fail just after the step NAME of
# lib/jail/steps.c has done its work, so each step's undo is seen to take
# back what the step made.  A name that is no step would let the jail
# be made: the status check catches it.
#
# Safety: the script runs itself again in a network namespace of its own
# (netns_enter): the alias on lo and the veth pair are made there.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
netns_enter "$@"
test_setup

N=gt_steps
JID=140
ADDR=127.0.1.77
track_jail $N

STEPS="registry landlock trees interface exec.prestart cgroup rctl netbpf
lsmbpf devctl vnet.return spawner.end init spawner init.built spawner.enter
devfs spawner.ready vnet active
announce exec.created exec.start command exec.poststart commit"

# Mount points under $R in every mount namespace this host can see.
mounts_under_root() {
	cat /proc/[0-9]*/mountinfo 2>/dev/null | awk '{ print $5 }' |
	    grep -E "^$R(/|\$)" | sort -u
}

# PREFIX, then the cgroup of jail $JID beneath the test's own, in each
# hierarchy: one extended regular expression ("jail.JID-PID" where
# "jail.JID" was taken).  Other runs on this host have jails of that jid.
jail_cgroup_re() {
	local id ctrl path
	while IFS=: read -r id ctrl path; do
		path=${path%/}
		printf '%s%s/jail\\.%s(-[0-9]+)?$\n' "$1" "${path//./\\.}" $JID
	done </proc/self/cgroup | sort -u | paste -sd'|'
}

own_cgroups() {
	cgroup_dirs $JID | grep -E "$(jail_cgroup_re '^/sys/fs/cgroup(/[^/]+)?')"
}

# Processes in those cgroups: the jail's init, its spawner, its socket
# broker and whatever ran inside (exec.start's daemon).  By cgroup, not
# by name: the jails of other runs are not this test's.
jail_procs() {
	grep -lE "$(jail_cgroup_re '^[0-9]+:[^:]*:')" /proc/[0-9]*/cgroup \
	    2>/dev/null | cut -d/ -f3
}

no_jail_procs() { [ -z "$(jail_procs)" ]; }

# The network namespaces of those processes (a jail's own, or one of
# the test's that a vnet.interface would have to come back from).
jail_netns() {
	local p
	for p in $(jail_procs); do readlink /proc/$p/ns/net; done | sort -u
}

# Everything a jail could leave, one line each: empty when nothing is.
leftovers() {
	state_snapshot
	[ -e "$JAIL_RUNDIR/$JID" ] && echo "registry entry $JAIL_RUNDIR/$JID"
	own_cgroups | sed 's/^/cgroup /'
	mounts_under_root | sed 's/^/mount /'
	ip -o addr show dev lo | grep -F " $ADDR/" | sed 's/^/alias /'
	jail_procs | sed 's/^/process /'
	jail_netns | sed 's/^/netns /'
}

fail_at() {
	local step=$1; shift
	check -s 1 -o ignore -e "inline:jail: $step: failed (GAOL_FAIL_STEP)\n" \
	    -m "GAOL_FAIL_STEP=$step: jail -c fails $*" \
	    -- env GAOL_FAIL_STEP="$step" "$JAIL" -q -c jid=$JID name=$N \
	    path="$R" "$@"
}

# A jail on the host's stack: an alias on lo, every exec.* script, a
# daemon started by exec.start, devfs and procfs mounted.
test_host_stack() {
	local s left
	for s in $STEPS; do
		fail_at "$s" interface=lo ip4.addr=$ADDR mount.procfs \
		    mount.devfs persist exec.prestart=true exec.created=true \
		    exec.start="/bin/sleep 1013 </dev/null >/dev/null 2>&1 &" \
		    exec.poststart=true exec.poststop="touch $SCRATCH/poststop" \
		    command=/bin/true
		left=$(leftovers)
		is "$left" "" "after $s: nothing is left"
	done
	not_ok "a failed jail -c runs no exec.poststop" \
	    test -e "$SCRATCH/poststop"
}

# A vnet jail with an interface lent to it: back in the test's namespace
# whichever step failed, from those made with init on.
test_vnet() {
	local s left
	ip link add gt-st0 type veth peer name gt-st1 || bail_out "veth"
	for s in ${STEPS#*devctl}; do	# from the first that sees init
		fail_at "$s" vnet=new vnet.interface=gt-st1 mount.procfs persist
		left=$(leftovers)
		ip link show gt-st1 >/dev/null 2>&1 || left+="gt-st1 is not back"
		is "$left" "" "vnet, after $s: nothing is left, gt-st1 is back"
	done
	ip link del gt-st0
}

# The same jail, made and removed: the steps walked back by jail -r.
test_remove() {
	check -o empty -m "jail -c with every step" -- "$JAIL" -q -c \
	    jid=$JID name=$N path="$R" interface=lo ip4.addr=$ADDR \
	    mount.procfs mount.devfs persist \
	    exec.start="/bin/sleep 1013 </dev/null >/dev/null 2>&1 &"
	ok "its exec.start daemon runs" find_cmdline /bin/sleep 1013
	check -o empty -m "jail -r" -- "$JAIL" -q -r $N
	is "$(leftovers)" "" "after jail -r: nothing is left"
}

# A jail that ends by itself after jail -c returned (its exec.start
# daemon exits): the registry finds it dead and walks its steps back.
test_reap() {
	check -o empty -m "jail -c, kept alive by a daemon of exec.start" \
	    -- "$JAIL" -q -c jid=$JID name=$N path="$R" interface=lo \
	    ip4.addr=$ADDR mount.devfs \
	    exec.start="/bin/sleep 2 </dev/null >/dev/null 2>&1 &"
	ok "it ends with its daemon" wait_until 10 no_jail_procs
	check -s 1 -e "inline:jls: jail \"$N\" not found\n" \
	    -m "jls reaps it" -- "$JLS" -j $N jid
	is "$(leftovers | grep -v '^alias ')" "" "after the reap: nothing is left"
	check -o "match:inet $ADDR/32 " \
	    -m "but its alias, as on FreeBSD (jail.8, interface)" \
	    -- ip -o addr show dev lo
	ip addr del $ADDR/32 dev lo
}

test_host_stack
test_vnet
test_remove
test_reap
done_testing
