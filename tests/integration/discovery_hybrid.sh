#!/bin/bash
# A hybrid registration file (/var/lib/amazon/ssm/registration under
# --root) on what looks like EC2 → finding hybrid_registration_on_ec2
# (the agent would register as mi-…), whether EC2 is known from a
# reachable IMDS (fake, loopback) or from DMI; none off EC2. The
# registration's Region still wins discovery over IMDS.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/it5/lib.sh"
need_binary
need_cmd dnsmasq jq python3 ss

DNSPORT=$(free_port) || setup_fail "port"
dns_start dns 127.0.0.1 "$DNSPORT" -- --local=/amazonaws.com/ || setup_fail "dnsmasq"
it5_imds_start eu-north-1 || setup_fail "fake IMDS"

BASE=(--dns-server "127.0.0.1:$DNSPORT" --dns-timeout 2 --timeout 3
      --proxy-source none --no-large-hello)
O=$T/out
hybrid() { jq -c '[.findings[] | select(.code == "hybrid_registration_on_ec2")]' "$O"; }

# ---- registration + IMDS answering (EC2), DMI says QEMU ----
run_probe "${BASE[@]}" --root "$IT5/disc-reg" --imds --imds-endpoint "$IMDS_URL" -o json
show_out
assert_json_out || finish
assert_jq "$O" '.context.imds.status != null and .context.imds.region == "eu-north-1"' "IMDS answered (this is EC2)"
assert_jq "$O" '.context.region_source == "registration" and .context.regions == ["ca-central-1"]' "the registration's region wins over IMDS"
assert_jq "$O" '[.findings[] | select(.code == "hybrid_registration_on_ec2")] | length == 1 and (.[0].severity == "warn" or .[0].severity == "fail")' "registration on EC2 (IMDS): one hybrid_registration_on_ec2 finding (warn or fail)"
assert_jq "$O" '.findings[] | select(.code == "hybrid_registration_on_ec2") | (.message | contains("mi-0aaaabbbbccccdddd")) and (.message | contains("var/lib/amazon/ssm/registration"))' "the finding names the mi- id and the file"
assert_jq "$O" '.findings[] | select(.code == "hybrid_registration_on_ec2") | .hint | test("deregister|registration")' "the finding's hint says how to undo the registration"
run_probe "${BASE[@]}" --root "$IT5/disc-reg" --imds --imds-endpoint "$IMDS_URL"
assert_match 'hybrid_registration_on_ec2' "$(cat "$O")" "text: the finding is shown"

# …also when the region comes from the command line
run_probe "${BASE[@]}" --root "$IT5/disc-reg" --imds --imds-endpoint "$IMDS_URL" -r us-east-1 -o json
assert_eq 1 "$(hybrid | jq length)" "registration on EC2 with --region: the finding still"

# ---- registration, DMI says Amazon EC2, no IMDS ----
run_probe "${BASE[@]}" --root "$IT5/disc-reg-ec2" --no-imds -o json
show_out
assert_jq "$O" '.context.region_source == "registration" and .context.regions == ["ca-central-1"]' "DMI EC2: region from the registration"
assert_jq "$O" 'any(.findings[]; .code == "hybrid_registration_on_ec2" and (.message | contains("mi-0eeeeffff00001111")))' "registration on EC2 (DMI): hybrid_registration_on_ec2 naming mi-0eeeeffff00001111"

# ---- registration off EC2 (DMI QEMU, no IMDS): a hybrid node, nothing to say ----
run_probe "${BASE[@]}" --root "$IT5/disc-reg" --no-imds -o json
show_out
assert_jq "$O" '.context.region_source == "registration"' "off EC2: region from the registration"
assert_eq 0 "$(hybrid | jq length)" "off EC2: no hybrid_registration_on_ec2"

# ---- EC2 without a registration: nothing to say ----
run_probe "${BASE[@]}" --root "$T" --imds --imds-endpoint "$IMDS_URL" -o json
assert_jq "$O" '.context.region_source == "imds"' "EC2 without registration: region from IMDS"
assert_eq 0 "$(hybrid | jq length)" "EC2 without registration: no hybrid_registration_on_ec2"

finish
