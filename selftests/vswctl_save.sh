#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vswctl_save.sh - "vswctl save [SWITCH]" (docs/cli.md, "Saving and
# restoring the configuration"): a rich configuration of two switches
# (switch options, the internal port, ports in every VLAN mode with
# trunks/cvlans ranges, every flag, priority-tags and qinq-ethtype, storm
# limits (a port and default-port), static
# FDB entries, rules with every kind of match and action, equal priorities)
# is saved as exactly the expected canonical batch (defaults left out,
# sorted, port names with '#' and quotes quoted); everything is deleted
# (switches and interfaces), the interfaces re-created, the batch applied
# with "vswctl -b": a second save is byte-identical and the -j views of
# switches, ports, FDB and rules are the same as before. Also: "save
# SWITCH", nothing to save (no output, exit 0), bad names and -j (exit 1,
# clear message), save as nobody (no privilege needed), -n NETNS, a rule
# naming a port that left the switch (saved as a comment, with a warning).

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init

T=$VSW_TMPD
IFS_ALL=(pt pq pa pnu pnt pb1 pb2)	# and '#q1' ('#' starts a comment in ip -batch)
Q=$'q"2\''	# and q"2' (quotes)

# the interfaces are not vsw objects: made (and re-made) here
mkifs() {
	local p cmds=
	for p in "${IFS_ALL[@]}"; do
		cmds+="link add $p type veth peer name ${p}x"$'\n'
	done
	ip -batch - <<<"$cmds" && ip link add '#q1' type veth peer name '#q1x' &&
		ip link add "$Q" type veth peer name "${Q}x"
}
rmifs() {
	local p cmds=
	for p in "${IFS_ALL[@]}"; do cmds+="link del $p"$'\n'; done
	ip -force -batch - <<<"$cmds"
	ip link del '#q1'
	ip link del "$Q"
}
defer rmifs
mkifs || { diag "cannot create the veths"; exit "$KSFT_FAIL"; }
defer ip link del sw0
defer ip link del sw1

# Deliberately not in canonical order: ports, options, FDB entries.
cat >"$T/setup" <<'EOF'
switch add sw1
switch add sw0
switch set sw0 cache-size 1024 ageing 60 max-macs 100
switch set sw1 ageing 0 default-port learning off tag 2 storm-unknown 20
port set sw0 trunks 5,10-12 tag 5 mode native-untagged
port add sw0 pt
port add sw0 pq
port add sw0 pa
port add sw0 pnu
port add sw0 pnt
port add sw1 pb2
port add sw1 pb1
port add sw1 "#q1"
port add sw1 q'"'2"'"
port set pt flood off isolated on mode trunk trunks 10-20,30,4000-4094
port set pq qinq-ethtype 802.1q mode dot1q-tunnel tag 100 cvlans 0,10-20
port set pa learning off max-macs 3 tag 10 priority-tags if-nonzero storm-bcast 500
port set pnu mode native-untagged tag 7 trunks 7,8 bcast-flood off
port set pnt mode native-tagged tag 9 trunks all mcast-flood off learning on
port set pb2 tag 2 trunks 3-5 isolated on priority-tags always qinq-ethtype 802.1ad
port set "#q1" max-macs 7
port set q'"'2"'" learning off
fdb add sw0 02:00:00:00:00:02 vlan 20 port pt
fdb add sw0 02:00:00:00:00:01 vlan 11 port pt
fdb add sw0 02:00:00:00:00:01 vlan 10 port pa
fdb add sw1 02:00:00:00:00:0a vlan 1 port "#q1"
fdb add sw1 02:00:00:00:00:0b vlan 1 port q'"'2"'"
flow add sw0 priority 100 in_port=pa,dl_vlan=none actions=mod_vlan_vid:10,output:pt
flow add sw0 priority 200 tcp,nw_src=10.0.0.0/8,tp_dst=80 actions=drop
flow add sw0 priority 200 udp6,ipv6_dst=2001:db8::/32,tp_src=53 actions=normal
flow add sw0 dl_dst=01:00:5e:00:00:00/ff:ff:ff:80:00:00 actions=push_vlan:0x88a8,mod_vlan_vid:100,output:pq
flow add sw0 priority 10 arp,arp_op=1 actions=flood
flow add sw0 priority 0 dl_vlan=30,dl_vlan_pcp=5 actions=strip_vlan,normal
flow add sw0 priority 65535 ip,nw_proto=17,nw_tos=16 actions=drop
flow add sw1 priority 5 in_port=pb1 actions=output:pb2,output:sw1
flow add sw1 priority 4 in_port=#q1 actions=drop
EOF

