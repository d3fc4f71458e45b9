#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# netlink_policy.sh - the "vsw" generic netlink family rejects malformed
# requests with a specific extack message, and a rejected request changes
# nothing. Also: the netns boundary, permissions, dump filters, canonical
# (symmetric) rule dumps, and events. Raw requests are sent with
# selftests/netlink_fuzz/netlink_fuzz (req / monitor modes), built on the
# host by `make -C selftests/netlink_fuzz`.
#
# Messages that name a device are formatted on 6.3+ ("vsw: p3 is not a port
# of sw0") and fixed on 6.1 ("vsw: device is not a port of this switch"):
# the patterns below accept both.

# shellcheck disable=SC1083 # { and } are words of netlink_fuzz req
# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"


need_cmd ip setpriv
need_fuzz
need_vsw

TMPD=$(mktemp -d "${VSW_TMP:-/tmp}/netlink_policy.XXXXXX")
defer rm -rf "$TMPD"
defer __vsw_bg_cleanup

ifindex() { cat "/sys/class/net/$1/ifindex"; }

# Requests are queued and sent in one `netlink_fuzz batch` process (one
# process per request is slow under TCG); flush runs the queue and reports.
# Every check that reads state runs after a flush.
__q_desc=()
__q_en=()
__q_re=()
__q_req=()

# expect_err DESC ERRNO RE REQ-ARGS...: the request fails with errno name
# ERRNO and an extack message matching the extended regex RE
expect_err() {
	__q_desc+=("$1")
	__q_en+=("$2")
	__q_re+=("$3")
	shift 3
	__q_req+=("$*")
}

# expect_ok DESC REQ-ARGS...: the request succeeds
expect_ok() {
	__q_desc+=("$1")
	__q_en+=("")
	__q_re+=("")
	shift
	__q_req+=("$*")
}

