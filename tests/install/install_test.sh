#!/usr/bin/env bash
# `cmake --install` into a temporary prefix: the layout (binary, models, docs, man page, headers,
# library, package config), the models found beside the installed binary from a scenario outside
# the source tree (use_installed.sh), and CAKUPAN_MODELS_DIR taking precedence.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR [CMAKE_OPTIONS for the consumer project...]
set -euo pipefail
build=$1 source=$2
shift 2
fail() { echo "install_test: $*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/cakupan-install-XXXXXX")
trap 'rm -rf "$work"' EXIT
case $work/ in "$source"/*) fail "$work lies inside the source tree" ;; esac
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null

for f in bin/cakupan share/cakupan/models/jamsostek.toml share/doc/cakupan/README.md share/doc/cakupan/docs/scenarios.md \
         share/man/man1/cakupan.1 include/cakupan/scenario/model.hpp include/cakupan/scenario/model_directory.hpp; do
  [ -e "$prefix/$f" ] || fail "$f is not installed"
done
config=$(find "$prefix" -name cakupanConfig.cmake)
[ -n "$config" ] || fail "no cakupanConfig.cmake installed"
for f in cakupanConfigVersion.cmake cakupanTargets.cmake; do [ -e "$(dirname "$config")/$f" ] || fail "no $f"; done
find "$prefix" -name libcakupan_core.a | grep -q . || fail "no libcakupan_core.a installed"
# The developers' warning target is never exported.
grep -q "cakupan_flags\|-Wshadow" "$(dirname "$config")"/cakupanTargets*.cmake && fail "cakupan_flags is exported"
grep -q "^\.SS sensitivity$" "$prefix/share/man/man1/cakupan.1" || fail "the man page lacks the sensitivity command"

"$source/tests/install/use_installed.sh" "$prefix" "$source" "$work/use" "$@"

# CAKUPAN_MODELS_DIR comes first; a value that is no directory is an error, not a silent fallback.
mkdir "$work/models"
cp "$source/models/jamsostek.toml" "$work/models/jamsostek.toml"
cd "$work/use/scenario"
out=$(CAKUPAN_MODELS_DIR=$work/models "$prefix/bin/cakupan" validate babel.toml 2>/dev/null) || fail "validate with CAKUPAN_MODELS_DIR failed"
grep -qxF "model: jamsostek from $work/models/jamsostek.toml" <<<"$out" || fail "CAKUPAN_MODELS_DIR was not used: $out"
rc=0
err=$(CAKUPAN_MODELS_DIR=$work/none "$prefix/bin/cakupan" validate babel.toml 2>&1 >/dev/null) || rc=$?
[ "$rc" -eq 4 ] || fail "CAKUPAN_MODELS_DIR=$work/none: exit $rc, expected 4"
[ "$err" = "cakupan: error: CAKUPAN_MODELS_DIR=$work/none: not a directory; expected the directory of the model files" ] ||
  fail "unexpected error: $err"
echo "install_test: ok ($prefix)"
