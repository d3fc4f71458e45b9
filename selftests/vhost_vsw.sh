#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 300
#
# vhost_vsw.sh - vsw_vhost.ko: /dev/vhost-vsw, guests' virtio rings fed
# straight into the switch.
#
#   vhost_guest A ~~ /dev/vhost-vsw ~~ ta (access 10) sw0 tb (access 10) ~~ /dev/vhost-vsw ~~ B
#                                                        tc (trunk 10,20) ~~ /dev/vhost-vsw ~~ C
#                                                        td (access 20)   ~~ /dev/vhost-vsw ~~ D
#                                                        p1 (access 10, veth) -- eth0 vm1
#
# selftests/vhost/vhost_guest plays QEMU: it owns split virtqueues, drives
# the device with QEMU's ioctl order (SET_OWNER, features, mem table, vring
# num/base/addr/kick/call/err, NET_SET_BACKEND with the tap fd) and checks
# every frame byte for byte. The same program passes against the stock
# /dev/vhost-net (selftests/vhost_ref.sh), so a failure here is vsw_vhost's.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_vhost_guest
ktap_plan 76

# snap PORT...: a vhost_guest --then command saving the ports' state (JSON)
# while the guests still run; bstat PORT KEY reads a backend counter of it
snap() {
	local p cmd=""
	for p in "$@"; do
		cmd+="$VSWCTL -j -s port show $p >$VSW_TMPD/snap.$p.json && "
	done
	echo "${cmd}true"
}
bstat() {
	jq -r ".[0].backend.$2 // \"none\"" "$VSW_TMPD/snap.$1.json" 2>/dev/null || echo none
}
unsnap() { rm -f "$VSW_TMPD"/snap.*.json; }

tap_add() { # NAME SWITCH
	ip tuntap add dev "$1" mode tap vnet_hdr &&
		__vsw_noipv6 "" "$1" &&
		ip link set "$1" master "$2" up
}

setup() {
	vhost_load || return 1
	sw_add sw0 || return 1
	tap_add ta sw0 && tap_add tb sw0 && tap_add tc sw0 && tap_add td sw0 &&
		vswctl port set ta mode access tag 10 &&
		vswctl port set tb mode access tag 10 &&
		vswctl port set tc mode trunk trunks 10,20 &&
		vswctl port set td mode access tag 20 &&
		vm_add vm1 p1 sw0 192.0.2.1/24 02:00:00:00:10:01 &&
		vswctl port set p1 mode access tag 10
}
defer ip link del te 2>/dev/null
defer ip link del tu 2>/dev/null
defer ip link del td 2>/dev/null
defer ip link del tc 2>/dev/null
defer ip link del tb 2>/dev/null
defer ip link del ta 2>/dev/null
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }
dump_on_fail sw0

# --- the device -----------------------------------------------------------
check_true "/dev/vhost-vsw is a character device" test -c /dev/vhost-vsw
out=$("$VG" xfer tu tb 2>&1); rc=$?
check_eq "a tap that is no port: setup error (exit 2)" 2 "$rc"
ip tuntap add dev tu mode tap vnet_hdr
out=$("$VG" xfer tu tb 2>&1); rc=$?
check_eq "tap not enslaved to a vsw switch: SET_BACKEND fails" 2 "$rc"
check_true "... with ENODEV" grep -q "No such device" <<<"$out"
check_eq "... and no backend on the other port" none \
	"$(vswctl -j port show tb | jq -r '.[0].backend.kind // "none"')"

# --- guest <-> guest --------------------------------------------------------
check_cmd "xfer A<->B, access 10, all features" \
	vg xfer ta tb --count 2000 --then "$(snap ta tb)"
check_eq "ta shows backend vhost" vhost "$(bstat ta kind)"
check_true "ta: backend tx_packets >= 2001" test "$(bstat ta tx_packets)" -ge 2001
check_true "tb: backend rx_packets >= 2001" test "$(bstat tb rx_packets)" -ge 2001
check_true "ta: port rx counted by the switch" \
	test "$(jq -r '.[0].stats.rx_packets' "$VSW_TMPD/snap.ta.json")" -ge 2001
check_eq "ta: no ring errors" 0 "$(bstat ta ring_errors)"
# vhost_guest's xfer window keeps what a guest sends within what the device
# queues for the other (frames it cannot queue it drops, correctly): a
# conforming device drops nothing here, so a loss is a fault, counted or not
check_eq "xfer: nothing dropped towards B (tb backend rx_dropped)" 0 "$(bstat tb rx_dropped)"
check_eq "xfer: nothing dropped towards A (ta backend rx_dropped)" 0 "$(bstat ta rx_dropped)"
check_true "ta: kicks and signals counted" \
	test "$(bstat ta kicks)" -gt 0 -a "$(bstat ta signals)" -gt 0
check_eq "port config kept after the guest left" "access 10" \
	"$(pfield ta mode) $(pfield ta tag)"
