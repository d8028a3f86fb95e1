#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# seeds.sh: the seeds' start-up script (seeds/startup.sh: the ruleset 4
# loop, linprocfs, linsysfs, tmpfs on /run, devfs plus applyset, the device
# checks, the /dev/shm link, jail -J ... -c ... command=/bin/sh -- -c
# "/etc/init.d/rc S && /etc/init.d/rc 2") runs unchanged but for paths,
# against a busybox root and against a debootstrap'd Debian root, and the
# jail it starts is what its ruleset and mounts say: /dev holds exactly
# the ruleset's nodes, PTYs work, /proc is the jail's, /sys read-only.
#
# It runs in a mount namespace of its own (mount_helpers_enter), where
# mount(8) finds the build's mount.TYPE helpers; every mount the script
# makes dies with that namespace.  Ruleset 4, which the script extends,
# lives there in a copy of the host's devfs rules that only that
# namespace sees: the jails of anyone else on the host (another run of
# the suite among them) keep the host's ruleset 4 meanwhile, and the test
# checks at its end that it is as it was.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/mounthelpers.sh"
mount_helpers_enter "$@"
test_setup
mh_watch "$SCRATCH"
require_cmd script
DEVFS=$GAOL_BUILDDIR/devfs
STARTUP=$GAOL_SRCDIR/tests/integration/seeds/startup.sh
HOLD=$((600 + $$ % 1000))	# seconds rc.local's sleep keeps the jail up

# The host's devfs rules (show makes the store if it is not there yet),
# copied to a store that is bound over the host's in this namespace only.
STORE=$JAIL_RUNDIR/devfs
RULESET4=$("$DEVFS" rule -s 4 show) || bail_out "devfs rule -s 4 show failed"
mkdir -m 700 "$SCRATCH/devfs-store" &&
    cp -a "$STORE/." "$SCRATCH/devfs-store/" &&
    mount --bind "$SCRATCH/devfs-store" "$STORE" ||
    bail_out "cannot give the test a devfs store of its own"

# A jid no jail has: the seeds' 101 unless it is taken.
free_jid() {
	local j=101
	while "$JLS" -j $j jid >/dev/null 2>&1; do j=$((j + 1)); done
	echo $j
}

# The nodes the seeds' ruleset 4 leaves in /dev (plus their shm link):
# its own list, and the host's nodes its BSD pty patterns match -- on
# Linux, ttyS* are the host's serial ports.
expected_dev() {
	{
		printf '%s\n' fd log null ptmx pts random shm stderr stdin \
		    stdout urandom zero
		(cd /dev && ls -d tty[pqrsPQRSlmnoLMNO]* pty[pqrsPQRSlmnoLMNO]* \
		    2>/dev/null)
	} | sort
}

# rc.local (Debian's rc 2 runs it; the busybox rc below too): note that
# it ran, and leave a process so the jail outlives its command.
write_rc_local() {
	cat >"$1/etc/rc.local" <<-EOF
	#!/bin/sh
	echo "rc.local ran" >/run/gaol-seeds
	setsid sleep $HOLD </dev/null >/dev/null 2>&1 &
	exit 0
	EOF
	chmod 755 "$1/etc/rc.local"
}

# What Debian's /etc/init.d/rc does, as far as the test needs it.
write_busybox_rc() {
	mkdir -p "$1/etc/init.d"
	cat >"$1/etc/init.d/rc" <<-'EOF'
	#!/bin/sh
	echo "rc $1" >>/run/rc.log
	mkdir -p /run/shm	# as Debian's rc S does
	[ "$1" = 2 ] && /etc/rc.local
	exit 0
	EOF
	chmod 755 "$1/etc/init.d/rc"
}

# The end of the seeds' "Creating a new jailed system" for root $1: its
# etc/hostname and etc/hosts (rc S sets the jail's name from the first).
seeds_hostname() {
	local HOSTNAME=jail$JID.example.com IP=10.1.0.$JID
	echo "$HOSTNAME" > "$1/etc/hostname"
	echo "$IP $HOSTNAME" >> "$1/etc/hosts"
}

