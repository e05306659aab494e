#!/bin/bash
# Runs inside a qemu guest (TCG, no network) from its second disk, mounted at /mnt/test: installs
# recall-agent from its wheel there into the virtual environment under /opt, adds a system rule naming the USB ids of QEMU's emulated
# tablet, starts the system service, tells the host to hot-plug the tablet (a line on the second serial
# port) and checks that the running service finds it. Results go to /mnt/test/results/checks as in
# service-checks.sh.
set -u
test_disk=/mnt/test
mkdir -p "$test_disk/results"
out=$test_disk/results/checks
: > "$out"
venv=/opt/recall-agent
bin=$venv/bin/recall-agent
state=/var/lib/recall-agent
rule=qemu-tablet-test-recall

ok() { echo "ok $1" >> "$out"; sync; }
bad() { echo "not ok $1: $2" >> "$out"; sync; }
check() {
  local name=$1 said
  shift
  if said=$("$@" 2>&1); then ok "$name"; else bad "$name" "$(echo "$said" | tr '\n' ' ' | cut -c1-400)"; fi
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
elapsed() { echo "time $1 $(( $(now_ms) - $2 ))" >> "$out"; }
until_true() {
  local end=$(( $(date +%s) + $1 ))
  shift
  until "$@" > /dev/null 2>&1; do
    [ "$(date +%s)" -ge "$end" ] && return 1
    sleep 0.5
  done
}
tablet_present() { grep -l -s -x 0627 /sys/bus/usb/devices/*/idVendor | grep -q .; }

start=$(now_ms)
# The disk image carries a virtual environment with the dependencies (pip is slow under TCG); the
# project itself comes from the wheel built for this run.
"$venv/bin/pip" install -q --no-compile --no-deps --no-index "$test_disk"/wheels/recall_agent-*.whl \
  > "$test_disk/results/pip.log" 2>&1
check installed test -x "$bin"
elapsed pip_install "$start"

mkdir -p /etc/recall-agent/rules
cp "$test_disk/rule.toml" "/etc/recall-agent/rules/$rule.toml"
check no_tablet_before_plug sh -c '! grep -l -s -x 0627 /sys/bus/usb/devices/*/idVendor'
check rule_loaded sh -c "$bin rules show --system $rule > /dev/null"

# -v: the service says how it watches USB (kernel uevents or polling) in the journal.
mkdir -p /etc/systemd/system/recall-agent.service.d
printf '[Service]\nExecStart=\nExecStart=%s run --system -v\n' "$bin" \
  > /etc/systemd/system/recall-agent.service.d/verbose.conf
start=$(now_ms)
check install_system "$bin" service install --system
check ready until_true 120 test "$(systemctl show -P ActiveState recall-agent.service)" = active
check first_scan_done until_true 60 test -f "$state/findings.json"
elapsed ready "$start"
check nothing_found_before_plug sh -c "! grep -q '\"$rule\"' $state/findings.json"

echo plug > /dev/ttyS1
start=$(now_ms)
check tablet_plugged until_true 120 tablet_present
elapsed plug_seen_by_kernel "$start"
check service_finds_tablet until_true 120 grep -q "\"$rule\"" "$state/findings.json"
elapsed plug_to_finding "$start"
journalctl -u recall-agent.service -o cat > "$test_disk/results/service-journal.txt"
check finding_in_journal grep -q "$rule" "$test_disk/results/service-journal.txt"
check watched_by_uevents grep -q 'watching USB devices under /sys.* (netlink)' "$test_disk/results/service-journal.txt"
check tablet_in_inventory grep -q -i '0627' "$state/inventory.toml"
check service_still_up test "$(systemctl show -P NRestarts recall-agent.service)" = 0
check sandbox_kept sh -c "systemctl show -P PrivateDevices recall-agent.service | grep -q yes"
check no_errors sh -c "! grep -i -E 'permission denied|traceback|not watching' $test_disk/results/service-journal.txt"

journalctl -b -o short-monotonic > "$test_disk/results/journal.txt" 2>&1
echo done >> "$out"
sync
