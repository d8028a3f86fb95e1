#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# conf-exhibit.sh: every good jail.conf under tests/unit/conf/good, shown
# by `jail -f FILE -e ' '`, prints exactly its .exhibit file: the FreeBSD
# examples (jail.8, jail.conf.5, FreeBSD's own test file) yield the
# parameters FreeBSD would, in jail(8)'s own output.  No root needed.
set -u
dir=$(dirname "$0")/conf/good
jail=${GAOL_BUILDDIR:-build}/jail
n=0 failed=0
for conf in "$dir"/*.conf; do
	n=$((n + 1))
	want=${conf%.conf}.exhibit
	if got=$("$jail" -f "$conf" -e ' ' 2>&1) &&
	    [ "$got" = "$(cat "$want")" ]; then
		echo "ok $n - jail -e: $(basename "$conf")"
	else
		echo "not ok $n - jail -e: $(basename "$conf")"
		diff <(printf '%s\n' "$got") "$want" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
