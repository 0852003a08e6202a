/* test_regions.c — the region table, endpoint naming (all partitions, FIPS,
 * dual-stack, ServiceDomain), region validation and suggestions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "regions.h"
#include "regions_data.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- table ----------------------------------------------------------- */

static void test_partitions(void **state)
{
    static const struct {
        const char *name, *dns, *ds;
        size_t nregions;
    } want[] = {
        { "aws", "amazonaws.com", "api.aws", 34 },
        { "aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn", 2 },
        { "aws-us-gov", "amazonaws.com", "api.aws", 2 },
        { "aws-iso", "c2s.ic.gov", "api.aws.ic.gov", 2 },
        { "aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud", 2 },
        { "aws-iso-e", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", 1 },
        { "aws-iso-f", "csp.hci.ic.gov", "api.aws.hci.ic.gov", 2 },
        { "aws-eusc", "amazonaws.eu", "api.amazonwebservices.eu", 1 },
    };
    size_t n;
    const struct partition_info *p = regions_partitions(&n);

    (void)state;
    assert_int_equal(n, N(want));
    for (size_t i = 0; i < N(want); i++) {
        assert_string_equal(p[i].name, want[i].name);
        assert_string_equal(p[i].dns_suffix, want[i].dns);
        assert_string_equal(p[i].dualstack_suffix, want[i].ds);
        assert_int_equal(p[i].nregions, want[i].nregions);
        assert_non_null(p[i].region_regex);
        assert_ptr_equal(regions_partition(want[i].name), &p[i]);
        for (size_t j = 0; j < p[i].nregions; j++) {
            const struct region_info *r = &p[i].regions[j];
            char why[256];
            assert_true(regions_valid_syntax(r->name, why, sizeof why));
            assert_ptr_equal(regions_find(r->name), r);
            assert_ptr_equal(regions_partition_of(r->name), &p[i]);
            assert_true(r->description[0] != '\0');
            if (strcmp(p[i].name, "aws") != 0)
                assert_false(r->opt_in);
            if (j > 0) /* sorted, no duplicates */
                assert_true(strcmp(p[i].regions[j - 1].name, r->name) < 0);
        }
    }
    assert_null(regions_partition("aws-moon"));
    assert_null(regions_partition(NULL));
    assert_null(regions_partition("all"));
}

static void test_regions_opt_in(void **state)
{
    static const struct {
        const char *region, *description;
        bool opt_in;
    } cases[] = {
        { "us-east-1", "US East (N. Virginia)", false },
        { "us-west-2", "US West (Oregon)", false },
        { "eu-north-1", "Europe (Stockholm)", false },
        { "ap-northeast-3", "Asia Pacific (Osaka)", false },
        { "sa-east-1", "South America (Sao Paulo)", false },
        { "af-south-1", "Africa (Cape Town)", true },
        { "ap-east-1", "Asia Pacific (Hong Kong)", true },
        { "ap-east-2", "Asia Pacific (Taipei)", true },
        { "ca-west-1", "Canada West (Calgary)", true },
        { "me-south-1", "Middle East (Bahrain)", true },
        { "mx-central-1", "Mexico (Central)", true },
        { "ap-southeast-7", "Asia Pacific (Thailand)", true },
        { "il-central-1", "Israel (Tel Aviv)", true },
        { "cn-northwest-1", "China (Ningxia)", false },
        { "us-gov-east-1", "AWS GovCloud (US-East)", false },
        { "us-isob-east-1", "US ISOB East (Ohio)", false },
        { "eusc-de-east-1", "AWS European Sovereign Cloud (Germany)", false },
    };
    size_t nopt = 0;
    const struct partition_info *aws = regions_partition("aws");

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        const struct region_info *r = regions_find(cases[i].region);
        assert_non_null(r);
        assert_string_equal(r->description, cases[i].description);
        assert_int_equal(r->opt_in, cases[i].opt_in);
    }
    assert_non_null(aws);
    for (size_t j = 0; j < aws->nregions; j++)
        nopt += aws->regions[j].opt_in;
    assert_int_equal(nopt, 17);
    assert_null(regions_find("aws-global"));
    assert_null(regions_find("us-east-9"));
    assert_null(regions_find(NULL));
}

