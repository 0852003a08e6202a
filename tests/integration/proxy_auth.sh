#!/bin/bash
# Basic auth through a real tinyproxy (BasicAuth), and secrets (issue 4):
#  - no credentials → proxy_auth_required (407, scheme Basic named)
#  - http://user:s3cr3tPW@… → ok, context.proxy.url "user:***"
#  - percent-encoded credentials are decoded before Basic encoding
#  - the password (and its Basic token) appears in none of: text, -o json,
#    -o ndjson, --trace, -v -v, stderr — in passing and failing runs, from
#    the flag and from https_proxy.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/proxy-it/lib.sh"
proxy_world
# tinyproxy accepts only [-A-Za-z0-9._] in BasicAuth values.
tp_start auth "ConnectPort $TLSPORT" "BasicAuth user s3cr3tPW" "BasicAuth us.er pa-ss.w0rd" ||
    setup_fail "could not start tinyproxy"
P=$TP_PORT
PW=s3cr3tPW
TOKEN=$(printf 'user:%s' "$PW" | base64)

# What tinyproxy really answers (for the log and as a fixture check).
log "tinyproxy without credentials: $(raw_connect "$P" "ssm.us-east-1.amazonaws.com:$TLSPORT")"
log "tinyproxy with wrong credentials: $(raw_connect "$P" "ssm.us-east-1.amazonaws.com:$TLSPORT" "$(printf user:wrong | base64)")"
assert_match '^HTTP/1\.[01] 407' "$(raw_connect "$P" "ssm.us-east-1.amazonaws.com:$TLSPORT")" \
    "fixture: tinyproxy answers 407 without credentials"

# ---- without credentials → proxy_auth_required ----
run_probe "${PROBE_ARGS[@]}" --proxy "http://127.0.0.1:$P" -o json
show_out
assert_rc 1 "$PROBE_RC" "no credentials: exit status"
assert_json_out || finish
assert_jq "$T/out" 'all(.targets[]; .status == "fail" and .failure.phase == "proxy" and .failure.code == "proxy_auth_required")' \
    "no credentials: every target proxy/proxy_auth_required"
assert_jq_re "$T/out" '.targets[].failure.message' '407' "no credentials: message names the 407"
assert_jq_re "$T/out" '.targets[].failure.message' 'Basic' "no credentials: message names the Proxy-Authenticate scheme (Basic)"
assert_jq "$T/out" 'all(.targets[]; (.failure.hint | length) > 20)' "no credentials: a hint"
assert_jq "$T/out" 'all(.targets[]; .connections[0].via_proxy == true and .connections[0].tcp_ms > 0)' \
    "no credentials: via proxy, tcp_ms to the proxy"

# ---- with credentials → ok ----
run_probe "${PROBE_ARGS[@]}" --proxy "http://user:$PW@127.0.0.1:$P" -o json
show_out
conn_row
assert_rc 0 "$PROBE_RC" "credentials: exit status"
assert_jq "$T/out" 'all(.targets[]; .status == "ok" and .dns == null and .connections[0].via_proxy == true)' \
    "credentials: every target ok via proxy"
