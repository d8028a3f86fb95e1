# SPDX-License-Identifier: BSD-2-Clause
# mounthelpers.sh: run a test in a private mount namespace in which
# mount(8) finds the build's mount.TYPE helpers; sourced after tap.sh and
# roots.sh.
#
# Owns: the re-exec of the test under `unshare -m --propagation private`,
# a directory holding the five build/mount.TYPE files, the read-only
# overlay (that directory over the real one behind /sbin) which only the
# test's namespace sees, and one closing test point, made from outside
# once that namespace is gone: nothing the test watched (mh_watch) is
# left in the host's mountinfo.  It never mounts anything in the host's
# mount namespace: inside, it first checks that its namespace is not the
# one it was started from.
#
#	. "$(dirname "$0")/../lib/tap.sh"
#	. "$(dirname "$0")/../lib/roots.sh"
#	. "$(dirname "$0")/../lib/mounthelpers.sh"
#	mount_helpers_enter "$@"	# the first thing the test does
#	test_setup; mh_watch "$SCRATCH"

MH_TYPES="devfs linprocfs linsysfs nullfs fdescfs"
MH_DIR=			# the helpers' directory (inside only)
MH_SBIN=		# the real directory behind /sbin, overlaid (inside)

# mh_watch PATH: the host's mountinfo must not mention PATH at the end.
mh_watch() { printf '%s\n' "$1" >>"$GAOL_MH_WATCH"; }

# Outside: the watched paths the host's mountinfo still mentions.
mh_leftovers() {
	local p
	while IFS= read -r p; do
		[ -n "$p" ] && grep -F -- "$p" /proc/self/mountinfo
	done <"$1"
}

# Outside: pass the inner run's TAP through, adding one point before its
# trailing plan: nothing watched is mounted on the host any more.
mh_report() {
	local out=$1 watch=$2 rc=$3 last n left
	last=$(tail -n 1 "$out")
	case $last in
	1..0*|'') cat "$out"; return "$rc" ;;
	1..[0-9]*) ;;
	*) cat "$out"; return "$rc" ;;
	esac
	n=${last#1..}
	sed '$d' "$out"
	left=$(mh_leftovers "$watch")
	if [ -z "$left" ]; then
		echo "ok $((n + 1)) - nothing the test mounted is left in the host's mountinfo"
	else
		echo "not ok $((n + 1)) - nothing the test mounted is left in the host's mountinfo"
		printf '%s\n' "$left" | sed 's/^/#   /'
		rc=1
	fi
	echo "1..$((n + 1))"
	return "$rc"
}

# Outside: run the script again in a private mount namespace.
mh_outer() {
	local out watch rc=0
	require_root
	command -v unshare >/dev/null 2>&1 || skip_all "needs unshare(1)"
	unshare -m --propagation private true 2>/dev/null ||
	    skip_all "cannot make a private mount namespace (unshare -m)"
	out=$(mktemp /tmp/gaol-mh-out.XXXXXX) || exit 1
	watch=$(mktemp /tmp/gaol-mh-watch.XXXXXX) || exit 1
	# the inner run has a TAP state of its own: drop this one's
	trap - EXIT
	rm -rf "$TAP_TMP"
	GAOL_MH_OUTER_NS=$(readlink /proc/self/ns/mnt) GAOL_MH_WATCH=$watch \
	    unshare -m --propagation private env GAOL_MH_NS=1 \
	    bash "$0" "$@" >"$out" || rc=$?
	mh_report "$out" "$watch" "$rc" || rc=$?
	rm -f "$out" "$watch"
	exit "$rc"
}

# Inside: unmount the overlay (the namespace would drop it anyway).
mh_cleanup() {
	[ -n "$MH_SBIN" ] && umount "$MH_SBIN" 2>/dev/null
	[ -n "$MH_DIR" ] && rm -rf "$MH_DIR"
	true
}

# Inside: the helpers' directory and the overlay on /sbin's directory.
mh_inner() {
	local t
	[ "$(readlink /proc/self/ns/mnt)" != "${GAOL_MH_OUTER_NS:-}" ] ||
	    bail_out "mounthelpers: not in a mount namespace of its own"
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null
	grep -qw overlay /proc/filesystems || skip_all "no overlayfs"
	MH_DIR=$(mktemp -d /tmp/gaol-mh.XXXXXX) || exit 1
	tap_atexit mh_cleanup
	mh_watch "$MH_DIR"
	for t in $MH_TYPES; do
		[ -x "$GAOL_BUILDDIR/mount.$t" ] ||
		    skip_all "$GAOL_BUILDDIR/mount.$t not built"
		cp "$GAOL_BUILDDIR/mount.$t" "$MH_DIR/" || exit 1
	done
	MH_SBIN=$(readlink -f /sbin)
	mount -t overlay overlay -o "ro,lowerdir=$MH_DIR:$MH_SBIN" \
	    "$MH_SBIN" 2>/dev/null || { MH_SBIN=;
	    skip_all "cannot mount an overlay on $(readlink -f /sbin)"; }
}

# mount_helpers_enter "$@": the test's first step.
mount_helpers_enter() {
	if [ "${GAOL_MH_NS:-}" != 1 ]; then
		mh_outer "$@"
	fi
	mh_inner
}
