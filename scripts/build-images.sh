#!/usr/bin/env bash
# Builds Vigil's container images without any registry: every byte comes from Debian's package
# archive and Maven Central.
#
#   vigil/jre:17          Debian bookworm (minbase) + openjdk-17-jre-headless, made by mmdebstrap
#   vigil/kafka:<kafka>   Apache Kafka (KRaft) from its jars on Maven Central (deploy/docker/kafka/),
#                         a drop-in for apache/kafka, also for Testcontainers' KafkaContainer
#   vigil:<version>       every Vigil service (deploy/docker/Dockerfile), on vigil/jre:17
#
# Usage: scripts/build-images.sh [jre] [kafka] [vigil]      (no argument: all three, in that order)
#
# The vigil image packs what `mvn package` left in standalone/target (vigil.jar and lib/): build
# that first (`mvn -B -DskipTests package`). Installs Docker and mmdebstrap and starts dockerd when
# needed (scripts/install-docker.sh). Fast when nothing changed: the JRE root file system is cached
# under $VIGIL_IMAGE_CACHE (default ~/.cache/vigil/images) and the images are rebuilt only when their
# inputs changed (Docker's layer cache).
#
# Environment: VIGIL_DEBIAN_MIRROR (default http://deb.debian.org/debian), VIGIL_DEBIAN_SECURITY_MIRROR
# (default http://deb.debian.org/debian-security), VIGIL_IMAGE_CACHE.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(jre kafka vigil)
for t in "${targets[@]}"; do
  case "$t" in jre|kafka|vigil) ;; *) echo "build-images: unknown image '$t' (jre, kafka, vigil)" >&2; exit 2 ;; esac
done

scripts/install-docker.sh
# Debian's client, matching its daemon (another docker earlier on the PATH may be newer and insist on buildx).
docker=/usr/bin/docker
# The classic builder: BuildKit in Docker 20.10 would fetch the Dockerfile frontend from Docker Hub.
export DOCKER_BUILDKIT=0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml" | head -1; }
suite=bookworm
jre_image=vigil/jre:17
kafka_version="$(pom_property kafka.version)"
kafka_image="vigil/kafka:$kafka_version"
vigil_version="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' deploy/helm/vigil/Chart.yaml)"
vigil_image="vigil:$vigil_version"
cache="${VIGIL_IMAGE_CACHE:-$HOME/.cache/vigil/images}"
mirror="${VIGIL_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${VIGIL_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

elapsed() { echo "$(( $(date +%s) - $1 )) s"; }
image_size() { $docker image inspect --format '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1000000 }'; }

# A fresh, empty build context holding only the given files (hard links where possible): the classic
# builder sends its whole context to the daemon, so never the repository itself.
context() {
  local dir="$root/target/docker-context/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  echo "$dir"
}
place() { # place SRC DEST_IN_CONTEXT
  mkdir -p "$(dirname "$2")"
  cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"
}

