# SPDX-License-Identifier: BSD-2-Clause
# roots.sh: scratch directories, busybox jail roots and cleanup for gaol's
# shell tests and benchmarks; sourced by bash scripts (after tap.sh when
# used by a test).
#
# Owns: the scratch directory of one test run, the jails and host pids the
# test recorded, and their removal at exit -- also when the test fails.
# Never touches a jail or a process the test did not create: jails are
# removed by the names recorded with track_jail (plus any running jail
# whose path lies inside this run's scratch directory), processes only by
# the pids recorded with track_pid.

set -u

# Locate the tree and the binaries under test ($GAOL_BUILDDIR is set by
# meson; by hand, the default is build/ in the source tree).
GAOL_SRCDIR=${GAOL_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
GAOL_BUILDDIR=${GAOL_BUILDDIR:-$GAOL_SRCDIR/build}
JAIL=$GAOL_BUILDDIR/jail
JLS=$GAOL_BUILDDIR/jls
JEXEC=$GAOL_BUILDDIR/jexec
JAIL_RUNDIR=${JAIL_RUNDIR:-/run/jail}

SCRATCH=		# this run's scratch directory (scratch_new)
TRACKED_JAILS=()	# names of jails this run created
TRACKED_PIDS=()		# host pids this run started in the background

# Report through TAP when tap.sh is loaded, else on stderr.
roots_report() {
	local status=$1; shift
	if declare -F tap_result >/dev/null; then
		tap_result "$status" "$@"
	elif [ "$status" -ne 0 ]; then
		printf '%s\n' "$*" >&2
	fi
}

# require_binaries: the commands under test exist (a skip otherwise).
require_binaries() {
	local b
	for b in "$JAIL" "$JLS" "$JEXEC"; do
		[ -x "$b" ] && continue
		if declare -F skip_all >/dev/null; then
			skip_all "$b not built"
		fi
		echo "$b not built" >&2
		exit 1
	done
}

# scratch_new: create this run's scratch directory and arrange its cleanup.
# It is the folder holding the test's jail roots, so it is root's alone
# (0700), as jail(8) and mkjail(8) want such a folder: jail -c would
# otherwise warn that the host's users can reach the roots below it.
scratch_new() {
	SCRATCH=$(mktemp -d /tmp/gaol-test.XXXXXX) || exit 1
	chmod 700 "$SCRATCH"
	if declare -F tap_atexit >/dev/null; then
		tap_atexit roots_cleanup
	else
		trap roots_cleanup EXIT
		trap 'exit 130' INT TERM HUP
	fi
}

track_jail() { TRACKED_JAILS+=("$1"); }
track_pid() { TRACKED_PIDS+=("$1"); }

# make_busybox_root DIR: a minimal root from busybox-static: the applets
# as symlinks (busybox --install -s, run inside DIR so the links point at
# the jail's own /bin/busybox), the usual top-level directories, and
# passwd/group with root, user (uid 1000) and nobody.
make_busybox_root() {
	local d=$1
	[ -x /bin/busybox ] || { echo "make_busybox_root: no /bin/busybox (apt-get install busybox-static)" >&2; return 1; }
	mkdir -p "$d" &&
	    (cd "$d" && mkdir -p bin sbin usr/bin usr/sbin etc proc dev sys \
	    tmp root home/user run var) || return 1
	chmod 755 "$d"
	chmod 1777 "$d/tmp"
	chmod 700 "$d/root"
	cp /bin/busybox "$d/bin/busybox" || return 1
	chroot "$d" /bin/busybox --install -s || return 1
	root_files "$d"
	chown 1000:1000 "$d/home/user"
}

# The account files and hostname of a busybox root.
root_files() {
	cat >"$1/etc/passwd" <<-'EOF'
	root:x:0:0:root:/root:/bin/sh
	user:x:1000:1000:user:/home/user:/bin/sh
	nobody:x:65534:65534:nobody:/nonexistent:/bin/false
	EOF
	cat >"$1/etc/group" <<-'EOF'
	root:x:0:
	user:x:1000:
	nogroup:x:65534:
	EOF
	echo busybox >"$1/etc/hostname"
}

# Mount points under the scratch directory, deepest first, as this mount
# namespace sees them (field 5 of mountinfo, octal escapes decoded).
scratch_mounts() {
	[ -n "$SCRATCH" ] || return 0
	awk '{ print $5 }' /proc/self/mountinfo |
	    while IFS= read -r m; do printf '%b\n' "$m"; done |
	    grep -E "^$SCRATCH(/|\$)" | sort -r
}

# Remove the recorded jails and any running jail rooted in the scratch
# directory (e.g. a nameless one left by a failed test).
cleanup_jails() {
	local n p
	for n in "${TRACKED_JAILS[@]}"; do
		"$JLS" -j "$n" jid >/dev/null 2>&1 || continue
		"$JAIL" -q -r "$n" >/dev/null 2>&1 ||
		    roots_report 1 "cleanup: jail -r $n failed"
	done
	[ -n "$SCRATCH" ] && [ -x "$JLS" ] || return 0
	"$JLS" jid path 2>/dev/null | while read -r n p; do
		case $p in
		"$SCRATCH"/*) "$JAIL" -q -r "$n" >/dev/null 2>&1 ;;
		esac
	done
}

# Kill the recorded pids (bash reaps its disowned children itself).
cleanup_pids() {
	local p
	for p in "${TRACKED_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
}

# EXIT hook: jails, pids, then the scratch directory -- but only after
# checking that nothing is mounted under it (rm -rf across a leftover bind
# mount would delete host files; --one-file-system guards that too).
roots_cleanup() {
	local left
	cleanup_jails
	cleanup_pids
	[ -n "$SCRATCH" ] && [ -d "$SCRATCH" ] || return 0
	left=$(scratch_mounts)
	if [ -n "$left" ]; then
		roots_report 1 "cleanup: mounts left under $SCRATCH: $(echo $left)"
		echo "$left" | while IFS= read -r m; do umount -l "$m"; done
	fi
	[ -z "$(scratch_mounts)" ] && rm -rf --one-file-system "$SCRATCH"
}

# --- helpers shared by the integration tests -------------------------------

# test_setup: root, built binaries, a scratch directory and a busybox root
# in $R.  Every integration test starts with it.
test_setup() {
	require_root
	require_binaries
	scratch_new
	R=$SCRATCH/root
	make_busybox_root "$R" || bail_out "cannot build a busybox root in $R"
}

# The jid of a running jail (by name or jid), or nothing.
jail_jid() { "$JLS" -j "$1" jid 2>/dev/null; }

# What "nothing left behind" compares: the jails jls lists and the state
# entries -- only those rooted in this run's scratch directory, so that
# jails of other tests or of the user running meanwhile do not count.
state_snapshot() {
	local d
	"$JLS" jid name path 2>&1 | grep -F " $SCRATCH/"
	for d in "$JAIL_RUNDIR"/*/ "$JAIL_RUNDIR"/.[!.]*; do
		[ -e "$d" ] || continue
		case $d in */.lock) continue ;; esac
		grep -qF "$SCRATCH/" "$d/state" 2>/dev/null && echo "$d"
	done
}

