#!/bin/sh
# policy -o json / --json: the same facts as data.
. tests/fixtures/policy/testlib.sh
command -v jq >/dev/null 2>&1 || { echo "jq not installed"; exit 77; }

j() { # j FILTER WANT WHAT
    checks=$((checks + 1))
    got=$(jq -c "$1" "$TMPD/out" 2>&1)
    [ "$got" = "$2" ] || bad "$3: $1 = $got, want $2"
}

pol -o json "$FIX/deny-ssmmessages.json" --kms=arn:aws:kms:us-east-1:111122223333:key/k
expect_rc 1 "json deny"
expect_no_err "json deny"
j '.tool' '"ssmprobe"' tool
j '.schema' '1' schema
j '.command' '"policy"' command
j '.status' '"fail"' status
j '[.inputs[] | .file, .shape, .statements]' '["tests/fixtures/policy/deny-ssmmessages.json","document",2]' inputs
j '.actions[] | select(.action == "ssmmessages:OpenDataChannel") | [.decision, .file, .statement.sid, .statement.index, .required, .group, .resource]' \
  '["denied","tests/fixtures/policy/deny-ssmmessages.json","NoSessions",2,true,"session","*"]' "denied row"
j '.actions[] | select(.action == "kms:Decrypt") | [.decision, .resource, .statement.sid]' \
  '["allowed","arn:aws:kms:us-east-1:111122223333:key/k","EverythingElse"]' "kms row"
j '.summary' '{"required":7,"allowed":3,"conditional":0,"denied":4,"missing":0,"optional":20,"optional_allowed":20}' summary
j '[.actions[] | keys_unsorted] | unique' '[["action","group","required","resource","decision","file","statement","conditions","note"]]' "action keys"

pol --json "$FIX/conditional.json"
expect_rc 0 "json conditional"
j '.status' '"warn"' "warn status"
j '.actions[0] | [.decision, .conditions[0].effect, .conditions[0].statement.sid, .conditions[0].condition]' \
  '["conditional","Allow","FromVpcOnly",{"StringEquals":{"aws:SourceVpc":"vpc-0abc"}}]' "conditions as data"

pol --json "$FIX/managed-instance-core.json"
expect_rc 1 "json missing"
j '.actions[] | select(.action == "s3:GetEncryptionConfiguration") | [.decision, .file, .statement, .conditions]' \
  '["missing",null,null,[]]' "missing row"
j '.inputs[0].shape' '"document"' "shape"

pol --json "$FIX/get-policy-version-core.json" "$FIX/get-role-policy-seed.json"
expect_rc 0 "json shapes"
j '[.inputs[].shape]' '["get-policy-version","get-role-policy"]' "shapes"

pol --json "$FIX/seed-inline.json" --kms=arn:aws:kms:us-east-1:111122223333:key/other
expect_rc 1 "json near miss"
j '.actions[] | select(.action == "kms:Decrypt") | .note' '"tests/fixtures/policy/seed-inline.json: statement 3 allows it on other resources only"' note

pol --json "$FIX/seed-inline.json"
expect_rc 0 "json ok"
j '.status' '"ok"' "ok status"
j '.warnings' '[]' "no warnings"

# -o text after --json: the last one wins
pol --json -o text "$FIX/seed-inline.json"
expect_out '^result: all 6' "last format wins"
finish
