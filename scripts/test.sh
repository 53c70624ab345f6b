#!/usr/bin/env bash
# Set everything up, type-check briefgen with mypy, then run the test suite (extra arguments
# go to pytest). A type error fails the run before any test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! .venv/bin/mypy briefgen; then
  echo "test: mypy found type errors in briefgen (see above); fix them first" >&2
  exit 1
fi
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "test: no test ran; that is a failure" >&2
  exit 1
fi
exit "$status"
