#!/usr/bin/env bash
# Sets up, builds and runs the main job: the Kep. Bangka Belitung 2025 scenario on the bundled
# data, writing its run directory (summary, time series, regions GeoPackage) to out/babel-2025.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
out=${CAKUPAN_OUT:-out/babel-2025}
mkdir -p "$(dirname "$out")"
build/cakupan validate scenarios/babel-2025.toml
echo
# --force: this script owns out/babel-2025 and rewrites it on every run.
build/cakupan run scenarios/babel-2025.toml --out "$out" --force
