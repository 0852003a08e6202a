# tests/lib/common.sh — helpers for ssmprobe's shell tests (bash).
#
#   . "$(dirname "$0")/../lib/common.sh"
#
# Gives every test:
#   $T            a private temp dir under tests/tmp, removed on exit
#                 (kept when KEEP_TMP=1 or the test failed and KEEP_FAILED=1)
#   $SSMPROBE     the binary under test (default: ./ssmprobe of the repo)
#   start_bg NAME CMD...   start a background process, log in $T/NAME.log,
#                          PID remembered and killed (by PID) on exit
#   register_netns NS      namespace deleted on exit
#   on_exit CMD            extra cleanup command, run on exit (LIFO)
#   wait_port PROTO PORT [ADDR] [NETNS]   poll until something listens
#   wait_for DESC CMD...   poll until CMD succeeds (bounded)
#   free_port              print an unused TCP+UDP port on this host
#   assert_eq / assert_ne / assert_match / assert_jq / assert_jq_eq /
#   assert_rc / assert_lt / assert_file_empty / assert_lines
#   run_probe ARGS...      run $SSMPROBE: stdout $T/out, stderr $T/err,
#                          exit code $PROBE_RC, wall time $PROBE_MS
#   need_root / need_cmd / need_netns / skip REASON   → exit 77
#   finish                 exit 0 if no assertion failed, else 1
#
# Every wait is a poll bounded in attempts and time; nothing sleeps a fixed
# time waiting for something to happen.

set -u

TESTS_ROOT=${TESTS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
REPO_ROOT=$(cd "$TESTS_ROOT/.." && pwd)
TEST_TMP=${TEST_TMP:-$TESTS_ROOT/tmp}
SSMPROBE=${SSMPROBE:-$REPO_ROOT/ssmprobe}
TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}
export TESTS_ROOT REPO_ROOT TEST_TMP SSMPROBE

# No proxy from the caller's environment may leak into a probe.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
unset AWS_REGION AWS_DEFAULT_REGION
export NO_COLOR=1 LC_ALL=C

mkdir -p "$TEST_TMP"
# COMMON_LIB_ONLY=1: only the functions (for tests/world/world.sh, whose
# daemons must outlive it): no temp dir, no exit trap.
if [ "${COMMON_LIB_ONLY:-0}" != 1 ]; then
    T=$(mktemp -d "$TEST_TMP/$(echo "$TEST_NAME" | tr '/' '_').XXXXXX") || { echo "mktemp failed"; exit 99; }
    export T
fi

_BG_PIDS=()
_BG_NAMES=()
_NETNS=()
_ON_EXIT=()
FAILS=0
CHECKS=0

log() { printf '# %s\n' "$*"; }
diag() { printf '%s\n' "$*" >&2; }

skip() { echo "$*"; exit 77; }

on_exit() { _ON_EXIT+=("$*"); }

register_netns() { _NETNS+=("$1"); }

# _pid_alive PID — exists and is not a zombie (a zombie of a process whose
# parent has gone waits for init to reap it; it is dead for us).
_pid_alive() {
    local st
    kill -0 "$1" 2>/dev/null || return 1
    st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [ "$st" != Z ] && [ -n "$st" ]
}

# Kill one PID: TERM, poll up to ~3 s, then KILL.
_kill_pid() {
    local pid=$1 i
    _pid_alive "$pid" || { wait "$pid" 2>/dev/null; return 0; }
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 60; i++)); do
        _pid_alive "$pid" || { wait "$pid" 2>/dev/null; return 0; }
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

