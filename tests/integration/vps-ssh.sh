#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# vps-ssh.sh: a Debian 12 jail with openssh-server booted by its own init
# scripts (rc S, rc 2), logged into with SSH like a VPS, and stopped by
# them (rc 0) -- the seeds' "If openssh-server is installed within the
# jail, you should be able to SSH into it like a virtual private server".
#
# What must hold: sshd started by Debian's init script, on the
# jail's address (an alias gaol puts on lo); a key login runs hostname
# (the jail's) and ps ax (only the jail's processes); a PTY session gets
# a /dev/pts/N and a utmp entry; jail -r runs the K scripts of rc 0 (a
# service's own stop script, sendsigs ending sshd); afterwards nothing of
# the jail is left: process, mount, cgroup, address, state entry.
#
# Runs in network and mount namespaces of its own (vps_enter): the SSH
# traffic stays on that namespace's lo, the overlay of the cached Debian
# root in that mount namespace.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
. "$(dirname "$0")/../lib/vps.sh"
vps_enter openssh-server "$@"
require_cmd ssh ssh-keygen ip
require_binaries
scratch_new

N=gt_vps_ssh
JID=420
ADDR=127.0.1.21
HOST=vps1.example.com
P=$SCRATCH/vps
KEY=$SCRATCH/id_ed25519
SSH=(ssh -i "$KEY" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
    -o LogLevel=ERROR -o BatchMode=yes -o ConnectTimeout=5 "root@$ADDR")
track_jail $N

# A service of the test's own with a K script in rc 0: its start and stop
# leave a line each in /var/log/gt-vps-marker.
write_marker() {
	cat >"$P/etc/init.d/gt-vps-marker" <<-'EOF'
	#!/bin/sh
	### BEGIN INIT INFO
	# Provides:          gt-vps-marker
	# Required-Start:    $remote_fs
	# Required-Stop:     $remote_fs
	# Default-Start:     2 3 4 5
	# Default-Stop:      0 1 6
	# Short-Description: vps-ssh.sh's marker
	### END INIT INFO
	case "$1" in
	start|stop) echo "$1" >>/var/log/gt-vps-marker ;;
	esac
	exit 0
	EOF
	chmod 755 "$P/etc/init.d/gt-vps-marker"
	chroot "$P" /usr/sbin/update-rc.d gt-vps-marker defaults >/dev/null 2>&1
}

setup_root() {
	vps_root "$P" openssh-server
	vps_hostname "$P" "$HOST" "$ADDR"
	ssh-keygen -q -t ed25519 -N '' -f "$KEY" || bail_out "ssh-keygen failed"
	mkdir -p -m 700 "$P/root/.ssh"
	install -m 600 "$KEY.pub" "$P/root/.ssh/authorized_keys"
	write_marker
	ok "the root has no SSH host key of its own yet" \
	    test -z "$(ls "$P"/etc/ssh/ssh_host_*_key 2>/dev/null)"
}

test_boot() {
	# ssh-keygen -A: each jail its own host keys, made at first start
	vps_params $N $JID $ADDR "$P" "/usr/bin/ssh-keygen -A"
	# (startpar passes the scripts' output on to stdout or stderr)
	check -o "match:^$N: created$" -e ignore -m "jail -c $N" \
	    -- "$JAIL" -c "${VPS_PARAMS[@]}"
	like "$CHECK_STDOUT$CHECK_STDERR" \
	    "Starting OpenBSD Secure Shell server: sshd" \
	    "exec.start: Debian's rc S and rc 2 start sshd"
	diag "$CHECK_STDOUT" "$CHECK_STDERR"
	INIT=$(jail_init_pid $N)
	PIDNS=$(pidns_of "$INIT")
	ok "the jail's init is running" test -n "$INIT"
	ok "the alias $ADDR is on lo" sh -c \
	    "ip -o -4 addr show dev lo | grep -qF ' $ADDR/'"
	ok "sshd listens on $ADDR:22" wait_until 10 sh -c \
	    "ss -Hltn 'sport = :22' | grep -qF '$ADDR:22'"
	is "$(cat "$P/var/log/gt-vps-marker" 2>/dev/null)" start \
	    "rc 2 started the marker service"
	ok "ssh-keygen -A made the jail's host keys" \
	    test -s "$P/etc/ssh/ssh_host_ed25519_key"
}

test_login() {
	ok "an SSH key login works" wait_until 10 "${SSH[@]}" true
	check -o "inline:$HOST\n" -m "ssh: hostname is the jail's" \
	    -- "${SSH[@]}" hostname
}

# A syslog daemon of the jail's takes /dev/log (a link in the jail's
# devfs, which it replaces with its socket, as rsyslogd does): here a
# few lines of Perl (perl-base is in every Debian root) writing what it
# receives to /run/gt-syslog.  sshd's messages reach it.
SYSLOGD='use IO::Socket::UNIX; use Socket;
unlink "/dev/log";
my $s = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => "/dev/log")
    or die "/dev/log: $!";
chmod 0666, "/dev/log";
open(my $o, ">>", "/run/gt-syslog") or die; $o->autoflush(1);
my $m; print $o "$m\n" while defined $s->recv($m, 8192);'

