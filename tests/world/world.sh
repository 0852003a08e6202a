#!/bin/bash
# tests/world/world.sh up|down|status — a simulated AWS region in network
# namespaces, for the diagnosis tests (and benchmarks).
#
#   WORLD=ssmw tests/world/world.sh up      build it (needs root)
#   WORLD=ssmw tests/world/world.sh down    stop every process by PID, delete
#                                           the namespaces and /etc/netns/…
#   . "$WORLD_DIR/env"                      addresses, names, PKI (after up)
#   ip netns exec "$W_CLIENT" ssmprobe …    run the probe as a client
#
# Layout (all addresses exist only inside these namespaces):
#
#   $WORLD-client  c0 10.99.0.2/24, 2001:db8:99::2/64
#        routes: 10.99.0.0/16, 198.51.100.0/24, 203.0.113.0/25, 2001:db8::/32
#                via the aws side; NO route to 203.0.113.128/25 (missing route)
#        /etc/resolv.conf (ip netns exec bind-mount): nameserver 10.99.255.2
#        iptables OUTPUT plays security groups / NACLs / firewalls:
#          198.51.100.40  DROP                                   → tcp_timeout
#          198.51.100.41  REJECT --reject-with tcp-reset         → tcp_refused
#          198.51.100.42  REJECT --reject-with icmp-admin-prohibited → admin_prohibited
#          198.51.100.43  REJECT --reject-with icmp-host-unreachable → host_unreachable
#          198.51.100.44  REJECT --reject-with icmp-net-unreachable  → net_unreachable
#          203.0.113.200  (no route)                             → net_unreachable
#          198.51.100.30  DROP packets >= 1000 bytes (large ClientHello)
#          2001:db8:1::66 ip6tables DROP                          (ipv6_broken)
#          2001:db8:1::42 ip6tables REJECT icmp6-adm-prohibited
#   $WORLD-aws     a0 10.99.0.1/24, 2001:db8:99::1/64; service addresses on lo
#     resolvers (port 53):
#       10.99.255.2  dnsmasq "VPC resolver": the 3 names → 198.51.100.20 +
#                    2001:db8:1::20; other *.amazonaws.com and *.world.test
#                    NXDOMAIN; nodata.world.test NODATA
#       10.99.255.7  dnsmasq: → 198.51.100.20 + 2001:db8:1::66 (IPv6 broken)
#       10.99.255.8  dnsmasq: → 10.99.1.10 (interface VPC endpoints)
#       10.99.255.9  dnsmasq: ssm → 10.99.1.10, the others public (vpce_partial)
#       10.99.255.10 dnsmasq: every name NXDOMAIN
#       10.99.255.11 dnsmasq: the 3 names exist (TXT) but no A/AAAA (NODATA)
#       10.99.255.3  dns_fault.py SERVFAIL
#       10.99.255.4  dns_fault.py REFUSED
#       10.99.255.5  dns_fault.py never answers
#       10.99.255.6  dns_fault.py answers after 1500 ms (→ 198.51.100.20)
#     endpoints (port 443):
#       198.51.100.20, 203.0.113.10, 10.99.1.10, 198.51.100.30,
#       [2001:db8:1::20]  nginx, Amazon (test) chain, answers like AWS
#       198.51.100.21  nginx, Corp Inspection CA chain (TLS inspection)
#       198.51.100.22  nginx, expired leaf
#       198.51.100.23  nginx, leaf for other.example.com
#       198.51.100.24  tls_fault.py portal (HTTP 200 text/html, no AWS headers)
#       198.51.100.25  tls_fault.py reset_on_hello
#       198.51.100.26  tls_fault.py silent (accepts, never answers)
#       198.51.100.27  tls_fault.py http_silent (TLS ok, HTTP never answered)
#       198.51.100.28  tls_fault.py http_garbage
#       198.51.100.29  tls_fault.py not_tls (plain HTTP 400 on 443)
#
# State (logs, PIDs, nginx conf, env) in $WORLD_DIR (default
# tests/tmp/world-$WORLD). Every process is recorded in $WORLD_DIR/pids and
# stopped by PID on down; up runs down first when a stale world exists.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TESTS_ROOT=${TESTS_ROOT:-$(cd "$HERE/.." && pwd)}
WORLD=${WORLD:-ssmw}
TEST_TMP=${TEST_TMP:-$TESTS_ROOT/tmp}
WORLD_DIR=${WORLD_DIR:-$TEST_TMP/world-$WORLD}
CNS=$WORLD-client
ANS=$WORLD-aws
export TESTS_ROOT TEST_TMP

