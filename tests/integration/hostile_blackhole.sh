#!/bin/bash
# Silent firewall (SYNs dropped: tests/lib/hostile.py tcp-blackhole) with
# more hanging connections than --concurrency, across several targets, and
# --timeout shorter than --connect-timeout: every target ends at --timeout
# with tcp_timeout, complete output, exit 1 — no abort.
#
# Regression test (found 2026-11-29, fixed in 3a19286): ssmprobe aborted
# (SIGABRT, "uv_close: Assertion `0' failed") — the target timeout aborts a
# live connection, conn_done() pumps the queue and starts another target's
# job, whose conn_start() defers uv_tcp_init to a 0 ms timer; that target's
# own timeout fires in the same timer run and finish() (src/conn.c)
# uv_close()d the never-initialised c->tcp.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/servers.sh"
need_binary
need_cmd python3 jq

. "$TESTS_ROOT/lib/hostile_lib.sh"

hostile_start blackhole tcp-blackhole --addr 0.0.0.0
P=$HPORT
NAMES=(ssm.us-east-1.amazonaws.com ssmmessages.us-east-1.amazonaws.com ec2messages.us-east-1.amazonaws.com)

# blackhole_args NADDRS CONCURRENCY
blackhole_args() {
    local a n
    a=$(seq -s, -f '127.0.0.%g' 1 "$1")
    A=(--region us-east-1 --port "$P" --no-imds --no-host-checks --timeout 1 --connect-timeout 5
       --concurrency "$2")
    for n in "${NAMES[@]}"; do A+=(--resolve "$n:$P:$a"); done
}

for spec in "1 64" "2 1" "2 2" "3 1" "10 4" "40 8" "40 64"; do
    read -r na cc <<<"$spec"
    blackhole_args "$na" "$cc"
    run_probe "${A[@]}" -o json
    check_output "$na addresses x 3 targets, --concurrency $cc" json 2000
    assert_jq "$T/out" 'all(.targets[]; .status == "fail" and .failure.code == "tcp_timeout")' \
        "$na addresses, --concurrency $cc: every target tcp_timeout"
    assert_jq "$T/out" "all(.targets[]; (.connections | length) == $na)" "$na addresses, --concurrency $cc: every address reported"
done
blackhole_args 40 8
run_probe "${A[@]}"
check_output "40 addresses, --concurrency 8 [text]" text 2000
run_probe "${A[@]}" -o ndjson
check_output "40 addresses, --concurrency 8 [ndjson]" ndjson 2000

finish
