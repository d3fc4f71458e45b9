#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vswctl_errors.sh - malformed input for every vswctl command (bad values,
# missing arguments, unknown words, huge numbers, unknown devices, a port of
# another switch, a switch of another netns) gives exit 1, a first stderr
# line "vswctl: ..." naming the problem (the offending word quoted for
# syntax errors), and leaves the state unchanged (a -j snapshot of switches,
# ports, FDB and rules compared after every command); as a user without
# CAP_NET_ADMIN (setpriv to nobody) every state-changing command (switch
# add/del/set, port add/del/set, fdb add/del/flush, flow add/del/flush,
# cache flush) is refused with a permission error, and switches, ports,
# FDB, rules and the flow cache are unchanged.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd setpriv

M1=02:00:00:00:00:01
M2=02:00:00:00:00:02
MS=02:00:00:00:aa:01
VSWCTL_BIN=$(command -v "$VSWCTL")

setup() {
	sw_add sw0 && sw_add sw1 &&
		vm_add vm1 p1 sw0 192.0.2.1/24 $M1 &&
		vm_add vm2 p2 sw0 192.0.2.2/24 $M2 &&
		veth_port p9 sw1 p9x &&
		veth_port p3 "" p3x &&
		vm_ns other && ip -n other link add swo type vsw
}
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }

ktap_plan 100

# --- non-root ---------------------------------------------------------------------------------
vswctl fdb add sw0 $MS vlan 1 port p2
vswctl flow add sw0 priority 10 udp,tp_dst=9 actions=drop
ping_ok vm1 192.0.2.2 2
# shellcheck disable=SC2317
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$VSWCTL_BIN" "$@"; }
# cache entries expire after 10 s idle: the cache check comes right after the ping
check_stderr "non-root: cache flush refused" 'not permitted|permission' nobody cache flush sw0
check_true "non-root: the flow cache kept its entries" \
	bash -c "[[ \$(vswctl -j cache show sw0 | jq length) -ge 1 ]]"
# switches, ports, FDB, rules without the volatile fields (ages, cache size)
printf '%s\n' "switch show" "port show" "fdb show sw0" "flow show sw0" >"$VSW_TMPD/nr.batch"
nr_state() {
	vswctl -j -b "$VSW_TMPD/nr.batch" |
		jq -c -s '[.[] | map(del(.cache_entries, .updated, .used_ms))]'
}
before=$(nr_state)
check_true "non-root: state to protect exists (static + learned FDB entries, a rule)" \
	jq -e '(.[2] | length >= 3) and (.[3] | length == 1)' <<<"$before"
check_stderr "non-root: switch set refused (permission)" 'not permitted|permission' nobody switch set sw0 ageing 10
check_stderr "non-root: port set refused" 'not permitted|permission' nobody port set p1 tag 7
check_stderr "non-root: flow add refused" 'not permitted|permission' nobody flow add sw0 actions=drop
check_stderr "non-root: flow del refused" 'not permitted|permission' nobody flow del sw0 priority 10 udp,tp_dst=9
check_stderr "non-root: flow flush refused" 'not permitted|permission' nobody flow flush sw0
check_stderr "non-root: fdb add refused" 'not permitted|permission' nobody fdb add sw0 02:00:00:00:bb:09 vlan 1 port p1
check_stderr "non-root: fdb del refused" 'not permitted|permission' nobody fdb del sw0 $MS vlan 1
check_stderr "non-root: fdb flush refused" 'not permitted|permission' nobody fdb flush sw0
check_stderr "non-root: switch add refused" 'not permitted|permission' nobody switch add swx
check_stderr "non-root: switch del refused" 'not permitted|permission' nobody switch del sw1
check_stderr "non-root: port add refused" 'not permitted|permission' nobody port add sw0 p3
check_stderr "non-root: port del refused" 'not permitted|permission' nobody port del p9
check_eq "non-root: state unchanged (switches, ports, FDB, rules)" "$before" "$(nr_state)"


