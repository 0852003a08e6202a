#!/bin/sh
# regions_table.sh — the built-in region table is what scripts/gen-regions
# makes from the checked-in botocore excerpt, and `ssmprobe regions` lists
# exactly those partitions and regions.
# Runs from the repo root; exit 0 pass, 1 fail, 77 skip.
set -u

SSMPROBE=${SSMPROBE:-./ssmprobe}
FIX=tests/fixtures/botocore
fails=0

command -v python3 >/dev/null 2>&1 || { echo "python3 not found"; exit 77; }
[ -x "$SSMPROBE" ] || { echo "$SSMPROBE not built"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/regions_table.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

ok()   { echo "ok - $*"; }
fail() { echo "not ok - $*"; fails=$((fails + 1)); }

# 1. The generated source matches the checked-in one.
if python3 scripts/gen-regions --partitions "$FIX/partitions.json" \
        --endpoints "$FIX/endpoints-excerpt.json" \
        --endpoints "$FIX/agent-endpoints.json" -o "$tmp/regions_data.c"; then
    if diff -u src/regions_data.c "$tmp/regions_data.c"; then
        ok "src/regions_data.c is up to date with $FIX"
    else
        fail "src/regions_data.c differs from scripts/gen-regions output (regenerate it)"
    fi
else
    fail "scripts/gen-regions failed"
fi

# 2. `ssmprobe regions -o json` lists exactly the excerpt's partitions and regions.
"$SSMPROBE" regions -o json >"$tmp/out.json" 2>"$tmp/err"
rc=$?
if [ $rc -ne 0 ]; then
    fail "ssmprobe regions -o json exited $rc"; cat "$tmp/err"
elif python3 - "$FIX/partitions.json" "$tmp/out.json" <<'PY'
import json, re, sys
fx = json.load(open(sys.argv[1]))
out = json.load(open(sys.argv[2]))
want = []
for p in fx["partitions"]:
    rx = re.compile(p["regionRegex"])
    regs = [(r, d["description"]) for r, d in sorted(p["regions"].items()) if rx.match(r)]
    want.append((p["id"], p["outputs"]["dnsSuffix"], p["outputs"]["dualStackDnsSuffix"], regs))
got = [(p["name"], p["dns_suffix"], p["dualstack_suffix"],
        [(r["name"], r["description"]) for r in p["regions"]]) for p in out["partitions"]]
bad = 0
if want != got:
    print("partitions/regions differ:\n want %r\n got  %r" % (want, got)); bad = 1
n = sum(len(p[3]) for p in got)
aws = [p for p in out["partitions"] if p["name"] == "aws"][0]
if len(aws["regions"]) != 34: print("aws has %d regions, want 34" % len(aws["regions"])); bad = 1
if n != 46: print("%d regions in all, want 46" % n); bad = 1
optin = sorted(r["name"] for r in aws["regions"] if r["opt_in"])
if len(optin) != 17 or "af-south-1" not in optin or "us-east-1" in optin:
    print("unexpected opt-in set %r" % optin); bad = 1
for p in out["partitions"]:
    for r in p["regions"]:
        if p["name"] != "aws" and r["opt_in"]:
            print("%s: opt_in outside aws" % r["name"]); bad = 1
        eps = r["endpoints"]
        if sorted(eps) != ["ec2messages", "ssm", "ssmmessages"]:
            print("%s: services %r" % (r["name"], sorted(eps))); bad = 1
        for s, h in eps.items():
            if h != "%s.%s.%s" % (s, r["name"], p["dns_suffix"]):
                print("%s: %s endpoint %s" % (r["name"], s, h)); bad = 1
sys.exit(bad)
PY
then
    ok "ssmprobe regions -o json lists exactly the excerpt's 8 partitions and 46 regions"
else
    fail "ssmprobe regions -o json does not match $FIX/partitions.json"
fi

# 3. One partition; an unknown one is a usage error with one line naming the valid ones.
"$SSMPROBE" regions --partition aws-cn >"$tmp/cn.txt" 2>"$tmp/err"
if [ $? -eq 0 ] && grep -q 'ssm\.cn-northwest-1\.amazonaws\.com\.cn' "$tmp/cn.txt" &&
        ! grep -q 'us-east-1' "$tmp/cn.txt"; then
    ok "--partition aws-cn"
else
    fail "--partition aws-cn"; cat "$tmp/cn.txt" "$tmp/err"
fi
"$SSMPROBE" regions --partition nope >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q 'aws-iso-f' "$tmp/err" &&
        [ ! -s "$tmp/out" ]; then
    ok "unknown partition: exit 2, one line naming the valid ones"
else
    fail "unknown partition: exit $rc"; cat "$tmp/err"
fi

# 4. Text output fits 100 columns.
"$SSMPROBE" regions -s all --fips --dualstack >"$tmp/all.txt" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] && awk 'length($0) > 100 { bad = 1 } END { exit bad }' "$tmp/all.txt"; then
    ok "text output fits 100 columns"
else
    fail "text output: exit $rc or wider than 100 columns"
    awk 'length($0) > 100' "$tmp/all.txt" | head -5
fi

[ $fails -eq 0 ] || exit 1
exit 0
