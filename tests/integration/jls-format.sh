#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# jls-format.sh: every output mode of jls(8), byte for byte as FreeBSD's
# jls prints it: the default table, -N, -v, parameter lists with -n, -q,
# -h and -s, libxo JSON (compact and pretty), and the messages and exit
# statuses of a missing jail, an unknown parameter and a bad option.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/roots.sh"
test_setup

A=gt_jf_a
B=gt_jf_b
JA=140
JB=141
HA=gt-jf-a.example.org
HB=gt-jf-b
USAGE='jls: usage: jls [-dhNnqv] [-j jail] [param ...]'

header() { printf '   JID  IP Address      Hostname                      Path\n'; }
row() { printf '%6d  %-15.15s %-29.29s %.74s\n' "$1" "" "$2" "$3"; }

test_create() {
	track_jail $A
	track_jail $B
	check -o "inline:$A: created\n" -m "create $A" -- "$JAIL" -c \
	    jid=$JA name=$A path="$R" host.hostname=$HA persist
	check -o "inline:$B: created\n" -m "create $B" -- "$JAIL" -c \
	    jid=$JB name=$B path="$R" host.hostname=$HB persist
}

test_tables() {
	check -o "inline:$(header)\n$(row $JA $HA "$R")\n" \
	    -m "jls -j: FreeBSD's header and row" -- "$JLS" -j $A
	check -o "inline:$(printf ' %-15s %-15s %-29s %s\n' JID 'IP Address' \
	    Hostname Path)\n$(printf ' %-15s %-15.15s %-29.29s %.74s' $A '' \
	    $HA "$R")\n" -m "jls -N: names instead of jids" -- "$JLS" -N -j $A
	check -o "inline:   JID  Hostname                      Path
        Name                          State
        CPUSetID
        IP Address(es)
$(printf '%6d  %-29.29s %.74s' $JA $HA "$R")
$(printf '        %-29.29s %.74s' $A ACTIVE)
        0\n" -m "jls -v: four header lines and the jail's block" \
	    -- "$JLS" -v -j $A
	is "$("$JLS" jid name | grep -E ' gt_jf_')" "$JA $A
$JB $B" "jls lists the jails sorted by jid"
}

test_params() {
	check -o "inline:$A $JA $HA $R true\n" -m "explicit parameters" \
	    -- "$JLS" -j $A name jid host.hostname path persist
	check -o "inline:name=$A persist host.domainname=\"\"\n" \
	    -m "jls -n: name=value, booleans bare" \
	    -- "$JLS" -n -j $A name persist host.domainname
	check -o "inline:name jid\n$A $JA\n" -m "jls -h: a header line" \
	    -- "$JLS" -h -j $A name jid
	check -o "inline:$A \"\"\n" -m "jls -q: empty strings quoted" \
	    -- "$JLS" -q -j $A name host.domainname
	check -o "inline:$A\n" -m "a repeated parameter prints once" \
	    -- "$JLS" -j $A name name
	check -o "match:(^| )name=$A( |\$)" -m "jls -s names the jail" \
	    -- "$JLS" -s -j $A
	like "$CHECK_STDOUT" "(^| )persist( |\$)" "jls -s keeps persist"
	not_ok "jls -s skips read-only parameters" \
	    grep -Eq '(^| )(nodying|dying|parent|children\.cur|cpuset\.id)' \
	    <<<"$CHECK_STDOUT"
}

test_json() {
	local v='{"__version": "2", "jail-information": {"jail": ['
	check -o "inline:$v{\"jid\":$JA,\"ipv4\":\"\",\"hostname\":\"$HA\",\"path\":\"$R\"}]}\n}\n" \
	    -m "--libxo json: the default fields" -- "$JLS" --libxo json -j $A
	check -o "inline:$v{\"jid\":$JA,\"hostname\":\"$HA\",\"path\":\"$R\",\"name\":\"$A\",\"state\":\"ACTIVE\",\"cpusetid\":0, \"ipv4_addrs\": [], \"ipv6_addrs\": []}]}\n}\n" \
	    -m "--libxo=json -v: the verbose fields" -- "$JLS" --libxo=json -v -j $A
	check -o "inline:$v{\"name\":\"$A\",\"persist\":true,\"jid\":\"$JA\"}]}\n}\n" \
	    -m "--libxo json with parameters: booleans, strings" \
	    -- "$JLS" -j $A --libxo json name persist jid
	check -o "inline:$v]}\n}\n" -e "inline:jls: jail \"gt_jf_none\" not found\n" \
	    -s 1 -m "--libxo json: a missing jail still ends the document" \
	    -- "$JLS" --libxo json -j gt_jf_none
	if command -v python3 >/dev/null; then
		ok "--libxo json,pretty -v is valid JSON" sh -c \
		    "'$JLS' --libxo json,pretty -v | python3 -m json.tool"
		ok "--libxo json -n is valid JSON" sh -c \
		    "'$JLS' --libxo json -n | python3 -m json.tool"
	else
		skip "JSON validity" "no python3"
		skip "JSON validity" "no python3"
	fi
}

# What is printable prints as it is: a tab and a backslash too (quoted
# with -q as FreeBSD quotes them); only what the locale does not print is
# escaped (attack-jls.sh).
test_printable() {
	check -o ignore -m "jail -m: a host name with a tab, a command with \\" \
	    -- "$JAIL" -m name=$B host.hostname="$(printf 'b\tc')" \
	    exec.stop='echo a\b'
	check -o "inline:b\tc echo a\\\\b\n" -m "printed as they are" \
	    -- "$JLS" -j $B host.hostname exec.stop
	check -o "inline:\"b\tc\" \"echo a\\\\b\"\n" -m "  ... quoted with -q" \
	    -- "$JLS" -q -j $B host.hostname exec.stop
	check -o ignore -- "$JAIL" -m name=$B host.hostname=$HB exec.stop=
}

test_errors() {
	check -s 1 -o "inline:$(header)\n" \
	    -e 'inline:jls: jail "gt_jf_none" not found\n' \
	    -m "a missing jail: header, message, exit 1" -- "$JLS" -j gt_jf_none
	check -s 1 -e 'inline:jls: unknown parameter: bogus.param\n' \
	    -m "an unknown parameter: exit 1" -- "$JLS" bogus.param
	check -s 1 -e "inline:jls: illegal option -- x\n$USAGE\n" \
	    -m "a bad option: BSD's message and usage" -- "$JLS" -x
	check -s 1 -e "inline:jls: option requires an argument -- j\n$USAGE\n" \
	    -m "-j without a jail" -- "$JLS" -j
}

test_remove() {
	check -o empty -m "remove $A" -- "$JAIL" -r $A
	check -o empty -m "remove $B" -- "$JAIL" -r $B
	check -s 1 -o "inline:$(header)\n" \
	    -e "inline:jls: jail \"$A\" not found\n" \
	    -m "a removed jail is gone from jls" -- "$JLS" -j $A
}

test_create
test_tables
test_params
test_json
test_printable
test_errors
test_remove
done_testing
