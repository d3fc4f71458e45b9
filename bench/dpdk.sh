#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 1200
#
# bench/dpdk.sh - the vhost benchmark with DPDK virtio-user as the "guests",
# run INSIDE the guest by bench/run (a second boot, with -cpu max: DPDK's
# baseline needs SSE4.2; not a selftest, not in make check).
#
#   testpmd txonly ~ virtio_user ~ DEV ~ tap A =switch= tap B ~ DEV ~ virtio_user ~ testpmd rxonly
#
# vsw:    DEV = /dev/vhost-vsw, taps dva/dvb vsw ports in access VLAN $VID;
# bridge: DEV = /dev/vhost-net (stock vhost-net + tun), taps dba/dbb in a
#         vlan_filtering 1 bridge, pvid $VID untagged.
# dpdk-testpmd's virtio_user vdev with a char device path uses DPDK's
# vhost-kernel backend: it attaches to the persistent tap (iface=) and
# drives the vhost ioctls itself, as QEMU does. txonly sends 64-byte frames
# as fast as it can; the rate is the frames written into B's RX ring per
# second of guest time (vsw: B's backend rx_packets; bridge: tap B's
# tx_packets, which tun counts when vhost-net has copied the frame into the
# ring). Everything shares the one vCPU: both testpmd pollers, the vhost
# workers, the switch.
#
# All four testpmd instances start once; a system not being measured is
# held with SIGSTOP (its pollers take no CPU, its vhost workers idle), so
# the rounds interleave vsw, bridge, vsw, bridge ... without restarting
# DPDK (each start takes tens of seconds under TCG).
#
# Output: "R SYSTEM dpdk 0 ROUND PPS RECEIVED RECEIVED" lines (like the
# vhost scenario: the rate is of frames delivered; a sender that outruns
# the receiver loses frames by design, the info lines give TX) and "#" info.
set -u
export LC_ALL=C
params=${VSW_SRC:-.}/build/bench/params.sh
ROUNDS=5
DPDK_SECONDS=2        # seconds of guest time per measurement
# shellcheck source=/dev/null
[[ -r $params ]] && source "$params"
VID=10
TMP=${VSW_TMP:-/tmp}

info() { echo "# $*"; }
die() { echo "# FATAL: $*"; exit 1; }
run() { "$@" || die "command failed: $*"; }

command -v dpdk-testpmd >/dev/null || { info "dpdk skipped: no dpdk-testpmd"; exit 0; }
grep -qw sse4_2 /proc/cpuinfo || { info "dpdk skipped: no SSE4.2 (needs -cpu max)"; exit 0; }
modprobe vsw_vhost || die "no vsw_vhost"
modprobe vhost_net || die "no vhost_net"
modprobe bridge

links=()
declare -A pid=()
cleanup() {
	local p l
	for p in "${pid[@]}"; do
		kill -CONT "$p" 2>/dev/null
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${pid[@]}"; do wait "$p" 2>/dev/null; done
	for l in "${links[@]}"; do ip link del "$l" >/dev/null 2>&1; done
}
trap cleanup EXIT

tap() { # NAME MASTER
	run ip tuntap add dev "$1" mode tap vnet_hdr
	links+=("$1")
	run sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
	run ip link set "$1" master "$2" up
}
run ip link add vs_dp type vsw
links+=(vs_dp)
run ip link set vs_dp up
run ip link add br_dp type bridge vlan_filtering 1
links+=(br_dp)
run sysctl -qw net.ipv6.conf.br_dp.disable_ipv6=1
run ip link set br_dp up
for t in dva dvb; do
	tap "$t" vs_dp
	run vswctl port set "$t" mode access tag "$VID"
done
for t in dba dbb; do
	tap "$t" br_dp
	run bridge vlan del dev "$t" vid 1
	run bridge vlan add dev "$t" vid "$VID" pvid untagged
done

