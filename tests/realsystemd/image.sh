#!/usr/bin/env bash
# Build, once, the Debian 12 root that the real-systemd tests boot, and print its folder.
#
# The root lives in a cache outside the checkout, keyed by what goes into it, so that every later run
# reuses it: $RECALL_AGENT_TEST_CACHE (default /var/cache/recall-agent-tests)/root-KEY. It holds systemd,
# Python and a kernel: systemd-nspawn boots the folder itself; for qemu the kernel and initrd are copied
# out beside it and the folder is turned into an ext4 disk image (no mounting needed).
# Packages come from the host's own apt sources. Needs root, mmdebstrap and e2fsprogs.
set -euo pipefail

cache=${RECALL_AGENT_TEST_CACHE:-/var/cache/recall-agent-tests}
suite=bookworm
packages=systemd,systemd-sysv,dbus,dbus-user-session,libpam-systemd,python3,python3-venv,iproute2,procps,udev,kmod,usb.ids,linux-image-amd64,initramfs-tools
key=$(printf '%s\n' 1 "$suite" "$packages" | sha256sum | cut -c1-12)
root=$cache/root-$key

if [ ! -e "$root/.complete" ]; then
  mkdir -p "$cache"
  exec 9>"$cache/.lock"
  flock 9
  if [ ! -e "$root/.complete" ]; then
    rm -rf "$root" "$root.new"
    sources=()
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
      [ -f "$file" ] && sources+=("$file")
    done
    start=$(date +%s)
    mmdebstrap --quiet --variant=minbase --include="$packages" "$suite" "$root.new" "${sources[@]}" >&2
    # A fixed machine id keeps the journal in one folder; no host name of this machine goes in.
    echo recall-agent-test > "$root.new/etc/hostname"
    # The qemu guest mounts its root from the first disk and prints to the serial console.
    printf '/dev/vda / ext4 defaults 0 1\n' > "$root.new/etc/fstab"
    cp -L "$root.new/vmlinuz" "$root.new/.vmlinuz" && cp -L "$root.new/initrd.img" "$root.new/.initrd.img"
    touch "$root.new/.complete"
    mv "$root.new" "$root"
    echo "built $root in $(( $(date +%s) - start )) s" >&2
  fi
fi
echo "$root"
