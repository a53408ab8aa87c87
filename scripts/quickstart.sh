#!/usr/bin/env bash
# Sets up, builds and runs the main job on the bundled Kep. Bangka Belitung data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cakupan=build/cakupan
geo=geodata/boundaries/babel_19.gpkg
stats=geodata/statistics
out=${CAKUPAN_OUT:-out/babel}
mkdir -p "$out"

$cakupan info "$geo" --layer kabkota
echo
$cakupan validate --boundaries "$geo" --layer kabkota --stats "$stats/babel_kabkota_2025-06.csv"
echo
$cakupan validate --boundaries "$geo" --layer desa --stats "$stats/babel_desa_2025-06.csv"
echo
$cakupan adjacency "$geo" --layer kabkota --out "$out/babel-kabkota-queen.gal" --force
$cakupan adjacency "$geo" --layer desa --snap 100 --out "$out/babel-desa-queen.gal" --force
