#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 1700
#
# bench/guest.sh - the forwarding benchmark, run INSIDE the guest by
# bench/run (through selftests/vm/run.sh; not a selftest, not in make check).
#
# Every system gets its own pair of veth ports X0 (ingress) and X1 (egress),
# all built once at the start of the boot; peers X0p/X1p are up in the init
# netns (X1p's stack drops what arrives). In scenario ad, X1 is a dummy
# device instead: frames leaving it are freed at once, so the common cost
# of the veth hand-off and the peer's stack drops out of every system.
# pktgen (xmit_mode netif_receive, 60-byte UDP frames) is bound to X0
# itself, so each frame enters X0's receive path as if the wire had
# delivered it; the system must forward it out of X1 (we read X1's
# tx_packets). Modes are interleaved: round 1 runs
# every mode once, then round 2, ...
#
# Output (stdout, parsed by bench/run), one line per measurement:
#   R SYSTEM SCENARIO POINT ROUND PPS SENT FORWARDED
# SCENARIO: aa access->access, ad access->access into a dummy sink,
# tt trunk->trunk, at access->trunk (tag push),
# fl broadcast flood to 8 ports (FORWARDED counts copies: SENT*8 = all;
# COUNT/8 frames),
# fdb / rules (scaling, POINT = FDB entries / user rules),
# vlans / ports (scaling, POINT = VLANs allowed on the trunk ports / ports
# on the switch), learn (every frame from a new source MAC), churn (an
# established flow and new source MACs, interleaved 1:1; PPS and SENT are
# both devices' together),
# rmiss (scaling, POINT = user rules; every frame a flow cache miss).
# Lines starting with "#" are information. Parameters come from the file
# $VSW_SRC/build/bench/params.sh written by bench/run (defaults below).
set -u
export LC_ALL=C
params=${VSW_SRC:-.}/build/bench/params.sh
ROUNDS=5
COUNT=100000          # frames per measurement
SCALE_COUNT=50000     # frames per measurement of the scalings
WARM=2000             # frames per warm-up (learning, cache fill) per mode
SYSTEMS="vsw br ovs tc"
SCENARIOS="aa ad tt at"
FLOOD=1               # flood scenario (8 egress ports)
FDB_POINTS=""         # e.g. "1 1000 100000": vsw + bridge static FDB sizes
RULE_POINTS=""        # e.g. "1 1000 10000": vsw user rules
VLAN_POINTS=""        # e.g. "1 100 4094": vsw + bridge trunk VLANs
PORT_POINTS=""        # e.g. "2 16 64": vsw + bridge ports
LEARN_COUNT=0         # new source MACs per learn measurement (0 = off)
CHURN_COUNT=0         # churn: frames per device (established + new MACs; 0 = off)
RMISS_POINTS=""       # e.g. "1 1000 10000": vsw user rules, all misses
RMISS_COUNT=10000     # frames (= new flows) per rmiss measurement
VHOST_SECONDS=2       # vhost guest->guest, seconds per measurement (0 = off)
CORE=1                # the pktgen scenarios above (0 = only scaling/vhost)
# shellcheck source=/dev/null
[[ -r $params ]] && source "$params"

SRC_MAC=02:00:00:00:00:01
DST_MAC=02:00:00:00:00:02
SRC_IP=10.0.0.1
DST_IP=10.0.0.2
VID=10
TMP=${VSW_TMP:-/tmp}
command -v ovs-dpctl >/dev/null || { echo "# no ovs-dpctl: OVS skipped"; SYSTEMS=${SYSTEMS/ovs/}; }

info() { echo "# $*"; }
die() { echo "# FATAL: $*"; exit 1; }
q() { "$@" >/dev/null 2>&1; }
run() { "$@" || die "command failed: $*"; }

links=()
ovsdp=
cleanup() {
	local l
	[[ -n $ovsdp ]] && q ovs-dpctl del-dp "$ovsdp"
	for l in "${links[@]}"; do q ip link del "$l"; done
	[[ -w /proc/net/pktgen/kpktgend_0 ]] && echo rem_device_all >/proc/net/pktgen/kpktgend_0
}
trap cleanup EXIT

