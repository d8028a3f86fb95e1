#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# attack-devices.sh: jailed root against the device list (lib/cgroup/devctl.c)
# and the kernel file systems a jail's tree may hold (lib/fs/kernfs.c).
#
# As jailed root, each attack must fail: open a device the jail's devfs
# ruleset hides through a host bind mount of a node, through an old node
# in a thick root, through an old node under a devfs the host mounted
# (the seeds' way), or in a devfs the host mounted with no ruleset and
# applied none to; in a jail without devfs, open a node outside null,
# zero, full, random, urandom, tty; mknod; move itself to another cgroup
# through the host's /sys bound (recursively) under the path; write a
# sysctl and a sysfs file through nullfs mounts of /proc and /sys; chmod
# the host's /dev/null through the masks of /proc; open a host terminal
# through the host's /dev/pts bound under the path.  Every attempt is
# harmless where it succeeds: devices opened and closed or read from,
# files written with the value they hold, a mode set to the one it is,
# a process moved to the cgroup it is in.
#
# Also what must keep working (the ruleset's own nodes, a pty opened by
# its name), each controller alone (a host shell in the jail's v1
# devices cgroup only, then in its cgroup2 cgroup only, opening and
# mknod-ing), the list as devices.list shows it, and the list following
# `devfs rule applyset` on a running jail's devfs.
#
# Runs in a mount namespace of its own (mount_helpers_enter): its bind
# mounts and devfs never reach the host's.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/mounthelpers.sh"
. "$(dirname "$0")/../lib/probe.sh"
mount_helpers_enter "$@"
test_setup
mh_watch "$SCRATCH"
probe_install "$R"
tap_atexit unmount_scratch

DEVFS=$GAOL_BUILDDIR/devfs
N=gt_attdev_$$
EPERM="Operation not permitted"
EROFS="Read-only file system"

# A ruleset of this test's own: null, urandom, tty and ptys, not zero.
RS=$((20000 + $$ % 20000))
for rule in hide "path null unhide" "path urandom unhide" \
    "path tty unhide" "path ptmx unhide" "path pts unhide" \
    "path pts/* unhide"; do
	# shellcheck disable=SC2086 # a rule is words
	"$DEVFS" rule -s $RS add $rule || bail_out "cannot make ruleset $RS"
done
devfs_delset() { "$DEVFS" rule -s $RS delset; }
tap_atexit devfs_delset

# The test's root: old nodes of zero (hidden by RS) and of the kernel
# log (outside every list here), a host bind mount of /dev/zero; and in
# its own /dev, what debootstrap leaves there plus the kernel log.
mknod "$R/oldzero" c 1 5 && mknod "$R/oldkmsg" c 1 11 &&
    : >"$R/hostzero" && mount --bind /dev/zero "$R/hostzero" &&
    mknod "$R/dev/null" c 1 3 && mknod "$R/dev/zero" c 1 5 &&
    chmod 666 "$R/dev/null" "$R/dev/zero" &&
    mknod "$R/dev/kmsg" c 1 11 || bail_out "cannot make the nodes in $R"

# The jail's cgroup directories, as the host sees them.
v1_dir() {
	local m p
	m=$(awk '$3 == "cgroup" && $4 ~ /(^|,)devices(,|$)/ { print $2; exit }' \
	    /proc/self/mounts)
	p=$(sed -n 's/^[0-9]*:devices://p' "/proc/$1/cgroup")
	[ -n "$m" ] && [ -n "$p" ] && echo "$m$p"
}
v2_dir() {
	local m
	m=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	[ -n "$m" ] && echo "$m$(sed -n 's/^0:://p' "/proc/$1/cgroup")"
}

# Jail A: mount.devfs with ruleset RS.
test_devfs_jail() {
	local init v1 v2
	track_jail $N
	check -m "jail -c mount.devfs devfs_ruleset=$RS" -- "$JAIL" -q -c \
	    name=$N path="$R" persist mount.devfs devfs_ruleset=$RS mount.procfs
	check -o 'inline:ok 16\n' -m "the ruleset's null and urandom work" \
	    -- "$JEXEC" $N sh -c 'echo x >/dev/null && echo ok $(head -c 16 /dev/urandom | wc -c)'
	check_probe $N pty-path
	check -s 1 -e "inline:head: /hostzero: $EPERM\n" \
	    -m "attack: zero, hidden by the ruleset, through a host bind mount of /dev/zero" \
	    -- "$JEXEC" $N head -c 4 /hostzero
	check -s 1 -e "inline:head: /oldzero: $EPERM\n" \
	    -m "attack: zero through an old node in the root" \
	    -- "$JEXEC" $N head -c 4 /oldzero
	check -s 1 -e "inline:sh: can't create /oldkmsg: $EPERM\n" \
	    -m "attack: the host's kernel log, opened for writing, through an old node" \
	    -- "$JEXEC" $N sh -c 'true >/oldkmsg'
	check -s 1 -e "inline:mknod: /tmp/gt-node: $EPERM\n" \
	    -m "attack: mknod (no CAP_MKNOD)" -- "$JEXEC" $N mknod /tmp/gt-node c 1 5
	init=$(jail_init_pid $N)
	v1=$(v1_dir "$init") v2=$(v2_dir "$init")
	test_v1 "$v1"
	test_v2 "$v2"
	check -m "jail -r $N" -- "$JAIL" -r $N
}

