/* test_proxy.c — proxy URL, NO_PROXY (Go and curl), agent proxy discovery.
 *
 * Table-driven. The Go NO_PROXY rows are the cases of golang.org/x/net
 * http/httpproxy proxy_test.go (TestUseProxy, its list, port 80) with
 * curl's answer beside them; the curl rows port tests/unit/unit1614.c.
 * Fixtures live in tests/fixtures/proxy (override with SSMPROBE_FIXTURES). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proxy.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *fx(const char *rel)
{
    static char buf[4][512];
    static int k;
    const char *base = getenv("SSMPROBE_FIXTURES");
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/proxy/%s", base ? base : "tests/fixtures", rel);
    return buf[k];
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *b = malloc(1 << 20);
    assert_non_null(b);
    *len = fread(b, 1, (1 << 20) - 1, f);
    b[*len] = '\0';
    fclose(f);
    return b;
}

/* ---- URL -------------------------------------------------------------- */

struct url_case {
    const char *in;
    const char *host;
    int port, go_port;
    bool port_given, tls, ipv6;
    const char *user, *pass;
    const char *redacted;
};

static const struct url_case good_urls[] = {
    {"http://proxy.corp:3128", "proxy.corp", 3128, 3128, true, false, false, NULL, NULL,
     "http://proxy.corp:3128"},
    {"proxy.corp", "proxy.corp", 3128, 80, false, false, false, NULL, NULL,
     "http://proxy.corp:3128"},
    {"proxy.corp:8080", "proxy.corp", 8080, 8080, true, false, false, NULL, NULL,
     "http://proxy.corp:8080"},
    {"1.2.3.4:3128", "1.2.3.4", 3128, 3128, true, false, false, NULL, NULL,
     "http://1.2.3.4:3128"},
    {"HTTP://Proxy.Corp:80/", "Proxy.Corp", 80, 80, true, false, false, NULL, NULL,
     "http://Proxy.Corp:80"},
    {"https://secure.corp", "secure.corp", 3128, 443, false, true, false, NULL, NULL,
     "https://secure.corp:3128"},
    {"http://user:p%40ss@proxy:3128", "proxy", 3128, 3128, true, false, false, "user", "p@ss",
     "http://user:***@proxy:3128"},
    {"http://us%20er:a:b@proxy", "proxy", 3128, 80, false, false, false, "us er", "a:b",
     "http://us%20er:***@proxy:3128"},
    {"http://user:p@ss@proxy:1", "proxy", 1, 1, true, false, false, "user", "p@ss",
     "http://user:***@proxy:1"},
    {"http://user@proxy", "proxy", 3128, 80, false, false, false, "user", NULL,
     "http://user@proxy:3128"},
    {"http://@proxy", "proxy", 3128, 80, false, false, false, "", NULL, "http://@proxy:3128"},
    {"http://u:@proxy", "proxy", 3128, 80, false, false, false, "u", "", "http://u:***@proxy:3128"},
    {"http://[::1]:3128", "::1", 3128, 3128, true, false, true, NULL, NULL, "http://[::1]:3128"},
    {"[fd00:ec2::254]:8080", "fd00:ec2::254", 8080, 8080, true, false, true, NULL, NULL,
     "http://[fd00:ec2::254]:8080"},
    {"https://[2001:db8::1]", "2001:db8::1", 3128, 443, false, true, true, NULL, NULL,
     "https://[2001:db8::1]:3128"},
    {"http://10.0.0.1:", "10.0.0.1", 3128, 80, false, false, false, NULL, NULL,
     "http://10.0.0.1:3128"},
    {"http://proxy:03128?x=1#frag", "proxy", 3128, 3128, true, false, false, NULL, NULL,
     "http://proxy:3128"},
    {"http://proxy/path@x", "proxy", 3128, 80, false, false, false, NULL, NULL,
     "http://proxy:3128"},
};