# veth pair NAME <-> NAMEp, both up; the egress port of scenario ad
# (?ad1) is a dummy device, with no peer
pair() {
	links+=("$1")
	if [[ $1 == ?ad1 ]]; then
		run ip link add "$1" type dummy
	else
		run ip link add "$1" type veth peer name "$1p"
		run ip link set "$1p" up
	fi
	run ip link set "$1" up
}

modprobe pktgen || die "no pktgen"
modprobe bridge; modprobe dummy; modprobe openvswitch; modprobe act_mirred; modprobe act_vlan
modprobe cls_matchall; modprobe sch_ingress
for c in ip bridge tc vswctl; do
	command -v "$c" >/dev/null || die "missing command $c"
done

# ---------------------------------------------------------------- setups ---
# Port roles per scenario: 0 = ingress, 1 = egress, VLAN $VID.
#   aa: 0 access, 1 access   tt: 0 trunk, 1 trunk   at: 0 access, 1 trunk
# fl: 0 access, 1 and f2..f8 access, broadcast destination.
port_is_trunk() { # scenario index
	case $1$2 in tt0 | tt1 | at1 | vlans0 | vlans1) return 0 ;; esac
	return 1
}

setup_vsw() { # scenario [ports...]
	local sc=$1 sw=vs_$1 i=0 p
	shift
	run ip link add "$sw" type vsw
	links+=("$sw")
	run ip link set "$sw" up
	for p in "$@"; do
		pair "$p"
		run ip link set "$p" master "$sw"
		if port_is_trunk "$sc" "$i"; then
			run vswctl port set "$p" mode trunk trunks "$VID"
		else
			run vswctl port set "$p" mode access tag "$VID"
		fi
		i=1
	done
	[[ $sc == fl ]] || run vswctl fdb add "$sw" "$DST_MAC" vlan "$VID" port "$2"
}

setup_br() {
	local sc=$1 br=br_$1 i=0 p
	shift
	run ip link add "$br" type bridge vlan_filtering 1
	links+=("$br")
	run ip link set "$br" up
	for p in "$@"; do
		pair "$p"
		run ip link set "$p" master "$br"
		run bridge vlan del vid 1 dev "$p"
		if port_is_trunk "$sc" "$i"; then
			run bridge vlan add vid "$VID" dev "$p"
		else
			run bridge vlan add vid "$VID" dev "$p" pvid untagged
		fi
		i=1
	done
	[[ $sc == fl ]] || run bridge fdb add "$DST_MAC" dev "$2" master static vlan "$VID"
}

ovs_port() { ovs-dpctl show "$ovsdp" | sed -n "s/^ *port \([0-9]*\): $1\( .*\)\?\$/\1/p"; }

setup_ovs() {
	local sc=$1 p key l3 acts=
	shift
	if [[ -z $ovsdp ]]; then
		ovsdp=ovsbench
		run ovs-dpctl add-dp "$ovsdp"
	fi
	for p in "$@"; do
		pair "$p"
		run ovs-dpctl add-if "$ovsdp" "$p"
	done
	l3="ipv4(src=$SRC_IP,dst=$DST_IP,proto=17,tos=0,ttl=32,frag=no),udp(src=9,dst=9)"
	local dst=$DST_MAC
	[[ $sc == fl ]] && dst=ff:ff:ff:ff:ff:ff
	local eth
	eth="in_port($(ovs_port "$1")),eth(src=$SRC_MAC,dst=$dst)"
	case $sc in
	tt) key="$eth,eth_type(0x8100),vlan(vid=$VID,pcp=0),encap(eth_type(0x0800),$l3)" ;;
	*) key="$eth,eth_type(0x0800),$l3" ;;
	esac
	[[ $sc == at ]] && acts="push_vlan(vid=$VID,pcp=0),"
	shift
	for p in "$@"; do acts+="$(ovs_port "$p"),"; done
	run ovs-dpctl add-flow "$ovsdp" "$key" "${acts%,}"
}

