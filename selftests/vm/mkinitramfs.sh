#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the tiny busybox initramfs used by selftests/vm/run.sh.
#
#   mkinitramfs.sh KVER OUT.cpio
#
# Contents: busybox-static, selftests/vm/init as /init, and - when the kernel
# KVER has /lib/modules/KVER - the modules needed to mount the 9p root
# (virtio_pci, 9pnet_virtio, 9p and their dependencies), decompressed, in
# dependency order (resolved by `modprobe -S KVER --show-depends`, i.e. from
# that kernel's modules.dep) and listed in /modules.list for /init to insmod.
# Modules that are built into KVER are skipped. A kernel without
# /lib/modules/KVER (the debug kernel) must have them built in.
set -euo pipefail

kver=$1
out=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
busybox=${VSW_BUSYBOX:-/bin/busybox}
needed=(virtio_pci 9pnet_virtio 9p)

die() { echo "mkinitramfs: ERROR: $*" >&2; exit 1; }

[[ -x $busybox ]] || die "$busybox missing (apt-get install busybox-static)"
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' ||
	ldd "$busybox" 2>&1 | grep -q 'not a dynamic' ||
	die "$busybox is not statically linked (need busybox-static)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,newroot,lib/vsw}
cp "$busybox" "$work/bin/busybox"
cp "$here/init" "$work/init"
chmod 755 "$work/init"
mknod -m 600 "$work/dev/console" c 5 1
: >"$work/modules.list"

if [[ -d /lib/modules/$kver ]]; then
	declare -A seen=()
	n=0
	for m in "${needed[@]}"; do
		deps=$(modprobe -S "$kver" --show-depends "$m") ||
			die "cannot resolve module $m for $kver"
		while read -r kind path _; do
			[[ $kind == insmod ]] || continue # "builtin NAME"
			[[ -n ${seen[$path]:-} ]] && continue
			seen[$path]=1
			base=$(basename "$path")
			base=${base%.xz}; base=${base%.zst}; base=${base%.gz}
			dst=$(printf '%02d-%s' "$n" "$base")
			n=$((n + 1))
			case $path in
			*.ko.xz) xz -dc "$path" >"$work/lib/vsw/$dst" ;;
			*.ko.zst) zstd -qdc "$path" >"$work/lib/vsw/$dst" ;;
			*.ko.gz) gzip -dc "$path" >"$work/lib/vsw/$dst" ;;
			*.ko) cp "$path" "$work/lib/vsw/$dst" ;;
			*) die "unexpected module path $path" ;;
			esac
			echo "$dst" >>"$work/modules.list"
		done <<<"$deps"
	done
fi

tmp=$out.tmp.$$
(cd "$work" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$tmp"
mv -f "$tmp" "$out"
