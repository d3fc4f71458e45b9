#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vlan_access.sh - access ports (vsw VLAN mode "access").
#
#   vm1 p1 (access 10)  vm2 p2 (access 10)  vm3 p3 (access 20)
#   vm4 p4 (access 20)  vm5 p5 (defaults: access 1)
#   vm6 p6 (trunk 10; the VM talks on eth0.10)       all on sw0
#
# Semantics (uapi/linux/vsw.h, VSW_VLAN_MODE_ACCESS): untagged or
# priority-tagged frames in are in VLAN "tag"; other tagged frames are dropped
# (counted vlan_ingress); frames leave an access port untagged. The switch's
# own device (internal port sw0) is an access port too, default tag 1.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd tcpdump
ktap_plan 36

M1=02:00:00:00:10:01
M2=02:00:00:00:10:02
M3=02:00:00:00:20:03
M6=02:00:00:00:10:06

setup() {
	sw_add sw0 || return 1
	vm_add vm1 p1 sw0 192.0.2.1/24 $M1 &&
	vm_add vm2 p2 sw0 192.0.2.2/24 $M2 &&
	vm_add vm3 p3 sw0 192.0.2.3/24 $M3 &&
	vm_add vm4 p4 sw0 192.0.2.4/24 &&
	vm_add vm5 p5 sw0 192.0.2.5/24 &&
	vm_add vm6 p6 sw0 "" $M6 &&
	vlan_if vm6 eth0 10 802.1Q 192.0.2.6/24
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

dump_on_fail sw0
# --- defaults -------------------------------------------------------------
check_eq "new port: mode access" access "$(pfield p5 mode)"
check_eq "new port: tag 1" 1 "$(pfield p5 tag)"
check_eq "internal port sw0 is listed as internal" true "$(pfield sw0 internal)"
check_eq "internal port sw0: mode access tag 1" "access 1" "$(pfield sw0 mode) $(pfield sw0 tag)"

check_cmd "port set p1/p2 access tag 10" \
	bash -c 'vswctl port set p1 mode access tag 10 && vswctl port set p2 tag 10'
check_cmd "port set p3/p4 access tag 20" \
	bash -c 'vswctl port set p3 mode access tag 20 && vswctl port set p4 mode access tag 20'
check_cmd "port set p6 trunk 10" vswctl port set p6 mode trunk trunks 10
check_eq "p2 shows access/10 (tag alone keeps the mode)" "access 10" "$(pfield p2 mode) $(pfield p2 tag)"

dump_on_fail sw0
# --- reachability ---------------------------------------------------------
check_ping "VLAN 10: vm1 -> vm2" vm1 192.0.2.2
check_ping "VLAN 20: vm3 -> vm4" vm3 192.0.2.4
check_noping "VLAN 10 -> 20 isolated: vm1 -> vm3" vm1 192.0.2.3
check_noping "VLAN 20 -> 10 isolated: vm4 -> vm2" vm4 192.0.2.2
check_noping "VLAN 10 -> 1 isolated: vm1 -> vm5 (default port)" vm1 192.0.2.5
check_ping "access 10 <-> trunk 10 (tagged on the trunk): vm1 -> vm6" vm1 192.0.2.6
check_eq "vm1 learned in VLAN 10 on p1" p1 "$(fdb_port sw0 $M1 10)"
check_eq "vm6 learned in VLAN 10 on p6" p6 "$(fdb_port sw0 $M6 10)"

dump_on_fail sw0
# --- tagged frames into an access port ------------------------------------
vsw_quiet
d0=$(pdrop p1 vlan_ingress)
r0=$(nsrx vm2 eth0)
send_frames vm1 eth0 dst=$M2 vlan=0x8100:10 count=3
send_frames vm1 eth0 dst=ff:ff:ff:ff:ff:ff vlan=0x8100:20 count=2
send_frames vm1 eth0 dst=$M2 vlan=0x88a8:10 count=1
d1=$(pdrop p1 vlan_ingress)
check_eq "802.1Q/802.1ad-tagged frames into access port: vlan_ingress +6" \
	"$((d0 + 6))" "$d1"
check_eq "no tagged frame got through to vm2" "$r0" "$(nsrx vm2 eth0)"
vlan_if vm1 eth0 10 802.1Q 198.51.100.1/24
vlan_if vm2 eth0 10 802.1Q 198.51.100.2/24
check_noping "ping over eth0.10 between two access-10 VMs fails" vm1 198.51.100.2
ip -n vm1 link del eth0.10
ip -n vm2 link del eth0.10

dump_on_fail sw0
# --- priority-tagged (VID 0) frames are accepted --------------------------
vsw_quiet
d0=$(pdrop p1 vlan_ingress)
r0=$(nsrx vm2 eth0)
cap_start pt vm2 eth0 ether src $M1
send_frames vm1 eth0 dst=$M2 vlan=0x8100:0:5 count=3
cap_stop pt
check_eq "priority-tagged frames: no vlan_ingress drop" "$d0" "$(pdrop p1 vlan_ingress)"
check_eq "priority-tagged frames reach vm2 (3 frames)" "$((r0 + 3))" "$(nsrx vm2 eth0)"
check_eq "... and leave the access port untagged" "3 0" \
	"$(cap_count pt 'ethertype IPv4.*UDP') $(cap_count pt '802\.1Q.*UDP')"
# PCP preserved when the frame leaves a trunk tagged: p6 (trunk 10)
cap_start pcp vm6 eth0 ether src $M1
send_frames vm1 eth0 dst=$M6 vlan=0x8100:0:5 count=2
cap_stop pcp
check_eq "priority tag PCP 5 preserved on trunk egress (vlan 10, p 5)" 2 \
	"$(cap_count pcp 'vlan 10, p 5, ethertype IPv4.*UDP')"
if (($(cap_count pcp 'vlan 10') != 2)); then
	diag "capture on vm6:"
	diag "$(cat "$(cap_file pcp)")"
fi
# end to end: a priority-tagged VLAN interface (id 0, egress PCP 5) pings
ip -n vm1 link add link eth0 name eth0.0 type vlan id 0 egress-qos-map 0:5 &&
	ip -n vm1 link set eth0.0 up &&
	ip -n vm1 addr add 203.0.113.1/24 dev eth0.0 &&
	ip -n vm2 addr add 203.0.113.2/24 dev eth0 &&
	neigh vm1 203.0.113.2 $M2 eth0.0 && neigh vm2 203.0.113.1 $M1
check_ping "ping from a priority-tagged interface (VID 0) to an access VM" vm1 203.0.113.2

dump_on_fail sw0
# --- internal port ---------------------------------------------------------
ip addr add 192.0.2.254/24 dev sw0
check_ping "sw0 (access 1) reaches vm5 (access 1)" "" 192.0.2.5
check_noping "sw0 (access 1) does not reach vm1 (access 10)" "" 192.0.2.1
check_cmd "port set sw0 tag 10" vswctl port set sw0 tag 10
check_ping "sw0 (access 10) reaches vm1" "" 192.0.2.1
check_ping "sw0 (access 10) reaches vm6 over the trunk" "" 192.0.2.6
check_noping "sw0 (access 10) no longer reaches vm5 (access 1)" "" 192.0.2.5
check_noping "sw0 (access 10) does not reach vm3 (access 20)" "" 192.0.2.3

dump_on_fail sw0
# --- moving a port to another VLAN -----------------------------------------
check_cmd "port set p3 tag 10" vswctl port set p3 tag 10
check_ping "vm1 -> vm3 once p3 is in VLAN 10" vm1 192.0.2.3
vswctl port set p3 tag 20
check_noping "vm1 -> vm3 isolated again after p3 back to 20" vm1 192.0.2.3

# --- IPv6 (neighbour discovery is multicast) --------------------------------
for v in vm1 vm2 vm3; do
	py sysctl "$v" net.ipv6.conf.eth0.disable_ipv6 0 >/dev/null
	ip -n "$v" addr add "2001:db8::${v#vm}/64" dev eth0 nodad
done
check_ping "IPv6 within VLAN 10: vm1 -> vm2" vm1 2001:db8::2
check_noping "IPv6 VLAN 10 -> 20 isolated: vm1 -> vm3" vm1 2001:db8::3
dump_on_fail sw0
ksft_finish