setup_tc() {
	local sc=$1 in=$2 p acts=()
	shift
	for p in "$@"; do pair "$p"; done
	shift
	run tc qdisc add dev "$in" clsact
	[[ $sc == at ]] && acts+=(action vlan push id "$VID" pipe)
	local n=$#
	for p in "$@"; do
		n=$((n - 1))
		if ((n > 0)); then
			acts+=(action mirred egress mirror dev "$p" pipe)
		else
			acts+=(action mirred egress redirect dev "$p")
		fi
	done
	run tc filter add dev "$in" ingress matchall "${acts[@]}"
}

# mode name -> "ingress egress..." ports
declare -A mports=()
modes=()
add_mode() { # system scenario ports...
	local s=$1 sc=$2
	shift 2
	mports[$s.$sc]="$*"
	modes+=("$s.$sc")
	"setup_$s" "$sc" "$@"
}
for sc in $SCENARIOS; do
	for s in $SYSTEMS; do
		add_mode "$s" "$sc" "${s:0:1}${sc}0" "${s:0:1}${sc}1"
	done
done
if [[ $FLOOD == 1 ]]; then
	for s in $SYSTEMS; do
		fp=()
		for i in 1 2 3 4 5 6 7 8; do fp+=("${s:0:1}fl$i"); done
		add_mode "$s" fl "${s:0:1}fl0" "${fp[@]}"
	done
fi
info "modes: ${modes[*]}"

# retire MODE...: delete a finished part's switches and ports, so that their
# timers (FDB ageing walks over 100k entries, the peers' IPv6 chatter) do
# not take guest time from later measurements
retire() {
	local m p
	for m in "$@"; do
		for p in ${mports[$m]}; do q ip link del "$p"; done
		case $m in
		vsw.*) q ip link del "vs_${m#*.}" ;;
		br.*) q ip link del "br_${m#*.}" ;;
		esac
	done
}

# ---------------------------------------------------------------- pktgen ---
pgw() { echo "$2" >"$1" || die "pktgen: '$2' > $1 failed"; }

PG_EXTRA=()   # more pktgen device settings for the next measurements

# measure DEV SCENARIO COUNT -> "PPS SENT"
measure() {
	local dev=$1 sc=$2 n=$3 f=/proc/net/pktgen/$1
	pgw /proc/net/pktgen/kpktgend_0 rem_device_all
	pgw /proc/net/pktgen/kpktgend_0 "add_device $dev"
	pgw "$f" "count $n"
	pgw "$f" "pkt_size 60"
	pgw "$f" "xmit_mode netif_receive"
	pgw "$f" "src_mac $SRC_MAC"
	if [[ $sc == fl ]]; then pgw "$f" "dst_mac ff:ff:ff:ff:ff:ff"; else pgw "$f" "dst_mac $DST_MAC"; fi
	pgw "$f" "src_min $SRC_IP"
	pgw "$f" "src_max $SRC_IP"
	pgw "$f" "dst $DST_IP"
	[[ $sc == tt || $sc == vlans ]] && pgw "$f" "vlan_id $VID"
	local x
	for x in "${PG_EXTRA[@]}"; do pgw "$f" "$x"; done
	pgw /proc/net/pktgen/pgctrl start
	local pps sent
	pps=$(grep -o '[0-9]*pps' "$f" | head -n 1)
	sent=$(sed -n 's/^ *pkts-sofar: \([0-9]*\).*/\1/p' "$f")
	echo "${pps%pps} ${sent:-0}"
}

txsum() { # ports... -> sum of tx_packets
	local p t=0
	for p in "$@"; do t=$((t + $(cat "/sys/class/net/$p/statistics/tx_packets"))); done
	echo "$t"
}

