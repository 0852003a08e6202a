/* test_discover.c — region discovery order, the two-step IMDS hand-off,
 * the message naming every source, and the registration file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "discover.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *fixture(const char *rel, char *buf, size_t len)
{
    const char *troot = getenv("TESTS_ROOT");
    snprintf(buf, len, "%s/fixtures/%s", troot && *troot ? troot : "tests", rel);
    return buf;
}

enum cfgsel { CFG_NONE, CFG_HOST1, CFG_HOST2, CFG_HOST3, CFG_ABSENT };

struct order_case {
    const char *name;
    const char *flag;           /* one --region value, NULL none */
    const char *env[4];         /* K=V */
    enum cfgsel cfg;
    const char *root;           /* fixture root for the registration file, NULL: empty dir */
    enum discover_imds imds;
    const char *imds_region, *imds_error;
    enum discover_rc rc;
    const char *region, *source;
    const char *msg_has[6];     /* substrings of tried/message */
};

static const struct order_case order_cases[] = {
    { "flag wins over everything", "eu-central-1", { "AWS_REGION=us-east-1" }, CFG_HOST1,
      "host2", DISCOVER_IMDS_DONE, "ap-south-1", NULL, DISCOVER_FOUND, "eu-central-1", "flag",
      { NULL } },
    { "AWS_REGION", NULL, { "AWS_DEFAULT_REGION=us-east-2", "AWS_REGION=us-east-1" }, CFG_HOST1,
      "host2", DISCOVER_IMDS_PENDING, NULL, NULL, DISCOVER_FOUND, "us-east-1",
      "env:AWS_REGION", { "--region: not given" } },
    { "AWS_DEFAULT_REGION", NULL, { "AWS_REGION=", "AWS_DEFAULT_REGION=us-east-2" }, CFG_HOST1,
      "host2", DISCOVER_IMDS_PENDING, NULL, NULL, DISCOVER_FOUND, "us-east-2",
      "env:AWS_DEFAULT_REGION", { "AWS_REGION: empty" } },
    { "agent config", NULL, { "HOME=/root" }, CFG_HOST1, "host2", DISCOVER_IMDS_PENDING, NULL,
      NULL, DISCOVER_FOUND, "eu-west-1", "agent-config",
      { "AWS_REGION: not set", "AWS_DEFAULT_REGION: not set" } },
    { "registration after an empty Agent.Region", NULL, { NULL }, CFG_HOST2, "host2",
      DISCOVER_IMDS_PENDING, NULL, NULL, DISCOVER_FOUND, "us-west-2", "registration",
      { "amazon-ssm-agent.json: no Agent.Region" } },
    { "malformed config, no registration: ask IMDS", NULL, { NULL }, CFG_HOST3, "host3",
      DISCOVER_IMDS_PENDING, NULL, NULL, DISCOVER_NEED_IMDS, NULL, NULL,
      { "malformed JSON", "registration: not found" } },
    { "IMDS answers", NULL, { NULL }, CFG_HOST3, "host3", DISCOVER_IMDS_DONE, "sa-east-1", NULL,
      DISCOVER_FOUND, "sa-east-1", "imds", { NULL } },
    { "nothing anywhere", NULL, { NULL }, CFG_ABSENT, "host3", DISCOVER_IMDS_DONE, NULL,
      "token PUT timed out after 1000 ms", DISCOVER_NONE, NULL, NULL,
      { "--region: not given", "AWS_REGION: not set", "AWS_DEFAULT_REGION: not set",
        "amazon-ssm-agent.json: not found", "registration: not found",
        "IMDS: token PUT timed out" } },
    { "IMDS disabled", NULL, { NULL }, CFG_NONE, "host3", DISCOVER_IMDS_DISABLED, NULL,
      "disabled (--no-imds)", DISCOVER_NONE, NULL, NULL,
      { "agent config: not read", "IMDS: disabled (--no-imds)" } },
    { "registration malformed", NULL, { NULL }, CFG_NONE, "host4", DISCOVER_IMDS_DISABLED, NULL,
      NULL, DISCOVER_NONE, NULL, NULL, { "registration: malformed JSON", "IMDS: not queried" } },
};