flush() {
	local n=${#__q_req[@]} i l r cur="" res=() replies=()
	((n)) || return 0
	# (no process substitution: the guest has no /dev/fd)
	mapfile -t replies <<<"$(printf '%s\n' "${__q_req[@]}" | "$FUZZ" batch 2>&1)"
	for l in "${replies[@]}"; do
		if [[ $l == --- ]]; then
			res+=("$cur")
			cur=""
		else
			cur+="$l"$'\n'
		fi
	done
	[[ -z $cur ]] || res+=("$cur")
	for ((i = 0; i < n; i++)); do
		r=${res[i]:-"<no reply>"}
		if [[ -z ${__q_en[i]} ]]; then
			if grep -q '^ok$' <<<"$r"; then
				ok "${__q_desc[i]}"
			else
				fail "${__q_desc[i]}" "request failed: ${r:0:400}"
			fi
		elif grep -qE "^error [0-9]+ ${__q_en[i]}: .*(${__q_re[i]})" <<<"$r"; then
			ok "${__q_desc[i]}"
		else
			fail "${__q_desc[i]}" "expected ${__q_en[i]} /${__q_re[i]}/, got: ${r:0:400}"
		fi
	done
	__q_desc=()
	__q_en=()
	__q_re=()
	__q_req=()
}

# field LINE PATH: value of " PATH=value" in a reply line (no fork: the
# guest runs under TCG, where every process costs)
field() {
	local re=" ${2//./\\.}=([^ ]*)"
	[[ $1 =~ $re ]] && echo "${BASH_REMATCH[1]}"
	return 0
}
# first line of a reply (the data message)
first() { echo "${1%%$'\n'*}"; }
port_line() { first "$("$FUZZ" req port_get port { ifname="$1" })"; }
pget() { field "$(port_line "$1")" "port.$2"; }
# pgets PORT FIELD...: the values, space separated, from one request
pgets() {
	local l f vals=()
	l=$(port_line "$1")
	shift
	for f in "$@"; do vals+=("$(field "$l" "port.$f")"); done
	echo "${vals[*]}"
}
sw_line() { first "$("$FUZZ" req switch_get ifname="$1")"; }
swget() { field "$(sw_line "$1")" "$2"; }
swgets() {
	local l f vals=()
	l=$(sw_line "$1")
	shift
	for f in "$@"; do vals+=("$(field "$l" "$f")"); done
	echo "${vals[*]}"
}
# port config as one string (no counters) for "nothing changed" checks
pcfg() { pgets "$1" mode tag trunks cvlans learning flood_ucast flood_bcast flood_mcast isolated max_macs priority_tags qinq_ethtype storm_bcast storm_mcast storm_unknown; }
nrules() { "$FUZZ" req -d rule_get ifname="$1" | grep -c '^cmd=rule_get'; }
nfdb() { "$FUZZ" req -d fdb_get ifname="$1" | grep -c '^cmd=fdb_get'; }

ktap_plan 150

sw_add sw0
sw_add sw1
veth_port p1 sw0
veth_port p2 sw0
veth_port p3 sw1
veth_port px ""
ns_create np
ip -n np link add swn type vsw
P1=$(ifindex p1) P2=$(ifindex p2) P3=$(ifindex p3) PX=$(ifindex px)

# --- commands ---------------------------------------------------------------
expect_err "unknown command" EOPNOTSUPP "" 200
expect_err "EVENT is not a request" EOPNOTSUPP "" event ifname=sw0
expect_err "FDB_GET is a dump only" EOPNOTSUPP "" fdb_get ifname=sw0
expect_err "SWITCH_GET without a switch" EINVAL "not specified" switch_get
expect_err "SWITCH_GET of lo: not a switch" EINVAL "lo is not a vsw switch|device is not a vsw switch" switch_get ifname=lo
expect_err "SWITCH_GET of a missing device" ENODEV "no such device" switch_get ifname=nosuch0
expect_err "ifindex and ifname of different devices" EINVAL "different devices" \
	switch_get ifindex="$(ifindex sw1)" ifname=sw0
expect_err "ifname too long" ERANGE "out of range|Attribute failed policy validation" \
	switch_get ifname=0123456789abcdefg
expect_ok "SWITCH_GET by ifindex" switch_get ifindex="$(ifindex sw0)"
flush
check_eq "SWITCH_GET reply: name, port count" "sw0 3" \
	"$(swgets sw0 ifname port_count)"

# --- netns ------------------------------------------------------------------
check_cmd "switch dump in another netns shows only its switch" \
	bash -c "[[ \$(ip netns exec np '$FUZZ' req -d switch_get | grep -c '^cmd=') == 1 ]] &&
		 ip netns exec np '$FUZZ' req -d switch_get | grep -q ' ifname=swn '"
out=$(ip netns exec np "$FUZZ" req switch_get ifname=sw0 2>&1)
check_eq "a switch of another netns is invisible (ENODEV)" 1 "$(grep -cE '^error [0-9]+ ENODEV: .*no such device' <<<"$out")"
out=$(ip netns exec np "$FUZZ" req switch_set ifname=sw0 ageing=5 2>&1)
check_eq "...and cannot be changed from there" "300" "$(swget sw0 ageing)"

# --- permissions -------------------------------------------------------------
# Every state-changing command (the GENL_UNS_ADMIN_PERM ops of
# kmod/genl.c) as nobody without capabilities: EPERM each, and the
# switch and port config, FDB, rules and flow cache unchanged. The state is
# made first: a static and a learned FDB entry, a rule, a cache entry (a
# broadcast frame into p1, twice; cache entries live 10 s idle, so the snapshots
# are one process each).
printf '%s\n' "fdb_new ifname=sw0 fdb { mac=02:00:00:00:0e:01 vid=1 port_ifindex=$P1 flags=1 }" \
	"rule_new ifname=sw0 rule { priority=77 match { eth_type=0x0806 } actions { normal } }" |
	"$FUZZ" batch >/dev/null 2>&1
/usr/bin/python3 -c 'import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind((sys.argv[1], 0))
f = bytes.fromhex("ffffffffffff02000000 0e0288b5".replace(" ", "")) + bytes(46)
s.send(f); s.send(f)' p1x	# the 1st learns (not cached), the 2nd is cached
# snap: "fdb N rules N cache N | switch config | p1 config" from one batch
snap() {
	local out part=0 l nf=0 nr=0 nc=0 sw="" pc="" f
	out=$(printf '%s\n' "-d fdb_get ifname=sw0" "-d rule_get ifname=sw0" "-d cache_get ifname=sw0" \
		"switch_get ifname=sw0" "port_get port { ifname=p1 }" | "$FUZZ" batch 2>&1)
	while IFS= read -r l; do
		if [[ $l == --- ]]; then
			part=$((part + 1))
			continue
		fi
		case $part:$l in
		0:cmd=*) nf=$((nf + 1)) ;;
		1:cmd=*) nr=$((nr + 1)) ;;
		2:cmd=*) nc=$((nc + 1)) ;;
		3:cmd=*) for f in ageing max_macs cache_size; do sw+="$(field "$l" "$f") "; done ;;
		4:cmd=*) for f in mode tag trunks learning flood_ucast isolated max_macs; do
				pc+="$(field "$l" "port.$f") "
			done ;;
		esac
	done <<<"$out"
	echo "fdb $nf rules $nr cache $nc | $sw| $pc"
}
before=$(snap)
if [[ $before =~ ^fdb\ 2\ rules\ 1\ cache\ [1-9] ]]; then
	ok "permissions: state to protect exists (2 FDB entries, 1 rule, a cache entry)"
