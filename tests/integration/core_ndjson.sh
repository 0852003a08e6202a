#!/bin/bash
# -o ndjson: one JSON event per line, t_ms ordered, last line the report.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
setup_core

check_ndjson() {   # EXPECTED_STATUS
    local O=$T/out n bad
    n=$(grep -c '' "$O")
    assert_lt 1 "$n" "more than one line"
    bad=0
    while IFS= read -r line; do
        if [ "$(printf '%s\n' "$line" | jq -c 'type == "object"' 2>/dev/null)" != true ]; then
            bad=$((bad + 1)); echo "    unparsable line: $(printf '%s' "$line" | head -c 200)"
        fi
    done <"$O"
    assert_eq 0 "$bad" "every line parses as one JSON object"
    [ "$bad" = 0 ] || return
    tail -n 1 "$O" >"$T/last"
    head -n -1 "$O" >"$T/events"
    assert_jq_eq "$T/last" .event report "last line is the report event"
    # The report holds the schema-1 object (flat, or under .report).
    jq 'if has("tool") then del(.event) else .report end' "$T/last" >"$T/report"
    assert_jq "$T/report" '.tool == "ssmprobe" and .schema == 1 and (.targets | length) == 3' "report holds the schema-1 object"
    assert_jq_eq "$T/report" .status "$1" "report status"
    assert_jq "$T/report" 'keys_unsorted == ["tool","version","schema","started_at","duration_ms","status","context","targets","findings","summary"]' "report keys in SPEC order"
    jq -s '.' "$T/events" >"$T/events.json"
    assert_jq "$T/events.json" 'length > 0' "at least one event before the report"
    assert_jq "$T/events.json" 'all(.[]; (.t_ms | type) == "number" and (.event | type) == "string")' "every event has t_ms and event"
    assert_jq "$T/events.json" '[.[].t_ms] as $t | $t == ($t | sort)' "t_ms never goes backwards"
    assert_jq "$T/events.json" 'all(.[]; .event != "report")' "only one report"
}

run_probe "${PROBE_ARGS[@]}" -o ndjson
assert_rc 0 "$PROBE_RC"
check_ndjson ok
assert_jq "$T/events.json" 'any(.[]; .event == "tcp_connected" and (.host | type) == "string" and .address == "127.0.0.1")' "a tcp_connected event with host and address"
assert_jq "$T/events.json" '[.[] | .host // empty] | unique | length == 3' "events for all three hosts"

DEAD=$(free_port)
mapfile -t A < <(printf '%s\n' "${PROBE_ARGS[@]}" | sed "s/^$TLSPORT\$/$DEAD/")
run_probe "${A[@]}" -o ndjson
assert_rc 1 "$PROBE_RC" "failing run exit status"
check_ndjson fail
finish
