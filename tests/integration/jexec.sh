#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# jexec.sh: jexec by name and jid, with and without a command, as a user
# of the jail's own passwd (-U) or the host's (-u), with a login
# environment (-l); its exit status is the command's and its options stop
# at the jail name; a command starts with every signal at its default and
# none blocked, whatever the jail's creator ignored.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

N=gt_jx
JID=180
# A user only the jail knows: -U must find it, -u must not.
echo 'gtjailonly:x:1234:1234:only in the jail:/home/user:/bin/gtshell' >>"$R/etc/passwd"
printf '#!/bin/sh\necho gtshell "$@"\n' >"$R/bin/gtshell"
chmod 755 "$R/bin/gtshell"
echo 'gtjailonly:x:1234:' >>"$R/etc/group"

track_jail $N
check -o "inline:$N: created\n" \
    -- "$JAIL" -c jid=$JID name=$N path="$R" host.hostname=gt-jx persist

test_basics() {
	check -o 'inline:gt-jx\n' -m "jexec NAME" -- "$JEXEC" $N hostname
	check -o 'inline:gt-jx\n' -m "jexec JID" -- "$JEXEC" $JID hostname
	check -s 7 -m "the exit status is the command's" \
	    -- "$JEXEC" $N sh -c 'exit 7'
	check -s 0 -o 'inline:-l x\n' -m "options after the jail go to the command" \
	    -- "$JEXEC" $N echo -l x
	check -i 'hello\n' -o 'inline:hello\n' -m "stdin reaches the command" \
	    -- "$JEXEC" $N cat
	check -o 'inline:0\n' -m "the default user is root" -- "$JEXEC" $N id -u
}

# No command: the shell from the jail's passwd, reading stdin (FreeBSD
# runs it with -i, so an interactive shell may prompt on stderr).
test_shell() {
	check -i 'echo in-shell; exit 4\n' -s 4 -o 'inline:in-shell\n' -e ignore \
	    -m "jexec NAME with no command runs root's shell" -- "$JEXEC" $N
	check -i 'id -u\n' -o 'inline:1000\n' -e ignore \
	    -m "jexec -U user NAME with no command runs user's shell" \
	    -- "$JEXEC" -U user $N
	check -i '' -o 'match:^gtshell' -e ignore \
	    -m "the shell is the one the jail's passwd names" \
	    -- "$JEXEC" -U gtjailonly $N
}

test_users() {
	check -o 'inline:1000\n' -m "jexec -U user: the jail's passwd" \
	    -- "$JEXEC" -U user $N id -u
	check -o 'inline:1000 1000\n' -m "jexec -U user sets the group too" \
	    -- "$JEXEC" -U user $N sh -c 'echo $(id -u) $(id -g)'
	check -o 'inline:1234\n' -m "jexec -U finds a user only the jail has" \
	    -- "$JEXEC" -U gtjailonly $N id -u
	check -o 'inline:0\n' -m "jexec -u root: the host's passwd" \
	    -- "$JEXEC" -u root $N id -u
	check -s 1 -o empty -e 'not-empty' -m "jexec -u does not use the jail's passwd" \
	    -- "$JEXEC" -u gtjailonly $N id -u
	check -s 1 -o empty -e 'not-empty' -m "jexec -U with an unknown user fails" \
	    -- "$JEXEC" -U gt_no_such_user $N id -u
}

# -l: a clean login environment and the user's home as cwd.
test_login() {
	check -o 'inline:/home/user user /bin/sh\n/home/user\n' \
	    -m "jexec -l -U user: HOME USER SHELL and cwd" \
	    -- "$JEXEC" -l -U user $N sh -c 'echo $HOME $USER $SHELL; pwd'
	check -o 'inline:\n' -m "jexec -l clears the caller's environment" \
	    -- env GT_LEAK=1 "$JEXEC" -l $N sh -c 'echo $GT_LEAK'
	check -o 'inline:/root\n' -m "jexec -l as root: cwd is /root" \
	    -- "$JEXEC" -l $N pwd
}

test_usage() {
	check -s 1 -o empty -e 'match:^usage: jexec' -m "jexec with no jail prints usage" \
	    -- "$JEXEC"
	check -s 1 -o empty -e 'match:^usage: jexec' -m "jexec -u and -U together" \
	    -- "$JEXEC" -u root -U root $N true
}

# Signals the creator ignored (nohup's SIGHUP, a shell's trap '') and the
# ones gaol's spawner ignores itself reach no command.
test_signals() {
	track_jail ${N}_s
	check -m "jail -c under trap '' HUP INT PIPE XFSZ" -- bash -c \
	    "trap '' HUP INT PIPE XFSZ; exec \"$JAIL\" -q -c name=${N}_s \
	    path=\"$R\" mount.procfs persist"
	check -o 'inline:SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n' \
	    -m "jexec: no signal blocked or ignored" \
	    -- "$JEXEC" ${N}_s grep -E '^Sig(Blk|Ign)' /proc/self/status
	check -m "jail -r ${N}_s" -- "$JAIL" -q -r ${N}_s
}

test_basics
test_signals
test_shell
test_users
test_login
test_usage
check -o empty -- "$JAIL" -r $N
done_testing