assert_jq "$T/out" 'all(.targets[].connections[]; .proxy_ms > 0 and .tls_ms > 0 and .http_ms > 0)' "credentials: timings"
assert_jq "$T/out" ".context.proxy.url == \"http://user:***@127.0.0.1:$P\"" "context.proxy.url shows user:***"
assert_eq 9 "$(grep -c "Request (file descriptor .*CONNECT .*amazonaws.com:$TLSPORT HTTP/1.1" "$TP_LOG")" \
    "tinyproxy logged 9 CONNECTs so far (3 raw checks, 3 refused, 3 accepted)"
assert_no_target_queries

# ---- percent-encoded credentials: pa%2Dss%2Ew0rd is pa-ss.w0rd ----
run_probe "${PROBE_ARGS[@]}" --proxy "http://us.er:pa%2Dss%2Ew0rd@127.0.0.1:$P" -o json
show_out
assert_rc 0 "$PROBE_RC" "percent-encoded credentials: exit status (decoded before Basic)"
assert_jq "$T/out" 'all(.targets[]; .status == "ok")' "percent-encoded credentials: every target ok"
assert_jq "$T/out" ".context.proxy.url == \"http://us.er:***@127.0.0.1:$P\"" "percent-encoded: url redacted"
for s in pa-ss.w0rd 'pa%2Dss%2Ew0rd'; do
    assert_no_secret "$s" "$T/out" "percent-encoded: '$s' not in JSON"
    assert_no_secret "$s" "$T/err" "percent-encoded: '$s' not on stderr"
done

# ---- Basic token as sent on the wire (bad_proxy records the request) ----
bad_proxy_start rec auth407 || setup_fail "bad_proxy"
run_probe "${PROBE_ARGS[@]}" --proxy "http://admin:p%40ss%3Aw0rd@127.0.0.1:$BP_PORT" -o json --timeout 2
assert_jq "$T/out" 'all(.targets[]; .failure.code == "proxy_auth_required")' "rejected credentials (407): proxy_auth_required"
WANT="Proxy-Authorization: Basic $(printf 'admin:p@ss:w0rd' | base64)"
assert_eq 3 "$(grep -caF "$WANT" "$T/bad-proxy-rec.heads")" "each CONNECT carries Basic base64(admin:p@ss:w0rd) (percent-decoded)"
for s in 'p@ss:w0rd' 'p%40ss%3Aw0rd' "$(printf 'admin:p@ss:w0rd' | base64)"; do
    assert_no_secret "$s" "$T/out" "rejected credentials: '$s' not in JSON"
    assert_no_secret "$s" "$T/err" "rejected credentials: '$s' not on stderr"
done

# ---- wrong password: tinyproxy 1.11 answers 401 (not 407) ----
run_probe "${PROBE_ARGS[@]}" --proxy "http://user:WRONGpw1@127.0.0.1:$P" -o json
show_out
assert_rc 1 "$PROBE_RC" "wrong password: exit status"
assert_jq "$T/out" 'all(.targets[]; .status == "fail" and .failure.phase == "proxy")' "wrong password: failure in phase proxy"
assert_jq_re "$T/out" '.targets[].failure.message' '401|407' "wrong password: message names the proxy's status"
c=$(jq -r '[.targets[].failure.code] | unique | join(",")' "$T/out")
[ "$c" = proxy_auth_required ] || log "NOTE: a proxy refusing wrong credentials (tinyproxy: 401) is reported as $c"
assert_no_secret WRONGpw1 "$T/out" "wrong password not in JSON"

# ---- secrets: every output format, passing and failing ----
# leak_check LABEL ENV-ASSIGNMENTS PROBE-ARGS... — the password and its
# Basic token must not be in stdout or stderr.
leak_check() {
    local label=$1 envs=$2
    shift 2
    PROBE_WRAP=${envs:+env $envs} run_probe "${PROBE_ARGS[@]}" "$@"
    cat "$T/out" "$T/err" >"$T/all-$label"
    assert_ne 0 "$(wc -c <"$T/out")" "$label: produced output"
    assert_no_secret "$PW" "$T/all-$label" "$label: password absent"
    assert_no_secret "$TOKEN" "$T/all-$label" "$label: Basic token absent"
}
GOOD=http://user:$PW@127.0.0.1:$P
DEAD=http://user:$PW@127.0.0.1:$(free_port)
for spec in "ok:$GOOD" "407:$(printf 'http://user:%s@127.0.0.1:%s' "$PW" "$BP_PORT")" "down:$DEAD"; do
    k=${spec%%:*} u=${spec#*:}
    leak_check "$k-text" "" --proxy "$u" --timeout 2
    leak_check "$k-json" "" --proxy "$u" --timeout 2 -o json
    leak_check "$k-ndjson" "" --proxy "$u" --timeout 2 -o ndjson
    leak_check "$k-trace" "" --proxy "$u" --timeout 2 --trace
    leak_check "$k-vv" "" --proxy "$u" --timeout 2 -v -v
    leak_check "$k-json-vv" "" --proxy "$u" --timeout 2 -v -v -o json
    leak_check "$k-env-text" "https_proxy=$u" --timeout 2 --trace -v -v
    leak_check "$k-env-json" "https_proxy=$u" --timeout 2 -o json -v -v
    leak_check "$k-env-ndjson" "HTTPS_PROXY=$u" --timeout 2 -o ndjson
done
# The redacted form is what the outputs show.
assert_match "user:\*\*\*@127\.0\.0\.1:$P" "$(cat "$T/all-ok-text")" "text header shows user:***"
assert_match "user:\*\*\*@127\.0\.0\.1:$P" "$(cat "$T/all-ok-env-ndjson")" "ndjson shows user:***"
assert_match "Basic" "$(cat "$T/all-ok-trace")" "trace says Basic auth was sent (without the token)"

finish
