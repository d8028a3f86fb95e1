#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# vps-postgres.sh: two Debian 12 jails, each running Debian's PostgreSQL
# started by its init script, at the same time on port 5432 of their own
# addresses, each with System V IPC of its own -- the seeds' "Running more
# than one postgresql-server instance in a shared sysvipc namespace would
# clash, and not normally work", now working.
#
# What must hold: both servers accept connections (psql on the host
# side over TCP), each shows its own data (a table made in one is absent
# from the other), each jail sees only its own IPC objects; jail -r stops
# each server by its K script and leaves nothing behind.
#
# Runs in network and mount namespaces of its own (vps_enter).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/vps.sh"
vps_enter postgresql "$@"
require_cmd psql ss ip ipcs
require_binaries
scratch_new

A=gt_vps_pg1; B=gt_vps_pg2
JID_A=421; JID_B=422
ADDR_A=127.0.1.22; ADDR_B=127.0.1.23
track_jail $A; track_jail $B
# The cluster the package did not make in debootstrap's chroot, made at
# first start, and the jail's own address let in (pg_hba.conf's samenet).
FIRST="pg_createcluster 15 main >/dev/null && echo 'host all all samenet trust' >>/etc/postgresql/15/main/pg_hba.conf"

sql() {
	PGCONNECT_TIMEOUT=5 psql -X -h "$1" -U postgres -d postgres -Atc "$2"
}

# start NAME JID ADDR: an overlay of the postgresql root, booted.
start() {
	local n=$1 jid=$2 addr=$3 p=$SCRATCH/$1
	vps_root "$p" postgresql
	vps_hostname "$p" "${n#gt_vps_}.example.com" "$addr"
	vps_params "$n" "$jid" "$addr" "$p" \
	    "test -d /etc/postgresql/15/main || { $FIRST; }"
	check -o "match:^$n: created$" -e ignore -m "jail -c $n" \
	    -- "$JAIL" -c "${VPS_PARAMS[@]}" sysvshm=new sysvsem=new sysvmsg=new
	like "$CHECK_STDOUT$CHECK_STDERR" \
	    "Starting PostgreSQL 15 database server: main" \
	    "$n: rc 2 starts PostgreSQL by its init script"
	diag "$CHECK_STDOUT" "$CHECK_STDERR"
	ok "$n: PostgreSQL listens on $addr:5432" wait_until 20 sh -c \
	    "ss -Hltn 'sport = :5432' | grep -qF '$addr:5432'"
}

test_start() {
	start $A $JID_A $ADDR_A
	start $B $JID_B $ADDR_B
	is "$(ss -Hltn 'sport = :5432' | awk '{ print $4 }' | sort | tr '\n' ' ')" \
	    "$ADDR_A:5432 $ADDR_B:5432 " \
	    "two servers on port 5432, one on each jail's address"
	check -o "inline:sysvmsg=new sysvsem=new sysvshm=new\n" \
	    -m "$A: System V IPC of its own" \
	    -- "$JLS" -n -j $A sysvmsg sysvsem sysvshm
}

test_connect() {
	check -o "inline:$ADDR_A\n" -m "psql reaches $A on $ADDR_A" \
	    -- sql $ADDR_A "select host(inet_server_addr())"
	check -o "inline:$ADDR_B\n" -m "psql reaches $B on $ADDR_B" \
	    -- sql $ADDR_B "select host(inet_server_addr())"
	check -o ignore -m "a table made in $A" -- sql $ADDR_A \
	    "create table only_in_pg1 (x int); insert into only_in_pg1 values (42)"
	check -o "inline:42\n" -m "$A shows its data" \
	    -- sql $ADDR_A "select x from only_in_pg1"
	check -o "inline:0\n" -m "$B has no such table" -- sql $ADDR_B \
	    "select count(*) from pg_tables where tablename = 'only_in_pg1'"
}

# Each jail's shared memory segment is in its jail alone.
test_ipc() {
	local a b host
	a=$("$JEXEC" $A ipcs -m | awk '$3 == "postgres" { print $1, $2 }')
	b=$("$JEXEC" $B ipcs -m | awk '$3 == "postgres" { print $1, $2 }')
	host=$(ipcs -m | awk 'NR > 3 && NF { print $1, $2 }')
	like "$a" '^0x[0-9a-f]+ [0-9]+$' "$A: one PostgreSQL segment in its IPC namespace"
	like "$b" '^0x[0-9a-f]+ [0-9]+$' "$B: one PostgreSQL segment in its IPC namespace"
	diag "$A: $a; $B: $b"
	is "$(printf '%s\n' "$host" | grep -cxF -e "$a" -e "$b")" 0 \
	    "neither segment is among the host's"
}

stop() {
	local n=$1 jid=$2 addr=$3 init ns
	init=$(jail_init_pid "$n")
	ns=$(pidns_of "$init")
	check -o ignore -e ignore -m "jail -r $n" -- "$JAIL" -r "$n"
	like "$CHECK_STDOUT$CHECK_STDERR" \
	    "Stopping PostgreSQL 15 database server: main" \
	    "$n: rc 0 stops PostgreSQL by its K script"
	vps_gone "$n" "$jid" "$addr" "$init" "$ns" "$SCRATCH/$n"
}

test_stop() {
	stop $A $JID_A $ADDR_A
	check -o "inline:$ADDR_B\n" -m "$B still serves once $A is gone" \
	    -- sql $ADDR_B "select host(inet_server_addr())"
	stop $B $JID_B $ADDR_B
}

test_start
test_connect
test_ipc
test_stop
done_testing
