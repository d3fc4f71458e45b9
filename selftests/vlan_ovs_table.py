# SPDX-License-Identifier: GPL-2.0
"""
vlan_ovs_table.py - replay Open vSwitch's "ofproto-dpif - VLAN handling" table
(tests/ofproto-dpif.at in the openvswitch repository) against a vsw switch
with real frames. Driven by selftests/vlan_ovs_table.sh, which builds the
switch; this program only sends, captures and compares.

  vlan_ovs_table.py OVSPORT=IFACE...   (e.g. 1=p1x 2=p2x ... 100=vbr0)

IFACE is where the frames of OVS port OVSPORT are injected and seen: the
veth peer of a vsw port, or the switch device itself for OVS's br0 (100).

Each row: the broadcast frame OVS traces (eth_type 0xabcd, untagged or with
one 802.1Q tag of the row's VID and PCP) is sent on the row's port; the
row's expected datapath actions say, for each port, the tag stack that must
arrive there (outputs, pop_vlan, push_vlan(vid,pcp) applied in order to the
frame as received; push_vlan's TPID is 0x8100, as all of the table's tunnel
ports have qinq-ethtype 802.1q). Every port's capture is compared with that:
exactly one copy with exactly that stack (outermost first: TPID, VID, PCP),
no copy on any other port. The order of outputs does not matter.

Prints one line per row, "PASS name" or "FAIL name: details", and a last
line "FRAMES n" (frames captured in all).
"""
import os
import re
import select
import socket
import struct
import sys
import time

