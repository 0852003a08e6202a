/* fuzz_policy.c — libFuzzer target: IAM policy input parsing (shapes, URL
 * decoding, validation), evaluation of every need and both renderers.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_DEFAULT_SOURCE \
 *     -Iinclude $(pkg-config --cflags jansson) tests/fuzz/fuzz_policy.c \
 *     src/policy_match.c src/policy_load.c src/policy_needs.c src/policy_eval.c \
 *     src/policy_report.c src/msgs.c $(pkg-config --libs jansson) -o fuzz_policy
 *   ./fuzz_policy -max_total_time=60 tests/fuzz/corpus/policy
 *
 * The first input byte picks the options (--kms with or without a key,
 * --s3-logs, --cw-logs), the rest is the document. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    struct policy_set set;
    struct policy_opts o = {0};
    struct policy_need *needs = NULL;
    struct policy_result *res;
    char err[POLICY_ERRLEN];
    unsigned sel;
    int n;

    if (size < 1)
        return 0;
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    sel = data[0];
    o.kms = sel & 1;
    o.kms_key = (sel & 2) ? "arn:aws:kms:us-east-1:111122223333:key/k1" : NULL;
    o.s3_bucket = (sel & 4) ? ((sel & 8) ? "logs/ses/" : "logs") : NULL;
    o.cw_logs = (sel & 16) != 0;

    policy_set_init(&set);
    if (policy_set_add(&set, "fuzz.json", (const char *)data + 1, size - 1, err, sizeof err) == 0) {
        n = policy_needs_build(&o, &needs);
        res = calloc((size_t)n, sizeof *res);
        if (res) {
            for (int i = 0; i < n; i++)
                policy_evaluate(&set, &needs[i], &res[i]);
            if (devnull) {
                policy_report_text(devnull, &set, res, n, &o);
                policy_report_json(devnull, &set, res, n, &o);
            }
        }
        free(res);
        policy_needs_free(needs, n);
    }
    policy_set_free(&set);
    return 0;
}
