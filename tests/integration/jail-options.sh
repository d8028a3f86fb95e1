#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# jail-options.sh: jail(8)'s own flags, as FreeBSD spells them: -i, -q,
# -v, -u / -U / -l for the jailed command, exec.system_user for host
# commands, -cm (create or modify), the old fixed form, refused options.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_opt_$$
track_jail $N; track_jail ${N}b

USAGE_FIRST='usage: jail \[-dhilqv\] \[-J jid_file\]'

test_print_jid() {
	check -o 'match:^[0-9]+$' -m "-i prints the new jid only" \
	    -- "$JAIL" -i -c path="$R" command=/bin/true
	check -o 'inline:hi\n' -m "-q: no note, the command's output only" \
	    -- "$JAIL" -q -c name=$N path="$R" command=/bin/echo hi
}

test_verbose() {
	check -o "match:^$N: created
$N: run command in jail: /bin/echo hi
hi$" -m "-v: created and the command it runs" \
	    -- "$JAIL" -v -c name=$N path="$R" command=/bin/echo hi
}

# -U: the jail's passwd; -u: the host's; -l: a login environment.
test_users() {
	check -o 'inline:1000\n' -m "-U user command=: uid from the jail's passwd" \
	    -- "$JAIL" -U user -c path="$R" command=/usr/bin/id -u
	check -o "inline:$(id -u nobody)\n" -m "-u nobody command=: the host's nobody" \
	    -- "$JAIL" -u nobody -c path="$R" command=/usr/bin/id -u
	check -o 'inline:/home/user /home/user user\n' \
	    -m "-l -U user: HOME, cwd and USER of the login" \
	    -- "$JAIL" -l -U user -c path="$R" \
	    command=/bin/sh -c 'echo $HOME $PWD $USER'
	check -s 1 -o empty -e "match:^$USAGE_FIRST" -m "-u with -U is a usage error" \
	    -- "$JAIL" -u root -U user -c path="$R" command=/bin/true
}

# exec.system_user: host-side scripts run as that host user.
test_system_user() {
	check -o "inline:$(id -u nobody)\n" -m "exec.system_user=nobody runs exec.prestart as nobody" \
	    -- "$JAIL" -c path="$R" exec.system_user=nobody \
	    exec.prestart="id -u" command=/bin/true
}

test_create_or_modify() {
	check -o "inline:$N: created\n" -m "-cm creates a missing jail" \
	    -- "$JAIL" -cm name=$N path="$R" host.hostname=gt-one persist
	check -o "inline:$N: updated\n" -m "-cm modifies a running one" \
	    -- "$JAIL" -cm name=$N host.hostname=gt-two
	check -o 'inline:gt-two\n' -- "$JEXEC" $N hostname
	check -o empty -m "-r of one jail without jail.conf: quiet (FreeBSD)" \
	    -- "$JAIL" -r $N
}

# "NAME: removed" when several jails are named, or with -v.
test_removed_notes() {
	check -o "inline:$N: created\n" -- "$JAIL" -c name=$N path="$R" persist
	check -o "inline:${N}b: created\n" -- "$JAIL" -c name=${N}b path="$R" persist
	check -o "inline:$N: removed\n${N}b: removed\n" -m "-r A B notes each" \
	    -- "$JAIL" -r $N ${N}b
	check -o "inline:$N: created\n" -- "$JAIL" -c name=$N path="$R" persist
	check -o "inline:$N: removed\n" -m "-v -r notes it" -- "$JAIL" -v -r $N
}

# The old fixed form: jail path hostname ip command ...
test_old_style() {
	check -o 'inline:gt-old\n' -m "jail path hostname '' command" \
	    -- "$JAIL" "$R" gt-old "" /bin/hostname
	# (hostname opens no socket: nothing reaches the host's network)
	check -o 'inline:gt-old\n' -m "the old form with an address: ip4.addr" \
	    -- "$JAIL" "$R" gt-old 10.1.0.1 /bin/hostname
}

# exec.consolelog below the jail's path: the jail's root owns those
# directories, so no symlink is followed there (host files stay untouched).
test_consolelog_symlink() {
	mkdir -p "$R/var" "$SCRATCH/outside"
	ln -s "$SCRATCH/outside" "$R/var/log"
	check -s 1 -o "inline:$N: created\n" \
	    -e "inline:jail: $N: exec.consolelog: $R/var/log/console: a symbolic link in the jail\n" \
	    -m "exec.consolelog through a symlink in the jail is refused" \
	    -- "$JAIL" -c name=$N path="$R" persist \
	    exec.consolelog="$R/var/log/console" exec.start="echo hi"
	not_ok "nothing was written outside the jail" test -e "$SCRATCH/outside/console"
	not_ok "and the jail is gone" "$JLS" -j $N
	rm "$R/var/log"
}

test_refused() {
	check -s 1 -e "match:^jail: illegal option -- x
$USAGE_FIRST" -m "an unknown flag: BSD getopt's words, then usage" \
	    -- "$JAIL" -x
	check -s 1 -e "inline:jail: $SCRATCH/none.conf: No such file or directory\n" \
	    -m "-f with a missing file" \
	    -- "$JAIL" -f "$SCRATCH/none.conf" -c
	check -s 1 -e "match:^jexec: option requires an argument -- u
usage: jexec" -m "jexec -u without a user" -- "$JEXEC" -u
}

test_print_jid
test_verbose
test_users
test_system_user
test_create_or_modify
test_removed_notes
test_old_style
test_consolelog_symlink
test_refused
done_testing
