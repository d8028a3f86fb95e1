#!/usr/bin/env bash
#
# demo.sh: the main job.  On a Debian 12 machine, as root: install the build
# dependencies, build gaol, prepare a Debian 12 (bookworm) root with
# debootstrap (cached for the next run), create a persistent jail "demo"
# from it, list it with jls, run commands in it with jexec, and say how to
# enter and remove it.
#
# Environment: GAOL_ROOTS (default /var/cache/gaol/roots) is where prepared
# roots are cached; GAOL_MIRROR overrides the Debian mirror.
set -euo pipefail

JAIL=demo
JAIL_HOSTNAME=demo.example.com
BUILD=build
DEPS=(meson ninja-build pkg-config gcc libc6-dev libseccomp-dev debootstrap
    debian-archive-keyring)
# The Debian root: prepare_root, configure_root, $ROOT.
. "$(dirname "${BASH_SOURCE[0]}")/debian-root.sh"

# Install whatever build dependency dpkg does not already have.
install_deps() {
	local missing=() p
	for p in "${DEPS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q 'ok installed' || missing+=("$p")
	done
	((${#missing[@]} == 0)) && return 0
	step "installing build dependencies: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
	step "building into $BUILD/"
	[[ -f $BUILD/build.ninja ]] || meson setup "$BUILD" >/dev/null
	ninja -C "$BUILD" >/dev/null
}

run() {
	printf '# %s\n' "$*"
	"$@"
}

demo() {
	if ./"$BUILD"/jls -j "$JAIL" >/dev/null 2>&1; then
		step "removing the jail $JAIL left by an earlier run"
		./"$BUILD"/jail -r "$JAIL"
	fi
	step "creating the jail $JAIL"
	run ./"$BUILD"/jail -c name="$JAIL" path="$ROOT" \
	    host.hostname="$JAIL_HOSTNAME" mount.procfs mount.devfs persist
	step "listing jails"
	run ./"$BUILD"/jls
	run ./"$BUILD"/jls -v
	step "running commands in the jail"
	run ./"$BUILD"/jexec "$JAIL" cat /etc/debian_version
	run ./"$BUILD"/jexec "$JAIL" hostname
	if [[ -x $ROOT/bin/ps ]]; then
		run ./"$BUILD"/jexec "$JAIL" ps ax
	else
		run ./"$BUILD"/jexec "$JAIL" ls /proc
	fi
	cat <<-END

	The jail "$JAIL" is running (persist).  Enter it with
	    ./$BUILD/jexec $JAIL /bin/bash
	or log in as the jail's own root:
	    ./$BUILD/jexec -l -U root $JAIL
	List jails with ./$BUILD/jls, remove this one with
	    ./$BUILD/jail -r $JAIL
	END
}

main() {
	((EUID == 0)) || die "must be run as root"
	cd "$(dirname "${BASH_SOURCE[0]}")/.."
	install_deps
	build
	prepare_root
	demo
}

# Sourcing the file (for tests) defines the steps without running them.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	main "$@"
fi
