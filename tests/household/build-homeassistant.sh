#!/usr/bin/env bash
# Build (once) the Home Assistant the end-to-end tests run, in a venv of its own, cached by version outside
# the checkout. Home Assistant is installed with its own pins (the package_constraints.txt its wheel
# carries), and what it would otherwise install at run time is installed now, so the tests start it with
# --skip-pip and it never reaches for the network.
#   RECALL_AGENT_HA_VENV   where the venv lives (default /var/cache/recall-agent-tests/homeassistant-VERSION)
#   PYTHON                 the interpreter to build it with (default python3)
set -euo pipefail

version=2024.3.3
venv=${RECALL_AGENT_HA_VENV:-/var/cache/recall-agent-tests/homeassistant-$version}
python=${PYTHON:-python3}
marker=$venv/.recall-agent-complete
# Installed now instead of at run time; versions are the ones Home Assistant $version asks for.
runtime=(
  home-assistant-frontend==20240307.0 SQLAlchemy==2.0.27 fnv-hash-fast==0.5.0 psutil-home-assistant==0.0.1
  Pillow==10.2.0 janus==1.0.0 securetar==2024.2.1 paho-mqtt==1.6.1 PyTurboJPEG==1.7.1
)

[ -f "$marker" ] && exit 0
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9  # another test run may be building the same venv right now
[ -f "$marker" ] && exit 0

start=$(date +%s)
echo "Building Home Assistant $version for the tests in $venv (once; about a minute)"
rm -rf "$venv"
"$python" -m venv "$venv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pip=("$venv/bin/python" -m pip -q --disable-pip-version-check)
quiet() { "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }
quiet "${pip[@]}" install --upgrade pip wheel
quiet "${pip[@]}" download --no-deps --only-binary=:all: -d "$work" "homeassistant==$version"
"$venv/bin/python" - "$work" <<'PY'
import sys, zipfile, pathlib
work = pathlib.Path(sys.argv[1])
wheel = next(work.glob("homeassistant-*.whl"))
with zipfile.ZipFile(wheel) as archive:
    pins = archive.read("homeassistant/package_constraints.txt").decode()
lines = [line for line in pins.splitlines() if not line.lower().startswith("homeassistant")]
lines.append("josepy==1.14.0")  # josepy 2 removed what acme imports
(work / "constraints.txt").write_text("\n".join(lines) + "\n")
PY
quiet "${pip[@]}" install -c "$work/constraints.txt" "$work"/homeassistant-*.whl "${runtime[@]}"
"$venv/bin/hass" --version >/dev/null
touch "$marker"
echo "Home Assistant $version built in $(( $(date +%s) - start )) s"