_cleanup() {
    local rc=$? i
    trap - EXIT INT TERM HUP
    set +e
    for ((i = ${#_ON_EXIT[@]} - 1; i >= 0; i--)); do
        eval "${_ON_EXIT[$i]}" >/dev/null 2>&1
    done
    for ((i = ${#_BG_PIDS[@]} - 1; i >= 0; i--)); do
        _kill_pid "${_BG_PIDS[$i]}"
    done
    # Processes started inside a namespace by PID file (daemons) are killed
    # by their on_exit hooks above; now the namespaces themselves.
    for ((i = ${#_NETNS[@]} - 1; i >= 0; i--)); do
        ip netns pids "${_NETNS[$i]}" 2>/dev/null | while read -r p; do _kill_pid "$p"; done
        ip netns del "${_NETNS[$i]}" 2>/dev/null
    done
    if [ "$rc" -eq 0 ] && [ "$FAILS" -gt 0 ]; then rc=1; fi
    if [ "${KEEP_TMP:-0}" = 1 ] || { [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ "${KEEP_FAILED:-0}" = 1 ]; }; then
        echo "# kept $T"
    else
        rm -rf "$T"
    fi
    exit "$rc"
}
if [ "${COMMON_LIB_ONLY:-0}" != 1 ]; then
    trap _cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
fi

# start_bg NAME CMD... — background process, output to $T/NAME.log.
# Sets BG_PID. Use exec-style commands (e.g. `ip netns exec NS prog`,
# which execs prog) so the PID is the server's own.
start_bg() {
    local name=$1; shift
    "$@" >"$T/$name.log" 2>&1 </dev/null &
    BG_PID=$!
    _BG_PIDS+=("$BG_PID")
    [ -n "${BG_PID_FILE:-}" ] && echo "$BG_PID $name" >>"$BG_PID_FILE"
    _BG_NAMES+=("$name")
    log "started $name pid $BG_PID: $*"
}

# stop_bg PID — stop one started process now.
stop_bg() { _kill_pid "$1"; }

# bg_alive PID NAME — fail loudly (with its log) if a server died.
bg_alive() {
    if ! _pid_alive "$1"; then
        diag "background process $2 (pid $1) exited; its log:"
        [ -f "$T/$2.log" ] && sed 's/^/    /' "$T/$2.log" >&2
        return 1
    fi
}

# wait_for DESC CMD... — poll CMD every 50 ms, at most WAIT_TRIES (200) times
# and WAIT_SECS (10) seconds.
wait_for() {
    local desc=$1; shift
    local tries=${WAIT_TRIES:-200} secs=${WAIT_SECS:-10} i start=$SECONDS
    for ((i = 0; i < tries; i++)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        if ((SECONDS - start >= secs)); then break; fi
        sleep 0.05
    done
    diag "timed out waiting for $desc (after $i tries, $((SECONDS - start)) s)"
    return 1
}

# _listening PROTO PORT [ADDR] [NETNS]
_listening() {
    local proto=$1 port=$2 addr=${3:-} ns=${4:-} flag out
    case $proto in tcp) flag=-Hltn ;; udp) flag=-Hlun ;; *) return 2 ;; esac
    if [ -n "$ns" ]; then
        out=$(ip netns exec "$ns" ss $flag "sport = :$port")
    else
        out=$(ss $flag "sport = :$port")
    fi
    [ -n "$out" ] || return 1
    [ -z "$addr" ] && return 0
    case $addr in *:*) addr="[$addr]" ;; esac
    printf '%s\n' "$out" | grep -qF -- "$addr:$port"
}

# wait_port PROTO PORT [ADDR] [NETNS] — poll until a socket listens.
wait_port() {
    wait_for "$1 port $2${3:+ on $3}${4:+ in netns $4}" _listening "$@"
}

# free_port — a port free for both TCP and UDP on this host (20000-59999).
free_port() {
    local i p
    for ((i = 0; i < 100; i++)); do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        if [ -z "$(ss -Htuan "sport = :$p" 2>/dev/null)" ]; then
            echo "$p"
            return 0
        fi
    done
    diag "free_port: no free port found"
    return 1
}

# ---- assertions: print both sides, count failures, keep going ----

_fail() { FAILS=$((FAILS + 1)); printf 'not ok - %s\n' "$*"; }
_pass() { printf 'ok - %s\n' "$*"; }

assert_eq() {   # EXPECTED ACTUAL [DESC]
    CHECKS=$((CHECKS + 1))
    if [ "$1" = "$2" ]; then _pass "${3:-equal}: $2"; return 0; fi
    _fail "${3:-values differ}"
    printf '    expected: %s\n    actual:   %s\n' "$1" "$2"
    return 1
}

assert_ne() {   # UNEXPECTED ACTUAL [DESC]
    CHECKS=$((CHECKS + 1))
    if [ "$1" != "$2" ]; then _pass "${3:-not equal}: $2"; return 0; fi
    _fail "${3:-values equal}"
    printf '    unexpected: %s\n' "$2"
    return 1
}

assert_match() {   # ERE STRING [DESC]
    CHECKS=$((CHECKS + 1))
    if printf '%s' "$2" | grep -Eq -- "$1"; then _pass "${3:-matches /$1/}"; return 0; fi
    _fail "${3:-no match}"
    printf '    pattern: /%s/\n    actual:  %s\n' "$1" "$2"
    return 1
}

assert_rc() {   # EXPECTED ACTUAL [DESC]
    assert_eq "$1" "$2" "${3:-exit status}"
}

assert_lt() {   # A B [DESC] — numeric A < B
    CHECKS=$((CHECKS + 1))
    if awk -v a="$1" -v b="$2" 'BEGIN{exit !(a+0 < b+0)}'; then _pass "${3:-less}: $1 < $2"; return 0; fi
    _fail "${3:-not less}"
    printf '    expected %s < %s\n' "$1" "$2"
    return 1
}

# assert_jq FILE EXPR [DESC] — EXPR must yield exactly true, else print what
# it yielded and the interesting part of the document.
assert_jq() {
    local file=$1 expr=$2 desc=${3:-$2} out
    CHECKS=$((CHECKS + 1))
    # Exactly one result, and it is true (jq -e alone passes on empty input).
    out=$(jq -c "$expr" "$file" 2>&1)
    if [ "$out" = true ]; then _pass "$desc"; return 0; fi
    [ -s "$file" ] || out="(empty file $file)"
    _fail "$desc"
    printf '    jq expression: %s\n    yielded:       %s\n' "$expr" "$(printf '%s' "$out" | head -c 600)"
    return 1
}

# assert_jq_re FILE STREAM ERE DESC — every string of STREAM matches ERE
# (jq regex, case-insensitive); ERE passed as data, no escaping worries.
assert_jq_re() {
    local file=$1 expr=$2 re=$3 desc=$4 out
    CHECKS=$((CHECKS + 1))
    out=$(jq -c --arg re "$re" "[$expr] | length > 0 and all(.[]; type == \"string\" and test(\$re; \"i\"))" "$file" 2>&1)
    if [ "$out" = true ]; then _pass "$desc"; return 0; fi
    _fail "$desc"
    printf '    pattern: /%s/i\n    values:  %s\n' "$re" "$(jq -c "[$expr]" "$file" 2>&1 | head -c 800)"
    return 1
}

# assert_jq_eq FILE EXPR EXPECTED [DESC] — jq -r EXPR must print EXPECTED.
assert_jq_eq() {
    local file=$1 expr=$2 exp=$3 desc=${4:-$2} out
    out=$(jq -r "$expr" "$file" 2>&1)
    assert_eq "$exp" "$out" "$desc"
}

assert_file_empty() {   # FILE [DESC]
    CHECKS=$((CHECKS + 1))
    if [ ! -s "$1" ]; then _pass "${2:-$1 empty}"; return 0; fi
    _fail "${2:-$1 not empty}"
    sed 's/^/    | /' "$1" | head -20
    return 1
}

assert_lines() {   # N FILE [DESC] — file has exactly N lines
    local n
    n=$(wc -l <"$2" | tr -d ' ')
    assert_eq "$1" "$n" "${3:-line count of $2}"
}

# jqr FILE EXPR — print jq -r value (for use in messages/conditions)
jqr() { jq -r "$2" "$1" 2>/dev/null; }

# ---- preconditions → skip (77) ----

need_root() { [ "$(id -u)" = 0 ] || skip "needs root (uid $(id -u))"; }

need_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || skip "needs $c (not installed)"
    done
}

# need_netns — root, ip, and the kernel allows creating a namespace.
need_netns() {
    need_root
    need_cmd ip
    local ns="ssmpt-chk$$"
    if ! ip netns add "$ns" 2>"$T/netns-check.err"; then
        skip "cannot create network namespaces here: $(head -1 "$T/netns-check.err")"
    fi
    ip netns del "$ns" 2>/dev/null
}

# need_binary — the binary must exist; its absence is a failure, not a skip.
need_binary() {
    if [ ! -x "$SSMPROBE" ]; then
        echo "FAIL: $SSMPROBE does not exist or is not executable (run make)"
        exit 1
    fi
}

# ---- running the probe ----

# run_probe ARGS... — run $SSMPROBE with a hard bound (PROBE_TIMEOUT, 60 s)
# stdout → $T/out, stderr → $T/err; sets PROBE_RC and PROBE_MS (wall).
PROBE_RC=
PROBE_MS=
run_probe() {
    local t0 t1
    printf '# $ %s' "ssmprobe"; printf ' %q' "$@"; printf '\n'
    t0=$(date +%s%N)
    timeout -k 5 "${PROBE_TIMEOUT:-60}" ${PROBE_WRAP:-} "$SSMPROBE" "$@" >"$T/out" 2>"$T/err"
    PROBE_RC=$?
    t1=$(date +%s%N)
    PROBE_MS=$(( (t1 - t0) / 1000000 ))
    printf '# exit %s after %s ms\n' "$PROBE_RC" "$PROBE_MS"
    if [ "$PROBE_RC" = 124 ] || [ "$PROBE_RC" = 137 ]; then
        printf '# probe HUNG: killed after %s s\n' "${PROBE_TIMEOUT:-60}"
    fi
    if [ -s "$T/err" ]; then
        printf '# stderr:\n'; sed 's/^/#   /' "$T/err" | head -40
    fi
    return 0
}

# show_out — print the probe's stdout (for the log), truncated.
show_out() {
    printf '# stdout:\n'
    if jq . "$T/out" >/dev/null 2>&1; then
        jq -c '.targets[]? | {host, status, failure, dns: (.dns|{rcode, error, addresses}), connections: [.connections[]? | {address, status, tcp_ms, tls_ms, http_ms, failure, verify: .tls.verify}]}' "$T/out" 2>/dev/null | sed 's/^/#   /' | head -40
        jq -c '{status, findings, summary}' "$T/out" 2>/dev/null | sed 's/^/#   /' | head -c 3000
        echo
    else
        sed 's/^/#   /' "$T/out" | head -60
    fi
}

# assert_json_out — stdout parses as one JSON object.
assert_json_out() {
    CHECKS=$((CHECKS + 1))
    if jq -s -e 'length == 1 and (.[0] | type) == "object"' "$T/out" >/dev/null 2>&1; then
        _pass "stdout is one JSON object"; return 0
    fi
    _fail "stdout is not one JSON object"
    head -c 1500 "$T/out" | sed 's/^/    | /'
    return 1
}

finish() {
    if [ "$FAILS" -gt 0 ]; then
        echo "# $FAILS of $CHECKS checks failed"
        exit 1
    fi
    echo "# all $CHECKS checks passed"
    exit 0
}
