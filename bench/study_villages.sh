#!/usr/bin/env bash
# Per-region sensitivity study on a village layer: a 9-parameter tornado (19 points, 100 stochastic
# draws each) of the "combined" variant of scenarios/jatim-2025.toml run on the 8,494 villages of
# Jawa Timur, with per-region coverage (indices, driver map, report, drivers.csv). Times the whole
# `cakupan sensitivity` (points and outputs) with GNU time and prints machine facts, load and a
# markdown table (docs/performance.md, "Per-region study on village layers").
#
#   bench/study_villages.sh [--build-dir DIR] [--work-dir DIR] [--reps N] [--threads T]
#
#   --build-dir  CMake build directory (default build-bench; configured Release if new)
#   --work-dir   where the layer is cut and the study runs (default ${TMPDIR:-/tmp}/cakupan-study-bench-$UID);
#                never inside the repository
#   --reps       runs; the table shows the median (default 3)
#   --threads    OMP_NUM_THREADS and --threads of the study (default: OpenMP's default)
#
# Needs ../shared/data beside the checkout for the national village layer (or CAKUPAN_DESA_XZ),
# ogr2ogr (GDAL) to cut Jawa Timur out of it, python3 for the village statistics (the kab/kota
# statistics split equally over villages, bench/national_villages.py: benchmark input, not data).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=build-bench
work_dir=${TMPDIR:-/tmp}/cakupan-study-bench-$(id -u)
reps=3
threads=""
while (($#)); do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --work-dir) work_dir=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "study_villages.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
say() { echo "study_villages.sh: $*" >&2; }
die() { echo "study_villages.sh: $*" >&2; exit 1; }
[[ $build_dir = /* ]] || build_dir=$repo/$build_dir
[[ $reps =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer"
[[ -z $threads || $threads =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive integer"
[ -x /usr/bin/time ] || die "GNU time is missing (apt-get install time)"
command -v ogr2ogr >/dev/null || die "ogr2ogr is missing (GDAL's command-line tools, apt-get install gdal-bin)"
work_dir=$(realpath -m "$work_dir")
case "$work_dir/" in "$repo"/*) die "--work-dir $work_dir is inside the repository; choose another" ;; esac
. "$repo/bench/village_layer.sh"
mkdir -p "$work_dir"

if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCAKUPAN_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build_dir" --target cakupan >/dev/null
cakupan=$build_dir/cakupan

# Jawa Timur (Kemendagri code 35): its villages and, beside them, its kab/kota, in one GeoPackage.
desa=$(village_layer "$work_dir")
gpkg=$work_dir/jatim_desa.gpkg
if [ ! -s "$gpkg" ] || [ "$desa" -nt "$gpkg" ]; then
  say "cutting the villages and kab/kota of Jawa Timur into $gpkg"
  rm -f "${gpkg%.gpkg}.part.gpkg"
  ogr2ogr -f GPKG "${gpkg%.gpkg}.part.gpkg" "$desa" desa -where "kode LIKE '35.%'" -nln desa
  ogr2ogr -f GPKG -update "${gpkg%.gpkg}.part.gpkg" "$repo/geodata/boundaries/idn_kabkota.gpkg" kabkota -where "kode LIKE '35.%'" -nln kabkota
  mv "${gpkg%.gpkg}.part.gpkg" "$gpkg"
fi
stats=$work_dir/jatim_desa.csv
[ -s "$stats" ] && [ "$stats" -nt "$gpkg" ] ||
  python3 "$repo/bench/national_villages.py" "$gpkg" "$repo/geodata/statistics/jatim_kabkota_2023-12.csv" "$stats"
villages=$(($(wc -l < "$stats") - 1))

# The scenario on the village layer: its boundaries and statistics, 100 draws, no kab/kota-only keys.
awk -v b="$gpkg" -v s="$stats" '
  /^boundaries = / { print "boundaries = \"" b "\""; next }
  /^layer = / { print "layer = \"desa\""; next }
  /^statistics = / { print "statistics = \"" s "\""; next }
  /^(within|contiguity|snap) = / { next }
  /^draws = / { print "draws = 100"; next }
  { print }
' "$repo/scenarios/jatim-2025.toml" > "$work_dir/jatim-desa.toml"
grep -q "^boundaries = \"$gpkg\"" "$work_dir/jatim-desa.toml" || die "scenarios/jatim-2025.toml: its [data] keys changed; update this script"
cat > "$work_dir/tornado.toml" <<'TOML'
# Benchmark study (bench/study_villages.sh): per-region tornado on the villages of Jawa Timur.
[study]
title = "Jawa Timur villages: tornado of coverage at the deadline"
scenario = "jatim-desa.toml"
variant = "combined"
method = "tornado"
outputs = ["coverage_end", "coverage_end_by_region", "spend"]

[[parameter]]
key = "parameters.lapse.informal"
low = 0.015
high = 0.06
[[parameter]]
key = "parameters.replacement.informal"
low = 0.9
high = 1.1
[[parameter]]
key = "parameters.agent_productivity"
low = 3
high = 30
[[parameter]]
key = "parameters.regulation_uplift"
low = 1.2
high = 2
[[parameter]]
key = "parameters.outreach_uplift"
low = 1.2
high = 3
[[parameter]]
key = "parameters.lapse.vulnerable"
low = 0.015
high = 0.06
[[parameter]]
key = "parameters.bass_p"
low = 0.0005
high = 0.003
[[parameter]]
key = "parameters.bass_q"
low = 0.005
high = 0.03
[[parameter]]
key = "parameters.lapse.formal"
low = 0.015
high = 0.057
TOML

median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
walls="" cpus="" peaks=""
thread_args=()
[ -n "$threads" ] && thread_args=(--threads "$threads") && export OMP_NUM_THREADS=$threads
for ((i = 1; i <= reps; i++)); do
  say "cakupan sensitivity, run $i of $reps"
  (cd "$work_dir" && /usr/bin/time -f '%e %M %U %S' -o "$work_dir/time" "$cakupan" sensitivity tornado.toml --out "$work_dir/study" \
     --force --quiet "${thread_args[@]}" > "$work_dir/stdout" 2> "$work_dir/stderr") || { cat "$work_dir/stderr" >&2; die "cakupan sensitivity failed"; }
  read -r w k u s < <(tail -n 1 "$work_dir/time")
  walls+="$w"$'\n'
  cpus+="$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')"$'\n'
  peaks+="$(awk -v k="$k" 'BEGIN {printf "%.0f", k / 1024}')"$'\n'
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
size() { awk -v b="$(stat -c %s "$work_dir/study/$1")" 'BEGIN {printf "%.2f", b / 1048576}'; }
points=$(grep -o '^[0-9]* points' "$work_dir/stdout" | cut -d' ' -f1)

echo "- nproc: $(nproc); CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1); RAM: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "- load average (1, 5, 15 min) before: $load_start; after: $load_end"
echo "- cakupan $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)'), build in $build_dir; threads: ${threads:-OpenMP default}"
echo "- $villages villages of Jawa Timur, tornado of 9 parameters ($points points, 100 draws each); median of $reps runs"
echo "- outputs (MiB): report.html $(size report.html), indices.csv $(size indices.csv), indices.json $(size indices.json), drivers.csv $(size drivers.csv), maps/driver-coverage_end.svg $(size maps/driver-coverage_end.svg)"
echo
echo "| command | wall s | CPU s | peak MiB |"
echo "|---|---:|---:|---:|"
echo "| cakupan sensitivity (points and outputs) | $(printf '%s' "$walls" | median) | $(printf '%s' "$cpus" | median) | $(printf '%s' "$peaks" | median) |"