static void test_partition_of_prefix(void **state)
{
    static const struct {
        const char *region, *partition;
    } cases[] = {
        { "us-east-1", "aws" },
        { "us-east-9", "aws" },         /* not in the table: aws */
        { "xx-new-1", "aws" },
        { "cn-south-7", "aws-cn" },
        { "us-gov-north-1", "aws-us-gov" },
        { "us-iso-north-3", "aws-iso" },
        { "us-isob-south-2", "aws-iso-b" },
        { "us-isof-west-1", "aws-iso-f" },
        { "eu-isoe-north-2", "aws-iso-e" },
        { "eusc-de-west-1", "aws-eusc" },
        { "eu-west-1", "aws" },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        const struct partition_info *p = regions_partition_of(cases[i].region);
        assert_non_null(p);
        assert_string_equal(p->name, cases[i].partition);
    }
}

/* ---- services -------------------------------------------------------- */

static void test_services(void **state)
{
    static const char *const names[SVC_COUNT] = {
        "ssm", "ssmmessages", "ec2messages", "s3", "kms", "logs", "sts", "monitoring", "ec2",
    };
    unsigned mask;
    char why[256];

    (void)state;
    for (int i = 0; i < SVC_COUNT; i++) {
        assert_string_equal(service_name((enum service)i), names[i]);
        assert_int_equal(service_from_name(names[i]), i);
    }
    assert_int_equal(service_from_name("SSM"), -1);
    assert_int_equal(service_from_name(""), -1);
    assert_int_equal(service_from_name(NULL), -1);

    assert_int_equal(services_parse("ssm,kms", &mask, why, sizeof why), 0);
    assert_int_equal(mask, SVC_BIT(SVC_SSM) | SVC_BIT(SVC_KMS));
    assert_int_equal(services_parse("all", &mask, why, sizeof why), 0);
    assert_int_equal(mask, SVC_ALL_MASK);
    assert_int_equal(services_parse("ssm,ssmmessages,ec2messages", &mask, why, sizeof why), 0);
    assert_int_equal(mask, SVC_DEFAULT_MASK);
    assert_int_equal(services_parse("ssm,bogus", &mask, why, sizeof why), -1);
    assert_non_null(strstr(why, "\"bogus\""));
    assert_int_equal(services_parse("ssm,,kms", &mask, why, sizeof why), -1);
    assert_int_equal(services_parse("", &mask, why, sizeof why), -1);
}

/* ---- endpoint names -------------------------------------------------- */

struct name_case {
    enum service svc;
    const char *region, *domain;
    bool fips, dualstack;
    const char *want;
};

