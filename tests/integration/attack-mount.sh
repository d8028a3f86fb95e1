#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# attack-mount.sh: a jailed root plants symbolic links (or writes files)
# where a later start of a jail, or the host's mount helpers, would take
# them for the host's: a nullfs source in its root or in a shared one
# made a link to "/", a mount.fstab file in its root, its /dev, /proc or
# a dir a start-up script mounts on made a link to a host directory.
# Each start is refused with one line naming the parameter and the link,
# exit status 1 (32 for mount(8)), and leaves nothing: no mount, no
# registry entry, no cgroup; no jail ever shows the host's "/".  The
# record of the trees jails wrote since boot (/run/jail/roots) forgets a
# tree gone from the host, and still refuses a link a stopped jail left
# where its tree was.  A jail's path inside another jail's tree, made a
# link to a host directory by that jail's root, is refused too.
#
# The whole test runs in a mount namespace of its own (mounthelpers.sh,
# where mount(8) finds the build's helpers), and every "host directory"
# a link leads to is one of its scratch directories, so that nothing of
# the host could be covered even where an attack got through.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/mounthelpers.sh"
mount_helpers_enter "$@"
test_setup
mh_watch "$SCRATCH"
tap_atexit unmount_scratch
N=gt_atm
JID0=4170	# jids 4170-4189
MARKER=$SCRATCH/host-marker	# on the host's "/", as /mnt$MARKER in a bind of it
: >"$MARKER"
VICTIM=$SCRATCH/victim		# a host directory a link leads to
mkdir -p "$VICTIM" && : >"$VICTIM/marker"
REFUSE="a symbolic link; refusing a source inside a jail's root"

# new_root DIR: a copy of the busybox root.
new_root() { mkdir -p "$1" && cp -a "$R/." "$1/"; }

# up JID ROOT PARAM...: a persistent jail gt_atm_JID on ROOT.
up() {
	local jid=$1 root=$2; shift 2
	track_jail ${N}_$jid
	check -m "jail -c ${N}_$jid $*" -- "$JAIL" -q -c jid=$jid \
	    name=${N}_$jid path="$root" persist "$@"
}

down() { check -m "jail -r ${N}_$1" -- "$JAIL" -r ${N}_$1; }

# as_root JID SCRIPT: the attack, run by the jail's root user.
as_root() {
	check -m "jailed root: $2" -- "$JEXEC" ${N}_$1 /bin/sh -c "$2"
}

# refused JID MSG PARAM...: jail -c fails with exactly "jail: MSG",
# status 1, and leaves no mount, jail, registry entry or cgroup.
refused() {
	local jid=$1 msg=$2 before; shift 2
	before=$(grep -c . /proc/self/mountinfo)
	track_jail ${N}_$jid
	check -s 1 -e "inline:jail: $msg\n" -m "refused: $msg" \
	    -- "$JAIL" -q -c jid=$jid name=${N}_$jid persist "$@"
	is "$(grep -c . /proc/self/mountinfo)" "$before" "... no new mount"
	is "$(jail_jid $jid)" "" "... no jail $jid"
	ok "... no registry entry" test ! -e "$JAIL_RUNDIR/$jid"
	is "$(cgroup_dirs $jid)" "" "... no cgroup jail.$jid"
}

# The jail never shows the host's "/" at /mnt.
no_host_root() {
	not_ok "${N}_$1 does not show the host's / at /mnt" \
	    "$JEXEC" ${N}_$1 test -e "/mnt$MARKER"
}

# Nothing is mounted on the victim directory, whose file still shows.
victim_intact() {
	is "$(scratch_mounts | grep -Fx "$VICTIM")" "" "$1: nothing on $VICTIM"
	ok "$1: $VICTIM/marker still shows" test -e "$VICTIM/marker"
}

