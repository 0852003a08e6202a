/* test_hostextra.c — time synchronisation facts and client-side tools on
 * fixture roots (tests/fixtures/hostextra/rootN). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hostextra.h"
#include "result.h"

#define FX "tests/fixtures/hostextra/"

static void test_parse_aws_version(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64", "2.15.0"},
        {"aws-cli/1.16.12 Python/2.7.16 Linux/4.14 botocore/1.12.2", "1.16.12"},
        {"something else", NULL},
        {"aws-cli/ Python", NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[40];
        bool ok = clienttools_parse_aws_version(cases[i].text, out, sizeof out);
        if (!cases[i].want) {
            assert_false(ok);
            continue;
        }
        assert_true(ok);
        assert_string_equal(out, cases[i].want);
    }
}

static void test_timesync(void **state)
{
    struct timesync_facts ts;
    char text[200];
    (void)state;

    timesync_check(FX "root1", FX "root1/proc", &ts);
    assert_string_equal(ts.service, "chrony");
    assert_true(ts.amazon_source);
    assert_string_equal(ts.config, "/etc/chrony.conf");
    timesync_describe(&ts, text, sizeof text);
    assert_non_null(strstr(text, "chrony"));
    assert_non_null(strstr(text, "Amazon Time Sync in /etc/chrony.conf"));

    timesync_check(FX "root2", FX "root2/proc", &ts);
    assert_string_equal(ts.service, "systemd-timesyncd");
    assert_int_equal(ts.synchronized, 1);
    assert_false(ts.amazon_source);
    timesync_describe(&ts, text, sizeof text);
    assert_non_null(strstr(text, "synchronised"));
    assert_non_null(strstr(text, "no Amazon Time Sync"));

    timesync_check(FX "root3", FX "root3/proc", &ts);
    assert_string_equal(ts.service, "");
    timesync_describe(&ts, text, sizeof text);
    assert_non_null(strstr(text, "no time synchronisation service"));
}

static void test_client_tools(void **state)
{
    struct client_facts cf;
    struct report r;
    (void)state;

    clienttools_check(FX "root1", &cf);
    assert_true(cf.aws_cli.found);
    assert_string_equal(cf.aws_cli.path, "/usr/local/bin/aws");
    assert_string_equal(cf.aws_cli.version, "1.16.0");
    assert_true(cf.plugin.found);
    assert_string_equal(cf.plugin.version, "1.2.800.0");

    report_init(&r);
    hostextra_report(&cf, &r);
    assert_int_equal(r.nfindings, 2);
    assert_string_equal(r.findings[0].code, "client_prerequisites");
    assert_int_equal(r.findings[0].severity, STATUS_INFO);
    assert_non_null(strstr(r.findings[0].message, "older than 1.16.12"));
    assert_null(strstr(r.findings[1].message, "older than"));
    report_free(&r);

    clienttools_check(FX "root2", &cf);
    assert_false(cf.aws_cli.found);
    assert_false(cf.plugin.found);
    report_init(&r);
    hostextra_report(&cf, &r);
    assert_int_equal(r.nfindings, 0);
    report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_aws_version),
        cmocka_unit_test(test_timesync),
        cmocka_unit_test(test_client_tools),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
