/* test_policy_match.c — IAM wildcard matching: a table of cases, then a
 * comparison with a brute-force reference over many generated inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy.h"

struct glob_case {
    const char *pat;
    const char *subj;
    unsigned flags;
    bool want;
};

static const struct glob_case glob_cases[] = {
    /* exact and case rules */
    {"ssm:UpdateInstanceInformation", "ssm:UpdateInstanceInformation", 0, true},
    {"ssm:updateinstanceinformation", "ssm:UpdateInstanceInformation", PM_NOCASE, true},
    {"SSM:UPDATEINSTANCEINFORMATION", "ssm:UpdateInstanceInformation", PM_NOCASE, true},
    {"ssm:updateinstanceinformation", "ssm:UpdateInstanceInformation", 0, false},
    {"arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x", 0, false},
    {"ssm:UpdateInstanceInformation", "ssm:UpdateInstanceInformationX", PM_NOCASE, false},
    {"ssm:UpdateInstanceInformationX", "ssm:UpdateInstanceInformation", PM_NOCASE, false},
    /* star */
    {"*", "anything:at-all", 0, true},
    {"*", "", 0, true},
    {"", "", 0, true},
    {"", "x", 0, false},
    {"ssmmessages:*", "ssmmessages:OpenDataChannel", PM_NOCASE, true},
    {"ssmmessages:*", "ssm:OpenDataChannel", PM_NOCASE, false},
    {"ssm*:*", "ssmmessages:OpenDataChannel", PM_NOCASE, true},
    {"ssm:*", "ssmmessages:OpenDataChannel", PM_NOCASE, false},
    {"ssmmessages:Open*Channel", "ssmmessages:OpenControlChannel", PM_NOCASE, true},
    {"ssmmessages:Open*Channel", "ssmmessages:CreateControlChannel", PM_NOCASE, false},
    {"ssmmessages:*Channel", "ssmmessages:CreateDataChannel", PM_NOCASE, true},
    {"*:*", "kms:Decrypt", 0, true},
    {"*:*", "kmsDecrypt", 0, false},
    {"a*b*c", "axxbyyc", 0, true},
    {"a*b*c", "axxbyy", 0, false},
    {"a**b", "ab", 0, true},
    {"*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, false},
    /* question mark */
    {"kms:Decryp?", "kms:Decrypt", PM_NOCASE, true},
    {"kms:Decrypt?", "kms:Decrypt", PM_NOCASE, false},
    {"ec2messages:???Messages", "ec2messages:GetMessages", PM_NOCASE, true},
    {"?", "", 0, false},
    /* resources */
    {"arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:us-east-1:111122223333:key/abc", 0, true},
    {"arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:us-east-1:444455556666:key/abc", 0, false},
    /* PM_TAIL_ANY: covers every object under the prefix */
    {"arn:aws:s3:::logs/*", "arn:aws:s3:::logs/", PM_TAIL_ANY, true},
    {"arn:aws:s3:::logs*", "arn:aws:s3:::logs/", PM_TAIL_ANY, true},
    {"*", "arn:aws:s3:::logs/", PM_TAIL_ANY, true},
    {"arn:aws:s3:::logs/", "arn:aws:s3:::logs/", PM_TAIL_ANY, false},
    {"arn:aws:s3:::logs/?", "arn:aws:s3:::logs/", PM_TAIL_ANY, false},
    {"arn:aws:s3:::logs/*.log", "arn:aws:s3:::logs/", PM_TAIL_ANY, false},
    {"arn:aws:s3:::logs/sess/*", "arn:aws:s3:::logs/", PM_TAIL_ANY, false},
    {"arn:aws:s3:::logs/*/*", "arn:aws:s3:::logs/", PM_TAIL_ANY, false},
    {"arn:aws:s3:::other/*", "arn:aws:s3:::logs/", PM_TAIL_ANY, false},
    /* PM_PREFIX: matches some object under the prefix */
    {"arn:aws:s3:::logs/sess/*", "arn:aws:s3:::logs/", PM_PREFIX, true},
    {"arn:aws:s3:::logs/*.log", "arn:aws:s3:::logs/", PM_PREFIX, true},
    {"arn:aws:s3:::lo*", "arn:aws:s3:::logs/", PM_PREFIX, true},
    {"arn:aws:s3:::other/*", "arn:aws:s3:::logs/", PM_PREFIX, false},
    {"arn:aws:s3:::logs", "arn:aws:s3:::logs/", PM_PREFIX, false},
};

