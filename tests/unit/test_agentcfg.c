/* test_agentcfg.c — the agent's amazon-ssm-agent.json: valid, partial,
 * malformed (line/column), wrong types, endpoint values, path choice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agentcfg.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *fixture(const char *rel, char *buf, size_t len)
{
    const char *troot = getenv("TESTS_ROOT");
    snprintf(buf, len, "%s/fixtures/%s", troot && *troot ? troot : "tests", rel);
    return buf;
}

/* ---- endpoint values ------------------------------------------------- */

static void test_endpoint_host(void **state)
{
    static const struct {
        const char *in;
        const char *want; /* NULL: rejected */
    } cases[] = {
        { "ssm.us-east-1.amazonaws.com", "ssm.us-east-1.amazonaws.com" },
        { "https://ssm.us-east-1.amazonaws.com", "ssm.us-east-1.amazonaws.com" },
        { "https://ssm.us-east-1.amazonaws.com/", "ssm.us-east-1.amazonaws.com" },
        { "HTTPS://SSM.US-EAST-1.AMAZONAWS.COM", "ssm.us-east-1.amazonaws.com" },
        { "http://ssm.local:8080/x?y#z", "ssm.local:8080" },
        { "https://u:p@kms.example.com:443/p", "kms.example.com:443" },
        { "vpce-0a-b.ssm.eu-west-1.vpce.amazonaws.com", "vpce-0a-b.ssm.eu-west-1.vpce.amazonaws.com" },
        { "https://[fd00:ec2::254]:443", "[fd00:ec2::254]:443" },
        { "[::1]", "[::1]" },
        { "10.0.0.5:443", "10.0.0.5:443" },
        { "", NULL },
        { "https://", NULL },
        { "wss://ssmmessages.us-east-1.amazonaws.com", NULL },
        { "ftp://x", NULL },
        { "host:", NULL },
        { "host:0", NULL },
        { "host:65536", NULL },
        { "host:12ab", NULL },
        { " ssm.us-east-1.amazonaws.com", NULL },
        { "ssm .amazonaws.com", NULL },
        { "[::1", NULL },
        { "[]:443", NULL },
        { "[::1]x", NULL },
        { ":443", NULL },
    };
    char out[300], err[128];

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        int rc = agentcfg_endpoint_host(cases[i].in, out, sizeof out, err, sizeof err);
        if (cases[i].want) {
            if (rc != 0)
                fail_msg("'%s' rejected: %s", cases[i].in, err);
            assert_string_equal(out, cases[i].want);
        } else {
            if (rc == 0)
                fail_msg("'%s' accepted as '%s'", cases[i].in, out);
            assert_true(err[0] != '\0');
        }
    }
    /* Too small an output buffer is an error, not an overflow. */
    assert_int_equal(agentcfg_endpoint_host("ssm.us-east-1.amazonaws.com", out, 8, err,
                                            sizeof err), -1);
}

static void test_endpoint_keys(void **state)
{
    (void)state;
    assert_string_equal(agentcfg_endpoint_key(SVC_SSM), "Ssm.Endpoint");
    assert_string_equal(agentcfg_endpoint_key(SVC_SSMMESSAGES), "Mgs.Endpoint");
    assert_string_equal(agentcfg_endpoint_key(SVC_EC2MESSAGES), "Mds.Endpoint");
    assert_string_equal(agentcfg_endpoint_key(SVC_S3), "S3.Endpoint");
    assert_string_equal(agentcfg_endpoint_key(SVC_KMS), "Kms.Endpoint");
    assert_null(agentcfg_endpoint_key(SVC_LOGS));
    assert_null(agentcfg_endpoint_key(SVC_STS));
}

/* ---- files ----------------------------------------------------------- */

struct file_case {
    const char *file;
    enum agentcfg_rc rc;
    const char *region, *domain;
    const char *ep[SVC_COUNT];   /* expected host[:port] per service, NULL: unset */
    int line, column;            /* JSON error position, 0: none */
    const char *err_has;         /* substring of the error, NULL: no error */
};