else
	fail "permissions: state to protect exists (2 FDB entries, 1 rule, a cache entry)" "$before"
fi
perm_reqs=(
	"SWITCH_SET|switch_set ifname=sw0 ageing=7"
	"PORT_SET|port_set port { ifname=p1 tag=7 }"
	"FDB_NEW|fdb_new ifname=sw0 fdb { mac=02:00:00:00:0e:03 vid=1 port_ifindex=$P1 }"
	"FDB_DEL|fdb_del ifname=sw0 fdb { mac=02:00:00:00:0e:01 vid=1 }"
	"FDB_FLUSH|fdb_flush ifname=sw0"
	"RULE_NEW|rule_new ifname=sw0 rule { priority=78 actions { drop } }"
	"RULE_DEL|rule_del ifname=sw0 rule { priority=77 match { eth_type=0x0806 } }"
	"RULE_FLUSH|rule_flush ifname=sw0"
	"CACHE_FLUSH|cache_flush ifname=sw0"
	"SWITCH_GET|switch_get ifname=sw0"
)
mapfile -t replies <<<"$(printf '%s\n' "${perm_reqs[@]#*|}" |
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$FUZZ" batch 2>&1 |
	awk '/^---$/ { print r; r = ""; next } { r = r (r == "" ? "" : " / ") $0 }')"
for i in "${!perm_reqs[@]}"; do
	c=${perm_reqs[i]%%|*}
	r=${replies[i]:-"<no reply>"}
	if [[ $c == SWITCH_GET ]]; then
		check_true "unprivileged SWITCH_GET works" grep -q '/ ok$' <<<"$r"
	elif [[ $r =~ ^error\ [0-9]+\ EPERM ]]; then
		ok "unprivileged $c: EPERM"
	else
		fail "unprivileged $c: EPERM" "got: ${r:0:300}"
	fi
done
check_eq "unprivileged requests changed nothing (FDB, rules, cache, switch, port)" "$before" "$(snap)"
printf '%s\n' "fdb_flush ifname=sw0" "rule_flush ifname=sw0" "cache_flush ifname=sw0" | "$FUZZ" batch >/dev/null 2>&1
check_eq "...and root could undo it all (state back to empty)" "fdb 0 rules 0 cache 0" "$(snap | cut -d'|' -f1 | xargs)"

# --- PORT_SET ----------------------------------------------------------------
before=$(pcfg p1)
expect_err "PORT_SET valid mode + tag 5000" ERANGE "out of range" port_set port { ifname=p1 mode=1 tag=5000 }
flush
check_eq "...mode unchanged" 0 "$(pget p1 mode)"
expect_err "PORT_SET tag 0" ERANGE "out of range" port_set port { ifname=p1 tag=0 }
expect_err "PORT_SET mode 5" ERANGE "out of range" port_set port { ifname=p1 mode=5 }
expect_err "PORT_SET learning 2" ERANGE "out of range" port_set port { ifname=p1 learning=2 }
expect_err "PORT_SET tag as u32" EINVAL "invalid attribute length|out of range" port_set port { ifname=p1 tag:u32=10 }
expect_err "PORT_SET trunks with VID 0" EINVAL "VID 0 must be clear" port_set port { ifname=p1 mode=1 trunks=0,10 }
expect_err "PORT_SET trunks with VID 4095" EINVAL "VID 4095 must be clear" port_set port { ifname=p1 mode=1 trunks=10,4095 }
expect_err "PORT_SET cvlans with VID 4095" EINVAL "VID 4095 must be clear" port_set port { ifname=p1 cvlans=4095 }
expect_err "PORT_SET trunks of 511 bytes" ERANGE "size out of range|invalid attribute length|out of range" \
	port_set port { ifname=p1 trunks:hex="$(printf '00%.0s' $(seq 511))" }
