#!/usr/bin/env bash
# Run the whole test suite on a fresh machine: install the Debian packages the end-to-end tests talk to
# (listed in tests/system-packages.txt), install recall-agent non-editable into .venv-test with its test
# extras, then lint, type-check and test. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
if [ -f tests/system-packages.txt ]; then
  while read -r pkg _; do
    case "$pkg" in ''|'#'*) continue ;; esac
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || packages+=("$pkg")
  done < tests/system-packages.txt
fi
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing test peers: ${packages[*]}"
    # Keep package scripts from starting services (avahi-daemon would announce on the real network).
    policy=/usr/sbin/policy-rc.d
    created_policy=no
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=yes
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
    [ "$created_policy" = yes ] && rm -f "$policy"
  else
    echo "warning: not root, so these test peers are not installed: ${packages[*]}" >&2
  fi
fi

python=${PYTHON:-python3}
[ -x .venv-test/bin/python ] || "$python" -m venv .venv-test
.venv-test/bin/python -m pip install -q --disable-pip-version-check ".[test,dev,household]"
# Always test the tree as it is now, installed the way users install it (not editable).
.venv-test/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps .

# Home Assistant for the household tests: a venv of its own, built once and cached outside the checkout.
if [ "$(id -u)" = 0 ]; then
  bash tests/household/build-homeassistant.sh || echo "warning: the Home Assistant test venv could not be built" >&2
fi

.venv-test/bin/ruff check agent tests benchmarks
.venv-test/bin/ruff format --check agent tests benchmarks
.venv-test/bin/mypy
exec .venv-test/bin/pytest "$@"
