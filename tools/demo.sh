#!/usr/bin/env bash
#
# demo.sh: the main job.  On a Debian 12 machine, as root: install the build
# dependencies, build gaol, prepare a Debian 12 (bookworm) root with
# openssh-server (debootstrap, cached for the next run), copy it to the
# demo jail's own root, boot a jail "demo" on it with Debian's own init
# scripts (rc S, rc 2) and sshd listening on a loopback alias gaol adds
# to lo, list it with jls, log into it with SSH and a key made for the
# demo, and say how to enter and remove it (jail -r runs rc 0, then takes
# the alias off).
#
# Environment: GAOL_ROOTS (default /var/cache/gaol/roots) is where prepared
# roots are cached; GAOL_MIRROR overrides the Debian mirror; GAOL_DEMO_DIR
# (default /srv/jail) holds the demo jail's root, key and jail.conf;
# GAOL_DEMO_ADDR (default 127.0.1.10) is its address.
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
# The Debian root with sshd: prepare_root, configure_root, $ROOT.
# shellcheck disable=SC2034 # read by debian-root.sh
EXTRA=openssh-server
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

# The demo jail's root: a copy of the cached one (which stays as made),
# its name in etc/hostname (Debian's rc S sets it from there) and
# etc/hosts, and the demo key's public half for root.
demo_root() {
	if [[ ! -f $JPATH/etc/debian_version ]]; then
		step "copying the root to $JPATH"
		mkdir -p "$DIR"
		rm -rf --one-file-system "$JPATH.tmp"
		cp -a "$ROOT" "$JPATH.tmp"
		mv -T "$JPATH.tmp" "$JPATH"
	fi
	printf '%s\n' "$JAIL_HOSTNAME" >"$JPATH/etc/hostname"
	printf '127.0.0.1\tlocalhost\n%s\t%s %s\n' "$ADDR" "$JAIL_HOSTNAME" \
	    "${JAIL_HOSTNAME%%.*}" >"$JPATH/etc/hosts"
	[[ -f $KEY ]] || ssh-keygen -q -t ed25519 -N '' -C "gaol demo" -f "$KEY"
	mkdir -p -m 700 "$JPATH/root/.ssh"
	install -m 600 "$KEY.pub" "$JPATH/root/.ssh/authorized_keys"
}

# jail(8)'s Debian recipe as a jail.conf: /run a tmpfs and /sys a
# read-only sysfs (what Debian's mountkernfs.sh would mount), the address
# as an alias on lo, host keys made at first start, rc S and rc 2 to
# boot, rc 0 to stop.
write_conf() {
	cat >"$CONF" <<-END
	$JAIL {
		path = "$JPATH";
		host.hostname = "$JAIL_HOSTNAME";
		ip4.addr = $ADDR;
		interface = lo;
		mount.devfs;
		mount.procfs;
		mount = "tmpfs \$path/run tmpfs rw,nosuid,nodev,mode=755 0 0";
		mount += "linsysfs \$path/sys linsysfs ro 0 0";
		sysvshm = new; sysvsem = new; sysvmsg = new;
		exec.clean;
		exec.start = "/usr/bin/ssh-keygen -A";
		exec.start += "/etc/init.d/rc S && /etc/init.d/rc 2";
		exec.stop = "/etc/init.d/rc 0";
		persist;
	}
	END
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
	write_conf
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
	Its root stays in $JPATH for the next run (rm -rf it to start afresh).
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
