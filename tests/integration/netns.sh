#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# netns.sh: a jail with an address lives in a network namespace of its
# own while its IPv4 and IPv6 sockets are made on the host's stack by
# its socket broker (lib/proc/sockbroker.c):
#
# - a socket is its maker's: a listener the jail's user opens belongs to
#   uid 1000 on the host's stack; SOCK_CLOEXEC and SOCK_NONBLOCK are kept
#   as asked;
# - the caller's groups decide an ICMP datagram socket
#   (net.ipv4.ping_group_range): the jail's user in the range gets one,
#   its root (gid 0) outside it does not, as on the host;
# - allow.set_hostname still works (the broker passes the call to the
#   jail's init), for the jail's root only;
# - the broker is nowhere in the jail; a spawner killed from the host
#   leaves its broker serving what it started, and the next command gets
#   a new spawner; a broker killed from the host makes socket() fail at
#   once with ENOSYS (not hang) in what it served, its spawner leaves,
#   and the next command gets a new pair whose sockets work;
# - nothing of either is left after jail -r.
#
# All traffic stays in a network namespace this test makes (it re-runs
# itself under `unshare -n`), on its loopback.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/probe.sh"

netns_enter "$@"
require_cmd python3 ss sysctl
test_setup
probe_install "$R"

N=gt_netns_$$
ADDR=127.0.1.41
PEER=127.0.1.44:8096	# the test's listener, which the jail connects to

listening() { ss -Hltn "sport = :$1" | grep -q "$2:$1"; }

# The host pid of jail $1's spawner, from its state entry.
spawner_of() {
	local jid
	jid=$(jail_jid "$1") || return 1
	sed -n '1s/.* spawner=\([0-9]*\):.*/\1/p' "$JAIL_RUNDIR/$jid/state"
}

# The host pid of jail $1's socket broker: its spawner's child in the
# host's pid namespace (the commands it forks are in the jail's).
broker_of() {
	local sp p
	sp=$(spawner_of "$1") || return 1
	for p in /proc/[0-9]*; do
		[ "$(awk '{ print $4 }' "$p/stat" 2>/dev/null)" = "$sp" ] ||
		    continue
		[ "$(pidns_of "${p#/proc/}")" = "$HOST_PIDNS" ] &&
		    echo "${p#/proc/}"
	done
}

# A command of the jail's that waits for $R/tmp/go$1, then connects to
# the test's listener: its status in /tmp/rc$1, its output in /tmp/nc$1;
# returns once it runs.
waiting_connect() {
	rm -f "$R/tmp/go$1" "$R/tmp/rc$1" "$R/tmp/nc$1" "$R/tmp/up$1"
	"$JEXEC" $N sh -c ": >/tmp/up$1
	    while [ ! -e /tmp/go$1 ]; do sleep 0.1; done
	    nc -w 2 ${PEER%:*} ${PEER#*:} </dev/null >/tmp/nc$1 2>&1
	    echo \$? >/tmp/rc$1" </dev/null >/dev/null 2>&1 &
	track_pid $!
	wait_until 10 test -e "$R/tmp/up$1"
}

connected() {
	: >"$R/tmp/go$1"
	wait_until 10 test -s "$R/tmp/rc$1"
	cat "$R/tmp/rc$1" "$R/tmp/nc$1"
}

spawn python3 -c '
import socket, sys
addr, port = sys.argv[1].rsplit(":", 1)
s = socket.socket(); s.bind((addr, int(port))); s.listen(16)
while True:
    c = s.accept()[0]; c.sendall(b"hello\n"); c.close()' "$PEER"
ok "the test's listener on $PEER" \
    wait_until 30 listening "${PEER#*:}" "${PEER%:*}"

start_jail $N ip4.addr=$ADDR mount.devfs

# -- what a socket is -----------------------------------------------------

"$JEXEC" -U user $N nc -l -p 8095 </dev/null >/dev/null 2>&1 &
track_pid $!
ok "the jail's user listens on $ADDR:8095" wait_until 10 listening 8095 $ADDR
check -o "match:uid:1000 " -m "on the host's stack, the socket is uid 1000's" \
    -- ss -Hltne "sport = :8095"
check_probe $N net-sock-flags
old_range=$(sysctl -n net.ipv4.ping_group_range)
sysctl -q -w net.ipv4.ping_group_range="1000 1000" ||
    bail_out "cannot set ping_group_range in the test's namespace"
check_probe -U user $N net-ping-dgram run expect-ok
check_probe $N net-ping-dgram run expect-EACCES
sysctl -q -w net.ipv4.ping_group_range="$old_range"

# -- allow.set_hostname through the broker ----------------------------------

check -m "the jail's root sets its hostname" \
    -- "$JEXEC" $N hostname gt-netns-renamed
check -o "inline:gt-netns-renamed\n" -m "it is the jail's hostname" \
    -- "$JEXEC" $N hostname
check -s 1 -e "match:Operation not permitted" -m "the jail's user may not" \
    -- "$JEXEC" -U user $N hostname gt-netns-user

# -- the spawner killed: its broker serves what it started -----------------

SP=$(spawner_of $N)
BR=$(broker_of $N)
ok "the broker (${BR:-none}) is the spawner's (${SP:-none}), in the host's pid namespace" \
    test -n "$BR" -a -n "$SP"
waiting_connect 1
kill_pid KILL "$SP"
ok "the spawner is gone once killed" wait_until 10 eval '! alive "${SP:-0}"'
ok "its broker is still there" alive "${BR:-0}"
check -o "inline:0\nhello\n" \
    -m "a command it started still connects (its broker makes the socket)" \
    -- connected 1
check -o "inline:hello\n" -m "the next jexec (a new spawner) connects" \
    -- "$JEXEC" $N nc -w 2 ${PEER%:*} ${PEER#*:}
SP2=$(spawner_of $N)
BR2=$(broker_of $N)
ok "with a new broker (${BR2:-none})" test -n "$BR2" -a "$BR2" != "$BR"

# -- the broker killed: ENOSYS at once, then a new pair --------------------

waiting_connect 2
kill_pid KILL "$BR2"
ok "its spawner leaves with it" wait_until 10 eval '! alive "${SP2:-0}"'
check -o "inline:1\nnc: socket: Function not implemented\n" \
    -m "what they served gets ENOSYS from socket(), without waiting" \
    -- connected 2
check -o "inline:hello\n" -m "the next jexec gets a new pair and connects" \
    -- "$JEXEC" $N nc -w 2 ${PEER%:*} ${PEER#*:}
BR3=$(broker_of $N)
ok "a third broker (${BR3:-none})" test -n "$BR3"

check -m "jail -r" -- "$JAIL" -q -r $N
ok "no broker is left" wait_until 10 eval \
    '! alive "${BR:-0}" && ! alive "${BR3:-0}"'
done_testing
