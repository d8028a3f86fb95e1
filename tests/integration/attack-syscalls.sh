#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# attack-syscalls.sh: the system call filter attacked by the jail's root
# (tests/probe, probe-sys2.c).  The filter is an allow list on x86_64
# and i386: a call outside it (modify_ldt, io_uring_setup) is refused
# with EPERM through the x86_64 and i386 (int 0x80) numbers alike; every
# x32 call (the 0x40000000 bit) is ENOSYS, as on a kernel without x32
# (Debian's default); a call newer than the list (lsm_list_modules,
# unknown to libseccomp 2.5) and a number no ABI has get ENOSYS, so a C
# library falls back.  With
# allow.unprivileged_proc_debug=false no process may read or write
# another's memory or take its descriptors.  Netlink: a jail gets
# NETLINK_ROUTE (also through i386's direct socket call; i386's
# socketcall hides its arguments and is refused) and, in a network
# namespace of its own (all but ip4=inherit ip6=inherit),
# NETLINK_SOCK_DIAG, which lists only its own sockets there
# (attack-net.sh); NETLINK_AUDIT with allow.audit, and a vnet jail
# NETLINK_NETFILTER for its own stack; every other protocol is
# EPROTONOSUPPORT, whatever allow.socket_af says, and a protocol number
# with bits above the 32 the kernel reads is refused too.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/probe.sh"
test_setup
probe_install "$R"

N=gt_sysc_$$

# make_jail NAME [PARAM ...]: a busybox jail with procfs and devfs.
make_jail() {
	local n=$1; shift
	track_jail "$n"
	check -o "inline:$n: created\n" -m "jail ${*:-(defaults)} is created" \
	    -- "$JAIL" -c name="$n" path="$R" host.hostname=gt-sysc \
	    mount.procfs mount.devfs persist "$@"
}

# probes JAIL NAME=EXPECTATION ...: one test point per probe, as root;
# a skip where the kernel cannot make the attempt (no i386 system calls).
probes() {
	local j=$1 p out
	shift
	for p in "$@"; do
		probe_argv "$j" "${p%%=*}" "expect-${p#*=}"
		out=$("${PROBE_ARGV[@]}" 2>&1)
		case $out in
		"${p%%=*}: ok skip: "*) skip "probe $p" "${out#*skip: }" ;;
		*) check -o "inline:${p%%=*}: ok\n" -m "probe $p" \
		    -- "${PROBE_ARGV[@]}" ;;
		esac
	done
}

# Refused for every jail whatever its allow.* say: the netlink protocols
# no jail gets and i386's socketcall.
ALWAYS_REFUSED="nl-generic=EPROTONOSUPPORT nl-uevent=EPROTONOSUPPORT
    nl-xfrm=EPROTONOSUPPORT nl-connector=EPROTONOSUPPORT"

test_defaults() {
	make_jail $N || return
	BPF_LSM=$("$JLS" -j $N bpf_lsm)
	# shellcheck disable=SC2086
	probes $N ldt=EPERM ldt-x32=ENOSYS ldt-i386=EPERM io-uring=EPERM \
	    uring-x32=ENOSYS uring-i386=EPERM acct=EPERM \
	    nosys-new=ENOSYS nosys-abis=ENOSYS \
	    pidfd-getfd-child=ok vm-write-child=ok ptrace-child=ok \
	    nl-route=ok nl-route-i386=ok nl-sock-diag=ok \
	    nl-audit=EPROTONOSUPPORT nl-netfilter=EPROTONOSUPPORT \
	    nl-diag-i386=ok nl-diag-high=refused \
	    socketcall-i386=EAFNOSUPPORT $ALWAYS_REFUSED
	check -o empty -- "$JAIL" -r $N
}

# No debugging: neither memory nor descriptors of another process.  A
# kernel that does not give gaol the BPF LSM, which alone refuses
# /proc/PID/mem, gets no such jail (attack-lsm.sh).
test_nodebug() {
	local j=${N}_nd
	if [ "${BPF_LSM:-}" = false ]; then
		check -s 1 -e "match:^jail: allow.unprivileged_proc_debug=false: not supported: " \
		    -m "allow.unprivileged_proc_debug=false: refused without a BPF LSM" \
		    -- "$JAIL" -c name=$j path="$R" persist \
		    allow.unprivileged_proc_debug=false
		return
	fi
	make_jail $j allow.unprivileged_proc_debug=false || return
	probes $j pidfd-getfd-child=EPERM vm-write-child=EPERM \
	    ptrace-child=EPERM vm-read1=EPERM nl-route=ok ldt=EPERM
	check -o empty -- "$JAIL" -r $j
}

# allow.socket_af opens address families, never netlink protocols, and
# cannot make socketcall's hidden arguments checkable.
test_socket_af() {
	local j=${N}_af
	make_jail $j allow.socket_af || return
	# shellcheck disable=SC2086
	probes $j nl-route=ok nl-sock-diag=ok nl-netfilter=EPROTONOSUPPORT \
	    nl-audit=EPROTONOSUPPORT nl-diag-i386=ok \
	    nl-diag-high=EPROTONOSUPPORT socketcall-i386=EAFNOSUPPORT \
	    $ALWAYS_REFUSED
	check -o empty -- "$JAIL" -r $j
}

test_audit() {
	local j=${N}_au
	make_jail $j allow.audit || return
	# shellcheck disable=SC2086
	probes $j nl-audit=ok nl-netfilter=EPROTONOSUPPORT $ALWAYS_REFUSED
	check -o empty -- "$JAIL" -r $j
}

# The host's whole stack, asked for: its namespace is the host's, whose
# sockets sock_diag would list.
test_inherit() {
	local j=${N}_in
	make_jail $j ip4=inherit ip6=inherit || return
	# shellcheck disable=SC2086
	probes $j nl-route=ok nl-sock-diag=EPROTONOSUPPORT \
	    nl-diag-i386=EPROTONOSUPPORT nl-diag-high=EPROTONOSUPPORT \
	    nl-netfilter=EPROTONOSUPPORT $ALWAYS_REFUSED
	check -o empty -- "$JAIL" -r $j
}

# A vnet jail's own stack: ss (sock_diag) and nft (nfnetlink) see and
# change only the jail's namespace.
test_vnet() {
	local j=${N}_vn
	make_jail $j vnet=new || return
	# shellcheck disable=SC2086
	probes $j nl-route=ok nl-sock-diag=ok nl-netfilter=ok \
	    nl-diag-i386=ok nl-audit=EPROTONOSUPPORT \
	    socketcall-i386=EAFNOSUPPORT $ALWAYS_REFUSED
	check -o empty -- "$JAIL" -r $j
}

test_defaults
test_nodebug
test_socket_af
test_audit
test_inherit
test_vnet
check -o 'inline:' -m "no mount of the jails is left on the host" \
    -- scratch_mounts
done_testing