# How the JRE's root file system is made; its hash names the cached tarball and labels the image.
# minbase: only Essential packages and apt; documentation, manuals and translations are left out
# (copyrights stay); mmdebstrap drops apt's lists and package cache at the end.
# - merged-usr hook: /usr merged by symlinks as debootstrap does, instead of the usrmerge package
#   (which would pull in perl);
# - man1 created first: the JRE's post-installation script registers java's manual page there and
#   fails when the folder is missing (as it is when manuals are excluded);
# - the shared libraries JavaCPP's FFmpeg and OpenBLAS natives link against (deploy/docker/Dockerfile
#   installs them on a base without them), so building Vigil's image needs no network.
native_deps=libdrm2,libva2,libva-drm2,libxcb1,libxcb-shm0,libpulse0,libquadmath0,libgtk2.0-0
jre_recipe=(--variant=minbase --format=tar --include=openjdk-17-jre-headless,ca-certificates,$native_deps
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
  --setup-hook='mkdir -p "$1/usr/share/man/man1"'
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/share/info/*'
  --aptopt='Acquire::Retries "3"')
jre_sources=("deb $mirror $suite main" "deb $mirror $suite-updates main" "deb $security_mirror $suite-security main")

build_jre() {
  local key
  key="$(printf '%s\n' "$suite" "${jre_recipe[@]}" "${jre_sources[@]}" | sha256sum | cut -c1-16)"
  if [ "$($docker image inspect --format '{{index .Config.Labels "dev.vigil.base.key"}}' "$jre_image" 2>/dev/null)" = "$key" ]; then
    echo "build-images: $jre_image is up to date ($(image_size "$jre_image"))" >&2
    return
  fi
  local tarball="$cache/jre-$suite-$key.tar" started
  started=$(date +%s)
  if [ ! -f "$tarball" ]; then
    mkdir -p "$cache"
    local log="$cache/mmdebstrap.log"
    echo "build-images: mmdebstrap $suite with openjdk-17-jre-headless (a few minutes; log: $log)" >&2
    # The system PATH: mmdebstrap's filter is a python3 script, and a python3 shim earlier on the PATH
    # (pyenv) would run once per package, minutes in all.
    if ! $sudo env PATH=/usr/sbin:/usr/bin:/sbin:/bin mmdebstrap "${jre_recipe[@]}" "$suite" "$tarball.part" \
      "${jre_sources[@]}" >"$log" 2>&1; then
      echo "build-images: mmdebstrap failed; the end of $log:" >&2
      tail -n 30 "$log" >&2
      $sudo rm -rf "$tarball.part"
      exit 1
    fi
    $sudo chown "$(id -u):$(id -g)" "$tarball.part"
    mv "$tarball.part" "$tarball"
    # Older root file systems of this cache are of no use any more.
    find "$cache" -maxdepth 1 -name "jre-*.tar" ! -name "$(basename "$tarball")" -delete
  fi
  local java_home=/usr/lib/jvm/java-17-openjdk-amd64
  $docker import \
    --change "ENV JAVA_HOME=$java_home" \
    --change "ENV PATH=$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV LANG=C.UTF-8" \
    --change "LABEL dev.vigil.base.key=$key org.opencontainers.image.title=vigil-jre" \
    --change 'CMD ["bash"]' \
    "$tarball" "$jre_image" >/dev/null
  echo "build-images: $jre_image built in $(elapsed "$started") ($(image_size "$jre_image"))" >&2
}

build_kafka() {
  local started ctx
  started=$(date +%s)
  ctx="$(context kafka)"
  # The broker's runtime class path, resolved by Maven from Central (deploy/docker/kafka/pom.xml).
  mvn -B -q -ntp -f deploy/docker/kafka/pom.xml dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$ctx/libs"
  place deploy/docker/kafka/run "$ctx/run"
  place deploy/docker/kafka/logback.xml "$ctx/logback.xml"
  $docker build --quiet -f deploy/docker/kafka/Dockerfile --build-arg JRE_IMAGE="$jre_image" \
    --build-arg KAFKA_VERSION="$kafka_version" -t "$kafka_image" "$ctx" >/dev/null
  echo "build-images: $kafka_image built in $(elapsed "$started") ($(image_size "$kafka_image"))" >&2
}

build_vigil() {
  local started ctx
  started=$(date +%s)
  if [ ! -f standalone/target/vigil.jar ] || [ ! -d standalone/target/lib ]; then
    echo "build-images: standalone/target/vigil.jar and lib/ are missing: run \`mvn -B -DskipTests package\` first" >&2
    exit 1
  fi
  ctx="$(context vigil)"
  # Exactly the paths the Dockerfile copies (and Dockerfile.dockerignore keeps).
  place standalone/target/vigil.jar "$ctx/standalone/target/vigil.jar"
  place standalone/target/lib "$ctx/standalone/target/lib"
  $docker build --quiet -f deploy/docker/Dockerfile --build-arg JRE_IMAGE="$jre_image" \
    --build-arg VIGIL_VERSION="$vigil_version" -t "$vigil_image" "$ctx" >/dev/null
  echo "build-images: $vigil_image built in $(elapsed "$started") ($(image_size "$vigil_image"))" >&2
}

for t in "${targets[@]}"; do
  # The JRE is the base of the other two: make sure it is there even when only they were asked for.
  if [ "$t" != jre ] && ! $docker image inspect "$jre_image" >/dev/null 2>&1; then
    build_jre
  fi
  "build_$t"
done
