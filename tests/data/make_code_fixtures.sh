#!/bin/sh
# Regenerates tests/data/codes/: the Babel kab/kota layer and statistics re-coded in coding
# systems other than Kemendagri (see README.md, "Other region codes"). Synthetic: the geometry
# and numbers are Babel's, the codes are made up in the style of each system. Needs ogr2ogr
# (GDAL >= 3.6). The outputs are committed; tests never run this script.
set -eu
cd "$(dirname "$0")"
GPKG=../../geodata/boundaries/babel_19.gpkg
OUT=codes
mkdir -p $OUT
rm -f $OUT/babel_recoded.fgb $OUT/babel_recoded_stats.csv

# Each kab/kota gets: GEOID, a US FIPS-style county code (2-digit "state" + 3-digit county),
# with Bangka island as state 06 and Belitung island as state 36, and STATEFP, its state; bps, a
# 4-digit integer (BPS style, province 19 + kab/kota); num, a plain integer 1-7; iso, an
# ISO 3166-2-style code split by '-' (ID, island BK or BT, kab/kota).
recode() { echo "CASE $1
  WHEN '19.01' THEN '06001|06|1901|1|ID-BK-01' WHEN '19.02' THEN '36001|36|1902|2|ID-BT-02'
  WHEN '19.03' THEN '06003|06|1903|3|ID-BK-03' WHEN '19.04' THEN '06005|06|1904|4|ID-BK-04'
  WHEN '19.05' THEN '06007|06|1905|5|ID-BK-05' WHEN '19.06' THEN '36003|36|1906|6|ID-BT-06'
  WHEN '19.71' THEN '06071|06|1971|7|ID-BK-71' END"; }
PART="substr(r, 1, 5) AS GEOID, substr(r, 7, 2) AS STATEFP, CAST(substr(r, 10, 4) AS INTEGER) AS bps,
  CAST(substr(r, 15, 1) AS INTEGER) AS num, substr(r, 17) AS iso"

# FlatGeobuf without its spatial index keeps the layer order of the GeoPackage.
ogr2ogr -f FlatGeobuf $OUT/babel_recoded.fgb "$GPKG" -nln babel_recoded -nlt PROMOTE_TO_MULTI -lco SPATIAL_INDEX=NO -dialect SQLite \
    -sql "SELECT $PART, nama, geom FROM (SELECT $(recode kode) AS r, nama, geom FROM kabkota) ORDER BY GEOID"

# The Babel kab/kota statistics with the same codes in front and the Kemendagri code dropped.
ogr2ogr -f CSV -lco STRING_QUOTING=IF_NEEDED $OUT/babel_recoded_stats.csv ../../geodata/statistics/babel_kabkota_2025-06.csv -dialect SQLite \
    -sql "SELECT $PART, name, villages, workers, workers_formal, workers_informal, workers_vulnerable,
          workers_officials, active_formal, active_informal, active_vulnerable, active_officials
          FROM (SELECT $(recode code) AS r, * FROM \"babel_kabkota_2025-06\") ORDER BY GEOID"
ls -l $OUT

# Broken copies of the hand-written scenarios in scenarios/codes/, each changing one line.
python3 - <<'PY'
import os
os.chdir("scenarios/codes")
def copy(base, name, old, new, note):
    text = open(base).read()
    assert text.count(old) == 1, (name, old)
    head = "# %s with %s (made by ../../make_code_fixtures.sh).\n" % (base, note)
    with open(name, "w") as f:
        f.write(head + text.replace(old, new))
copy("fips.toml", "fips_no_match.toml", 'regions = "06003"', 'regions = "6"', "the agents' selector '6' (for state 06)")
copy("fips.toml", "fips_level_unknown.toml", 'level = "county"', 'level = "province"', "a level name the layer does not have")
copy("fips.toml", "fips_two_ways.toml", 'code_levels = [2, 5]\n', 'code_levels = [2, 5]\nparent = "STATEFP"\n', "two ways of nesting")
copy("fips.toml", "fips_misfit.toml", 'code_levels = [2, 5]', 'code_levels = [2, 4]', "prefix lengths the GEOIDs do not have")
copy("flat.toml", "flat_within.toml", 'code_field = "num"\n', 'code_field = "num"\nwithin = "3"\n', "`within` on codes that do not nest")
copy("flat.toml", "flat_level.toml", 'regions = "3"\n', 'regions = "3"\nlevel = 1\n', "a `level` on codes that do not nest")
PY
