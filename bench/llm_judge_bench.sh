#!/usr/bin/env bash
# `llm judge` of ITEMS items × MODELS models × 1 run at concurrency 16 against the local fake
# server (tests/llm/fake-llm-server, a separate process, so its CPU is not counted): wall
# time, requests/s, the app's CPU (user+sys) per request and its peak RSS.
# Usage: bench/llm_judge_bench.sh [ITEMS=2046] [MODELS=5]     (RUNS=3 by default; medians)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_build
items="${1:-2046}"
models="${2:-5}"
runs="${RUNS:-3}"
server_bin="$build/tests/llm/fake-llm-server"
[ -x "$server_bin" ] || { echo "build fake-llm-server first" >&2; exit 1; }
work="$(mktemp -d)"
export XDG_CONFIG_HOME="$work/config" # the bench's endpoint profile, not yours
"$server_bin" --seconds 1800 > "$work/url" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
url="$(head -1 "$work/url")"
"$gen" --out "$work/data" --items "$items" --models "$models" --runs 1 --no-ratings --seed 1 2>/dev/null
"$app" endpoint add bench --url "$url" --model judge --concurrency 16 >/dev/null
requests=$((items * models))
walls=(); cpus=(); kbs=()
for ((i = 0; i < runs; i++)); do
    rm -f "$work"/s.crisis*
    "$app" init "$work/s.crisis" >/dev/null
    "$app" import "$work/s.crisis" "$work/data/items.jsonl" >/dev/null
    t=$(mktemp)
    /usr/bin/time -f "%e %U %S %M" -o "$t" "$app" llm judge "$work/s.crisis" --endpoint bench >/dev/null 2>&1
    read -r wall user sys kb < "$t"; rm -f "$t"
    done_n=$(sqlite3 "$work/s.crisis" "SELECT count(*) FROM response_rating")
    [ "$done_n" = "$requests" ] || { echo "judge stored $done_n of $requests ratings" >&2; exit 1; }
    walls+=("$wall"); cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')"); kbs+=("$kb")
done
mw=$(median "${walls[@]}"); mc=$(median "${cpus[@]}"); mk=$(median "${kbs[@]}")
awk -v n="$requests" -v r="$runs" -v mw="$mw" -v mc="$mc" -v mk="$mk" -v all="${walls[*]}" 'BEGIN {
    printf "requests %d (concurrency 16)  runs %d\n", n, r
    printf "llm judge: median %.2f s  (%s)  %.0f requests/s\n", mw, all, n / mw
    printf "app CPU: %.2f s = %.3f ms per request  peak RSS %.0f MB\n", mc, mc * 1000 / n, mk / 1024 }'
