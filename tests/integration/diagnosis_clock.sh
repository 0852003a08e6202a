#!/bin/bash
# Issue 3: clock skew from HTTP Date, client under faketime (monotonic clock
# left alone): ±10 min → clock_skew fail, ±90 s → warn.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_ROOT/lib/pki.sh"
. "$TESTS_ROOT/lib/servers.sh"
. "$TESTS_ROOT/lib/world.sh"
need_cmd faketime
world_setup
code_known clock_skew || skip "the binary does not know clock_skew yet"
ROWS_RUN=1
O=$T/out
WRAP0="ip netns exec $W_CLIENT"

skew() {   # OFFSET SEVERITY EXIT ABS_MIN ABS_MAX
    # libfaketime is LD_PRELOADed: an ASan build (make SAN=1) must be told
    # not to insist on being first in the library list.
    PROBE_WRAP="$WRAP0 env FAKETIME_DONT_FAKE_MONOTONIC=1 ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 faketime -f $1"
    run_probe "${BASE[@]}" -4 -o json
    show_out
    assert_rc "$3" "$PROBE_RC" "faketime $1: exit status"
    assert_json_out || return
    assert_jq "$O" "any(.findings[]; .code == \"clock_skew\" and .severity == \"$2\")" "faketime $1: finding clock_skew $2"
    assert_jq "$O" "all(.targets[].connections[]; (.http.clock_skew_s | fabs) >= $4 and (.http.clock_skew_s | fabs) <= $5)" "faketime $1: |clock_skew_s| in [$4, $5]"
}
skew +600 fail 1 540 660
skew -600 fail 1 540 660
skew +90 warn 0 80 100
skew -90 warn 0 80 100
PROBE_WRAP=$WRAP0
finish