static void test_url_good(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(good_urls); i++) {
        const struct url_case *c = &good_urls[i];
        struct proxy_url u;
        char err[256] = "";
        int rc = proxy_url_parse(c->in, &u, err, sizeof err);
        if (rc != 0)
            fail_msg("%s: %s", c->in, err);
        assert_string_equal(u.host, c->host);
        assert_int_equal(u.port, c->port);
        assert_int_equal(u.go_port, c->go_port);
        assert_int_equal(u.port_given, c->port_given);
        assert_int_equal(u.tls_scheme, c->tls);
        assert_int_equal(u.ipv6, c->ipv6);
        if (c->user)
            assert_string_equal(u.user, c->user);
        else
            assert_null(u.user);
        if (c->pass)
            assert_string_equal(u.password, c->pass);
        else
            assert_null(u.password);
        char *r = proxy_url_redacted(&u);
        assert_string_equal(r, c->redacted);
        if (c->pass && *c->pass)
            assert_null(strstr(r, c->pass));
        free(r);
        proxy_url_free(&u);
        assert_null(u.host);
    }
}

static const char *const bad_urls[] = {
    "", "ftp://proxy", "socks5://proxy:1080", "socks5h://proxy", "gopher://u:secret@x",
    "http://", "http://:3128", "http://proxy:0", "http://proxy:65536", "http://proxy:12a",
    "http://proxy:-1", "http://[::1", "http://[zz]:1", "http://[]:1", "http://[::1]x",
    "http://[fe80::1%25eth0]:1", "http://a:b:c", "http://user:secret%zz@proxy",
    "http://user:secret%0@proxy", "http://user:secret%00@proxy", "http://us er@proxy",
    "http://user:se\"cret@proxy", "http://pr%6fxy", "http://prox\xc3\xa9:1", "http://a\tb",
    "http://user:secret@", "http://proxy:1\r\n",
};

static void test_url_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(bad_urls); i++) {
        struct proxy_url u;
        char err[256] = "";
        if (proxy_url_parse(bad_urls[i], &u, err, sizeof err) == 0)
            fail_msg("accepted: \"%s\"", bad_urls[i]);
        assert_true(err[0] != '\0');
        assert_null(strstr(err, "secret"));   /* the password never leaks */
        assert_null(u.host);
        assert_null(u.user);
        assert_null(u.password);
        proxy_url_free(&u);
    }
    struct proxy_url u;
    assert_int_equal(proxy_url_parse(NULL, &u, NULL, 0), -1);
}

static void test_url_scheme_errors(void **state)
{
    (void)state;
    struct proxy_url u;
    char err[256];
    assert_int_equal(proxy_url_parse("ftp://proxy:21", &u, err, sizeof err), -1);
    assert_non_null(strstr(err, "\"ftp\""));
    assert_int_equal(proxy_url_parse("socks5://proxy", &u, err, sizeof err), -1);
    assert_non_null(strstr(err, "SOCKS"));
    /* a tiny error buffer truncates, never overflows */
    assert_int_equal(proxy_url_parse("ftp://x", &u, err, 4), -1);
    assert_int_equal(strlen(err), 3);
}

