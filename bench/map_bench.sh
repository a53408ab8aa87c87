#!/usr/bin/env bash
# Map benchmark: the national village layer (83,403 polygons) to a 2000x2000 PNG with legend, by
# `cakupan map` and, in the same run, by GeoPandas + matplotlib (bench/map_geopandas.py) drawing the
# same picture. Prints machine facts, load and a markdown table (docs/performance.md, "Maps").
#
#   bench/map_bench.sh [--build-dir DIR] [--work-dir DIR] [--reps N] [--field F] [--no-baseline]
#
#   --build-dir  CMake build directory (default build-bench; configured Release if new)
#   --work-dir   where the layer is decompressed and maps go (default ${TMPDIR:-/tmp}/cakupan-bench-$UID)
#   --reps       runs of each command; the table shows the median (default 3)
#   --field      numeric field mapped (default lat: the layer's own numeric field)
#
# Environment: CAKUPAN_DESA_XZ (the compressed layer, default ../shared/data/boundaries/
# cahyadsn-wilayah_boundaries/idn_desa_simplified_0p002.gpkg.xz), CAKUPAN_BENCH_PYTHON (default
# python3 then /usr/bin/python3, the first that imports geopandas and matplotlib).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=build-bench
work_dir=${TMPDIR:-/tmp}/cakupan-bench-$(id -u)
reps=3
field=lat
baseline=1
while (($#)); do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --work-dir) work_dir=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --field) field=$2; shift 2 ;;
    --no-baseline) baseline=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "map_bench.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ $build_dir = /* ]] || build_dir=$repo/$build_dir
[[ $reps =~ ^[1-9][0-9]*$ ]] || { echo "map_bench.sh: --reps must be a positive integer" >&2; exit 2; }
. "$repo/bench/village_layer.sh"
xz_layer=$(village_layer_xz)
say() { echo "map_bench.sh: $*" >&2; }
die() { echo "map_bench.sh: $*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "GNU time is missing (apt-get install time)"
[ -f "$xz_layer" ] || die "layer not found: $xz_layer (set CAKUPAN_DESA_XZ)"
work_dir=$(realpath -m "$work_dir")
case "$work_dir/" in "$repo"/*) die "--work-dir $work_dir is inside the repository; choose another" ;; esac
mkdir -p "$work_dir/maps"

layer=$(village_layer "$work_dir")
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCAKUPAN_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build_dir" --target cakupan >/dev/null
cakupan=$build_dir/cakupan

python=""
if ((baseline)); then
  for p in ${CAKUPAN_BENCH_PYTHON:-python3 /usr/bin/python3}; do
    if command -v "$p" >/dev/null && "$p" -c 'import geopandas, matplotlib' >/dev/null 2>&1; then python=$p; break; fi
  done
fi

median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# Runs "$@" $reps times under GNU time: wall, cpu (user+sys) and peak RSS (MiB) medians.
timed() {
  local walls="" cpus="" peaks="" i w k u s
  for ((i = 1; i <= reps; i++)); do
    /usr/bin/time -f '%e %M %U %S' -o "$work_dir/maps/time" "$@" > "$work_dir/maps/run.stdout" 2> "$work_dir/maps/run.stderr" ||
      { cat "$work_dir/maps/run.stderr" >&2; die "failed: $*"; }
    read -r w k u s < <(tail -n 1 "$work_dir/maps/time")
    walls+="$w"$'\n'
    cpus+="$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')"$'\n'
    peaks+="$(awk -v k="$k" 'BEGIN {printf "%.0f", k / 1024}')"$'\n'
  done
  wall=$(printf '%s' "$walls" | median)
  cpu=$(printf '%s' "$cpus" | median)
  peak=$(printf '%s' "$peaks" | median)
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
base_wall=""
if [ -n "$python" ]; then
  say "GeoPandas + matplotlib ($reps runs)"
  timed "$python" "$repo/bench/map_geopandas.py" "$layer" "$field" "$work_dir/maps/geopandas.png"
  base_wall=$wall
  rows+=("GeoPandas + matplotlib ($(tail -n 1 "$work_dir/maps/run.stdout"))|$wall|$cpu|$peak")
else
  say "baseline skipped: no python3 with geopandas and matplotlib"
fi
for fmt in png svg; do
  say "cakupan map -> $fmt ($reps runs)"
  timed "$cakupan" map "$layer" --field "$field" --out "$work_dir/maps/cakupan.$fmt" --force --lang en
  rows+=("cakupan map, $fmt|$wall|$cpu|$peak")
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

echo "- nproc: $(nproc); CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1); RAM: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "- load average (1, 5, 15 min) before: $load_start; after: $load_end"
echo "- layer: $(basename "$layer"), field $field, 2000x2000 px at 300 dpi; median of $reps runs"
echo
echo "| command | wall s | CPU s | peak MiB | GeoPandas / this |"
echo "|---|---:|---:|---:|---:|"
for r in "${rows[@]}"; do
  IFS='|' read -r what w c p <<<"$r"
  ratio="-"
  [ -n "$base_wall" ] && [[ $what != GeoPandas* ]] && ratio=$(awk -v b="$base_wall" -v w="$w" 'BEGIN {printf "%.1f×", b / w}')
  echo "| $what | $w | $c | $p | $ratio |"
done
