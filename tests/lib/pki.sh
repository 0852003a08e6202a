# tests/lib/pki.sh — a test PKI made at test time with the openssl CLI.
#
#   . tests/lib/pki.sh
#   pki_make            # sets $PKI (a directory) and fills it once per run
#
# Layout of $PKI (all PEM, EC P-256 keys):
#   root.pem              "Amazon Root CA 1 (test)", O=Amazon        (trust this)
#   inter.pem             "Amazon RSA 2048 M01 (test)", O=Amazon, signed by root
#   corp-root.pem         "Corp Inspection CA", O=Corp Inspection
#   both-roots.pem        root.pem + corp-root.pem
#   NAME.crt / NAME.key   leaf for NAME (SAN DNS:NAME) signed by inter;
#   NAME.chain.pem        leaf + inter            (what nginx serves)
#   NAME.full.pem         leaf + inter + root     (server sends its root too)
#   corp-NAME.chain.pem / corp-NAME.key   leaf for NAME signed by the Corp CA
#                         (chain: leaf + corp-root, as an inspecting proxy sends)
#   expired-NAME.chain.pem / .key   leaf for NAME from inter, expired 2021
#   wrong.chain.pem / wrong.key     CN/SAN other.example.com, from inter
#   selfsigned.pem / selfsigned.key a self-signed leaf for ssm.us-east-1...
#   multi.chain.pem / multi.key     one leaf with every NAME in its SAN
# NAMES: the three Session Manager endpoints of us-east-1 plus the names in
# PKI_EXTRA_NAMES (space separated; the cache is keyed by the name list).
#
# The PKI is cached in $TEST_TMP/pki-<hash>/ for the run (all tests of a
# run share it); it is built in a temp dir and renamed atomically.

PKI_NAMES_DEFAULT="ssm.us-east-1.amazonaws.com ssmmessages.us-east-1.amazonaws.com ec2messages.us-east-1.amazonaws.com"

# Certificates are back-dated two days (notBefore) so that a client run
# under faketime a few minutes in the past (clock-skew tests) still sees
# them valid.
_pki_back() { if command -v faketime >/dev/null; then faketime -f -2d "$@"; else "$@"; fi; }

_pki_ossl() {   # quiet openssl; on failure print its output
    local out
    if ! out=$(_pki_back openssl "$@" 2>&1); then
        echo "openssl $* failed: $out" >&2
        return 1
    fi
}

