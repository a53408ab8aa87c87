#!/usr/bin/env bash
# A study on 2 MPI processes writes the bytes of one process, also when stopped and resumed
# under MPI. Usage: mpi_invariance.sh MPIEXEC CAKUPAN STUDY WORKDIR (a ctest when built with MPI).
set -euo pipefail
mpiexec=$1 cli=$2 study=$3 work=$4
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
rm -rf "$work"
mkdir -p "$work"
"$cli" sensitivity "$study" --out "$work/one" --quiet 2>/dev/null >/dev/null
"$mpiexec" --oversubscribe -n 2 "$cli" sensitivity "$study" --out "$work/two" --threads 1 --quiet 2>/dev/null >/dev/null
rc=0
CAKUPAN_STUDY_STOP_AFTER=7 "$mpiexec" --oversubscribe -n 2 -x CAKUPAN_STUDY_STOP_AFTER "$cli" sensitivity "$study" \
    --out "$work/three" --threads 1 --quiet >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 75 ] || { echo "stopped study exited $rc, expected 75"; exit 1; }
"$mpiexec" --oversubscribe -n 2 "$cli" sensitivity "$study" --out "$work/three" --resume --quiet 2>/dev/null >"$work/resumed.txt"
grep -q "(13 evaluated, 7 from the checkpoint) on 2 process(es)" "$work/resumed.txt" || { cat "$work/resumed.txt"; exit 1; }
failed=0 checked=0
for f in $(cd "$work/one" && find . -type f ! -name .checkpoint | sort); do
    name=${f#./}
    f="$work/one/$name"
    [ "$name" = manifest.json ] && continue # it records the command line
    for other in two three; do
        checked=$((checked + 1))
        cmp -s "$f" "$work/$other/$name" || { echo "$other/$name differs from one process"; failed=$((failed + 1)); }
    done
done
[ "$(cd "$work/one" && find . -type f | wc -l)" -eq "$(cd "$work/two" && find . -type f | wc -l)" ] || { echo "different file lists"; failed=$((failed + 1)); }
echo "$((checked - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
