# Sourced by the bench scripts: the national village layer (83,403 polygons) from ../shared/data,
# decompressed once into a work directory (again when the archive is newer).
#
#   village_layer WORK_DIR   prints the path of the decompressed GeoPackage; fails if the archive is missing

village_layer_xz() {
  echo "${CAKUPAN_DESA_XZ:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/../shared/data/boundaries/cahyadsn-wilayah_boundaries/idn_desa_simplified_0p002.gpkg.xz}"
}

village_layer() {
  local xz_layer layer
  xz_layer=$(village_layer_xz)
  [ -f "$xz_layer" ] || { echo "layer not found: $xz_layer (set CAKUPAN_DESA_XZ)" >&2; return 1; }
  layer=$1/$(basename "${xz_layer%.xz}")
  if [ ! -s "$layer" ] || [ "$xz_layer" -nt "$layer" ]; then
    echo "decompressing $(basename "$xz_layer") into $1" >&2
    mkdir -p "$1"
    xz -dc "$xz_layer" > "$layer.tmp"
    mv "$layer.tmp" "$layer"
  fi
  echo "$layer"
}
