# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/libvirt_lib.sh - a private libvirtd for the manual libvirt tests
# (vhost_libvirt.sh, vsw_libvirt_conf.sh): its config and state under $LV,
# in its own mount namespace, and its cleanup. The test sets LV, DOM,
# VIRSH and QPIDF before calling these, and sources vsw_lib.sh (bg_kill).

# libvirt_need: skip the test unless it was asked for and can run here;
# sets SRCDIR, NK (the nested guest's kernel) and NKVER
libvirt_need() {
	SRCDIR=${VSW_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
	[[ ${VSW_LIBVIRT:-0} == 1 || -e $SRCDIR/build/enable-libvirt-test ]] ||
		ksft_skip_all "manual test: touch build/enable-libvirt-test (or VSW_LIBVIRT=1) to run it"
	[[ ${VSW_KERNEL:-} == debug ]] && ksft_skip_all "nested TCG boot under the debug kernel is too slow"
	need_cmd virsh libvirtd qemu-system-x86_64 cpio unshare
	NK=$(find /boot -maxdepth 1 -name 'vmlinuz-6.1.*-amd64' 2>/dev/null | sort -V | tail -n 1)
	[[ -n $NK && -r $NK ]] || ksft_skip_all "no /boot/vmlinuz-6.1.*-amd64 for the nested guest"
	NKVER=${NK#/boot/vmlinuz-}
	[[ -d /lib/modules/$NKVER/kernel ]] || ksft_skip_all "no /lib/modules/$NKVER for the nested guest"
	[[ -x /bin/busybox ]] || ksft_skip_all "no /bin/busybox (busybox-static)"
	[[ -d /etc/libvirt ]] || ksft_skip_all "no /etc/libvirt"
	[[ -e /dev/kvm ]] || modprobe -q kvm_amd 2>/dev/null || modprobe -q kvm_intel 2>/dev/null
	[[ -c /dev/kvm ]] || ksft_skip_all "no /dev/kvm (kvm_amd/kvm_intel): libvirt uses vhost only for type='kvm' domains"
}

# lv_prepare: libvirtd's private config and state dirs under $LV
lv_prepare() {
	mkdir -p "$LV"/etc "$LV"/var/u "$LV"/var/w /run/libvirt || return 1
	cat >"$LV/etc/libvirtd.conf" <<-EOF
		auth_unix_rw = "none"
		auth_unix_ro = "none"
		unix_sock_rw_perms = "0700"
		log_outputs = "3:file:$LV/libvirtd.log"
	EOF
	cat >"$LV/etc/qemu.conf" <<-'EOF'
		user = "root"
		group = "root"
		dynamic_ownership = 0
		remember_owner = 0
		security_driver = "none"
		namespaces = [ ]
		cgroup_controllers = [ ]
		stdio_handler = "file"
	EOF
	{ cat /etc/passwd; echo 'libvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin'; } >"$LV/passwd"
	{ cat /etc/group; echo 'libvirt-qemu:x:64055:'; echo 'kvm:x:64056:'; } >"$LV/group"
}

# lv_daemon: libvirtd in its own mount namespace (exec: bg_kill stops libvirtd)
lv_daemon() {
	exec unshare -m --propagation private bash -c '
		L=$1
		mount -t overlay overlay -o "lowerdir=/var,upperdir=$L/var/u,workdir=$L/var/w" /var &&
			mount --bind "$L/etc" /etc/libvirt &&
			mount --bind "$L/passwd" /etc/passwd &&
			mount --bind "$L/group" /etc/group || exit 1
		exec libvirtd -f /etc/libvirt/libvirtd.conf
	' lv "$LV" </dev/null >"$LV/libvirtd.out" 2>&1
}

lv_alive() { [[ -n ${__vsw_bg[lv]:-} ]] && kill -0 "${__vsw_bg[lv]}" 2>/dev/null; }
lv_up() { "${VIRSH[@]}" version >/dev/null 2>&1 || ! lv_alive; }
qpid() { cat "$QPIDF" 2>/dev/null; }
qemu_alive() { local p; p=$(qpid) && [[ -n $p ]] && kill -0 "$p" 2>/dev/null; }
# the domain's QEMU log (libvirt writes it in the overlay's upper /var)
qlog() { echo "$LV/var/u/log/libvirt/qemu/$DOM.log"; }

# lv_cleanup: domain gone (also if libvirtd is), libvirtd stopped, state removed
lv_cleanup() {
	local p
	"${VIRSH[@]}" destroy "$DOM" >/dev/null 2>&1
	p=$(qpid) && [[ -n $p ]] && kill "$p" 2>/dev/null
	bg_kill lv
	rm -rf /run/libvirt /run/libvirtd.pid
}
