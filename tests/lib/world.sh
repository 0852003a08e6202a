# tests/lib/world.sh — run the probe inside tests/world (needs common.sh).
#
#   world_setup          root + namespaces + tools, else skip (77); brings a
#                        private world up (WORLD=ssmd<pid>), takes it down on
#                        exit; loads its env (W_* addresses, PKI); sets
#                        PROBE_WRAP so run_probe runs in the client namespace
#   BASE                 array: region, no IMDS/host checks, trust the
#                        Amazon (test) root, short bounds (the resolver is
#                        the client namespace's resolv.conf: 10.99.255.2)
#   pin ADDR             --resolve lines pinning the three names to ADDR:443
#   code_known CODE      does the binary know this code at all (its string
#                        is in the binary)? Rows for unknown codes are
#                        skipped and listed, unless DIAG_STRICT=1
#   row NAME PHASE CODE MAX_MS HINT_ERE -- ARGS...
#                        one table row: run the probe with BASE + ARGS,
#                        assert exit 1, every target fail with PHASE/CODE,
#                        message present, hint matching HINT_ERE
#                        (case-insensitive), wall time < MAX_MS
#   diag_finish          finish; 77 when every row was skipped

ROWS_RUN=0
ROWS_SKIPPED=""

world_setup() {
    need_binary
    need_root
    need_cmd ip iptables ip6tables dnsmasq nginx python3 jq openssl ss
    need_netns
    WORLD=ssmd$$
    export WORLD
    WORLD_DIR=$T/world
    export WORLD_DIR
    on_exit "WORLD=$WORLD WORLD_DIR=$WORLD_DIR '$TESTS_ROOT/world/world.sh' down"
    if ! "$TESTS_ROOT/world/world.sh" up >"$T/world-up.log" 2>&1; then
        cat "$T/world-up.log"
        if grep -qE 'iptables set-up failed|network set-up failed' "$T/world-up.log"; then
            skip "the sandbox cannot build the world: $(grep -vE '^(#|world:)' "$T/world-up.log" | head -1)"
        fi
        echo "FAIL (set-up): world.sh up failed"
        exit 1
    fi
    # shellcheck disable=SC1091
    . "$WORLD_DIR/env"
    PROBE_WRAP="ip netns exec $W_CLIENT"
    # No --dns-server: the client namespace's /etc/resolv.conf names the
    # VPC resolver 10.99.255.2; rows add --dns-server for other resolvers.
    BASE=(--region us-east-1 --no-imds --no-host-checks --ca-file "$PKI/root.pem"
          --timeout 4 --connect-timeout 1 --dns-timeout 1)
}

pin() {
    local n
    for n in $W_NAMES; do printf -- '--resolve\n%s:443:%s\n' "$n" "$1"; done
}

code_known() {
    [ "${DIAG_STRICT:-0}" = 1 ] && return 0
    grep -qaF "$1" "$SSMPROBE"
}

row() {
    local name=$1 phase=$2 code=$3 max=$4 hint=$5
    shift 5
    [ "${1:-}" = "--" ] && shift
    echo "# ---- row $name: expect $phase/$code within $max ms"
    if ! code_known "$code"; then
        echo "# skip row $name: the binary does not know $code yet"
        ROWS_SKIPPED+=" $name($code)"
        return 0
    fi
    ROWS_RUN=$((ROWS_RUN + 1))
    run_probe "${BASE[@]}" "$@" -o json
    show_out
    assert_rc 1 "$PROBE_RC" "$name: exit status"
    assert_lt "$PROBE_MS" "$max" "$name: ended within its bound (wall ms)"
    assert_json_out || return 0
    local O=$T/out
    assert_jq "$O" '.targets | length == 3' "$name: 3 targets"
    assert_jq "$O" "all(.targets[]; .status == \"fail\")" "$name: every target fail"
    assert_jq "$O" "[.targets[].failure.phase] | unique == [\"$phase\"]" "$name: failure.phase $phase"
    assert_jq "$O" "[.targets[].failure.code] | unique == [\"$code\"]" "$name: failure.code $code"
    assert_jq "$O" 'all(.targets[]; .failure.message | type == "string" and length > 10)' "$name: a message"
    assert_jq_re "$O" '.targets[].failure.hint' "$hint" "$name: hint matches /$hint/i"
    assert_jq_eq "$O" .status fail "$name: overall status"
}

# row_msg NAME ERE CODE — after row(): every target's message matches ERE.
row_msg() {
    code_known "$3" || return 0
    assert_jq_re "$T/out" '.targets[].failure.message' "$2" "$1: message matches /$2/i"
}

diag_finish() {
    if [ -n "$ROWS_SKIPPED" ]; then
        echo "# rows skipped (code unknown to the binary):$ROWS_SKIPPED"
    fi
    if [ "$ROWS_RUN" = 0 ] && [ "$FAILS" = 0 ]; then
        skip "no row ran: the binary knows none of the codes ($ROWS_SKIPPED )"
    fi
    finish
}
