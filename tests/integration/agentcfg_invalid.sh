#!/bin/bash
# A malformed agent config through the real binary:
#   the default one (under --root) → warning finding agent_config_invalid
#     naming file:line:column, the run goes on (targets probed, exit 0);
#   the same file given with --agent-config → exit 2, file, line and
#     column on stderr, no report; a missing --agent-config → exit 2.
# The probe targets are pinned with --resolve to a loopback nginx (no DNS).
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/it5/lib.sh"
need_binary
need_cmd nginx jq openssl ss

pki_make || setup_fail "test PKI"
TLSPORT=$(free_port) || setup_fail "port"
ngx_new bad
ngx_site bad aws "127.0.0.1:$TLSPORT" || setup_fail "nginx site"
ngx_start bad || setup_fail "nginx"
DEADDNS=$(free_port)

BAD=$IT5/agentcfg/malformed.json
ROOT=$IT5/root-badcfg
mapfile -t PIN < <(it5_resolve_dead us-east-1 "$TLSPORT")
BASE=(--dns-server "127.0.0.1:$DEADDNS" --dns-timeout 1 --port "$TLSPORT" --ca-file "$PKI/root.pem"
      --no-imds --no-host-checks --proxy-source none --no-large-hello --timeout 5 "${PIN[@]}")
O=$T/out

# ---- the default config under --root is malformed: a warning ----
run_probe "${BASE[@]}" --root "$ROOT" -r us-east-1 -o json
show_out
assert_rc 0 "$PROBE_RC" "malformed default config: exit 0 (a warning, the run goes on)"
assert_json_out || finish
assert_jq "$O" 'all(.targets[]; .status == "ok") and (.targets | length) == 3' "malformed default config: the three targets were probed, ok"
assert_jq "$O" '[.findings[] | select(.code == "agent_config_invalid")] | length == 1 and .[0].severity == "warn"' "malformed default config: one warning agent_config_invalid"
assert_jq_re "$O" '.findings[] | select(.code == "agent_config_invalid") | .message' \
    'etc/amazon/ssm/amazon-ssm-agent\.json:4:[0-9]+' "agent_config_invalid: message names file:line:column (line 4)"
assert_jq "$O" '.findings[] | select(.code == "agent_config_invalid") | .hint | length > 10' "agent_config_invalid: has a hint"
assert_jq "$O" '.status == "warn"' "malformed default config: report status warn"
run_probe "${BASE[@]}" --root "$ROOT" -r us-east-1
assert_rc 0 "$PROBE_RC" "malformed default config (text): exit 0"
assert_match 'agent_config_invalid' "$(cat "$O")" "malformed default config (text): finding shown"
# (long words may be wrapped across lines: join them back)
assert_match 'amazon-ssm-agent\.json:4:[0-9]+' "$(sed -e ':a' -e 'N' -e '$!ba' -e 's/\n *//g' "$O")" "malformed default config (text): file:line:column shown"

# Discovery still goes on past the broken config (AWS_DEFAULT_REGION here).
AWS_DEFAULT_REGION=us-east-1 run_probe "${BASE[@]}" --root "$ROOT" -o json
assert_rc 0 "$PROBE_RC" "malformed default config, no --region: exit 0"
assert_jq "$O" '.context.region_source == "env:AWS_DEFAULT_REGION"' "malformed default config: the environment's region is used"

# ---- the same file given explicitly: a configuration error ----
run_probe "${BASE[@]}" --agent-config "$BAD" -r us-east-1 -o json
assert_rc 2 "$PROBE_RC" "--agent-config malformed: exit 2"
assert_match 'malformed\.json' "$(cat "$T/err")" "--agent-config malformed: stderr names the file"
assert_match 'malformed\.json:4:[0-9]+|line 4.*column [0-9]+' "$(cat "$T/err")" "--agent-config malformed: stderr has line 4 and the column"
assert_file_empty "$O" "--agent-config malformed: no report on stdout"
# Explicit beats the default under --root: a good explicit config, bad default → no warning.
echo '{"Agent": {"Region": "us-east-1"}}' >"$T/good.json"
run_probe "${BASE[@]}" --root "$ROOT" --agent-config "$T/good.json" -o json
assert_rc 0 "$PROBE_RC" "--agent-config good over a bad default: exit 0"
assert_jq "$O" 'all(.findings[]; .code != "agent_config_invalid") and .context.region_source == "agent-config"' "--agent-config good over a bad default: no warning, its region used"

run_probe "${BASE[@]}" --agent-config "$T/no-such-config.json" -r us-east-1 -o json
assert_rc 2 "$PROBE_RC" "--agent-config missing file: exit 2"
assert_match 'no-such-config\.json' "$(cat "$T/err")" "--agent-config missing file: stderr names it"

# A file that is JSON but the wrong shape: explicit → exit 2, default → warning.
printf '[\n  {"Agent": {"Region": "us-east-1"}}\n]\n' >"$T/array.json"
run_probe "${BASE[@]}" --agent-config "$T/array.json" -r us-east-1 -o json
assert_rc 2 "$PROBE_RC" "--agent-config a JSON array: exit 2"

finish
