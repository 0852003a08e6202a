/* test_cli.c — value parsers (seconds, --dns-server, --resolve) and the
 * probe command line over argv tables (SPEC "Options (probe)", exit 2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <unistd.h>

#include <cmocka.h>

#include "msgs.h"
#include "options.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SEC 1000000000ull

/* ---- cli_parse_seconds ------------------------------------------------- */

static void test_seconds(void **state)
{
    static const struct {
        const char *s;
        dur_ns ns;
    } good[] = {
        { "10", 10 * SEC },
        { "1", SEC },
        { "0.5", 500000000ull },
        { "2.5", 2500000000ull },
        { "0.001", 1000000ull },
        { "0.0000015", 1500ull },
        { "1e3", 1000 * SEC },
        { "3600", 3600 * SEC },
        { "3600.0", 3600 * SEC },
        { "1e-9", 1 },
        { "1e-12", 1 },     /* positive but below 1 ns: rounds up to 1 ns, never 0 */
        { "05", 5 * SEC },
    };
    static const char *const bad[] = {
        "", "abc", "10s", "5 ", "1,5", "-1", "-0.5", "0", "0.0", "-0", "3600.001", "3601", "1e9",
        "nan", "NaN", "inf", "-inf", "1e999", ".", "e3", "--1",
    };
    (void)state;
    for (size_t i = 0; i < N(good); i++) {
        dur_ns out = 0;
        char err[200] = "";
        if (cli_parse_seconds(good[i].s, &out, err, sizeof err) != 0)
            fail_msg("cli_parse_seconds(\"%s\") failed: %s", good[i].s, err);
        if (out != good[i].ns)
            fail_msg("cli_parse_seconds(\"%s\") = %llu ns, want %llu", good[i].s,
                     (unsigned long long)out, (unsigned long long)good[i].ns);
    }
    for (size_t i = 0; i < N(bad); i++) {
        dur_ns out = 12345;
        char err[200] = "";
        if (cli_parse_seconds(bad[i], &out, err, sizeof err) != -1)
            fail_msg("cli_parse_seconds(\"%s\") accepted (%llu ns)", bad[i],
                     (unsigned long long)out);
        if (!err[0])
            fail_msg("cli_parse_seconds(\"%s\"): no reason", bad[i]);
        if (out != 12345)
            fail_msg("cli_parse_seconds(\"%s\") wrote out on failure", bad[i]);
        /* The message quotes the value. */
        if (bad[i][0] && !strstr(err, bad[i]))
            fail_msg("cli_parse_seconds(\"%s\"): reason '%s' does not quote it", bad[i], err);
    }
}

/* ---- cli_parse_dns_server ---------------------------------------------- */

