#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 300
#
# vhost_fuzz.sh - vhost ring fuzz (issue 13): `vhost_guest fuzz` posts
# random, seeded (reproducible) descriptor chains and rings to
# /dev/vhost-vsw, mixed with valid frames: bad addresses (outside the
# memory table, in a guard area right after it, crossing its end, wrapping
# 2^64), bad lengths, loops, random next indexes, indirect tables with
# random entries and lengths, heads out of range, avail indexes that run
# away, 16-bit index wrap-around, A's used ring over its avail ring or desc
# table, ring pages read-only or inaccessible, and random writable chains
# in B's RX ring. After each batch: no byte outside the table changed,
# the queue is set up again (every 8th batch RESET_OWNER) and an A <-> B
# transfer passes. At the end the ports' backend ring_errors equal the
# error eventfd signals the guests saw, and A's tx_packets + tx_dropped the
# TX chains the device took (VHOST_GET_VRING_BASE). On the debug kernel
# KASAN checks the kernel side.
#
# Knobs (environment, or the files build/vhost-fuzz-count and
# build/vhost-fuzz-seed, which reach the test VM through the read-only
# project dir): VSW_VHOST_FUZZ_COUNT (default 10000 chains),
# VSW_VHOST_FUZZ_SEED (default: from the clock; printed, so a failure can
# be replayed). A soak run: echo 1000000 >build/vhost-fuzz-count.
#
#   vhost_guest A ~~ ta (access 10) sw0 tb (access 10) ~~ vhost_guest B

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
need_vhost_guest
knob() { # NAME FILE DEFAULT
	local v=${!1:-}
	[[ -z $v && -s ${VSW_SRC:-.}/build/$2 ]] && v=$(<"${VSW_SRC:-.}/build/$2")
	echo "${v:-$3}"
}
count=$(knob VSW_VHOST_FUZZ_COUNT vhost-fuzz-count 10000)
seed=$(knob VSW_VHOST_FUZZ_SEED vhost-fuzz-seed "$(date +%s)")
ktap_plan 4

tap_add() { # NAME SWITCH
	ip tuntap add dev "$1" mode tap vnet_hdr &&
		__vsw_noipv6 "" "$1" &&
		ip link set "$1" master "$2" up &&
		vswctl port set "$1" mode access tag 10
}

defer ip link del tb 2>/dev/null
defer ip link del ta 2>/dev/null
vhost_load || { diag "modprobe vsw_vhost failed"; exit "$KSFT_FAIL"; }
if ! { sw_add sw0 && tap_add ta sw0 && tap_add tb sw0; }; then
	diag "topology setup failed"
	exit "$KSFT_FAIL"
fi

diag "vhost ring fuzz: seed $seed count $count (reproduce: VSW_VHOST_FUZZ_SEED=$seed VSW_VHOST_FUZZ_COUNT=$count)"
t0=$SECONDS
out=$(timeout 3600 "$VG" fuzz ta tb --seed "$seed" --count "$count" 2>&1); rc=$?
while read -r line; do diag "$line"; done <<<"$out"
diag "fuzz took $((SECONDS - t0)) s"
check_eq "fuzz: $count chains (seed $seed), every batch followed by a good transfer" 0 "$rc"
check_true "... it printed its figures" grep -q "^fuzz: ok (seed $seed: " <<<"$out"
# the device still works for a fresh pair of guests
check_cmd "xfer A <-> B after the fuzz" "$VG" xfer ta tb --count 500
check_cmd "the switch's ports still there" \
	bash -c "$VSWCTL port show ta >/dev/null && $VSWCTL port show tb >/dev/null"

ksft_finish
