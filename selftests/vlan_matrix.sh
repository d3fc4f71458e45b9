#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vlan_matrix.sh - the VLAN matrix (after Open vSwitch's "VLAN handling"
# test): one switch with a port of each VLAN mode,
#
#   A access 10, B access 20, T trunk 10,20,
#   U native-untagged tag 10 trunks 20, G native-tagged tag 10 trunks 20,
#
# one broadcast frame per (ingress port, tag) case, captured on every port:
# which ports get it and with which tag (u = untagged, - = not received).
# The native VLAN is implicitly trunked (OVS semantics), priority-tagged
# frames count as untagged, tagged frames into access ports and untagged
# ones into trunks are dropped (vlan_ingress).

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd tcpdump
ktap_plan 2

# ports: A access 10, B access 20, T trunk 10,20, U native-untagged 10 +20,
# G native-tagged 10 +20
setup2() {
	sw_add sw9 &&
		vm_add xa pa sw9 && vm_add xb pb sw9 && vm_add xt pt sw9 &&
		vm_add xu pu sw9 && vm_add xg pg sw9 &&
		vswctl port set pa mode access tag 10 &&
		vswctl port set pb mode access tag 20 &&
		vswctl port set pt mode trunk trunks 10,20 &&
		vswctl port set pu mode native-untagged tag 10 trunks 20 &&
		vswctl port set pg mode native-tagged tag 10 trunks 20
}
if setup2; then
	for x in a b t u g; do cap_start "m$x" "x$x" eth0; done
	# case: NAME  FROM  TAG(- = untagged, p = priority tag)  EXPECTED(A B T U G)
	cases=(
		"A-untagged a - -,-,10,u,10"
		"A-tag10 a 10 -,-,-,-,-"
		"A-prio a p -,-,10,u,10"
		"T-untagged t - -,-,-,-,-"
		"T-prio t p -,-,-,-,-"
		"T-tag10 t 10 u,-,-,u,10"
		"T-tag20 t 20 -,u,-,20,20"
		"T-tag30 t 30 -,-,-,-,-"
		"U-untagged u - u,-,10,-,10"
		"U-prio u p u,-,10,-,10"
		"U-tag10 u 10 u,-,10,-,10"
		"U-tag20 u 20 -,u,20,-,20"
		"G-untagged g - u,-,10,u,-"
		"G-tag20 g 20 -,u,20,20,-"
		"G-tag10 g 10 u,-,10,u,-"
		"G-prio g p u,-,10,u,-"
		"U-tag30 u 30 -,-,-,-,-"
		"B-tag20 b 20 -,-,-,-,-"
		"B-untagged b - -,-,20,20,20"
	)
	i=0
	for c in "${cases[@]}"; do
		read -r _ from tag _ <<<"$c"
		i=$((i + 1))
		src=$(printf '02:00:00:00:c0:%02x' $i)
		case $tag in
		-) send_frames "x$from" eth0 src="$src" ;;
		p) send_frames "x$from" eth0 src="$src" vlan=0x8100:0:2 ;;
		*) send_frames "x$from" eth0 src="$src" vlan=0x8100:"$tag" ;;
		esac
	done
	for x in a b t u g; do cap_stop "m$x"; done
	# one awk per capture: "SRC RESULT" (vlan id or u) per captured frame
	declare -A seen=()
	for x in a b t u g; do
		while read -r src r; do
			seen[$x,$src]=$r
		done < <(awk '$2 ~ /^02:00:00:00:c0:/ { r = "u"; if (match($0, /vlan [0-9]+,/)) r = substr($0, RSTART + 5, RLENGTH - 6); if (!(($2) in s)) { s[$2] = 1; print $2, r } }' "$(cap_file "m$x")")
	done
	i=0
	bad=()
	for c in "${cases[@]}"; do
		read -r name _ _ want <<<"$c"
		i=$((i + 1))
		src=$(printf '02:00:00:00:c0:%02x' $i)
		got=
		for x in a b t u g; do
			got+="${got:+,}${seen[$x,$src]:--}"
		done
		[[ $got == "$want" ]] || bad+=("$name: want $want got $got")
	done
	if ((${#bad[@]})); then
		fail "VLAN matrix (${#cases[@]} cases, A B T U G = access10 access20 trunk native-untagged native-tagged)" \
			"$(printf '%s\n' "${bad[@]}")"
	else
		ok "VLAN matrix (${#cases[@]} cases, A B T U G = access10 access20 trunk native-untagged native-tagged)"
	fi
	check_eq "matrix: vlan_ingress drops: pa 1, pb 1, pt 3 (untagged, prio, VID 30), pu 1 (VID 30)" "1 1 3 1" \
		"$(pdrop pa vlan_ingress) $(pdrop pb vlan_ingress) $(pdrop pt vlan_ingress) $(pdrop pu vlan_ingress)"
else
	fail "VLAN matrix" "setup failed"
	fail "matrix: vlan_ingress drops" "setup failed"
fi

dump_on_fail sw9
ksft_finish