# run_one MODE POINT ROUND COUNT
run_one() {
	local m=$1 point=$2 round=$3 n=$4 s=${1%%.*} sc=${1#*.}
	# shellcheck disable=SC2206
	local ps=(${mports[$m]})
	local before after res
	before=$(txsum "${ps[@]:1}")
	res=$(measure "${ps[0]}" "$sc" "$n")
	after=$(txsum "${ps[@]:1}")
	echo "R $s $sc $point $round $res $((after - before))"
}

# rounds POINT MODE...: a warm-up of each mode, then ROUNDS interleaved
# rounds of SCALE_COUNT frames (the scalings)
rounds() {
	local pt=$1 m r
	shift
	for m in "$@"; do run_one "$m" "$pt" 0 "$WARM"; done
	for r in $(seq 1 "$ROUNDS"); do
		for m in "$@"; do run_one "$m" "$pt" "$r" "$SCALE_COUNT"; done
	done
}

t0=$(cut -d' ' -f1 /proc/uptime)
((CORE)) || modes=()
for m in "${modes[@]}"; do run_one "$m" 0 0 "$WARM"; done
for r in $(seq 1 "$([[ ${#modes[@]} -gt 0 ]] && echo "$ROUNDS" || echo 0)"); do
	for m in "${modes[@]}"; do
		# flooding costs ~8 times more per frame: 1/8 of the frames
		n=$COUNT
		[[ $m == *.fl ]] && n=$((COUNT / 8))
		run_one "$m" 0 "$r" "$n"
	done
	info "round $r done at guest uptime $(cut -d' ' -f1 /proc/uptime)"
done
info "core done in $(awk -v a="$t0" '{ printf "%.0f", $1 - a }' /proc/uptime) guest seconds"
if [[ -n $ovsdp ]]; then
	info "ovs datapath flows:"
	ovs-dpctl dump-flows "$ovsdp" | sed 's/^/#   /'
fi
retire "${modes[@]}"

# --------------------------------------------------------------- scaling ---
# FDB size: N static entries on the egress port's VLAN (N-1 fillers + the
# destination), vsw and bridge, built up incrementally (1 -> 1000 -> ...);
# at each point: warm-up, then ROUNDS rounds of vsw, bridge.
if [[ -n $FDB_POINTS ]]; then
	add_mode vsw fdb vfd0 vfd1
	add_mode br fdb bfd0 bfd1
	have=1
	for n in $FDB_POINTS; do
		if ((n > have)); then
			awk -v a="$have" -v b="$n" 'BEGIN { for (i = a; i < b; i++)
				printf "fdb add vs_fdb 02:10:%02x:%02x:%02x:01 vlan '"$VID"' port vfd1\n",
					int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' >"$TMP/v.batch"
			sed 's/^fdb add vs_fdb \([^ ]*\) vlan \([0-9]*\) port vfd1/fdb add \1 dev bfd1 master static vlan \2/' \
				"$TMP/v.batch" >"$TMP/b.batch"
			t=$(cut -d' ' -f1 /proc/uptime)
			run vswctl -b "$TMP/v.batch"
			u=$(cut -d' ' -f1 /proc/uptime)
			run bridge -batch "$TMP/b.batch"
			w=$(cut -d' ' -f1 /proc/uptime)
			info "fdb $n: vswctl -b $(awk -v a="$t" -v b="$u" 'BEGIN { printf "%.1f", b - a }')s, bridge -batch $(awk -v a="$u" -v b="$w" 'BEGIN { printf "%.1f", b - a }')s (guest time)"
			have=$n
		fi
		info "fdb $n: vsw $(vswctl -j switch show vs_fdb | sed -n 's/.*"fdb_entries": *\([0-9]*\).*/\1/p') entries, bridge $(bridge fdb show br br_fdb | grep -c static) static"
		rounds "$n" vsw.fdb br.fdb
	done
	retire vsw.fdb br.fdb
fi

# User rules: N rules that the traffic does not match (udp tp_dst != 9),
# priorities spread, on a vsw access->access switch; the frames take the
# implicit NORMAL rule (flow-cache hits after the first frame).
if [[ -n $RULE_POINTS ]]; then
	add_mode vsw rules vru0 vru1
	have=0
	for n in $RULE_POINTS; do
		if ((n > have)); then
			awk -v a="$have" -v b="$n" 'BEGIN { for (i = a; i < b; i++)
				printf "flow add vs_rules priority %d udp,tp_dst=%d actions=drop\n", 1000 + i % 7, 1000 + i }' >"$TMP/r.batch"
			t=$(cut -d' ' -f1 /proc/uptime)
			run vswctl -b "$TMP/r.batch"
			info "rules $n: vswctl -b $(awk -v a="$t" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }')s (guest time)"
			have=$n
		fi
		rounds "$n" vsw.rules
		info "rules $n: flow cache after the rounds ($(vswctl cache show vs_rules | wc -l) entries):"
		vswctl cache show vs_rules | sed 's/^/#   /'
	done
	retire vsw.rules
