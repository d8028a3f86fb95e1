#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# escape.sh: every escape and privileged operation the probe knows
# (tests/probe: chroot and /proc tricks, device nodes, mounts, modules,
# kexec, reboot, the clock, BPF, io_uring, keyrings, namespaces, ptrace,
# raw and exotic sockets, the host's abstract unix socket, TIOCSTI, ...)
# is refused in a jail with default parameters, as its root and as its
# user, and there are at least 50 of them.  Then, for each parameter that
# opens something (allow.raw_sockets, allow.socket_af, allow.read_msgbuf,
# allow.mlock, allow.chflags, sysvshm/sysvmsg/sysvsem=new, and the
# defaults allow.set_hostname and allow.unprivileged_proc_debug turned
# off), a jail with only that one shows exactly its probes change while
# all the others stay refused (allow.raw_sockets with addresses: a jail
# without has no IPv4 or IPv6 socket at all).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/probe.sh"
test_setup
probe_install "$R"

N=gt_escape_$$
HOST_HOSTNAME=$(hostname)
probe_listen_abstract "gaol-probe-$$" ||
    diag "neither python3 nor socat: abstract-host will be skipped"

# make_jail NAME [PARAM ...]: a busybox jail with procfs and devfs.
make_jail() {
	local n=$1; shift
	track_jail "$n"
	check -o "inline:$n: created\n" -m "jail ${*:-(defaults)} is created" \
	    -- "$JAIL" -c name="$n" path="$R" host.hostname=gt-escape \
	    mount.procfs mount.devfs persist "$@"
}

# probe_all JAIL WHO [NAME=ARG ...]: "probe all" as root or user; its
# output in PROBE_OUT.  allow.set_hostname is for root alone.  The
# host's sockets are looked for in the jail's /proc/net and sock_diag
# by its abstract socket (net-proc-net, net-sock-diag).
probe_all() {
	local j=$1 who=$2 user=()
	shift 2
	[ "$who" = root ] || user=(sethostname=expect-refused)
	probe_argv -U "$who" "$j" all "${user[@]}" "$@"
	PROBE_OUT=$("${PROBE_ARGV[@]}" 2>&1)
}

# One test point per probe line: ok, skip with its reason, or not ok.
itemize() {
	local tag=$1 line name
	while IFS= read -r line; do
		name=${line%%:*}
		case $line in
		"$name: ok skip: "*) skip "$tag: $name" "${line#*skip: }" ;;
		"$name: ok"*) pass "$tag: $name" ;;
		*) fail "$tag: $name"; diag "$line" ;;
		esac
	done <<<"$PROBE_OUT"
}

# The default jail: everything, itemized, as root and as user.
test_defaults() {
	local who
	make_jail $N || return
	BPF_LSM=$("$JLS" -j $N bpf_lsm)
	PROBE_LIST=$(run_probe $N list)
	for who in root user; do
		probe_all $N $who
		itemize "defaults, $who"
		[ $who = root ] && ROOT_OUT=$PROBE_OUT
	done
	count_attacks
	check -o empty -- "$JAIL" -r $N
}

# Count the attacks refused as root (not the checks, not the skipped
# ones), require 50, and list them.
count_attacks() {
	local name kind expect what n=0 names=
	while IFS=$'\t' read -r name kind expect what; do
		[ "$kind" = attack ] || continue
		grep -qx "$name: ok" <<<"$ROOT_OUT" || continue
		n=$((n + 1))
		names+="$name "
		SUMMARY+=("$(printf '%-16s %-44s %s' "$name" "$what" "$expect")")
	done <<<"$PROBE_LIST"
	ok "at least 50 attacks refused ($n)" [ "$n" -ge 50 ]
	diag "$n attacks refused under default parameters: $names"
}

