#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 240
#
# counters.sh - port, VLAN, rule and drop counters.
#
#   vm1 p1, vm2 p2, vm3 p3: access 10;  vm5 p5: access 20;  sw0
#
# Static neighbours inside the VMs (no ARP) and IPv6 off make the counts
# exact: a known number of pings moves rx/tx packets and bytes of the two
# ports by exactly that many frames of 98 bytes (and matches the veth's own
# counters). Each drop reason is provoked and observed: vlan_ingress,
# no_flood (flooding suppressed; destination = ingress port), isolated, rule,
# mac_limit, mtu, invalid_src, vlan_egress; drops = sum of the reasons
# (port_down: flow_cache.sh). `vlan stats`
# counts per VLAN and lists only VLANs with traffic; rule counters count
# frames and bytes.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
ktap_plan 26

M1=02:00:00:00:00:01
M2=02:00:00:00:00:02
M3=02:00:00:00:00:03
UU=02:00:00:00:99:99

setup() {
	sw_add sw0 &&
		vm_add vm1 p1 sw0 192.0.2.1/24 $M1 &&
		vm_add vm2 p2 sw0 192.0.2.2/24 $M2 &&
		vm_add vm3 p3 sw0 192.0.2.3/24 $M3 &&
		vm_add vm5 p5 sw0 192.0.2.5/24 &&
		vswctl port set p1 tag 10 && vswctl port set p2 tag 10 &&
		vswctl port set p3 tag 10 && vswctl port set p5 tag 20 &&
		neigh vm1 192.0.2.2 $M2 && neigh vm2 192.0.2.1 $M1
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

# stats PORT: "rx_packets rx_bytes tx_packets tx_bytes"
stats() {
	vswctl -j -s port show "$1" | jq -r '.[0].stats | "\(.rx_packets) \(.rx_bytes) \(.tx_packets) \(.tx_bytes)"'
}
vethstat() { # NS IF: "rx_packets rx_bytes tx_packets tx_bytes" of the veth
	local d=/sys/class/net/$2/statistics
	ip netns exec "$1" cat "$d/rx_packets" "$d/rx_bytes" "$d/tx_packets" "$d/tx_bytes" | tr '\n' ' ' | sed 's/ $//'
}
# sub "a b c d" "e f g h" -> "e-a f-b g-c h-d"
sub() {
	local -a x y
	local i out=
	read -r -a x <<<"$1"
	read -r -a y <<<"$2"
	for i in "${!x[@]}"; do out+="${out:+ }$((y[i] - x[i]))"; done
	echo "$out"
}
vlanstat() { # VID FIELD
	vswctl -j vlan stats sw0 | jq -r --argjson v "$1" "[.[] | select(.vlan == \$v) | .$2] | first // \"none\""
}

check_true "port show -s: all drop reasons present" bash -c \
	"vswctl -j -s port show p1 | jq -e '.[0].stats.drop_reasons | [\"vlan_ingress\",\"vlan_egress\",\"mac_limit\",\"rule\",\"no_flood\",\"isolated\",\"mtu\",\"malformed\",\"nomem\",\"port_down\",\"invalid_src\"] - keys == []'"
check_eq "vlan stats: no VLAN 20 entry before VLAN 20 has traffic" none "$(vlanstat 20 rx_packets)"

dump_on_fail sw0
# --- exact rx/tx for pings ---------------------------------------------------------
send_frames vm1 eth0 count=1 && send_frames vm2 eth0 count=1 && send_frames vm3 eth0 count=1
s1=$(stats p1) s2=$(stats p2) s3=$(stats p3) v1=$(vethstat vm1 eth0)
vr=$(vlanstat 10 rx_packets) vt=$(vlanstat 10 tx_packets)
ip netns exec vm1 ping -n -q -c 5 -i 0.2 -W 2 192.0.2.2 >/dev/null
check_eq "5 pings: p1 rx +5 frames / +490 bytes, tx +5 / +490" "5 490 5 490" "$(sub "$s1" "$(stats p1)")"
check_eq "5 pings: p2 rx +5 / +490, tx +5 / +490" "5 490 5 490" "$(sub "$s2" "$(stats p2)")"
check_eq "5 pings: p3 (known unicast elsewhere) unchanged" "0 0 0 0" "$(sub "$s3" "$(stats p3)")"
check_eq "p1 rx/tx match the veth's own tx/rx counters" \
	"$(sub "$v1" "$(vethstat vm1 eth0)" | awk '{print $3, $4, $1, $2}')" "$(sub "$s1" "$(stats p1)")"
check_eq "vlan stats: VLAN 10 rx +10, tx +10" "10 10" \
	"$(($(vlanstat 10 rx_packets) - vr)) $(($(vlanstat 10 tx_packets) - vt))"
send_frames vm5 eth0 count=2
check_eq "vlan stats: VLAN 20 appears with rx 2" 2 "$(vlanstat 20 rx_packets)"
check_true "vlan stats: entries have vlan/rx_packets/rx_bytes/tx_packets/tx_bytes" bash -c \
	"vswctl -j vlan stats sw0 | jq -e 'all(.[]; has(\"vlan\") and has(\"rx_packets\") and has(\"rx_bytes\") and has(\"tx_packets\") and has(\"tx_bytes\"))'"

dump_on_fail sw0
# --- drop reasons -------------------------------------------------------------------
# drop_delta PORT REASON CMD...: run CMD, print the increase of the counter
drop_delta() {
	local port=$1 reason=$2 a
	shift 2
	a=$(pdrop "$port" "$reason")
	"$@" >/dev/null 2>&1
	echo $(($(pdrop "$port" "$reason") - a))
}
dr0=$(pstat p1 drops)
check_eq "vlan_ingress: 3 tagged frames into access p1" 3 \
	"$(drop_delta p1 vlan_ingress send_frames vm1 eth0 vlan=0x8100:10 count=3)"
check_eq "no_flood: frame to its own ingress port (dst M1 from p1)" 2 \
	"$(drop_delta p1 no_flood send_frames vm1 eth0 dst=$M1 src=02:00:00:00:00:77 count=2)"
for p in p2 p3; do vswctl port set $p flood off; done
check_eq "no_flood: unknown unicast with flooding off on every other port" 2 \
	"$(drop_delta p1 no_flood send_frames vm1 eth0 dst=$UU count=2)"
for p in p2 p3; do vswctl port set $p flood on; done
vswctl port set p1 isolated on && vswctl port set p2 isolated on
check_eq "isolated: known unicast isolated p1 -> isolated p2" 2 \
	"$(drop_delta p1 isolated send_frames vm1 eth0 dst=$M2 count=2)"
vswctl port set p1 isolated off && vswctl port set p2 isolated off
vswctl flow add sw0 priority 100 in_port=p1,udp actions=drop
check_eq "rule: 4 UDP frames dropped by a rule" 4 \
	"$(drop_delta p1 rule send_frames vm1 eth0 dst=$M2 count=4)"
check_eq "rule counters: n_packets 4, n_bytes 296 (74-byte frames)" "4 296" \
	"$(vswctl -j flow show sw0 | jq -r '.[0] | "\(.n_packets) \(.n_bytes)"')"
vswctl flow flush sw0
vswctl port set p3 max-macs 1
vswctl fdb flush sw0 port p3
check_eq "mac_limit: 3 source MACs on a port limited to 1" 2 \
	"$(drop_delta p3 mac_limit send_frames vm3 eth0 src=02:00:00:00:33:00 nsrc=3 count=3)"
vswctl port set p3 max-macs 0
check_eq "invalid_src: multicast source MAC" 1 \
	"$(drop_delta p1 invalid_src send_frames vm1 eth0 src=01:00:5e:00:00:01 count=1)"
check_eq "invalid_src: all-zero source MAC" 1 \
	"$(drop_delta p1 invalid_src send_frames vm1 eth0 src=00:00:00:00:00:00 count=1)"
ip link set p2 mtu 1000
send_frames vm2 eth0 count=1 # M2 known on p2
check_eq "mtu: 1200-byte frame to a port with MTU 1000 (counted on egress p2)" 1 \
	"$(drop_delta p2 mtu send_frames vm1 eth0 dst=$M2 len=1200 count=1)"
r2=$(nsrx vm2 eth0)
send_frames vm1 eth0 dst=$M2 len=1000 count=1
check_eq "mtu: a 1000-byte frame (MTU-sized payload of 986) still passes" "$((r2 + 1))" "$(nsrx vm2 eth0)"
ip link set p2 mtu 1500
# a static entry in VLAN 10 on p5 (access 20): the egress VLAN check refuses it
vswctl fdb add sw0 02:00:00:00:55:55 vlan 10 port p5
r5=$(nsrx vm5 eth0)
check_eq "vlan_egress: frames to a static entry on a port outside the VLAN (counted on p5)" 2 \
	"$(drop_delta p5 vlan_egress send_frames vm1 eth0 dst=02:00:00:00:55:55 count=2)"
check_eq "... and vm5 got none of them" "$r5" "$(nsrx vm5 eth0)"
vswctl fdb del sw0 02:00:00:00:55:55 vlan 10
dr1=$(pstat p1 drops)
check_eq "p1 drops grew by the sum of its reasons (3+2+2+2+4+1+1)" 15 "$((dr1 - dr0))"
check_true "drops == sum of drop_reasons on every port" bash -c \
	"vswctl -j -s port show | jq -e 'all(.[]; .stats.drops == ([.stats.drop_reasons[]] | add))'"
check_true "switch show -s: switch-wide stats with drops" bash -c \
	"vswctl -j -s switch show sw0 | jq -e '.[0].stats.drops >= 17 and .[0].stats.rx_packets > 0'"

dump_on_fail sw0
# --- dropped frames do not reach anybody ------------------------------------------------
# (a stray frame of the stack arriving meanwhile is not what is tested: up to
# 3 tries; frames that leak would show up in every try)
# shellcheck disable=SC2317 # called through retry
leak_free() {
	local r2 r3
	r2=$(nsrx vm2 eth0) r3=$(nsrx vm3 eth0)
	send_frames vm1 eth0 vlan=0x8100:10 count=2
	[[ "$r2 $r3" == "$(nsrx vm2 eth0) $(nsrx vm3 eth0)" ]]
}
check_true "dropped (vlan_ingress) frames reached nobody" retry 3 leak_free

dump_on_fail sw0
ksft_finish
