# SPDX-License-Identifier: GPL-2.0
#
# vhost_nested_lib.sh - the nested guest of vhost_qemu.sh and
# vhost_libvirt.sh: a Debian 6.1 kernel and a busybox initramfs built at
# test time. Sourced after vsw_lib.sh, with NK (the nested kernel image)
# and NKVER (its release) set.

tap_add() { # NAME SWITCH
	ip tuntap add dev "$1" mode tap vnet_hdr &&
		__vsw_noipv6 "" "$1" &&
		ip link set "$1" master "$2" up
}

# mkinitramfs OUT: busybox + /init + virtio_pci/virtio_net (and deps) of NKVER
mkinitramfs() {
	local out=$1 w=$VSW_TMPD/initramfs n=0 path base dst
	rm -rf "$w"
	mkdir -p "$w"/{bin,dev,proc,sys,tmp,lib/nq} || return 1
	cp /bin/busybox "$w/bin/busybox" || return 1
	: >"$w/modules.list"
	while read -r path; do
		base=${path##*/}
		base=${base%.xz}; base=${base%.zst}; base=${base%.gz}
		dst=$(printf '%02d-%s' "$n" "$base")
		n=$((n + 1))
		case $path in
		*.ko.xz) xz -dc "$path" >"$w/lib/nq/$dst" ;;
		*.ko.zst) zstd -qdc "$path" >"$w/lib/nq/$dst" ;;
		*.ko.gz) gzip -dc "$path" >"$w/lib/nq/$dst" ;;
		*.ko) cp "$path" "$w/lib/nq/$dst" ;;
		*) return 1 ;;
		esac || return 1
		echo "$dst" >>"$w/modules.list"
	done < <(for m in virtio_pci virtio_net; do
		modprobe -S "$NKVER" --show-depends "$m" || echo "insmod FAILED-$m"
	done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }')
	grep -q virtio_net "$w/modules.list" || return 1
	cat >"$w/init" <<-'EOF'
		#!/bin/busybox sh
		/bin/busybox --install -s /bin
		export PATH=/bin
		mount -t proc proc /proc
		mount -t sysfs sysfs /sys
		mount -t devtmpfs devtmpfs /dev 2>/dev/null
		up() { cut -d' ' -f1 /proc/uptime; }
		echo "NQ: init at $(up)"
		while read -r m; do
			[ -n "$m" ] || continue
			insmod "/lib/nq/$m" || echo "NQ-FAIL: insmod $m"
		done </modules.list
		i=0
		until [ -e /sys/class/net/eth0 ]; do
			i=$((i + 1)); [ $i -lt 300 ] || { echo "NQ-FAIL: no eth0"; break; }
			sleep 0.1
		done
		ip link set lo up
		ip link set eth0 up
		ip addr add 192.0.2.2/24 dev eth0
		i=0
		until [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" = 1 ]; do
			i=$((i + 1)); [ $i -lt 300 ] || break
			sleep 0.1
		done
		echo "NQ: eth0 carrier=$(cat /sys/class/net/eth0/carrier 2>/dev/null) mac=$(cat /sys/class/net/eth0/address 2>/dev/null) at $(up)"
		echo "NQ-READY"
		ping -c 3 -W 10 192.0.2.1 >/tmp/ping.out 2>&1
		echo "NQ: ping rc=$? at $(up)"
		sed 's/^/NQ: /' /tmp/ping.out
		dmesg | grep -iE 'virtio|eth0' | sed 's/^/NQ-DMESG: /'
		echo "NQ-DONE"
		while :; do sleep 1000; done
	EOF
	chmod 755 "$w/init"
	mknod -m 600 "$w/dev/console" c 5 1 || return 1
	(cd "$w" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$out"
}

# mkvmlinux OUT: the nested kernel as an ELF vmlinux (QEMU boots it through
# its PVH entry): under nested TCG, the bzImage's own XZ decompression takes
# more than half of the guest's boot; xz on the outer level is ~10x faster.
# Falls back to the bzImage.
KBOOT=$NK
mkvmlinux() {
	local out=$1 off
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$NK" 2>/dev/null | head -n 1 | cut -d: -f1)
	[[ -n $off ]] || return 1
	tail -c +$((off + 1)) "$NK" | xz -dc --single-stream >"$out" 2>/dev/null
	[[ $(head -c 4 "$out" | od -An -tx1 | tr -d ' ') == 7f454c46 ]] || return 1
	readelf -n "$out" 2>/dev/null | grep -q 'Xen.*0x00000012' || return 1
	KBOOT=$out
}
