#!/usr/bin/env bash
# Set everything up, then build the sample brief from seeds/ into output/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/briefgen build seeds -o output
