#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# attack-tty.sh: what a jailed root could do with the descriptors jail(8)
# and jexec(8) hand to the commands they start, and with exec.consolelog,
# which jail(8) opens on the host.
#
# After jail -c returns, no process of the jail holds the caller's
# terminal, stdout or stderr: a background process started by exec.start
# or command= must not keep `out=$(jail -c ...)` waiting, write to the
# admin's terminal or read the admin's keystrokes.  exec.* read nothing of
# jail(8)'s standard input.  jexec passes the caller's descriptors 0-2 and
# no other.  exec.consolelog made a FIFO, a symbolic link to a host file,
# or reached through a directory the jail replaced by a link, is refused
# at once, and no host file is written.
#
# No host file, directory or device reaches a jail as a descriptor:
# jailed root would reopen it through /proc/self/fd/N for writing, or
# fchdir out of its root.  A host scratch file or directory (outside the
# root) or a block device as jexec's stdin arrives as a pipe; the
# exec.consolelog file is written by the jail's spawner, never held by a
# process of the jail, and still gets what a background process of
# exec.start writes after jail -c returned.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/probe.sh"
test_setup
require_cmd script
probe_install "$R"

N=gt_atty_$$
SHORT=$((20 + $$ % 10))	# a background sleep, unique enough to find
track_jail $N
mkdir -p "$R/var/log"
# sh gives a background job /dev/null as stdin: without mount.devfs, a
# file stands in for it
: >"$R/dev/null"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# The processes of jail $1, as host pids.
jail_pids() {
	local init
	init=$(jail_init_pid "$1") || return 0
	pids_in_ns_of "$init"
}

# holders JAIL DEV:INO: "pid/fd" of each descriptor of a process of the
# jail that is the file DEV:INO (stat -L's %d:%i).
holders() {
	local p f
	for p in $(jail_pids "$1"); do
		for f in /proc/$p/fd/*; do
			[ "$(stat -L -c '%d:%i' "$f" 2>/dev/null)" = "$2" ] &&
			    echo "$p/${f##*/}"
		done
	done
}

remove_jail() { "$JAIL" -q -r "$1" >/dev/null 2>&1; return 0; }

# The reproduction: a background process of exec.start kept the command
# substitution waiting for its stdout.
test_substitution() {
	local t0 t1 out
	t0=$(now_ms)
	out=$("$JAIL" -c name=$N path="$R" persist mount.devfs \
	    exec.start="sh -c 'echo started; sleep $SHORT &'")
	t1=$(now_ms)
	is "$out" "$N: created
started" "out=\$(jail -c ... exec.start='sh -c \"... sleep &\"') has the output"
	ok "and returns at once ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 5000
	ok "the background sleep still runs in the jail" \
	    wait_until 5 find_cmdline sleep $SHORT
	remove_jail $N
}

# A background process that writes on after the command ended neither
# blocks nor dies of SIGPIPE: the jail's spawner drops what it writes.
test_writer_lives() {
	local t0 t1 o=$SCRATCH/writer.out
	t0=$(now_ms)
	# into a file: a $(...) would wait for the writer for good
	"$JAIL" -c name=$N path="$R" persist mount.devfs mount.procfs \
	    exec.start="sh -c 'echo begun; while :; do echo tick$SHORT; sleep 0.1; done &'" >"$o"
	t1=$(now_ms)
	sleep 2
	is "$(head -n 2 "$o")" "$N: created
begun" "a background writer: jail -c printed what came before it ended"
	ok "and no more once it returned" test "$(wc -l <"$o")" -le 4
	ok "and returned at once ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 5000
	sleep 2
	ok "the writer still runs after jail -c returned" \
	    "$JEXEC" $N sh -c "ps | grep -v grep | grep -q 'tick$SHORT'"
	remove_jail $N
}

# stdout and stderr of exec.start and command= stay apart.
test_streams() {
	check -o 'inline:o1\no2\n' -e 'inline:e1\ne2\n' \
	    -m "exec.start's and command='s stdout and stderr stay apart" \
	    -- "$JAIL" -c path="$R" exec.start="sh -c 'echo o1; echo e1 >&2'" \
	    command=/bin/sh -c 'echo o2; echo e2 >&2'
	check -s 3 -o 'inline:o\n' -m "2>/dev/null still silences stderr" \
	    -- sh -c "'$JAIL' -c path='$R' command=/bin/sh -c 'echo o; echo e >&2; exit 3' 2>/dev/null"
}

# Files as stdout and stderr: no process of the jail keeps them.
test_files() {
	local o=$SCRATCH/out e=$SCRATCH/err
	"$JAIL" -c name=$N path="$R" persist mount.procfs mount.devfs \
	    exec.start="sh -c 'sleep $SHORT &'" >"$o" 2>"$e"
	is "$(holders $N "$(stat -c '%d:%i' "$o")")" "" \
	    "no process of the jail holds jail(8)'s stdout"
	is "$(holders $N "$(stat -c '%d:%i' "$e")")" "" \
	    "no process of the jail holds jail(8)'s stderr"
	remove_jail $N
}