fi
# Trunk VLANs: both ports trunks carrying N VLANs (1: VLAN $VID only;
# otherwise 1-N, which holds $VID), tagged frames on VLAN $VID, vsw and
# bridge; the VLAN sets grow in place.
if [[ -n $VLAN_POINTS ]]; then
	add_mode vsw vlans vvl0 vvl1
	add_mode br vlans bvl0 bvl1
	for n in $VLAN_POINTS; do
		if ((n > 1)); then
			for p in vvl0 vvl1; do run vswctl port set "$p" mode trunk trunks "1-$n"; done
			for p in bvl0 bvl1; do run bridge vlan add vid "1-$n" dev "$p"; done
		fi
		info "vlans $n: vsw trunks $(vswctl -j port show vvl0 | jq -r '.[0].trunks'), bridge $(bridge -j vlan show dev bvl0 | jq '[.[0].vlans[] | (.vlanEnd // .vlan) - .vlan + 1] | add') VLANs"
		rounds "$n" vsw.vlans br.vlans
	done
	retire vsw.vlans br.vlans
fi

# Ports: access->access between two ports of a switch that has N ports
# (the others idle veths in the same VLAN, peers up), vsw and bridge; the
# switches grow in place.
if [[ -n $PORT_POINTS ]]; then
	add_mode vsw ports vpo0 vpo1
	add_mode br ports bpo0 bpo1
	have=2
	for n in $PORT_POINTS; do
		for ((i = have; i < n; i++)); do
			pair "vpo$i"
			run ip link set "vpo$i" master vs_ports
			run vswctl port set "vpo$i" mode access tag "$VID"
			pair "bpo$i"
			run ip link set "bpo$i" master br_ports
			run bridge vlan del vid 1 dev "bpo$i"
			run bridge vlan add vid "$VID" dev "bpo$i" pvid untagged
		done
		((n > have)) && have=$n
		info "ports $n: vsw $(vswctl -j switch show vs_ports | jq '.[0].ports - 1') (+ its internal port), bridge $(ls /sys/class/net/br_ports/brif | wc -l) ports"
		rounds "$n" vsw.ports br.ports
	done
	for ((i = 2; i < have; i++)); do q ip link del "vpo$i"; q ip link del "bpo$i"; done
	retire vsw.ports br.ports
fi

# Learning: every frame comes from a source MAC the switch has not seen
# (pktgen src_mac_count, a fresh MAC range per measurement; the learned
# table is flushed before each), to the static destination: the rate is
# new MACs learned (and frames forwarded) per second. vsw and bridge.
if ((LEARN_COUNT > 0)); then
	add_mode vsw learn vle0 vle1
	add_mode br learn ble0 ble1
	lr=0
	learn_one() { # ROUND FRAMES
		lr=$((lr + 1))
		PG_EXTRA=("src_mac 02:30:$(printf %02x $lr):00:00:00" "src_mac_count $2")
		run vswctl fdb flush vs_learn port vle0
		# fdb_flush keeps the static destination entry
		run ip link set br_learn type bridge fdb_flush
		sleep 1		# the flushes' deferred frees: not in the measurement
		for m in vsw.learn br.learn; do run_one "$m" 0 "$1" "$2"; done
		PG_EXTRA=()
	}
	learn_one 0 "$WARM"
	for r in $(seq 1 "$ROUNDS"); do learn_one "$r" "$LEARN_COUNT"; done
	info "learn: vsw $(vswctl -j switch show vs_learn | jq '.[0].fdb_entries') FDB entries, bridge $(bridge fdb show br br_learn | grep -vc static) dynamic after the last round"
	retire vsw.learn br.learn
