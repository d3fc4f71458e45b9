#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vswctl_cli.sh - every vswctl command through the real tool (docs/cli.md is
# the contract), effects checked on the -j output (keys, defaults, canonical
# spellings), on the human output and on traffic: switch add/del/show/set,
# port add/del/show/set (every option), vlan show/stats, fdb show/add/del/
# flush, flow add/del/show/flush (every match field and action), cache
# show/flush, -j -p -s.
# monitor, -n and -b: vswctl_modes.sh; malformed input and non-root:
# vswctl_errors.sh; scale: vswctl_scale.sh.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd jq

M1=02:00:00:00:00:01
M2=02:00:00:00:00:02
MS=02:00:00:00:aa:01

setup() {
	sw_add sw0 && sw_add sw1 &&
		vm_add vm1 p1 sw0 192.0.2.1/24 $M1 &&
		vm_add vm2 p2 sw0 192.0.2.2/24 $M2 &&
		veth_port p9 sw1 p9x &&
		veth_port p3 "" p3x
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

ktap_plan 64

# shellcheck disable=SC2317
jqe() { jq -e "$@" >/dev/null; } # jqe FILTER <<<JSON

dump_on_fail sw0
# --- help and output forms ------------------------------------------------------------
check_true "help: exit 0 with the usage text" bash -c "vswctl help | grep -q 'Usage: vswctl'"
check_true "-j prints one JSON array on one line" bash -c "[[ \$(vswctl -j switch show | wc -l) == 1 ]] && vswctl -j switch show | jq -e 'type == \"array\"'"
check_true "-p pretty-prints JSON (several lines)" bash -c "[[ \$(vswctl -j -p switch show | wc -l) -gt 3 ]] && vswctl -j -p switch show | jq -e 'type == \"array\"'"
check_true "switch show (human): 'sw0: ports N fdb N rules N cache N ageing 300 max-macs 8192 cache-size 65536'" \
	bash -c "vswctl switch show sw0 | grep -qE '^sw0: ports [0-9]+ fdb [0-9]+ rules [0-9]+ cache [0-9]+ ageing 300 max-macs 8192 cache-size 65536'"
check_true "port show (human): header line" bash -c "vswctl port show | head -n 1 | grep -qE '^PORT +SWITCH +MODE +TAG +TRUNKS +STATE +MACS +FLAGS'"
check_true "port show (human): internal port sw0 has flags internal" bash -c "vswctl port show | grep -E '^sw0 ' | grep -q internal"

dump_on_fail sw0
# --- switch ------------------------------------------------------------------------------
check_cmd "switch add swc" vswctl switch add swc
defer ip link del swc
check_eq "switch add: ip link sees kind vsw" vsw "$(ip -d -j link show swc | jq -r '.[0].linkinfo.info_kind')"
sj=$(vswctl -j switch show swc)
check_true "switch show -j: all keys, defaults ageing 300, max_macs 8192, cache_size 65536" jqe \
	'.[0] | (keys | contains(["ifname","ifindex","ageing","max_macs","cache_size","ports","fdb_entries","rules","cache_entries"])) and .ageing == 300 and .max_macs == 8192 and .cache_size == 65536 and .ifname == "swc"' <<<"$sj"
check_cmd "switch set swc ageing 10 max-macs 100 cache-size 1024" vswctl switch set swc ageing 10 max-macs 100 cache-size 1024
check_eq "switch set: shown" "10 100 1024" "$(vswctl -j switch show swc | jq -r '.[0] | "\(.ageing) \(.max_macs) \(.cache_size)"')"
check_true "switch show -s: cache_hits, cache_misses, stats" bash -c \
	"vswctl -j -s switch show swc | jq -e '.[0] | has(\"cache_hits\") and has(\"cache_misses\") and has(\"stats\")'"
check_true "switch show (no name) lists sw0, sw1 and swc" bash -c \
	"vswctl -j switch show | jq -e '[.[].ifname] | contains([\"sw0\",\"sw1\",\"swc\"])'"
check_cmd "switch del swc" vswctl switch del swc
check_fail "switch del: gone" ip link show swc

dump_on_fail sw0
# --- port ----------------------------------------------------------------------------------
check_cmd "port add sw0 p3" vswctl port add sw0 p3
check_eq "port add: ip link sees master sw0" sw0 "$(ip -j link show p3 | jq -r '.[0].master')"
pj=$(vswctl -j port show p3)
check_true "port show -j: all keys and the defaults" jqe '.[0] |
	(keys | contains(["ifname","ifindex","master","mode","tag","trunks","cvlans","learning","flood","bcast_flood","mcast_flood","isolated","internal","max_macs","macs","state"]))
	and .master == "sw0" and .mode == "access" and .tag == 1 and .trunks == "none"
	and .learning == true and .flood == true and .bcast_flood == true and .mcast_flood == true
	and .isolated == false and .internal == false and .max_macs == 0 and .macs == 0' <<<"$pj"
check_eq "port show: state up/down follows the link" "up down" \
	"$(pfield p3 state) $(ip link set p3x down && wait_for 3 bash -c "vswctl -j port show p3 | jq -e '.[0].state == \"down\"'"; pfield p3 state)"
ip link set p3x up
check_cmd "port set p3 mode trunk trunks 10,20,100-199 learning off flood off bcast-flood off mcast-flood off isolated on max-macs 5" \
	vswctl port set p3 mode trunk trunks 10,20,100-199 learning off flood off bcast-flood off mcast-flood off isolated on max-macs 5
check_eq "port set: every field shown" "trunk 10,20,100-199 false false false false true 5" \
	"$(vswctl -j port show p3 | jq -r '.[0] | "\(.mode) \(.trunks) \(.learning) \(.flood) \(.bcast_flood) \(.mcast_flood) \(.isolated) \(.max_macs)"')"
check_cmd "port set p3 (all back on)" vswctl port set p3 mode native-tagged tag 30 learning on flood on bcast-flood on mcast-flood on isolated off max-macs 0
check_eq "port set: native-tagged 30, flags back" "native-tagged 30 true true false 0" \
	"$(vswctl -j port show p3 | jq -r '.[0] | "\(.mode) \(.tag) \(.learning) \(.flood) \(.isolated) \(.max_macs)"')"
check_cmd "port set p3 mode dot1q-tunnel tag 100 cvlans 5,7-9" vswctl port set p3 mode dot1q-tunnel tag 100 cvlans 5,7-9
check_eq "port show: cvlans \"5,7-9\"" "dot1q-tunnel 100 5,7-9" "$(pfield p3 mode) $(pfield p3 tag) $(pfield p3 cvlans)"
check_true "port show -s: stats with every drop reason" bash -c \
	"vswctl -j -s port show p3 | jq -e '.[0].stats | has(\"rx_packets\") and has(\"tx_bytes\") and has(\"drops\") and (.drop_reasons | length == 12)'"
check_true "port show (no DEV) lists the ports of every switch" bash -c \
	"vswctl -j port show | jq -e '[.[].ifname] | contains([\"sw0\",\"p1\",\"p2\",\"p3\",\"sw1\",\"p9\"])'"
check_cmd "port del p3" vswctl port del p3
check_eq "port del: no master any more" null "$(ip -j link show p3 | jq '.[0].master')"

dump_on_fail sw0
# --- vlan show / stats ------------------------------------------------------------------------
vswctl port set p1 mode access tag 10
vswctl port set p2 mode native-untagged tag 10 trunks 20,30
vj=$(vswctl -j vlan show sw0)
check_true "vlan show -j: access port: VLAN 10 PVID + Egress Untagged" jqe \
	'.[] | select(.ifname == "p1") | .vlans == [{"vlan": 10, "flags": ["PVID", "Egress Untagged"]}]' <<<"$vj"
check_true "vlan show -j: native-untagged: 10 PVID+untagged, 20 and 30 tagged" jqe \
	'.[] | select(.ifname == "p2") | (.vlans | map({(.vlan | tostring): (.flags | sort)}) | add) == {"10": ["Egress Untagged", "PVID"], "20": [], "30": []}' <<<"$vj"
check_ping "access 10 <-> native-untagged 10: ping" vm1 192.0.2.2
check_true "vlan stats -j: VLAN 10 has rx/tx" bash -c \
	"vswctl -j vlan stats sw0 | jq -e 'any(.[]; .vlan == 10 and .rx_packets > 0 and .tx_packets > 0)'"
check_true "vlan show (no switch) lists ports of all switches" bash -c \
	"vswctl -j vlan show | jq -e '[.[].ifname] | contains([\"p1\",\"p9\"])'"
vswctl port set p1 mode access tag 1
vswctl port set p2 mode access tag 1

dump_on_fail sw0
# --- fdb -----------------------------------------------------------------------------------------
check_ping "traffic for the fdb checks" vm1 192.0.2.2
check_true "fdb show -j: keys mac/ifname/vlan/master/flags/state/updated" bash -c \
	"vswctl -j fdb show sw0 | jq -e 'any(.[]; .mac == \"$M1\" and .ifname == \"p1\" and .vlan == 1 and .master == \"sw0\" and .flags == [] and .state == \"\" and (.updated | type) == \"number\")'"
check_true "fdb show (human): MAC VLAN PORT TYPE AGE" bash -c \
	"vswctl fdb show sw0 | head -n 1 | grep -qE '^MAC +VLAN +PORT +TYPE +AGE' && vswctl fdb show sw0 | grep -E '^$M1 +1 +p1 +learned'"
check_cmd "fdb add sw0 $MS vlan 1 port p2" vswctl fdb add sw0 $MS vlan 1 port p2
check_eq "fdb add: static on p2" "static p2" "$(fdb_state sw0 $MS 1) $(fdb_port sw0 $MS 1)"
check_eq "fdb show sw0 port p2 vlan 1: filters" "p2" \
	"$(vswctl -j fdb show sw0 port p2 vlan 1 | jq -r '[.[].ifname] | unique | join(",")')"
check_cmd "fdb del sw0 $MS vlan 1" vswctl fdb del sw0 $MS vlan 1
check_eq "fdb del: gone" absent "$(fdb_state sw0 $MS 1)"
# the ping left vm2 with a neighbour entry for vm1 in DELAY: its unicast
# probe ~5 s later makes vm1 answer and M1 learned again, after the flush
# on a slow (debug, loaded) guest
vsw_quiet
check_cmd "fdb flush sw0 port p1 vlan 1" vswctl fdb flush sw0 port p1 vlan 1
check_eq "fdb flush: M1 gone" absent "$(fdb_state sw0 $M1 1)"
check_true "fdb show (no switch) dumps every switch" bash -c "vswctl -j fdb show | jq -e 'type == \"array\"'"

dump_on_fail sw0
# --- flow / cache ------------------------------------------------------------------------------
check_cmd "flow add sw0 priority 100 in_port=p1,dl_type=0x0800 actions=drop" \
	vswctl flow add sw0 priority 100 in_port=p1,dl_type=0x0800 actions=drop
check_true "flow show -j: priority/match/actions/n_packets/n_bytes" bash -c \
	"vswctl -j flow show sw0 | jq -e '.[0] | .priority == 100 and .match == \"in_port=p1,dl_type=0x0800\" and .actions == \"drop\" and .n_packets == 0 and .n_bytes == 0 and (has(\"used_ms\") | not)'"
check_eq "flow show (human)" "priority=100,in_port=p1,dl_type=0x0800 actions=drop" "$(vswctl flow show sw0)"
check_noping "flow drop takes effect" vm1 192.0.2.2
check_cmd "flow add (default priority, one-word form) dl_type=0x88b5,actions=normal" vswctl flow add sw0 dl_type=0x88b5,actions=normal
check_eq "default priority 32768" 32768 "$(vswctl -j flow show sw0 | jq '.[0].priority')"
check_cmd "flow add with every match field" vswctl flow add sw0 priority 7 \
	in_port=p2,dl_src=02:00:00:00:00:00/ff:ff:ff:ff:ff:00,dl_dst=$M1,dl_vlan=10,dl_vlan_pcp=3,dl_type=0x0800,nw_src=192.0.2.0/24,nw_dst=192.0.2.1,nw_proto=17,nw_tos=16,tp_src=5,tp_dst=9 \
	actions=mod_vlan_vid:20,push_vlan:0x88a8,strip_vlan,output:p1
check_eq "... shown in canonical order" \
	"in_port=p2,dl_src=02:00:00:00:00:00/ff:ff:ff:ff:ff:00,dl_dst=$M1,dl_vlan=10,dl_vlan_pcp=3,dl_type=0x0800,nw_src=192.0.2.0/24,nw_dst=192.0.2.1,nw_proto=17,nw_tos=16,tp_src=5,tp_dst=9 actions=mod_vlan_vid:20,push_vlan:0x88a8,strip_vlan,output:p1" \
	"$(vswctl -j flow show sw0 | jq -r '.[] | select(.priority == 7) | "\(.match) actions=\(.actions)"')"
check_cmd "flow add ipv6 and arp forms" bash -c \
	"vswctl flow add sw0 priority 8 ipv6,ipv6_src=2001:db8::/32 actions=drop && vswctl flow add sw0 priority 9 arp,arp_op=1 actions=normal && vswctl flow add sw0 priority 6 actions=flood"
check_eq "flow show: 6 rules" 6 "$(vswctl -j flow show sw0 | jq length)"
check_cmd "flow del sw0 priority 100 in_port=p1,dl_type=0x0800" vswctl flow del sw0 priority 100 in_port=p1,dl_type=0x0800
check_cmd "flow del sw0 priority 6 (empty match)" vswctl flow del sw0 priority 6
check_ping "flow del restores traffic" vm1 192.0.2.2
check_true "cache show -j: entries after traffic" bash -c "vswctl -j cache show sw0 | jq -e 'length > 0'"
check_true "cache show (human): match actions=... packets= bytes= used=" bash -c \
	"vswctl cache show sw0 | grep -qE 'actions=.* packets=[0-9]+ bytes=[0-9]+ used='"
vsw_quiet # no ARP re-validation probe of the ping above may refill the cache
check_cmd "cache flush sw0" vswctl cache flush sw0
check_eq "cache flush: empty" 0 "$(vswctl -j cache show sw0 | jq length)"
check_cmd "flow flush sw0" vswctl flow flush sw0
check_eq "flow flush: no rules" 0 "$(vswctl -j flow show sw0 | jq length)"


dump_on_fail sw0
ksft_finish
