#!/usr/bin/env bash
# Bundles hls.js (npm, pinned) into control-api's classes for the player pages and the dashboard:
# installed once into .tools/hlsjs, then its minified build copied to $1 (control-api's pom runs this in
# generate-resources, tests skipped or not: the player needs it). Never fetched by browsers from a CDN.
# Needs node and npm (from Debian when missing), like scripts/install-node-sdk.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=1.6.15
dir="$root/.tools/hlsjs"
target="${1:?usage: bundle-hlsjs.sh TARGET_DIR}"
if ! { [ -f "$dir/node_modules/hls.js/package.json" ] && grep -q "\"version\": \"$version\"" "$dir/node_modules/hls.js/package.json"; }; then
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
  npm install --prefix "$dir" "hls.js@$version" --ignore-scripts --no-audit --no-fund --silent
  echo "hls.js $version installed in $dir" >&2
fi
mkdir -p "$target"
cp "$dir/node_modules/hls.js/dist/hls.min.js" "$target/hls.min.js"
cp "$dir/node_modules/hls.js/LICENSE" "$target/hls.js.LICENSE"
