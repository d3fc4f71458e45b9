#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vlan_trunk.sh - trunk, native-untagged and native-tagged ports.
#
# Part 1, sw0 (one subnet per VLAN: 10 = 192.0.2.0/26, 20 = .64/26,
# 30 = .128/26, 40 = .192/26):
#   vm1 p1 access 10, vm2 p2 access 20, vm4 p4 access 30, vm5 p5 access 40,
#   vm3 p3 trunk; vm3 talks on eth0.10, eth0.20, eth0.30 and untagged eth0.
#   trunks list / none / all / ranges, untagged into a trunk dropped,
#   vlan_ingress counted, native-untagged (untagged in -> native, native out
#   untagged, native VLAN implicitly trunked, survives trunks changes),
#   native-tagged (untagged in -> native, native out tagged).
# (The VLAN matrix of all port modes is vlan_matrix.sh, a trunk between two
# switches vlan_trunk_switches.sh.)
# (Scenarios of the kernel's bridge_vlan_aware.sh ported here: ping over the
# VLAN-aware switch, PVID unaffected by VLAN list changes; learning and
# flooding live in fdb.sh and flood_isolation.sh.)

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd tcpdump
ktap_plan 32

M3=02:00:00:00:00:03
M5=02:00:00:00:00:05

dump_on_fail sw0 sw1 sw2
# ============================ part 1 ========================================
setup1() {
	sw_add sw0 &&
		vm_add vm1 p1 sw0 192.0.2.1/26 &&
		vm_add vm2 p2 sw0 192.0.2.65/26 &&
		vm_add vm4 p4 sw0 192.0.2.129/26 &&
		vm_add vm5 p5 sw0 192.0.2.193/26 $M5 &&
		vm_add vm3 p3 sw0 192.0.2.195/26 $M3 &&
		vlan_if vm3 eth0 10 802.1Q 192.0.2.3/26 &&
		vlan_if vm3 eth0 20 802.1Q 192.0.2.67/26 &&
		vlan_if vm3 eth0 30 802.1Q 192.0.2.131/26 &&
		vswctl port set p1 tag 10 && vswctl port set p2 tag 20 &&
		vswctl port set p4 tag 30 && vswctl port set p5 tag 40
}
setup1 || { diag "part 1 setup failed"; exit "$KSFT_FAIL"; }

check_cmd "port set p3 mode trunk trunks 10,20" vswctl port set p3 mode trunk trunks 10,20
check_eq "port show p3: mode trunk, trunks \"10,20\"" "trunk 10,20" "$(pfield p3 mode) $(pfield p3 trunks)"
check_ping "trunk VID 10 (in list) <-> access 10" vm3 192.0.2.1
check_ping "trunk VID 20 (in list) <-> access 20" vm3 192.0.2.65
check_noping "trunk VID 30 (not in list) dropped" vm3 192.0.2.129
check_noping "untagged into a trunk dropped" vm3 192.0.2.193
vsw_quiet # stop the ARP retries of the failed pings
d0=$(pdrop p3 vlan_ingress)
send_frames vm3 eth0 vlan=0x8100:30 count=2
send_frames vm3 eth0 count=2
send_frames vm3 eth0 vlan=0x8100:0:3 count=1
check_eq "trunk: VID 30, untagged and priority-tagged frames count vlan_ingress (+5)" \
	"$((d0 + 5))" "$(pdrop p3 vlan_ingress)"

check_cmd "port set p3 trunks none" vswctl port set p3 trunks none
check_eq "port show p3: trunks \"none\"" none "$(pfield p3 trunks)"
check_noping "trunks none: VID 10 dropped" vm3 192.0.2.1
check_cmd "port set p3 trunks all" vswctl port set p3 trunks all
check_eq "port show p3: trunks \"all\"" all "$(pfield p3 trunks)"
check_ping "trunks all: VID 30 passes" vm3 192.0.2.129
check_noping "trunks all: untagged still dropped" vm3 192.0.2.193
check_cmd "port set p3 trunks 10,30-40" vswctl port set p3 trunks 10,30-40
check_eq "port show p3: trunks \"10,30-40\"" 10,30-40 "$(pfield p3 trunks)"
check_ping "trunks 10,30-40: VID 30 passes" vm3 192.0.2.129
check_noping "trunks 10,30-40: VID 20 dropped" vm3 192.0.2.65

# native-untagged, native VLAN 40 not listed in trunks (implicitly trunked)
check_cmd "port set p3 mode native-untagged tag 40 trunks 10,20" \
	vswctl port set p3 mode native-untagged tag 40 trunks 10,20
check_eq "port show p3: native-untagged 40" "native-untagged 40" "$(pfield p3 mode) $(pfield p3 tag)"
cap_start nu vm3 eth0 ether src $M5
check_ping "native-untagged: untagged in is in native VLAN 40" vm3 192.0.2.193
cap_stop nu
check_eq "native-untagged: native VLAN leaves untagged (no 802.1Q from vm5)" 0 "$(cap_count nu '802\.1Q')"
check_true "native-untagged: vm5's replies were captured untagged" num_ge "$(cap_count nu 'ethertype IPv4')" 1
check_ping "native-untagged: tagged VID 10 still trunked" vm3 192.0.2.1
check_cmd "port set p3 trunks 10 (drop 20 from the list)" vswctl port set p3 trunks 10
check_ping "native VLAN unaffected by the trunks change" vm3 192.0.2.193
check_noping "... VID 20 now dropped" vm3 192.0.2.65

# native-tagged
check_cmd "port set p3 mode native-tagged tag 40 trunks 10,20" \
	vswctl port set p3 mode native-tagged tag 40 trunks 10,20
r5=$(nsrx vm5 eth0)
send_frames vm3 eth0 dst=$M5 count=3
check_eq "native-tagged: untagged in is in native VLAN 40 (vm5 +3)" "$((r5 + 3))" "$(nsrx vm5 eth0)"
vsw_quiet
cap_start nt vm3 eth0 ether src $M5
send_frames vm5 eth0 dst=$M3 count=2
cap_stop nt
check_eq "native-tagged: native VLAN leaves tagged (vlan 40)" 2 "$(cap_count nt 'vlan 40, p 0, ethertype IPv4.*UDP')"
ip -n vm3 addr del 192.0.2.195/26 dev eth0
vlan_if vm3 eth0 40 802.1Q 192.0.2.195/26
check_ping "native-tagged: ping over eth0.40" vm3 192.0.2.193
check_ping "native-tagged: VID 20 trunked" vm3 192.0.2.65

dump_on_fail sw0 sw1 sw2
dump_on_fail sw0 sw1 sw2
dump_on_fail sw0
ksft_finish
