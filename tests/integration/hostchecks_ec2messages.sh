#!/bin/bash
# ec2messages_optional through the real binary on loopback: ec2messages
# fails (--endpoint ec2messages=https://nx.example.test → NXDOMAIN) while
# ssmmessages works:
#   agent 3.3.40.0 (tests/fixtures/host1) or newer (3.3.2299.0: numeric,
#     not string, comparison) → ec2messages target warn, finding warn, exit 0;
#   agent 3.3.39.0 (it5 fixture) or unknown (--no-host-checks) → fail, exit 1;
#   ssmmessages failing too → no fallback: fail; ec2messages working → no
#     finding.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/it5/lib.sh"
setup_core      # dnsmasq + nginx (Amazon test chain) for the three us-east-1 names

# host1's own config points ssm/ssmmessages at eu-west-1 names: use a
# minimal config (Agent.Region us-east-1) so the default names are probed.
MIN=$IT5/agentcfg/minimal.json
BASE=(--dns-server "127.0.0.1:$DNSPORT" --port "$TLSPORT" --ca-file "$PKI/root.pem" --no-imds
      --proxy-source none --no-large-hello --timeout 5 --agent-config "$MIN")
NX=(--endpoint ec2messages=https://nx.example.test)
O=$T/out
ec2() { jq -c '.targets[] | select(.service == "ec2messages")' "$O"; }
fnd() { jq -c '[.findings[] | select(.code == "ec2messages_optional")]' "$O"; }

# ---- agent 3.3.40.0: ec2messages optional ----
run_probe "${BASE[@]}" --root "$TESTS_ROOT/fixtures/host1" "${NX[@]}" -o json
show_out
assert_rc 0 "$PROBE_RC" "3.3.40.0, ec2messages NXDOMAIN, ssmmessages ok: exit 0"
assert_json_out || finish
assert_jq "$O" '.context.host.agent_version == "3.3.40.0"' "3.3.40.0: agent version from host checks"
assert_jq "$O" '.targets[] | select(.service == "ssmmessages") | .status == "ok"' "3.3.40.0: ssmmessages ok"
assert_jq "$O" '.targets[] | select(.service == "ec2messages") | .status == "warn" and .host == "nx.example.test" and .failure.code == "dns_nxdomain"' "3.3.40.0: ec2messages warn, still naming dns_nxdomain"
assert_jq "$O" '[.findings[] | select(.code == "ec2messages_optional")] | length == 1 and .[0].severity == "warn"' "3.3.40.0: one ec2messages_optional finding, warn"
assert_jq "$O" '.findings[] | select(.code == "ec2messages_optional") | (.message | contains("3.3.40.0")) and (.targets | index("nx.example.test") != null)' "3.3.40.0: the finding names the agent version and the host"
assert_jq "$O" '.summary.fail == 0 and .summary.warn == 1 and .status == "warn"' "3.3.40.0: summary 0 fail, 1 warn; status warn"
run_probe "${BASE[@]}" --root "$TESTS_ROOT/fixtures/host1" "${NX[@]}"
assert_rc 0 "$PROBE_RC" "3.3.40.0 (text): exit 0"
assert_match 'ec2messages_optional' "$(cat "$O")" "3.3.40.0 (text): the finding is shown"
run_probe "${BASE[@]}" --root "$TESTS_ROOT/fixtures/host1" "${NX[@]}" -q
assert_rc 0 "$PROBE_RC" "3.3.40.0 (-q): exit 0"

# ---- a newer agent, 3.3.2299.0 (2299 > 40 as numbers) ----
run_probe "${BASE[@]}" --root "$IT5/host-agent-3.3.2299.0" "${NX[@]}" -o json
assert_rc 0 "$PROBE_RC" "3.3.2299.0: exit 0"
assert_jq "$O" '.context.host.agent_version == "3.3.2299.0"' "3.3.2299.0: agent version"
assert_eq warn "$(ec2 | jq -r .status)" "3.3.2299.0: ec2messages warn"
assert_eq warn "$(fnd | jq -r '.[0].severity')" "3.3.2299.0: ec2messages_optional warn"

# ---- an older agent, 3.3.39.0: no fallback ----
run_probe "${BASE[@]}" --root "$IT5/host-agent-3.3.39.0" "${NX[@]}" -o json
show_out
assert_rc 1 "$PROBE_RC" "3.3.39.0: exit 1"
assert_jq "$O" '.context.host == {"os": "Amazon Linux 2023.6.20241212", "agent_version": "3.3.39.0", "agent_running": true, "ssm_user": true}' "3.3.39.0: context.host"
assert_jq "$O" '.targets[] | select(.service == "ec2messages") | .status == "fail" and .failure.code == "dns_nxdomain"' "3.3.39.0: ec2messages fail (dns_nxdomain)"
assert_jq "$O" '[.targets[] | select(.status == "fail") | .service] == ["ec2messages"]' "3.3.39.0: ec2messages is the only failing target"
assert_jq "$O" 'all(.findings[]; .code != "ec2messages_optional" or .severity == "fail")' "3.3.39.0: ec2messages_optional, if reported, is fail"
assert_jq "$O" 'all(.findings[]; .severity != "fail" or .code == "ec2messages_optional")' "3.3.39.0: no other failing finding (the fixture is otherwise healthy)"

# ---- unknown agent (no host checks): no fallback ----
run_probe "${BASE[@]}" --no-host-checks "${NX[@]}" -o json
assert_rc 1 "$PROBE_RC" "unknown agent: exit 1"
assert_eq fail "$(ec2 | jq -r .status)" "unknown agent: ec2messages fail"
assert_jq "$O" 'all(.findings[]; .code != "ec2messages_optional" or .severity == "fail")' "unknown agent: ec2messages_optional, if reported, is fail"

# ---- ssmmessages fails too: the fallback has nowhere to go ----
run_probe "${BASE[@]}" --root "$TESTS_ROOT/fixtures/host1" "${NX[@]}" --endpoint ssmmessages=https://nx2.example.test -o json
show_out
assert_rc 1 "$PROBE_RC" "3.3.40.0, ssmmessages failing too: exit 1"
assert_eq fail "$(ec2 | jq -r .status)" "3.3.40.0, ssmmessages failing too: ec2messages fail"
assert_jq "$O" 'all(.findings[]; .code != "ec2messages_optional" or .severity != "warn")' "3.3.40.0, ssmmessages failing too: no warn-level ec2messages_optional"

# ---- ec2messages fine: nothing to say ----
run_probe "${BASE[@]}" --root "$TESTS_ROOT/fixtures/host1" -o json
assert_rc 0 "$PROBE_RC" "3.3.40.0, all reachable: exit 0"
assert_jq "$O" 'all(.targets[]; .status == "ok") and all(.findings[]; .code != "ec2messages_optional")' "all reachable: every target ok, no ec2messages_optional"

finish
