#!/usr/bin/env bash
# Set up (install + build) and open the app on a fresh copy of the embedded demo study.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$("$here/scripts/setup.sh")"
exec "$build/app/crisis-review" --demo "$@"
