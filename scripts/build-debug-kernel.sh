#!/bin/bash
# Build (or reuse from cache) the vsw debug kernel.
#
#   scripts/build-debug-kernel.sh            build if needed, print tree path
#   scripts/build-debug-kernel.sh --path     only print the cache path (no build)
#
# Source: /usr/src/linux-source-6.12.tar.xz (Debian package linux-source-6.12).
# Config: `make allnoconfig` + scripts/debug-kernel.config (KCONFIG_ALLCONFIG),
#         then olddefconfig; every =y / =value line of the fragment is
#         verified in the final .config (fail loudly otherwise).
# Cache:  $VSW_CACHE (default $HOME/.cache/vsw)/linux-6.12-<key>/ holds the full
#         built source tree (so M= module builds and scripts/checkpatch.pl work).
#         <key> = hash(fragment, \$recipe, tarball version/size/mtime).
#         The tree is complete when <tree>/.vsw-built exists.
# Env:    VSW_KERNEL_JOBS (default nproc), VSW_NICE (default 10).
set -euo pipefail
# The whole script is one block: bash parses it before running it, so
# editing or checking out this file while it runs is harmless.
{

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
frag=$here/debug-kernel.config
tarball=${VSW_LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
cache=${VSW_CACHE:-$HOME/.cache/vsw}
jobs=${VSW_KERNEL_JOBS:-$(nproc)}
nicelvl=${VSW_NICE:-10}

die() { echo "build-debug-kernel: ERROR: $*" >&2; exit 1; }
log() { echo "[debug-kernel] $*" >&2; }

[[ -r $tarball ]] || die "$tarball missing (apt-get install linux-source-6.12; try 'make deps')"
[[ -r $frag ]] || die "$frag missing"

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown)
# Bump when the build recipe below changes in a way that needs a rebuild.
recipe=1
key=$( { cat "$frag"; echo "recipe=$recipe $srcver"; stat -c '%s %Y' "$tarball"; } \
	| sha256sum | cut -c1-12)
tree=$cache/linux-6.12-$key

if [[ ${1:-} == --path ]]; then
	echo "$tree"
	exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock-$key"
if ! flock -n 9; then
	log "another build of $tree is running; waiting for it"
	flock 9
fi

if [[ -f $tree/.vsw-built && -f $tree/arch/x86/boot/bzImage ]]; then
	log "cached: $tree ($(cat "$tree/include/config/kernel.release"))"
	echo "$tree"
	exit 0
fi

t0=$SECONDS
rm -rf "$tree"
mkdir -p "$tree"
log "extracting $tarball ($srcver) into $tree"
tar -xf "$tarball" -C "$tree" --strip-components=1
log "extracted in $((SECONDS - t0))s"

mk() { make -C "$tree" ARCH=x86_64 "$@"; }

blog=$tree/build.log
{
	KCONFIG_ALLCONFIG=$frag mk allnoconfig
	mk olddefconfig
} >"$blog" 2>&1 || { tail -n 30 "$blog" >&2; die "configuring failed (log: $blog)"; }

# Verify the fragment really applied.
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		if ! grep -qxF -- "$line" "$tree/.config"; then
			sym=${line%%=*}
			have=$(grep -E "^(# )?${sym}[= ]" "$tree/.config" || echo "(absent)")
			echo "build-debug-kernel: wanted '$line', got '$have'" >&2
			bad=1
		fi ;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }; sym=${sym%% *}
		if grep -q "^$sym=" "$tree/.config"; then
			echo "build-debug-kernel: wanted '$line', got '$(grep "^$sym=" "$tree/.config")'" >&2
			bad=1
		fi ;;
	esac
done <"$frag"
[[ $bad == 0 ]] || die "config fragment did not apply (see above; .config: $tree/.config)"
log "config verified ($(grep -c '=y' "$tree/.config") options =y)"

t1=$SECONDS
log "building with -j$jobs, nice $nicelvl (log: $blog)"
nice -n "$nicelvl" make -C "$tree" ARCH=x86_64 -j"$jobs" all >>"$blog" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
	sleep 30
	kill -0 "$pid" 2>/dev/null || break
	log "  ... $((SECONDS - t1))s, $(find "$tree" -name '*.o' -newer "$tree/.config" 2>/dev/null | wc -l) objects"
done
if ! wait "$pid"; then
	grep -E 'error|Error' "$blog" | tail -n 20 >&2 || true
	die "kernel build failed after $((SECONDS - t1))s (log: $blog)"
fi
[[ -f $tree/arch/x86/boot/bzImage ]] || die "no bzImage produced"
[[ -f $tree/Module.symvers ]] || die "no Module.symvers produced"
touch "$tree/.vsw-built"
log "built $(cat "$tree/include/config/kernel.release") in $((SECONDS - t1))s (total $((SECONDS - t0))s)"
echo "$tree"
exit
}
