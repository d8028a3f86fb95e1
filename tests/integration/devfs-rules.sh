#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# devfs-rules.sh: devfs(8)'s rule and ruleset commands on the host's
# store (/run/jail/devfs): add, show (FreeBSD's format), showsets, del,
# delset, rules from stdin, includes, every error with FreeBSD's words and
# status 1, usage; and, on a devfs mounted by mount.devfs inside a
# private mount namespace of the test's own, applyset, apply and ruleset.
# The rulesets used are numbered from this shell's pid, emptied at exit.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup
require_cmd unshare
DEVFS=$GAOL_BUILDDIR/devfs
MOUNT_DEVFS=$GAOL_BUILDDIR/mount.devfs
[ -x "$DEVFS" ] || skip_all "$DEVFS not built"
unset GAOL_DEVFS_STORE		# the store mount.devfs reads too

USAGE='usage: \tdevfs [-m mount-point] [-s ruleset] rule ...\n\tdevfs [-m mount-point] ruleset ...\n'

# Two rulesets nobody uses: N, and N2 = N + 1 (which may include N).
N=$((1000 + $$ % 60000))
while "$DEVFS" rule showsets | grep -qxE "$N|$((N + 1))"; do
	N=$((N + 2))
	[ "$N" -lt 65535 ] || bail_out "no free ruleset number"
done
N2=$((N + 1))
cleanup_sets() {
	"$DEVFS" rule -s "$N2" delset
	"$DEVFS" rule -s "$N" delset
}
tap_atexit cleanup_sets

test_add_show() {
	check -m "add" -- "$DEVFS" rule -s $N add path 'pts/*' unhide
	check -m "add with a number" -- "$DEVFS" rule -s $N add 150 type tty \
	    path 'tty*' mode 0620 group 0
	check -m "add numbers after the last rule" -- \
	    "$DEVFS" rule -s $N add hide
	check -o "inline:100 path pts/* unhide\n150 type tty path tty* group root mode 620\n250 hide\n" \
	    -m "show prints FreeBSD's rulespecs" -- "$DEVFS" rule -s $N show
	check -o "inline:150 type tty path tty* group root mode 620\n" \
	    -m "show N prints one rule" -- "$DEVFS" rule -s $N show 150
	check -o "match:^$N\$" -m "showsets lists the ruleset" \
	    -- "$DEVFS" rule showsets
	check -s 1 -e "inline:devfs rule: rule 999 does not exist in ruleset $N\n" \
	    -- "$DEVFS" rule -s $N show 999
}

test_del() {
	check -m "del" -- "$DEVFS" rule -s $N del 250
	check -o "inline:100 path pts/* unhide\n150 type tty path tty* group root mode 620\n" \
	    -m "the rule is gone" -- "$DEVFS" rule -s $N show
	check -s 1 -e "inline:devfs rule: rule 250 does not exist in ruleset $N\n" \
	    -- "$DEVFS" rule -s $N del 250
}

# bad_rule MESSAGE ARGS...: the rule command fails with exactly MESSAGE.
bad_rule() {
	local msg=$1; shift
	check -s 1 -e "inline:devfs rule: $msg\n" -- "$DEVFS" rule "$@"
}

test_bad_rules() {
	bad_rule "unknown argument: bogus" -s $N add bogus
	bad_rule "unknown argument: path" -s $N add hide path x
	bad_rule "expecting argument for path" -s $N add path
	bad_rule "unknown type: floppy" -s $N add type floppy
	bad_rule "invalid mode: 9" -s $N add mode 9
	bad_rule "unexpected end of rulespec" -s $N add 300
	bad_rule "number out of range: 70000 (at most 65535)" -s $N add 70000 hide
	bad_rule "rule 100 already exists in ruleset $N" -s $N add 100 hide
	bad_rule "ruleset $((N + 7)) does not exist" -s $N add include $((N + 7))
	bad_rule "ruleset $N cannot include itself" -s $N add include $N
	bad_rule "unknown user: gt_no_such_user" -s $N add user gt_no_such_user
	bad_rule "error converting to number: x" -s x show
	bad_rule "unknown command: frob" -s $N frob
	bad_rule "no ruleset given (-s) and /dev has none" add hide
	check -s 1 -e "inline:devfs rule: no ruleset given (-s) and $SCRATCH has none\n" \
	    -- "$DEVFS" -m "$SCRATCH" rule show
	check -s 1 -e "match:^devfs rule: $SCRATCH: " -m "applyset needs a devfs" \
	    -- "$DEVFS" -m "$SCRATCH" rule -s $N applyset
}

