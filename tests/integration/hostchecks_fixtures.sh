#!/bin/bash
# Host checks through the real binary on the fixture roots
# tests/fixtures/host1..host5: context.host (os, agent_version,
# agent_running, ssm_user) and the findings each fixture must give
# (src/hostcheck.c), in JSON and text; --no-host-checks → context.host
# null and no host finding. The probe targets get NXDOMAIN from a loopback
# dnsmasq (only the host side is asserted); IMDS is off.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/it5/lib.sh"
need_binary
need_cmd dnsmasq jq ss

DNSPORT=$(free_port) || setup_fail "port"
dns_start dns 127.0.0.1 "$DNSPORT" -- --local=/amazonaws.com/ || setup_fail "dnsmasq"
FX=$TESTS_ROOT/fixtures
BASE=(-r us-east-1 --dns-server "127.0.0.1:$DNSPORT" --dns-timeout 2 --timeout 3 --no-imds
      --proxy-source none --no-large-hello)
O=$T/out
HOSTCODES='["os_unsupported","agent_not_installed","agent_version_low","agent_not_running","ssm_user_missing","hybrid_registration_on_ec2","agent_log_errors","agent_config_invalid"]'

# host_run N — JSON run on hostN; the result stays in $T/hostN.json
host_run() {
    run_probe "${BASE[@]}" --root "$FX/$1" -o json
    cp "$O" "$T/$1.json"
    jq -c '{host: .context.host, findings: [.findings[] | [.severity, .code]]}' "$O" | sed 's/^/#   /'
    CHECKS=$((CHECKS + 1))
    case $PROBE_RC in 0|1) _pass "$1: exit 0/1 (no crash, no usage error)" ;; *) _fail "$1: exit $PROBE_RC" ;; esac
}
sev() { jq -r --arg c "$2" '[.findings[] | select(.code == $c) | .severity] | if length == 0 then "none" else join(",") end' "$T/$1.json"; }
# host_codes N — the host findings, sorted
host_codes() { jq -r --argjson hc "$HOSTCODES" '[.findings[].code | select(. as $c | $hc | index($c))] | sort | join(",")' "$T/$1.json"; }

# ---- host1: Amazon Linux 2023, agent 3.3.40.0 running, ssm-user, old log lines ----
host_run host1
assert_jq "$T/host1.json" '.context.host == {"os": "Amazon Linux 2023.6.20241212", "agent_version": "3.3.40.0", "agent_running": true, "ssm_user": true}' "host1: context.host"
assert_eq "agent_log_errors" "$(host_codes host1)" "host1: only agent_log_errors among the host findings"
assert_eq info "$(sev host1 agent_log_errors)" "host1: agent_log_errors is info (lines from 2024)"
assert_jq "$T/host1.json" '.findings[] | select(.code == "agent_log_errors") | .message | contains("2024-01-10 08:05:12") and contains("i/o timeout")' "host1: the log finding quotes the newest line with its time"
assert_jq "$T/host1.json" '.findings[] | select(.code == "agent_log_errors") | .message | contains("something unrelated") | not' "host1: unrelated log lines are not quoted"
assert_jq "$T/host1.json" '[.context.host | keys_unsorted[]] == ["os","agent_version","agent_running","ssm_user"]' "host1: context.host keys in SPEC order"

# ---- host2: Ubuntu 14.04, agent 2.3.50.0 not running, no ssm-user, registration, EC2 (Xen BIOS) ----
host_run host2
assert_jq "$T/host2.json" '.context.host == {"os": "Ubuntu 14.04.6 LTS", "agent_version": "2.3.50.0", "agent_running": false, "ssm_user": false}' "host2: context.host (an updater process and ssm-userx do not count)"
assert_eq "agent_log_errors,agent_not_running,agent_version_low,hybrid_registration_on_ec2,os_unsupported,ssm_user_missing" "$(host_codes host2)" "host2: the host findings"
assert_eq warn "$(sev host2 os_unsupported)" "host2: os_unsupported warn"
assert_eq fail "$(sev host2 agent_version_low)" "host2: agent_version_low fail (below 2.3.68.0, Session Manager)"
assert_jq "$T/host2.json" '.findings[] | select(.code == "agent_version_low") | .message | contains("2.3.68.0") and contains("Session Manager")' "host2: agent_version_low names the Session Manager minimum"
assert_eq fail "$(sev host2 agent_not_running)" "host2: agent_not_running fail"
assert_eq warn "$(sev host2 ssm_user_missing)" "host2: ssm_user_missing warn (2.3.50.0 creates it at start)"
assert_eq warn "$(sev host2 hybrid_registration_on_ec2)" "host2: hybrid_registration_on_ec2 warn"
assert_jq "$T/host2.json" '.findings[] | select(.code == "hybrid_registration_on_ec2") | .targets == ["mi-0123456789abcdef0"]' "host2: the hybrid finding names mi-0123456789abcdef0"
assert_match '^(warn|info)$' "$(sev host2 agent_log_errors)" "host2: agent_log_errors (warn when recent, info when old)"
assert_jq "$T/host2.json" '.findings[] | select(.code == "agent_log_errors") | .message | contains("X-Amz-Security-Token=***") and (contains("X-Amz-Security-Token=IQ") | not)' "host2: a token in a log line is redacted"
assert_jq "$T/host2.json" '.status == "fail"' "host2: report status fail"
assert_jq "$T/host2.json" '.context.region_source == "flag"' "host2: --region still wins over its registration"