static void test_base64_and_auth(void **state)
{
    (void)state;
    static const char *const rfc[][2] = {
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (size_t i = 0; i < N(rfc); i++) {
        char *b = proxy_base64((const unsigned char *)rfc[i][0], strlen(rfc[i][0]));
        assert_string_equal(b, rfc[i][1]);
        free(b);
    }
    const unsigned char bin[] = {0xfb, 0xff, 0x00};
    char *b = proxy_base64(bin, 3);
    assert_string_equal(b, "+/8A");
    free(b);

    struct proxy_url u;
    char err[128];
    assert_int_equal(proxy_url_parse("http://Aladdin:open%20sesame@p:1", &u, err, sizeof err), 0);
    char *a = proxy_basic_auth(&u);
    assert_string_equal(a, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    free(a);
    proxy_url_free(&u);
    assert_int_equal(proxy_url_parse("http://user@p:1", &u, err, sizeof err), 0);
    a = proxy_basic_auth(&u);
    assert_string_equal(a, "Basic dXNlcjo=");   /* Go sends "user:" */
    free(a);
    proxy_url_free(&u);
    assert_int_equal(proxy_url_parse("http://p:1", &u, err, sizeof err), 0);
    assert_null(proxy_basic_auth(&u));
    proxy_url_free(&u);
}

static void test_redact_raw(void **state)
{
    (void)state;
    static const char *const t[][2] = {
        {"http://u:secret@h:1", "http://u:***@h:1"},
        {"u:secret@h", "u:***@h"},
        {"http://u:se@cret@h", "http://u:***@h"},
        {"http://h:3128", "http://h:3128"},
        {"http://u@h", "http://u@h"},
        {"http://u:secret@h/x@y", "http://u:***@h/x@y"},
        {"", ""},
    };
    for (size_t i = 0; i < N(t); i++) {
        char *r = proxy_url_redact_raw(t[i][0]);
        assert_string_equal(r, t[i][1]);
        free(r);
    }
    char *r = proxy_url_redact_raw(NULL);
    assert_string_equal(r, "");
    free(r);
}

/* ---- NO_PROXY --------------------------------------------------------- */

struct np_case {
    const char *list;
    const char *host;
    int port;
    bool go, curl;       /* true: connect directly (bypass the proxy) */
};

#define GO_LIST "foobar.com, .barbaz.net, *.wildcard.io, 192.168.1.1, 192.168.1.2:81, " \
    "192.168.1.3:80, 10.0.0.0/30, 2001:db8::52:0:1, [2001:db8::52:0:2]:443, " \
    "[2001:db8::52:0:3]:80, 2002:db8:a::45/64"

static const struct np_case np_cases[] = {
    /* Go's TestUseProxy, "match" inverted: go = bypass. */
    {GO_LIST, "localhost", 80, true, false},
    {GO_LIST, "127.0.0.1", 80, true, false},
    {GO_LIST, "127.0.0.2", 80, true, false},
    {GO_LIST, "[::1]", 80, true, false},
    {GO_LIST, "[::2]", 80, false, false},
    {GO_LIST, "192.168.1.1", 80, true, true},
    {GO_LIST, "192.168.1.2", 80, false, false},
    {GO_LIST, "192.168.1.3", 80, true, false},     /* curl: ports never match */
    {GO_LIST, "192.168.1.4", 80, false, false},
    {GO_LIST, "10.0.0.2", 80, true, true},
    {GO_LIST, "[2001:db8::52:0:1]", 80, true, true},
    {GO_LIST, "[2001:db8::52:0:2]", 80, false, false},
    {GO_LIST, "[2001:db8::52:0:3]", 80, true, false},
    {GO_LIST, "[2002:db8:a::123]", 80, true, true},
    {GO_LIST, "[fe80::424b:c8be:1643:a1b6]", 80, false, false},
    {GO_LIST, "barbaz.net", 80, false, true},      /* curl: ".x" also matches x */
    {GO_LIST, "www.barbaz.net", 80, true, true},
    {GO_LIST, "foobar.com", 80, true, true},
    {GO_LIST, "www.foobar.com", 80, true, true},
    {GO_LIST, "foofoobar.com", 80, false, false},
    {GO_LIST, "baz.com", 80, false, false},
    {GO_LIST, "localhost.net", 80, false, false},
    {GO_LIST, "local.localhost", 80, false, false},
    {GO_LIST, "barbarbaz.net", 80, false, false},
    {GO_LIST, "wildcard.io", 80, false, false},
    {GO_LIST, "nested.wildcard.io", 80, true, false}, /* curl has no "*." */
    {GO_LIST, "awildcard.io", 80, false, false},
    /* Go's TestInvalidNoProxy and TestAllNoProxy */
    {":1", "example.com", 80, false, false},
    {"*", "example.com", 443, true, true},
    {"*", "10.1.2.3", 443, true, true},
    {"foo, *", "example.com", 443, true, false},   /* curl: "*" only alone */
    /* ProxyForURL rows */
    {"example.com", "example.com", 80, true, true},
    {".example.com", "example.com", 80, false, true},
    {"ample.com", "example.com", 80, false, false},
    {"example.com", "foo.example.com", 80, true, true},
    {".foo.com", "example.com", 80, false, false},
    {"example.com", "[1000::%25.example.com]", 123, false, false},
    /* case, blanks, empty entries */
    {"EXAMPLE.com", "Foo.Example.COM", 443, true, true},
    {"  a.example ,, b.example  ", "x.b.example", 443, true, true},
    {"", "example.com", 443, false, false},
    {"", "localhost", 443, true, false},
    {"", "LOCALHOST", 443, false, false},          /* Go: exactly "localhost" */
    {"localhost", "LOCALHOST", 443, true, true},
    /* ports: Go honours host:port, curl never matches it */
    {"example.com:443", "example.com", 443, true, false},
    {"example.com:443", "example.com", 80, false, false},
    {"example.com:0443", "example.com", 443, false, false},
    {".example.com:443", "a.example.com", 443, true, false},
    {"example.com:", "example.com", 443, true, false},
    /* trailing dots: curl strips them, Go does not */
    {"example.com", "example.com.", 443, false, true},
    {"example.com.", "www.example.com", 443, false, true},
    /* IMDS */
    {"169.254.169.254", "169.254.169.254", 80, true, true},
    {"169.254.169.254/32", "169.254.169.254", 80, true, true},
    {"169.254.169.254:80", "169.254.169.254", 80, true, false},
    {"169.254.0.0/16", "169.254.169.254", 80, true, true},
    {".amazonaws.com", "169.254.169.254", 80, false, false},
    {"fd00:ec2::254", "fd00:ec2::254", 80, true, true},
    {"[fd00:ec2::254]", "fd00:ec2::254", 80, false, false}, /* Go: no port, not an IP */
    {"[fd00:ec2::254]:80", "[fd00:ec2::254]", 80, true, false},
    /* CIDR corners */
    {"0.0.0.0/0", "1.2.3.4", 443, true, false},    /* curl: /0 means exact */
    {"::/0", "1.2.3.4", 443, false, false},        /* IPv6 net, IPv4 host */
    {"::/0", "2001:db8::1", 443, true, false},
    {"::ffff:1.2.3.0/120", "1.2.3.4", 443, true, false},
    {"1.2.3.0/24", "::ffff:1.2.3.4", 443, true, false},
    {"10.0.0.0/33", "10.0.0.1", 443, false, false},
    {"10.0.0.0/8", "11.0.0.1", 443, false, false},
    {"10.0.0.0/8", "10.200.0.1", 443, true, true},
    {"10.0.0.0/08", "10.200.0.1", 443, true, true},
    {"10.0.0.0/a8", "10.200.0.1", 443, false, false},
    {"2001:db8::/33", "2001:db8:7fff::1", 443, true, true},
    {"2001:db8::/33", "2001:db8:8000::1", 443, false, false},
    /* Go compares domain entries with IP hosts as text; curl does not */
    {"3.4", "1.2.3.4", 443, true, false},
    {"01.2.3.4", "1.2.3.4", 443, false, false},
    /* SSM names */
    {".amazonaws.com", "ssm.us-east-1.amazonaws.com", 443, true, true},
    {"*.amazonaws.com", "ssm.us-east-1.amazonaws.com", 443, true, false},
    {"amazonaws.com", "ssmmessages.eu-west-1.amazonaws.com", 443, true, true},
    {"ssm.us-east-1.amazonaws.com", "ec2messages.us-east-1.amazonaws.com", 443, false, false},
    /* blanks as separators */
    {"localhost .example.com", "www.example.com", 443, false, false},
    {"localhost .example.com", "localhost", 443, true, true},
    {".example.com localhost", "www.example.com", 443, false, true},
    {"example.com\t", "example.com", 443, true, true},
};

static void test_noproxy_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(np_cases); i++) {
        const struct np_case *c = &np_cases[i];
        bool g = noproxy_go_match(c->list, c->host, c->port);
        bool cu = noproxy_curl_match(c->list, c->host);
        if (g != c->go || cu != c->curl)
            fail_msg("row %zu: list \"%s\" host %s:%d: go %d (want %d), curl %d (want %d)", i,
                     c->list, c->host, c->port, g, c->go, cu, c->curl);
    }
}

