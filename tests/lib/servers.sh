# tests/lib/servers.sh — real servers for integration tests (needs common.sh, pki.sh).
#
# dnsmasq as the resolver:
#   dns_start NAME ADDR PORT [NETNS] -- DNSMASQ_ARGS...
#       starts dnsmasq (foreground, no upstream, no /etc/hosts) answering
#       only what DNSMASQ_ARGS say (e.g. --address=/name/127.0.0.1,
#       --address=/nx.example.test/ for NXDOMAIN); waits for UDP ADDR:PORT.
#   dns_aws_loopback_args ADDRS — --host-record lines for the three us-east-1
#       Session Manager names → ADDRS (comma separated, e.g. 127.0.0.1,::1).
#       Use --host-record (not --address): a name known only with an A
#       record then gets NOERROR/NODATA for AAAA, as from Route 53; with
#       --address and no upstream dnsmasq 2.90 answers AAAA with REFUSED.
#       Pair with --local=/amazonaws.com/ so other names get NXDOMAIN.
#
# nginx answering like AWS:
#   ngx_new NAME                 begin a configuration ($T/nginx-NAME)
#   ngx_site NAME KIND LISTEN [HOSTS...]
#       add server blocks: one per HOST (default: the three endpoints),
#       certificate by KIND:
#         aws      leaf+intermediate from the Amazon (test) PKI, AWS answer
#         full     same, the server also sends the root
#         corp     leaf from "Corp Inspection CA" (TLS inspection), AWS answer
#         expired  expired leaf, AWS answer
#         wrong    CN/SAN other.example.com, AWS answer
#         portal   valid Amazon (test) cert, HTTP 200 text/html login page
#                  without AWS headers (captive portal / proxy page)
#         selfsigned  self-signed leaf
#       LISTEN is one or more nginx listen addresses separated by blanks,
#       e.g. "127.0.0.1:8443" or "10.99.1.10:443 [2001:db8:1::10]:443".
#       The AWS answer: 404, body <UnknownOperationException/>,
#       Content-Type application/x-amz-json-1.1, x-amzn-RequestId.
#   ngx_start NAME [NETNS]       check the config, start nginx (foreground
#                                master, killed by PID), wait for every port
#
# Everything is stopped by PID from common.sh's exit trap.

# ---------------- dnsmasq ----------------

dns_aws_loopback_args() {
    local a=$1 n
    for n in $PKI_NAMES_DEFAULT; do printf -- '--host-record=%s,%s,60\n' "$n" "$a"; done
}

dns_start() {
    local name=$1 addr=$2 port=$3 ns=""
    shift 3
    if [ "${1:-}" != "--" ]; then ns=$1; shift; fi
    [ "${1:-}" = "--" ] && shift
    local pre=()
    [ -n "$ns" ] && pre=(ip netns exec "$ns")
    start_bg "$name" "${pre[@]}" dnsmasq --keep-in-foreground --no-resolv --no-hosts \
        --no-poll --no-negcache --bind-interfaces --listen-address="$addr" --port="$port" \
        --pid-file="$T/$name.pid" --user=root --group=root \
        --log-queries --log-facility=- --conf-file=/dev/null "$@"
    local pid=$BG_PID
    if ! wait_port udp "$port" "$addr" "$ns"; then
        bg_alive "$pid" "$name"
        return 1
    fi
    bg_alive "$pid" "$name" || return 1
}

# ---------------- nginx ----------------

declare -A _NGX_DEFAULT_DONE=()

ngx_new() {
    local name=$1 d=$T/nginx-$1
    mkdir -p "$d/tmp" "$d/logs"
    : >"$d/servers.conf"
    : >"$d/ports"
    _NGX_DEFAULT_DONE=()
}

# _ngx_answer KIND — the location body
_ngx_answer() {
    case $1 in
    portal)
        cat <<'EOF'
        location / {
            default_type text/html;
            return 200 '<html><head><title>Guest Wi-Fi login</title></head><body><form>Accept terms</form></body></html>\n';
        }
EOF
        ;;
    *)
        cat <<'EOF'
        location / {
            default_type application/x-amz-json-1.1;
            add_header x-amzn-RequestId $request_id always;
            return 404 '<UnknownOperationException/>\n';
        }
EOF
        ;;
    esac
}

