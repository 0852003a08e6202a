#!/bin/bash
# Signals and output errors: SIGINT/SIGTERM mid-run print the partial report
# complete and valid (exit 1); output closed early (| head -1, SIGPIPE is
# ignored so writes fail with EPIPE) ends quietly, never by a signal; a full
# disk (> /dev/full) gives exit 3 and a message on stderr.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/servers.sh"
need_binary
need_cmd python3 jq ss

. "$TESTS_ROOT/lib/hostile_lib.sh"

hostile_start hang tls-hang
P=$HPORT
NAMES=(ssm.us-east-1.amazonaws.com ssmmessages.us-east-1.amazonaws.com ec2messages.us-east-1.amazonaws.com)
A=(--region us-east-1 --port "$P" --no-imds --no-host-checks --timeout 10)
for n in "${NAMES[@]}"; do A+=(--resolve "$n:$P:127.0.0.1"); done

established() { [ -n "$(ss -Htn state established "dport = :$P" 2>/dev/null)" ]; }
first_line() { [ -s "$T/out" ] && [ "$(head -c 1 "$T/out")" = "{" ]; }

# signal_run SIG FMT — start a probe that hangs in TLS, wait (bounded) until
# it is mid-run, send SIG, check it ends at once with exit 1 and a valid
# report.
signal_run() {
    local sig=$1 fmt=$2 pid t0 t1 i
    : >"$T/out"
    "$SSMPROBE" "${A[@]}" -o "$fmt" >"$T/out" 2>"$T/err" &
    pid=$!
    if [ "$fmt" = ndjson ]; then
        wait_for "first NDJSON event" first_line || true
    fi
    wait_for "TLS connection to the hanging server" established || true
    t0=$(date +%s%N)
    kill -s "$sig" "$pid"
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then
        _fail "SIG$sig $fmt: still running 5 s after the signal"; kill -KILL "$pid"
    fi
    wait "$pid"; PROBE_RC=$?
    t1=$(date +%s%N); PROBE_MS=$(( (t1 - t0) / 1000000 ))
    log "SIG$sig -o $fmt: exit $PROBE_RC, $PROBE_MS ms after the signal"
    assert_rc 1 "$PROBE_RC" "SIG$sig -o $fmt: exit 1"
    check_output "SIG$sig -o $fmt" "$fmt" 1500
    case $fmt in
    json)   assert_jq "$T/out" '.targets | length == 3' "SIG$sig json: every target in the report"
            assert_jq "$T/out" '.status == "fail"' "SIG$sig json: status fail"
            jq -c '[.targets[] | {status, code: .failure.code, msg: .failure.message}] | unique' "$T/out" | sed 's/^/# /' ;;
    ndjson) assert_jq "$T/out" 'select(.event == "report") | .targets | length == 3' "SIG$sig ndjson: the report holds every target" ;;
    text)   assert_match 'summary|targets|fail' "$(cat "$T/out")" "SIG$sig text: a summary printed"
            sed 's/^/#   | /' "$T/out" | head -20 ;;
    esac
}
signal_run INT ndjson
signal_run INT json
signal_run TERM json
signal_run TERM ndjson
signal_run INT text

# SIGPIPE: the reader goes away after one line; SIGPIPE is ignored, writes
# fail with EPIPE: ssmprobe must end on its own (bounded), not by a signal.
B=(--region us-east-1 --port "$P" --no-imds --no-host-checks --timeout 2)
for n in "${NAMES[@]}"; do B+=(--resolve "$n:$P:127.0.0.1"); done
for fmt in ndjson text json; do
    set -o pipefail
    t0=$(date +%s%N)
    timeout -k 2 15 "$SSMPROBE" "${B[@]}" -o "$fmt" --trace 2>"$T/err" | head -c 1 >/dev/null
    st=("${PIPESTATUS[@]}")
    set +o pipefail
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    log "| head -c 1, -o $fmt: ssmprobe exit ${st[0]} after $ms ms; stderr: $(head -c 300 "$T/err")"
    CHECKS=$((CHECKS + 1))
    if [ "${st[0]}" -lt 128 ]; then _pass "| head, -o $fmt: no signal death (exit ${st[0]})"
    else _fail "| head, -o $fmt: ssmprobe died with exit ${st[0]} (signal $(( st[0] - 128 )))"; fi
    assert_lt "$ms" 4000 "| head, -o $fmt: ended within its bound"
    CHECKS=$((CHECKS + 1))
    if grep -qE 'AddressSanitizer|runtime error|internal error' "$T/err"; then _fail "| head: sanitizer report"; else _pass "| head, -o $fmt: no sanitizer report"; fi
done
# Output already closed before the run (EBADF): reported, not asserted
# beyond "no signal death" (seen 2026-11-29: exit 1, no message).
"$SSMPROBE" "${B[@]}" -o json >&- 2>"$T/err"; rc=$?
log "stdout closed: exit $rc; stderr: $(head -c 300 "$T/err")"
CHECKS=$((CHECKS + 1))
if [ "$rc" -lt 128 ]; then _pass "stdout closed: no signal death (exit $rc)"; else _fail "stdout closed: exit $rc"; fi

# A full disk: exit 3 and a message.
CLOSED=$(free_port)
C=(--region us-east-1 --port "$CLOSED" --no-imds --no-host-checks --timeout 2 --resolve "${NAMES[0]}:$CLOSED:127.0.0.1" -s ssm)
if [ -w /dev/full ]; then
    for fmt in text json ndjson; do
        "$SSMPROBE" "${C[@]}" -o "$fmt" >/dev/full 2>"$T/err"; rc=$?
        log "> /dev/full -o $fmt: exit $rc; stderr: $(head -c 300 "$T/err")"
        assert_rc 3 "$rc" "> /dev/full -o $fmt: exit 3"
        CHECKS=$((CHECKS + 1))
        if [ -s "$T/err" ]; then _pass "> /dev/full -o $fmt: a message on stderr"; else _fail "> /dev/full -o $fmt: no message on stderr"; fi
    done
    # Other commands: reported, not asserted (the issue names the probe's
    # report). Seen 2026-11-29: regions → exit 3 without a message, --help →
    # exit 0.
    "$SSMPROBE" regions >/dev/full 2>"$T/err"; rc=$?
    log "note: regions > /dev/full: exit $rc; stderr: '$(head -c 300 "$T/err")'"
    "$SSMPROBE" --help >/dev/full 2>"$T/err"; rc=$?
    log "note: --help > /dev/full: exit $rc; stderr: '$(head -c 300 "$T/err")'"
else
    log "no writable /dev/full here: full-disk checks left out"
fi

finish
