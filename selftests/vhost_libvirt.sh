#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 480
#
# vhost_libvirt.sh - libvirt on /dev/vhost-vsw: a libvirt domain's
# <interface type='ethernet'> with <backend vhost='/dev/vhost-vsw'/> gets
# the vsw fast path (libvirt opens the backend path instead of
# /dev/vhost-net and hands the fd to QEMU as vhostfd=).
#
#   nested guest eth0 (192.0.2.2) ~~ virtio-net-pci ~~ QEMU (started by
#     libvirtd, vhost=on, vhostfd on /dev/vhost-vsw) ~~ tap0 (access 10,
#     managed='no') sw0 p1 (access 10, veth) -- eth0 VM (192.0.2.1)
#
# A manual proof (libvirt is not in "make deps"): it is skipped unless
# enabled. On the host:
#   apt-get install -y --no-install-recommends libvirt-daemon-driver-qemu \
#           libvirt-daemon libvirt-clients
#   mkdir -p build && touch build/enable-libvirt-test
#   selftests/vm/run.sh -k deb61 selftests/vhost_libvirt.sh
#   rm build/enable-libvirt-test
# (selftests/vm/run.sh passes no environment into the guest, so the flag is
# the file build/enable-libvirt-test, seen read-only by the guest; outside
# the VM harness VSW_LIBVIRT=1 works too.) Skipped on the debug kernel
# (nested boots far too slowly there).
#
# libvirt opens vhost devices only for domain type='kvm' (for type='qemu',
# TCG, it silently gives QEMU a plain tap: qemuInterfaceOpenVhostNet()), so
# the test VM needs /dev/kvm: TCG emulates SVM for the harness's vCPU
# models (qemu64, the default, and max), kvm_amd loads and the nested guest
# runs under KVM inside TCG (it boots in ~20 s; TCG inside TCG takes
# ~200 s). Skipped without /dev/kvm.
#
# Inside the test VM (root fs read-only, /tmp and /run writable) libvirtd
# runs as root in a private mount namespace: an overlay on /var (upper in
# /tmp: /var/lib/libvirt, /var/cache/libvirt, /var/log/libvirt), our own
# /etc/libvirt (libvirtd.conf, qemu.conf: user/group root, no
# dynamic_ownership, security_driver "none", namespaces [], no cgroups,
# stdio_handler "file": no virtlogd) and an /etc/passwd, /etc/group with the
# libvirt-qemu user (libvirtd resolves its default user before reading
# qemu.conf). Its sockets are in /run/libvirt. "virsh create" starts a
# transient KVM domain booting the host's Debian 6.1 kernel (ELF vmlinux)
# with the busybox initramfs of vhost_qemu.sh; the guest's serial console
# is a file. Checks: QEMU's command line has vhost on and a vhostfd, tap0
# shows backend kind vhost with frames both ways, pings through sw0 both
# ways, and after "virsh destroy" tap0 is still a port (access 10) with no
# backend; libvirtd stops.

# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
# shellcheck source=selftests/libvirt_lib.sh
source "$(dirname "$0")/libvirt_lib.sh"
libvirt_need
ktap_plan 18

