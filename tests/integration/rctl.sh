#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# rctl.sh: rctl(8) on jails: rules added, listed, removed; maxproc stops a
# fork bomb inside the jail, memoryuse OOM-kills a process inside it;
# rctl -u reports what the cgroups hold; FreeBSD's messages for bad rules;
# every cgroup the jail had is gone at the end.
#
# What must hold: "rctl -a jail:NAME:maxproc:deny=50 and a fork bomb
# inside stops at 50; memoryuse:deny=64M kills a 256M allocation; rctl -u
# reports usage; jail -r cleans up."
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

RCTL=${RCTL:-$GAOL_BUILDDIR/rctl}
[ -x "$RCTL" ] || skip_all "$RCTL not built"
N=gt_rctl
JID=170

PARENT=gt_rctl.parent

# The cgroup.parent directories the tests made, in every hierarchy.
parent_dirs() {
	local m self d
	while read -r m; do
		self=$(awk -F: -v m="$m" '{ n = split($2, c, ",")
		    for (i = 1; i <= n; i++) if (m ~ "[/,]" c[i] "$") print $3
		    if ($2 == "" && m ~ /unified$/) print $3 }' /proc/self/cgroup | head -n 1)
		for d in "$m${self%/}/$PARENT" "$m${self%/}/$PARENT.v2"; do
			[ -d "$d" ] && printf '%s\n' "$d"
		done
	done < <(awk '$3 ~ /^cgroup2?$/ { print $2 }' /proc/self/mounts)
}
rctl_cleanup() {
	rm -f "$JAIL_RUNDIR/rctl/$N"
	parent_dirs | while read -r d; do rmdir "$d"/jail.* "$d" 2>/dev/null; done
}
tap_atexit rctl_cleanup

# The directory of controller $1's cgroup for the jail: what rctl -v says.
ctrl_dir() {
	"$RCTL" -v -u jail:$N | awk -v c="$1:" '$2 == c && $3 == "cgroup" { print $5; exit }'
}
ctrl_version() {
	"$RCTL" -v -u jail:$N | awk -v c="$1:" '$2 == c && $3 == "cgroup" { print $4; exit }'
}

# within A B PCT: |A - B| <= PCT % of the larger (or <= 1 for small ones)
within() {
	local a=$1 b=$2 p=$3 d m
	d=$((a > b ? a - b : b - a)); m=$((a > b ? a : b))
	[ "$d" -le 1 ] || [ $((d * 100)) -le $((m * p)) ]
}

test_create() {
	local none
	track_jail $N
	rctl_cleanup
	"$JAIL" -q -c jid=$JID name=$N path="$R" mount.devfs persist ||
	    bail_out "jail -c $N failed"
	# the limits need the pids and memory controllers (v2 or v1) beneath
	# this process's cgroup; a v2 host that delegates none has neither
	none=$("$RCTL" -v -u jail:$N | awk '$3 == "none" { print $2 }' |
	    grep -E '^(pids|memory):$' | tr '\n' ' ')
	if [ -n "$none" ]; then
		"$JAIL" -q -r $N
		skip_all "no cgroup controller for: $none(neither v1 nor delegated v2)"
	fi
	pass "jail -c $N, with the pids and memory controllers"
}

test_rules() {
	check -m "rctl -a maxproc" -- "$RCTL" -a jail:$N:maxproc:deny=50
	check -m "rctl -a memoryuse with a suffix" \
	    -- "$RCTL" -a jail:$N:memoryuse:deny=64M
	check -o "inline:jail:$N:maxproc:deny=50\njail:$N:memoryuse:deny=67108864\n" \
	    -m "rctl -l lists the rules, amounts expanded" -- "$RCTL" -l jail:$N
	check -o "inline:jail:$N:maxproc:deny=50\njail:$N:memoryuse:deny=64M\n" \
	    -m "rctl -h humanizes" -- "$RCTL" -h jail:$N
	check -o "match:^jail:$N:maxproc:deny=50\$" -m "rctl alone lists all" \
	    -- "$RCTL"
	check -o "inline:jail:$N:maxproc:deny=50\n" -m "by jid, filtered" \
	    -- "$RCTL" jail:$JID:maxproc
	check -o "match:^jail:$N: pids: cgroup v[12] /" \
	    -m "rctl -v says which cgroup path applies" -- "$RCTL" -v jail:$N
	is "$(cat "$(ctrl_dir pids)/pids.max")" 50 "pids.max is 50"
	local f=memory.limit_in_bytes
	[ "$(ctrl_version memory)" = v2 ] && f=memory.max
	is "$(cat "$(ctrl_dir memory)/$f")" 67108864 "$f is 64M"
}

