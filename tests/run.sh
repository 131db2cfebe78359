#!/usr/bin/env bash
# The one test command (README): installs what the tests need, then runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet -e ".[test]"
python3 -m pytest "$@"
