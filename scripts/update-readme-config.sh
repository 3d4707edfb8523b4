#!/usr/bin/env bash
# Regenerates README.md's configuration table (between the config:start/end markers) from the code,
# with `vigil config`; ReadmeConfigReferenceTest fails until this has been run after a settings change.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
table="$(mktemp)"
trap 'rm -f "$table"' EXIT
"$root/vigil" config > "$table"
python3 - "$root/README.md" "$table" <<'PY'
import sys
readme, table = open(sys.argv[1]).read(), open(sys.argv[2]).read()
start = readme.index('\n', readme.index('<!-- config:start')) + 1
end = readme.index('<!-- config:end -->')
open(sys.argv[1], 'w').write(readme[:start] + table + readme[end:])
PY
