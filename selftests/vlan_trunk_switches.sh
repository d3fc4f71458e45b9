#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vlan_trunk_switches.sh - a trunk between two vsw switches.
#
#   a10 (10) a20 (20) a50 (50)           b10 (10) b20 (20) b50 (50)
#          \   |   /                           \   |   /
#             sw1 ==tr1== trunk ==tr2== sw2
#   trunk ports: native-untagged tag 50, trunks 10,20
#
# Access VMs on both sides, all in one IP subnet so that only the VLANs keep
# them apart: 10<->10, 20<->20 and the native VLAN 50 reach across; 10<->20
# and 20<->native are isolated, across and on one switch; on the trunk the
# frames of VLAN 10 are tagged and those of the native VLAN untagged; the
# far switch learns the MAC on its trunk port in the right VLAN.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd tcpdump
ktap_plan 10

A10=02:00:00:00:0a:10
setup3() {
	sw_add sw1 && sw_add sw2 &&
		trunk_link sw1 tr1 sw2 tr2 &&
		vm_add a10 pa10 sw1 198.51.100.1/24 $A10 &&
		vm_add a20 pa20 sw1 198.51.100.2/24 &&
		vm_add a50 pa50 sw1 198.51.100.3/24 &&
		vm_add b10 pb10 sw2 198.51.100.11/24 &&
		vm_add b20 pb20 sw2 198.51.100.12/24 &&
		vm_add b50 pb50 sw2 198.51.100.13/24 &&
		vswctl port set pa10 tag 10 && vswctl port set pb10 tag 10 &&
		vswctl port set pa20 tag 20 && vswctl port set pb20 tag 20 &&
		vswctl port set pa50 tag 50 && vswctl port set pb50 tag 50 &&
		vswctl port set tr1 mode native-untagged tag 50 trunks 10,20 &&
		vswctl port set tr2 mode native-untagged tag 50 trunks 10,20
}
setup3 || { diag "topology setup failed"; exit "$KSFT_FAIL"; }
cap_start_all tr "" tr2
check_ping "across the trunk: VLAN 10 <-> 10" a10 198.51.100.11
cap_stop tr
check_true "trunk carries VLAN 10 tagged" num_ge "$(cap_count tr 'vlan 10,.*ICMP echo')" 1
check_ping "across the trunk: VLAN 20 <-> 20" b20 198.51.100.2
vsw_quiet
cap_start_all tr "" tr2
check_ping "across the trunk: native VLAN 50 <-> 50" a50 198.51.100.13
cap_stop tr
check_eq "trunk carries the native VLAN untagged (no tagged ICMP)" "0" "$(cap_count tr '802\.1Q.*ICMP')"
check_true "... (ICMP seen on the trunk)" num_ge "$(cap_count tr 'ICMP echo')" 2
check_noping "across the trunk: VLAN 10 -> 20 isolated" a10 198.51.100.12
check_noping "across the trunk: VLAN 20 -> native 50 isolated" a20 198.51.100.13
check_noping "same switch: VLAN 10 -> 20 isolated" b10 198.51.100.12
check_eq "sw2 learned a10's MAC on the trunk port in VLAN 10" tr2 "$(fdb_port sw2 $A10 10)"

dump_on_fail sw1 sw2
ksft_finish
