#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang-14 + ASan/UBSan, in build-fuzz/) and runs all
# of them at the same time, each as one niced process, for SECONDS of wall-clock time.
# Usage: bench/fuzz.sh SECONDS [TARGET...]     (default: every target; see docs/RELIABILITY.md)
#   FUZZ_BUILD=DIR   build folder (default: build-fuzz beside this script's parent)
# Each target works in $FUZZ_BUILD/fuzz-work/TARGET: corpus/ (seeded from fuzz/corpus/TARGET,
# grown by the fuzzer), artifacts/ (crash-*, leak-*, timeout-* inputs), run-N.log per run.
# A run that stops on a finding is restarted until the time is up. At the end each target's
# wall time, executions (libFuzzer's final stats, summed over runs), corpus size and
# findings are printed, one line per target.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:?usage: bench/fuzz.sh SECONDS [TARGET...]}"
shift
targets=("$@")
((${#targets[@]})) || targets=(jsonl csv benchmark protocol bundle)
build="${FUZZ_BUILD:-$here/build-fuzz}"

for tool in clang-14 clang++-14; do
    command -v "$tool" >/dev/null || { echo "fuzz: needs $tool (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 1; }
done
if [ ! -f "$build/CMakeCache.txt" ]; then
    launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    CC=clang-14 CXX=clang++-14 cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCR_FUZZ=ON -DCR_BUILD_TESTS=OFF -DCR_BUILD_BENCH=OFF -DCR_WERROR=OFF "${launcher[@]}" >&2
fi
nice -n 19 cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}" >&2

run_target() {
    local t="$1" work="$build/fuzz-work/$1"
    mkdir -p "$work/corpus" "$work/artifacts"
    cp -n "$here/fuzz/corpus/$t"/* "$work/corpus/" 2>/dev/null || true
    local start=$SECONDS n=0
    while ((SECONDS - start < seconds)); do
        local left=$((seconds - (SECONDS - start)))
        ((left >= 5)) || break
        n=$((n + 1))
        # -jobs=1: one fuzzing process (its output goes to fuzz-0.log in the working folder).
        (cd "$work" && nice -n 19 "$build/fuzz/fuzz_$t" -jobs=1 -max_total_time="$left" \
            -print_final_stats=1 -timeout=30 -rss_limit_mb=2560 -max_len=65536 \
            -artifact_prefix="$work/artifacts/" "$work/corpus" >/dev/null 2>&1) || true
        mv "$work/fuzz-0.log" "$work/run-$n.log" 2>/dev/null || true
    done
    local execs=0 e
    for log in "$work"/run-*.log; do
        [ -f "$log" ] || continue
        e=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
        execs=$((execs + ${e:-0}))
    done
    printf '%s: wall %d s, %d run(s), %d executions, corpus %d files, findings %d (%s)\n' \
        "$t" $((SECONDS - start)) "$n" "$execs" "$(ls "$work/corpus" | wc -l)" \
        "$(ls "$work/artifacts" | wc -l)" "$work/artifacts"
}

for t in "${targets[@]}"; do
    run_target "$t" >"$build/fuzz-work-$t.summary" &
done
wait
for t in "${targets[@]}"; do cat "$build/fuzz-work-$t.summary"; done