expect_err "PORT_SET read-only mac_count" EINVAL "MAC_COUNT is read-only" port_set port { ifname=p1 mac_count=3 }
expect_err "PORT_SET read-only stats" EINVAL "STATS is read-only" port_set port { ifname=p1 stats:hex= }
expect_err "PORT_SET read-only backend" EINVAL "BACKEND is read-only" port_set port { ifname=p1 backend:hex= }
expect_err "PORT_SET unknown port attribute" EINVAL "Unknown attribute type" port_set port { ifname=p1 @40:u32=1 }
expect_err "PORT_SET priority_tags 3" ERANGE "out of range" port_set port { ifname=p1 priority_tags=3 }
expect_err "PORT_SET qinq_ethtype 0x0800" EINVAL "QinQ ethertype must be 0x88a8 \\(802.1ad\\) or 0x8100" \
	port_set port { ifname=p1 mode=4 qinq_ethtype=2048 }
expect_err "PORT_SET qinq_ethtype as u8" EINVAL "invalid attribute length|out of range" port_set port { ifname=p1 qinq_ethtype:u8=1 }
expect_err "PORT_SET storm_bcast 100000001" ERANGE "out of range" port_set port { ifname=p1 storm_mcast=5 storm_bcast=100000001 }
expect_err "PORT_SET switch attribute" EINVAL "Unsupported attribute" port_set ageing=10 port { ifname=p1 }
expect_err "PORT_SET without the port nest" EINVAL "VSW_ATTR_PORT is missing" port_set ifname=sw0
expect_err "PORT_SET nest without NLA_F_NESTED" EINVAL "NLA_F_NESTED is missing" \
	port_set @10:hex=0700020070310000
expect_err "PORT_SET port of another switch" EINVAL "p3 is not a port of sw0|is not a port of this switch" \
	port_set ifname=sw0 port { ifname=p3 tag=5 }
expect_err "PORT_SET on a non-port" EINVAL "px is not a vsw port|device is not a vsw port" port_set port { ifname=px tag=5 }
expect_err "PORT_SET on a missing port" ENODEV "no such device" port_set port { ifindex=999999 tag=5 }
flush
check_eq "rejected PORT_SETs changed nothing" "$before" "$(pcfg p1)"
check_eq "p3 unchanged" 1 "$(pget p3 tag)"
expect_ok "PORT_SET trunk 10,20-22" port_set ifname=sw0 port { ifname=p1 mode=1 trunks=10,20-22 }
flush
check_eq "...applied, rest unchanged" "1 10,20-22 1 1" \
	"$(pgets p1 mode trunks tag learning)"
expect_ok "PORT_SET dot1q-tunnel cvlans 0,5,4094" port_set port { ifname=p2 mode=4 tag=100 cvlans=0,5,4094 }
flush
check_eq "...cvlans bitmap round trip (bit 0 = untagged)" "0,5,4094" "$(pget p2 cvlans)"
expect_ok "PORT_SET extremes: tag 4094, max_macs 4294967295" \
	port_set port { ifname=p2 mode=0 tag=4094 max_macs=4294967295 cvlans=none }
flush
check_eq "...applied" "4094 4294967295" "$(pgets p2 tag max_macs)"
expect_ok "PORT_SET back to defaults" port_set port { ifname=p2 tag=1 max_macs=0 }
flush
check_eq "port reply: internal flag on the switch port only" "1 " \
	"$(pget sw0 internal) $(pget p1 internal)"
check_eq "port reply names its switch" "sw0" "$(field "$(port_line p1)" ifname)"

# --- SWITCH_SET --------------------------------------------------------------
expect_err "SWITCH_SET ageing 1000001" ERANGE "out of range" switch_set ifname=sw0 ageing=1000001
expect_err "SWITCH_SET cache_size 0" ERANGE "out of range" switch_set ifname=sw0 cache_size=0
expect_err "SWITCH_SET valid ageing + cache_size 4194305" ERANGE "out of range" \
	switch_set ifname=sw0 ageing=100 cache_size=4194305
expect_err "SWITCH_SET read-only fdb_count" EINVAL "Unsupported attribute" switch_set ifname=sw0 fdb_count=1
expect_err "SWITCH_SET default_port naming a port" EINVAL "default port configuration names no port" \
	switch_set ifname=sw0 ageing=100 default_port { ifname=p1 mode=1 }
expect_err "SWITCH_SET default_port tag 0" ERANGE "out of range" switch_set ifname=sw0 ageing=100 default_port { tag=0 }
expect_err "SWITCH_SET default_port read-only oper_up" EINVAL "OPER_UP is read-only" \
	switch_set ifname=sw0 default_port { oper_up=1 }
