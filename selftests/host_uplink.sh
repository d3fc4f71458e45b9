#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# host_uplink.sh - the host's own network on the switch (docs/operations.md):
#
#  1. The management address moves from the NIC onto the switch's internal
#     port in one `ip -batch` (the NIC becomes the uplink port, the switch
#     device takes the NIC's MAC), and the LAN still reaches the host,
#     with a ping running all along.
#  2. Management in a VLAN: the uplink is a trunk, the internal port too,
#     and the address sits on sw0.20 (8021q on top of the switch device).
#  3. A bonded uplink (active-backup of two links) is one port; when the
#     active link loses its carrier the bond fails over and the host and
#     a VM behind the switch stay reachable.
#
# The "LAN" is a netns (lan; lan2 for the bond) whose bridge has the far
# ends of the links.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd ping
ktap_plan 11

MGMT=198.51.100.2
LAN=198.51.100.1

# the LAN: netns lan, a bridge with the peers of the host's links in it
vm_ns lan
ip -n lan link add brlan type bridge || exit "$KSFT_FAIL"
ip -n lan link set brlan up
ip -n lan addr add $LAN/24 dev brlan
ip -n lan link add link brlan name brlan.20 type vlan id 20
ip -n lan link set brlan.20 up
ip -n lan addr add 203.0.113.1/24 dev brlan.20
ip -n lan link set brlan type bridge vlan_filtering 0
uplink() { # HOSTDEV [LAN]: veth HOSTDEV (init netns) <-> LAN bridge port
	local lan=${2:-lan}
	ip link add "$1" type veth peer name "$1p" netns "$lan" || return 1
	defer ip link del "$1"
	__vsw_noipv6 "" "$1"
	ip -n "$lan" link set "$1p" master brlan up
	ip link set "$1" up
}

# --- 1. the management address moves onto the switch ---------------------------
uplink eth9 || { diag "LAN setup failed"; exit "$KSFT_FAIL"; }
ip addr add $MGMT/24 dev eth9
check_ping "before: the LAN reaches the host on eth9" lan $MGMT

sw_add sw0
# a ping from the LAN runs during the move (its result is informative)
ip netns exec lan ping -c 30 -i 0.2 -W 1 $MGMT >"$VSW_TMPD/during" 2>&1 &
pingpid=$!
sleep 1
# sw0 takes the NIC's MAC, so the LAN's ARP caches stay right
mac=$(cat /sys/class/net/eth9/address)
check_cmd "the move: one ip -batch" ip -batch - <<EOF
link set sw0 address $mac
addr del $MGMT/24 dev eth9
link set eth9 master sw0
addr add $MGMT/24 dev sw0
EOF
wait $pingpid
diag "ping during the move: $(grep -o '[0-9]* received' "$VSW_TMPD/during")"
check_eq "the address is on sw0, not on eth9" "$MGMT -" \
	"$(ip -j addr show dev sw0 | jq -r '[.[0].addr_info[] | select(.family == "inet") | .local][0]') $(ip -j addr show dev eth9 | jq -r '[.[0].addr_info[] | select(.family == "inet") | .local][0] // "-"')"
check_ping "after: the LAN reaches the host on sw0" lan $MGMT
vm_add vm1 p1 sw0 198.51.100.10/24
check_ping "a VM on the switch reaches the LAN" vm1 $LAN

# --- 2. management in VLAN 20 over a trunk ------------------------------------------
vswctl port set eth9 mode native-untagged tag 1 trunks 20
vswctl port set sw0 mode native-untagged tag 1 trunks 20
ip link add link sw0 name sw0.20 type vlan id 20 || fail "8021q on sw0"
__vsw_noipv6 "" sw0.20
ip link set sw0.20 up
ip addr add 203.0.113.2/24 dev sw0.20
check_ping "VLAN 20: the LAN's VLAN 20 reaches sw0.20" lan 203.0.113.2
check_ping "... and VLAN 1 still reaches sw0" lan $MGMT

# --- 3. a bonded uplink (its own LAN, lan2: 192.0.2.0/24) ----------------------------
vm_ns lan2
ip -n lan2 link add brlan type bridge
ip -n lan2 link set brlan up
ip -n lan2 addr add 192.0.2.1/24 dev brlan
if modprobe bonding 2>/dev/null && ip link add bond9 type bond mode active-backup miimon 50 2>/dev/null; then
	defer ip link del bond9
	uplink ba lan2
	uplink bb lan2
	ip link set ba down && ip link set bb down
	ip link set ba master bond9 && ip link set bb master bond9
	ip link set bond9 up
	sw_add sw1
	ip link set bond9 master sw1
	ip addr add 192.0.2.3/24 dev sw1
	vm_add vm2 p2 sw1 192.0.2.20/24
	check_ping "bond: the LAN reaches the host on sw1" lan2 192.0.2.3
	active=$(cat /sys/class/net/bond9/bonding/active_slave)
	ip -n lan2 link set "${active}p" down # the active link's carrier goes
	wait_for 10 bash -c "[[ \$(cat /sys/class/net/bond9/bonding/active_slave) != $active ]]"
	check_ne "the bond failed over" "$active" "$(cat /sys/class/net/bond9/bonding/active_slave)"
	ip neigh flush dev sw1
	ip -n lan2 neigh flush dev brlan
	check_ping "after the failover the LAN reaches the host" lan2 192.0.2.3
	check_ping "... and the VM behind the switch" lan2 192.0.2.20
else
	for i in 1 2 3 4; do skip "bonded uplink" "no bonding module"; done
fi

ksft_finish