COMMON_LIB_ONLY=1 . "$TESTS_ROOT/lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"

die() { echo "world: $*" >&2; exit 1; }
say() { echo "world: $*"; }

RESOLVER=10.99.255.2
NAMES="ssm.us-east-1.amazonaws.com ssmmessages.us-east-1.amazonaws.com ec2messages.us-east-1.amazonaws.com"

# Every link address and route; a failure stops the build (checked by caller).
net_up() {
    ip netns add "$CNS" || return 1
    ip netns add "$ANS" || return 1
    local ns
    # No duplicate address detection: addresses usable at once (set before
    # the veth exists so its link-local address is not tentative either).
    for ns in "$CNS" "$ANS"; do
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 2>/dev/null
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 2>/dev/null
        ip -n "$ns" link set lo up || return 1
    done
    ip link add c0 netns "$CNS" type veth peer name a0 netns "$ANS" || return 1
    ip -n "$CNS" addr add 10.99.0.2/24 dev c0 &&
    ip -n "$CNS" addr add 2001:db8:99::2/64 dev c0 nodad &&
    ip -n "$CNS" link set c0 up &&
    ip -n "$ANS" addr add 10.99.0.1/24 dev a0 &&
    ip -n "$ANS" addr add 2001:db8:99::1/64 dev a0 nodad &&
    ip -n "$ANS" link set a0 up || return 1
    local a
    for a in 10.99.255.2 10.99.255.3 10.99.255.4 10.99.255.5 10.99.255.6 10.99.255.7 \
             10.99.255.8 10.99.255.9 10.99.255.10 10.99.255.11 10.99.1.10 \
             198.51.100.20 198.51.100.21 198.51.100.22 198.51.100.23 198.51.100.24 \
             198.51.100.25 198.51.100.26 198.51.100.27 198.51.100.28 198.51.100.29 \
             198.51.100.30 203.0.113.10; do
        ip -n "$ANS" addr add "$a/32" dev lo || return 1
    done
    ip -n "$ANS" addr add 2001:db8:1::20/128 dev lo nodad || return 1
    ip -n "$CNS" route add 10.99.0.0/16 via 10.99.0.1 &&
    ip -n "$CNS" route add 198.51.100.0/24 via 10.99.0.1 &&
    ip -n "$CNS" route add 203.0.113.0/25 via 10.99.0.1 &&
    ip -n "$CNS" -6 route add 2001:db8::/32 via 2001:db8:99::1 || return 1
    # ip netns exec bind-mounts /etc/netns/NS/* over /etc/*.
    mkdir -p "/etc/netns/$CNS" || return 1
    printf 'nameserver %s\n' "$RESOLVER" >"/etc/netns/$CNS/resolv.conf"
    printf '127.0.0.1 localhost\n::1 localhost\n' >"/etc/netns/$CNS/hosts"
}

firewall_up() {
    local ipt="ip netns exec $CNS iptables -w" ip6t="ip netns exec $CNS ip6tables -w"
    $ipt -A OUTPUT -d 198.51.100.40 -p tcp -j DROP || return 1
    $ipt -A OUTPUT -d 198.51.100.41 -p tcp -j REJECT --reject-with tcp-reset || return 1
    $ipt -A OUTPUT -d 198.51.100.42 -p tcp -j REJECT --reject-with icmp-admin-prohibited || return 1
    $ipt -A OUTPUT -d 198.51.100.43 -p tcp -j REJECT --reject-with icmp-host-unreachable || return 1
    $ipt -A OUTPUT -d 198.51.100.44 -p tcp -j REJECT --reject-with icmp-net-unreachable || return 1
    $ipt -A OUTPUT -d 198.51.100.30 -p tcp --dport 443 -m length --length 1000:65535 -j DROP || return 1
    $ip6t -A OUTPUT -d 2001:db8:1::66 -p tcp -j DROP || return 1
    $ip6t -A OUTPUT -d 2001:db8:1::42 -p tcp -j REJECT --reject-with icmp6-adm-prohibited || return 1
}

hosts_args() {   # ADDRS → --host-record for the three names
    local n
    for n in $NAMES; do printf -- '--host-record=%s,%s,60\n' "$n" "$1"; done
}

