#!/usr/bin/env bash
# Sets up everything briefgen needs on Debian 12 (Python 3.11): the system
# libraries WeasyPrint and the PDF tests use, a virtual environment in .venv,
# and the package itself with its test tools. Safe to run again: it only
# installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root (or sudo) to install system packages: $*" >&2; exit 1; fi
}

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "setup: Python 3.11 or newer is required ($PYTHON is $("$PYTHON" --version 2>&1))" >&2; exit 1; }

# WeasyPrint needs Pango and HarfBuzz's subsetter; DejaVu covers Latin, Cyrillic and accents;
# poppler-utils (pdftotext, pdftoppm) lets the tests and editors look at the PDF; chromium and
# chromium-driver run `briefgen serve`'s pages in a real headless browser (tests/test_serve_browser.py).
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
  chromium chromium-driver)
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# Reinstall only when the dependencies changed (the stamp holds the hash of pyproject and of
# the extras installed: dev for the tests, dask for the cluster tests).
extras=dev,dask
stamp=.venv/.briefgen-installed
want=$( (cat pyproject.toml; echo "extras=$extras") | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[$extras]"
  echo "$want" > "$stamp"
fi
