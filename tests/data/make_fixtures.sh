#!/bin/sh
# Regenerates the derived fixtures of this directory from ../../geodata and the hand-written
# GeoJSON/TopoJSON files here (see README.md). Needs ogr2ogr (GDAL >= 3.6), sqlite3 and python3.
# The outputs are committed; tests never run this script.
set -eu
cd "$(dirname "$0")"
GEO=../../geodata
GPKG=$GEO/boundaries/babel_19.gpkg
STATS=$GEO/statistics/babel_kabkota_2025-06.csv

rm -f babel_kabkota.* babel_kabkota_utm48s.* no_dbf.* utm_no_crs.* two_layers.gpkg stats_*

# The Babel kab/kota layer (7 regions, 4 of them invalid under GEOS) in other formats, unchanged.
ogr2ogr -f "ESRI Shapefile" babel_kabkota.shp "$GPKG" kabkota -nlt MULTIPOLYGON -lco ENCODING=UTF-8
ogr2ogr -f GeoJSON babel_kabkota.geojson "$GPKG" kabkota -nln babel_kabkota
ogr2ogr -f FlatGeobuf babel_kabkota.fgb "$GPKG" kabkota -nln babel_kabkota
# Projected copy: UTM zone 48S.
ogr2ogr -f "ESRI Shapefile" babel_kabkota_utm48s.shp "$GPKG" kabkota -nlt MULTIPOLYGON -t_srs EPSG:32748 \
    -lco ENCODING=UTF-8

# A shapefile whose .dbf went missing.
ogr2ogr -f "ESRI Shapefile" no_dbf.shp squares.geojson -nln no_dbf
rm -f no_dbf.dbf no_dbf.cpg

# Projected coordinates and no .prj: the reader cannot guess the CRS.
ogr2ogr -f "ESRI Shapefile" utm_no_crs.shp squares.geojson -nln utm_no_crs -t_srs EPSG:32748
rm -f utm_no_crs.prj

# A GeoPackage with two layers: the squares as kabkota, and their union as provinsi.
# No spatial index and 1 KiB pages keep the file at ~30 KB instead of ~120 KB.
ogr2ogr -f GPKG two_layers.gpkg squares.geojson -nln kabkota -lco SPATIAL_INDEX=NO
ogr2ogr -f GPKG -update two_layers.gpkg squares.geojson -nln provinsi -lco SPATIAL_INDEX=NO -dialect SQLite \
    -sql "SELECT '19' AS kode, 'Provinsi' AS nama, ST_Union(geometry) AS geometry FROM squares"
sqlite3 two_layers.gpkg "PRAGMA page_size=1024; VACUUM;"

# Statistics: the good Babel kab/kota table, then copies with one thing broken each.
cp "$STATS" stats_good.csv
ogr2ogr -f XLSX stats_good.xlsx stats_good.csv -nln stats_good
ogr2ogr -f ODS stats_good.ods stats_good.csv -nln stats_good
python3 - <<'PY'
# Each copy changes one cell, found by region code and column name; only the last column (the
# quoted basis) holds commas, so lines are split on the first commas.
with open("stats_good.csv", newline="") as f:
    good = [line.rstrip("\n") for line in f]
header = good[0].split(",")
def load():
    return [line.split(",", len(header) - 1) for line in good]
def save(name, rows):
    with open(name, "w", newline="") as f:
        f.write("".join(",".join(r) + "\n" for r in rows))
def change(name, code, column, value):
    rows = load()
    row = next(r for r in rows if r[0] == code)
    row[header.index(column)] = value
    save(name, rows)

change("stats_text.csv", "19.02", "workers_formal", "banyak")
change("stats_negative.csv", "19.03", "active_informal", "-2712")
change("stats_over_100.csv", "19.04", "active_formal", "40000")           # workers_formal is 32343
change("stats_near_miss.csv", "19.71", "code", "19.7")
change("stats_thousands.csv", "19.01", "workers", '"115,277"')          # English grouping
change("stats_thousands_dot.csv", "19.01", "active_formal", "22.848")   # Indonesian grouping of 22,848
rows = load(); rows.append(list(rows[1])); save("stats_duplicate.csv", rows)       # 19.01 again, as row 9
rows = load(); del rows[[r[0] for r in rows].index("19.06")]; save("stats_missing_region.csv", rows)
col = header.index("active_officials")
rows = load(); [r.pop(col) for r in rows]; save("stats_no_partner.csv", rows)       # workers_officials unpaired
PY
ls -l
