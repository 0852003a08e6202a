#!/bin/bash
# --resolve HOST:PORT:ADDR skips DNS for HOST (curl's syntax).
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
setup_core

queries() { grep -c "query\[A*\] $1" "$T/dns.log"; }

# 1. All three names pinned: no query reaches the resolver, all ok.
R=()
for n in $PKI_NAMES_DEFAULT; do R+=(--resolve "$n:$TLSPORT:127.0.0.1"); done
before=$(grep -c 'query\[' "$T/dns.log")
run_probe "${PROBE_ARGS[@]}" "${R[@]}" -o json
show_out
assert_rc 0 "$PROBE_RC"
assert_json_out || finish
O=$T/out
assert_jq "$O" 'all(.targets[]; .status == "ok")' "all ok"
assert_jq "$O" 'all(.targets[]; .dns.source != "dns")' "dns.source is not \"dns\""
assert_jq "$O" 'all(.targets[]; .dns.addresses[0].address == "127.0.0.1")' "address from --resolve"
after=$(grep -c 'query\[' "$T/dns.log")
assert_eq "$before" "$after" "no DNS query sent to the resolver"

# 2. Pinned to an address where nothing listens: proves the pin is used.
R=(--resolve "ssm.us-east-1.amazonaws.com:$TLSPORT:127.0.0.2")
run_probe "${PROBE_ARGS[@]}" "${R[@]}" -o json
show_out
assert_rc 1 "$PROBE_RC"
assert_json_out || finish
assert_jq "$O" '.targets[] | select(.service == "ssm") | .connections[0].address == "127.0.0.2" and .failure.code == "tcp_refused"' "ssm goes to 127.0.0.2 (refused)"
assert_jq "$O" '[.targets[] | select(.service != "ssm") | .status] == ["ok","ok"]' "the others resolved by DNS, ok"
assert_eq 0 "$(queries ssm.us-east-1.amazonaws.com)" "ssm never queried"

# 3. Resolver dead, all names pinned: still ok (DNS really skipped).
DEAD=$(free_port)
mapfile -t A < <(printf '%s\n' "${PROBE_ARGS[@]}" | sed "s/^127.0.0.1:$DNSPORT\$/127.0.0.1:$DEAD/")
R=()
for n in $PKI_NAMES_DEFAULT; do R+=(--resolve "$n:$TLSPORT:127.0.0.1"); done
run_probe "${A[@]}" "${R[@]}" -o json
assert_rc 0 "$PROBE_RC" "dead resolver, pinned names"
assert_jq "$O" 'all(.targets[]; .status == "ok")' "all ok without a resolver"
finish
