#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# ip4.sh: ip4.addr, ip4=new|inherit|disable on the host's network stack,
# enforced by the cgroup socket programs (lib/net/netbpf.c).
#
# What must hold: a jail with ip4.addr runs a server binding the
# wildcard address; it is reached on the jail's address and not on
# 127.0.0.1; other addresses cannot be bound; two jails serve the same
# port; ip4=disable refuses IPv4 sockets; the jail's loopback is its
# address; jls shows the address; ip4=inherit, asked for, is the host's
# whole stack.
#
# All traffic stays in a network namespace this test makes: it re-runs
# itself under `unshare -n` and only uses that namespace's loopback
# (127.0.1.x is loopback on Linux: nothing is added or routed).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"

netns_enter "$@"
require_cmd ss
require_cmd python3
test_setup

A=gt_ip4_a; B=gt_ip4_b; C=gt_ip4_c; D=gt_ip4_d
track_jail $A; track_jail $B; track_jail $C; track_jail $D

listening() { ss -Hltn "sport = :$1" | grep -q "$2:$1"; }

# serve JAIL PORT TEXT: a persistent busybox nc server in the jail.
serve() {
	"$JEXEC" "$1" nc -ll -p "$2" -e echo "$3" </dev/null >/dev/null 2>&1 &
	track_pid $!
}

test_create() {
	check -m "jail -c ip4.addr=127.0.1.11" -- "$JAIL" -q -c name=$A \
	    path="$R" ip4.addr=127.0.1.11 mount.devfs persist
	check -o "match:^ +[0-9]+  127\.0\.1\.11      " \
	    -m "jls: the address in the IP Address column" -- "$JLS" -j $A
	check -o "inline:ip4=new ip4.addr=127.0.1.11 ip6=disable\n" \
	    -m "ip4.addr implies ip4=new and, without ip6.addr, ip6=disable" \
	    -- "$JLS" -n -j $A ip4 ip4.addr ip6
}

test_wildcard_bind() {
	serve $A 8080 hello
	ok "the wildcard bind lands on 127.0.1.11:8080" \
	    wait_until 5 listening 8080 127.0.1.11
	is "$(ss -Hltn 'sport = :8080' | awk '{ print $4 }')" "127.0.1.11:8080" \
	    "nothing else listens on port 8080"
	check -o "inline:hello\n" -m "the host reaches the server on 127.0.1.11" \
	    -- busybox nc -w 2 127.0.1.11 8080
	check -s 1 -e "match:Connection refused" \
	    -m "nothing answers on 127.0.0.1:8080" \
	    -- busybox nc -w 2 127.0.0.1 8080
}

test_loopback_mapping() {
	check -o "inline:hello\n" \
	    -m "in the jail, 127.0.0.1 is the jail's own address" \
	    -- "$JEXEC" $A nc -w 2 127.0.0.1 8080
}

test_other_address() {
	check -s 1 -e "match:bind: Cannot assign requested address" \
	    -m "binding 127.0.1.12 from the jail fails (EADDRNOTAVAIL)" \
	    -- "$JEXEC" $A httpd -f -p 127.0.1.12:8081
	check -s 1 -e "match:Address family not supported by protocol" \
	    -m "nor by v4-mapped IPv6 (ip6=disable: no IPv6 socket at all)" \
	    -- "$JEXEC" $A httpd -f -p '[::ffff:127.0.1.12]:8081'
}

# The source of a connect from an unbound socket: the jail's address.
test_source_address() {
	python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.1.20", 9001)); s.listen(1)
print("ready", flush=True)
c, peer = s.accept(); c.sendall((peer[0] + "\n").encode()); c.close()
' >"$SCRATCH/peer.out" &
	track_pid $!
	ok "a host listener on 127.0.1.20:9001" \
	    wait_until 5 listening 9001 127.0.1.20
	check -o "inline:127.0.1.11\n" \
	    -m "a connect from the jail leaves from 127.0.1.11" \
	    -- "$JEXEC" $A nc -w 2 127.0.1.20 9001
}

test_second_jail() {
	check -m "a second jail with ip4.addr=127.0.1.12" -- "$JAIL" -q -c \
	    name=$B path="$R" ip4.addr=127.0.1.12 mount.devfs persist
	serve $B 8080 world
	ok "it listens on 127.0.1.12:8080 at the same time" \
	    wait_until 5 listening 8080 127.0.1.12
	check -o "inline:world\n" -m "the second jail answers on 127.0.1.12" \
	    -- busybox nc -w 2 127.0.1.12 8080
	check -o "inline:hello\n" -m "the first still answers on 127.0.1.11" \
	    -- busybox nc -w 2 127.0.1.11 8080
}

test_disable() {
	check -m "jail -c ip4=disable" -- "$JAIL" -q -c name=$C path="$R" \
	    ip4=disable ip6=disable mount.devfs persist
	check -s 1 -e "inline:nc: socket: Address family not supported by protocol\n" \
	    -m "ip4=disable: no AF_INET socket" \
	    -- "$JEXEC" $C nc -w 2 127.0.1.11 8080
}

# The host's whole stack: only when asked for (without an address the
# jail has no network, FreeBSD's default: attack-net.sh).
test_inherit() {
	check -m "jail -c ip4=inherit ip6=inherit" -- "$JAIL" -q -c name=$D \
	    path="$R" ip4=inherit ip6=inherit mount.devfs persist
	check -o "inline:ip4=inherit ip6=inherit\n" -m "ip4 and ip6 inherit" \
	    -- "$JLS" -n -j $D ip4 ip6
	check -o "inline:hello\n" -m "ip4=inherit: the jail connects anywhere" \
	    -- "$JEXEC" $D nc -w 2 127.0.1.11 8080
	"$JEXEC" $D httpd -f -p 127.0.1.13:8083 </dev/null >/dev/null 2>&1 &
	track_pid $!
	ok "ip4=inherit: any address can be bound" \
	    wait_until 5 listening 8083 127.0.1.13
}

test_refused() {
	check -s 1 -e "inline:jail: ip4.addr: addresses require ip4=new\n" \
	    -m "ip4.addr with ip4=disable is refused" -- "$JAIL" -c \
	    name=gt_ip4_x path="$R" ip4.addr=127.0.1.14 ip4=disable persist
	check -s 1 -e "inline:jail: ip4.addr cannot be changed after creation\n" \
	    -m "jail -m ip4.addr is refused" \
	    -- "$JAIL" -m name=$A ip4.addr=127.0.1.15
}

test_remove() {
	for j in $A $B $C $D; do
		check -m "jail -r $j" -- "$JAIL" -q -r $j
	done
}

test_create
test_wildcard_bind
test_loopback_mapping
test_other_address
test_source_address
test_second_jail
test_disable
test_inherit
test_refused
test_remove
done_testing
