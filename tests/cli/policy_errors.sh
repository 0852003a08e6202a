#!/bin/sh
# policy: bad input and bad usage exit 2 with one clear line on stderr and nothing on stdout.
. tests/fixtures/policy/testlib.sh

pol "$FIX/malformed.json"
expect_rc 2 "malformed JSON"
expect_err '^ssmprobe: tests/fixtures/policy/malformed.json:4:52: invalid JSON: ' "file:line:column"
expect_one_err_line "malformed JSON"
expect_no_out "malformed JSON"

pol "$FIX/empty.json"
expect_rc 2 "empty file"
expect_err '^ssmprobe: tests/fixtures/policy/empty.json: empty: expected an IAM policy document' "empty"
expect_one_err_line "empty file"
expect_no_out "empty file"

printf '  \n\n' >"$TMPD/blank.json"
pol "$TMPD/blank.json"
expect_rc 2 "blank file"
expect_err 'empty \(only blanks\)' "blank"

pol "$FIX/not-a-policy.json"
expect_rc 2 "a bare statement"
expect_err 'single statement, not a policy document' "bare statement"

printf '{"Roles": [], "Marker": "x"}\n' >"$TMPD/other.json"
pol "$TMPD/other.json"
expect_rc 2 "other JSON"
expect_err 'JSON, but not an IAM policy document: no "Statement" \(top-level keys: "Roles", "Marker"\)' "other JSON"

printf '[1, 2]\n' >"$TMPD/array.json"
pol "$TMPD/array.json"
expect_rc 2 "array"
expect_err 'top level is an array' "array"

pol "$FIX/trust-policy.json"
expect_rc 2 "trust policy"
expect_err 'has "Principal": this is a trust policy' "trust"

pol "$FIX/bad-effect.json"
expect_rc 2 "Effect allow"
expect_err '"Effect" must be "Allow" or "Deny" \(case matters\), not "allow"' "effect"

printf '{"PolicyVersion": {"Document": "%%7B%%22Statement%%22%%3A%%5B%%0A%%7B%%7D%%2C%%5D%%7D"}}' >"$TMPD/enc.json"
pol "$TMPD/enc.json"
expect_rc 2 "URL-encoded malformed document"
expect_err 'enc.json: PolicyVersion.Document \(URL-decoded\):2:[0-9]+: invalid JSON' "decoded position"

printf '{"Policy": {"PolicyName": "AmazonSSMManagedInstanceCore", "Arn": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", "DefaultVersionId": "v3"}}' >"$TMPD/gp.json"
pol "$TMPD/gp.json"
expect_rc 2 "get-policy output"
expect_err 'get-policy-version --policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore --version-id v3' "get-policy hint"

pol "$TMPD/does-not-exist.json"
expect_rc 2 "missing file"
expect_err 'does-not-exist.json: cannot open: No such file or directory' "ENOENT"

pol "$TMPD"
expect_rc 2 "a directory"
expect_err 'cannot read: Is a directory' "EISDIR"

# every bad file is named, then exit 2 without a report
pol "$FIX/empty.json" "$FIX/seed-inline.json" "$FIX/malformed.json"
expect_rc 2 "two bad files among good ones"
expect_err 'empty.json: empty' "first"
expect_err 'malformed.json:4:52' "second"
expect_no_out "bad files"

pol
expect_rc 2 "no FILE"
expect_err 'no FILE given' "no file"

pol --frobnicate "$FIX/seed-inline.json"
expect_rc 2 "unknown option"
expect_err 'unknown option --frobnicate' "unknown option"

pol -o yaml "$FIX/seed-inline.json"
expect_rc 2 "bad -o"
expect_err '"yaml" is not text or json' "bad format"

pol --s3-logs
expect_rc 2 "--s3-logs without value"
expect_err '--s3-logs needs a value' "s3 value"

pol --kms=arn:aws:kms:us-east-1:111122223333:alias/ssm "$FIX/seed-inline.json"
expect_rc 2 "alias ARN"
expect_err 'not an alias' "alias"

pol --kms=not-an-arn "$FIX/seed-inline.json"
expect_rc 2 "bad key"
expect_err 'is not a KMS key ARN' "bad key"

pol --print "$FIX/seed-inline.json"
expect_rc 2 "--print with FILE"

pol --cw-logs=yes "$FIX/seed-inline.json"
expect_rc 2 "value for a flag"
expect_err '--cw-logs takes no value' "flag value"

pol --help
expect_rc 0 "--help"
for o in --kms --s3-logs --cw-logs --print --output --json --quiet --help; do
    expect_out -- "$o" "help lists $o"
done
pol -h
expect_rc 0 "-h"
finish
