#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# readonly.sh: what a jailed root (uid 0, DAC_OVERRIDE) must not write
# although file modes would let it: /proc/sys (core_pattern runs a host
# program as root), /proc/irq, /proc/bus, /proc/fs, and a sysfs the host
# mounted under the jail's path (the seeds' linsysfs).  The host's own
# mounts stay as they were.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_ro_$$
track_jail $N
SYS=$R/sys
unmount_sys() { mountpoint -q "$SYS" && umount "$SYS"; true; }
tap_atexit unmount_sys

mount -t sysfs sysfs "$SYS" || bail_out "cannot mount a sysfs on $SYS"
check -o "inline:$N: created\n" -- "$JAIL" -c name=$N path="$R" persist mount.procfs
unmount_sys

check -s 1 -e 'inline:sh: can'"'"'t create /proc/sys/kernel/core_pattern: Read-only file system\n' \
    -m "/proc/sys is read-only inside" \
    -- "$JEXEC" $N sh -c 'true >> /proc/sys/kernel/core_pattern'
for d in irq bus fs; do
	if [ -e /proc/$d ]; then
		check -o "inline:ro\n" -m "/proc/$d is mounted read-only" \
		    -- "$JEXEC" $N sh -c "awk '\$2 == \"/proc/$d\" { split(\$4, o, \",\"); print o[1] }' /proc/mounts"
	fi
done
check -o 'inline:ok\n' -m "the rest of /proc stays writable (oom_score_adj)" \
    -- "$JEXEC" $N sh -c 'echo 0 > /proc/self/oom_score_adj && echo ok'
check -s 1 -e 'inline:sh: can'"'"'t create /sys/kernel/uevent_helper: Read-only file system\n' \
    -m "a host sysfs under the path is read-only inside" \
    -- "$JEXEC" $N sh -c 'true >> /sys/kernel/uevent_helper'
is "$(awk '$5 == "/sys" { print $6 }' /proc/self/mountinfo | cut -d, -f1)" rw \
    "the host's own /sys is untouched"
is "$(awk '$5 == "/proc" { print $6 }' /proc/self/mountinfo | cut -d, -f1)" rw \
    "the host's own /proc is untouched"
check -o empty -- "$JAIL" -r $N
done_testing
