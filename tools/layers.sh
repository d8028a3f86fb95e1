#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The floor plan of libjail, checked: lib/ is folders that are layers,
# lowest first, each exporting one header named after it.  Fails when
#   - a file includes a header of a higher folder, or a header of another
#     folder that is not that folder's exported one (a private header);
#   - a command (cmd/, mkjail/, examples/) includes a private header;
#   - an object of a folder calls a function defined in a higher folder
#     (read from the built objects with nm, when a build directory is given);
#   - a C file passes 800 lines.
# Usage: tools/layers.sh [builddir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-}

# The layers, lowest first, and the header each exports.
layers=(base param conf registry fs cgroup net confine proc jail)
declare -A rank export
for i in "${!layers[@]}"; do rank[${layers[$i]}]=$i; done
for l in "${layers[@]}"; do export[$l]=$l.h; done
export[jail]=life.h
top=${#layers[@]}		# lib/libjail.c, above every folder

# Headers that are no folder's: the public API and generated ones.
shared=" jail.h config.h devfs-rules-default.h jail-sock.h jail-sock-bpf.h jail-lsm-bpf.h "

fail=0
bad() { echo "layers: $*" >&2; fail=1; }

# check_includes FILE RANK FOLDER: FOLDER is "" for a file outside lib/'s
# folders (it may include exported headers only).
check_includes() {
	local file=$1 me=$2 folder=$3 inc dir name
	while IFS= read -r inc; do
		if [[ $inc != */* ]]; then
			[[ $shared == *" $inc "* ]] && continue
			[ -f "$(dirname "$file")/$inc" ] && [ -n "$folder" ] && continue
			[ -f "$(dirname "$file")/$inc" ] && [[ $file != lib/* ]] && continue
			bad "$file includes \"$inc\": not a header of its own folder"
			continue
		fi
		dir=${inc%%/*} name=${inc#*/}
		if [ -z "${rank[$dir]:-}" ]; then
			bad "$file includes \"$inc\": no such layer"
		elif [ "$dir" != "$folder" ] && [ "$name" != "${export[$dir]}" ]; then
			bad "$file includes \"$inc\": private to lib/$dir (its header is ${export[$dir]})"
		elif [ "${rank[$dir]}" -gt "$me" ]; then
			bad "$file includes \"$inc\": lib/$dir is above lib/$folder"
		fi
	done < <(sed -n 's/^#include "\(.*\)".*/\1/p' "$file")
}

for l in "${layers[@]}"; do
	for f in lib/$l/*.[ch]; do
		[ -e "$f" ] && check_includes "$f" "${rank[$l]}" "$l"
	done
done
for f in lib/*.[ch]; do
	[ -e "$f" ] || continue
	case $f in
	lib/libjail*.[ch]) check_includes "$f" "$top" "top" ;;
	*) bad "$f: every file of lib/ lives in a layer's folder" ;;
	esac
done
for f in cmd/*.[ch] mkjail/*.[ch] examples/*.[ch]; do
	[ -e "$f" ] && check_includes "$f" "$top" ""
done

# Calls: an object may use what its own folder or a lower one defines.
if [ -n "$build" ]; then
	objs=("$build"/libjail-core.a.p/lib_*.o)
	[ -e "${objs[0]}" ] || { echo "layers: no objects in $build; build it first" >&2; exit 1; }
	# One nm over every object: "object: [address] type symbol".
	nm -A "${objs[@]}" | awk -v order="${layers[*]}" '
	BEGIN { n = split(order, l, " "); for (i = 1; i <= n; i++) rank[l[i]] = i }
	function layer(o,   i) {
		sub(/.*\/lib_/, "", o); sub(/:$/, "", o)
		for (i = 1; i <= n; i++)
			if (index(o, l[i] "_") == 1) return l[i]
		return "top"
	}
	function r(x) { return x in rank ? rank[x] : n + 1 }
	$(NF - 1) ~ /^[TDBR]$/ { def[$NF] = layer($1) }
	$(NF - 1) == "U" { use[++u] = layer($1) " " $NF " " $1 }
	END {
		for (i = 1; i <= u; i++) {
			split(use[i], f, " ")
			if (!(f[2] in def) || r(def[f[2]]) <= r(f[1])) continue
			o = f[3]; sub(/.*\/lib_/, "", o); sub(/:$/, "", o)
			printf "layers: %s calls %s of lib/%s, above lib/%s\n", o, f[2], def[f[2]], f[1]
			bad = 1
		}
		exit bad
	}' >&2 || fail=1
fi

# Size: a file past 800 lines has more than one job.
while IFS= read -r f; do
	n=$(wc -l <"$f")
	[ "$n" -le 800 ] || bad "$f: $n lines (at most 800)"
done < <(git ls-files '*.c' '*.h')

[ "$fail" = 0 ] || exit 1
echo "layers: clean"
