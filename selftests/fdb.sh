#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fdb.sh - MAC learning and the forwarding database.
#
#   vm1 p1, vm2 p2, vm3 p3: access VLAN 10; vm4 p4: access VLAN 20; sw0
#
# Learning (vlan/ifname/master/state/updated in `vswctl -j fdb show`), the
# port/vlan filters of `fdb show`, learning off (no entries, traffic floods),
# ageing (ageing 2 -> entries vanish; ageing 0 = never), static entries (add,
# survive ageing, not moved by learning, replace a learned entry, traffic
# follows them, del), MAC moves, flush by port/vlan/all, port removal
# flushes, per-port and switch-wide max-macs (mac_limit, not learned),
# unknown unicast floods / known unicast does not (counters on a third
# port), `fdb show port DEV` without SWITCH with two switches (only that
# port's entries), and the stock `bridge -j fdb show` (the switch's
# ndo_fdb_dump: learned and static entries with ifname/master/vlan/state;
# `bridge fdb show br sw0` lists nothing and `bridge fdb add ... master` is
# refused, see docs/cli.md "Stock bridge fdb").

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
ktap_plan 70

M1=02:00:00:00:00:01
M2=02:00:00:00:00:02
M3=02:00:00:00:00:03
M4=02:00:00:00:00:04
M5=02:00:00:00:00:05	# vm5 on the second switch sw1
MS=02:00:00:00:aa:01	# a static entry
MX=02:00:00:00:99:99	# never seen: unknown unicast
BASE=02:00:00:01:00:00	# source MACs for the MAC limit tests