/* curl's own table (unit1614), curl answer only. */
static const struct np_case curl_cases[] = {
    {"localhost,.example.com,.example.de", "www.example.com", 0, false, true},
    {"localhost,.example.com,.example.de", "www.example.com.", 0, false, true},
    {"localhost,.example.com,.example.de", "example.com", 0, false, true},
    {"localhost,.example.com,.example.de", "example.com.", 0, false, true},
    {"localhost,.example.com.,.example.de", "www.example.com", 0, false, true},
    {"localhost,www.example.com.,.example.de", "www.example.com", 0, false, true},
    {"localhost,example.com,.example.de", "example.com", 0, false, true},
    {"localhost,example.com,.example.de", "example.com.", 0, false, true},
    {"localhost,example.com,.example.de", "www.example.com", 0, false, true},
    {"127.0.0.1,localhost", "127.0.0.1", 0, false, true},
    {"127.0.0.1,localhost,", "127.0.0.1", 0, false, true},
    {"127.0.0.1/8,localhost,", "127.0.0.1", 0, false, true},
    {"127.0.0.1/28,localhost,", "127.0.0.1", 0, false, true},
    {"127.0.0.1/31,localhost,", "127.0.0.1", 0, false, true},
    {"localhost,127.0.0.1", "127.0.0.1", 0, false, true},
    {"localhost,127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1."
     "127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.1.127.0.0.", "127.0.0.1", 0, false, false},
    {"localhost,127.0.0.1", "localhost", 0, false, true},
    {"127.0.0.1,localhost", "localhost", 0, false, true},
    {"barfoo", "foobar", 0, false, false},
    {"foobar", "foobar", 0, false, true},
    {"foobar", "192.168.0.1", 0, false, false},
    {"192.168.0.0/16", "192.168.0.1", 0, false, true},
    {"192.168.0.0/24", "192.168.0.1", 0, false, true},
    {"192.168.0.0/32", "192.168.0.1", 0, false, false},
    {"192.168.0.0", "192.168.0.1", 0, false, false},
    {"192.168.0.0/24", "192.168.1.1", 0, false, false},
    {"foo, bar, 192.168.0.0/24", "192.168.1.1", 0, false, false},
    {"foo, bar, 192.168.0.0/16", "192.168.1.1", 0, false, true},
    {"foo, bar, 192.168.0.0/16", "[::1]", 0, false, false},
    {"foo, bar, ::1/64", "[::1]", 0, false, true},
    {"foo, bar, ::1/64", "bar", 0, false, true},
    {"foo, bar, ::1/64", "BAr", 0, false, true},
    {"foo,,,,,              bar, ::1/64", "BAr", 0, false, true},
    {"foo, .example.com", "www.example.com", 0, false, true},
    {"www2.example.com, .example.net", "www.example.com", 0, false, false},
    {".example.com, .example.net", "example.com", 0, false, true},
    {".example.com, .example.net", "nonexample.com", 0, false, false},
    {"::1/129", "::1", 0, false, false},
    {"fe80::ab47:4396:55c9:8474/64", "fe80::ab47:4396:55c9:8474", 0, false, true},
};

