#!/usr/bin/env bash
# The one test command (README): installs what the tests need, then runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
    # Browser tests drive Debian's Chromium (no browser download works here).
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
python3 -m pip install --quiet -e ".[test]"
python3 -m pytest "$@"
