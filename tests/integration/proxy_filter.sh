#!/bin/bash
# A proxy policy denying one host (issue 4): tinyproxy with a Filter file.
# tinyproxy 1.11 answers a filtered CONNECT with "403 Filtered" (checked
# below with a raw CONNECT) → proxy_denied for that service only, the two
# others ok through the same proxy. Also as a whitelist (FilterDefaultDeny)
# and a port the proxy does not allow for CONNECT (ConnectPort → "403
# Access violation").
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/proxy-it/lib.sh"
proxy_world
DENIED=ssmmessages.us-east-1.amazonaws.com

# only_denied LABEL — ssmmessages proxy_denied, the others ok via proxy.
only_denied() {
    local l=$1 O=$T/out
    show_out
    assert_rc 1 "$PROBE_RC" "$l: exit status"
    assert_json_out || return 0
    assert_jq "$O" ".targets[] | select(.host == \"$DENIED\") | .status == \"fail\" and .failure.phase == \"proxy\" and .failure.code == \"proxy_denied\"" \
        "$l: $DENIED proxy/proxy_denied"
    assert_jq "$O" ".targets[] | select(.host == \"$DENIED\") | .failure.message | test(\"403\")" "$l: message names the 403"
    assert_jq "$O" ".targets[] | select(.host == \"$DENIED\") | (.failure.hint | length) > 20" "$l: a hint"
    assert_jq "$O" "[.targets[] | select(.host != \"$DENIED\")] | length == 2 and all(.[]; .status == \"ok\" and .dns == null and .connections[0].via_proxy == true)" \
        "$l: ssm and ec2messages ok through the same proxy"
    assert_jq "$O" '.summary == {"targets":3,"ok":2,"warn":0,"fail":1}' "$l: summary 2 ok, 1 fail"
}

# ---- blacklist: the filter names ssmmessages ----
printf '# deny one endpoint\n^ssmmessages\\.us-east-1\\.amazonaws\\.com$\n' >"$T/filter-deny"
tp_start deny "ConnectPort $TLSPORT" "Filter \"$T/filter-deny\"" "FilterType ere" "FilterDefaultDeny No" ||
    setup_fail "tinyproxy"
ans=$(raw_connect "$TP_PORT" "$DENIED:$TLSPORT")
log "tinyproxy answers a filtered CONNECT with: $ans"
assert_match '^HTTP/1\.[01] 403' "$ans" "fixture: tinyproxy answers 403 for the filtered host"
assert_match '^HTTP/1\.[01] 200' "$(raw_connect "$TP_PORT" "ssm.us-east-1.amazonaws.com:$TLSPORT")" \
    "fixture: tinyproxy answers 200 for an unfiltered host"
run_probe "${PROBE_ARGS[@]}" --proxy "http://127.0.0.1:$TP_PORT" -o json
only_denied blacklist

# text: the denied row names the code
run_probe "${PROBE_ARGS[@]}" --proxy "http://127.0.0.1:$TP_PORT"
sed 's/^/#   /' "$T/out"
assert_match 'proxy_denied' "$(cat "$T/out")" "text names proxy_denied"

# ---- whitelist: FilterDefaultDeny, the filter names only ssm and ec2messages ----
printf '^ssm\\.us-east-1\\.amazonaws\\.com$\n^ec2messages\\.us-east-1\\.amazonaws\\.com$\n' >"$T/filter-allow"
tp_start allow "ConnectPort $TLSPORT" "Filter \"$T/filter-allow\"" "FilterType ere" "FilterDefaultDeny Yes" ||
    setup_fail "tinyproxy"
run_probe "${PROBE_ARGS[@]}" --proxy "http://127.0.0.1:$TP_PORT" -o json
only_denied whitelist

# ---- the proxy allows CONNECT only to another port ----
tp_start port "ConnectPort 443" || setup_fail "tinyproxy"
log "tinyproxy answers CONNECT to a port not in ConnectPort with: $(raw_connect "$TP_PORT" "ssm.us-east-1.amazonaws.com:$TLSPORT")"
run_probe "${PROBE_ARGS[@]}" --proxy "http://127.0.0.1:$TP_PORT" -o json
show_out
assert_rc 1 "$PROBE_RC" "ConnectPort: exit status"
assert_jq "$T/out" 'all(.targets[]; .status == "fail" and .failure.phase == "proxy" and .failure.code == "proxy_denied")' \
    "ConnectPort: every target proxy_denied"

finish
