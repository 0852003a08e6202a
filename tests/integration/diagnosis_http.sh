#!/bin/bash
# Issue 3, HTTP phase; one row per code.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/lib/world.sh"
world_setup

mapfile -t P < <(pin "$W_PORTAL")
row portal http http_not_aws 3000 'proxy|portal|not aws|aws' -- "${P[@]}"
if code_known http_not_aws; then
    assert_jq "$T/out" 'all(.targets[].connections[]; .tls.verify == "ok" and .http.status == 200 and .http.aws == false)' "portal: TLS ok, HTTP 200, aws false"
fi

mapfile -t P < <(pin "$W_HTTP_SILENT")
row http_silent http http_timeout 5500 'http|proxy|respon' -- "${P[@]}"

mapfile -t P < <(pin "$W_HTTP_GARBAGE")
row garbage http http_bad_response 3000 'http|proxy|respon' -- "${P[@]}"
diag_finish
