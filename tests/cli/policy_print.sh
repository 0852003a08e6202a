#!/bin/sh
# policy --print: the minimal inline policy, valid JSON that passes its own check.
. tests/fixtures/policy/testlib.sh
command -v jq >/dev/null 2>&1 || { echo "jq not installed"; exit 77; }
KEY=arn:aws:kms:eu-west-1:111122223333:key/abcd

pol --print
expect_rc 0 "--print"
expect_no_err "--print"
checks=$((checks + 1))
got=$(jq -c '[.Version, [.Statement[].Sid], [.Statement[].Action[]], [.Statement[].Resource]]' "$TMPD/out")
want='["2012-10-17",["SessionManager"],["ssm:UpdateInstanceInformation","ssmmessages:CreateControlChannel","ssmmessages:CreateDataChannel","ssmmessages:OpenControlChannel","ssmmessages:OpenDataChannel","s3:GetEncryptionConfiguration"],["*"]]'
[ "$got" = "$want" ] || bad "--print content: $got"
checks=$((checks + 1))
grep -q kms "$TMPD/out" && bad "no KMS statement without --kms"
cp "$TMPD/out" "$TMPD/min.json"
pol "$TMPD/min.json"
expect_rc 0 "--print output passes"

pol --print --kms="$KEY" --s3-logs session-logs/host1 --cw-logs
expect_rc 0 "--print all options"
checks=$((checks + 1))
jq -e '.Statement[] | select(.Resource == "'"$KEY"'") | .Action == ["kms:Decrypt"]' "$TMPD/out" >/dev/null \
    || bad "KMS statement on the key"
checks=$((checks + 1))
jq -e '.Statement[] | select(.Resource == "arn:aws:s3:::session-logs/host1/*") | .Action == ["s3:PutObject"]' "$TMPD/out" >/dev/null \
    || bad "PutObject on the prefix"
checks=$((checks + 1))
jq -e '.Statement[] | select(.Resource == "arn:aws:s3:::session-logs") | .Action == ["s3:GetEncryptionConfiguration"]' "$TMPD/out" >/dev/null \
    || bad "GetEncryptionConfiguration on the bucket"
checks=$((checks + 1))
jq -e '.Statement[] | select(.Resource == "*") | .Action | index("logs:PutLogEvents")' "$TMPD/out" >/dev/null \
    || bad "CloudWatch actions"
cp "$TMPD/out" "$TMPD/all.json"
pol "$TMPD/all.json" --kms="$KEY" --s3-logs session-logs/host1 --cw-logs
expect_rc 0 "--print all options passes its own check"

pol --print --kms
expect_rc 0 "--print --kms without key"
expect_err 'kms:Decrypt on every key' "warning for an unscoped key"
checks=$((checks + 1))
jq -e '.Statement[0].Action | index("kms:Decrypt")' "$TMPD/out" >/dev/null || bad "kms:Decrypt on *"
finish
