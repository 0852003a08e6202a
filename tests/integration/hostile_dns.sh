#!/bin/bash
# A hostile DNS server (UDP + TCP, tests/lib/hostile.py dns --kind K):
# truncated, cut, malformed, garbage, empty, pointer loops, huge answers
# (thousands of records), long CNAME chains, CNAME loops, a wrong query ID,
# names with control characters. For each: ssmprobe ends within its bound,
# exits 0 or 1, JSON/NDJSON parse, text has no raw control characters.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/servers.sh"
need_binary
need_cmd python3 jq

. "$TESTS_ROOT/lib/hostile_lib.sh"

CLOSED=$(free_port)   # TCP port where nothing listens: connects are refused at once
for kind in truncated tcpcut tcpclose cut garbage short empty ptrloop huge cnamechain cnameloop badcount wrongid ctrl; do
    hostile_start "dns-$kind" dns --kind "$kind"
    A=(--region us-east-1 --dns-server "127.0.0.1:$HPORT" --port "$CLOSED" --no-imds --no-host-checks
       --dns-timeout 1.5 --timeout 3 --connect-timeout 1 --no-large-hello)
    probe_all "DNS $kind" 4500 "${A[@]}"
    jq -c '[.targets[] | {status, code: .failure.code, rcode: .dns.rcode, ncname: (.dns.cname | length), naddr: (.dns.addresses | length), err: .dns.error}] | unique' \
        "$LAST_JSON" 2>/dev/null | cut -c1-600 | sed "s/^/# $kind: /"
    stop_bg "$BG_PID"
done

# Specific verdicts.
hostile_start dns-nx2 dns --kind cnameloop
A=(--region us-east-1 --dns-server "127.0.0.1:$HPORT" --port "$CLOSED" --no-imds --no-host-checks
   --dns-timeout 1.5 --timeout 3 -o json)
run_probe "${A[@]}"
assert_jq "$T/out" 'all(.targets[]; .status == "fail" and .failure.phase == "dns")' "CNAME loop: a DNS-phase failure (no address)"
assert_jq "$T/out" 'all(.targets[]; (.dns.cname | length) <= 32)' "CNAME loop: the chain is bounded"

# (--connect-timeout below --timeout: the fd00:: addresses of the AAAA
# answers may hang where IPv6 has a route; hostile_blackhole.sh covers that.)
hostile_start dns-chain dns --kind cnamechain --count 40
A=(--region us-east-1 --dns-server "127.0.0.1:$HPORT" --port "$CLOSED" --no-imds --no-host-checks
   --dns-timeout 1.5 --timeout 3 --connect-timeout 1 -o json)
run_probe "${A[@]}"
assert_jq "$T/out" 'all(.targets[]; (.dns.cname | length) >= 1 and (.dns.cname | length) <= 32)' "40-CNAME chain: recorded, at most 32 kept"

hostile_start dns-huge dns --kind huge --count 3000
A[3]="127.0.0.1:$HPORT"
run_probe "${A[@]}"
assert_jq "$T/out" 'all(.targets[]; (.dns.addresses | length) >= 1 and (.dns.addresses | length) <= 128)' "3000 A records: addresses bounded"
assert_jq "$T/out" '[.targets[].connections | length] | max <= 128' "3000 A records: connections bounded"

finish

# Truncated over UDP, good over TCP: the fallback works, names resolve.
hostile_start dns-tc dns --kind truncated
A[3]="127.0.0.1:$HPORT"
run_probe "${A[@]}"
assert_jq "$T/out" 'all(.targets[]; .dns.rcode == "NOERROR" and (.dns.addresses | length) == 1)' "TC over UDP: resolved over TCP"

finish
