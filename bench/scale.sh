#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# scale.sh: what one more jail costs when there are many.  In
# one run, on one busybox root, for N = 100, 500 and 1000 persistent jails
# with default parameters, and for the nearest peer that runs here (N
# holders "unshare --fork --pid --mount --uts --ipc --mount-proc --root=R
# sleep"):
#
#   create   jails/s adding BATCH more jails when N exist (also at N = 1)
#   memory   host memory per idle jail: growth of MemTotal - MemAvailable
#            over N; of it, the processes' own (their Pss) and the
#            kernel's (Slab + KernelStack + PageTables + Percpu); what is
#            left is "beyond its own processes"
#   jls      median wall time of jls and of jls -j NAME (peer: lsns -t pid)
#   jexec    median of jexec NAME /bin/true (peer: nsenter -t PID -a)
#   remove   jails/s of one jail -r '*' (naming all N when other jails
#            run) (peer: kill and reap)
#
# and then its targets.  A benchmark, not a test: it asserts
# nothing and meson never runs it.  It removes every jail and holder it
# made, also when it fails or is interrupted, and stops before a size the
# machine cannot hold (free memory, pid_max).  Other activity on the
# machine moves the memory figures; run it on a quiet machine.
#
# Usage: bench/scale.sh [-n RUNS] [-s "SIZES"] [-b BATCH]   (as root;
# RUNS defaults to 30, SIZES to "100 500 1000", BATCH to 20)
set -uo pipefail

. "$(dirname "$0")/../tests/lib/roots.sh"
. "$(dirname "$0")/lib.sh"

RUNS=30
ENGINE=loop
SIZES="100 500 1000"
BATCH=20
PFX=gsc$$-		# jail names: $PFX1 .. $PFX$NJ
NJ=0			# how many of them exist
RATE=0			# what grow or shrink measured, in jails/s
HOLDERS=()		# the peer's holder pids

usage() { echo "usage: scale.sh [-n runs] [-s sizes] [-b batch]" >&2; exit 1; }

while getopts 'n:s:b:' opt; do
	case $opt in
	n) RUNS=$OPTARG ;;
	s) SIZES=$OPTARG ;;
	b) BATCH=$OPTARG ;;
	*) usage ;;
	esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ && $BATCH =~ ^[1-9][0-9]*$ ]] || usage
