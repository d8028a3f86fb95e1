#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# attack-setuid.sh: a jailed root keeps CAP_FSETID (dpkg needs it), so
# it can make a set-user-ID-root copy of a program in its root; a host
# user who can reach the file would run it as root.  mkjail keeps the
# folder of jails root's alone (0700: made so, or narrowed, and said so;
# a folder shared with the system refused), so that "nobody" cannot run
# what a jail made there; jail -c warns, once a line, about a path (or a
# read-write nullfs source) a host user can reach, and is silent for a
# 0700 folder, a nosuid file system, a thin jail's covered path and -q.
#
# It runs in a mount namespace of its own (the thick root is an overlay
# of mkjail's cached base); its scratch directory is searchable by all
# here (0711, as /srv is), so that only the folder's mode stands between
# "nobody" and the jail's files.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/mounthelpers.sh"
mount_helpers_enter "$@"
test_setup
mh_watch "$SCRATCH"
tap_atexit unmount_scratch
require_cmd runuser
MKJAIL=$GAOL_BUILDDIR/mkjail
N=gt_asu
chmod 711 "$SCRATCH"
JAILS=$SCRATCH/jails		# a folder of jails made by hand, 0755
mkdir -m 755 "$JAILS"
TMPJAIL=/tmp/gt-asu-$$		# in a folder shared with the system
cleanup_tmpjail() {
	[ -d "$TMPJAIL.layer" ] && "$MKJAIL" -r ${N}_tmp "$TMPJAIL" >/dev/null 2>&1
	rmdir "$TMPJAIL" 2>/dev/null
	true
}
tap_atexit cleanup_tmpjail

# The overlay line of a thin jail's block (file $1).
overlay_line() { sed -n 's/^[[:space:]]*mount = "\(overlay .*\)";$/\1/p' "$1"; }

test_folder() {
	local mode
	check -o "match:^${N}_thin \{\$" -e ignore -m "mkjail -t in a 0755 folder" \
	    -- "$MKJAIL" -t ${N}_thin "$JAILS/thin"
	[ "$CHECK_STATUS" -eq 0 ] || bail_out "no thin jail (mkjail needs its cached base)"
	printf '%s\n' "$CHECK_STDOUT" >"$SCRATCH/thin.conf"
	like "$CHECK_STDERR" "^mkjail: $JAILS: mode 0755 let the host's users reach the jails' set-user-ID files; now 0700\$" \
	    "mkjail says it narrows the folder, in one line"
	is "$(stat -c %a "$JAILS")" 700 "the folder of jails is 0700"
	BASE=$(overlay_line "$SCRATCH/thin.conf" |
	    sed -n 's/.*lowerdir=\([^,]*\),.*/\1/p')
	check -o ignore -e ignore -m "mkjail -t: a missing folder" \
	    -- "$MKJAIL" -t ${N}_new "$SCRATCH/new/jails/x"
	mode=$(stat -c %a "$SCRATCH/new/jails" 2>&1)
	is "$mode" 700 "a folder mkjail makes is 0700"
	check -s 1 -e "inline:mkjail: /tmp: mode 1777 lets the host's users reach the jail's set-user-ID files, and it is no folder of jails alone; put the jail in one, mode 0700 (say /tmp/jail/${TMPJAIL##*/})\n" \
	    -m "mkjail refuses a folder shared with the system (/tmp)" \
	    -- "$MKJAIL" -t ${N}_tmp "$TMPJAIL"
	ok "... and makes nothing there" test ! -e "$TMPJAIL" -a ! -e "$TMPJAIL.layer"
	is "$(stat -c %a /tmp)" 1777 "... nor touches /tmp"
}

