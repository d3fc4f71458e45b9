#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# module_reload.sh - `rmmod vsw` with live switches, ports, rules, static
# FDB entries and traffic running: the switches disappear, the ports are
# released (no master), and after `modprobe vsw` a new switch with the same
# ports forwards again; 3 cycles. Then the generic netlink family autoloads
# the module: after rmmod, `vswctl switch show` alone loads it
# (MODULE_ALIAS_GENL_FAMILY). The harness scans the kernel log for
# splats (and, on the debug kernel, kmemleak) after the test.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
ktap_plan 4

# --- rmmod with live switches and traffic, 3 cycles ------------------------------------------
if [[ -d /sys/module/vsw ]] && ! grep -q "^vsw " /proc/modules; then
	for i in 1 2 3; do skip "rmmod/modprobe cycle $i" "vsw is built in"; done
	skip "genl autoload: vswctl switch show loads vsw" "vsw is built in"
else
	sw_add swr && vm_add r1 q1 swr 198.18.0.1/24 && vm_add r2 q2 swr 198.18.0.2/24 &&
		sw_add sw0 && vm_add r3 q3 sw0 198.18.1.3/24
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
		modprobe vsw && sw_add swr && ip link set q1 master swr && ip link set q2 master swr &&
			sw_add sw0 && ip link set q3 master sw0
		if ping_ok r1 198.18.0.2 5 &&
			[[ $(vswctl -j port show | jq '[.[] | select(.master == "swr")] | length') == 3 ]]; then
			ok "rmmod/modprobe cycle $i: switches gone, ports released, works after modprobe"
		else
			fail "rmmod/modprobe cycle $i" "no forwarding after modprobe"
		fi
	done
	rc=0
	out=$(rmmod vsw 2>&1 && vswctl switch show 2>&1) || rc=$?
	if [[ $rc == 0 ]] && grep -q "^vsw " /proc/modules; then
		ok "genl autoload: after rmmod, vswctl switch show loads vsw"
	else
		fail "genl autoload: vswctl switch show loads vsw" "rc $rc: $out"
	fi
	modprobe vsw
fi


dump_on_fail swr sw0
ksft_finish