static void test_dns_server(void **state)
{
    static const struct {
        const char *s, *addr;
        int port;
    } good[] = {
        { "10.0.0.2", "10.0.0.2", 53 },
        { "169.254.169.253", "169.254.169.253", 53 },
        { "10.0.0.2:53", "10.0.0.2", 53 },
        { "127.0.0.1:5353", "127.0.0.1", 5353 },
        { "127.0.0.1:1", "127.0.0.1", 1 },
        { "127.0.0.1:65535", "127.0.0.1", 65535 },
        { "::1", "::1", 53 },
        { "fd00:ec2::253", "fd00:ec2::253", 53 },
        { "2001:db8::53", "2001:db8::53", 53 },
        { "[::1]", "::1", 53 },
        { "[::1]:5353", "::1", 5353 },
        { "[fd00:ec2::253]:53", "fd00:ec2::253", 53 },
        { "[2001:db8:0:0:0:0:0:53]:10053", "2001:db8:0:0:0:0:0:53", 10053 },
    };
    static const char *const bad[] = {
        "",
        "garbage",
        "dns.google",
        "dns.google:53",
        "10.0.0",
        "10.0.0.256",
        "10.0.0.2:",
        "10.0.0.2:0",
        "10.0.0.2:65536",
        "10.0.0.2:53x",
        "10.0.0.2:-53",
        "10.0.0.2:53:53",
        "10.0.0.2 ",
        "[::1",
        "[::1]:",
        "[::1]x",
        "[::1]:x",
        "[::1]:0",
        "[::1]:99999",
        "[]",
        "[]:53",
        "[10.0.0.2]:53",       /* brackets are for IPv6 only */
        "[dns.google]:53",
        "::1]:53",
        "fe80::1%eth0",
        "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb:cccc:dddd:eeee:ffff",
        "[1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb:cccc:dddd:eeee:ffff]:53",
    };
    (void)state;
    for (size_t i = 0; i < N(good); i++) {
        struct dns_server ds;
        char err[200] = "";
        memset(&ds, 0x5a, sizeof ds);
        if (cli_parse_dns_server(good[i].s, &ds, err, sizeof err) != 0)
            fail_msg("cli_parse_dns_server(\"%s\") failed: %s", good[i].s, err);
        if (strcmp(ds.addr, good[i].addr) != 0 || ds.port != good[i].port)
            fail_msg("cli_parse_dns_server(\"%s\") = %s port %d, want %s port %d", good[i].s,
                     ds.addr, ds.port, good[i].addr, good[i].port);
    }
    for (size_t i = 0; i < N(bad); i++) {
        struct dns_server ds;
        char err[200] = "";
        if (cli_parse_dns_server(bad[i], &ds, err, sizeof err) != -1)
            fail_msg("cli_parse_dns_server(\"%s\") accepted: %s port %d", bad[i], ds.addr,
                     ds.port);
        if (!err[0])
            fail_msg("cli_parse_dns_server(\"%s\"): no reason", bad[i]);
    }
}

/* ---- cli_parse_resolve ------------------------------------------------- */

static void test_resolve_good(void **state)
{
    static const struct {
        const char *s, *host;
        int port;
        int naddrs;
        const char *addrs[4];
    } good[] = {
        { "ssm.us-east-1.amazonaws.com:443:10.0.1.5", "ssm.us-east-1.amazonaws.com", 443, 1,
          { "10.0.1.5" } },
        { "SSM.US-East-1.AmazonAWS.com:443:10.0.1.5", "ssm.us-east-1.amazonaws.com", 443, 1,
          { "10.0.1.5" } },
        { "ssmmessages.us-east-1.amazonaws.com:8443:10.0.1.5,10.0.2.5", 
          "ssmmessages.us-east-1.amazonaws.com", 8443, 2, { "10.0.1.5", "10.0.2.5" } },
        { "h:443:[::1]", "h", 443, 1, { "::1" } },
        { "h:443:::1", "h", 443, 1, { "::1" } },
        { "h:443:[fd00:ec2::5],10.0.0.1,[2001:db8::1]", "h", 443, 3,
          { "fd00:ec2::5", "10.0.0.1", "2001:db8::1" } },
        { "h:443:2001:db8::1,10.0.0.1", "h", 443, 2, { "2001:db8::1", "10.0.0.1" } },
        { "a_b-c.example:1:127.0.0.1", "a_b-c.example", 1, 1, { "127.0.0.1" } },
        { "h:65535:127.0.0.1", "h", 65535, 1, { "127.0.0.1" } },
    };
    (void)state;
    for (size_t i = 0; i < N(good); i++) {
        struct resolve_entry r;
        char err[200] = "";
        if (cli_parse_resolve(good[i].s, &r, err, sizeof err) != 0)
            fail_msg("cli_parse_resolve(\"%s\") failed: %s", good[i].s, err);
        assert_string_equal(r.host, good[i].host);
        assert_int_equal(r.port, good[i].port);
        if (r.naddrs != good[i].naddrs)
            fail_msg("cli_parse_resolve(\"%s\"): %d addresses, want %d", good[i].s, r.naddrs,
                     good[i].naddrs);
        for (int k = 0; k < r.naddrs; k++)
            assert_string_equal(r.addrs[k], good[i].addrs[k]);
        resolve_entry_free(&r);
        assert_null(r.host);
        assert_int_equal(r.naddrs, 0);
    }
}