# On a terminal (script(1)'s): the id of the terminal goes to $SCRATCH/tty
# before CMD runs on it.
on_tty() {
	local q
	q=$(printf '%q ' "$@")
	timeout -k 5 40 script -qec "stat -L -c %d:%i /proc/self/fd/0 >'$SCRATCH/tty'; $q" \
	    /dev/null </dev/null >"$SCRATCH/tty.out" 2>&1
}

test_terminal() {
	on_tty "$JAIL" -c name=$N path="$R" persist mount.procfs mount.devfs \
	    exec.start="sh -c 'sleep $SHORT &'"
	is "$(holders $N "$(cat "$SCRATCH/tty")")" "" \
	    "exec.start on a terminal: no process of the jail holds it"
	remove_jail $N
	# no mount.devfs: no pty of the jail's to give
	on_tty "$JAIL" -c name=$N path="$R" persist mount.procfs \
	    command=/bin/sh -c "sleep $SHORT &"
	is "$(holders $N "$(cat "$SCRATCH/tty")")" "" \
	    "command= on a terminal, no pty in the jail: no process holds it"
	on_tty "$JEXEC" $N sh -c "sleep $SHORT &"
	is "$(holders $N "$(cat "$SCRATCH/tty")")" "" \
	    "jexec on a terminal, no pty in the jail: no process holds it"
	remove_jail $N
}

# Standard input: exec.* read none of it; command= reads it while it
# runs, and a background process of its gets nothing later.
test_stdin() {
	rm -f "$R/tmp/got" "$R/tmp/bg"
	echo secret | "$JAIL" -q -c name=$N path="$R" persist \
	    exec.start="sh -c 'cat >/tmp/got'"
	check -o empty -m "exec.start read nothing of jail(8)'s stdin" \
	    -- cat "$R/tmp/got"
	remove_jail $N
	check -i 'hello\n' -o 'inline:hello\n' -m "command= reads jail(8)'s stdin" \
	    -- "$JAIL" -c path="$R" command=/bin/cat
	{ echo first; sleep 3; echo second; } 2>/dev/null |
	    "$JAIL" -q -c name=$N path="$R" persist \
	    command=/bin/sh -c 'exec 3<&0; cat <&3 >/tmp/bg &'
	sleep 4
	not_ok "a background process of command= reads no later input" \
	    grep -q second "$R/tmp/bg"
	remove_jail $N
	rm -f "$R/tmp/got" "$R/tmp/bg"
}

# jexec: fds 0-2 only.
test_jexec_fds() {
	"$JAIL" -q -c name=$N path="$R" persist mount.procfs
	check -o 'inline:0 1 2 \n' -m "jexec passes descriptors 0-2 and no fd 5" \
	    -- sh -c "exec 5<'$SCRATCH/out'; '$JEXEC' $N sh -c 'for f in 0 1 2 3 4 5 6 7 8 9; do [ -e /proc/\$\$/fd/\$f ] && printf \"%s \" \$f; done; echo'"
	remove_jail $N
}

# jexec's fds 0-2 as host objects: a file, a directory, a device.
test_jexec_hostobjects() {
	local victim=$SCRATCH/victim-file dir=$SCRATCH/hostdir
	printf 'intact\n' >"$victim"
	chmod 644 "$victim"
	mkdir -p "$dir"
	"$JAIL" -q -c name=$N path="$R" persist mount.procfs mount.devfs
	probe_argv $N stdio-host
	check -o 'inline:stdio-host: ok 0:pipe 1:pipe 2:pipe\n' \
	    -m "attack: a host file as jexec's stdin, files as its stdout and stderr: the jail gets pipes" \
	    -- sh -c '"$@" <"$0"' "$victim" "${PROBE_ARGV[@]}"
	"$JEXEC" $N sh -c 'echo pwned >/proc/self/fd/0; chmod 600 /proc/self/fd/0' \
	    <"$victim" >/dev/null 2>&1
	is "$(cat "$victim"):$(stat -c %a "$victim")" "intact:644" \
	    "attack: the host file, written and chmod'ed through /proc/self/fd/0, is unchanged"
	check -o 'inline:stdio-host: ok 0:null 1:pipe 2:pipe\n' \
	    -m "/dev/null as jexec's stdin: the jail's own /dev/null" \
	    -- sh -c '"$@" </dev/null' sh "${PROBE_ARGV[@]}"
	if [ -b /dev/loop0 ]; then
		check -o 'inline:stdio-host: ok 0:pipe 1:pipe 2:pipe\n' \
		    -m "attack: a block device (/dev/loop0) as jexec's stdin: a pipe" \
		    -- sh -c '"$@" </dev/loop0' sh "${PROBE_ARGV[@]}"
	else
		skip "a block device as jexec's stdin" "no /dev/loop0 here"
	fi
	probe_argv $N stdin-dir
	check -o 'inline:stdin-dir: ok\n' \
	    -m "attack: a host directory as jexec's stdin: fchdir(0) and openat(0, \"..\") lead nowhere" \
	    -- sh -c '"$@" <"$0"' "$dir" "${PROBE_ARGV[@]}"
	is "$(ls -A "$dir")" "" "nothing was made in the host directory"
	remove_jail $N
}

