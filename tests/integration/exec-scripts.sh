#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# exec-scripts.sh: the exec.* parameters: their order at creation and
# removal (prestart, created, start, poststart; prestop, stop, poststop),
# where they run (start and stop inside the jail, the others on the host),
# FreeBSD's rule for commands (shell metacharacters: /bin/sh -c; else split
# on whitespace and exec'd), exec.timeout, a failing exec.prestart,
# exec.consolelog, exec.jail_user, exec.clean, stop.timeout against a
# process that ignores SIGTERM, and jail -R, which runs no stop scripts.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/probe.sh"
test_setup

N=gt_exec_$$
SLOW=$((1000 + $$ % 1000))	# a sleep's length, unique enough to find it
LOG=$SCRATCH/host.log
# exec.start writes here; were it run on the host, it would land in the
# host's /, so the path is unique and removed at exit.
JLOG=/gt-exec-startlog.$$
cleanup_host_jlog() {
	[ -e "$JLOG" ] || return 0
	fail "exec.start or exec.stop ran on the host"
	rm -f "$JLOG"
}
tap_atexit cleanup_host_jlog
track_jail $N

# Nothing of this test's jail is left: jls does not know it (dying or
# not), and no state entry names its root.  Other tests' jails may come
# and go meanwhile, so this looks at ours only.
our_leftovers() {
	"$JLS" -d -j $N jid 2>/dev/null
	"$JLS" -d jid path 2>/dev/null | grep -F " $R"
	grep -lF "$R" "$JAIL_RUNDIR"/*/state 2>/dev/null
}
nothing_left() {
	is "$(our_leftovers)" "" "$1: no jail and no state left"
	# Keep one failure from spilling into the next test.
	"$JLS" -j $N jid >/dev/null 2>&1 && "$JAIL" -q -R $N >/dev/null 2>&1
	rm -f "$LOG" "$R$JLOG"
	return 0
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

test_order() {
	check -o "inline:$N: created\n" -m "jail -c with every exec.* script" \
	    -- "$JAIL" -c name=$N path="$R" host.hostname=gt-exec \
	    exec.prestart="echo prestart >>$LOG" \
	    exec.created="echo created >>$LOG" \
	    exec.start="/bin/sh -c 'echo start >>$JLOG; hostname >>/startinfo; id -u >>/startinfo'" \
	    exec.poststart="echo poststart >>$LOG" \
	    exec.prestop="echo prestop >>$LOG" \
	    exec.stop="echo stop >>$JLOG" \
	    exec.poststop="echo poststop >>$LOG" persist
	check -o 'inline:prestart\ncreated\npoststart\n' -m "host scripts ran in order" \
	    -- cat "$LOG"
	check -o 'inline:start\n' -m "exec.start ran in the jail's root" \
	    -- cat "$R$JLOG"
	check -o 'inline:gt-exec\n0\n' \
	    -m "exec.start saw the jail's hostname, as root" -- cat "$R/startinfo"
	check -o empty -m "jail -r runs the stop scripts" \
	    -- "$JAIL" -r $N
	check -o 'inline:prestart\ncreated\npoststart\nprestop\npoststop\n' \
	    -m "host scripts ran in order at removal too" -- cat "$LOG"
	check -o 'inline:start\nstop\n' -m "exec.stop ran in the jail" \
	    -- cat "$R$JLOG"
	nothing_left "jail -r"
	rm -f "$LOG" "$R$JLOG" "$R/startinfo"
}

# FreeBSD runs a command with shell metacharacters under /bin/sh -c and
# splits any other on whitespace: "#" is no metacharacter, so it reaches
# echo instead of starting a comment.
test_command_rule() {
	check -o "inline:$N: created\n" -m "exec.start without metacharacters" \
	    -- "$JAIL" -c name=$N path="$R" persist exec.consolelog="$LOG" \
	    exec.start="/bin/echo a   #b"
	check -o 'inline:a #b\n' -m "it was split on whitespace and exec'd" \
	    -- cat "$LOG"
	check -o empty -- "$JAIL" -r $N
	rm -f "$LOG"
	check -o "inline:$N: created\n" -m "exec.start with metacharacters" \
	    -- "$JAIL" -c name=$N path="$R" persist exec.consolelog="$LOG" \
	    exec.start='echo x;echo $((6*7)) | tr 4 y'
	check -o 'inline:x\ny2\n' -m "it ran under /bin/sh -c" -- cat "$LOG"
	check -o empty -- "$JAIL" -r $N
	rm -f "$LOG"
}

test_timeout() {
	local t0 t1
	t0=$(now_ms)
	check -s 1 -o "inline:$N: created\n" \
	    -e "inline:jail: $N: sleep $SLOW: timed out\n" \
	    -m "exec.timeout=1 with exec.start=\"sleep $SLOW\" fails" \
	    -- "$JAIL" -c name=$N path="$R" persist exec.timeout=1 \
	    exec.start="sleep $SLOW"
	t1=$(now_ms)
	ok "it fails within 5 s ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 5000
	is "$(find_cmdline sleep $SLOW)" "" "the timed-out command is gone"
	nothing_left "exec.timeout"
}

test_prestart_fails() {
	check -s 1 -e "inline:jail: $N: false: failed\n" \
	    -m "a failing exec.prestart aborts creation" \
	    -- "$JAIL" -c name=$N path="$R" persist exec.prestart=false \
	    exec.poststop="echo poststop >>$LOG"
	ok "exec.poststop does not run for a prestart that failed" \
	    test ! -e "$LOG"
	nothing_left "exec.prestart=false"
	check -s 1 -o "inline:$N: created\n" \
	    -e "inline:jail: $N: /bin/false: failed\n" \
	    -m "a failing exec.start aborts creation" \
	    -- "$JAIL" -c name=$N path="$R" persist exec.start=/bin/false
	nothing_left "exec.start=/bin/false"
}

test_consolelog() {
	check -o "inline:$N: created\n" -m "exec.consolelog: creation prints nothing else" \
	    -- "$JAIL" -c name=$N path="$R" persist exec.consolelog="$LOG" \
	    exec.start="echo out; echo err >&2"
	check -o 'inline:out\nerr\n' -m "exec.consolelog has exec.start's stdout and stderr" \
	    -- cat "$LOG"
	check -o empty -- "$JAIL" -r $N
	rm -f "$LOG"
}

test_jail_user() {
	check -o "inline:$N: created\n" -m "exec.jail_user=user" \
	    -- "$JAIL" -c name=$N path="$R" persist exec.jail_user=user \
	    exec.start="id -u >/tmp/uid; id -g >>/tmp/uid"
	check -o 'inline:1000\n1000\n' -m "exec.start ran as the jail's user" \
	    -- cat "$R/tmp/uid"
	check -o empty -- "$JAIL" -r $N
	rm -f "$R/tmp/uid"
}

# exec.clean: only the login environment (HOME, SHELL, TERM, USER, PATH;
# TERM taken from the caller), nothing else of the caller's.
test_clean() {
	check -o "inline:$N: created\n" -m "exec.clean" \
	    -- env -i PATH="$PATH" TERM=gt-term GT_LEAK=leak \
	    "$JAIL" -c name=$N path="$R" persist exec.clean \
	    exec.consolelog="$LOG" exec.start=/usr/bin/env
	check -o 'inline:HOME=/root\nLOGNAME=root\nSHELL=/bin/sh\nTERM=gt-term\nUSER=root\n' \
	    -m "exec.clean: HOME LOGNAME SHELL TERM USER of the login" \
	    -- sh -c "grep -E '^(HOME|LOGNAME|SHELL|TERM|USER)=' '$LOG' | sort"
	check -o 'inline:HOME\nLOGNAME\nPATH\nSHELL\nTERM\nUSER\n' \
	    -m "exec.clean: no other variable" \
	    -- sh -c "sed 's/=.*//' '$LOG' | sort"
	check -o empty -- "$JAIL" -r $N
	rm -f "$LOG"
}

