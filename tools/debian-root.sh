#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# debian-root.sh: a Debian root for jails, made with debootstrap and cached
# (GAOL_ROOTS, default /var/cache/gaol/roots) for the next run.  Sourced by
# tools/demo.sh and by the tests; run alone, it prepares the root and
# prints its path:
#
#	tools/debian-root.sh [SUITE]
#	EXTRA=openssh-server,postgresql tools/debian-root.sh
#
# The root is minbase with the Linux counterparts of the seeds' --exclude
# list left out, and sysvinit-core (the seeds start a jail with
# /etc/init.d/rc), procps and fakeroot put in.  Its directory name carries
# a digest of those lists, so changing them makes a new root instead of
# reusing a different one.  EXTRA, a comma-separated list of packages,
# asks for a root with those installed too (order and repeats do not
# matter): a root of its own, cached
# beside the plain one (the digest covers EXTRA; without EXTRA it is the
# plain root's, as before).  GAOL_MIRROR overrides the Debian mirror.

SUITE=${SUITE:-bookworm}
ROOTS=${GAOL_ROOTS:-/var/cache/gaol/roots}
JAIL_HOSTNAME=${JAIL_HOSTNAME:-jail.example.com}
# minbase already leaves out most of what makes no sense in a jail; these
# are the Linux counterparts of the seeds' list (devd, kldutils,
# dmidecode, the DHCP client), excluded should a later Debian pull them in.
EXCLUDE=udev,kmod,dmidecode,isc-dhcp-client,isc-dhcp-common,ifupdown
# sysvinit-core: /etc/init.d/rc, as the seeds use; procps, so that "ps ax"
# shows what the jail sees; fakeroot, the seeds' example of System V IPC.
INCLUDE=sysvinit-core,procps,fakeroot
# EXTRA in one order, without repeats: "b,a" and "a,b,a" are one root.
EXTRA=$(printf '%s\n' "${EXTRA:-}" | tr ', ' '\n' | sed '/^$/d' | sort -u |
    paste -sd, -)
INCLUDE_ALL=$INCLUDE${EXTRA:+,$EXTRA}
ROOT=$ROOTS/$SUITE-$(printf '%s %s\n' "$INCLUDE_ALL" "$EXCLUDE" | md5sum | cut -c1-8)

step() { printf '==> %s\n' "$*"; }
die() { printf '%s: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# Print the URI of the host's Debian archive for $SUITE: the first "deb"
# source (one-line .list or deb822 .sources) whose suite is exactly $SUITE.
host_mirror() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -f $f ]] || continue
		awk -v s="$SUITE" '$1 == "deb" {
			i = 2
			if ($i ~ /^\[/) while ($i !~ /\]$/) i++
			if ($i ~ /^\[/ || $i ~ /\]$/) i++
			if ($(i + 1) == s && $i ~ /^https?:\/\//) { print $i; exit }
		}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -f $f ]] || continue
		awk -v s="$SUITE" -v RS= '{
			deb = 0; uri = ""; ok = 0
			n = split($0, line, "\n")
			for (j = 1; j <= n; j++) {
				if (line[j] ~ /^#/) continue
				if (line[j] ~ /^Types:.*(^|[ \t])deb([ \t]|$)/) deb = 1
				if (line[j] ~ /^URIs:/) { split(line[j], w); uri = w[2] }
				if (line[j] ~ /^Suites:/) {
					m = split(line[j], w)
					for (k = 2; k <= m; k++) if (w[k] == s) ok = 1
				}
			}
			if (deb && ok && uri ~ /^https?:\/\//) { print uri; exit }
		}' "$f"
	done
}

mirror() {
	local m=${GAOL_MIRROR:-}
	[[ -n $m ]] || m=$(host_mirror | head -n 1)
	printf '%s\n' "${m:-http://deb.debian.org/debian}"
}

# Remove what an interrupted debootstrap left: unmount anything below it
# (deepest first) and never cross into another file system.
remove_partial() {
	local d=$1 m
	while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done < <(findmnt -rn -o TARGET | grep -F "$d/" | sort -r)
	rm -rf --one-file-system "$d"
}

