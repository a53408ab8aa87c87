#!/usr/bin/env bash
# Draws the pictures of docs/maps.md from the bundled data with a built cakupan, at 100 dpi so the
# repository stays small (the tool's defaults are 300 dpi):
#
#   docs/pictures/make-pictures.sh [--build-dir DIR]
#
# The Jawa Timur village picture needs the national village layer (bench/village_layer.sh; set
# CAKUPAN_DESA_XZ when it is not beside the checkout) and is skipped without it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=$repo/build
while (($#)); do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "make-pictures.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[[ $build_dir = /* ]] || build_dir=$repo/$build_dir
cakupan=$build_dir/cakupan
[ -x "$cakupan" ] || { echo "make-pictures.sh: no $cakupan (build first)" >&2; exit 1; }
pictures=$repo/docs/pictures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Bangka Belitung: the run's coverage map of one variant on an A4 landscape page (Indonesian), and
# every variant as small multiples on shared classes (English).
"$cakupan" run "$repo/scenarios/babel-2025.toml" --out "$work/babel" --quiet --no-maps --no-charts --no-report --draws 200 >/dev/null
"$cakupan" map "$work/babel" --kind coverage --variant combined --page A4 --landscape --dpi 100 --out "$pictures/babel-coverage-a4.png" --force >/dev/null
"$cakupan" map "$work/babel" --kind coverage --lang en --dpi 100 --width 1100 --out "$pictures/babel-coverage-all.png" --force >/dev/null

# A statistics table mapped before any run: coverage of Bangka Belitung's villages, with the
# kecamatan drawn and named over them.
"$cakupan" map "$repo/geodata/boundaries/babel_19.gpkg" --layer desa --stats "$repo/geodata/statistics/babel_desa_2025-06.csv" \
  --field coverage --lang en --dpi 100 --width 1100 --out "$pictures/babel-villages-stats.png" --force >/dev/null

# A layer across 180°: squares over the lower 48 states and an Aleutian chain, one ring crossing
# 180° unsplit, in CONUS Albers (EPSG:5070); the arrow leans to true north at the map's centre.
python3 - "$work/across.geojson" <<'PY'
import json, sys
features = []
def square(x0, y0, size, code):
    xs = [x0, x0 + size, x0 + size, x0, x0]
    ring = [[x - 360 if x > 180 else x, y] for x, y in zip(xs, [y0, y0, y0 + size, y0 + size, y0])]
    features.append({"type": "Feature", "properties": {"code": code, "value": len(features)},
                     "geometry": {"type": "Polygon", "coordinates": [ring]}})
for x in range(-124, -68, 4):
    for y in range(26, 48, 4):
        square(x, y, 4, f"{len(features) + 1:03d}")
for x in (172, 175, 179, 183, 186):
    square(x, 51, 4, f"{len(features) + 1:03d}")
json.dump({"type": "FeatureCollection", "features": features}, open(sys.argv[1], "w"))
PY
"$cakupan" map "$work/across.geojson" --field value --crs EPSG:5070 --title "Across 180°, EPSG:5070" --lang en --dpi 100 \
  --width 1100 --out "$pictures/across-180-epsg5070.png" --force >/dev/null

# Charts: the tornado of the Bangka Belitung study, bars from the base value, readable labels.
"$cakupan" sensitivity "$repo/studies/babel-2025-tornado.toml" --out "$work/tornado" --quiet --lang en >/dev/null
cp "$work/tornado/tornado-coverage_end.png" "$pictures/tornado-coverage.png"

# Jawa Timur's 8,494 villages with their 38 kab/kota outlined and named (English).
. "$repo/bench/village_layer.sh"
if [ -f "$(village_layer_xz)" ]; then
  desa=$(village_layer "$work")
  ogr2ogr -f GPKG "$work/jatim.gpkg" "$desa" desa -where "kode LIKE '35.%'" -nln desa
  ogr2ogr -update "$work/jatim.gpkg" "$repo/geodata/boundaries/idn_kabkota.gpkg" kabkota -where "kode LIKE '35.%'" -nln kabkota
  python3 "$repo/bench/national_villages.py" "$work/jatim.gpkg" "$repo/geodata/statistics/jatim_kabkota_2023-12.csv" "$work/jatim.csv"
  sed -e "s#^boundaries = .*#boundaries = \"$work/jatim.gpkg\"#" -e 's#^layer = .*#layer = "desa"#' \
      -e "s#^statistics = .*#statistics = \"$work/jatim.csv\"#" -e '/^within = /d' -e '/^contiguity = /d' -e '/^snap = /d' \
      -e 's#^draws = .*#draws = 20#' "$repo/scenarios/jatim-2025.toml" > "$work/jatim-desa.toml"
  "$cakupan" run "$work/jatim-desa.toml" --out "$work/jatim" --quiet --no-charts --no-report --figure-format svg --lang en >/dev/null 2>&1
  "$cakupan" map "$work/jatim" --kind coverage --variant combined --lang en --dpi 100 --width 1100 \
    --out "$pictures/jatim-villages-coverage.png" --force >/dev/null
else
  echo "make-pictures.sh: no national village layer; jatim-villages-coverage.png left as it is" >&2
fi
ls -l "$pictures"/*.png