# Each controller alone: a host shell (with CAP_MKNOD) in one of them.
alone() {
	sh -c "echo \$\$ >'$1/cgroup.procs' || exit 9
	    echo x >/dev/null && echo null-ok
	    head -c 4 '$R/oldzero' | wc -c
	    mknod '$SCRATCH/gt-m1' c 1 3; mknod '$SCRATCH/gt-m2' c 1 5
	    rm -f '$SCRATCH/gt-m1' '$SCRATCH/gt-m2'"
}

ALONE_ERR="head: cannot open '$R/oldzero' for reading: $EPERM
mknod: $SCRATCH/gt-m1: $EPERM
mknod: $SCRATCH/gt-m2: $EPERM
"

test_v1() {
	if [ -z "$1" ]; then
		skip "the v1 devices cgroup" "no v1 devices hierarchy here"
		return
	fi
	check -o "inline:c 1:3 rw\nc 1:9 rw\nc 5:0 rw\nc 5:2 rw\n$(for m in 136 137 138 139 140 141 142 143; do printf 'c %s:* rw\\n' $m; done)" \
	    -m "devices.list: the ruleset's nodes and ptys, read and write" \
	    -- cat "$1/devices.list"
	check -o 'inline:null-ok\n0\n' -e "inline:$ALONE_ERR" \
	    -m "v1 alone: open of zero and mknod refused, null works" -- alone "$1"
}

test_v2() {
	if [ -z "$1" ]; then
		skip "the cgroup2 device program" "no cgroup2 hierarchy here"
		return
	fi
	check -o 'inline:null-ok\n0\n' -e "inline:$ALONE_ERR" \
	    -m "cgroup2 alone: open of zero and mknod refused, null works" \
	    -- alone "$1"
}

# Jail B: no devfs, the root's own /dev.
test_no_devfs() {
	track_jail ${N}_b
	check -m "jail -c without mount.devfs" -- "$JAIL" -q -c \
	    name=${N}_b path="$R" persist mount.procfs
	check -o 'inline:ok 4\n' -m "its own /dev/null and /dev/zero work" \
	    -- "$JEXEC" ${N}_b sh -c 'echo x >/dev/null && echo ok $(head -c 4 /dev/zero | wc -c)'
	check -s 1 -e "inline:sh: can't create /dev/kmsg: $EPERM\n" \
	    -m "attack: the host's kernel log through a node in its /dev" \
	    -- "$JEXEC" ${N}_b sh -c 'true >/dev/kmsg'
	check -m "jail -r ${N}_b" -- "$JAIL" -r ${N}_b
}

# A host shell in cgroup2 cgroup $1 alone (its v1 cgroups stay the
# host's): how much of zero the device program lets it read.
v2_zero() {
	sh -c "echo \$\$ >'$1/cgroup.procs' || exit 9
	    head -c 4 '$R/oldzero' | wc -c"
}

# Jail C: the seeds' devfs, mounted and ruled by the host; the list
# follows the rules applied while the jail runs, in both controllers.
test_host_devfs() {
	local v2
	check -m "mount -t devfs, devfs -m rule -s $RS applyset" -- sh -c \
	    "mount -t devfs devfs '$R/dev' && '$DEVFS' -m '$R/dev' rule -s $RS applyset"
	track_jail ${N}_c
	check -m "jail -c on it" -- "$JAIL" -q -c name=${N}_c path="$R" \
	    persist mount.procfs
	check -s 1 -e "inline:head: /oldzero: $EPERM\n" \
	    -m "attack: zero through an old node, beside the host's devfs" \
	    -- "$JEXEC" ${N}_c head -c 4 /oldzero
	check -m "devfs -m rule -s 4 applyset (unhides zero)" \
	    -- "$DEVFS" -m "$R/dev" rule -s 4 applyset
	check -o 'inline:4\n4\n' -m "zero opens now, by either node" \
	    -- "$JEXEC" ${N}_c sh -c 'head -c 4 /dev/zero | wc -c; head -c 4 /oldzero | wc -c'
	v2=$(v2_dir "$(jail_init_pid ${N}_c)")
	[ -z "$v2" ] || check -o 'inline:4\n' \
	    -m "cgroup2 alone: the device program lets zero through now" \
	    -- v2_zero "$v2"
	check -m "devfs -m rule -s $RS applyset (hides it again)" \
	    -- "$DEVFS" -m "$R/dev" rule -s $RS applyset
	check -s 1 -e "inline:head: /oldzero: $EPERM\n" \
	    -m "zero is refused again" -- "$JEXEC" ${N}_c head -c 4 /oldzero
	[ -z "$v2" ] || check -o 'inline:0\n' \
	    -e "inline:head: cannot open '$R/oldzero' for reading: $EPERM\n" \
	    -m "cgroup2 alone: the device program refuses zero again" \
	    -- v2_zero "$v2"
	check -m "jail -r ${N}_c" -- "$JAIL" -r ${N}_c
	umount -R "$R/dev"
}

