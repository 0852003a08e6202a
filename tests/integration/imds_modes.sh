#!/bin/bash
# IMDS through the real binary: every mode of tests/lib/fake_imds.py behind
# --imds --imds-endpoint http://127.0.0.1:PORT, checked on .context.imds and
# .findings[] of -o json; region discovery from IMDS; --no-imds; a bad
# endpoint (exit 2); and that the fake token and credentials never appear
# in any output format (json, ndjson, text -v, stderr).
#
# Loopback only: the probe targets are pinned to 127.0.0.1 with --resolve on
# a port where nothing listens (fast tcp_refused), and any other DNS query
# would go to a dead loopback resolver.
. "$(dirname "$0")/../lib/common.sh"
need_binary
need_cmd jq python3 ss

# The engine wires imds_run() into the probe (src/imds_glue.c); until then this test
# has nothing to drive.
if ! grep -l 'imds_run(' "$REPO_ROOT"/src/*.c 2>/dev/null | grep -qv '/imds\.c$'; then
    skip "imds_run is not called by the probe yet (src/imds_glue.c is a stub)"
fi

TOKEN='AQAEAFakeImdsTokenDoNotPrint0123456789abcdefXYZ=='
SECRETS=(
    "$TOKEN" FakeImdsToken ASIAFAKEACCESSKEYID77 wJalrXUtnFakeSecretAccessKeyDoNotPrint42
    FakeSecretAccessKey IQoJb3JpZ2luX2VjFakeSessionTokenDoNotPrint0987654321 FakeSessionToken
)

DEAD=$(free_port)          # probe targets: refused at once
DEADDNS=$(free_port)       # a resolver that never answers (never asked)
ROOT=$T/root
mkdir -p "$ROOT"

# resolve_args REGION — pin the three Session Manager names of REGION.
resolve_args() {
    local s
    for s in ssm ssmmessages ec2messages; do
        printf -- '--resolve\n%s.%s.amazonaws.com:%s:127.0.0.1\n' "$s" "$1" "$DEAD"
    done
}

COMMON=(--port "$DEAD" --dns-server "127.0.0.1:$DEADDNS" --proxy-source none --no-host-checks
        --root "$ROOT" --connect-timeout 1 --timeout 3 --no-large-hello)

# fake_start MODE — start the fake IMDS; sets IMDS_URL, IMDS_LOG, FAKE_PID.
fake_start() {
    local mode=$1 n
    FAKE_N=$((${FAKE_N:-0} + 1))
    n=$FAKE_N.$mode
    IMDS_LOG=$T/requests.$n.log
    start_bg "fake_imds_$n" python3 "$TESTS_ROOT/lib/fake_imds.py" "$mode" "$T/port.$n" \
        --log "$IMDS_LOG"
    FAKE_PID=$BG_PID
    if ! wait_for "fake IMDS port file ($mode)" test -s "$T/port.$n"; then
        bg_alive "$FAKE_PID" "fake_imds_$n"
        return 1
    fi
    IMDS_URL="http://127.0.0.1:$(cat "$T/port.$n")"
    log "fake IMDS $mode at $IMDS_URL"
}

# no_secrets DESC FILES... — none of the fake secrets in any of FILES.
no_secrets() {
    local desc=$1 s f hit=""
    shift
    for s in "${SECRETS[@]}"; do
        for f in "$@"; do
            [ -f "$f" ] || continue
            if grep -qF -- "$s" "$f"; then hit="$hit $s in $(basename "$f");"; fi
        done
    done
    assert_eq "" "$hit" "$desc: no token or credential in any output"
}

# run_mode MODE [ARGS...] — json, ndjson and text runs against the fake in
# MODE; the JSON stays in $T/json.MODE, every output is checked for secrets.
run_mode() {
    local mode=$1
    shift
    fake_start "$mode" || { _fail "fake IMDS $mode did not start"; return 1; }
    run_probe "${COMMON[@]}" --imds --imds-endpoint "$IMDS_URL" "$@" -o json
    cp "$T/out" "$T/json.$mode"
    cp "$T/err" "$T/err.json.$mode"
    JSON_RC=$PROBE_RC
    JSON_MS=$PROBE_MS
    run_probe "${COMMON[@]}" --imds --imds-endpoint "$IMDS_URL" "$@" -o ndjson
    cp "$T/out" "$T/ndjson.$mode"
    cp "$T/err" "$T/err.ndjson.$mode"
    run_probe "${COMMON[@]}" --imds --imds-endpoint "$IMDS_URL" "$@" -v -v --trace
    cp "$T/out" "$T/text.$mode"
    cp "$T/err" "$T/err.text.$mode"
    stop_bg "$FAKE_PID"
    no_secrets "$mode" "$T/json.$mode" "$T/ndjson.$mode" "$T/text.$mode" \
        "$T/err.json.$mode" "$T/err.ndjson.$mode" "$T/err.text.$mode"
    O=$T/json.$mode
    CHECKS=$((CHECKS + 1))
    if jq -e 'type == "object"' "$O" >/dev/null 2>&1; then
        _pass "$mode: stdout is one JSON object"
    else
        _fail "$mode: stdout is not one JSON object"
        head -c 1500 "$O" | sed 's/^/    | /'
        return 1
    fi
    jq -c '{imds: .context.imds, findings: [.findings[] | {severity, code, message}]}' "$O" \
        | sed 's/^/#   /' | head -c 4000
    echo
}

codes() { jq -r '[.findings[].code] | join(",")' "$1"; }
sev() { jq -r --arg c "$2" '[.findings[] | select(.code == $c) | .severity] | first // "none"' "$1"; }

REG=(--region us-east-1 $(resolve_args us-east-1))

# ---- v2: everything answers ----
run_mode v2 "${REG[@]}"
assert_jq "$O" '.context.imds | .status == "ok" and .region == "eu-west-3" and .instance_id == "i-0fa4e1234567890ab" and .iam_role == "SSMFakeRole" and .credentials == "ok" and .error == null' "v2: context.imds ok with region, instance, role, credentials"
assert_jq "$O" '.context.imds.ms | type == "number" and . > 0' "v2: context.imds.ms is a number"
assert_jq "$O" '[.context.imds | keys_unsorted[]] == ["status","ms","region","instance_id","iam_role","credentials","error"]' "v2: SPEC keys, in order"
assert_jq "$O" '[.findings[].code] - ["imds_unreachable","imds_hop_limit","imds_v1_fallback","imds_v1_disabled","no_instance_profile","credentials_missing","credentials_expired","imds_incomplete"] == [.findings[].code]' "v2: no IMDS finding"
assert_eq 3 "$(grep -c '^PUT /latest/api/token token=no ttl=60' "$IMDS_LOG")" "v2: one token PUT with the TTL header per run (3 runs)"
assert_eq true "$(jq -s 'last | .event == "report" and .context.imds.status == "ok"' "$T/ndjson.v2" 2>&1)" "v2: the ndjson report line holds context.imds"
CHECKS=$((CHECKS + 1))
if grep -q '^GET .* token=no ' "$IMDS_LOG"; then _fail "v2: a GET went without the token"; grep '^GET' "$IMDS_LOG" | head; else _pass "v2: every GET carried the token"; fi
assert_match 'eu-west-3' "$(cat "$T/text.v2")" "v2: text output shows the IMDS region"

# ---- v1only: PUT 403 → IMDSv1 fallback ----
run_mode v1only "${REG[@]}"
assert_jq "$O" '.context.imds | .status == "warn" and .region == "eu-west-3" and .credentials == "ok"' "v1only: warn, data read with IMDSv1"
assert_eq warn "$(sev "$O" imds_v1_fallback)" "v1only: imds_v1_fallback is warn"
assert_jq "$O" '.findings[] | select(.code == "imds_v1_fallback") | (.message | contains("403")) and (.hint | contains("IMDSv2"))' "v1only: message names the 403, hint IMDSv2"

# ---- hoplimit: PUT never answered while TCP works ----
run_mode hoplimit "${REG[@]}"
assert_eq fail "$(sev "$O" imds_hop_limit)" "hoplimit: imds_hop_limit is fail"
assert_jq "$O" '.findings[] | select(.code == "imds_hop_limit") | .hint | contains("HttpPutResponseHopLimit to 2")' "hoplimit: hint raises the hop limit to 2"
assert_jq "$O" '.findings[] | select(.code == "imds_hop_limit") | .message | test("127\\.0\\.0\\.1:[0-9]+") and test("[0-9]+\\.[0-9] ms")' "hoplimit: message has address and ms"
assert_jq "$O" '.context.imds | .status == "fail" and .region == "eu-west-3"' "hoplimit: status fail, region still read with IMDSv1"
assert_eq 1 "$JSON_RC" "hoplimit: exit 1"
assert_lt "$JSON_MS" 15000 "hoplimit: bounded (wall ms)"

# ---- norole: no instance profile ----
run_mode norole "${REG[@]}"
assert_jq "$O" '.context.imds | .iam_role == null and .credentials == "missing"' "norole: no role, credentials missing"
assert_jq "$O" 'any(.findings[]; .code == "no_instance_profile" and (.severity == "warn" or .severity == "fail") and (.hint | contains("AmazonSSMManagedInstanceCore")) and (.hint | contains("Default Host Management")))' "norole: no_instance_profile with both remedies"
assert_jq "$O" 'all(.findings[]; .code != "credentials_missing")' "norole: not also credentials_missing"

# ---- expired credentials ----
run_mode expired "${REG[@]}"
assert_jq "$O" '.context.imds.credentials == "expired"' "expired: credentials expired"
assert_eq fail "$(sev "$O" credentials_expired)" "expired: credentials_expired is fail"

# ---- credfail: Code other than Success ----
run_mode credfail "${REG[@]}"
assert_jq "$O" '.context.imds.credentials == "missing"' "credfail: credentials missing"
assert_jq "$O" 'any(.findings[]; .code == "credentials_missing" and .severity == "fail" and (.message | contains("AssumeRoleUnauthorizedAccess")))' "credfail: credentials_missing names the Code"

# ---- v2required: the token is sent, so nothing is refused ----
run_mode v2required "${REG[@]}"
assert_jq "$O" '.context.imds | .status == "ok" and .credentials == "ok"' "v2required: ok"

# ---- hoplimit_required: no token and IMDSv1 disabled ----
run_mode hoplimit_required "${REG[@]}"
assert_eq fail "$(sev "$O" imds_hop_limit)" "hoplimit_required: imds_hop_limit is fail"
assert_jq "$O" '.findings[] | select(.code == "imds_hop_limit") | .message | contains("401")' "hoplimit_required: message says IMDSv1 is disabled (401)"
assert_jq "$O" '.context.imds | .status == "fail" and .region == null' "hoplimit_required: no region"

# ---- region discovery from IMDS (no --region, no env, empty root) ----
run_mode v2 $(resolve_args eu-west-3)
assert_jq "$O" '.context.region_source == "imds" and .context.regions == ["eu-west-3"]' "discovery: region eu-west-3 from IMDS"
assert_jq "$O" 'all(.targets[]; .region == "eu-west-3")' "discovery: targets in eu-west-3"

# ---- unreachable IMDS (nothing listens) ----
DEADIMDS=$(free_port)
run_probe "${COMMON[@]}" "${REG[@]}" --imds --imds-endpoint "http://127.0.0.1:$DEADIMDS" -o json
O=$T/out
show_out
assert_jq "$O" ".context.imds.status == \"fail\" and (.context.imds.error | contains(\"127.0.0.1:$DEADIMDS\"))" "unreachable: context.imds fail naming the address"
assert_eq warn "$(sev "$O" imds_unreachable)" "unreachable, explicit --imds: imds_unreachable is warn"
assert_lt "$PROBE_MS" 10000 "unreachable: fast (wall ms)"

# ---- --no-imds: not asked at all ----
fake_start v2
run_probe "${COMMON[@]}" "${REG[@]}" --no-imds --imds-endpoint "$IMDS_URL" -o json
assert_jq "$T/out" '.context.imds == null' "--no-imds: context.imds is null"
NREQ=0
[ -f "$IMDS_LOG" ] && NREQ=$(wc -l <"$IMDS_LOG" | tr -d ' ')
assert_eq 0 "$NREQ" "--no-imds: the fake IMDS saw no request"
stop_bg "$FAKE_PID"

# ---- a bad endpoint is a usage error ----
for bad in http://metadata.example https://169.254.169.254 "http://169.254.169.254/latest"; do
    run_probe "${COMMON[@]}" "${REG[@]}" --imds --imds-endpoint "$bad" -o json
    assert_rc 2 "$PROBE_RC" "bad endpoint $bad: exit 2"
    assert_match 'imds|IMDS' "$(cat "$T/err")" "bad endpoint $bad: message on stderr"
done

finish
