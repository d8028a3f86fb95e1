#!/usr/bin/env bash
# attack-lsm.sh: what only the kernel's BPF LSM can refuse a jail
# (lib/lsmbpf.c), and what gaol does where it cannot.
#
# - allow.unprivileged_proc_debug=false: the jail's root may not write
#   into another process of the jail through /proc/PID/mem (the probe's
#   proc-mem-write, parent into child); with the default (true) it may,
#   as on FreeBSD.  Where the kernel does not let gaol use the BPF LSM,
#   such a jail is refused at creation with a message naming the
#   parameter, and nothing is left behind: it would not be confined.
# - bpf_lsm, a read-only boolean, says which it is; a jail without vnet
#   on such a kernel is created with one warning saying its /proc/net
#   shows the host's sockets; a vnet jail, whose stack is its own, gets
#   none (lsm-warn.sh plays such a kernel where this one has it).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/probe.sh"
test_setup
probe_install "$R"

N=gt_attack_lsm
WARN="the jail's /proc/net shows the host's sockets"
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

# This kernel without the BPF LSM: the warning (lsm-warn.sh plays one).
test_warning() {
	local CHECK_HOST_WARNINGS=	# this test looks at the warning
	[ "$BPF_LSM" = false ] || return 0
	track_jail $N-warn
	check -e "match:^jail: $N-warn: warning: this kernel (runs no|refuses) BPF LSM.*: $WARN\$" \
	    -m "this kernel: one warning at creation" -- "$JAIL" -q -c \
	    name=$N-warn path="$R" persist
	check -o "inline:nobpf_lsm\n" -m "jls -n shows nobpf_lsm" \
	    -- "$JLS" -n -j $N-warn bpf_lsm
	track_jail $N-vnet
	check -m "a vnet jail: no warning" \
	    -- "$JAIL" -q -c name=$N-vnet path="$R" vnet persist
}

test_default
test_nodebug
test_warning
for j in def nodebug vnet warn; do
	"$JLS" -j $N-$j jid >/dev/null 2>&1 || continue
	check -m "jail -r $N-$j" -- "$JAIL" -q -r $N-$j
done
done_testing
