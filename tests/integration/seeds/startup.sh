# SPDX-License-Identifier: BSD-2-Clause
# The seeds' start-up script (seeds/000_*.txt), as written there: the
# ruleset 4 loop from "Starting or stopping a jail", then the start-up of
# jail $JID.  Only paths differ: /srv/jail is $SRV and /var/run/jail is
# $JIDDIR, both in the test's scratch directory; and JID comes from the
# test (a free jid) instead of being fixed at 101.
#
# Everything else is the seeds' text, down to its lack of "set -e"; the
# jail's address (10.1.0.$JID) need not be on any interface for the jail
# to start, and nothing in the test uses it.
: "${SRV:?}" "${JIDDIR:?}" "${JID:?}"

while read RULE ; do devfs rule -s 4 add $RULE ; done <<EOF
hide
path log unhide
path null unhide
path zero unhide
path crypto unhide
path random unhide
path urandom unhide
path ptyp* unhide
path ptyq* unhide
path ptyr* unhide
path ptys* unhide
path ptyP* unhide
path ptyQ* unhide
path ptyR* unhide
path ptyS* unhide
path ptyl* unhide
path ptym* unhide
path ptyn* unhide
path ptyo* unhide
path ptyL* unhide
path ptyM* unhide
path ptyN* unhide
path ptyO* unhide
path ttyp* unhide
path ttyq* unhide
path ttyr* unhide
path ttys* unhide
path ttyP* unhide
path ttyQ* unhide
path ttyR* unhide
path ttyS* unhide
path ttyl* unhide
path ttym* unhide
path ttyn* unhide
path ttyo* unhide
path ttyL* unhide
path ttyM* unhide
path ttyN* unhide
path ttyO* unhide
path ptmx unhide
path pts unhide
path pts/* unhide
path fd unhide
path fd/* unhide
path stdin unhide
path stdout unhide
path stderr unhide
path ptyp* unhide user root group root
EOF

JID=$JID

# Linux-like /proc and /sys filesystems
mount -t linprocfs linprocfs $SRV/$JID/proc
mount -t linsysfs linsysfs $SRV/$JID/sys
  
# Ramdisk required for /run
mount -t tmpfs tmpfs $SRV/$JID/run
  
# A read-only /dev filesystem with restricted set of devices
mount -t devfs devfs $SRV/$JID/dev
# :XXX: ruleset 4 must be initialised as explained earlier in this Wiki page
devfs -m $SRV/$JID/dev rule -s 4 applyset
# Ensure the jail has some essential devices
for DEVICE in null random urandom zero
do if [ ! -e $SRV/$JID/dev/$DEVICE ]
    then
        echo "error: device '/dev/$DEVICE' MUST be available in the jail"
        exit 1
    fi
done
# Ensure the jail has only a limited set of devices
for DEVICE in mem kmem
do if [ -e $SRV/$JID/dev/$DEVICE ]
    then
        echo "error: device '/dev/$DEVICE' MUST NOT be available in the jail"
        exit 1
    fi
done

# Compatibility symlink from /dev/shm to /run/shm
ln -s /run/shm $SRV/$JID/dev/
  
# Optionally enable networking
HOSTNAME=jail$JID.example.com
# :XXX: this IP address *must* be assigned to one of the host's interfaces before the guest can use it
IP=10.1.0.$JID

mkdir -p $JIDDIR
jail -J $JIDDIR/$JID.jid -c jid=$JID \
  name=jail$JID \
  path=$SRV/$JID \
  host.hostname=$HOSTNAME \
  ip4.addr=$IP \
  command=/bin/sh -- -c "/etc/init.d/rc S && /etc/init.d/rc 2"