# The 90 rows of the table, verbatim: in_port, VID ("none" = untagged),
# PCP, expected datapath actions.
ROWS = """
100 none 0 drop
100 0    0 drop
100 0    1 drop
100 10   0 1,5,6,7,8,pop_vlan,2,9
100 10   1 1,5,6,7,8,pop_vlan,2,9
100 11   0 5,7
100 11   1 5,7
100 12   0 1,5,6,pop_vlan,3,4,7,8,11,12
100 12   1 1,5,6,pop_vlan,4,7,11,push_vlan(vid=0,pcp=1),3,8,12
1  none 0 drop
1  0    0 drop
1  0    1 drop
1  10   0 5,6,7,8,100,pop_vlan,2,9
1  10   1 5,6,7,8,100,pop_vlan,2,9
1  11   0 drop
1  11   1 drop
1  12   0 5,6,100,pop_vlan,3,4,7,8,11,12
1  12   1 5,6,100,pop_vlan,4,7,11,push_vlan(vid=0,pcp=1),3,8,12
2  none 0 9,push_vlan(vid=10,pcp=0),1,5,6,7,8,100
2  0    0 pop_vlan,9,push_vlan(vid=10,pcp=0),1,5,6,7,8,100
2  0    1 pop_vlan,9,push_vlan(vid=10,pcp=1),1,5,6,7,8,100
2  10   0 drop
2  10   1 drop
2  11   0 drop
2  11   1 drop
2  12   0 drop
2  12   1 drop
3  none 0 4,7,8,11,12,push_vlan(vid=12,pcp=0),1,5,6,100
3  0    0 pop_vlan,4,7,8,11,12,push_vlan(vid=12,pcp=0),1,5,6,100
3  0    1 8,12,pop_vlan,4,7,11,push_vlan(vid=12,pcp=1),1,5,6,100
3  10   0 drop
3  10   1 drop
3  11   0 drop
3  11   1 drop
3  12   0 drop
3  12   1 drop
4  none 0 3,7,8,11,12,push_vlan(vid=12,pcp=0),1,5,6,100
4  0    0 pop_vlan,3,7,8,11,12,push_vlan(vid=12,pcp=0),1,5,6,100
4  0    1 3,8,12,pop_vlan,7,11,push_vlan(vid=12,pcp=1),1,5,6,100
4  10   0 drop
4  10   1 drop
4  11   0 drop
4  11   1 drop
4  12   0 drop
4  12   1 drop
5  none 0 2,9,push_vlan(vid=10,pcp=0),1,6,7,8,100
5  0    0 pop_vlan,2,9,push_vlan(vid=10,pcp=0),1,6,7,8,100
5  0    1 pop_vlan,2,9,push_vlan(vid=10,pcp=1),1,6,7,8,100
5  10   0 1,6,7,8,100,pop_vlan,2,9
5  10   1 1,6,7,8,100,pop_vlan,2,9
5  11   0 7,100
5  11   1 7,100
5  12   0 1,6,100,pop_vlan,3,4,7,8,11,12
5  12   1 1,6,100,pop_vlan,4,7,11,push_vlan(vid=0,pcp=1),3,8,12
6  none 0 2,9,push_vlan(vid=10,pcp=0),1,5,7,8,100
6  0    0 pop_vlan,2,9,push_vlan(vid=10,pcp=0),1,5,7,8,100
6  0    1 pop_vlan,2,9,push_vlan(vid=10,pcp=1),1,5,7,8,100
6  10   0 1,5,7,8,100,pop_vlan,2,9
6  10   1 1,5,7,8,100,pop_vlan,2,9
6  11   0 drop
6  11   1 drop
6  12   0 1,5,100,pop_vlan,3,4,7,8,11,12
6  12   1 1,5,100,pop_vlan,4,7,11,push_vlan(vid=0,pcp=1),3,8,12
7  none 0 3,4,8,11,12,push_vlan(vid=12,pcp=0),1,5,6,100
7  0    0 pop_vlan,3,4,8,11,12,push_vlan(vid=12,pcp=0),1,5,6,100
7  0    1 3,8,12,pop_vlan,4,11,push_vlan(vid=12,pcp=1),1,5,6,100
7  10   0 1,5,6,8,100,pop_vlan,2,9
7  10   1 1,5,6,8,100,pop_vlan,2,9
7  11   0 5,100
7  11   1 5,100
7  12   0 1,5,6,100,pop_vlan,3,4,8,11,12
7  12   1 1,5,6,100,pop_vlan,4,11,push_vlan(vid=0,pcp=1),3,8,12
8  none 0 3,4,7,11,12,push_vlan(vid=12,pcp=0),1,5,6,100
8  0    0 pop_vlan,3,4,7,11,12,push_vlan(vid=12,pcp=0),1,5,6,100
8  0    1 3,12,pop_vlan,4,7,11,push_vlan(vid=12,pcp=1),1,5,6,100
8  10   0 1,5,6,7,100,pop_vlan,2,9
8  10   1 1,5,6,7,100,pop_vlan,2,9
8  11   0 drop
8  11   1 drop
8  12   0 1,5,6,100,pop_vlan,3,4,7,11,12
8  12   1 1,5,6,100,pop_vlan,4,7,11,push_vlan(vid=0,pcp=1),3,12
9  none 0 2,push_vlan(vid=10,pcp=0),1,5,6,7,8,100
9  10   0 10,push_vlan(vid=10,pcp=0),1,5,6,7,8,100
9  11   0 push_vlan(vid=10,pcp=0),1,5,6,7,8,100
10 none 0 drop
10 0    0 drop
10 11   0 drop
10 12   0 9,push_vlan(vid=10,pcp=0),1,5,6,7,8,100
11 10   0 7,8,12,push_vlan(vid=12,pcp=0),1,5,6,100
11 10   1 7,8,12,push_vlan(vid=12,pcp=0),1,5,6,100
"""

ETH_TYPE = 0xabcd
TPID_Q = 0x8100
TPID_AD = 0x88a8
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40
ETH_P_ALL = 0x0003

ACTION = re.compile(r"push_vlan\(vid=(\d+),pcp=(\d+)\)|pop_vlan|drop|(\d+)")


def rows():
    out = []
    for line in ROWS.strip().splitlines():
        port, vid, pcp, actions = line.split()
        out.append((int(port), None if vid == "none" else int(vid), int(pcp),
                    actions))
    return out


def expected(vid, pcp, actions):
    """{port: tag stack} for a row: the actions applied to the frame."""
    stack = [] if vid is None else [(TPID_Q, vid, pcp)]
    want = {}
    pos = 0
    for m in ACTION.finditer(actions):
        if actions[pos:m.start()].strip(","):
            raise ValueError("cannot parse actions %r" % actions)
        pos = m.end()
        tok = m.group(0)
        if tok == "drop":
            continue
        if tok == "pop_vlan":
            stack = stack[1:]
        elif tok.startswith("push_vlan"):
            stack = [(TPID_Q, int(m.group(1)), int(m.group(2)))] + stack
        else:
            want[int(tok)] = tuple(stack)
    return want


