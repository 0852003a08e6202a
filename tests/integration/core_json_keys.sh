#!/bin/bash
# JSON schema 1: every key present, in exactly SPEC's order (healthy run and
# a failing run, where absent values must be null, never omitted).
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
setup_core

TOP='["tool","version","schema","started_at","duration_ms","status","context","targets","findings","summary"]'
CONTEXT='["regions","region_source","resolvers","proxy","imds","host"]'
IMDS='["status","ms","region","instance_id","iam_role","credentials","error"]'
HOST='["os","agent_version","agent_running","ssm_user"]'
PROXY='["url","source","noproxy"]'
TARGET='["region","service","host","port","endpoint_kind","status","failure","dns","connections"]'
DNS='["ms","source","server","rcode","cname","addresses","error"]'
ADDR='["address","family","ttl","scope"]'
CONN='["address","via_proxy","status","tcp_ms","proxy_ms","tls_ms","http_ms","total_ms","tls","large_hello","http","failure"]'
TLS='["version","cipher","alpn","verify","subject","issuer","root","not_after","intercepted"]'
LH='["status","bytes","ms","error"]'
HTTP='["status","server_date","clock_skew_s","request_id","server","aws"]'
FAILURE='["phase","code","message","hint"]'
FINDING='["severity","code","message","hint","targets"]'
SUMMARY='["targets","ok","warn","fail"]'

keys() {   # FILE PATH EXPECTED DESC — keys_unsorted of PATH == EXPECTED
    local got
    got=$(jq -c "$2 | keys_unsorted" "$1" 2>&1)
    assert_eq "$(jq -nc "$3")" "$got" "key order: $4"
}
# each_keys FILE STREAM EXPECTED DESC — every object of STREAM (nulls allowed)
each_keys() {
    local bad
    bad=$(jq -c --argjson e "$3" "[$2 | select(. != null) | keys_unsorted | select(. != \$e)] | unique" "$1" 2>&1)
    assert_eq "[]" "$bad" "key order of every $4 (deviations listed)"
}

run_probe "${PROBE_ARGS[@]}" -o json
assert_json_out || finish
O=$T/out
keys "$O" . "$TOP" "top level"
keys "$O" .context "$CONTEXT" "context"
each_keys "$O" .context.imds "$IMDS" "context.imds"
each_keys "$O" .context.host "$HOST" "context.host"
each_keys "$O" .context.proxy "$PROXY" "context.proxy"
keys "$O" '.targets[0]' "$TARGET" "a target"
each_keys "$O" '.targets[]' "$TARGET" "target"
each_keys "$O" '.targets[].dns' "$DNS" "target.dns"
each_keys "$O" '.targets[].dns.addresses[]' "$ADDR" "dns address"
keys "$O" '.targets[0].connections[0]' "$CONN" "a connection"
each_keys "$O" '.targets[].connections[]' "$CONN" "connection"
each_keys "$O" '.targets[].connections[].tls' "$TLS" "connection.tls"
each_keys "$O" '.targets[].connections[].large_hello' "$LH" "connection.large_hello"
each_keys "$O" '.targets[].connections[].http' "$HTTP" "connection.http"
each_keys "$O" '.findings[]' "$FINDING" "finding"
keys "$O" .summary "$SUMMARY" "summary"
assert_jq "$O" '(.duration_ms|type) == "number" and (.targets[0].connections[0].tcp_ms|type) == "number"' "times are JSON numbers"

# A failing run: refused port → failure objects, nulls for what never happened.
DEAD=$(free_port)
mapfile -t A < <(printf '%s\n' "${PROBE_ARGS[@]}" | sed "s/^$TLSPORT\$/$DEAD/")
run_probe "${A[@]}" -o json
show_out
assert_rc 1 "$PROBE_RC" "refused run exits 1"
assert_json_out || finish
keys "$O" . "$TOP" "top level (failing run)"
each_keys "$O" '.targets[]' "$TARGET" "target (failing run)"
each_keys "$O" '.targets[].failure' "$FAILURE" "target.failure"
each_keys "$O" '.targets[].connections[]' "$CONN" "connection (failing run)"
each_keys "$O" '.targets[].connections[].failure' "$FAILURE" "connection.failure"
each_keys "$O" '.findings[]' "$FINDING" "finding (failing run)"
assert_jq "$O" 'all(.targets[].connections[]; has("tls") and .tls == null and .tls_ms == null and .http == null and .http_ms == null)' "never-reached phases are null, not omitted"

finish
