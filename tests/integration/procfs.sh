#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# procfs.sh: mount.procfs gives the jail a procfs of its own pid namespace.
#
# What must hold: "Inside, /proc lists only the jail's processes and
# /proc/mounts only the jail's mounts; on the host, ps sees the jail's
# processes."  Also: a procfs already mounted on the host under path is
# replaced by a jail-aware one.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_proc
HOST_PIDNS=$(pidns_of $$)

# Numeric /proc entries seen from inside jail $1.
inside_pids() { "$JEXEC" "$1" sh -c 'ls /proc | grep "^[0-9]"'; }

test_only_own_processes() {
	local pids n
	pids=$(inside_pids $N)
	n=$(printf '%s\n' "$pids" | grep -c .)
	ok "/proc inside lists only a handful of pids ($n: $(echo $pids))" \
	    test "$n" -ge 1 -a "$n" -le 6
	like "$(echo $pids)" '(^| )1( |$)' "pid 1 is listed inside"
	local init host
	init=$("$JEXEC" $N cat /proc/1/cmdline | tr '\0' ' ')
	host=$(tr '\0' ' ' </proc/1/cmdline)
	ok "pid 1 inside ($init) is not the host's init ($host)" \
	    test -n "$init" -a "$init" != "$host"
}

test_only_own_mounts() {
	local mounts
	mounts=$("$JEXEC" $N cat /proc/mounts)
	ok "/proc/mounts inside is readable and not empty" test -n "$mounts"
	like "$mounts" '^[^ ]+ /proc proc ' "/proc/mounts lists the jail's /proc"
	not_ok "/proc/mounts inside does not mention the scratch dir $SCRATCH" \
	    grep -qF "$SCRATCH" <<<"$mounts"
	not_ok "/proc/mounts inside does not mention /work" \
	    grep -qE ' /work(/| )' <<<"$mounts"
	# mountinfo's 4th field (the bind source's root) still shows the
	# host path of the jail's root, as in most bind-mount containers.
	TAP_TODO="root field of the bind mount shows the host path"
	not_ok "/proc/self/mountinfo inside does not mention the scratch dir" \
	    "$JEXEC" $N grep -qF "$SCRATCH" /proc/self/mountinfo
	TAP_TODO=
}

# Start `sleep 987` in the jail and find it from the host.
test_host_sees_jail() {
	local pid ps
	spawn "$JEXEC" $N sleep 987
	wait_until 10 find_cmdline sleep 987
	pid=$(find_cmdline sleep 987 | head -1)
	ok "the host finds the jail's sleep 987 (pid ${pid:-none})" test -n "$pid"
	ok "its pid namespace is not the host's" \
	    test -n "$pid" -a "$(pidns_of "${pid:-0}")" != "$HOST_PIDNS"
	ps=$(ps -e -o pid,args)
	like "$ps" "^ *${pid:-x} +sleep 987\$" "host ps -e -o pid,args shows it"
	like "$(echo $(inside_pids $N))" '( [0-9]+){2}' \
	    "inside, /proc now lists the sleep as well"
	kill -KILL "${pid:-}" 2>/dev/null
}

# A host procfs already mounted at R/proc is replaced inside the jail.
test_replaces_host_proc() {
	local n
	mount -t proc proc "$R/proc" || { fail "mount host proc on $R/proc"; return; }
	track_jail gt_proc2
	CHECK_TIMEOUT=15 check -m "jail -c mount.procfs over a host procfs" \
	    -- "$JAIL" -q -c name=gt_proc2 path="$R" mount.procfs persist ||
	    { umount "$R/proc"; return; }
	n=$(inside_pids gt_proc2 | grep -c .)
	ok "/proc inside still lists only the jail's pids ($n)" test "$n" -le 6
	check -m "jail -r gt_proc2" -- "$JAIL" -q -r gt_proc2
	umount "$R/proc"
}

track_jail $N
check -o "inline:$N: created\n" -m "jail -c mount.procfs" \
    -- "$JAIL" -c name=$N path="$R" host.hostname=gt-proc mount.procfs persist
test_only_own_processes
test_only_own_mounts
test_host_sees_jail
check -o empty -- "$JAIL" -r $N
ok "no procfs left mounted under the root" \
    test -z "$(scratch_mounts)"
test_replaces_host_proc
done_testing