static const struct name_case name_cases[] = {
    /* standard names, every partition (the agent's rule) */
    { SVC_SSM, "us-east-1", NULL, false, false, "ssm.us-east-1.amazonaws.com" },
    { SVC_SSMMESSAGES, "eu-west-1", NULL, false, false, "ssmmessages.eu-west-1.amazonaws.com" },
    { SVC_EC2MESSAGES, "ap-southeast-7", NULL, false, false,
      "ec2messages.ap-southeast-7.amazonaws.com" },
    { SVC_SSM, "cn-north-1", NULL, false, false, "ssm.cn-north-1.amazonaws.com.cn" },
    { SVC_SSMMESSAGES, "cn-northwest-1", NULL, false, false,
      "ssmmessages.cn-northwest-1.amazonaws.com.cn" },
    { SVC_SSM, "us-gov-west-1", NULL, false, false, "ssm.us-gov-west-1.amazonaws.com" },
    { SVC_SSM, "us-iso-east-1", NULL, false, false, "ssm.us-iso-east-1.c2s.ic.gov" },
    { SVC_SSM, "us-isob-east-1", NULL, false, false, "ssm.us-isob-east-1.sc2s.sgov.gov" },
    { SVC_SSM, "eu-isoe-west-1", NULL, false, false, "ssm.eu-isoe-west-1.cloud.adc-e.uk" },
    { SVC_SSM, "us-isof-south-1", NULL, false, false, "ssm.us-isof-south-1.csp.hci.ic.gov" },
    { SVC_SSM, "eusc-de-east-1", NULL, false, false, "ssm.eusc-de-east-1.amazonaws.eu" },
    { SVC_S3, "us-east-1", NULL, false, false, "s3.us-east-1.amazonaws.com" },
    { SVC_MONITORING, "sa-east-1", NULL, false, false, "monitoring.sa-east-1.amazonaws.com" },
    /* regions not in the table: by prefix */
    { SVC_SSM, "us-east-9", NULL, false, false, "ssm.us-east-9.amazonaws.com" },
    { SVC_SSM, "cn-south-1", NULL, false, false, "ssm.cn-south-1.amazonaws.com.cn" },
    { SVC_SSM, "us-isof-west-2", NULL, false, false, "ssm.us-isof-west-2.csp.hci.ic.gov" },
    /* Agent.ServiceDomain */
    { SVC_SSM, "us-east-1", "example.internal", false, false, "ssm.us-east-1.example.internal" },
    { SVC_EC2MESSAGES, "cn-north-1", "amazonaws.com", false, false,
      "ec2messages.cn-north-1.amazonaws.com" },
    { SVC_SSM, "us-east-1", "", false, false, "ssm.us-east-1.amazonaws.com" },
    { SVC_SSM, "us-east-1", "example.internal", true, false, "ssm-fips.us-east-1.example.internal" },
    /* FIPS: published hosts and templates */
    { SVC_SSM, "us-east-1", NULL, true, false, "ssm-fips.us-east-1.amazonaws.com" },
    { SVC_SSM, "ca-west-1", NULL, true, false, "ssm-fips.ca-west-1.amazonaws.com" },
    { SVC_SSM, "eu-west-1", NULL, true, false, "ssm-fips.eu-west-1.amazonaws.com" },
    { SVC_KMS, "af-south-1", NULL, true, false, "kms-fips.af-south-1.amazonaws.com" },
    { SVC_S3, "us-west-2", NULL, true, false, "s3-fips.us-west-2.amazonaws.com" },
    /* aws-us-gov: the FIPS host of ssm, sts, logs, monitoring is the standard host */
    { SVC_SSM, "us-gov-west-1", NULL, true, false, "ssm.us-gov-west-1.amazonaws.com" },
    { SVC_SSM, "us-gov-east-1", NULL, true, false, "ssm.us-gov-east-1.amazonaws.com" },
    { SVC_STS, "us-gov-west-1", NULL, true, false, "sts.us-gov-west-1.amazonaws.com" },
    { SVC_LOGS, "us-gov-east-1", NULL, true, false, "logs.us-gov-east-1.amazonaws.com" },
    { SVC_MONITORING, "us-gov-west-1", NULL, true, false, "monitoring.us-gov-west-1.amazonaws.com" },
    { SVC_KMS, "us-gov-west-1", NULL, true, false, "kms-fips.us-gov-west-1.amazonaws.com" },
    { SVC_S3, "us-gov-west-1", NULL, true, false, "s3-fips.us-gov-west-1.amazonaws.com" },
    { SVC_KMS, "us-iso-east-1", NULL, true, false, "kms-fips.us-iso-east-1.c2s.ic.gov" },
    { SVC_SSM, "us-iso-east-1", NULL, true, false, "ssm-fips.us-iso-east-1.c2s.ic.gov" },
    /* dual-stack */
    { SVC_SSM, "eu-west-1", NULL, false, true, "ssm.eu-west-1.api.aws" },
    { SVC_LOGS, "us-east-1", NULL, false, true, "logs.us-east-1.api.aws" },
    { SVC_S3, "us-east-1", NULL, false, true, "s3.dualstack.us-east-1.amazonaws.com" },
    { SVC_S3, "cn-north-1", NULL, false, true, "s3.dualstack.cn-north-1.amazonaws.com.cn" },
    { SVC_LOGS, "cn-north-1", NULL, false, true, "logs.cn-north-1.api.amazonwebservices.com.cn" },
    { SVC_SSM, "eusc-de-east-1", NULL, false, true, "ssm.eusc-de-east-1.api.amazonwebservices.eu" },
    { SVC_SSM, "us-gov-east-1", NULL, false, true, "ssm.us-gov-east-1.api.aws" },
    /* FIPS + dual-stack */
    { SVC_SSM, "us-east-1", NULL, true, true, "ssm-fips.us-east-1.api.aws" },
    { SVC_S3, "us-east-2", NULL, true, true, "s3-fips.dualstack.us-east-2.amazonaws.com" },
    { SVC_S3, "us-iso-east-1", NULL, true, true, "s3-fips.dualstack.us-iso-east-1.c2s.ic.gov" },
};

