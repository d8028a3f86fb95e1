#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# attack-jls.sh: a jailed root chooses its jail's host name
# (allow.set_hostname), and the host may give a jail a name or a path
# with control characters; jls prints them to the admin's terminal.  No
# control character reaches it raw: in text, each byte the locale does
# not print shows as strvis(3) with VIS_OCTAL | VIS_CSTYLE | VIS_NL |
# VIS_NOSLASH shows it ("\033", "\n"), in every mode (the default table,
# -N, -v, -n, -s, -q, -h, parameters); in JSON as "\u001b".
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup
export LC_ALL=C

A=gt_ajls_a
B=$(printf 'gt_ajls_\001b')
for n in $A "$B"; do track_jail "$n"; done
V='x\\033[2Jy'		# as check's inline: (printf %b) reads it: x\033[2Jy
S='x\033[2Jy'		# the same, as printf %s prints it
CLEAR=$(printf 'x\033[2Jy')

check -o "inline:$A: created\n" -- "$JAIL" -c jid=485 name=$A path="$R" \
    host.hostname=a.example persist
check -m "jailed root sets a host name that clears the screen" \
    -- "$JEXEC" $A hostname "$CLEAR"
check -o "inline:$CLEAR\n" -m "  ... which is its host name" \
    -- "$JEXEC" $A hostname

check -o "inline:$V\n" -m "jls host.hostname: escaped" \
    -- "$JLS" -j $A host.hostname
printf '   JID  IP Address      Hostname                      Path\n%6d  %-15.15s %-29.29s %.74s\n' \
    485 '' "$S" "$R" >"$SCRATCH/table"
check -o "file:$SCRATCH/table" -m "jls: the default table, escaped" \
    -- "$JLS" -j $A
printf ' %-15s %-15s %-29s %s\n %-15s %-15.15s %-29.29s %.74s\n' \
    JID 'IP Address' Hostname Path $A '' "$S" "$R" >"$SCRATCH/table"
check -o "file:$SCRATCH/table" -m "jls -N: escaped" -- "$JLS" -N -j $A
check -o "match:^   485  x\\\\033\\[2Jy  " -m "jls -v: escaped" -- "$JLS" -v -j $A
check -o "inline:host.hostname=$V\n" -m "jls -n: escaped" \
    -- "$JLS" -n -j $A host.hostname
check -o "inline:name host.hostname\n$A $V\n" -m "jls -h: escaped" \
    -- "$JLS" -h -j $A name host.hostname
check -o "match:(^| )host.hostname=x\\\\033\\[2Jy( |\$)" -m "jls -s: escaped" \
    -- "$JLS" -s -j $A
check -o 'inline:{"__version": "2", "jail-information": {"jail": [{"host.hostname":"x\\u001b[2Jy"}]}\n}\n' \
    -m "jls --libxo json: \\u001b" -- "$JLS" --libxo json -j $A host.hostname
for args in "" "-N" "-v" "-n" "-s" "-q" "-h" "-d" "--libxo json" \
    "--libxo json,pretty -v" "jid host.hostname"; do
	# shellcheck disable=SC2086
	not_ok "jls $args: no ESC reaches the terminal" \
	    sh -c "'$JLS' $args | grep -q \"\$(printf '\\033')\""
done

# C1 controls (U+009B is a CSI too) and bytes that are not UTF-8; what
# the locale prints stays as it is.
check -m "jailed root sets a host name with U+009B, U+00E9 and \\377" \
    -- "$JEXEC" $A hostname "$(printf 'c\302\233d\303\251\377')"
check -o 'inline:c\\302\\233d\\303\\251\\377\n' -m "in the C locale, every high byte escaped" \
    -- "$JLS" -j $A host.hostname
check -o "inline:$(printf 'c\\\\302\\\\233d\303\251\\\\377')\n" \
    -m "in C.UTF-8, U+00E9 as it is, U+009B and \\377 escaped" \
    -- env LC_ALL=C.UTF-8 "$JLS" -j $A host.hostname
check -o 'inline:{"__version": "2", "jail-information": {"jail": [{"host.hostname":"c\\u009bd\303\251\\u00ff"}]}\n}\n' \
    -m "in JSON, U+009B and \\377 as \\u escapes, U+00E9 as it is" \
    -- "$JLS" --libxo json -j $A host.hostname
check -o empty -- "$JAIL" -r $A

# What the host chose: a name with \001, a path with a newline.
P="$SCRATCH/r
x"
mkdir "$P"
check -o ignore -m "jail -c with \\001 in the name and a newline in the path" \
    -- "$JAIL" -c jid=486 name="$B" path="$P" persist
check -o "inline:name=gt_ajls_\\\\001b path=$SCRATCH/r\\\\nx\n" \
    -m "a name with \\001 and a path with a newline, escaped" \
    -- "$JLS" -n -j 486 name path
is "$("$JLS" -j 486 jid path | wc -l)" 1 "the jail still takes one line"
check -o ignore -- "$JAIL" -r 486
is "$(state_snapshot)" "" "nothing left in the registry"
done_testing
