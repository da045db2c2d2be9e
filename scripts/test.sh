#!/usr/bin/env bash
# Run every test of tlsgen, installing first what the end-to-end tests need (Debian packages and
# Python tools). Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(etcd-server etcd-client influxdb influxdb-client shellcheck openssl curl systemd util-linux)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python tools of the end-to-end tests: pre-commit (tests/lint_precommit.rs) and check-jsonschema
# (SARIF validation in tests/lint_formats.rs).
for tool in pre-commit check-jsonschema; do
  command -v "$tool" >/dev/null 2>&1 || pip install --quiet "$tool"
done

cargo test --locked --workspace --all-targets
