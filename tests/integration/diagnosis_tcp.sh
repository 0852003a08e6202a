#!/bin/bash
# Issue 3, TCP phase: iptables in the client namespace plays security
# groups, NACLs and firewalls; one row per code. ICMP causes are told apart.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/lib/world.sh"
world_setup

mapfile -t P < <(pin "$W_FW_DROP")
row drop tcp tcp_timeout 2500 'security group|NACL' -- "${P[@]}"
row_msg drop '198\.51\.100\.40' tcp_timeout
row_msg drop '443' tcp_timeout

mapfile -t P < <(pin "$W_FW_RESET")
row reset tcp tcp_refused 2000 'port|listen|refus|reject|firewall|security group' -- "${P[@]}"
row_msg reset '198\.51\.100\.41' tcp_refused

mapfile -t P < <(pin "$W_FW_ADMIN")
row admin tcp admin_prohibited 2000 'firewall' -- "${P[@]}"
row_msg admin '198\.51\.100\.42' admin_prohibited
# The ICMP error's sender is named (here the client's own firewall, 10.99.0.2).
if code_known admin_prohibited; then
    assert_jq "$T/out" 'all(.targets[]; (.failure.message + " " + .failure.hint) | contains("10.99.0.2"))' "admin: the ICMP sender 10.99.0.2 is named"
fi

mapfile -t P < <(pin "$W_FW_HOST")
row host tcp host_unreachable 2000 'route|host|subnet|gateway|firewall' -- "${P[@]}"
row_msg host '198\.51\.100\.43' host_unreachable

mapfile -t P < <(pin "$W_FW_NET")
row net_icmp tcp net_unreachable 2000 'route' -- "${P[@]}"
row_msg net_icmp '198\.51\.100\.44' net_unreachable

mapfile -t P < <(pin "$W_NOROUTE")
row noroute tcp net_unreachable 2000 'route' -- "${P[@]}"
row_msg noroute '203\.0\.113\.200' net_unreachable

# IPv6: ICMPv6 administratively prohibited (type 1 code 1).
mapfile -t P < <(pin "$W_V6_ADMIN")
row v6admin tcp admin_prohibited 2000 'firewall' -- "${P[@]}"

# ipv6_broken: AAAA present, IPv6 dropped, IPv4 works.
if code_known ipv6_broken; then
    ROWS_RUN=$((ROWS_RUN + 1))
    run_probe "${BASE[@]}" --dns-server "$W_RES_V6BROKEN" -o json
    show_out
    assert_lt "$PROBE_MS" 3000 "ipv6_broken: bounded by --connect-timeout 1"
    assert_jq "$T/out" 'all(.targets[]; .status != "fail")' "ipv6_broken: IPv4 works, no target fails"
    assert_jq "$T/out" 'any(.findings[]; .code == "ipv6_broken")' "ipv6_broken: finding reported"
    assert_jq "$T/out" 'all(.targets[]; any(.connections[]; .address == "2001:db8:1::66" and .status == "fail" and .failure.code == "tcp_timeout"))' "ipv6_broken: the IPv6 connection timed out"
    assert_jq "$T/out" 'all(.targets[]; any(.connections[]; .address == "198.51.100.20" and .status == "ok"))' "ipv6_broken: the IPv4 connection ok"
else
    ROWS_SKIPPED+=" ipv6_broken"
fi
diag_finish
