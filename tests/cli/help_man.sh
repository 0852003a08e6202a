#!/bin/bash
# Every long option that --help lists appears in man/ssmprobe.1 (curl's
# test 1139 idea); the man page lints clean.
. "$(dirname "$0")/../lib/common.sh"
need_binary
MAN=$REPO_ROOT/man/ssmprobe.1

run_probe --help
assert_rc 0 "$PROBE_RC" "--help exits 0"
cp "$T/out" "$T/help"
assert_lt 10 "$(grep -c '' "$T/help")" "--help prints a real usage text on stdout"
long=$(awk 'length($0) > 100' "$T/help" | wc -l)
assert_eq 0 "$long" "--help fits 100 columns"

run_probe --version
assert_rc 0 "$PROBE_RC" "--version exits 0"
assert_match '[0-9]+\.[0-9]+\.[0-9]+' "$(cat "$T/out")" "--version prints a version"

if [ ! -f "$MAN" ]; then
    echo "FAIL: man page $MAN does not exist (issue 2 requires it)"
    exit 1
fi

# Long options of --help: --word or --word-word, without a following '='.
grep -oE -- '(^|[^[:alnum:]-])--[a-z0-9][a-z0-9-]*' "$T/help" | sed 's/^[^-]*--/--/' | sort -u >"$T/help-opts"
assert_lt 5 "$(grep -c '' "$T/help-opts")" "--help lists long options"

# Man text with troff escapes folded: \- → -, \f[BIRP] and \fB etc. dropped.
sed -e 's/\\-/-/g' -e 's/\\f\[[A-Z]*\]//g' -e 's/\\f[BIRP]//g' -e 's/\\(en/-/g' "$MAN" >"$T/man.txt"
missing=""
while read -r opt; do
    grep -qE -- "(^|[^[:alnum:]-])${opt}([^[:alnum:]-]|\$)" "$T/man.txt" || missing+=" $opt"
done <"$T/help-opts"
assert_eq "" "$missing" "every --help option is in man/ssmprobe.1 (missing listed)"

# Sections the issue names.
for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" OUTPUT ENVIRONMENT FILES EXAMPLES; do
    assert_eq 1 "$(grep -cE "^\.S[Hh] \"?$s\"?\$" "$MAN" | awk '{print ($1 > 0)}')" "man page has section $s"
done

if command -v mandoc >/dev/null; then
    mandoc -T lint -W warning "$MAN" >"$T/lint" 2>&1
    assert_rc 0 "$?" "mandoc -T lint -W warning is clean"
    sed 's/^/#   /' "$T/lint" | head -20
fi
finish
