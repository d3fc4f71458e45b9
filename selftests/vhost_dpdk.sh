#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 240
#
# vhost_dpdk.sh - DPDK virtio-user (vhost-kernel backend) on /dev/vhost-vsw.
#
#   testpmd txonly ~~ virtio_user ~~ /dev/vhost-vsw ~~ tapd0 (access 10) sw0 tapd1 (access 10) ~~ /dev/vhost-vsw ~~ virtio_user ~~ testpmd rxonly
#                                                                           tapd2 (access 20, plain tap)
#
# dpdk-testpmd's virtio_user vdev with path=/dev/vhost-vsw (a misc char
# device: DPDK picks its vhost-kernel backend) attaches to the persistent tap
# iface= (already a vsw port) and drives the vhost-net ioctls itself. The
# txonly instance's frames (unknown unicast, flooded in VLAN 10) must reach
# the rxonly instance through the vhost-vsw fast path, none may leak into
# VLAN 20. Skips without dpdk-testpmd (Debian: dpdk-dev) or without SSE4.2
# (DPDK's baseline; the harness VM needs VSW_QEMU_CPU=max).

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_cmd dpdk-testpmd
grep -qw sse4_2 /proc/cpuinfo ||
	ksft_skip_all "CPU has no SSE4.2, DPDK's baseline (run the VM with VSW_QEMU_CPU=max)"
ktap_plan 16

RUN_SECS=20
[[ ${VSW_KERNEL:-} == debug ]] && RUN_SECS=40

tap_add() { # NAME SWITCH
	ip tuntap add dev "$1" mode tap vnet_hdr &&
		__vsw_noipv6 "" "$1" &&
		ip link set "$1" master "$2" up
}

# testpmd NAME TAP MODE: dpdk-testpmd on TAP through /dev/vhost-vsw (exec:
# the pid bg records is testpmd's; SIGTERM makes it stop and print totals)
testpmd() {
	exec dpdk-testpmd --no-huge -m 256 --no-pci --lcores=0@0,1@0 \
		--file-prefix="vsw-$1" --vdev="virtio_user_$1,path=/dev/vhost-vsw,iface=$2,queues=1" \
		-- --forward-mode="$3" --stats-period 5 --nb-cores=1 --total-num-mbufs=2048 \
		</dev/null >"$VSW_TMPD/$1.log" 2>&1
}

# tp_stop NAME: SIGTERM, wait; testpmd's exit status in $tp_rc
tp_stop() {
	local pid=${__vsw_bg[$1]:-}
	tp_rc=none
	[[ -n $pid ]] || return 0
	kill -TERM "$pid" 2>/dev/null
	tp_rc=0
	wait "$pid" || tp_rc=$?
	unset "__vsw_bg[$1]"
}

# tp_total NAME RX|TX: packets in testpmd's final "Accumulated" totals
tp_total() {
	sed -n '/Accumulated forward statistics/,$p' "$VSW_TMPD/$1.log" |
		sed -n "s/.*$2-packets: *\([0-9]*\).*/\1/p" | head -n 1
}

backend() { # PORT KEY
	vswctl -j -s port show "$1" | jq -r ".[0].backend.$2 // \"none\"" 2>/dev/null || echo none
}
bound() { [[ $(backend "$1" kind) == vhost ]]; }

setup() {
	vhost_load || return 1
	sw_add sw0 || return 1
	tap_add tapd0 sw0 && tap_add tapd1 sw0 && tap_add tapd2 sw0 &&
		vswctl port set tapd0 mode access tag 10 &&
		vswctl port set tapd1 mode access tag 10 &&
		vswctl port set tapd2 mode access tag 20
}
defer ip link del tapd2 2>/dev/null
defer ip link del tapd1 2>/dev/null
defer ip link del tapd0 2>/dev/null
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }
dump_on_fail sw0

tp_diag() {
	local n
	for n in rx tx; do
		diag "testpmd $n (tail): $(tr -d '\033' <"$VSW_TMPD/$n.log" 2>/dev/null | grep -v '^\s*$' | tail -n 25)"
	done
	diag "dmesg | grep -i vsw: $(dmesg | grep -i vsw | tail -n 20)"
}

t0=$SECONDS
bg rx testpmd rx tapd1 rxonly
defer bg_kill rx
wait_for 120 bound tapd1
check_true "testpmd rxonly binds tapd1 (backend vhost, $((SECONDS - t0))s)" bound tapd1
t0=$SECONDS
bg tx testpmd tx tapd0 txonly
defer bg_kill tx
wait_for 120 bound tapd0
check_true "testpmd txonly binds tapd0 (backend vhost, $((SECONDS - t0))s)" bound tapd0
[[ $__ktap_fail == 0 ]] || tp_diag

sleep "$RUN_SECS"
for p in tapd0 tapd1 tapd2; do vswctl -j -s port show $p >"$VSW_TMPD/$p.json" 2>&1; done
pj() { jq -c -r ".[0]$2 // \"none\"" "$VSW_TMPD/$1.json" 2>/dev/null || echo none; }
diag "tapd0 backend: $(pj tapd0 .backend)"
diag "tapd1 backend: $(pj tapd1 .backend)"
check_true "tapd0: backend tx_packets > 1000 (testpmd -> switch)" num_ge "$(pj tapd0 .backend.tx_packets)" 1001
check_true "tapd0: the switch counted them (port rx_packets > 1000)" num_ge "$(pj tapd0 .stats.rx_packets)" 1001
check_true "tapd1: backend rx_packets > 1000 (switch -> testpmd)" num_ge "$(pj tapd1 .backend.rx_packets)" 1001
check_eq "tapd0: no ring errors" 0 "$(pj tapd0 .backend.ring_errors)"
check_eq "tapd1: no ring errors" 0 "$(pj tapd1 .backend.ring_errors)"
check_eq "tapd2 (VLAN 20): nothing leaked" 0 "$(pj tapd2 .stats.tx_packets)"

tp_stop tx
rc_tx=$tp_rc
tp_stop rx
rc_rx=$tp_rc
check_eq "testpmd txonly exits cleanly on SIGTERM" 0 "$rc_tx"
check_eq "testpmd rxonly exits cleanly on SIGTERM" 0 "$rc_rx"
tx=$(tp_total tx TX)
rx=$(tp_total rx RX)
diag "testpmd totals: txonly sent ${tx:-?}, rxonly received ${rx:-?} in ~${RUN_SECS}s"
check_true "testpmd txonly: TX-packets > 1000" num_ge "$tx" 1001
check_true "testpmd rxonly: RX-packets > 1000" num_ge "$rx" 1001
[[ $__ktap_fail == 0 ]] || tp_diag

check_eq "after testpmd quit: tapd0 no backend" none "$(backend tapd0 kind)"
check_eq "after testpmd quit: tapd1 no backend" none "$(backend tapd1 kind)"
check_eq "after testpmd quit: tapd0 still in sw0, access 10" "sw0 access 10" \
	"$(pfield tapd0 master) $(pfield tapd0 mode) $(pfield tapd0 tag)"
check_eq "after testpmd quit: tapd1 still in sw0, access 10" "sw0 access 10" \
	"$(pfield tapd1 master) $(pfield tapd1 mode) $(pfield tapd1 tag)"
dump_on_fail sw0

ksft_finish