# ---- host3: Debian 12 (/usr/lib/os-release), no agent, agent config with trailing commas ----
host_run host3
assert_jq "$T/host3.json" '.context.host == {"os": "Debian GNU/Linux 12 (bookworm)", "agent_version": null, "agent_running": null, "ssm_user": false}' "host3: context.host (no agent; no process table → null)"
assert_eq "agent_config_invalid,agent_not_installed" "$(host_codes host3)" "host3: agent_config_invalid and agent_not_installed"
assert_eq fail "$(sev host3 agent_not_installed)" "host3: agent_not_installed fail"
assert_eq warn "$(sev host3 agent_config_invalid)" "host3: agent_config_invalid warn"
assert_jq_re "$T/host3.json" '.findings[] | select(.code == "agent_config_invalid") | .message' 'host3/etc/amazon/ssm/amazon-ssm-agent\.json:[0-9]+:[0-9]+' "host3: agent_config_invalid names file:line:column"

# ---- host4: CentOS 6, agent binary hangs → dpkg database 3.2.582.0, broken registration ----
host_run host4
assert_jq "$T/host4.json" '.context.host == {"os": "CentOS Linux 6", "agent_version": "3.2.582.0", "agent_running": null, "ssm_user": null}' "host4: context.host (version from dpkg after the binary timed out)"
assert_lt "$PROBE_MS" 10000 "host4: the hanging agent binary is bounded (wall ms)"
assert_eq "agent_version_low,os_unsupported" "$(host_codes host4)" "host4: os_unsupported and agent_version_low"
assert_eq warn "$(sev host4 os_unsupported)" "host4: os_unsupported warn"
assert_eq info "$(sev host4 agent_version_low)" "host4: agent_version_low info (only 3.3.40.0's ec2messages fallback missing)"
assert_jq "$T/host4.json" '.findings[] | select(.code == "agent_version_low") | .message | contains("3.3.40.0") and (contains("3.2.582.0 (") | not)' "host4: agent_version_low lists only what 3.2.582.0 lacks"

# ---- host5: Rocky 9.4, snap agent 3.0.1124.0 ----
host_run host5
assert_jq "$T/host5.json" '.context.host == {"os": "Rocky Linux 9.4 (Blue Onyx)", "agent_version": "3.0.1124.0", "agent_running": null, "ssm_user": true}' "host5: context.host (snap agent)"
assert_eq "agent_version_low" "$(host_codes host5)" "host5: only agent_version_low"
assert_eq info "$(sev host5 agent_version_low)" "host5: agent_version_low info (DHMC, ec2messages fallback)"
assert_jq "$T/host5.json" '.findings[] | select(.code == "agent_version_low") | .message | contains("3.2.582.0") and contains("3.3.40.0") and (contains("3.0.284.0") | not)' "host5: lacks 3.2.582.0 and 3.3.40.0 features, not streaming logs"
# host5's snap config carries credentials in a URL: never printed.
run_probe "${BASE[@]}" --root "$FX/host5" -s all -v -v
cat "$O" "$T/err" "$T/host5.json" >"$T/host5.all"
CHECKS=$((CHECKS + 1))
if grep -q 'user:secret' "$T/host5.all"; then _fail "host5: a URL password appears in the output"; grep -n 'user:secret' "$T/host5.all" | head -3; else _pass "host5: no URL password in any output"; fi

# ---- text: the Instance block ----
run_probe "${BASE[@]}" --root "$FX/host1"
assert_match 'Amazon Linux 2023' "$(cat "$O")" "text, host1: the OS is shown"
assert_match '3\.3\.40\.0' "$(cat "$O")" "text, host1: the agent version is shown"
run_probe "${BASE[@]}" --root "$FX/host2"
assert_match 'agent_not_running' "$(cat "$O")" "text, host2: agent_not_running shown"
assert_match 'agent_version_low' "$(cat "$O")" "text, host2: agent_version_low shown"

# ---- --no-host-checks ----
for h in host1 host2; do
    run_probe "${BASE[@]}" --root "$FX/$h" --no-host-checks -o json
    assert_jq "$O" '.context.host == null' "$h --no-host-checks: context.host is null"
    assert_jq "$O" '[.findings[].code] | all(. != "os_unsupported" and . != "agent_not_installed" and . != "agent_version_low" and . != "agent_not_running" and . != "ssm_user_missing" and . != "agent_log_errors")' "$h --no-host-checks: no host finding"
done
# --host-checks after --no-host-checks: the last one wins
run_probe "${BASE[@]}" --root "$FX/host1" --no-host-checks --host-checks -o json
assert_jq "$O" '.context.host.agent_version == "3.3.40.0"' "--no-host-checks --host-checks: checks on"

finish
