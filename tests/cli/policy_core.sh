#!/bin/sh
# policy: AmazonSSMManagedInstanceCore content, bare and as aws iam get-policy-version prints it.
. tests/fixtures/policy/testlib.sh

pol "$FIX/managed-instance-core.json"
expect_rc 1 "core alone lacks s3:GetEncryptionConfiguration"
expect_row ssm:UpdateInstanceInformation allowed "managed-instance-core.json: statement 1"
expect_row ssmmessages:OpenDataChannel allowed "managed-instance-core.json: statement 2"
expect_row s3:GetEncryptionConfiguration missing
expect_row ec2messages:GetMessages allowed "managed-instance-core.json: statement 3"
expect_row ssm:GetDeployablePatchSnapshotForInstance allowed
expect_out '^result: 1 of 6 required actions not allowed \(1 missing, 0 denied\)' "summary"
cp "$TMPD/out" "$TMPD/bare.txt"

pol "$FIX/managed-instance-core.json" "$FIX/s3-encryption.json"
expect_rc 0 "core + s3:GetEncryptionConfiguration"
expect_row s3:GetEncryptionConfiguration allowed "s3-encryption.json: statement 1"
expect_no_err "core + s3"

# get-policy-version: URL-encoded document and the decoded object form give the same rows.
for f in get-policy-version-core.json get-policy-version-object.json; do
    pol "$FIX/$f"
    expect_rc 1 "$f"
    sed -n '/^Session Manager/,$p' "$TMPD/out" | sed "s/$f/X/" >"$TMPD/a.txt"
    sed -n '/^Session Manager/,$p' "$TMPD/bare.txt" | sed "s/managed-instance-core.json/X/" >"$TMPD/b.txt"
    checks=$((checks + 1))
    cmp -s "$TMPD/a.txt" "$TMPD/b.txt" || { bad "$f: rows differ from the bare document"; diff "$TMPD/a.txt" "$TMPD/b.txt"; }
done

# conditions are listed, not evaluated: exit 0 with "allowed if"
pol "$FIX/conditional.json" "$FIX/logging.json" --s3-logs my-session-logs --cw-logs
expect_rc 0 "conditional"
expect_row ssmmessages:OpenDataChannel 'allowed if aws:SourceVpc' 'conditional.json: Sid "FromVpcOnly"'
expect_row s3:PutObject allowed 'logging.json: Sid "Logs"'
expect_row s3:GetEncryptionConfiguration allowed 'logging.json: Sid "LogsEnc"'
expect_row logs:DescribeLogStreams allowed 'logging.json: Sid "Cw"'
expect_out 'only under conditions that were not evaluated' "warn summary"

# logging to another bucket is missing
pol "$FIX/seed-inline.json" "$FIX/logging.json" --s3-logs other-bucket
expect_rc 1 "other bucket"
expect_row s3:PutObject missing
expect_out '^      on arn:aws:s3:::other-bucket/\*' "object resource shown"
finish