# What save must print: canonical order, only non-default options.
cat >"$T/want" <<'EOF'
# vsw configuration, from "vswctl save"; restore it with "vswctl -b FILE"
switch add sw0
switch set sw0 ageing 60 max-macs 100 cache-size 1024
port set sw0 mode native-untagged tag 5 trunks 5,10-12
port add sw0 pa
port set pa tag 10 learning off max-macs 3 priority-tags if-nonzero storm-bcast 500
port add sw0 pnt
port set pnt mode native-tagged tag 9 trunks all mcast-flood off
port add sw0 pnu
port set pnu mode native-untagged tag 7 trunks 7-8 bcast-flood off
port add sw0 pq
port set pq mode dot1q-tunnel tag 100 cvlans 0,10-20 qinq-ethtype 802.1q
port add sw0 pt
port set pt mode trunk trunks 10-20,30,4000-4094 flood off isolated on
fdb add sw0 02:00:00:00:00:01 vlan 10 port pa
fdb add sw0 02:00:00:00:00:01 vlan 11 port pt
fdb add sw0 02:00:00:00:00:02 vlan 20 port pt
flow add sw0 priority 65535 dl_type=0x0800,nw_proto=17,nw_tos=16 actions=drop
flow add sw0 priority 32768 dl_dst=01:00:5e:00:00:00/ff:ff:ff:80:00:00 actions=push_vlan:0x88a8,mod_vlan_vid:100,output:pq
flow add sw0 priority 200 dl_type=0x0800,nw_src=10.0.0.0/8,nw_proto=6,tp_dst=80 actions=drop
flow add sw0 priority 200 dl_type=0x86dd,nw_proto=17,tp_src=53,ipv6_dst=2001:db8::/32 actions=normal
flow add sw0 priority 100 in_port=pa,dl_vlan=none actions=mod_vlan_vid:10,output:pt
flow add sw0 priority 10 dl_type=0x0806,arp_op=1 actions=flood
flow add sw0 priority 0 dl_vlan=30,dl_vlan_pcp=5 actions=strip_vlan,normal

switch add sw1
switch set sw1 ageing 0 default-port tag 2 learning off storm-unknown 20
port add sw1 "#"q1
port set "#"q1 max-macs 7
port add sw1 pb1
port add sw1 pb2
port set pb2 trunks 3-5 isolated on priority-tags always
port add sw1 q'"'2"'"
fdb add sw1 02:00:00:00:00:0a vlan 1 port "#"q1
fdb add sw1 02:00:00:00:00:0b vlan 1 port q'"'2"'"
flow add sw1 priority 5 in_port=pb1 actions=output:pb2,output:sw1
flow add sw1 priority 4 in_port="#"q1 actions=drop
EOF

# Sampling options, where the kernel has psample (have_psample):
# a port's own, and the default-port's that sw1's ports get.
if have_psample; then
	sed -i -e 's/^port set pa .*/& sample-group 3 sample-rate 100/' \
		-e 's/^switch set sw1 .*/& sample-rate 50/' "$T/setup"
	# saved in port_kws[] order: sampling before storm control
	sed -i -e 's/^\(port set pa .*\) storm-bcast 500$/\1 sample-rate 100 sample-group 3 storm-bcast 500/' \
		-e 's/^\(switch set sw1 .*\) storm-unknown 20$/\1 sample-rate 50 storm-unknown 20/' "$T/want"
else
	diag "no psample in this kernel: save round trip without sampling options"
fi

ktap_plan 23

# views of the state that a save/restore must keep (counters, ifindexes,
# link state and learned entries left out)
views() {
	vswctl -j switch show | jq -S 'map({ifname, ageing, max_macs, cache_size, ports, rules, default_port}) | sort_by(.ifname)'
	vswctl -j port show | jq -S 'map(del(.ifindex, .macs, .state)) | sort_by(.ifname)'
	vswctl -j fdb show | jq -S 'map(select(.state == "static") | del(.updated)) | sort_by(.mac, .vlan)'
	vswctl flow show sw0
	vswctl flow show sw1
}

# diff_ok DESC WANT GOT: ok if the files are byte-identical, else the diff
diff_ok() {
	local d
	if d=$(diff -u "$2" "$3" 2>&1); then
		ok "$1"
	else
		diag "$d"
		fail "$1"
	fi
}

