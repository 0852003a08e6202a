#!/bin/sh
# policy: a 10 MB document is checked in bounded time and memory; huge or
# hostile inputs are refused quickly.
. tests/fixtures/policy/testlib.sh
command -v awk >/dev/null 2>&1 || { echo "awk not installed"; exit 77; }

big=$TMPD/big.json
awk 'BEGIN {
  printf "{\"Version\":\"2012-10-17\",\"Statement\":[\n";
  n = 0; size = 0;
  while (size < 10485760) {
    line = sprintf("{\"Sid\":\"S%d\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"ec2:Describe*\",\"ssm:Get*\"],\"Resource\":[\"arn:aws:s3:::bucket-%d/*\",\"arn:aws:ec2:*:*:instance/i-%08d\"]},\n", n, n, n);
    printf "%s", line; size += length(line); n++;
  }
  printf "{\"Sid\":\"Sessions\",\"Effect\":\"Allow\",\"Action\":[\"ssm:UpdateInstanceInformation\",\"ssmmessages:*\",\"s3:GetEncryptionConfiguration\"],\"Resource\":\"*\"},\n";
  printf "{\"Sid\":\"NoKms\",\"Effect\":\"Deny\",\"Action\":\"kms:*\",\"Resource\":\"*\"}\n]}\n";
}' >"$big"
size=$(wc -c <"$big")
echo "# document: $size bytes"
checks=$((checks + 1))
[ "$size" -ge 10485760 ] || bad "generated only $size bytes"

# Peak RSS needs GNU time; an ASan build reserves far more, so only time is checked there.
asan=0
grep -q __asan_init "$SSMPROBE" 2>/dev/null && asan=1
if /usr/bin/time -f '%e %M' true >/dev/null 2>&1; then
    /usr/bin/time -f '%e %M' -o "$TMPD/time" "$SSMPROBE" policy --kms "$big" >"$TMPD/out" 2>"$TMPD/err"
    rc=$?
    read -r secs kb <<EOT
$(tail -n 1 "$TMPD/time")
EOT
else
    t0=$(date +%s)
    "$SSMPROBE" policy --kms "$big" >"$TMPD/out" 2>"$TMPD/err"; rc=$?
    secs=$(( $(date +%s) - t0 )); kb=0
fi
echo "# 10 MB: exit $rc, $secs s, peak $kb KB"
expect_rc 1 "10 MB document (kms denied)"
expect_row ssmmessages:OpenDataChannel allowed 'Sid "Sessions"'
expect_row kms:Decrypt denied 'Sid "NoKms"'
expect_err 'larger than IAM accepts' "size warning"
checks=$((checks + 1))
awk -v s="$secs" 'BEGIN { exit !(s < 5) }' || bad "10 MB took $secs s (limit 5)"
if [ "$asan" = 0 ] && [ "$kb" -gt 0 ]; then
    checks=$((checks + 1))
    [ "$kb" -lt 262144 ] || bad "10 MB used $kb KB peak (limit 256 MB)"
fi

# 10 MB of nesting: refused at the parser's depth limit, quickly.
awk 'BEGIN { for (i = 0; i < 10485760 / 64; i++) printf "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" }' >"$big"
pol "$big"
expect_rc 2 "deep nesting"
expect_err 'big.json:1:[0-9]+: invalid JSON: .*depth' "depth limit"

# One 10 MB string as the Sid.
awk 'BEGIN { printf "{\"Statement\":[{\"Sid\":\""; for (i = 0; i < 10485760 / 64; i++) printf "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; printf "\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}\n" }' >"$big"
pol "$big"
expect_rc 0 "10 MB Sid"
checks=$((checks + 1))
[ "$(wc -c <"$TMPD/out")" -lt 20000 ] || bad "a huge Sid is not printed in full"

# Input past the 64 MiB limit is refused without reading it all.
head -c 70000000 /dev/zero | "$SSMPROBE" policy - >"$TMPD/out" 2>"$TMPD/err"; rc=$?
expect_rc 2 "70 MB on stdin"
expect_err '\(stdin\): larger than 64 MiB' "size limit"
rm -f "$big"
finish
