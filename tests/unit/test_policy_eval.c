/* test_policy_eval.c — the evaluator and the loader, table-driven:
 * NotAction, Deny precedence, Resource/NotResource against each resource
 * mode, conditions, case rules; and the input shapes and their errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy.h"


#define KEY "arn:aws:kms:us-east-1:111122223333:key/k1"
#define A(x) "{\"Version\":\"2012-10-17\",\"Statement\":[" x "]}"

struct eval_case {
    const char *name;
    const char *doc;
    const char *action;
    enum policy_resmode mode;
    const char *resource;
    enum policy_decision want;
    int want_stmt;               /* 1-based index of the deciding statement, 0 = none */
};

static const struct eval_case eval_cases[] = {
    {"exact allow", A("{\"Effect\":\"Allow\",\"Action\":\"ssm:UpdateInstanceInformation\",\"Resource\":\"*\"}"),
     "ssm:UpdateInstanceInformation", RES_ANY, "*", DEC_ALLOWED, 1},
    {"action case-insensitive", A("{\"Effect\":\"Allow\",\"Action\":\"SSMMESSAGES:opendatachannel\",\"Resource\":\"*\"}"),
     "ssmmessages:OpenDataChannel", RES_ANY, "*", DEC_ALLOWED, 1},
    {"other action", A("{\"Effect\":\"Allow\",\"Action\":\"ssm:GetParameter\",\"Resource\":\"*\"}"),
     "ssm:GetParameters", RES_ANY, "*", DEC_MISSING, 0},
    {"service wildcard", A("{\"Effect\":\"Allow\",\"Action\":[\"ec2:*\",\"ssmmessages:*\"],\"Resource\":[\"*\"]}"),
     "ssmmessages:CreateControlChannel", RES_ANY, "*", DEC_ALLOWED, 1},
    {"wildcard is not a prefix match", A("{\"Effect\":\"Allow\",\"Action\":\"ssm:*\",\"Resource\":\"*\"}"),
     "ssmmessages:CreateControlChannel", RES_ANY, "*", DEC_MISSING, 0},
    {"question mark", A("{\"Effect\":\"Allow\",\"Action\":\"kms:Decryp?\",\"Resource\":\"*\"}"),
     "kms:Decrypt", RES_EXACT, KEY, DEC_ALLOWED, 1},
    {"star action", A("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"),
     "logs:PutLogEvents", RES_ANY, "*", DEC_ALLOWED, 1},
    {"deny beats allow", A("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                            "{\"Effect\":\"Deny\",\"Action\":\"ssmmessages:*\",\"Resource\":\"*\"}"),
     "ssmmessages:OpenControlChannel", RES_ANY, "*", DEC_DENIED, 2},
    {"deny before allow", A("{\"Effect\":\"Deny\",\"Action\":\"ssm:Update*\",\"Resource\":\"*\"},"
                             "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"),
     "ssm:UpdateInstanceInformation", RES_ANY, "*", DEC_DENIED, 1},
    {"deny of other action", A("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                                "{\"Effect\":\"Deny\",\"Action\":\"ssmmessages:*\",\"Resource\":\"*\"}"),
     "ssm:UpdateInstanceInformation", RES_ANY, "*", DEC_ALLOWED, 1},
    {"NotAction allow", A("{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\"],\"Resource\":\"*\"}"),
     "ssmmessages:OpenDataChannel", RES_ANY, "*", DEC_ALLOWED, 1},
    {"NotAction excludes", A("{\"Effect\":\"Allow\",\"NotAction\":\"ssmmessages:Open*\",\"Resource\":\"*\"}"),
     "ssmmessages:OpenDataChannel", RES_ANY, "*", DEC_MISSING, 0},
    {"NotAction case-insensitive", A("{\"Effect\":\"Allow\",\"NotAction\":\"SSMMESSAGES:OPEN*\",\"Resource\":\"*\"}"),
     "ssmmessages:OpenDataChannel", RES_ANY, "*", DEC_MISSING, 0},
    {"NotAction deny", A("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                          "{\"Effect\":\"Deny\",\"NotAction\":\"s3:*\",\"Resource\":\"*\"}"),
     "ssm:UpdateInstanceInformation", RES_ANY, "*", DEC_DENIED, 2},
    {"NotAction deny spares", A("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                                 "{\"Effect\":\"Deny\",\"NotAction\":\"ssm*:*\",\"Resource\":\"*\"}"),
     "ssm:UpdateInstanceInformation", RES_ANY, "*", DEC_ALLOWED, 1},
    {"kms right key", A("{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"" KEY "\"}"),
     "kms:Decrypt", RES_EXACT, KEY, DEC_ALLOWED, 1},
    {"kms wrong key", A("{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"arn:aws:kms:us-east-1:111122223333:key/k2\"}"),
     "kms:Decrypt", RES_EXACT, KEY, DEC_MISSING, 0},
    {"kms key wildcard", A("{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"arn:aws:kms:*:111122223333:key/*\"}"),
     "kms:Decrypt", RES_EXACT, KEY, DEC_ALLOWED, 1},
    {"resource case-sensitive", A("{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"ARN:AWS:KMS:us-east-1:111122223333:key/k1\"}"),
     "kms:Decrypt", RES_EXACT, KEY, DEC_MISSING, 0},
    {"kms unknown key, one key", A("{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"" KEY "\"}"),
     "kms:Decrypt", RES_ANY, "*", DEC_CONDITIONAL, 1},
    {"NotResource exact excluded", A("{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"NotResource\":\"" KEY "\"}"),
     "kms:Decrypt", RES_EXACT, KEY, DEC_MISSING, 0},
    {"NotResource exact other", A("{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"NotResource\":\"arn:aws:kms:*:*:key/other\"}"),
     "kms:Decrypt", RES_EXACT, KEY, DEC_ALLOWED, 1},
    {"NotResource any is partial", A("{\"Effect\":\"Allow\",\"Action\":\"ssm:*\",\"NotResource\":\"arn:aws:ssm:*:*:document/x\"}"),
     "ssm:UpdateInstanceInformation", RES_ANY, "*", DEC_CONDITIONAL, 1},
    {"NotResource star never applies", A("{\"Effect\":\"Allow\",\"Action\":\"ssm:*\",\"NotResource\":\"*\"}"),
     "ssm:UpdateInstanceInformation", RES_ANY, "*", DEC_MISSING, 0},
    {"instance ARN only is partial", A("{\"Effect\":\"Allow\",\"Action\":\"ssm:UpdateInstanceInformation\",\"Resource\":\"arn:aws:ec2:*:*:instance/*\"}"),
     "ssm:UpdateInstanceInformation", RES_ANY, "*", DEC_CONDITIONAL, 1},
    {"s3 objects covered", A("{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::logs/*\"}"),
     "s3:PutObject", RES_PREFIX, "arn:aws:s3:::logs/", DEC_ALLOWED, 1},
    {"s3 bucket ARN is not objects", A("{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::logs\"}"),
     "s3:PutObject", RES_PREFIX, "arn:aws:s3:::logs/", DEC_MISSING, 0},
    {"s3 sub-prefix is partial", A("{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::logs/ses/*\"}"),
     "s3:PutObject", RES_PREFIX, "arn:aws:s3:::logs/", DEC_CONDITIONAL, 1},
    {"s3 deny one prefix", A("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},"
                              "{\"Effect\":\"Deny\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::logs/secret/*\"}"),
     "s3:PutObject", RES_PREFIX, "arn:aws:s3:::logs/", DEC_CONDITIONAL, 1},
    {"s3 deny whole bucket", A("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},"
                                "{\"Effect\":\"Deny\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::log*\"}"),
     "s3:PutObject", RES_PREFIX, "arn:aws:s3:::logs/", DEC_DENIED, 2},
    {"bucket encryption", A("{\"Effect\":\"Allow\",\"Action\":\"s3:GetEncryptionConfiguration\",\"Resource\":\"arn:aws:s3:::logs\"}"),
     "s3:GetEncryptionConfiguration", RES_EXACT, "arn:aws:s3:::logs", DEC_ALLOWED, 1},
    {"conditional allow", A("{\"Effect\":\"Allow\",\"Action\":\"ssmmessages:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:SourceVpc\":\"vpc-1\"}}}"),
     "ssmmessages:OpenDataChannel", RES_ANY, "*", DEC_CONDITIONAL, 1},
    {"unconditional beats conditional allow", A("{\"Effect\":\"Allow\",\"Action\":\"ssmmessages:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}},"
                                                 "{\"Effect\":\"Allow\",\"Action\":\"ssmmessages:*\",\"Resource\":\"*\"}"),
     "ssmmessages:OpenDataChannel", RES_ANY, "*", DEC_ALLOWED, 2},
    {"conditional deny", A("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                            "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{\"aws:SourceVpce\":\"vpce-1\"}}}"),
     "ssm:UpdateInstanceInformation", RES_ANY, "*", DEC_CONDITIONAL, 1},
    {"conditional deny without allow", A("{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:ViaAWSService\":\"false\"}}}"),
     "ssm:UpdateInstanceInformation", RES_ANY, "*", DEC_MISSING, 0},
    {"empty condition is none", A("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{}}"),
     "ssm:UpdateInstanceInformation", RES_ANY, "*", DEC_ALLOWED, 1},
    {"single statement object", "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}",
     "ssm:UpdateInstanceInformation", RES_ANY, "*", DEC_ALLOWED, 1},
};

static void test_eval_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof eval_cases / sizeof eval_cases[0]; i++) {
        const struct eval_case *c = &eval_cases[i];
        struct policy_set set;
        struct policy_need need = {c->action, "session", true, c->mode, (char *)c->resource,
                                   (char *)c->resource};
        struct policy_result r;
        char err[POLICY_ERRLEN];
        int got_stmt;

        policy_set_init(&set);
        if (policy_set_add(&set, "t.json", c->doc, strlen(c->doc), err, sizeof err) < 0)
            fail_msg("%s: load failed: %s", c->name, err);
        policy_evaluate(&set, &need, &r);
        got_stmt = r.stmt >= 0 ? set.stmts[r.stmt].index : 0;
        if (r.decision != c->want || got_stmt != c->want_stmt)
            fail_msg("%s: got %s by statement %d, want %s by statement %d", c->name,
                     policy_decision_name(r.decision), got_stmt, policy_decision_name(c->want),
                     c->want_stmt);
        policy_set_free(&set);
    }
}

/* Statements from several files: Deny in the second file beats Allow in the first. */
static void test_eval_across_files(void **state)
{
    const char *a = A("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}");
    const char *b = A("{\"Sid\":\"NoKms\",\"Effect\":\"Deny\",\"Action\":\"kms:*\",\"Resource\":\"*\"}");
    struct policy_set set;
    struct policy_need need = {"kms:Decrypt", "kms", true, RES_EXACT, KEY, KEY};
    struct policy_result r;
    char err[POLICY_ERRLEN], label[POLICY_ERRLEN];
    (void)state;

    policy_set_init(&set);
    assert_int_equal(policy_set_add(&set, "a.json", a, strlen(a), err, sizeof err), 0);
    assert_int_equal(policy_set_add(&set, "b.json", b, strlen(b), err, sizeof err), 0);
    policy_evaluate(&set, &need, &r);
    assert_int_equal(r.decision, DEC_DENIED);
    policy_stmt_label(&set, r.stmt, label, sizeof label);
    assert_string_equal(label, "b.json: Sid \"NoKms\"");
    policy_set_free(&set);
}

static void test_needs(void **state)
{
    struct policy_opts o = {.kms = true, .kms_key = KEY, .s3_bucket = "logs/ses/", .cw_logs = true};
    struct policy_need *v;
    int n, req = 0;
    bool put = false;
    (void)state;

    n = policy_needs_build(&o, &v);
    for (int i = 0; i < n; i++) {
        req += v[i].required;
        if (strcmp(v[i].action, "s3:PutObject") == 0) {
            assert_int_equal(v[i].mode, RES_PREFIX);
            assert_string_equal(v[i].resource, "arn:aws:s3:::logs/ses/");
            assert_string_equal(v[i].display, "arn:aws:s3:::logs/ses/*");
            put = true;
        }
        if (strcmp(v[i].action, "s3:GetEncryptionConfiguration") == 0)
            assert_string_equal(v[i].resource, "arn:aws:s3:::logs");
        if (strcmp(v[i].action, "kms:Decrypt") == 0)
            assert_int_equal(v[i].mode, RES_EXACT);
    }
    assert_true(put);
    assert_int_equal(req, 6 + 1 + 1 + 4);
    assert_int_equal(n - req, 20);
    policy_needs_free(v, n);

    o = (struct policy_opts){.kms = true, .kms_key = "arn:aws-cn:kms:cn-north-1:1:key/x",
                             .s3_bucket = "b"};
    n = policy_needs_build(&o, &v);
    for (int i = 0; i < n; i++)
        if (strcmp(v[i].action, "s3:PutObject") == 0)
            assert_string_equal(v[i].display, "arn:aws-cn:s3:::b/*");
    policy_needs_free(v, n);
}

struct opt_case {
    const char *kms_key, *bucket;
    bool ok;
};

static void test_opts_check(void **state)
{
    static const struct opt_case cases[] = {
        {KEY, NULL, true},
        {"arn:aws:kms:us-east-1:111122223333:alias/x", NULL, false},
        {"arn:aws:s3:::bucket", NULL, false},
        {"key/abc", NULL, false},
        {"arn:aws:kms:us-east-1:111122223333:key/", NULL, false},
        {NULL, "my-bucket", true},
        {NULL, "my-bucket/prefix/", true},
        {NULL, "arn:aws:s3:::my-bucket", true},
        {NULL, "arn:aws:kms:::x", false},
        {NULL, "bad bucket", false},
        {NULL, "/prefix", false},
    };
    char err[POLICY_ERRLEN];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct policy_opts o = {.kms = cases[i].kms_key != NULL, .kms_key = cases[i].kms_key,
                                .s3_bucket = cases[i].bucket};
        int rc = policy_opts_check(&o, err, sizeof err);
        if ((rc == 0) != cases[i].ok)
            fail_msg("case %zu: rc %d, want %s", i, rc, cases[i].ok ? "ok" : "error");
    }
}

struct load_case {
    const char *name;
    const char *text;
    const char *err_has;         /* NULL: must load */
    int nstmts;
};

static const struct load_case load_cases[] = {
    {"bare", A("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"), NULL, 1},
    {"get-policy-version object",
     "{\"PolicyVersion\":{\"Document\":" A("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}")
     ",\"VersionId\":\"v1\"}}", NULL, 1},
    {"get-policy-version encoded",
     "{\"PolicyVersion\":{\"Document\":\"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B"
     "%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D\"}}", NULL, 1},
    {"get-role-policy encoded",
     "{\"RoleName\":\"r\",\"PolicyName\":\"p\",\"PolicyDocument\":\"%7B%22Statement%22%3A%7B%22Effect%22"
     "%3A%22Deny%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%7D\"}", NULL, 1},
    {"plain string document", "{\"PolicyDocument\":\"{\\\"Statement\\\":[]}\"}", NULL, 0},
    {"bad encoding", "{\"PolicyDocument\":\"%7B%2\"}", "bad URL encoding", 0},
    {"encoded NUL", "{\"PolicyDocument\":\"%00%7B\"}", "bad URL encoding", 0},
    {"encoded malformed", "{\"PolicyDocument\":\"%7B%0A%22Statement%22%3A%5B%0A%5D%2C%7D\"}",
     "t.json: PolicyDocument (URL-decoded):3:", 0},
    {"malformed", "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}", "t.json:3:", 0},
    {"empty", "", "empty", 0},
    {"blank", " \n\t", "empty (only blanks)", 0},
    {"BOM", "\xEF\xBB\xBF{\"Statement\":[]}", NULL, 0},
    {"array", "[]", "top level is an array", 0},
    {"number", "42", "top level is a number", 0},
    {"no Statement", "{\"Roles\":[]}", "no \"Statement\"", 0},
    {"single statement", "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}", "single statement", 0},
    {"get-policy", "{\"Policy\":{\"Arn\":\"arn:aws:iam::aws:policy/X\",\"DefaultVersionId\":\"v3\"}}",
     "--version-id v3", 0},
    {"get-role", "{\"Role\":{\"AssumeRolePolicyDocument\":{}}}", "trust policy", 0},
    {"list-attached", "{\"AttachedPolicies\":[]}", "list of policy names", 0},
    {"trust policy", A("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}"),
     "Principal", 0},
    {"effect case", A("{\"Effect\":\"allow\",\"Action\":\"*\",\"Resource\":\"*\"}"), "case matters", 0},
    {"effect type", A("{\"Effect\":true,\"Action\":\"*\",\"Resource\":\"*\"}"), "not a boolean", 0},
    {"no effect", A("{\"Action\":\"*\",\"Resource\":\"*\"}"), "no \"Effect\"", 0},
    {"both actions", A("{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotAction\":\"x:y\",\"Resource\":\"*\"}"),
     "exactly one of \"Action\"", 0},
    {"no resource", A("{\"Effect\":\"Allow\",\"Action\":\"*\"}"), "exactly one of \"Resource\"", 0},
    {"action number", A("{\"Effect\":\"Allow\",\"Action\":[\"*\",3],\"Resource\":\"*\"}"), "array of strings", 0},
    {"empty action list", A("{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}"), "non-empty", 0},
    {"statement string", A("\"x\""), "statement 1 is a string", 0},
    {"statement number", "{\"Statement\":1}", "object or an array", 0},
    {"condition array", A("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":[]}"),
     "\"Condition\" must be an object", 0},
    {"condition operator", A("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":1}}"),
     "must map to an object", 0},
    {"sid number", A("{\"Sid\":1,\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"), "\"Sid\" must be", 0},
    {"duplicate keys", "{\"Statement\":[],\"Statement\":[]}", "duplicate", 0},
    {"document without Statement", "{\"PolicyVersion\":{\"Document\":{\"Version\":\"2012-10-17\"}}}",
     "has no \"Statement\"", 0},
    {"document string number", "{\"PolicyDocument\":\"42\"}", "the policy document is a number", 0},
    {"version type", "{\"Version\":1,\"Statement\":[]}", "\"Version\" must be", 0},
};

static void test_load_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof load_cases / sizeof load_cases[0]; i++) {
        const struct load_case *c = &load_cases[i];
        struct policy_set set;
        char err[POLICY_ERRLEN] = "";
        int rc;

        policy_set_init(&set);
        rc = policy_set_add(&set, "t.json", c->text, strlen(c->text), err, sizeof err);
        if (c->err_has == NULL && rc != 0)
            fail_msg("%s: unexpected error: %s", c->name, err);
        if (c->err_has && rc == 0)
            fail_msg("%s: loaded, want an error with \"%s\"", c->name, c->err_has);
        if (c->err_has && !strstr(err, c->err_has))
            fail_msg("%s: error \"%s\" lacks \"%s\"", c->name, err, c->err_has);
        if (rc == 0 && set.nstmts != c->nstmts)
            fail_msg("%s: %d statements, want %d", c->name, set.nstmts, c->nstmts);
        if (rc != 0 && (set.ndocs != 0 || set.nstmts != 0))
            fail_msg("%s: failed load left %d docs %d statements", c->name, set.ndocs, set.nstmts);
        policy_set_free(&set);
    }
}

static void test_url_decode(void **state)
{
    size_t n;
    char *s;
    (void)state;
    s = policy_url_decode("a%20b%7b%7D+c", 13, &n);
    assert_non_null(s);
    assert_string_equal(s, "a b{}+c");
    assert_int_equal(n, 7);
    free(s);
    assert_null(policy_url_decode("%", 1, &n));
    assert_null(policy_url_decode("%4", 2, &n));
    assert_null(policy_url_decode("%zz", 3, &n));
}

static void test_warnings(void **state)
{
    const char *t = "{\"Version\":\"2011-01-01\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ssmmessages\","
                    "\"Resource\":\"*\",\"Foo\":1}]}";
    struct policy_set set;
    char err[POLICY_ERRLEN];
    (void)state;
    policy_set_init(&set);
    assert_int_equal(policy_set_add(&set, "w.json", t, strlen(t), err, sizeof err), 0);
    assert_int_equal(set.nwarnings, 3);
    assert_non_null(strstr(set.warnings[0], "Version"));
    assert_non_null(strstr(set.warnings[1], "\"Foo\""));
    assert_non_null(strstr(set.warnings[2], "no service prefix"));
    policy_set_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_table),
        cmocka_unit_test(test_eval_across_files),
        cmocka_unit_test(test_needs),
        cmocka_unit_test(test_opts_check),
        cmocka_unit_test(test_load_table),
        cmocka_unit_test(test_url_decode),
        cmocka_unit_test(test_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
