# tests/lib/hostile_lib.sh — helpers shared by tests/integration/hostile_*.sh
# (needs common.sh): start a tests/lib/hostile.py server, and run one probe
# in every output form checking bounds, exit status and output validity.
HOSTILE=$TESTS_ROOT/lib/hostile.py
# hostile_start NAME MODE ARGS... — start a hostile.py server on a free
# port; sets HPORT (bounded wait for its "ready PORT" line).
hostile_start() {
    local name=$1; shift
    start_bg "$name" python3 -u "$HOSTILE" "$@" --port 0
    local pid=$BG_PID
    wait_for "$name ready" grep -q '^ready ' "$T/$name.log" || { bg_alive "$pid" "$name"; setup_fail "$name did not start"; }
    HPORT=$(awk '/^ready /{print $2; exit}' "$T/$name.log")
}
# check_output DESC FMT BOUND_MS — the last run_probe ended within BOUND_MS,
# exited 0 or 1 (not 2, not 3, not a signal), and its output is valid:
# json → one JSON object; ndjson → every line JSON, last the report; text →
# no raw control characters (with --color always only SGR escapes).
check_output() {
    local desc=$1 fmt=$2 bound=$3
    CHECKS=$((CHECKS + 1))
    case $PROBE_RC in
    0|1) _pass "$desc: exit $PROBE_RC" ;;
    *) _fail "$desc: exit status $PROBE_RC (want 0 or 1)"; sed 's/^/    stderr| /' "$T/err" | head -20 ;;
    esac
    assert_lt "$PROBE_MS" "$bound" "$desc: ended within $bound ms"
    case $fmt in
    json) assert_json_out ;;
    ndjson)
        CHECKS=$((CHECKS + 1))
        if jq -e -s 'length > 0 and all(.[]; type == "object") and (.[-1].event == "report")' "$T/out" >/dev/null 2>&1; then
            _pass "$desc: every NDJSON line parses, the last is the report"
        else
            _fail "$desc: NDJSON invalid"; head -c 1500 "$T/out" | sed 's/^/    | /'
        fi ;;
    text|color)
        CHECKS=$((CHECKS + 1))
        local f=$T/out
        if [ "$fmt" = color ]; then sed 's/\x1b\[[0-9;]*m//g' "$T/out" >"$T/out.nosgr"; f=$T/out.nosgr; fi
        if LC_ALL=C grep -naP '[\x00-\x08\x0b-\x1f\x7f]' "$f" >"$T/ctrl" 2>&1; then
            _fail "$desc: raw control characters in text output"
            head -5 "$T/ctrl" | cat -A | cut -c1-200 | sed 's/^/    | /'
        else
            _pass "$desc: no raw control characters in text output"
        fi
        [ -s "$T/out" ] || { FAILS=$((FAILS + 1)); echo "not ok - $desc: text output empty"; } ;;
    esac
    CHECKS=$((CHECKS + 1))
    if grep -qE 'AddressSanitizer|runtime error|internal error' "$T/err"; then
        _fail "$desc: sanitizer/internal error on stderr"; head -20 "$T/err" | sed 's/^/    | /'
    else _pass "$desc: no sanitizer report"; fi
}
# probe_all DESC BOUND_MS ARGS... — the same probe as json, ndjson, text
# (--trace -v -v) and text --color always; check_output on each.
probe_all() {
    local desc=$1 bound=$2; shift 2
    run_probe "$@" -o json;   check_output "$desc [json]" json "$bound"
    LAST_JSON=$T/last.json; cp "$T/out" "$LAST_JSON"
    jq -c '[.targets[] | {status, code: .failure.code, message: .failure.message, http: .connections[0].http}] | unique' \
        "$LAST_JSON" 2>/dev/null | cut -c1-1500 | sed 's/^/# verdict: /'
    run_probe "$@" -o ndjson; check_output "$desc [ndjson]" ndjson "$bound"
    run_probe "$@" --trace -v -v; check_output "$desc [text --trace -v -v]" text "$bound"
    run_probe "$@" --color always; check_output "$desc [text --color always]" color "$bound"
}
