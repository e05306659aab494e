#!/usr/bin/env bash
# Run every benchmark on a fresh machine: install the Debian packages they need (listed in
# benchmarks/system-packages.txt; only when run as root, with package scripts kept from starting any
# service), install recall-agent non-editable into .venv-bench, then print one table of figures.
# Arguments name benchmarks to run (see benchmarks/run.py); none runs them all.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
while read -r pkg _; do
  case "$pkg" in ''|'#'*) continue ;; esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || packages+=("$pkg")
done < benchmarks/system-packages.txt
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing benchmark peers: ${packages[*]}"
    # avahi-daemon must not start and announce this machine on its real network.
    policy=/usr/sbin/policy-rc.d
    created_policy=no
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=yes
    fi
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
      "${packages[@]}" >/dev/null
    [ "$created_policy" = yes ] && rm -f "$policy"
  else
    echo "warning: not root, so these are not installed: ${packages[*]} (the network benchmark will skip)" >&2
  fi
fi

# Measure the program as users run it: with its bytecode compiled and cached.
unset PYTHONDONTWRITEBYTECODE
python=${PYTHON:-python3}
[ -x .venv-bench/bin/python ] || "$python" -m venv .venv-bench
# Installed the way users install it, so start-up is measured without an editable-install hook.
.venv-bench/bin/python -m pip install -q --disable-pip-version-check .
.venv-bench/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps .
exec .venv-bench/bin/python benchmarks/run.py "$@"
