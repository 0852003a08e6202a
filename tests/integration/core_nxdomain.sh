#!/bin/bash
# NXDOMAIN: an endpoint override to a name that does not exist, and a
# resolver that does not know one of the three services.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
setup_core

check_nx() {   # FILE HOST SERVICE
    local O=$1 h=$2
    assert_jq "$O" ".targets | length == 3" "3 targets"
    assert_jq_eq "$O" ".targets[] | select(.service == \"$3\") | .host" "$h" "$3 target host"
    local S=".targets[] | select(.host == \"$h\")"
    assert_jq_eq "$O" "$S | .status" fail "$h status fail"
    assert_jq_eq "$O" "$S | .failure.phase" dns "$h failure.phase"
    assert_jq_eq "$O" "$S | .failure.code" dns_nxdomain "$h failure.code"
    assert_jq_eq "$O" "$S | .dns.rcode" NXDOMAIN "$h dns.rcode"
    assert_jq "$O" "$S | .dns.addresses == [] and .connections == []" "$h: no addresses, no connections"
    assert_jq "$O" "$S | .failure.message | contains(\"$h\")" "$h: message names the host"
    assert_jq "$O" "$S | .failure.hint | type == \"string\" and length > 10" "$h: a hint"
    assert_jq "$O" "[.targets[] | select(.host != \"$h\") | .status] == [\"ok\",\"ok\"]" "the two others ok"
    assert_jq_eq "$O" ".status" fail "overall status fail"
    assert_jq "$O" '.summary == {"targets":3,"ok":2,"warn":0,"fail":1}' "summary 3/2/0/1"
}

# 1. --endpoint override to a name the resolver answers NXDOMAIN for.
run_probe "${PROBE_ARGS[@]}" --endpoint ssm=https://nx.example.test -o json
show_out
assert_rc 1 "$PROBE_RC"
assert_json_out && check_nx "$T/out" nx.example.test ssm

# 2. A resolver that knows ssm and ec2messages only (ssmmessages NXDOMAIN).
P2=$(free_port)
dns_start dns2 127.0.0.1 "$P2" -- --local=/amazonaws.com/ \
    --host-record=ssm.us-east-1.amazonaws.com,127.0.0.1 \
    --host-record=ec2messages.us-east-1.amazonaws.com,127.0.0.1 || setup_fail "second dnsmasq"
mapfile -t A < <(printf '%s\n' "${PROBE_ARGS[@]}" | sed "s/^127.0.0.1:$DNSPORT\$/127.0.0.1:$P2/")
run_probe "${A[@]}" -o json
show_out
assert_rc 1 "$PROBE_RC"
assert_json_out && check_nx "$T/out" ssmmessages.us-east-1.amazonaws.com ssmmessages
assert_lt "$PROBE_MS" 5000 "NXDOMAIN answered at once (wall ms)"

finish