# Debootstrap into a temporary directory beside the cache and rename it
# into place, so a half-made root is never mistaken for a complete one.
prepare_root() {
	local tmp m
	mkdir -p "$ROOTS"
	exec 9>"$ROOTS/.lock"
	flock 9
	if [[ -f $ROOT/etc/debian_version && -x $ROOT/bin/sh ]]; then
		step "reusing the Debian $SUITE root in $ROOT"
	else
		[[ ! -e $ROOT ]] ||
		    die "$ROOT exists but is not a complete root; remove it"
		for tmp in "$ROOTS/.$SUITE".*; do
			if [[ -d $tmp ]]; then
				remove_partial "$tmp"
			else
				rm -f "$tmp"
			fi
		done
		m=$(mirror)
		tmp=$(mktemp -d "$ROOTS/.$SUITE.XXXXXX")
		step "debootstrap $SUITE from $m (first run only, a few minutes)"
		if ! debootstrap --variant=minbase --exclude="$EXCLUDE" \
		    --include="$INCLUDE_ALL" "$SUITE" "$tmp" "$m" \
		    >"$tmp.log" 2>&1; then
			tail -n 20 "$tmp.log" >&2
			remove_partial "$tmp"
			die "debootstrap failed (log: $tmp.log)"
		fi
		rm -f "$tmp.log"
		# Host keys an EXTRA openssh-server generated would be shared by
		# every jail made from this root: each jail makes its own
		# (ssh-keygen -A before its init scripts, see jail(8)).
		rm -f "$tmp"/etc/ssh/ssh_host_*_key "$tmp"/etc/ssh/ssh_host_*_key.pub
		chmod 755 "$tmp"
		mv -T "$tmp" "$ROOT"
	fi
	configure_root
	exec 9>&-
}

# The seeds' etc/hostname and etc/hosts; a resolv.conf if there is none.
configure_root() {
	local hosts=$ROOT/etc/hosts
	printf '%s\n' "$JAIL_HOSTNAME" >"$ROOT/etc/hostname"
	grep -qw localhost "$hosts" 2>/dev/null ||
	    printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' \
	    >"$hosts"
	grep -qw "$JAIL_HOSTNAME" "$hosts" ||
	    printf '127.0.1.1\t%s %s\n' "$JAIL_HOSTNAME" "${JAIL_HOSTNAME%%.*}" \
	    >>"$hosts"
	[[ -s $ROOT/etc/resolv.conf || ! -f /etc/resolv.conf ]] ||
	    cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
	jail_boot_scripts
}

# Debian's init scripts (rc S, rc 2, rc 0) as a jail runs them: the ones
# doing the host's work are taken out of their runlevels, as LXC's Debian
# template does (bookworm's initscripts have no container check of their
# own).  checkroot.sh, checkroot-bootclean.sh and checkfs.sh fsck and
# remount file systems the host mounted, procps writes sysctls (the
# host's; /proc/sys is read-only in a jail), bootlogs reads the host's
# kernel log, hwclock.sh sets the host's clock; in rc 0 and rc 6,
# umountfs, umountroot, halt and reboot would unmount, remount and power
# off the machine -- in a jail, gaol takes the mounts away and jail -r
# ends its processes.  /etc/mtab is the link checkroot.sh would have
# made.  RAMLOCK=no: /run/lock is a directory of the jail's /run tmpfs
# (mounted by the jail's mount parameter, see jail(8)), as a jailed root
# may mount nothing.  Idempotent: each change is made once per root.
jail_boot_scripts() {
	local s tmpfs=$ROOT/etc/default/tmpfs
	[[ -x $ROOT/usr/sbin/update-rc.d ]] || return 0
	for s in checkroot.sh checkroot-bootclean.sh checkfs.sh procps bootlogs; do
		compgen -G "$ROOT/etc/rc[S2].d/S[0-9][0-9]$s" >/dev/null &&
		    chroot "$ROOT" /usr/sbin/update-rc.d -f "$s" disable \
		    >/dev/null 2>&1
	done
	for s in hwclock.sh umountfs umountroot halt reboot; do
		compgen -G "$ROOT/etc/rc[0-6S].d/[SK][0-9][0-9]$s" >/dev/null &&
		    chroot "$ROOT" /usr/sbin/update-rc.d -f "$s" remove \
		    >/dev/null 2>&1
	done
	[[ -e $ROOT/etc/mtab || -L $ROOT/etc/mtab ]] ||
	    ln -s ../proc/self/mounts "$ROOT/etc/mtab"
	if [[ -f $tmpfs ]] && ! grep -q '^RAMLOCK=' "$tmpfs"; then
		printf '# a jail: /run/lock is part of /run (gaol)\nRAMLOCK=no\n' \
		    >>"$tmpfs"
	fi
	return 0
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -euo pipefail
	((EUID == 0)) || die "must be run as root"
	[[ $# -le 1 ]] || die "usage: debian-root.sh [SUITE]"
	SUITE=${1:-$SUITE}
	ROOT=$ROOTS/$SUITE-${ROOT##*-}
	prepare_root >&2
	printf '%s\n' "$ROOT"
fi
