#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# sysvipc.sh: System V IPC as FreeBSD's sysvmsg, sysvsem and sysvshm.
# "new": a private IPC namespace, so a segment made in one jail is seen
# neither in another nor on the host; "disable" (the default): shmget,
# msgget and semget fail inside (ENOSYS, from the seccomp filter);
# "inherit": the host's IPC namespace, so the host sees a segment the
# jail makes, and jexec still enters the jail; "new" beside "inherit" is
# refused, since Linux has one IPC namespace for all three.
#
# The host's IPC objects are never touched: the one segment in the
# host's namespace is made by the inherit jail, found by its creator's
# pid and size, and removed at the end (also by an exit hook).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup
require_cmd ipcmk ipcs ipcrm

N=gt_sysvipc_$$
SIZE=$((65536 + $$ % 65536))	# segment sizes to recognise ours by
ISIZE=$((SIZE + 1))		# the inherit jail's
INHERIT_ID=			# the segment made in the host's namespace

# copy_bin BIN: the host's BIN and the libraries it loads, into $R
# (busybox has no ipcmk, ipcs or ipcrm).
copy_bin() {
	local f
	for f in "$1" $(ldd "$1" | grep -o '/[^ ]*'); do
		mkdir -p "$R$(dirname "$f")" && cp -L "$f" "$R$f" || return 1
	done
}
for b in ipcmk ipcs ipcrm; do
	copy_bin "$(command -v $b)" || bail_out "cannot copy $b into $R"
done

# A persistent jail $N-$1 with procfs and the parameters that follow.
start() { start_jail "$N-$1" "${@:2}"; }

# Shared memory ids of size $1 in the namespace /proc/sysvipc/shm shows
# (the host's, or with jexec the jail $2's).
our_ids() {
	${2:+"$JEXEC" "$2"} awk -v s="$1" 'NR > 1 && $4 == s { print $2 }' \
	    /proc/sysvipc/shm
}

# The shmid ipcmk printed ("Shared memory id: N").
made_id() { printf '%s\n' "$CHECK_STDOUT" | sed -n 's/^Shared memory id: //p'; }

# Exit hook: remove the inherit jail's segment from the host's namespace
# if the test did not get to it -- only ours: its id and our size.
remove_inherit_segment() {
	[ -n "$INHERIT_ID" ] || return 0
	our_ids $ISIZE | grep -qx "$INHERIT_ID" && ipcrm -m "$INHERIT_ID"
	INHERIT_ID=
}
tap_atexit remove_inherit_segment

test_new() {
	local id
	start a sysvshm=new
	start b sysvshm=new
	check -o 'match:^Shared memory id: [0-9]+$' -m "ipcmk -M in a new jail" \
	    -- "$JEXEC" $N-a /usr/bin/ipcmk -M $SIZE
	id=$(made_id)
	is "$(our_ids $SIZE $N-a)" "$id" "the jail sees its own segment"
	check -o "match:[[:space:]]$SIZE[[:space:]]" -m "ipcs -m lists it" \
	    -- "$JEXEC" $N-a /usr/bin/ipcs -m
	is "$(our_ids $SIZE $N-b)" "" "another new jail does not see it"
	is "$(our_ids $SIZE)" "" "the host does not see it"
	isnt_ipcns $N-a "a new jail has its own IPC namespace"
	check -o "inline:sysvmsg=disable sysvsem=disable sysvshm=new\n" \
	    -m "jls -n shows sysvshm=new" \
	    -- "$JLS" -j $N-a -n sysvmsg sysvsem sysvshm
}