static void test_resolve_bad(void **state)
{
    static const char *const bad[] = {
        "",
        "h",
        "h:443",
        "h:443:",
        ":443:10.0.0.1",              /* missing host */
        "h::10.0.0.1",                /* missing port */
        "h:0:10.0.0.1",               /* bad ports */
        "h:65536:10.0.0.1",
        "h:https:10.0.0.1",
        "h:44x:10.0.0.1",
        "h:-1:10.0.0.1",
        "h:123456789:10.0.0.1",
        "h:443:notanip",              /* bad addresses */
        "h:443:10.0.0",
        "h:443:10.0.0.1,",
        "h:443:,10.0.0.1",
        "h:443:10.0.0.1,,10.0.0.2",
        "h:443:10.0.0.1,bogus",
        "h:443:[]",
        "h:443:[::1",
        "h:443:::1]",
        "h:443:[::1]:443",
        "bad host:443:10.0.0.1",      /* bad host names */
        "h/x:443:10.0.0.1",
        "h\x01:443:10.0.0.1",
    };
    (void)state;
    for (size_t i = 0; i < N(bad); i++) {
        struct resolve_entry r;
        char err[200] = "";
        if (cli_parse_resolve(bad[i], &r, err, sizeof err) != -1) {
            fail_msg("cli_parse_resolve(\"%s\") accepted: host %s port %d, %d addresses", bad[i],
                     r.host, r.port, r.naddrs);
        }
        if (!err[0])
            fail_msg("cli_parse_resolve(\"%s\"): no reason", bad[i]);
        /* Nothing is left allocated on failure. */
        assert_null(r.host);
        assert_null(r.addrs);
        assert_int_equal(r.naddrs, 0);
    }
}

/* ---- cli_parse over argv tables --------------------------------------- */

#define MAXARGS 12

/* Run cli_parse on a private, writable copy of argv (getopt permutes it). */
static int run(struct options *o, const char *const *args, bool *done)
{
    char *argv[MAXARGS + 2];
    int argc = 0;
    argv[argc++] = strdup("ssmprobe");
    for (int i = 0; i < MAXARGS && args[i]; i++)
        argv[argc++] = strdup(args[i]);
    argv[argc] = NULL;
    /* cli_parse() sets optind = 1, which for glibc is not a full
     * re-initialisation: getopt would resume from its scan pointer into the
     * previous (freed) argv. Force a full reset (optind = 0) first. */
    char prog[] = "reset", *reset_argv[] = { prog, NULL };
    optind = 0;
    opterr = 0;
    assert_int_equal(getopt(1, reset_argv, ""), -1);
    options_init(o);
    int rc = cli_parse(o, argc, argv, done);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    return rc;
}

