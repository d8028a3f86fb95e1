#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# confine.sh: what a jailed process can see and do, as the jail's root and
# as its ordinary user: every escape the probe tries is refused (no
# forbidden capability, no chroot escape, /proc/1/exe not writable, no
# leaked descriptor, no reaching pid 1's descriptors, no mknod, mount,
# ptrace of init or /dev/kmsg), while PTYs, the devfs nodes and, with
# allow.set_hostname on by default, setting the jail's own hostname work.
# escape.sh runs every probe there is.  From the host: the jail's init holds none of its
# creator's descriptors, and a jexec'd process lacks the forbidden
# capabilities.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/probe.sh"
test_setup
probe_install "$R"

N=gt_confine_$$
SLEEP=$((4000 + $$ % 1000))	# unique enough to find among host processes
HOST_HOSTNAME=$(hostname)

# The probe's own safety: outside a jail it refuses, whatever it is asked.
test_probe_refuses() {
	check -s 99 -e 'inline:probe: no /.gaol-probe-root: refusing to run\n' \
	    -m "the probe refuses to run on the host" -- "$GAOL_PROBE" caps
	check -s 99 -e 'match:^probe: pid namespace .* refusing to run$' \
	    -m "the probe refuses without GAOL_HOST_PIDNS" \
	    -- "$JEXEC" $N /probe caps
}

# Every probe, as root and as the jail's user (uid 1000).
test_probes() {
	local who sub
	for who in root user; do
		for sub in caps chroot exe fds mknod mount \
		    ptrace1 initfds kmsg dumpable devices keyctl userns; do
			check_probe -U $who $N $sub
		done
		# allow.set_hostname (on by default) is for the jail's root
		check_probe -U $who $N sethostname \
		    "expect-$([ $who = root ] && echo ok || echo refused)"
		probe_argv -U $who $N openpty
		check -o 'match:^openpty: ok /dev/pts/[0-9]+$' \
		    -m "probe openpty as $who" -- "${PROBE_ARGV[@]}"
	done
	is "$(hostname)" "$HOST_HOSTNAME" "the host's hostname is unchanged"
}

# The probe's verbose details, for the log: what /proc/1/exe shows and
# which capabilities are left.
test_details() {
	local line
	probe_argv $N caps
	PROBE_ARGV=("${PROBE_ARGV[@]:0:3}" GAOL_PROBE_VERBOSE=1 "${PROBE_ARGV[@]:3}")
	"${PROBE_ARGV[@]}" 2>&1 >/dev/null | while IFS= read -r line; do
		diag "$line"
	done
	probe_argv $N exe
	PROBE_ARGV=("${PROBE_ARGV[@]:0:3}" GAOL_PROBE_VERBOSE=1 "${PROBE_ARGV[@]:3}")
	"${PROBE_ARGV[@]}" 2>&1 >/dev/null | while IFS= read -r line; do
		diag "$line"
	done
	pass "probe details logged"
}

# Host descriptors the caller holds open (a directory of the host, a
# file outside the root) must not reach the jailed process.
with_host_fds() { "$@" 7<"$SCRATCH" 8<"$HOST_MARKER" 9>>"$SCRATCH/fd9"; }
test_fd_leak() {
	probe_argv $N fds
	check -o 'inline:fds: ok\n' -m "jexec passes no host descriptor" \
	    -- with_host_fds "${PROBE_ARGV[@]}"
	check -o 'inline:fds: ok\n' \
	    -m "command= passes no host descriptor" \
	    -- with_host_fds "$JAIL" -q -c path="$R" mount.procfs \
	    command=/usr/bin/env "GAOL_HOST_PIDNS=$HOST_PIDNS" /probe fds
	check -o 'inline:caps: ok\n' -m "command= runs without forbidden capabilities" \
	    -- "$JAIL" -q -c path="$R" mount.procfs \
	    command=/usr/bin/env "GAOL_HOST_PIDNS=$HOST_PIDNS" /probe caps
}