fi

# Learning under established traffic: two pktgen devices on the one
# thread, alternating frame by frame (both with "delay 1": each device's
# next transmit time advances by 1 ns per frame and the system cannot keep
# up, so pktgen never waits and picks the device that is further behind).
# Port 0 sends the established flow (one source MAC, cached), port 2 frames
# each from a source MAC the switch has not seen (a fresh range per
# measurement, the learned entries flushed before), both to the static
# destination on port 1. The rate is both devices' frames per second
# together. vsw and bridge. For vsw it measures what each learn costs the
# flows already cached (see "flood_dsts" in docs/architecture.md).
if ((CHURN_COUNT > 0)); then
	add_mode vsw churn vch0 vch1
	add_mode br churn bch0 bch1
	pair vch2
	run ip link set vch2 master vs_churn
	run vswctl port set vch2 mode access tag "$VID"
	pair bch2
	run ip link set bch2 master br_churn
	run bridge vlan del vid 1 dev bch2
	run bridge vlan add vid "$VID" dev bch2 pvid untagged
	cr=0
	# pg_dev DEV FRAMES SRC_MAC [MAC_COUNT]
	pg_dev() {
		local f=/proc/net/pktgen/$1
		pgw /proc/net/pktgen/kpktgend_0 "add_device $1"
		pgw "$f" "count $2"
		pgw "$f" "pkt_size 60"
		pgw "$f" "xmit_mode netif_receive"
		pgw "$f" "delay 1"
		pgw "$f" "src_mac $3"
		[[ -n ${4:-} ]] && pgw "$f" "src_mac_count $4"
		pgw "$f" "dst_mac $DST_MAC"
		pgw "$f" "src_min $SRC_IP"
		pgw "$f" "src_max $SRC_IP"
		pgw "$f" "dst $DST_IP"
	}
	pg_res() { # DEV -> "PPS SENT"
		local f=/proc/net/pktgen/$1 pps sent
		pps=$(grep -o '[0-9]*pps' "$f" | head -n 1)
		sent=$(sed -n 's/^ *pkts-sofar: \([0-9]*\).*/\1/p' "$f")
		echo "${pps%pps} ${sent:-0}"
	}
	churn_one() { # SYSTEM ROUND FRAMES
		local s=$1 x=${1:0:1} before after
		local -a pa pb
		cr=$((cr + 1))
		if [[ $s == vsw ]]; then
			run vswctl fdb flush vs_churn port vch2
		else
			run ip link set br_churn type bridge fdb_flush
		fi
		sleep 1		# the flush's deferred frees: not in the measurement
		pgw /proc/net/pktgen/kpktgend_0 rem_device_all
		pg_dev "${x}ch0" "$3" "$SRC_MAC"
		pg_dev "${x}ch2" "$3" "02:40:$(printf %02x $cr):00:00:00" "$3"
		before=$(txsum "${x}ch1")
		pgw /proc/net/pktgen/pgctrl start
		after=$(txsum "${x}ch1")
		read -r -a pa <<<"$(pg_res "${x}ch0")"
		read -r -a pb <<<"$(pg_res "${x}ch2")"
		info "churn $s round $2: established ${pa[0]} pps, new MACs ${pb[0]} pps"
		echo "R $s churn 0 $2 $((pa[0] + pb[0])) $((pa[1] + pb[1])) $((after - before))"
	}
	for s in vsw br; do churn_one "$s" 0 "$WARM"; done
	for r in $(seq 1 "$ROUNDS"); do
		for s in vsw br; do churn_one "$s" "$r" "$CHURN_COUNT"; done
	done
	info "churn: vsw cache $(vswctl -j switch show vs_churn | jq -c '.[0] | {cache_entries, fdb_entries}') after the last round"
	q ip link del vch2
	q ip link del bch2
	retire vsw.churn br.churn
fi

