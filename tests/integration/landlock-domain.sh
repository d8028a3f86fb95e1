#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# landlock-domain.sh: every process of a jail is in the jail's one
# Landlock domain, whichever session started it (the spawner, lib/proc/spawn.c):
# a daemon one jexec (or exec.start) started is seen and stopped by
# another jexec (its /proc/PID/exe, as start-stop-daemon --exec reads
# it) and by exec.stop; an abstract unix socket bound in one session is
# reached from another; the host's abstract sockets and another jail's
# stay refused.  The spawner itself is nowhere in the jail: a jailed
# root's kill -9 -1 leaves jexec working, and a jail without persist
# still ends when its last process does; one killed from the host is
# replaced by the next jexec.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/probe.sh"
test_setup
probe_install "$R"

N=gt_ll_$$
M=gt_llb_$$
ABS=gt-ll-$$

# The pids of busybox sleep in jail $1 (none: status 1).
sleepers() { "$JEXEC" "$1" pidof sleep; }

# Whether jail $1 listens on the abstract socket @$2: its unix sockets
# are in its own network namespace, its init's.
jail_listens() { grep -q " @$2\$" "/proc/$(jail_init_pid "$1")/net/unix"; }

# -- a daemon from one session, seen and stopped from another ---------------

start_jail $N jid=450 mount.devfs
check -m "one jexec starts a daemon" \
    -- "$JEXEC" $N sh -c 'sleep 1000 >/dev/null 2>&1 &'
P=$(sleepers $N) || P=
check -o 'inline:/bin/busybox\n' \
    -m "another jexec reads the daemon's /proc/PID/exe" \
    -- "$JEXEC" $N readlink "/proc/${P:-0}/exe"
check -o 'match:^[0-9]+$' -m "another jexec signals the daemon" \
    -- "$JEXEC" $N sh -c "kill ${P:-none} && echo ${P:-none}"
if wait_until 10 sh -c "! '$JEXEC' $N pidof sleep"; then
	pass "the daemon is gone"
else
	fail "the daemon is gone"
fi

# -- abstract unix sockets: one domain per jail ------------------------------

PROBE_JAIL_ABSTRACT=$ABS
probe_argv $N abstract-listen 20
"${PROBE_ARGV[@]}" >"$SCRATCH/listen.out" 2>&1 &
LISTENER=$!
track_pid $LISTENER
if wait_until 10 jail_listens $N "$ABS"; then
	pass "one session listens on @$ABS"
else
	fail "one session listens on @$ABS"
fi
check_probe $N abstract-jail
wait "$LISTENER"
check -o 'inline:abstract-listen: ok\nabstract-listen: accepted\n' \
    -m "the listening session took the other one's connection" \
    -- cat "$SCRATCH/listen.out"

# another jail's session is another domain: refused
start_jail $M jid=451 mount.devfs
probe_argv $N abstract-listen 3
"${PROBE_ARGV[@]}" >"$SCRATCH/listen.out" 2>&1 &
LISTENER=$!
track_pid $LISTENER
wait_until 10 jail_listens $N "$ABS"
check_probe $M abstract-jail expect-refused
wait "$LISTENER"
check -o 'inline:abstract-listen: ok\n' \
    -m "no connection came from the other jail" -- cat "$SCRATCH/listen.out"
PROBE_JAIL_ABSTRACT=

if probe_listen_abstract "gt-ll-host-$$"; then
	check_probe $N abstract-host
else
	skip "the host's abstract socket is refused" "neither python3 nor socat"
fi

# -- the spawner is out of the jail's reach ----------------------------------

check -o 'inline:1\n' -m "the jail sees init and the command only" \
    -- "$JEXEC" $N sh -c 'cd /proc && for p in [0-9]*; do [ "$p" = $$ ] || echo $p; done'
check -o 'inline:done\n' -m "a jailed root's kill -9 -1 kills all it may" \
    -- "$JEXEC" $N sh -c 'sleep 100 & kill -9 -1; echo done'
check -o 'inline:ok\n' -m "jexec still works after kill -9 -1" \
    -- "$JEXEC" $N echo ok

# -- a spawner gone (killed from the host) is replaced ------------------------

# The host pid of jail $1's spawner, from its state entry.
spawner_of() {
	local jid
	jid=$(jail_jid "$1") || return 1
	sed -n '1s/.* spawner=\([0-9]*\):.*/\1/p' "$JAIL_RUNDIR/$jid/state"
}
SP=$(spawner_of $N)
ok "the state entry names the spawner (${SP:-none})" test -n "$SP"
ok "it is not in the jail's pid namespace" \
    test "$(pidns_of "${SP:-0}")" = "$HOST_PIDNS"
kill_pid KILL "$SP"
ok "the spawner is gone once killed" wait_until 10 eval '! alive "${SP:-0}"'
check -o 'inline:ok\n' -m "jexec starts a new spawner" -- "$JEXEC" $N echo ok
SP2=$(spawner_of $N)
ok "the state entry names the new one (${SP2:-none})" \
    test -n "$SP2" -a "$SP2" != "$SP"
check -o 'inline:ok\n' -m "and jexec uses it from then on" \
    -- "$JEXEC" $N echo ok
is "$(spawner_of $N)" "$SP2" "no third spawner was started"

# -- exec.start's daemon, and exec.stop stopping it --------------------------

check -o empty -- "$JAIL" -r $N
check -o empty -- "$JAIL" -r $M
rm -f "$R/tmp/stopped"
track_jail $N
# what start-stop-daemon --stop --exec does: match /proc/PID/exe
check -m "exec.start starts a daemon, exec.stop will stop it by its exe" \
    -- "$JAIL" -q -c name=$N jid=452 path="$R" mount.procfs mount.devfs \
    persist 'exec.start=sleep 1001 >/dev/null 2>&1 &' \
    'exec.stop=for p in $(pidof sleep); do [ "$(readlink /proc/$p/exe)" = /bin/busybox ] && kill $p && echo $p >>/tmp/stopped; done; true'
P=$(sleepers $N) || P=
check -o 'inline:/bin/busybox\n' \
    -m "jexec reads the /proc/PID/exe of exec.start's daemon" \
    -- "$JEXEC" $N readlink "/proc/${P:-0}/exe"
check -o empty -- "$JAIL" -r $N
check -o "inline:${P:-none}\n" -m "exec.stop stopped exec.start's daemon" \
    -- cat "$R/tmp/stopped"

# -- without persist, the jail ends with its last process --------------------

track_jail $N
check -m "a jail whose only process is exec.start's background one" \
    -- "$JAIL" -q -c name=$N jid=453 path="$R" mount.procfs mount.devfs \
    'exec.start=sleep 1 >/dev/null 2>&1 &'
if wait_until 15 sh -c "! '$JLS' -j $N >/dev/null 2>&1"; then
	pass "it ends when that process exits"
else
	fail "it ends when that process exits"
	"$JAIL" -r $N >/dev/null 2>&1
fi
done_testing
