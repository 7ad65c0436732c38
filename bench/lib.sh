# Shared helpers for the benchmark scripts (sourced).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CR_BUILD_DIR:-$here/build}"
app="$build/app/crisis-review"
gen="$build/bench/generator/gen-study"
runs="${RUNS:-5}"

need_build() {
    [ -x "$app" ] && [ -x "$gen" ] || { echo "build first: scripts/setup.sh" >&2; exit 1; }
}

# time_cmd OUTVAR_SECONDS OUTVAR_KB -- command...   (wall seconds, peak RSS KiB)
time_cmd() {
    local __s=$1 __k=$2; shift 3
    local t; t=$(mktemp)
    /usr/bin/time -f "%e %M" -o "$t" "$@" >/dev/null 2>&1
    read -r "$__s" "$__k" < "$t"
    rm -f "$t"
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