static void test_endpoint_names(void **state)
{
    char out[256];

    (void)state;
    for (size_t i = 0; i < N(name_cases); i++) {
        const struct name_case *c = &name_cases[i];
        if (!endpoint_name(c->svc, c->region, c->domain, c->fips, c->dualstack, out, sizeof out))
            fail_msg("case %zu: endpoint_name failed", i);
        if (strcmp(out, c->want) != 0)
            fail_msg("case %zu (%s %s fips=%d ds=%d): got %s want %s", i, service_name(c->svc),
                     c->region, c->fips, c->dualstack, out, c->want);
    }
}

static void test_endpoint_name_buffer(void **state)
{
    char out[28];

    (void)state;
    /* "ssm.us-east-1.amazonaws.com" is 27 characters */
    assert_true(endpoint_name(SVC_SSM, "us-east-1", NULL, false, false, out, sizeof out));
    assert_string_equal(out, "ssm.us-east-1.amazonaws.com");
    assert_false(endpoint_name(SVC_SSM, "us-east-1", NULL, false, false, out, sizeof out - 1));
    assert_false(endpoint_name(SVC_SSM, "us-east-1", NULL, true, false, out, 10));
    assert_false(endpoint_name(SVC_SSM, NULL, NULL, false, false, out, sizeof out));
    assert_false(endpoint_name(SVC_COUNT, "us-east-1", NULL, false, false, out, sizeof out));
}

static void test_offered(void **state)
{
    static const char *const ssm_fips[] = { "us-east-1", "us-east-2", "us-west-1", "us-west-2",
                                           "ca-central-1", "ca-west-1" };
    static const struct {
        enum service svc;
        const char *region;
        bool fips, dualstack;
    } cases[] = {
        { SVC_SSM, "eu-west-1", false, false },
        { SVC_SSM, "us-gov-west-1", true, false },
        { SVC_SSM, "us-gov-east-1", true, false },
        { SVC_SSM, "cn-north-1", false, false },
        { SVC_SSM, "us-iso-east-1", false, false },
        { SVC_SSMMESSAGES, "us-east-1", true, false },
        { SVC_SSMMESSAGES, "ca-central-1", false, false },
        { SVC_EC2MESSAGES, "ca-west-1", true, false },
        { SVC_KMS, "af-south-1", true, false },
        { SVC_KMS, "ap-east-2", false, false },
        { SVC_KMS, "ap-southeast-6", false, false },
        { SVC_KMS, "us-iso-east-1", true, false },
        { SVC_LOGS, "us-east-1", true, true },
        { SVC_LOGS, "eu-west-1", false, true },
        { SVC_LOGS, "mx-central-1", false, false },
        { SVC_LOGS, "cn-north-1", false, true },
        { SVC_S3, "eu-west-1", false, true },
        { SVC_S3, "cn-northwest-1", false, true },
        { SVC_STS, "us-west-2", true, false },
        { SVC_STS, "ca-central-1", false, false },
        { SVC_MONITORING, "us-east-2", true, false },
        { SVC_EC2, "us-east-1", true, false },
        { SVC_SSM, "eusc-de-east-1", false, false },
        { SVC_SSM, "us-east-9", false, false },
    };
    const struct partition_info *aws = regions_partition("aws");
    size_t nfips = 0;

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        if (endpoint_fips_offered(cases[i].svc, cases[i].region) != cases[i].fips)
            fail_msg("%s %s: fips offered != %d", service_name(cases[i].svc), cases[i].region,
                     cases[i].fips);
        if (endpoint_dualstack_offered(cases[i].svc, cases[i].region) != cases[i].dualstack)
            fail_msg("%s %s: dualstack offered != %d", service_name(cases[i].svc),
                     cases[i].region, cases[i].dualstack);
    }
    /* ssm-fips: exactly the six US/Canada regions; ssm dual-stack: nowhere */
    for (size_t j = 0; j < aws->nregions; j++) {
        bool want = false;
        for (size_t k = 0; k < N(ssm_fips); k++)
            want |= strcmp(aws->regions[j].name, ssm_fips[k]) == 0;
        assert_int_equal(endpoint_fips_offered(SVC_SSM, aws->regions[j].name), want);
        nfips += endpoint_fips_offered(SVC_KMS, aws->regions[j].name);
    }
    assert_int_equal(nfips, 32);
    for (size_t i = 0; i < regions_data_nvariants; i++)
        assert_false(regions_data_variants[i].svc == SVC_SSM &&
                     (regions_data_variants[i].tags & REGIONS_VAR_DUALSTACK));
    assert_false(endpoint_fips_offered(SVC_SSM, NULL));
}

