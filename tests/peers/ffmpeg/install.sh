#!/usr/bin/env bash
# Installs static ffmpeg and ffprobe builds from the npm registry (packages that hold
# the binaries themselves) and prints their paths on the last two lines of stdout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# npm writes node_modules/.package-lock.json last, so it marks a finished install.
marker=node_modules/.package-lock.json
if [[ ! -f $marker || package-lock.json -nt $marker ]]; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
echo "$PWD/node_modules/@ffmpeg-installer/linux-x64/ffmpeg"
echo "$PWD/node_modules/@ffprobe-installer/linux-x64/ffprobe"
