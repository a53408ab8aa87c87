#!/usr/bin/env python3
"""Derive the labour / BPJS Ketenagakerjaan coverage tables bundled in geodata/statistics/.

Usage:  python3 geodata/derive/derive_statistics.py DATA_DIR

Reads (all relative to the shared data directory given as the only argument):
  labor/sakernas_labor_force.csv               BPS Sakernas employed / informal counts
  labor/bpjs_ketenagakerjaan_participants.csv  BPJS Ketenagakerjaan active participants
  labor/bpjs_active_series.csv                 national actives by segment (Dec 2022 start state)
  SOURCES.md                                   (checked for the Kab. Bangka coverage figure)
  labor/kabkota_population_idn.csv             Dukcapil DKB Sem. II 2024 population per kab/kota
  labor/kabkota_population_babel.csv           (same figures, Babel subset)
  labor/kabkota_population_jatim.csv           (same figures, Jawa Timur subset)
  reference/idn-area-data-4.0.1/villages.csv   village codes (desa / kelurahan counts)
  boundaries/cahyadsn-wilayah_boundaries/idn_desa_simplified_0p002.gpkg.xz
                                               national village layer (Tanah Bumbu 63.10 codes;
                                               decompressed with lzma into a temporary directory
                                               that is removed afterwards)
and, relative to this script, the bundled boundary layers in ../boundaries/ (codes and names,
read with the sqlite3 module: a GeoPackage is an SQLite database).

Writes ../statistics/*.csv and ../observations/ucj_coverage.csv (see geodata/README.md for every
rule and number) and then checks them (exact totals, partitions, active <= pool, village -> kecamatan -> kab/kota sums, codes
present in the boundary layers).  Python 3 standard library only; all arithmetic is exact
(integers and fractions.Fraction), so the output is byte-identical on every run.
"""

import csv
import datetime
import io
import lzma
import math
import os
import shutil
import sqlite3
import sys
import tempfile
from collections import OrderedDict, defaultdict
from fractions import Fraction as F

HERE = os.path.dirname(os.path.abspath(__file__))
GEODATA = os.path.dirname(HERE)
BOUNDARIES = os.path.join(GEODATA, "boundaries")
OUT = os.path.join(GEODATA, "statistics")

HEADER = ["code", "name", "date", "villages", "workers", "workers_formal", "workers_informal",
          "workers_vulnerable", "workers_officials", "active_formal", "active_informal",
          "active_vulnerable", "active_officials", "estimate", "basis"]
SEGS = ["formal", "informal", "vulnerable", "officials"]
NUM = HEADER[3:13]                    # villages, workers, workers_<seg>, active_<seg>

# --- parameters (sources in geodata/README.md) -----------------------------------------
VULNERABLE_SHARE = F("0.32")          # of informal workers (model-parameters.md, D: 27M / 83.8M)
STAFF_PER_DESA, BPD_PER_DESA, RTRW_PER_VILLAGE = 10, 7, 30   # model-parameters.md
OFFICIALS_DESA = STAFF_PER_DESA + BPD_PER_DESA + RTRW_PER_VILLAGE   # 47
OFFICIALS_KELURAHAN = RTRW_PER_VILLAGE                              # 30
STAFF_BPD_COVERED = F("0.9926")       # Babel 2025: 99.26 % of village heads + officials active
RTRW_COVERED = F("0.5")               # Babel 2025: "lebih dari 50 persen" of RT/RW

BABEL = dict(code="19", date="2025-06-01", workers=528873, active_pu=115472, active_bpu=28598,
             active=144070, coverage_pct="27.24", target_pct="57.17", gap=158287)
JATIM = dict(code="35", date="2022-11-01", active=4300000, coverage=F("0.2768"))
# Jatim seed: Sekdaprov Jatim, "Kamis (17/11)"; 17 Nov was a Thursday in 2022 (not 2023-2025).
JATIM_2023 = dict(code="35", date="2023-12-01", workers=14531668, active_pu=3300717, active_bpu=1036242,
                  active=4336959, coverage_pct="29.84", target_pct="40", sakernas="2023-08")
# Jatim 2023 basis (regional news reports, secondary; SOURCES.md "Jawa Timur targets and split"): 4,336,959
# covered of 14,531,668 workers (29.84%), PU 3,300,717 and BPU 1,036,242; provincial target for 2025: 40%.
# "2023 basis" = the state at the end of 2023, dated 2023-12-01 by the files' convention.
BANGKA_BARAT = dict(code="19.05", event=(2023, 12, 18), rtrw=800, rtrw_uncovered=400)
# Bangka Barat seed: portaldutaradio.com, "Senin (18/12/2023)": "dari 800-an RT RW yang ada di Kabupaten
# Bangka Barat masih ada sekitar 400-an RT RW yang belum terlindungi" (used as 800 heads, 400 uncovered).
SATURATION_FORMAL = F("0.95")         # models/jamsostek.toml saturation.formal (Tanah Bumbu workplace rule)
TANAH_BUMBU = dict(code="63.10", province="63", date="2023-03-01", event=(2023, 3, 15),
                   active_pu=88000, active_bpu=25000)
# Tanah Bumbu seed: Barito Post advertorial (Batulicin), "Rabu (15/3/2023)": the head of the BPJS
# Ketenagakerjaan Batulicin branch gives "penerima upah sebanyak 88 ribu peserta" and "Bukan Penerima
# Upah (BPU) masih sekitar 25 ribu" (rounded in the source; used as 88,000 and 25,000).
NATIONAL_DESA_XZ = os.path.join("boundaries", "cahyadsn-wilayah_boundaries", "idn_desa_simplified_0p002.gpkg.xz")

NAT_EMPLOYED_2024_08 = 144640000      # BPS Sakernas Aug 2024 (also in sakernas_labor_force.csv)
NAT_INFORMAL_2024_08 = 83830000       # BPS Sakernas Aug 2024 (model-parameters.md; 60.81M formal)
NAT_FORMAL_2024_08 = 60810000
# Papua Barat branch figure (2023-08, indicator "bpjstk_participants", vs BPJS "potensi angkatan
# kerja") is not an "active participants" figure: not used (see README).
USE_ONLY_INDICATOR = "bpjstk_participants_active"


# --- exact helpers ---------------------------------------------------------------------
def rnd(x):
    """Round a Fraction/int half up to an int."""
    x = F(x)
    return (x + F(1, 2)).numerator // (x + F(1, 2)).denominator


def lr(total, items):
    """Largest-remainder split of integer `total` over items [(key, weight)], weights >= 0.
    Ties in the remainder go to the smaller key (region code).  Parts sum exactly to total."""
    total = int(total)
    assert total >= 0, total
    ws = [(k, F(w)) for k, w in items]
    wsum = sum(w for _, w in ws)
    if wsum == 0:
        assert total == 0, ("nothing to split over", total, items)
        return OrderedDict((k, 0) for k, _ in ws)
    out, rems = OrderedDict(), []
    for k, w in ws:
        assert w >= 0, (k, w)
        q = total * w / wsum
        fl = q.numerator // q.denominator
        out[k] = fl
        rems.append((-(q - fl), k))
    left = total - sum(out.values())
    for _, k in sorted(rems)[:left]:
        out[k] += 1
    assert sum(out.values()) == total
    return out


def prec(r):
    return "" if r["precision"] == "exact" else ", rounded to " + r["precision"]


def fmt_int(n):
    return "{:,}".format(n)


# --- readers ---------------------------------------------------------------------------
def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def layer(gpkg, table, like=None):
    """(kode -> nama) of a GeoPackage layer, ordered by kode; read-only, no side files.
    `gpkg` is a file name in ../boundaries/ or an absolute path; `like` filters kode (SQL LIKE)."""
    path = gpkg if os.path.isabs(gpkg) else os.path.join(BOUNDARIES, gpkg)
    assert os.path.isfile(path), path
    uri = "file:{}?mode=ro&immutable=1".format(path)
    con = sqlite3.connect(uri, uri=True)
    try:
        sql = 'SELECT kode, nama FROM "{}"'.format(table)
        args = ()
        if like is not None:
            sql, args = sql + " WHERE kode LIKE ?", (like,)
        rows = con.execute(sql + " ORDER BY kode", args).fetchall()
    finally:
        con.close()
    d = OrderedDict(rows)
    assert len(d) == len(rows), ("duplicate kode", gpkg, table)
    return d


