#!/bin/bash
# The proxy is down (issue 4): nothing listens on its port → every target
# proxy_unreachable at once (connection refused), no target resolved;
# a proxy name that does not resolve → proxy_unreachable naming it.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/proxy-it/lib.sh"
proxy_world
DEAD=$(free_port) || setup_fail "no free port"

unreachable() {   # LABEL MAX_MS
    show_out
    assert_rc 1 "$PROBE_RC" "$1: exit status"
    assert_lt "$PROBE_MS" "$2" "$1: ended fast (wall ms)"
    assert_json_out || return 0
    assert_jq "$T/out" 'all(.targets[]; .status == "fail" and .failure.phase == "proxy" and .failure.code == "proxy_unreachable")' \
        "$1: every target proxy/proxy_unreachable"
    assert_jq "$T/out" 'all(.targets[]; .dns == null and .connections[0].via_proxy == true)' "$1: targets not resolved, via proxy"
    assert_jq "$T/out" 'all(.targets[]; (.failure.hint | length) > 20)' "$1: a hint"
    assert_jq "$T/out" '.summary.fail == 3' "$1: summary 3 fail"
}

run_probe "${PROBE_ARGS[@]}" --proxy "http://127.0.0.1:$DEAD" --timeout 2 --connect-timeout 1 -o json
unreachable "refused" 1500
assert_jq_re "$T/out" '.targets[].failure.message' "127\\.0\\.0\\.1.*$DEAD" "refused: message names the proxy address and port"
assert_jq_re "$T/out" '.targets[].failure.message' 'refused' "refused: message says connection refused"
assert_no_target_queries

run_probe "${PROBE_ARGS[@]}" --proxy "http://nosuch-proxy.test:$DEAD" --timeout 2 --connect-timeout 1 -o json
unreachable "proxy name NXDOMAIN" 2500
assert_jq_re "$T/out" '.targets[].failure.message' 'nosuch-proxy\.test' "proxy name: message names the proxy's name"

# text
run_probe "${PROBE_ARGS[@]}" --proxy "http://127.0.0.1:$DEAD" --timeout 2
sed 's/^/#   /' "$T/out"
assert_rc 1 "$PROBE_RC" "text: exit status"
assert_eq 3 "$(grep -c 'via proxy' "$T/out")" "text: 3 rows via proxy"
assert_match 'proxy_unreachable' "$(cat "$T/out")" "text names proxy_unreachable"

finish
