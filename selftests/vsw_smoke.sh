#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vsw_smoke.sh - life cycle of switches and ports with stock iproute2.
#
#   a: va <-> pa --+            sw0 (10.0.0.254) is the internal port
#                  sw0
#   b: vb <-> pb --+
#
# Create a switch, enslave veths, ping across and to the switch device,
# the refusals of ndo_add_slave, nomaster, deleting a port device while
# traffic flows, a switch that dies with its netns, rmmod with live
# switches and ports, and module autoload by "ip link add ... type vsw".
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

need_cmd ip ping
need_vsw
ktap_plan 24

ns_create a b
defer ip link del sw0
defer ip link del sw1
defer ip link del pa
defer ip link del pb

check_cmd "ip link add sw0 type vsw" ip link add sw0 type vsw
check_eq "sw0 is an Ethernet device (link/ether)" "ether" \
	"$(ip -j link show sw0 | sed -n 's/.*"link_type":"\([a-z]*\)".*/\1/p')"
ip link set sw0 up
veth_pair a va "" pa && veth_pair b vb "" pb
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip addr add 10.0.0.254/24 dev sw0
check_cmd "ip link set pa master sw0" ip link set pa master sw0
check_cmd "ip link set pb master sw0" ip link set pb master sw0
check_eq "ip link show pa: master sw0" "sw0" \
	"$(ip -j link show pa | sed -n 's/.*"master":"\([^"]*\)".*/\1/p')"
check_ping "a -> b across the switch" a 10.0.0.2
check_ping "a -> the switch device (internal port)" a 10.0.0.254
check_ping "host -> b through the internal port" "" 10.0.0.2

# refusals
ip link add sw1 type vsw
check_fail "loopback cannot be a port" ip link set lo master sw0
check_fail "a switch cannot be its own port" ip link set sw0 master sw0
check_fail "no vsw switch inside a vsw switch" ip link set sw1 master sw0
# rtnetlink releases a device from its old master first (as for bridges)
check_cmd "master sw1 moves a port of sw0 to sw1" ip link set pa master sw1
check_eq "pa is now in sw1" "sw1" \
	"$(ip -j link show pa | sed -n 's/.*"master":"\([^"]*\)".*/\1/p')"
ip link set pa master sw0

# nomaster, and back
check_cmd "ip link set pb nomaster" ip link set pb nomaster
check_no_ping "b cut off after nomaster" a 10.0.0.2
ip link set pb master sw0

# delete a port device while frames flow through it
ip netns exec a ping -n -q -i 0.02 -c 200 10.0.0.2 >/dev/null 2>&1 &
pinger=$!
sleep 1
check_cmd "ip link del pb while traffic flows" ip link del pb
wait "$pinger" 2>/dev/null
check_eq "sw0 has one port left" "pa" \
	"$(ip -o link show master sw0 | awk -F': ' '{print $2}' | sed 's/@.*//' | xargs)"

# a switch created in a netns dies with it, ports included
ns_create c
ip -n c link add swc type vsw
ip -n c link add pc type veth peer name pc2
ip -n c link set pc master swc
ip -n c link set pc up
ip -n c link set swc up
check_cmd "ip netns del c with a switch and a port in it" ip netns del c

# rmmod with live switches and ports, then autoload
ip link set pb master sw1 2>/dev/null
check_cmd "ip link del sw1" ip link del sw1
check_cmd "rmmod vsw with a live switch and port" rmmod vsw
check_eq "sw0 went with the module" "" "$(ip link show sw0 2>/dev/null)"
check_eq "pa is free again (no master)" "" \
	"$(ip -j link show pa | sed -n 's/.*"master":"\([^"]*\)".*/\1/p')"
check_cmd "ip link add sw0 type vsw autoloads the module" ip link add sw0 type vsw
ip link set sw0 up
ip link set pa master sw0
ip link add pb type veth peer name vb netns b
ip link set pb master sw0
ip link set pb up
ip -n b link set vb up
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a neigh flush all		# b has a new MAC
check_ping "a -> b again after the module came back" a 10.0.0.2

ksft_finish
