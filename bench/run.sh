#!/usr/bin/env bash
# Whole-command benchmark on the national village (desa) layer, with libpysal as the baseline
# measured in the same run. Prints machine facts and a markdown table (docs/performance.md).
#
#   bench/run.sh [--build-dir DIR] [--work-dir DIR] [--reps N] [--threads "1 2"] [--no-baseline]
#
#   --build-dir  CMake build directory, relative to the repo root or absolute (default build-bench);
#                configured (Ninja, Release, no tests) if it has no CMakeCache.txt, then brought up to date
#   --work-dir   where the layer is decompressed and outputs go (default ${TMPDIR:-/tmp}/cakupan-bench-$UID);
#                never inside the repository
#   --reps       runs of each command; the table shows the median (default 3)
#   --threads    OMP_NUM_THREADS values to run with (default "1 2")
#   --no-baseline  skip libpysal even if it is installed
#
# Environment:
#   CAKUPAN_DESA_XZ       the compressed layer (default ../shared/data/boundaries/cahyadsn-wilayah_boundaries/
#                         idn_desa_simplified_0p002.gpkg.xz beside the checkout)
#   CAKUPAN_BENCH_PYTHON  python interpreter for the baseline (default: the first of python3,
#                         /usr/bin/python3 that imports libpysal and geopandas; Debian packages
#                         python3-libpysal python3-geopandas)
#
# Whole commands are timed with GNU time (/usr/bin/time, package `time`): wall seconds, user+system
# CPU seconds and peak RSS.
# Kernels (build_contiguity, read_boundaries) are timed by bench/cakupan_bench (Google Benchmark).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=build-bench
work_dir=${TMPDIR:-/tmp}/cakupan-bench-$(id -u)
reps=3
threads="1 2"
baseline=1