# A source in a running jail's root, shared with a second jail.
test_shared_source() {
	local ra=$SCRATCH/a rb=$SCRATCH/b line
	new_root "$ra" && new_root "$rb" && mkdir -p "$ra/shared/x" "$rb/mnt"
	echo shared >"$ra/shared/x/file"
	line="$ra/shared/x $rb/mnt nullfs rw 0 0"
	up $JID0 "$ra"
	up $((JID0 + 1)) "$rb" "mount=$line"
	check -o 'inline:shared\n' -m "the second jail sees the shared source" \
	    -- "$JEXEC" ${N}_$((JID0 + 1)) cat /mnt/file
	down $((JID0 + 1))
	as_root $JID0 'rm -rf /shared/x && ln -s / /shared/x'
	refused $((JID0 + 1)) "mount: \"$line\": $ra/shared/x: $REFUSE" \
	    path="$rb" "mount=$line"
	no_host_root $((JID0 + 1))
	# a link the host made into the jail's root does not launder it
	ln -s "$ra/shared" "$SCRATCH/hostlink"
	line="$SCRATCH/hostlink/x $rb/mnt nullfs ro 0 0"
	refused $((JID0 + 2)) "mount: \"$line\": $ra/shared/x: $REFUSE" \
	    path="$rb" "mount=$line"
	line="$ra/shared/../shared/x $rb/mnt nullfs ro 0 0"
	refused $((JID0 + 2)) "mount: \"$line\": $ra/shared/..: \"..\"; refusing a source inside a jail's root" \
	    path="$rb" "mount=$line"
	# the host's own links, outside every jail's root, still work
	mkdir -p "$SCRATCH/src" && echo host >"$SCRATCH/src/file"
	ln -s "$SCRATCH/src" "$SCRATCH/srclink"
	up $((JID0 + 3)) "$rb" "mount=$SCRATCH/srclink $rb/mnt nullfs ro 0 0"
	check -o 'inline:host\n' -m "a source through a host link outside the roots" \
	    -- "$JEXEC" ${N}_$((JID0 + 3)) cat /mnt/file
	down $((JID0 + 3))
	down $JID0
}

# A source in the jail's own root; then a jail that has stopped.
test_own_root() {
	local rc=$SCRATCH/c rd=$SCRATCH/d line
	new_root "$rc" && new_root "$rd" && mkdir -p "$rc/data" "$rc/mnt" \
	    "$rd/mnt"
	line="$rc/data $rc/mnt nullfs rw 0 0"
	up $((JID0 + 4)) "$rc" "mount=$line"
	as_root $((JID0 + 4)) 'rmdir /data && ln -s / /data'
	down $((JID0 + 4))
	refused $((JID0 + 4)) "mount: \"$line\": $rc/data: $REFUSE" \
	    path="$rc" "mount=$line"
	no_host_root $((JID0 + 4))
	# no jail runs on rc now: the record of jails started since boot
	line="$rc/data $rd/mnt nullfs rw 0 0"
	refused $((JID0 + 5)) "mount: \"$line\": $rc/data: $REFUSE" \
	    path="$rd" "mount=$line"
	no_host_root $((JID0 + 5))
}

# in_record PATH: /run/jail/roots, the trees of jails since boot, has it.
in_record() { tr '\0' '\n' <"$JAIL_RUNDIR/roots" | grep -Fqx "$1"; }