static void test_cli_exit_codes(void **state)
{
    static const struct {
        const char *args[MAXARGS];
        int rc;
    } cases[] = {
        { { NULL }, EXIT_OK },
        { { "us-east-1" }, EXIT_OK },
        { { "-r", "us-east-1,eu-west-1" }, EXIT_OK },
        { { "--region=us-east-1", "--region", "eu-west-1", "ap-south-1" }, EXIT_OK },
        { { "all" }, EXIT_OK },
        { { "--all-regions", "--partition", "aws-cn" }, EXIT_OK },
        { { "-4" }, EXIT_OK },
        { { "-6" }, EXIT_OK },
        { { "--ipv4" }, EXIT_OK },
        { { "--json" }, EXIT_OK },
        { { "-o", "ndjson" }, EXIT_OK },
        { { "-ojson" }, EXIT_OK },
        { { "--output=text" }, EXIT_OK },
        { { "-q", "-vvv" }, EXIT_OK },
        { { "--timeout", "2.5", "--connect-timeout=1", "--dns-timeout", "0.2" }, EXIT_OK },
        { { "--dns-server", "10.0.0.2,[::1]:5353", "--dns-server", "127.0.0.1:53" }, EXIT_OK },
        { { "--resolve", "ssm.us-east-1.amazonaws.com:443:10.0.1.5" }, EXIT_OK },
        { { "-s", "ssm,kms,logs" }, EXIT_OK },
        { { "-s", "all" }, EXIT_OK },
        { { "--port", "8443", "--concurrency", "8" }, EXIT_OK },
        { { "--no-large-hello", "--first-address", "--no-imds", "--no-host-checks" }, EXIT_OK },
        { { "--endpoint", "ssm=https://vpce-0abc-1234.ssm.us-east-1.vpce.amazonaws.com" }, EXIT_OK },
        { { "--proxy", "http://proxy.corp:3128", "--noproxy", "169.254.169.254" }, EXIT_OK },
        { { "--proxy-source", "none" }, EXIT_OK },
        { { "--imds-endpoint", "http://[fd00:ec2::254]" }, EXIT_OK },
        { { "--color", "never", "--trace" }, EXIT_OK },
        { { "--root", "/" }, EXIT_OK },
        { { "--ca-path", "/" }, EXIT_OK },
        { { "us-east-1", "--", "eu-west-1" }, EXIT_OK },
        /* unknown options */
        { { "--bogus" }, EXIT_USAGE },
        { { "-x" }, EXIT_USAGE },
        { { "-4x" }, EXIT_USAGE },
        { { "--json=yes" }, EXIT_USAGE },
        { { "--no" }, EXIT_USAGE },                 /* ambiguous abbreviation */
        /* missing values */
        { { "--timeout" }, EXIT_USAGE },
        { { "-r" }, EXIT_USAGE },
        { { "-o" }, EXIT_USAGE },
        { { "us-east-1", "--dns-server" }, EXIT_USAGE },
        { { "--resolve" }, EXIT_USAGE },
        /* bad region syntax */
        { { "US-EAST-1" }, EXIT_USAGE },
        { { "us_east_1" }, EXIT_USAGE },
        { { "useast1" }, EXIT_USAGE },
        { { "-r", "" }, EXIT_USAGE },
        { { "-r", "us-east-1,eu west 1" }, EXIT_USAGE },
        { { "us-east-1", "us-east-1;rm" }, EXIT_USAGE },
        /* bad values */
        { { "-o", "xml" }, EXIT_USAGE },
        { { "--output", "JSON" }, EXIT_USAGE },
        { { "--color", "sometimes" }, EXIT_USAGE },
        { { "--timeout", "abc" }, EXIT_USAGE },
        { { "--timeout", "-1" }, EXIT_USAGE },
        { { "--timeout", "0" }, EXIT_USAGE },
        { { "--connect-timeout", "nan" }, EXIT_USAGE },
        { { "--dns-timeout", "inf" }, EXIT_USAGE },
        { { "--timeout=" }, EXIT_USAGE },
        { { "--port", "0" }, EXIT_USAGE },
        { { "--port", "65536" }, EXIT_USAGE },
        { { "--port", "443x" }, EXIT_USAGE },
        { { "--dns-server", "garbage" }, EXIT_USAGE },
        { { "--dns-server", "" }, EXIT_USAGE },
        { { "--dns-server", "10.0.0.2,bogus" }, EXIT_USAGE },
        { { "--resolve", "host:443" }, EXIT_USAGE },
        { { "--resolve", "ssm.us-east-1.amazonaws.com:443:10.0.1.5", "--resolve", "h:0:1.2.3.4" },
          EXIT_USAGE },
        { { "-s", "ssm,bogus" }, EXIT_USAGE },
        { { "-s", "" }, EXIT_USAGE },
        { { "--partition", "aws-moon" }, EXIT_USAGE },
        { { "--concurrency", "0" }, EXIT_USAGE },
        { { "--concurrency", "many" }, EXIT_USAGE },
        { { "--proxy-source", "both" }, EXIT_USAGE },
        { { "--imds-endpoint", "https://169.254.169.254" }, EXIT_USAGE },
        { { "--imds-endpoint", "http://" }, EXIT_USAGE },
        { { "--endpoint", "bogus=https://example.com" }, EXIT_USAGE },
        { { "--endpoint", "ssm" }, EXIT_USAGE },
        { { "--endpoint", "ssm=ftp://example.com" }, EXIT_USAGE },
        { { "--ca-file", "/nonexistent/ca.pem" }, EXIT_USAGE },
        { { "--ca-file", "/" }, EXIT_USAGE },        /* a directory */
        { { "--ca-path", "/nonexistent" }, EXIT_USAGE },
        { { "--root", "/nonexistent/root" }, EXIT_USAGE },
        { { "--agent-config", "/nonexistent/amazon-ssm-agent.json" }, EXIT_USAGE },
        /* an error after good options still fails */
        { { "--json", "-4", "us-east-1", "--port", "x" }, EXIT_USAGE },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct options o;
        bool done = true;
        int rc = run(&o, cases[i].args, &done);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s %s ...): rc %d, want %d", i,
                     cases[i].args[0] ? cases[i].args[0] : "", cases[i].args[0] &&
                     cases[i].args[1] ? cases[i].args[1] : "", rc, cases[i].rc);
        if (rc == EXIT_OK && done)
            fail_msg("case %zu: done set without --help/--version", i);
        options_free(&o);
    }
}

