#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# port_default.sh - the switch-wide configuration of new ports
# (vswctl switch set SW default-port PORT-OPTIONS...).
#
# Without it every new port is an access port of VLAN 1, the host's own
# VLAN on the internal port: a VM's tap that appears before its
# configuration talks to the host. With "default-port mode trunk trunks
# none" a new port forwards nothing (its frames count as vlan_ingress
# drops) until it is configured. Checks: the -j keys, only ports added
# afterwards get it (ip link set master and vswctl port add alike), never
# the internal port, partial changes, all-or-nothing with the other switch
# options, bad values rejected with nothing changed.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
ktap_plan 18

swfield() { vswctl -j switch show "$1" | jq -r ".[0].$2"; }

sw_add sw1 || { diag "switch setup failed"; exit "$KSFT_FAIL"; }
vm_add h0 p0 sw1 192.0.2.10/24 || { diag "port setup failed"; exit "$KSFT_FAIL"; }

check_eq "default_port starts as a new port's configuration" \
	"access 1 none true false 0 never 802.1ad" \
	"$(vswctl -j switch show sw1 | jq -r '.[0].default_port | "\(.mode) \(.tag) \(.trunks) \(.learning) \(.isolated) \(.max_macs) \(.priority_tags) \(.qinq_ethtype)"')"

check_cmd "switch set sw1 default-port mode trunk trunks none" \
	vswctl switch set sw1 default-port mode trunk trunks none
check_eq "-j default_port: trunk, trunks none" "trunk none" \
	"$(swfield sw1 default_port.mode) $(swfield sw1 default_port.trunks)"
check_eq "switch show: what differs from a new port's defaults" "    default-port mode trunk" \
	"$(vswctl switch show sw1 | sed -n 2p)"
check_eq "the port that was there keeps access VLAN 1" "access 1" \
	"$(pfield p0 mode) $(pfield p0 tag)"
check_eq "the internal port keeps access VLAN 1" "access 1" \
	"$(pfield sw1 mode) $(pfield sw1 tag)"

# a VM's tap appears: ip link set master (vm_add) and vswctl port add
vm_add h1 p1 sw1 192.0.2.1/24
vm_add h2 p2 "" 192.0.2.2/24
vswctl port add sw1 p2
ip link set p2 up
check_eq "new port (ip link set master): trunk, no VLAN" "trunk none" \
	"$(pfield p1 mode) $(pfield p1 trunks)"
check_eq "new port (vswctl port add): trunk, no VLAN" "trunk none" \
	"$(pfield p2 mode) $(pfield p2 trunks)"
check_noping "unconfigured ports forward nothing" h1 192.0.2.2
check_noping "... and do not reach the host's VLAN" h1 192.0.2.10
check_true "their frames are vlan_ingress drops" num_ge "$(pdrop p1 vlan_ingress)" 1

vswctl port set p1 mode access tag 10
vswctl port set p2 mode access tag 10
check_ping "configured: p1 <-> p2 in VLAN 10" h1 192.0.2.2

# partial change: only the options given
vswctl switch set sw1 default-port learning off max-macs 5
check_eq "partial change keeps the rest" "trunk none false 5" \
	"$(vswctl -j switch show sw1 | jq -r '.[0].default_port | "\(.mode) \(.trunks) \(.learning) \(.max_macs)"')"

before=$(vswctl -j switch show sw1 | jq -c '.[0] | {ageing, cache_size, default_port}')
check_stderr "default-port tag 5000: rejected" "VID|VLAN|out of range|1-4094" \
	vswctl switch set sw1 default-port tag 5000
check_stderr "cache-size 10 with a bad default-port: rejected" "invalid mode" \
	vswctl switch set sw1 cache-size 10 default-port mode bogus
check_stderr "default-port without an option: rejected" "no port option" \
	vswctl switch set sw1 ageing 10 default-port
check_eq "rejected settings changed nothing" "$before" \
	"$(vswctl -j switch show sw1 | jq -c '.[0] | {ageing, cache_size, default_port}')"

vswctl switch set sw1 default-port mode access tag 1 trunks none learning on max-macs 0
vm_add h3 p3 sw1
check_eq "back to the defaults: a new port is access VLAN 1 again" "access 1 true" \
	"$(pfield p3 mode) $(pfield p3 tag) $(pfield p3 learning)"

ksft_finish
