#!/usr/bin/env python3
"""Village-level statistics for the whole country, for the engine benchmark only.

Splits each kab/kota row of geodata/statistics/idn_kabkota.csv equally over its village polygons
in the national village layer (largest remainder, so villages sum exactly to their kab/kota) and
writes one row per village. Benchmark input, not data: no village population exists in the sources.

usage: national_villages.py DESA.gpkg IDN_KABKOTA.csv OUT.csv
"""
import csv
import sqlite3
import sys

desa_gpkg, kab_csv, out_csv = sys.argv[1:4]
con = sqlite3.connect(f"file:{desa_gpkg}?mode=ro", uri=True)
by_kab = {}
for (code,) in con.execute("SELECT kode FROM desa ORDER BY kode"):
    by_kab.setdefault(".".join(code.split(".")[:2]), []).append(code)

segments = ["formal", "informal", "vulnerable", "officials"]
with open(kab_csv, newline="") as f, open(out_csv, "w", newline="") as g:
    out = csv.writer(g, lineterminator="\n")
    out.writerow(["code", "villages"] + [f"workers_{s}" for s in segments] + [f"active_{s}" for s in segments])
    for row in csv.DictReader(f):
        villages = by_kab.get(row["code"], [])
        n = len(villages)
        if n == 0:
            continue
        def split(total):
            base, rest = divmod(int(total), n)
            return [base + (1 if i < rest else 0) for i in range(n)]
        workers = {s: split(row[f"workers_{s}"]) for s in segments}
        active = {s: split(row[f"active_{s}"]) for s in segments}
        for i, code in enumerate(villages):
            out.writerow([code, 1] + [workers[s][i] for s in segments] + [min(active[s][i], workers[s][i]) for s in segments])