# testpmd NAME DEV TAP MODE (in the background; pid in pid[NAME])
testpmd() {
	dpdk-testpmd --no-huge -m 128 --no-pci --lcores=0@0,1@0 \
		--file-prefix="bench-$1" --vdev="virtio_user_$1,path=$2,iface=$3,queues=1" \
		-- --forward-mode="$4" --stats-period 100000 --nb-cores=1 \
		--total-num-mbufs=2048 </dev/null >"$TMP/dpdk-$1.log" 2>&1 &
	pid[$1]=$!
}

# rx_count / tx_count SYSTEM: frames into B's RX ring / out of A's TX ring
rx_count() {
	if [[ $1 == vsw ]]; then
		vswctl -j -s port show dvb | jq -r '.[0].backend.rx_packets // 0'
	else
		cat /sys/class/net/dbb/statistics/tx_packets
	fi
}
tx_count() {
	if [[ $1 == vsw ]]; then
		vswctl -j -s port show dva | jq -r '.[0].backend.tx_packets // 0'
	else
		cat /sys/class/net/dba/statistics/rx_packets
	fi
}
now_ns() { date +%s%N; }

sys_signal() { # SYSTEM SIGNAL
	kill "-$2" "${pid[$1rx]}" "${pid[$1tx]}" 2>/dev/null
}

# start SYSTEM DEV A B: rxonly on B, then txonly on A; wait until frames
# arrive in B's ring (both instances attached), then hold them
start() {
	local s=$1 t0=$SECONDS c0
	testpmd "$s"rx "$2" "$4" rxonly
	c0=$(rx_count "$s")
	testpmd "$s"tx "$2" "$3" txonly
	while (($(rx_count "$s") <= c0 + 1000)); do
		if ((SECONDS - t0 > 300)); then
			info "$s: no frames after 300 s; testpmd logs:"
			tail -n 15 "$TMP/dpdk-${s}rx.log" "$TMP/dpdk-${s}tx.log" | sed 's/^/#   /'
			return 1
		fi
		sleep 1
	done
	info "$s: testpmd txonly -> rxonly running after $((SECONDS - t0)) s (wall)"
	sys_signal "$s" STOP
}

# measure SYSTEM ROUND SECONDS: the counters are read while the system is
# held, so reading them (vswctl + jq for vsw, sysfs for the bridge) costs
# neither system guest time inside the interval, which runs from SIGCONT
# to SIGSTOP; 0.2 s after the stop lets frames already in the rings land.
measure() {
	local s=$1 r0 t0 n0 r1 t1 n1 pps
	t0=$(tx_count "$s"); r0=$(rx_count "$s")
	n0=$(now_ns)
	sys_signal "$s" CONT
	sleep "$3"
	sys_signal "$s" STOP
	n1=$(now_ns)
	sleep 0.2
	t1=$(tx_count "$s"); r1=$(rx_count "$s")
	pps=$(((r1 - r0) * 1000000000 / (n1 - n0)))
	info "dpdk $s round $2: rx $((r1 - r0)) tx $((t1 - t0)) in $(((n1 - n0) / 1000000)) ms"
	echo "R $s dpdk 0 $2 $pps $((r1 - r0)) $((r1 - r0))"
}

start vsw /dev/vhost-vsw dva dvb || die "vsw: testpmd did not start"
start br /dev/vhost-net dba dbb || die "bridge: testpmd did not start"
info "vsw backend after start: $(vswctl -j -s port show dvb | jq -c '.[0].backend')"
for s in vsw br; do measure "$s" 0 2; done
for r in $(seq 1 "$ROUNDS"); do
	for s in vsw br; do measure "$s" "$r" "$DPDK_SECONDS"; done
done
info "dpdk tx backend: $(vswctl -j -s port show dva | jq -c '.[0].backend')"
info "dpdk rx backend: $(vswctl -j -s port show dvb | jq -c '.[0].backend')"
info "dpdk done at guest uptime $(cut -d' ' -f1 /proc/uptime)"
