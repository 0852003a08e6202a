/* test_addr.c — address scope classification (SPEC "What one probe does" 1),
 * numeric-literal detection and IPv4 CIDR membership. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- addr_scope_of ----------------------------------------------------- */

static const struct {
    const char *ip;
    enum addr_scope scope;
} scope_cases[] = {
    /* RFC 1918, both edges of each block and just outside. */
    { "10.0.0.0", SCOPE_PRIVATE },
    { "10.0.1.5", SCOPE_PRIVATE },
    { "10.255.255.255", SCOPE_PRIVATE },
    { "9.255.255.255", SCOPE_PUBLIC },
    { "11.0.0.0", SCOPE_PUBLIC },
    { "172.16.0.0", SCOPE_PRIVATE },
    { "172.31.255.255", SCOPE_PRIVATE },
    { "172.15.255.255", SCOPE_PUBLIC },
    { "172.32.0.0", SCOPE_PUBLIC },
    { "192.168.0.1", SCOPE_PRIVATE },
    { "192.168.255.255", SCOPE_PRIVATE },
    { "192.167.255.255", SCOPE_PUBLIC },
    { "192.169.0.0", SCOPE_PUBLIC },
    /* 100.64/10 shared address space (carrier-grade NAT). */
    { "100.64.0.0", SCOPE_PRIVATE },
    { "100.127.255.255", SCOPE_PRIVATE },
    { "100.63.255.255", SCOPE_PUBLIC },
    { "100.128.0.0", SCOPE_PUBLIC },
    /* Loopback. */
    { "127.0.0.1", SCOPE_LOOPBACK },
    { "127.255.255.254", SCOPE_LOOPBACK },
    { "::1", SCOPE_LOOPBACK },
    { "0:0:0:0:0:0:0:1", SCOPE_LOOPBACK },
    /* Link-local (IMDS, Amazon DNS 169.254.169.253, fe80::/10). */
    { "169.254.169.254", SCOPE_LINK_LOCAL },
    { "169.254.0.0", SCOPE_LINK_LOCAL },
    { "169.254.255.255", SCOPE_LINK_LOCAL },
    { "169.253.255.255", SCOPE_PUBLIC },
    { "169.255.0.0", SCOPE_PUBLIC },
    { "fe80::1", SCOPE_LINK_LOCAL },
    { "febf:ffff::1", SCOPE_LINK_LOCAL },
    { "fec0::1", SCOPE_OTHER },  /* deprecated site-local: not link-local, not public */
    /* fc00::/7 unique local (IMDS IPv6 fd00:ec2::254). */
    { "fc00::1", SCOPE_PRIVATE },
    { "fd00:ec2::254", SCOPE_PRIVATE },
    { "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", SCOPE_PRIVATE },
    { "fbff::1", SCOPE_OTHER },
    /* Documentation ranges → other. */
    { "192.0.2.1", SCOPE_OTHER },
    { "192.0.2.255", SCOPE_OTHER },
    { "198.51.100.7", SCOPE_OTHER },
    { "203.0.113.200", SCOPE_OTHER },
    { "192.0.3.1", SCOPE_PUBLIC },
    { "198.51.101.1", SCOPE_PUBLIC },
    { "203.0.114.1", SCOPE_PUBLIC },
    { "2001:db8::1", SCOPE_OTHER },
    { "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", SCOPE_OTHER },
    { "2001:db9::1", SCOPE_PUBLIC },
    /* Other reserved: IETF 192.0.0/24, benchmarking 198.18/15, class E,
     * broadcast. */
    { "192.0.0.8", SCOPE_OTHER },
    { "198.18.0.1", SCOPE_OTHER },
    { "198.19.255.255", SCOPE_OTHER },
    { "198.20.0.0", SCOPE_PUBLIC },
    { "240.0.0.1", SCOPE_OTHER },
    { "255.255.255.255", SCOPE_OTHER },
    /* Multicast. */
    { "224.0.0.1", SCOPE_OTHER },
    { "239.255.255.250", SCOPE_OTHER },
    { "223.255.255.255", SCOPE_PUBLIC },
    { "ff02::1", SCOPE_OTHER },
    { "ff0e::101", SCOPE_OTHER },
    /* Unspecified and "this network". */
    { "0.0.0.0", SCOPE_OTHER },
    { "0.1.2.3", SCOPE_OTHER },
    { "::", SCOPE_OTHER },
    /* IPv4-mapped IPv6: classified as the IPv4 address. */
    { "::ffff:10.0.0.1", SCOPE_PRIVATE },
    { "::ffff:100.64.1.1", SCOPE_PRIVATE },
    { "::ffff:127.0.0.1", SCOPE_LOOPBACK },
    { "::ffff:169.254.169.254", SCOPE_LINK_LOCAL },
    { "::ffff:192.0.2.1", SCOPE_OTHER },
    { "::ffff:52.94.0.1", SCOPE_PUBLIC },
    { "::ffff:0a00:0001", SCOPE_PRIVATE },
    { "0:0:0:0:0:ffff:c0a8:0101", SCOPE_PRIVATE },
    /* Public: AWS addresses of ssm endpoints and a few others. */
    { "52.46.141.158", SCOPE_PUBLIC },
    { "3.5.0.1", SCOPE_PUBLIC },
    { "8.8.8.8", SCOPE_PUBLIC },
    { "1.1.1.1", SCOPE_PUBLIC },
    { "2600:1f18::1", SCOPE_PUBLIC },
    { "2a05:d018::1", SCOPE_PUBLIC },
    { "2001:4860:4860::8888", SCOPE_PUBLIC },
    /* Outside 2000::/3 (reserved) → other. */
    { "4000::1", SCOPE_OTHER },
    /* Not an address → other. */
    { "", SCOPE_OTHER },
    { "ssm.us-east-1.amazonaws.com", SCOPE_OTHER },
    { "10.0.0", SCOPE_OTHER },
    { "10.0.0.256", SCOPE_OTHER },
    { "[::1]", SCOPE_OTHER },
    { " 10.0.0.1", SCOPE_OTHER },
};

