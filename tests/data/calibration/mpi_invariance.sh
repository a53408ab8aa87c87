#!/usr/bin/env bash
# A calibration on 2 MPI processes (starts and chains split between them) writes the bytes of one
# process with 2 threads, and of 3 processes.
# Usage: mpi_invariance.sh MPIEXEC CAKUPAN CALIBRATION HOLDOUT WORKDIR (a ctest when built with MPI).
set -euo pipefail
mpiexec=$1 cli=$2 calibration=$3 holdout=$4 work=$5
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
rm -rf "$work"
mkdir -p "$work"
"$cli" calibrate "$calibration" --out "$work/one" --threads 2 --holdout "$holdout" --rolling 2 --quiet >/dev/null
"$mpiexec" --oversubscribe -n 2 "$cli" calibrate "$calibration" --out "$work/two" --threads 1 --holdout "$holdout" --rolling 2 --quiet >/dev/null
"$mpiexec" --oversubscribe -n 3 "$cli" calibrate "$calibration" --out "$work/three" --threads 1 --holdout "$holdout" --rolling 2 --quiet >/dev/null
failed=0
for run in two three; do
    for name in model.toml fit.csv holdout.csv backtest.csv posterior.csv calibration.json report.html; do
        cmp -s "$work/one/$name" "$work/$run/$name" || { echo "$name differs between 1 process and $run"; failed=$((failed + 1)); }
    done
done
echo "$failed failed"
[ "$failed" -eq 0 ]