# As jailed root: a set-user-ID-root copy of id(1) in /tmp; then the
# host's "nobody" tries it (euid 0 would print 0).
plant() {
	check -m "jailed root: cp /usr/bin/id /tmp/gt-id; chmod 4755" \
	    -- "$JEXEC" "$1" /bin/sh -c 'cp /usr/bin/id /tmp/gt-id && chmod 4755 /tmp/gt-id'
	ok "the file is set-user-ID root on the host" test -u "$2" -a -O "$2"
	check -s 1 -e "inline:runuser: failed to execute $2: Permission denied\n" \
	    -m "nobody cannot run it" -- runuser -u nobody -- "$2" -u
}

test_setuid() {
	local thick=$JAILS/thick
	mkdir -p "$thick" "$thick.layer/upper" "$thick.layer/work" &&
	    mount -t overlay overlay -o "lowerdir=$BASE,upperdir=$thick.layer/upper,workdir=$thick.layer/work" "$thick" ||
	    bail_out "cannot mount a thick root of $BASE on $thick"
	track_jail ${N}_thick
	check -o "inline:${N}_thick: created\n" -m "jail -c a thick root in the folder" \
	    -- "$JAIL" -c name=${N}_thick path="$thick" persist
	plant ${N}_thick "$thick/tmp/gt-id"
	check -- "$JAIL" -r ${N}_thick
	track_jail ${N}_thin
	check -o "inline:${N}_thin: created\n" -m "jail -c the thin jail" \
	    -- "$JAIL" -c name=${N}_thin path="$JAILS/thin" persist \
	    "mount=$(overlay_line "$SCRATCH/thin.conf")"
	plant ${N}_thin "$JAILS/thin.layer/upper/tmp/gt-id"
	check -- "$JAIL" -r ${N}_thin
}

# jail -c NAME PARAMS: the warning WARN (empty: none) and "NAME: created".
warns() {
	local name=$1 warn=$2 err=empty; shift 2
	[ -n "$warn" ] && err="inline:jail: $name: warning: $warn\n"
	track_jail "$name"
	check -o "inline:$name: created\n" -e "$err" -m "jail -c $name: ${warn:-no warning}" \
	    -- "$JAIL" -c name="$name" persist "$@"
	check -- "$JAIL" -r "$name"
}

test_warning() {
	local open=$SCRATCH/open why
	why="set-uid files made in the jail would work on the host"
	mkdir -p "$open" "$JAILS/bb" "$SCRATCH/pub" "$SCRATCH/nosuid" \
	    "$JAILS/thin2.layer/upper" "$JAILS/thin2.layer/work" "$open/thin2"
	chmod 755 "$open" "$SCRATCH/pub"
	cp -a "$R" "$open/root" && cp -a "$R/." "$JAILS/bb/" && mkdir "$JAILS/bb/mnt"
	warns ${N}_w1 "$open/root: reachable by users other than root; $why (chmod 700 $open)" \
	    path="$open/root"
	track_jail ${N}_w2
	check -o empty -e empty -m "-q: no warning" \
	    -- "$JAIL" -q -c name=${N}_w2 path="$open/root" persist
	check -- "$JAIL" -r ${N}_w2
	warns ${N}_w3 "" path="$JAILS/bb"
	warns ${N}_w4 "$SCRATCH/pub: reachable by users other than root; $why (chmod 700 $SCRATCH)" \
	    path="$JAILS/bb" "mount=$SCRATCH/pub $JAILS/bb/mnt nullfs rw 0 0"
	warns ${N}_w5 "" path="$JAILS/bb" "mount=$SCRATCH/pub $JAILS/bb/mnt nullfs ro 0 0"
	mount -t tmpfs -o nosuid,mode=755 tmpfs "$SCRATCH/nosuid" &&
	    cp -a "$R" "$SCRATCH/nosuid/root"
	warns ${N}_w6 "" path="$SCRATCH/nosuid/root"
	warns ${N}_w7 "" path="$open/thin2" \
	    "mount=overlay $open/thin2 overlay lowerdir=$BASE,upperdir=$JAILS/thin2.layer/upper,workdir=$JAILS/thin2.layer/work 0 0"
}

test_folder
test_setuid
test_warning
done_testing
