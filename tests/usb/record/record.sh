#!/bin/bash
# Record a sysfs USB tree from a real Debian kernel booted under qemu (software emulation).
#   record.sh LAYOUT [OUT]    LAYOUT names layouts/LAYOUT.args; OUT defaults to tests/data/sysfs/LAYOUT
# Needs: qemu-system-x86, busybox-static, cpio, kmod, apt-get (see README.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
layout=$1
out=${2:-$here/../../data/sysfs/$layout}
work=${RECORD_WORK:-${TMPDIR:-/tmp}/usb-sysfs-record}
kernel_pkg=${KERNEL_PKG:-$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')}
mkdir -p "$work"
cd "$work"

if [ ! -d kpkg ]; then
    apt-get download "$kernel_pkg"
    dpkg-deb -x "$kernel_pkg"_*.deb kpkg
fi
kver=$(ls kpkg/lib/modules)

if [ ! -f initramfs.cpio.gz ]; then
    rm -rf root && mkdir -p root/bin root/lib/modules/"$kver"/kernel
    cp "$(command -v busybox)" root/bin/busybox
    src=kpkg/lib/modules/$kver/kernel
    for part in drivers/usb drivers/hid drivers/scsi drivers/input drivers/net/usb drivers/net/mii.ko \
                sound/core sound/usb sound/soundcore.ko lib; do
        [ -e "$src/$part" ] || continue
        mkdir -p "root/lib/modules/$kver/kernel/$(dirname "$part")"
        cp -r "$src/$part" "root/lib/modules/$kver/kernel/$part"
    done
    depmod -b root "$kver"
    cp "$here/init.sh" root/init && chmod +x root/init
    (cd root && find . | cpio -o -H newc --quiet | gzip -1) > initramfs.cpio.gz
fi

truncate -s 16M disk.img
mtp=$work/mtp && mkdir -p "$mtp" && echo recorded > "$mtp/readme.txt"
args=()
while read -r line; do
    case $line in ''|'#'*) continue ;; esac
    line=${line//@WORK@/$work}
    read -r -a words <<< "$line"
    args+=("${words[@]}")
done < "$here/layouts/$layout.args"

rm -f console.log
timeout 900 qemu-system-x86_64 -accel tcg -m 768 -smp 1 -no-reboot -display none -monitor none \
    -serial file:console.log -kernel kpkg/boot/vmlinuz-"$kver" -initrd initramfs.cpio.gz \
    -append "console=ttyS0 panic=-1 quiet loglevel=1" "${args[@]}"

grep -q '^@@DONE' console.log || { echo "no complete dump in $work/console.log" >&2; exit 1; }
python3 "$here/rebuild.py" console.log "$out"
echo "recorded $(ls "$out/sys/bus/usb/devices" | wc -l) entries into $out"
