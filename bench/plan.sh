#!/usr/bin/env bash
# Time the acceptance plans (docs/performance.md, "Plans"): babel-2025-minimum (target: under 10 s)
# and jatim-2025-allocate (under 60 s) on 2 threads. Usage: bench/plan.sh [CAKUPAN]
set -euo pipefail
cli=${1:-build2/cakupan}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
uptime
for plan in babel-2025-minimum jatim-2025-allocate; do
    /usr/bin/time -f "$plan: %e s wall, %U s user, %S s sys, %M KB peak" \
        "$cli" plan "$here/plans/$plan.toml" --out "$work/$plan" --lang en --threads 2 >"$work/$plan.txt" 2>"$work/$plan.err" ||
        { cat "$work/$plan.err"; exit 1; }
    tail -1 "$work/$plan.err"
    grep -E "^outcome|evaluations" "$work/$plan.txt"
done