/* ---- region validation ----------------------------------------------- */

static void test_valid_syntax(void **state)
{
    static const struct {
        const char *region;
        bool ok;
        const char *why_has;  /* substring of the reason */
        const char *suggest;  /* did-you-mean, or NULL for none */
    } cases[] = {
        { "us-east-1", true, NULL, NULL },
        { "us-gov-west-1", true, NULL, NULL },
        { "eusc-de-east-1", true, NULL, NULL },
        { "eu-isoe-west-1", true, NULL, NULL },
        { "us-east-9", true, NULL, NULL },   /* valid, just not in the table */
        { "xx-new-12", true, NULL, NULL },
        { "us-east1", false, "AREA-NAME-N", "us-east-1" },
        { "useast1", false, "AREA-NAME-N", "us-east-1" },
        { "us-est-1", true, NULL, NULL },    /* well-formed: the caller warns */
        { "Us-East-1", false, "lower case", "us-east-1" },
        { "US-WEST-2", false, "lower case", "us-west-2" },
        { "us_east_1", false, "letters, digits", "us-east-1" },
        { "us-east-1 ", false, "letters, digits", "us-east-1" },
        { "eu-west-1.", false, "letters, digits", "eu-west-1" },
        { "ap-southeast1", false, "AREA-NAME-N", "ap-southeast-1" },
        { "euwest2", false, "AREA-NAME-N", "eu-west-2" },
        { "", false, "empty", NULL },
        { "foo", false, "AREA-NAME-N", NULL },
        { "us-east-", false, "AREA-NAME-N", "us-east-1" },
        { "-us-east-1", false, "AREA-NAME-N", "us-east-1" },
        { "us--east-1", false, "AREA-NAME-N", "us-east-1" },
        { "u-east-1", false, "AREA-NAME-N", "us-east-1" },
        { "abcde-east-1", false, "AREA-NAME-N", NULL },
        { "us-1", false, "AREA-NAME-N", NULL },
        { "aws-global", false, "AREA-NAME-N", NULL },
        { "us-east-1a", false, "AREA-NAME-N", "us-east-1" },  /* an AZ */
        { "all", false, "AREA-NAME-N", NULL },
    };
    char why[256];

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        bool ok;
        why[0] = '\0';
        ok = regions_valid_syntax(cases[i].region, why, sizeof why);
        if (ok != cases[i].ok)
            fail_msg("\"%s\": valid=%d, want %d (%s)", cases[i].region, ok, cases[i].ok, why);
        if (ok)
            continue;
        if (!strstr(why, cases[i].why_has))
            fail_msg("\"%s\": reason \"%s\" lacks \"%s\"", cases[i].region, why, cases[i].why_has);
        if (cases[i].suggest) {
            char want[128];
            snprintf(want, sizeof want, "did you mean %s?", cases[i].suggest);
            if (!strstr(why, want))
                fail_msg("\"%s\": \"%s\" lacks \"%s\"", cases[i].region, why, want);
        } else if (strstr(why, "did you mean")) {
            fail_msg("\"%s\": unexpected suggestion in \"%s\"", cases[i].region, why);
        }
    }
}

