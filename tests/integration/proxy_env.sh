#!/bin/bash
# Proxy discovery from this shell's environment (issue 4), with a real
# tinyproxy. The resolver knows ssm (→ 127.0.0.1) but not ssmmessages nor
# ec2messages: a target that goes direct shows dns != null (and only ssm
# can then succeed); a target through the proxy shows dns == null.
#   https_proxy / HTTPS_PROXY        → used, source env:https_proxy / env:HTTPS_PROXY
#   --proxy-source none              → environment ignored
#   --proxy-source none --proxy URL  → the explicit flag is still used
#   --proxy beats https_proxy
#   --noproxy ssm…  / no_proxy=ssm…  → ssm direct, the others via proxy
#   no_proxy lacking 169.254.169.254 → finding proxy_imds; with it → none
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/proxy-it/lib.sh"
DNS_EXTRA=(--host-record=ssm.us-east-1.amazonaws.com,127.0.0.1)
proxy_world
tp_start env "ConnectPort $TLSPORT" || setup_fail "tinyproxy"
PURL=http://127.0.0.1:$TP_PORT
DEAD=http://127.0.0.1:$(free_port)
SSM=ssm.us-east-1.amazonaws.com

penv() { PROBE_WRAP="env $*"; }
all_via_proxy() {   # LABEL
    show_out
    assert_rc 0 "$PROBE_RC" "$1: exit status"
    assert_jq "$T/out" 'all(.targets[]; .status == "ok" and .dns == null and .connections[0].via_proxy == true)' \
        "$1: every target ok through the proxy, unresolved"
}
ssm_direct() {      # LABEL
    show_out
    assert_rc 0 "$PROBE_RC" "$1: exit status"
    assert_jq "$T/out" ".targets[] | select(.host == \"$SSM\") | .status == \"ok\" and .dns != null and .dns.addresses[0].address == \"127.0.0.1\" and .connections[0].via_proxy == false and .connections[0].proxy_ms == null" \
        "$1: ssm direct (resolved by the client, via_proxy false)"
    assert_jq "$T/out" "[.targets[] | select(.host != \"$SSM\")] | length == 2 and all(.[]; .status == \"ok\" and .dns == null and .connections[0].via_proxy == true and .connections[0].proxy_ms > 0)" \
        "$1: ssmmessages and ec2messages through the proxy"
}
findings() { jq -c '[.findings[].code]' "$T/out"; }

# ---- https_proxy ----
penv "https_proxy=$PURL"
run_probe "${PROBE_ARGS[@]}" -o json
all_via_proxy "https_proxy"
assert_jq "$T/out" ".context.proxy.url == \"$PURL\" and .context.proxy.source == \"env:https_proxy\"" \
    "https_proxy: context.proxy url and source env:https_proxy"
assert_jq "$T/out" '[.findings[] | select(.code == "proxy_imds")] | length == 1 and .[0].severity == "warn"' \
    "https_proxy without no_proxy: finding proxy_imds (warn)"
assert_no_target_queries

# ---- HTTPS_PROXY ----
penv "HTTPS_PROXY=$PURL"
run_probe "${PROBE_ARGS[@]}" -o json
all_via_proxy "HTTPS_PROXY"
assert_jq_eq "$T/out" .context.proxy.source env:HTTPS_PROXY "HTTPS_PROXY: source env:HTTPS_PROXY"

# ---- --proxy-source none ----
penv "https_proxy=$PURL" "HTTPS_PROXY=$PURL"
run_probe "${PROBE_ARGS[@]}" -o json --proxy-source none
show_out
assert_rc 1 "$PROBE_RC" "--proxy-source none: exit 1 (the direct path cannot resolve two names)"
assert_jq "$T/out" '.context.proxy == null' "--proxy-source none: context.proxy null"
assert_jq "$T/out" 'all(.targets[]; .dns != null) and all(.targets[].connections[]; .via_proxy == false)' \
    "--proxy-source none: every target resolved by the client, nothing via proxy"
assert_jq "$T/out" "[.targets[] | select(.host != \"$SSM\") | .failure.code] == [\"dns_nxdomain\",\"dns_nxdomain\"]" \
    "--proxy-source none: ssmmessages/ec2messages dns_nxdomain (direct)"
