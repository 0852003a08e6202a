#!/bin/bash
# Table-driven bad input: every flag value and file input that is wrong
# (empty values, huge numbers, NUL-free binary junk, the largest single
# argument Linux passes (128 KiB; a 10 MB argument cannot be exec'd: E2BIG),
# 10 MB files, non-UTF-8, duplicated or contradictory flags) must give exit 2,
# exactly one line on stderr, nothing on stdout, at once. Rows marked good
# are legitimately valid (reason in a comment) and must probe normally:
# exit 0 or 1, the run bounded.
#
# Rows that failed when this table was written (2026-11-29, fixed in
# 9cd5596): empty --dns-server lists silently fell back to the system
# resolver; a 128 KiB --proxy host, bracketed --endpoint hosts ("[junk",
# control characters, port 99999) and a bad --imds-endpoint (with --no-imds)
# were accepted; a FIFO given as --agent-config, --ca-file or a policy file
# blocked forever in open(); a value holding a newline gave two lines.
#
# Nothing real is ever probed: the only target is pinned to 127.0.0.1 on a
# closed port, the resolver is 127.0.0.1:9, IMDS and host checks are off.
. "$(dirname "$0")/../lib/common.sh"
need_binary
need_cmd python3

CLOSED=$(free_port)
H=ssm.us-east-1.amazonaws.com
SAFE=(--no-imds --no-host-checks --dns-server 127.0.0.1:9 --timeout 1 --dns-timeout 1
      -s ssm --port "$CLOSED" --resolve "$H:$CLOSED:127.0.0.1")

# runp ARGS... — run_probe without logging 128 KiB command lines: prints the
# command (each argument cut to 60 bytes, made printable), the exit status
# and the first lines of stderr.
runp() {
    local t0 t1 a line="# \$ ssmprobe"
    for a in "$@"; do line+=" $(printf '%q' "${a:0:60}")"; [ ${#a} -gt 60 ] && line+="…(${#a} bytes)"; done
    printf '%s\n' "$line" | cut -c1-400
    t0=$(date +%s%N)
    timeout -k 5 20 "$SSMPROBE" "$@" >"$T/out" 2>"$T/err" </dev/null
    PROBE_RC=$?
    t1=$(date +%s%N)
    PROBE_MS=$(( (t1 - t0) / 1000000 ))
    printf '# exit %s after %s ms\n' "$PROBE_RC" "$PROBE_MS"
    [ -s "$T/err" ] && head -3 "$T/err" | cut -c1-300 | cat -v | sed 's/^/#   stderr| /'
    return 0
}

bad() {   # DESC ARGS... — ARGS are appended after --region us-east-1 SAFE
    local desc=$1; shift
    runp --region us-east-1 "${SAFE[@]}" "$@"
    local lines
    lines=$(grep -c '' "$T/err")
    assert_rc 2 "$PROBE_RC" "$desc: exit 2"
    assert_eq 1 "$lines" "$desc: exactly one line on stderr"
    assert_file_empty "$T/out" "$desc: nothing on stdout"
    assert_lt "$PROBE_MS" 3000 "$desc: rejected at once (wall ms)"
    NBAD=$((NBAD + 1))
}
bad_raw() {   # DESC ARGS... — the whole command line (no SAFE prefix)
    local desc=$1; shift
    runp "$@"
    assert_rc 2 "$PROBE_RC" "$desc: exit 2"
    assert_eq 1 "$(grep -c '' "$T/err")" "$desc: exactly one line on stderr"
    assert_file_empty "$T/out" "$desc: nothing on stdout"
    NBAD=$((NBAD + 1))
}
good() {   # DESC ARGS... — valid: probes (exit 0/1), bounded
    local desc=$1; shift
    runp --region us-east-1 "${SAFE[@]}" "$@"
    CHECKS=$((CHECKS + 1))
    case $PROBE_RC in 0|1) _pass "$desc: accepted (exit $PROBE_RC)" ;;
    *) _fail "$desc: exit $PROBE_RC (valid input; want 0 or 1)"; head -3 "$T/err" | sed 's/^/    | /' ;; esac
    assert_lt "$PROBE_MS" 5000 "$desc: bounded (wall ms)"
    NGOOD=$((NGOOD + 1))
}
NBAD=0 NGOOD=0

# ---- values: junk generators (no NUL: argv cannot hold one)
junk() { python3 -c 'import random,sys; r=random.Random(int(sys.argv[1])); sys.stdout.buffer.write(bytes(r.randrange(1,256) for _ in range(int(sys.argv[2]))))' "$1" "$2"; }
BIN1=$(junk 1 64 | tr -d '\n'); BIN2=$(junk 2 300 | tr -d '\n'); BIN3=$(junk 3 17 | tr -d '\n')
BIG=$(head -c 131000 /dev/zero | tr '\0' 'a')           # < MAX_ARG_STRLEN (128 KiB)
BIGNUM=$(head -c 5000 /dev/zero | tr '\0' '9')
NONUTF8=$'\xff\xfe\xc3\x28\xed\xa0\x80'