test_badrules() {
	check -s 1 -e "inline:rctl: failed to add rule 'jail:$N:bogus:deny=1': Invalid argument\n" \
	    -m "unknown resource: EINVAL, FreeBSD's message" \
	    -- "$RCTL" -a jail:$N:bogus:deny=1
	check -s 1 -e "inline:rctl: malformed rule 'jail:$N:maxproc:deny=1Q': invalid numeric value '1Q'\n" \
	    -m "bad amount" -- "$RCTL" -a jail:$N:maxproc:deny=1Q
	check -s 1 -e "inline:rctl: malformed rule 'jail': missing subject\n" \
	    -m "missing subject" -- "$RCTL" -a jail
	check -s 1 -e "match:^rctl: failed to add rule 'jail:$N:maxproc:log=1': Operation not supported: action 'log' needs a process watching" \
	    -m "log: refused, no daemon to run it" -- "$RCTL" -a jail:$N:maxproc:log=1
	check -s 1 -e "match:^rctl: failed to add rule 'jail:$N:readbps:deny=1M': Operation not supported: readbps cannot be denied, only throttled" \
	    -m "deny on an I/O rate: refused, as FreeBSD does" \
	    -- "$RCTL" -a jail:$N:readbps:deny=1M
	check -s 1 -e "match:^rctl: failed to add rule 'jail:$N:maxproc:throttle=9': Operation not supported: only readbps" \
	    -m "throttle on a non-rate: refused, as FreeBSD does" \
	    -- "$RCTL" -a jail:$N:maxproc:throttle=9
	check -s 2 -e "match:cputime" -m "two bad rules: status 2" \
	    -- "$RCTL" -a jail:$N:cputime:deny=10 jail:$N:x:deny=1
	check -s 1 -e "inline:rctl: at most one of -a, -l, -r, or -u may be specified\n" \
	    -- "$RCTL" -a -r jail:$N
	check -s 1 -e "match:^usage: rctl" -- "$RCTL" -a
}

# A fork bomb bounded by its loop and a timeout: stops at 50 processes.
test_maxproc() {
	local out cur pids
	pids=$(ctrl_dir pids)
	timeout 20 "$JEXEC" $N sh -c \
	    'i=0; while [ $i -lt 200 ]; do sleep 100 & i=$((i+1)); done 2>&1; sleep 3' \
	    >"$SCRATCH/bomb" 2>&1 &
	wait_until 10 grep -q "temporarily" "$SCRATCH/bomb"
	sleep 0.5
	cur=$(cat "$pids/pids.current")
	wait
	out=$(cat "$SCRATCH/bomb")
	ok "pids.current $cur: stopped at 50" test "$cur" -le 50 -a "$cur" -ge 45
	like "$out" "Resource temporarily unavailable" "fork fails with EAGAIN"
	ok "the host still forks" /bin/true
	check -o "match:^maxproc=$cur\$" -m "rctl -u maxproc = pids.current" \
	    -- "$RCTL" -u jail:$N
	"$JEXEC" $N sh -c 'kill -9 -1' 2>/dev/null
	wait_until 10 test "$(cat "$(ctrl_dir pids)/pids.current")" -le 1
}

test_memory() {
	local st dir
	st=0
	"$JEXEC" $N sh -c 'head -c 256m /dev/zero | tail >/dev/null' \
	    >/dev/null 2>&1 || st=$?
	is "$st" 137 "a 256M allocation under memoryuse:deny=64M is killed"
	dir=$(ctrl_dir memory)
	if [ "$(ctrl_version memory)" = v1 ]; then
		like "$(cat "$dir/memory.oom_control")" "oom_kill [1-9]" \
		    "the memory cgroup counts the OOM kill"
	else
		like "$(cat "$dir/memory.events")" "oom_kill [1-9]" \
		    "the memory cgroup counts the OOM kill"
	fi
}