# The registry's list (lib/registry/list.c): a header, "0 BASE 0\n", then a
# log of records, "JID INO LEN\n" and the LEN bytes of the entry's state
# file with its token (the first line's fifth word) written "-" (LEN 0:
# removed), the last of a jid counting.  list_check [JID ...]
# prints what is wrong with it: no header; a record that is not its
# entry's state file, or names another inode than its directory's; a JID
# given with no record.  Nothing if the list is right; "no list" if there
# is none.
list_check() {
	python3 - "$JAIL_RUNDIR" "$@" <<-'EOF'
	import os, sys
	run, want = sys.argv[1], set(sys.argv[2:])
	try:
	    data = open(run + "/list", "rb").read()
	except FileNotFoundError:
	    sys.exit(print("no list"))
	recs, p = {}, 0
	while p < len(data):
	    nl = data.index(b"\n", p)
	    jid, ino, n = data[p:nl].decode().split()
	    if p == 0 and (jid, n) != ("0", "0"):
	        print("no header")
	    text, p = data[nl + 1:nl + 1 + int(n)], nl + 1 + int(n)
	    recs[jid] = (ino, text)
	recs.pop("0", None)
	for jid, (ino, text) in recs.items():
	    if not text:
	        continue
	    want.discard(jid)
	    try:
	        st = open(f"{run}/{jid}/state", "rb").read()
	        first, rest = st.split(b"\n", 1)
	        w = first.split(b" ")
	        if len(w) > 4:
	            w[4] = b"-"
	        if b" ".join(w) + b"\n" + rest != text:
	            print(jid, "text differs")
	        if os.stat(f"{run}/{jid}").st_ino != int(ino):
	            print(jid, "inode differs")
	    except FileNotFoundError:
	        print(jid, "has no entry")
	for jid in sorted(want):
	    print(jid, "has no record")
	EOF
}