test_syslog() {
	"$JEXEC" $N perl -e "$SYSLOGD" </dev/null >/dev/null 2>&1 &
	track_pid $!
	ok "a syslog daemon in the jail binds /dev/log" \
	    wait_until 10 "$JEXEC" $N test -S /dev/log
	"${SSH[@]}" true
	ok "sshd's messages reach it through /dev/log" wait_until 5 \
	    "$JEXEC" $N grep -q "sshd.*Accepted publickey for root" /run/gt-syslog
}

# The init script again, by hand, from an SSH login as a VPS's admin
# would: start-stop-daemon stops the sshd it finds by its pid file and
# executable, and starts a new one.
test_restart() {
	local before after
	before=$("$JEXEC" $N cat /run/sshd.pid)
	check -o "match:Restarting OpenBSD Secure Shell server: sshd" \
	    -e ignore -m "ssh: /etc/init.d/ssh restart" \
	    -- "${SSH[@]}" /etc/init.d/ssh restart
	after=$("$JEXEC" $N cat /run/sshd.pid)
	ok "start-stop-daemon replaced sshd ($before, now $after)" \
	    test -n "$after" -a "$before" != "$after"
	ok "a login works again" wait_until 10 "${SSH[@]}" true
	# Landlock (jail.8, SECURITY): a jail is one domain, so jexec may
	# read /proc/PID/exe of exec.start's sshd, as start-stop-daemon
	# --exec does.
	before=$after
	"$JEXEC" $N /etc/init.d/ssh restart >/dev/null 2>&1
	after=$("$JEXEC" $N cat /run/sshd.pid)
	ok "jexec: /etc/init.d/ssh restart replaces sshd too" \
	    test -n "$after" -a "$before" != "$after"
	ok "a login still works" wait_until 10 "${SSH[@]}" true
}

# ps ax in the jail lists the jail's processes only: its init as pid 1,
# the sshd Debian's init script started (by its pid in the jail's pid
# namespace), nothing of the host's.
test_ps() {
	local sshd nspid
	check -o "match:^ +1 .* jail$" -m "ssh: ps ax shows the jail's init as 1" \
	    -- "${SSH[@]}" ps ax
	printf '%s\n' "$CHECK_STDOUT" >"$SCRATCH/ps"
	diag "$(cat "$SCRATCH/ps")"
	sshd=$(for p in $(pids_in_ns_of "$INIT"); do
		[ "$(cat /proc/"$p"/comm 2>/dev/null)" = sshd ] &&
		    [ "$(awk '/^PPid:/ { print $2 }' /proc/"$p"/status)" = "$INIT" ] &&
		    echo "$p"
	done | head -n 1)
	nspid=$(awk '/^NSpid:/ { print $NF }' "/proc/$sshd/status" 2>/dev/null)
	ok "ps ax lists the jail's sshd by its jail pid ($nspid)" \
	    grep -Eq "^ *$nspid .*sshd" "$SCRATCH/ps"
	is "$(grep -cF -e "$0" -e unshare -e meson "$SCRATCH/ps")" 0 \
	    "ps ax shows no host process"
	is "$(awk 'NR > 1 { n++ } END { print n + 0 }' "$SCRATCH/ps")" \
	    "$(pids_in_ns_of "$INIT" | wc -l | awk '{ print $1 + 2 }')" \
	    "ps ax lists as many processes as the jail's pid namespace holds" ||
	    diag "host view: $(pids_in_ns_of "$INIT" | tr '\n' ' ')"
}

test_pty() {
	check -o "match:^/dev/pts/[0-9]+"$'\r'"?$" -e ignore \
	    -m "ssh -tt: the session has a terminal of the jail's" \
	    -- "${SSH[@]}" -tt tty
	check -o "match:^root +pts/[0-9]+ " -e ignore \
	    -m "ssh -tt: who lists the session (utmp)" \
	    -- "${SSH[@]}" -tt who
	check -o "match:^root +pts/[0-9]+ " -m "last lists the sessions (wtmp)" \
	    -- "${SSH[@]}" last root
	check -o "match:(^|"$'\r'")$HOST"$'\r'"?$" -e ignore -i 'hostname\nexit\n' \
	    -m "an interactive login shell on a PTY runs what it is sent" \
	    -- "${SSH[@]}" -tt
}

test_stop() {
	check -o ignore -e ignore -m "jail -r" -- "$JAIL" -r $N
	like "$CHECK_STDOUT$CHECK_STDERR" \
	    "Asking all remaining processes to terminate" \
	    "jail -r runs Debian's rc 0 (its K01sendsigs ends sshd)"
	diag "$CHECK_STDOUT" "$CHECK_STDERR"
	is "$(cat "$P/var/log/gt-vps-marker" 2>/dev/null | tr '\n' ' ')" \
	    "start stop " "rc 0 ran the marker service's K script"
	ok "rc 0's umountnfs.sh wrote the shutdown record to the jail's wtmp" \
	    sh -c "last -x -f '$P/var/log/wtmp' | grep -q '^shutdown '"
	vps_gone $N $JID $ADDR "$INIT" "$PIDNS" "$P"
}

setup_root
test_boot
test_login
test_syslog
test_ps
test_pty
test_restart
test_stop
done_testing
