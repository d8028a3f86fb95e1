#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# allow.sh: what each allow.* parameter adds to or takes from a jailed
# root, read from /proc/self/status inside (CapBnd and CapEff of a root
# shell entered with jexec): the base set plus, or minus, exactly the one
# capability the parameter names.  allow.raw_sockets is also tried for
# real (ping), and allow.chflags with chattr(1) where the host has it.
# The parameters gaol refuses for good (allow.mount*, quotas, nfsd,
# extattr, settime, routing; enforce_statfs other than 2, children.max
# other than 0) fail with their exact message and status 1, at jail -c
# and at jail -m, and leave no jail behind.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_allow_$$

# Capability bits, as in <linux/capability.h>.
CAP_LINUX_IMMUTABLE=9
CAP_NET_BIND_SERVICE=10
CAP_NET_RAW=13
CAP_IPC_LOCK=14
CAP_SYSLOG=34
CAP_AUDIT_WRITE=29
# CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
# NET_BIND_SERVICE SYS_CHROOT SETFCAP
BASE=$(((1 << 0) | (1 << 1) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) |
    (1 << 7) | (1 << 8) | (1 << 10) | (1 << 18) | (1 << 31)))

hex() { printf '%016x' "$1"; }

# A persistent jail $N-$1 with procfs and the parameters that follow.
start() { start_jail "$N-$1" "${@:2}"; }

# The CapBnd and CapEff of a root shell in jail $N-$1, as "BND EFF".
caps_in() {
	"$JEXEC" "$N-$1" cat /proc/self/status |
	    awk '$1 == "CapBnd:" { b = $2 } $1 == "CapEff:" { e = $2 }
		END { print b, e }'
}

# check_caps TAG WANT DESC: jail $N-TAG's root has exactly WANT.
check_caps() {
	is "$(caps_in "$1")" "$(hex "$2") $(hex "$2")" "$3"
}

# One jail per parameter: its root has the base set +/- one capability.
test_caps() {
	start base
	check_caps base $BASE "no allow.*: the base set"
	start raw allow.raw_sockets ip4.addr=127.0.1.62 interface=lo
	check_caps raw $((BASE | 1 << CAP_NET_RAW)) \
	    "allow.raw_sockets: + CAP_NET_RAW"
	start audit allow.audit
	check_caps audit $((BASE | 1 << CAP_AUDIT_WRITE)) \
	    "allow.audit: + CAP_AUDIT_WRITE"
	start chflags allow.chflags
	check_caps chflags $((BASE | 1 << CAP_LINUX_IMMUTABLE)) \
	    "allow.chflags: + CAP_LINUX_IMMUTABLE"
	start mlock allow.mlock
	check_caps mlock $((BASE | 1 << CAP_IPC_LOCK)) \
	    "allow.mlock: + CAP_IPC_LOCK"
	start noports allow.reserved_ports=false
	check_caps noports $((BASE & ~(1 << CAP_NET_BIND_SERVICE))) \
	    "allow.reserved_ports=false: - CAP_NET_BIND_SERVICE"
	start nosuser allow.suser=false
	check_caps nosuser 0 "allow.suser=false: no capability at all"
	start msgbuf allow.read_msgbuf
	check_caps msgbuf $((BASE | 1 << CAP_SYSLOG)) \
	    "allow.read_msgbuf: + CAP_SYSLOG"
	start secure allow.chflags securelevel=1
	check_caps secure $BASE \
	    "securelevel=1 allow.chflags: no CAP_LINUX_IMMUTABLE"
}

# ping opens a raw ICMP socket as root (the host's ping_group_range
# aside): it works with allow.raw_sockets only.  The jail's address is an
# alias on lo (interface=), from which a ping to it leaves; a raw socket
# passes no socket program, so one to the host's 127.0.0.1 must be bound
# to the jail's address (-I): from 127.0.0.1 it would be dropped.
test_ping() {
	check -o ignore -m "ping works with allow.raw_sockets" \
	    -- "$JEXEC" $N-raw ping -c 1 -W 5 127.0.1.62
	check -o ignore -m "ping -I from the jail's address to 127.0.0.1" \
	    -- "$JEXEC" $N-raw ping -c 1 -W 5 -I 127.0.1.62 127.0.0.1
	check -s 1 -o ignore -e ignore \
	    -m "not from 127.0.0.1, which is not the jail's" \
	    -- "$JEXEC" $N-raw ping -c 1 -W 2 127.0.0.1
	check -s 1 -o ignore -e ignore -m "ping fails without allow.raw_sockets" \
	    -- "$JEXEC" $N-base ping -c 1 -W 5 127.0.0.1
}

