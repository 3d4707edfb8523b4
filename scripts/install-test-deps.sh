#!/usr/bin/env bash
# Installs the system packages the test suite uses, from Debian, when they are missing.
# Idempotent and quick when everything is present; needs root (CI runs as root) or sudo.
set -euo pipefail

packages=(kcat espeak-ng sox)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing test packages: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
