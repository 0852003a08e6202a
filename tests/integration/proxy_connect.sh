#!/bin/bash
# Plain CONNECT through a real tinyproxy on loopback (issue 4).
#
# The probe's resolver (dnsmasq) does NOT know the endpoint names
# (NXDOMAIN); only tinyproxy can resolve them (private /etc/hosts in a mount
# namespace, see tests/fixtures/proxy-it/lib.sh). So every target ends `ok`
# only if the client left resolution to the proxy: dns null, via_proxy,
# the four timings (tcp to the proxy, CONNECT, TLS and HTTP through the
# tunnel), context.proxy from the flag, "via proxy" in the text.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/proxy-it/lib.sh"
proxy_world
tp_start main "ConnectPort $TLSPORT" || setup_fail "could not start tinyproxy"
PURL=http://127.0.0.1:$TP_PORT

# ---- JSON ----
run_probe "${PROBE_ARGS[@]}" --proxy "$PURL" -o json
show_out
conn_row
assert_rc 0 "$PROBE_RC"
assert_json_out || finish
assert_file_empty "$T/err" "nothing on stderr"
O=$T/out
# No no_proxy: the only finding is proxy_imds (warn), so the run is "warn".
assert_jq "$O" '[.findings[].code] == ["proxy_imds"]' "only finding: proxy_imds"
assert_jq_eq "$O" .status warn "overall status warn (from the proxy_imds finding)"
assert_jq "$O" ".context.proxy.url == \"$PURL\"" "context.proxy.url is the proxy"
assert_jq_eq "$O" .context.proxy.source flag "context.proxy.source flag"
assert_jq "$O" '.targets | length == 3' "3 targets"
assert_jq "$O" 'all(.targets[]; .status == "ok" and .failure == null)' "every target ok"
assert_jq "$O" 'all(.targets[]; .dns == null)' "dns null: the client did not resolve the targets"
assert_jq "$O" 'all(.targets[]; .connections | length == 1)' "one connection per target (to the proxy)"
assert_jq "$O" 'all(.targets[].connections[]; .via_proxy == true and .status == "ok" and .failure == null)' "via_proxy true, ok"
for f in tcp_ms proxy_ms tls_ms http_ms total_ms; do
    assert_jq "$O" "all(.targets[].connections[]; (.$f | type) == \"number\" and .$f > 0)" "$f a number > 0"
done
assert_jq "$O" 'all(.targets[].connections[]; .total_ms + 0.01 >= .tcp_ms + .proxy_ms + .tls_ms + .http_ms)' "total_ms >= tcp+proxy+tls+http"
assert_jq "$O" 'all(.targets[].connections[]; .total_ms < 5000)' "each connection well under 5 s on loopback"
assert_jq "$O" 'all(.targets[].connections[]; .tls.verify == "ok")' "TLS through the tunnel verifies"
assert_jq "$O" 'all(.targets[]; . as $t | .connections[0].tls.subject | contains($t.host))' "TLS subject names the target (SNI through the tunnel)"
assert_jq "$O" 'all(.targets[].connections[]; .http.status == 404 and .http.aws == true)' "AWS answered through the tunnel"
assert_jq "$O" '.summary == {"targets":3,"ok":3,"warn":0,"fail":0}' "summary 3 ok"
assert_no_target_queries

# tinyproxy itself saw one CONNECT per endpoint, with the target name.
for h in $PKI_NAMES_DEFAULT; do
    assert_match "CONNECT $h:$TLSPORT HTTP/1.1" "$(grep -F 'Request (file descriptor' "$TP_LOG")" \
        "tinyproxy log: CONNECT $h:$TLSPORT"
done

# ---- text ----
run_probe "${PROBE_ARGS[@]}" --proxy "$PURL"
sed 's/^/#   /' "$T/out"
assert_rc 0 "$PROBE_RC" "text: exit status"
assert_eq 3 "$(grep -c 'via proxy' "$T/out")" "text: each of the 3 rows says \"via proxy\""
assert_match "proxy: $PURL" "$(cat "$T/out")" "text header names the proxy"
assert_no_secret "NXDOMAIN" "$T/out" "text: no DNS failure"

# ---- NDJSON ----
run_probe "${PROBE_ARGS[@]}" --proxy "$PURL" -o ndjson
assert_rc 0 "$PROBE_RC" "ndjson: exit status"
tail -n 1 "$T/out" >"$T/last.json"
assert_jq "$T/last.json" '.event == "report" and all(.targets[].connections[]; .via_proxy == true)' \
    "ndjson: final report line, connections via proxy"
CHECKS=$((CHECKS + 1))
if jq -e -s 'all(.[]; type == "object")' "$T/out" >/dev/null 2>&1; then _pass "ndjson: every line a JSON object"
else _fail "ndjson: not every line is a JSON object"; head -5 "$T/out"; fi

# ---- with 169.254.169.254 in --noproxy: no finding, status ok ----
run_probe "${PROBE_ARGS[@]}" --proxy "$PURL" --noproxy 169.254.169.254 -o json
assert_rc 0 "$PROBE_RC" "noproxy IMDS: exit status"
assert_jq "$T/out" '.status == "ok" and .findings == [] and .context.proxy.noproxy == "169.254.169.254"' \
    "noproxy IMDS: status ok, no findings, context.proxy.noproxy"
assert_jq "$T/out" 'all(.targets[]; .status == "ok" and .dns == null and .connections[0].via_proxy)' \
    "noproxy IMDS: targets still via proxy"

# ---- the proxy given by name: c-ares resolves the proxy (not the target) ----
run_probe "${PROBE_ARGS[@]}" --proxy "http://proxy.test:$TP_PORT" -o json
show_out
assert_rc 0 "$PROBE_RC" "proxy by name: exit status"
assert_jq "$T/out" 'all(.targets[]; .status == "ok" and .dns == null and .connections[0].via_proxy == true)' \
    "proxy by name: all ok via proxy, targets unresolved"
assert_jq "$T/out" ".context.proxy.url == \"http://proxy.test:$TP_PORT\"" "proxy by name: context.proxy.url"
assert_match 'query\[A\] proxy\.test' "$(cat "$T/dns.log")" "the proxy's name was resolved with the probe's resolver"
assert_no_target_queries

finish