expect_err "SWITCH_SET default_port qinq_ethtype 0x0800 + cache_size 10" EINVAL "QinQ ethertype must be" \
	switch_set ifname=sw0 cache_size=10 default_port { qinq_ethtype=2048 }
expect_err "SWITCH_SET default_port storm_unknown 100000001" ERANGE "out of range" \
	switch_set ifname=sw0 ageing=100 default_port { storm_unknown=100000001 }
flush
check_eq "rejected SWITCH_SETs changed nothing" "300 8192 65536" \
	"$(swgets sw0 ageing max_macs cache_size)"
expect_ok "SWITCH_SET extremes" switch_set ifname=sw0 ageing=1000000 max_macs=4294967295 cache_size=4194304
flush
check_eq "...applied" "1000000 4294967295 4194304" \
	"$(swgets sw0 ageing max_macs cache_size)"
expect_ok "SWITCH_SET ageing 0, cache_size 1" switch_set ifname=sw0 ageing=0 cache_size=1
expect_ok "SWITCH_SET back to defaults" switch_set ifname=sw0 ageing=300 max_macs=8192 cache_size=65536

# --- FDB ---------------------------------------------------------------------
expect_err "FDB_NEW multicast MAC" EINVAL "unicast" fdb_new ifname=sw0 fdb { mac=01:00:5e:00:00:01 vid=1 port_ifindex="$P1" }
expect_err "FDB_NEW zero MAC" EINVAL "unicast" fdb_new ifname=sw0 fdb { mac=00:00:00:00:00:00 vid=1 port_ifindex="$P1" }
expect_err "FDB_NEW VID 0" ERANGE "out of range" fdb_new ifname=sw0 fdb { mac=02:00:00:00:00:01 vid=0 port_ifindex="$P1" }
expect_err "FDB_NEW VID 4095" ERANGE "out of range" fdb_new ifname=sw0 fdb { mac=02:00:00:00:00:01 vid=4095 port_ifindex="$P1" }
expect_err "FDB_NEW 5-byte MAC" ERANGE "out of range|invalid attribute length" fdb_new ifname=sw0 fdb { mac:hex=0200000000 vid=1 port_ifindex="$P1" }
expect_err "FDB_NEW without port" EINVAL "PORT_IFINDEX is missing" fdb_new ifname=sw0 fdb { mac=02:00:00:00:00:01 vid=1 }
expect_err "FDB_NEW port of another switch" EINVAL "is not a port of" fdb_new ifname=sw0 fdb { mac=02:00:00:00:00:01 vid=1 port_ifindex="$P3" }
expect_err "FDB_NEW read-only age" EINVAL "AGE is read-only" fdb_new ifname=sw0 fdb { mac=02:00:00:00:00:01 vid=1 port_ifindex="$P1" age=5 }
expect_err "FDB_NEW flags other than static" EINVAL "reserved bit set|out of range|policy" fdb_new ifname=sw0 fdb { mac=02:00:00:00:00:01 vid=1 port_ifindex="$P1" flags=2 }
flush
check_eq "rejected FDB_NEWs added nothing" 0 "$(nfdb sw0)"
expect_ok "FDB_NEW" fdb_new ifname=sw0 fdb { mac=02:00:00:00:00:01 vid=1 port_ifindex="$P1" flags=1 }
expect_ok "FDB_NEW VID 4094 on p2" fdb_new ifname=sw0 fdb { mac=02:00:00:00:00:02 vid=4094 port_ifindex="$P2" }
flush
line=$("$FUZZ" req -d fdb_get ifname=sw0 fdb { vid=4094 } | grep '^cmd=fdb_get')
check_eq "FDB dump filtered by VID" "1 02:00:00:00:00:02 p2 1" \
	"$(grep -c . <<<"$line") $(field "$line" fdb.mac) $(field "$line" fdb.port_ifname) $(field "$line" fdb.flags)"