test_usage() {
	check -s 1 -e "inline:$USAGE" -- "$DEVFS"
	check -s 1 -e "inline:$USAGE" -- "$DEVFS" rule
	check -s 1 -e "inline:$USAGE" -- "$DEVFS" rule -s $N add
	check -s 1 -e "inline:$USAGE" -- "$DEVFS" rule -s $N del
	check -s 1 -e "inline:$USAGE" -- "$DEVFS" rule showsets extra
	check -s 1 -e "inline:$USAGE" -- "$DEVFS" ruleset
	check -s 1 -e "inline:devfs: illegal option -- x\n$USAGE" \
	    -- "$DEVFS" -x rule showsets
	check -s 1 -e "inline:devfs rule: option requires an argument -- s\n$USAGE" \
	    -- "$DEVFS" rule -s
	check -s 1 -e "inline:devfs: unknown command: frob\n" -- "$DEVFS" frob
}

# add -: one rule a line, all of them or none.
test_stdin() {
	check -i 'path null unhide\n# a comment\n\n300 path zero unhide\n' \
	    -m "add - reads rules from stdin" -- "$DEVFS" rule -s $N2 add -
	check -s 1 -i 'hide\nbogus\n' \
	    -e "inline:devfs rule: stdin:2: unknown argument: bogus\n" \
	    -m "a bad line adds nothing" -- "$DEVFS" rule -s $N2 add -
	check -o "inline:100 path null unhide\n300 path zero unhide\n" \
	    -- "$DEVFS" rule -s $N2 show
}

# An included ruleset outlives its rules until no include refers to it.
test_include_delset() {
	check -m "include" -- "$DEVFS" rule -s $N2 add include $N
	check -m "delset" -- "$DEVFS" rule -s $N delset
	check -o empty -m "the emptied ruleset has no rules" \
	    -- "$DEVFS" rule -s $N show
	check -o "match:^$N\$" -m "but is still included, so it stays" \
	    -- "$DEVFS" rule showsets
	check -- "$DEVFS" rule -s $N2 delset
	check -s 1 -m "both are gone once nothing includes N" \
	    -- sh -c "'$DEVFS' rule showsets | grep -xE '$N|$N2'"
}

# In a private mount namespace: a fresh devfs on $MP, then MP's script.
in_devfs() {
	unshare -m --propagation private sh -c \
	    '"$1" devfs "$2" || exit; shift 2; eval "$*"' sh \
	    "$MOUNT_DEVFS" "$MP" "$@"
}

test_applyset() {
	local ttys
	MP=$SCRATCH/dev
	mkdir -p "$MP"
	ttys=$(ls /dev | grep '^tty')
	check -- "$DEVFS" rule -s $N add hide
	check -- "$DEVFS" rule -s $N add path 'tty*' unhide
	check -o "inline:$ttys\n" -m "applyset leaves exactly the host's tty* nodes" \
	    -- in_devfs "'$DEVFS' -m '$MP' rule -s $N applyset && ls '$MP'"
	check -o "inline:--\n--\ntty\n" -m "apply rulenum, apply rulespec" \
	    -- in_devfs "'$DEVFS' -m '$MP' rule -s $N apply 100 && echo -- &&
		ls '$MP' && echo -- &&
		'$DEVFS' -m '$MP' rule apply path tty unhide && ls '$MP'"
	check -o "inline:100 hide\n200 path tty* unhide\n" \
	    -m "ruleset N makes N the mount point's ruleset" \
	    -- in_devfs "'$DEVFS' -m '$MP' ruleset $N &&
		'$DEVFS' -m '$MP' rule show"
	check -o "inline:$ttys\n" -m "applyset without -s applies it" \
	    -- in_devfs "'$DEVFS' -m '$MP' ruleset $N &&
		'$DEVFS' -m '$MP' rule applyset && ls '$MP'"
	check -s 1 -e "inline:devfs rule: ruleset $N2 does not exist\n" \
	    -m "applyset of a missing ruleset" \
	    -- in_devfs "'$DEVFS' -m '$MP' rule -s $N2 applyset"
}

test_add_show
test_del
test_bad_rules
test_usage
test_stdin
test_include_delset
if [ -x "$MOUNT_DEVFS" ]; then
	test_applyset
else
	skip "applyset on a devfs" "$MOUNT_DEVFS not built"
fi
done_testing
