#!/usr/bin/env bash
# Re-pins the key results of the bundled scenarios and studies (tests/pinned/README.md): builds
# cakupan and the pinned runner in build/ (or $CAKUPAN_BUILD_DIR), runs the pinned files given (all
# of tests/pinned/*.toml by default) and rewrites in place the values that moved outside their
# tolerance; comments, tolerances and every other byte stay. Review `git diff tests/pinned`, then
# commit the files with the reason for the change.
#
# usage: tests/pinned/repin.sh [--all] [FILE...]
#   --all  rewrite every value from the current results, not only those outside their tolerance
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${CAKUPAN_BUILD_DIR:-$root/build}
mode=--repin
if [[ ${1:-} == --all ]]; then
    mode=--repin-all
    shift
fi
if [[ ! -f $build/CMakeCache.txt ]]; then
    echo "repin.sh: no build in $build; configure it first (README.md) or set CAKUPAN_BUILD_DIR" >&2
    exit 2
fi
cmake --build "$build" --target cakupan cakupan_pinned_runner
(($# > 0)) || set -- "$root"/tests/pinned/*.toml
status=0
"$build/tests/cakupan_pinned_runner" "$mode" "$@" || status=$?
git -C "$root" diff --stat -- tests/pinned
exit $status