static void test_noproxy_curl_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(curl_cases); i++) {
        const struct np_case *c = &curl_cases[i];
        if (noproxy_curl_match(c->list, c->host) != c->curl)
            fail_msg("curl row %zu: \"%s\" host %s: want %d", i, c->list, c->host, c->curl);
    }
    assert_false(noproxy_curl_match(NULL, "x"));
    assert_false(noproxy_curl_match("x", NULL));
    assert_false(noproxy_curl_match("x", ""));
}

static void test_noproxy_why(void **state)
{
    (void)state;
    static const struct {
        const char *list, *host;
        int port;
        enum noproxy_why why;
        const char *entry;
    } t[] = {
        {GO_LIST, "nested.wildcard.io", 443, NOPROXY_DOMAIN, "*.wildcard.io"},
        {GO_LIST, "10.0.0.2", 443, NOPROXY_CIDR, "10.0.0.0/30"},
        {GO_LIST, "192.168.1.3", 80, NOPROXY_IP, "192.168.1.3:80"},
        {GO_LIST, "127.0.0.1", 443, NOPROXY_LOOPBACK, ""},
        {GO_LIST, "[::ffff:127.0.0.9]", 443, NOPROXY_LOOPBACK, ""},
        {GO_LIST, "localhost", 443, NOPROXY_LOCALHOST, ""},
        {"a.example, *, b.example", "b.example", 443, NOPROXY_ALL, "*"},
        {" Foo.COM ", "www.foo.com", 443, NOPROXY_DOMAIN, "foo.com"},
        {GO_LIST, "example.org", 443, NOPROXY_NONE, ""},
        {NULL, "example.org", 443, NOPROXY_NONE, ""},
        {"x", NULL, 443, NOPROXY_NONE, ""},
    };
    for (size_t i = 0; i < N(t); i++) {
        struct noproxy_hit hit;
        bool m = noproxy_go_match_why(t[i].list, t[i].host, t[i].port, &hit);
        assert_int_equal(m, t[i].why != NOPROXY_NONE);
        assert_int_equal(hit.why, t[i].why);
        assert_string_equal(hit.entry, t[i].entry);
    }
    assert_false(noproxy_go_match_why("x", "y", 1, NULL));
}

