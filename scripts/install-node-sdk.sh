#!/usr/bin/env bash
# Installs VideoDB's own Node SDK (npm videodb, pinned) into .tools/node-sdk for the end-to-end test
# that drives Vigil with it. Idempotent and quick when present; needs node and npm (from Debian when
# missing). --ignore-scripts: the package's install script fetches a screen-recorder binary the test
# does not use.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=0.2.0
dir="$root/.tools/node-sdk"
if [ -f "$dir/node_modules/videodb/package.json" ] && grep -q "\"version\": \"$version\"" "$dir/node_modules/videodb/package.json"; then
  exit 0
fi
missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
mkdir -p "$dir"
npm install --prefix "$dir" "videodb@$version" --ignore-scripts --no-audit --no-fund --silent
echo "VideoDB Node SDK $version installed in $dir" >&2