# ---- every option that takes a value: empty, junk, non-UTF-8, huge
for opt in --partition --services --endpoint --port --dns-server --resolve \
           --proxy-source --ca-file --ca-path --timeout --connect-timeout --dns-timeout \
           --concurrency --root --output --color --agent-config --imds-endpoint; do
    bad "$opt binary junk 1"   "$opt" "$BIN1"
    bad "$opt binary junk 2"   "$opt" "$BIN2"
    bad "$opt non-UTF-8"       "$opt" "$NONUTF8"
    bad "$opt 128 KiB value"   "$opt" "$BIG"
done
for opt in --partition --services --endpoint --port --dns-server --resolve --proxy-source \
           --ca-file --ca-path --timeout --connect-timeout --dns-timeout --concurrency \
           --root --output --color --agent-config --imds-endpoint; do
    bad "$opt empty value" "$opt" ""
done
# An empty --dns-server list is not "the system resolver": the user named
# resolvers and named none.
bad "--dns-server ','"              --dns-server ,
bad "--dns-server ',,'"             --dns-server ,,
bad_raw "--region binary junk"      --region "$BIN3" "${SAFE[@]}"
bad_raw "--region non-UTF-8"        --region "$NONUTF8" "${SAFE[@]}"
bad_raw "--region empty"            --region "" "${SAFE[@]}"
bad_raw "--region 128 KiB"          --region "$BIG" "${SAFE[@]}"
bad_raw "positional junk region"    "${SAFE[@]}" "$BIN3"
bad "--proxy binary junk"           --proxy "$BIN1"
bad "--proxy non-UTF-8 host"        --proxy "http://$NONUTF8:3128"
bad "--proxy 128 KiB"               --proxy "http://$BIG:3128"
bad "--proxy port huge"             --proxy "http://proxy:$BIGNUM"
bad "--proxy ftp scheme"            --proxy "ftp://proxy:21"

# ---- numbers
for v in "$BIGNUM" 1e309 -1e309 1e-400 inf -inf nan NaN 0 -0 -1 3601 1e4 ' ' '1 2' 5s 1,5 '+' '.' 'e5' 0x; do
    bad "--timeout '$v'" --timeout "$v"
done
for v in 0 -1 65536 99999 "$BIGNUM" 0x1BB 1e3 443.0 '443 ' +-1 '١٢٣'; do
    bad "--port '$v'" --port "$v"
done
for v in 0 -1 100001 "$BIGNUM" 1.5 abc; do bad "--concurrency '$v'" --concurrency "$v"; done
bad "--timeout with a newline (one line on stderr all the same)" --timeout $'1\n2'
bad "--port with a newline"          --port $'443\n'
bad "--services with a newline"      --services $'ssm\nssm'

# ---- structured values
bad "--endpoint no ="                 --endpoint ssm
bad "--endpoint unknown service"      --endpoint 'nosuch=https://x.example'
bad "--endpoint 128 KiB service name" --endpoint "$BIG=https://x.example"
bad "--endpoint http:// scheme"       --endpoint 'ssm=http://x.example'
bad "--endpoint empty URL"            --endpoint 'ssm='
bad "--endpoint unclosed ["           --endpoint 'ssm=[junk'
bad "--endpoint [] with control chars" --endpoint $'ssm=[\x01\x1b[31mx]'
bad "--endpoint [v6] port too big"    --endpoint 'ssm=https://[::1]:99999/'
bad "--endpoint [not-an-address]"     --endpoint 'ssm=[not-an-address]:443'
bad "--endpoint port 0"               --endpoint 'ssm=https://x.example:0/'
bad "--endpoint host with spaces"     --endpoint 'ssm=https://x .example/'
bad "--resolve no address"            --resolve "$H:443:"
bad "--resolve port 0"                --resolve "$H:0:127.0.0.1"
bad "--resolve trailing comma"        --resolve "$H:443:127.0.0.1,"
bad "--resolve junk address"          --resolve "$H:443:$BIN3"
bad "--resolve 128 KiB host"          --resolve "$BIG:443:127.0.0.1"
bad "--dns-server port 0"             --dns-server 127.0.0.1:0
bad "--dns-server host name"          --dns-server dns.example.com
bad "--dns-server [v6 unclosed"       --dns-server '[::1:53'
bad "--imds-endpoint https"           --imds-endpoint https://169.254.169.254
bad "--imds-endpoint host name"       --imds-endpoint http://imds.example
bad "--imds-endpoint port too big"    --imds-endpoint http://127.0.0.1:99999
bad "--imds-endpoint junk"            --imds-endpoint "$BIN1"
bad "-o junk"                         -o "$BIN3"
bad "--color sometimes"               --color sometimes
bad "--partition aws-moon"            --partition aws-moon

