#!/bin/bash
# Region sweeps through the real binary on loopback: a full aws sweep
# (--all-regions, 34 regions × 3 services = 102 targets) against a wildcard
# resolver (dnsmasq --address=/amazonaws.com/127.0.0.1 and ::1) and one nginx
# whose certificate (from the test PKI's intermediate) covers
# *.REGION.amazonaws.com for every region; text output one row per region
# within 100 columns; `-r all --partition aws-cn` → 6 targets.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/fixtures/it5/lib.sh"
need_binary
need_cmd dnsmasq nginx jq openssl ss python3

pki_make || setup_fail "test PKI"

mapfile -t AWS_REGIONS < <("$SSMPROBE" regions --partition aws -o json |
    jq -r '.partitions[] | select(.name == "aws") | .regions[].name')
mapfile -t CN_REGIONS < <("$SSMPROBE" regions --partition aws-cn -o json |
    jq -r '.partitions[] | select(.name == "aws-cn") | .regions[].name')
assert_eq 34 "${#AWS_REGIONS[@]}" "ssmprobe regions: 34 aws regions"
assert_eq 2 "${#CN_REGIONS[@]}" "ssmprobe regions: 2 aws-cn regions"

SANS=""
for r in "${AWS_REGIONS[@]}"; do SANS+="${SANS:+,}DNS:*.$r.amazonaws.com"; done
for r in "${CN_REGIONS[@]}"; do SANS+=",DNS:*.$r.amazonaws.com.cn"; done
it5_leaf sweep "$SANS" || setup_fail "wildcard leaf"
CERT_SANS=$(openssl x509 -in "$T/it5pki/sweep.crt" -noout -ext subjectAltName | grep -o 'DNS:' | wc -l)
assert_eq $(( ${#AWS_REGIONS[@]} + ${#CN_REGIONS[@]} )) "$CERT_SANS" "the sweep certificate has one wildcard SAN per region"

V6=0
if ip -6 addr show dev lo 2>/dev/null | grep -q '::1/128'; then V6=1; fi
DNSPORT=$(free_port) || setup_fail "port"
DARGS=(--address=/amazonaws.com/127.0.0.1 --address=/amazonaws.com.cn/127.0.0.1)
# AAAA: an address too (dnsmasq without upstream would REFUSE the query).
if [ $V6 = 1 ]; then DARGS+=(--address=/amazonaws.com/::1 --address=/amazonaws.com.cn/::1); fi
dns_start dns 127.0.0.1 "$DNSPORT" -- "${DARGS[@]}" || setup_fail "dnsmasq"
TLSPORT=$(free_port) || setup_fail "port"
LISTEN="127.0.0.1:$TLSPORT"
[ $V6 = 1 ] && LISTEN+=" [::1]:$TLSPORT"
ngx_new sweep
it5_ngx_catchall sweep "$LISTEN" "$T/it5pki/sweep.chain.pem" "$T/it5pki/sweep.key"
ngx_start sweep || setup_fail "nginx"
FAM=()
[ $V6 = 1 ] || FAM=(-4)

BASE=(--dns-server "127.0.0.1:$DNSPORT" --port "$TLSPORT" --ca-file "$PKI/root.pem"
      --no-imds --no-host-checks --proxy-source none --concurrency 128 --no-large-hello
      --timeout 10 "${FAM[@]}")
O=$T/out

# ---- the full aws sweep, JSON ----
run_probe "${BASE[@]}" --all-regions -o json
show_out | head -12
assert_rc 0 "$PROBE_RC" "--all-regions: exit 0"
assert_json_out || finish
assert_jq "$O" '.summary == {"targets": 102, "ok": 102, "warn": 0, "fail": 0}' "--all-regions: summary 102 targets, all ok"
assert_jq "$O" '(.targets | length) == 102 and all(.targets[]; .status == "ok" and .failure == null)' "--all-regions: 102 targets, every one ok"
assert_jq "$O" '.context.region_source == "flag" and (.context.regions | length) == 34' "--all-regions: 34 regions in context, source flag"
assert_eq "$(printf '%s\n' "${AWS_REGIONS[@]}" | sort | tr '\n' ' ')" \
    "$(jq -r '[.targets[].region] | unique | .[]' "$O" | sort | tr '\n' ' ')" "--all-regions: the targets cover exactly the table's regions"
assert_jq "$O" '[.targets[] | "\(.service).\(.region).amazonaws.com" == .host] | all' "--all-regions: every host is SERVICE.REGION.amazonaws.com"
assert_jq "$O" '([.targets[] | .region + "/" + .service] | unique | length) == 102' "--all-regions: every (region, service) once"
assert_jq "$O" 'all(.targets[].connections[]; .status == "ok" and .tls.verify == "ok" and .http.aws == true)' "--all-regions: every connection verified TLS and an AWS answer"
assert_jq "$O" '.status == "ok"' "--all-regions: status ok"
# Concurrent: about the time of the slowest target, not the sum of all.
SUMMS=$(jq '[.targets[].connections[].total_ms // 0] | add' "$O")
MAXMS=$(jq '[.targets[].connections[].total_ms // 0] | max' "$O")
log "sum of connection totals ${SUMMS} ms, slowest ${MAXMS} ms, wall ${PROBE_MS} ms"
assert_lt "$PROBE_MS" 10000 "--all-regions: wall time bounded (ms)"

# ---- the same sweep, text: one row per region, ≤ 100 columns ----
run_probe "${BASE[@]}" -r all
assert_rc 0 "$PROBE_RC" "-r all (text): exit 0"
sed 's/^/#   | /' "$O" | head -45
WIDEST=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$O")
assert_lt "$WIDEST" 101 "text sweep: every line within 100 columns"
CHECKS=$((CHECKS + 1)); bad=""
for r in "${AWS_REGIONS[@]}"; do
    n=$(grep -cE "^[[:space:]]*${r}[[:space:]]" "$O")
    [ "$n" = 1 ] || bad+=" $r:$n"
done
if [ -z "$bad" ]; then _pass "text sweep: exactly one row starting with each of the 34 regions"
else _fail "text sweep: rows per region not 1:$bad"; sed 's/^/    | /' "$O" | head -60; fi
ROWS=$(grep -cE "^[[:space:]]*($(IFS='|'; echo "${AWS_REGIONS[*]}"))[[:space:]]" "$O")
assert_eq 34 "$ROWS" "text sweep: 34 region rows (not one per target)"
assert_match '102 targets' "$(cat "$O")" "text sweep: summary counts 102 targets"
assert_file_empty "$T/err" "text sweep: nothing on stderr (not a terminal: no progress line)"

# ---- -q: nothing printed, exit status only ----
run_probe "${BASE[@]}" --all-regions -q
assert_rc 0 "$PROBE_RC" "--all-regions -q: exit 0"
assert_file_empty "$O" "--all-regions -q: no stdout"
assert_file_empty "$T/err" "--all-regions -q: no stderr"

# ---- aws-cn: 2 regions × 3 services ----
run_probe "${BASE[@]}" -r all --partition aws-cn -o json
show_out | head -10
assert_rc 0 "$PROBE_RC" "-r all --partition aws-cn: exit 0"
assert_jq "$O" '(.targets | length) == 6 and .summary.targets == 6' "aws-cn: 6 targets"
assert_jq "$O" '[.targets[].region] | unique == ["cn-north-1", "cn-northwest-1"]' "aws-cn: cn-north-1 and cn-northwest-1"
assert_jq "$O" 'all(.targets[]; .host == "\(.service).\(.region).amazonaws.com.cn" and .status == "ok")' "aws-cn: hosts end in amazonaws.com.cn, all ok"

# ---- --all-regions with --partition all: every partition's regions ----
NALL=$("$SSMPROBE" regions --partition all -o json | jq '[.partitions[].regions[]] | length')
run_probe "${BASE[@]}" --all-regions --partition all --timeout 3 --dns-timeout 1 -o json
assert_jq "$O" "(.context.regions | length) == $NALL and (.targets | length) == $((NALL * 3))" "--partition all: every region of every partition ($NALL)"
assert_jq "$O" '[.targets[] | select(.region | startswith("cn-"))] | all(.status == "ok")' "--partition all: the aws-cn targets ok"

finish
