#!/usr/bin/env bash
# Makes the demo clip `vigil demo` plays on a loop: 20 s of OpenCV's pedestrian sample (Debian
# opencv-doc, examples/data/vtest.avi) with a voice (espeak-ng) saying "There is an intruder in the
# warehouse" at 4 s. The result is committed (standalone/src/main/resources/demo/warehouse.mp4, about
# 0.5 MB); run this only to remake it. Needs apt-get (for the download), ffmpeg, espeak-ng and sox.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/standalone/src/main/resources/demo/warehouse.mp4"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

apt-get download opencv-doc >/dev/null 2>&1 || { echo "apt-get download opencv-doc failed (run apt-get update?)" >&2; exit 1; }
dpkg -x opencv-doc_*.deb pkg
video=pkg/usr/share/doc/opencv-doc/examples/data/vtest.avi

# 16 kHz mono speech, padded to 4 s of silence before and to 20 s in all.
espeak-ng -v en-us -s 150 -w speech.wav "There is an intruder in the warehouse."
sox speech.wav -r 16000 -c 1 speech16.wav
sox -n -r 16000 -c 1 lead.wav trim 0 4
sox lead.wav speech16.wav voice.wav
sox voice.wav track.wav pad 0 "$(awk "BEGIN{print 20 - $(soxi -D voice.wav)}")"

# H.264 at 480x360, 10 fps, a key frame every second (the loop restarts cleanly); AAC mono 32 kb/s.
ffmpeg -hide_banner -loglevel error -y -t 20 -i "$video" -i track.wav \
  -vf scale=480:360 -r 10 -c:v libx264 -preset slow -crf 30 -g 10 -pix_fmt yuv420p -profile:v main \
  -c:a aac -b:a 32k -ac 1 -ar 16000 -shortest -movflags +faststart "$out"
ls -l "$out"