def fmt(stack):
    if not stack:
        return "untagged"
    return "+".join("%04x/%d/p%d" % t for t in stack)


def frame(row, vid, pcp):
    dst = b"\xff" * 6
    src = bytes([0x02, 0x0f, 0, 0, row >> 8, row & 0xff])
    tag = b"" if vid is None else struct.pack("!HH", TPID_Q, (pcp << 13) | vid)
    payload = b"vsw-ovs-vlan-table" + bytes([row >> 8, row & 0xff])
    fr = dst + src + tag + struct.pack("!H", ETH_TYPE) + payload
    return fr + bytes(max(0, 60 - len(fr)))


def parse(data, anc):
    """(row, tag stack) of a captured test frame, None for other frames."""
    stack = []
    for level, typ, val in anc:
        if level == SOL_PACKET and typ == PACKET_AUXDATA and len(val) >= 20:
            status, _, _, _, _, tci, tpid = struct.unpack("IIIHHHH", val[:20])
            if status & TP_STATUS_VLAN_VALID:
                if not status & TP_STATUS_VLAN_TPID_VALID:
                    tpid = TPID_Q
                stack.append((tpid, tci & 0xfff, tci >> 13))
    if len(data) < 14 or data[6:10] != b"\x02\x0f\x00\x00":
        return None
    row = (data[10] << 8) | data[11]
    off = 12
    while True:
        if off + 2 > len(data):
            return None
        et = struct.unpack("!H", data[off:off + 2])[0]
        if et not in (TPID_Q, TPID_AD):
            break
        if off + 4 > len(data):
            return None
        tci = struct.unpack("!H", data[off + 2:off + 4])[0]
        stack.append((et, tci & 0xfff, tci >> 13))
        off += 4
    if et != ETH_TYPE:
        return None
    return row, tuple(stack)


def main():
    ports = {}
    for a in sys.argv[1:]:
        k, v = a.split("=", 1)
        ports[int(k)] = v
    socks = {}
    for p, dev in ports.items():
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_ALL))
        s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.bind((dev, 0))
        s.setblocking(False)
        socks[p] = s
    by_fd = {s.fileno(): p for p, s in socks.items()}
    got = {}			# (row, port) -> [stacks]
    nframes = [0]

    def drain(timeout):
        r, _, _ = select.select(list(socks.values()), [], [], timeout)
        for s in r:
            while True:
                try:
                    data, anc, _, addr = s.recvmsg(2048, 256)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue
                v = parse(data, anc)
                if v is None:
                    continue
                nframes[0] += 1
                got.setdefault((v[0], by_fd[s.fileno()]), []).append(v[1])

    table = rows()
    wants = []
    for i, (port, vid, pcp, actions) in enumerate(table, 1):
        want = expected(vid, pcp, actions)
        wants.append(want)
        socks[port].send(frame(i, vid, pcp))
        # wait (bounded) for the row's copies before the next row, so
        # that no queue anywhere overflows however slow the guest is
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if all((i, p) in got for p in want):
                break
            drain(0.05)
    # late or unexpected copies: a quiet period at the end
    quiet = time.monotonic() + 1.5
    while time.monotonic() < quiet:
        drain(0.1)

    for i, ((port, vid, pcp, actions), want) in enumerate(zip(table, wants), 1):
        name = "row %d: in_port=%d vlan=%s pcp=%d -> %s" % (
            i, port, "none" if vid is None else vid, pcp, actions)
        bad = []
        for p in sorted(ports):
            have = got.get((i, p), [])
            if p == port:
                if have:
                    bad.append("port %d (ingress) got %s" %
                               (p, ", ".join(fmt(h) for h in have)))
                continue
            if p in want:
                if have != [want[p]]:
                    bad.append("port %d: want %s, got %s" % (
                        p, fmt(want[p]),
                        ", ".join(fmt(h) for h in have) or "nothing"))
            elif have:
                bad.append("port %d: want nothing, got %s" %
                           (p, ", ".join(fmt(h) for h in have)))
        if bad:
            print("FAIL %s: %s" % (name, "; ".join(bad)))
        else:
            print("PASS %s" % name)
    print("FRAMES %d" % nframes[0])
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
