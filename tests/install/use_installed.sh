#!/usr/bin/env bash
# Uses an installed cakupan from outside the source tree: a copy of scenarios/babel-2025.toml
# without [model] (and with absolute data paths) in a fresh directory must validate and run with
# the installed models, and a program built with find_package(cakupan) must link cakupan::core.
# Usage: use_installed.sh PREFIX SOURCE_DIR WORK_DIR [CMAKE_OPTIONS...]
# PREFIX is where cakupan is installed (/usr for the Debian package); WORK_DIR must lie outside
# SOURCE_DIR and be empty or absent.
set -euo pipefail
prefix=$1 source=$2 work=$3
shift 3
fail() { echo "use_installed: $*" >&2; exit 1; }

cakupan=$prefix/bin/cakupan
models=$prefix/share/cakupan/models
mkdir -p "$work/scenario"
# No [model]: the default model must come from the installation, not from a models/ nearby.
sed -e "s|\"\.\./geodata/|\"$source/geodata/|" -e '/^\[model\]$/d' -e '/^name = "jamsostek"/d' \
  "$source/scenarios/babel-2025.toml" > "$work/scenario/babel.toml"
grep -q '^\[model\]' "$work/scenario/babel.toml" && fail "the scenario copy still has [model]"

cd "$work/scenario"
out=$(env -u CAKUPAN_MODELS_DIR "$cakupan" validate babel.toml 2>/dev/null) || fail "validate failed: $out"
grep -qxF "model: jamsostek from $models/jamsostek.toml" <<<"$out" || fail "validate did not take the installed model: $out"
env -u CAKUPAN_MODELS_DIR "$cakupan" run babel.toml --out run --draws 20 --quiet >/dev/null 2>&1 || fail "run failed"
for f in summary.json timeseries.csv regions.gpkg manifest.json report.html; do
  [ -s "run/$f" ] || fail "run/$f missing"
done
grep -qF "\"path\": \"$models/jamsostek.toml\"" run/manifest.json || fail "manifest.json does not list $models/jamsostek.toml"
ls run/maps/*.png >/dev/null 2>&1 || fail "no maps drawn"

# A program of its own against the installed package config. The exported target carries no
# warning flags of the project (they stay in the non-exported cakupan_flags).
cmake -S "$source/tests/install/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "$@" \
  >"$work/consumer.log" 2>&1 ||
  { cat "$work/consumer.log" >&2; fail "configuring the consumer failed"; }
cmake --build "$work/consumer" >>"$work/consumer.log" 2>&1 || { cat "$work/consumer.log" >&2; fail "building the consumer failed"; }
grep -q -- "-std=\(c\|gnu\)++20" "$work/consumer/compile_commands.json" || fail "the consumer is not compiled as C++20"
grep -q -- "-Wshadow\|-Wconversion\|-Werror" "$work/consumer/compile_commands.json" && fail "the consumer got the project's warning flags"
got=$("$work/consumer/consumer" "$models/jamsostek.toml") || fail "the consumer failed: $got"
case $got in
  "cakupan "*": model jamsostek, "*" segments, "*" parameters") ;;
  *) fail "the consumer printed: $got" ;;
esac
echo "use_installed: $cakupan ran a scenario from $work/scenario with $models; the consumer linked cakupan::core"