# Jail G: a devfs the host mounted with no ruleset and never applied one
# to shows every node of the host's; the jail may open only the devices
# of ruleset 4 (devfsrules_jail), and jail -c says so.  Each attack
# opens a node and does nothing with it.
test_unruled_devfs() {
	local warn="jail: ${N}_g: warning: $R/dev: a devfs with no ruleset applied shows every host device; the jail may open only those of ruleset 4 (devfs -m $R/dev rule -s 4 applyset)"
	check -m "mount -t devfs with no ruleset" -- mount -t devfs devfs "$R/dev"
	track_jail ${N}_g
	check -o "inline:${N}_g: created\n" -e "inline:$warn\n" \
	    -m "jail -c on it warns, one line" \
	    -- "$JAIL" -c name=${N}_g path="$R" persist mount.procfs
	check -o 'inline:ok 4\n' -m "its null and zero work" \
	    -- "$JEXEC" ${N}_g sh -c 'echo x >/dev/null && echo ok $(head -c 4 /dev/zero | wc -c)'
	if [ -b /dev/loop0 ]; then
		check -s 1 -e "inline:sh: can't open /dev/loop0: $EPERM\n" \
		    -m "attack: the host's block device /dev/loop0, opened read-only, in a devfs without ruleset" \
		    -- "$JEXEC" ${N}_g sh -c 'true </dev/loop0'
	else
		skip "a block device in a devfs without ruleset" "no /dev/loop0 here"
	fi
	# (read, the kernel log wants CAP_SYSLOG: opened for writing, as a
	# logger would, and nothing written)
	check -s 1 -e "inline:sh: can't create /dev/kmsg: $EPERM\n" \
	    -m "attack: the host's kernel log /dev/kmsg, opened for writing, in a devfs without ruleset" \
	    -- "$JEXEC" ${N}_g sh -c 'true >/dev/kmsg'
	check -m "jail -r ${N}_g" -- "$JAIL" -r ${N}_g
	umount -R "$R/dev"
	check -m "mount -t devfs -o ruleset=4" \
	    -- mount -t devfs -o ruleset=4 devfs "$R/dev"
	check -o "inline:${N}_g: created\n" \
	    -m "jail -c on a devfs with a ruleset: no warning" \
	    -- "$JAIL" -c name=${N}_g path="$R" persist mount.procfs
	check -m "jail -r ${N}_g" -- "$JAIL" -r ${N}_g
	umount -R "$R/dev"
}

# The masks over /proc's kcore, keys, timer_list, ...: the host's
# /dev/null bound over them, whose mode jailed root must not change (the
# host's users would lose /dev/null).  chmod to the mode it has, so that
# nothing changes where it succeeds but the inode's ctime.
test_mask_chmod() {
	local f= m mode was
	for m in kcore keys key-users timer_list sched_debug latency_stats; do
		[ -e "/proc/$m" ] && { f=$m; break; }
	done
	if [ -z "$f" ]; then
		skip "chmod through a mask in /proc" "none of its files here"
		return
	fi
	mode=$(stat -c %a /dev/null) was=$(stat -c %a:%z /dev/null)
	track_jail ${N}_h
	check -m "jail -c mount.procfs" -- "$JAIL" -q -c name=${N}_h \
	    path="$R" persist mount.procfs
	check -s 1 -e "inline:chmod: /proc/$f: Read-only file system\n" \
	    -m "attack: chmod $mode the host's /dev/null through the mask on /proc/$f" \
	    -- "$JEXEC" ${N}_h chmod "$mode" "/proc/$f"
	is "$(stat -c %a:%z /dev/null)" "$was" "the host's /dev/null is untouched"
	check -m "jail -r ${N}_h" -- "$JAIL" -r ${N}_h
}

