#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 240
#
# tap_offload.sh - KVM tap ports, TCP with offloads (GSO, checksum-partial)
# through VLAN tag push/pop, and a tap vanishing under load (QEMU killed).
#
#   vmA  gA ~~ tap_vm.py ~~ hA (access 10) sw0 t0 (trunk 10) ==== t1 (trunk 10) sw1
#        guest offloads: csum,tso4,tso6                        hB (access 10) ~~ tap_vm.py ~~ gB  vmB
#                                                              guest offloads: none
#                                                              p3 (access 10, veth) -- eth0 vmC
#                                                              p4 (access 20, veth) -- eth0 vmD
#
# selftests/tap_vm.py plays QEMU: it relays frames with their virtio-net
# headers between the tap a switch sees (hX) and a tap in a netns whose
# kernel stack plays the guest (gX). So vmA sends real TSO frames that enter
# sw0 as GSO, checksum-partial skbs on an access port, get a VLAN tag on the
# trunk, lose it again on sw1 and reach vmB, a "guest" that took no
# offloads: the kernel must segment them and fill in checksums correctly
# (vmB's stack verifies them, the digest of the data must match). vmC's
# veth TSO frames go the other way to vmA, which took TSO: they must arrive
# there still as GSO frames. Killing vmA's "QEMU" deletes hA under a TCP
# stream: the port goes away cleanly and the rest of the switch works.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd python3
ktap_plan 15

here=$(cd "$(dirname "$0")" && pwd)
MB=$((4 << 20))
[[ ${VSW_KERNEL:-} == debug ]] && MB=$((2 << 20))

# relay NAME HOST GUEST OFFLOADS NS ADDR: a "guest" behind a tap, like QEMU
relay() {
	local name=$1 host=$2 guest=$3 offl=$4 ns=$5 addr=$6
	bg "$name" python3 "$here/tap_vm.py" "$host" "$guest" "$offl" \
		"$VSW_TMPD/$name.json" >"$VSW_TMPD/$name.out" 2>&1
	# killed before the netns go (defer order: last in, first out)
	defer bg_kill "$name"
	wait_for 20 grep -q ready "$VSW_TMPD/$name.out" || return 1
	__vsw_noipv6 "" "$host"
	ip link set "$guest" netns "$ns" &&
		ip link set "$host" master "${name#relay}" &&
		ip link set "$host" up &&
		ip -n "$ns" addr add "$addr" dev "$guest" &&
		ip -n "$ns" link set "$guest" up
}

# stats NAME SIDE KEY: counter of a stopped relay
stats() { jq -r ".$2.$3" "$VSW_TMPD/$1.json" 2>/dev/null || echo none; }

# tcp NS_FROM NS_TO ADDR BYTES: send BYTES of seeded pseudo-random data over
# TCP; prints "sent-digest received-digest received-bytes"
tcp() {
	local from=$1 to=$2 addr=$3 bytes=$4 got sent
	ip netns exec "$to" python3 -c '
import hashlib, socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 5001)); s.listen(1); s.settimeout(90)
print("listening", flush=True)
c, _ = s.accept(); c.settimeout(90); h = hashlib.sha256(); n = 0
while True:
    b = c.recv(1 << 16)
    if not b:
        break
    h.update(b); n += len(b)
print(h.hexdigest(), n)
' "$addr" >"$VSW_TMPD/tcp.srv" 2>&1 &
	local srv=$!
	wait_for 20 grep -q listening "$VSW_TMPD/tcp.srv"
	sent=$(ip netns exec "$from" python3 -c '
import hashlib, random, socket, sys
data = random.Random(7).randbytes(int(sys.argv[2]))
s = socket.create_connection((sys.argv[1], 5001), timeout=90)
s.sendall(data); s.close()
print(hashlib.sha256(data).hexdigest())
' "$addr" "$bytes" 2>&1)
	wait "$srv"
	got=$(tail -n 1 "$VSW_TMPD/tcp.srv")
	echo "$sent $got"
}

# same_digest RESULT BYTES: "D D BYTES"
# shellcheck disable=SC2317 # called through check_true
same_digest() {
	local a b n
	read -r a b n <<<"$1"
	[[ $a =~ ^[0-9a-f]{64}$ && $a == "$b" && $n == "$2" ]]
}

