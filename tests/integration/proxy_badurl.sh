#!/bin/bash
# Bad proxy URLs and proxy options (issue 4): exit 2, exactly one line on
# stderr naming the problem, nothing on stdout, no probing (at once), and
# never the password of a URL given with credentials.
. "$(dirname "$0")/../lib/common.sh"
need_binary
need_cmd jq

# Nothing real is probed if a bad value were accepted.
SAFE=(--region us-east-1 --no-imds --no-host-checks --dns-server 127.0.0.1:9 --port 9 --timeout 2)

bad() {   # DESC ERE ARGS...   (PROBE_WRAP may set the environment)
    local desc=$1 re=$2
    shift 2
    run_probe "${SAFE[@]}" "$@"
    assert_rc 2 "$PROBE_RC" "$desc: exit status"
    assert_eq 1 "$(grep -c '' "$T/err")" "$desc: exactly one line on stderr"
    assert_match "$re" "$(cat "$T/err")" "$desc: message matches /$re/"
    assert_file_empty "$T/out" "$desc: nothing on stdout"
    assert_lt "$PROBE_MS" 1500 "$desc: rejected at once (wall ms)"
    assert_no_secret s3cr3tPW "$T/err" "$desc: no password on stderr"
}

bad "--proxy ftp://x"             'ftp'            --proxy ftp://x
bad "--proxy http://[::1"         '\]|IPv6|bracket' --proxy 'http://[::1'
bad "--proxy socks5://"           'SOCKS|socks'       --proxy socks5://127.0.0.1:1080
bad "--proxy bad port"            'port'           --proxy http://127.0.0.1:99999
bad "--proxy port not numeric"    'port'           --proxy http://127.0.0.1:abc
bad "--proxy empty host"          'host|empty'     --proxy http://:3128
bad "--proxy ftp with password"   'ftp'            --proxy ftp://user:s3cr3tPW@proxy.corp:21
bad "--proxy [::1 with password"  '\]|IPv6|bracket' --proxy 'http://user:s3cr3tPW@[::1'
bad "--proxy-source bogus"        'proxy-source'   --proxy-source bogus
PROBE_WRAP="env https_proxy=ftp://user:s3cr3tPW@proxy.corp:21"
bad "https_proxy=ftp://… in env" 'https_proxy'    -o json
PROBE_WRAP=

finish
