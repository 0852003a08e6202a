# shellcheck shell=bash disable=SC2034,SC2054
# tests/valgrind/lib.sh — shared by tests/valgrind/run and
# tests/integration/valgrind_smoke.sh (needs tests/lib/common.sh).
#
#   vg_pick_binary   skip (77) without valgrind; refuse an ASan build of
#                    $SSMPROBE (valgrind cannot run it): take build/ssmprobe
#                    when that is a plain build, else skip
#   VG               the valgrind command line (array)
#   vg_parse LOG     sets COMPLETE (1: the log has its ERROR SUMMARY),
#                    E (errors), DL / IL (definitely / indirectly lost
#                    bytes), FDS (descriptors > 2 open at exit that the
#                    process opened itself) and FDL (their lines)

VG=(valgrind --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --track-fds=yes --error-exitcode=9
    --num-callers=30)

vg_is_asan() { nm -D "$1" 2>/dev/null | grep -q '__asan_init' || ldd "$1" 2>/dev/null | grep -q libasan; }

vg_pick_binary() {
    need_cmd valgrind
    if [ ! -x "$SSMPROBE" ]; then echo "FAIL: $SSMPROBE missing (run make)"; exit 1; fi
    if vg_is_asan "$SSMPROBE"; then
        if [ -x "$REPO_ROOT/build/ssmprobe" ] && ! vg_is_asan "$REPO_ROOT/build/ssmprobe"; then
            log "$SSMPROBE is an ASan build; using $REPO_ROOT/build/ssmprobe"
            SSMPROBE=$REPO_ROOT/build/ssmprobe
        else
            skip "$SSMPROBE is an ASan build (valgrind cannot run it): build without SAN=1"
        fi
    fi
}

vg_parse() {
    local f=$1
    COMPLETE=0 E=- DL=0 IL=0 FDS=0 FDL=""
    grep -q 'ERROR SUMMARY:' "$f" 2>/dev/null && COMPLETE=1
    E=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$f" 2>/dev/null | tail -1 | tr -d ,)
    [ -n "$E" ] || E=-
    DL=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$f" 2>/dev/null | tail -1 | tr -d ,)
    IL=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$f" 2>/dev/null | tail -1 | tr -d ,)
    DL=${DL:-0} IL=${IL:-0}
    # "Open file descriptor N: what" / "Open AF_INET socket N: a <-> b",
    # then either "<inherited from parent>" or the stack that opened it.
    FDL=$(awk '
        /== Open (file descriptor|AF_[A-Z0-9]+ socket) [0-9]+/ {
            if (pend != "") print pend
            s = $0; sub(/^==[0-9]+== +/, "", s)
            n = s; sub(/^Open (file descriptor|AF_[A-Z0-9]+ socket) /, "", n); sub(/[^0-9].*/, "", n)
            pend = (n + 0 > 2) ? s : ""
            next
        }
        pend != "" && /inherited from parent/ { pend = ""; next }
        pend != "" && /==[0-9]+== *$/ { print pend; pend = ""; next }
        END { if (pend != "") print pend }' "$f" 2>/dev/null)
    FDS=$(printf '%s' "$FDL" | grep -c . || true)
}
