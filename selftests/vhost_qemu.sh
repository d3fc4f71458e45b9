#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 1200
#
# vhost_qemu.sh - real QEMU on /dev/vhost-vsw: a nested guest's virtio-net
# rings fed straight into the switch.
#
#   nested guest eth0 (192.0.2.2) ~~ virtio-net-pci ~~ QEMU (vhost=on,
#     vhostfd=3 on /dev/vhost-vsw) ~~ tap0 (access 10) sw0 p1 (access 10, veth) -- eth0 VM (192.0.2.1)
#
# Inside the test VM, qemu-system-x86_64 -accel tcg boots the host's
# Debian 6.1 kernel with a busybox initramfs built here (virtio_pci,
# virtio_net and their dependencies insmod'ed by its /init). The guest sets
# up eth0, pings 192.0.2.1 and prints what it saw on its serial console.
# While QEMU runs, tap0 must show backend kind vhost with frames counted in
# both directions (the frames took the vhost-vsw path, not tun's read/write).
# After QEMU is killed, tap0 is still a port with its config, no backend.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
# A nested TCG boot takes 200-230 s on the distro kernels and several times
# that on the debug kernel, whose tests must fit make check's budget; the
# same ioctl sequence and data path run there in vhost_vsw.sh (vhost_guest).
[[ ${VSW_KERNEL:-} == debug ]] &&
	ksft_skip_all "nested QEMU boot too slow on the debug kernel (vhost_vsw.sh covers the path there)"
need_cmd qemu-system-x86_64 cpio
# The nested guest's kernel: the host's Debian 6.1 (whatever the test VM
# runs; uname -r may differ), with its own modules.
NK=$(find /boot -maxdepth 1 -name 'vmlinuz-6.1.*-amd64' 2>/dev/null | sort -V | tail -n 1)
[[ -n $NK && -r $NK ]] || ksft_skip_all "no /boot/vmlinuz-6.1.*-amd64 for the nested guest"
NKVER=${NK#/boot/vmlinuz-}
[[ -d /lib/modules/$NKVER/kernel ]] || ksft_skip_all "no /lib/modules/$NKVER for the nested guest"
[[ -x /bin/busybox ]] || ksft_skip_all "no /bin/busybox (busybox-static)"
ktap_plan 13

# Guest boot budget (TCG inside TCG): seconds until its /init is ready
BOOT_SECS=900
GMAC=02:00:00:00:10:02
CON=$VSW_TMPD/console.log
QERR=$VSW_TMPD/qemu.err

# shellcheck source=selftests/vhost_nested_lib.sh
source "$(dirname "$0")/vhost_nested_lib.sh"

# nested_qemu: the "KVM guest" (exec: bg_kill kills QEMU itself)
nested_qemu() {
	exec qemu-system-x86_64 -accel tcg -m 256 -smp 1 -nographic -no-reboot -nodefaults \
		-serial stdio -monitor none \
		-kernel "$KBOOT" -initrd "$VSW_TMPD/nq.cpio" \
		-append "console=ttyS0 panic=-1 quiet loglevel=4 acpi=off mitigations=off" \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no,vhost=on,vhostfd=3 \
		-device "virtio-net-pci,netdev=n0,mac=$GMAC,romfile=" \
		3<>/dev/vhost-vsw </dev/null >"$CON" 2>"$QERR"
}

setup() {
	vhost_load || return 1
	sw_add sw0 || return 1
	tap_add tap0 sw0 &&
		vswctl port set tap0 mode access tag 10 &&
		vm_add VM p1 sw0 192.0.2.1/24 02:00:00:00:10:01 &&
		vswctl port set p1 mode access tag 10
}
defer ip link del tap0 2>/dev/null
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }
dump_on_fail sw0

check_true "/dev/vhost-vsw is a character device" test -c /dev/vhost-vsw
check_cmd "initramfs for the nested $NKVER guest" mkinitramfs "$VSW_TMPD/nq.cpio"
t0=$SECONDS
mkvmlinux "$VSW_TMPD/vmlinux" || rm -f "$VSW_TMPD/vmlinux"
diag "nested kernel: $KBOOT (extracted in $((SECONDS - t0))s)"