static void test_order(void **state)
{
    char root[4096], cfgpath[4096];
    struct agentcfg cfg;
    struct discover_result res;

    (void)state;
    discover_result_init(&res);
    for (size_t i = 0; i < N(order_cases); i++) {
        const struct order_case *c = &order_cases[i];
        char *flag[1] = { (char *)c->flag };
        char *envp[N(c->env) + 1];
        int ne = 0;
        for (size_t k = 0; k < N(c->env) && c->env[k]; k++)
            envp[ne++] = (char *)c->env[k];
        envp[ne] = NULL;

        agentcfg_init(&cfg);
        static const char *const cfgfix[] = {
            [CFG_HOST1] = "host1", [CFG_HOST2] = "host2", [CFG_HOST3] = "host3",
            [CFG_ABSENT] = "host4",
        };
        if (c->cfg != CFG_NONE) {
            fixture(cfgfix[c->cfg], root, sizeof root);
            agentcfg_default_path(root, cfgpath, sizeof cfgpath);
            agentcfg_load(cfgpath, &cfg, NULL, 0);
        }
        fixture(c->root, root, sizeof root);
        struct discover_input in = {
            .flag_regions = c->flag ? flag : NULL,
            .nflag_regions = c->flag ? 1 : 0,
            .envp = envp,
            .cfg = c->cfg != CFG_NONE ? &cfg : NULL,
            .root = root,
            .imds = c->imds,
            .imds_region = c->imds_region,
            .imds_error = c->imds_error,
        };
        enum discover_rc rc = discover_region(&in, &res);
        if (rc != c->rc)
            fail_msg("%s: rc %d, want %d (tried: %s)", c->name, rc, c->rc, res.tried);
        if (c->region) {
            assert_int_equal(res.nregions, 1);
            assert_string_equal(res.regions[0], c->region);
            assert_string_equal(res.source, c->source);
        } else {
            assert_int_equal(res.nregions, 0);
            assert_string_equal(res.source, "");
        }
        if (rc == DISCOVER_NONE)
            assert_non_null(strstr(res.message, res.tried));
        else
            assert_string_equal(res.message, "");
        for (size_t k = 0; k < N(c->msg_has) && c->msg_has[k]; k++)
            if (!strstr(res.tried, c->msg_has[k]))
                fail_msg("%s: tried '%s' lacks '%s'", c->name, res.tried, c->msg_has[k]);
        discover_result_free(&res);
        agentcfg_free(&cfg);
    }
}

/* The engine's two-step use: local sources first, then IMDS. */
static void test_two_steps(void **state)
{
    char root[4096];
    char *envp[] = { NULL };
    struct discover_result res;
    struct discover_input in = { .envp = envp, .imds = DISCOVER_IMDS_PENDING };

    (void)state;
    in.root = fixture("host3", root, sizeof root);
    discover_result_init(&res);
    assert_int_equal(discover_region(&in, &res), DISCOVER_NEED_IMDS);
    in.imds = DISCOVER_IMDS_DONE;
    in.imds_region = "me-central-1";
    assert_int_equal(discover_region(&in, &res), DISCOVER_FOUND);
    assert_string_equal(res.regions[0], "me-central-1");
    assert_string_equal(res.source, "imds");
    discover_result_free(&res);
}

static void test_flag_list(void **state)
{
    char *flags[] = { "us-east-1", "eu-west-1", "all" };
    struct discover_result res;
    struct discover_input in = { .flag_regions = flags, .nflag_regions = 3 };

    (void)state;
    discover_result_init(&res);
    assert_int_equal(discover_region(&in, &res), DISCOVER_FOUND);
    assert_int_equal(res.nregions, 3);
    assert_string_equal(res.regions[2], "all");
    assert_string_equal(res.source, "flag");
    discover_result_free(&res);
}

static const char *fake_getenv(const char *name, void *ud)
{
    (void)ud;
    return strcmp(name, "AWS_DEFAULT_REGION") == 0 ? "cn-north-1" : NULL;
}

static void test_getenv_callback(void **state)
{
    struct discover_result res;
    struct discover_input in = { .getenv_fn = fake_getenv, .imds = DISCOVER_IMDS_DISABLED };

    (void)state;
    discover_result_init(&res);
    assert_int_equal(discover_region(&in, &res), DISCOVER_FOUND);
    assert_string_equal(res.regions[0], "cn-north-1");
    assert_string_equal(res.source, "env:AWS_DEFAULT_REGION");
    assert_string_equal(res.origin, "AWS_DEFAULT_REGION");
    discover_result_free(&res);
}

static void test_registration(void **state)
{
    static const struct {
        const char *root;
        int rc;
        const char *id, *region, *err_has;
    } cases[] = {
        { "host2", 1, "mi-0123456789abcdef0", "us-west-2", NULL },
        { "host1", 0, "", "", NULL },
        { "host4", -1, "", "", "malformed JSON at line 3" },
    };
    char root[4096];
    struct discover_registration reg;

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        int rc = discover_read_registration(fixture(cases[i].root, root, sizeof root), &reg);
        assert_int_equal(rc, cases[i].rc);
        assert_int_equal(reg.present, rc != 0);
        assert_int_equal(reg.parsed, rc == 1);
        assert_string_equal(reg.instance_id, cases[i].id);
        assert_string_equal(reg.region, cases[i].region);
        if (cases[i].err_has && !strstr(reg.error, cases[i].err_has))
            fail_msg("%s: error '%s'", cases[i].root, reg.error);
        assert_non_null(strstr(reg.path, DISCOVER_REGISTRATION_PATH));
    }
    /* The live root: whatever it holds, the path is the real one. */
    discover_read_registration("/", &reg);
    assert_string_equal(reg.path, DISCOVER_REGISTRATION_PATH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_two_steps),
        cmocka_unit_test(test_flag_list),
        cmocka_unit_test(test_getenv_callback),
        cmocka_unit_test(test_registration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
