#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# attack-lsm.sh: what only the kernel's BPF LSM can refuse a jail
# (lib/confine/lsmbpf.c), and what gaol does where it cannot.
#
# - allow.unprivileged_proc_debug=false: the jail's root may not write
#   into another process of the jail through /proc/PID/mem (the probe's
#   proc-mem-write, parent into child); with the default (true) it may,
#   as on FreeBSD.  Where the kernel does not let gaol use the BPF LSM,
#   such a jail is refused at creation with a message naming the
#   parameter, and nothing is left behind: it would not be confined.
# - bpf_lsm, a read-only boolean, says which it is; on such a kernel
#   every other jail is created without a word: none needs the BPF LSM
#   (each has a network namespace of its own, so its /proc/net shows
#   only its own sockets: attack-net.sh; lsm-warn.sh plays such a kernel
#   where this one has the BPF LSM).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/probe.sh"
test_setup
probe_install "$R"

N=gt_attack_lsm
NODEBUG="allow.unprivileged_proc_debug=false: not supported"

nothing_left() { state_snapshot | grep -F -- "$1"; true; }

# What this kernel gives: bpf_lsm of a default jail.
test_default() {
	start_jail $N-def
	BPF_LSM=$("$JLS" -j $N-def bpf_lsm)
	like "$BPF_LSM" '^(true|false)$' "jls shows bpf_lsm ($BPF_LSM)"
	check_probe $N-def proc-mem-write
	check_probe -U user $N-def proc-mem-write
}

# allow.unprivileged_proc_debug=false: refused, or the jail is.
test_nodebug() {
	track_jail $N-nodebug
	if [ "$BPF_LSM" = true ]; then
		start_jail $N-nodebug allow.unprivileged_proc_debug=false
		check_probe $N-nodebug proc-mem-write expect-refused
		check_probe -U user $N-nodebug proc-mem-write expect-refused
		check_probe $N-nodebug ptrace-child expect-refused
		return
	fi
	if ! check -s 1 -e "match:^jail: $NODEBUG: this kernel .* BPF LSM.*, without which /proc/PID/mem cannot be refused\$" \
	    -m "no BPF LSM: allow.unprivileged_proc_debug=false is refused" \
	    -- "$JAIL" -q -c name=$N-nodebug path="$R" mount.procfs persist \
	    allow.unprivileged_proc_debug=false; then
		# made all the same: what it lets through
		check_probe $N-nodebug proc-mem-write expect-refused
		return
	fi
	check -s 1 -o ignore -e "inline:jls: jail \"$N-nodebug\" not found\n" \
	    -m "and no jail is left" -- "$JLS" -j $N-nodebug
	check -o "inline:" -m "nor any state of it" -- nothing_left $N-nodebug
}

# This kernel without the BPF LSM: no warning for any other jail (with or
# without an address, vnet, or the host's stack); jls says bpf_lsm is
# false (lsm-warn.sh plays such a kernel where this one has it).
test_no_warning() {
	local j params
	[ "$BPF_LSM" = false ] || return 0
	for j in warn:persist addr:"ip4.addr=127.0.1.31 persist" \
	    vnet:"vnet persist" inherit:"ip4=inherit ip6=inherit persist"; do
		params=${j#*:}
		track_jail $N-${j%%:*}
		# shellcheck disable=SC2086
		check -m "no BPF LSM: $params: created without a word" \
		    -- "$JAIL" -q -c name=$N-${j%%:*} path="$R" $params
	done
	check -o "inline:nobpf_lsm\n" -m "jls -n shows nobpf_lsm" \
	    -- "$JLS" -n -j $N-warn bpf_lsm
}

test_default
test_nodebug
test_no_warning
for j in def nodebug warn addr vnet inherit; do
	"$JLS" -j $N-$j jid >/dev/null 2>&1 || continue
	check -m "jail -r $N-$j" -- "$JAIL" -q -r $N-$j
done
done_testing
