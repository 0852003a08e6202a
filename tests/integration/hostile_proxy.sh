#!/bin/bash
# A hostile HTTP proxy (tests/lib/hostile.py proxy-*): the CONNECT reply with
# an endless header, a 1 MB header line, NUL bytes, no status line, control
# characters and non-UTF-8 bytes in the reason and Proxy-Authenticate, a 200
# followed by garbage instead of a ServerHello. For each: bounded, exit 0/1,
# JSON/NDJSON parse, text without raw control characters.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/servers.sh"
need_binary
need_cmd python3 jq

# ---- hostile helpers (the same block in every tests/integration/hostile_*.sh) ----
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
# ---- end of hostile helpers ----

args_for() {   # PROXY_PORT
    A=(--region us-east-1 --proxy "http://user:s3cr3t-pw@127.0.0.1:$1" --proxy-source none --no-imds
       --no-host-checks --timeout 3 --connect-timeout 2 --no-large-hello)
}
secret_check() {   # DESC — the proxy password never appears in any output
    CHECKS=$((CHECKS + 1))
    if grep -q 's3cr3t-pw' "$T/out" "$T/err" "$LAST_JSON" 2>/dev/null; then _fail "$1: the proxy password was printed"
    else _pass "$1: proxy password not printed"; fi
}

hostile_start pendless proxy-endless
args_for "$HPORT"
probe_all "CONNECT reply: endless header" 4000 "${A[@]}"
secret_check "endless"
assert_jq "$LAST_JSON" 'all(.targets[]; .failure.phase == "proxy")' "endless CONNECT reply: a proxy-phase failure"

RESP=$T/resp
: >"$RESP"
hostile_start pfile proxy-file --file "$RESP"
args_for "$HPORT"
pcase() {   # DESC PRINTF-%b-TEXT
    printf '%b' "$2" >"$RESP"
    probe_all "CONNECT reply: $1" 4000 "${A[@]}"
    secret_check "$1"
}
{ printf 'HTTP/1.1 200 Connection established\r\nX-Big: '; head -c 1048576 /dev/zero | tr '\0' 'A'; printf '\r\n\r\n'; } >"$T/big"
cp "$T/big" "$RESP"
probe_all "CONNECT reply: 1 MB header line" 4000 "${A[@]}"
assert_jq "$LAST_JSON" 'all(.targets[]; .failure.phase == "proxy")' "1 MB CONNECT header: a proxy-phase failure"
pcase "NUL bytes" "HTTP/1.1 200 Conn\0ection established\r\nVia: a\0b\r\n\r\n"
pcase "missing status line" "Via: squid\r\n\r\n"
pcase "empty (close at once)" ""
pcase "407 with control characters" \
    "HTTP/1.1 407 Proxy\x1b[31m Auth\x07 Required\r\nProxy-Authenticate: Basic realm=\"\x1b]0;pwn\x07\x1b[2J\xff\xfe\"\r\n\r\n"
assert_jq "$LAST_JSON" 'all(.targets[]; .failure.code == "proxy_auth_required")' "407: proxy_auth_required"
# A byte >= 0x80 from the network must not cost the whole message (seen
# 2026-11-29: failure.message was "?" because http.c keeps bytes >= 0x80 and
# jansson refuses invalid UTF-8; report_json.c then substituted "?";
# fixed in dbde154).
assert_jq "$LAST_JSON" 'all(.targets[]; .failure.message | test("407"))' "407: the message survives non-UTF-8 bytes"
pcase "403 with a non-UTF-8 reason" "HTTP/1.1 403 Verboten \xe4\xff\xc3\x28\r\nContent-Length: 4\r\n\r\n\xff\xfe\xfd\xfc"
assert_jq "$LAST_JSON" 'all(.targets[]; .failure.code == "proxy_denied" and (.failure.message | test("403")))' "403: proxy_denied, the message survives non-UTF-8 bytes"
pcase "502 with a huge Content-Length" "HTTP/1.0 502 Bad Gateway\r\nContent-Length: 99999999999999999999\r\n\r\n"
pcase "200 then garbage instead of a ServerHello" "HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 400 Bad\x1b[31m Request\r\n\r\n\x00\x01\x02\xff"
assert_jq "$LAST_JSON" 'all(.targets[]; .failure.phase == "tls")' "200 then garbage: a TLS-phase failure"
pcase "HTTP/0.9-style bare line" "OK\n\n"
pcase "status 1xx then nothing" "HTTP/1.1 100 Continue\r\n\r\n"

finish