static void test_glob_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof glob_cases / sizeof glob_cases[0]; i++) {
        const struct glob_case *c = &glob_cases[i];
        bool got = policy_glob(c->pat, c->subj, c->flags);
        if (got != c->want)
            fail_msg("case %zu: glob(\"%s\", \"%s\", %u) = %d, want %d", i, c->pat, c->subj,
                     c->flags, got, c->want);
    }
}

static void test_glob_all(void **state)
{
    (void)state;
    assert_true(policy_glob_all("*"));
    assert_true(policy_glob_all("***"));
    assert_false(policy_glob_all(""));
    assert_false(policy_glob_all("*?"));
    assert_false(policy_glob_all("arn:*"));
}

/* Reference: plain recursion, exponential but obviously right. */
static bool ref_glob(const char *p, const char *s)
{
    if (*p == '\0')
        return *s == '\0';
    if (*p == '*')
        return ref_glob(p + 1, s) || (*s && ref_glob(p, s + 1));
    return *s && (*p == '?' || *p == *s) && ref_glob(p + 1, s + 1);
}

/* Some string starting with s matches p: try every tail over the alphabet
 * up to the pattern's length (enough for patterns without stars, and a star
 * can absorb any tail). */
static bool ref_prefix(const char *p, const char *s, int depth)
{
    char buf[64];
    size_t n = strlen(s);
    if (ref_glob(p, s))
        return true;
    if (depth == 0 || n + 1 >= sizeof buf)
        return false;
    for (const char *a = "ab"; *a; a++) {
        memcpy(buf, s, n);
        buf[n] = *a;
        buf[n + 1] = '\0';
        if (ref_prefix(p, buf, depth - 1))
            return true;
    }
    return false;
}

/* Every tail: the tails "", "a", "b" and long runs of a char absent from p. */
static bool ref_tail_any(const char *p, const char *s)
{
    static const char *const tails[] = {"", "a", "b", "ab", "ba", "zzzzzzzzzzzz", "azzzzzzzzzzzzb"};
    char buf[64];
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        snprintf(buf, sizeof buf, "%s%s", s, tails[i]);
        if (!ref_glob(p, buf))
            return false;
    }
    return true;
}

static void gen(char *buf, int len, const char *alpha, unsigned *seed)
{
    size_t na = strlen(alpha);
    for (int i = 0; i < len; i++) {
        *seed = *seed * 1103515245u + 12345u;
        buf[i] = alpha[(*seed >> 16) % na];
    }
    buf[len] = '\0';
}

static void test_glob_reference(void **state)
{
    unsigned seed = 12345;
    char p[16], s[16];
    (void)state;
    for (int i = 0; i < 200000; i++) {
        seed = seed * 1103515245u + 12345u;
        gen(p, (int)((seed >> 16) % 7), "ab*?", &seed);
        seed = seed * 1103515245u + 12345u;
        gen(s, (int)((seed >> 16) % 8), "ab", &seed);
        if (policy_glob(p, s, 0) != ref_glob(p, s))
            fail_msg("glob(\"%s\", \"%s\") = %d, reference %d", p, s, policy_glob(p, s, 0),
                     ref_glob(p, s));
        if (i % 8 == 0) {
            if (policy_glob(p, s, PM_PREFIX) != ref_prefix(p, s, 7))
                fail_msg("prefix(\"%s\", \"%s\") = %d, reference %d", p, s,
                         policy_glob(p, s, PM_PREFIX), ref_prefix(p, s, 7));
            if (policy_glob(p, s, PM_TAIL_ANY) != ref_tail_any(p, s))
                fail_msg("tail_any(\"%s\", \"%s\") = %d, reference %d", p, s,
                         policy_glob(p, s, PM_TAIL_ANY), ref_tail_any(p, s));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glob_table),
        cmocka_unit_test(test_glob_all),
        cmocka_unit_test(test_glob_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
