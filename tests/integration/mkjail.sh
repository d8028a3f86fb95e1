#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# mkjail.sh: mkjail(8) makes Debian jail roots with the real debootstrap.
#
# Thin jails: the base (/var/cache/gaol/base/SUITE-HASH) is made once and
# cached; each jail owns a layer beside its path, and its root is an
# overlay the jail's init mounts in the jail's own mount namespace.  The
# jail starts from the printed jail.conf block (jail -f), jexec sees
# Debian and its hostname, writes land in the layer (the base never
# changes), a second jail costs under 20 MB and runs beside the first,
# and jail -r leaves no mount anywhere, no namespace, no state entry.
# Thick roots are renamed into place whole.  Bad input (missing
# arguments, a path not empty, an unknown suite, an interruption) gives
# a clear error and leaves nothing.
#
# The first run needs the host's Debian mirror (debootstrap); nothing
# else goes off the host.  Everything but the cached base is made in the
# test's scratch directory and removed at exit.  Jids 400-404.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
require_root
require_binaries
require_cmd debootstrap
scratch_new
MKJAIL=$GAOL_BUILDDIR/mkjail
DEBOOTSTRAP_TIMEOUT=600	# a whole debootstrap, where the mirror is slow
# The test's jids: 400-404 (GAOL_MKJAIL_JID0 moves them, by hand only).
JID0=${GAOL_MKJAIL_JID0:-400}
for j in $(seq "$JID0" $((JID0 + 4))); do
	"$JLS" -j "$j" jid >/dev/null 2>&1 &&
	    bail_out "jid $j is taken by a jail this test did not make"
done
USAGE='usage: mkjail [-t] [-s suite] [-m mirror] [-V variant] [-i package,...]
              [-x package,...] [-H hostname] [-a address] [-I interface]
              [-f jail.conf] name path
       mkjail -r name path
'

# Mount points mentioning the scratch directory, in any mount namespace.
mounts_anywhere() {
	grep -h -F "$SCRATCH" /proc/[0-9]*/mountinfo 2>/dev/null
}

# Processes in mount namespace $1 (e.g. "mnt:[4026532]").
ns_users() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$1" ] &&
		    echo "${p#/proc/}"
	done
}

# A digest of the base: names, sizes, modes and times of every file.
base_digest() {
	find "$1" -xdev -printf '%p %s %m %T@ %i\n' | sort | md5sum
}

# mkjail ARGS fails with exactly message $1, and leaves nothing in the
# scratch directory but what was there.
refused() {
	local msg=$1 before; shift
	before=$(ls -A "$SCRATCH")
	check -s 1 -e "inline:mkjail: $msg\n" -m "refused: $msg" \
	    -- "$MKJAIL" "$@"
	is "$(ls -A "$SCRATCH")" "$before" "nothing made for: $msg"
}

test_usage() {
	check -s 1 -e "inline:$USAGE" -m "no arguments: usage" -- "$MKJAIL"
	check -s 1 -e "inline:$USAGE" -m "no path: usage" -- "$MKJAIL" gt_mkx
	check -s 1 -e "inline:mkjail: illegal option -- z\n$USAGE" \
	    -m "unknown option" -- "$MKJAIL" -z gt_mkx "$SCRATCH/x"
	mkdir "$SCRATCH/full" && touch "$SCRATCH/full/file"
	refused "$SCRATCH/full: not empty" -t gt_mkx "$SCRATCH/full"
	refused "$SCRATCH/full: not empty" gt_mkx "$SCRATCH/full"
	refused 'jail name "400": a number is a jid, not a name' \
	    400 "$SCRATCH/x"
	refused 'jail name "a b": invalid character '"' '" \
	    "a b" "$SCRATCH/x"
	refused 'address "10.1": not an IPv4 or IPv6 address' \
	    -a 10.1 gt_mkx "$SCRATCH/x"
	refused 'hostname "a_b": invalid character '"'_'" \
	    -H a_b gt_mkx "$SCRATCH/x"
	refused "path /var/cache/gaol/base/x: overlaps the base cache /var/cache/gaol/base" \
	    -t gt_mkx /var/cache/gaol/base/x
	refused "$SCRATCH/x: not a thin jail: $SCRATCH/x.layer: No such file or directory" \
	    -r gt_mkx "$SCRATCH/x"
}

