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

. "$TESTS_ROOT/lib/hostile_lib.sh"

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