static void test_cli_defaults(void **state)
{
    struct options o;
    bool done;
    const char *args[] = { NULL };
    (void)state;
    assert_int_equal(run(&o, args, &done), EXIT_OK);
    assert_false(done);
    assert_int_equal(o.nregions, 0);
    assert_false(o.all_regions);
    assert_string_equal(o.partition, "aws");
    assert_int_equal(o.services, SVC_DEFAULT_MASK);
    assert_int_equal(o.family, 0);
    assert_int_equal(o.port, 443);
    assert_int_equal(o.timeout, 10 * SEC);
    assert_int_equal(o.connect_timeout, 5 * SEC);
    assert_int_equal(o.dns_timeout, 5 * SEC);
    assert_true(o.large_hello);
    assert_false(o.first_address);
    assert_int_equal(o.concurrency, 64);
    assert_int_equal(o.imds, TRI_AUTO);
    assert_string_equal(o.imds_endpoint, "http://169.254.169.254");
    assert_true(o.host_checks);
    assert_string_equal(o.root, "/");
    assert_int_equal(o.output, OUTPUT_TEXT);
    assert_int_equal(o.color, COLOR_AUTO);
    assert_false(o.quiet);
    assert_int_equal(o.verbose, 0);
    assert_int_equal(o.ndns_servers, 0);
    assert_int_equal(o.nresolves, 0);
    assert_null(o.proxy);
    options_free(&o);
}

