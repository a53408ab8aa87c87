#!/usr/bin/env bash
# Builds Cakupan with clang under AddressSanitizer and UndefinedBehaviorSanitizer in build-sanitize/
# (one build serves both stages), runs the unit, CLI and scenario tests in it, then runs each
# libFuzzer target in fuzz/ for a bounded time from its seed corpus (tests/data).
#
#   scripts/check-sanitized.sh                 tests, then 45 s per fuzz target (what CI runs)
#   scripts/check-sanitized.sh --minutes 3     the longer fuzz run of docs/reliability.md (no tests)
#   options: --seconds S | --minutes M (time per target), --no-tests, --no-fuzz
#
# Needs scripts/setup.sh first (clang-14, its sanitizer and libFuzzer runtimes, libomp, llvm-14).
# Findings: a failing test, or a crash / sanitizer report / uncaught exception / timeout of a fuzz
# target, whose input is kept in build-sanitize/fuzz/findings/ (replay: build-sanitize/fuzz/TARGET FILE).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=45
run_tests=1
run_fuzz=1
while (($#)); do
  case "$1" in
    --seconds) seconds=$2; shift ;;
    --minutes) seconds=$(($2 * 60)); run_tests=0; shift ;;
    --no-tests) run_tests=0 ;;
    --no-fuzz) run_fuzz=0 ;;
    *) echo "usage: $0 [--seconds S | --minutes M] [--no-tests] [--no-fuzz]" >&2; exit 2 ;;
  esac
  shift
done

build=${CAKUPAN_SANITIZE_BUILD_DIR:-build-sanitize}
command -v clang++-14 >/dev/null || { echo "check-sanitized: clang++-14 missing; run scripts/setup.sh" >&2; exit 2; }

# Release code (as shipped) with line tables for readable reports. No MPI: the sanitizers would
# report Open MPI's own allocations, and the MPI test is about process layout, not memory.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_CXX_FLAGS=-gline-tables-only -DCAKUPAN_SANITIZE=address,undefined -DCAKUPAN_FUZZ=ON \
  -DCAKUPAN_WITH_MPI=OFF -DCAKUPAN_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --parallel

# Every report stops the process with a non-zero exit; leaks inside libraries that are not ours
# are suppressed by tests/sanitizers/lsan.supp (each line says why).
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0
[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ] && export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer

# A test failure does not stop the fuzz stage: one CI run reports both.
failed=()
if ((run_tests)); then
  start=$SECONDS
  # install.prefix builds a program against the installed library, without the sanitizers the
  # library was built with; the GCC stage (scripts/test.sh) runs it.
  if ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" -LE install; then
    echo "check-sanitized: tests passed under ASan+UBSan in $((SECONDS - start)) s"
  else
    failed+=(tests)
  fi
fi

# Runs every fuzz target for $seconds from its seeds; a target that finds something joins $failed.
fuzz_all() {
  local fuzz=$build/fuzz name corpus log start last dict
  rm -rf "$fuzz/seeds"
  mkdir -p "$fuzz/seeds"/{scenario,study,model,statistics,gal} "$fuzz/corpus" "$fuzz/findings" "$fuzz/logs"
  cp tests/data/scenarios/*.toml "$fuzz/seeds/scenario/"
  cp tests/data/studies/*.toml "$fuzz/seeds/study/"
  cp tests/data/models/*.toml "$fuzz/seeds/model/"
  cp tests/data/stats_*.csv tests/data/stats_good.xlsx "$fuzz/seeds/statistics/"
  # GAL seeds: what the (sanitized) writer makes of the test layers.
  for layer in babel_kabkota.geojson two_squares.topojson squares.geojson; do
    "$build/cakupan" adjacency "tests/data/$layer" --out "$fuzz/seeds/gal/${layer%%.*}.gal" >/dev/null 2>"$fuzz/logs/adjacency.err" ||
      { cat "$fuzz/logs/adjacency.err" >&2; failed+=("adjacency $layer"); }
  done

  printf '%-12s %8s %10s %8s %6s %9s %7s\n' target seconds execs exec/s cov features corpus
  for name in scenario study model statistics gal; do
    dict=()
    case $name in
      scenario | study | model) dict=(-dict=fuzz/toml.dict) ;;
      statistics) dict=(-dict=fuzz/statistics.dict) ;;
    esac
    corpus=$fuzz/corpus/$name
    mkdir -p "$corpus"
    log=$fuzz/logs/$name.log
    start=$SECONDS
    # New inputs go to the first directory (the working corpus); the seeds are only read.
    if ! "$fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$fuzz/findings/$name-" "${dict[@]}" "$corpus" "$fuzz/seeds/$name" >"$log" 2>&1; then
      failed+=("fuzz_$name")
      tail -n 40 "$log" >&2
    fi
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    printf '%-12s %8s %10s %8s %6s %9s %7s\n' "$name" $((SECONDS - start)) \
      "$(grep -oP 'stat::number_of_executed_units:\s+\K[0-9]+' "$log" || echo -)" \
      "$(grep -oP 'stat::average_exec_per_sec:\s+\K[0-9]+' "$log" || echo -)" \
      "$(grep -oP 'cov: \K[0-9]+' <<<"$last" || echo -)" "$(grep -oP 'ft: \K[0-9]+' <<<"$last" || echo -)" \
      "$(grep -oP 'corp: \K[0-9]+' <<<"$last" || echo -)"
  done
}

if ((run_fuzz)); then
  start=$SECONDS
  fuzz_all
  echo "check-sanitized: fuzz stage took $((SECONDS - start)) s ($seconds s per target)"
fi

if ((${#failed[@]})); then
  echo "check-sanitized: FAILED: ${failed[*]} (fuzz inputs that fail are in $build/fuzz/findings/, logs in $build/fuzz/logs/)" >&2
  exit 1
fi
echo "check-sanitized: no finding"