dns_up() {
    local a
    mapfile -t a < <(hosts_args 198.51.100.20,2001:db8:1::20)
    dns_start dns-vpc 10.99.255.2 53 "$ANS" -- --local=/amazonaws.com/ --local=/world.test/ \
        --txt-record=nodata.world.test,none --host-record=wrong.world.test,198.51.100.23,60 "${a[@]}" || return 1
    mapfile -t a < <(hosts_args 198.51.100.20,2001:db8:1::66)
    dns_start dns-v6broken 10.99.255.7 53 "$ANS" -- --local=/amazonaws.com/ "${a[@]}" || return 1
    mapfile -t a < <(hosts_args 10.99.1.10)
    dns_start dns-private 10.99.255.8 53 "$ANS" -- --local=/amazonaws.com/ "${a[@]}" || return 1
    dns_start dns-partial 10.99.255.9 53 "$ANS" -- --local=/amazonaws.com/ \
        --host-record=ssm.us-east-1.amazonaws.com,10.99.1.10,60 \
        --host-record=ssmmessages.us-east-1.amazonaws.com,198.51.100.20,60 \
        --host-record=ec2messages.us-east-1.amazonaws.com,198.51.100.20,60 || return 1
    dns_start dns-nx 10.99.255.10 53 "$ANS" -- --local=/amazonaws.com/ || return 1
    local n t=()
    for n in $NAMES; do t+=("--txt-record=$n,none"); done
    dns_start dns-nodata 10.99.255.11 53 "$ANS" -- --local=/amazonaws.com/ "${t[@]}" || return 1
    start_bg dns-fault ip netns exec "$ANS" python3 "$HERE/fixtures/dns_fault.py" \
        10.99.255.3:53=servfail 10.99.255.4:53=refused 10.99.255.5:53=never \
        10.99.255.6:53=slow:1500:198.51.100.20
    local pid=$BG_PID
    for a in 10.99.255.3 10.99.255.4 10.99.255.5 10.99.255.6; do
        wait_port udp 53 "$a" "$ANS" || { bg_alive "$pid" dns-fault; return 1; }
    done
}

web_up() {
    ngx_new world
    ngx_site world aws "198.51.100.20:443 203.0.113.10:443 10.99.1.10:443 198.51.100.30:443 [2001:db8:1::20]:443" || return 1
    ngx_site world corp "198.51.100.21:443" || return 1
    ngx_site world expired "198.51.100.22:443" || return 1
    ngx_site world wrong "198.51.100.23:443" || return 1
    ngx_start world "$ANS" || return 1
    start_bg tls-fault ip netns exec "$ANS" python3 "$HERE/fixtures/tls_fault.py" \
        --cert "$PKI/multi.chain.pem" --key "$PKI/multi.key" \
        198.51.100.24:443=portal 198.51.100.25:443=reset_on_hello 198.51.100.26:443=silent \
        198.51.100.27:443=http_silent 198.51.100.28:443=http_garbage 198.51.100.29:443=not_tls
    local pid=$BG_PID a
    for a in 24 25 26 27 28 29; do
        wait_port tcp 443 "198.51.100.$a" "$ANS" || { bg_alive "$pid" tls-fault; return 1; }
    done
}

# _tcp_ok NS ADDR PORT — one TCP connect from NS succeeds within 0.5 s.
_tcp_ok() {
    ip netns exec "$1" python3 -c 'import socket,sys
a=sys.argv[1]; f=socket.AF_INET6 if ":" in a else socket.AF_INET
s=socket.socket(f); s.settimeout(0.5); s.connect((a,int(sys.argv[2])))' "$2" "$3"
}

# The client reaches the endpoints over IPv4 and IPv6 (no tentative
# addresses left, neighbours resolved) before any test runs.
paths_ready() {
    wait_for "no tentative IPv6 address" bash -c "! ip -n $CNS -6 addr | grep -q tentative && ! ip -n $ANS -6 addr | grep -q tentative" &&
    wait_for "client → 198.51.100.20:443" _tcp_ok "$CNS" 198.51.100.20 443 &&
    wait_for "client → [2001:db8:1::20]:443" _tcp_ok "$CNS" 2001:db8:1::20 443 &&
    wait_for "client → 10.99.1.10:443" _tcp_ok "$CNS" 10.99.1.10 443
}

