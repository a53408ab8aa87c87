#!/usr/bin/env bash
# Builds the Debian packages (cpack) from the build directory, checks their fields and contents,
# installs them with apt-get, uses the installed cakupan from outside the source tree
# (tests/install/use_installed.sh with prefix /usr) and removes them again (--keep leaves them).
# CI runs it on a fresh Debian 12 machine after the tests; it needs root or sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$(pwd)
build=$(cd "${CAKUPAN_BUILD_DIR:-build}" && pwd)
keep=0
[ "${1:-}" = "--keep" ] && keep=1
fail() { echo "check-package: $*" >&2; exit 1; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

rm -f "$build"/cakupan_*.deb "$build"/cakupan-dev_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
run_deb=$(ls "$build"/cakupan_*.deb)
dev_deb=$(ls "$build"/cakupan-dev_*.deb)

# Contents: the program with its models, docs and man page; the library with headers and config.
run_files=$(dpkg-deb -c "$run_deb" | awk '{print $NF}')
for f in ./usr/bin/cakupan ./usr/share/cakupan/models/jamsostek.toml ./usr/share/man/man1/cakupan.1 \
         ./usr/share/doc/cakupan/README.md ./usr/share/doc/cakupan/docs/scenarios.md; do
  grep -qxF "$f" <<<"$run_files" || fail "$(basename "$run_deb") lacks $f"
done
dev_files=$(dpkg-deb -c "$dev_deb" | awk '{print $NF}')
for f in ./usr/include/cakupan/scenario/model.hpp /libcakupan_core.a /cmake/cakupan/cakupanConfig.cmake /cmake/cakupan/cakupanTargets.cmake; do
  grep -qF "$f" <<<"$dev_files" || fail "$(basename "$dev_deb") lacks $f"
done

# Dependencies: the font every map is drawn with, and for each library the binary links directly
# (NEEDED) the package that holds it, as dpkg-shlibdeps found it.
depends=$(dpkg-deb -f "$run_deb" Depends)
[ "$(dpkg-deb -f "$run_deb" Package)" = cakupan ] || fail "package name is not cakupan"
depend_names=$(sed -e 's/ *([^)]*)//g' -e 's/ *[,|] */\n/g' <<<"$depends")
grep -qxF fonts-dejavu-core <<<"$depend_names" || fail "Depends lacks fonts-dejavu-core: $depends"
extract=$(mktemp -d "${TMPDIR:-/tmp}/cakupan-deb-XXXXXX")
trap 'rm -rf "$extract"' EXIT
dpkg-deb -x "$run_deb" "$extract"
for lib in $(objdump -p "$extract/usr/bin/cakupan" | awk '/NEEDED/ {print $2}'); do
  path=$(ldconfig -p | awk -v l="$lib" '!found && $1 == l && /=>/ {print $NF; found = 1}')
  [ -n "$path" ] || fail "$lib (NEEDED by cakupan) is not installed here"
  owner=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(readlink -f "$path")" 2>/dev/null ||
          dpkg -S "/usr$path" 2>/dev/null || true)
  owner=${owner%%:*}
  [ -n "$owner" ] || fail "no package owns $path"
  grep -qxF "$owner" <<<"$depend_names" || fail "Depends does not name $owner (for $lib): $depends"
done

# Install both packages the way a user would; apt resolves the declared dependencies.
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$run_deb" "$dev_deb" >/dev/null
[ "$(command -v cakupan)" = /usr/bin/cakupan ] || fail "cakupan is not /usr/bin/cakupan on the PATH"
work=$(mktemp -d "${TMPDIR:-/tmp}/cakupan-package-XXXXXX")
trap 'rm -rf "$extract" "$work"' EXIT
tests/install/use_installed.sh /usr "$source_dir" "$work"
man -w cakupan >/dev/null 2>&1 || [ -f /usr/share/man/man1/cakupan.1 ] || fail "no man page"

if [ "$keep" -eq 0 ]; then
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq cakupan cakupan-dev >/dev/null
fi
echo "check-package: ok: $(basename "$run_deb") (Depends: $depends), $(basename "$dev_deb")"
