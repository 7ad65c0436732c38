#!/usr/bin/env bash
# Set up (install + build) and run the whole test suite (GUI tests run offscreen).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$("$here/scripts/setup.sh")"
cd "$build"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j2 "$@"
