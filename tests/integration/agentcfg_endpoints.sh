#!/bin/bash
# The agent's own configuration through the real binary, on loopback:
#   Ssm.Endpoint / Mgs.Endpoint / Mds.Endpoint → those hosts are probed
#     (and not the default names), endpoint_kind "custom", the config key
#     in the report (issue 5), region_source "agent-config";
#   a partial config overrides only its service;
#   Agent.ServiceDomain changes the suffix;
#   Agent.Region of the default config under --root is used for discovery;
#   --endpoint SERVICE=https://host:port overrides the config, the port too.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/it5/lib.sh"
need_binary
need_cmd dnsmasq nginx jq openssl ss python3

CFG=$IT5/agentcfg
VPCE=vpce-0a1b2c3d4e5f60718-abcdefgh.ssm.us-east-1.vpce.amazonaws.com
MGS=ssmmessages.internal.example.test
MDS=ec2messages.internal.example.test
OVR=override.example.test

pki_make || setup_fail "test PKI"
it5_leaf agentcfg "DNS:$VPCE,DNS:$MGS,DNS:$MDS,DNS:$OVR,DNS:*.us-east-1.amazonaws.com,DNS:*.ap-south-1.amazonaws.com,DNS:*.us-east-1.example.test" ||
    setup_fail "leaf"

# Every name the tests may ask for → 127.0.0.1 (A; AAAA NODATA); anything
# else under amazonaws.com / example.test → NXDOMAIN.
DNSPORT=$(free_port) || setup_fail "port"
DARGS=(--local=/amazonaws.com/ --local=/example.test/)
for n in "$VPCE" "$MGS" "$MDS" "$OVR"; do DARGS+=("--host-record=$n,127.0.0.1,60"); done
for r in us-east-1 ap-south-1; do
    for s in ssm ssmmessages ec2messages; do DARGS+=("--host-record=$s.$r.amazonaws.com,127.0.0.1,60"); done
done
for s in ssm ssmmessages ec2messages; do DARGS+=("--host-record=$s.us-east-1.example.test,127.0.0.1,60"); done
dns_start dns 127.0.0.1 "$DNSPORT" -- "${DARGS[@]}" || setup_fail "dnsmasq"
TLSPORT=$(free_port) || setup_fail "port"
TLSPORT2=$(free_port) || setup_fail "port"
ngx_new cfg
it5_ngx_catchall cfg "127.0.0.1:$TLSPORT 127.0.0.1:$TLSPORT2" "$T/it5pki/agentcfg.chain.pem" "$T/it5pki/agentcfg.key"
ngx_start cfg || setup_fail "nginx"

EMPTY=$T/emptyroot
mkdir -p "$EMPTY"
BASE=(--dns-server "127.0.0.1:$DNSPORT" --port "$TLSPORT" --ca-file "$PKI/root.pem"
      --no-imds --no-host-checks --proxy-source none --no-large-hello --timeout 5 -4)
O=$T/out

# queried NAME — did dnsmasq see a query for NAME since the mark?
dns_mark() { DNS_MARK=$(wc -l <"$T/dns.log"); }
queried() { tail -n +"$((DNS_MARK + 1))" "$T/dns.log" | grep -qF "query[A] $1 from"; }

# ---- all three endpoints from the config ----
dns_mark
run_probe "${BASE[@]}" --root "$EMPTY" --agent-config "$CFG/endpoints.json" -o json
show_out
assert_rc 0 "$PROBE_RC" "endpoints.json: exit 0"
assert_json_out || finish
assert_jq "$O" "[.targets[] | {service, host}] == [{\"service\":\"ssm\",\"host\":\"$VPCE\"},{\"service\":\"ssmmessages\",\"host\":\"$MGS\"},{\"service\":\"ec2messages\",\"host\":\"$MDS\"}]" "endpoints.json: the configured hosts are probed, per service"
assert_jq "$O" "all(.targets[]; .port == $TLSPORT)" "endpoints.json: URLs without a port use --port"
assert_jq "$O" 'all(.targets[]; .endpoint_kind == "custom" and .status == "ok")' "endpoints.json: endpoint_kind custom, every target ok"
assert_jq "$O" '.context.region_source == "agent-config" and .context.regions == ["us-east-1"]' "endpoints.json: region us-east-1 from the agent config"
assert_jq "$O" 'all(.targets[]; .region == "us-east-1")' "endpoints.json: targets in us-east-1"
CHECKS=$((CHECKS + 1))
if grep -qE 'query\[A\] (ssm|ssmmessages|ec2messages)\.us-east-1\.amazonaws\.com ' <(tail -n +"$((DNS_MARK + 1))" "$T/dns.log"); then
    _fail "endpoints.json: a default name was resolved although the config overrides all three"
    grep -E 'query\[' "$T/dns.log" | tail -8 | sed 's/^/    | /'
else
    _pass "endpoints.json: no default name was resolved"
fi
queried "$VPCE" && queried "$MGS" && queried "$MDS"
assert_eq 0 $? "endpoints.json: the three configured names were resolved"
cp "$O" "$T/endpoints.json.out"
run_probe "${BASE[@]}" --root "$EMPTY" --agent-config "$CFG/endpoints.json" -v
assert_rc 0 "$PROBE_RC" "endpoints.json (text): exit 0"
assert_match "$VPCE" "$(cat "$O")" "endpoints.json (text): the vpce host is shown"
assert_match 'custom' "$(cat "$O")" "endpoints.json (text): marked custom"
# Issue 5: "mark such targets endpoint_kind: custom with the config key in the report".
CHECKS=$((CHECKS + 1))
if grep -q 'Ssm\.Endpoint' "$T/endpoints.json.out" "$O" && grep -q 'Mgs\.Endpoint' "$T/endpoints.json.out" "$O" &&
   grep -q 'Mds\.Endpoint' "$T/endpoints.json.out" "$O"; then
    _pass "endpoints.json: the config keys (Ssm/Mgs/Mds.Endpoint) are named in the report"
