/* test_regress_addr.c — regression tests for bugs found by the unit tests, now fixed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include "addr.h"

static void test_cidr_empty_prefix(void **state)
{
    (void)state;
    /* "10.0.0.0/" has no prefix length: a bad CIDR, must not match. */
    assert_false(addr_in_cidr4("8.8.8.8", "10.0.0.0/"));
    assert_false(addr_in_cidr4("8.8.8.8", "10.0.0.0/ 8"));
    assert_false(addr_in_cidr4("8.8.8.8", "10.0.0.0/+0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_cidr_empty_prefix) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
