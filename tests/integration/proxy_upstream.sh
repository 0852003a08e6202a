#!/bin/bash
# The proxy is up but cannot reach the target (issue 4) → proxy_upstream_failed.
#
#  1. tinyproxy itself cannot connect (CONNECT to a port where nothing
#     listens): tinyproxy 1.11 answers "500 Unable to connect" (checked
#     with a raw CONNECT below). The brief and issue 4 want this real
#     proxy's upstream failure reported as proxy_upstream_failed.
#  2. tinyproxy chained to a parent proxy that is down ("Upstream http"):
#     it answers "502 Unable to connect to upstream proxy".
#  3. the SPEC's statuses 502/503/504 from tests/lib/bad_proxy.py.
# Each: every target proxy/proxy_upstream_failed, message with the status.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/proxy-it/lib.sh"
proxy_world

upstream_failed() {   # LABEL STATUS
    show_out
    assert_rc 1 "$PROBE_RC" "$1: exit status"
    assert_lt "$PROBE_MS" 4000 "$1: ended within 4 s (wall ms)"
    assert_json_out || return 0
    assert_jq "$T/out" 'all(.targets[]; .status == "fail" and .failure.phase == "proxy")' "$1: every target fails in phase proxy"
    assert_jq "$T/out" '[.targets[].failure.code] | unique == ["proxy_upstream_failed"]' "$1: failure.code proxy_upstream_failed"
    assert_jq_re "$T/out" '.targets[].failure.message' "$2" "$1: message names the proxy's $2"
    assert_jq "$T/out" 'all(.targets[]; .dns == null and .connections[0].via_proxy == true and .connections[0].tcp_ms > 0)' \
        "$1: via proxy, tcp_ms to the proxy"
}

# 1. nothing listens on the target port
tp_start direct || setup_fail "tinyproxy"
DEADPORT=$(free_port) || setup_fail "no free port"
ans=$(raw_connect "$TP_PORT" "ssm.us-east-1.amazonaws.com:$DEADPORT")
log "tinyproxy answers CONNECT to a closed port with: $ans"
assert_match '^HTTP/1\.[01] 5[0-9][0-9]' "$ans" "fixture: tinyproxy answers 5xx when it cannot connect"
P1=$TP_PORT
args=("${PROBE_ARGS[@]}")
args[5]=$DEADPORT     # --port
[ "${args[4]}" = --port ] || setup_fail "PROBE_ARGS layout changed"
run_probe "${args[@]}" --proxy "http://127.0.0.1:$P1" --timeout 2 -o json
upstream_failed "tinyproxy cannot connect (${ans#HTTP/1.? })" "${ans:9:3}"

# 2. parent proxy down
PARENT=$(free_port) || setup_fail "no free port"
tp_start chained "ConnectPort $TLSPORT" "Upstream http 127.0.0.1:$PARENT" || setup_fail "tinyproxy"
ans=$(raw_connect "$TP_PORT" "ssm.us-east-1.amazonaws.com:$TLSPORT")
log "tinyproxy with its parent proxy down answers: $ans"
run_probe "${PROBE_ARGS[@]}" --proxy "http://127.0.0.1:$TP_PORT" --timeout 2 -o json
upstream_failed "parent proxy down (${ans#HTTP/1.? })" 502

# 3. 502 / 503 / 504
for st in "502 Bad Gateway" "503 Service Unavailable" "504 Gateway Timeout"; do
    bad_proxy_start "s${st%% *}" status --status "${st%% *}" --reason "${st#* }" || setup_fail "bad_proxy"
    run_probe "${PROBE_ARGS[@]}" --proxy "http://127.0.0.1:$BP_PORT" --timeout 2 -o json
    upstream_failed "$st" "${st%% *}"
done

finish
