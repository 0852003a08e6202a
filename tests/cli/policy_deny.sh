#!/bin/sh
# policy: an explicit Deny beats Allow, across statements and files; NotAction.
. tests/fixtures/policy/testlib.sh

pol "$FIX/deny-ssmmessages.json"
expect_rc 1 "Deny ssmmessages:* over Allow *"
for a in CreateControlChannel CreateDataChannel OpenControlChannel OpenDataChannel; do
    expect_row "ssmmessages:$a" denied 'deny-ssmmessages.json: Sid "NoSessions"'
done
expect_row ssm:UpdateInstanceInformation allowed 'Sid "EverythingElse"'
expect_out '^result: 4 of 6 required actions not allowed \(0 missing, 4 denied\)' "summary"
expect_out '^hint: an explicit Deny' "deny hint"

# The Deny in one file beats the Allow in another.
pol "$FIX/seed-inline.json" "$FIX/deny-ssmmessages.json"
expect_rc 1 "Deny in a second file"
expect_row ssmmessages:OpenDataChannel denied 'deny-ssmmessages.json: Sid "NoSessions"'
expect_out '^policy: 2 documents, 5 statements' "header counts"

# NotAction: Allow everything but iam/organizations/account
pol "$FIX/notaction.json" --kms --cw-logs --s3-logs my-logs
expect_rc 0 "NotAction allow"
expect_row ssmmessages:CreateControlChannel allowed 'notaction.json: Sid "AllButIam"'
expect_row kms:Decrypt allowed
expect_row s3:PutObject allowed
expect_row logs:PutLogEvents allowed
expect_row ec2messages:GetMessages allowed

# NotAction excluding ssmmessages:Open*Channel (written in upper case: actions ignore case)
pol "$FIX/notaction-open.json"
expect_rc 1 "NotAction excludes"
expect_row ssmmessages:OpenControlChannel missing
expect_row ssmmessages:OpenDataChannel missing
expect_row ssmmessages:CreateDataChannel allowed 'Sid "AllButMessages"'
# The text fits 100 columns (file names and ARNs aside: none here is long).
pol "$FIX/managed-instance-core.json" --kms --cw-logs --s3-logs logs
checks=$((checks + 1))
wide=$(awk 'length($0) > 100' "$TMPD/out" | wc -l)
[ "$wide" -eq 0 ] || bad "$wide lines wider than 100 columns"
finish
