#!/bin/bash
# Misbehaving proxies (issue 4), tests/lib/bad_proxy.py on loopback, each
# with --timeout 2 and bounded to < 4 s wall:
#   garbage   a non-HTTP answer                  → proxy_bad_response
#   endless   header lines without end           → proxy_bad_response (head size cap)
#   close     closes without answering            → proxy_bad_response
#   hang      accepts, reads, never answers      → proxy_timeout
#   auth407   407 + Proxy-Authenticate: Basic     → proxy_auth_required, scheme named
# and the CONNECT request itself as the proxy received it.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/proxy-it/lib.sh"
proxy_world

case_row() {   # MODE CODE MSG_ERE
    local mode=$1 code=$2 re=$3
    echo "# ---- $mode: expect proxy/$code"
    bad_proxy_start "$mode" "$mode" || setup_fail "bad_proxy $mode"
    run_probe "${PROBE_ARGS[@]}" --proxy "http://127.0.0.1:$BP_PORT" --timeout 2 -o json
    show_out
    assert_rc 1 "$PROBE_RC" "$mode: exit status"
    assert_lt "$PROBE_MS" 4000 "$mode: ended within 4 s with --timeout 2 (wall ms)"
    assert_json_out || return 0
    assert_jq "$T/out" '.targets | length == 3' "$mode: 3 targets"
    assert_jq "$T/out" 'all(.targets[]; .status == "fail" and .failure.phase == "proxy")' "$mode: every target fails in phase proxy"
    assert_jq "$T/out" "[.targets[].failure.code] | unique == [\"$code\"]" "$mode: failure.code $code"
    assert_jq_re "$T/out" '.targets[].failure.message' "$re" "$mode: message matches /$re/i"
    assert_jq "$T/out" 'all(.targets[]; (.failure.hint | length) > 20)' "$mode: a hint"
    assert_jq "$T/out" 'all(.targets[]; .dns == null and .connections[0].via_proxy == true)' "$mode: via proxy, target not resolved"
    bg_alive "$BP_PID" "bad-proxy-$mode" || _fail "$mode: bad_proxy died"
}

case_row garbage proxy_bad_response 'HTTP|bad|invalid|malformed'
case_row endless proxy_bad_response 'large|long|size|too|bytes'
case_row close   proxy_bad_response 'closed|clos|EOF|reset'
case_row hang    proxy_timeout      'CONNECT|answer|2000|2\.0|within'
assert_lt 1800 "$PROBE_MS" "hang: waited for the --timeout bound, not less"
case_row auth407 proxy_auth_required 'Basic'
assert_jq_re "$T/out" '.targets[].failure.message' '407' "auth407: message names the 407"

# The CONNECT request as the proxy received it (last: auth407).
H=$T/bad-proxy-auth407.heads
sed 's/^/#   | /' "$H" | head -12
for h in $PKI_NAMES_DEFAULT; do
    assert_eq 1 "$(grep -caxF "CONNECT $h:$TLSPORT HTTP/1.1"$'\r' "$H")" "request line CONNECT $h:$TLSPORT HTTP/1.1"
    assert_eq 1 "$(grep -caxF "Host: $h:$TLSPORT"$'\r' "$H")" "Host: $h:$TLSPORT"
done
assert_eq 0 "$(grep -ciF 'Proxy-Authorization' "$H")" "no Proxy-Authorization without credentials"

finish
