#!/bin/bash
# VPC interface endpoints through the real binary, in a namespace of our
# own (addresses 10.99.1.10-12 and 198.51.100.20 on its loopback, dnsmasq,
# nginx with the Amazon (test) chain on port 443, the fake IMDS with VPC
# CIDRs of our choosing):
#   all three names private → endpoint_kind "vpc-endpoint", scope private,
#     ok, no vpce_partial;
#   + IMDS CIDR containing them → vpce_in_vpc; one that does not →
#     vpce_outside_vpc; a CIDR containing some → each target judged alone;
#   ssm private, the others public → vpce_partial naming the missing ones;
#   a CNAME to a vpce- name → vpc-endpoint although the address is public.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/it5/lib.sh"
need_binary
need_cmd dnsmasq nginx jq openssl python3 ss
need_netns

pki_make || setup_fail "test PKI"
NS=it5v$$
ip netns add "$NS" || setup_fail "ip netns add $NS"
register_netns "$NS"
ip -n "$NS" link set lo up || setup_fail "lo up"
for a in 10.99.1.10 10.99.1.11 10.99.1.12 198.51.100.20; do
    ip -n "$NS" addr add "$a/32" dev lo || setup_fail "address $a"
done
IT5_NETNS=$NS   # used by it5_imds_start

SSM=ssm.us-east-1.amazonaws.com
MSG=ssmmessages.us-east-1.amazonaws.com
EC2=ec2messages.us-east-1.amazonaws.com
VPCE_CNAME=vpce-0a1b2c3d4e5f60718-abcdefgh.ssm.us-east-1.vpce.amazonaws.com

# Resolvers (127.0.0.1 in the namespace): private, partial, CNAME.
dns_start dns-private 127.0.0.1 53 "$NS" -- --local=/amazonaws.com/ \
    "--host-record=$SSM,10.99.1.10,60" "--host-record=$MSG,10.99.1.11,60" "--host-record=$EC2,10.99.1.12,60" ||
    setup_fail "dnsmasq (private)"
dns_start dns-partial 127.0.0.1 5301 "$NS" -- --local=/amazonaws.com/ \
    "--host-record=$SSM,10.99.1.10,60" "--host-record=$MSG,198.51.100.20,60" "--host-record=$EC2,198.51.100.20,60" ||
    setup_fail "dnsmasq (partial)"
dns_start dns-cname 127.0.0.1 5302 "$NS" -- --local=/amazonaws.com/ \
    "--host-record=$VPCE_CNAME,198.51.100.20,60" "--cname=$SSM,$VPCE_CNAME" \
    "--host-record=$MSG,198.51.100.20,60" "--host-record=$EC2,198.51.100.20,60" ||
    setup_fail "dnsmasq (cname)"

ngx_new vpce
ngx_site vpce aws "10.99.1.10:443 10.99.1.11:443 10.99.1.12:443 198.51.100.20:443" || setup_fail "nginx site"
ngx_start vpce "$NS" || setup_fail "nginx"

PROBE_WRAP="ip netns exec $NS"   # used by run_probe
BASE=(-r us-east-1 --ca-file "$PKI/root.pem" --no-host-checks --proxy-source none
      --no-large-hello --timeout 5 --connect-timeout 2 --dns-timeout 2)
O=$T/out
codes() { jq -r '[.findings[].code] | sort | join(",")' "$O"; }

# ---- all private, no IMDS ----
run_probe "${BASE[@]}" --dns-server 127.0.0.1:53 --no-imds -o json
show_out
assert_rc 0 "$PROBE_RC" "all private: exit 0"
assert_json_out || finish
assert_jq "$O" '[.targets[] | [.service, .dns.addresses[0].address]] == [["ssm","10.99.1.10"],["ssmmessages","10.99.1.11"],["ec2messages","10.99.1.12"]]' "all private: each name answered with its endpoint address"
assert_jq "$O" 'all(.targets[]; .endpoint_kind == "vpc-endpoint" and .status == "ok")' "all private: endpoint_kind vpc-endpoint, ok"
assert_jq "$O" 'all(.targets[].dns.addresses[]; .scope == "private")' "all private: scope private"
assert_jq "$O" 'all(.targets[].connections[]; .status == "ok" and .http.aws == true)' "all private: connected, AWS answered"
assert_jq "$O" 'all(.findings[]; .code != "vpce_partial" and .code != "vpce_in_vpc" and .code != "vpce_outside_vpc")' "all private, no IMDS: no vpce_partial, no placement finding"
run_probe "${BASE[@]}" --dns-server 127.0.0.1:53 --no-imds
assert_match 'vpc-endpoint' "$(cat "$O")" "all private (text): vpc-endpoint shown"

