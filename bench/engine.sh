#!/usr/bin/env bash
# Engine benchmark: region-steps per second in expected and stochastic mode, with 1 and 2 threads,
# on the Babel kab/kota scenario and on a national village-level scenario (83,403 regions,
# 7 monthly steps, 100 draws), with wall time and peak memory (GNU time). Prints a markdown table.
#
#   bench/engine.sh [--build-dir DIR] [--work-dir DIR] [--reps N]
#
# Needs ../shared/data beside the checkout for the national village layer (or CAKUPAN_DESA_XZ).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$repo/build
work_dir=${TMPDIR:-/tmp}/cakupan-engine-bench-$(id -u)
reps=3
while (($#)); do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --work-dir) work_dir=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "engine.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[[ $build_dir = /* ]] || build_dir=$repo/$build_dir
. "$repo/bench/village_layer.sh"
[ -x /usr/bin/time ] || { echo "engine.sh: GNU time is missing (apt-get install time)" >&2; exit 1; }
mkdir -p "$work_dir"
cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir" --target cakupan >/dev/null
cakupan=$build_dir/cakupan

desa=$(village_layer "$work_dir")
stats=$work_dir/idn_desa_stats.csv
[ -f "$stats" ] || python3 "$repo/bench/national_villages.py" "$desa" "$repo/geodata/statistics/idn_kabkota.csv" "$stats"
cat > "$work_dir/national.toml" <<TOML
# National village-level benchmark scenario (statistics split equally over villages; not data).
[scenario]
name = "national-villages"
[data]
boundaries = "$desa"
statistics = "$stats"
snap = 300
[model]
file = "$repo/models/jamsostek.toml"
[period]
start = 2025-06-01
end = 2025-12-31
[target]
coverage = 0.3
[run]
draws = 100
seed = 1
[intervention.regulation]
type = "regulation"
start = 2025-06-01
TOML

# name scenario regions steps variants draws mode threads
cases=(
  "babel-kabkota|$repo/scenarios/babel-2025.toml|7|7|5|1000|expected"
  "babel-kabkota|$repo/scenarios/babel-2025.toml|7|7|5|1000|stochastic"
  "national-villages|$work_dir/national.toml|83403|7|1|100|expected"
  "national-villages|$work_dir/national.toml|83403|7|1|100|stochastic"
)
echo "| scenario | mode | threads | draws | wall s (median of $reps) | engine s | region-steps/s (engine) | peak MiB |"
echo "|---|---|---|---|---|---|---|---|"
for c in "${cases[@]}"; do
  IFS='|' read -r name file regions steps variants draws mode <<<"$c"
  for t in 1 2; do
    walls=(); engines=(); mems=()
    for ((i = 0; i < reps; i++)); do
      out=$work_dir/out-$name-$mode-$t
      log=$(OMP_NUM_THREADS=$t /usr/bin/time -f "TIME %e %M" "$cakupan" run "$file" --out "$out" --force --quiet \
              --threads "$t" --mode "$mode" --no-region-timeseries --no-maps --no-charts --no-report 2>&1 >"$work_dir/stdout" | grep '^TIME')
      walls+=("$(echo "$log" | cut -d' ' -f2)"); mems+=("$(echo "$log" | cut -d' ' -f3)")
      engines+=("$(grep -o 'in [0-9.]* s; wrote' "$work_dir/stdout" | cut -d' ' -f2)")
    done
    med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
    wall=$(med "${walls[@]}"); eng=$(med "${engines[@]}"); mem=$(med "${mems[@]}")
    n_draws=$draws; [ "$mode" = expected ] && n_draws=1
    rate=$(awk -v r="$regions" -v s="$steps" -v v="$variants" -v d="$n_draws" -v e="$eng" 'BEGIN {if (e > 0) printf "%.3g", r*s*v*d/e; else printf "-"}')
    echo "| $name | $mode | $t | $n_draws | $wall | $eng | $rate | $(awk -v m="$mem" 'BEGIN {printf "%.0f", m/1024}') |"
  done
done