static void test_cli_values(void **state)
{
    struct options o;
    bool done;
    (void)state;

    const char *a1[] = { "-r", "us-east-1,eu-west-1", "-r", "us-east-1", "ap-south-1",
                         "eu-west-1", NULL };
    assert_int_equal(run(&o, a1, &done), EXIT_OK);
    assert_int_equal(o.nregions, 3);          /* repeats are kept once, in order */
    assert_string_equal(o.regions[0], "us-east-1");
    assert_string_equal(o.regions[1], "eu-west-1");
    assert_string_equal(o.regions[2], "ap-south-1");
    assert_false(o.all_regions);
    options_free(&o);

    const char *a2[] = { "us-east-1", "all", NULL };
    assert_int_equal(run(&o, a2, &done), EXIT_OK);
    assert_true(o.all_regions);
    options_free(&o);

    const char *a3[] = { "-4", NULL };
    assert_int_equal(run(&o, a3, &done), EXIT_OK);
    assert_int_equal(o.family, 4);
    options_free(&o);

    const char *a4[] = { "-6", NULL };
    assert_int_equal(run(&o, a4, &done), EXIT_OK);
    assert_int_equal(o.family, 6);
    options_free(&o);

    const char *a5[] = { "-4", "-6", NULL };   /* the last one wins */
    assert_int_equal(run(&o, a5, &done), EXIT_OK);
    assert_int_equal(o.family, 6);
    options_free(&o);

    const char *a6[] = { "--json", NULL };
    assert_int_equal(run(&o, a6, &done), EXIT_OK);
    assert_int_equal(o.output, OUTPUT_JSON);
    options_free(&o);

    const char *a7[] = { "-o", "ndjson", NULL };
    assert_int_equal(run(&o, a7, &done), EXIT_OK);
    assert_int_equal(o.output, OUTPUT_NDJSON);
    options_free(&o);

    const char *a8[] = { "--json", "-o", "text", NULL };
    assert_int_equal(run(&o, a8, &done), EXIT_OK);
    assert_int_equal(o.output, OUTPUT_TEXT);
    options_free(&o);

    const char *a9[] = { "-v", "-vv", "--verbose", "-q", NULL };
    assert_int_equal(run(&o, a9, &done), EXIT_OK);
    assert_int_equal(o.verbose, 4);
    assert_true(o.quiet);
    options_free(&o);

    const char *a10[] = { "--timeout", "2.5", "--connect-timeout=0.25", "--dns-timeout", "1",
                          "--timeout", "3", NULL };
    assert_int_equal(run(&o, a10, &done), EXIT_OK);
    assert_int_equal(o.timeout, 3 * SEC);
    assert_int_equal(o.connect_timeout, SEC / 4);
    assert_int_equal(o.dns_timeout, SEC);
    options_free(&o);

    const char *a11[] = { "--dns-server", "10.0.0.2,[::1]:5353", "--dns-server", "fd00:ec2::253",
                          NULL };
    assert_int_equal(run(&o, a11, &done), EXIT_OK);
    assert_int_equal(o.ndns_servers, 3);      /* repeatable, in order */
    assert_string_equal(o.dns_servers[0].addr, "10.0.0.2");
    assert_int_equal(o.dns_servers[0].port, 53);
    assert_string_equal(o.dns_servers[1].addr, "::1");
    assert_int_equal(o.dns_servers[1].port, 5353);
    assert_string_equal(o.dns_servers[2].addr, "fd00:ec2::253");
    assert_int_equal(o.dns_servers[2].port, 53);
    options_free(&o);

    const char *a12[] = { "--resolve", "ssm.us-east-1.amazonaws.com:443:10.0.1.5,10.0.2.5",
                          "--resolve", "SSMMESSAGES.us-east-1.amazonaws.com:443:[fd00::1]", NULL };
    assert_int_equal(run(&o, a12, &done), EXIT_OK);
    assert_int_equal(o.nresolves, 2);
    assert_string_equal(o.resolves[0].host, "ssm.us-east-1.amazonaws.com");
    assert_int_equal(o.resolves[0].naddrs, 2);
    assert_string_equal(o.resolves[0].addrs[1], "10.0.2.5");
    assert_string_equal(o.resolves[1].host, "ssmmessages.us-east-1.amazonaws.com");
    assert_string_equal(o.resolves[1].addrs[0], "fd00::1");
    options_free(&o);

    const char *a13a[] = { "-s", "ssm,kms", "--port", "8443", "--concurrency", "8",
                           "--no-large-hello", "--first-address", "--no-imds", NULL };
    assert_int_equal(run(&o, a13a, &done), EXIT_OK);
    assert_int_equal(o.services, SVC_BIT(SVC_SSM) | SVC_BIT(SVC_KMS));
    assert_int_equal(o.port, 8443);
    assert_int_equal(o.concurrency, 8);
    assert_false(o.large_hello);
    assert_true(o.first_address);
    assert_int_equal(o.imds, TRI_OFF);
    options_free(&o);

    const char *a13b[] = { "--no-host-checks", "--partition", "aws-us-gov", "--color", "always",
                           "--trace", "--imds", "-s", "all", NULL };
    assert_int_equal(run(&o, a13b, &done), EXIT_OK);
    assert_false(o.host_checks);
    assert_string_equal(o.partition, "aws-us-gov");
    assert_int_equal(o.color, COLOR_ALWAYS);
    assert_true(o.trace);
    assert_int_equal(o.imds, TRI_ON);
    assert_int_equal(o.services, SVC_ALL_MASK);
    options_free(&o);

    const char *a14[] = { "--proxy", "http://a:3128", "--proxy", "http://u:p@b:3128",
                          "--proxy-source", "agent", NULL };
    assert_int_equal(run(&o, a14, &done), EXIT_OK);
    assert_string_equal(o.proxy, "http://u:p@b:3128");
    assert_true(o.proxy_given);
    assert_int_equal(o.proxy_source, PROXY_SOURCE_AGENT);
    options_free(&o);

    const char *a15[] = { "--endpoint", "ssm=https://vpce-1.ssm.us-east-1.vpce.amazonaws.com/",
                          "--endpoint", "ssmmessages=ssmmessages.example.internal:8443", NULL };
    assert_int_equal(run(&o, a15, &done), EXIT_OK);
    assert_string_equal(o.endpoint[SVC_SSM], "vpce-1.ssm.us-east-1.vpce.amazonaws.com");
    assert_string_equal(o.endpoint[SVC_SSMMESSAGES], "ssmmessages.example.internal:8443");
    assert_null(o.endpoint[SVC_EC2MESSAGES]);
    options_free(&o);
}

