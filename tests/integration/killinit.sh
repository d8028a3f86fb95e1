#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# killinit.sh: a jail whose init dies (SIGKILL from the host) disappears
# from jls, takes its processes with it, and its name and jid are free.
#
# What must hold: "Kill the jail's init with SIGKILL: the jail is
# gone from jls and its name can be reused."
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_kill
JID=160
gone() { ! "$JLS" -j "$1" >/dev/null 2>&1; }

track_jail $N
check -o "inline:$N: created\n" \
    -- "$JAIL" -c jid=$JID name=$N path="$R" mount.procfs persist
spawn "$JEXEC" $N sleep 984
wait_until 10 find_cmdline sleep 984
SLEEP=$(find_cmdline sleep 984)
INIT=$(jail_init_pid $N)
ok "the state directory names the init (${INIT:-none})" test -n "$INIT"
ok "the init is pid 1 of its own pid namespace" \
    grep -qE '^NSpid:\s+[0-9]+\s+1$' /proc/${INIT:-0}/status

kill_pid KILL "$INIT"
ok "the jail is gone from jls after its init is killed" wait_until 10 gone $N
ok "its process sleep 984 (pid ${SLEEP:-none}) died with it" \
    wait_until 10 eval '! alive "${SLEEP:-0}"'
not_ok "jls no longer lists jid $JID" sh -c "\"$JLS\" jid | grep -qx $JID"
ok "the state entry is reconciled away" wait_until 5 test ! -e "$JAIL_RUNDIR/$JID"
is "$(cgroup_dirs $JID)" "" "no cgroup directory jail.$JID remains"
check -s 1 -e "inline:jexec: jail \"$N\" not found\n" -- "$JEXEC" $N true

check -o "inline:$N: created\n" -m "the name and jid can be reused" \
    -- "$JAIL" -c jid=$JID name=$N path="$R" persist
check -o "inline:$N\n" -- "$JLS" -j $N name
check -o empty -- "$JAIL" -r $N

# jail(8) killed while it creates a persistent jail (exec.start still
# running inside): the half-made jail leaves with it, init and all.
"$JAIL" -c jid=$JID name=$N path="$R" persist "exec.start=sleep 983" \
    </dev/null >/dev/null 2>&1 &
CREATOR=$!
track_pid $CREATOR
ok "exec.start runs in the jail being made" wait_until 10 find_cmdline sleep 983
INIT=$(pgrep -P $CREATOR -x jail | head -n 1)
kill -KILL $CREATOR
wait $CREATOR 2>/dev/null
ok "its init leaves once the creator is gone" \
    wait_until 10 eval '! alive "${INIT:-0}"'
ok "and so does exec.start's sleep" \
    wait_until 10 eval '! find_cmdline sleep 983'
ok "nothing of it stays in jls" wait_until 10 gone $N
is "$(cgroup_dirs $JID)" "" "no cgroup directory jail.$JID remains"
done_testing