setup() {
	sw_add sw0 &&
		vm_add vm1 p1 sw0 192.0.2.1/24 $M1 &&
		vm_add vm2 p2 sw0 192.0.2.2/24 $M2 &&
		vm_add vm3 p3 sw0 192.0.2.3/24 $M3 &&
		vm_add vm4 p4 sw0 192.0.2.4/24 $M4 &&
		sw_add sw1 && vm_add vm5 p5 sw1 "" $M5 &&
		vswctl port set p1 tag 10 && vswctl port set p2 tag 10 &&
		vswctl port set p3 tag 10 && vswctl port set p4 tag 20
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

# src NS [k=v...]: one frame from NS's eth0 (its own MAC) to broadcast
hello() {
	local ns=$1
	shift
	send_frames "$ns" eth0 "$@"
}

# shellcheck disable=SC2317 # called through check_true
fdb_absent() { [[ $(fdb_state sw0 "$1" "$2") == absent ]]; }
fdb_json() { vswctl -j fdb show sw0 | jq -c --arg m "$1" '[.[] | select(.mac == $m)] | first'; }

dump_on_fail sw0
# --- learning --------------------------------------------------------------
check_true "M1 not in the FDB before any traffic" fdb_absent $M1 10
check_ping "vm1 -> vm2" vm1 192.0.2.2
check_eq "M1 learned on p1 in VLAN 10" p1 "$(fdb_port sw0 $M1 10)"
check_eq "M2 learned on p2 in VLAN 10" p2 "$(fdb_port sw0 $M2 10)"
e=$(fdb_json $M1)
check_eq "learned entry: master sw0, state \"\", flags []" 'sw0||[]' \
	"$(jq -r '"\(.master)|\(.state)|\(.flags | tojson)"' <<<"$e")"
check_true "learned entry: updated is a small integer" \
	jq -e '(.updated | type) == "number" and .updated >= 0 and .updated < 60' <<<"$e"
check_eq "port show p1: macs 1" 1 "$(pfield p1 macs)"
hello vm4
check_eq "M4 learned in VLAN 20 on p4" p4 "$(fdb_port sw0 $M4 20)"
check_eq "fdb show sw0 port p1: only p1" p1 \
	"$(vswctl -j fdb show sw0 port p1 | jq -r '[.[].ifname] | unique | join(",")')"
check_eq "fdb show sw0 vlan 20: only M4" $M4 \
	"$(vswctl -j fdb show sw0 vlan 20 | jq -r '[.[].mac] | join(",")')"
# port filter without SWITCH, two switches with learned MACs: one dump, the
# kernel takes the switch from the port
hello vm5
check_eq "M5 learned on p5 of sw1" p5 "$(fdb_port sw1 $M5 1)"
rc=0
out=$(vswctl -j fdb show port p1 2>"$VSW_TMPD/fdbport.err") || rc=$?
check_eq "fdb show port p1 (no switch, 2 switches): exit 0, no stderr" "0|" \
	"$rc|$(head -c 200 "$VSW_TMPD/fdbport.err")"
check_eq "fdb show port p1: only p1's entry (M1, master sw0)" "$M1@p1@sw0@10" \
	"$(jq -r '[.[] | "\(.mac)@\(.ifname)@\(.master)@\(.vlan)"] | join(",")' <<<"$out")"
check_eq "fdb show port p5: only p5's entry (M5, master sw1)" "$M5@p5@sw1@1" \
	"$(vswctl -j fdb show port p5 | jq -r '[.[] | "\(.mac)@\(.ifname)@\(.master)@\(.vlan)"] | join(",")')"

dump_on_fail sw0
# --- unknown vs known unicast ----------------------------------------------
vsw_quiet
t1=$(pstat p1 tx_packets) t2=$(pstat p2 tx_packets) t3=$(pstat p3 tx_packets) t4=$(pstat p4 tx_packets)
send_frames vm1 eth0 dst=$MX count=4
check_eq "unknown unicast floods to p2 and p3 (+4 each), not to p1 or p4" \
	"$((t1)) $((t2 + 4)) $((t3 + 4)) $((t4))" \
	"$(pstat p1 tx_packets) $(pstat p2 tx_packets) $(pstat p3 tx_packets) $(pstat p4 tx_packets)"
hello vm3
t2=$(pstat p2 tx_packets) t3=$(pstat p3 tx_packets)
r2=$(nsrx vm2 eth0)
send_frames vm1 eth0 dst=$M3 count=5
check_eq "known unicast to M3: p3 tx +5" "$((t3 + 5))" "$(pstat p3 tx_packets)"
check_eq "known unicast to M3 not flooded: p2 tx +0" "$t2" "$(pstat p2 tx_packets)"
check_eq "known unicast to M3 not flooded: vm2 rx +0" "$r2" "$(nsrx vm2 eth0)"

dump_on_fail sw0
# --- learning off ------------------------------------------------------------
vswctl fdb flush sw0
check_cmd "port set p3 learning off" vswctl port set p3 learning off
check_eq "port show p3: learning false" false "$(pfield p3 learning)"
hello vm3 count=3
check_true "learning off: M3 not learned" fdb_absent $M3 10
check_eq "learning off: port show p3 macs 0" 0 "$(pfield p3 macs)"
r2=$(nsrx vm2 eth0) r3=$(nsrx vm3 eth0)
send_frames vm1 eth0 dst=$M3 count=3
check_eq "learning off: frames to M3 are flooded (vm2 gets them too)" \
	"$((r2 + 3)) $((r3 + 3))" "$(nsrx vm2 eth0) $(nsrx vm3 eth0)"
vswctl port set p3 learning on
hello vm3
check_eq "learning on again: M3 learned on p3" p3 "$(fdb_port sw0 $M3 10)"

dump_on_fail sw0
# --- ageing --------------------------------------------------------------------
hello vm1
check_cmd "switch set sw0 ageing 2" vswctl switch set sw0 ageing 2
check_eq "switch show: ageing 2" 2 "$(vswctl -j switch show sw0 | jq '.[0].ageing')"
check_true "learned entries age out within 8 s" \
	wait_for 8 bash -c "! vswctl -j fdb show sw0 | jq -e 'any(.[]; .mac == \"$M1\" or .mac == \"$M3\")'"
check_eq "port show p1: macs 0 after ageing" 0 "$(pfield p1 macs)"
check_cmd "switch set sw0 ageing 0" vswctl switch set sw0 ageing 0
hello vm1
sleep 4
check_eq "ageing 0: entry still there after 4 s" p1 "$(fdb_port sw0 $M1 10)"

dump_on_fail sw0
# --- static entries ------------------------------------------------------------
check_cmd "fdb add static $MS vlan 10 port p2" vswctl fdb add sw0 $MS vlan 10 port p2
check_eq "static entry listed: state static on p2" "static p2" \
	"$(fdb_state sw0 $MS 10) $(fdb_port sw0 $MS 10)"
vswctl switch set sw0 ageing 2
sleep 4
check_eq "static entry survives ageing (ageing 2, 4 s)" "static p2" \
	"$(fdb_state sw0 $MS 10) $(fdb_port sw0 $MS 10)"
vswctl switch set sw0 ageing 300
hello vm1 src=$MS count=2
check_eq "static entry not moved by learning (frames from $MS on p1)" "static p2" \
	"$(fdb_state sw0 $MS 10) $(fdb_port sw0 $MS 10)"
r1=$(nsrx vm1 eth0) r2=$(nsrx vm2 eth0) r3=$(nsrx vm3 eth0)
send_frames vm3 eth0 dst=$MS count=3
check_eq "frames to the static MAC go to p2 only" "$r1 $((r2 + 3)) $r3" \
	"$(nsrx vm1 eth0) $(nsrx vm2 eth0) $(nsrx vm3 eth0)"
check_cmd "fdb del $MS vlan 10" vswctl fdb del sw0 $MS vlan 10
check_true "static entry gone after fdb del" fdb_absent $MS 10
hello vm1
check_cmd "fdb add static M1 on p2 replaces the learned entry" vswctl fdb add sw0 $M1 vlan 10 port p2
check_eq "M1 is now static on p2" "static p2" "$(fdb_state sw0 $M1 10) $(fdb_port sw0 $M1 10)"
vswctl fdb del sw0 $M1 vlan 10

dump_on_fail sw0
# --- MAC move ------------------------------------------------------------------
hello vm1 && hello vm2
check_eq "M1 on p1" p1 "$(fdb_port sw0 $M1 10)"
hello vm2 src=$M1
check_eq "M1 moves to p2 when seen there" p2 "$(fdb_port sw0 $M1 10)"
check_eq "port show p1 macs 0 / p2 macs 2 after the move" "0 2" \
	"$(pfield p1 macs) $(pfield p2 macs)"
r1=$(nsrx vm1 eth0) r2=$(nsrx vm2 eth0)
send_frames vm3 eth0 dst=$M1 count=2
check_eq "traffic to M1 follows the move (to vm2, not vm1)" "$r1 $((r2 + 2))" \
	"$(nsrx vm1 eth0) $(nsrx vm2 eth0)"
hello vm1
check_eq "M1 moves back to p1" p1 "$(fdb_port sw0 $M1 10)"

dump_on_fail sw0
# --- flush -----------------------------------------------------------------------
hello vm1 && hello vm2 && hello vm3 && hello vm4
vswctl fdb add sw0 $MS vlan 10 port p3
check_cmd "fdb flush sw0 port p1" vswctl fdb flush sw0 port p1
check_eq "flush port p1: M1 gone, M2 M3 M4 kept" "absent p2 p3 p4" \
	"$(fdb_state sw0 $M1 10) $(fdb_port sw0 $M2 10) $(fdb_port sw0 $M3 10) $(fdb_port sw0 $M4 20)"
check_cmd "fdb flush sw0 vlan 20" vswctl fdb flush sw0 vlan 20
check_eq "flush vlan 20: M4 gone, M2 kept" "absent p2" \
	"$(fdb_state sw0 $M4 20) $(fdb_port sw0 $M2 10)"
hello vm1 && hello vm4
check_cmd "fdb flush sw0 port p4 vlan 10 (no match)" vswctl fdb flush sw0 port p4 vlan 10
check_eq "flush port+vlan with no match keeps M4 and M1" "p4 p1" \
	"$(fdb_port sw0 $M4 20) $(fdb_port sw0 $M1 10)"
check_cmd "fdb flush sw0" vswctl fdb flush sw0
check_eq "flush all: no learned or static entry left" 0 \
	"$(vswctl -j fdb show sw0 | jq '[.[] | select(.mac | test("^02:00:00:"))] | length')"

dump_on_fail sw0
# --- port removal flushes its entries ----------------------------------------
hello vm3 && hello vm2
ip link set p3 nomaster
check_true "port removed: its MAC is flushed" fdb_absent $M3 10
check_eq "... other ports' entries stay" p2 "$(fdb_port sw0 $M2 10)"
ip link set p3 master sw0 && vswctl port set p3 tag 10

dump_on_fail sw0
# --- per-port max-macs -----------------------------------------------------------
vswctl fdb flush sw0
check_cmd "port set p1 max-macs 3" vswctl port set p1 max-macs 3
check_eq "port show p1: max_macs 3" 3 "$(pfield p1 max_macs)"
d0=$(pdrop p1 mac_limit)
r2=$(nsrx vm2 eth0)
send_frames vm1 eth0 src=$BASE nsrc=6 count=6
check_eq "6 source MACs on p1 with max-macs 3: 3 learned" 3 "$(fdb_count sw0 port p1)"
check_eq "frames from the 3 extra MACs counted mac_limit" "$((d0 + 3))" "$(pdrop p1 mac_limit)"
check_eq "frames from the extra MACs are dropped (vm2 got 3 of 6)" "$((r2 + 3))" "$(nsrx vm2 eth0)"
send_frames vm1 eth0 src=$BASE count=2
check_eq "an already learned MAC still passes at the limit" "$((d0 + 3)) $((r2 + 5))" \
	"$(pdrop p1 mac_limit) $(nsrx vm2 eth0)"
vswctl port set p1 max-macs 0
send_frames vm1 eth0 src=$BASE nsrc=6 count=6
check_eq "max-macs 0: all 6 learned" 6 "$(fdb_count sw0 port p1)"

dump_on_fail sw0
# --- switch-wide max-macs --------------------------------------------------------
vswctl fdb flush sw0
check_cmd "switch set sw0 max-macs 4" vswctl switch set sw0 max-macs 4
check_eq "switch show: max_macs 4" 4 "$(vswctl -j switch show sw0 | jq '.[0].max_macs')"
d1=$(pdrop p1 mac_limit) d2=$(pdrop p2 mac_limit)
send_frames vm1 eth0 src=02:00:00:02:00:00 nsrc=3 count=3
send_frames vm2 eth0 src=02:00:00:03:00:00 nsrc=3 count=3
check_eq "switch max-macs 4: 4 entries learned" 4 \
	"$(vswctl -j fdb show sw0 | jq '[.[] | select(.state != "static")] | length')"
check_eq "switch max-macs 4: 2 frames dropped mac_limit (on p2)" "$d1 $((d2 + 2))" \
	"$(pdrop p1 mac_limit) $(pdrop p2 mac_limit)"
vswctl switch set sw0 max-macs 0
vswctl fdb flush sw0

dump_on_fail sw0
# --- stock bridge fdb: plain "bridge fdb show" calls the switch's ndo_fdb_dump --
hello vm2
vswctl fdb add sw0 $MS vlan 10 port p3
bj=$(bridge -j fdb show 2>&1)
# bsel MAC: "ifname|master|vlan|state|flags" of MAC's entries with master sw0
bsel() {
	jq -r --arg m "$1" '[.[] | select(.mac == $m and .master == "sw0") |
		"\(.ifname)|\(.master)|\(.vlan)|\(.state)|\(.flags | join(","))"] | join(" ")' <<<"$bj"
}
check_eq "bridge -j fdb show: learned M2 as ifname p2, master sw0, vlan 10, state \"\"" \
	"p2|sw0|10||master" "$(bsel $M2)"
check_eq "bridge -j fdb show: static entry (vswctl fdb add) on p3 vlan 10, state static" \
	"p3|sw0|10|static|master" "$(bsel $MS)"
check_eq "bridge -j fdb show: every vswctl fdb entry of sw0 listed once (mac/ifname/vlan)" \
	"$(vswctl -j fdb show sw0 | jq -c '[.[] | [.mac, .ifname, .vlan]] | sort')" \
	"$(jq -c '[.[] | select(.master == "sw0") | [.mac, .ifname, .vlan]] | sort' <<<"$bj")"
check_eq "bridge fdb show br sw0: lists nothing (sw0 is no bridge; documented)" "" \
	"$(bridge fdb show br sw0 2>&1)"
n0=$(fdb_count sw0)
check_true "bridge fdb add ... master: refused (not supported), nothing added" bash -c \
	"! bridge fdb add 02:00:00:00:aa:02 dev p1 master static vlan 10 2>'$VSW_TMPD/bridge.err' &&
	 grep -q 'not supported' '$VSW_TMPD/bridge.err' && [[ \$(vswctl -j fdb show sw0 | jq length) == $n0 ]]"
vswctl fdb del sw0 $MS vlan 10

dump_on_fail sw0
ksft_finish