# Forbidden bits of a capability mask in hex, by name.
forbidden_bits() {
	local mask=$((16#$1)) bit out=
	for bit in DAC_READ_SEARCH:2 LINUX_IMMUTABLE:9 NET_ADMIN:12 NET_RAW:13 \
	    IPC_LOCK:14 SYS_MODULE:16 SYS_RAWIO:17 SYS_PTRACE:19 SYS_ADMIN:21 \
	    SYS_BOOT:22 SYS_RESOURCE:24 SYS_TIME:25 MKNOD:27; do
		(((mask >> ${bit#*:}) & 1)) && out+="${out:+,}${bit%:*}"
	done
	echo "$out"
}

status_field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# From the host: a long-running jexec'd process, seen in /proc.
test_host_view() {
	local pid jpid
	spawn "$JEXEC" $N sleep $SLEEP
	jpid=$SPAWNED
	if ! wait_until 10 has_cmdline sleep $SLEEP; then
		fail "jexec'd sleep appears on the host"
		return
	fi
	pid=$(find_cmdline sleep $SLEEP)
	pass "jexec'd sleep appears on the host (pid $pid)"
	is "$(forbidden_bits "$(status_field "$pid" CapBnd)")" "" \
	    "its bounding set lacks the forbidden capabilities"
	is "$(forbidden_bits "$(status_field "$pid" CapEff)")" "" \
	    "its effective set lacks the forbidden capabilities"
	isnt_host_pidns "$pid"
	diag "jailed sleep: NoNewPrivs $(status_field "$pid" NoNewPrivs)" \
	    "Seccomp $(status_field "$pid" Seccomp)" \
	    "CapBnd $(status_field "$pid" CapBnd)"
	kill -KILL "$pid"
	wait_until 5 eval "! alive $jpid" || fail "jexec returns when its command dies"
}

isnt_host_pidns() {
	local ns
	ns=$(pidns_of "$1")
	if [ -n "$ns" ] && [ "$ns" != "$HOST_PIDNS" ]; then
		pass "it runs in the jail's pid namespace"
	else
		fail "it runs in the jail's pid namespace (got '$ns')"
	fi
}

# The jail's init is forked from the host's jail(8): none of the caller's
# descriptors (stdout, stderr, the extra ones with_host_fds opens, pipes
# or sockets this shell holds) may stay open in it, where the jail could
# reach them.  Sockets init makes itself (allow.set_hostname's service)
# are not the caller's.
test_init_fds() {
	local pid f t bad= mine=" "
	pid=$(jail_init_pid $N) || { fail "the jail's init is known"; return; }
	for f in /proc/$$/fd/*; do
		t=$(readlink "$f") && mine+="$t "
	done
	for f in /proc/$pid/fd/*; do
		t=$(readlink "$f") || continue
		case $t in
		"$SCRATCH"*|"$TAP_TMP"*) bad+=" ${f##*/}->$t" ;;
		pipe:*|socket:*)
			[ "${mine#* "$t" }" != "$mine" ] && bad+=" ${f##*/}->$t" ;;
		esac
	done
	is "$bad" "" "no descriptor of the caller reaches the jail's init"
}

# The compiled filters jail -c keeps in /run/jail/seccomp (a jail's
# spawner loads its filter once, for every command that enters it): one
# that is not whole is never loaded, but built again, and the probes
# still fail in a jail made from then on.
test_filter_cache() {
	local f n=0 n2=${N}_b
	for f in "$JAIL_RUNDIR"/seccomp/*.bpf; do
		[ -f "$f" ] || continue
		printf 'xyz' >"$f"	# not a whole number of instructions
		n=$((n + 1))
	done
	ok "filters were cached ($n)" test "$n" -gt 0
	track_jail $n2
	check -o "inline:$n2: created\n" -- "$JAIL" -c name=$n2 path="$R" \
	    host.hostname=gt-confine mount.procfs mount.devfs persist
	check_probe -U root $n2 keyctl
	check_probe -U root $n2 userns
	ok "the broken filter was built again" \
	    sh -c "find '$JAIL_RUNDIR/seccomp' -name '*.bpf' -size +7c | grep -q ."
	find "$JAIL_RUNDIR/seccomp" -name '*.bpf' -size -8c -delete
	check -o empty -- "$JAIL" -r $n2
}

track_jail $N
check -o "inline:$N: created\n" -- with_host_fds "$JAIL" -c name=$N \
    path="$R" host.hostname=gt-confine mount.procfs mount.devfs persist
test_init_fds
test_probe_refuses
test_probes
test_details
test_fd_leak
test_host_view
test_filter_cache
check -o empty -- "$JAIL" -r $N
check -o 'inline:' -m "no mount of the jail is left on the host" \
    -- scratch_mounts
done_testing