static void test_valid_syntax_limits(void **state)
{
    char region[130], why[64];

    (void)state;
    /* 100 characters is the agent's limit */
    memset(region, 'a', sizeof region);
    memcpy(region, "us-", 3);
    region[97] = '-';
    region[98] = '1';
    region[99] = '\0';
    assert_true(regions_valid_syntax(region, why, sizeof why));
    region[99] = '2';
    region[100] = '\0';
    assert_true(regions_valid_syntax(region, why, sizeof why));
    region[100] = '3';
    region[101] = '\0';
    assert_false(regions_valid_syntax(region, why, sizeof why));
    assert_non_null(strstr(why, "100"));
    /* a small buffer is truncated, never overrun; NULL buffer allowed */
    assert_false(regions_valid_syntax("us-east1", why, 8));
    assert_int_equal(strlen(why), 7);
    assert_false(regions_valid_syntax("us-east1", NULL, 0));
    assert_false(regions_valid_syntax(NULL, why, sizeof why));
}

static void test_suggest(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        { "us-east1", "us-east-1" },
        { "us-est-1", "us-east-1" },
        { "eu-wst-1", "eu-west-1" },
        { "ap-southeast-01", "ap-southeast-1" },
        { "cn-nortwest-1", "cn-northwest-1" },
        { "us-gov-west1", "us-gov-west-1" },
        { "US-EAST-1", "us-east-1" },
        { "us-east-1", NULL },        /* exact: nothing to suggest */
        { "zz-nowhere-42", NULL },
        { "", NULL },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        const char *got = regions_suggest(cases[i].in);
        if (cases[i].want == NULL) {
            if (got)
                fail_msg("\"%s\": unexpected suggestion %s", cases[i].in, got);
        } else if (!got || strcmp(got, cases[i].want) != 0) {
            fail_msg("\"%s\": suggestion %s, want %s", cases[i].in, got ? got : "(none)",
                     cases[i].want);
        }
    }
}

static void test_agent_domain(void **state)
{
    static const struct {
        const char *region, *domain;
    } cases[] = {
        { "us-east-1", "amazonaws.com" },
        { "us-gov-west-1", "amazonaws.com" },
        { "cn-north-1", "amazonaws.com.cn" },
        { "us-iso-east-1", "c2s.ic.gov" },
        { "us-isob-east-1", "sc2s.sgov.gov" },
        { "us-isof-south-1", "csp.hci.ic.gov" },
        { "eu-isoe-west-1", "cloud.adc-e.uk" },
        { "eusc-de-east-1", "amazonaws.eu" },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        assert_string_equal(regions_agent_domain(cases[i].region), cases[i].domain);
        /* the agent's prefix rule agrees with the table for table regions */
        if (regions_find(cases[i].region))
            assert_string_equal(regions_partition_of(cases[i].region)->dns_suffix,
                                cases[i].domain);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partitions),
        cmocka_unit_test(test_regions_opt_in),
        cmocka_unit_test(test_partition_of_prefix),
        cmocka_unit_test(test_services),
        cmocka_unit_test(test_endpoint_names),
        cmocka_unit_test(test_endpoint_name_buffer),
        cmocka_unit_test(test_offered),
        cmocka_unit_test(test_valid_syntax),
        cmocka_unit_test(test_valid_syntax_limits),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_agent_domain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