static void test_noproxy_spaces(void **state)
{
    (void)state;
    assert_true(noproxy_has_space_separator("localhost .example.com"));
    assert_true(noproxy_has_space_separator("a, b c"));
    assert_false(noproxy_has_space_separator("a, b ,c"));
    assert_false(noproxy_has_space_separator("  a,\tb  "));
    assert_false(noproxy_has_space_separator(""));
    assert_false(noproxy_has_space_separator(NULL));
}

/* ---- parsers ---------------------------------------------------------- */

static void test_envlist(void **state)
{
    (void)state;
    struct proxy_envlist l = {0};
    static const char block[] = "A=1\0=bad\0noeq\0B=2\0A=3\0C=\0D=x=y";  /* no final NUL */
    proxy_envlist_from_block(&l, block, sizeof block - 1);
    assert_int_equal(l.n, 4);
    assert_string_equal(proxy_envlist_get(&l, "A", NULL), "1");   /* first wins */
    assert_string_equal(proxy_envlist_get(&l, "C", NULL), "");
    assert_string_equal(proxy_envlist_get(&l, "D", NULL), "x=y");
    assert_null(proxy_envlist_get(&l, "noeq", NULL));
    assert_null(l.v[l.n]);
    int tag = -1;
    proxy_envlist_set(&l, "A", 1, "9", 7);
    assert_string_equal(proxy_envlist_get(&l, "A", &tag), "9");     /* set replaces */
    assert_int_equal(tag, 7);
    proxy_envlist_free(&l);
    proxy_envlist_free(&l);
}

static void test_systemd_quoted(void **state)
{
    (void)state;
    size_t len;
    char *text = slurp(fx("dropin-quoted.conf"), &len);
    struct proxy_envlist env = {0}, files = {0};
    proxy_parse_systemd(text, len, &env, 3, &files);
    int tag = -1;
    assert_string_equal(proxy_envlist_get(&env, "https_proxy", &tag),
                        "http://user:p%40ss@proxy.corp:3128");
    assert_int_equal(tag, 3);
    assert_string_equal(proxy_envlist_get(&env, "no_proxy", NULL),
                        "169.254.169.254,.s3.amazonaws.com");
    assert_string_equal(proxy_envlist_get(&env, "http_proxy", NULL), "http://plain.corp:8080");
    assert_string_equal(proxy_envlist_get(&env, "FOO", NULL), "a b");
    assert_string_equal(proxy_envlist_get(&env, "BAR", NULL), "c d");
    assert_string_equal(proxy_envlist_get(&env, "ESC", NULL), "x\"y\\z");
    assert_string_equal(proxy_envlist_get(&env, "PCT", NULL), "100%");
    assert_null(proxy_envlist_get(&env, "NOTANASSIGNMENT", NULL));
    assert_int_equal(env.n, 7);
    assert_int_equal(files.n, 0);
    proxy_envlist_free(&env);
    proxy_envlist_free(&files);
    free(text);
}

static void test_systemd_multi(void **state)
{
    (void)state;
    size_t len;
    char *text = slurp(fx("dropin-multi.conf"), &len);
    struct proxy_envlist env = {0}, files = {0};
    proxy_parse_systemd(text, len, &env, 0, &files);
    assert_string_equal(proxy_envlist_get(&env, "HTTPS_PROXY", NULL), "http://upper:2");
    assert_string_equal(proxy_envlist_get(&env, "https_proxy", NULL), "http://lower:3");
    assert_string_equal(proxy_envlist_get(&env, "no_proxy", NULL), "a.example,");
    assert_string_equal(proxy_envlist_get(&env, "NO_PROXY", NULL), "b.example");
    assert_int_equal(env.n, 4);   /* "Environment=" dropped http://first:1 */
    assert_int_equal(files.n, 2);
    assert_string_equal(files.v[0], "-/etc/sysconfig/proxy");
    assert_string_equal(files.v[1], "/etc/missing");

    struct proxy_settings s;
    assert_int_equal(proxy_settings_from_env(env.v, "env", &s), 1);
    assert_string_equal(s.https_proxy, "http://upper:2");   /* Go: upper case first */
    assert_string_equal(s.https_var, "HTTPS_PROXY");
    assert_string_equal(s.no_proxy, "b.example");
    assert_string_equal(s.source, "env:HTTPS_PROXY");
    assert_int_equal(s.nnotes, 2);                          /* both pairs differ */
    assert_non_null(strstr(s.notes[0], "curl uses https_proxy"));
    proxy_settings_free(&s);
    proxy_envlist_free(&env);
    proxy_envlist_free(&files);
    free(text);
}

