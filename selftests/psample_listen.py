#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""psample_listen.py - a psample consumer built on pyroute2 (Debian's
python3-pyroute2), as sFlow agents and tc-sample tooling consume psample:
the "psample" generic netlink family, multicast group "packets".

    psample_listen.py listen DIR   join "packets", write DIR/ready, then
                                   record samples until DIR/stop exists;
                                   then read what is queued (everything
                                   sampled before stop was made) and write
                                   DIR/samples (one line per sample:
                                   group rate iif oif origsize datalen
                                   first-16-bytes-hex) and DIR/done
                                   ("samples N overflows M")
    psample_listen.py groups       the groups psample has (PSAMPLE_CMD_
                                   GET_GROUP dump): "group refcount" lines

Exit 4 (the kselftest skip code) when pyroute2 or the psample family is
missing.
"""
import os
import select
import socket
import sys

try:
    from pyroute2.netlink import NLM_F_DUMP, NLM_F_REQUEST, genlmsg
    from pyroute2.netlink.exceptions import NetlinkError
    from pyroute2.netlink.generic import GenericNetlinkSocket
except ImportError:
    print("pyroute2 not installed (python3-pyroute2)", file=sys.stderr)
    sys.exit(4)

PSAMPLE_CMD_GET_GROUP = 1


class psample_msg(genlmsg):
    # enum in <linux/psample.h>, from PSAMPLE_ATTR_IIFINDEX (0) on
    nla_map = (
        ('PSAMPLE_ATTR_IIFINDEX', 'uint16'),
        ('PSAMPLE_ATTR_OIFINDEX', 'uint16'),
        ('PSAMPLE_ATTR_ORIGSIZE', 'uint32'),
        ('PSAMPLE_ATTR_SAMPLE_GROUP', 'uint32'),
        ('PSAMPLE_ATTR_GROUP_SEQ', 'uint32'),
        ('PSAMPLE_ATTR_SAMPLE_RATE', 'uint32'),
        ('PSAMPLE_ATTR_DATA', 'cdata'),
        ('PSAMPLE_ATTR_GROUP_REFCOUNT', 'uint32'),
        ('PSAMPLE_ATTR_TUNNEL', 'cdata'),
        ('PSAMPLE_ATTR_PAD', 'hex'),
        ('PSAMPLE_ATTR_OUT_TC', 'uint16'),
        ('PSAMPLE_ATTR_OUT_TC_OCC', 'uint64'),
        ('PSAMPLE_ATTR_LATENCY', 'uint64'),
        ('PSAMPLE_ATTR_TIMESTAMP', 'uint64'),
        ('PSAMPLE_ATTR_PROTO', 'uint16'),
    )


def open_psample():
    s = GenericNetlinkSocket()
    try:
        s.bind('psample', psample_msg)
    except NetlinkError as e:
        print("no psample family: %s" % e, file=sys.stderr)
        sys.exit(4)
    return s


def groups():
    s = open_psample()
    msg = psample_msg()
    msg['cmd'] = PSAMPLE_CMD_GET_GROUP
    msg['version'] = 1
    for m in s.nlm_request(msg, msg_type=s.prid,
                           msg_flags=NLM_F_REQUEST | NLM_F_DUMP):
        print(m.get_attr('PSAMPLE_ATTR_SAMPLE_GROUP'),
              m.get_attr('PSAMPLE_ATTR_GROUP_REFCOUNT'))


def listen(d):
    s = open_psample()
    # room for every sample of a test run: nothing is read while pktgen
    # runs on a loaded CI machine
    try:
        s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)  # SO_RCVBUFFORCE
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
    s.add_membership('packets')
    open(os.path.join(d, 'ready'), 'w').close()
    lines = []
    overflows = 0
    stop = False
    while True:
        if not stop and os.path.exists(os.path.join(d, 'stop')):
            stop = True  # from now on: read until nothing is queued
        r, _, _ = select.select([s], [], [], 0 if stop else 0.2)
        if not r:
            if stop:
                break
            continue
        try:
            msgs = s.get()
        except (NetlinkError, OSError) as e:
            if getattr(e, 'code', None) == 105 or \
                    getattr(e, 'errno', None) == 105:  # ENOBUFS
                overflows += 1
                continue
            raise
        for m in msgs:
            if m['cmd'] != 0:  # PSAMPLE_CMD_SAMPLE only
                continue
            data = m.get_attr('PSAMPLE_ATTR_DATA') or b''
            lines.append('%s %s %s %s %s %d %s' % (
                m.get_attr('PSAMPLE_ATTR_SAMPLE_GROUP'),
                m.get_attr('PSAMPLE_ATTR_SAMPLE_RATE'),
                m.get_attr('PSAMPLE_ATTR_IIFINDEX'),
                m.get_attr('PSAMPLE_ATTR_OIFINDEX') or 0,
                m.get_attr('PSAMPLE_ATTR_ORIGSIZE'),
                len(data), bytes(data[:16]).hex()))
    with open(os.path.join(d, 'samples'), 'w') as f:
        f.write(''.join(x + '\n' for x in lines))
    with open(os.path.join(d, 'done'), 'w') as f:
        f.write('samples %d overflows %d\n' % (len(lines), overflows))


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'listen':
        listen(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == 'groups':
        groups()
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