# --- malformed input ---------------------------------------------------------------------------
py snapref sw0 >/dev/null || { diag "cannot take a state snapshot"; ksft_finish; }
# bad DESC ERE ARGS...: exit 1, first stderr line "vswctl: ..." matching ERE,
# state unchanged (the helper runs vswctl and compares a -j snapshot)
bad() {
	local desc=$1 re=$2 ans rc first same
	shift 2
	ans=$(py bad "$@") || { fail "malformed: $desc" "helper failed"; return; }
	rc=${ans%%|*}
	ans=${ans#*|}
	same=${ans%%|*}
	first=${ans#*|}
	if [[ $rc != 1 ]]; then
		fail "malformed: $desc" "vswctl $* -> exit $rc (want 1); stderr: ${first:0:200}"
	elif [[ $first != "vswctl: "* ]] || ! grep -qiE -- "$re" <<<"$first"; then
		fail "malformed: $desc" "vswctl $* -> stderr '${first:0:200}' does not match /$re/"
	elif [[ $same != same ]]; then
		fail "malformed: $desc" "vswctl $* changed the state: ${same:0:300}"
	else
		ok "malformed: $desc"
	fi
}
bad "-n nosuchns" 'nosuchns' -n nosuchns switch show
bad "-n other: p1 is not in that netns" 'p1' -n other port set p1 tag 5
bad "-n other: sw0 is not in that netns" 'sw0' -n other fdb show sw0
bad "no object" '.'
bad "unknown object" '"bogus"' bogus
bad "unknown option" '.' -x switch show
bad "switch: unknown command" '"frob"' switch frob
bad "switch add: missing name" 'missing|name' switch add
bad "switch add: name exists" 'exists' switch add sw0
bad "switch del: unknown switch" 'nosuch' switch del nosuch
bad "switch del: not a switch" 'p1|not a' switch del p1
bad "switch show: unknown switch" 'nosuch|no such' switch show nosuch
bad "switch set: ageing -1" '"-1"' switch set sw0 ageing -1
bad "switch set: ageing 1000001" '"1000001"' switch set sw0 ageing 1000001
bad "switch set: max-macs huge" '"99999999999999999999"' switch set sw0 max-macs 99999999999999999999
bad "switch set: cache-size 0" '0|cache' switch set sw0 cache-size 0
bad "switch set: unknown word" '"colour"' switch set sw0 colour red
bad "switch set: missing value" 'ageing|missing' switch set sw0 ageing
bad "switch set: not a switch" 'p1|not a' switch set p1 ageing 10
bad "port add: missing dev" 'missing' port add sw0
bad "port add: unknown dev" 'nosuchdev' port add sw0 nosuchdev
bad "port add: unknown switch" 'nosuchsw' port add nosuchsw p3
bad "port del: not a port" 'p3|not a port' port del p3
bad "port set: unknown dev" 'nosuchdev' port set nosuchdev tag 5
bad "port set: not a port (lo)" 'lo|not a' port set lo tag 5
bad "port set: mode foo" '"foo"' port set p1 mode foo
bad "port set: tag 0" '"0"' port set p1 tag 0
bad "port set: tag 4095" '"4095"' port set p1 tag 4095
bad "port set: tag 5000" '"5000"' port set p1 tag 5000
bad "port set: tag abc" '"abc"' port set p1 tag abc
bad "port set: trunks 1-5000" '5000' port set p1 trunks 1-5000
bad "port set: trunks 20-10" '20-10' port set p1 trunks 20-10
bad "port set: trunks 10,,20" '10,,20|""' port set p1 trunks 10,,20
bad "port set: cvlans 4095" '4095' port set p1 mode dot1q-tunnel tag 5 cvlans 4095
bad "port set: learning maybe" '"maybe"' port set p1 learning maybe
bad "port set: isolated missing value" 'isolated|missing' port set p1 isolated
bad "port set: max-macs -1" '"-1"' port set p1 max-macs -1
bad "port set: max-macs 4294967296" '"4294967296"' port set p1 max-macs 4294967296
bad "port set: unknown word" '"colour"' port set p1 colour red
bad "port set: tag without value" 'tag|missing' port set p1 tag
bad "fdb add: bad MAC" '"zz"' fdb add sw0 zz vlan 1 port p1
bad "fdb add: multicast MAC" '.' fdb add sw0 01:00:5e:00:00:01 vlan 1 port p1
bad "fdb add: vlan 0" '"0"' fdb add sw0 $M1 vlan 0 port p1
bad "fdb add: missing vlan" 'missing|vlan' fdb add sw0 $M1 port p1
bad "fdb add: missing port" 'missing|port' fdb add sw0 $M1 vlan 1
bad "fdb add: port of another switch" 'p9|port' fdb add sw0 $M1 vlan 1 port p9
bad "fdb add: unknown port" 'nosuchdev' fdb add sw0 $M1 vlan 1 port nosuchdev
bad "fdb add: unknown switch" 'nosuch' fdb add nosuch $M1 vlan 1 port p1
bad "fdb del: no such entry" '.' fdb del sw0 02:00:00:00:77:77 vlan 1
bad "fdb del: extra word" '"extra"' fdb del sw0 $MS vlan 1 extra
bad "fdb flush: unknown port" 'nosuchdev' fdb flush sw0 port nosuchdev
bad "fdb flush: vlan 9999" '"9999"' fdb flush sw0 vlan 9999
bad "fdb show: unknown switch" 'nosuch' fdb show nosuch
bad "fdb: unknown command" '"frob"' fdb frob sw0
bad "flow add: no actions" 'actions' flow add sw0 priority 5 udp
bad "flow add: empty actions" 'action' flow add sw0 actions=
bad "flow add: priority 70000" '"70000"' flow add sw0 priority 70000 actions=drop
bad "flow add: priority -1" '"-1"' flow add sw0 priority -1 actions=drop
bad "flow add: unknown field" '"foo"' flow add sw0 foo=1 actions=drop
bad "flow add: unknown action" '"explode"' flow add sw0 actions=explode
bad "flow add: drop not last" 'drop' flow add sw0 actions=drop,normal
bad "flow add: tp_dst without nw_proto" '.' flow add sw0 tp_dst=80 actions=drop
bad "flow add: nw_src without dl_type" '.' flow add sw0 nw_src=192.0.2.1 actions=drop
bad "flow add: bad IPv4 address" '300\.1\.1\.1' flow add sw0 ip,nw_src=300.1.1.1 actions=drop
bad "flow add: bad prefix /33" '33' flow add sw0 ip,nw_src=192.0.2.0/33 actions=drop
bad "flow add: bad MAC mask" '.' flow add sw0 dl_src=02:00:00:00:00:01/zz:00:00:00:00:00 actions=drop
bad "flow add: dl_vlan 4095" '4095' flow add sw0 dl_vlan=4095 actions=drop
bad "flow add: tp_dst 65536" '65536' flow add sw0 udp,tp_dst=65536 actions=drop
bad "flow add: mod_vlan_vid 5000" '5000' flow add sw0 actions=mod_vlan_vid:5000,normal
bad "flow add: push_vlan bad TPID" '0x1234' flow add sw0 actions=push_vlan:0x1234,normal
bad "flow add: output unknown dev" 'nosuchdev' flow add sw0 actions=output:nosuchdev
bad "flow add: output to a port of another switch" 'p9|port' flow add sw0 actions=output:p9
bad "flow add: in_port of another switch" 'p9|port' flow add sw0 in_port=p9 actions=drop
bad "flow add: 33 actions" 'action' flow add sw0 "actions=$(printf 'strip_vlan,%.0s' {1..32})drop"
bad "flow add: unknown switch" 'nosuch' flow add nosuch actions=drop
bad "flow del: no such rule" '.' flow del sw0 priority 11 udp,tp_dst=9
bad "flow flush: missing switch" 'missing|switch' flow flush
bad "flow show: unknown switch" 'nosuch' flow show nosuch
bad "cache show: unknown switch" 'nosuch' cache show nosuch
bad "cache flush: missing switch" 'missing|switch' cache flush
bad "cache: unknown command" '"frob"' cache frob sw0
bad "vlan stats: missing switch" 'missing|switch' vlan stats
bad "vlan show: unknown switch" 'nosuch' vlan show nosuch
bad "monitor: unknown switch" 'nosuch' monitor nosuch

dump_on_fail sw0
ksft_finish