static void test_upstart_and_envfile(void **state)
{
    (void)state;
    size_t len;
    char *text = slurp(fx("upstart.override"), &len);
    struct proxy_envlist env = {0};
    proxy_parse_upstart(text, len, &env, 0);
    assert_string_equal(proxy_envlist_get(&env, "https_proxy", NULL), "http://upstart.corp:3128");
    assert_string_equal(proxy_envlist_get(&env, "http_proxy", NULL), "http://upstart.corp:3128");
    assert_string_equal(proxy_envlist_get(&env, "no_proxy", NULL), "169.254.169.254");
    assert_int_equal(env.n, 3);
    proxy_envlist_free(&env);
    free(text);

    static const char ef[] = "# c\n; c\nexport A=\"x y\" # not a comment? \nB = 'q\\z'\n"
                             "C=plain  \nD=one\\\n  two\nbad line\n=nokey\n";
    proxy_parse_envfile(ef, sizeof ef - 1, &env, 0);
    assert_string_equal(proxy_envlist_get(&env, "A", NULL), "x y");
    assert_string_equal(proxy_envlist_get(&env, "B", NULL), "q\\z");
    assert_string_equal(proxy_envlist_get(&env, "C", NULL), "plain");
    assert_string_equal(proxy_envlist_get(&env, "D", NULL), "one");
    proxy_envlist_free(&env);
}

static void test_settings_env(void **state)
{
    (void)state;
    struct proxy_settings s;
    char *e1[] = {"HTTPS_PROXY=", "https_proxy=http://lower:1", "NO_PROXY=", "no_proxy=.corp",
                  NULL};
    assert_int_equal(proxy_settings_from_env(e1, "env", &s), 1);
    assert_string_equal(s.https_proxy, "http://lower:1");     /* empty upper falls through */
    assert_string_equal(s.source, "env:https_proxy");
    assert_string_equal(s.no_proxy_var, "no_proxy");
    assert_null(s.http_proxy);
    assert_int_equal(s.nnotes, 0);
    proxy_settings_free(&s);

    char *e2[] = {"http_proxy=http://plain:1", "REQUEST_METHOD=GET", NULL};
    assert_int_equal(proxy_settings_from_env(e2, NULL, &s), 0);
    assert_null(s.https_proxy);
    assert_string_equal(s.http_var, "http_proxy");
    assert_true(s.cgi);
    assert_string_equal(s.source, "env");
    assert_int_equal(s.nnotes, 2);
    assert_non_null(strstr(s.notes[0], "https_proxy is not"));
    assert_non_null(strstr(s.notes[1], "REQUEST_METHOD"));
    proxy_settings_free(&s);

    assert_int_equal(proxy_settings_from_env(NULL, "env", &s), 0);
    proxy_settings_free(&s);

    struct proxy_settings a, b;
    char *ea[] = {"https_proxy=http://a:1", NULL}, *eb[] = {"https_proxy=http://a:1",
                                                             "no_proxy=x", NULL};
    proxy_settings_from_env(ea, "env", &a);
    proxy_settings_from_env(ea, "env", &b);
    assert_false(proxy_settings_differ(&a, &b));
    proxy_settings_free(&b);
    proxy_settings_from_env(eb, "env", &b);
    assert_true(proxy_settings_differ(&a, &b));
    proxy_settings_free(&a);
    proxy_settings_free(&b);
}

/* ---- discovery on fixture trees --------------------------------------- */

static bool notes_have(const struct proxy_settings *s, const char *needle)
{
    for (int i = 0; i < s->nnotes; i++)
        if (strstr(s->notes[i], needle))
            return true;
    return false;
}

static void no_secret(const struct proxy_settings *s)
{
    for (int i = 0; i < s->nnotes; i++)
        assert_null(strstr(s->notes[i], "cret"));
    assert_null(strstr(s->source, "cret"));
}

