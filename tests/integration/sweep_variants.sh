#!/bin/bash
# Endpoint variants and region names through the real binary on loopback:
#   --fips -r us-east-1 with a resolver answering NXDOMAIN for the -fips
#     names → targets `info`, finding endpoint_not_offered, exit 0;
#   --fips where the names exist → SERVICE-fips.REGION.amazonaws.com, ok;
#   --dualstack with api.aws answering NXDOMAIN → info, endpoint_not_offered;
#   a well-formed region not in the table (us-east-9) → probed, finding
#     region_unknown (warn), exit 0;
#   malformed regions → exit 2, the message has a did-you-mean;
#   one resolver that REFUSES AAAA (dnsmasq --address without upstream)
#     while it answers A: no dns_resolver_failed ("another one answered"
#     would be false: there is no other resolver).
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/it5/lib.sh"
need_binary
need_cmd dnsmasq nginx jq openssl ss python3

pki_make || setup_fail "test PKI"
it5_leaf variants "DNS:*.us-east-1.amazonaws.com,DNS:*.us-east-2.amazonaws.com,DNS:*.us-east-9.amazonaws.com" ||
    setup_fail "leaf"

V6=0
ip -6 addr show dev lo 2>/dev/null | grep -q '::1/128' && V6=1
FAM=()
[ $V6 = 1 ] || FAM=(-4)

# Wildcard resolver (A and AAAA), NXDOMAIN for the us-east-1 FIPS names
# and for every dual-stack name.
DNSPORT=$(free_port) || setup_fail "port"
DARGS=(--address=/amazonaws.com/127.0.0.1 --address=/api.aws/)
[ $V6 = 1 ] && DARGS+=(--address=/amazonaws.com/::1)
for s in ssm ssmmessages ec2messages; do DARGS+=("--address=/$s-fips.us-east-1.amazonaws.com/"); done
dns_start dns 127.0.0.1 "$DNSPORT" -- "${DARGS[@]}" || setup_fail "dnsmasq"
# A resolver with A records only: dnsmasq refuses AAAA then.
DNS4PORT=$(free_port) || setup_fail "port"
dns_start dns4 127.0.0.1 "$DNS4PORT" -- --address=/amazonaws.com/127.0.0.1 || setup_fail "dnsmasq (A only)"

TLSPORT=$(free_port) || setup_fail "port"
LISTEN="127.0.0.1:$TLSPORT"
[ $V6 = 1 ] && LISTEN+=" [::1]:$TLSPORT"
ngx_new v
it5_ngx_catchall v "$LISTEN" "$T/it5pki/variants.chain.pem" "$T/it5pki/variants.key"
ngx_start v || setup_fail "nginx"

BASE=(--dns-server "127.0.0.1:$DNSPORT" --port "$TLSPORT" --ca-file "$PKI/root.pem"
      --no-imds --no-host-checks --proxy-source none --no-large-hello --timeout 5 "${FAM[@]}")
O=$T/out

# ---- FIPS names that do not exist: not offered, not a fault ----
run_probe "${BASE[@]}" --fips -r us-east-1 -o json
show_out
assert_rc 0 "$PROBE_RC" "--fips (NXDOMAIN): exit 0"
assert_json_out || finish
assert_jq "$O" '[.targets[].host] == ["ssm-fips.us-east-1.amazonaws.com", "ssmmessages-fips.us-east-1.amazonaws.com", "ec2messages-fips.us-east-1.amazonaws.com"]' "--fips: SERVICE-fips.us-east-1.amazonaws.com names"
assert_jq "$O" 'all(.targets[]; .status == "info")' "--fips (NXDOMAIN): every target info"
assert_jq "$O" 'all(.targets[]; .dns.rcode == "NXDOMAIN")' "--fips (NXDOMAIN): the DNS answer recorded"
assert_jq "$O" 'any(.findings[]; .code == "endpoint_not_offered" and .severity == "info")' "--fips (NXDOMAIN): finding endpoint_not_offered (info)"
assert_jq "$O" '[.findings[] | select(.code == "endpoint_not_offered") | .targets[]] | sort == (["ssm-fips.us-east-1.amazonaws.com", "ssmmessages-fips.us-east-1.amazonaws.com", "ec2messages-fips.us-east-1.amazonaws.com"] | sort)' "--fips (NXDOMAIN): endpoint_not_offered names the three hosts"
assert_jq "$O" 'all(.findings[]; .severity != "fail")' "--fips (NXDOMAIN): no failing finding"
assert_jq "$O" '.summary.fail == 0 and .summary.targets == 3' "--fips (NXDOMAIN): summary has no failure"

