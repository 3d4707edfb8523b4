#!/usr/bin/env bash
# Installs the system packages the test suite uses, from Debian, when they are missing.
# Idempotent and quick when everything is present; needs root (CI runs as root) or sudo.
set -euo pipefail

# chromium: the dashboard test (headless, over the DevTools protocol); kcat: the standalone test reads metadata with librdkafka; espeak-ng, sox: indexer speech fixtures;
# ffmpeg: ingest fixtures; GStreamer + python3-gi: the RTSP server of the ingest tests.
packages=(kcat chromium espeak-ng sox ffmpeg python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-tools)

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
