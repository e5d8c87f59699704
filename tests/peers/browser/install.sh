#!/usr/bin/env bash
# Installs what the browser tests need: playwright-core from npm (npm ci when needed) and
# Debian's Chromium (playwright's own browser download does not work here). Prints the
# Chromium path on the last line of stdout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# npm writes node_modules/.package-lock.json last, so it marks a finished install.
marker=node_modules/.package-lock.json
if [[ ! -f $marker || package-lock.json -nt $marker ]]; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
if ! command -v chromium >/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "Chromium is missing; install Debian's package: sudo apt-get install chromium" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >&2 \
    || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >&2; }
fi
command -v chromium
