#!/bin/bash
# Region discovery through the real binary: --region > AWS_REGION >
# AWS_DEFAULT_REGION > agent config Agent.Region > hybrid registration >
# IMDS placement/region, each level beating the next while every lower one
# is present (fixture roots under tests/fixtures/it5, the fake IMDS on
# loopback); context.region_source names the winner. No region anywhere →
# exit 2 and one stderr message naming every source tried.
# Probe targets: a loopback dnsmasq answering NXDOMAIN for everything
# (fast; only the context is asserted here).
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/it5/lib.sh"
need_binary
need_cmd dnsmasq jq python3 ss

DNSPORT=$(free_port) || setup_fail "port"
dns_start dns 127.0.0.1 "$DNSPORT" -- --local=/amazonaws.com/ || setup_fail "dnsmasq"
it5_imds_start eu-north-1 || setup_fail "fake IMDS"

FULL=$IT5/disc-full        # Agent.Region ap-south-1, registration ca-central-1
REG=$IT5/disc-reg          # registration ca-central-1 only
EMPTY=$T/emptyroot
mkdir -p "$EMPTY"
BASE=(--dns-server "127.0.0.1:$DNSPORT" --dns-timeout 2 --timeout 3 --no-host-checks
      --proxy-source none --no-large-hello --imds --imds-endpoint "$IMDS_URL")
O=$T/out

# src_is DESC SOURCE REGION — exit code not 2, region and its source.
src_is() {
    assert_json_out >/dev/null || { _fail "$1: no JSON report (exit $PROBE_RC)"; return; }
    CHECKS=$((CHECKS - 1))
    assert_jq "$O" ".context.region_source == \"$2\" and .context.regions == [\"$3\"]" "$1: $3 from $2"
    assert_jq "$O" "(.targets | length) == 3 and all(.targets[]; .region == \"$3\" and (.host | endswith(\".$3.amazonaws.com\")))" "$1: the three targets are in $3"
}

# 1. --region beats everything
AWS_REGION=us-east-2 AWS_DEFAULT_REGION=sa-east-1 run_probe "${BASE[@]}" --root "$FULL" -r us-west-1 -o json
src_is "--region over all" flag us-west-1
AWS_REGION=us-east-2 AWS_DEFAULT_REGION=sa-east-1 run_probe "${BASE[@]}" --root "$FULL" -o json us-west-1
src_is "positional REGION over all" flag us-west-1
# 2. AWS_REGION beats AWS_DEFAULT_REGION and the rest
AWS_REGION=us-east-2 AWS_DEFAULT_REGION=sa-east-1 run_probe "${BASE[@]}" --root "$FULL" -o json
src_is "AWS_REGION over AWS_DEFAULT_REGION, config, registration, IMDS" env:AWS_REGION us-east-2
# set but empty counts as unset (as the SDKs read it)
AWS_REGION='' AWS_DEFAULT_REGION=sa-east-1 run_probe "${BASE[@]}" --root "$FULL" -o json
src_is "empty AWS_REGION is skipped" env:AWS_DEFAULT_REGION sa-east-1
# 3. AWS_DEFAULT_REGION beats the agent config
AWS_DEFAULT_REGION=sa-east-1 run_probe "${BASE[@]}" --root "$FULL" -o json
src_is "AWS_DEFAULT_REGION over config, registration, IMDS" env:AWS_DEFAULT_REGION sa-east-1
# 4. the agent config (default path under --root) beats the registration
run_probe "${BASE[@]}" --root "$FULL" -o json
src_is "Agent.Region over registration and IMDS" agent-config ap-south-1
# …and an explicit --agent-config is the agent config too
echo '{"Agent": {"Region": "eu-south-2"}}' >"$T/cfg.json"
run_probe "${BASE[@]}" --root "$FULL" --agent-config "$T/cfg.json" -o json
src_is "--agent-config's Agent.Region" agent-config eu-south-2
# 5. the registration beats IMDS
run_probe "${BASE[@]}" --root "$REG" -o json
src_is "registration over IMDS" registration ca-central-1
# a config without Agent.Region and a registration without Region: fall through to IMDS
run_probe "${BASE[@]}" --root "$IT5/disc-noregion" -o json
src_is "config and registration without a region → IMDS" imds eu-north-1
# 6. IMDS last
run_probe "${BASE[@]}" --root "$EMPTY" -o json
src_is "IMDS when nothing else" imds eu-north-1
assert_jq "$O" '.context.imds.region == "eu-north-1"' "IMDS: context.imds.region"
run_probe "${BASE[@]}" --root "$EMPTY"
assert_match 'eu-north-1 \(imds' "$(head -3 "$O")" "IMDS (text): the header names imds as the source"

# ---- no region anywhere: exit 2, every source named ----
check_tried() {   # DESC — $T/err names every source
    local e
    e=$(cat "$T/err")
    assert_rc 2 "$PROBE_RC" "$1: exit 2"
    assert_file_empty "$O" "$1: no report on stdout"
    assert_eq 1 "$(grep -c . "$T/err")" "$1: one stderr line"
    assert_match '--region' "$e" "$1: names --region"
    assert_match 'AWS_REGION' "$e" "$1: names AWS_REGION"
    assert_match 'AWS_DEFAULT_REGION' "$e" "$1: names AWS_DEFAULT_REGION"
    assert_match '[Aa]gent[ _-]?[Cc]onfig|amazon-ssm-agent\.json|Agent\.Region' "$e" "$1: names the agent config"
    assert_match 'registration' "$e" "$1: names the registration file"
    assert_match 'IMDS|imds|metadata' "$e" "$1: names IMDS"
}
run_probe "${BASE[@]}" --root "$EMPTY" --no-imds -o json
check_tried "no region, --no-imds"
DEADIMDS=$(free_port)
run_probe "${BASE[@]}" --root "$EMPTY" --imds-endpoint "http://127.0.0.1:$DEADIMDS" -o json
check_tried "no region, IMDS unreachable"
assert_match "127\.0\.0\.1:$DEADIMDS" "$(cat "$T/err")" "no region, IMDS unreachable: names the IMDS address"
AWS_REGION='' AWS_DEFAULT_REGION='' run_probe "${BASE[@]}" --root "$IT5/disc-noregion" --no-imds -o json
check_tried "no region, empty env, config and registration without a region"
assert_match 'disc-noregion/etc/amazon/ssm/amazon-ssm-agent\.json' "$(cat "$T/err")" "config without Agent.Region: its path is named"
assert_match 'disc-noregion/var/lib/amazon/ssm/registration' "$(cat "$T/err")" "registration without Region: its path is named"
# A malformed default config: the message says why it gave no region
# (no findings are printed on this exit-2 path).
run_probe "${BASE[@]}" --root "$IT5/root-badcfg" --no-imds -o json
check_tried "no region, malformed default config"
assert_match 'root-badcfg/etc/amazon/ssm/amazon-ssm-agent\.json' "$(cat "$T/err")" "malformed default config: its path is named in the exit-2 message"
assert_match 'malformed|:4:[0-9]+' "$(cat "$T/err")" "malformed default config: the exit-2 message says it is malformed"

# ---- a region from a lower source is still validated ----
AWS_REGION=us-east1 run_probe "${BASE[@]}" --root "$EMPTY" -o json
assert_rc 2 "$PROBE_RC" "malformed AWS_REGION: exit 2"
assert_match 'AWS_REGION' "$(cat "$T/err")" "malformed AWS_REGION: the message names where it came from"

finish