assert_jq "$T/out" '[.findings[] | select(.code == "proxy_imds")] == []' "--proxy-source none: no proxy_imds"

# ---- --proxy-source none + --proxy: the explicit flag is used ----
run_probe "${PROBE_ARGS[@]}" -o json --proxy-source none --proxy "$PURL"
all_via_proxy "--proxy-source none --proxy"
assert_jq_eq "$T/out" .context.proxy.source flag "--proxy-source none --proxy: source flag"

# ---- --proxy beats the environment ----
penv "https_proxy=$DEAD"
run_probe "${PROBE_ARGS[@]}" -o json --proxy "$PURL"
all_via_proxy "--proxy over https_proxy"
assert_jq "$T/out" ".context.proxy.url == \"$PURL\" and .context.proxy.source == \"flag\"" "--proxy over https_proxy: the flag's proxy"

# ---- --noproxy ssm ----
penv "https_proxy=$PURL"
run_probe "${PROBE_ARGS[@]}" -o json --noproxy "$SSM"
ssm_direct "--noproxy $SSM"
assert_jq_eq "$T/out" .context.proxy.noproxy "$SSM" "--noproxy: context.proxy.noproxy"
assert_jq "$T/out" '[.findings[] | select(.code == "proxy_imds")] | length == 1' "--noproxy without 169.254.169.254: proxy_imds"
log "findings: $(findings)"

# ---- no_proxy from the environment, with IMDS ----
penv "https_proxy=$PURL" "no_proxy=$SSM,169.254.169.254"
run_probe "${PROBE_ARGS[@]}" -o json
ssm_direct "no_proxy=$SSM,169.254.169.254"
assert_jq_eq "$T/out" .context.proxy.noproxy "$SSM,169.254.169.254" "no_proxy: context.proxy.noproxy"
assert_jq "$T/out" '[.findings[] | select(.code == "proxy_imds")] == []' "no_proxy with 169.254.169.254: no proxy_imds"
log "findings: $(findings)"

# ---- NO_PROXY (upper case) lacking IMDS: a leading-dot domain suffix ----
penv "https_proxy=$PURL" "NO_PROXY=.internal,10.0.0.0/8"
run_probe "${PROBE_ARGS[@]}" -o json
all_via_proxy "NO_PROXY=.internal,10.0.0.0/8"
assert_jq "$T/out" '[.findings[] | select(.code == "proxy_imds")] | length == 1' "NO_PROXY lacking 169.254.169.254: proxy_imds"
assert_jq_re "$T/out" '.findings[] | select(.code == "proxy_imds") | .hint' '169\.254\.169\.254' "proxy_imds hint names 169.254.169.254"

# ---- NO_PROXY as a CIDR that covers IMDS ----
penv "https_proxy=$PURL" "no_proxy=169.254.0.0/16"
run_probe "${PROBE_ARGS[@]}" -o json
all_via_proxy "no_proxy=169.254.0.0/16"
assert_jq "$T/out" '[.findings[] | select(.code == "proxy_imds")] == []' "no_proxy CIDR 169.254.0.0/16: no proxy_imds"

# ---- no_proxy '*' → everything direct ----
penv "https_proxy=$PURL" "no_proxy=*"
run_probe "${PROBE_ARGS[@]}" -o json
show_out
assert_jq "$T/out" 'all(.targets[]; .dns != null) and all(.targets[].connections[]; .via_proxy == false)' \
    "no_proxy=*: nothing via proxy"
assert_jq "$T/out" '[.findings[] | select(.code == "proxy_imds")] == []' "no_proxy=*: no proxy_imds"

# ---- text: the header says where the proxy came from ----
penv "https_proxy=$PURL"
run_probe "${PROBE_ARGS[@]}" --noproxy "$SSM"
sed 's/^/#   /' "$T/out"
assert_match "env:https_proxy" "$(cat "$T/out")" "text header names env:https_proxy"
assert_eq 2 "$(grep -c 'via proxy' "$T/out")" "text: 2 rows via proxy (ssm direct)"
PROBE_WRAP=

finish
