#!/bin/bash
# This shell's proxy differs from the agent's (issue 4: "Where this shell's
# proxy differs from the agent's, say so: that mismatch is itself a common
# cause"). https_proxy in the environment names the working tinyproxy; the
# agent's drop-in under --root names another proxy (dead). With the
# default --proxy-source (env, then agent) the shell's proxy is probed and
# a finding proxy_mismatch (warn) names the agent's source. With equal
# settings there is no such finding.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/proxy-it/lib.sh"
for c in /proc/[0-9]*/comm; do
    case $(cat "$c" 2>/dev/null) in amazon-ssm-agen|amazon-ssm-agent)
        skip "an amazon-ssm-agent runs on this host (${c%/comm}); its environment would replace the fixture" ;;
    esac
done
proxy_world
tp_start mm "ConnectPort $TLSPORT" || setup_fail "tinyproxy"
PURL=http://127.0.0.1:$TP_PORT
DEAD=http://127.0.0.1:$(free_port)
DROPDIR=etc/systemd/system/amazon-ssm-agent.service.d

mkdir -p "$T/differ/$DROPDIR" "$T/same/$DROPDIR"
printf '[Service]\nEnvironment="https_proxy=%s" "no_proxy=169.254.169.254"\n' "$DEAD" >"$T/differ/$DROPDIR/override.conf"
printf '[Service]\nEnvironment="https_proxy=%s" "no_proxy=169.254.169.254"\n' "$PURL" >"$T/same/$DROPDIR/override.conf"

PROBE_WRAP="env https_proxy=$PURL no_proxy=169.254.169.254"
run_probe "${PROBE_ARGS[@]}" --root "$T/differ" -o json
show_out
assert_rc 0 "$PROBE_RC" "differ: exit status (the shell's proxy works)"
assert_jq_eq "$T/out" .context.proxy.source env:https_proxy "differ: the shell's proxy is probed"
assert_jq "$T/out" 'all(.targets[]; .status == "ok" and .connections[0].via_proxy == true)' "differ: ok via the shell's proxy"
assert_jq "$T/out" '[.findings[] | select(.code == "proxy_mismatch")] | length == 1' "differ: finding proxy_mismatch"
assert_jq "$T/out" '[.findings[] | select(.code == "proxy_mismatch")] | length == 1 and all(.[]; .severity == "warn" and (.message | contains("override.conf")))' \
    "differ: proxy_mismatch is a warning naming the agent's drop-in"

run_probe "${PROBE_ARGS[@]}" --root "$T/same" -o json
assert_rc 0 "$PROBE_RC" "same: exit status"
assert_jq "$T/out" '[.findings[] | select(.code == "proxy_mismatch")] == []' "same settings: no proxy_mismatch"
PROBE_WRAP=

finish
