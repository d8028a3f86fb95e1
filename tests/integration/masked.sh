#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# masked.sh: what a jail's procfs and sysfs hide or keep read-only
# (runc's list): /proc/kcore, keys, key-users, timer_list, sched_debug,
# latency_stats read as /dev/null, /proc/acpi and /proc/scsi are empty,
# /proc/sys and /proc/sysrq-trigger refuse writes; a sysfs under the
# jail's path is read-only with /sys/firmware empty.  Two ways in: a
# jail with mount.procfs over a sysfs mounted (by `mount -t linsysfs`, in
# this test's private namespace) under its root, and one whose procfs and
# linsysfs come from mount.fstab.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/mounthelpers.sh"
mount_helpers_enter "$@"
test_setup
mh_watch "$SCRATCH"

N=gt_masked_$$
unmount_sys() { mountpoint -q "$R/sys" && umount "$R/sys"; true; }
tap_atexit unmount_sys

# What busybox sh says when it cannot create $1 for writing.
cannot_write() {
	if [ -e "$1" ]; then
		printf "sh: can't create %s: Read-only file system\\\\n" "$1"
	else
		printf "sh: can't create %s: nonexistent directory\\\\n" "$1"
	fi
}

test_proc_masked() {
	local j=$1 f
	for f in kcore keys key-users timer_list sched_debug latency_stats; do
		if [ -e "/proc/$f" ]; then
			check -m "$j: /proc/$f reads as nothing" \
			    -- "$JEXEC" "$j" cat "/proc/$f"
		else
			check -s 1 -e "inline:cat: can't open '/proc/$f': No such file or directory\n" \
			    -m "$j: /proc/$f does not exist (nor on the host)" \
			    -- "$JEXEC" "$j" cat "/proc/$f"
		fi
	done
	for f in acpi scsi; do
		[ -d "/proc/$f" ] || { skip "$j: /proc/$f is empty" "no /proc/$f on this host"; continue; }
		check -m "$j: /proc/$f is empty" -- "$JEXEC" "$j" ls -A "/proc/$f"
		check -s 1 -e "inline:touch: /proc/$f/x: Read-only file system\n" \
		    -m "$j: and read-only" -- "$JEXEC" "$j" touch "/proc/$f/x"
	done
	check -s 1 -e "inline:$(cannot_write /proc/sys/kernel/hostname)" \
	    -m "$j: writing /proc/sys/kernel/hostname fails" \
	    -- "$JEXEC" "$j" sh -c 'echo x > /proc/sys/kernel/hostname'
	check -s 1 -e "inline:$(cannot_write /proc/sysrq-trigger)" \
	    -m "$j: writing /proc/sysrq-trigger fails" \
	    -- "$JEXEC" "$j" sh -c 'echo x > /proc/sysrq-trigger'
	check -o 'inline:ok\n' -m "$j: the rest of /proc works" \
	    -- "$JEXEC" "$j" sh -c 'test -r /proc/self/status && echo ok'
}

test_sys_masked() {
	local j=$1
	check -s 1 -e "inline:sh: can't create /sys/kernel/uevent_helper: Read-only file system\n" \
	    -m "$j: /sys is read-only" \
	    -- "$JEXEC" "$j" sh -c 'true >> /sys/kernel/uevent_helper'
	check -m "$j: /sys/firmware is empty" -- "$JEXEC" "$j" ls -A /sys/firmware
	check -o 'inline:ok\n' -m "$j: the rest of /sys is there" \
	    -- "$JEXEC" "$j" sh -c 'test -d /sys/kernel && echo ok'
}

# A host sysfs under the root (this namespace only) and mount.procfs.
test_inherited() {
	check -m "mount -t linsysfs under the root (private namespace)" \
	    -- mount -t linsysfs linsysfs "$R/sys"
	track_jail $N
	check -o "inline:$N: created\n" -- "$JAIL" -c name=$N path="$R" \
	    persist mount.procfs
	unmount_sys
	test_proc_masked $N
	test_sys_masked $N
	check -- "$JAIL" -r $N
}

# procfs and linsysfs from mount.fstab.
test_fstab() {
	printf 'proc %s/proc procfs rw 0 0\nsysfs %s/sys linsysfs rw 0 0\n' \
	    "$R" "$R" >"$SCRATCH/fstab"
	track_jail ${N}_f
	check -o "inline:${N}_f: created\n" -- "$JAIL" -c name=${N}_f \
	    path="$R" persist mount.fstab="$SCRATCH/fstab"
	test_proc_masked ${N}_f
	test_sys_masked ${N}_f
	check -- "$JAIL" -r ${N}_f
}

test_inherited
test_fstab
done_testing
