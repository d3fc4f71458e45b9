#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vlan_ovs_table.sh - Open vSwitch's own VLAN-handling table, row for row.
#
# The test "ofproto-dpif - VLAN handling" of Open vSwitch (tests/
# ofproto-dpif.at) configures a bridge with 12 ports in every VLAN mode,
# with priority-tags and qinq-ethtype, traces a broadcast frame injected
# untagged, priority-tagged or tagged on each port, and compares the
# datapath actions (which port gets it, with which tags) with a 90-row
# table. Here the same 13 ports are a vsw switch (vbr0 plays br0, OVS port
# 100: its internal port, a trunk of all VLANs) with 12 veth ports p1..p12
# configured as in OVS, and vlan_ovs_table.py sends every row's frame for
# real and compares the tag stacks captured on every port with the row.
#
# Where vsw deliberately differs from OVS the equivalent is configured
# explicitly (docs/cli.md, "VLAN semantics and Open vSwitch"): an empty
# trunk list means no VLAN in vsw, every VLAN in OVS, so OVS's ports
# without trunks (p5, p7, br0) get "trunks all".
#
# Also: the options through vswctl (-j keys, text flags, bad values
# rejected with a message and nothing changed), qinq-ethtype's default
# 802.1ad S-tag, and priority-tags always.
#
# vsw-timeout: 600

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd tcpdump
ktap_plan 101

SW=vbr0
setup() {
	local i
	sw_add $SW || return 1
	for i in $(seq 1 12); do
		veth_port "p$i" $SW "p${i}x" || return 1
	done
	# OVS: add-port br0 pN ... (ovs-vsctl arguments as comments)
	vswctl -b - <<-EOF
		port set $SW mode trunk trunks all
		port set p1 mode trunk trunks 10,12
		port set p2 mode access tag 10
		port set p3 mode access tag 12 priority-tags if-nonzero
		port set p4 mode access tag 12
		port set p5 mode native-tagged tag 10 trunks all
		port set p6 mode native-tagged tag 10 trunks 10,12
		port set p7 mode native-untagged tag 12 trunks all
		port set p8 mode native-untagged tag 12 trunks 10,12 priority-tags if-nonzero
		port set p9 mode dot1q-tunnel tag 10 qinq-ethtype 802.1q
		port set p10 mode dot1q-tunnel tag 10 cvlans 10,12 qinq-ethtype 802.1q
		port set p11 mode dot1q-tunnel tag 12 qinq-ethtype 802.1q
		port set p12 mode dot1q-tunnel tag 12 qinq-ethtype 802.1q priority-tags if-nonzero
	EOF
}
# p1 trunks=10,12 / p2 tag=10 / p3 tag=12 priority-tags=if-nonzero /
# p4 tag=12 / p5 native-tagged tag=10 / p6 native-tagged tag=10
# trunks=10,12 / p7 native-untagged tag=12 / p8 native-untagged tag=12
# trunks=10,12 priority-tags=if-nonzero / p9 dot1q-tunnel tag=10 / p10
# dot1q-tunnel tag=10 cvlans=10,12 / p11, p12 dot1q-tunnel tag=12, p12
# priority-tags=if-nonzero; p9..p12 qinq-ethtype=802.1q
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

# --- the options through vswctl ---------------------------------------------

check_eq "-j port show p3: priority_tags, qinq_ethtype" "if-nonzero 802.1ad" \
	"$(pfield p3 priority_tags) $(pfield p3 qinq_ethtype)"
check_eq "-j port show p12: priority_tags, qinq_ethtype" "if-nonzero 802.1q" \
	"$(pfield p12 priority_tags) $(pfield p12 qinq_ethtype)"
check_true "port show p12 lists both in FLAGS" \
	grep -q 'priority-tags=if-nonzero,qinq-ethtype=802.1q' <<<"$(vswctl port show p12)"
before=$(vswctl -j port show p3)
check_stderr "priority-tags sometimes: rejected" 'invalid priority-tags "sometimes" \(never, if-nonzero or always\)' \
	vswctl port set p3 priority-tags sometimes
check_stderr "qinq-ethtype 802.1x: rejected" 'invalid qinq-ethtype "802.1x" \(802.1ad or 802.1q\)' \
	vswctl port set p3 qinq-ethtype 802.1x
check_eq "rejected settings changed nothing" "$before" "$(vswctl -j port show p3)"

# --- the table ----------------------------------------------------------------

map=(100=$SW)
for i in $(seq 1 12); do map+=("$i=p${i}x"); done
"$VSW_PY" "$(dirname "$0")/vlan_ovs_table.py" "${map[@]}" >"$VSW_TMPD/table.out" 2>&1
rc=$?
rows=0
while IFS= read -r l; do
	case $l in
	"PASS "*) ok "${l#PASS }"; rows=$((rows + 1)) ;;
	"FAIL "*) fail "${l#FAIL }"; rows=$((rows + 1)) ;;
	"FRAMES "*) diag "frames captured: ${l#FRAMES }" ;;
	*) diag "$l" ;;
	esac
done <"$VSW_TMPD/table.out"
check_eq "the replay ran all 90 rows (exit 0)" "90 0" "$rows $rc"

# --- beyond the table -----------------------------------------------------------

# qinq-ethtype 802.1ad (the default): the S-tag on a trunk is 0x88a8
vswctl port set p9 qinq-ethtype 802.1ad
cap_start t1 "" p1x
send_frames "" p9x src=02:0e:00:00:00:01 type=0xabcd vlan=0x8100:11:3
cap_stop t1
check_eq "p9 qinq-ethtype 802.1ad: S-tag 0x88a8 VID 10 PCP 0 over the customer tag" 1 \
	"$(cap_count t1 '02:0e:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype 802\.1Q-QinQ \(0x88a8\).*vlan 10, p 0, ethertype 802\.1Q \(0x8100\), vlan 11, p 3, ethertype [^,]*\(0xabcd\)')"

# priority-tags always: VID 0 PCP 0 on an access port, not on a trunk;
# never again: untagged
vswctl port set p4 priority-tags always
cap_start a4 "" p4x
cap_start a1 "" p1x
send_frames "" p7x src=02:0e:00:00:00:02 type=0xabcd
cap_stop a4
cap_stop a1
check_eq "p4 priority-tags always: VID 0 PCP 0 tag" 1 \
	"$(cap_count a4 '02:0e:00:00:00:02 > ff:ff:ff:ff:ff:ff, ethertype 802\.1Q \(0x8100\).*vlan 0, p 0, ethertype [^,]*\(0xabcd\)')"
check_eq "... the trunk p1 gets VLAN 12 as before" 1 \
	"$(cap_count a1 '02:0e:00:00:00:02 > ff:ff:ff:ff:ff:ff, ethertype 802\.1Q \(0x8100\).*vlan 12, p 0, ethertype [^,]*\(0xabcd\)')"
vswctl port set p4 priority-tags never
cap_start n4 "" p4x
send_frames "" p7x src=02:0e:00:00:00:03 type=0xabcd
cap_stop n4
check_eq "p4 priority-tags never: untagged again" 1 \
	"$(cap_count n4 '02:0e:00:00:00:03 > ff:ff:ff:ff:ff:ff, ethertype [^,]*\(0xabcd\)')"

ksft_finish