setup() {
	sw_add sw0 && sw_add sw1 &&
		trunk_link sw0 t0 sw1 t1 &&
		vswctl port set t0 mode trunk trunks 10 &&
		vswctl port set t1 mode trunk trunks 10 &&
		vm_ns vmA vmB &&
		vm_add vmC p3 sw1 192.0.2.3/24 &&
		vm_add vmD p4 sw1 192.0.2.4/24 &&
		vswctl port set p3 mode access tag 10 &&
		vswctl port set p4 mode access tag 20
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }
modprobe -q tun 2>/dev/null
if ! relay relaysw0 hA gA csum,tso4,tso6 vmA 192.0.2.1/24 ||
	! relay relaysw1 hB gB none vmB 192.0.2.2/24; then
	diag "$(cat "$VSW_TMPD"/relay*.out 2>/dev/null)"
	diag "tap setup failed"
	exit "$KSFT_FAIL"
fi
vswctl port set hA mode access tag 10
vswctl port set hB mode access tag 10

check_eq "KVM taps hA, hB are ports of sw0, sw1" "sw0 sw1" "$(pfield hA master) $(pfield hB master)"
check_ping "vmA -> vmB over tap, trunk, tap (VLAN 10)" vmA 192.0.2.2
check_ping "vmC (veth) -> vmA (tap)" vmC 192.0.2.1
check_noping "vmD (VLAN 20) cannot reach vmA over the tap" vmD 192.0.2.1

# --- guest with TSO -> guest with no offloads --------------------------------------------------
r=$(tcp vmA vmB 192.0.2.2 $MB)
check_true "TCP vmA -> vmB, $MB bytes, digest matches (checksums right after tag push/pop)" \
	same_digest "$r" $MB
diag "  $r"
# vmC -> vmA: veth TSO frames to a guest that took TSO
r=$(tcp vmC vmA 192.0.2.1 $MB)
check_true "TCP vmC (veth) -> vmA (tap), $MB bytes, digest matches" same_digest "$r" $MB
diag "  $r"
check_eq "no drops on the tap ports and the trunk" "0 0 0" \
	"$(pstat hA drops) $(pstat hB drops) $(pstat t0 drops)"
rm -f "$VSW_TMPD/relaysw0.json"
kill -USR1 "${__vsw_bg[relaysw0]}"
wait_for 10 test -s "$VSW_TMPD/relaysw0.json"
bg_kill relaysw1
check_true "vmA's TSO frames entered the switch as GSO frames" num_ge "$(stats relaysw0 guest gso)" 1
check_true "vmC's TSO frames reached vmA (took TSO) still as GSO frames" \
	num_ge "$(stats relaysw0 host gso)" 1
check_eq "vmB (no offloads) got no GSO and no checksum-partial frame" "0 0" \
	"$(stats relaysw1 host gso) $(stats relaysw1 host needs_csum)"
check_true "... and got the frames" num_ge "$(stats relaysw1 host frames)" 100

dump_on_fail sw0 sw1
# --- QEMU killed under a TCP stream: hA vanishes ---------------------------------------------
relay relaysw1 hB gB none vmB 192.0.2.2/24 ||
	fail "tap hB back" "$(cat "$VSW_TMPD/relaysw1.out")"
vswctl port set hB mode access tag 10
ip netns exec vmA python3 -c '
import socket
s = socket.socket(); s.bind(("192.0.2.1", 5002)); s.listen(1)
c, _ = s.accept()
while c.recv(1 << 16):
    pass
' 2>/dev/null &
srv=$!
sleep 1
ip netns exec vmC python3 -c '
import socket, sys
s = socket.create_connection(("192.0.2.1", 5002), timeout=20)
try:
    while True:
        s.sendall(bytes(1 << 16))
except OSError:
    pass
' 2>/dev/null &
cli=$!
sleep 2
tx0=$(pstat hA tx_packets)
kill -KILL "${__vsw_bg[relaysw0]}"
wait "${__vsw_bg[relaysw0]}" 2>/dev/null
unset "__vsw_bg[relaysw0]"
check_true "the stream was flowing into hA before the kill" num_ge "$tx0" 10
check_true "hA is gone from the ports when its QEMU dies" \
	wait_for 10 bash -c "! vswctl -j port show | jq -e 'any(.[]; .ifname == \"hA\")'"
kill "$cli" "$srv" 2>/dev/null
wait "$cli" "$srv" 2>/dev/null
check_ping "vmC -> vmB still works (tap hB, VLAN 10)" vmC 192.0.2.2
check_eq "no FDB entry left on hA" 0 \
	"$(vswctl -j fdb show sw0 | jq '[.[] | select(.ifname == "hA")] | length')"

dump_on_fail sw0 sw1
ksft_finish