check_cmd "save with no switch: exit 0" bash -c "vswctl save >'$T/empty'"
check_eq "save with no switch: prints nothing" 0 "$(stat -c %s "$T/empty")"
check_cmd "rich configuration built (vswctl -b)" vswctl -b "$T/setup"
check_cmd "save: exit 0" bash -c "vswctl save >'$T/a' 2>'$T/a.err'"
diff_ok "save: the expected canonical batch (defaults left out, sorted, '#' and quotes quoted)" "$T/want" "$T/a"
check_eq "save: nothing on stderr" "" "$(cat "$T/a.err")"
views >"$T/views.before" 2>&1
vswctl save sw1 >"$T/sw1" 2>&1
diff_ok "save sw1: the header and the sw1 block only" \
	<(sed -n '1p;/^switch add sw1$/,$p' "$T/want") "$T/sw1"
check_stderr "save nosuch: exit 1, 'cannot find device \"nosuch\"'" \
	'^vswctl: cannot find device "nosuch"$' vswctl save nosuch
check_stderr "save pa (a port, not a switch): exit 1, 'not a vsw switch'" \
	'^vswctl: "pa" is not a vsw switch$' vswctl save pa
check_stderr "save sw0 sw1: exit 1, unexpected word" 'unexpected "sw1"' \
	vswctl save sw0 sw1
check_stderr "-j save: exit 1 (a batch, not JSON)" 'not JSON' vswctl -j save
# reading needs no privilege (as every show): the same bytes as nobody
if command -v setpriv >/dev/null; then
	check_eq "save as nobody (no CAP_NET_ADMIN): the same output" "$(cat "$T/a")" \
		"$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$(command -v "$VSWCTL")" save 2>&1)"
else
	skip "save as nobody (no CAP_NET_ADMIN): the same output" "setpriv not installed"
fi

# --- round trip: delete everything, re-create the interfaces, restore -------------
vswctl switch del sw0 && vswctl switch del sw1
rmifs
check_eq "switches and interfaces deleted: save prints nothing" "" "$(vswctl save 2>&1)"
mkifs
check_cmd "restore: vswctl -b of the saved file" vswctl -b "$T/a"
vswctl save >"$T/b" 2>&1
diff_ok "round trip: the second save is byte-identical" "$T/a" "$T/b"
views >"$T/views.after" 2>&1
diff_ok "round trip: switch, port (-j), static FDB (-j) and rule views unchanged" \
	"$T/views.before" "$T/views.after"
check_eq "round trip: port pt in -j" "trunk 10-20,30,4000-4094 false true" \
	"$(vswctl -j port show pt | jq -r '.[0] | "\(.mode) \(.trunks) \(.flood) \(.isolated)"')"
check_eq "round trip: internal port sw0 in -j" "native-untagged 5 5,10-12" \
	"$(vswctl -j port show sw0 | jq -r '.[0] | "\(.mode) \(.tag) \(.trunks)"')"
check_eq "round trip: a third save, of the restored state, still byte-identical" \
	"$(cat "$T/a")" "$(vswctl save)"

# --- -n NETNS, and a rule naming a port that left the switch ---------------------
ns_create vsave
ip -n vsave link add n1 type veth peer name n1x
ip -n vsave link add n2 type veth peer name n2x
cat >"$T/ns.setup" <<'EOF'
switch add sw9
port add sw9 n1
port add sw9 n2
port set n1 tag 9
flow add sw9 priority 7 in_port=n1 actions=output:n2
flow add sw9 priority 6 dl_vlan=9 actions=drop
port del n2
EOF
vswctl -n vsave -b "$T/ns.setup"
cat >"$T/ns.want" <<'EOF'
# vsw configuration, from "vswctl save"; restore it with "vswctl -b FILE"
switch add sw9
port add sw9 n1
port set n1 tag 9
# (names a device that is no longer a port) flow add sw9 priority 7 in_port=n1 actions=output:n2
flow add sw9 priority 6 dl_vlan=9 actions=drop
EOF
vswctl -n vsave save >"$T/ns.a" 2>"$T/ns.err"
diff_ok "-n NETNS save: that netns' switch; a rule with a gone port as a comment" \
	"$T/ns.want" "$T/ns.a"
check_true "-n NETNS save: a warning names the rule saved as a comment" \
	grep -q '^vswctl: warning: rule of "sw9" "priority=7,in_port=n1 actions=output:n2" names a device that is no longer a port' "$T/ns.err"
check_true "save in the init netns does not show sw9" \
	bash -c "! vswctl save | grep -q sw9"
ip -n vsave link del sw9
vswctl -n vsave -b "$T/ns.a"
check_eq "-n NETNS restore: the same, without the commented-out rule" \
	"$(grep -v '^# (names' "$T/ns.want")" "$(vswctl -n vsave save 2>&1)"
ip -n vsave link del sw9

ksft_finish