check_eq "no backend on ta after the guest left" none \
	"$(vswctl -j port show ta | jq -r '.[0].backend.kind // "none"')"
check_cmd "xfer without MRG_RXBUF, EVENT_IDX, INDIRECT_DESC" \
	vg --no-mrg --no-event-idx --no-indirect xfer ta tb --count 500
check_cmd "xfer legacy (no VERSION_1: 10-byte header)" \
	vg --no-v1 --no-mrg xfer ta tb --count 500
unsnap
check_cmd "xfer with small RX buffers (MRG_RXBUF merges)" \
	vg --rx-buf 256 xfer ta tb --count 2000 --size 1514 --then "$(snap ta tb)"
check_eq "small RX buffers: nothing dropped (ta, tb backend rx_dropped)" "0 0" \
	"$(bstat ta rx_dropped) $(bstat tb rx_dropped)"
check_cmd "xfer 60-byte frames" vg xfer ta tb --count 1000 --size 60
unsnap
check_cmd "xfer, guests without offloads, ring of 64" \
	vg --qsize 64 --offloads none xfer ta tb --count 1000 --then "$(snap ta tb)"
check_eq "ring of 64: nothing dropped (ta, tb backend rx_dropped)" "0 0" \
	"$(bstat ta rx_dropped) $(bstat tb rx_dropped)"
unsnap

# --- TCP segmentation offload ------------------------------------------------
# A sends 20 KB TCP/IPv4 GSO frames (virtio header: TSO, checksum partial).
check_cmd "GSO to a guest without offloads: segmented, checksums filled in" \
	bash -c '"$1" --offloads none gso ta tb | grep -q "received 280 segments"' _ "$VG"
check_cmd "GSO to a guest with TSO: delivered as one GSO frame" \
	bash -c '"$1" --offloads all gso ta tb | grep -q "as gso"' _ "$VG"
check_cmd "GSO without MRG_RXBUF or indirect descriptors, 60 KB frames" \
	bash -c '"$1" --no-mrg --no-indirect --offloads none gso ta tb --gso-len 60000 --count 10' _ "$VG"
check_cmd "GSO to a guest with checksum offload only: segments left checksum-partial" \
	bash -c '"$1" --offloads csum gso ta tb | grep -q "received 280 segments"' _ "$VG"

# --- VLANs through vhost ports ---------------------------------------------
check_cmd "access 10 -> trunk: C receives tag 10" \
	vg xfer ta tc --expect-tag-b 10 --count 500
check_cmd "trunk tag 20 -> access 20: D receives untagged" \
	vg xfer tc td --tag-a 20 --count 500
check_cmd "access 10 and access 20 are isolated: nothing reaches D" bash -c '
	"$1" xfer ta td --count 20 >/dev/null 2>&1; [[ $? == 1 ]]' _ "$VG"
check_cmd "trunk VLAN 30 not allowed: nothing reaches D" bash -c '
	"$1" xfer tc td --tag-a 30 --count 20 >/dev/null 2>&1; [[ $? == 1 ]]' _ "$VG"

# --- guest <-> kernel stack (veth port) -------------------------------------
tx0=$(nstx vm1 eth0)
rx0=$(nsrx vm1 eth0)
check_true "xfer A -> tb, frames flood to vm1 too (unknown unicast)" \
	bash -c '"$1" xfer ta tb --count 100 --mac-b 02:00:00:00:10:0b >/dev/null 2>&1 || true; true' _ "$VG"
check_true "vm1's stack received flooded frames of A" test "$(nsrx vm1 eth0)" -gt "$rx0"

# --- stop / restart / reset -------------------------------------------------
check_cmd "restart: QEMU's stop path, call-fd swap, mem-table update, base restore" \
	vg restart ta tb
check_cmd "reset: RESET_OWNER, then set up again on the same fds" vg reset ta tb

# After the guest detached, tb is an ordinary tap again: what the switch
# sends it is read from the tap fd (QEMU's own virtio path). vm1 floods an
# ARP request; a reader on tb must get it.
tap_read_arp() { # TAP: exit 0 once an ARP frame is read from the tap fd
	python3 - "$1" <<'PY'
import fcntl, os, select, struct, sys, time
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH", sys.argv[1].encode(), 0x0002 | 0x1000))
print("attached", flush=True)
end = time.time() + 20
while time.time() < end:
    if select.select([fd], [], [], 1)[0]:
        f = os.read(fd, 2048)
        if len(f) >= 14 and f[12:14] == b"\x08\x06":
            sys.exit(0)
sys.exit(1)
PY
}
bg tapread tap_read_arp tb >"$VSW_TMPD/tapread.out" 2>&1
wait_for 10 grep -q attached "$VSW_TMPD/tapread.out"
ip -n vm1 neigh flush all 2>/dev/null
ip netns exec vm1 ping -c 3 -i 0.5 -W 1 192.0.2.99 >/dev/null 2>&1
check_true "detached: the switch's frames reach the tap's own reader (ordinary tap path)" \
	wait "${__vsw_bg[tapread]}"