# debootstrap fails (no such suite): its words, and nothing left.
test_unknown_suite() {
	local before
	# (the cache's .lock stays, made by the first mkjail -t on a machine)
	before=$(ls -A /var/cache/gaol/base 2>/dev/null | grep -vx .lock)
	check -s 1 -e 'match:^mkjail: debootstrap nosuchsuite from .* failed \(status 1\)$' \
	    -m "thick: an unknown suite fails" \
	    -- "$MKJAIL" -s nosuchsuite gt_mkx "$SCRATCH/x"
	like "$CHECK_STDERR" 'E: No such script' "debootstrap's own error is shown"
	is "$(ls -A "$SCRATCH" | grep -v '^full$')" "" \
	    "thick: nothing left beside the path"
	check -s 1 -e 'match:^mkjail: debootstrap nosuchsuite from .* failed' \
	    -m "thin: an unknown suite fails" \
	    -- "$MKJAIL" -t -s nosuchsuite gt_mkx "$SCRATCH/x"
	is "$(ls -A /var/cache/gaol/base | grep -vx .lock)" "$before" \
	    "thin: no base, no temporary"
	is "$(ls -A "$SCRATCH" | grep -v '^full$')" "" "thin: no layer"
}

# The base: made by the first thin jail unless cached already.
first_thin_jail() {
	CHECK_TIMEOUT=$DEBOOTSTRAP_TIMEOUT check -o 'match:^gt_mk1 \{$' \
	    -e ignore -m "mkjail -t gt_mk1" \
	    -- "$MKJAIL" -t gt_mk1 "$SCRATCH/mk1"
	if [ "$CHECK_STATUS" -ne 0 ]; then
		diag "$CHECK_STDERR"
		bail_out "no thin jail (debootstrap needs the host's mirror)"
	fi
	printf '%s\n' "$CHECK_STDOUT" >"$SCRATCH/mk1.conf"
	BASE=$(sed -n 's/.*lowerdir=\([^,]*\),.*/\1/p' "$SCRATCH/mk1.conf")
	like "$BASE" '^/var/cache/gaol/base/bookworm-[0-9a-f]{8}$' \
	    "the base is cached by suite and package set"
	ok "the base is a Debian root" test -f "$BASE/etc/debian_version"
	ok "the base has no policy-rc.d" test ! -e "$BASE/usr/sbin/policy-rc.d"
	is "$(ls -A "$SCRATCH/mk1")" "" "the path is an empty mount point"
	is "$(cat "$SCRATCH/mk1.layer/upper/etc/hostname")" gt-mk1 \
	    "etc/hostname in the layer: the name, '_' made '-'"
	is "$(tail -n 1 "$SCRATCH/mk1.layer/upper/etc/hosts")" \
	    "$(printf '127.0.1.1\tgt-mk1')" "etc/hosts names the jail on 127.0.1.1"
	if grep -Eq '^[[:space:]]*nameserver[[:space:]]+(127\.|::1)' /etc/resolv.conf; then
		ok "resolv.conf: no loopback resolver" not_grep_loopback \
		    "$SCRATCH/mk1.layer/upper/etc/resolv.conf"
	else
		ok "resolv.conf: the host's" cmp /etc/resolv.conf \
		    "$SCRATCH/mk1.layer/upper/etc/resolv.conf"
	fi
}

not_grep_loopback() {
	! grep -Eq '^[[:space:]]*nameserver[[:space:]]+(127\.|::1)' "$1"
}

