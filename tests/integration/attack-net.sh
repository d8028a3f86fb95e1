#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# attack-net.sh: a jailed root against the host's network stack, which a
# jail without vnet shares.  Every attempt is made as the jail's root by
# the probe (tests/probe/probe-net2.c) and must be refused:
#
# - a jail given no address (FreeBSD's default, ip4=disable and
#   ip6=disable) reaches nothing of the host's: no connect to a service
#   on the host's 127.0.0.1, no bind there, no SO_REUSEPORT takeover of
#   a host listener, no port below 1024 on every address;
# - a jail with ip4.addr (ip4=new) never sends from an address that is
#   not its own: not with IP_PKTINFO, IPV6_PKTINFO and IPV6_FREEBIND,
#   IP_HDRINCL or IP_TRANSPARENT (allow.raw_sockets), not by binding
#   with IP_FREEBIND;
# - the implicit bind of sendto on an unbound UDP socket and of listen on
#   an unbound TCP socket shows the jail's address to getsockname, and
#   lets through only what is sent to that address;
# - /proc/net, /proc/self/net, /proc/1/net, /proc/PID/net and a
#   thread's net, and a sock_diag dump, list no socket of the host (the
#   test's TCP listener and abstract unix socket are looked for), on
#   every kernel: the jail has a network namespace of its own; its
#   tables stay readable, and rtnetlink shows the jail's addresses on its
#   loopback, not the host's (an alias the test adds);
# - the jail's root has no CAP_AUDIT_WRITE unless allow.audit;
# - a vnet jail lent a veth, whose peer stays in the test's namespace,
#   can name that namespace by its id ("link-netnsid 0") but neither list
#   its links nor make a veth with a peer there: its root's
#   CAP_NET_ADMIN is over its own stack only.
#
# All traffic stays in a network namespace this test makes (it re-runs
# itself under `unshare -n`), on its loopback: 127.0.1.x are loopback
# addresses on Linux, nothing is added or routed.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/probe.sh"

netns_enter "$@"
require_cmd python3 ss
test_setup
probe_install "$R"

N=gt_attack_net
LO_PORT=8701		# the host's listener on 127.0.0.1 (SO_REUSEPORT)
LOW_PORT=999		# below 1024, free on every address
REFL=127.0.1.20:8702	# the test's reflector, UDP and TCP

listening() { ss -Hltn "sport = :$1" | grep -q "$2:$1"; }

# A host service on 127.0.0.1:LO_PORT, owned by uid 0 as the jail's root
# is, with SO_REUSEPORT: another socket of uid 0 may join its group.
host_listener() {
	spawn python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
while True:
    s.accept()[0].close()' "$LO_PORT"
	ok "a host listener on 127.0.0.1:$LO_PORT" \
	    wait_until 30 listening "$LO_PORT" 127.0.0.1
}

# The reflector: a UDP datagram from A:P is answered twice, "to-jail" to
# A:P and "to-host" to 127.0.0.1:P; a TCP line "P" from A is answered by
# a connection to A:P and one to 127.0.0.1:P (1 s each at most).
reflector() {
	spawn python3 -c '
import select, socket, sys
addr, port = sys.argv[1].rsplit(":", 1)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind((addr, int(port)))
t = socket.socket(); t.bind((addr, int(port))); t.listen(4)
def reach(host, p, text):
    try:
        c = socket.create_connection((host, p), timeout=1)
        c.sendall(text); c.close()
    except OSError:
        pass
while True:
    r, _, _ = select.select([u, t], [], [])
    if u in r:
        data, (a, p) = u.recvfrom(64)
        u.sendto(b"to-jail", (a, p)); u.sendto(b"to-host", ("127.0.0.1", p))
    if t in r:
        c, (a, _) = t.accept(); c.settimeout(2)
        try:
            p = int(c.recv(16).decode().strip())
        except (OSError, ValueError):
            c.close(); continue
        c.close()
        reach(a, p, b"to-jail"); reach("127.0.0.1", p, b"to-host")' "$REFL"
	ok "the test's reflector on $REFL" \
	    wait_until 30 listening "${REFL#*:}" "${REFL%:*}"
}

# attack JAIL PROBE [ARG]: as the jail's root, exactly "PROBE: ok".
attack() { check_probe "$@"; }

# A jail given no address: FreeBSD's ip4=disable and ip6=disable.
test_no_address() {
	start_jail $N-none
	check -o "inline:ip4=disable ip6=disable\n" \
	    -m "no address: jls shows ip4=disable ip6=disable" \
	    -- "$JLS" -n -j $N-none ip4 ip6
	attack $N-none net-lo-connect "$LO_PORT"
	attack $N-none net-lo-bind "$LO_PORT"
	attack $N-none net-reuseport "$LO_PORT"
	attack $N-none net-low-port "$LOW_PORT"
	attack $N-none net-freebind
	attack $N-none net-pktinfo
	attack $N-none net-pktinfo6
	attack $N-none net-autobind-udp "$REFL"
	attack $N-none net-listen-unbound "$REFL"
}

