#!/bin/bash
# Runs inside a booted Debian 12 guest (systemd-nspawn) as its test unit: installs recall-agent from the
# wheels in /wheels into a virtual environment under /opt, installs the system units and checks how the
# service behaves under the real systemd. Each check writes "ok NAME" or "not ok NAME: why" to
# /results/checks; "time NAME SECONDS" lines record how long the steps took. Never stops at a failure.
set -u
out=/results/checks
: > "$out"
venv=/opt/recall-agent
bin=$venv/bin/recall-agent
state=/var/lib/recall-agent
rule=samsung-2016-galaxy-note7

ok() { echo "ok $1" >> "$out"; }
bad() { echo "not ok $1: $2" >> "$out"; }
check() { # check NAME COMMAND...: ok when the command succeeds, else its output
  local name=$1 said
  shift
  if said=$("$@" 2>&1); then ok "$name"; else bad "$name" "$(echo "$said" | tr '\n' ' ' | cut -c1-400)"; fi
}
elapsed() { echo "time $1 $(( $(date +%s%N) / 1000000 - $2 ))" >> "$out"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
until_true() { # until_true SECONDS COMMAND...: retry every half second
  local end=$(( $(date +%s) + $1 ))
  shift
  until "$@" > /dev/null 2>&1; do
    [ "$(date +%s)" -ge "$end" ] && return 1
    sleep 0.5
  done
}
prop() { systemctl show -P "$2" "$1"; }
all_owned() { # every file the service keeps belongs to it
  local strays
  strays=$(find "$state" ! -user recall-agent -printf '%u:%g %m %p\n')
  [ -z "$strays" ] || { echo "not the service user's: $strays"; return 1; }
}
no_denied() { ! journalctl -u recall-agent.service -o cat | grep -i -E 'permission denied|traceback'; }
findings_have() { grep -q "\"$1\"" "$state/findings.json"; }

start=$(now_ms)
python3 -m venv "$venv" && "$venv/bin/pip" install -q --no-index --find-links /wheels recall-agent > /results/pip.log 2>&1
check installed test -x "$bin"
elapsed pip_install "$start"

start=$(now_ms)
check install_system "$bin" service install --system
check ready until_true 60 test "$(prop recall-agent.service ActiveState)" = active
elapsed ready "$start"
check status_from_daemon until_true 30 sh -c "systemctl show -P StatusText recall-agent.service | grep -q 'last scan'"
pid=$(prop recall-agent.service MainPID)
sleep 8
check stays_up test "$(prop recall-agent.service MainPID)/$(prop recall-agent.service NRestarts)" = "$pid/0"
systemd-analyze security recall-agent.service --no-pager > /results/security.txt 2>&1
check security_score grep -q -E 'Overall exposure level for recall-agent.service: [01]\.[0-9]' /results/security.txt

check inventory_add "$bin" inventory add --system "Galaxy Note7" --brand Samsung --model SM-N930F --id note7
check finding_published until_true 40 findings_have "$rule"
check finding_in_journal until_true 20 sh -c "journalctl -u recall-agent.service -o cat | grep -q 'Galaxy Note7'"
check owned_after_inventory_add all_owned
check findings_public test "$(stat -c %a "$state/findings.json")" = 644

check ack "$bin" ack --system note7 "$rule" --as returned
check ack_seen_by_service until_true 40 sh -c "systemctl show -P StatusText recall-agent.service | grep -q '^0 findings'"
check owned_after_ack all_owned

check rules_import "$bin" rules import --system cpsc /data/cpsc-recall-7938.json
check owned_after_rules_import all_owned
check no_permission_errors no_denied
check service_still_up test "$(prop recall-agent.service MainPID)" = "$pid"

check install_scan "$bin" service install --scan
check scan_timer_enabled test "$(systemctl is-enabled recall-agent-scan.timer)" = enabled
check scan_timer_active test "$(systemctl is-active recall-agent-scan.timer)" = active
start=$(now_ms)
systemctl start recall-agent-scan.service
elapsed scan_unit "$start"
check scan_unit_succeeds test "$(prop recall-agent-scan.service Result)" = success
journalctl -u recall-agent-scan.service -o cat > /results/scan-journal.txt
check scan_unit_reads_everything sh -c "! grep -i -E 'permission denied|traceback|error' /results/scan-journal.txt"
check owned_after_scan_unit all_owned

check notifier_enabled test "$(systemctl --global is-enabled recall-agent-notifier.service)" = enabled
useradd --create-home tester
uid=$(id -u tester)
loginctl enable-linger tester
check user_manager until_true 30 test -S "/run/user/$uid/bus"
as_tester() { runuser -u tester -- env XDG_RUNTIME_DIR="/run/user/$uid" DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$uid/bus" "$@"; }
as_tester systemctl --user start recall-agent-notifier.service
sleep 5
check notifier_runs test "$(as_tester systemctl --user is-active recall-agent-notifier.service)" = active
journalctl _UID="$uid" -o cat > /results/notifier-journal.txt 2>&1
check notifier_reads_findings sh -c "! grep -i -E 'permission denied|traceback' /results/notifier-journal.txt"

mkdir -p /etc/systemd/system/recall-agent.service.d
printf '[Service]\nWatchdogSec=6\nRestartSec=1\n' > /etc/systemd/system/recall-agent.service.d/test-watchdog.conf
systemctl daemon-reload && systemctl restart recall-agent.service
until_true 60 test "$(prop recall-agent.service ActiveState)" = active
pid=$(prop recall-agent.service MainPID)
start=$(now_ms)
kill -STOP "$pid"
check watchdog_restarts until_true 60 sh -c "[ \"\$(systemctl show -P MainPID recall-agent.service)\" != $pid ] && [ \"\$(systemctl show -P ActiveState recall-agent.service)\" = active ]"
elapsed watchdog "$start"
check watchdog_in_journal sh -c "journalctl -u recall-agent.service -o cat | grep -q -i watchdog"
rm -r /etc/systemd/system/recall-agent.service.d

check uninstall_system "$bin" service uninstall --system
check uninstall_scan "$bin" service uninstall --scan
units="/etc/systemd/system/recall-agent.service /etc/systemd/system/recall-agent-scan.service
  /etc/systemd/system/recall-agent-scan.timer /etc/systemd/user/recall-agent-notifier.service"
check units_gone sh -c "! ls $(echo $units) 2>/dev/null | grep ."
check service_stopped sh -c "[ \"\$(systemctl is-active recall-agent.service)\" != active ]"
check state_kept test -f "$state/inventory.toml"

journalctl -b -o short-monotonic > /results/journal.txt 2>&1
echo done >> "$out"