# stop.timeout: a process that ignores SIGTERM is killed after it.
test_stop_timeout() {
	local t0 t1 jpid
	check -o "inline:$N: created\n" -m "a jail with stop.timeout=1" \
	    -- "$JAIL" -c name=$N path="$R" persist stop.timeout=1
	spawn "$JEXEC" $N sh -c "trap '' TERM; sleep $SLOW"
	jpid=$SPAWNED
	wait_until 30 has_cmdline sleep $SLOW || { fail "jexec'd sleep started"; return; }
	t0=$(now_ms)
	check -o empty -m "jail -r with a process ignoring SIGTERM" \
	    -- "$JAIL" -r $N
	t1=$(now_ms)
	ok "jail -r returns within 5 s ($((t1 - t0)) ms)" test $((t1 - t0)) -lt 5000
	ok "jail -r waits for stop.timeout ($((t1 - t0)) ms)" test $((t1 - t0)) -ge 700
	is "$(find_cmdline sleep $SLOW)" "" "the process is killed"
	wait_until 5 eval "! alive $jpid" || fail "jexec returns"
	nothing_left "stop.timeout"
}

# jail -R: removal without exec.prestop, exec.stop or exec.poststop.
test_hard_remove() {
	check -o "inline:$N: created\n" -m "a jail with stop scripts" \
	    -- "$JAIL" -c name=$N path="$R" persist \
	    exec.prestop="echo prestop >>$LOG" exec.stop="echo stop >>$JLOG" \
	    exec.poststop="echo poststop >>$LOG"
	check -o empty -m "jail -R" -- "$JAIL" -R $N
	ok "jail -R ran no host stop script" test ! -e "$LOG"
	ok "jail -R ran no exec.stop" test ! -e "$R$JLOG"
	nothing_left "jail -R"
}

test_order
test_command_rule
test_timeout
test_prestart_fails
test_consolelog
test_jail_user
test_clean
test_stop_timeout
test_hard_remove
done_testing