test_thin_jail() {
	local digest init ns
	first_thin_jail
	digest=$(base_digest "$BASE")
	check -o 'inline:gt_mk1: created\n' -m "jail -f the printed block -c" \
	    -- "$JAIL" -f "$SCRATCH/mk1.conf" -c gt_mk1 jid=$((JID0 + 0))
	track_jail gt_mk1
	check -o 'match:^12\.' -m "jexec: Debian 12" \
	    -- "$JEXEC" gt_mk1 cat /etc/debian_version
	check -o 'inline:gt-mk1\n' -m "jexec: the jail's hostname" \
	    -- "$JEXEC" gt_mk1 hostname
	check -m "writes inside the jail" -- "$JEXEC" gt_mk1 sh -c \
	    'echo hi >/root/written && rm /etc/issue.net && echo x >>/etc/motd'
	is "$(cat "$SCRATCH/mk1.layer/upper/root/written" 2>&1)" hi \
	    "a new file lands in the upper layer"
	ok "a deleted file is a whiteout in the layer" \
	    test -c "$SCRATCH/mk1.layer/upper/etc/issue.net"
	ok "the base keeps it" test -f "$BASE/etc/issue.net"
	ok "the base has none of the new files" test ! -e "$BASE/root/written"
	is "$(base_digest "$BASE")" "$digest" "the base is unchanged"
	ok "exec.consolelog is in the jail's own root" \
	    test -s "$SCRATCH/mk1.layer/upper/var/log/console.log"
	ok "exec.start booted it: rc S and rc 2 ran" grep -q \
	    'concurrent boot in runlevel 2' \
	    "$SCRATCH/mk1.layer/upper/var/log/console.log"
	is "$(ls -A "$SCRATCH/mk1")" "" "the host's path stays empty"
	is "$(grep -F "$SCRATCH" /proc/self/mountinfo)" "" \
	    "nothing is mounted in the host's namespace"
	sed -e "s|$SCRATCH/mk1 overlay|$SCRATCH/mk1b overlay|" \
	    -e "s|path = \"$SCRATCH/mk1\"|path = \"$SCRATCH/mk1b\"|" \
	    -e 's/^gt_mk1 {/gt_mk1b {/' "$SCRATCH/mk1.conf" >"$SCRATCH/mk1b.conf"
	mkdir "$SCRATCH/mk1b"
	check -s 1 -e "inline:jail: overlay: upperdir=$SCRATCH/mk1.layer/upper is the layer of jail \"gt_mk1\"\n" \
	    -m "a second jail on a running jail's layer is refused" \
	    -- "$JAIL" -f "$SCRATCH/mk1b.conf" -c gt_mk1b jid=$((JID0 + 4))
	rmdir "$SCRATCH/mk1b"
	check -s 1 -e "inline:mkjail: $SCRATCH/mk1: jail \"gt_mk1\" runs on it; jail -r it first\n" \
	    -m "mkjail -r refuses a running jail" \
	    -- "$MKJAIL" -r gt_mk1 "$SCRATCH/mk1"
}

# A second thin jail, appended to a jail.conf, beside the first.
test_second_jail() {
	local kb
	check -e 'match:using the cached base' -m "mkjail -t -f: the cached base" \
	    -- "$MKJAIL" -t -H web.example.org -a 192.0.2.42 \
	    -f "$SCRATCH/jail.conf" gt_mk2 "$SCRATCH/mk2"
	like "$CHECK_STDERR" "mkjail: jail gt_mk2 added to $SCRATCH/jail.conf" \
	    "-f: the block appended"
	check -s 1 -e "inline:mkjail: $SCRATCH/jail.conf: jail \"gt_mk2\" is already defined there\n" \
	    -m "-f: a name defined twice is refused" \
	    -- "$MKJAIL" -t -f "$SCRATCH/jail.conf" gt_mk2 "$SCRATCH/mk3"
	ok "... before anything is made" test ! -e "$SCRATCH/mk3.layer"
	kb=$(du -sk "$SCRATCH/mk2.layer" | cut -f1)
	ok "the second jail's layer is under 20 MB (${kb} KB)" \
	    test "$kb" -lt 20480
	check -o 'inline:gt_mk2: created\n' -m "jail -f jail.conf -c gt_mk2" \
	    -- "$JAIL" -f "$SCRATCH/jail.conf" -c gt_mk2 jid=$((JID0 + 1))
	track_jail gt_mk2
	is "$("$JLS" -j gt_mk1 jid) $("$JLS" -j gt_mk2 jid)" "$JID0 $((JID0 + 1))" \
	    "both jails run at once"
	check -o 'inline:web.example.org\n' -- "$JEXEC" gt_mk2 hostname
	check -o "inline:192.0.2.42\tweb.example.org web\n" \
	    -m "etc/hosts: the hostname on its address" \
	    -- "$JEXEC" gt_mk2 tail -n 1 /etc/hosts
	ok "the first jail's files are its own" \
	    "$JEXEC" gt_mk2 test ! -e /root/written
}