static void test_scope_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(scope_cases); i++) {
        enum addr_scope got = addr_scope_of(scope_cases[i].ip);
        if (got != scope_cases[i].scope)
            fail_msg("addr_scope_of(\"%s\") = %s, want %s", scope_cases[i].ip, scope_name(got),
                     scope_name(scope_cases[i].scope));
    }
}

static void test_scope_names(void **state)
{
    (void)state;
    assert_string_equal(scope_name(SCOPE_PUBLIC), "public");
    assert_string_equal(scope_name(SCOPE_PRIVATE), "private");
    assert_string_equal(scope_name(SCOPE_LOOPBACK), "loopback");
    assert_string_equal(scope_name(SCOPE_LINK_LOCAL), "link-local");
    assert_string_equal(scope_name(SCOPE_OTHER), "other");
}

/* ---- addr_is_literal --------------------------------------------------- */

static void test_is_literal(void **state)
{
    static const struct {
        const char *s;
        bool ok;
        int family;
    } cases[] = {
        { "10.0.0.2", true, 4 },
        { "0.0.0.0", true, 4 },
        { "255.255.255.255", true, 4 },
        { "::1", true, 6 },
        { "::", true, 6 },
        { "fd00:ec2::254", true, 6 },
        { "::ffff:10.0.0.1", true, 6 },
        { "2001:DB8::A", true, 6 },
        { "", false, 0 },
        { "localhost", false, 0 },
        { "ssm.us-east-1.amazonaws.com", false, 0 },
        { "10.0.0", false, 0 },
        { "10.0.0.1.", false, 0 },
        { "256.0.0.1", false, 0 },
        { "10.0.0.1:53", false, 0 },
        { "[::1]", false, 0 },
        { "::1%lo", false, 0 },
        { "1:2:3:4:5:6:7:8:9", false, 0 },
        { "10.0.0.1 ", false, 0 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        int fam = -7;
        bool ok = addr_is_literal(cases[i].s, &fam);
        if (ok != cases[i].ok)
            fail_msg("addr_is_literal(\"%s\") = %d, want %d", cases[i].s, ok, cases[i].ok);
        if (ok && fam != cases[i].family)
            fail_msg("addr_is_literal(\"%s\"): family %d, want %d", cases[i].s, fam,
                     cases[i].family);
        if (!ok && fam != -7)
            fail_msg("addr_is_literal(\"%s\") wrote family on failure", cases[i].s);
    }
    /* family may be NULL. */
    assert_true(addr_is_literal("192.0.2.1", NULL));
    assert_true(addr_is_literal("2001:db8::1", NULL));
    assert_false(addr_is_literal("example", NULL));
}

/* ---- addr_in_cidr4 ----------------------------------------------------- */

static void test_in_cidr4(void **state)
{
    static const struct {
        const char *ip, *cidr;
        bool in;
    } cases[] = {
        { "10.0.1.5", "10.0.0.0/16", true },
        { "10.0.255.255", "10.0.0.0/16", true },
        { "10.1.0.0", "10.0.0.0/16", false },
        { "9.255.255.255", "10.0.0.0/8", false },
        { "172.31.5.9", "172.16.0.0/12", true },
        { "172.32.0.1", "172.16.0.0/12", false },
        /* host bits set in the network part are ignored */
        { "10.0.1.5", "10.0.1.77/24", true },
        /* /0 matches everything */
        { "8.8.8.8", "0.0.0.0/0", true },
        { "255.255.255.255", "10.0.0.0/0", true },
        { "0.0.0.0", "0.0.0.0/0", true },
        /* /32 matches exactly one address */
        { "10.0.0.2", "10.0.0.2/32", true },
        { "10.0.0.3", "10.0.0.2/32", false },
        { "10.0.0.1", "10.0.0.2/32", false },
        /* /31 and /1 edges */
        { "10.0.0.3", "10.0.0.2/31", true },
        { "10.0.0.4", "10.0.0.2/31", false },
        { "127.255.255.255", "0.0.0.0/1", true },
        { "128.0.0.0", "0.0.0.0/1", false },
        /* no prefix length: a single host */
        { "10.0.0.2", "10.0.0.2", true },
        { "10.0.0.3", "10.0.0.2", false },
        /* bad CIDRs never match */
        { "10.0.0.1", "10.0.0.0/33", false },
        { "10.0.0.1", "10.0.0.0/-1", false },
        { "10.0.0.1", "10.0.0.0/8x", false },
        { "10.0.0.1", "10.0.0.0/abc", false },
        { "10.0.0.1", "10.0.0/8", false },
        { "10.0.0.1", "10.0.0.0.0/8", false },
        { "10.0.0.1", "/8", false },
        { "10.0.0.1", "", false },
        { "10.0.0.1", "not-a-cidr", false },
        { "10.0.0.1", "10.0.0.0/8/8", false },
        { "10.0.0.1", "1111111111111111.0.0.0/8", false },
        /* IPv6 is not handled: never matches */
        { "10.0.0.1", "::/0", false },
        { "::1", "0.0.0.0/0", false },
        { "::ffff:10.0.0.1", "10.0.0.0/8", false },
        /* bad address */
        { "10.0.0", "10.0.0.0/8", false },
        { "", "0.0.0.0/0", false },
        { "host.example", "0.0.0.0/0", false },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        bool in = addr_in_cidr4(cases[i].ip, cases[i].cidr);
        if (in != cases[i].in)
            fail_msg("addr_in_cidr4(\"%s\", \"%s\") = %d, want %d", cases[i].ip, cases[i].cidr,
                     in, cases[i].in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scope_table),
        cmocka_unit_test(test_scope_names),
        cmocka_unit_test(test_is_literal),
        cmocka_unit_test(test_in_cidr4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
