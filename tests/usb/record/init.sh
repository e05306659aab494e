#!/bin/busybox sh
# /init of the recording initramfs: load the USB drivers, wait until enumeration settles,
# print every attribute file of every /sys/bus/usb/devices entry (base64) to the console, power off.
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
for m in xhci_pci ehci_pci uhci_hcd usbhid hid_generic usb_storage uas ftdi_sio \
         snd_usb_audio cdc_ether rndis_host cdc_acm; do
    modprobe "$m" 2>/dev/null || echo "@@NOTE modprobe $m failed"
done
last=-1; same=0; n=0
while [ "$n" -lt 240 ] && [ "$same" -lt 8 ]; do
    count=$(ls /sys/bus/usb/devices | wc -l)
    if [ "$count" = "$last" ]; then same=$((same + 1)); else same=0; last=$count; fi
    sleep 1; n=$((n + 1))
done
echo "@@BEGIN $(uname -r)"
for entry in /sys/bus/usb/devices/*; do
    real=$(readlink -f "$entry")
    echo "@@ENTRY ${entry##*/} $real"
    for f in "$real"/*; do
        [ -f "$f" ] || continue
        cat "$f" > /tmp/value 2>/dev/null || continue
        echo "@@ATTR ${f##*/}"
        base64 /tmp/value
    done
done
echo "@@DONE"
poweroff -f
