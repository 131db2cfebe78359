#!/usr/bin/env bash
# The one test command (README): installs what the tests need, then runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
# Browser tests drive Debian's Chromium (no browser download works here).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# tests/test_virtuoso.py pushes to and pulls from a real Virtuoso it starts (Debian's server binary).
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource-7-bin)
if ((${#missing[@]})); then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python3 -m pip install --quiet -e ".[test]"
python3 -m pytest "$@"