# ---- unknown / malformed options
bad "unknown option with junk name"   "--$BIN3"
bad "unknown short option"            -Z
bad "option value glued to a flag"    --fips=yes
bad "a lone --"                       -- --port
bad "128 KiB unknown option"          "--$BIG"

# ---- files: 10 MB of junk, binary, empty, non-UTF-8, special files
head -c 10485760 /dev/urandom >"$T/10mb.bin"
{ echo '{"Agent": {"Region": "'; head -c 10485760 /dev/zero | tr '\0' 'a'; echo '"}}'; } >"$T/10mb.json"
: >"$T/empty"
printf '{"Agent": {"Region": "\xff\xfe"}}' >"$T/nonutf8.json"
printf '{"Agent": {"Region": "us-east-1"' >"$T/truncated.json"
junk 4 5000 >"$T/junk.bin"
mkfifo "$T/fifo"
bad "--agent-config 10 MB binary"      --agent-config "$T/10mb.bin"
bad "--agent-config 10 MB JSON"        --agent-config "$T/10mb.json"
bad "--agent-config junk"              --agent-config "$T/junk.bin"
bad "--agent-config non-UTF-8 JSON"    --agent-config "$T/nonutf8.json"
bad "--agent-config truncated JSON"    --agent-config "$T/truncated.json"
bad "--agent-config /dev/zero"         --agent-config /dev/zero
bad "--agent-config a directory"       --agent-config "$T"
bad "--agent-config missing"           --agent-config "$T/nope.json"
bad "--agent-config a FIFO (no writer: must not block)" --agent-config "$T/fifo"
bad "--ca-file 10 MB binary"           --ca-file "$T/10mb.bin"
bad "--ca-file junk"                   --ca-file "$T/junk.bin"
bad "--ca-file empty"                  --ca-file "$T/empty"
bad "--ca-file /dev/zero"              --ca-file /dev/zero
bad "--ca-file a FIFO (no writer: must not block)" --ca-file "$T/fifo"
bad "--ca-path a file"                 --ca-path "$T/junk.bin"
bad "--root a file"                    --root "$T/junk.bin"
bad_raw "policy: 10 MB binary"         policy "$T/10mb.bin"
bad_raw "policy: 10 MB JSON"           policy "$T/10mb.json"
bad_raw "policy: empty file"           policy "$T/empty"
bad_raw "policy: non-UTF-8"            policy "$T/nonutf8.json"
bad_raw "policy: /dev/zero"            policy /dev/zero
bad_raw "policy: a FIFO"               policy "$T/fifo"
bad_raw "policy: a directory"          policy "$T"
bad_raw "policy: missing"              policy "$T/nope.json"
bad_raw "regions: junk partition"      regions --partition "$BIN3"
bad_raw "regions: -o junk"             regions -o "$NONUTF8"

# ---- legitimately valid (accepted; the run is the usual probe)
# Repeated value options: the last one wins, as in curl and most tools;
# repeatable options (--endpoint, --resolve, --region) accumulate.
good "-o json -o text (last wins)"             -o json -o text
good "--json then -o text (last wins)"         --json -o text
good "--port twice (last wins)"                --port 1 --port "$CLOSED"
good "--color twice (last wins)"               --color always --color never
good "--timeout twice (last wins)"             --timeout 5 --timeout 1
# On/off pairs: the later flag wins (as --imds/--no-imds are documented).
good "--imds --no-imds"                        --imds --no-imds
good "--host-checks --no-host-checks"          --host-checks --no-host-checks
good "--all-addresses --first-address"         --all-addresses --first-address
# -4 and -6 together: the later wins, as with curl.
good "-4 -6"                                   -4 -6
# Empty --proxy: no proxy, as curl's --proxy "" (turns off an env proxy).
good "--proxy ''"                              --proxy ""
# Empty --noproxy: an empty list (nothing bypasses the proxy).
good "--noproxy ''"                            --noproxy ""
good "--noproxy 128 KiB"                       --noproxy "$BIG"
good "--noproxy junk (entries that match nothing)" --noproxy "$BIN1"
# Fractions and exponents are documented for timeouts.
good "--timeout 0.5"                           --timeout 0.5
good "--timeout 5e-1"                          --timeout 5e-1
# strtol(3) skips leading blanks: ' 443' is 443 (lenient, harmless; '443 '
# with a trailing blank is refused).
good "--port ' <closed port>' (leading blank)"  --port " $CLOSED"
good "--fips --dualstack (both name sets)"     --fips --dualstack
good "-v x8 then -q (quiet wins)"              -v -v -v -v -v -v -v -v -q
good "--resolve for a name not probed"         --resolve "other.example:443:127.0.0.1"
good "--endpoint [::1]:port"                   --endpoint "ssm=https://[::1]:$CLOSED/"

log "$NBAD bad rows, $NGOOD good rows"
finish