# copy_bin BIN: the host's BIN and the libraries it loads, into $R.
copy_bin() {
	local f
	for f in "$1" $(ldd "$1" | grep -o '/[^ ]*'); do
		mkdir -p "$R$(dirname "$f")" && cp -L "$f" "$R$f" || return 1
	done
}

# chattr +i needs CAP_LINUX_IMMUTABLE: allowed with allow.chflags only.
test_chattr() {
	local c
	c=$(command -v chattr) || { skip "chattr +i in a jail" "no chattr"; return; }
	copy_bin "$c" || { fail "copy chattr into the root"; return; }
	touch "$R/tmp/flagged"
	if ! chattr +i "$R/tmp/flagged" 2>/dev/null; then
		skip "chattr +i in a jail" "$R: no immutable flag here"
		return
	fi
	chattr -i "$R/tmp/flagged"
	check -m "allow.chflags: chattr +i works" \
	    -- "$JEXEC" $N-chflags "$c" +i /tmp/flagged
	check -m "allow.chflags: chattr -i works" \
	    -- "$JEXEC" $N-chflags "$c" -i /tmp/flagged
	check -s 1 -e 'match:Operation not permitted' \
	    -m "no allow.chflags: chattr +i refused" \
	    -- "$JEXEC" $N-base "$c" +i /tmp/flagged
	check -s 1 -e 'match:Operation not permitted' \
	    -m "securelevel=1: chattr +i refused" \
	    -- "$JEXEC" $N-secure "$c" +i /tmp/flagged
	chattr -i "$R/tmp/flagged" 2>/dev/null
}

MOUNT_WHY="mounting in a jail would need CAP_SYS_ADMIN over the host"

# refused PARAM MESSAGE: jail -c and jail -m refuse PARAM with MESSAGE.
refused() {
	check -s 1 -e "inline:jail: $2\n" -m "jail -c $1 is refused" \
	    -- "$JAIL" -c name=$N-refused path="$R" persist "$1"
	check -s 1 -e "inline:jail: $2\n" -m "jail -m $1 is refused" \
	    -- "$JAIL" -m name=$N-base "$1"
}

refused_state() { state_snapshot | grep -F -- "$N-refused"; true; }

test_refused() {
	local p
	track_jail $N-refused
	for p in allow.mount allow.mount.devfs allow.mount.fdescfs \
	    allow.mount.nullfs allow.mount.procfs allow.mount.linprocfs \
	    allow.mount.linsysfs allow.mount.tmpfs allow.mount.zfs; do
		refused $p "$p: not supported: $MOUNT_WHY"
	done
	refused allow.quotas "allow.quotas: not supported: quotactl(2) would need CAP_SYS_ADMIN over the host"
	refused allow.nfsd "allow.nfsd: not supported: the kernel's NFS server would need CAP_SYS_ADMIN over the host"
	refused allow.extattr "allow.extattr: not supported: trusted.* extended attributes need CAP_SYS_ADMIN over the host"
	refused allow.settime "allow.settime: not supported: the clock is the host's"
	refused allow.routing "allow.routing: not supported: without vnet the routing table is the host's"
	refused enforce_statfs=1 "enforce_statfs=1: not supported: a jail sees only the mounts of its own mount namespace"
	refused enforce_statfs=0 "enforce_statfs=0: not supported: a jail sees only the mounts of its own mount namespace"
	refused children.max=1 "children.max=1: not supported: jails inside jails are not supported"
	check -s 1 -e "inline:jls: jail \"$N-refused\" not found\n" \
	    -m "no refused jail was left behind" -- "$JLS" -j $N-refused jid
	check -o 'inline:' -m "no state of a refused jail is left" \
	    -- refused_state
	check -m "the defaults are accepted" -- "$JAIL" -q -c \
	    name=$N-refused path="$R" persist allow.nomount allow.mount.nozfs \
	    enforce_statfs=2 children.max=0 securelevel=3 allow.nosettime
	check -o "inline:children.max=0 enforce_statfs=2 securelevel=3 allow.nomount allow.nosettime\n" \
	    -m "jls shows them" -- "$JLS" -j $N-refused -n children.max \
	    enforce_statfs securelevel allow.mount allow.settime
	check -- "$JAIL" -r $N-refused
}

test_caps
test_ping
test_chattr
test_refused
for t in base raw audit chflags mlock noports nosuser msgbuf secure; do
	check -- "$JAIL" -r $N-$t
done
done_testing