# run_seeds SRV KIND: the script for the root SRV/$JID, then what the
# jail shows from outside.  Sets N, the jail's name.
run_seeds() {
	local srv=$1 kind=$2 out rc
	N=jail$JID
	track_jail "$N"
	seeds_hostname "$srv/$JID"
	out=$(cd "$SCRATCH" && PATH=$GAOL_BUILDDIR:$PATH SRV=$srv \
	    JIDDIR=$SCRATCH/run-jail JID=$JID bash "$STARTUP" 2>&1)
	rc=$?
	is "$rc" 0 "$kind: the seeds' script succeeds" || diag "$out"
	is "$(grep -c MUST <<<"$out")" 0 "$kind: the device checks pass"
	like "$(cat "$SCRATCH/run-jail/$JID.jid" 2>/dev/null)" \
	    "^jid=$JID name=$N path=$1/$JID ip4.addr=10.1.0.$JID host.hostname=jail$JID.example.com " \
	    "$kind: -J wrote the jail's parameters"
	wait_until 10 "$JEXEC" "$N" test -e /run/gaol-seeds
	check -o "inline:rc.local ran\n" -m "$kind: rc S && rc 2 ran rc.local" \
	    -- "$JEXEC" "$N" cat /run/gaol-seeds
	check -o "inline:$JID $N 10.1.0.$JID jail$JID.example.com\n" \
	    -m "$kind: jls shows the jail" \
	    -- "$JLS" -j "$N" jid name ip4.addr host.hostname
}

# What a jail started by the seeds' script must show inside.
check_inside() {
	local kind=$1
	check -o "inline:$(expected_dev | tr '\n' '|' | sed 's/|/\\n/g')" \
	    -m "$kind: /dev holds exactly the ruleset's nodes" \
	    -- "$JEXEC" "$N" sh -c 'ls -A /dev | sort'
	check -s 1 -e "inline:" -m "$kind: no /dev/mem" \
	    -- "$JEXEC" "$N" test -e /dev/mem
	# the seeds' link to /run/shm; Debian's rc S makes it a directory again
	check -m "$kind: /dev/shm is there" -- "$JEXEC" "$N" test -d /dev/shm/
	check -o "inline:1\n" -m "$kind: /proc shows the jail's own init as 1" \
	    -- "$JEXEC" "$N" sh -c 'ls -d /proc/[0-9]* | grep -c "^/proc/1$"'
	check -s 1 -m "$kind: no host process in the jail's /proc" \
	    -- "$JEXEC" "$N" test -e "/proc/$$"
	check -s ignore -e 'match:Read-only file system' \
	    -m "$kind: /proc/sys/kernel/hostname is read-only" \
	    -- "$JEXEC" "$N" sh -c "echo jail$JID.example.com >/proc/sys/kernel/hostname"
	check -s ignore -e 'match:Read-only file system' \
	    -m "$kind: /sys is read-only" \
	    -- "$JEXEC" "$N" sh -c 'echo x >/sys/kernel/uevent_helper'
}

stop_jail() {
	local kind=$1
	check -m "$kind: jail -r stops it" -- "$JAIL" -r "$N"
	check -s 1 -o ignore -e "inline:jls: jail \"$N\" not found\n" \
	    -m "$kind: gone from jls" -- "$JLS" -j "$N"
}

# Everything the script mounted (only in this test's namespace, but the
# scratch directory must come off clean).
tap_atexit unmount_scratch

test_busybox() {
	JID=$(free_jid)
	mkdir -p "$SCRATCH/srv"
	mv "$R" "$SCRATCH/srv/$JID"
	write_busybox_rc "$SCRATCH/srv/$JID"
	write_rc_local "$SCRATCH/srv/$JID"
	run_seeds "$SCRATCH/srv" busybox
	check_inside busybox
	stop_jail busybox
}

# The Debian root: the cached debootstrap (tools/debian-root.sh), seen
# through an overlay so that the test's changes stay in the scratch dir.
test_debian() {
	JID=$(free_jid)
	debian_overlay "$SCRATCH/deb/srv/$JID"
	write_rc_local "$SCRATCH/deb/srv/$JID"
	run_seeds "$SCRATCH/deb/srv" debian
	check_inside debian
	like "$("$JEXEC" "$N" script -qc tty /dev/null </dev/null 2>&1)" \
	    '^/dev/pts/[0-9]+' "debian: script -qc tty gets a PTY (no PTY FIXME)"
	stop_jail debian
}

# The host's ruleset 4, once the test's store is off: untouched.
host_ruleset4() {
	umount "$STORE" && "$DEVFS" rule -s 4 show
}

test_busybox
test_debian
is "$(host_ruleset4)" "$RULESET4" "the host's ruleset 4 is as it was"
done_testing
