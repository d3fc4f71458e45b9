#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - a small hypervisor built with vsw (run by `make demo` in a guest).
#
#   vm1 (VLAN 10) --tap1-+               +-tap3-- vm3 (VLAN 10)
#                        sw0 ==trunk== sw1
#   vm2 (VLAN 20) --tap2-+  (10,20)      +-tap4-- vm4 (VLAN 20)
#
# The "VMs" are network namespaces on veth ports, all in one IP subnet, so
# only the VLANs keep them apart. The demo checks that VLAN 10 and VLAN 20
# reach across the trunk and are isolated from each other, then shows the
# switch state. It is also a test: exit 0 only if the reachability holds.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init

failures=0
say() { printf '%s\n' "$*"; }
heading() { printf '\n== %s\n' "$*"; }

# result LINE ok|fail
expect_ping() {
	local what=$1 from=$2 addr=$3
	if ping_ok "$from" "$addr" 3; then
		say "== $what: ok"
	else
		say "== $what: FAILED (no reply)"
		failures=$((failures + 1))
	fi
}

expect_no_ping() {
	local what=$1 from=$2 addr=$3
	if ip netns exec "$from" ping -n -q -c 2 -i 0.5 -W 1 "$addr" >/dev/null 2>&1; then
		say "== $what: FAILED (got a reply)"
		failures=$((failures + 1))
	else
		say "== $what: ok (no reply)"
	fi
}

run() {
	say "\$ $*"
	"$@" 2>&1 || { say "(exit $?)"; failures=$((failures + 1)); }
}

setup() {
	sw_add sw0 && sw_add sw1 || return 1
	trunk_link sw0 trunk0 sw1 trunk1 || return 1
	vm_add vm1 tap1 sw0 192.0.2.1/24 02:00:00:00:00:01 || return 1
	vm_add vm2 tap2 sw0 192.0.2.2/24 02:00:00:00:00:02 || return 1
	vm_add vm3 tap3 sw1 192.0.2.3/24 02:00:00:00:00:03 || return 1
	vm_add vm4 tap4 sw1 192.0.2.4/24 02:00:00:00:00:04 || return 1
	vswctl port set tap1 mode access tag 10 &&
		vswctl port set tap2 mode access tag 20 &&
		vswctl port set tap3 mode access tag 10 &&
		vswctl port set tap4 mode access tag 20 &&
		vswctl port set trunk0 mode trunk trunks 10,20 &&
		vswctl port set trunk1 mode trunk trunks 10,20
}

heading "build: switches sw0 and sw1, a trunk carrying VLANs 10 and 20, four VMs"
say "ip link add sw0 type vsw; ip link add sw1 type vsw"
say "ip link set trunk0 master sw0; ip link set trunk1 master sw1"
say "vswctl port set trunk0 mode trunk trunks 10,20   (same for trunk1)"
say "ip link set tapN master swX; vswctl port set tapN mode access tag 10|20"
if ! setup; then
	say "== setup: FAILED"
	exit "$KSFT_FAIL"
fi

heading "reachability"
expect_ping "ping vm1 -> vm3 (VLAN 10, across the trunk)" vm1 192.0.2.3
expect_ping "ping vm2 -> vm4 (VLAN 20, across the trunk)" vm2 192.0.2.4
expect_ping "ping vm3 -> vm1 (VLAN 10, back)" vm3 192.0.2.1
expect_no_ping "ping vm1 -> vm2 (VLAN 10 -> 20, same switch): isolated" vm1 192.0.2.2
expect_no_ping "ping vm1 -> vm4 (VLAN 10 -> 20, across the trunk): isolated" vm1 192.0.2.4
expect_no_ping "ping vm4 -> vm3 (VLAN 20 -> 10, same switch): isolated" vm4 192.0.2.3

heading "vswctl switch show"
run vswctl switch show
heading "vswctl port show"
run vswctl port show
heading "vswctl vlan show sw0"
run vswctl vlan show sw0
heading "vswctl fdb show sw0"
run vswctl fdb show sw0
heading "vswctl fdb show sw1"
run vswctl fdb show sw1
heading "vswctl cache show sw0"
run vswctl cache show sw0
heading "vswctl -s port show"
run vswctl -s port show

echo
if ((failures)); then
	say "demo: $failures check(s) FAILED"
	exit "$KSFT_FAIL"
fi
say "demo: all checks passed"
exit "$KSFT_PASS"
