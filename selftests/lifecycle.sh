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
# as plain devices); `rmmod vsw` with live switches, ports and traffic, then
# modprobe and everything works again (3 cycles); port refusals with a clear
# error (the switch itself, loopback, a device of another switch, a switch
# into a switch, a device of another netns, a non-Ethernet device, a device
# whose rx_handler is taken); vxlan, dummy and bond devices are accepted as
# ports. The harness scans the kernel log for splats after the test.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
ktap_plan 45

M2=02:00:00:00:00:02

setup() {
	sw_add sw0 &&
		vm_add vm1 p1 sw0 192.0.2.1/24 &&
		vm_add vm2 p2 sw0 192.0.2.2/24 $M2 &&
		vm_add vm3 p3 sw0 192.0.2.3/24
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

port_listed() { vswctl -j port show | jq -e --arg p "$1" 'any(.[]; .ifname == $p)' >/dev/null; }
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
# --- port refusals --------------------------------------------------------------------------------
# refuse DESC CMD...: CMD must fail with a readable message (kernel extack
# "Error: ..." from ip, or "vswctl: ..." from vswctl), not a bare errno
refuse() {
	local desc=$1 rc=0 err
	shift
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	if [[ $rc == 0 ]]; then
		fail "$desc" "accepted: $*"
	elif grep -qE '^(Error: .{8,}|vswctl: .{8,})' <<<"$err"; then
		ok "$desc"
		diag "  $* -> ${err%%$'\n'*}"
	else
		fail "$desc" "no clear error message from: $* (got: ${err:0:200})"
	fi
}
sw_add sw1
refuse "enslaving the switch to itself (ip link)" ip link set sw0 master sw0
refuse "enslaving the switch to itself (vswctl port add)" vswctl port add sw0 sw0
refuse "loopback as a port" ip link set lo master sw0
refuse "a vsw switch into a vsw switch" ip link set sw1 master sw0
refuse "a vsw switch into a vsw switch (vswctl)" vswctl port add sw0 sw1
refuse "a port of another switch (vswctl port add sw1 p1)" vswctl port add sw1 p1
check_eq "... p1 stays in sw0" sw0 "$(pfield p1 master)"
refuse "a device of another netns (vm1's eth0)" vswctl port add sw0 eth0
check_eq "... nothing named eth0 joined sw0" 0 \
	"$(vswctl -j port show | jq '[.[] | select(.ifname == "eth0")] | length')"
modprobe -q tun 2>/dev/null
if ip tuntap add dev vtun0 mode tun 2>/dev/null; then
	defer ip link del vtun0
	refuse "a non-Ethernet device (tun)" ip link set vtun0 master sw0
else
	skip "a non-Ethernet device (tun)" "cannot create a tun device"
fi
veth_port p7 "" p7x
if ip link add link p7 name mv7 type macvlan mode bridge 2>/dev/null; then
	refuse "a device whose rx_handler is taken (macvlan lower)" ip link set p7 master sw0
	ip link del mv7
else
	skip "a device whose rx_handler is taken (macvlan lower)" "macvlan not available"
fi
check_eq "no refused device shows up as a port" "" \
	"$(vswctl -j port show | jq -r '[.[] | select(.master == "sw0" and (.ifname | IN("lo", "sw1", "vtun0", "p7"))) | .ifname] | join(",")')"

dump_on_fail sw0
# --- vxlan / dummy / bond accepted ---------------------------------------------------------
accept() {
	local dev=$1
	shift
	if ! "$@" 2>"$VSW_TMPD/acc.err"; then
		skip "$dev as a port" "cannot create it: $(head -c 200 "$VSW_TMPD/acc.err")"
		return
	fi
	defer ip link del "$dev"
	if ip link set "$dev" master sw0 2>"$VSW_TMPD/acc.err" && ip link set "$dev" up && port_listed "$dev"; then
		ok "$dev as a port"
	else
		fail "$dev as a port" "$(cat "$VSW_TMPD/acc.err")"
	fi
}
accept vx0 ip link add vx0 type vxlan id 42 dstport 4789 local 127.0.0.1
accept dum0 ip link add dum0 type dummy
accept bond0 ip link add bond0 type bond mode active-backup
check_true "vswctl -j port show lists vx0, dum0, bond0 as ports of sw0" bash -c \
	"vswctl -j port show | jq -e '[.[] | select(.master == \"sw0\") | .ifname] | contains([\"vx0\",\"dum0\",\"bond0\"])'"
vswctl port del dum0
check_true "vswctl port del dum0" bash -c "! vswctl -j port show | jq -e 'any(.[]; .ifname == \"dum0\")'"

dump_on_fail sw0
# --- rmmod with live switches and traffic, 3 cycles ------------------------------------------
if [[ -d /sys/module/vsw ]] && ! grep -q "^vsw " /proc/modules; then
	for i in 1 2 3; do skip "rmmod/modprobe cycle $i" "vsw is built in"; done
else
	sw_add swr && vm_add r1 q1 swr 198.18.0.1/24 && vm_add r2 q2 swr 198.18.0.2/24
	for i in 1 2 3; do
		bg rping ip netns exec r1 ping -q -i 0.05 -w 20 198.18.0.2
		sleep 1
		vswctl flow add swr priority 10 udp actions=drop >/dev/null 2>&1
		vswctl fdb add swr 02:00:00:00:77:01 vlan 1 port q2 >/dev/null 2>&1
		rc=0
		out=$(rmmod vsw 2>&1) || rc=$?
		bg_kill rping
		if [[ $rc != 0 ]]; then
			fail "rmmod/modprobe cycle $i" "rmmod vsw failed: $out"
			continue
		fi
		if ip link show swr >/dev/null 2>&1 || ip link show sw0 >/dev/null 2>&1; then
			fail "rmmod/modprobe cycle $i" "switches still exist after rmmod"
			continue
		fi
		if [[ $(ip -j link show q1 | jq -r '.[0].master // "none"') != none ]]; then
			fail "rmmod/modprobe cycle $i" "q1 still has a master after rmmod"
			continue
		fi
		modprobe vsw && sw_add swr && ip link set q1 master swr && ip link set q2 master swr
		if ping_ok r1 198.18.0.2 5 &&
			[[ $(vswctl -j port show | jq '[.[] | select(.master == "swr")] | length') == 3 ]]; then
			ok "rmmod/modprobe cycle $i: switches gone, ports released, works after modprobe"
		else
			fail "rmmod/modprobe cycle $i" "no forwarding after modprobe"
		fi
	done
fi

dump_on_fail sw0
ksft_finish