qemu_alive() { [[ -n ${__vsw_bg[nq]:-} ]] && kill -0 "${__vsw_bg[nq]}" 2>/dev/null; }
# ready: the guest's /init got that far, or QEMU died
ready_or_dead() { grep -q "$1" "$CON" 2>/dev/null || ! qemu_alive; }
# show QEMU's stderr, the guest console and our kernel log (failure aid)
qemu_diag() {
	diag "QEMU stderr: $(cat "$QERR" 2>/dev/null)"
	diag "guest console (tail): $(tr -d '\r' <"$CON" 2>/dev/null | grep -v '^$' | tail -n 40)"
	diag "dmesg | grep -i vsw: $(dmesg | grep -i vsw | tail -n 20)"
}

t0=$SECONDS
bg nq nested_qemu
defer bg_kill nq
wait_for "$BOOT_SECS" ready_or_dead NQ-READY
boot=$((SECONDS - t0))
if qemu_alive && grep -q NQ-READY "$CON"; then
	ok "nested QEMU (vhost=on, /dev/vhost-vsw) boots its guest (${boot}s)"
else
	qemu_diag
	fail "nested QEMU (vhost=on, /dev/vhost-vsw) boots its guest" \
		"$(qemu_alive && echo "not ready after ${boot}s" || echo "QEMU exited after ${boot}s")"
fi
diag "nested boot: ${boot}s to the guest's NQ-READY ($(tr -d '\r' <"$CON" | grep -m1 'NQ: eth0' || true))"
check_eq "QEMU: no vhost error on stderr" "" "$(grep -i vhost "$QERR" 2>/dev/null)"
check_eq "nested guest: eth0 has link" 1 \
	"$(tr -d '\r' <"$CON" | sed -n 's/^NQ: eth0 carrier=\([0-9]*\).*/\1/p' | head -n 1)"

# ping_slow NS ADDR TRIES: a nested TCG guest answers in seconds, not ms
ping_slow() {
	local i
	for ((i = 0; i < $3; i++)); do
		ip netns exec "$1" ping -n -q -c 1 -W 5 "$2" >/dev/null 2>&1 && return 0
	done
	return 1
}
check_true "VM pings the nested guest through sw0 (192.0.2.2)" ping_slow VM 192.0.2.2 12
wait_for 120 ready_or_dead NQ-DONE
check_eq "nested guest pings VM (192.0.2.1)" "rc=0" \
	"$(tr -d '\r' <"$CON" | sed -n 's/^NQ: ping \(rc=[0-9]*\).*/\1/p' | head -n 1)"
check_eq "FDB: guest MAC learnt on tap0, VLAN 10" tap0 "$(fdb_port sw0 $GMAC 10)"

vswctl -j -s port show tap0 >"$VSW_TMPD/tap0.json" 2>&1
bk() { jq -r ".[0].backend.$1 // \"none\"" "$VSW_TMPD/tap0.json" 2>/dev/null || echo none; }
diag "tap0 backend while QEMU runs: $(jq -c '.[0].backend' "$VSW_TMPD/tap0.json" 2>/dev/null)"
check_eq "tap0: backend kind vhost while QEMU runs" vhost "$(bk kind)"
check_true "tap0: backend tx_packets > 0 (guest -> switch)" num_ge "$(bk tx_packets)" 1
check_true "tap0: backend rx_packets > 0 (switch -> guest)" num_ge "$(bk rx_packets)" 1
dump_on_fail sw0
[[ $__ktap_fail == 0 ]] || qemu_diag

# QEMU dies (SIGTERM, like a kill from a management layer)
bg_kill nq
check_eq "after QEMU quit: tap0 still a port of sw0, access 10" "sw0 access 10" \
	"$(pfield tap0 master) $(pfield tap0 mode) $(pfield tap0 tag)"
check_eq "after QEMU quit: no backend on tap0" none \
	"$(vswctl -j port show tap0 | jq -r '.[0].backend.kind // "none"')"
dump_on_fail sw0

ksft_finish