# exec.consolelog outside the root: written from outside the jail.
test_consolelog_outside() {
	local log=$SCRATCH/console.log init
	"$JAIL" -c name=$N path="$R" persist mount.procfs mount.devfs \
	    exec.consolelog="$log" \
	    exec.start="sh -c '/usr/bin/env GAOL_HOST_PIDNS=$HOST_PIDNS /probe stdio-host; echo begun; (sleep 3; echo late$SHORT) &'" \
	    >"$SCRATCH/cl.out" 2>&1
	is "$(cat "$SCRATCH/cl.out")" "$N: created" "jail -c with exec.consolelog prints only its own line"
	is "$(cat "$log")" "stdio-host: ok 0:null 1:pipe 2:pipe
begun" "attack: exec.consolelog outside the root: exec.start's stdout and stderr are pipes"
	is "$(holders $N "$(stat -c '%d:%i' "$log")")" "" \
	    "attack: no process of the jail holds the exec.consolelog file"
	ok "a background process of exec.start still writes to the log after jail -c returned" \
	    wait_until 10 grep -qx "late$SHORT" "$log"
	remove_jail $N
}

# exec.consolelog as the jail's root left it.
CL=$R/var/log/console.log
consolelog_start() {
	timeout -k 5 20 "$JAIL" -c name=$N path="$R" persist \
	    exec.consolelog="$1" exec.start="echo pwned"
}

test_consolelog_fifo() {
	"$JAIL" -q -c name=$N path="$R" persist
	"$JEXEC" $N mkfifo /var/log/console.log
	remove_jail $N
	check -s 1 -o "inline:$N: created\n" \
	    -e "inline:jail: $N: exec.consolelog: $CL: not a regular file\n" \
	    -m "a FIFO as exec.consolelog is refused at once" \
	    -- consolelog_start "$CL"
	remove_jail $N
	rm -f "$CL"
	check -s 1 -o "inline:$N: created\n" \
	    -e "inline:jail: $N: exec.consolelog: /dev/null: not a regular file\n" \
	    -m "a device as exec.consolelog is refused" \
	    -- consolelog_start /dev/null
	remove_jail $N
}

test_consolelog_links() {
	local victim=$SCRATCH/victim hostdir=$SCRATCH/hostdir
	echo intact >"$victim"
	mkdir -p "$hostdir"
	"$JAIL" -q -c name=$N path="$R" persist
	"$JEXEC" $N ln -s "$victim" /var/log/console.log
	remove_jail $N
	check -s 1 -o "inline:$N: created\n" \
	    -e "inline:jail: $N: exec.consolelog: $CL: a symbolic link in the jail\n" \
	    -m "exec.consolelog: a link to a host file is refused" \
	    -- consolelog_start "$CL"
	remove_jail $N
	rm -f "$CL"
	"$JAIL" -q -c name=$N path="$R" persist
	"$JEXEC" $N sh -c "rmdir /var/log && ln -s '$hostdir' /var/log"
	remove_jail $N
	check -s 1 -o "inline:$N: created\n" \
	    -e "inline:jail: $N: exec.consolelog: $CL: a symbolic link in the jail\n" \
	    -m "exec.consolelog: a directory replaced by a link is refused" \
	    -- consolelog_start "$CL"
	remove_jail $N
	# the same path reached through a host link to the root
	ln -s "$R" "$SCRATCH/alias"
	check -s 1 -o "inline:$N: created\n" \
	    -e "match:^jail: $N: exec.consolelog: $SCRATCH/alias/var/log/console.log: " \
	    -m "exec.consolelog: the jail's link through another path is refused" \
	    -- consolelog_start "$SCRATCH/alias/var/log/console.log"
	remove_jail $N
	is "$(cat "$victim")" intact "the host file is unchanged"
	is "$(ls -A "$hostdir")" "" "nothing was written to the host directory"
	rm -f "$R/var/log" "$SCRATCH/alias"
	mkdir -p "$R/var/log"
}

test_substitution
test_writer_lives
test_streams
test_files
test_terminal
test_stdin
test_jexec_fds
test_jexec_hostobjects
test_consolelog_outside
test_consolelog_fifo
test_consolelog_links
done_testing