run_probe "${BASE[@]}" --fips -r us-east-1
assert_rc 0 "$PROBE_RC" "--fips (NXDOMAIN), text: exit 0"
assert_match '[Nn]ot offered|does not offer' "$(cat "$O")" "--fips (NXDOMAIN), text: says the variant is not offered"
# SPEC: "reported as 'not offered' (info), not as a network fault".
FAULTS=$(sed -n '/^Failures:/,/^[A-Z][a-z]*:$/p' "$O" | grep -c 'fips')
assert_eq 0 "$FAULTS" "--fips (NXDOMAIN), text: the -fips names are not listed under Failures (not a network fault)"

# ---- FIPS names that exist: probed like any other ----
run_probe "${BASE[@]}" --fips -r us-east-2 -o json
show_out
assert_rc 0 "$PROBE_RC" "--fips us-east-2 (names exist): exit 0"
assert_jq "$O" 'all(.targets[]; .host == "\(.service)-fips.us-east-2.amazonaws.com" and .status == "ok")' "--fips us-east-2: -fips names, ok"

# ---- dual-stack names that do not exist ----
run_probe "${BASE[@]}" --dualstack -r us-east-1 -o json
show_out
assert_rc 0 "$PROBE_RC" "--dualstack (NXDOMAIN): exit 0"
assert_jq "$O" 'all(.targets[]; .host == "\(.service).us-east-1.api.aws")' "--dualstack: SERVICE.us-east-1.api.aws names"
assert_jq "$O" 'all(.targets[]; .status == "info")' "--dualstack (NXDOMAIN): every target info"
assert_jq "$O" 'any(.findings[]; .code == "endpoint_not_offered")' "--dualstack (NXDOMAIN): finding endpoint_not_offered"

# ---- a well-formed region not in the table ----
run_probe "${BASE[@]}" -r us-east-9 -o json
show_out
assert_rc 0 "$PROBE_RC" "us-east-9: exit 0 (a warning only)"
assert_jq "$O" 'all(.targets[]; .host == "\(.service).us-east-9.amazonaws.com" and .status == "ok")' "us-east-9: probed by the partition's naming rule, ok"
assert_jq "$O" 'any(.findings[]; .code == "region_unknown" and .severity == "warn" and (.message | contains("us-east-9")))' "us-east-9: finding region_unknown (warn) naming it"
run_probe "${BASE[@]}" -r us-east-1,us-east-9 -o json
assert_jq "$O" '[.findings[] | select(.code == "region_unknown")] | length == 1 and (.[0].message | contains("us-east-9")) and (.[0].message | contains("us-east-1 ") | not)' "us-east-1,us-east-9: one region_unknown, for us-east-9 only"
run_probe "${BASE[@]}" -r us-east-9
assert_match 'us-east-9' "$(cat "$O")" "us-east-9, text: the region is shown"
assert_match 'region_unknown|not in the built-in table' "$(cat "$O")" "us-east-9, text: the finding is shown"

# ---- malformed regions: exit 2 with a suggestion ----
for pair in us-east1:us-east-1 useast-1:us-east-1 US-EAST-1:us-east-1 eu-west-1x:eu-west-1 \
            'ap-southeast-2;:ap-southeast-2'; do
    bad=${pair%:*} want=${pair##*:}
    run_probe "${BASE[@]}" -r "$bad" -o json
    assert_rc 2 "$PROBE_RC" "malformed region '$bad': exit 2"
    assert_match "[Dd]id you mean $want" "$(cat "$T/err")" "malformed region '$bad': did you mean $want"
    assert_file_empty "$O" "malformed region '$bad': no report on stdout"
done
run_probe "${BASE[@]}" -o json us-east1
assert_rc 2 "$PROBE_RC" "malformed positional region: exit 2"
assert_match 'did you mean us-east-1' "$(cat "$T/err")" "malformed positional region: did you mean us-east-1"

# ---- one resolver, A answered, AAAA refused ----
run_probe --dns-server "127.0.0.1:$DNS4PORT" --port "$TLSPORT" --ca-file "$PKI/root.pem" \
    --no-imds --no-host-checks --proxy-source none --no-large-hello --timeout 5 -r us-east-1 -o json
show_out
assert_rc 0 "$PROBE_RC" "A-only wildcard resolver: exit 0"
assert_jq "$O" 'all(.targets[]; .status == "ok")' "A-only wildcard resolver: targets ok over IPv4"
assert_jq "$O" 'all(.findings[]; .code != "dns_resolver_failed")' "A-only wildcard resolver: no dns_resolver_failed (there is no other resolver)"

finish
