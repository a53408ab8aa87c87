#!/usr/bin/env bash
# Installs Cakupan's dependencies from Debian 12 packages and builds it (Release) in ./build.
# Safe to run again: packages already present are not reinstalled, the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config xz-utils time
  dpkg-dev file                   # cpack's Debian packages (dpkg-shlibdeps)
  libgdal-dev gdal-bin            # every vector and table format
  libeigen3-dev                   # region arrays, sparse weights
  libboost-dev libboost-program-options-dev
  libcairo2-dev                   # maps and charts
  fonts-dejavu-core               # the font of every text on maps
  librandom123-dev                # counter-based random numbers
  libsleef-dev                    # exp, log, erfc, ... with the same bits on every CPU
  libnlopt-cxx-dev                # derivative-free optimisers (plan, calibrate)
  libtomlplusplus-dev             # scenario and test-case files
  nlohmann-json3-dev              # JSON output
  libssl-dev                      # SHA-256 of inputs in run manifests
  openmpi-bin libopenmpi-dev      # sensitivity studies across processes (mpirun)
  libgtest-dev libgmock-dev libbenchmark-dev
  libxml2-dev                     # tests parse the QGIS styles (QML, SLD) written into regions.gpkg
  chromium                        # the test that opens the HTML report in a browser
  clang-14 libclang-rt-14-dev     # sanitizer and libFuzzer build (scripts/check-sanitized.sh)
  libomp-14-dev llvm-14           # clang's OpenMP runtime; llvm-symbolizer for readable reports
)

# `setup.sh --bench` also installs the Python tools the benchmarks measure against (libpysal).
if [ "${1:-}" = "--bench" ]; then
  packages+=(python3-libpysal python3-geopandas)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build_dir=${CAKUPAN_BUILD_DIR:-build}
# CAKUPAN_WERROR=ON (set by CI) makes every compiler warning an error.
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAKUPAN_WITH_MPI=ON -DCAKUPAN_WERROR="${CAKUPAN_WERROR:-OFF}" >/dev/null
cmake --build "$build_dir" --parallel
