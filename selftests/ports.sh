#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ports.sh - what can and cannot be a port.
#
# Refused, each with a clear error (kernel extack "Error: ..." from ip, or
# "vswctl: ..." from vswctl), and nothing changes: the switch itself, the
# loopback device, a device that is already a port of another switch
# (vswctl port add must not silently move it), a vsw switch into a vsw
# switch, a device of another netns, a non-Ethernet device (tun), a device
# whose rx_handler is taken (macvlan lower). Accepted: vxlan, dummy and bond
# devices; vswctl port del removes one.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
ktap_plan 17

setup() {
	sw_add sw0 &&
		vm_add vm1 p1 sw0 192.0.2.1/24 &&
		vm_add vm2 p2 sw0 192.0.2.2/24
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

port_listed() { vswctl -j port show | jq -e --arg p "$1" 'any(.[]; .ifname == $p)' >/dev/null; }

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
		accepted+=("$dev")
	else
		fail "$dev as a port" "$(cat "$VSW_TMPD/acc.err")"
	fi
}
accepted=()
accept vx0 ip link add vx0 type vxlan id 42 dstport 4789 local 127.0.0.1
accept dum0 ip link add dum0 type dummy
accept bond0 ip link add bond0 type bond mode active-backup
# only the devices that could be created and were accepted are expected
check_eq "vswctl -j port show lists the accepted devices as ports of sw0" \
	"$(printf '%s\n' "${accepted[@]}" | sort | paste -sd,)" \
	"$(vswctl -j port show | jq -r '[.[] | select(.master == "sw0") | .ifname | select(IN("vx0", "dum0", "bond0"))] | sort | join(",")')"
if ip link show dum0 >/dev/null 2>&1; then
	vswctl port del dum0
	check_true "vswctl port del dum0" bash -c "! vswctl -j port show | jq -e 'any(.[]; .ifname == \"dum0\")'"
else
	skip "vswctl port del dum0" "no dummy device"
fi


dump_on_fail sw0 sw1
ksft_finish
