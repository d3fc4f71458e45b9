#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Checks of vswctl.bash-completion (switch and port lookups stubbed out).
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=tools/vswctl/vswctl.bash-completion
source ./vswctl.bash-completion
_vswctl_switches() { echo sw0 sw1; }
_vswctl_ports() { echo sw0 p1 p2; }
COMP_WORDBREAKS=$' \t\n"\'@><=;|&(:'
n=0

# t "COMMAND LINE" "EXPECTED REPLIES"
t() {
	COMP_LINE=$1
	COMP_POINT=${#COMP_LINE}
	_vswctl 2>/dev/null
	n=$((n + 1))
	if [[ "${COMPREPLY[*]}" == "$2" ]]; then
		echo "ok $n complete '$1'"
	else
		echo "not ok $n complete '$1'"
		echo "#   got:  ${COMPREPLY[*]}"
		echo "#   want: $2"
	fi
}

echo "KTAP version 1"
echo "# Subtest: completion"
t "vswctl " "switch port fdb flow cache vlan monitor save apply help"
t "vswctl -j p" "port"
t "vswctl --js" "--json"
t "vswctl port s" "show set"
t "vswctl port set p" "p1 p2"
t "vswctl port set p1 mo" "mode"
t "vswctl port set p1 mode " "access trunk native-untagged native-tagged dot1q-tunnel"
t "vswctl port set p1 isolated " "on off"
t "vswctl port set p1 trunks " "all none"
t "vswctl port set p1 storm-" "storm-bcast storm-mcast storm-unknown"
t "vswctl port set p1 storm-bcast " ""
t "vswctl -n blue switch del " "sw0 sw1"
t "vswctl save " "sw0 sw1"
t "vswctl -n blue save s" "sw0 sw1"
t "vswctl switch set sw0 a" "ageing"
t "vswctl switch set sw0 ageing 5 d" "default-port"
t "vswctl switch set sw0 default-port mode trunk tr" "trunks"
t "vswctl switch set sw0 default-port priority-tags " "never if-nonzero always"
t "vswctl port set p1 qinq-ethtype " "802.1ad 802.1q"
t "vswctl apply -" "-f"
t "vswctl apply l" "lo"
t "vswctl fdb add sw0 02:00:00:00:00:01 " "port vlan"
t "vswctl fdb del sw0 02:00:00:00:00:01 " "vlan"
t "vswctl fdb show " "sw0 sw1 port vlan"
t "vswctl fdb flush sw0 port " "sw0 p1 p2"
t "vswctl flow add sw0 in_port=p1,dl_v" "p1,dl_vlan= p1,dl_vlan_pcp="
t "vswctl flow add sw0 in_port=" "sw0 p1 p2"
t "vswctl flow add sw0 dl_vlan=n" "none"
t "vswctl flow add sw0 ip actions=out" "output:"
t "vswctl flow add sw0 ip actions=strip_vlan,output:p" "p1 p2"
t "vswctl flow add sw0 ip actions=strip_vlan,m" "strip_vlan,mod_vlan_vid:"
t "vswctl flow del sw0 a" "arp_op= arp"
t "vswctl flow add sw0 a" "arp_op= arp actions="
t "vswctl cache " "show flush"
t "vswctl vlan stats " "sw0 sw1"
t "vswctl monitor " "sw0 sw1"
echo "1..$n"