static void test_agent_proc(void **state)
{
    (void)state;
    struct proxy_settings s;
    char want[600];
    assert_int_equal(proxy_settings_from_agent(fx("root"), fx("proc"), &s), 1);
    assert_true(s.found);
    /* the first https_proxy in the block wins, as getenv does */
    assert_string_equal(s.https_proxy, "http://agent:s%40cret@proxy.corp:3128");
    assert_string_equal(s.no_proxy, "169.254.169.254,.internal");
    snprintf(want, sizeof want, "agent:%s", fx("proc/1234/environ"));
    assert_string_equal(s.source, want);
    /* the drop-ins name another proxy: the agent was not restarted */
    assert_true(notes_have(&s, "differ from"));
    assert_true(notes_have(&s, "override.conf"));
    no_secret(&s);
    proxy_settings_free(&s);
}

static void test_agent_dropins(void **state)
{
    (void)state;
    struct proxy_settings s;
    char want[600];
    assert_int_equal(proxy_settings_from_agent(fx("root/"), fx("noproc"), &s), 1);
    assert_true(s.found);
    assert_string_equal(s.https_proxy, "http://new-proxy.corp:8080");   /* later file wins */
    assert_string_equal(s.http_proxy, "http://envfile.corp:3128");      /* EnvironmentFile */
    assert_string_equal(s.no_proxy, "169.254.169.254,10.0.0.0/8");     /* overrides Environment= */
    snprintf(want, sizeof want, "agent:%s",
             fx("root/etc/systemd/system/amazon-ssm-agent.service.d/override.conf"));
    assert_string_equal(s.source, want);
    assert_true(notes_have(&s, "no running amazon-ssm-agent"));
    proxy_settings_free(&s);
}

static void test_agent_noperm_upstart(void **state)
{
    (void)state;
    struct proxy_settings s;
    char want[600];
    assert_int_equal(proxy_settings_from_agent(fx("root-upstart"), fx("proc-noperm"), &s), 1);
    assert_string_equal(s.https_proxy, "http://upstart.corp:3128");
    assert_string_equal(s.no_proxy, "169.254.169.254");
    snprintf(want, sizeof want, "agent:%s", fx("root-upstart/etc/init/amazon-ssm-agent.override"));
    assert_string_equal(s.source, want);
    assert_true(notes_have(&s, "run as root"));
    assert_true(notes_have(&s, "555/environ"));
    proxy_settings_free(&s);
}

static void test_agent_snap_and_nothing(void **state)
{
    (void)state;
    struct proxy_settings s;
    assert_int_equal(proxy_settings_from_agent(fx("root-snap"), fx("noproc"), &s), 1);
    assert_string_equal(s.https_proxy, "https://snap.corp:443");
    assert_string_equal(s.https_var, "HTTPS_PROXY");
    assert_non_null(strstr(s.source, "snap.amazon-ssm-agent.amazon-ssm-agent.service.d"));
    proxy_settings_free(&s);

    assert_int_equal(proxy_settings_from_agent(fx("does-not-exist"), fx("does-not-exist"), &s), 0);
    assert_false(s.found);
    assert_string_equal(s.source, "");
    assert_null(s.https_proxy);
    assert_true(notes_have(&s, "no running"));
    proxy_settings_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_good),
        cmocka_unit_test(test_url_bad),
        cmocka_unit_test(test_url_scheme_errors),
        cmocka_unit_test(test_base64_and_auth),
        cmocka_unit_test(test_redact_raw),
        cmocka_unit_test(test_noproxy_table),
        cmocka_unit_test(test_noproxy_curl_table),
        cmocka_unit_test(test_noproxy_why),
        cmocka_unit_test(test_noproxy_spaces),
        cmocka_unit_test(test_envlist),
        cmocka_unit_test(test_systemd_quoted),
        cmocka_unit_test(test_systemd_multi),
        cmocka_unit_test(test_upstart_and_envfile),
        cmocka_unit_test(test_settings_env),
        cmocka_unit_test(test_agent_proc),
        cmocka_unit_test(test_agent_dropins),
        cmocka_unit_test(test_agent_noperm_upstart),
        cmocka_unit_test(test_agent_snap_and_nothing),
    };
    return cmocka_run_group_tests_name("proxy", tests, NULL, NULL);
}
