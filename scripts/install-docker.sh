#!/usr/bin/env bash
# Makes a Docker daemon answer on this machine: installs Debian's docker.io (with mmdebstrap, which
# builds the base images, and docker-compose 1.29 for the Compose test) when missing, and starts dockerd
# in the background when nothing answers. Idempotent and quick when Docker already runs. Needs root or
# sudo for the installation and for starting the daemon.
#
# No systemd is assumed (CI containers have none): dockerd is started directly, its log goes to
# ${VIGIL_DOCKERD_LOG:-/var/log/vigil-dockerd.log}. Stop it with `kill $(cat /var/run/docker.pid)`.
set -euo pipefail

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

packages=(docker.io mmdebstrap docker-compose)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-docker: installing ${missing[*]} from Debian" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's client (/usr/bin/docker) matches its daemon; another client earlier on the PATH may be newer.
docker=/usr/bin/docker
if $docker info >/dev/null 2>&1; then
  exit 0
fi

log="${VIGIL_DOCKERD_LOG:-/var/log/vigil-dockerd.log}"
echo "install-docker: starting dockerd (log: $log)" >&2
# setsid: the daemon outlives the build that started it and is not part of its process group.
$sudo setsid dockerd >>"$log" 2>&1 < /dev/null &
for _ in $(seq 1 120); do
  if $docker info >/dev/null 2>&1; then
    echo "install-docker: dockerd ready ($($docker version --format '{{.Server.Version}}, API {{.Server.APIVersion}}'))" >&2
    exit 0
  fi
  sleep 0.5
done
echo "install-docker: dockerd did not answer within 60 s; its log ($log) ends with:" >&2
tail -n 30 "$log" >&2 || true
exit 1
