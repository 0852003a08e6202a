#!/bin/bash
# A trusted certificate for another name (CN/SAN other.example.com).
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
setup_core

WPORT=$(free_port)
ngx_new wrong
ngx_site wrong wrong "127.0.0.1:$WPORT" || setup_fail "nginx wrong-host site"
ngx_start wrong || setup_fail "nginx wrong-host"
mapfile -t A < <(printf '%s\n' "${PROBE_ARGS[@]}" | sed "s/^$TLSPORT\$/$WPORT/")
run_probe "${A[@]}" -o json
show_out
assert_rc 1 "$PROBE_RC"
assert_json_out || finish
O=$T/out
assert_jq "$O" 'all(.targets[]; .status == "fail" and .failure.phase == "tls" and .failure.code == "tls_hostname_mismatch")' "every target: tls / tls_hostname_mismatch"
assert_jq "$O" 'all(.targets[].connections[]; .tls.verify != "ok" and (.tls.subject | contains("other.example.com")))' "verify not ok, subject other.example.com"
assert_jq "$O" 'all(.targets[]; .failure.message | contains("other.example.com"))' "message names the certificate's name"
assert_jq "$O" 'all(.targets[]; .failure.hint | type == "string" and length > 10)' "a hint"
finish