# The host's /sys bound recursively: its cgroup file systems come along.
test_rbind_sys() {
	local init what sub
	mount --rbind /sys "$R/sys" || { fail "mount --rbind /sys"; return; }
	track_jail ${N}_d
	check -m "jail -c over the host's /sys, bound recursively" \
	    -- "$JAIL" -q -c name=${N}_d path="$R" persist mount.procfs
	init=$(jail_init_pid ${N}_d)
	for what in cgroup2 "v1 devices"; do
		case $what in
		cgroup2) sub=$(v2_dir "$init") ;;
		*) sub=$(v1_dir "$init") ;;
		esac
		case $sub in
		/sys/*) ;;
		*) skip "the $what hierarchy under /sys" "not mounted there"
		   continue ;;
		esac
		check -s 1 -e "inline:sh: can't create $sub/cgroup.procs: $EROFS\n" \
		    -m "attack: move itself through the host's $what hierarchy (to its own cgroup)" \
		    -- "$JEXEC" ${N}_d sh -c "echo \$\$ >$sub/cgroup.procs"
	done
	check -m "jail -r ${N}_d" -- "$JAIL" -r ${N}_d
	umount -R "$R/sys"
}

# A sysfs file writable by root: its value written back (harmless).
SYSFILE=
for f in /sys/kernel/mm/ksm/run /sys/kernel/uevent_helper \
    /sys/module/printk/parameters/time; do
	[ -f "$f" ] && [ "$(stat -c %a "$f")" = 644 ] && { SYSFILE=$f; break; }
done

# nullfs of /sys and of /proc, through mount=: refused at creation.
# command= is the attack, if the jail came to be.
test_nullfs_kernfs() {
	local cmd
	mkdir -p "$R/hsys" "$R/hproc"
	track_jail ${N}_e
	if [ -n "$SYSFILE" ]; then
		cmd="v=\$(cat /hsys${SYSFILE#/sys}) && echo \"\$v\" >/hsys${SYSFILE#/sys} && echo written"
		check -s 1 -e "inline:jail: $R/hsys: a sysfs that is not read-only: refused; mount linsysfs there instead\n" \
		    -m "attack: write ${SYSFILE#/sys/} through a nullfs of /sys" \
		    -- "$JAIL" -q -c name=${N}_e path="$R" mount.procfs \
		    mount="/sys $R/hsys nullfs rw 0 0" command=/bin/sh -c "$cmd"
	else
		skip "a sysfs write" "no sysfs file here to write back"
	fi
	cmd='v=$(cat /hproc/sys/kernel/printk_ratelimit) && echo "$v" >/hproc/sys/kernel/printk_ratelimit && echo written'
	check -s 1 -e "inline:jail: $R/hproc: a procfs that is not the jail's own: refused; mount procfs there instead\n" \
	    -m "attack: write a sysctl through a nullfs of /proc" \
	    -- "$JAIL" -q -c name=${N}_e path="$R" mount.procfs \
	    mount="/proc $R/hproc nullfs rw 0 0" command=/bin/sh -c "$cmd"
	cmd='v=$(cat /hproc/kernel/printk_ratelimit) && echo "$v" >/hproc/kernel/printk_ratelimit && echo written'
	check -s 1 -e "inline:jail: $R/hproc: a procfs that is not the jail's own: refused; mount procfs there instead\n" \
	    -m "attack: write a sysctl through a nullfs of /proc/sys" \
	    -- "$JAIL" -q -c name=${N}_e path="$R" mount.procfs \
	    mount="/proc/sys $R/hproc nullfs rw 0 0" command=/bin/sh -c "$cmd"
	is "$(state_snapshot)" "" "the refused jails left no state entry"
}

# The host's /dev/pts bound under the path: a pty of the test's own.
test_host_devpts() {
	local out=$SCRATCH/hostpty pty
	python3 -c 'import os, pty, time
m, s = pty.openpty()
print(os.ttyname(s), flush=True)
time.sleep(120)' >"$out" 2>&1 &
	track_pid $!
	disown $!
	wait_until 10 test -s "$out" || { fail "a host pty"; return; }
	pty=$(cat "$out")
	mkdir -p "$R/hostpts" && mount --bind /dev/pts "$R/hostpts" ||
	    { fail "bind /dev/pts"; return; }
	track_jail ${N}_f
	check -s 1 -e "inline:jail: $R/hostpts: a devpts also mounted on /dev/pts: refused; its terminals are not the jail's\n" \
	    -m "attack: open a host terminal ($pty) through the host's devpts" \
	    -- "$JAIL" -q -c name=${N}_f path="$R" mount.procfs \
	    command=/bin/sh -c "exec 3</hostpts/${pty#/dev/pts/} && echo opened"
	umount "$R/hostpts"
}

test_devfs_jail
test_no_devfs
test_host_devfs
test_unruled_devfs
test_mask_chmod
test_rbind_sys
test_nullfs_kernfs
test_host_devpts
done_testing