static const struct file_case file_cases[] = {
    { "host1/etc/amazon/ssm/amazon-ssm-agent.json", AGENTCFG_OK, "eu-west-1", NULL,
      { [SVC_SSM] = "vpce-0123456789abcdef0-abcdefgh.ssm.eu-west-1.vpce.amazonaws.com",
        [SVC_SSMMESSAGES] = "ssmmessages.eu-west-1.amazonaws.com" }, 0, 0, NULL },
    { "host2/etc/amazon/ssm/amazon-ssm-agent.json", AGENTCFG_OK, NULL, NULL, { NULL }, 0, 0,
      NULL },
    { "host3/etc/amazon/ssm/amazon-ssm-agent.json", AGENTCFG_ERROR, NULL, NULL, { NULL }, 4, 5,
      "malformed JSON" },
    { "host5/snap/amazon-ssm-agent/9881/configuration/amazon-ssm-agent.json", AGENTCFG_OK,
      "ap-southeast-2", "amazonaws.com",
      { [SVC_KMS] = "kms-fips.ap-southeast-2.amazonaws.com:443" }, 0, 0, NULL },
    { "agentcfg/fips.json", AGENTCFG_OK, "us-east-1", "amazonaws.com.cn",
      { [SVC_SSM] = "ssm-fips.us-east-1.amazonaws.com",
        [SVC_SSMMESSAGES] = "ssmmessages-fips.us-east-1.amazonaws.com",
        [SVC_EC2MESSAGES] = "ec2messages-fips.us-east-1.amazonaws.com:8443",
        [SVC_S3] = "s3-fips.dualstack.us-east-1.amazonaws.com",
        [SVC_KMS] = "kms-fips.us-east-1.amazonaws.com" }, 0, 0, NULL },
    { "agentcfg/wrongtype.json", AGENTCFG_ERROR, NULL, NULL, { NULL }, 0, 0,
      "\"Agent.Region\" is a number" },
    { "agentcfg/array.json", AGENTCFG_ERROR, NULL, NULL, { NULL }, 0, 0, "top level is an array" },
    { "agentcfg/badscheme.json", AGENTCFG_ERROR, NULL, NULL, { NULL }, 0, 0,
      "Mgs.Endpoint: unsupported scheme" },
    { "agentcfg/duplicates.json", AGENTCFG_OK, "eu-north-1", NULL, { NULL }, 0, 0, NULL },
    { "agentcfg/empty-object.json", AGENTCFG_OK, NULL, NULL, { NULL }, 0, 0, NULL },
    { "agentcfg/empty.json", AGENTCFG_ERROR, NULL, NULL, { NULL }, 1, 0, "malformed JSON" },
    { "agentcfg/no-such-file.json", AGENTCFG_ABSENT, NULL, NULL, { NULL }, 0, 0, NULL },
    { "host1/etc", AGENTCFG_ERROR, NULL, NULL, { NULL }, 0, 0, "is a directory" },
};

static void check_str(const char *what, const char *file, const char *got, const char *want)
{
    if (!want && got)
        fail_msg("%s: %s: got '%s', want unset", file, what, got);
    if (want && (!got || strcmp(got, want) != 0))
        fail_msg("%s: %s: got '%s', want '%s'", file, what, got ? got : "(unset)", want);
}

static void test_files(void **state)
{
    char path[4096], err[512];
    struct agentcfg cfg;

    (void)state;
    agentcfg_init(&cfg);
    for (size_t i = 0; i < N(file_cases); i++) {
        const struct file_case *c = &file_cases[i];
        err[0] = '\0';
        enum agentcfg_rc rc = agentcfg_load(fixture(c->file, path, sizeof path), &cfg, err,
                                            sizeof err);
        if (rc != c->rc)
            fail_msg("%s: rc %d, want %d (%s)", c->file, rc, c->rc, cfg.error);
        assert_string_equal(cfg.path, path);
        assert_int_equal(cfg.loaded, rc == AGENTCFG_OK);
        check_str("Agent.Region", c->file, cfg.region, c->region);
        check_str("Agent.ServiceDomain", c->file, cfg.service_domain, c->domain);
        for (int s = 0; s < SVC_COUNT; s++)
            check_str("endpoint", c->file, cfg.endpoint[s], c->ep[s]);
        if (c->err_has) {
            if (!strstr(cfg.error, c->err_has))
                fail_msg("%s: error '%s' lacks '%s'", c->file, cfg.error, c->err_has);
            assert_string_equal(err, cfg.error);
            assert_non_null(strstr(cfg.error, path)); /* names the file */
        } else {
            assert_string_equal(cfg.error, "");
        }
        if (c->line) {
            assert_int_equal(cfg.err_line, c->line);
            if (c->column)
                assert_int_equal(cfg.err_column, c->column);
        }
        agentcfg_free(&cfg);
    }
}

