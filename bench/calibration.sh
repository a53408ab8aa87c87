#!/usr/bin/env bash
# Time the national calibration and score its hold-out (docs/calibration.md, "The national
# calibration"): run time on 2 threads (target: under 60 s), cost per evaluation, and the targets
# on the February 2025 hold-out (national actives within 3%, >= 80% inside the 90% bands, province
# median absolute % error <= 8%, positive correlation of modelled and observed province growth).
# Usage: bench/calibration.sh [CAKUPAN]
set -euo pipefail
cli=${1:-build2/cakupan}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
uptime
cal=$here/models/indonesia-provinces.calibration.toml
/usr/bin/time -f "calibrate: %e s wall, %U s user, %M KB peak" "$cli" calibrate "$cal" --out "$work/full" --threads 2 \
    >"$work/full.txt" 2>"$work/full.err" || { cat "$work/full.err"; exit 1; }
tail -1 "$work/full.err"
grep -E "^fit:|us each" "$work/full.txt"
cmp -s "$work/full/model.toml" "$here/models/jamsostek.toml" && echo "model.toml = models/jamsostek.toml" ||
    echo "model.toml differs from models/jamsostek.toml: re-make the default model"
/usr/bin/time -f "calibrate --holdout --rolling 6: %e s wall, %U s user" "$cli" calibrate "$cal" --out "$work/held" --threads 2 \
    --holdout "$here/geodata/observations/bpjs_2025-02_holdout.csv" --rolling 6 >"$work/held.txt" 2>"$work/held.err" ||
    { cat "$work/held.err"; exit 1; }
tail -1 "$work/held.err"
grep -E "^(fit|hold-out|backtest)" "$work/held.txt"
python3 - "$work/held" <<'PY'
import csv, math, statistics, sys
d = sys.argv[1]
fit = {(r["region_level"], r["kode"], r["period"], r["indicator"]): r for r in csv.DictReader(open(d + "/fit.csv"))}
ape, grow_obs, grow_mod, inside = [], [], [], []
for r in csv.DictReader(open(d + "/holdout.csv")):
    o, p = float(r["observed"]), float(r["p50"])
    inside.append(float(r["p5"]) <= o <= float(r["p95"]))
    if r["region_level"] == "national":
        print(f"national {r['indicator']}: observed {o:,.0f}, p50 {p:,.0f} ({100 * (p - o) / o:+.1f}%)")
        continue
    ape.append(abs(p - o) / o * 100)
    f = fit.get(("province", r["kode"], "2023-12", "bpjstk_participants_active"))
    if f:
        grow_obs.append(o / float(f["observed"]) - 1)
        grow_mod.append(p / float(f["p50"]) - 1)
n = len(grow_obs)
mo, mm = sum(grow_obs) / n, sum(grow_mod) / n
cov = sum((a - mo) * (b - mm) for a, b in zip(grow_obs, grow_mod))
corr = cov / math.sqrt(sum((a - mo) ** 2 for a in grow_obs) * sum((b - mm) ** 2 for b in grow_mod))
print(f"inside 90% bands: {sum(inside)}/{len(inside)}; province median APE {statistics.median(ape):.1f}% ({len(ape)} provinces); "
      f"growth correlation {corr:+.2f} ({n} provinces)")
PY