for n in $SIZES; do [[ $n =~ ^[1-9][0-9]*$ ]] || usage; done

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
used_kb() { echo $(($(meminfo MemTotal) - $(meminfo MemAvailable))); }
kern_kb() {
	echo $(($(meminfo Slab) + $(meminfo KernelStack) + $(meminfo PageTables) +
	    $(meminfo Percpu)))
}
# The summed Pss (kB) of the pids on stdin.
pss_kb() {
	sed 's|.*|/proc/&/smaps_rollup|' | xargs -r awk '$1 == "Pss:" { s += $2 }
	    END { print s + 0 }' 2>/dev/null
}
now() { echo "$EPOCHREALTIME"; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", n / (b - a) }'; }

names() {
	local i
	for ((i = $1; i <= $2; i++)); do echo "$PFX$i"; done
}

# Create jails up to $1 ($PFX(NJ+1) .. $PFX$1); RATE: jails/s.  Never in
# a subshell: NJ must follow.
grow() {
	local t0 t1 i n=$(($1 - NJ))
	t0=$(now)
	for ((i = NJ + 1; i <= $1; i++)); do
		"$JAIL" -q -c name="$PFX$i" path="$R" persist ||
		    die "jail -c $PFX$i failed"
		NJ=$i
	done
	t1=$(now)
	RATE=$(rate "$n" "$t0" "$t1")
}

# Remove the jails above $1 with one jail -r; RATE: jails/s.
shrink() {
	local t0 t1 n=$((NJ - $1)) v
	RATE=0
	((n > 0)) || return 0
	mapfile -t v < <(names $(($1 + 1)) "$NJ")
	# all of them, and no other jail runs: jail -r '*', as an admin would
	if (($1 == 0)) && [ -z "$("$JLS" name | grep -v "^$PFX")" ]; then
		v=('*')
	fi
	t0=$(now)
	"$JAIL" -q -r "${v[@]}" || die "jail -r ${v[*]} failed"
	t1=$(now)
	NJ=$1
	RATE=$(rate "$n" "$t0" "$t1")
}

# Host pids of our jails' inits (the status line of their state entries).
init_pids() {
	"$JLS" name jid | awk -v p="$PFX" 'index($1, p) == 1 { print $2 }' |
	    while read -r jid; do
		read -r _ pid _ <"$JAIL_RUNDIR/$jid/state" && echo "$pid"
	done
}

holders_start() {
	local i
	for ((i = ${#HOLDERS[@]}; i < $1; i++)); do
		unshare --fork --pid --mount --uts --ipc --mount-proc \
		    --root="$R" /bin/sleep 100000 </dev/null >/dev/null 2>&1 &
		HOLDERS+=("$!")
		disown	# no "Killed" notice when holders_stop kills it
	done
	sleep 1
}
# Holder pids and their sleeping children.
holder_pids() {
	local p
	for p in "${HOLDERS[@]}"; do
		echo "$p"
		cat "/proc/$p/task/$p/children" 2>/dev/null | tr ' ' '\n' | grep .
	done
}
# unshare --fork ignores SIGTERM and a pid namespace's init takes only
# SIGKILL from outside: kill the sleeps, and each unshare follows.
holders_stop() {
	((${#HOLDERS[@]} > 0)) || return 0
	local p
	holder_pids | xargs -r kill -KILL 2>/dev/null
	for p in "${HOLDERS[@]}"; do
		while kill -0 "$p" 2>/dev/null; do sleep 0.01; done
	done
	HOLDERS=()
}

scale_cleanup() {
	holders_stop
	if ((NJ > 0)); then
		mapfile -t v < <(names 1 "$NJ")
		"$JAIL" -q -r "${v[@]}" 2>/dev/null
		NJ=0
	fi
}

# Refuse a size this machine cannot hold: 4 MiB and 4 pids a jail, with
# 1 GiB and a tenth of pid_max to spare.
fits() {
	local avail pidmax
	avail=$(meminfo MemAvailable)
	pidmax=$(cat /proc/sys/kernel/pid_max)
	if (($1 * 4096 + 1048576 > avail)); then
		echo "scale.sh: stopping before N = $1: $((avail / 1024)) MiB free" >&2
		return 1
	fi
	if (($1 * 8 > pidmax * 9 / 10)); then
		echo "scale.sh: stopping before N = $1: pid_max is $pidmax" >&2
		return 1
	fi
}

declare -A RES

# Everything measured with N jails (and N holders) in place.
at_size() {
	local n=$1 u0 k0 u1 k1 pss first=$PFX$(( $1 > 1 ? $1 / 2 : 1 ))
	local init
	grow $((n + BATCH))
	RES[create,$n]=$RATE
	shrink "$n"
	[ "$("$JLS" name | grep -c "^$PFX")" = "$n" ] ||
	    die "jls does not list the $n jails"
	RES[jls,$n]=$(median "$JLS")
	RES[jlsj,$n]=$(median "$JLS" -j "$first")
	RES[jexec,$n]=$(median "$JEXEC" "$first" /bin/true)
	u1=$(used_kb); k1=$(kern_kb)
	pss=$(init_pids | pss_kb)
	RES[mem,$n]=$(((u1 - U0) / n))
	RES[memproc,$n]=$((pss / n))
	RES[memkern,$n]=$(((k1 - K0) / n))
	# the peer: as many holders, measured the same way
	holders_start "$n"
	u0=$(used_kb); k0=$(kern_kb)
	RES[pmem,$n]=$(((u0 - u1) / n))
	RES[pmemproc,$n]=$(($(holder_pids | pss_kb) / n))
	RES[pmemkern,$n]=$(((k0 - k1) / n))
	RES[plist,$n]=$(median lsns -t pid)
	init=$(holder_pids | sed -n 2p)
	RES[nsenter,$n]=$(median nsenter -t "$init" -a /bin/true)
	local t0 t1
	t0=$(now); holders_stop; t1=$(now)
	RES[premove,$n]=$(rate "$n" "$t0" "$t1")
	printf 'N=%-5s create %7s/s  jls %7.2f ms  jls -j %6.2f ms  jexec %6.2f ms  mem %5s KiB/jail (procs %s, kernel %s)\n' \
	    "$n" "${RES[create,$n]}" "${RES[jls,$n]}" "${RES[jlsj,$n]}" \
	    "${RES[jexec,$n]}" "${RES[mem,$n]}" "${RES[memproc,$n]}" \
	    "${RES[memkern,$n]}"
	printf '%-7s peer   %7s      lsns %6.2f ms                 nsenter %5.2f ms  mem %5s KiB/holder (procs %s, kernel %s)\n' \
	    "" "-" "${RES[plist,$n]}" "${RES[nsenter,$n]}" "${RES[pmem,$n]}" \
	    "${RES[pmemproc,$n]}" "${RES[pmemkern,$n]}"
}

report() {
	local top=$1
	echo
	echo "remove (jail -r of all N, jails/s) vs peer (kill, holders/s):"
	for n in $SIZES; do
		[ -n "${RES[remove,$n]:-}" ] || continue
		printf '  N=%-5s %8s/s   peer %8s/s\n' "$n" "${RES[remove,$n]}" \
		    "${RES[premove,$n]}"
	done
	echo
	echo "targets at N = $top:"
	awk -v m="${RES[mem,$top]}" -v p="${RES[memproc,$top]}" 'BEGIN {
	    printf "  memory beyond own processes  %7.0f KiB/jail  (target < 1024)\n", m - p }'
	awk -v a="${RES[jls,$top]}" -v f="${RES[floor]}" 'BEGIN {
	    printf "  jls                          %7.2f ms        (target < 20; starting any process costs %.2f of it here)\n", a, f }'
	awk -v a="${RES[jlsj,$top]}" -v b="${RES[jlsj,1]}" 'BEGIN {
	    printf "  jls -j at N / at 1           %7.2f           (target <= 1.1)\n", a / b }'
	awk -v a="${RES[jexec,$top]}" -v b="${RES[jexec,1]}" 'BEGIN {
	    printf "  jexec at N / at 1            %7.2f           (target <= 1.1)\n", a / b }'
	awk -v a="${RES[create,$top]}" -v b="${RES[create,1]}" 'BEGIN {
	    printf "  create rate at N / at 1      %7.2f           (target >= 0.8)\n", a / b }'
}

main() {
	local top=1
	[ "$(id -u)" -eq 0 ] || die "run as root"
	require_binaries
	command -v lsns >/dev/null && command -v nsenter >/dev/null ||
	    die "needs util-linux (lsns, nsenter)"
	scratch_new
	trap 'scale_cleanup; roots_cleanup' EXIT
	trap 'exit 130' INT TERM HUP
	R=$SCRATCH/root
	make_busybox_root "$R" || die "cannot build a busybox root"
	echo "runs: $RUNS, batch: $BATCH, sizes: 1 $SIZES, root: $R"
	# what this clock gives a process that does nothing: the floor of
	# every figure in ms below
	RES[floor]=$(median /bin/true)
	printf 'floor: /bin/true %.2f ms\n' "${RES[floor]}"
	U0=$(used_kb); K0=$(kern_kb)
	grow 1
	at_size 1
	for n in $SIZES; do
		fits $((n + BATCH)) || break
		grow "$n"
		at_size "$n"
		top=$n
		shrink 0
		RES[remove,$n]=$RATE
		U0=$(used_kb); K0=$(kern_kb)
	done
	report "$top"
}

main "$@"
