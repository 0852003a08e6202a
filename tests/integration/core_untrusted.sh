#!/bin/bash
# Untrusted chains: (1) our test root not in the trust store (no --ca-file:
# system store), (2) a TLS-inspection chain (Corp Inspection CA) while
# trusting only the Amazon (test) root.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
setup_core

check_untrusted() {
    local O=$T/out
    assert_rc 1 "$PROBE_RC"
    assert_json_out || return
    assert_jq "$O" 'all(.targets[]; .status == "fail" and .failure.phase == "tls" and .failure.code == "tls_untrusted")' "every target: tls / tls_untrusted"
    assert_jq "$O" 'all(.targets[].connections[]; .tls != null and .tls.verify != "ok" and .tcp_ms > 0 and .http == null)' "tls object filled, verify not ok, no HTTP"
    assert_jq "$O" 'all(.targets[]; .failure.hint | type == "string" and length > 10)' "a hint"
}

# 1. No --ca-file: the system store does not know "Amazon Root CA 1 (test)".
mapfile -t A < <(printf '%s\n' "${PROBE_ARGS[@]}" | awk 'skip {skip=0; next} $0 == "--ca-file" {skip=1; next} {print}')
run_probe "${A[@]}" -o json
show_out
check_untrusted
assert_jq "$T/out" 'all(.targets[].connections[]; .tls.issuer | contains("Amazon RSA 2048 M01 (test)"))' "issuer recorded"

# 2. Corp Inspection chain, only the Amazon (test) root trusted.
CORPPORT=$(free_port)
ngx_new corp
ngx_site corp corp "127.0.0.1:$CORPPORT" || setup_fail "nginx corp site"
ngx_start corp || setup_fail "nginx corp"
mapfile -t A < <(printf '%s\n' "${PROBE_ARGS[@]}" | sed "s/^$TLSPORT\$/$CORPPORT/")
run_probe "${A[@]}" -o json
show_out
check_untrusted
assert_jq "$T/out" 'all(.targets[].connections[]; .tls.issuer | contains("Corp Inspection"))' "issuer Corp Inspection CA recorded"
finish
