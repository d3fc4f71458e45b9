#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vswctl_modes.sh - vswctl's modes: monitor -j (one JSON object per line:
# port_added, mac_learned, rule_changed, fdb_added, fdb_deleted,
# fdb_flushed, mac_moved, port_down/port_up (ip link set down/up of a
# port), port_removed (nomaster) and mac_aged (ageing 1) events of the
# switch, with their ifname/mac/vlan fields), -n NETNS (commands in another netns,
# nothing of the init netns visible there), -b FILE (stops at the first
# error with FILE:LINE, earlier lines applied, later ones not; -j -b prints
# one JSON array per show).

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd timeout

M1=02:00:00:00:00:01
M2=02:00:00:00:00:02
MS=02:00:00:00:aa:01
VSWCTL_BIN=$(command -v "$VSWCTL")

setup() {
	sw_add sw0 &&
		vm_add vm1 p1 sw0 192.0.2.1/24 $M1 &&
		vm_add vm2 p2 sw0 192.0.2.2/24 $M2
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

ktap_plan 23

# --- monitor -j -------------------------------------------------------------------------------
mon=$VSW_TMPD/monitor.out
bg monitor timeout -s INT 90 "$VSWCTL_BIN" -j monitor sw0 >"$mon" 2>"$mon.err"
sleep 1.5
veth_port p4 "" p4x
ip link set p4 master sw0
vswctl fdb flush sw0
ping_ok vm1 192.0.2.2 2
vswctl flow add sw0 priority 50 udp,tp_dst=9 actions=drop
vswctl fdb add sw0 $MS vlan 1 port p4
vswctl flow flush sw0
vswctl fdb del sw0 $MS vlan 1
send_frames vm2 eth0 src=$M1			# M1: p1 -> p2
ip link set p2 down && ip link set p2 up
ip link set p4 nomaster
send_frames vm1 eth0				# M1 back on p1, fresh
vswctl switch set sw0 ageing 1			# 1 s is the shortest (0 = never)
# mon_has JQ-CONDITION: an event matching it is in the monitor output
# shellcheck disable=SC2317 # called through wait_for
mon_has() { jq -e -s "any(.[]; $1)" "$mon" >/dev/null 2>&1; }
wait_for 10 mon_has ".event == \"mac_aged\" and .mac == \"$M1\" and .ifname == \"p1\""
vswctl switch set sw0 ageing 300
sleep 1
bg_kill monitor
check_true "monitor -j: one JSON object per line" bash -c "[[ -s '$mon' ]] && jq -e -s 'all(.[]; type == \"object\" and has(\"event\") and .switch == \"sw0\")' '$mon'"
check_true "monitor -j: port_added p4" bash -c "jq -e -s 'any(.[]; .event == \"port_added\" and .ifname == \"p4\")' '$mon'"
check_true "monitor -j: mac_learned $M1 vlan 1 on p1" bash -c \
	"jq -e -s 'any(.[]; .event == \"mac_learned\" and .mac == \"$M1\" and .vlan == 1 and .ifname == \"p1\")' '$mon'"
check_true "monitor -j: rule_changed (priority 50)" bash -c "jq -e -s 'any(.[]; .event == \"rule_changed\" and .priority == 50)' '$mon'"
check_true "monitor -j: fdb_added / fdb_deleted / fdb_flushed" bash -c \
	"jq -e -s '(any(.[]; .event == \"fdb_added\" and .mac == \"$MS\")) and (any(.[]; .event == \"fdb_deleted\")) and (any(.[]; .event == \"fdb_flushed\"))' '$mon'"
check_true "monitor -j: mac_moved $M1 vlan 1 to p2" mon_has \
	".event == \"mac_moved\" and .mac == \"$M1\" and .vlan == 1 and .ifname == \"p2\""
check_true "monitor -j: port_down p2 (ip link set p2 down)" mon_has '.event == "port_down" and .ifname == "p2"'
check_true "monitor -j: port_up p2 after it (ip link set p2 up)" bash -c \
	"jq -e -s '(map(.event == \"port_down\" and .ifname == \"p2\") | index(true)) as \$d |
		\$d != null and (.[\$d:] | any(.[]; .event == \"port_up\" and .ifname == \"p2\"))' '$mon'"
check_true "monitor -j: port_removed p4 (nomaster)" mon_has '.event == "port_removed" and .ifname == "p4"'
check_true "monitor -j: mac_aged $M1 vlan 1 on p1 (ageing 1)" mon_has \
	".event == \"mac_aged\" and .mac == \"$M1\" and .vlan == 1 and .ifname == \"p1\""
[[ -s $mon ]] || diag "monitor output empty; stderr: $(head -c 300 "$mon.err")"

dump_on_fail sw0
# --- -n NETNS ---------------------------------------------------------------------------------
vm_ns other
ip -n other link add swo type vsw && ip -n other link add po type veth peer name pox &&
	ip -n other link set po master swo
check_eq "-n other switch show: only swo" swo "$(vswctl -n other -j switch show | jq -r '[.[].ifname] | join(",")')"
check_cmd "-n other port set po tag 5" vswctl -n other port set po tag 5
check_eq "-n other port show po: tag 5" 5 "$(vswctl -n other -j port show po | jq '.[0].tag')"
check_cmd "-n other switch add/del swo2" bash -c "vswctl -n other switch add swo2 && ip -n other link show swo2 && vswctl -n other switch del swo2"
check_stderr "without -n: po is not found" '^vswctl: .*' vswctl port set po tag 6
check_stderr "-n nosuchns: clear error" '^vswctl: .*nosuchns' vswctl -n nosuchns switch show
check_stderr "-n other: sw0 (root netns) not found" '^vswctl: .*' vswctl -n other fdb show sw0


# --- -b batch -------------------------------------------------------------------------------
bf=$VSW_TMPD/batch.txt
printf '%s\n' "switch set sw0 ageing 77" "port set p1 max-macs 3" "fdb add sw0 02:00:00:00:bb:01 vlan 1 port p2" \
	"port set p1 tag 5000" "switch set sw0 ageing 88" >"$bf"
rc=0
err=$(vswctl -b "$bf" 2>&1 >/dev/null) || rc=$?
check_eq "-b: exit 1 on the bad line" 1 "$rc"
check_true "-b: error prefixed with FILE:4:" grep -qF "$bf:4: " <<<"$err"
check_eq "-b: lines 1-3 applied, line 5 not" "77 3 static" \
	"$(vswctl -j switch show sw0 | jq '.[0].ageing') $(pfield p1 max_macs) $(fdb_state sw0 02:00:00:00:bb:01 1)"
printf '%s\n' "switch set sw0 ageing 300" "port set p1 max-macs 0" "fdb del sw0 02:00:00:00:bb:01 vlan 1" >"$bf"
check_cmd "-b: a good batch exits 0" vswctl -b "$bf"
check_eq "-b: good batch applied" "300 0" "$(vswctl -j switch show sw0 | jq '.[0].ageing') $(pfield p1 max_macs)"
printf '%s\n' "fdb show sw0" "port show p1" >"$bf"
check_eq "-j -b: show commands in a batch each print a JSON array" 2 "$(vswctl -j -b "$bf" | jq -s 'map(type == "array") | length')"



dump_on_fail sw0
ksft_finish
