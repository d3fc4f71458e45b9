#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 200
#
# flows.sh - the rule table and the flow cache.
#
#   vm1 p1, vm2 p2, vm3 p3: access VLAN 1 (defaults), 192.0.2.1-3
#   vm4 p4: trunk 10,20 (VM side: eth0.10, eth0.20)                 sw0
#
# Priority ordering (higher drop beats lower allow and vice versa), masked
# matches (dl_src/MASK, nw_src/LEN), drops by dl_type / nw_proto / tp_dst
# (ICMP dropped while ARP still works; UDP port 9), the actions output:PORT,
# flood, mod_vlan_vid, push_vlan, strip_vlan, dl_vlan=none, rule counters in
# `flow show -j`, flow del / flow flush; matches on nw_dst, nw_tos, tp_src,
# dl_vlan_pcp with traffic; a rule added after traffic flowed
# takes effect at once. The flow cache: flow_cache.sh.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd tcpdump
ktap_plan 52

M1=02:00:00:00:00:01
M2=02:00:00:00:11:02
M3=02:00:00:00:00:03
M4=02:00:00:00:00:04

setup() {
	sw_add sw0 &&
		vm_add vm1 p1 sw0 192.0.2.1/24 $M1 &&
		vm_add vm2 p2 sw0 192.0.2.2/24 $M2 &&
		vm_add vm3 p3 sw0 192.0.2.3/24 $M3 &&
		vm_add vm4 p4 sw0 "" $M4 &&
		vswctl port set p4 mode trunk trunks 10,20 &&
		vlan_if vm4 eth0 10 802.1Q 198.51.100.4/24 &&
		vlan_if vm4 eth0 20 802.1Q 203.0.113.4/24
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

nrules() { vswctl -j flow show sw0 | jq length; }
# rule_pkts PRIO: n_packets of the rule(s) with that priority
rule_pkts() { vswctl -j flow show sw0 | jq "[.[] | select(.priority == $1) | .n_packets] | add // -1"; }


check_eq "no rules at start (implicit normal not listed)" 0 "$(nrules)"
check_ping "baseline: vm1 -> vm2" vm1 192.0.2.2
check_ping "baseline: vm3 -> vm2" vm3 192.0.2.2

# --- drop ICMP, keep ARP; the cached decision is not reused ----------------
ip -n vm1 neigh flush all
check_cmd "flow add priority 100 icmp actions=drop" vswctl flow add sw0 priority 100 icmp actions=drop
check_eq "flow show: 1 rule" 1 "$(nrules)"
check_noping "icmp dropped at once (cached normal decision not reused)" vm1 192.0.2.2
check_true "ARP still resolved while ICMP is dropped" \
	bash -c "ip -n vm1 neigh show 192.0.2.2 | grep -qi 'lladdr $M2'"
p=$(rule_pkts 100)
check_true "flow show -j: n_packets of the drop rule grows ($p)" num_ge "$p" 1
check_true "flow show -j: used_ms present once used" \
	bash -c "vswctl -j flow show sw0 | jq -e '.[] | select(.priority == 100) | has(\"used_ms\") and .n_bytes > 0'"

dump_on_fail sw0
# --- priority ordering ------------------------------------------------------------
check_cmd "flow add priority 200 icmp actions=normal" vswctl flow add sw0 priority 200 icmp actions=normal
check_ping "higher-priority allow beats lower drop" vm1 192.0.2.2
check_cmd "flow add priority 300 in_port=p1,icmp actions=drop" \
	vswctl flow add sw0 priority 300 in_port=p1,icmp actions=drop
check_noping "higher-priority drop beats lower allow (from p1)" vm1 192.0.2.2
check_ping "... and only for in_port=p1 (vm3 -> vm2 still ok)" vm3 192.0.2.2
check_eq "flow show: highest priority first" "300 200 100" \
	"$(vswctl -j flow show sw0 | jq -r '[.[].priority | tostring] | join(" ")')"
check_cmd "flow del priority 300 in_port=p1,icmp" vswctl flow del sw0 priority 300 in_port=p1,icmp
check_ping "after deleting the 300 drop, the 200 allow rules again" vm1 192.0.2.2
check_cmd "flow del priority 200 icmp" vswctl flow del sw0 priority 200 icmp
check_noping "after deleting the 200 allow, the 100 drop rules again" vm1 192.0.2.2
check_cmd "flow del priority 100 icmp" vswctl flow del sw0 priority 100 icmp
check_ping "flow del restores traffic at once" vm1 192.0.2.2
check_eq "no rules left" 0 "$(nrules)"

dump_on_fail sw0
# --- masked matches ------------------------------------------------------------
vswctl flow add sw0 priority 100 "dl_src=02:00:00:00:00:00/ff:ff:ff:ff:ff:fe,ip" actions=drop
check_noping "dl_src=02:00:00:00:00:00/ff:ff:ff:ff:ff:fe drops vm1 ($M1)" vm1 192.0.2.2
check_ping "... not vm3 ($M3)" vm3 192.0.2.2
vswctl flow flush sw0
vswctl flow add sw0 priority 100 ip,nw_src=192.0.2.0/31 actions=drop
check_noping "nw_src=192.0.2.0/31 drops vm1 (.1)" vm1 192.0.2.2
check_ping "... not vm3 (.3)" vm3 192.0.2.2
check_cmd "flow flush sw0" vswctl flow flush sw0
check_eq "flow flush: no rules" 0 "$(nrules)"
check_ping "flow flush restores traffic" vm1 192.0.2.2

dump_on_fail sw0
# --- drop by dl_type / tp_dst --------------------------------------------------
vsw_quiet
neigh vm1 192.0.2.2 $M2
vswctl flow add sw0 priority 100 udp,tp_dst=9 actions=drop
r=$(nsrx vm2 eth0)
send_frames vm1 eth0 dst=$M2 dport=9 count=3
check_eq "udp,tp_dst=9 drop: vm2 gets none of 3" "$r" "$(nsrx vm2 eth0)"
check_eq "udp,tp_dst=9 drop: rule n_packets 3" 3 "$(rule_pkts 100)"
send_frames vm1 eth0 dst=$M2 dport=7 count=3
check_eq "udp port 7 passes: vm2 gets 3" "$((r + 3))" "$(nsrx vm2 eth0)"
vswctl flow add sw0 priority 110 "in_port=p1,dl_type=0x88b5,actions=drop"
send_frames vm1 eth0 dst=$M2 type=0x88b5 count=2
check_eq "dl_type=0x88b5 drop (ovs-ofctl one-word syntax): vm2 gets none" "$((r + 3))" "$(nsrx vm2 eth0)"
check_eq "dl_type rule n_packets 2" 2 "$(rule_pkts 110)"
vswctl flow flush sw0

dump_on_fail sw0
# --- output / flood ---------------------------------------------------------------
ping_ok vm2 192.0.2.3 1 # M2, M3 known
vsw_quiet
check_cmd "flow add in_port=p1 actions=output:p3" vswctl flow add sw0 priority 100 in_port=p1 actions=output:p3
r2=$(nsrx vm2 eth0) r3=$(nsrx vm3 eth0)
send_frames vm1 eth0 dst=$M2 count=3
check_eq "output:p3: frames to M2 go to vm3 only" "$r2 $((r3 + 3))" "$(nsrx vm2 eth0) $(nsrx vm3 eth0)"
vswctl flow flush sw0
check_cmd "flow add in_port=p1,dl_dst=M2 actions=flood" vswctl flow add sw0 priority 100 "in_port=p1,dl_dst=$M2" actions=flood
r1=$(nsrx vm1 eth0) r2=$(nsrx vm2 eth0) r3=$(nsrx vm3 eth0)
send_frames vm1 eth0 dst=$M2 count=2
check_eq "flood: known M2 goes to vm2 and vm3, not back to vm1" "$r1 $((r2 + 2)) $((r3 + 2))" \
	"$(nsrx vm1 eth0) $(nsrx vm2 eth0) $(nsrx vm3 eth0)"
vswctl flow flush sw0

dump_on_fail sw0
# --- VLAN actions -------------------------------------------------------------------
# tag_action CAP ACTIONS DESC ERE: rule "in_port=p1 actions=ACTIONS,output:p4";
# both frames vm1 -> M4 must leave p4 as tcpdump -e shows ERE
tag_action() {
	check_cmd "flow add in_port=p1 actions=$2,output:p4" \
		vswctl flow add sw0 priority 100 in_port=p1 "actions=$2,output:p4"
	cap_start "$1" vm4 eth0 ether src $M1
	send_frames vm1 eth0 dst=$M4 count=2
	cap_stop "$1"
	check_eq "$3" 2 "$(cap_count "$1" "$4")"
	vswctl flow flush sw0
}
tag_action v20 mod_vlan_vid:20 \
	"mod_vlan_vid:20 on an untagged frame: leaves p4 tagged 802.1Q vlan 20" \
	'ethertype 802\.1Q \(0x8100\).*vlan 20, p 0, ethertype IPv4.*UDP'
tag_action v100 push_vlan:0x88a8,mod_vlan_vid:100 \
	"push_vlan:0x88a8 + mod_vlan_vid:100: 802.1ad tag vlan 100" \
	'802\.1Q-QinQ \(0x88a8\).*vlan 100, p 0, ethertype IPv4.*UDP'
check_cmd "flow add in_port=p4,dl_vlan=10 actions=strip_vlan,output:p2" \
	vswctl flow add sw0 priority 100 in_port=p4,dl_vlan=10 actions=strip_vlan,output:p2
cap_start strip vm2 eth0 ether src $M4
send_frames vm4 eth0 dst=$M2 vlan=0x8100:10 count=2
send_frames vm4 eth0 dst=$M2 vlan=0x8100:20 count=1
cap_stop strip
check_eq "strip_vlan: VLAN-10 frames reach vm2 untagged (2), VLAN 20 not matched/not forwarded" "2 0" \
	"$(cap_count strip 'ethertype IPv4.*UDP') $(cap_count strip '802\.1Q.*UDP')"
vswctl flow flush sw0
check_cmd "flow add dl_vlan=none,in_port=p4 actions=drop" vswctl flow add sw0 priority 100 in_port=p4,dl_vlan=none actions=drop
send_frames vm4 eth0 dst=$M2 count=2
send_frames vm4 eth0 dst=$M2 vlan=0x8100:0:3 count=1
check_eq "dl_vlan=none matches untagged and priority-tagged frames (3)" 3 "$(rule_pkts 100)"
vswctl flow flush sw0
tag_action q20 push_vlan:0x8100,mod_vlan_vid:20 \
	"push_vlan:0x8100 + mod_vlan_vid:20: 802.1Q tag vlan 20" \
	'ethertype 802\.1Q \(0x8100\).*vlan 20, p 0, ethertype IPv4.*UDP'

dump_on_fail sw0
# --- more match fields on traffic: nw_dst, nw_tos, tp_src, dl_vlan_pcp ------------------------
# match_drop DESC MATCH "MATCHING ARGS" "OTHER ARGS": a drop rule takes the 2
# matching frames from vm1 to M2 (counted on the rule), the 2 others arrive
match_drop() {
	local desc=$1 match=$2 r
	read -r -a yes <<<"$3"
	read -r -a no <<<"$4"
	vswctl flow add sw0 priority 300 "$match" actions=drop
	r=$(nsrx vm2 eth0)
	send_frames vm1 eth0 dst=$M2 "${yes[@]}" count=2
	send_frames vm1 eth0 dst=$M2 "${no[@]}" count=2
	check_eq "$desc: 2 matching frames dropped by the rule, 2 others delivered" \
		"2 $((r + 2))" "$(rule_pkts 300) $(nsrx vm2 eth0)"
	vswctl flow flush sw0
}
send_frames vm2 eth0 count=1 # M2 known
match_drop "nw_dst=198.18.0.0/24" "in_port=p1,ip,nw_dst=198.18.0.0/24" \
	"ipdst=198.18.0.9" "ipdst=198.19.0.9"
match_drop "nw_tos=32" "udp,nw_tos=32" "tos=32" "tos=0"
match_drop "tp_src=5353" "udp,tp_src=5353" "sport=5353" "sport=7"
vswctl flow add sw0 priority 300 in_port=p4,dl_vlan=10,dl_vlan_pcp=5 actions=drop
send_frames vm4 eth0 dst=$M2 vlan=0x8100:10:5 count=2
send_frames vm4 eth0 dst=$M2 vlan=0x8100:10:1 count=2
check_eq "dl_vlan_pcp=5 (VLAN 10 on trunk p4): matches the 2 PCP-5 frames only" 2 "$(rule_pkts 300)"
vswctl flow flush sw0


dump_on_fail sw0
ksft_finish