check_eq "FDB dump filtered by port" 1 "$("$FUZZ" req -d fdb_get fdb { port_ifindex="$P1" } | grep -c '^cmd=fdb_get')"
expect_err "FDB dump filter VID 5000" ERANGE "out of range" -d fdb_get ifname=sw0 fdb { vid=5000 }
expect_err "FDB dump filter: port of another switch" EINVAL "is not a port of" -d fdb_get ifname=sw0 fdb { port_ifindex="$P3" }
expect_err "FDB dump filter: not a port" EINVAL "is not a vsw port" -d fdb_get fdb { port_ifindex="$PX" }
expect_err "FDB_DEL of a missing entry" ENOENT "" fdb_del ifname=sw0 fdb { mac=02:00:00:00:00:09 vid=1 }
expect_err "FDB_DEL with a port" EINVAL "Unsupported attribute" fdb_del ifname=sw0 fdb { mac=02:00:00:00:00:01 vid=1 port_ifindex="$P1" }
expect_err "FDB_FLUSH with a MAC" EINVAL "Unsupported attribute" fdb_flush ifname=sw0 fdb { mac=02:00:00:00:00:01 }
flush
check_eq "rejected FDB requests removed nothing" 2 "$(nfdb sw0)"
expect_ok "FDB_FLUSH port p2" fdb_flush ifname=sw0 fdb { port_ifindex="$P2" }
flush
check_eq "...only p2's entry went" "1 02:00:00:00:00:01" \
	"$(nfdb sw0) $(field "$("$FUZZ" req -d fdb_get ifname=sw0 | grep '^cmd=')" fdb.mac)"
expect_ok "FDB_DEL" fdb_del ifname=sw0 fdb { mac=02:00:00:00:00:01 vid=1 }
flush
check_eq "...gone" 0 "$(nfdb sw0)"

# --- rules: rejected matches and actions ---------------------------------------------
R=(rule_new ifname=sw0 rule)
expect_err "IPV4_SRC without ETH_TYPE" EINVAL "IPV4_SRC needs ETH_TYPE 0x0800" "${R[@]}" { match { ipv4_src=10.0.0.1 } actions { drop } }
expect_err "IPV4_DST with ETH_TYPE 0x86dd" EINVAL "IPV4_DST needs ETH_TYPE 0x0800" "${R[@]}" { match { eth_type=0x86dd ipv4_dst=10.0.0.1 } actions { drop } }
expect_err "IPV6_SRC with ETH_TYPE 0x0800" EINVAL "IPV6_SRC needs ETH_TYPE 0x86dd" "${R[@]}" { match { eth_type=0x0800 ipv6_src=2001:db8::1 } actions { drop } }
expect_err "IP_PROTO with ARP" EINVAL "IP_PROTO needs ETH_TYPE" "${R[@]}" { match { eth_type=0x0806 ip_proto=6 } actions { drop } }
expect_err "ARP_OP with IPv4" EINVAL "ARP_OP needs ETH_TYPE 0x0806" "${R[@]}" { match { eth_type=0x0800 arp_op=1 } actions { drop } }
expect_err "L4_DST without IP_PROTO" EINVAL "L4 ports need IP_PROTO" "${R[@]}" { match { eth_type=0x0800 l4_dst=80 } actions { drop } }
expect_err "L4_SRC with ICMP" EINVAL "L4 ports need IP_PROTO" "${R[@]}" { match { eth_type=0x0800 ip_proto=1 l4_src=8 } actions { drop } }
expect_err "VLAN_NONE with VLAN_VID" EINVAL "VLAN_NONE and VLAN_VID are exclusive" "${R[@]}" { match { vlan_none=- vlan_vid=10 } actions { drop } }
expect_err "VLAN_VID 4095" ERANGE "out of range" "${R[@]}" { match { vlan_vid=4095 } actions { drop } }
expect_err "VLAN_PCP 8" ERANGE "out of range" "${R[@]}" { match { vlan_pcp=8 } actions { drop } }
expect_err "ETH_SRC_MASK without ETH_SRC" EINVAL "ETH_SRC_MASK needs ETH_SRC" "${R[@]}" { match { eth_src_mask=ff:ff:ff:00:00:00 } actions { drop } }
expect_err "non-contiguous IPv4 mask" EINVAL "contiguous prefix" "${R[@]}" { match { eth_type=0x0800 ipv4_src=10.0.0.0 ipv4_src_mask=255.0.255.0 } actions { drop } }
expect_err "non-contiguous IPv6 mask" EINVAL "contiguous prefix" "${R[@]}" { match { eth_type=0x86dd ipv6_dst=2001:db8:: ipv6_dst_mask=ffff:0:ffff:: } actions { drop } }
expect_err "ETH_TYPE_MASK in a rule" EINVAL "for cache dumps only" "${R[@]}" { match { eth_type=0x0800 eth_type_mask=0xff00 } actions { drop } }
expect_err "IN_PORT of another switch" EINVAL "is not a port of" "${R[@]}" { match { in_port="$P3" } actions { drop } }
expect_err "no actions" EINVAL "at least one action" "${R[@]}" { priority=5 }
expect_err "empty actions" EINVAL "at least one action" "${R[@]}" { actions { } }
expect_err "DROP before OUTPUT" EINVAL "must be the last action" "${R[@]}" { actions { drop output="$P2" } }
flush
pops=()
for i in $(seq 32); do pops+=(pop_vlan); done
expect_err "33 actions" E2BIG "too many actions" "${R[@]}" { actions { "${pops[@]}" normal } }
expect_err "PUSH_VLAN TPID 0x9100" EINVAL "TPID must be 0x8100 or 0x88a8" "${R[@]}" { actions { push_vlan=0x9100 normal } }
expect_err "SET_VLAN_VID 0" ERANGE "out of range" "${R[@]}" { actions { set_vlan_vid=0 normal } }
expect_err "OUTPUT to a non-port" EINVAL "is not a vsw port" "${R[@]}" { actions { output="$PX" } }
expect_err "OUTPUT to a port of another switch" EINVAL "is not a port of" "${R[@]}" { actions { output="$P3" } }
expect_err "read-only rule packets" EINVAL "PACKETS is read-only" "${R[@]}" { packets=1 actions { drop } }
flush
check_eq "rejected RULE_NEWs added nothing" 0 "$(nrules sw0)"
expect_err "RULE_DEL of a missing rule" ENOENT "[Nn]o rule" rule_del ifname=sw0 rule { priority=5 }
expect_err "RULE_DEL with actions" EINVAL "Unsupported attribute" rule_del ifname=sw0 rule { priority=5 actions { drop } }

