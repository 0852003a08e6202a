#!/bin/bash
# --proxy-source agent with a fake process table (issue 4: "--proxy-source
# agent reading a fake /proc-like and systemd fixture path (make the paths
# overridable for tests)"). --root DIR is where ssmprobe reads host files;
# the host checks already take the process table from DIR/proc
# (include/hostcheck.h), and the agent's proxy must come from the same
# place: DIR/proc/4321 is amazon-ssm-agent, its environ names the real
# tinyproxy (with credentials), and DIR's systemd drop-in names another,
# dead proxy. The running process wins: source agent:DIR/proc/4321/environ,
# every target ok through tinyproxy, the password never printed.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/proxy-it/lib.sh"
proxy_world
tp_start agentproc "ConnectPort $TLSPORT" || setup_fail "tinyproxy"
DEAD=$(free_port) || setup_fail "no free port"

R=$T/root
DROPDIR=etc/systemd/system/amazon-ssm-agent.service.d
mkdir -p "$R/proc/4321" "$R/$DROPDIR"
cp "$PROXY_IT/agent-proc/proc/4321/comm" "$PROXY_IT/agent-proc/proc/4321/cmdline" "$R/proc/4321/"
sed "s/@PORT@/$TP_PORT/" "$PROXY_IT/agent-proc/proc/4321/environ.in" | tr '\n' '\0' >"$R/proc/4321/environ"
printf '[Service]\nEnvironment="https_proxy=http://127.0.0.1:%s" "no_proxy=169.254.169.254"\n' "$DEAD" \
    >"$R/$DROPDIR/override.conf"

for fmt in json text; do
    run_probe "${PROBE_ARGS[@]}" --proxy-source agent --root "$R" --timeout 2 -o "$fmt" -v -v
    cat "$T/out" "$T/err" >"$T/all-$fmt"
    assert_no_secret s3cr3tAG "$T/all-$fmt" "$fmt: the agent's proxy password is not printed"
done
run_probe "${PROBE_ARGS[@]}" --proxy-source agent --root "$R" --timeout 2 -o json
show_out
jq -c .context.proxy "$T/out" | sed 's/^/# context.proxy: /'
assert_rc 0 "$PROBE_RC" "exit status"
assert_jq "$T/out" '.context.proxy.source | startswith("agent:")' "context.proxy.source starts with agent:"
assert_jq_eq "$T/out" .context.proxy.source "agent:$R/proc/4321/environ" "source: the fake running agent's environ under --root"
assert_jq_eq "$T/out" .context.proxy.url "http://agent:***@127.0.0.1:$TP_PORT" "url from the process, password redacted"
assert_jq_eq "$T/out" .context.proxy.noproxy "169.254.169.254,.internal" "noproxy from the process"
assert_jq "$T/out" 'all(.targets[]; .status == "ok" and .dns == null and .connections[0].via_proxy == true)' \
    "every target ok through the running agent's proxy"

finish
