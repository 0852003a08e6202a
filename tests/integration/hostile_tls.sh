#!/bin/bash
# Hostile TLS peers on loopback (tests/lib/hostile.py): a ~100 KB certificate
# chain, a chain of 50 certificates, garbage instead of a ServerHello, a
# handshake dribbled one byte per 100 ms (slowloris) until --timeout, a peer
# that never answers. For each: ssmprobe ends within its bound, exits 0 or 1,
# -o json / ndjson parse, text has no raw control characters.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
need_binary
need_cmd python3 jq openssl
pki_make || setup_fail "test PKI"

. "$TESTS_ROOT/lib/hostile_lib.sh"

NAMES=($PKI_NAMES_DEFAULT)
# args_for PORT [TIMEOUT] — probe the three names, all pinned to 127.0.0.1.
args_for() {
    A=(--region us-east-1 --port "$1" --ca-file "$PKI/root.pem" --no-imds --no-host-checks
       --timeout "${2:-3}" --connect-timeout 2)
    local n
    for n in "${NAMES[@]}"; do A+=(--resolve "$n:$1:127.0.0.1"); done
}

# ---- 1. ~100 KB chain: leaf + intermediate + 25 certificates of ~4 KB each
# (a large nsComment), as a misconfigured server or an inspecting box might
# send. The path leaf → intermediate → root still verifies.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/pad.key" 2>/dev/null
pad=$(head -c 3000 /dev/zero | tr '\0' 'P')
cp "$PKI/multi.chain.pem" "$T/big.pem"
for i in $(seq 1 33); do
    openssl req -new -x509 -key "$T/pad.key" -subj "/O=Padding/CN=pad $i" -days 30 \
        -addext "nsComment=$pad" 2>/dev/null >>"$T/big.pem" || setup_fail "padding cert"
done
size=$(wc -c <"$T/big.pem")
der=$(openssl crl2pkcs7 -nocrl -certfile "$T/big.pem" -outform DER 2>/dev/null | wc -c)
log "big chain: $size bytes PEM, ~$der bytes DER"
hostile_start big tls-ok --cert "$T/big.pem" --key "$PKI/multi.key"
args_for "$HPORT"
probe_all "100 KB chain" 5000 "${A[@]}"
assert_jq "$LAST_JSON" 'all(.targets[]; .status == "ok" or (.failure.phase == "tls"))' \
    "100 KB chain: ok, or a TLS-phase failure (OpenSSL's 100 KB certificate-list limit)"
jq -c '[.targets[] | {host, status, code: .failure.code, msg: .failure.message}]' "$LAST_JSON" | sed 's/^/# /'

# ---- 2. a real chain of 50 certificates: root50 → 48 intermediates → leaf.
c50=$T/c50; mkdir -p "$c50"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$c50/k.key" 2>/dev/null
cat >"$c50/ca.ext" <<'X'
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign,digitalSignature
X
openssl req -new -x509 -key "$c50/k.key" -subj "/O=Deep/CN=Deep Root" -days 30 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$c50/ca0.pem" 2>/dev/null || setup_fail "deep root"
for i in $(seq 1 48); do
    openssl req -new -key "$c50/k.key" -subj "/O=Deep/CN=Deep CA $i" 2>/dev/null |
    openssl x509 -req -CA "$c50/ca$((i - 1)).pem" -CAkey "$c50/k.key" -set_serial "$i" -days 30 \
        -extfile "$c50/ca.ext" -out "$c50/ca$i.pem" 2>/dev/null || setup_fail "deep CA $i"
done
sans=$(printf 'DNS:%s,' "${NAMES[@]}"); sans=${sans%,}
printf 'basicConstraints=CA:FALSE\nsubjectAltName=%s\n' "$sans" >"$c50/leaf.ext"
openssl req -new -key "$c50/k.key" -subj "/CN=${NAMES[0]}" 2>/dev/null |
openssl x509 -req -CA "$c50/ca48.pem" -CAkey "$c50/k.key" -set_serial 99 -days 30 \
    -extfile "$c50/leaf.ext" -out "$c50/leaf.pem" 2>/dev/null || setup_fail "deep leaf"
{ cat "$c50/leaf.pem"; for i in $(seq 48 -1 1); do cat "$c50/ca$i.pem"; done; } >"$c50/chain.pem"
log "chain of $(grep -c 'BEGIN CERT' "$c50/chain.pem") certificates (root not sent)"
hostile_start deep tls-ok --cert "$c50/chain.pem" --key "$c50/k.key"
args_for "$HPORT"
probe_all "50-certificate chain, untrusted root" 5000 "${A[@]}"
assert_jq "$LAST_JSON" 'all(.targets[]; .failure.code == "tls_untrusted")' "50-certificate chain: tls_untrusted"
A=("${A[@]/$PKI\/root.pem/$c50/ca0.pem}")
run_probe "${A[@]}" -o json
check_output "50-certificate chain, trusted root" json 5000
jq -c '[.targets[] | {status, code: .failure.code, msg: .failure.message}]' "$T/out" | sed 's/^/# /'

# ---- 3. garbage instead of a ServerHello: random bytes; a plain-text HTTP
# error; bytes with every control character (must not reach the text).
hostile_start garbage tls-garbage
args_for "$HPORT"
probe_all "random bytes instead of ServerHello" 5000 "${A[@]}"
assert_jq "$LAST_JSON" 'all(.targets[]; .status == "fail" and .failure.phase == "tls")' "garbage: a TLS-phase failure"
jq -c '[.targets[] | .failure.code] | unique' "$LAST_JSON" | sed 's/^/# codes: /'
hostile_start garbage2 tls-garbage --garbage 'HTTP/1.1 400 Bad Request\r\nServer: plain\x1b[31m\x07\r\n\r\n<html>\x00\x01\x02\x7f\xff</html>'
args_for "$HPORT"
probe_all "plain HTTP with control bytes instead of ServerHello" 5000 "${A[@]}"
assert_jq "$LAST_JSON" 'all(.targets[]; .status == "fail" and .failure.phase == "tls")' "plain HTTP: a TLS-phase failure"
jq -c '[.targets[] | .failure | {code, message}] | unique' "$LAST_JSON" | sed 's/^/# /'

# ---- 4. slowloris: the server's handshake flight one byte per 100 ms.
# --timeout 2 must end every target with tls_timeout within ~2.5 s.
hostile_start dribble tls-dribble --cert "$PKI/multi.chain.pem" --key "$PKI/multi.key" --interval 0.1
args_for "$HPORT" 2
run_probe "${A[@]}" -o json
show_out
check_output "dribbled handshake" json 2800
assert_jq "$T/out" 'all(.targets[]; .failure.code == "tls_timeout")' "dribbled handshake: tls_timeout"
run_probe "${A[@]}" --no-large-hello
check_output "dribbled handshake [text]" text 2800

# ---- 5. a peer that accepts and never sends a byte.
hostile_start hang tls-hang
args_for "$HPORT" 1.5
probe_all "silent peer" 2300 "${A[@]}"
assert_jq "$LAST_JSON" 'all(.targets[]; .failure.code == "tls_timeout")' "silent peer: tls_timeout"

finish
