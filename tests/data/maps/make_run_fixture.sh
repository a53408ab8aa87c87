#!/usr/bin/env bash
# Writes run/: a small run directory (summary.json + regions.gpkg with the layers and fields
# `cakupan run` writes) over the six grid squares, with two variants, so map tests need no run.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf run && mkdir run
python3 - <<'PY'
import json
grid = json.load(open("grid.geojson"))
variants = {
    # name: per-region (p5, p50, p95, probability)
    "baseline": [(0.20, 0.25, 0.30, 0.00), (0.30, 0.35, 0.40, 0.05), (0.40, 0.45, 0.50, 0.30),
                 (0.50, 0.55, 0.60, 0.45), (0.52, 0.58, 0.64, 0.60), (0.60, 0.65, 0.70, 0.95)],
    "agents":   [(0.22, 0.27, 0.32, 0.00), (0.34, 0.39, 0.44, 0.10), (0.43, 0.48, 0.53, 0.35),
                 (0.50, 0.56, 0.62, 0.50), (0.55, 0.61, 0.67, 0.70), (0.63, 0.70, 0.77, 0.99)],
}
target = 0.5717
for name, rows in variants.items():
    feats = []
    for f, (p5, p50, p95, prob) in zip(grid["features"], rows):
        props = {"code": f["properties"]["kode"], "name": f["properties"]["nama"], "workers": 1000.0,
                 "coverage_start": 0.2724, "coverage_mean": p50, "coverage_p5": p5, "coverage_p50": p50,
                 "coverage_p95": p95, "target": target, "gap_to_target": round(target - p50, 6),
                 "probability_target_met": prob, "spend": 0.0}
        feats.append({"type": "Feature", "properties": props, "geometry": f["geometry"]})
    json.dump({"type": "FeatureCollection", "features": feats}, open(f"run/{name}.geojson", "w"))
summary = {"cakupan": "0.1.0", "scenario": {"name": "grid-test", "title": "Grid test scenario"},
           "period": {"start": "2025-06-01", "end": "2025-12-31", "step": "month", "steps": 7},
           "mode": "stochastic", "draws": 200, "seed": 1, "target": {"coverage": target},
           "variants": [{"name": n, "regions": []} for n in variants]}
json.dump(summary, open("run/summary.json", "w"), indent=2)
PY
for v in baseline agents; do
  ogr2ogr -f GPKG -append -nln "$v" run/regions.gpkg "run/$v.geojson"
  rm "run/$v.geojson"
done
