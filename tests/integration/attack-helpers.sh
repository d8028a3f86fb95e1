#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# attack-helpers.sh: jail -m and jail -r against a jailed root that stops
# or kills every other process it can see.
#
# The work jail(8) does for jail -m host.hostname and jail -r must not
# run in a process the jail can see, stop or kill, and a command the jail
# stops before it starts holds the spawner for a bounded time only;
# jail -r always wins:
# it removes the jail within its bounds (exec.stop bounded by
# stop.timeout when exec.timeout is unset, then stop.timeout after
# SIGTERM) whatever the jail's processes do, and leaves no process,
# cgroup or registry entry behind.  What jail(8) talks to (the jail's init
# and spawner) stays out of the jail's reach.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_ahelp_$$
JID=$((400 + $$ % 100))
MARK=$((700 + $$ % 100))	# the loop's marker, to find it on the host
track_jail $N

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# A jailed root's loop: SIG to every process it sees but init and itself.
loop_script() {
	printf '%s' "while :; do for d in /proc/[0-9]*; do p=\${d#/proc/}; " \
	    "[ \"\$p\" = 1 ] || [ \"\$p\" = \$\$ ] || kill -$1 \"\$p\" 2>/dev/null; done; done"
}

# The host state of process $1: R, S, T (stopped) ...
proc_state() { sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null; }

# cgroup directories jail.$1 beneath this test's own cgroups (other runs
# on the machine may have a jail of the same jid meanwhile).
own_cgroup_dirs() {
	local ctrls path base
	while IFS=: read -r _ ctrls path; do
		if [ -z "$ctrls" ]; then
			base=/sys/fs/cgroup/unified
			[ -d "$base" ] || base=/sys/fs/cgroup
		else
			base=/sys/fs/cgroup/${ctrls#name=}
		fi
		[ -d "$base$path" ] && find "$base$path" -maxdepth 3 -type d \
		    -name "jail.$1" 2>/dev/null
	done </proc/self/cgroup | sort -u
}

# The spawner's host pid, from the registry entry.
spawner_pid() {
	sed -n '1s/.* spawner=\([0-9]*\):.*/\1/p' "$JAIL_RUNDIR/$JID/state" 2>/dev/null
}

# attack SIG [PARAMS ...]: a jail whose root runs the loop with SIG, then
# jail -m and jail -r from the host, each bounded.
attack() {
	local sig=$1 t0 t1 init spawner pids; shift
	check -o "inline:$N: created\n" -m "[$sig] a jail with stop.timeout=2" \
	    -- "$JAIL" -c jid=$JID name=$N path="$R" host.hostname=gt-ah-one \
	    mount.procfs persist stop.timeout=2 "$@"
	init=$(jail_init_pid $N)
	spawner=$(spawner_pid)
	ok "[$sig] its cgroup is beneath the test's" test -n "$(own_cgroup_dirs $JID)"
	spawn "$JEXEC" $N sh -c "$(loop_script "$sig")" loop$MARK
	wait_until 30 find_cmdline sh -c "$(loop_script "$sig")" loop$MARK ||
	    fail "[$sig] the jailed loop started"
	# the loop's victims: two more processes of the jail
	spawn "$JEXEC" $N sleep $MARK
	spawn "$JEXEC" $N sleep $MARK
	sleep 1
	spawn "$JEXEC" $N sh -c 'kill -STOP 1; kill -KILL 1'
	sleep 0.5
	# the helper jail(8) cloned into the jail lived for milliseconds:
	# three tries give the loop its chance
	for h in gt-ah-three gt-ah-four gt-ah-two; do
		t0=$(now_ms)
		check -o "inline:$N: updated\n" \
		    -m "[$sig] jail -m host.hostname=$h finishes" \
		    -- timeout -k 2 20 "$JAIL" -m name=$N host.hostname=$h
		t1=$(now_ms)
		ok "[$sig] ... in bounded time ($((t1 - t0)) ms)" \
		    test $((t1 - t0)) -lt 5000
	done
	is "$(nsenter -t "${init:-1}" -u hostname 2>&1)" gt-ah-two \
	    "[$sig] the jail has the new hostname"
	is "$(proc_state "${init:-1}")" S "[$sig] the jail's init is neither stopped nor killed"
	like "$(proc_state "${spawner:-1}")" '^[RS]$' \
	    "[$sig] the jail's spawner is neither stopped nor killed"
	# a command the loop stopped before its execve holds the spawner
	# for at most 10 s: once the loop is gone, jexec runs again
	for p in $(find_cmdline sh -c "$(loop_script "$sig")" loop$MARK); do
		kill_pid KILL "$p"
	done
	t0=$(now_ms)
	check -m "[$sig] jexec runs once the loop is gone" \
	    -- timeout -k 2 30 "$JEXEC" $N /bin/true
	t1=$(now_ms)
	ok "[$sig] ... within the spawner's bound ($((t1 - t0)) ms)" \
	    test $((t1 - t0)) -lt 15000
	pids=
	[ -n "$init" ] && pids=$(pids_in_ns_of "$init")
	t0=$(now_ms)
	check -o empty -e ignore -m "[$sig] jail -r finishes" \
	    -- timeout -k 2 30 "$JAIL" -r $N
	t1=$(now_ms)
	ok "[$sig] ... within its bounds ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 10000
	for p in $pids $spawner; do
		not_ok "[$sig] process $p is gone" alive $p
	done
	is "$(own_cgroup_dirs $JID)" "" "[$sig] no cgroup jail.$JID is left"
	not_ok "[$sig] no registry entry is left" test -e "$JAIL_RUNDIR/$JID"
	check -s 1 -e "inline:jls: jail \"$N\" not found\n" -m "[$sig] jls no longer lists it" \
	    -- "$JLS" -j $N jid
	# a failed run leaves the jail dying: its init killed by hand, as
	# the admin had to
	if alive "${init:-0}"; then
		kill_pid KILL "$init"
		wait_until 10 eval "! alive $init"
		"$JAIL" -q -r $JID >/dev/null 2>&1
	fi
	return 0
}

attack STOP exec.stop=/bin/true
attack KILL

# exec.stop that never ends: bounded by stop.timeout (no exec.timeout).
test_hung_stop() {
	local t0 t1
	check -o "inline:$N: created\n" -m "a jail whose exec.stop hangs" \
	    -- "$JAIL" -c jid=$JID name=$N path="$R" persist stop.timeout=2 \
	    exec.stop="sleep $MARK"
	t0=$(now_ms)
	check -e "inline:jail: $N: sleep $MARK: timed out\n" \
	    -m "jail -r reports the hung exec.stop and removes the jail" \
	    -- timeout -k 2 30 "$JAIL" -r $N
	t1=$(now_ms)
	ok "jail -r within stop.timeout and its margin ($((t1 - t0)) ms)" \
	    test $((t1 - t0)) -lt 8000
	not_ok "no registry entry is left" test -e "$JAIL_RUNDIR/$JID"
	is "$(find_cmdline sleep $MARK)" "" "the hung exec.stop is gone"
}
test_hung_stop
done_testing
