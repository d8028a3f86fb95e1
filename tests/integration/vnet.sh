#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# vnet.sh: vnet jails: a network stack of the jail's own with its
# loopback up, vnet.interface moved in at creation and back at removal
# (or when the creation fails), a vnet jail's own sysfs, what only the
# host's user namespace grants refused (allow.mlock ...), and jail.8's
# recipe (a veth pair made by exec.prestart, on a bridge) carrying a ping.
#
# Safety: the script runs itself again inside a network and mount
# namespace of its own (unshare -n -m), checked before anything is made:
# every link, address and route it adds is in that namespace, which has
# no route out and vanishes with the test.  The host's are never touched.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"

# Outside: run again in a namespace of the test's own.
vnet_outer() {
	require_root
	require_cmd unshare ip
	unshare -n -m --propagation private true 2>/dev/null ||
	    skip_all "cannot make a network namespace (unshare -n)"
	tap_exec env GAOL_VNET_OUTER="$(readlink /proc/self/ns/net)" \
	    unshare -n -m --propagation private env GAOL_VNET_NS=1 \
	    bash "$0" "$@"
}

if [ "${GAOL_VNET_NS:-}" != 1 ]; then
	vnet_outer "$@"
fi
[ "$(readlink /proc/self/ns/net)" != "${GAOL_VNET_OUTER:-}" ] ||
    bail_out "vnet: not in a network namespace of its own"
test_setup
tap_atexit unmount_scratch

A=gt_vn_a	# vnet=new
B=gt_vn_b	# the test's network namespace
C=gt_vn_c	# vnet=new with vnet.interface
X=gt_vn_x	# fails
V=gt_vn_r	# jail.8's recipe

# Interface names as `ip -o link` lists them, one a line ("@peer" cut).
links() { ip -o link | cut -d: -f2 | cut -d@ -f1 | tr -d ' '; }
jail_links() {
	"$JEXEC" "$1" sh -c "ip -o link | cut -d: -f2 | cut -d@ -f1 | tr -d ' '"
}
# What a fresh namespace holds anyway (lo; tunl0, sit0 ... with modules).
FRESH=$(unshare -n sh -c "ip -o link | cut -d: -f2 | cut -d@ -f1 | tr -d ' '")
has_link() { ip link show "$1" >/dev/null 2>&1; }

test_loopback() {
	start_jail $A vnet=new allow.raw_sockets
	check -o "inline:$FRESH\n" -m "a vnet jail sees only its own links" \
	    -- jail_links $A
	check -o "match:<LOOPBACK,UP,LOWER_UP>" -m "its lo is up" \
	    -- "$JEXEC" $A ip link show lo
	check -o "match:inet 127\.0\.0\.1/8 " -m "lo has 127.0.0.1" \
	    -- "$JEXEC" $A ip addr show lo
	check -o "match:1 packets received" -m "ping 127.0.0.1 in the jail" \
	    -- "$JEXEC" $A ping -c1 -W2 127.0.0.1
	check -o "inline:new\n" -m "jls vnet" -- "$JLS" -j $A vnet
	check -o "match:(^| )vnet=new( |$)" -m "jls -n shows vnet=new" \
	    -- "$JLS" -n -j $A
}

# Without vnet: a namespace of the jail's own, holding its loopback
# only (its sockets are the host's stack's: ip4.sh), unless ip4 and ip6
# are "inherit", the host's whole stack.
test_inherit() {
	ip link add gt-vi0 type veth peer name gt-vi1 || bail_out "veth"
	start_jail $B
	check -o "inline:$FRESH\n" \
	    -m "a jail without vnet sees its own loopback only" \
	    -- jail_links $B
	check -o "inline:inherit\n" -m "jls vnet: inherit" -- "$JLS" -j $B vnet
	start_jail ${B}_i ip4=inherit ip6=inherit
	check -o "inline:$(links)\n" \
	    -m "one with ip4=inherit ip6=inherit sees the test's links" \
	    -- jail_links ${B}_i
}

test_interface() {
	start_jail $C vnet=new vnet.interface=gt-vi1
	check -o "inline:$FRESH\ngt-vi1\n" -m "vnet.interface=gt-vi1 is in the jail" \
	    -- jail_links $C
	not_ok "gt-vi1 is gone from the test's namespace" has_link gt-vi1
	check -m "jail -r $C" -- "$JAIL" -q -r $C
	ok "jail -r returns gt-vi1 to the test's namespace" has_link gt-vi1
}

# The jail's root renames what it was lent and makes a veth with its
# name: jail -r gives back the lent one under its own name, and nothing
# the jail made comes out.
test_forged_return() {
	local mac before
	mac=$(ip -o link show gt-vi1 | grep -o 'link/ether [0-9a-f:]*')
	before=$(links)
	start_jail ${C}_f vnet=new vnet.interface=gt-vi1
	check -m "the jail renames gt-vi1 and makes a veth named gt-vi1" \
	    -- "$JEXEC" ${C}_f sh -c \
	    'ip link set dev gt-vi1 name gt-vix && ip link add gt-vi1 type veth'
	check -o empty -e empty -m "jail -r ${C}_f" -- "$JAIL" -q -r ${C}_f
	check -o "match:$mac" -m "the lent veth is back, as gt-vi1" \
	    -- ip -o link show gt-vi1
	not_ok "the jail's own veth did not come out" has_link gt-vix
	check -o "inline:$before\n" -m "the test's links are as before" \
	    -- links
}

