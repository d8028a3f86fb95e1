#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# interface.sh: interface= and "iface|addr" put the jail's addresses on a
# host interface when it is created and take them off when it is removed
# -- exactly once: also when creation fails half-way, never an address
# that was there before, and when a command= jail ends by itself; and
# ip_hostname adds the addresses host.hostname resolves to.
#
# Everything happens in a network namespace this test makes (it re-runs
# itself under `unshare -n`), on a veth pair of its own there.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"

netns_enter "$@"
require_cmd ip
test_setup
IF=gt-if0
ip link set lo up && ip link add $IF type veth peer name gt-if1 &&
    ip link set $IF up || bail_out "cannot make a veth pair in the test's namespace"

N=gt_iface_$$
track_jail $N

# The addresses on $IF, one per line ("10.77.0.5/24").
addrs() { ip -o addr show dev $IF | awk '$3 != "inet6" || $4 !~ /^fe80/ { print $4 }'; }

check -o empty -m "interface= with an address" -- "$JAIL" -q -c name=$N \
    path="$R" interface=$IF ip4.addr=10.77.0.5/24 ip6.addr=fd00:77::5 persist
check -o 'inline:10.77.0.5/24\nfd00:77::5/128\n' \
    -m "the addresses are on the interface, once each" -- addrs
check -o empty -- "$JAIL" -r $N
check -o empty -m "and gone after jail -r" -- addrs

check -o empty -m "iface|addr names the interface itself" -- "$JAIL" -q -c \
    name=$N path="$R" "ip4.addr=$IF|10.77.0.6" persist
check -o 'inline:10.77.0.6/32\n' -m "the address, /32 by default" -- addrs
check -o empty -- "$JAIL" -r $N
check -o empty -m "gone again" -- addrs

check -s 1 -e "inline:jail: $N: /bin/false: failed\n" \
    -m "a creation that fails after adding them" -- "$JAIL" -q -c name=$N \
    path="$R" interface=$IF ip4.addr=10.77.0.7,10.77.0.8 \
    exec.prestart=/bin/false persist
check -o empty -m "takes them back" -- addrs

ip addr add 10.77.0.10/32 dev $IF || bail_out "ip addr add"
check -s 1 -e "inline:jail: interface: interface $IF: an address of the jail is there already\n" \
    -m "an address that is there already is refused" -- "$JAIL" -q -c \
    name=$N path="$R" interface=$IF ip4.addr=10.77.0.9,10.77.0.10 persist
check -o 'inline:10.77.0.10/32\n' \
    -m "the one added before it is taken back, the one found is left" -- addrs
ip addr del 10.77.0.10/32 dev $IF

check -o empty -m "a command= jail that ends by itself" -- "$JAIL" -q -c \
    path="$R" interface=$IF ip4.addr=10.77.0.11 command=/bin/true
check -o empty -m "leaves no address behind" -- addrs

check -s 1 -e "match:interface gt-nowhere0" -m "an interface that does not exist" \
    -- "$JAIL" -q -c name=$N path="$R" interface=gt-nowhere0 \
    ip4.addr=10.77.0.12 persist
# ip_hostname: host.hostname's addresses (here from the host's
# /etc/hosts) come first, as the jail's primary ones.
check -o empty -m "ip_hostname" -- "$JAIL" -q -c name=$N path="$R" \
    host.hostname=localhost ip_hostname ip4.addr=127.0.1.20 persist
check -o 'inline:ip4.addr=127.0.0.1,127.0.1.20\n' \
    -m "the resolved address is added first" -- "$JLS" -n -j $N ip4.addr
check -o empty -- "$JAIL" -r $N
check -s 1 -e 'match:^jail: ip_hostname: gt-nohost\.invalid: ' \
    -m "a name that does not resolve is an error" -- "$JAIL" -q -c \
    name=$N path="$R" host.hostname=gt-nohost.invalid ip_hostname persist
is "$(state_snapshot)" "" "no jail is left"
done_testing
