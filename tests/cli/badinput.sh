#!/bin/bash
# Bad flags and values: exit 2, exactly one line on stderr, nothing on
# stdout, and no probing (ends at once).
. "$(dirname "$0")/../lib/common.sh"
need_binary
need_cmd jq

# Never probe anything real if a bad value were accepted: a resolver and
# port where nothing listens, short timeouts.
SAFE=(--no-imds --no-host-checks --dns-server 127.0.0.1:9 --port 9 --timeout 2)

bad() {   # DESC ARGS...
    local desc=$1; shift
    run_probe "$@"
    local lines
    lines=$(grep -c '' "$T/err")
    assert_rc 2 "$PROBE_RC" "$desc: exit status"
    assert_eq 1 "$lines" "$desc: exactly one line on stderr"
    assert_file_empty "$T/out" "$desc: nothing on stdout"
    assert_lt "$PROBE_MS" 1500 "$desc: rejected at once (wall ms)"
}

bad "unknown long option"         --region us-east-1 "${SAFE[@]}" --no-such-option
bad "unknown short option"        --region us-east-1 "${SAFE[@]}" -Z
bad "missing option argument"     "${SAFE[@]}" --region
bad "bad region syntax"           --region 'us_east_1!' "${SAFE[@]}"
bad "bad positional region"       "${SAFE[@]}" 'us_east_1!'
bad "negative timeout"            --region us-east-1 "${SAFE[@]}" --timeout -1
bad "non-numeric timeout"         --region us-east-1 "${SAFE[@]}" --timeout abc
bad "timeout with trailing junk"  --region us-east-1 "${SAFE[@]}" --timeout 5x
bad "negative connect-timeout"    --region us-east-1 "${SAFE[@]}" --connect-timeout -3
bad "non-numeric dns-timeout"     --region us-east-1 "${SAFE[@]}" --dns-timeout soon
bad "garbage --dns-server"        --region us-east-1 --no-imds --no-host-checks --dns-server 'not a server!'
bad "--dns-server port too big"   --region us-east-1 --no-imds --no-host-checks --dns-server 127.0.0.1:99999
bad "--dns-server bad IPv6"       --region us-east-1 --no-imds --no-host-checks --dns-server '[::1:53'
bad "--resolve without fields"    --region us-east-1 "${SAFE[@]}" --resolve bad
bad "--resolve bad port"          --region us-east-1 "${SAFE[@]}" --resolve 'ssm.us-east-1.amazonaws.com:https:127.0.0.1'
bad "--resolve bad address"       --region us-east-1 "${SAFE[@]}" --resolve 'ssm.us-east-1.amazonaws.com:443:not-an-ip'
bad "missing --ca-file"           --region us-east-1 "${SAFE[@]}" --ca-file "$T/does-not-exist.pem"
bad "bad --port"                  --region us-east-1 "${SAFE[@]}" --port 70000
bad "bad -o"                      --region us-east-1 "${SAFE[@]}" -o xml

# The message names the culprit.
run_probe --region us-east-1 "${SAFE[@]}" --no-such-option
assert_match -- '--no-such-option' "$(cat "$T/err")" "message names the unknown option"
run_probe --region 'us_east_1!' "${SAFE[@]}"
assert_match 'us_east_1!' "$(cat "$T/err")" "message names the bad region"
run_probe --region us-east-1 "${SAFE[@]}" --ca-file "$T/does-not-exist.pem"
assert_match 'does-not-exist\.pem' "$(cat "$T/err")" "message names the missing file"
run_probe --region us-east-1 "${SAFE[@]}" --timeout abc
assert_match 'timeout' "$(cat "$T/err")" "message names the option"

# Good values are accepted (no false positive): --help exits 0.
run_probe --help
assert_rc 0 "$PROBE_RC" "--help exits 0"
finish
