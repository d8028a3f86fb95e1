#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# vps-apt.sh: apt-get inside a Debian 12 jail with ip4=inherit installs a
# package from the Debian mirror its sources.list names (the host's), and
# the package's program runs -- a VPS keeps itself up to date.
#
# The only test that talks to the outside: to that mirror alone, from the
# host's network namespace (no unshare -n); it skips, saying why, when the
# mirror cannot be reached.  Its overlay still lives in a mount namespace
# of its own (vps_enter with GAOL_VPS_NETNS=0).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/vps.sh"
GAOL_VPS_NETNS=0 vps_enter "" "$@"
require_cmd python3
require_binaries
scratch_new

N=gt_vps_apt
JID=423
P=$SCRATCH/vps
PKG=hello
track_jail $N

# The first http(s) URI of a "deb" line in the root's sources.list.
root_mirror() {
	awk '$1 == "deb" { for (i = 2; i <= NF; i++)
		if ($i ~ /^https?:\/\//) { print $i; exit } }' \
	    "$P/etc/apt/sources.list" 2>/dev/null
}

# Can the host fetch the suite's Release file from $1 (15 s at most)?
reachable() {
	python3 - "$1" <<-'EOF'
	import sys, urllib.request
	url = sys.argv[1].rstrip("/") + "/dists/bookworm/Release"
	try:
	    urllib.request.urlopen(urllib.request.Request(url, method="HEAD"),
	        timeout=15)
	except Exception as e:
	    print(e)
	    sys.exit(1)
	EOF
}

setup() {
	local why
	vps_root "$P" ""
	MIRROR=$(root_mirror)
	[ -n "$MIRROR" ] || bail_out "no deb line in the root's sources.list"
	why=$(reachable "$MIRROR") ||
	    skip_all "the Debian mirror $MIRROR is unreachable: $why"
	ok "the root has no $PKG yet" test ! -e "$P/usr/bin/$PKG"
}

test_install() {
	check -m "jail -c $N ip4=inherit" -- "$JAIL" -q -c name=$N jid=$JID \
	    path="$P" ip4=inherit mount.devfs mount.procfs \
	    mount="tmpfs $P/run tmpfs rw,nosuid,nodev,mode=755 0 0" persist
	check -o "inline:ip4=inherit\n" -m "jls: ip4=inherit" \
	    -- "$JLS" -n -j $N ip4
	CHECK_TIMEOUT=600 check -o ignore -e ignore \
	    -m "apt-get update in the jail (from $MIRROR)" \
	    -- "$JEXEC" -l $N env DEBIAN_FRONTEND=noninteractive \
	    apt-get -q update
	[ "$CHECK_STATUS" = 0 ] || diag "$CHECK_STDOUT" "$CHECK_STDERR"
	CHECK_TIMEOUT=600 check -o "match:Setting up $PKG " -e ignore \
	    -m "apt-get install -y $PKG in the jail" \
	    -- "$JEXEC" -l $N env DEBIAN_FRONTEND=noninteractive \
	    apt-get -q install -y --no-install-recommends $PKG
	[ "$CHECK_STATUS" = 0 ] || diag "$CHECK_STDOUT" "$CHECK_STDERR"
	check -o "inline:Hello, world!\n" -m "the package's program runs" \
	    -- "$JEXEC" -l $N $PKG
	check -o "match:^ii +$PKG " -m "dpkg lists it as installed" \
	    -- "$JEXEC" $N dpkg -l $PKG
	ok "it went into the jail's overlay, not the cached root" \
	    test ! -e "$ROOT/usr/bin/$PKG"
}

test_remove() {
	check -m "jail -r $N" -- "$JAIL" -q -r $N
	ok "no state entry in $JAIL_RUNDIR/$JID" test ! -e "$JAIL_RUNDIR/$JID"
	is "$(cgroup_dirs $JID)" "" "no cgroup jail.$JID is left"
}

setup
test_install
test_remove
done_testing
