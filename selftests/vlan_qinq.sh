#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vlan_qinq.sh - dot1q-tunnel (802.1ad QinQ customer) ports.
#
#   c1a --q1a (tunnel S-VLAN 100)-+                +-(tunnel 100) q1b-- c1b
#                                 swA ==trunk== swB
#   c2a --q2a (tunnel S-VLAN 200)-+  trA  trB       +-(tunnel 200) q2b-- c2b
#
# Customer 1 and 2 both use customer VLAN 5 (eth0.5) in one IP subnet.
# Checks: customer-tagged and untagged customer traffic crosses end to end;
# customers are isolated from each other; on the trunk the frames carry an
# outer 802.1ad (0x88a8) S-tag with the customer's 802.1Q tag inside; the
# S-tag is popped out of the tunnel port; learning happens in the S-VLAN;
# the cvlans filter admits only the listed customer VLANs (vlan_ingress);
# a trunk that stops carrying an S-VLAN cuts that customer off.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd tcpdump
ktap_plan 25

C1A=02:00:00:00:01:0a
C1B=02:00:00:00:01:0b

setup() {
	sw_add swA && sw_add swB &&
		trunk_link swA trA swB trB &&
		vswctl port set trA mode trunk trunks 100,200 &&
		vswctl port set trB mode trunk trunks 100,200 &&
		vm_add c1a q1a swA 198.51.100.1/24 $C1A &&
		vm_add c1b q1b swB 198.51.100.2/24 $C1B &&
		vm_add c2a q2a swA 198.51.100.3/24 &&
		vm_add c2b q2b swB 198.51.100.4/24 &&
		vlan_if c1a eth0 5 802.1Q 192.0.2.1/24 &&
		vlan_if c1b eth0 5 802.1Q 192.0.2.2/24 &&
		vlan_if c2a eth0 5 802.1Q 192.0.2.3/24 &&
		vlan_if c2b eth0 5 802.1Q 192.0.2.4/24
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

check_cmd "port set q1a mode dot1q-tunnel tag 100" vswctl port set q1a mode dot1q-tunnel tag 100
check_eq "port show q1a: dot1q-tunnel 100, cvlans all" "dot1q-tunnel 100 all" \
	"$(pfield q1a mode) $(pfield q1a tag) $(pfield q1a cvlans)"
vswctl port set q1b mode dot1q-tunnel tag 100
vswctl port set q2a mode dot1q-tunnel tag 200
vswctl port set q2b mode dot1q-tunnel tag 200

cap_start_all trunk "" trB
check_ping "customer 1, C-VLAN 5: c1a -> c1b across the S-VLAN 100 trunk" c1a 192.0.2.2
cap_stop trunk
check_true "trunk frames: outer 802.1ad S-tag 100, inner 802.1Q C-tag 5" \
	num_ge "$(cap_count trunk '802\.1Q-QinQ \(0x88a8\).*vlan 100, p [0-7], ethertype 802\.1Q \(0x8100\).*vlan 5, p [0-7], ethertype IPv4.*ICMP echo')" 2
check_eq "no single-tagged ICMP on the trunk" 0 \
	"$(grep -E 'ICMP echo' "$(cap_file trunk)" | grep -vc '0x88a8')"
if (($(cap_count trunk 'ICMP echo') == 0)); then diag "$(cat "$(cap_file trunk)")"; fi

cap_start_all trunk "" trB
check_ping "customer 1, untagged: c1a -> c1b" c1a 198.51.100.2
cap_stop trunk
check_true "untagged customer frames carry only the S-tag on the trunk" \
	num_ge "$(cap_count trunk '0x88a8.*vlan 100, p [0-7], ethertype IPv4.*ICMP echo')" 2

cap_start out c1b eth0
send_frames c1a eth0 dst=$C1B vlan=0x8100:5:4 count=2
cap_stop out
check_eq "out of the tunnel port the S-tag is popped: C-tag 5 only" 2 \
	"$(cap_count out "$C1A > $C1B, ethertype 802\.1Q \(0x8100\).*vlan 5, p 4, ethertype IPv4")"
check_eq "no 802.1ad tag leaves the tunnel port" 0 "$(cap_count out '0x88a8')"

check_eq "c1a learned in S-VLAN 100 on q1a" q1a "$(fdb_port swA $C1A 100)"
check_eq "c1a learned in S-VLAN 100 on trB" trB "$(fdb_port swB $C1A 100)"

check_ping "customer 2 (S-VLAN 200), same C-VLAN 5: c2a -> c2b" c2a 192.0.2.4
check_noping "customer 1 -> customer 2 isolated (C-VLAN 5)" c1a 192.0.2.4
check_noping "customer 2 -> customer 1 isolated (C-VLAN 5)" c2a 192.0.2.2
check_noping "customer 1 -> customer 2 isolated (untagged)" c1a 198.51.100.4

# cvlans filter
check_cmd "port set q1a cvlans 5" vswctl port set q1a cvlans 5
check_eq "port show q1a: cvlans \"5\"" 5 "$(pfield q1a cvlans)"
check_ping "cvlans 5: C-VLAN 5 admitted" c1a 192.0.2.2
d0=$(pdrop q1a vlan_ingress)
check_noping "cvlans 5: untagged customer frames not admitted" c1a 198.51.100.2
send_frames c1a eth0 vlan=0x8100:6 count=2
check_true "cvlans 5: vlan_ingress counted ($d0 -> $(pdrop q1a vlan_ingress))" \
	num_ge "$(pdrop q1a vlan_ingress)" "$((d0 + 3))"
vswctl port set q1a cvlans 6
check_noping "cvlans 6: C-VLAN 5 not admitted" c1a 192.0.2.2
check_cmd "port set q1a cvlans all" vswctl port set q1a cvlans all
check_ping "cvlans all: C-VLAN 5 admitted again" c1a 192.0.2.2

# the trunk decides which S-VLANs cross
vswctl port set trA trunks 100
check_noping "trunk without S-VLAN 200: customer 2 cut off" c2a 192.0.2.4
check_ping "... customer 1 (S-VLAN 100) unaffected" c1a 192.0.2.2

dump_on_fail swA swB
ksft_finish
