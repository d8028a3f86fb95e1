#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# demo.sh: the main job.  On a Debian 12 machine, as root: install the build
# dependencies, build gaol, make a thin Debian 12 (bookworm) jail with
# openssh-server with mkjail(8) (its base debootstrapped once and cached),
# boot it as "demo" with Debian's own init scripts (rc S, rc 2) and sshd
# listening on a loopback alias gaol adds to lo, list it with jls, log
# into it with SSH and a key made for the demo, and say how to enter and
# remove it (jail -r runs rc 0, then takes the alias off).
#
# Environment: GAOL_DEMO_DIR (default /srv/jail) holds the demo jail's
# mount point, layer, key and jail.conf; GAOL_DEMO_ADDR (default
# 127.0.1.10) is its address.
set -euo pipefail

JAIL=demo
JAIL_HOSTNAME=demo.example.com
ADDR=${GAOL_DEMO_ADDR:-127.0.1.10}
DIR=${GAOL_DEMO_DIR:-/srv/jail}
JPATH=$DIR/$JAIL
KEY=$DIR/$JAIL.key
CONF=$DIR/$JAIL.conf
BUILD=build
DEPS=(meson ninja-build pkg-config gcc libc6-dev clang libseccomp-dev
    libmnl-dev libbpf-dev debootstrap debian-archive-keyring
    openssh-client iproute2)
step() { printf '==> %s\n' "$*"; }
die() { printf '%s: %s\n' "${0##*/}" "$*" >&2; exit 1; }

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

# The demo jail's root: a copy of the cached one (which stays as made),
# its name in etc/hostname (Debian's rc S sets it from there) and
# etc/hosts, and the demo key's public half for root.
# The jail's root: a thin jail made by mkjail(8), its read-only Debian
# base (with openssh-server) debootstrapped once and cached in
# /var/cache/gaol/base, its own layer in $JPATH.layer; its jail.conf
# block in $CONF.  The demo key goes into the layer.
demo_root() {
	if [[ ! -d $JPATH.layer || ! -f $CONF ]]; then
		mkdir -p -m 700 "$DIR"	# root's alone: jails' set-uid files
		rm -f "$CONF" "$DIR/$JAIL.known_hosts"	# new host keys
		[[ ! -d $JPATH.layer ]] || ./"$BUILD"/mkjail -r "$JAIL" "$JPATH"
		step "making the thin jail $JAIL with mkjail (the first run debootstraps its base: a few minutes)"
		run ./"$BUILD"/mkjail -t -i openssh-server -H "$JAIL_HOSTNAME" \
		    -a "$ADDR" -I lo -f "$CONF" "$JAIL" "$JPATH"
	fi
	[[ -f $KEY ]] || ssh-keygen -q -t ed25519 -N '' -C "gaol demo" -f "$KEY"
	mkdir -p -m 700 "$JPATH.layer/upper/root/.ssh"
	install -m 600 "$KEY.pub" "$JPATH.layer/upper/root/.ssh/authorized_keys"
}

ssh_demo() {
	ssh -i "$KEY" -o StrictHostKeyChecking=accept-new \
	    -o UserKnownHostsFile="$DIR/$JAIL.known_hosts" -o LogLevel=ERROR \
	    -o ConnectTimeout=5 "root@$ADDR" "$@"
}

demo() {
	local i
	if ./"$BUILD"/jls -j "$JAIL" >/dev/null 2>&1; then
		step "removing the jail $JAIL left by an earlier run"
		./"$BUILD"/jail -r "$JAIL"
	fi
	demo_root
	step "starting the jail $JAIL: Debian's own rc S and rc 2 ($CONF)"
	sed 's/^/    /' "$CONF"
	run ./"$BUILD"/jail -f "$CONF" -c "$JAIL"
	step "listing jails"
	run ./"$BUILD"/jls
	run ip -4 addr show dev lo
	step "logging in with SSH (key $KEY)"
	for ((i = 0; i < 50; i++)); do
		ssh_demo true 2>/dev/null && break
		sleep 0.2
	done
	printf '# ssh root@%s hostname\n' "$ADDR"
	ssh_demo hostname
	printf '# ssh root@%s ps ax\n' "$ADDR"
	ssh_demo ps ax
	cat <<-END

	The jail "$JAIL" is running, booted by Debian's init scripts, with sshd
	on $ADDR (an alias on lo).  Log in with
	    ssh -i $KEY -o UserKnownHostsFile=$DIR/$JAIL.known_hosts root@$ADDR
	or enter it with
	    ./$BUILD/jexec $JAIL /bin/bash
	List jails with ./$BUILD/jls; stop this one (Debian's rc 0, then gaol
	removes the jail and takes $ADDR off lo) with
	    ./$BUILD/jail -f $CONF -r $JAIL
	Its layer stays in $JPATH.layer for the next run; remove it with
	    ./$BUILD/mkjail -r $JAIL $JPATH
	END
}

main() {
	((EUID == 0)) || die "must be run as root"
	cd "$(dirname "${BASH_SOURCE[0]}")/.."
	install_deps
	build
	demo
}

# Sourcing the file (for tests) defines the steps without running them.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	main "$@"
fi
