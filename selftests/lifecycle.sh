#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lifecycle.sh - ports and switches coming and going under traffic.
#
# Hot-unplug of a port (ip link del) while a fast ping runs through it: the
# port vanishes from `vswctl port show`, its FDB entries are flushed, the
# switch keeps forwarding; a port moved to another netns leaves the switch;
# MTU changes on ports (big frames pass between big-MTU ports, are dropped
# and counted mtu towards a small-MTU port); deleting a netns that holds a
# switch and its ports; `ip link del` of a switch with ports (ports survive
# as plain devices). rmmod/modprobe cycles: module_reload.sh. Port
# refusals and other device types as ports: ports.sh. The harness scans
# the kernel log for splats after the test.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
ktap_plan 25

M2=02:00:00:00:00:02

setup() {
	sw_add sw0 &&
		vm_add vm1 p1 sw0 192.0.2.1/24 &&
		vm_add vm2 p2 sw0 192.0.2.2/24 $M2 &&
		vm_add vm3 p3 sw0 192.0.2.3/24
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

nports() { vswctl -j switch show "$1" | jq '.[0].ports'; }

dump_on_fail sw0
# --- hot unplug under load ------------------------------------------------------
check_ping "vm1 -> vm2 before the unplug" vm1 192.0.2.2
n0=$(nports sw0)
bg flood ip netns exec vm1 ping -q -i 0.02 -w 20 192.0.2.2
bg flood3 ip netns exec vm3 ping -q -i 0.02 -w 20 192.0.2.2
sleep 2
check_eq "M2 learned on p2 under load" p2 "$(fdb_port sw0 $M2 1)"
check_cmd "ip link del p2 while two pings flood it" ip link del p2
check_true "p2 vanished from vswctl port show" bash -c "! vswctl -j port show | jq -e 'any(.[]; .ifname == \"p2\")'"
check_eq "switch show: one port less" "$((n0 - 1))" "$(nports sw0)"
check_true "FDB entries of p2 flushed" bash -c "! vswctl -j fdb show sw0 | jq -e 'any(.[]; .ifname == \"p2\")'"
sleep 1
check_ping "switch still forwards: vm1 -> vm3" vm1 192.0.2.3
bg_kill flood
bg_kill flood3
ip link add p2 type veth peer name eth0 netns vm2 && ip -n vm2 link set eth0 address $M2 &&
	ip -n vm2 addr add 192.0.2.2/24 dev eth0 && ip -n vm2 link set eth0 up &&
	sysctl -qw net.ipv6.conf.p2.disable_ipv6=1 && ip link set p2 master sw0 && ip link set p2 up
check_ping "re-plugged p2 works again" vm1 192.0.2.2

dump_on_fail sw0
# --- a port moved to another netns leaves the switch -----------------------------
vm_ns nsx
check_cmd "ip link set p3 netns nsx (an enslaved port)" ip link set p3 netns nsx
check_true "p3 left the switch" bash -c "! vswctl -j port show | jq -e 'any(.[]; .ifname == \"p3\")'"
check_eq "p3 has no master in its new netns" null "$(ip -n nsx -j link show p3 | jq '.[0].master')"

dump_on_fail sw0
# --- MTU ------------------------------------------------------------------------------
vm_add vm4 p4 sw0 192.0.2.4/24
ip link set p1 mtu 9000 && ip -n vm1 link set eth0 mtu 9000 &&
	ip link set p4 mtu 9000 && ip -n vm4 link set eth0 mtu 9000
check_eq "port MTU changed to 9000 while enslaved" 9000 "$(cat /sys/class/net/p1/mtu)"
check_ping "small ping still passes after the MTU change" vm1 192.0.2.4
check_cmd "4000-byte ping between two MTU-9000 ports" \
	ip netns exec vm1 ping -n -q -c 2 -W 2 -M "do" -s 4000 192.0.2.4
d0=$(pdrop p2 mtu)
check_fail "4000-byte ping towards an MTU-1500 port fails" \
	ip netns exec vm1 ping -n -q -c 2 -W 1 -M "do" -s 4000 192.0.2.2
check_true "... and is counted as an mtu drop on p2" num_ge "$(pdrop p2 mtu)" "$((d0 + 2))"
ip link set p1 mtu 1500 && ip -n vm1 link set eth0 mtu 1500
check_ping "MTU back to 1500: vm1 -> vm2" vm1 192.0.2.2

dump_on_fail sw0
# --- a netns holding a switch and ports is deleted ------------------------------------
vm_ns hv vma vmb
ip -n hv link add swn type vsw && ip -n hv link set swn up &&
	ip -n hv link add pa type veth peer name eth0 netns vma &&
	ip -n hv link add pb type veth peer name eth0 netns vmb &&
	ip -n hv link set pa master swn && ip -n hv link set pb master swn &&
	ip -n hv link set pa up && ip -n hv link set pb up &&
	ip -n vma addr add 198.51.100.1/24 dev eth0 && ip -n vma link set eth0 up &&
	ip -n vmb addr add 198.51.100.2/24 dev eth0 && ip -n vmb link set eth0 up
check_ping "switch inside netns hv forwards" vma 198.51.100.2
check_eq "vswctl -n hv port show lists its 3 ports" 3 "$(vswctl -n hv -j port show | jq length)"
bg hvflood ip netns exec vma ping -q -i 0.02 -w 20 198.51.100.2
sleep 1
check_cmd "ip netns del hv (switch + ports, traffic running)" ip netns del hv
check_true "the VMs lose their links once hv is gone" \
	wait_for 15 bash -c '! ip -n vma link show eth0 && ! ip -n vmb link show eth0'
bg_kill hvflood

dump_on_fail sw0
# --- ip link del of a switch with ports ------------------------------------------------------
sw_add sw1
vm_add vm5 p5 sw1 203.0.113.5/24
vm_add vm6 p6 sw1 203.0.113.6/24
check_ping "sw1 forwards" vm5 203.0.113.6
check_cmd "ip link del sw1 with two ports" ip link del sw1
check_eq "its ports survive without a master" "null null" \
	"$(ip -j link show p5 | jq '.[0].master') $(ip -j link show p6 | jq '.[0].master')"
check_true "vswctl port show no longer lists them" bash -c "! vswctl -j port show | jq -e 'any(.[]; .ifname == \"p5\")'"

dump_on_fail sw0
dump_on_fail sw0
ksft_finish
