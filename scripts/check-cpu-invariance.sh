#!/usr/bin/env bash
# The same bytes on every CPU and at every thread count: runs every bundled scenario (and study)
# as it is, with glibc told that the CPU has no AVX2 and no FMA, and on 3 threads instead of 1,
# and compares every file written (manifest.json less its command line). glibc picks FMA builds
# of its functions at start-up; this makes it pick the others, as on an older CPU.
# Usage: check-cpu-invariance.sh CAKUPAN WORKDIR [CAKUPAN_TESTS] (a ctest, label cpu).
# With CAKUPAN_TESTS, the pinned-bits test of the portable functions also runs without AVX2/FMA.
set -euo pipefail
cli=$(realpath "$1") work=$2 tests=${3:-}
cd "$(dirname "$0")/.."
# glibc 2.36 spells the features without "_Usable" (that older spelling is ignored silently).
reduced="glibc.cpu.hwcaps=-AVX2,-FMA"
draws=50

# The tunable must really take AVX2/FMA away: ld.so then no longer lists x86-64-v3 as supported.
ldso=/lib64/ld-linux-x86-64.so.2
if [ -x "$ldso" ] && "$ldso" --help | grep -q 'x86-64-v3 (supported'; then
    if GLIBC_TUNABLES=$reduced "$ldso" --help | grep -q 'x86-64-v3 (supported'; then
        echo "GLIBC_TUNABLES=$reduced leaves AVX2/FMA on: this glibc spells it otherwise"
        exit 1
    fi
else
    echo "note: this CPU (or platform) has no AVX2/FMA to take away; the reduced runs are ordinary runs"
fi

rm -rf "$work"
mkdir -p "$work"
failed=0 checked=0

# Every file of run $1 against run $2 (same list of files, same bytes).
compare() {
    local ref=$1 other=$2 label=$3 name
    if [ "$(cd "$ref" && find . -type f ! -name .checkpoint | sort)" != "$(cd "$other" && find . -type f ! -name .checkpoint | sort)" ]; then
        echo "$label: other files than the reference run"
        failed=$((failed + 1))
        return
    fi
    while IFS= read -r name; do
        checked=$((checked + 1))
        if [ "$name" = ./manifest.json ]; then
            cmp -s <(grep -v '"command":' "$ref/$name") <(grep -v '"command":' "$other/$name") && continue
        else
            cmp -s "$ref/$name" "$other/$name" && continue
        fi
        echo "$label: ${name#./} differs from the reference run"
        failed=$((failed + 1))
    done < <(cd "$ref" && find . -type f ! -name .checkpoint | sort)
}

if [ -n "$tests" ]; then
    checked=$((checked + 1))
    GLIBC_TUNABLES=$reduced "$tests" --gtest_filter='PortableMath.*' >"$work/portable_math.txt" 2>&1 || {
        cat "$work/portable_math.txt"
        echo "PortableMath without AVX2/FMA: other bits than the pinned ones"
        failed=$((failed + 1))
    }
fi

run=(run --no-maps --no-charts --no-report --quiet --draws "$draws")
for scenario in scenarios/*.toml; do
    stem=$(basename "$scenario" .toml)
    for mode in stochastic expected; do
        dir="$work/$stem-$mode"
        "$cli" "${run[@]}" "$scenario" --mode "$mode" --out "$dir-ref" --threads 1 >/dev/null 2>&1
        GLIBC_TUNABLES=$reduced "$cli" "${run[@]}" "$scenario" --mode "$mode" --out "$dir-reduced" --threads 1 >/dev/null 2>&1
        "$cli" "${run[@]}" "$scenario" --mode "$mode" --out "$dir-threads3" --threads 3 >/dev/null 2>&1
        compare "$dir-ref" "$dir-reduced" "$stem ($mode) without AVX2/FMA"
        compare "$dir-ref" "$dir-threads3" "$stem ($mode) on 3 threads"
    done
done

for study in studies/*.toml; do
    stem=$(basename "$study" .toml)
    dir="$work/study-$stem"
    "$cli" sensitivity "$study" --out "$dir-ref" --threads 1 --quiet >/dev/null 2>&1
    GLIBC_TUNABLES=$reduced "$cli" sensitivity "$study" --out "$dir-reduced" --threads 1 --quiet >/dev/null 2>&1
    "$cli" sensitivity "$study" --out "$dir-threads3" --threads 3 --quiet >/dev/null 2>&1
    compare "$dir-ref" "$dir-reduced" "study $stem without AVX2/FMA"
    compare "$dir-ref" "$dir-threads3" "study $stem on 3 threads"
done

echo "$((checked - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