# The record drops what is gone from the host, and still guards.
test_record() {
	local rg=$SCRATCH/g rh=$SCRATCH/h line
	new_root "$rg" && new_root "$rh" && mkdir -p "$rg/data" "$rh/mnt"
	line="$rg/data $rh/mnt nullfs rw 0 0"
	up $((JID0 + 10)) "$rh" "mount=$line"
	down $((JID0 + 10))
	up $((JID0 + 11)) "$rg"
	ok "the record holds a read-write source" in_record "$rg/data"
	# the jail makes a recorded tree vanish; the next jail -c forgets it
	as_root $((JID0 + 11)) 'rmdir /data'
	up $((JID0 + 10)) "$rh"
	down $((JID0 + 10))
	not_ok "a tree gone from the host leaves the record" in_record "$rg/data"
	ok "... the root of the jail that removed it stays" in_record "$rg"
	# and still guards what lies in it once that jail has stopped
	as_root $((JID0 + 11)) 'ln -s / /data'
	down $((JID0 + 11))
	refused $((JID0 + 10)) "mount: \"$line\": $rg/data: $REFUSE" \
	    path="$rh" "mount=$line"
	no_host_root $((JID0 + 10))
	rm -rf "$rg"
	up $((JID0 + 10)) "$rh"
	down $((JID0 + 10))
	not_ok "a root the host removed leaves the record" in_record "$rg"
	ok "... a root still there stays" in_record "$rh"
}

# A jail's path inside another jail's tree, which that jail's root made
# a link to a host directory: refused, not resolved to the host's.
test_nested_path() {
	local ri=$SCRATCH/i
	new_root "$ri" && new_root "$VICTIM/root" && mkdir -p "$ri/jails/real"
	: >"$VICTIM/root/victim-marker"
	up $((JID0 + 12)) "$ri"
	as_root $((JID0 + 12)) "ln -s $VICTIM/root /jails/b"
	refused $((JID0 + 13)) "path: $ri/jails/b: a symbolic link; refusing a jail's path inside a jail's root" \
	    path="$ri/jails/b"
	# a directory there is a jail's path as before (FreeBSD's nested
	# layout)
	cp -a "$R/." "$ri/jails/real/"
	up $((JID0 + 13)) "$ri/jails/real"
	check -o 'inline:nested\n' -m "... and its jail runs there" \
	    -- "$JEXEC" ${N}_$((JID0 + 13)) echo nested
	down $((JID0 + 13))
	down $((JID0 + 12))
	rm -rf "$VICTIM/root"
}

# A jail of the jail.conf in use, never started (say, before a reboot).
test_conf_root() {
	local re=$SCRATCH/e rf=$SCRATCH/f conf=$SCRATCH/jail.conf line
	new_root "$re" && new_root "$rf" && mkdir -p "$re/shared" "$rf/mnt"
	ln -s / "$re/shared/x"
	line="$re/shared/x $rf/mnt nullfs ro 0 0"
	cat >"$conf" <<-EOF
	${N}_e { path = "$re"; persist; }
	${N}_f { path = "$rf"; persist; mount = "$line"; }
	EOF
	track_jail ${N}_f
	check -s 1 -e "inline:jail: mount: \"$line\": $re/shared/x: $REFUSE\n" \
	    -m "refused: a source in a configured jail's root" \
	    -- "$JAIL" -q -f "$conf" -c ${N}_f
	not_ok "${N}_f does not show the host's / at /mnt" \
	    "$JEXEC" ${N}_f test -e "/mnt$MARKER"
}

# mount.fstab in the jail's root: written by its root user, or a link.
test_fstab_in_root() {
	local rg=$SCRATCH/g fstab
	new_root "$rg" && mkdir -p "$rg/mnt"
	printf '/ %s/mnt nullfs rw 0 0\n' "$rg" >"$SCRATCH/host.fstab"
	up $((JID0 + 6)) "$rg"
	as_root $((JID0 + 6)) "echo '/ $rg/mnt nullfs rw 0 0' >/etc/jail.fstab"
	as_root $((JID0 + 6)) "ln -s $SCRATCH/host.fstab /etc/link.fstab"
	down $((JID0 + 6))
	fstab=$rg/etc/jail.fstab
	refused $((JID0 + 6)) "mount.fstab: $fstab: inside a jail's root, which its root user writes; keep it outside every jail's path" \
	    path="$rg" mount.fstab="$fstab"
	no_host_root $((JID0 + 6))
	fstab=$rg/etc/link.fstab
	refused $((JID0 + 7)) "mount.fstab: $fstab: a symbolic link; refusing a file inside a jail's root" \
	    path="$rg" mount.fstab="$fstab"
	no_host_root $((JID0 + 7))
}

