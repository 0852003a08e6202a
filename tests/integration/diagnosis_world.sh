#!/bin/bash
# The healthy world: exit 0, every target ok over IPv4 and IPv6, through the
# client namespace's own /etc/resolv.conf; private (VPC endpoint) answers;
# the vpce_partial finding.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/lib/world.sh"
world_setup
ROWS_RUN=1
O=$T/out
NOSRV=(--region us-east-1 --no-imds --no-host-checks --ca-file "$PKI/root.pem" --timeout 4 --connect-timeout 1 --dns-timeout 1)

run_probe "${NOSRV[@]}" -o json
show_out
assert_rc 0 "$PROBE_RC" "healthy world: exit 0"
assert_json_out || finish
assert_jq "$O" '.context.resolvers | index("10.99.255.2:53") != null or index("10.99.255.2") != null' "resolver from the namespace's /etc/resolv.conf"
assert_jq "$O" 'all(.targets[]; .status == "ok")' "every target ok"
assert_jq "$O" 'all(.targets[]; ([.connections[].address] | sort) == ["198.51.100.20","2001:db8:1::20"])' "IPv4 and IPv6 connection per target"
assert_jq "$O" 'all(.targets[].connections[]; .status == "ok" and .tcp_ms > 0 and .tls_ms > 0 and .http_ms > 0 and .http.aws == true)' "every connection ok and timed"
assert_jq "$O" 'all(.targets[]; .dns.server | startswith("10.99.255.2"))' "dns.server 10.99.255.2"

run_probe "${NOSRV[@]}" -6 -o json
assert_rc 0 "$PROBE_RC" "healthy world -6: exit 0"
assert_jq "$O" 'all(.targets[]; [.connections[].address] == ["2001:db8:1::20"] and .status == "ok")' "-6: IPv6 only, ok"

mapfile -t P < <(pin "$W_OK_203")
run_probe "${NOSRV[@]}" "${P[@]}" -o json
assert_rc 0 "$PROBE_RC" "203.0.113.10 (second public range): exit 0"

# Interface VPC endpoints (private answers).
run_probe "${NOSRV[@]}" --dns-server "$W_RES_PRIVATE" -o json
show_out
assert_rc 0 "$PROBE_RC" "private endpoints: exit 0"
assert_jq "$O" 'all(.targets[]; .status == "ok" and .dns.addresses[0].address == "10.99.1.10" and .dns.addresses[0].scope == "private")' "private endpoints: 10.99.1.10, scope private, ok"

# Partial VPC endpoints: ssm private, the others public.
if code_known vpce_partial; then
    run_probe "${NOSRV[@]}" --dns-server "$W_RES_PARTIAL" -o json
    show_out
    assert_jq "$O" 'any(.findings[]; .code == "vpce_partial" and .severity == "warn")' "finding vpce_partial (warn)"
else
    ROWS_SKIPPED+=" vpce_partial"
fi

# Wall time of 3 targets ≈ the slowest, not the sum: the slow resolver
# (1.5 s per answer) for all three names.
run_probe "${NOSRV[@]}" --dns-server "$W_RES_SLOW" --dns-timeout 4 --timeout 8 -4 -o json
assert_rc 0 "$PROBE_RC" "slow resolver: exit 0"
assert_lt "$PROBE_MS" 3500 "3 targets with 1.5 s DNS each run concurrently (wall ms)"
diag_finish
