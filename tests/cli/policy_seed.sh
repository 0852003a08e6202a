#!/bin/sh
# policy: the seed's Session Manager inline policy, with and without its KMS statement.
. tests/fixtures/policy/testlib.sh
KEY=arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
OTHER=arn:aws:kms:us-east-1:111122223333:key/ffffffff-0000-0000-0000-000000000000

pol "$FIX/seed-inline.json"
expect_rc 0 "seed policy"
expect_no_err "seed policy"
for a in ssm:UpdateInstanceInformation ssmmessages:CreateControlChannel ssmmessages:CreateDataChannel \
         ssmmessages:OpenControlChannel ssmmessages:OpenDataChannel; do
    expect_row "$a" allowed "seed-inline.json: statement 1"
done
expect_row s3:GetEncryptionConfiguration allowed "seed-inline.json: statement 2"
expect_out '^result: all 6 required actions allowed' "seed summary"
expect_out '^Other AmazonSSMManagedInstanceCore actions \(not needed for sessions\)' "agent group shown"
expect_out '^  \(all of these actions\) +missing' "agent group collapsed"

pol --kms="$KEY" "$FIX/seed-inline.json"
expect_rc 0 "seed --kms=KEY"
expect_row kms:Decrypt allowed "seed-inline.json: statement 3"
expect_out "^      on $KEY" "key shown"

pol --kms "$KEY" "$FIX/seed-inline.json"
expect_rc 0 "seed --kms KEY (separate word)"
expect_row kms:Decrypt allowed

pol --kms "$OTHER" "$FIX/seed-inline.json"
expect_rc 1 "seed, another key"
expect_row kms:Decrypt missing
expect_out 'seed-inline.json: statement 3 allows it on arn:aws:kms:.*1234abcd.* only' "near miss named"
expect_out '^      ssmprobe policy --print --kms=' "hint to add"

pol --kms "$FIX/seed-inline.json"
expect_rc 0 "seed --kms without key (next word is a file)"
expect_row kms:Decrypt 'allowed if'
expect_out 'if resource is arn:aws:kms:' "key restriction listed"

pol "$FIX/seed-no-kms.json"
expect_rc 0 "seed without KMS statement, no --kms"
expect_no_err "seed without KMS statement"

pol --kms "$FIX/seed-no-kms.json"
expect_rc 1 "seed without KMS statement, --kms"
expect_row kms:Decrypt missing
expect_out '^result: 1 of 7 required actions not allowed \(1 missing, 0 denied\)' "summary"

pol --kms="$KEY" "$FIX/seed-no-kms.json"
expect_rc 1 "seed without KMS statement, --kms=KEY"
expect_row kms:Decrypt missing

# aws iam get-role-policy prints the document URL-encoded
pol "$FIX/get-role-policy-seed.json" --kms="$KEY"
expect_rc 0 "get-role-policy shape"
expect_row ssmmessages:OpenDataChannel allowed "get-role-policy-seed.json: statement 1"
expect_row kms:Decrypt allowed "get-role-policy-seed.json: statement 3"

# stdin
"$SSMPROBE" policy - <"$FIX/seed-inline.json" >"$TMPD/out" 2>"$TMPD/err"; rc=$?
expect_rc 0 "stdin"
expect_row ssm:UpdateInstanceInformation allowed "(stdin): statement 1"

# -q: exit status only
pol -q --kms "$FIX/seed-no-kms.json"
expect_rc 1 "-q"
expect_no_out "-q"
expect_no_err "-q"
finish