# jail -r: no mount in any namespace, the namespace gone, no state.
test_remove() {
	local init ns n
	for n in gt_mk1 gt_mk2; do
		init=$(jail_init_pid $n)
		ns=$(readlink "/proc/$init/ns/mnt")
		check -m "jail -r $n" -- "$JAIL" -r $n
		ok "$n: its mount namespace is gone" wait_until 5 test -z "$(ns_users "$ns")"
		not_ok "$n: no state entry" "$JLS" -j $n
	done
	is "$(mounts_anywhere)" "" "no mount of the scratch directory anywhere"
	is "$(state_snapshot)" "" "no jail left"
	check -o 'inline:gt_mk1: created\n' -m "the layer starts again" \
	    -- "$JAIL" -f "$SCRATCH/mk1.conf" -c gt_mk1 jid=$((JID0 + 2))
	check -o 'inline:hi\n' -m "... with what was written" \
	    -- "$JEXEC" gt_mk1 cat /root/written
	check -o ignore -e ignore -- "$JAIL" -r gt_mk1
	check -m "mkjail -r removes a thin jail" \
	    -- "$MKJAIL" -r gt_mk1 "$SCRATCH/mk1"
	ok "... its layer and mount point" \
	    test ! -e "$SCRATCH/mk1" -a ! -e "$SCRATCH/mk1.layer"
}

# A thick root: debootstrap beside the path, renamed into place.
test_thick() {
	CHECK_TIMEOUT=$DEBOOTSTRAP_TIMEOUT check -o 'match:^gt_mkthick \{$' \
	    -e ignore -m "mkjail gt_mkthick (thick)" \
	    -- "$MKJAIL" gt_mkthick "$SCRATCH/thick"
	printf '%s\n' "$CHECK_STDOUT" >"$SCRATCH/thick.conf"
	is "$(cat "$SCRATCH/thick/etc/hostname" 2>&1)" gt-mkthick "etc/hostname"
	ok "no policy-rc.d" test ! -e "$SCRATCH/thick/usr/sbin/policy-rc.d"
	is "$(ls -A "$SCRATCH" | grep '^\.')" "" "no temporary left"
	check -o 'inline:gt_mkthick: created\n' -- "$JAIL" -f "$SCRATCH/thick.conf" \
	    -c gt_mkthick jid=$((JID0 + 3))
	track_jail gt_mkthick
	check -o 'inline:gt-mkthick\n' -- "$JEXEC" gt_mkthick hostname
	check -o ignore -e ignore -- "$JAIL" -r gt_mkthick
}

# ^C in the middle of debootstrap: stopped, its mounts and tree removed.
test_interrupt() {
	local pid st=0
	[ -d "$SCRATCH" ] || bail_out "$SCRATCH vanished: removed by someone else"
	"$MKJAIL" gt_mkint "$SCRATCH/int" >/dev/null 2>"$SCRATCH/int.err" &
	pid=$!
	track_pid $pid
	wait_until 120 grep -q 'I: Configuring packages' "$SCRATCH/int.err"
	kill -INT $pid
	wait $pid || st=$?
	is "$st" 1 "interrupted: exit status 1"
	is "$(tail -n 1 "$SCRATCH/int.err")" "mkjail: interrupted" \
	    "interrupted: the message"
	is "$(ls -A "$SCRATCH" | grep -E '^(int|\.int)')" "int.err" \
	    "interrupted: nothing left"
	is "$(mounts_anywhere)" "" "interrupted: no mount left"
}

test_usage
test_unknown_suite
test_thin_jail
test_second_jail
test_remove
test_thick
test_interrupt
done_testing