# --- rules: canonical, symmetric dumps -----------------------------------------
expect_ok "RULE_NEW with every field" "${R[@]}" { priority=200 match { in_port="$P1" eth_src=02:00:00:00:00:ff \
	eth_src_mask=ff:ff:ff:ff:ff:00 eth_dst=02:00:00:00:00:02 vlan_vid=10 vlan_pcp=3 eth_type=0x0800 \
	ipv4_src=10.1.2.3 ipv4_src_mask=255.255.0.0 ipv4_dst=10.2.3.4 ip_proto=6 ip_tos=16 l4_src=1 l4_dst=80 } \
	actions { pop_vlan push_vlan=0x88a8 set_vlan_vid=100 output="$P2" normal } }
flush
line=$("$FUZZ" req -d rule_get ifname=sw0 | grep '^cmd=rule_get')
want="rule.priority=200 rule.match.in_port=$P1 rule.match.eth_src=02:00:00:00:00:00 rule.match.eth_src_mask=ff:ff:ff:ff:ff:00 rule.match.eth_dst=02:00:00:00:00:02 rule.match.vlan_vid=10 rule.match.vlan_pcp=3 rule.match.eth_type=2048 rule.match.ipv4_src=10.1.0.0 rule.match.ipv4_src_mask=255.255.0.0 rule.match.ipv4_dst=10.2.3.4 rule.match.ip_proto=6 rule.match.ip_tos=16 rule.match.l4_src=1 rule.match.l4_dst=80 rule.actions.pop_vlan=1 rule.actions.push_vlan=34984 rule.actions.set_vlan_vid=100 rule.actions.output=$P2 rule.actions.normal=1"
got=$(grep -oE ' rule\.(priority|match\.[a-z0-9_]+|actions\.[a-z_]+)=[^ ]*' <<<"$line" | tr -d '\n' | sed 's/^ //')
check_eq "rule dump: canonical match (pre-masked, exact masks omitted), actions in order" "$want" "$got"
expect_ok "RULE_NEW dl_vlan=none, IPv6 /32, ARP" "${R[@]}" { priority=300 match { vlan_none=- eth_type=0x86dd \
	ipv6_src=2001:db8:ff::1 ipv6_src_mask=ffff:ffff:: } actions { drop } }
expect_ok "RULE_NEW ARP op" "${R[@]}" { priority=301 match { eth_type=0x0806 arp_op=2 } actions { flood } }
flush
out=$("$FUZZ" req -d rule_get ifname=sw0 | grep '^cmd=rule_get')
check_eq "dl_vlan=none and IPv6 prefix dump" "1 2001:db8:: ffff:ffff::" \
	"$(field "$(grep 'priority=300' <<<"$out")" rule.match.vlan_none) $(field "$(grep 'priority=300' <<<"$out")" rule.match.ipv6_src) $(field "$(grep 'priority=300' <<<"$out")" rule.match.ipv6_src_mask)"
