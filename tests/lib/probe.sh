# SPDX-License-Identifier: BSD-2-Clause
# probe.sh: run tests/probe/probe.c inside a test's jail; sourced by bash
# scripts after tap.sh and roots.sh.
#
# Owns: copying the static probe into a root with its safety marker, and
# the environment the probe needs (the host's pid namespace, so that it
# refuses to run outside a jail; a host-only marker path for the chroot
# escape; a host pid the jail must not see; the abstract unix socket the
# host listens on).  It never runs the probe on the host except to check
# that it refuses.

# The built probe: meson passes GAOL_PROBE; by hand, the build tree's.
GAOL_PROBE=${GAOL_PROBE:-$GAOL_BUILDDIR/tests/probe}
HOST_PIDNS=$(readlink /proc/self/ns/pid)
HOST_MARKER=
PROBE_HOST_PID=$$	# a host pid the jail must not see (kill-host)
PROBE_ABSTRACT=		# the abstract name the host listens on (abstract-host)
PROBE_JAIL_ABSTRACT=	# a name one session of a jail listens on (abstract-jail)

# probe_install ROOT: copy the probe to ROOT/probe, mark ROOT as a test
# root, and create a host marker outside every jail root (removed with
# the scratch directory).
probe_install() {
	[ -x "$GAOL_PROBE" ] || skip_all "probe not built ($GAOL_PROBE)"
	cp "$GAOL_PROBE" "$1/probe" && chmod 755 "$1/probe" &&
	    : >"$1/.gaol-probe-root" || bail_out "cannot install the probe in $1"
	HOST_MARKER=$SCRATCH/host-marker
	: >"$HOST_MARKER"
}

# probe_argv [JEXEC-OPTIONS ...] JAIL SUB [ARGS]: the jexec command line
# that runs "/probe SUB" in JAIL, its environment given through env(1) so
# it does not depend on what jexec passes on.
probe_argv() {
	local opts=()
	while [ $# -gt 2 ] && [ "${1#-}" != "$1" ]; do
		opts+=("$1" "$2"); shift 2
	done
	PROBE_SUB=$2
	PROBE_ARGV=("$JEXEC" "${opts[@]}" "$1" /usr/bin/env
	    "GAOL_HOST_PIDNS=$HOST_PIDNS" "GAOL_HOST_MARKER=$HOST_MARKER"
	    "GAOL_HOST_PID=$PROBE_HOST_PID"
	    ${PROBE_ABSTRACT:+"GAOL_HOST_ABSTRACT=$PROBE_ABSTRACT"}
	    ${PROBE_JAIL_ABSTRACT:+"GAOL_JAIL_ABSTRACT=$PROBE_JAIL_ABSTRACT"}
	    /probe "${@:2}")
}

# run_probe [-U USER|-u USER] JAIL SUB: run the probe, output as is.
run_probe() {
	probe_argv "$@"
	"${PROBE_ARGV[@]}"
}

# check_probe [-U USER] JAIL SUB [ARG]: one test point, "SUB: ok" exactly.
check_probe() {
	local who=root
	[ "${1:-}" = -U ] && who=$2
	probe_argv "$@"
	check -o "inline:$PROBE_SUB: ok\n" \
	    -m "probe ${PROBE_ARGV[*]: -2} as $who" -- "${PROBE_ARGV[@]}"
}

# probe_listen_abstract NAME: listen on the host's abstract unix socket
# @NAME (accepting and closing connections) until the test ends, for the
# abstract-host probe; python3 (Debian's default) or socat.  Sets
# PROBE_ABSTRACT; returns 1 if neither is there.
probe_listen_abstract() {
	if [ -x /usr/bin/python3 ]; then
		spawn /usr/bin/python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("\0" + sys.argv[1])
s.listen(16)
while True:
    s.accept()[0].close()' "$1"
	elif command -v socat >/dev/null 2>&1; then
		spawn socat "ABSTRACT-LISTEN:$1,fork" /dev/null
	else
		return 1
	fi
	wait_until 10 grep -q " @$1\$" /proc/net/unix || return 1
	PROBE_ABSTRACT=$1
}

# has_cmdline WORD ...: some host process has exactly this command line
# (find_cmdline's own status is that of its last comparison).
has_cmdline() { [ -n "$(find_cmdline "$@")" ]; }