# A sysfs mounted under path before creation (the seeds' linsysfs); this
# namespace's own, so it shows the test's links.
test_sysfs() {
	local fresh
	mount -t sysfs sysfs "$R/sys" || bail_out "mount sysfs on $R/sys"
	fresh=$(printf '%s\n' $FRESH | LC_ALL=C sort)
	start_jail gt_vn_s vnet=new
	check -o "inline:$fresh\n" \
	    -m "vnet: a host sysfs under path is replaced by the jail's" \
	    -- "$JEXEC" gt_vn_s ls /sys/class/net
	check -s 1 -e "match:Read-only file system" \
	    -m "the jail's sysfs is read-only" \
	    -- "$JEXEC" gt_vn_s sh -c 'echo 1 >/sys/kernel/uevent_helper'
	check -o empty -m "its firmware is masked" \
	    -- "$JEXEC" gt_vn_s ls /sys/firmware
	start_jail gt_vn_t
	check -o "inline:$(ls "$R/sys/class/net")\n" \
	    -m "without vnet the sysfs is the test namespace's" \
	    -- "$JEXEC" gt_vn_t ls /sys/class/net
	"$JAIL" -q -r gt_vn_s
	"$JAIL" -q -r gt_vn_t
	umount "$R/sys"
}

test_failures() {
	ip link add gt-vf0 type veth peer name gt-vf1 || bail_out "veth"
	track_jail $X
	check -s 1 -e "inline:jail: vnet.interface requires vnet=new\n" \
	    -m "vnet.interface without vnet=new is refused" \
	    -- "$JAIL" -c name=$X path="$R" persist vnet.interface=gt-vf1
	check -s 1 -e "inline:jail: vnet.interface: interface gt-missing0: not found\n" \
	    -m "vnet.interface naming a missing interface fails" \
	    -- "$JAIL" -c name=$X path="$R" persist vnet=new \
	    vnet.interface=gt-vf1 vnet.interface+=gt-missing0
	check -s 1 -o ignore -e ignore -m "no jail is left" -- "$JLS" -j $X
	ok "the interface moved before the failure is back" has_link gt-vf1
	check -s 1 -e "inline:jail: vnet: invalid value \"disable\"\n" \
	    -m "vnet=disable is no value" \
	    -- "$JAIL" -c name=$X path="$R" persist vnet=disable
	for a in mlock chflags read_msgbuf audit; do
		check -s 1 -e "match:^jail: allow\.$a: not supported with vnet=new: Linux allows .* only to the host's user namespace" \
		    -m "allow.$a with vnet=new is refused" \
		    -- "$JAIL" -c name=$X path="$R" persist vnet=new allow.$a
	done
	check -s 1 -o ignore -e ignore -m "and no jail is left" -- "$JLS" -j $X
}

# jail.8's recipe: the host end on a bridge carrying the gateway address.
test_recipe() {
	local conf=$SCRATCH/vnet.conf
	if ! ip link add gt-br0 type bridge 2>/dev/null; then
		skip "jail.8's vnet recipe" "no bridge support"
		return
	fi
	ip addr add 10.99.7.1/24 dev gt-br0 && ip link set gt-br0 up ||
	    bail_out "bridge"
	cat >"$conf" <<-EOF
	$V {
		path = "$R";
		persist;
		allow.raw_sockets;
		vnet = new;
		vnet.interface = "gt-vr1";
		exec.prestart = "ip link add gt-vr0 type veth peer name gt-vr1";
		exec.prestart += "ip link set gt-vr0 master gt-br0 up";
		exec.start = "ip addr add 10.99.7.2/24 dev gt-vr1";
		exec.start += "ip link set gt-vr1 up";
		exec.start += "ip route add default via 10.99.7.1";
		exec.poststop = "ip link del gt-vr0";
	}
	EOF
	track_jail $V
	check -o "inline:$V: created\n" -m "jail -f FILE -c $V" \
	    -- "$JAIL" -f "$conf" -c $V
	check -o "match:default via 10\.99\.7\.1 dev gt-vr1" \
	    -m "exec.start configured the jail's end" -- "$JEXEC" $V ip route
	check -o "match:1 packets received" -m "the jail pings the bridge" \
	    -- "$JEXEC" $V ping -c1 -W2 10.99.7.1
	check -o "inline:$V: removed\n" -m "jail -f FILE -r $V" \
	    -- "$JAIL" -f "$conf" -r $V
	not_ok "exec.poststop deleted the veth pair" has_link gt-vr0
	not_ok "and its jail end" has_link gt-vr1
}

test_loopback
test_inherit
test_interface
test_forged_return
test_sysfs
test_failures
test_recipe
done_testing
