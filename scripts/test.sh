#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir "${CAKUPAN_BUILD_DIR:-build}" --output-on-failure --parallel "$(nproc)"
