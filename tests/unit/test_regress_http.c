/* test_regress_http.c — regression tests for bugs found by the unit tests, now fixed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "http.h"

static void test_status_four_digits(void **state)
{
    struct http_head h;
    char err[128] = "";
    (void)state;
    /* status-code = 3DIGIT, then SP or line end (RFC 9112 §4) */
    assert_int_equal(http_parse_head("HTTP/1.1 2000 OK\r\n\r\n", 20, &h, err, sizeof err), HTTP_BAD);
}

static void test_status_no_space(void **state)
{
    struct http_head h;
    char err[128] = "";
    (void)state;
    assert_int_equal(http_parse_head("HTTP/1.1 200OK\r\n\r\n", 18, &h, err, sizeof err), HTTP_BAD);
}

static void test_date_impossible_day(void **state)
{
    (void)state;
    /* 30 February does not exist: malformed, -1 (not 2 March). */
    assert_int_equal(http_parse_date("Mon, 30 Feb 2026 10:00:00 GMT"), -1);
    assert_int_equal(http_parse_date("Thu, 31 Apr 2026 10:00:00 GMT"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_four_digits),
        cmocka_unit_test(test_status_no_space),
        cmocka_unit_test(test_date_impossible_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
