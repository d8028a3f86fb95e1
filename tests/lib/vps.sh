# SPDX-License-Identifier: BSD-2-Clause
# vps.sh: a Debian jail booted by its own init scripts, as a VPS, for the
# vps-* tests; sourced after tap.sh and roots.sh.
#
# Owns: the re-exec of a test into network and mount namespaces of its
# own (vps_enter), the per-jail overlay of a cached Debian root with extra
# packages (vps_root), the parameters that boot and stop such a jail
# (vps_params: jail(8)'s Debian recipe) and the check that nothing of a
# removed jail is left (vps_gone).  Never touches a jail, address or
# process the test did not make.

# vps_enter PACKAGES ARGS: run the test again under `unshare -n -m`: its
# traffic stays on a loopback of its own, its overlays in a mount
# namespace of its own.  The cached Debian root with PACKAGES (EXTRA of
# tools/debian-root.sh) is made first, on the host's network: debootstrap
# needs the mirror, which the test's network namespace cannot reach.
# Inside, lo is brought up.  GAOL_VPS_NETNS=0 keeps the host's network
# namespace (the apt test), still in a mount namespace of its own.
vps_enter() {
	local net=-n pkgs=$1
	shift
	if [ "${GAOL_VPS_INNER:-}" != 1 ]; then
		require_root
		command -v unshare >/dev/null 2>&1 || skip_all "needs unshare(1)"
		[ "${GAOL_VPS_NETNS:-1}" = 0 ] && net=
		unshare $net -m --propagation private true 2>/dev/null ||
		    skip_all "cannot make network and mount namespaces"
		vps_prepare "$pkgs"
		tap_exec env GAOL_VPS_OUTER_NET="$(readlink /proc/self/ns/net)" \
		    GAOL_VPS_OUTER_MNT="$(readlink /proc/self/ns/mnt)" \
		    GAOL_VPS_INNER=1 unshare $net -m --propagation private \
		    bash "$0" "$@"
	fi
	[ "$(readlink /proc/self/ns/mnt)" != "$GAOL_VPS_OUTER_MNT" ] ||
	    bail_out "still in the mount namespace the test started in"
	[ "${GAOL_VPS_NETNS:-1}" = 0 ] && return 0
	[ "$(readlink /proc/self/ns/net)" != "$GAOL_VPS_OUTER_NET" ] ||
	    bail_out "still in the network namespace the test started in"
	ip link set lo up || bail_out "cannot bring up the namespace's lo"
}

# vps_prepare PACKAGES: the cached Debian root with PACKAGES, made now
# if it is not there yet (a few minutes, once per machine).
vps_prepare() {
	local log
	log=$(mktemp /tmp/gaol-vps-root.XXXXXX) || bail_out "mktemp failed"
	if ! EXTRA=$1 "$GAOL_SRCDIR/tools/debian-root.sh" >/dev/null 2>"$log"
	then
		diag "$(tail -n 5 "$log")"
		rm -f "$log"
		bail_out "no Debian root with ${1:-no extra package} (tools/debian-root.sh)"
	fi
	rm -f "$log"
}

# vps_root DIR PACKAGES: the cached Debian root with PACKAGES (made by
# vps_prepare) as an overlay on DIR.
vps_root() {
	EXTRA=$2 debian_overlay "$1"
}

# vps_params NAME JID ADDR PATH [FIRST]: the parameters of jail(8)'s
# Debian recipe into VPS_PARAMS: /run a tmpfs and /sys a read-only sysfs
# (what Debian's mountkernfs.sh would mount), the address as an alias on
# lo (interface=), rc S and rc 2 to boot (after the command FIRST, if
# given), rc 0 to stop.  The jail's hostname is its etc/hostname (rc S
# sets it, as on FreeBSD).
vps_params() {
	local name=$1 jid=$2 addr=$3 path=$4 first=${5:-}
	VPS_PARAMS=(name="$name" jid="$jid" path="$path"
	    host.hostname="$(cat "$path/etc/hostname")"
	    ip4.addr="$addr" interface=lo
	    mount.devfs mount.procfs
	    mount="tmpfs $path/run tmpfs rw,nosuid,nodev,mode=755 0 0"
	    mount+="linsysfs $path/sys linsysfs ro 0 0"
	    exec.clean
	    exec.start="${first:+$first && }/etc/init.d/rc S && /etc/init.d/rc 2"
	    exec.stop="/etc/init.d/rc 0"
	    persist)
}

# vps_hostname PATH NAME ADDR: the jail's name in its etc/hostname, and
# with its address in etc/hosts.
vps_hostname() {
	printf '%s\n' "$2" >"$1/etc/hostname"
	printf '127.0.0.1\tlocalhost\n%s\t%s %s\n' "$3" "$2" "${2%%.*}" \
	    >"$1/etc/hosts"
}

# vps_gone NAME JID ADDR INITPID PIDNS PATH: after jail -r, nothing of
# the jail is left: no process of its pid namespace, no state entry, no
# cgroup, no address on lo, nothing mounted below its root here.
vps_gone() {
	local name=$1 jid=$2 addr=$3 pid=$4 ns=$5 path=$6 p left=
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] &&
		    alive "${p#/proc/}" && left="$left ${p#/proc/}"
	done
	is "$left" "" "$name: no process of the jail's pid namespace is left"
	not_ok "$name: its init ($pid) is gone" alive "$pid"
	check -s 1 -o ignore -e "inline:jls: jail \"$name\" not found\n" \
	    -m "$name: gone from jls" -- "$JLS" -j "$name"
	ok "$name: no state entry in $JAIL_RUNDIR/$jid" test ! -e "$JAIL_RUNDIR/$jid"
	is "$(cgroup_dirs "$jid")" "" "$name: no cgroup jail.$jid is left"
	is "$(ip -o -4 addr show dev lo | grep -cF " $addr/")" 0 \
	    "$name: the alias $addr is off lo"
	is "$(awk '{ print $5 }' /proc/self/mountinfo | grep -cF "$path/")" 0 \
	    "$name: nothing is mounted below its root"
}