BOOT_SECS=300
GMAC=02:00:00:00:10:02
DOM=vswlv
CON=$VSW_TMPD/console.log
LV=$VSW_TMPD/libvirt
VIRSH=(virsh -q -c qemu:///system)
QPIDF=/run/libvirt/qemu/$DOM.pid

# shellcheck source=selftests/vhost_nested_lib.sh
source "$(dirname "$0")/vhost_nested_lib.sh"



domxml() {
	cat <<-EOF
		<domain type='kvm'>
		  <name>$DOM</name>
		  <memory unit='MiB'>256</memory>
		  <vcpu>1</vcpu>
		  <os>
		    <type arch='x86_64' machine='pc'>hvm</type>
		    <kernel>$KBOOT</kernel>
		    <initrd>$VSW_TMPD/nq.cpio</initrd>
		    <cmdline>console=ttyS0 panic=-1 quiet loglevel=4 acpi=off mitigations=off</cmdline>
		  </os>
		  <on_poweroff>destroy</on_poweroff>
		  <on_reboot>destroy</on_reboot>
		  <on_crash>destroy</on_crash>
		  <devices>
		    <emulator>/usr/bin/qemu-system-x86_64</emulator>
		    <interface type='ethernet'>
		      <target dev='tap0' managed='no'/>
		      <model type='virtio'/>
		      <driver name='vhost' queues='1'/>
		      <backend vhost='/dev/vhost-vsw'/>
		      <mac address='$GMAC'/>
		      <rom enabled='no'/>
		    </interface>
		    <serial type='file'>
		      <source path='$CON'/>
		      <target port='0'/>
		    </serial>
		    <controller type='usb' model='none'/>
		    <memballoon model='none'/>
		  </devices>
		</domain>
	EOF
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

lv_diag() {
	diag "libvirtd output: $(tail -n 20 "$LV/libvirtd.out" 2>/dev/null)"
	diag "libvirtd log (tail): $(grep -v -e dnsmasq -e DBus -e 'system bus' -e dmidecode -e DMI "$LV/libvirtd.log" 2>/dev/null | tail -n 30)"
	diag "domain log (tail): $(tail -n 30 "$(qlog)" 2>/dev/null)"
	diag "guest console (tail): $(tr -d '\r' <"$CON" 2>/dev/null | grep -v '^$' | tail -n 40)"
	diag "dmesg | grep -i vsw: $(dmesg | grep -i vsw | tail -n 20)"
}

defer lv_cleanup
t0=$SECONDS
lv_prepare && bg lv lv_daemon
wait_for 120 lv_up
if lv_alive && "${VIRSH[@]}" version >/dev/null 2>&1; then
	ok "libvirtd starts and answers on qemu:///system ($((SECONDS - t0))s)"
else
	lv_diag
	fail "libvirtd starts and answers on qemu:///system"
fi

domxml >"$VSW_TMPD/dom.xml"
t0=$SECONDS
check_cmd "virsh create: the domain starts" "${VIRSH[@]}" create "$VSW_TMPD/dom.xml"
diag "virsh create took $((SECONDS - t0))s (QEMU capabilities probe included)"
QPID=$(qpid)
tr '\0' ' ' <"/proc/${QPID:-0}/cmdline" >"$VSW_TMPD/qemu.cmdline" 2>/dev/null
nd=$(grep -oE -- '-netdev [^ ]*' "$VSW_TMPD/qemu.cmdline" | head -n 1)
diag "QEMU (pid ${QPID:-none}) netdev: $nd"
diag "QEMU NIC: $(grep -oE -- '-device [^ ]*virtio-net[^ ]*' "$VSW_TMPD/qemu.cmdline" | head -n 1)"
check_true "QEMU command line: vhost on" grep -qE 'vhost(=on|":true)' <<<"$nd"
check_true "QEMU command line: vhostfd" grep -qE 'vhostfd(=|":)' <<<"$nd"

t0=$SECONDS
ready_or_dead() { grep -q "$1" "$CON" 2>/dev/null || ! qemu_alive; }
wait_for "$BOOT_SECS" ready_or_dead NQ-READY
boot=$((SECONDS - t0))
if qemu_alive && grep -q NQ-READY "$CON"; then
	ok "libvirt domain (vhost /dev/vhost-vsw) boots its guest (${boot}s)"
else
	lv_diag
	fail "libvirt domain (vhost /dev/vhost-vsw) boots its guest" \
		"$(qemu_alive && echo "not ready after ${boot}s" || echo "QEMU exited after ${boot}s")"
fi
diag "nested boot: ${boot}s to the guest's NQ-READY ($(tr -d '\r' <"$CON" | grep -m1 'NQ: eth0' || true))"
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
diag "tap0 backend while the domain runs: $(jq -c '.[0].backend' "$VSW_TMPD/tap0.json" 2>/dev/null)"
check_eq "tap0: backend kind vhost while the domain runs" vhost "$(bk kind)"
check_true "tap0: backend tx_packets > 0 (guest -> switch)" num_ge "$(bk tx_packets)" 1
check_true "tap0: backend rx_packets > 0 (switch -> guest)" num_ge "$(bk rx_packets)" 1
dump_on_fail sw0
[[ $__ktap_fail == 0 ]] || lv_diag

check_cmd "virsh destroy" "${VIRSH[@]}" destroy "$DOM"
wait_for 20 eval '! qemu_alive'
check_eq "after virsh destroy: tap0 still a port of sw0, access 10" "sw0 access 10" \
	"$(pfield tap0 master) $(pfield tap0 mode) $(pfield tap0 tag)"
check_eq "after virsh destroy: no backend on tap0" none \
	"$(vswctl -j port show tap0 | jq -r '.[0].backend.kind // "none"')"
dump_on_fail sw0

lvpid=${__vsw_bg[lv]:-}
bg_kill lv
check_true "libvirtd stopped" eval "[[ -n '$lvpid' ]] && ! kill -0 '$lvpid' 2>/dev/null"

ksft_finish
