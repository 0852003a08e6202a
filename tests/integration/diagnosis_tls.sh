#!/bin/bash
# Issue 3, TLS phase and interception; one row per code.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/lib/world.sh"
world_setup

mapfile -t P < <(pin "$W_CORP")
row inspected_untrusted tls tls_untrusted 3000 'inspect|intercept|proxy|trust|CA' -- "${P[@]}"
row_msg inspected_untrusted 'Corp Inspection' tls_untrusted
if code_known tls_untrusted; then
    assert_jq "$T/out" 'all(.targets[]; .failure.hint | test("inspect|intercept"; "i"))' "untrusted inspection CA: the hint says TLS inspection"
    assert_jq "$T/out" 'all(.targets[].connections[]; .tls.intercepted == true)' "untrusted inspection CA: tls.intercepted true"
fi

# Trusted inspection CA: warn, not fail; finding tls_intercepted names the issuer.
if code_known tls_intercepted; then
    ROWS_RUN=$((ROWS_RUN + 1))
    run_probe "${BASE[@]}" "${P[@]}" --ca-file "$PKI/both-roots.pem" -o json
    show_out
    assert_rc 0 "$PROBE_RC" "trusted inspection: exit 0 (warn)"
    assert_jq "$T/out" 'all(.targets[]; .status == "warn")' "trusted inspection: every target warn"
    assert_jq "$T/out" 'all(.targets[].connections[]; .tls.verify == "ok" and .tls.intercepted == true)' "trusted inspection: verify ok, intercepted"
    assert_jq "$T/out" 'any(.findings[]; .code == "tls_intercepted" and (.message | contains("Corp Inspection")))' "finding tls_intercepted names Corp Inspection"
else
    ROWS_SKIPPED+=" trusted_inspection(tls_intercepted)"
fi

mapfile -t P < <(pin "$W_WRONG")
row wrong_host tls tls_hostname_mismatch 3000 'name|host|certificate|endpoint' -- "${P[@]}"
row_msg wrong_host 'other\.example\.com' tls_hostname_mismatch

mapfile -t P < <(pin "$W_EXPIRED")
row expired tls tls_expired 3000 'expir|clock|certificate' -- "${P[@]}"
row_msg expired '2020' tls_expired

mapfile -t P < <(pin "$W_TLS_RESET")
row reset tls tls_reset 3000 'inspect|firewall|proxy|middlebox|reset' -- "${P[@]}"

mapfile -t P < <(pin "$W_TLS_SILENT")
row silent tls tls_timeout 5500 'tls|handshake|firewall|proxy|inspect' -- "${P[@]}"

mapfile -t P < <(pin "$W_NOT_TLS")
row not_tls tls tls_protocol 3000 'tls|protocol|proxy|port' -- "${P[@]}"

# Large ClientHello dropped by a middlebox, the small one passes.
if code_known large_hello_blocked; then
    ROWS_RUN=$((ROWS_RUN + 1))
    mapfile -t P < <(pin "$W_LARGE_HELLO_DROP")
    run_probe "${BASE[@]}" "${P[@]}" -o json
    show_out
    assert_lt "$PROBE_MS" 6000 "large hello: bounded"
    assert_jq "$T/out" 'all(.targets[].connections[]; .tls.verify == "ok" and .large_hello.status != "ok")' "large hello: first handshake ok, large one not"
    assert_jq "$T/out" 'any(.findings[]; .code == "large_hello_blocked")' "finding large_hello_blocked"
else
    ROWS_SKIPPED+=" large_hello_blocked"
fi
diag_finish
