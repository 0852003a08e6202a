#!/bin/bash
# --proxy-source agent (issue 4): the proxy the agent uses, from systemd
# drop-ins and the upstart override under --root (src/proxy_env.c reads
# <root>/etc/systemd/system/{amazon-ssm-agent,snap.amazon-ssm-agent.
# amazon-ssm-agent}.service.d/*.conf in name order with their
# EnvironmentFile=s, else <root>/etc/init/amazon-ssm-agent.override).
#   1. tests/fixtures/proxy/root: 10-proxy.conf then override.conf (wins),
#      whose EnvironmentFile (/etc/sysconfig/ssm-proxy) sets no_proxy →
#      source agent:…/override.conf, http://new-proxy.corp:8080; that name
#      does not resolve here → proxy_unreachable naming it.
#   2. root-upstart, root-snap (https:// scheme → finding proxy_https_scheme)
#   3. a root generated from tests/fixtures/proxy-it/agent-root whose
#      drop-in points at the real tinyproxy by name → all ok via the proxy;
#      the default source (env, then agent) finds it too.
#   4. a root without drop-ins → no proxy, all direct.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/proxy-it/lib.sh"
# A real agent on the test host would take precedence over the fixtures
# (the binary reads the live /proc): not a defect of the fixtures.
for c in /proc/[0-9]*/comm; do
    case $(cat "$c" 2>/dev/null) in amazon-ssm-agen|amazon-ssm-agent)
        skip "an amazon-ssm-agent runs on this host (${c%/comm}); its environment would win over the fixtures" ;;
    esac
done
DNS_EXTRA=(--local=/corp/)
proxy_world
FX=$TESTS_ROOT/fixtures/proxy
DROPDIR=etc/systemd/system/amazon-ssm-agent.service.d

# ---- 1. the shared drop-in fixture ----
run_probe "${PROBE_ARGS[@]}" --proxy-source agent --root "$FX/root" --timeout 2 -o json
show_out
jq -c .context.proxy "$T/out" | sed 's/^/# context.proxy: /'
assert_rc 1 "$PROBE_RC" "drop-ins: exit status (the agent's proxy does not resolve here)"
assert_json_out || finish
assert_jq "$T/out" '.context.proxy.source | startswith("agent:")' "drop-ins: context.proxy.source starts with agent:"
assert_jq_eq "$T/out" .context.proxy.source "agent:$FX/root/$DROPDIR/override.conf" "drop-ins: source is override.conf (the later drop-in wins)"
assert_jq_eq "$T/out" .context.proxy.url "http://new-proxy.corp:8080" "drop-ins: url from override.conf"
assert_jq_eq "$T/out" .context.proxy.noproxy "169.254.169.254,10.0.0.0/8" "drop-ins: no_proxy from the EnvironmentFile"
assert_jq "$T/out" 'all(.targets[]; .failure.phase == "proxy" and .failure.code == "proxy_unreachable" and .dns == null)' \
    "drop-ins: every target proxy_unreachable, not resolved"
assert_jq_re "$T/out" '.targets[].failure.message' 'new-proxy\.corp' "drop-ins: message names the agent's proxy"
assert_jq "$T/out" '[.findings[] | select(.code == "proxy_imds")] == []' "drop-ins: no_proxy has 169.254.169.254 → no proxy_imds"

# ---- 2a. upstart ----
run_probe "${PROBE_ARGS[@]}" --proxy-source agent --root "$FX/root-upstart" --timeout 2 -o json
jq -c .context.proxy "$T/out" | sed 's/^/# context.proxy: /'
assert_jq_eq "$T/out" .context.proxy.source "agent:$FX/root-upstart/etc/init/amazon-ssm-agent.override" "upstart: source"
assert_jq_eq "$T/out" .context.proxy.url "http://upstart.corp:3128" "upstart: url"
assert_jq_eq "$T/out" .context.proxy.noproxy "169.254.169.254" "upstart: noproxy"

# ---- 2b. snap unit, https:// proxy scheme ----
run_probe "${PROBE_ARGS[@]}" --proxy-source agent --root "$FX/root-snap" --timeout 2 -o json
jq -c '.context.proxy, [.findings[].code]' "$T/out" | sed 's/^/# /'
assert_jq "$T/out" '.context.proxy.source | startswith("agent:") and contains("snap.amazon-ssm-agent.amazon-ssm-agent.service.d/override.conf")' \
    "snap: source is the snap unit's drop-in"
assert_jq "$T/out" '[.findings[] | select(.code == "proxy_https_scheme")] | length == 1' "snap: https:// scheme flagged (proxy_https_scheme)"
assert_jq "$T/out" '[.findings[] | select(.code == "proxy_imds")] | length == 1' "snap: no no_proxy → proxy_imds"

# ---- 3. a drop-in pointing at the real tinyproxy ----
tp_start agent "ConnectPort $TLSPORT" || setup_fail "tinyproxy"
R=$T/root
mkdir -p "$R/$DROPDIR"
sed "s/@PORT@/$TP_PORT/" "$PROXY_IT/agent-root/$DROPDIR/override.conf" >"$R/$DROPDIR/override.conf"
run_probe "${PROBE_ARGS[@]}" --proxy-source agent --root "$R" -o json
show_out
conn_row
assert_rc 0 "$PROBE_RC" "live drop-in: exit status"
assert_jq_eq "$T/out" .context.proxy.source "agent:$R/$DROPDIR/override.conf" "live drop-in: source agent:…/override.conf"
assert_jq_eq "$T/out" .context.proxy.url "http://proxy.test:$TP_PORT" "live drop-in: url"
assert_jq "$T/out" 'all(.targets[]; .status == "ok" and .dns == null and .connections[0].via_proxy == true and .connections[0].proxy_ms > 0)' \
    "live drop-in: every target ok through the agent's proxy"
assert_jq "$T/out" '.findings == []' "live drop-in: no findings (no_proxy has IMDS)"
assert_no_target_queries

# default source: env (empty here), then agent
run_probe "${PROBE_ARGS[@]}" --root "$R" -o json
assert_rc 0 "$PROBE_RC" "default source: exit status"
assert_jq_eq "$T/out" .context.proxy.source "agent:$R/$DROPDIR/override.conf" "default source without env: the agent's drop-in"
assert_jq "$T/out" 'all(.targets[]; .status == "ok" and .connections[0].via_proxy == true)' "default source: via the agent's proxy"

# --proxy-source env ignores the agent
run_probe "${PROBE_ARGS[@]}" --proxy-source env --root "$R" -o json
assert_jq "$T/out" '.context.proxy == null' "--proxy-source env: the agent's drop-in is not used"

# ---- 4. no drop-ins at all ----
mkdir -p "$T/emptyroot/etc"
run_probe "${PROBE_ARGS[@]}" --proxy-source agent --root "$T/emptyroot" --timeout 2 -o json
assert_jq "$T/out" '.context.proxy == null' "no drop-ins: no proxy"
assert_jq "$T/out" 'all(.targets[]; .dns != null) and all(.targets[].connections[]; .via_proxy == false)' "no drop-ins: all direct"

finish