# With "disable" (the default) the three kinds of object cannot be made.
test_disable() {
	start off
	check -o "inline:sysvmsg=disable sysvsem=disable sysvshm=disable\n" \
	    -m "jls -n: disable by default" \
	    -- "$JLS" -j $N-off -n sysvmsg sysvsem sysvshm
	check -s 1 -e 'match:Function not implemented' \
	    -m "sysvshm=disable: shmget fails (ENOSYS)" \
	    -- "$JEXEC" $N-off /usr/bin/ipcmk -M $SIZE
	check -s 1 -e 'match:Function not implemented' \
	    -m "sysvmsg=disable: msgget fails (ENOSYS)" \
	    -- "$JEXEC" $N-off /usr/bin/ipcmk -Q
	check -s 1 -e 'match:Function not implemented' \
	    -m "sysvsem=disable: semget fails (ENOSYS)" \
	    -- "$JEXEC" $N-off /usr/bin/ipcmk -S 1
	isnt_ipcns $N-off "a disabled jail still has its own IPC namespace"
}

# allow.sysvipc: each of the three not given is "new" (jls -n shows it).
test_allow_sysvipc() {
	start legacy allow.sysvipc sysvsem=disable
	check -o "inline:sysvmsg=new sysvsem=disable sysvshm=new\n" \
	    -m "allow.sysvipc: the ones not given are new" \
	    -- "$JLS" -j $N-legacy -n sysvmsg sysvsem sysvshm
	check -o 'match:^Message queue id: [0-9]+$' \
	    -m "allow.sysvipc: msgget works" \
	    -- "$JEXEC" $N-legacy /usr/bin/ipcmk -Q
}

test_inherit() {
	start shared sysvshm=inherit
	check -m "jexec enters an inherit jail" -- "$JEXEC" $N-shared true
	is "$("$JEXEC" $N-shared readlink /proc/self/ns/ipc)" \
	    "$(readlink /proc/self/ns/ipc)" "inherit: the host's IPC namespace"
	check -o 'match:^Shared memory id: [0-9]+$' \
	    -m "ipcmk -M in an inherit jail" \
	    -- "$JEXEC" $N-shared /usr/bin/ipcmk -M $ISIZE
	INHERIT_ID=$(made_id)
	is "$(our_ids $ISIZE)" "$INHERIT_ID" "the host sees the jail's segment"
	is "$(our_ids $ISIZE $N-shared)" "$INHERIT_ID" "so does the jail"
	is "$(our_ids $ISIZE $N-a)" "" "a new jail does not"
	check -m "ipcrm -m in the inherit jail" \
	    -- "$JEXEC" $N-shared /usr/bin/ipcrm -m "$INHERIT_ID"
	is "$(our_ids $ISIZE)" "" "the segment is gone from the host"
	INHERIT_ID=
}

# isnt_ipcns JAIL DESC: a jexec'd process is not in the host's IPC ns.
isnt_ipcns() {
	local ns
	ns=$("$JEXEC" "$1" readlink /proc/self/ns/ipc)
	if [ -n "$ns" ] && [ "$ns" != "$(readlink /proc/self/ns/ipc)" ]; then
		pass "$2"
	else
		fail "$2 (got '$ns')"
	fi
}

test_refused() {
	track_jail $N-mixed
	check -s 1 -e "inline:jail: sysvmsg=inherit with sysvshm=new: not supported: Linux has one IPC namespace for all three\n" \
	    -m "sysvshm=new with sysvmsg=inherit is refused" \
	    -- "$JAIL" -c name=$N-mixed path="$R" persist sysvshm=new \
	    sysvmsg=inherit
	check -s 1 -e "inline:jail: sysvmsg=new with sysvsem=inherit: not supported: Linux has one IPC namespace for all three\n" \
	    -m "allow.sysvipc with sysvsem=inherit is refused" \
	    -- "$JAIL" -c name=$N-mixed path="$R" persist allow.sysvipc \
	    sysvsem=inherit
	check -s 1 -e "inline:jls: jail \"$N-mixed\" not found\n" \
	    -m "no refused jail was left behind" -- "$JLS" -j $N-mixed jid
	check -s 1 -e "inline:jail: sysvshm cannot be changed after creation\n" \
	    -m "jail -m cannot change sysvshm" \
	    -- "$JAIL" -m name=$N-a sysvshm=inherit
}

test_new
test_disable
test_allow_sysvipc
test_inherit
test_refused
for t in a b off legacy shared; do
	check -- "$JAIL" -r $N-$t
done
done_testing