static void test_cli_files(void **state)
{
    char path[] = "/tmp/test_cli_XXXXXX";
    int fd = mkstemp(path);
    struct options o;
    bool done;
    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "{}\n", 3), 3);
    close(fd);

    const char *a1[] = { "--ca-file", path, "--agent-config", path, NULL };
    assert_int_equal(run(&o, a1, &done), EXIT_OK);
    assert_string_equal(o.ca_file, path);
    assert_string_equal(o.agent_config, path);
    assert_true(o.agent_config_explicit);
    options_free(&o);

    const char *a2[] = { "--ca-path", path, NULL };   /* a file where a directory is needed */
    assert_int_equal(run(&o, a2, &done), EXIT_USAGE);
    options_free(&o);

    const char *a3[] = { "--root", path, NULL };
    assert_int_equal(run(&o, a3, &done), EXIT_USAGE);
    options_free(&o);

    unlink(path);
    const char *a4[] = { "--ca-file", path, NULL };    /* gone */
    assert_int_equal(run(&o, a4, &done), EXIT_USAGE);
    options_free(&o);
}

static void test_cli_help_version(void **state)
{
    struct options o;
    bool done = false;
    (void)state;
    const char *a1[] = { "--version", NULL };
    assert_int_equal(run(&o, a1, &done), EXIT_OK);
    assert_true(done);
    options_free(&o);

    done = false;
    const char *a2[] = { "-V", "--bogus", NULL };   /* handled before the bad option */
    assert_int_equal(run(&o, a2, &done), EXIT_OK);
    assert_true(done);
    options_free(&o);

    done = false;
    const char *a3[] = { "-h", NULL };
    assert_int_equal(run(&o, a3, &done), EXIT_OK);
    assert_true(done);
    options_free(&o);

    done = true;
    const char *a4[] = { "--bogus", "--help", NULL };
    assert_int_equal(run(&o, a4, &done), EXIT_USAGE);
    assert_false(done);
    options_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seconds),
        cmocka_unit_test(test_dns_server),
        cmocka_unit_test(test_resolve_good),
        cmocka_unit_test(test_resolve_bad),
        cmocka_unit_test(test_cli_exit_codes),
        cmocka_unit_test(test_cli_defaults),
        cmocka_unit_test(test_cli_values),
        cmocka_unit_test(test_cli_files),
        cmocka_unit_test(test_cli_help_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
