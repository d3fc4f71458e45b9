#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsw-timeout: 600
#
# vsw_libvirt_conf.sh - libvirt makes the VM's tap (issue 16): a domain's
# <interface type='ethernet'> with <target dev='vm1-eth0'/> (no
# managed='no': libvirt creates the tap at start and deletes it at
# destroy), <script path='.../vsw-ifup'/> (libvirt runs it with the tap's
# name after creating the tap and before starting QEMU) and
# <backend vhost='/dev/vhost-vsw'/>. vsw-ifup (libvirt/vsw-ifup.in, as
# `make install` writes it) runs `vswctl apply -f FILE TAP`, FILE being a
# vsw.conf that names the tap: the tap is a port of sw0 in access VLAN 10
# before QEMU (and so the vhost backend) starts. Checks: the domain starts
# with vhost/vhostfd, the tap is placed, the nested guest boots and pings
# through sw0 with the vhost backend's counters moving; after virsh
# destroy the tap is gone; a second virsh create (VM restart) places the
# new tap again and the guest pings again.
#
# Manual, like vhost_libvirt.sh (its header says how to run it: libvirt
# installed on the host, build/enable-libvirt-test); skipped otherwise and
# on the debug kernel. The libvirtd set-up is vhost_libvirt.sh's.

# shellcheck disable=SC2317,SC2016 # functions called through check_*/wait_for; bash -c scripts
# shellcheck source=selftests/vsw_lib.sh
source "$(dirname "$0")/vsw_lib.sh"

vsw_init
# shellcheck source=selftests/libvirt_lib.sh
source "$(dirname "$0")/libvirt_lib.sh"
libvirt_need
ktap_plan 17

TAP=vm1-eth0
CONF=$VSW_TMPD/vsw.conf
IFUP=$VSW_TMPD/vsw-ifup
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
		      <target dev='$TAP'/>
		      <script path='$IFUP'/>
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
	vm_add VM p1 sw0 192.0.2.1/24 02:00:00:00:10:01 &&
		vswctl port set p1 mode access tag 10
}
defer ip link del "$TAP"
setup || { diag "topology setup failed"; exit "$KSFT_FAIL"; }
dump_on_fail sw0

cat >"$CONF" <<EOF
# the VM's tap, made by libvirt at each start
port add sw0 $TAP
port set $TAP mode access tag 10
EOF
sed -e "s|@SBINDIR@/vswctl|$(command -v "$VSWCTL")|" -e "s|@CONF@|$CONF|g" \
	-e "s|@LIBEXECDIR@|$VSW_TMPD|g" "$SRCDIR/libvirt/vsw-ifup.in" >"$IFUP" && chmod 0755 "$IFUP"
diag "vsw-ifup: $(grep '^exec' "$IFUP")"
check_true "tap $TAP does not exist before the domain starts" eval "! ip link show $TAP >/dev/null 2>&1"
check_cmd "initramfs for the nested $NKVER guest" mkinitramfs "$VSW_TMPD/nq.cpio"
mkvmlinux "$VSW_TMPD/vmlinux" || rm -f "$VSW_TMPD/vmlinux"

lv_diag() {
	diag "libvirtd output: $(tail -n 20 "$LV/libvirtd.out" 2>/dev/null)"
	diag "libvirtd log (tail): $(grep -v -e dnsmasq -e DBus -e 'system bus' -e dmidecode -e DMI "$LV/libvirtd.log" 2>/dev/null | tail -n 30)"
	diag "domain log (tail): $(tail -n 30 "$(qlog)" 2>/dev/null)"
	diag "guest console (tail): $(tr -d '\r' <"$CON" 2>/dev/null | grep -v '^$' | tail -n 40)"
	diag "dmesg | grep -i vsw: $(dmesg | grep -i vsw | tail -n 20)"
}

defer lv_cleanup
lv_prepare && bg lv lv_daemon
wait_for 120 lv_up
if lv_alive && "${VIRSH[@]}" version >/dev/null 2>&1; then
	ok "libvirtd starts and answers on qemu:///system"
else
	lv_diag
	fail "libvirtd starts and answers on qemu:///system"
fi
domxml >"$VSW_TMPD/dom.xml"

ready_or_dead() { grep -q "$1" "$CON" 2>/dev/null || ! qemu_alive; }
# ping_slow NS ADDR TRIES: a nested TCG guest answers in seconds, not ms
ping_slow() {
	local i
	for ((i = 0; i < $3; i++)); do
		ip netns exec "$1" ping -n -q -c 1 -W 5 "$2" >/dev/null 2>&1 && return 0
	done
	return 1
}
bk() { vswctl -j -s port show "$TAP" 2>/dev/null | jq -r ".[0].backend.$1 // \"none\"" 2>/dev/null || echo none; }
vhost_both_ways() { [[ $(bk kind) == vhost ]] && num_ge "$(bk tx_packets)" 1 && num_ge "$(bk rx_packets)" 1; }
has_vhost() { grep -qE 'vhost(=on|":true)' <<<"$1" && grep -qE 'vhostfd(=|":)' <<<"$1"; }

# run N: start the domain, check the tap's placement, boot, ping, backend
run() {
	local n=$1 nd t0
	: >"$CON"
	check_cmd "start $n: virsh create" "${VIRSH[@]}" create "$VSW_TMPD/dom.xml"
	nd=$(tr '\0' ' ' <"/proc/$(qpid || echo 0)/cmdline" 2>/dev/null | grep -oE -- '-netdev [^ ]*' | head -n 1)
	diag "start $n: QEMU netdev: $nd"
	check_true "start $n: QEMU has vhost on and a vhostfd" has_vhost "$nd"
	check_eq "start $n: $TAP placed by vsw-ifup: sw0, access 10" "sw0 access 10" \
		"$(pfield "$TAP" master) $(pfield "$TAP" mode) $(pfield "$TAP" tag)"
	t0=$SECONDS
	wait_for "$BOOT_SECS" ready_or_dead NQ-READY
	if ! qemu_alive || ! grep -q NQ-READY "$CON"; then
		lv_diag
		fail "start $n: guest boots and VM pings it through sw0" "no NQ-READY after $((SECONDS - t0))s"
	else
		check_true "start $n: guest boots ($((SECONDS - t0))s) and VM pings it through sw0" \
			ping_slow VM 192.0.2.2 12
	fi
	diag "start $n: backend $(vswctl -j -s port show "$TAP" | jq -c '.[0].backend' 2>/dev/null)"
	check_true "start $n: $TAP backend is vhost, frames both ways" vhost_both_ways
	check_cmd "start $n: virsh destroy" "${VIRSH[@]}" destroy "$DOM"
	wait_for 20 eval '! qemu_alive'
}

run 1
wait_for 10 eval "! ip link show $TAP >/dev/null 2>&1"
check_true "after virsh destroy: libvirt deleted $TAP" eval "! ip link show $TAP >/dev/null 2>&1"
run 2
dump_on_fail sw0

lvpid=${__vsw_bg[lv]:-}
bg_kill lv
check_true "libvirtd stopped" eval "[[ -n '$lvpid' ]] && ! kill -0 '$lvpid' 2>/dev/null"

ksft_finish