test_usage() {
	local u m c cpu cdir
	"$JEXEC" $N sh -c 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'
	"$JEXEC" $N sleep 30 & track_pid $!
	sleep 0.5
	# the cgroup's own figure just before and just after: the jail's
	# memory moves by some pages meanwhile, so rctl's must be within 10%
	# of the nearer one
	local mf=memory.current m2
	[ "$(ctrl_version memory)" = v1 ] && mf=memory.usage_in_bytes
	m=$(cat "$(ctrl_dir memory)/$mf")
	u=$("$RCTL" -u jail:$N)
	m2=$(cat "$(ctrl_dir memory)/$mf")
	c=$(printf '%s\n' "$u" | sed -n 's/^memoryuse=//p')
	ok "memoryuse $c close to the cgroup's $m..$m2" \
	    eval 'within "$c" "$m" 10 || within "$c" "$m2" 10' 
	c=$(printf '%s\n' "$u" | sed -n 's/^maxproc=//p')
	is "$c" "$(cat "$(ctrl_dir pids)/pids.current")" "maxproc = pids.current"
	c=$(printf '%s\n' "$u" | sed -n 's/^cputime=//p')
	cdir=$(ctrl_dir cpuacct)
	if [ -f "$cdir/cpuacct.usage" ]; then
		cpu=$(($(cat "$cdir/cpuacct.usage") / 1000000000))
	else
		cpu=$(($(awk '$1 == "usage_usec" { print $2 }' "$cdir/cpu.stat") / 1000000))
	fi
	ok "cputime $c close to the cgroup's $cpu" within "$c" "$cpu" 10
	is "$(printf '%s\n' "$u" | wc -l)" 25 "rctl -u prints FreeBSD's 25 resources"
	like "$("$RCTL" -h -u jail:$N | grep ^memoryuse=)" "^memoryuse=[0-9.]+[KMG]?$" \
	    "rctl -h -u humanizes"
}

test_pcpu_openfiles() {
	local q
	check -- "$RCTL" -a jail:$N:pcpu:deny=50 jail:$N:openfiles:deny=100
	if [ "$(ctrl_version cpu)" = v1 ]; then
		q=$(cat "$(ctrl_dir cpu)/cpu.cfs_quota_us")
	else
		q=$(cut -d' ' -f1 "$(ctrl_dir cpu)/cpu.max")
	fi
	is "$q" 50000 "pcpu 50: a quota of 50 ms per 100 ms"
	check -o "inline:100\n" -m "openfiles: RLIMIT_NOFILE in the jail" \
	    -- "$JEXEC" $N sh -c 'ulimit -n'
}

