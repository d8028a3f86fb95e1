#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# fstab.sh: mount.fstab and mount: FreeBSD fstab lines mounted by the
# jail's init in the jail's own mount namespace.  The jail sees them, the
# host never does; a mount point outside path, or one reached through a
# symlink the jail's root controls, is refused with the exact error,
# creation fails with status 1, and nothing is left: no mount, no jail.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_fstab_$$
SRC=$SCRATCH/src
FSTAB=$SCRATCH/fstab
mkdir -p "$SRC" "$R/mnt" "$R/data dir"
echo hello >"$SRC/file"

# The host's mount points under the scratch directory (there must be none).
host_mounts() { scratch_mounts; }

test_fstab_mounts() {
	cat >"$FSTAB" <<-EOF
	# a comment, then a blank line

	$SRC	$R/mnt	nullfs	ro	0 0
	tmpfs $R/tmp tmpfs rw,size=1m,mode=1777 0 0
	$SRC $R/data\\040dir nullfs rw,nosuid 0 0
	$SRC $R/home nullfs ro,noauto 0 0
	proc $R/proc procfs rw 0 0
	EOF
	track_jail $N
	check -o "inline:$N: created\n" -m "jail -c mount.fstab" \
	    -- "$JAIL" -c name=$N path="$R" persist mount.fstab="$FSTAB" \
	    "mount=devfs $R/dev devfs rw 0 0"
	check -o 'inline:hello\n' -m "the nullfs shows the host directory" \
	    -- "$JEXEC" $N cat /mnt/file
	check -s 1 -e "inline:touch: /mnt/x: Read-only file system\n" \
	    -m "ro: the jail cannot write it" -- "$JEXEC" $N touch /mnt/x
	check -o 'inline:rw,nosuid,nodev,noexec\n' -m "the fstab's procfs is the jail's" \
	    -- "$JEXEC" $N sh -c 'test -d /proc/1 &&
	    grep "^proc /proc proc " /proc/mounts | cut -d" " -f4 | cut -d, -f1-4'
	check -o 'inline:tmpfs size=1024k\n' -m "a tmpfs with size=1m on /tmp" \
	    -- "$JEXEC" $N awk '$2 == "/tmp" { split($4, o, ","); print $3, o[3] }' /proc/mounts
	check -o 'inline:hello\n' -m "\\040 in a mount point is a space" \
	    -- "$JEXEC" $N cat "/data dir/file"
	check -o empty -m "noauto: not mounted" \
	    -- "$JEXEC" $N awk '$2 == "/home" { print }' /proc/mounts
	check -m "the mount line's devfs has null" -- "$JEXEC" $N test -c /dev/null
	is "$(host_mounts)" "" "the host sees none of the jail's mounts"
	ok "the host's view of $R/mnt is the empty directory" \
	    test ! -e "$R/mnt/file"
	check -- "$JAIL" -r $N
}

# Creating a jail with params "$@" fails with message $1 and leaves nothing.
refused() {
	local msg=$1 before; shift
	before=$(grep -c . /proc/self/mountinfo)
	check -s 1 -e "inline:jail: $msg\n" -m "refused: $msg" \
	    -- "$JAIL" -c name=${N}_bad persist "$@"
	is "$(grep -c . /proc/self/mountinfo)" "$before" \
	    "no new mount on the host"
	is "$(host_mounts)" "" "nothing mounted under the scratch directory"
	is "$(state_snapshot)" "" "no jail left"
}

test_symlink_refused() {
	local r2=$SCRATCH/root2
	mkdir -p "$r2" && cp -a "$R/." "$r2/" && rm -rf "$r2/mnt" &&
	    ln -s / "$r2/mnt"
	echo "$SRC $r2/mnt nullfs ro 0 0" >"$FSTAB"
	refused "mount.fstab: $FSTAB:1: mnt is a symbolic link: Too many levels of symbolic links" \
	    path="$r2" mount.fstab="$FSTAB"
	GAOL_FORCE_NOOPENAT2=1 refused \
	    "mount.fstab: $FSTAB:1: mnt is a symbolic link: Too many levels of symbolic links" \
	    path="$r2" mount.fstab="$FSTAB"
	refused "mount: \"tmpfs $r2/mnt/etc tmpfs rw\": mnt/etc is a symbolic link: Too many levels of symbolic links" \
	    path="$r2" "mount=tmpfs $r2/mnt/etc tmpfs rw"
	ok "the host's / got no tmpfs on /etc" \
	    test "$(stat -f -c %T /etc)" != tmpfs
}

test_outside_refused() {
	printf '# x\n\n/tmp /opt nullfs ro 0 0\n' >"$FSTAB"
	refused "mount.fstab: $FSTAB:3: /opt: not under the jail's path $R" \
	    path="$R" mount.fstab="$FSTAB"
	refused "mount: \"/tmp $R/../x nullfs ro\": $R/../x: not under the jail's path $R" \
	    path="$R" "mount=/tmp $R/../x nullfs ro"
	refused "mount: \"x $R/tmp ext4 rw\": unsupported file system type \"ext4\"" \
	    path="$R" "mount=x $R/tmp ext4 rw"
	refused "mount: \"x $R/tmp tmpfs rw,bogus\": unknown option \"bogus\"" \
	    path="$R" "mount=x $R/tmp tmpfs rw,bogus"
	refused "mount: \"x $R/tmp\": missing file system type" \
	    path="$R" "mount=x $R/tmp"
	refused "mount.fstab: $SCRATCH/none: No such file or directory" \
	    path="$R" mount.fstab="$SCRATCH/none"
}

# mount.fdescfs: nothing to do in a devfs, refused on a plain /dev.
test_fdescfs() {
	track_jail ${N}_fd
	check -m "mount.devfs mount.fdescfs" -- "$JAIL" -q -c name=${N}_fd \
	    path="$R" persist mount.devfs mount.fdescfs
	check -o 'inline:/proc/self/fd\n' -m "/dev/fd is a link to /proc/self/fd" \
	    -- "$JEXEC" ${N}_fd readlink /dev/fd
	check -- "$JAIL" -r ${N}_fd
	refused "mount.fdescfs: dev/fd: Linux has no fdescfs, and this is not a link to /proc/self/fd" \
	    path="$R" mount.fdescfs
}

test_fstab_mounts
test_fdescfs
test_symlink_refused
test_outside_refused
done_testing