# A jail with ip4.addr on the host's stack (ip4=new).
test_address() {
	start_jail $N-addr ip4.addr=127.0.1.11
	attack $N-addr net-lo-bind "$LO_PORT"
	attack $N-addr net-reuseport "$LO_PORT"
	attack $N-addr net-low-port "$LOW_PORT"
	attack $N-addr net-freebind
	attack $N-addr net-pktinfo
	attack $N-addr net-autobind-udp "$REFL"
	attack $N-addr net-listen-unbound "$REFL"
	attack $N-addr caps
}

# ip6.addr=::1: the only IPv6 address a loopback has.
test_address6() {
	start_jail $N-six ip6.addr=::1
	attack $N-six net-pktinfo6
	attack $N-six net-freebind
}

# allow.raw_sockets: CAP_NET_RAW, so IP_HDRINCL and IP_TRANSPARENT.
test_raw() {
	start_jail $N-raw ip4.addr=127.0.1.12 allow.raw_sockets
	attack $N-raw net-hdrincl
	attack $N-raw net-transparent
	attack $N-raw net-pktinfo
	attack $N-raw caps NET_RAW
}

# The host's sockets are not the jail's to list: its procfs net
# directories (whichever process they are of) and sock_diag show the
# jail's own network namespace, in which the host's listener and its
# abstract socket are not.
test_proc_net() {
	probe_listen_abstract "gt-an-host-$$" ||
	    bail_out "the host cannot listen on an abstract socket"
	attack $N-addr net-proc-net "$LO_PORT"
	attack $N-none net-proc-net "$LO_PORT"
	attack $N-raw net-proc-net "$LO_PORT"
	attack $N-addr net-sock-diag "$LO_PORT"
	attack $N-none net-sock-diag "$LO_PORT"
	check -o "match:^ *lo:" -m "/proc/net/dev stays readable" \
	    -- "$JEXEC" $N-addr cat /proc/net/dev
	check -o "match:^ +sl +local_address" \
	    -m "so does /proc/net/tcp, which lists none of the host's" \
	    -- "$JEXEC" $N-addr cat /proc/net/tcp
}

# rtnetlink (ip addr, getifaddrs) shows the jail's own loopback: its
# address, and not the host's alias 127.0.1.99 (this test's namespace).
test_route_addrs() {
	ip addr add 127.0.1.99/32 dev lo || bail_out "ip addr add 127.0.1.99"
	check -o "match:^1: +lo +inet 127\.0\.1\.11/32 " \
	    -m "ip addr in the jail shows its address on lo" \
	    -- "$JEXEC" $N-addr ip -o -4 addr show
	check -s 1 -m "and not the host's 127.0.1.99" \
	    -- sh -c "'$JEXEC' $N-addr ip -o addr show | grep -F 127.0.1.99"
	check -o "inline:1: lo: <LOOPBACK>\n" \
	    -m "a jail without an address: its lo is down, addressless" \
	    -- sh -c "'$JEXEC' $N-none ip -o link show | sed 's/ mtu.*//'"
	ip addr del 127.0.1.99/32 dev lo
}

# allow.audit gives CAP_AUDIT_WRITE back; without it the jail has none.
test_audit() {
	start_jail $N-audit allow.audit
	attack $N-audit caps AUDIT_WRITE
}

# A vnet jail and the namespace its lent veth came from (this test's).
test_vnet_nsid() {
	ip link add gt-an-v0 type veth peer name gt-an-v1 ||
	    bail_out "ip link add veth"
	start_jail $N-vnet vnet=new vnet.interface=gt-an-v1
	check -o "match:^[0-9]+: gt-an-v1@if[0-9]+:" \
	    -m "the jail sees its veth's peer elsewhere" \
	    -- "$JEXEC" $N-vnet ip link show gt-an-v1
	attack $N-vnet net-nsid-target
	attack $N-vnet net-nsid-link
	check -s 1 -e ignore -m "no gt-probe1 came into the test's namespace" \
	    -- ip link show gt-probe1
	check -m "jail -r $N-vnet" -- "$JAIL" -q -r $N-vnet
	check -o "match:gt-an-v1@gt-an-v0" -m "gt-an-v1 is back" \
	    -- ip link show gt-an-v1
	ip link del gt-an-v0
}

host_listener
reflector
test_no_address
test_address
test_address6
test_raw
test_proc_net
test_route_addrs
test_audit
test_vnet_nsid
for j in none addr six raw audit; do
	check -m "jail -r $N-$j" -- "$JAIL" -q -r $N-$j
done
done_testing
