#!/bin/bash
# A port where nothing listens: the kernel answers RST → tcp_refused, fast.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
setup_core

DEAD=$(free_port)
mapfile -t A < <(printf '%s\n' "${PROBE_ARGS[@]}" | sed "s/^$TLSPORT\$/$DEAD/")
run_probe "${A[@]}" -o json
show_out
assert_rc 1 "$PROBE_RC"
assert_json_out || finish
O=$T/out
assert_jq "$O" '.targets | length == 3' "3 targets"
assert_jq "$O" "all(.targets[]; .port == $DEAD)" "port $DEAD"
assert_jq "$O" 'all(.targets[]; .status == "fail" and .failure.phase == "tcp" and .failure.code == "tcp_refused")' "every target: tcp / tcp_refused"
assert_jq "$O" 'all(.targets[]; .dns.rcode == "NOERROR" and (.dns.addresses | length) == 1)' "DNS itself was fine"
assert_jq "$O" 'all(.targets[].connections[]; .status == "fail" and .failure.code == "tcp_refused" and .tcp_ms != null and .tls_ms == null)' "connection: tcp_refused, tcp timed, no TLS"
assert_jq "$O" "all(.targets[]; .failure.message | contains(\"127.0.0.1\") and contains(\"$DEAD\"))" "message names address and port"
assert_jq "$O" 'all(.targets[]; .failure.hint | type == "string" and length > 10)' "a hint"
assert_jq "$O" '.summary == {"targets":3,"ok":0,"warn":0,"fail":3}' "summary 3/0/0/3"
assert_lt "$PROBE_MS" 3000 "refusal reported at once, not after a timeout (wall ms)"
finish