check_eq "ARP op dump (no IP_PROTO)" "2 " \
	"$(field "$(grep 'priority=301' <<<"$out")" rule.match.arp_op) $(field "$(grep 'priority=301' <<<"$out")" rule.match.ip_proto)"
check_eq "rules dumped highest priority first" "301 300 200" \
	"$(grep -oE 'rule\.priority=[0-9]+' <<<"$out" | cut -d= -f2 | tr '\n' ' ' | sed 's/ $//')"
expect_ok "RULE_NEW same priority and match replaces" "${R[@]}" { priority=301 match { eth_type=0x0806 arp_op=2 } actions { drop } }
flush
check_eq "...3 rules, new action" "3 1" "$(nrules sw0)$(field "$("$FUZZ" req -d rule_get ifname=sw0 | grep 'priority=301')" rule.actions.drop | sed 's/^/ /')"
expect_ok "RULE_DEL by priority and match" rule_del ifname=sw0 rule { priority=301 match { eth_type=0x0806 arp_op=2 } }
expect_ok "RULE_FLUSH" rule_flush ifname=sw0
flush
check_eq "...no rules left" 0 "$(nrules sw0)"

# --- dumps -----------------------------------------------------------------------
expect_err "PORT_GET dump with a port nest" EINVAL "port dump takes no" -d port_get port { ifname=p1 }
flush
check_eq "PORT_GET dump of sw0: 3 ports" 3 "$("$FUZZ" req -d port_get ifname=sw0 | grep -c '^cmd=port_get')"
check_eq "PORT_GET dump of all switches: 5 ports" 5 "$("$FUZZ" req -d port_get | grep -c '^cmd=port_get')"
check_eq "SWITCH_GET dump: 2 switches" 2 "$("$FUZZ" req -d switch_get | grep -c '^cmd=switch_get')"
expect_err "RULE_GET dump of a non-switch" EINVAL "is not a vsw switch" -d rule_get ifname=p1

# --- events ---------------------------------------------------------------------------
flush
"$FUZZ" monitor -t 15 >"$TMPD/ev" 2>&1 &
mon=$!
wait_for 5 grep -q '^ready' "$TMPD/ev"
"$FUZZ" req port_set port { ifname=p1 mode=1 tag=5000 } >/dev/null 2>&1
"$FUZZ" req port_set port { ifname=p1 mode=1 trunks=0,5 } >/dev/null 2>&1
"$FUZZ" req port_set port { ifname=p1 mode=0 tag=7 } >/dev/null 2>&1
"$FUZZ" req fdb_new ifname=sw0 fdb { mac=02:00:00:00:00:05 vid=7 port_ifindex="$P1" } >/dev/null 2>&1
"$FUZZ" req switch_set ifname=sw0 ageing=301 >/dev/null 2>&1
"$FUZZ" req rule_new ifname=sw0 rule { priority=9 actions { normal } } >/dev/null 2>&1
wait_for 5 grep -q 'event=rule_changed' "$TMPD/ev"
kill "$mon" 2>/dev/null
wait "$mon" 2>/dev/null
ev=$(cat "$TMPD/ev")
pc=$(grep 'event=port_changed' <<<"$ev")
check_eq "one PORT_CHANGED event, for the valid request only" 1 "$(grep -c . <<<"$pc")"
check_eq "PORT_CHANGED carries switch, port and config" "sw0 p1 0 7" \
	"$(field "$pc" ifname) $(field "$pc" port.ifname) $(field "$pc" port.mode) $(field "$pc" port.tag)"
fa=$(grep 'event=fdb_added' <<<"$ev")
check_eq "FDB_ADDED carries the entry" "02:00:00:00:00:05 7 $P1 p1" \
	"$(field "$fa" fdb.mac) $(field "$fa" fdb.vid) $(field "$fa" fdb.port_ifindex) $(field "$fa" fdb.port_ifname)"
check_eq "SWITCH_CHANGED carries the config" 301 "$(field "$(grep 'event=switch_changed' <<<"$ev")" ageing)"
check_eq "RULE_CHANGED carries the priority" 9 "$(field "$(grep 'event=rule_changed' <<<"$ev")" rule.priority)"
check_eq "no malformed event" 0 "$(grep -c MALFORMED <<<"$ev")"

flush
ksft_finish
