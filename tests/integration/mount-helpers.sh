#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# mount-helpers.sh: `mount -t TYPE` for FreeBSD's jail file system types
# (util-linux mount(8) running the build's mount.TYPE helpers): linprocfs
# is a procfs, linsysfs a sysfs, nullfs a bind mount (ro refuses writes),
# fdescfs nothing but a check, devfs a tmpfs of device nodes.  Options,
# errors and exit statuses exactly.  Everything runs in the test's own
# mount namespace (mounthelpers.sh); the host sees none of it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/mounthelpers.sh"
mount_helpers_enter "$@"
require_root
scratch_new
mh_watch "$SCRATCH"
D=$SCRATCH
mkdir -p "$D/proc" "$D/sys" "$D/src/sub" "$D/null" "$D/dev" "$D/fd"
echo hello >"$D/src/file"

# Unmount whatever the test left under the scratch directory, deepest
# first (the namespace would drop it anyway; roots_cleanup checks).
unmount_all() {
	local m
	scratch_mounts | while IFS= read -r m; do umount -l "$m"; done
}
tap_atexit unmount_all

fstype() { stat -f -c %T "$1"; }
# "FSTYPE SOURCE SUPER-OPTIONS" of the last mount on $1 (mountinfo).
mount_of() {
	awk -v d="$1" '$5 == d { sub(/.* - /, ""); print }' /proc/self/mountinfo |
	    tail -n 1
}

test_linprocfs() {
	check -m "mount -t linprocfs" -- mount -t linprocfs linprocfs "$D/proc"
	ok "$D/proc/self exists" test -e "$D/proc/self"
	is "$(fstype "$D/proc")" proc "it is a procfs"
	is "$(mount_of "$D/proc")" "proc linprocfs rw" \
	    "its source is linprocfs"
	check -m "proc options pass through (hidepid=2)" \
	    -- mount -t linprocfs -o nosuid,hidepid=2 linprocfs "$D/proc"
	like "$(mount_of "$D/proc")" '^proc linprocfs rw,hidepid=(2|invisible)$' \
	    "hidepid reaches the procfs"
	umount "$D/proc"; umount "$D/proc"
}

test_linsysfs() {
	check -m "mount -t linsysfs" -- mount -t linsysfs linsysfs "$D/sys"
	is "$(fstype "$D/sys")" sysfs "it is a sysfs"
	ok "$D/sys/kernel exists" test -d "$D/sys/kernel"
	umount "$D/sys"
	check -s 32 -e 'inline:mount.linsysfs: unknown option "hidepid=2"\n' \
	    -m "linsysfs takes no procfs options" \
	    -- mount -t linsysfs -o hidepid=2 linsysfs "$D/sys"
}

test_nullfs() {
	check -m "mount -t nullfs" -- mount -t nullfs "$D/src" "$D/null"
	check -o 'inline:hello\n' -m "the bind shows the source's files" \
	    -- cat "$D/null/file"
	check -m "and is writable" -- touch "$D/null/new"
	ok "writes reach the source" test -e "$D/src/new"
	umount "$D/null"
	mount -t tmpfs tmpfs "$D/src/sub"
	check -m "mount -t nullfs -o ro" -- mount -t nullfs -o ro "$D/src" "$D/null"
	check -s 1 -e "inline:touch: cannot touch '$D/null/x': Read-only file system\n" \
	    -m "a read-only nullfs refuses writes" -- touch "$D/null/x"
	is "$(fstype "$D/null/sub")" "$(fstype "$D/src")" \
	    "not recursive: the tmpfs under the source is not carried over"
	umount "$D/null"; umount "$D/src/sub"
}

test_fdescfs() {
	check -m "mount -t fdescfs on /dev/fd (a link to /proc/self/fd)" \
	    -- mount -t fdescfs fdesc /dev/fd
	check -e "inline:mount.fdescfs: $D/fd: Linux has no fdescfs, and this is not a link to /proc/self/fd\n" \
	    -s 32 -m "fdescfs anywhere else is refused" \
	    -- mount -t fdescfs fdesc "$D/fd"
	is "$(scratch_mounts)" "" "fdescfs mounted nothing"
}

test_errors() {
	check -s 32 -e 'inline:mount.nullfs: unknown option "bogus"\n' \
	    -m "a bad option: its name, status 32" \
	    -- mount -t nullfs -o ro,bogus "$D/src" "$D/null"
	check -s 32 -e 'inline:mount.devfs: invalid ruleset "x"\n' \
	    -m "a bad ruleset" -- mount -t devfs -o ruleset=x devfs "$D/dev"
	ln -s / "$D/link"
	check -s 32 -e "inline:mount.nullfs: $D/link is a symbolic link\n" \
	    -m "a symlinked mount point is refused" \
	    -- "$MH_SBIN/mount.nullfs" "$D/src" "$D/link"
	check -s 1 -e 'inline:usage: mount.nullfs [-fnsv] [-N namespace] [-o options] [-t type] special node\n' \
	    -m "usage: status 1" -- "$MH_SBIN/mount.nullfs" "$D/src"
	check -m "-f mounts nothing" -- "$MH_SBIN/mount.nullfs" -f "$D/src" "$D/null"
	check -o "inline:mount.nullfs: $D/src on $D/null\n" -m "-v says what it mounts" \
	    -- "$MH_SBIN/mount.nullfs" -v "$D/src" "$D/null"
	umount "$D/null"
	check -m "-s: unknown options ignored" \
	    -- "$MH_SBIN/mount.nullfs" -s -o ro,bogus "$D/src" "$D/null"
	umount "$D/null"
	is "$(scratch_mounts)" "" "nothing left mounted"
}

test_devfs() {
	check -m "mount -t devfs" -- mount -t devfs devfs "$D/dev"
	like "$(mount_of "$D/dev")" '^tmpfs devfs ' "a tmpfs named devfs"
	ok "it has null, zero, urandom and a devpts" \
	    test -c "$D/dev/null" -a -c "$D/dev/zero" -a -c "$D/dev/urandom" \
	    -a -c "$D/dev/pts/ptmx"
	check -o 'inline:/proc/self/fd\n' -m "fd is a link to /proc/self/fd" \
	    -- readlink "$D/dev/fd"
	check -m "mount -t fdescfs on it: nothing to do" \
	    -- "$MH_SBIN/mount.fdescfs" fdesc "$D/dev/fd"
	umount -R "$D/dev"
}

test_linprocfs
test_linsysfs
test_nullfs
test_fdescfs
test_errors
test_devfs
done_testing