_pki_key() { _pki_ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

# _pki_ca DIR BASENAME SUBJECT [ISSUER_BASENAME]
_pki_ca() {
    local d=$1 b=$2 subj=$3 issuer=${4:-}
    _pki_key "$d/$b.key" || return 1
    cat >"$d/$b.ext" <<EOF
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier=hash
EOF
    if [ -z "$issuer" ]; then
        _pki_ossl req -new -x509 -key "$d/$b.key" -subj "$subj" -days 3650 \
            -sha256 -addext "basicConstraints=critical,CA:TRUE" \
            -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
            -out "$d/$b.pem"
    else
        echo "authorityKeyIdentifier=keyid" >>"$d/$b.ext"
        _pki_ossl req -new -key "$d/$b.key" -subj "$subj" -out "$d/$b.csr" &&
        _pki_ossl x509 -req -in "$d/$b.csr" -CA "$d/$issuer.pem" -CAkey "$d/$issuer.key" \
            -CAcreateserial -days 3650 -sha256 -extfile "$d/$b.ext" -out "$d/$b.pem"
    fi
}

# _pki_leaf DIR OUTBASE CN ISSUER [DAYS [WRAP...]] — leaf with SAN=DNS:CN
# (SAN list from $PKI_SANS when set, e.g. "DNS:a,DNS:b")
_pki_leaf() {
    local d=$1 b=$2 cn=$3 issuer=$4 days=${5:-825}
    shift 4; [ $# -gt 0 ] && shift
    _pki_key "$d/$b.key" || return 1
    cat >"$d/$b.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=${PKI_SANS:-DNS:$cn}
authorityKeyIdentifier=keyid
subjectKeyIdentifier=hash
EOF
    _pki_ossl req -new -key "$d/$b.key" -subj "/CN=$cn" -out "$d/$b.csr" || return 1
    [ $# -gt 0 ] || set -- _pki_back
    "$@" openssl x509 -req -in "$d/$b.csr" -CA "$d/$issuer.pem" -CAkey "$d/$issuer.key" \
        -CAcreateserial -days "$days" -sha256 -extfile "$d/$b.ext" -out "$d/$b.crt" \
        >"$d/$b.err" 2>&1 || { cat "$d/$b.err" >&2; return 1; }
}

_pki_build() {   # DIR NAMES...
    local d=$1 n; shift
    _pki_ca "$d" root "/C=US/O=Amazon/CN=Amazon Root CA 1 (test)" || return 1
    _pki_ca "$d" inter "/C=US/O=Amazon/CN=Amazon RSA 2048 M01 (test)" root || return 1
    _pki_ca "$d" corp-root "/C=US/O=Corp Inspection/CN=Corp Inspection CA" || return 1
    cat "$d/root.pem" "$d/corp-root.pem" >"$d/both-roots.pem"
    for n in "$@"; do
        _pki_leaf "$d" "$n" "$n" inter 825 || return 1
        cat "$d/$n.crt" "$d/inter.pem" >"$d/$n.chain.pem"
        cat "$d/$n.crt" "$d/inter.pem" "$d/root.pem" >"$d/$n.full.pem"
        _pki_leaf "$d" "corp-$n" "$n" corp-root 825 || return 1
        cat "$d/corp-$n.crt" "$d/corp-root.pem" >"$d/corp-$n.chain.pem"
        # Expired: issued "in 2020" for 30 days (faketime shifts only openssl).
        _pki_leaf "$d" "expired-$n" "$n" inter 30 faketime -f '@2020-06-01 00:00:00' || return 1
        cat "$d/expired-$n.crt" "$d/inter.pem" >"$d/expired-$n.chain.pem"
    done
    # One leaf for every name (for fixtures serving all names with one cert)
    local sans=""
    for n in "$@"; do sans+="${sans:+,}DNS:$n"; done
    PKI_SANS=$sans _pki_leaf "$d" multi "$1" inter 825 || return 1
    cat "$d/multi.crt" "$d/inter.pem" >"$d/multi.chain.pem"
    _pki_leaf "$d" wrong other.example.com inter 825 || return 1
    cat "$d/wrong.crt" "$d/inter.pem" >"$d/wrong.chain.pem"
    _pki_key "$d/selfsigned.key" &&
    _pki_ossl req -new -x509 -key "$d/selfsigned.key" -subj "/CN=ssm.us-east-1.amazonaws.com" \
        -addext "subjectAltName=DNS:ssm.us-east-1.amazonaws.com" -days 825 -out "$d/selfsigned.pem" || return 1
    rm -f "$d"/*.csr "$d"/*.ext "$d"/*.err "$d"/*.srl
    chmod 644 "$d"/*
    touch "$d/.complete"
}

# pki_make — build (or reuse) the PKI; sets PKI.
pki_make() {
    local names="$PKI_NAMES_DEFAULT ${PKI_EXTRA_NAMES:-}" key dir tmp
    key=$( { echo "$names"; cat "${BASH_SOURCE[0]}"; } | cksum | cut -d' ' -f1)
    dir=$TEST_TMP/pki-$key
    if [ ! -f "$dir/.complete" ]; then
        tmp=$(mktemp -d "$TEST_TMP/pki-build.XXXXXX") || return 1
        # shellcheck disable=SC2086
        if ! _pki_build "$tmp" $names; then
            rm -rf "$tmp"
            echo "pki_make: building the test PKI failed" >&2
            return 1
        fi
        chmod 755 "$tmp"
        mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"   # another test won the race
    fi
    PKI=$dir
    export PKI
}
