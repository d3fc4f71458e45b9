#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""tap_vm.py - what QEMU does for a KVM guest's tap NIC, in a few lines.

    tap_vm.py HOSTTAP GUESTTAP OFFLOADS STATSFILE

Opens two tap devices with IFF_VNET_HDR: HOSTTAP is the hypervisor side
(the one a test enslaves to a switch, like QEMU's "-netdev tap"), GUESTTAP
is the "guest NIC" (a test moves it into a netns whose kernel stack plays
the guest). Frames are relayed between the two fds with their virtio-net
headers unchanged, as QEMU relays virtio-net frames: GSO frames and
checksum-partial frames of the guest reach the host tap as such.

OFFLOADS (comma list of csum, tso4, tso6, or "none") is what both fds
accept from the kernel (TUNSETOFFLOAD), i.e. what the guest negotiated:
with "none" the kernel must segment and checksum every frame before it
reaches the guest.

Prints "ready" on stdout once both taps exist. On SIGUSR1 writes counters
to STATSFILE (JSON): frames and GSO / NEEDS_CSUM frames read from each
side ("guest": what the guest sent, "host": what the switch sent to it);
on SIGTERM writes them and exits.
"""
import fcntl
import json
import os
import select
import signal
import struct
import sys

TUNSETIFF = 0x400454ca
TUNSETOFFLOAD = 0x400454d0
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
IFF_VNET_HDR = 0x4000
OFFL = {"csum": 0x01, "tso4": 0x02, "tso6": 0x04}
VNET_HDR_LEN = 10  # struct virtio_net_hdr, the tap default
F_NEEDS_CSUM = 1


def tap_open(name, offloads):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    ifr = struct.pack("16sH22x", name.encode(), IFF_TAP | IFF_NO_PI | IFF_VNET_HDR)
    fcntl.ioctl(fd, TUNSETIFF, ifr)
    fcntl.ioctl(fd, TUNSETOFFLOAD, offloads)
    return fd


def main():
    host, guest, offl, statsfile = sys.argv[1:5]
    flags = 0
    for word in offl.split(","):
        if word != "none":
            flags |= OFFL[word]
    fds = {"host": tap_open(host, flags), "guest": tap_open(guest, flags)}
    peer = {"host": fds["guest"], "guest": fds["host"]}
    stats = {side: {"frames": 0, "gso": 0, "needs_csum": 0, "write_errors": 0}
             for side in fds}
    byfd = {fd: side for side, fd in fds.items()}

    def dump(*_):
        with open(statsfile + ".tmp", "w") as f:
            json.dump(stats, f)
        os.rename(statsfile + ".tmp", statsfile)

    def stop(*_):
        dump()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGUSR1, dump)
    print("ready", flush=True)
    poll = select.poll()
    for fd in fds.values():
        poll.register(fd, select.POLLIN)
    while True:
        try:
            events = poll.poll()
        except InterruptedError:
            continue
        for fd, _ in events:
            side = byfd[fd]
            while True:
                try:
                    frame = os.read(fd, 65536 + VNET_HDR_LEN)
                except BlockingIOError:
                    break
                st = stats[side]
                st["frames"] += 1
                if frame[0] & F_NEEDS_CSUM:
                    st["needs_csum"] += 1
                if frame[1] != 0:  # gso_type
                    st["gso"] += 1
                try:
                    os.write(peer[side], frame)
                except OSError:
                    st["write_errors"] += 1


if __name__ == "__main__":
    main()
