#!/bin/bash
# A and AAAA: names with 127.0.0.1 and ::1, nginx on both. Default: both
# addresses connected; -4 only IPv4; -6 only IPv6.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
need_cmd ip
ip -6 addr show dev lo 2>/dev/null | grep -q '::1' || skip "no IPv6 loopback (::1) on this machine"
LOOPBACK_ADDRS=127.0.0.1,::1
setup_core

run_probe "${PROBE_ARGS[@]}" -o json
show_out
assert_rc 0 "$PROBE_RC" "both families"
assert_json_out || finish
O=$T/out
assert_jq "$O" 'all(.targets[]; ([.dns.addresses[].address] | sort) == ["127.0.0.1","::1"])' "A and AAAA answers recorded"
assert_jq "$O" 'all(.targets[]; ([.dns.addresses[] | .family] | sort) == ["ipv4","ipv6"])' "families ipv4 and ipv6"
assert_jq "$O" 'all(.targets[].dns.addresses[]; .scope == "loopback")' "::1 and 127.0.0.1 are loopback"
assert_jq "$O" 'all(.targets[]; ([.connections[].address] | sort) == ["127.0.0.1","::1"] and all(.connections[]; .status == "ok"))' "every address connected, ok"

run_probe "${PROBE_ARGS[@]}" -4 -o json
show_out
assert_rc 0 "$PROBE_RC" "-4"
assert_json_out || finish
assert_jq "$O" 'all(.targets[]; [.connections[].address] == ["127.0.0.1"] and .status == "ok")' "-4: only 127.0.0.1 connected"
assert_jq "$O" 'all(.targets[].dns.addresses[]; .family == "ipv4")' "-4: only IPv4 addresses"

run_probe "${PROBE_ARGS[@]}" -6 -o json
show_out
assert_rc 0 "$PROBE_RC" "-6"
assert_json_out || finish
assert_jq "$O" 'all(.targets[]; [.connections[].address] == ["::1"] and .status == "ok")' "-6: only ::1 connected"
assert_jq "$O" 'all(.targets[].dns.addresses[]; .family == "ipv6")' "-6: only IPv6 addresses"

# --first-address: one connection per family at most.
run_probe "${PROBE_ARGS[@]}" --first-address -4 -o json
assert_rc 0 "$PROBE_RC" "--first-address -4"
assert_jq "$O" 'all(.targets[]; (.connections | length) == 1)' "--first-address -4: one connection"
finish