# case TAG "PARAMS" "ROOT ARGS" "USER ARGS" "TARGETS": a jail with PARAMS;
# the TARGETS probes, given their expectations by the ARGS, get one test
# point each; all the other probes one together, per user.
run_case() {
	local tag=$1 params=$2 root_args=$3 user_args=$4 targets=$5
	local j=${N}_$tag who args t line others
	# shellcheck disable=SC2086
	make_jail "$j" $params || return
	diag "$params: root runs probe all $root_args; user $user_args"
	for who in root user; do
		args=$root_args
		[ $who = user ] && args=$user_args
		# shellcheck disable=SC2086
		probe_all "$j" $who $args
		for t in $targets; do
			line=$(grep "^$t: " <<<"$PROBE_OUT")
			like "$line" "^$t: ok" "$params, $who: $t as expected"
		done
		others=$(grep -v ': ok' <<<"$PROBE_OUT")
		is "$others" "" "$params, $who: every other probe as by default"
	done
	check -o empty -- "$JAIL" -r "$j"
}

# The af-* probes: past the family filter, any outcome but EAFNOSUPPORT
# (expect-ok); packet and XDP sockets still need CAP_NET_RAW.
af_args() {
	local p out=
	for p in af-vsock af-alg af-bluetooth af-key af-tipc af-can af-rds \
	    af-kcm af-appletalk af-x25; do
		out+="$p=expect-ok "
	done
	echo "$out af-packet=expect-EPERM af-xdp=expect-EPERM"
}

# What allow.unprivileged_proc_debug=false refuses: tracing, and taking
# another process's descriptors or writing its memory.
nodebug_args() {
	echo "ptrace-child=expect-refused pidfd-getfd-child=expect-refused" \
	    "vm-write-child=expect-refused"
}

# syslog for the jail's user under allow.read_msgbuf: CAP_SYSLOG is
# root's; with kernel.dmesg_restrict=0 anyone may read.
user_syslog() {
	[ "$(cat /proc/sys/kernel/dmesg_restrict)" = 0 ] &&
	    echo syslog=expect-ok
}

# allow.unprivileged_proc_debug=false needs the kernel's BPF LSM for
# /proc/PID/mem: without it the jail is refused (lib/confine/lsmbpf.c).
nodebug_case() {
	local args
	args="$(nodebug_args) proc-mem-write=expect-refused"
	if [ "$BPF_LSM" = true ]; then
		run_case nodebug allow.unprivileged_proc_debug=false "$args" \
		    "$args" "ptrace-child pidfd-getfd-child vm-write-child proc-mem-write"
		return
	fi
	check -s 1 -e "match:^jail: allow.unprivileged_proc_debug=false: not supported: " \
	    -m "allow.unprivileged_proc_debug=false: refused without a BPF LSM" \
	    -- "$JAIL" -c name=${N}_nodebug path="$R" persist \
	    allow.unprivileged_proc_debug=false
}

test_parameters() {
	run_case raw "allow.raw_sockets ip4.addr=127.0.1.61 ip6.addr=::1" \
	    "caps=NET_RAW raw-socket=expect-ok raw6-socket=expect-ok" \
	    "caps=NET_RAW" "raw-socket raw6-socket af-packet caps"
	run_case af allow.socket_af "$(af_args)" "$(af_args)" \
	    "af-packet af-xdp af-vsock"
	run_case msgbuf allow.read_msgbuf "caps=SYSLOG syslog=expect-ok" \
	    "caps=SYSLOG $(user_syslog)" "syslog caps"
	run_case mlock allow.mlock "caps=IPC_LOCK mlock=expect-ok" \
	    "caps=IPC_LOCK" "mlock caps"
	run_case chflags allow.chflags \
	    "caps=LINUX_IMMUTABLE chflags=expect-ok" "caps=LINUX_IMMUTABLE" \
	    "chflags caps"
	run_case shm sysvshm=new "shm=expect-ok" "shm=expect-ok" "shm"
	run_case msg sysvmsg=new "msg=expect-ok" "msg=expect-ok" "msg"
	run_case sem sysvsem=new "sem=expect-ok" "sem=expect-ok" "sem"
	nodebug_case
	run_case nohostname allow.set_hostname=false \
	    "sethostname=expect-refused" "sethostname=expect-refused" \
	    "sethostname"
}

SUMMARY=()
test_defaults
test_parameters
is "$(hostname)" "$HOST_HOSTNAME" "the host's hostname is unchanged"
check -o 'inline:' -m "no mount of the jails is left on the host" \
    -- scratch_mounts
diag "attacks refused (name, what it tries, refusal):"
for s in "${SUMMARY[@]}"; do diag "  $s"; done
done_testing