unset "__vsw_bg[tapread]"

# --- hostile guests ---------------------------------------------------------
for c in desc-loop oob-addr unmapped oversized-chain bad-len bad-avail-idx \
	bad-head indirect-nested indirect-bad-len write-only-tx rx-readonly; do
	unsnap
	port=ta
	[[ $c == rx-readonly ]] && port=tb
	check_cmd "hostile $c: error signalled, device usable after reset" \
		vg hostile ta tb "$c" --then "$(snap ta tb)"
	if [[ $c == unmapped ]]; then
		# the ring is fine, the data is not readable: that frame goes
		check_eq "hostile $c: frame dropped, no ring error" "1 0" \
			"$(bstat ta tx_dropped) $(bstat ta ring_errors)"
	else
		check_eq "hostile $c: one ring error counted on $port" 1 \
			"$(bstat $port ring_errors)"
	fi
done
unsnap
check_cmd "hostile oversized-chain without indirect descriptors" \
	vg --no-indirect hostile ta tb oversized-chain --then "$(snap ta)"
check_eq "... ring error counted" 1 "$(bstat ta ring_errors)"
unsnap
check_cmd "hostile rx-norefill: sender never stuck, frames dropped" \
	vg hostile ta tb rx-norefill --then "$(snap tb)"
check_true "rx-norefill: rx_dropped counted on tb" test "$(bstat tb rx_dropped)" -gt 0

# --- a down port does not feed the switch (issue 13) ------------------------
# ta is set down; a guest on it sends (xfer's learning broadcasts, for 10 s,
# then it gives up: nothing gets through). Its frames must be dropped and
# counted (backend tx_dropped), none counted as received by the switch.
ip link set ta down
ta_rx0=$(vswctl -j -s port show ta | jq -r '.[0].stats.rx_packets')
bg downtx "$VG" xfer ta tb --count 20 >"$VSW_TMPD/downtx.out" 2>&1
ta_tx_dropped() { vswctl -j -s port show ta | jq -e '.[0].backend.tx_dropped > 3' >/dev/null; }
check_true "port down: the guest's frames are dropped (backend tx_dropped)" \
	wait_for 8 ta_tx_dropped
vswctl -j -s port show ta >"$VSW_TMPD/snap.ta.json"
check_eq "port down: nothing into the switch (backend tx_packets, port rx_packets)" \
	"0 $ta_rx0" "$(bstat ta tx_packets) $(jq -r '.[0].stats.rx_packets' "$VSW_TMPD/snap.ta.json")"
check_true "port down: nothing reached B (the guest program gave up learning)" \
	wait_for 25 grep -q "B got A's: no" "$VSW_TMPD/downtx.out"
bg_kill downtx
unsnap
ip link set ta up
check_cmd "port up again: xfer A<->B" vg xfer ta tb --count 200

# --- ports going away under a running guest ----------------------------------
bg bench "$VG" bench ta tb --seconds 8 >"$VSW_TMPD/bench.out" 2>&1
sleep 3
check_cmd "tap removed from the switch under traffic" ip link set tb nomaster
check_true "the guest program ended (no stuck worker)" \
	wait_for 30 bash -c "! kill -0 ${__vsw_bg[bench]}"
bg_kill bench
check_cmd "tb back into the switch" bash -c 'ip link set tb master sw0 up && vswctl port set tb tag 10'
check_cmd "traffic again after re-enslaving" vg xfer ta tb --count 200
bg bench2 "$VG" bench ta tb --seconds 8 >"$VSW_TMPD/bench2.out" 2>&1
sleep 3
check_cmd "tap deleted under traffic" ip link del tb
check_true "the guest program ended (no stuck worker)" \
	wait_for 30 bash -c "! kill -0 ${__vsw_bg[bench2]}"
bg_kill bench2
check_cmd "the switch still works: A <-> C" vg xfer ta tc --expect-tag-b 10 --count 100

# --- a tap deleted while frames wait for its guest (issue 13) -----------------
# B (on te, a MAC nobody learned: A's frames flood to it) posts no RX
# buffers, so A's 500 frames wait in B's device queue; te is deleted under
# them, then B refills its ring (all 500 must arrive) or closes the device.
# The queued frames must not reference the freed tap: on the debug kernel a
# use-after-free is a KASAN report, which fails the test.
for after in refill close; do
	if ! { tap_add te sw0 && vswctl port set te mode access tag 10; }; then
		diag "cannot create te"
	fi
	flag=""
	[[ $after == close ]] && flag=--unplug-close
	check_cmd "tap deleted while 500 frames wait for its guest, then the guest ${after}s" \
		vg unplug ta te --count 500 --mac-b 02:00:00:00:10:0e $flag \
		--while-held "ip link del te"
done
check_cmd "the switch still works after the unplugs: A <-> C" \
	vg xfer ta tc --expect-tag-b 10 --count 100

ksft_finish
