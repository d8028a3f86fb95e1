#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# jexec-users.sh: whose credentials jexec uses: -U takes the user and its
# groups from the jail's own etc/passwd and etc/group, -u from the host's;
# -l gives that user's login environment; -u with -U is a usage error and
# an unknown user a clear error, both exit 1.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_users_$$
# Groups only the jail knows, with user as a member: ids from the jail's
# group file, names the host does not have.
cat >>"$R/etc/group" <<'EOF'
gtstaff:x:4201:user
gtaudio:x:4202:nobody,user
gtother:x:4203:nobody
EOF
# A host user, for -u: its uid must come from the host's passwd.
HOST_NOBODY=$(id -u nobody)

track_jail $N
check -o "inline:$N: created\n" -- "$JAIL" -c name=$N path="$R" \
    host.hostname=gt-users persist

test_jail_user() {
	check -o 'inline:uid=1000(user) gid=1000(user) groups=1000(user),4201(gtstaff),4202(gtaudio)\n' \
	    -m "jexec -U user: uid and groups from the jail's files" \
	    -- "$JEXEC" -U user $N id
	check -o 'inline:1000 4201 4202\n' \
	    -m "jexec -U user: the supplementary groups are set" \
	    -- "$JEXEC" -U user $N sh -c 'echo $(id -G)'
	check -o 'inline:0\n' -m "jexec -U root: uid 0" \
	    -- "$JEXEC" -U root $N id -u
	check -o 'inline:65534 65534 4202 4203\n' \
	    -m "jexec -U nobody: its uid and the jail's groups listing it" \
	    -- "$JEXEC" -U nobody $N sh -c 'echo $(id -u) $(id -G)'
}

test_host_user() {
	check -o 'inline:0\n' -m "jexec -u root: the host's root" \
	    -- "$JEXEC" -u root $N id -u
	check -o "inline:$HOST_NOBODY\n" -m "jexec -u nobody: the host's nobody" \
	    -- "$JEXEC" -u nobody $N id -u
	check -o "inline:$(id -G nobody)\n" \
	    -m "jexec -u nobody: groups from the host's group file" \
	    -- "$JEXEC" -u nobody $N sh -c 'echo $(id -G)'
}

test_login() {
	check -o 'inline:/home/user /bin/sh user /home/user\n' \
	    -m "jexec -l -U user: HOME SHELL USER and cwd" \
	    -- "$JEXEC" -l -U user $N sh -c 'echo $HOME $SHELL $USER $PWD'
	check -o 'inline:/root /bin/sh root /root\n' \
	    -m "jexec -l: root's login environment" \
	    -- "$JEXEC" -l $N sh -c 'echo $HOME $SHELL $USER $PWD'
}

test_errors() {
	check -s 1 -e 'match:^usage: jexec' -m "-u and -U together: usage, exit 1" \
	    -- "$JEXEC" -u root -U user $N id
	check -s 1 -e 'match:^usage: jexec' -m "-U and -u together: usage, exit 1" \
	    -- "$JEXEC" -U user -u root $N id
	check -s 1 -e 'inline:jexec: gt_no_user: no such user\n' \
	    -m "jexec -U unknown: a clear error, exit 1" \
	    -- "$JEXEC" -U gt_no_user $N id
	check -s 1 -e 'inline:jexec: gt_no_user: no such user\n' \
	    -m "jexec -u unknown: a clear error, exit 1" \
	    -- "$JEXEC" -u gt_no_user $N id
	check -s 1 -e 'inline:jexec: gtstaff: no such user\n' \
	    -m "jexec -U with a group name is no user" \
	    -- "$JEXEC" -U gtstaff $N id
}

test_jail_user
test_host_user
test_login
test_errors
check -o empty -- "$JAIL" -r $N
done_testing
