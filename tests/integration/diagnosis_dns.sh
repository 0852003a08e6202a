#!/bin/bash
# Issue 3, DNS phase, in the namespace world: one row per code.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/lib/world.sh"
world_setup

# BASE has no --dns-server (resolv.conf: 10.99.255.2); rows name their resolver.
row nxdomain dns dns_nxdomain 3000 'dns|resolv|name' -- --dns-server "$W_RES_NX"
row_msg nxdomain 'amazonaws\.com' dns_nxdomain

row nodata dns dns_nodata 3000 'dns|resolv|record' -- --dns-server "$W_RES_NODATA"

row servfail dns dns_servfail 4000 'dns|resolv' -- --dns-server "$W_RES_SERVFAIL"
row_msg servfail '10\.99\.255\.3' dns_servfail

row refused dns dns_refused 4000 'dns|resolv' -- --dns-server "$W_RES_REFUSED"
row_msg refused '10\.99\.255\.4' dns_refused

# A resolver that never answers: bounded by --dns-timeout 1 (+ slack).
row timeout dns dns_timeout 3500 'dns|resolv|udp|53' -- --dns-server "$W_RES_SILENT"
row_msg timeout '10\.99\.255\.5' dns_timeout

# No resolver at all: /etc/resolv.conf of the client namespace without a
# nameserver line, no --dns-server.
RC=/etc/netns/$W_CLIENT/resolv.conf
cp "$RC" "$T/resolv.conf.saved"
on_exit "cp '$T/resolv.conf.saved' '$RC'"
printf '# no nameserver here\nsearch example.internal\n' >"$RC"
row no_server dns dns_no_server 3000 'dns|resolv|nameserver' --
cp "$T/resolv.conf.saved" "$RC"

# Failover as the system resolver does: SERVFAIL from the first, the second
# answers → targets not failed, finding dns_resolver_failed naming the first.
if code_known dns_resolver_failed; then
    ROWS_RUN=$((ROWS_RUN + 1))
    run_probe "${BASE[@]}" --dns-server "$W_RES_SERVFAIL,$W_RESOLVER" -4 -o json
    show_out
    assert_rc 0 "$PROBE_RC" "failover: exit 0 (warnings allowed)"
    assert_jq "$T/out" 'all(.targets[]; .status != "fail")' "failover: no target fails"
    assert_jq "$T/out" 'any(.findings[]; .code == "dns_resolver_failed" and .severity == "warn" and (.message | contains("10.99.255.3")))' "failover: finding dns_resolver_failed (warn) names 10.99.255.3"
else
    ROWS_SKIPPED+=" failover(dns_resolver_failed)"
fi

# No false alarm: a resolver answering after 1.5 s, within --dns-timeout 4.
ROWS_RUN=$((ROWS_RUN + 1))
run_probe "${BASE[@]}" --dns-server "$W_RES_SLOW" --dns-timeout 4 --timeout 8 -4 -o json
show_out
assert_rc 0 "$PROBE_RC" "slow resolver within the timeout: exit 0"
assert_jq "$T/out" 'all(.targets[]; .status == "ok")' "slow resolver: every target ok"
assert_jq "$T/out" 'all(.targets[]; .dns.ms >= 1400)' "slow resolver: dns.ms shows the 1.5 s"
diag_finish