# The disk the jail's root lies on, as blkio/io.max name it (MAJ:MIN of
# the whole disk), or nothing when the root is on no block device.
root_disk() {
	local dev sys
	dev=$(stat -c '%Hd:%Ld' "$R")
	sys=$(readlink -f "/sys/dev/block/$dev" 2>/dev/null) || return 0
	[ -f "$sys/partition" ] && sys=${sys%/*}
	cat "$sys/dev"
}

# writebps/readbps throttle direct I/O inside the jail (dd on the jail's
# root); rates are per disk, written for each disk with a medium.
test_io() {
	local dir disk t0 t1 f=blkio.throttle.write_bps_device
	disk=$(root_disk)
	dir=$(ctrl_dir blkio)
	if [ -z "$disk" ] || [ -z "$dir" ]; then
		skip "I/O throttling" "the root is on no block device, or no blkio/io controller"
		return
	fi
	check -m "rctl -a writebps and readbps throttles" \
	    -- "$RCTL" -a jail:$N:writebps:throttle=1M jail:$N:readbps:throttle=2M
	if [ "$(ctrl_version blkio)" = v1 ]; then
		ok "$f holds the root's disk at 1M" grep -qx "$disk 1048576" "$dir/$f"
		like "$(cat "$dir/blkio.throttle.read_bps_device")" "$disk 2097152" \
		    "read_bps_device holds it at 2M"
	else
		like "$(cat "$dir/io.max")" "$disk rbps=2097152 wbps=1048576" \
		    "io.max holds the root's disk at 2M/1M"
	fi
	# 3 MiB at 1 MiB/s cannot take less than 2 s (the first slice may
	# burst); unthrottled it takes milliseconds
	t0=$(date +%s%N)
	check -e "match:^48\+0 records out" \
	    -m "a 3 MiB direct write in the jail" -- "$JEXEC" $N \
	    dd if=/dev/zero of=/io.test bs=64k count=48 oflag=direct
	t1=$(date +%s%N)
	ok "it took $(((t1 - t0) / 1000000)) ms: throttled to about 1 MiB/s" \
	    test $(((t1 - t0) / 1000000)) -ge 2000
	t0=$(date +%s%N)
	check -e "match:^48\+0 records out" \
	    -m "a 3 MiB direct read in the jail" -- "$JEXEC" $N \
	    dd if=/io.test of=/dev/null bs=64k iflag=direct
	t1=$(date +%s%N)
	ok "it took $(((t1 - t0) / 1000000)) ms: throttled to about 2 MiB/s" \
	    test $(((t1 - t0) / 1000000)) -ge 1000
	rm -f "$R/io.test"
	check -m "rctl -r the rates" -- "$RCTL" -r jail:$N:writebps jail:$N:readbps
	if [ "$(ctrl_version blkio)" = v1 ]; then
		is "$(cat "$dir/$f")" "" "no write rate left on any disk"
	else
		ok "no rate left in io.max" eval '! grep -q "bps=[0-9]" "$dir/io.max"'
	fi
}

test_remove_rules() {
	check -m "rctl -r one rule" -- "$RCTL" -r jail:$N:maxproc
	is "$(cat "$(ctrl_dir pids)/pids.max")" max "pids.max back to max"
	check -m "rctl -r jail:NAME drops the rest" -- "$RCTL" -r jail:$N
	check -o empty -m "no rules left" -- "$RCTL" -l jail:$N
}

# Rules are kept by name: a jail created again under it gets them.
test_recreate() {
	check -- "$RCTL" -a jail:$N:maxproc:deny=20
	check -o empty -- "$JAIL" -r $N
	check -o "inline:$N: created\n" -- "$JAIL" -c jid=$JID name=$N \
	    path="$R" mount.devfs persist
	is "$(cat "$(ctrl_dir pids)/pids.max")" 20 "the rule applies at creation"
	check -- "$RCTL" -r jail:$N
}

test_cleanup() {
	local t0 t1
	"$JEXEC" $N sleep 100 & track_pid $!
	sleep 0.3
	t0=$(date +%s)
	check -o empty -m "jail -r with processes inside" -- "$JAIL" -r $N
	t1=$(date +%s)
	ok "removed within stop.timeout" test $((t1 - t0)) -le 12
	is "$(cgroup_dirs $JID)" "" "no cgroup of the jail is left (v1 and v2)"
}

# cgroup.parent: the jail's cgroups go beneath it (relative: beneath this
# process's own cgroup) in every hierarchy, made if missing and left.
test_parent() {
	local d n=0
	check -s 1 -e "inline:jail: cgroup.parent: invalid cgroup path \"a/../b\"\n" \
	    -m "a cgroup.parent leaving its hierarchy is refused" \
	    -- "$JAIL" -c name=$N path="$R" persist cgroup.parent=a/../b
	check -o "inline:$N: created\n" -- "$JAIL" -c jid=$JID name=$N \
	    path="$R" mount.devfs persist cgroup.parent=$PARENT
	while read -r d; do
		case $d in */$PARENT/jail.$JID) n=$((n + 1)) ;; esac
	done < <("$RCTL" -v jail:$N | awk '$3 == "cgroup" { print $5 }')
	is "$n" "$("$RCTL" -v jail:$N | grep -c ' cgroup v')" \
	    "every controller's cgroup is $PARENT/jail.$JID"
	check -- "$RCTL" -a jail:$N:maxproc:deny=7
	is "$(cat "$(ctrl_dir pids)/pids.max")" 7 "limits apply beneath the parent"
	check -o empty -- "$JAIL" -r $N
	is "$(parent_dirs | while read -r d; do ls -d "$d"/jail.* 2>/dev/null; done)" "" \
	    "jail -r removes the jail's cgroups beneath the parent"
	ok "the parent itself stays (it may hold settings)" test -n "$(parent_dirs)"
	check -- "$RCTL" -r jail:$N
}

# cgroup2 with the controllers in it: what v2-only hosts use.  The jail
# goes beneath a parent of its own (beneath this process's cgroup, which
# gaol asks to pass the controllers on); rctl -v must say v2, and the
# limits land in cgroup2's files.
test_v2() {
	local m
	m=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	if [ -z "$m" ] || ! grep -qw pids "$m/cgroup.controllers" 2>/dev/null; then
		skip "cgroup v2 path" "the controllers are bound to v1 hierarchies on this host"
		return
	fi
	check -o "inline:$N: created\n" -- "$JAIL" -c jid=$JID name=$N \
	    path="$R" mount.devfs persist cgroup.parent=$PARENT.v2
	if [ "$(ctrl_version pids)" != v2 ]; then
		"$JAIL" -r $N
		skip "cgroup v2 path" "this process's cgroup holds processes, so cgroup v2 cannot pass controllers beneath it"
		return
	fi
	check -- "$RCTL" -a jail:$N:maxproc:deny=9 jail:$N:memoryuse:deny=32M
	is "$(cat "$(ctrl_dir pids)/pids.max")" 9 "v2: pids.max"
	is "$(cat "$(ctrl_dir memory)/memory.max")" 33554432 "v2: memory.max"
	check -o "match:^maxproc=[0-9]+\$" -- "$RCTL" -u jail:$N
	check -o empty -- "$JAIL" -r $N
	check -- "$RCTL" -r jail:$N
}

test_create
test_rules
test_badrules
test_maxproc
test_memory
test_usage
test_pcpu_openfiles
test_io
test_remove_rules
test_recreate
test_cleanup
test_parent
test_v2
done_testing