# The jail's own mount points: mount.devfs, mount.procfs, mount.fdescfs
# and a mount line, each through a link its root user made.
test_targets() {
	local rh=$SCRATCH/h
	new_root "$rh" && mkdir -p "$rh/sub"
	up $((JID0 + 8)) "$rh"
	as_root $((JID0 + 8)) "rmdir /dev /proc /run /sub && for d in dev proc run sub; do ln -s $VICTIM /\$d; done"
	down $((JID0 + 8))
	refused $((JID0 + 8)) "mount.devfs: dev is a symbolic link: Too many levels of symbolic links" \
	    path="$rh" mount.devfs
	refused $((JID0 + 8)) "mount.procfs: proc is a symbolic link: Too many levels of symbolic links" \
	    path="$rh" mount.procfs
	refused $((JID0 + 8)) "mount.fdescfs: dev is a symbolic link: Too many levels of symbolic links" \
	    path="$rh" mount.fdescfs
	refused $((JID0 + 8)) "mount: \"tmpfs $rh/run tmpfs rw 0 0\": run is a symbolic link: Too many levels of symbolic links" \
	    path="$rh" "mount=tmpfs $rh/run tmpfs rw 0 0"
	refused $((JID0 + 8)) "mount: \"$SCRATCH/src $rh/sub/x nullfs ro 0 0\": sub/x is a symbolic link: Too many levels of symbolic links" \
	    path="$rh" "mount=$SCRATCH/src $rh/sub/x nullfs ro 0 0"
	victim_intact "the jail's own mounts"
}

# A start-up script's mount(8) on a root whose directories its jail's
# root user made links to a host directory (the seeds' order: mount,
# then jail -c), and a nullfs source there.
test_helpers() {
	local rk=$SCRATCH/k
	new_root "$rk" && mkdir -p "$rk/shared" "$SCRATCH/mnt"
	up $((JID0 + 9)) "$rk"
	as_root $((JID0 + 9)) "rmdir /proc /dev && ln -s $VICTIM /proc && ln -s $VICTIM /dev"
	as_root $((JID0 + 9)) "ln -s / /shared/x"
	down $((JID0 + 9))
	check -s 32 -e "inline:mount.linprocfs: $rk/proc is a symbolic link\n" \
	    -m "mount -t linprocfs on a link to a host directory" \
	    -- mount -t linprocfs linprocfs "$rk/proc"
	check -s 32 -e "inline:mount.linprocfs: $rk/proc is a symbolic link\n" \
	    -m "... with --no-canonicalize" \
	    -- mount --no-canonicalize -t linprocfs linprocfs "$rk/proc"
	check -s 32 -e "inline:mount.linprocfs: $rk/proc is a symbolic link\n" \
	    -m "... given relative to the working directory" \
	    -- sh -c "cd '$rk' && exec mount -t linprocfs linprocfs proc"
	check -s 32 -e "inline:mount.devfs: $rk/dev is a symbolic link\n" \
	    -m "mount -t devfs on a link to a host directory" \
	    -- mount -t devfs -o ruleset=4 devfs "$rk/dev"
	victim_intact "mount(8)"
	check -s 32 -e "inline:mount.nullfs: $rk/shared/x: $REFUSE\n" \
	    -m "mount -t nullfs of a link to / in a jail's root" \
	    -- mount -t nullfs "$rk/shared/x" "$SCRATCH/mnt"
	ok "$SCRATCH/mnt is not the host's /" test ! -e "$SCRATCH/mnt$MARKER"
}

test_shared_source
test_own_root
test_conf_root
test_record
test_nested_path
test_fstab_in_root
test_targets
test_helpers
done_testing
