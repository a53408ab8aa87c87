#!/usr/bin/env bash
# A plan solved on 2 MPI processes writes the bytes of one process with 2 threads.
# Usage: mpi_invariance.sh MPIEXEC CAKUPAN PLAN WORKDIR (a ctest when built with MPI).
set -euo pipefail
mpiexec=$1 cli=$2 plan=$3 work=$4
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
rm -rf "$work"
mkdir -p "$work"
"$cli" plan "$plan" --out "$work/one" --threads 2 --no-figures >/dev/null 2>&1
"$mpiexec" --oversubscribe -n 2 "$cli" plan "$plan" --out "$work/two" --threads 1 --no-figures >/dev/null 2>&1
failed=0
for name in plan.json frontier.csv summary.txt; do
    cmp -s "$work/one/$name" "$work/two/$name" || { echo "$name differs between 1 and 2 processes"; failed=$((failed + 1)); }
done
# scenario.toml names its data relative to its own directory, which differs; the rest is the same
diff <(grep -v '^boundaries\|^statistics' "$work/one/scenario.toml") <(grep -v '^boundaries\|^statistics' "$work/two/scenario.toml") >/dev/null ||
    { echo "scenario.toml differs"; failed=$((failed + 1)); }
echo "$failed failed"
[ "$failed" -eq 0 ]