# wait_until SECONDS CMD ...: poll CMD every 0.1 s until it succeeds.
wait_until() {
	local deadline=$(($(date +%s) + $1)); shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

# The host pid of a jail's init: field 2 of its state entry
# the first line of $JAIL_RUNDIR/JID/state ("STATE PID STARTTIME CGROUP TOKEN").
jail_init_pid() {
	local jid state pid rest
	jid=$(jail_jid "$1") || return 1
	read -r state pid rest <"$JAIL_RUNDIR/$jid/state" || return 1
	[ "$state" = active ] && [ -n "$pid" ] && echo "$pid"
}

# The pid namespace of a host pid.
pidns_of() { readlink "/proc/$1/ns/pid" 2>/dev/null; }

# Host pids of every process in the same pid namespace as pid $1.
pids_in_ns_of() {
	local ns p
	ns=$(pidns_of "$1") || return 1
	for p in /proc/[0-9]*; do
		[ "$(pidns_of "${p#/proc/}")" = "$ns" ] && echo "${p#/proc/}"
	done
}

# cgroup directories a jail with jid $1 would own, in every hierarchy
# (v2 and v1): beneath this shell's own cgroup there, where jail(8) makes
# them, and at the hierarchy's top, where none may ever be.  Other test
# runs on the machine (in cgroups of their own) are not looked at.
cgroup_dirs() {
	local m typ opts rel
	while read -r _ m typ opts _; do
		case $typ in
		cgroup2) rel=$(awk -F: '$1 == "0" { print $3 }' /proc/self/cgroup) ;;
		cgroup) rel=$(awk -F: -v o=",$opts," '$2 != "" {
			n = split($2, c, ",")
			for (i = 1; i <= n; i++) if (index(o, "," c[i] ",") == 0) next
			print $3; exit }' /proc/self/cgroup) ;;
		*) continue ;;
		esac
		[ -n "$rel" ] || continue
		find "$m${rel%/}" -maxdepth 4 -type d -name "jail.$1" 2>/dev/null
		find "$m" -mindepth 1 -maxdepth 1 -type d -name "jail.$1" 2>/dev/null
	done </proc/self/mounts | sort -u
}

# Host pids whose command line is exactly the words given (e.g.
# `find_cmdline sleep 987`).
find_cmdline() {
	local want p found=1
	want=$(printf '%s\0' "$@" | od -An -c | tr -d ' \n')
	for p in /proc/[0-9]*; do
		if [ "$(od -An -c "$p/cmdline" 2>/dev/null | tr -d ' \n')" = "$want" ]; then
			echo "${p#/proc/}"
			found=0
		fi
	done
	return $found
}

# spawn CMD ...: start CMD in the background with no stdio, record its pid
# for cleanup (SPAWNED), and disown it so bash prints no "Killed" notice
# into whatever a later check is capturing.
spawn() {
	"$@" </dev/null >/dev/null 2>&1 &
	SPAWNED=$!
	track_pid "$SPAWNED"
	disown "$SPAWNED"
}

# Is host pid $1 a live process (a zombie awaiting its reaper is not)?
# kill_pid SIG PID: signal the one process PID, which the test started
# (a jail's init or spawner); a lookup that found nothing gives no pid,
# and "kill 0" would signal the test's own process group: refused.
kill_pid() {
	[[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "kill_pid: no pid" >&2; return 1; }
	kill "-$1" "$2"
}

alive() {
	local st
	st=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ]
}

# start_jail NAME PARAM...: a persistent jail NAME on $R with a procfs of
# its own and the parameters given, as one test point; removed at exit.
start_jail() {
	local n=$1; shift
	track_jail "$n"
	check -m "jail -c $n $*" -- "$JAIL" -q -c name="$n" path="$R" \
	    mount.procfs persist "$@"
}

# unmount_scratch: everything mounted under the scratch directory in this
# mount namespace, deepest first (a hook for tests that mount there).
unmount_scratch() {
	local m
	scratch_mounts | while IFS= read -r m; do umount -l "$m"; done
}

# debian_overlay DIR: the cached Debian root (tools/debian-root.sh, made
# on first use) seen through an overlay on DIR, whose changes stay in the
# scratch directory.  Only in a mount namespace of the test's own
# (mount_helpers_enter); the overlay goes at exit.
debian_overlay() {
	local d
	d=$(mktemp -d "$SCRATCH/overlay.XXXXXX") || bail_out "mktemp failed"
	# shellcheck source=../../tools/debian-root.sh
	. "$GAOL_SRCDIR/tools/debian-root.sh"
	if ! prepare_root >"$SCRATCH/debootstrap.log" 2>&1; then
		diag "$(tail -n 5 "$SCRATCH/debootstrap.log")"
		bail_out "no Debian root (tools/debian-root.sh)"
	fi
	mkdir -p "$d/upper" "$d/work" "$1" &&
	    mount -t overlay overlay \
	    -o "lowerdir=$ROOT,upperdir=$d/upper,workdir=$d/work" "$1" ||
	    bail_out "cannot mount an overlay of $ROOT on $1"
	tap_atexit unmount_scratch
}
