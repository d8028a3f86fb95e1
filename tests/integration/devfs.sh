#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# devfs.sh: mount.devfs gives the jail exactly the jail ruleset (4: log
# null zero full random urandom shm tty ptmx pts fd stdin stdout stderr),
# never mem or kmem; the nodes work for the jail's user; /dev/pts is a
# devpts instance of the jail's own, so its PTYs do not show on the host;
# and without mount.devfs the root's own /dev is left as it is.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/probe.sh"
test_setup
probe_install "$R"

N=gt_devfs_$$
# A ruleset of this test's own, showing null only; removed at exit.
RS=$((20000 + $$ % 20000))
"$GAOL_BUILDDIR/devfs" rule -s $RS add hide &&
    "$GAOL_BUILDDIR/devfs" rule -s $RS add path null unhide ||
    bail_out "cannot make ruleset $RS"
tap_atexit 'devfs_delset'
devfs_delset() { "$GAOL_BUILDDIR/devfs" rule -s $RS delset; }
HOLD=$((30 + $$ % 1000))	# seconds the probe keeps its PTY; unique enough
# The root's own /dev holds one file of ours: devfs must hide it, and
# neither a jail with devfs nor one without may change it.
: >"$R/dev/gt-own-file"
ROOT_DEV_BEFORE=$(ls -lA --time-style=+ "$R/dev")

# Ruleset 4 (devfsrules_jail) on Linux.
JAIL_DEV=$(printf '%s\n' fd full log null ptmx pts random shm stderr stdin \
    stdout tty urandom zero | sort)

test_ruleset() {
	check -o "inline:$(printf '%s\\n' $JAIL_DEV)" \
	    -m "/dev holds exactly the jail ruleset's nodes" \
	    -- "$JEXEC" $N sh -c 'ls -A /dev | sort'
	check -s 1 -m "no /dev/mem" -- "$JEXEC" $N test -e /dev/mem
	check -s 1 -m "no /dev/kmem" -- "$JEXEC" $N test -e /dev/kmem
	check -o 'inline:c 1 3\nc 1 5\nc 1 7\nc 1 8\nc 1 9\nc 5 0\n' \
	    -m "null zero full random urandom tty are the host's devices" \
	    -- "$JEXEC" $N sh -c 'for d in null zero full random urandom tty; do
		stat -L -c "%F %t %T" /dev/$d; done | sed "s/^character special file/c/"'
	check -o 'inline:/proc/self/fd\n/proc/self/fd/0\n/proc/self/fd/1\n/proc/self/fd/2\n' \
	    -m "fd stdin stdout stderr link to /proc/self/fd" \
	    -- "$JEXEC" $N sh -c 'for l in fd stdin stdout stderr; do
		readlink /dev/$l; done'
}

test_user_access() {
	check -o 'inline:ok\n' -m "/dev/null is writable by the jail's user" \
	    -- "$JEXEC" -U user $N sh -c 'echo x >/dev/null && echo ok'
	check -o 'inline:4\n' -m "/dev/zero is readable by the jail's user" \
	    -- "$JEXEC" -U user $N sh -c 'head -c 4 /dev/zero | wc -c'
	check -o 'inline:16\n' -m "/dev/urandom is readable by the jail's user" \
	    -- "$JEXEC" -U user $N sh -c 'head -c 16 /dev/urandom | wc -c'
	check -s 1 -e ignore -m "/dev/full refuses writes" \
	    -- "$JEXEC" -U user $N sh -c 'echo x >/dev/full'
	check -o 'inline:ok\n' -m "/dev/shm is writable by the jail's user" \
	    -- "$JEXEC" -U user $N sh -c ': >/dev/shm/gt && rm /dev/shm/gt && echo ok'
	check -o 'inline:stdout\n' -m "/dev/stdout works" \
	    -- "$JEXEC" -U user $N sh -c '(echo stdout >/dev/stdout) | cat'
}

# The jail's /dev/pts: a devpts of its own (new instance, usable ptmx),
# empty but for ptmx until the jail opens a PTY, and that PTY is not in
# the host's /dev/pts.
test_devpts() {
	local host_before host_during line pty out=$SCRATCH/openpty.out
	check -o 'match:^devpts /dev/pts devpts ([^ ]*,)?ptmxmode=0?666(,[^ ]*)? 0 0$' \
	    -m "the jail's /proc/mounts shows its devpts with ptmxmode=666" \
	    -- "$JEXEC" $N grep ' /dev/pts ' /proc/mounts
	check -o 'inline:ptmx\n' -m "a fresh jail's /dev/pts holds only ptmx" \
	    -- "$JEXEC" $N ls -A /dev/pts
	host_before=$(ls -A /dev/pts)
	probe_argv $N openpty $HOLD
	"${PROBE_ARGV[@]}" </dev/null >"$out" 2>&1 &
	track_pid $!
	disown $!	# killed below: no "Killed" notice from bash
	if ! wait_until 10 grep -q '^openpty: ok ' "$out"; then
		fail "the jail opens a PTY"
		diag "$(cat "$out")"
		return
	fi
	line=$(cat "$out")
	pty=${line#openpty: ok /dev/pts/}
	pass "the jail opens a PTY ($line)"
	check -o "inline:$pty\nptmx\n" -m "the PTY shows in the jail's /dev/pts" \
	    -- "$JEXEC" $N sh -c 'ls -A /dev/pts | sort'
	host_during=$(ls -A /dev/pts)
	is "$host_during" "$host_before" "the host's /dev/pts is unchanged"
	kill -KILL $(find_cmdline /probe openpty $HOLD) 2>/dev/null
	wait_until 5 eval "! alive ${TRACKED_PIDS[-1]}"
	check -o 'inline:ptmx\n' -m "the PTY is gone when closed" \
	    -- "$JEXEC" $N ls -A /dev/pts
}

track_jail $N
check -o "inline:$N: created\n" -- "$JAIL" -c name=$N path="$R" \
    mount.procfs mount.devfs persist
test_ruleset
test_user_access
test_devpts
check -o empty -- "$JAIL" -r $N
is "$(ls -lA --time-style=+ "$R/dev")" "$ROOT_DEV_BEFORE" \
    "after jail -r the root's own /dev is as it was"

# Without mount.devfs the jail sees the root's /dev as it is.
check -o 'inline:gt-own-file\n' -m "without mount.devfs, /dev is the root's own" \
    -- "$JAIL" -q -c path="$R" command=/bin/ls -A /dev
is "$(ls -lA --time-style=+ "$R/dev")" "$ROOT_DEV_BEFORE" \
    "and it is left as it was"

# devfs_ruleset picks the ruleset; 0 (every host node) and a ruleset
# that does not exist are refused, and no jail is left behind.
check -o 'inline:null\n' -m "devfs_ruleset=N gives that ruleset's nodes" \
    -- "$JAIL" -q -c path="$R" mount.devfs devfs_ruleset=$RS command=/bin/ls -A /dev
check -s 1 -e "inline:jail: mount.devfs: devfs ruleset 0 would show the jail every device of the host; give it a ruleset (4: devfsrules_jail)\n" \
    -m "devfs_ruleset=0 is refused" \
    -- "$JAIL" -c path="$R" mount.devfs devfs_ruleset=0 command=/bin/true
check -s 1 -e "inline:jail: mount.devfs: ruleset $((RS + 1)) does not exist\n" \
    -m "a ruleset that does not exist is refused" \
    -- "$JAIL" -c path="$R" mount.devfs devfs_ruleset=$((RS + 1)) command=/bin/true
is "$(state_snapshot)" "" "no jail left by the refusals"
done_testing
