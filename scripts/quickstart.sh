#!/usr/bin/env bash
# Sets up, builds and runs the main job: the Kep. Bangka Belitung 2025 scenario on the bundled
# data, writing its run directory (summary, time series, regions GeoPackage) to out/babel-2025;
# then the least spend that reaches the target (plans/babel-2025-minimum.toml) to
# out/babel-2025-plan, and the run's report again with that answer as "Apa yang dibutuhkan".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
out=${CAKUPAN_OUT:-out/babel-2025}
mkdir -p "$(dirname "$out")"
build/cakupan validate scenarios/babel-2025.toml
echo
# --force: this script owns out/babel-2025 and rewrites it on every run.
build/cakupan run scenarios/babel-2025.toml --out "$out" --force
plan=${CAKUPAN_PLAN_OUT:-$out-plan}
echo
echo "planning the least spend for the target (plans/babel-2025-minimum.toml); the full answer goes to $plan/summary.txt"
build/cakupan plan plans/babel-2025-minimum.toml --out "$plan" --force >/dev/null
# The report now ends its findings with the plan's answer; the command prints that answer last.
build/cakupan report "$out" --plan "$plan" --force
