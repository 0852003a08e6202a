#!/bin/bash
# -q prints nothing (exit status only); the default text report fits 100
# columns and has no colour when not on a terminal.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
setup_core

run_probe "${PROBE_ARGS[@]}" -q
assert_rc 0 "$PROBE_RC" "-q healthy"
assert_file_empty "$T/out" "-q: stdout empty"
assert_file_empty "$T/err" "-q: stderr empty"

DEAD=$(free_port)
mapfile -t A < <(printf '%s\n' "${PROBE_ARGS[@]}" | sed "s/^$TLSPORT\$/$DEAD/")
run_probe "${A[@]}" -q
assert_rc 1 "$PROBE_RC" "-q failing"
assert_file_empty "$T/out" "-q failing: stdout empty"
assert_file_empty "$T/err" "-q failing: stderr empty"

run_probe "${PROBE_ARGS[@]}" -q -o json
assert_rc 0 "$PROBE_RC" "-q -o json"
assert_file_empty "$T/out" "-q wins over -o json"

# Text (default), not a terminal.
run_probe "${PROBE_ARGS[@]}"
sed 's/^/#   | /' "$T/out"
assert_rc 0 "$PROBE_RC" "text healthy"
assert_eq 0 "$(grep -c $'\033' "$T/out")" "no escape sequences off a terminal"
long=$(awk 'length($0) > 100' "$T/out" | wc -l)
assert_eq 0 "$long" "no line longer than 100 columns"
for n in $PKI_NAMES_DEFAULT; do
    s=${n%%.*}
    assert_match "$s" "$(cat "$T/out")" "text mentions $s"
done
assert_match "127\.0\.0\.1" "$(cat "$T/out")" "text shows the address"

run_probe "${A[@]}"
sed 's/^/#   | /' "$T/out"
assert_rc 1 "$PROBE_RC" "text failing"
assert_match "tcp_refused|refused" "$(cat "$T/out")" "text names the refusal"
long=$(awk 'length($0) > 100' "$T/out" | wc -l)
assert_eq 0 "$long" "failing report: no line longer than 100 columns"

run_probe "${PROBE_ARGS[@]}" --trace
assert_rc 0 "$PROBE_RC" "--trace"
assert_match '\+[0-9]+\.[0-9]+ ms' "$(cat "$T/out")" "--trace shows a timeline (+N.NNN ms …)"
finish