else
    _fail "endpoints.json: the config keys (Ssm/Mgs/Mds.Endpoint) are named in neither the JSON nor the text report"
fi

# ---- only Mgs.Endpoint: the others keep their default names ----
run_probe "${BASE[@]}" --root "$EMPTY" --agent-config "$CFG/mgs-only.json" -o json
show_out
assert_rc 0 "$PROBE_RC" "mgs-only.json: exit 0"
assert_jq "$O" "[.targets[].host] == [\"ssm.us-east-1.amazonaws.com\", \"$MGS\", \"ec2messages.us-east-1.amazonaws.com\"]" "mgs-only.json: only ssmmessages overridden"
assert_jq "$O" '[.targets[].endpoint_kind] | .[1] == "custom" and .[0] != "custom" and .[2] != "custom"' "mgs-only.json: only ssmmessages is custom"

# ---- Agent.ServiceDomain ----
run_probe "${BASE[@]}" --root "$EMPTY" --agent-config "$CFG/servicedomain.json" -o json
show_out
assert_rc 0 "$PROBE_RC" "servicedomain.json: exit 0"
assert_jq "$O" '[.targets[].host] == ["ssm.us-east-1.example.test", "ssmmessages.us-east-1.example.test", "ec2messages.us-east-1.example.test"]' "servicedomain.json: SERVICE.REGION.example.test"
assert_jq "$O" 'all(.targets[]; .status == "ok")' "servicedomain.json: targets ok"

# ---- the default config under --root: Agent.Region for discovery ----
run_probe "${BASE[@]}" --root "$IT5/root-cfgregion" -o json
show_out
assert_rc 0 "$PROBE_RC" "--root root-cfgregion: exit 0"
assert_jq "$O" '.context.region_source == "agent-config" and .context.regions == ["ap-south-1"]' "--root root-cfgregion: region ap-south-1, source agent-config"
assert_jq "$O" 'all(.targets[]; .host == "\(.service).ap-south-1.amazonaws.com" and .status == "ok")' "--root root-cfgregion: ap-south-1 endpoints probed"
run_probe "${BASE[@]}" --root "$IT5/root-cfgregion"
assert_match 'ap-south-1 \(agent-config' "$(head -3 "$O")" "--root root-cfgregion (text): header names the agent config as the source"
# The default config is the one under --root, not the host's.
run_probe "${BASE[@]}" --root "$TESTS_ROOT/fixtures/host1" -r us-east-1 --dns-timeout 1 -o json
assert_jq "$O" '[.targets[].host] == ["vpce-0123456789abcdef0-abcdefgh.ssm.eu-west-1.vpce.amazonaws.com", "ssmmessages.eu-west-1.amazonaws.com", "ec2messages.us-east-1.amazonaws.com"]' "--root host1: its config's Ssm.Endpoint and Mgs.Endpoint are probed"
assert_jq "$O" '[.targets[].endpoint_kind] | .[0] == "custom" and .[1] == "custom"' "--root host1: both custom"

# ---- --endpoint overrides the config (host and port) ----
run_probe "${BASE[@]}" --root "$EMPTY" --agent-config "$CFG/endpoints.json" --endpoint "ssm=https://$OVR:$TLSPORT2" -o json
show_out
assert_rc 0 "$PROBE_RC" "--endpoint over the config: exit 0"
assert_jq "$O" ".targets[0] | .service == \"ssm\" and .host == \"$OVR\" and .port == $TLSPORT2 and .endpoint_kind == \"custom\" and .status == \"ok\"" "--endpoint ssm=https://$OVR:PORT2: host and port from the flag"
assert_jq "$O" "[.targets[1,2].host] == [\"$MGS\", \"$MDS\"] and all(.targets[1,2]; .port == $TLSPORT)" "--endpoint ssm=…: the other services keep the config's endpoints"
assert_jq "$O" '.targets[0].connections | length == 1 and .[0].status == "ok"' "--endpoint: connected to the override"
run_probe "${BASE[@]}" --root "$EMPTY" --agent-config "$CFG/servicedomain.json" --endpoint "ssm=https://$OVR:$TLSPORT2" -o json
assert_jq "$O" ".targets[0].host == \"$OVR\" and .targets[1].host == \"ssmmessages.us-east-1.example.test\"" "--endpoint overrides Agent.ServiceDomain for its service only"
run_probe "${BASE[@]}" --root "$EMPTY" -r ap-south-1 --endpoint "ssmmessages=https://$OVR:$TLSPORT2" -o json
assert_rc 0 "$PROBE_RC" "--endpoint without any config: exit 0"
assert_jq "$O" ".targets[1] | .host == \"$OVR\" and .port == $TLSPORT2 and .endpoint_kind == \"custom\" and .status == \"ok\"" "--endpoint ssmmessages=…: used without a config"
assert_jq "$O" '.targets[0].host == "ssm.ap-south-1.amazonaws.com"' "--endpoint ssmmessages=…: ssm keeps its name"

finish