# Miss-heavy rule mix: N user rules as in the rule scaling (tp_dst
# 1000..1000+N-1, not matched); every frame has another UDP destination
# port (20000 + i), and the rules make tp_dst part of the megaflow, so with
# the cache flushed before each measurement every frame is a miss that
# walks the rule table to NORMAL and installs an entry. vsw only.
if [[ -n $RMISS_POINTS ]]; then
	add_mode vsw rmiss vrm0 vrm1
	have=0
	PG_EXTRA=("udp_dst_min 20000" "udp_dst_max $((20000 + RMISS_COUNT - 1))")
	for n in $RMISS_POINTS; do
		if ((n > have)); then
			awk -v a="$have" -v b="$n" 'BEGIN { for (i = a; i < b; i++)
				printf "flow add vs_rmiss priority %d udp,tp_dst=%d actions=drop\n", 1000 + i % 7, 1000 + i }' >"$TMP/r.batch"
			run vswctl -b "$TMP/r.batch"
			have=$n
		fi
		for r in $(seq 0 "$ROUNDS"); do
			run vswctl cache flush vs_rmiss
			# let the flushed entries' RCU frees and the table's
			# shrink run now, not during the measurement
			sleep 1
			run_one vsw.rmiss "$n" "$r" "$((r ? RMISS_COUNT : WARM))"
		done
		info "rmiss $n: $(vswctl -j switch show vs_rmiss | jq -c '.[0] | {rules, cache_entries}') after the last round"
	done
	PG_EXTRA=()
	retire vsw.rmiss
fi

# vhost: guest -> guest frames/s with the same userspace ring driver
# (selftests/vhost/vhost_guest bench: 60-byte frames, A's TX ring kept full,
# B receives; rate in guest time) through /dev/vhost-vsw + vsw, and through
# the stock /dev/vhost-net + tap + Linux bridge (vlan_filtering 1). Both:
# two persistent vnet_hdr taps, access VLAN $VID.
VG=${VSW_SRC:-.}/selftests/vhost/vhost_guest
if ((VHOST_SECONDS)) && [[ -x $VG ]] && modprobe vsw_vhost && modprobe vhost_net; then
	run ip link add vs_vh type vsw
	links+=(vs_vh)
	run ip link set vs_vh up
	run ip link add br_vh type bridge vlan_filtering 1
	links+=(br_vh)
	run ip link set br_vh up
	for t in vva vvb vba vbb; do
		run ip tuntap add dev "$t" mode tap vnet_hdr
		links+=("$t")
	done
	for t in vva vvb; do
		run ip link set "$t" master vs_vh up
		run vswctl port set "$t" mode access tag "$VID"
	done
	for t in vba vbb; do
		run ip link set "$t" master br_vh up
		run bridge vlan del dev "$t" vid 1
		run bridge vlan add dev "$t" vid "$VID" pvid untagged
	done
	# vhost_one SYSTEM ROUND SECONDS
	vhost_one() {
		local dev=/dev/vhost-vsw a=vva b=vvb j
		[[ $1 == br ]] && dev=/dev/vhost-net a=vba b=vbb
		j=$("$VG" -d "$dev" bench "$a" "$b" --seconds "$3" 2>&1 | tail -n 1)
		if [[ $j != \{* ]]; then
			info "vhost $1 round $2 failed: $j"
			return
		fi
		# the rate is of frames delivered (a flooding sender loses some
		# by design): SENT = FORWARDED = received; TX in the info line
		info "vhost $1 round $2: $j"
		echo "R $1 vhost 0 $2 $(jq -r '"\(.rx_pps | floor) \(.rx_frames) \(.rx_frames)"' <<<"$j")"
	}
	for s in vsw br; do vhost_one "$s" 0 1; done
	for r in $(seq 1 "$ROUNDS"); do
		for s in vsw br; do vhost_one "$s" "$r" "$VHOST_SECONDS"; done
	done
	info "vhost done at guest uptime $(cut -d' ' -f1 /proc/uptime)"
else
	info "vhost skipped (VHOST_SECONDS=$VHOST_SECONDS, $VG, vsw_vhost, vhost_net)"
fi
info "all done at guest uptime $(cut -d' ' -f1 /proc/uptime)"
