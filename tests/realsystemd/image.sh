#!/usr/bin/env bash
# Build, once, the Debian 12 root that the real-systemd tests boot, and print its folder; with
# --disk WHEELS, also the qemu guest's disk image made from it, with a virtual environment under
# /opt/recall-agent holding the dependency wheels in WHEELS (pip under TCG is slow), and print its path.
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
key=$(printf '%s\n' 2 "$suite" "$packages" | sha256sum | cut -c1-12)
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
    # The qemu guest's test unit, pulled in with systemd.wants= on the kernel command line: it runs the
    # checks script from the second disk, which also takes the results, then powers the guest off.
    cat > "$root.new/etc/systemd/system/recall-agent-qemu-test.service" <<'UNIT'
[Unit]
Description=recall-agent checks from the test disk
After=multi-user.target

[Service]
Type=oneshot
ExecStartPre=/bin/mkdir -p /mnt/test
ExecStartPre=/bin/mount /dev/vdb /mnt/test
ExecStart=/bin/bash /mnt/test/checks.sh
ExecStopPost=/bin/sync
ExecStopPost=/usr/bin/systemctl --no-block poweroff
TimeoutStartSec=20min
UNIT
    cp -L "$root.new/vmlinuz" "$root.new/.vmlinuz" && cp -L "$root.new/initrd.img" "$root.new/.initrd.img"
    touch "$root.new/.complete"
    mv "$root.new" "$root"
    echo "built $root in $(( $(date +%s) - start )) s" >&2
  fi
fi
if [ "${1:-}" = --disk ]; then
  deps=${2:?--disk needs the folder of dependency wheels}
  disk=$cache/disk-$key-$(cd "$deps" && ls -- *.whl | sort | sha256sum | cut -c1-12).img
  if [ ! -e "$disk" ]; then
    exec 9>"$cache/.lock"
    flock 9
    if [ ! -e "$disk" ]; then
      start=$(date +%s)
      rm -f "$disk.new"
      stage=$cache/stage-$key
      rm -rf "$stage"
      cp -a "$root" "$stage"
      mkdir "$stage/tmp/wheels"
      cp "$deps"/*.whl "$stage/tmp/wheels/"
      chroot "$stage" sh -c 'python3 -m venv /opt/recall-agent &&
        /opt/recall-agent/bin/pip install -q --no-index /tmp/wheels/*.whl' >&2
      rm -rf "$stage/tmp/wheels"
      mkfs.ext4 -q -L root -d "$stage" "$disk.new" 3G >&2
      rm -rf "$stage"
      mv "$disk.new" "$disk"
      echo "built $disk in $(( $(date +%s) - start )) s" >&2
    fi
  fi
  echo "$disk"
else
  echo "$root"
fi
