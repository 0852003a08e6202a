#!/bin/bash
# Issue 9, leaks: a short memcheck in `make test` — healthy (3 targets, large
# hello on), one fault (TLS hostname mismatch) and a proxy that is down,
# each with 0 valgrind errors, 0 bytes definitely/indirectly lost and no
# descriptor > 2 left open at exit. The full matrix is tests/valgrind/run
# (make valgrind). Skips (77) without valgrind or on an ASan build.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/valgrind/lib.sh"
vg_pick_binary
setup_core

WRONGPORT=$(free_port) || setup_fail "no free port"
ngx_new wrong
ngx_site wrong wrong "127.0.0.1:$WRONGPORT" || setup_fail "nginx wrong site"
ngx_start wrong || setup_fail "nginx (wrong certificate)"
DEAD=$(free_port) || setup_fail "no free port"

# vgcheck NAME EXPECTED_RC JQ ARGS... — one run under valgrind
vgcheck() {
    local name=$1 want=$2 expr=$3
    shift 3
    PROBE_WRAP="${VG[*]} --log-file=$T/vg.$name.log" run_probe "$@" -o json
    vg_parse "$T/vg.$name.log"
    log "$name: exit $PROBE_RC, errors $E, definitely lost $DL, indirectly lost $IL, fds>2 at exit $FDS"
    assert_eq 1 "$COMPLETE" "$name: valgrind finished (ERROR SUMMARY in its log)"
    assert_rc "$want" "$PROBE_RC" "$name: exit status (9 would be valgrind's)"
    assert_eq 0 "$E" "$name: valgrind errors"
    assert_eq 0 "$DL" "$name: definitely lost bytes"
    assert_eq 0 "$IL" "$name: indirectly lost bytes"
    assert_eq 0 "$FDS" "$name: descriptors left open at exit"
    [ "$FDS" = 0 ] || printf '    %s\n' "$FDL"
    assert_jq "$T/out" "$expr" "$name: verdict"
    if [ "$E" != 0 ] || [ "$DL" != 0 ] || [ "$IL" != 0 ]; then
        grep -E '^==[0-9]+== ' "$T/vg.$name.log" | sed -n '/HEAP SUMMARY\|Invalid\|uninitialised\|lost in loss record/,+25p' | head -80
    fi
}

vgcheck healthy 0 '.summary.ok == 3 and all(.targets[].connections[]; .large_hello.status == "ok")' \
    "${PROBE_ARGS[@]}" --timeout 10
vgcheck hostname_mismatch 1 'all(.targets[]; .failure.code == "tls_hostname_mismatch")' \
    "${PROBE_ARGS[@]/$TLSPORT/$WRONGPORT}" --timeout 10
vgcheck proxy_down 1 'all(.targets[]; .failure.code == "proxy_unreachable")' \
    "${PROBE_ARGS[@]}" --proxy "http://127.0.0.1:$DEAD" --connect-timeout 2 --timeout 10
finish