def national_desa_layer(data, like):
    """kode -> nama of the villages matching `like` in the national simplified desa layer.
    The .xz is decompressed (lzma, standard library) into a temporary directory that is removed
    afterwards; nothing is written next to the shared data or into the repository."""
    src = os.path.join(data, NATIONAL_DESA_XZ)
    tmp = tempfile.mkdtemp(prefix="cakupan_desa_")
    try:
        gpkg = os.path.join(tmp, "idn_desa.gpkg")
        with lzma.open(src, "rb") as fin, open(gpkg, "wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
        return layer(gpkg, "desa", like)
    finally:
        shutil.rmtree(tmp)


def village_kind(code):
    """'desa' for 2xxx (and 3xxx desa adat), 'kelurahan' for 1xxx."""
    c = code.split(".")[3][0]
    if c == "1":
        return "kelurahan"
    if c in "23":
        return "desa"
    raise ValueError(code)


class Sources:
    def __init__(self, data):
        self.data = data
        lab = os.path.join(data, "labor")
        self.sak = read_csv(os.path.join(lab, "sakernas_labor_force.csv"))
        self.bpjs = read_csv(os.path.join(lab, "bpjs_ketenagakerjaan_participants.csv"))
        self.series = read_csv(os.path.join(lab, "bpjs_active_series.csv"))
        self.pop_idn = read_csv(os.path.join(lab, "kabkota_population_idn.csv"))
        self.pop_babel = read_csv(os.path.join(lab, "kabkota_population_babel.csv"))
        self.pop_jatim = read_csv(os.path.join(lab, "kabkota_population_jatim.csv"))
        self.villages = read_csv(os.path.join(data, "reference", "idn-area-data-4.0.1", "villages.csv"))
        nat = [r for r in self.sak if r["region_level"] == "national" and r["period"] == "2024-08"
               and r["indicator"] == "employed"]
        assert len(nat) == 1 and int(nat[0]["value"]) == NAT_EMPLOYED_2024_08
        assert NAT_FORMAL_2024_08 + NAT_INFORMAL_2024_08 == NAT_EMPLOYED_2024_08
        nb = {r["indicator"]: int(r["value"]) for r in self.bpjs
              if r["region_level"] == "national" and r["period"] == "2025-02"}
        self.nat_active = nb["bpjstk_participants_active"]
        self.nat_pu = nb["bpjstk_active_wage_earners_PU"]
        self.nat_bpu = nb["bpjstk_active_non_wage_earners_BPU"]

    def sak_value(self, prov, period, indicator):
        v = [r for r in self.sak if r["region_level"] == "province" and r["kode"] == prov
             and r["period"] == period and r["indicator"] == indicator]
        assert len(v) <= 1
        return (int(v[0]["value"]), v[0]) if v else (None, None)

    def latest(self, rows, prov, indicators):
        c = [r for r in rows if r["region_level"] == "province" and r["kode"] == prov
             and r["indicator"] in indicators]
        return max(c, key=lambda r: r["period"]) if c else None


def village_counts_from_codes(codes):
    """kab code -> {'desa': n, 'kelurahan': n}"""
    n = defaultdict(lambda: {"desa": 0, "kelurahan": 0})
    for c in codes:
        n[".".join(c.split(".")[:2])][village_kind(c)] += 1
    return n


# --- core: one province, split to kab/kota -----------------------------------------------
def split_workers(kabs, workers, informal_share):
    """Province workers -> kab/kota pools {code: (workers, informal incl. vulnerable, vulnerable)}."""
    inf_total = rnd(workers * informal_share)                 # informal incl. vulnerable
    vul_total = rnd(inf_total * VULNERABLE_SHARE)
    w = lr(workers, kabs)
    inf = lr(inf_total, [(k, w[k]) for k, _ in kabs])
    vul = lr(vul_total, [(k, inf[k]) for k, _ in kabs])
    return OrderedDict((k, (w[k], inf[k], vul[k])) for k, _ in kabs)


def derive_province(kabs, workers, informal_share, active_pu, active_bpu, counts):
    """kabs: [(code, population)] ordered by code.  Returns (rows per kab, notes).
    All splits by largest remainder; see README for the rule."""
    return derive_from_pools(kabs, split_workers(kabs, workers, informal_share), active_pu, active_bpu, counts)


def derive_from_pools(kabs, pools, active_pu, active_bpu, counts):
    """pools: {code: (workers, informal incl. vulnerable, vulnerable)}; counts: {code: {desa, kelurahan}}."""
    notes = []
    nd = {k: counts.get(k, {"desa": 0})["desa"] for k, _ in kabs}
    nk = {k: counts.get(k, {"kelurahan": 0})["kelurahan"] for k, _ in kabs}
    off = {k: OFFICIALS_DESA * nd[k] + OFFICIALS_KELURAHAN * nk[k] for k, _ in kabs}

    res = OrderedDict()
    for k, _ in kabs:
        w, inf, vul = pools[k]
        formal = w - inf - off[k]
        informal = inf - vul
        if formal < 0:                    # officials exceed the formal share: take from informal
            informal += formal
            notes.append((k, "officials exceed the formal share of workers, {} taken from informal".format(
                fmt_int(-formal))))
            formal = 0
            assert informal >= 0, k
        res[k] = dict(villages=nd[k] + nk[k], workers=w, workers_formal=formal, workers_informal=informal,
                      workers_vulnerable=vul, workers_officials=off[k], _inf_incl=inf)

    # active officials: staff + BPD at 0.9926, RT/RW at 0.5; province total rounded, then LR
    ao_staff = lr(rnd((STAFF_PER_DESA + BPD_PER_DESA) * sum(nd.values()) * STAFF_BPD_COVERED),
                  [(k, nd[k]) for k, _ in kabs])
    ao_rtrw = lr(rnd(RTRW_PER_VILLAGE * sum(nd[k] + nk[k] for k, _ in kabs) * RTRW_COVERED),
                 [(k, nd[k] + nk[k]) for k, _ in kabs])
    ao_total = sum(ao_staff.values()) + sum(ao_rtrw.values())
    if ao_total > active_pu:
        # cannot happen with the shipped data; kept so the rule is explicit
        raise SystemExit("active officials exceed active PU")
    af_total = active_pu - ao_total
    formal_pool = sum(r["workers_formal"] for r in res.values())
    if af_total > formal_pool:
        notes.append((None, "PU minus active officials ({}) exceeds formal workers, capped at {}".format(
            fmt_int(af_total), fmt_int(formal_pool))))
        af_total = formal_pool
    af = lr(af_total, [(k, res[k]["workers_formal"]) for k, _ in kabs])

    inf_pool = sum(r["workers_informal"] for r in res.values())
    vul_pool = sum(r["workers_vulnerable"] for r in res.values())
    seg = lr(active_bpu, [("1informal", inf_pool), ("2vulnerable", vul_pool)])
    ai_total, av_total = seg["1informal"], seg["2vulnerable"]
    if ai_total > inf_pool or av_total > vul_pool:
        notes.append((None, "BPU {} exceeds informal pools, capped".format(fmt_int(active_bpu))))
        ai_total, av_total = min(ai_total, inf_pool), min(av_total, vul_pool)
    ai = lr(ai_total, [(k, res[k]["workers_informal"]) for k, _ in kabs])
    av = lr(av_total, [(k, res[k]["workers_vulnerable"]) for k, _ in kabs])
    for k, _ in kabs:
        res[k].update(active_formal=af[k], active_informal=ai[k], active_vulnerable=av[k],
                      active_officials=ao_staff[k] + ao_rtrw[k],
                      _ao_staff=ao_staff[k], _ao_rtrw=ao_rtrw[k], _nd=nd[k], _nk=nk[k])
    return res, notes


def row(code, name, date, rec, basis, estimate="yes"):
    r = OrderedDict(code=code, name=name, date=date)
    for c in NUM:
        r[c] = rec[c]
    r["estimate"] = estimate
    r["basis"] = basis
    return r


def sum_rows(recs):
    s = {c: 0 for c in NUM}
    for r in recs:
        for c in NUM:
            s[c] += r[c]
    return s


# --- output ----------------------------------------------------------------------------
def q(s, force=False):
    s = str(s)
    if force or any(ch in s for ch in ',"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s


def write_table(fname, rows):
    buf = io.StringIO()
    buf.write(",".join(HEADER) + "\n")
    for r in rows:
        vals = [q(r["code"]), q(r["name"]), q(r["date"])] + [str(int(r[c])) for c in NUM] + \
               [q(r["estimate"]), q(r["basis"], force=True)]
        buf.write(",".join(vals) + "\n")
    data = buf.getvalue().encode("utf-8")
    path = os.path.join(OUT, fname)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    print("wrote {} ({} rows, {} bytes)".format(os.path.relpath(path, os.path.dirname(GEODATA)),
                                               len(rows), len(data)))


# --- villages: equal split of each kab/kota row ----------------------------------------
def village_rows(kab_codes, res, desa_layer, date, kab_file, extra_basis="", formal_excess=None, rtrw=None):
    """One row per village of `desa_layer`: each kab/kota's formal, informal and vulnerable workers and
    active counts split equally over its villages (no village population in the sources), officials by
    the 47/30 rule, active staff+BPD split equally over the desa, active RT/RW over all villages.
    formal_excess {kab: n}: n of the kab's formal workers are workplace workers above the residents; the
    residents are split equally and the n in proportion to the villages' resident formal workers.
    rtrw {kab: (heads, active)}: stated RT/RW counts replace the 30-per-village rule, split equally."""
    vill_by_kab = defaultdict(list)
    for c in desa_layer:
        vill_by_kab[c[:5]].append(c)
    assert set(vill_by_kab) <= set(kab_codes), "village outside the kab/kota rows"
    out = []
    vbasis = ("equal split of the kab/kota row of " + kab_file + " over its {n} villages (no village "
              "population in the sources); officials {o}; active officials: staff+BPD x0.9926 split over the "
              "kab/kota's desa, {r}" + extra_basis)
    for k in kab_codes:
        vs = sorted(vill_by_kab[k])
        kr = res[k]
        assert kr["villages"] == len(vs), (k, kr["villages"], len(vs))
        eq = [(v, 1) for v in vs]
        parts = {c: lr(kr[c], eq) for c in ["workers_formal", "workers_informal", "workers_vulnerable",
                                             "active_formal", "active_informal", "active_vulnerable"]}
        excess = (formal_excess or {}).get(k, 0)
        if excess:
            resident = lr(kr["workers_formal"] - excess, eq)
            extra = lr(excess, list(resident.items()))
            parts["workers_formal"] = OrderedDict((v, resident[v] + extra[v]) for v in vs)
        staff = lr(kr["_ao_staff"], [(v, 1 if village_kind(v) == "desa" else 0) for v in vs])
        heads = None
        if rtrw and k in rtrw:
            heads, rtrw_act = lr(rtrw[k][0], eq), lr(rtrw[k][1], eq)
        else:
            rtrw_act = lr(kr["_ao_rtrw"], eq)
        for v in vs:
            kind = village_kind(v)
            rec = {c: parts[c][v] for c in parts}
            rec["villages"] = 1
            if heads is None:
                rec["workers_officials"] = OFFICIALS_DESA if kind == "desa" else OFFICIALS_KELURAHAN
                o = "47 (desa: 10 staff, 7 BPD, 30 RT/RW)" if kind == "desa" else "30 (kelurahan: RT/RW heads only)"
            else:
                sb = STAFF_PER_DESA + BPD_PER_DESA if kind == "desa" else 0
                rec["workers_officials"] = sb + heads[v]
                o = ("{} (desa: 10 staff, 7 BPD, {} RT/RW)".format(rec["workers_officials"], heads[v])
                     if kind == "desa" else "{} (kelurahan: RT/RW heads only)".format(heads[v]))
            rec["active_officials"] = staff[v] + rtrw_act[v]
            rec["workers"] = sum(rec["workers_" + s] for s in SEGS)
            bas = vbasis.format(n=len(vs), o=o, r="RT/RW x0.5" if heads is None else
                                "RT/RW heads and active RT/RW of the kab/kota row split equally")
            out.append(row(v, desa_layer[v], date, rec, bas))
    out.sort(key=lambda r: r["code"])
    return out


# --- Babel -----------------------------------------------------------------------------
def babel(src):
    prov_layer = layer("babel_19.gpkg", "provinsi")
    kab_layer = layer("babel_19.gpkg", "kabkota")
    kec_layer = layer("babel_19.gpkg", "kecamatan")
    desa_layer = layer("babel_19.gpkg", "desa")
    kabs = [(r["code"], int(r["population"])) for r in sorted(src.pop_babel, key=lambda r: r["code"])]
    assert [k for k, _ in kabs] == list(kab_layer)
    emp, _ = src.sak_value("19", "2023-08", "employed")
    infc, _ = src.sak_value("19", "2023-08", "employed_informal")
    assert (emp, infc) == (749815, 382928)
    b = BABEL
    assert b["active_pu"] + b["active_bpu"] == b["active"]
    assert F(rnd(F(b["active"] * 10000, b["workers"])), 100) == F(b["coverage_pct"])
    assert rnd(b["workers"] * F(b["target_pct"]) / 100) - b["active"] == b["gap"]
    counts = village_counts_from_codes(desa_layer)
    res, notes = derive_province(kabs, b["workers"], F(infc, emp), b["active_pu"], b["active_bpu"], counts)
    assert not notes, notes

    common = ("W=528,873 (BPJS Ketenagakerjaan 1 Jun 2025: 144,070 active = 27.24%, 158,287 short of "
              "57.17%); informal 382,928/749,815 (BPS Sakernas Babel Aug 2023); vulnerable 0.32 of informal; "
              "officials 47/desa, 30/kelurahan (babel_19.gpkg desa layer); active officials staff+BPD x0.9926, "
              "RT/RW x0.5 (Babel 2025); PU 115,472 minus active officials to formal; BPU 28,598 by "
              "informal/vulnerable pools")
    kab_basis = "Dukcapil DKB Sem II 2024 population share of the province; " + common
    kab_rows = [row(k, kab_layer[k], b["date"], res[k], kab_basis) for k, _ in kabs]

    desa_rows = village_rows([k for k, _ in kabs], res, desa_layer, b["date"], "babel_kabkota_2025-06.csv")

    kec_acc = OrderedDict()
    for r in desa_rows:
        kec_acc.setdefault(r["code"][:8], []).append(r)
    assert list(kec_acc) == sorted(kec_acc) and set(kec_acc) == set(kec_layer)
    kec_rows = [row(kc, kec_layer[kc], b["date"], sum_rows(rs),
                    "sum of its village rows in babel_desa_2025-06.csv (equal split of the kab/kota rows: no "
                    "village population in the sources)")
                for kc, rs in sorted(kec_acc.items())]
    prov_rows = [row("19", prov_layer["19"], b["date"], sum_rows(kab_rows),
                     "sum of the 7 kab/kota rows; W is the BPJS coverage denominator, not BPS employed "
                     "(749,815 Aug 2023); " + common)]
    return dict(prov=prov_rows, kab=kab_rows, kec=kec_rows, desa=desa_rows, res=res,
                layers=dict(provinsi=prov_layer, kabkota=kab_layer, kecamatan=kec_layer, desa=desa_layer))


# --- national --------------------------------------------------------------------------
def national(src):
    prov_layer = layer("idn_provinsi.gpkg", "provinsi")
    kab_layer = layer("idn_kabkota.gpkg", "kabkota")
    pops = sorted(src.pop_idn, key=lambda r: r["code"])
    assert [r["code"] for r in pops] == list(kab_layer)
    pop_by_prov = OrderedDict()
    for r in pops:
        pop_by_prov.setdefault(r["province_code"], []).append((r["code"], int(r["population"])))
    assert list(pop_by_prov) == list(prov_layer)
    pop_nat = sum(p for ks in pop_by_prov.values() for _, p in ks)
    counts = village_counts_from_codes(r["code"] for r in src.villages)

    kab_rows, prov_rows, params = [], [], OrderedDict()
    for p, kabs in pop_by_prov.items():
        pop_p = sum(x for _, x in kabs)
        share = F(pop_p, pop_nat)
        used, filled = [], []
        # employed
        e = src.latest(src.sak, p, {"employed"})
        if e:
            emp = int(e["value"])
            used.append("employed {} (BPS Sakernas {}{})".format(fmt_int(emp), e["period"], prec(e)))
        else:
            emp = rnd(NAT_EMPLOYED_2024_08 * share)
            filled.append("employed = 144.64M (Sakernas Aug 2024) x population share")
        # informal share: latest period with employed and a formal/informal count
        cand = []
        for r in src.sak:
            if r["region_level"] == "province" and r["kode"] == p and \
                    r["indicator"] in ("employed_informal", "employed_formal"):
                tot, _ = src.sak_value(p, r["period"], "employed")
                if tot:
                    cand.append((r["period"], r, tot))
        if cand:
            per, r, tot = max(cand, key=lambda c: c[0])
            v = int(r["value"])
            ishare = F(v, tot) if r["indicator"] == "employed_informal" else F(tot - v, tot)
            if r["indicator"] == "employed_informal":
                used.append("informal share {}/{} (Sakernas {})".format(fmt_int(v), fmt_int(tot), per))
            else:
                used.append("informal share 1-{}/{} formal (Sakernas {})".format(fmt_int(v), fmt_int(tot), per))
        else:
            ishare = F(NAT_INFORMAL_2024_08, NAT_EMPLOYED_2024_08)
            filled.append("informal share 83.83M/144.64M (Sakernas Aug 2024)")
        labour_txt = used + filled            # employed and informal share, as used (for Tanah Bumbu)
        # active participants
        a = src.latest(src.bpjs, p, {USE_ONLY_INDICATOR})
        if a:
            act = int(a["value"])
            date = a["period"] + "-01"
            used.append("active {} (BPJS Ketenagakerjaan via Kemnaker, {}{})".format(fmt_int(act), a["period"], prec(a)))
        else:
            act = rnd(src.nat_active * share)
            date = "2025-02-01"
            filled.append("active = 41.38M (Feb 2025) x population share")
            other = [r for r in src.bpjs if r["region_level"] == "province" and r["kode"] == p]
            if other:   # Papua Barat: branch figure of a different definition, not used
                o = max(other, key=lambda r: r["period"])
                filled.append("BPJS branch figure {} ({}, '{}', vs BPJS 'potensi angkatan kerja'; active status "
                              "not stated) not used".format(fmt_int(int(o["value"])), o["period"], o["indicator"]))
        filled.append("PU:BPU = 26.26M:9.58M (Feb 2025)")
        split = lr(act, [("1pu", src.nat_pu), ("2bpu", src.nat_bpu)])
        res, notes = derive_province(kabs, emp, ishare, split["1pu"], split["2bpu"], counts)
        prov_txt = "Province figures: " + ("; ".join(used) if used else "none") + \
                   ". National rule: " + "; ".join(filled) + "."
        params[p] = dict(employed=emp, informal_share=ishare, active=act, date=date, notes=notes, res=res,
                         pop=pop_p, labour_txt=list(labour_txt))
        rule = (" Kab/kota by Dukcapil 2024 population share; vulnerable 0.32 of informal; officials 47/desa, "
                "30/kelurahan (villages.csv); active officials staff+BPD x0.9926, RT/RW x0.5.")
        prov_notes = [t for k, t in notes if k is None]
        kr = []
        for k, _ in kabs:
            extra = [t for kk, t in notes if kk == k] + prov_notes
            bas = prov_txt + rule + ((" CAPPED: " + "; ".join(extra) + ".") if extra else "")
            kr.append(row(k, kab_layer[k], date, res[k], bas))
        kab_rows += kr
        prov_rows.append(row(p, prov_layer[p], date, sum_rows(kr), "Sum of its kab/kota rows. "
                             + prov_txt + rule + ((" CAPPED: " + "; ".join(t for _, t in notes) + ".")
                                                   if notes else "")))
    return dict(kab=kab_rows, prov=prov_rows, params=params,
                layers=dict(provinsi=prov_layer, kabkota=kab_layer), counts=counts)


def jatim(src):
    kab_layer = layer("idn_kabkota.gpkg", "kabkota")
    kabs = [(r["code"], int(r["population"])) for r in sorted(src.pop_jatim, key=lambda r: r["code"])]
    assert len(kabs) == 38 and all(k.startswith("35.") for k, _ in kabs)
    j = JATIM
    workers = rnd(F(j["active"]) / j["coverage"])
    formal, _ = src.sak_value("35", "2022-08", "employed_formal")
    emp, _ = src.sak_value("35", "2022-08", "employed")
    ishare = F(emp - formal, emp)
    counts = village_counts_from_codes(r["code"] for r in src.villages if r["code"].startswith("35."))
    split = lr(j["active"], [("1pu", src.nat_pu), ("2bpu", src.nat_bpu)])
    res, notes = derive_province(kabs, workers, ishare, split["1pu"], split["2bpu"], counts)
    assert not notes, notes
    bas = ("W=4,300,000/0.2768={} (Sekdaprov Jatim, Thu 17/11 = 17 Nov 2022: 4.3M of ~15M workers covered = "
           "27.68%; BPJS denominator, not BPS employed); Dukcapil 2024 population share; informal share "
           "1-7.81M/21.61M formal (BPS Sakernas Jatim Aug 2022); 4.3M active split PU:BPU 26.26M:9.58M "
           "(national Feb 2025); vulnerable 0.32 of informal; officials 47/desa, 30/kelurahan (villages.csv); "
           "active officials staff+BPD x0.9926, RT/RW x0.5; rest of PU to formal").format(fmt_int(workers))
    rows = [row(k, kab_layer[k], j["date"], res[k], bas) for k, _ in kabs]
    return dict(kab=rows, workers=workers, pu=split["1pu"], bpu=split["2bpu"], ishare=ishare)


def jatim_2023(src):
    """Jawa Timur on the 2023 basis: the rules of jatim(), with the stated workers and PU/BPU split."""
    kab_layer = layer("idn_kabkota.gpkg", "kabkota")
    kabs = [(r["code"], int(r["population"])) for r in sorted(src.pop_jatim, key=lambda r: r["code"])]
    assert len(kabs) == 38 and all(k.startswith("35.") for k, _ in kabs)
    j = JATIM_2023
    assert j["active_pu"] + j["active_bpu"] == j["active"]
    assert F(rnd(F(j["active"] * 10000, j["workers"])), 100) == F(j["coverage_pct"])      # 29.84 %
    formal, _ = src.sak_value("35", j["sakernas"], "employed_formal")
    emp, _ = src.sak_value("35", j["sakernas"], "employed")
    assert (emp, formal) == (22700000, 8370000)
    ishare = F(emp - formal, emp)
    counts = village_counts_from_codes(r["code"] for r in src.villages if r["code"].startswith("35."))
    res, notes = derive_province(kabs, j["workers"], ishare, j["active_pu"], j["active_bpu"], counts)
    assert not notes, notes
    bas = ("W=14,531,668 (Jawa Timur 2023 basis, end of 2023: 4,336,959 covered = 29.84%, PU 3,300,717 and BPU "
           "1,036,242; provincial target for 2025: 40%; regional news reports, secondary: the page was not found "
           "again; BPJS denominator, not BPS employed); Dukcapil 2024 population share; informal share "
           "1-8.37M/22.70M formal (BPS Sakernas Jatim Aug 2023); vulnerable 0.32 of informal; officials 47/desa, "
           "30/kelurahan (villages.csv); active officials staff+BPD x0.9926, RT/RW x0.5 carved out of PU, rest of "
           "PU to formal; BPU split informal/vulnerable by pools")
    rows = [row(k, kab_layer[k], j["date"], res[k], bas) for k, _ in kabs]
    return dict(kab=rows, ishare=ishare, res=res)


# --- Kab. Bangka Barat (19.05): the RT/RW heads the Dec 2023 seed states -------------------------
def bangka_barat(bb):
    """The 19.05 row of the Babel files with the seed's RT/RW heads (800, of whom 400 uncovered) in place of
    the 30-per-village rule. Workers, informal, vulnerable, staff+BPD and the kab's PU and BPU actives are
    those of babel_kabkota_2025-06.csv; the RT/RW heads not counted as officials are formal workers (formal
    is the remainder), and the PU actives not counted as active RT/RW are active formal."""
    t = BANGKA_BARAT
    assert datetime.date(*t["event"]).strftime("%A") == "Monday"          # seed: "Senin (18/12/2023)"
    k = t["code"]
    base = bb["res"][k]
    nd, nk = base["_nd"], base["_nk"]
    assert (nd, nk) == (60, 4)
    rec = {c: base[c] for c in ["villages", "workers", "workers_informal", "workers_vulnerable",
                                "active_informal", "active_vulnerable"]}
    staff = (STAFF_PER_DESA + BPD_PER_DESA) * nd
    rtrw_active = t["rtrw"] - t["rtrw_uncovered"]
    rec["workers_officials"] = staff + t["rtrw"]
    rec["active_officials"] = base["_ao_staff"] + rtrw_active
    rec["workers_formal"] = rec["workers"] - rec["workers_informal"] - rec["workers_vulnerable"] - \
        rec["workers_officials"]
    pu = base["active_formal"] + base["active_officials"]
    rec["active_formal"] = pu - rec["active_officials"]
    rec.update(_ao_staff=base["_ao_staff"], _ao_rtrw=rtrw_active, _nd=nd, _nk=nk)
    rule_heads, rule_active = RTRW_PER_VILLAGE * base["villages"], base["_ao_rtrw"]
    kab_basis = ("babel_kabkota_2025-06.csv 19.05 (W, informal, vulnerable, staff+BPD 17/desa with {sa} active, PU "
                 "{pu} and BPU {bpu} actives of the kab/kota) with the RT/RW heads of the seed in place of the rule "
                 "of 30 per village ({rh} heads, {ra} active): {h} RT/RW heads of whom {u} uncovered, {a} active "
                 "(portaldutaradio.com, Mon 18 Dec 2023: \"800-an RT RW\", \"sekitar 400-an\" not covered); the "
                 "{dh} heads fewer are formal workers (formal = the remainder) and the {da} PU actives fewer among "
                 "the officials are active formal").format(
        sa=fmt_int(base["_ao_staff"]), pu=fmt_int(pu), bpu=fmt_int(base["active_informal"] + base["active_vulnerable"]),
        rh=fmt_int(rule_heads), ra=fmt_int(rule_active), h=t["rtrw"], u=t["rtrw_uncovered"], a=rtrw_active,
        dh=fmt_int(rule_heads - t["rtrw"]), da=rule_active - rtrw_active)
    kab_rows = [row(k, bb["layers"]["kabkota"][k], BABEL["date"], rec, kab_basis)]
    desa_layer = OrderedDict((c, n) for c, n in bb["layers"]["desa"].items() if c.startswith(k + "."))
    desa_rows = village_rows([k], {k: rec}, desa_layer, BABEL["date"], "bangka_barat_kabkota_2025-06.csv",
                             rtrw={k: (t["rtrw"], rtrw_active)})
    return dict(kab=kab_rows, desa=desa_rows, rec=rec, base=base, staff=staff, pu=pu)


# --- Kab. Tanah Bumbu (63.10), village level ---------------------------------------------
def tanah_bumbu(src, nat):
    t = TANAH_BUMBU
    assert datetime.date(*t["event"]).strftime("%A") == "Wednesday"      # seed: "Rabu (15/3/2023)"
    assert t["date"] == datetime.date(*t["event"]).replace(day=1).isoformat()
    prov, kab = t["province"], t["code"]
    # villages: the national simplified desa layer (source) and the bundled subset must agree
    desa_nat = national_desa_layer(src.data, kab + ".%")
    desa_layer = layer("tanah_bumbu_63_10.gpkg", "desa")
    kab_layer = layer("tanah_bumbu_63_10.gpkg", "kabkota")
    kec_layer = layer("tanah_bumbu_63_10.gpkg", "kecamatan")
    assert list(desa_layer.items()) == list(desa_nat.items()), "tanah_bumbu_63_10.gpkg desa != national layer"
    assert list(kab_layer.items()) == [(kab, nat["layers"]["kabkota"][kab])]
    assert set(c[:8] for c in desa_layer) == set(kec_layer)
    counts = village_counts_from_codes(desa_layer)
    ref_counts = nat["counts"][kab]            # villages.csv: also 8 desa without a polygon

    # workers: the kab/kota pools of the national file (province employed x population share,
    # province informal share, 0.32 vulnerable), so W matches idn_kabkota.csv; officials from the layer
    pp = nat["params"][prov]
    w, inf_incl, vul = pp["res"][kab]["workers"], pp["res"][kab]["_inf_incl"], pp["res"][kab]["workers_vulnerable"]
    pop_kab = [int(r["population"]) for r in src.pop_idn if r["code"] == kab][0]
    kabs = [(kab, pop_kab)]
    # formal workers by workplace: PU actives are counted where the employer registers them, so the formal
    # workers must hold the formal actives at most at the formal saturation; workers registered here above
    # the residents (in-commuters, workers registered with Dukcapil elsewhere) are added, nobody is dropped
    with open(os.path.join(os.path.dirname(GEODATA), "models", "jamsostek.toml"), encoding="utf-8") as f:
        model = f.read()       # the saturation used must be the model's (plain text: no toml module needed)
    sat = model.split("[parameters.saturation.formal]", 1)[1].split("value =", 1)[1].split("\n", 1)[0]
    assert F(sat.split("#")[0].strip()) == SATURATION_FORMAL, sat
    res0, _ = derive_from_pools(kabs, {kab: (w, inf_incl, vul)}, t["active_pu"], t["active_bpu"], counts)
    resident_formal = res0[kab]["workers_formal"]
    af_needed = t["active_pu"] - res0[kab]["active_officials"]
    workplace_formal = max(resident_formal, math.ceil(F(af_needed) / SATURATION_FORMAL))
    excess = workplace_formal - resident_formal
    res, notes = derive_from_pools(kabs, {kab: (w + excess, inf_incl, vul)}, t["active_pu"], t["active_bpu"],
                                   counts)
    r = res[kab]
    pu_used = r["active_formal"] + r["active_officials"]
    bpu_used = r["active_informal"] + r["active_vulnerable"]

    prov_txt = "Kalimantan Selatan, as in idn_kabkota.csv: " + "; ".join(pp["labour_txt"])
    common = ("Resident W = {w} = {pt} x Dukcapil DKB Sem II 2024 population share {pk}/{pp} (largest remainder over the "
              "province's kab/kota, = idn_kabkota.csv 63.10); informal incl. vulnerable {inf}, vulnerable 0.32 "
              "of informal = {vul}; officials 47/desa, 30/kelurahan over the {n} villages of the desa layer "
              "({nd} desa + {nk} kelurahan; villages.csv has {rn}); active PU 88,000 and BPU 25,000 (BPJS "
              "Ketenagakerjaan Batulicin branch, Barito Post, Wed 15 Mar 2023, rounded 'ribu'); active officials "
              "staff+BPD x0.9926, RT/RW x0.5 (Babel 2025 rates) carved out of PU, rest of PU to formal; BPU split "
              "informal/vulnerable by pools. Formal workers by workplace: PU actives are counted where the employer "
              "registers them, so formal workers = max(resident formal {rf}, ceil(formal actives {af} / formal "
              "saturation 0.95) = {wf}) = {wf}; the {ex} above the residents are workers registered here "
              "(in-commuting or registered with Dukcapil elsewhere), added to W ({w} + {ex} = {wt}); nobody "
              "dropped").format(rf=fmt_int(resident_formal), af=fmt_int(af_needed), wf=fmt_int(workplace_formal),
                                ex=fmt_int(excess), wt=fmt_int(w + excess),
        w=fmt_int(w), pt=fmt_int(pp["employed"]), pk=fmt_int(pop_kab), pp=fmt_int(pp["pop"]),
        inf=fmt_int(inf_incl), vul=fmt_int(vul), n=r["villages"], nd=r["_nd"], nk=r["_nk"],
        rn=ref_counts["desa"] + ref_counts["kelurahan"]) + ". " + prov_txt
    dropped = []
    if pu_used < t["active_pu"]:
        dropped.append("{} of the {} PU dropped".format(fmt_int(t["active_pu"] - pu_used), fmt_int(t["active_pu"])))
    if bpu_used < t["active_bpu"]:
        dropped.append("{} of the {} BPU dropped".format(fmt_int(t["active_bpu"] - bpu_used), fmt_int(t["active_bpu"])))
    capped = (" CAPPED: " + "; ".join(x for _, x in notes) + " (" + "; ".join(dropped) + ")") if notes else ""
    kab_rows = [row(kab, kab_layer[kab], t["date"], r, common + "." + capped)]
    desa_rows = village_rows([kab], res, desa_layer, t["date"], "tanah_bumbu_kabkota_2023-03.csv",
                             ("; kab/kota row capped (" + "; ".join(dropped) + ")") if notes else
                             ("; formal workers: the residents split equally, the {} workplace workers above them "
                              "in proportion to the villages' resident formal workers").format(fmt_int(excess)),
                             formal_excess={kab: excess})
    return dict(kab=kab_rows, desa=desa_rows, notes=notes, pu_used=pu_used, bpu_used=bpu_used, excess=excess,
                resident_formal=resident_formal, af_needed=af_needed, workplace_formal=workplace_formal,
                pools=(w, inf_incl, vul), counts=counts, ref_counts=ref_counts,
                layers=dict(kabkota=kab_layer, kecamatan=kec_layer, desa=desa_layer, desa_nat=desa_nat))


# --- national start state at the end of December 2022, by residence ------------------------
DEC2022 = dict(date="2022-12-01", period="2022-12", total=35860000, pu=22830000, bpu=6000000, jakon=7020000)
DEC2022_FILE = "idn_provinsi_2022-12.csv"


def national_2022(src, nat):
    """One row per province: the workers of idn_provinsi.csv and the Dec 2022 national actives
    (PU + Jakon employer-paid, BPU) split by each province's earliest provincial active figure.
    Workplace excess above the resident formal workers is moved to the other provinces (residence),
    never dropped.  See geodata/README.md."""
    t = DEC2022
    series = {r["indicator"]: int(r["value"]) for r in src.series
              if r["region_level"] == "national" and r["period"] == t["period"]}
    assert (series["bpjstk_participants_active"], series["bpjstk_active_wage_earners_PU"],
            series["bpjstk_active_non_wage_earners_BPU"], series["bpjstk_active_construction_Jakon"]) == \
        (t["total"], t["pu"], t["bpu"], t["jakon"])
    # the three parts (each rounded to 0.01 million) sum to 10,000 less than the total: the gap is
    # spread equally over them, so each stays inside its own rounding interval (+-5,000)
    gap = t["total"] - t["pu"] - t["bpu"] - t["jakon"]
    g = lr(gap, [("1pu", 1), ("2bpu", 1), ("3jakon", 1)])
    pu, bpu, jakon = t["pu"] + g["1pu"], t["bpu"] + g["2bpu"], t["jakon"] + g["3jakon"]
    assert gap == 10000 and all(0 <= v <= 5000 for v in g.values())
    employer = pu + jakon
    assert employer + bpu == t["total"]

    prov = OrderedDict((r["code"], r) for r in nat["prov"])
    weights, wtxt = OrderedDict(), {}
    for p, r in prov.items():
        c = [x for x in src.bpjs if x["region_level"] == "province" and x["kode"] == p
             and x["indicator"] == USE_ONLY_INDICATOR]
        if c:
            e = min(c, key=lambda x: x["period"])
            weights[p] = int(e["value"])
            wtxt[p] = "its earliest provincial active figure {} ({}{})".format(
                fmt_int(weights[p]), e["period"], prec(e))
        else:
            weights[p] = sum(r["active_" + s] for s in SEGS)
            wtxt[p] = "no provincial active figure; its derived actives {} in idn_provinsi.csv".format(
                fmt_int(weights[p]))
    wsum = sum(weights.values())
    ep = lr(employer, list(weights.items()))
    bp = lr(bpu, list(weights.items()))

    recs = OrderedDict()
    for p, r in prov.items():
        rec = {c: r[c] for c in ["villages", "workers", "workers_formal", "workers_informal",
                                 "workers_vulnerable", "workers_officials", "active_officials"]}
        assert rec["active_officials"] <= ep[p], p
        rec["_workplace_formal"] = ep[p] - rec["active_officials"]
        seg = lr(bp[p], [("1informal", rec["workers_informal"]), ("2vulnerable", rec["workers_vulnerable"])])
        rec["active_informal"], rec["active_vulnerable"] = seg["1informal"], seg["2vulnerable"]
        recs[p] = rec

    # workplace -> residence: hubs hold more employer-paid actives than resident formal workers
    hubs = [p for p, r in recs.items() if r["_workplace_formal"] > r["workers_formal"]]
    others = [p for p in recs if p not in hubs]
    top = max(others, key=lambda p: (F(recs[p]["_workplace_formal"], recs[p]["workers_formal"]), -int(p)))
    res_cover = F(recs[top]["_workplace_formal"], recs[top]["workers_formal"])
    excess = OrderedDict()
    for h in hubs:
        keep = rnd(res_cover * recs[h]["workers_formal"])
        excess[h] = recs[h]["_workplace_formal"] - keep
        recs[h]["active_formal"] = keep
    moved = lr(sum(excess.values()), [(p, recs[p]["workers_formal"] - recs[p]["_workplace_formal"]) for p in others])
    for p in others:
        recs[p]["active_formal"] = recs[p]["_workplace_formal"] + moved[p]
        recs[p]["_moved"] = moved[p]
    formal_others = sum(recs[p]["active_formal"] for p in others)
    share = OrderedDict((h, F(excess[h], formal_others)) for h in hubs)

    def pct(x, digits=4):
        return "{:.{}f}".format(float(x), digits)

    ws_txt = "; ".join("{} {} = {}/{} = {}".format(h, prov[h]["name"], fmt_int(excess[h]), fmt_int(formal_others),
                                                  pct(share[h], 6)) for h in hubs)
    common = ("State at the end of Dec 2022 by residence, never capped. Workers as idn_provinsi.csv (same employed, "
              "informal share, 0.32 vulnerable, officials 47/desa, 30/kelurahan). Actives: national Dec 2022 "
              "35,860,000 = PU {pu} + Jakon {jk} (employer-paid {ep}) + BPU {bpu} (Bisnis.com 12 May 2023: PU 22.83M, "
              "BPU 6.0M, Jakon 7.02M, total 35.86M; the 10,000 the rounded parts fall short of the total spread "
              "equally over them), split over the 38 provinces by each province's earliest provincial active figure "
              "(weights sum {ws}); employer-paid = active officials (staff+BPD x0.9926, RT/RW x0.5) + formal; BPU "
              "split informal/vulnerable by pools. Workplace to residence: {nh} provinces ({hl}) hold more "
              "employer-paid actives than resident formal workers; each keeps RES_COVER = {rc} ({tc} {tn}: "
              "{tf}/{tw}, the highest formal coverage among the other provinces) x its formal workers, and the "
              "excess {ex} goes to the formal workers of the other {no} provinces by uncovered formal workers "
              "(largest remainder). WORKPLACE_SHARE (excess / formal actives of the other provinces, {fo}): {wst}."
              ).format(pu=fmt_int(pu), jk=fmt_int(jakon), ep=fmt_int(employer), bpu=fmt_int(bpu), ws=fmt_int(wsum),
                       nh=len(hubs), hl=", ".join(hubs), rc=pct(res_cover, 6), tc=top, tn=prov[top]["name"],
                       tf=fmt_int(recs[top]["_workplace_formal"]), tw=fmt_int(recs[top]["workers_formal"]),
                       ex=fmt_int(sum(excess.values())), no=len(others), fo=fmt_int(formal_others), wst=ws_txt)
    rows = []
    for p, rec in recs.items():
        own = ("Weight: {}; employer-paid {}, BPU {}.".format(wtxt[p], fmt_int(ep[p]), fmt_int(bp[p])))
        if p in hubs:
            own += (" HUB (workplace formal {} > {} resident formal workers): residence formal actives {} = "
                    "RES_COVER x {}; {} moved to the other provinces; WORKPLACE_SHARE {}.").format(
                fmt_int(rec["_workplace_formal"]), fmt_int(rec["workers_formal"]), fmt_int(rec["active_formal"]),
                fmt_int(rec["workers_formal"]), fmt_int(excess[p]), pct(share[p], 6))
        else:
            own += " Formal actives {} at the workplace + {} residents registered in {}.".format(
                fmt_int(rec["_workplace_formal"]), fmt_int(rec["_moved"]), "/".join(hubs))
        rows.append(row(p, prov[p]["name"], t["date"], rec, own + " " + common))
    return dict(rows=rows, pu=pu, bpu=bpu, jakon=jakon, employer=employer, hubs=hubs, excess=excess,
                res_cover=res_cover, top=top, share=share, formal_others=formal_others, ep=ep, bp=bp,
                weights=weights, recs=recs)


# --- observed UCJ coverage (Universal Coverage Jamsostek) -----------------------------------
OBS_HEADER = ["region_level", "kode", "region_name", "period", "indicator", "value", "unit", "precision",
              "source", "source_url"]
UCJ_FILE = "ucj_coverage.csv"


def ucj_observations(src, layers):
    """UCJ / BPJS coverage figures with a stated date, one observation per row."""
    babel_src = ("ANTARA Babel, 20 Jun 2025, \"Babel optimalkan perlindungan sosial hingga perdesaan\": BPJS "
                 "Ketenagakerjaan Wilayah Sumbagsel, per 1 Juni 2025 Universal Coverage Jamsostek 144,070 participants "
                 "(115,472 formal + 28,598 informal) = 27.24% (target 57.17%)")
    babel_url = "https://babel.antaranews.com/berita/494257/babel-optimalkan-perlindungan-sosial-hingga-perdesaan"
    bangka_src = ("ANTARA Babel (Sungailiat, Wednesday; Oct 2024 by the article sequence): BPJS Ketenagakerjaan "
                  "Babel, Kabupaten Bangka 37,229 participants = 31.50% coverage; target 41,101 in 2025")
    bangka_url = "https://babel.antaranews.com/berita/438802/bpjs-ketenagakerjaan-babel-targetkan-41101-peserta-baru"
    jatim_src = ("News report \"Sekdaprov Jatim Minta BPJS Ketenagakerjaan Masifkan Edukasi Manfaat Asuransi Jaminan "
                 "Kerja\" (dateline Surabaya, JP), Thursday 17/11 = 17 Nov 2022: 4.3 million of ~15 million working "
                 "people covered = 27.68%")
    with open(os.path.join(src.data, "SOURCES.md"), encoding="utf-8") as f:
        sources_md = f.read()
    assert "37,229 participants = 31.50% coverage" in sources_md and "438802" in sources_md
    assert rnd(F(BABEL["active"] * 10000, BABEL["workers"])) == 2724            # 27.24 %
    pb = {r["indicator"]: r for r in src.bpjs if r["region_level"] == "province" and r["kode"] == "92"
          and r["period"] == "2023-08"}
    pb_part, pb_pot = int(pb["bpjstk_participants"]["value"]), int(pb["bpjstk_potential_workforce"]["value"])
    assert rnd(F(pb_part * 10000, pb_pot)) == 8269 and "8269-persen" in pb["bpjstk_participants"]["source_url"]
    prov, kab = layers["provinsi"], layers["kabkota"]

    def obs(level, kode, name, period, indicator, value, unit, precision, source, url):
        return OrderedDict(zip(OBS_HEADER, [level, kode, name, period, indicator, value, unit, precision, source, url]))
    rows = [
        obs("province", "19", prov["19"], "2025-06", "ucj_coverage", BABEL["coverage_pct"], "percent",
            "0.01 percent", babel_src, babel_url),
        obs("province", "19", prov["19"], "2025-06", "ucj_participants", str(BABEL["active"]), "persons", "exact",
            babel_src, babel_url),
        obs("kabkota", "19.01", kab["19.01"], "2024-10", "ucj_coverage", "31.50", "percent", "0.01 percent",
            bangka_src, bangka_url),
        obs("kabkota", "19.01", kab["19.01"], "2024-10", "ucj_participants", "37229", "persons", "exact",
            bangka_src, bangka_url),
        obs("province", "35", prov["35"], "2022-11", "ucj_coverage", "27.68", "percent", "0.01 percent",
            jatim_src, ""),
        obs("province", "35", prov["35"], "2022-11", "ucj_participants", str(JATIM["active"]), "persons",
            "0.1 million", jatim_src, ""),
        obs("province", "92", prov["92"], "2023-08", "ucj_coverage", "82.69", "percent", "0.01 percent",
            pb["bpjstk_participants"]["source"] + "; {} of {} = 82.69% (headline)".format(
                fmt_int(pb_part), fmt_int(pb_pot)), pb["bpjstk_participants"]["source_url"]),
        obs("province", "92", prov["92"], "2023-08", "ucj_participants", str(pb_part), "persons", "exact",
            pb["bpjstk_participants"]["source"], pb["bpjstk_participants"]["source_url"]),
    ]
    return rows


def write_observations(fname, rows):
    buf = io.StringIO()
    buf.write(",".join(OBS_HEADER) + "\n")
    for r in rows:
        buf.write(",".join(q(r[c]) for c in OBS_HEADER) + "\n")
    data = buf.getvalue().encode("utf-8")
    path = os.path.join(GEODATA, "observations", fname)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    print("wrote {} ({} rows, {} bytes)".format(os.path.relpath(path, os.path.dirname(GEODATA)), len(rows), len(data)))


# --- checks ----------------------------------------------------------------------------
def check_rows(rows, officials_rule=True):
    """officials_rule=False for rows whose RT/RW heads are stated (bangka_barat_*): then verify() checks
    officials = 17 x desa + the stated heads instead."""
    for r in rows:
        assert r["workers"] == sum(r["workers_" + s] for s in SEGS), r["code"]
        # officials = 47 desa + 30 kelurahan with desa + kelurahan = villages
        v, extra = r["villages"], r["workers_officials"] - OFFICIALS_KELURAHAN * r["villages"]
        assert v >= 0
        if officials_rule:
            assert extra % (OFFICIALS_DESA - OFFICIALS_KELURAHAN) == 0 and \
                0 <= extra // (OFFICIALS_DESA - OFFICIALS_KELURAHAN) <= v, (r["code"], "villages/officials")
        if r["code"].count(".") == 3:
            assert v == 1, r["code"]
        for s in SEGS:
            assert 0 <= r["active_" + s] <= r["workers_" + s], (r["code"], s)
        assert r["estimate"] in ("yes", "no") and r["basis"], r["code"]


def check_sum(parent_rows, child_rows, keylen):
    acc = defaultdict(lambda: {c: 0 for c in NUM})
    for r in child_rows:
        for c in NUM:
            acc[r["code"][:keylen]][c] += r[c]
    assert set(acc) == {r["code"] for r in parent_rows}
    for r in parent_rows:
        for c in NUM:
            assert acc[r["code"]][c] == r[c], (r["code"], c)


def check_codes(rows, lay):
    assert [r["code"] for r in rows] == sorted(r["code"] for r in rows)
    assert set(r["code"] for r in rows) <= set(lay), "code not in boundary layer"
    for r in rows:
        assert r["name"] == lay[r["code"]]


def verify(bb, nat, jt, tb, dec, ucj, src, j23, bba):
    # Babel
    for t in ("prov", "kab", "kec", "desa"):
        check_rows(bb[t])
    assert (len(bb["prov"]), len(bb["kab"]), len(bb["kec"]), len(bb["desa"])) == (1, 7, 47, 391)
    p = bb["prov"][0]
    assert p["workers"] == BABEL["workers"]
    assert p["active_formal"] + p["active_officials"] == BABEL["active_pu"]
    assert p["active_informal"] + p["active_vulnerable"] == BABEL["active_bpu"]
    assert sum(p["active_" + s] for s in SEGS) == BABEL["active"]
    assert p["workers_officials"] == 309 * 47 + 82 * 30
    assert p["villages"] == 391 == len(bb["desa"])
    check_sum(bb["kab"], bb["desa"], 5)
    check_sum(bb["kec"], bb["desa"], 8)
    check_sum(bb["kab"], bb["kec"], 5)
    check_sum(bb["prov"], bb["kab"], 2)
    lay = bb["layers"]
    check_codes(bb["prov"], lay["provinsi"]); check_codes(bb["kab"], lay["kabkota"])
    check_codes(bb["kec"], lay["kecamatan"]); check_codes(bb["desa"], lay["desa"])
    assert len(lay["desa"]) == 391 and len(lay["kecamatan"]) == 47 and len(lay["kabkota"]) == 7
    # national
    check_rows(nat["kab"]); check_rows(nat["prov"])
    assert len(nat["kab"]) == 514 and len(nat["prov"]) == 38
    check_codes(nat["kab"], nat["layers"]["kabkota"]); check_codes(nat["prov"], nat["layers"]["provinsi"])
    assert {r["code"] for r in nat["kab"]} == set(nat["layers"]["kabkota"])
    assert {r["code"] for r in nat["prov"]} == set(nat["layers"]["provinsi"])
    check_sum(nat["prov"], nat["kab"], 2)
    assert sum(r["villages"] for r in nat["prov"]) == len(src.villages) == 83762
    for r in nat["kab"]:
        c = nat["counts"][r["code"]]
        assert r["villages"] == c["desa"] + c["kelurahan"], r["code"]
        assert r["workers_officials"] == OFFICIALS_DESA * c["desa"] + OFFICIALS_KELURAHAN * c["kelurahan"]
    for r in nat["prov"]:
        pr = nat["params"][r["code"]]
        assert r["workers"] == pr["employed"], r["code"]
        if not pr["notes"]:
            assert sum(r["active_" + s] for s in SEGS) == pr["active"], r["code"]
    # Jatim
    check_rows(jt["kab"])
    assert len(jt["kab"]) == 38
    check_codes(jt["kab"], nat["layers"]["kabkota"])
    s = sum_rows(jt["kab"])
    assert s["workers"] == jt["workers"] == 15534682
    assert s["active_formal"] + s["active_officials"] == jt["pu"]
    assert s["active_informal"] + s["active_vulnerable"] == jt["bpu"]
    assert jt["pu"] + jt["bpu"] == JATIM["active"]
    assert s["villages"] == 7721 + 773 and s["workers_officials"] == 386077
    # Jatim, 2023 basis: same rules, the stated totals exactly
    j = JATIM_2023
    check_rows(j23["kab"])
    assert [r["code"] for r in j23["kab"]] == [r["code"] for r in jt["kab"]]
    check_codes(j23["kab"], nat["layers"]["kabkota"])
    s = sum_rows(j23["kab"])
    assert s["workers"] == j["workers"] == 14531668
    assert s["active_formal"] + s["active_officials"] == j["active_pu"] == 3300717
    assert s["active_informal"] + s["active_vulnerable"] == j["active_bpu"] == 1036242
    assert sum(s["active_" + x] for x in SEGS) == j["active"] == 4336959
    assert s["villages"] == 7721 + 773 and s["workers_officials"] == 386077
    for a, b in zip(j23["kab"], jt["kab"]):      # same villages, officials and active officials per kab/kota
        assert (a["villages"], a["workers_officials"], a["active_officials"]) == \
            (b["villages"], b["workers_officials"], b["active_officials"]), a["code"]
    assert all(r["date"] == j["date"] for r in j23["kab"])
    # Bangka Barat: the seed's RT/RW heads; everything else as the Babel 19.05 row
    t, kr = BANGKA_BARAT, bba["kab"][0]
    check_rows(bba["kab"], officials_rule=False); check_rows(bba["desa"], officials_rule=False)
    assert len(bba["desa"]) == 64 == kr["villages"]
    check_codes(bba["kab"], bb["layers"]["kabkota"]); check_codes(bba["desa"], bb["layers"]["desa"])
    check_sum(bba["kab"], bba["desa"], 5)
    br = [r for r in bb["kab"] if r["code"] == t["code"]][0]
    for c in ("villages", "workers", "workers_informal", "workers_vulnerable", "active_informal", "active_vulnerable"):
        assert kr[c] == br[c], c
    assert kr["active_formal"] + kr["active_officials"] == br["active_formal"] + br["active_officials"] == bba["pu"]
    assert kr["workers_formal"] + kr["workers_officials"] == br["workers_formal"] + br["workers_officials"]
    assert kr["workers_officials"] == bba["staff"] + t["rtrw"] == 17 * 60 + 800
    assert kr["workers_officials"] - kr["active_officials"] == \
        (bba["staff"] - bba["base"]["_ao_staff"]) + t["rtrw_uncovered"]
    heads = 0
    for r in bba["desa"]:
        h = r["workers_officials"] - (17 if village_kind(r["code"]) == "desa" else 0)
        assert h >= 0, r["code"]
        heads += h
    assert heads == t["rtrw"]
    # Tanah Bumbu
    t = TANAH_BUMBU
    check_rows(tb["kab"]); check_rows(tb["desa"])
    lay = tb["layers"]
    assert len(tb["kab"]) == 1 and len(tb["desa"]) == 149 == len(lay["desa"]) == len(lay["desa_nat"])
    assert len(lay["kecamatan"]) == 12
    check_codes(tb["kab"], lay["kabkota"]); check_codes(tb["desa"], lay["desa"])
    check_codes(tb["desa"], lay["desa_nat"])
    assert [r["code"] for r in tb["desa"]] == list(lay["desa"]), "a village of the layer has no row"
    check_sum(tb["kab"], tb["desa"], 5)                  # village rows sum exactly to the kab row
    k = tb["kab"][0]
    assert (tb["counts"][t["code"]]["desa"], tb["counts"][t["code"]]["kelurahan"]) == (144, 5)
    assert k["villages"] == 149 and k["workers_officials"] == 144 * 47 + 5 * 30
    nk = [r for r in nat["kab"] if r["code"] == t["code"]][0]
    ex = tb["excess"]                                    # workplace formal workers above the residents
    assert k["workers"] == nk["workers"] + ex and k["workers_vulnerable"] == nk["workers_vulnerable"]
    assert k["workers_formal"] + k["workers_informal"] + k["workers_officials"] == \
        nk["workers_formal"] + nk["workers_informal"] + nk["workers_officials"] + ex
    assert (k["workers"] - ex, k["workers_informal"] + k["workers_vulnerable"], k["workers_vulnerable"]) == tb["pools"]
    assert k["workers_formal"] == tb["workplace_formal"] == tb["resident_formal"] + ex
    assert k["active_formal"] == tb["af_needed"] <= SATURATION_FORMAL * k["workers_formal"]
    assert ex == 0 or SATURATION_FORMAL * (k["workers_formal"] - 1) < k["active_formal"]   # the least that holds them
    assert not tb["notes"] and tb["pu_used"] == t["active_pu"] and tb["bpu_used"] == t["active_bpu"]  # nobody dropped
    assert k["active_informal"] + k["active_vulnerable"] == tb["bpu_used"] <= t["active_bpu"]
    assert k["active_formal"] + k["active_officials"] == tb["pu_used"] <= t["active_pu"]
    # participants are dropped only by a stated cap, and then the capped pool is fully covered
    assert (tb["pu_used"] < t["active_pu"] or tb["bpu_used"] < t["active_bpu"]) == bool(tb["notes"])
    if tb["pu_used"] < t["active_pu"]:
        assert k["active_formal"] == k["workers_formal"]
    if tb["bpu_used"] < t["active_bpu"]:
        assert k["active_informal"] == k["workers_informal"] or k["active_vulnerable"] == k["workers_vulnerable"]
    assert all(r["date"] == t["date"] for r in tb["kab"] + tb["desa"])
    # national start state, Dec 2022 (by residence, never capped)
    dz = dec
    check_rows(dz["rows"])
    assert len(dz["rows"]) == 38
    check_codes(dz["rows"], nat["layers"]["provinsi"])
    assert {r["code"] for r in dz["rows"]} == set(nat["layers"]["provinsi"])
    for r, pr in zip(dz["rows"], nat["prov"]):
        assert r["code"] == pr["code"] and r["date"] == DEC2022["date"]
        for c in ["villages", "workers"] + ["workers_" + s for s in SEGS] + ["active_officials"]:
            assert r[c] == pr[c], (r["code"], c)
        assert r["active_formal"] + r["active_officials"] == dz["ep"][r["code"]] - dz["excess"].get(r["code"], 0) \
            + dz["recs"][r["code"]].get("_moved", 0)
        assert r["active_informal"] + r["active_vulnerable"] == dz["bp"][r["code"]]
    s = sum_rows(dz["rows"])
    assert s["active_formal"] + s["active_officials"] == dz["employer"] == dz["pu"] + dz["jakon"]
    assert s["active_informal"] + s["active_vulnerable"] == dz["bpu"]
    assert sum(s["active_" + x] for x in SEGS) == DEC2022["total"] == 35860000
    assert abs(dz["pu"] - DEC2022["pu"]) <= 5000 and abs(dz["bpu"] - DEC2022["bpu"]) <= 5000 and \
        abs(dz["jakon"] - DEC2022["jakon"]) <= 5000
    assert sum(dz["ep"].values()) == dz["employer"] and sum(dz["bp"].values()) == dz["bpu"]
    for r in dz["rows"]:
        if r["code"] in dz["hubs"]:
            assert r["active_formal"] == rnd(dz["res_cover"] * r["workers_formal"])
        else:
            assert F(dz["recs"][r["code"]]["_workplace_formal"], r["workers_formal"]) <= dz["res_cover"]
    assert sum(dz["excess"].values()) == sum(dz["recs"][p].get("_moved", 0) for p in dz["recs"])
    assert dz["formal_others"] == sum(r["active_formal"] for r in dz["rows"] if r["code"] not in dz["hubs"])
    assert sum(dz["share"].values()) * dz["formal_others"] == sum(dz["excess"].values())
    # observations
    assert len({(o["region_level"], o["kode"], o["period"], o["indicator"]) for o in ucj}) == len(ucj)
    for o in ucj:
        assert len(o["period"]) == 7 and o["period"][4] == "-" and 1 <= int(o["period"][5:]) <= 12
        assert o["unit"] in ("percent", "persons") and o["indicator"] in ("ucj_coverage", "ucj_participants")
        assert (o["unit"] == "percent") == (o["indicator"] == "ucj_coverage")
        assert 0 <= F(o["value"]) <= (100 if o["unit"] == "percent" else 10 ** 9) and o["source"]
        lay = nat["layers"]["provinsi" if o["region_level"] == "province" else "kabkota"]
        assert lay[o["kode"]] == o["region_name"]
    print("checks passed")


def main(argv):
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        sys.stderr.write("usage: derive_statistics.py DATA_DIR\n")
        return 2
    src = Sources(argv[1])
    bb = babel(src)
    nat = national(src)
    jt = jatim(src)
    tb = tanah_bumbu(src, nat)
    dec = national_2022(src, nat)
    ucj = ucj_observations(src, nat["layers"])
    j23 = jatim_2023(src)
    bba = bangka_barat(bb)
    verify(bb, nat, jt, tb, dec, ucj, src, j23, bba)   # check before anything is written
    os.makedirs(OUT, exist_ok=True)
    write_table("babel_provinsi_2025-06.csv", bb["prov"])
    write_table("babel_kabkota_2025-06.csv", bb["kab"])
    write_table("babel_kecamatan_2025-06.csv", bb["kec"])
    write_table("babel_desa_2025-06.csv", bb["desa"])
    write_table("idn_kabkota.csv", nat["kab"])
    write_table("idn_provinsi.csv", nat["prov"])
    write_table("jatim_kabkota_2022-11.csv", jt["kab"])
    write_table("jatim_kabkota_2023-12.csv", j23["kab"])
    write_table("bangka_barat_kabkota_2025-06.csv", bba["kab"])
    write_table("bangka_barat_desa_2025-06.csv", bba["desa"])
    write_table("tanah_bumbu_kabkota_2023-03.csv", tb["kab"])
    write_table("tanah_bumbu_desa_2023-03.csv", tb["desa"])
    write_table(DEC2022_FILE, dec["rows"])
    write_observations(UCJ_FILE, ucj)
    # re-read what was written and check it again (round trip through the CSV text)
    for fname in sorted(os.listdir(OUT)):
        if not fname.endswith(".csv"):
            continue
        with open(os.path.join(OUT, fname), "rb") as f:
            raw = f.read()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw, fname
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
        assert raw.decode("utf-8").split("\n", 1)[0] == ",".join(HEADER), fname
        for r in rows:
            for c in NUM:
                r[c] = int(r[c])
        check_rows(rows, officials_rule=not fname.startswith("bangka_barat_"))
    print("written files re-read and checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
