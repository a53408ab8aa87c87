#!/usr/bin/env bash
# Tests the pinned runner itself on a copy of tests/data/pinned/small.toml: wrong values fail with
# their line, the expected and the actual value and how to re-pin; --repin rewrites exactly the
# numbers that moved (two on one line; one after a non-ASCII name) and nothing else, after which
# the file passes and a second --repin changes nothing; malformed files and unknown names are
# refused with their place.
#
# usage: runner_self_test.sh RUNNER FIXTURE_DIR
set -uo pipefail
runner=$1
fixtures=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cakupan-pinned-self-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
has() { grep -qF -- "$2" <<<"$1" || fail "output lacks: $2"$'\n'"--- output:"$'\n'"$1"; }

file=$tmp/small.toml
cp "$fixtures/small.toml" "$file"

# 1. The check fails on exactly the two wrong values and says how to re-pin.
out=$("$runner" "$file"); rc=$?
[[ $rc == 1 ]] || fail "check of wrong values: exit $rc, expected 1"
has "$out" "$file:16: run \"expected\", draws: expected 7 ± 1e-06, got 1 (off by -6)"
has "$out" "$file:16: run \"expected\", variant \"combined\", coverage_end.p50: expected 0.5 ± 1e-06, got 0.3"
has "$out" "$file: 2 of 5 pinned values differ or are missing. If the change of behaviour is intended, re-pin with"
has "$out" "  tests/pinned/repin.sh $file"
has "$out" "and say in the commit message why the numbers changed (tests/pinned/README.md)."
[[ $(grep -c ': expected ' <<<"$out") == 2 ]] || fail "expected exactly 2 failing values:"$'\n'"$out"

# 2. --repin rewrites the two numbers and nothing else: with every number after `value =` masked,
# the file is byte for byte what it was; only line 16 changed.
out=$("$runner" --repin "$file"); rc=$?
[[ $rc == 0 ]] || fail "repin: exit $rc, expected 0"$'\n'"$out"
has "$out" "$file:16: run \"expected\", draws: 7 -> 1.0"
has "$out" "$file: re-pinned 2 of 5 values"
mask() { sed -E 's/value = [^ ,}]+/value = N/g' "$1"; }
diff <(mask "$fixtures/small.toml") <(mask "$file") >/dev/null || fail "repin changed more than the numbers:"$'\n'"$(diff "$fixtures/small.toml" "$file")"
changed=$(diff "$fixtures/small.toml" "$file" | grep -c '^>')
[[ $changed == 1 ]] || fail "repin changed $changed lines, expected 1 (line 16)"
grep -qE '\{ key = "draws", value = 1\.0 \}, \{ variant = "combined", key = "coverage_end.p50", value = 0\.3[0-9]+ \},  # both wrong$' "$file" ||
    fail "line 16 after repin: $(sed -n 16p "$file")"

# 3. The re-pinned file passes, and re-pinning again changes no byte.
out=$("$runner" "$file"); rc=$?
[[ $rc == 0 ]] || fail "check after repin: exit $rc"$'\n'"$out"
has "$out" "$file: 5 pinned values ok"
cp "$file" "$tmp/once.toml"
"$runner" --repin "$file" >/dev/null || fail "second repin failed"
cmp -s "$file" "$tmp/once.toml" || fail "second repin changed the file"

# 4. A name that is not in the results is reported with what is there (and not re-pinnable).
sed 's/variant = "combined", key = "members_added.subsidy"/variant = "combind", key = "members_added.subsidy"/' "$file" >"$tmp/name.toml"
out=$("$runner" "$tmp/name.toml"); rc=$?
[[ $rc == 1 ]] || fail "unknown variant: exit $rc, expected 1"
has "$out" "$tmp/name.toml:17: run \"expected\", variant \"combind\", members_added.subsidy: no variant \"combind\" in summary.json (there: baseline, combined)"
out=$("$runner" --repin "$tmp/name.toml"); rc=$?
[[ $rc == 1 ]] || fail "repin of an unknown variant: exit $rc, expected 1"
has "$out" "1 not found in the results (edit their lines by hand)"
# Columns count characters, not bytes: a number after a non-ASCII name on its line is re-pinned
# in place (the name itself is not in the results).
sed '14s/.*/  { variant = "Kabupatén Bangka", key = "spend", value = 0 }, { key = "draws", value = 7 },/' "$file" >"$tmp/utf8.toml"
out=$("$runner" --repin "$tmp/utf8.toml"); rc=$?
[[ $rc == 1 ]] || fail "repin with an unknown variant: exit $rc, expected 1"
[[ $(sed -n 14p "$tmp/utf8.toml") == '  { variant = "Kabupatén Bangka", key = "spend", value = 0 }, { key = "draws", value = 1.0 },' ]] ||
    fail "line 14 after repin: $(sed -n 14p "$tmp/utf8.toml")"
sed 's/key = "members_added.subsidy"/key = "members_added.subsidi"/' "$file" >"$tmp/key.toml"
out=$("$runner" "$tmp/key.toml"); rc=$?
has "$out" "summary.json variant \"combined\": no 'members_added.subsidi' (there: agents, enforcement, fixed_term, funding_end, january_gap, lapse, renewal, replacement, subsidy, village_programme, voluntary)"

# 5. A malformed file is refused with file:line:column (exit 2): a misspelt key, a value that is
# not a number, a missing file.
sed 's/tolerance = 0.01, value = 0 }/tolerence = 0.01, value = 0 }/' "$file" >"$tmp/bad.toml"
out=$("$runner" "$tmp/bad.toml"); rc=$?
[[ $rc == 2 ]] || fail "misspelt key: exit $rc, expected 2"
has "$out" "$tmp/bad.toml:15:42: unknown key 'tolerence' in [run.expected].expect (expected one of: key, value, tolerance, variant, region)"
sed 's/value = 0.272409/value = "0.272409"/' "$file" >"$tmp/text.toml"
out=$("$runner" "$tmp/text.toml"); rc=$?
[[ $rc == 2 ]] || fail "quoted number: exit $rc, expected 2"
has "$out" "$tmp/text.toml:14:59: value must be a number"
out=$("$runner" "$tmp/none.toml"); rc=$?
[[ $rc == 2 ]] || fail "missing file: exit $rc, expected 2"
has "$out" "$tmp/none.toml: no such pinned file; every scenarios/*.toml and studies/*.toml has its key results in tests/pinned/<name>.toml"

if ((failures > 0)); then
    echo "$failures check(s) failed"
    exit 1
fi
echo "pinned runner: all checks passed"
