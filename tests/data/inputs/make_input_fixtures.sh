#!/bin/sh
# Regenerates the fixtures of this directory (see README.md): files in Latin-1 or with invalid UTF-8,
# spreadsheets whose cells are stored as numbers, and spreadsheets with empty rows. Needs ogr2ogr
# (GDAL >= 3.6) and python3. The outputs are committed; tests never run this script.
set -eu
cd "$(dirname "$0")"
rm -f latin1.* stats_*.xlsx stats_*.ods stats_*.csv bad_utf8_*

python3 - <<'PY'
import json
# The two squares of ../squares.geojson with names that need more than ASCII.
src = json.load(open("../squares.geojson"))
src["features"][0]["properties"]["nama"] = "Pérsis Barat"
src["features"][1]["properties"]["nama"] = "Ñusa Timur"
for f, share in zip(src["features"], (0.25, 0.5)):
    f["properties"]["share"] = share
json.dump(src, open("latin1.geojson", "w"), ensure_ascii=False)

# Statistics of the squares (every segment of models/jamsostek-estimates.toml).
header = "code,workers_formal,workers_informal,workers_vulnerable,workers_officials," \
         "active_formal,active_informal,active_vulnerable,active_officials,villages\n"
rows = ["19.01,1000,2000,600,50,400,200,60,40,3\n", "19.02,1500,2500,800,60,500,250,80,50,4\n"]
open("stats_squares.csv", "w").write(header + "".join(rows))
# The same with a Latin-1 byte in a code and a name column: the code cell is read, the name is not.
open("stats_squares_latin1.csv", "wb").write(
    (header.replace("code,", "code,nama,") + rows[0].replace("19.01,", "19.01,P\xe9rsis,")
     + rows[1].replace("19.02,", "19.0\xb2,\xd1usa,")).encode("latin-1"))

# Windows-1252 as Excel writes it in an Indonesian locale: ';' between cells, '.' grouping thousands
# and a no-break space (byte A0) grouping them in one cell.
open("stats_squares_cp1252.csv", "wb").write(
    (header.replace(",", ";") + rows[0].replace(",", ";").replace("1000;2000", "1.000;2\xa0000")
     + rows[1].replace(",", ";")).encode("cp1252"))

# The Babel kab/kota statistics with codes and counts stored as numbers (no text cells).
lines = open("../stats_good.csv").read().splitlines()
names = lines[0].split(",")[:13]
def numeric_table(code_of):
    features = []
    for line in lines[1:]:
        cells = line.split(",")[:13]
        props = {}
        for n, c in zip(names, cells):
            if n == "code": props[n] = code_of(c)
            elif n in ("name", "date"): props[n] = c
            else: props[n] = int(c)
        features.append({"type": "Feature", "properties": props, "geometry": None})
    return {"type": "FeatureCollection", "features": features}
json.dump(numeric_table(float), open("stats_numeric.geojson", "w"))
# 19.05 typed as 19.10 would be: a kab/kota code whose last digit is 0 loses it as a number.
json.dump(numeric_table(lambda c: 19.1 if c == "19.05" else float(c)), open("stats_numeric_19_1.geojson", "w"))

# Trailing empty rows, as Excel keeps them; and one empty row between rows of data.
good = open("../stats_good.csv").read().splitlines()
empty = "," * (len(good[0].split(",")) - 1)
open("stats_trailing_empty.csv", "w").write("\n".join(good + [empty, empty, empty]) + "\n")
open("stats_inner_empty.csv", "w").write("\n".join(good[:4] + [empty] + good[4:]) + "\n")
PY

# Latin-1 attributes, then the .cpg removed: nothing says how the .dbf is encoded (its code page
# byte, LDID at offset 29, is 0, which GDAL reads as "unknown").
ogr2ogr -f "ESRI Shapefile" latin1.shp latin1.geojson -nln latin1 -lco ENCODING=LATIN1
rm -f latin1.cpg latin1.geojson
python3 -c "import sys; b=open('latin1.dbf','rb').read(); sys.exit(b[29] != 0)"

for ext in xlsx ods; do
    ogr2ogr -f "$(echo $ext | tr a-z A-Z)" stats_numeric.$ext stats_numeric.geojson -nln stats
    ogr2ogr -f "$(echo $ext | tr a-z A-Z)" stats_numeric_19_1.$ext stats_numeric_19_1.geojson -nln stats
    ogr2ogr -f "$(echo $ext | tr a-z A-Z)" stats_trailing_empty.$ext stats_trailing_empty.csv -nln stats
    ogr2ogr -f "$(echo $ext | tr a-z A-Z)" stats_inner_empty.$ext stats_inner_empty.csv -nln stats
done
rm -f stats_numeric.geojson stats_numeric_19_1.geojson

# Invalid UTF-8 in a scenario (a Latin-1 title) and a study (a Latin-1 comment). Both lie as deep as
# their bases, so their relative paths still hold.
python3 - <<'PY'
s = open("../scenarios/small.toml", "rb").read().replace(b'title = "test scenario"', b'title = "skenario uji \xe9"')
open("bad_utf8_scenario.toml", "wb").write(s)
s = open("../studies/babel_tornado.toml", "rb").read().replace(b"# A small real study", b"# A small r\xe9al study")
open("bad_utf8_study.toml", "wb").write(s)
PY