ngx_site() {
    local name=$1 kind=$2 listens=$3 d=$T/nginx-$1 h l chain key lines
    shift 3
    local hosts=("$@")
    [ ${#hosts[@]} -gt 0 ] || read -r -a hosts <<<"$PKI_NAMES_DEFAULT"
    for h in "${hosts[@]}"; do
        case $kind in
        aws|portal) chain=$PKI/$h.chain.pem key=$PKI/$h.key ;;
        full)       chain=$PKI/$h.full.pem key=$PKI/$h.key ;;
        corp)       chain=$PKI/corp-$h.chain.pem key=$PKI/corp-$h.key ;;
        expired)    chain=$PKI/expired-$h.chain.pem key=$PKI/expired-$h.key ;;
        wrong)      chain=$PKI/wrong.chain.pem key=$PKI/wrong.key ;;
        selfsigned) chain=$PKI/selfsigned.pem key=$PKI/selfsigned.key ;;
        *) echo "ngx_site: unknown kind $kind" >&2; return 1 ;;
        esac
        if [ ! -f "$chain" ]; then echo "ngx_site: no certificate $chain for $h" >&2; return 1; fi
        lines=""
        for l in $listens; do
            if [ -z "${_NGX_DEFAULT_DONE[$l]:-}" ]; then
                lines+="        listen $l ssl default_server;"$'\n'
                _NGX_DEFAULT_DONE[$l]=1
                echo "$l" >>"$d/ports"
            else
                lines+="        listen $l ssl;"$'\n'
            fi
        done
        {
            echo "    server {"
            printf '%s' "$lines"
            echo "        server_name $h;"
            echo "        ssl_certificate $chain;"
            echo "        ssl_certificate_key $key;"
            _ngx_answer "$kind"
            echo "    }"
        } >>"$d/servers.conf"
    done
}

ngx_start() {
    local name=$1 ns=${2:-} d=$T/nginx-$1 l port addr pre=()
    cat >"$d/nginx.conf" <<EOF
worker_processes 1;
pid $d/nginx.pid;
error_log $d/logs/error.log info;
events { worker_connections 512; }
http {
    access_log $d/logs/access.log;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    server_tokens off;
    keepalive_timeout 5;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache off;
$(cat "$d/servers.conf")
}
EOF
    [ -n "$ns" ] && pre=(ip netns exec "$ns")
    if ! "${pre[@]}" nginx -t -q -c "$d/nginx.conf" -p "$d" -g 'daemon off;' >"$d/check.log" 2>&1; then
        echo "nginx config $d/nginx.conf rejected:" >&2
        sed 's/^/    /' "$d/check.log" >&2
        return 1
    fi
    start_bg "nginx-$name" "${pre[@]}" nginx -c "$d/nginx.conf" -p "$d" -g 'daemon off;'
    local pid=$BG_PID
    while read -r l; do
        port=${l##*:}
        addr=${l%:*}; addr=${addr#[}; addr=${addr%]}
        if ! wait_port tcp "$port" "$addr" "$ns"; then
            bg_alive "$pid" "nginx-$name"
            [ -f "$d/logs/error.log" ] && tail -20 "$d/logs/error.log" >&2
            return 1
        fi
    done <"$d/ports"
}

# loopback_world — the common loopback setup of the core tests:
# PKI, dnsmasq on 127.0.0.1:$DNSPORT answering the three names with
# $LOOPBACK_ADDRS (default 127.0.0.1; AAAA → NODATA), NXDOMAIN for every
# other name under amazonaws.com and example.test (e.g. nx.example.test),
# wrong.example.test → 127.0.0.1; nginx with the Amazon (test) chain on
# 127.0.0.1:$TLSPORT (and [::1] when LOOPBACK_ADDRS has ::1).
# Extra dnsmasq args in the array DNS_EXTRA.
loopback_world() {
    pki_make || return 1
    DNSPORT=$(free_port) || return 1
    local args
    local addrs=${LOOPBACK_ADDRS:-127.0.0.1} listen
    mapfile -t args < <(dns_aws_loopback_args "$addrs")
    args+=(--local=/amazonaws.com/ --local=/example.test/ --host-record=wrong.example.test,127.0.0.1,60)
    dns_start dns 127.0.0.1 "$DNSPORT" -- "${args[@]}" ${DNS_EXTRA[@]+"${DNS_EXTRA[@]}"} || return 1
    TLSPORT=$(free_port) || return 1
    listen="127.0.0.1:$TLSPORT"
    case $addrs in *::1*) listen+=" [::1]:$TLSPORT" ;; esac
    ngx_new aws
    ngx_site aws aws "$listen" || return 1
    ngx_start aws || return 1
    export DNSPORT TLSPORT
}

# The usual probe arguments against the loopback world.
probe_args() {
    printf '%s\n' --region us-east-1 --dns-server "127.0.0.1:$DNSPORT" --port "$TLSPORT" \
        --ca-file "$PKI/root.pem" --no-imds --no-host-checks
}

# setup_fail MSG — a set-up step failed: that is a test failure, not a skip.
setup_fail() { echo "FAIL (set-up): $*"; exit 1; }

# setup_core — preconditions + loopback_world + PROBE_ARGS (array).
setup_core() {
    need_binary
    need_cmd dnsmasq nginx jq openssl python3 ss
    loopback_world || setup_fail "could not start dnsmasq/nginx on loopback"
    mapfile -t PROBE_ARGS < <(probe_args)
}
