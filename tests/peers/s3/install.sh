#!/usr/bin/env bash
# Installs the S3 peer (moto's S3-compatible server, from PyPI) into a virtual
# environment here, and prints the path of its Python on the last line of stdout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

marker=.venv/installed
if [[ ! -f $marker || requirements.txt -nt $marker ]]; then
  rm -rf .venv
  python3 -m venv .venv >&2
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt >&2
  touch "$marker"
fi
echo "$PWD/.venv/bin/python"