write_env() {
    cat >"$WORLD_DIR/env" <<EOF
# written by tests/world/world.sh up
W_CLIENT=$CNS
W_AWS=$ANS
W_DIR=$WORLD_DIR
PKI=$PKI
W_RESOLVER=10.99.255.2
W_RES_V6BROKEN=10.99.255.7
W_RES_PRIVATE=10.99.255.8
W_RES_PARTIAL=10.99.255.9
W_RES_NX=10.99.255.10
W_RES_NODATA=10.99.255.11
W_RES_SERVFAIL=10.99.255.3
W_RES_REFUSED=10.99.255.4
W_RES_SILENT=10.99.255.5
W_RES_SLOW=10.99.255.6
W_OK=198.51.100.20
W_OK6=2001:db8:1::20
W_OK_203=203.0.113.10
W_OK_PRIVATE=10.99.1.10
W_CORP=198.51.100.21
W_EXPIRED=198.51.100.22
W_WRONG=198.51.100.23
W_PORTAL=198.51.100.24
W_TLS_RESET=198.51.100.25
W_TLS_SILENT=198.51.100.26
W_HTTP_SILENT=198.51.100.27
W_HTTP_GARBAGE=198.51.100.28
W_NOT_TLS=198.51.100.29
W_LARGE_HELLO_DROP=198.51.100.30
W_FW_DROP=198.51.100.40
W_FW_RESET=198.51.100.41
W_FW_ADMIN=198.51.100.42
W_FW_HOST=198.51.100.43
W_FW_NET=198.51.100.44
W_NOROUTE=203.0.113.200
W_V6_DROP=2001:db8:1::66
W_V6_ADMIN=2001:db8:1::42
W_NAMES="$NAMES"
EOF
}

world_down() {
    local pid name i
    if [ -f "$WORLD_DIR/pids" ]; then
        # newest first
        tac "$WORLD_DIR/pids" | while read -r pid name; do
            [ -n "$pid" ] && _kill_pid "$pid"
        done
        rm -f "$WORLD_DIR/pids"
    fi
    for ns in "$CNS" "$ANS"; do
        if ip netns list 2>/dev/null | grep -qw "^$ns"; then
            # anything still running inside (e.g. a probe left over)
            for pid in $(ip netns pids "$ns" 2>/dev/null); do _kill_pid "$pid"; done
            for ((i = 0; i < 20; i++)); do
                ip netns del "$ns" 2>/dev/null && break
                sleep 0.1
            done
        fi
    done
    rm -rf "/etc/netns/$CNS"
    for ns in "$CNS" "$ANS"; do
        if ip netns list 2>/dev/null | grep -qw "^$ns"; then
            echo "world: could not delete namespace $ns" >&2
            return 1
        fi
    done
    return 0
}

world_up() {
    [ "$(id -u)" = 0 ] || die "needs root"
    world_down >/dev/null 2>&1
    rm -rf "$WORLD_DIR"
    mkdir -p "$WORLD_DIR" || die "cannot create $WORLD_DIR"
    T=$WORLD_DIR
    BG_PID_FILE=$WORLD_DIR/pids
    : >"$BG_PID_FILE"
    pki_make || { world_down; die "test PKI"; }
    net_up >"$WORLD_DIR/net.log" 2>&1 || { cat "$WORLD_DIR/net.log" >&2; world_down; die "network set-up failed"; }
    firewall_up >"$WORLD_DIR/fw.log" 2>&1 || { cat "$WORLD_DIR/fw.log" >&2; world_down; die "iptables set-up failed"; }
    dns_up || { world_down; die "resolvers failed"; }
    web_up || { world_down; die "endpoints failed"; }
    paths_ready || { world_down; die "client cannot reach the endpoints"; }
    write_env
    say "up: client netns $CNS, aws netns $ANS, state $WORLD_DIR"
}

case ${1:-} in
up) world_up ;;
down) world_down && say "down: $WORLD" ;;
status)
    ip netns list | grep -E "^($CNS|$ANS)( |\$)" || echo "no namespaces of world $WORLD"
    [ -f "$WORLD_DIR/pids" ] && while read -r pid name; do
        if kill -0 "$pid" 2>/dev/null; then echo "$name $pid running"; else echo "$name $pid dead"; fi
    done <"$WORLD_DIR/pids"
    ;;
*) echo "usage: WORLD=name $0 up|down|status" >&2; exit 2 ;;
esac