/* The credentials of a URL endpoint are never kept, the raw value is. */
static void test_url_credentials_dropped(void **state)
{
    static const char doc[] =
        "{\"Kms\": {\"Endpoint\": \"https://admin:hunter2@kms.eu-west-1.amazonaws.com\"}}";
    struct agentcfg cfg;

    (void)state;
    agentcfg_init(&cfg);
    assert_int_equal(agentcfg_parse(doc, sizeof doc - 1, "x.json", &cfg, NULL, 0), AGENTCFG_OK);
    assert_string_equal(cfg.endpoint[SVC_KMS], "kms.eu-west-1.amazonaws.com");
    assert_null(strstr(cfg.endpoint[SVC_KMS], "hunter2"));
    agentcfg_free(&cfg);
}

static void test_buffers(void **state)
{
    static const struct {
        const char *doc;
        enum agentcfg_rc rc;
        int line, column;
    } cases[] = {
        { "{\"Agent\":{\"Region\":\"us-east-1\"}}", AGENTCFG_OK, 0, 0 },
        { "{\n  \"Agent\": {\n    \"Region\": \"us-east-1\"\n  }\n", AGENTCFG_ERROR, 5, 0 },
        { "{\"Agent\": \"us-east-1\"}", AGENTCFG_ERROR, 0, 0 },
        { "{\"Agent\": null, \"Ssm\": null}", AGENTCFG_OK, 0, 0 },
        { "{\"Agent\": {\"Region\": \"a\\u0000b\"}}", AGENTCFG_ERROR, 1, 0 },
        { "{\"Ssm\": {\"Endpoint\": [\"x\"]}}", AGENTCFG_ERROR, 0, 0 },
        { "\xef\xbb\xbf{}", AGENTCFG_ERROR, 1, 0 },
        { "{} trailing", AGENTCFG_ERROR, 1, 0 },
    };
    struct agentcfg cfg;

    (void)state;
    agentcfg_init(&cfg);
    for (size_t i = 0; i < N(cases); i++) {
        enum agentcfg_rc rc = agentcfg_parse(cases[i].doc, strlen(cases[i].doc), "buf", &cfg,
                                             NULL, 0);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d want %d (%s)", i, rc, cases[i].rc, cfg.error);
        if (cases[i].line)
            assert_int_equal(cfg.err_line, cases[i].line);
        agentcfg_free(&cfg);
    }
}

static void test_size_cap(void **state)
{
    size_t n = AGENTCFG_MAX_SIZE + 2;
    char *big = malloc(n);
    struct agentcfg cfg;

    (void)state;
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    agentcfg_init(&cfg);
    assert_int_equal(agentcfg_parse(big, n, "big", &cfg, NULL, 0), AGENTCFG_ERROR);
    assert_non_null(strstr(cfg.error, "larger than"));
    agentcfg_free(&cfg);
    free(big);
}

static void test_default_path(void **state)
{
    char root[4096], out[4096], want[4096];

    (void)state;
    assert_true(agentcfg_default_path("/", out, sizeof out));
    /* On this machine the snap file is not expected; either is a valid answer. */
    assert_true(strcmp(out, AGENTCFG_PATH) == 0 || strcmp(out, AGENTCFG_SNAP_PATH) == 0);
    assert_true(agentcfg_default_path(NULL, out, sizeof out));
    assert_true(strcmp(out, AGENTCFG_PATH) == 0 || strcmp(out, AGENTCFG_SNAP_PATH) == 0);

    fixture("host1/", root, sizeof root);
    assert_true(agentcfg_default_path(root, out, sizeof out));
    fixture("host1" AGENTCFG_PATH, want, sizeof want);
    assert_string_equal(out, want);

    /* A snap install with its own configuration file: that one is used. */
    fixture("host5", root, sizeof root);
    assert_true(agentcfg_default_path(root, out, sizeof out));
    fixture("host5" AGENTCFG_SNAP_PATH, want, sizeof want);
    assert_string_equal(out, want);

    assert_false(agentcfg_default_path(root, out, 10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_endpoint_host),
        cmocka_unit_test(test_endpoint_keys),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_url_credentials_dropped),
        cmocka_unit_test(test_buffers),
        cmocka_unit_test(test_size_cap),
        cmocka_unit_test(test_default_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
