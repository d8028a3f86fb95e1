#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# jailconf.sh: jail(8) driven by a jail.conf(5) file, as FreeBSD users keep
# their jails: three jails, a wildcard block, variables, +=, an include and
# depend=; jail -c starts all in dependency order, jls lists them, jail -rc
# restarts one, jail -r '*' stops all.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

P=gt_cf_$$
for n in db app web; do track_jail ${P}_$n; done
LOG=$SCRATCH/order.log
CONF=$SCRATCH/jail.conf
mkdir -p "$SCRATCH/conf.d"

cat >"$CONF" <<EOF
# Global parameters apply to every jail.
path = "$R";
mount.devfs;
persist;
host.hostname = "\$name.example.org";	// per-jail variable

* {
	exec.poststart = "echo start \$name >> $LOG";
	exec.poststop = "echo stop \$name >> $LOG";
}

/* the database first */
${P}_db {
	exec.poststart += "echo ready \$name >> $LOG";
}

${P}_app {
	depend = ${P}_db;
}

.include "$SCRATCH/conf.d/*.conf";
EOF
cat >"$SCRATCH/conf.d/web.conf" <<EOF
${P}_web {
	depend = ${P}_app;
	host.hostname = "www.example.org";
}
EOF

log_is() { is "$(paste -sd' ' "$LOG")" "$1" "$2"; : >"$LOG"; }

test_start_all() {
	: >"$LOG"
	check -o "inline:${P}_db: created\n${P}_app: created\n${P}_web: created\n" \
	    -m "jail -f FILE -c starts every jail, dependencies first" \
	    -- "$JAIL" -f "$CONF" -c
	log_is "start ${P}_db ready ${P}_db start ${P}_app start ${P}_web" \
	    "exec.poststart ran in dependency order, += appended"
	check -o 'inline:gt_cf_X_db.example.org\n' -m "\$name expanded per jail" \
	    -- sh -c "'$JEXEC' ${P}_db hostname | sed 's/${P}/gt_cf_X/'"
	check -o 'inline:www.example.org\n' -m "the jail's block wins over globals" \
	    -- "$JEXEC" ${P}_web hostname
	is "$("$JLS" name | grep -c "^${P}_")" 3 "jls lists the three jails"
}

test_restart_one() {
	local before after
	before=$(jail_init_pid ${P}_web)
	check -o "inline:${P}_web: removed\n${P}_web: created\n" \
	    -m "jail -rc NAME restarts that jail" \
	    -- "$JAIL" -f "$CONF" -rc ${P}_web
	after=$(jail_init_pid ${P}_web)
	ok "it has a new init" test "$before" != "$after"
	log_is "stop ${P}_web start ${P}_web" "stop and start scripts of that jail"
	# a jail others depend on: they go down first and come back after it
	check -o "inline:${P}_web: removed\n${P}_app: removed\n${P}_app: created\n${P}_web: created\n" \
	    -m "jail -rc of a dependency restarts its dependents around it" \
	    -- "$JAIL" -f "$CONF" -rc ${P}_app
	log_is "stop ${P}_web stop ${P}_app start ${P}_app start ${P}_web" \
	    "in dependency order"
}

# Jails running on this host that this test did not make: jail -r '*'
# would stop them too, so the points using it are skipped then.
others_running() {
	"$JLS" path 2>/dev/null | grep -qv "^$SCRATCH/"
}

test_stop_all() {
	if others_running; then
		skip "jail -f FILE -r '*' stops all" "other jails are running"
		"$JAIL" -q -f "$CONF" -r ${P}_web ${P}_app ${P}_db
		: >"$LOG"
		return
	fi
	check -o "inline:${P}_web: removed\n${P}_app: removed\n${P}_db: removed\n" \
	    -m "jail -f FILE -r '*' stops all, dependents first" \
	    -- "$JAIL" -f "$CONF" -r '*'
	log_is "stop ${P}_web stop ${P}_app stop ${P}_db" "exec.poststop in reverse order"
	is "$("$JLS" name | grep -c "^${P}_")" 0 "none is left"
	check -e "inline:jail: \"${P}_db\" not found\n" \
	    -m "jail -r of a configured jail that is not running says so" \
	    -- "$JAIL" -f "$CONF" -r ${P}_db
}

# NAME param=value: the file's jail, the command line's value on top.
test_override() {
	check -o "inline:${P}_db: created\n${P}_app: created\n${P}_web: created\n" \
	    -m "jail -c NAME param=value: NAME and its dependencies" \
	    -- "$JAIL" -f "$CONF" -c ${P}_web host.hostname=cmdline.example.org
	check -o 'inline:cmdline.example.org\n' -m "the command line overrides the file" \
	    -- "$JEXEC" ${P}_web hostname
	check -o "inline:${P}_app.example.org\n" -m "for the jail it names only" \
	    -- "$JEXEC" ${P}_app hostname
	check -o "inline:${P}_web: removed\n${P}_app: removed\n${P}_db: removed\n" \
	    -- "$JAIL" -f "$CONF" -r ${P}_web ${P}_app ${P}_db
	: >"$LOG"
}

test_exhibit() {
	check -o "match:^jid=|name=${P}_db:path=$R" -m "jail -e SEP prints the configured jails" \
	    -- sh -c "'$JAIL' -f '$CONF' -e : | head -1"
}

test_errors() {
	printf 'bad {\n\tpersist\n' >"$SCRATCH/bad.conf"
	check -s 1 -e "match:^jail: $SCRATCH/bad.conf:3:1: " \
	    -m "a malformed file: one error with file:line:column" \
	    -- "$JAIL" -f "$SCRATCH/bad.conf" -c
	printf 'a { depend = b; persist; path = /; }\nb { depend = a; persist; path = /; }\n' \
	    >"$SCRATCH/loop.conf"
	check -s 1 -e 'inline:jail: dependency loop: a -> b -> a\n' \
	    -m "a dependency cycle is named and starts nothing" \
	    -- "$JAIL" -f "$SCRATCH/loop.conf" -c
}

test_start_all
test_restart_one
test_stop_all
test_override
test_exhibit
test_errors
done_testing
