#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# flood_isolation.sh - flooding and port isolation.
#
#   vm1..vm4 p1..p4 access 10, vm5 p5 access 20, vm6 p6 trunk 10 (eth0.10)
#
# Broadcast, multicast and unknown unicast are flooded within the VLAN only
# and never back to the ingress port (rx counters of every VM + tcpdump on
# the trunk VM); per-port flood off / bcast-flood off / mcast-flood off each
# suppress only their kind of flooding (known unicast still delivered); no
# port left to flood to counts no_flood; isolated ports cannot talk to each
# other (isolated drop) but can talk to non-isolated ports.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd tcpdump
ktap_plan 31

M1=02:00:00:00:00:01
M3=02:00:00:00:00:03
BC=ff:ff:ff:ff:ff:ff
MC=01:00:5e:00:00:01
UU=02:00:00:00:99:99

setup() {
	sw_add sw0 &&
		vm_add vm1 p1 sw0 192.0.2.1/24 $M1 &&
		vm_add vm2 p2 sw0 192.0.2.2/24 &&
		vm_add vm3 p3 sw0 192.0.2.3/24 $M3 &&
		vm_add vm4 p4 sw0 192.0.2.4/24 &&
		vm_add vm5 p5 sw0 192.0.2.5/24 &&
		vm_add vm6 p6 sw0 &&
		vlan_if vm6 eth0 10 802.1Q 192.0.2.6/24 &&
		vswctl port set p1 tag 10 && vswctl port set p2 tag 10 &&
		vswctl port set p3 tag 10 && vswctl port set p4 tag 10 &&
		vswctl port set p5 tag 20 && vswctl port set p6 mode trunk trunks 10
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

VMS=(vm1 vm2 vm3 vm4 vm5 vm6)
rxall() {
	local v out=
	for v in "${VMS[@]}"; do out+="${out:+ }$(nsrx "$v" eth0)"; done
	echo "$out"
}
# flood_delta FROM DST N [k=v...]: send N frames to DST from vm FROM; print
# the rx increase of vm1..vm6
flood_delta() {
	local from=$1 dst=$2 n=$3 a b i out=
	shift 3
	read -r -a a <<<"$(rxall)"
	send_frames "$from" eth0 dst="$dst" count="$n" "$@"
	read -r -a b <<<"$(rxall)"
	for i in "${!a[@]}"; do out+="${out:+ }$((b[i] - a[i]))"; done
	echo "$out"
}

#                                                               vm1 vm2 vm3 vm4 vm5 vm6
check_eq "broadcast from vm1: VLAN 10 only, not back to vm1" "0 2 2 2 0 2" "$(flood_delta vm1 $BC 2)"
check_eq "multicast from vm1: VLAN 10 only, not back to vm1" "0 2 2 2 0 2" "$(flood_delta vm1 $MC 2)"
check_eq "unknown unicast from vm1: VLAN 10 only, not back to vm1" "0 2 2 2 0 2" "$(flood_delta vm1 $UU 2)"
check_eq "broadcast from the trunk (VLAN 10): not back to vm6" "2 2 2 2 0 0" \
	"$(flood_delta vm6 $BC 2 vlan=0x8100:10)"
check_eq "broadcast from vm5 (VLAN 20): nobody else in VLAN 20" "0 0 0 0 0 0" "$(flood_delta vm5 $BC 2)"
check_eq "p1 tx_packets equals what vm1 received" "$(nsrx vm1 eth0)" "$(pstat p1 tx_packets)"
cap_start tr vm6 eth0
cap_start acc vm2 eth0
send_frames vm1 eth0 dst=$BC count=2
cap_stop tr
cap_stop acc
check_eq "flooded frames leave the trunk tagged VLAN 10" 2 "$(cap_count tr "$M1 > $BC.*vlan 10, p 0, ethertype IPv4.*UDP")"
check_eq "... and the access ports untagged (same flood)" "2 0" \
	"$(cap_count acc "$M1 > $BC, ethertype IPv4.*UDP") $(cap_count acc "$M1 > $BC.*802\.1Q")"

dump_on_fail sw0
# --- flood off (unknown unicast) -----------------------------------------------
check_cmd "port set p3 flood off" vswctl port set p3 flood off
check_eq "port show p3: flood false, bcast/mcast true" "false true true" \
	"$(pfield p3 flood) $(pfield p3 bcast_flood) $(pfield p3 mcast_flood)"
check_eq "flood off: unknown unicast not sent to p3" "0 2 0 2 0 2" "$(flood_delta vm1 $UU 2)"
check_eq "flood off: broadcast still sent to p3" "0 2 2 2 0 2" "$(flood_delta vm1 $BC 2)"
check_eq "flood off: multicast still sent to p3" "0 2 2 2 0 2" "$(flood_delta vm1 $MC 2)"
send_frames vm3 eth0 dst=$M1 # learn M3
check_eq "flood off: known unicast to vm3 still delivered" "0 0 2 0 0 0" "$(flood_delta vm1 $M3 2)"
vswctl port set p3 flood on

dump_on_fail sw0
# --- bcast-flood off ----------------------------------------------------------------
check_cmd "port set p3 bcast-flood off" vswctl port set p3 bcast-flood off
check_eq "bcast-flood off: broadcast not sent to p3" "0 2 0 2 0 2" "$(flood_delta vm1 $BC 2)"
check_eq "bcast-flood off: multicast still sent to p3" "0 2 2 2 0 2" "$(flood_delta vm1 $MC 2)"
check_eq "bcast-flood off: unknown unicast still sent to p3" "0 2 2 2 0 2" "$(flood_delta vm1 $UU 2)"
vswctl port set p3 bcast-flood on

dump_on_fail sw0
# --- mcast-flood off ----------------------------------------------------------------
check_cmd "port set p3 mcast-flood off" vswctl port set p3 mcast-flood off
check_eq "mcast-flood off: multicast not sent to p3" "0 2 0 2 0 2" "$(flood_delta vm1 $MC 2)"
check_eq "mcast-flood off: broadcast still sent to p3" "0 2 2 2 0 2" "$(flood_delta vm1 $BC 2)"
vswctl port set p3 mcast-flood on

dump_on_fail sw0
# --- no port to flood to: no_flood ----------------------------------------------
for p in p2 p3 p4 p6; do vswctl port set $p flood off; done
d0=$(pdrop p1 no_flood)
check_eq "flood off everywhere: unknown unicast reaches nobody" "0 0 0 0 0 0" "$(flood_delta vm1 $UU 3)"
check_eq "... counted no_flood on the ingress port (+3)" "$((d0 + 3))" "$(pdrop p1 no_flood)"
for p in p2 p3 p4 p6; do vswctl port set $p flood on; done

dump_on_fail sw0
# --- isolation --------------------------------------------------------------------
check_cmd "port set p1 isolated on, p2 isolated on" \
	bash -c 'vswctl port set p1 isolated on && vswctl port set p2 isolated on'
check_eq "port show p1: isolated true" true "$(pfield p1 isolated)"
check_noping "isolated vm1 -> isolated vm2: no" vm1 192.0.2.2
check_ping "isolated vm1 -> non-isolated vm3: yes" vm1 192.0.2.3
check_ping "isolated vm2 -> non-isolated vm4: yes" vm2 192.0.2.4
vsw_quiet
check_eq "broadcast from isolated vm1 skips isolated vm2" "0 0 2 2 0 2" "$(flood_delta vm1 $BC 2)"
d0=$(pdrop p1 isolated)
send_frames vm2 eth0 dst=$BC count=1 # learn vm2
m2=$(vm_mac vm2)
check_eq "known unicast isolated -> isolated: not delivered" "0 0 0 0 0 0" "$(flood_delta vm1 "$m2" 3)"
check_eq "... counted isolated (+3)" "$((d0 + 3))" "$(pdrop p1 isolated)"

dump_on_fail sw0
ksft_finish
