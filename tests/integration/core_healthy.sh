#!/bin/bash
# Healthy path on loopback: dnsmasq resolver, nginx answering like AWS with
# the Amazon (test) chain. 3 targets ok, every phase timed, exit 0.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
setup_core

run_probe "${PROBE_ARGS[@]}" -o json
show_out
assert_rc 0 "$PROBE_RC"
assert_json_out || finish
assert_file_empty "$T/err" "nothing on stderr"
O=$T/out

assert_jq "$O" '.tool == "ssmprobe" and .schema == 1 and (.version | type) == "string"' "tool/schema/version"
assert_jq "$O" '.started_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$")' "started_at is ISO 8601 UTC"
assert_jq "$O" '.duration_ms > 0' "duration_ms positive"
assert_jq_eq "$O" '.status' ok "overall status"
assert_jq "$O" '.context.regions == ["us-east-1"]' "context.regions"
assert_jq_eq "$O" '.context.region_source' flag "region_source is flag"
assert_jq "$O" ".context.resolvers | index(\"127.0.0.1:$DNSPORT\") != null" "context.resolvers names 127.0.0.1:$DNSPORT"
assert_jq "$O" '.context.proxy == null' "no proxy"

assert_jq "$O" '.targets | length == 3' "3 targets"
assert_jq "$O" '[.targets[].service] | sort == ["ec2messages","ssm","ssmmessages"]' "services ssm, ssmmessages, ec2messages"
assert_jq "$O" 'all(.targets[]; .host == (.service + ".us-east-1.amazonaws.com"))' "host names"
assert_jq "$O" "all(.targets[]; .port == $TLSPORT and .region == \"us-east-1\")" "port $TLSPORT, region"
assert_jq "$O" 'all(.targets[]; .status == "ok" and .failure == null)' "every target ok, failure null"

# DNS
assert_jq "$O" 'all(.targets[]; .dns.ms > 0)' "dns.ms present and positive"
assert_jq "$O" 'all(.targets[]; .dns.source == "dns" and .dns.rcode == "NOERROR" and .dns.error == null)' "dns source/rcode/error"
assert_jq "$O" "all(.targets[]; .dns.server == \"127.0.0.1:$DNSPORT\")" "dns.server is the resolver used"
assert_jq "$O" 'all(.targets[]; .dns.cname == [])' "no CNAME chain"
assert_jq "$O" 'all(.targets[]; .dns.addresses == [{"address":"127.0.0.1","family":"ipv4","ttl":.dns.addresses[0].ttl,"scope":"loopback"}])' "one address 127.0.0.1 ipv4 loopback"
assert_jq "$O" 'all(.targets[]; .dns.addresses[0].ttl == 60)' "ttl 60 as the resolver answered"

# Connections
assert_jq "$O" 'all(.targets[]; .connections | length == 1)' "one connection per target"
assert_jq "$O" 'all(.targets[].connections[]; .address == "127.0.0.1" and .via_proxy == false and .status == "ok" and .failure == null)' "connection ok"
for f in tcp_ms tls_ms http_ms total_ms; do
    assert_jq "$O" "all(.targets[].connections[]; .$f > 0)" "$f present and positive"
done
assert_jq "$O" 'all(.targets[].connections[]; .proxy_ms == null)' "proxy_ms null without proxy"
assert_jq "$O" 'all(.targets[].connections[]; .total_ms + 0.01 >= .tcp_ms + .tls_ms + .http_ms)' "total_ms >= tcp+tls+http"
assert_jq "$O" 'all(.targets[]; .connections[0].total_ms < 5000)' "each connection well under 5 s on loopback"

# TLS
assert_jq "$O" 'all(.targets[].connections[]; .tls.verify == "ok")' 'tls.verify "ok"'
assert_jq "$O" 'all(.targets[].connections[]; .tls.version | test("^TLSv1\\.[23]$"))' "tls.version TLSv1.2/1.3"
assert_jq "$O" 'all(.targets[].connections[]; .tls.cipher | type == "string" and length > 0)' "tls.cipher"
assert_jq "$O" 'all(.targets[]; . as $t | .connections[0].tls.subject | contains($t.host))' "tls.subject names the host"
assert_jq "$O" 'all(.targets[].connections[]; .tls.issuer | contains("Amazon RSA 2048 M01 (test)"))' "tls.issuer is the intermediate"
assert_jq "$O" 'all(.targets[].connections[]; .tls.root | contains("Amazon Root CA 1 (test)"))' "tls.root is the test root"
assert_jq "$O" 'all(.targets[].connections[]; .tls.not_after | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T"))' "tls.not_after ISO"
assert_jq "$O" 'all(.targets[].connections[]; .tls.intercepted == false)' "not intercepted"
assert_jq "$O" 'all(.targets[].connections[]; .large_hello.status == "ok" and .large_hello.bytes >= 1600)' "large hello ok, >= 1600 bytes"

# HTTP
assert_jq "$O" 'all(.targets[].connections[]; .http.status == 404 and .http.aws == true)' "http 404 from AWS (aws true)"
assert_jq "$O" 'all(.targets[].connections[]; .http.request_id | test("^[0-9a-f]{32}$"))' "http.request_id from x-amzn-RequestId"
assert_jq "$O" 'all(.targets[].connections[]; .http.server_date | type == "string")' "http.server_date"
assert_jq "$O" 'all(.targets[].connections[]; (.http.clock_skew_s | type == "number") and (.http.clock_skew_s | fabs) < 5)' "clock skew small"

assert_jq "$O" '[.findings[] | select(.severity == "fail")] == []' "no failing findings"
assert_jq "$O" '.summary == {"targets":3,"ok":3,"warn":0,"fail":0}' "summary 3/3/0/0"

# --json is the same as -o json
run_probe "${PROBE_ARGS[@]}" --json
assert_rc 0 "$PROBE_RC" "--json exit status"
assert_jq "$T/out" '.schema == 1 and (.targets | length) == 3' "--json gives the schema-1 object"

finish