# ---- all private, IMDS VPC CIDR contains them ----
it5_imds_start us-east-1 10.99.0.0/16 || setup_fail "fake IMDS"
run_probe "${BASE[@]}" --dns-server 127.0.0.1:53 --imds --imds-endpoint "$IMDS_URL" -o json
show_out
assert_rc 0 "$PROBE_RC" "in VPC: exit 0"
assert_jq "$O" '.context.imds.status == "ok"' "in VPC: IMDS read"
assert_jq "$O" '[.findings[] | select(.code == "vpce_in_vpc") | .targets[]] | sort == (["ssm.us-east-1.amazonaws.com","ssmmessages.us-east-1.amazonaws.com","ec2messages.us-east-1.amazonaws.com"] | sort)' "in VPC: vpce_in_vpc for each of the three"
assert_jq "$O" 'all(.findings[]; .code != "vpce_outside_vpc" and .code != "vpce_partial")' "in VPC: no vpce_outside_vpc, no vpce_partial"
assert_jq "$O" 'all(.findings[] | select(.code == "vpce_in_vpc"); .severity == "info" or .severity == "ok")' "in VPC: vpce_in_vpc is informational"
assert_jq "$O" '.findings[] | select(.code == "vpce_in_vpc" and (.targets | index("ssm.us-east-1.amazonaws.com"))) | .message | contains("10.99.1.10") and contains("10.99.0.0/16")' "in VPC: the message names the address and the VPC CIDR"
assert_jq "$O" 'all(.targets[]; .endpoint_kind == "vpc-endpoint" and .status == "ok")' "in VPC: targets vpc-endpoint, ok"
stop_bg "$IMDS_PID"

# ---- all private, IMDS VPC CIDRs that do not contain them ----
it5_imds_start us-east-1 10.99.200.0/24,10.99.201.0/24 || setup_fail "fake IMDS"
run_probe "${BASE[@]}" --dns-server 127.0.0.1:53 --imds --imds-endpoint "$IMDS_URL" -o json
show_out
assert_rc 0 "$PROBE_RC" "outside VPC: exit 0"
assert_jq "$O" '[.findings[] | select(.code == "vpce_outside_vpc") | .targets[]] | sort == (["ssm.us-east-1.amazonaws.com","ssmmessages.us-east-1.amazonaws.com","ec2messages.us-east-1.amazonaws.com"] | sort)' "outside VPC: vpce_outside_vpc for each of the three"
assert_jq "$O" 'all(.findings[]; .code != "vpce_in_vpc")' "outside VPC: no vpce_in_vpc"
assert_jq "$O" '.findings[] | select(.code == "vpce_outside_vpc" and (.targets | index("ssm.us-east-1.amazonaws.com"))) | (.message | contains("10.99.1.10")) and (.message + .hint | test("peering|Transit Gateway|resolver"; "i"))' "outside VPC: names the address and peering/TGW/resolver rules"
stop_bg "$IMDS_PID"

# ---- a CIDR holding some of them; the matching CIDR not the first ----
it5_imds_start us-east-1 10.99.200.0/24,10.99.1.8/30 || setup_fail "fake IMDS"
run_probe "${BASE[@]}" --dns-server 127.0.0.1:53 --imds --imds-endpoint "$IMDS_URL" -o json
show_out
assert_jq "$O" '[.findings[] | select(.code == "vpce_in_vpc") | .targets[]] | sort == (["ssm.us-east-1.amazonaws.com","ssmmessages.us-east-1.amazonaws.com"] | sort)' "10.99.1.8/30: ssm (.10) and ssmmessages (.11) inside (second CIDR)"
assert_jq "$O" '[.findings[] | select(.code == "vpce_outside_vpc") | .targets[]] == ["ec2messages.us-east-1.amazonaws.com"]' "10.99.1.8/30: ec2messages (.12) outside"
# The address is inside 10.99.1.8/30, not inside the first CIDR 10.99.200.0/24.
assert_jq "$O" '.findings[] | select(.code == "vpce_in_vpc" and (.targets | index("ssm.us-east-1.amazonaws.com"))) | .message | contains("10.99.1.8/30")' "10.99.1.8/30: vpce_in_vpc names the CIDR that holds 10.99.1.10"
stop_bg "$IMDS_PID"

# ---- partial: ssm private, the others public ----
run_probe "${BASE[@]}" --dns-server 127.0.0.1:5301 --no-imds -o json
show_out
assert_rc 0 "$PROBE_RC" "partial: exit 0 (every target reachable here; a warning)"
assert_jq "$O" '[.targets[].endpoint_kind] == ["vpc-endpoint","public","public"]' "partial: ssm vpc-endpoint, the others public"
assert_jq "$O" '[.findings[] | select(.code == "vpce_partial")] | length == 1 and .[0].severity == "warn"' "partial: one vpce_partial (warn)"
assert_jq "$O" '.findings[] | select(.code == "vpce_partial") | (.hint | contains("ssmmessages")) and (.hint | contains("ec2messages"))' "partial: the hint names ssmmessages and ec2messages"

# ---- a CNAME to a vpce- name with a public address ----
run_probe "${BASE[@]}" --dns-server 127.0.0.1:5302 --no-imds -o json
show_out
assert_jq "$O" ".targets[0] | .dns.cname == [\"$VPCE_CNAME\"] and .endpoint_kind == \"vpc-endpoint\" and .status == \"ok\"" "CNAME to a vpce- name: vpc-endpoint, CNAME recorded, ok"
assert_jq "$O" '.targets[0].dns.addresses[0].scope != "private"' "CNAME to a vpce- name: the address itself is not private (198.51.100.20)"

finish