while (($#)); do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --work-dir) work_dir=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --no-baseline) baseline=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ $build_dir = /* ]] || build_dir=$repo/$build_dir
[[ $reps =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --reps must be a positive integer" >&2; exit 2; }
read -ra thread_list <<<"$threads"
((${#thread_list[@]})) || { echo "run.sh: --threads needs at least one number" >&2; exit 2; }
. "$repo/bench/village_layer.sh"
xz_layer=$(village_layer_xz)

say() { echo "run.sh: $*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }

[ -x /usr/bin/time ] || die "GNU time is missing (apt-get install time)"
[ -f "$xz_layer" ] || die "layer not found: $xz_layer (set CAKUPAN_DESA_XZ)"
work_dir=$(realpath -m "$work_dir")
case "$work_dir/" in "$repo"/*) die "--work-dir $work_dir is inside the repository; choose another" ;; esac
mkdir -p "$work_dir/out"

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_start%% *}" 'BEGIN {exit !(l > 0.5)}'; then
  say "warning: load average $load_start before the run; other work on this machine skews the figures"
fi

# (a) The layer, decompressed once (again when the archive is newer).
layer=$(village_layer "$work_dir")

# (b) Release build.
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  say "configuring $build_dir (Release)"
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCAKUPAN_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build_dir/CMakeCache.txt")
[ "$build_type" = Release ] || die "$build_dir is a '$build_type' build; benchmarks need Release (use --build-dir)"
say "building in $build_dir"
cmake --build "$build_dir" --target cakupan cakupan_bench >/dev/null
cakupan=$build_dir/cakupan
bench=$build_dir/bench/cakupan_bench
[ -x "$bench" ] || die "$bench was not built (is Google Benchmark installed? libbenchmark-dev)"

# Baseline interpreter.
python=""
if ((baseline)); then
  for p in ${CAKUPAN_BENCH_PYTHON:-python3 /usr/bin/python3}; do
    if command -v "$p" >/dev/null && "$p" -c 'import libpysal, geopandas' >/dev/null 2>&1; then python=$p; break; fi
  done
fi

median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# Runs "$@" $reps times under GNU time; sets wall (median s), cpu (median user+sys s) and peak
# (median peak RSS, MiB). The first run's stdout and stderr are kept in $work_dir/out/last.stdout
# and last.stderr; every run's stdout is appended to $work_dir/out/all.stdout.
timed() {
  local walls="" cpus="" peaks="" i w k u s
  : > "$work_dir/out/all.stdout"
  for ((i = 1; i <= reps; i++)); do
    /usr/bin/time -f '%e %M %U %S' -o "$work_dir/out/time" "$@" > "$work_dir/out/run.stdout" 2> "$work_dir/out/run.stderr" ||
      { cat "$work_dir/out/run.stderr" >&2; die "failed: $*"; }
    cat "$work_dir/out/run.stdout" >> "$work_dir/out/all.stdout"
    if ((i == 1)); then
      mv "$work_dir/out/run.stdout" "$work_dir/out/last.stdout"
      mv "$work_dir/out/run.stderr" "$work_dir/out/last.stderr"
    fi
    read -r w k u s < <(tail -n 1 "$work_dir/out/time")
    walls+="$w"$'\n'
    cpus+="$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')"$'\n'
    peaks+="$(awk -v k="$k" 'BEGIN {printf "%.0f", k / 1024}')"$'\n'
  done
  wall=$(printf '%s' "$walls" | median)
  cpu=$(printf '%s' "$cpus" | median)
  peak=$(printf '%s' "$peaks" | median)
}

rows=()   # "what|threads|wall|cpu|peak"
facts=()  # neighbour counts reported by the commands

# (e) Baseline first, so its figure is there for the ratio column.
base_queen="" base_note="baseline skipped: python3 with libpysal and geopandas not found"
if ((baseline == 0)); then base_note="baseline skipped (--no-baseline)"; fi
if [ -n "$python" ]; then
  cat > "$work_dir/pysal_queen.py" <<'EOF'
# libpysal baseline: Queen contiguity as researchers build it (geopandas frame -> Queen.from_dataframe).
import sys, time, warnings
warnings.filterwarnings("ignore")
t0 = time.perf_counter()
import geopandas, libpysal
from libpysal.weights import Queen
t1, c1 = time.perf_counter(), time.process_time()
df = geopandas.read_file(sys.argv[1])
# libpysal fails on NULL geometry (the layer has one); drop NULL and empty rows.
df = df[~(df.geometry.isna() | df.geometry.is_empty)].reset_index(drop=True)
t2, c2 = time.perf_counter(), time.process_time()
w = Queen.from_dataframe(df, silence_warnings=True)
t3, c3 = time.perf_counter(), time.process_time()
print(f"queen_s {t3 - t2:.3f} read_s {t2 - t1:.3f} import_s {t1 - t0:.3f} "
      f"n {w.n} pairs {int(w.s0 // 2)} islands {len(w.islands)} libpysal {libpysal.__version__} "
      f"queen_cpu_s {c3 - c2:.3f} read_cpu_s {c2 - c1:.3f}")
EOF
  say "baseline: libpysal Queen.from_dataframe ($python), $reps runs"
  timed "$python" "$work_dir/pysal_queen.py" "$layer"
  # value after KEY on each line of FILE ("key value key value ...")
  field() { awk -v k="$1" '{for (i = 1; i < NF; i += 2) if ($i == k) print $(i + 1)}' "$2"; }
  base_queen=$(field queen_s "$work_dir/out/all.stdout" | median)
  base_read=$(field read_s "$work_dir/out/all.stdout" | median)
  base_queen_cpu=$(field queen_cpu_s "$work_dir/out/all.stdout" | median)
  base_read_cpu=$(field read_cpu_s "$work_dir/out/all.stdout" | median)
  rows+=("libpysal \`Queen.from_dataframe\` alone (in-process timer)|1|$base_queen|$base_queen_cpu|")
  rows+=("geopandas \`read_file\` alone (in-process timer)|1|$base_read|$base_read_cpu|")
  rows+=("python3: import + \`geopandas.read_file\` + \`Queen.from_dataframe\`|1|$wall|$cpu|$peak")
  last=$work_dir/out/last.stdout
  base_note="baseline: libpysal $(field libpysal "$last") Queen.from_dataframe, median of $reps: ${base_queen} s; $(field n "$last") regions, $(field pairs "$last") neighbour pairs, $(field islands "$last") islands (NULL/empty geometries dropped)"
fi

# (c) Whole commands.
for t in "${thread_list[@]}"; do
  export OMP_NUM_THREADS=$t
  say "cakupan info, OMP_NUM_THREADS=$t"
  timed "$cakupan" info "$layer"
  rows+=("\`cakupan info idn_desa.gpkg\`|$t|$wall|$cpu|$peak")
  if [ "$t" = "${thread_list[0]}" ]; then
    facts+=("info: $(grep -E 'features|vertices|geometry problems' "$work_dir/out/last.stdout" | sed 's/^ *//' | paste -sd ';' | sed 's/;/; /g')")
  fi
  for variant in "queen|" "queen|--snap 300" "rook|"; do
    rule=${variant%%|*}
    snap=${variant#*|}
    say "cakupan adjacency --rule $rule $snap, OMP_NUM_THREADS=$t"
    # shellcheck disable=SC2086 # $snap is empty or two words
    timed "$cakupan" adjacency "$layer" --rule "$rule" $snap --out "$work_dir/out/$rule${snap:+-snap300}.gal" --force
    rows+=("\`cakupan adjacency idn_desa.gpkg --rule $rule${snap:+ $snap}\`|$t|$wall|$cpu|$peak")
    facts+=("adjacency --rule $rule${snap:+ $snap}, OMP_NUM_THREADS=$t: $(head -n 1 "$work_dir/out/last.stdout"); $(head -n 2 "$work_dir/out/last.stdout" | tail -n 1 | cut -d: -f1)")
  done
done
unset OMP_NUM_THREADS

# (d) Kernels, Google Benchmark, on the same layer; median of $reps repetitions.
say "kernels: $bench"
bench_threads=$(IFS=,; echo "${thread_list[*]}")
CAKUPAN_BENCH_LAYER=$layer CAKUPAN_BENCH_THREADS=$bench_threads "$bench" \
  --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_out="$work_dir/out/kernels.json" --benchmark_out_format=json > "$work_dir/out/kernels.txt" 2>&1 ||
  { cat "$work_dir/out/kernels.txt" >&2; die "cakupan_bench failed"; }
# rows "name threads seconds" from the medians in the JSON report (no jq needed)
while read -r name t s c; do
  case "$name" in
    contiguity/*) what="kernel \`build_contiguity\` ${name#contiguity/} (layer read beforehand)" ;;
    read_boundaries) what="kernel \`read_boundaries\` (GDAL read, MakeValid, areas)" ;;
    *) what="kernel \`$name\`" ;;
  esac
  rows+=("$what|$t|$s|$c|")
done < <(awk -v reps="$reps" '
  /"run_name":/ { name = $0; sub(/.*"run_name": "/, "", name); sub(/".*/, "", name); sub(/\/real_time$/, "", name) }
  /"run_type":/ { keep = (reps == 1 && $0 ~ /"iteration"/) }
  /"aggregate_name": "median"/ { keep = 1 }
  /"real_time":/ { v = $2; sub(/,/, "", v) }
  /"cpu_time":/ { c = $2; sub(/,/, "", c) }
  /"time_unit":/ && keep {
    f = $0 ~ /"ns"/ ? 1e-9 : $0 ~ /"us"/ ? 1e-6 : $0 ~ /"ms"/ ? 1e-3 : 1
    t = name; sub(/.*\/threads:/, "", t); sub(/\/.*/, "", t); sub(/\/threads:.*/, "", name)
    printf "%s %s %.3f %.3f\n", name, t, v * f, c * f; keep = 0
  }
' "$work_dir/out/kernels.json")

# Report.
cpu=$(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build_dir/CMakeCache.txt")
echo "## Machine"
echo
echo "- nproc: $(nproc); CPU: $cpu; RAM: $mem"
echo "- load average (1, 5, 15 min) before the run: $load_start; after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- GDAL $(gdal-config --version 2>/dev/null || echo '?'); GEOS $(geos-config --version 2>/dev/null || echo '?'); compiler: $("$cxx" --version | head -n 1)"
echo "- cakupan $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)'), $build_type build in $build_dir"
echo "- layer: $(basename "$xz_layer"), decompressed to $layer ($(du -m "$layer" | cut -f1) MiB)"
echo "- $base_note"
echo
echo "## Results (median of $reps)"
echo
if [ -n "$base_queen" ]; then
  echo "| command | threads | wall s | CPU s | peak MiB | vs libpysal Queen, wall (${base_queen} s) | vs libpysal Queen, CPU (${base_queen_cpu} s) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
else
  echo "| command | threads | wall s | CPU s | peak MiB | vs libpysal, wall | vs libpysal, CPU |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
fi
for r in "${rows[@]}"; do
  IFS='|' read -r what t w c p <<<"$r"
  ratio="baseline skipped" ratio_cpu="baseline skipped"
  if [ -n "$base_queen" ]; then
    ratio=$(awk -v b="$base_queen" -v w="$w" 'BEGIN {if (w > 0) printf "%.1fx faster", b / w; else print "-"}')
    ratio_cpu=$(awk -v b="$base_queen_cpu" -v w="$c" 'BEGIN {if (w > 0) printf "%.1fx less", b / w; else print "-"}')
  fi
  [[ $what == libpysal* || $what == geopandas* || $what == python3* ]] && ratio="(baseline)" ratio_cpu="(baseline)"
  echo "| $what | $t | $w | ${c:--} | ${p:--} | $ratio | $ratio_cpu |"
done
echo
echo "## Counts reported"
echo
for f in "${facts[@]}"; do echo "- $f"; done
echo
echo "Outputs (GAL files, raw benchmark JSON) are in $work_dir/out."
