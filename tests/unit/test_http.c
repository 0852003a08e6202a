/* test_http.c — the HTTP/1.x response-head parser, Date parsing, ISO 8601
 * formatting and the "did AWS answer" test (SPEC "What one probe does" 6). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define LIT(s) (s), (sizeof(s) - 1)

/* Parse from an exactly sized heap copy so that ASan sees any over-read. */
static enum http_parse_rc parse(const char *buf, size_t len, struct http_head *h, char *err,
                                size_t errlen)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, buf, len);
    enum http_parse_rc rc = http_parse_head(copy, len, h, err, errlen);
    free(copy);
    return rc;
}

static const char aws_404[] =
    "HTTP/1.1 404 Not Found\r\n"
    "x-amzn-RequestId: 5c2f6a3e-8d1b-4c1e-9f0a-1234567890ab\r\n"
    "Content-Type: application/x-amz-json-1.1\r\n"
    "Content-Length: 36\r\n"
    "Date: Sun, 29 Nov 2026 10:00:00 GMT\r\n"
    "Server: Server\r\n"
    "Connection: close\r\n"
    "\r\n";
static const char aws_404_body[] = "{\"__type\":\"UnknownOperationException\"}";

/* ---- well-formed heads -------------------------------------------------- */

static void test_aws_404(void **state)
{
    struct http_head h;
    char err[128] = "";
    char buf[sizeof aws_404 + sizeof aws_404_body];
    (void)state;
    snprintf(buf, sizeof buf, "%s%s", aws_404, aws_404_body);

    assert_int_equal(parse(buf, strlen(buf), &h, err, sizeof err), HTTP_DONE);
    assert_int_equal(h.status, 404);
    assert_int_equal(h.minor, 1);
    assert_string_equal(h.reason, "Not Found");
    assert_string_equal(h.request_id, "5c2f6a3e-8d1b-4c1e-9f0a-1234567890ab");
    assert_string_equal(h.content_type, "application/x-amz-json-1.1");
    assert_int_equal(h.content_length, 36);
    assert_false(h.chunked);
    assert_string_equal(h.date, "Sun, 29 Nov 2026 10:00:00 GMT");
    assert_string_equal(h.server, "Server");
    assert_string_equal(h.proxy_authenticate, "");
    /* The body starts right after the blank line. */
    assert_int_equal(h.head_len, sizeof aws_404 - 1);
    assert_memory_equal(buf + h.head_len, aws_404_body, sizeof aws_404_body - 1);
    assert_true(http_is_aws(&h, buf + h.head_len, strlen(buf) - h.head_len));
}

static void test_s3_request_id(void **state)
{
    static const char s3[] =
        "HTTP/1.1 403 Forbidden\r\n"
        "x-amz-request-id: 4442587FB7D0A2F9\r\n"
        "x-amz-id-2: vlR7PnpV2Ce81puvc7ATOdeDCv1MM5dYwa5qfgvuEaufdfUHeVPSAm4jaB8tLWDo=\r\n"
        "Content-Type: application/xml\r\n"
        "Transfer-Encoding: chunked\r\n"
        "Date: Sun, 29 Nov 2026 10:00:01 GMT\r\n"
        "Server: AmazonS3\r\n"
        "\r\n";
    struct http_head h;
    char err[128];
    (void)state;
    assert_int_equal(parse(LIT(s3), &h, err, sizeof err), HTTP_DONE);
    assert_int_equal(h.status, 403);
    assert_string_equal(h.reason, "Forbidden");
    assert_string_equal(h.request_id, "4442587FB7D0A2F9");
    assert_string_equal(h.server, "AmazonS3");
    assert_true(h.chunked);
    assert_int_equal(h.content_length, -1);
    assert_int_equal(h.head_len, sizeof s3 - 1);
    assert_true(http_is_aws(&h, NULL, 0));
}

static void test_request_id_spellings(void **state)
{
    static const char *const names[] = {
        "x-amzn-RequestId", "X-Amzn-RequestId", "x-amzn-requestid", "X-AMZN-REQUESTID",
        "x-amz-request-id", "X-Amz-Request-Id", "x-amzn-request-id",
    };
    static const char *const not_ids[] = {
        "x-amz-id-2", "x-amzn-RequestIdX", "x-amzn-Request", "RequestId", "x-request-id",
    };
    (void)state;
    for (size_t i = 0; i < N(names); i++) {
        char buf[256];
        struct http_head h;
        int n = snprintf(buf, sizeof buf, "HTTP/1.1 400 Bad Request\r\n%s: abc-%zu\r\n\r\n",
                         names[i], i);
        assert_int_equal(parse(buf, (size_t)n, &h, NULL, 0), HTTP_DONE);
        char want[32];
        snprintf(want, sizeof want, "abc-%zu", i);
        if (strcmp(h.request_id, want) != 0)
            fail_msg("header %s: request_id '%s', want '%s'", names[i], h.request_id, want);
    }
    for (size_t i = 0; i < N(not_ids); i++) {
        char buf[256];
        struct http_head h;
        int n = snprintf(buf, sizeof buf, "HTTP/1.1 400 Bad Request\r\n%s: abc\r\n\r\n",
                         not_ids[i]);
        assert_int_equal(parse(buf, (size_t)n, &h, NULL, 0), HTTP_DONE);
        if (h.request_id[0])
            fail_msg("header %s taken as a request id", not_ids[i]);
    }
}

static void test_bare_lf(void **state)
{
    static const char head[] =
        "HTTP/1.0 200 OK\n"
        "Server: nginx\n"
        "Content-Length: 5\n"
        "x-amzn-RequestId: lf-1\n"
        "\n"
        "hello";
    struct http_head h;
    (void)state;
    assert_int_equal(parse(LIT(head), &h, NULL, 0), HTTP_DONE);
    assert_int_equal(h.status, 200);
    assert_int_equal(h.minor, 0);
    assert_string_equal(h.reason, "OK");
    assert_string_equal(h.server, "nginx");
    assert_int_equal(h.content_length, 5);
    assert_string_equal(h.request_id, "lf-1");
    assert_int_equal(h.head_len, sizeof head - 1 - 5);
    assert_memory_equal(head + h.head_len, "hello", 5);
}

static void test_mixed_line_ends(void **state)
{
    /* Header lines with bare LF, blank line CRLF. */
    static const char head[] = "HTTP/1.1 204 No Content\nServer: x\n\r\nBODY";
    struct http_head h;
    (void)state;
    assert_int_equal(parse(LIT(head), &h, NULL, 0), HTTP_DONE);
    assert_int_equal(h.status, 204);
    assert_string_equal(h.reason, "No Content");
    assert_string_equal(h.server, "x");
    assert_int_equal(h.head_len, sizeof head - 1 - 4);
}

static void test_status_line_forms(void **state)
{
    static const struct {
        const char *head;
        int status, minor;
        const char *reason;
    } cases[] = {
        { "HTTP/1.1 200 OK\r\n\r\n", 200, 1, "OK" },
        { "HTTP/1.1 200\r\n\r\n", 200, 1, "" },
        { "HTTP/1.1 200 \r\n\r\n", 200, 1, "" },
        { "HTTP/1.0 407 Proxy Authentication Required\r\n\r\n", 407, 0,
          "Proxy Authentication Required" },
        { "HTTP/1.1 100 Continue\r\n\r\n", 100, 1, "Continue" },
        { "HTTP/1.1 999 Whatever\r\n\r\n", 999, 1, "Whatever" },
        { "HTTP/1.1 502 Bad Gateway\n\n", 502, 1, "Bad Gateway" },
        { "HTTP/1.1 200 Connection established\r\n\r\n", 200, 1, "Connection established" },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct http_head h;
        char err[128] = "";
        enum http_parse_rc rc = parse(cases[i].head, strlen(cases[i].head), &h, err, sizeof err);
        if (rc != HTTP_DONE)
            fail_msg("'%s': rc %d (%s), want HTTP_DONE", cases[i].head, rc, err);
        assert_int_equal(h.status, cases[i].status);
        assert_int_equal(h.minor, cases[i].minor);
        assert_string_equal(h.reason, cases[i].reason);
        assert_int_equal(h.head_len, strlen(cases[i].head));
        assert_int_equal(h.content_length, -1);
    }
}

/* ---- incomplete input at every length ---------------------------------- */

static void every_prefix(const char *full, size_t len, size_t head_len)
{
    for (size_t n = 0; n < head_len; n++) {
        struct http_head h;
        char err[128] = "";
        enum http_parse_rc rc = parse(full, n, &h, err, sizeof err);
        if (rc != HTTP_INCOMPLETE)
            fail_msg("prefix of %zu/%zu bytes: rc %d (%s), want HTTP_INCOMPLETE", n, head_len,
                     rc, err);
    }
    for (size_t n = head_len; n <= len; n++) {
        struct http_head h;
        assert_int_equal(parse(full, n, &h, NULL, 0), HTTP_DONE);
        assert_int_equal(h.head_len, head_len);
    }
}

static void test_every_prefix_crlf(void **state)
{
    char buf[sizeof aws_404 + sizeof aws_404_body];
    (void)state;
    snprintf(buf, sizeof buf, "%s%s", aws_404, aws_404_body);
    every_prefix(buf, strlen(buf), sizeof aws_404 - 1);
}

static void test_every_prefix_lf(void **state)
{
    static const char head[] = "HTTP/1.1 407 Proxy Authentication Required\n"
                               "Proxy-Authenticate: Basic realm=\"corp\"\n"
                               "Content-Length: 0\n\n";
    (void)state;
    every_prefix(head, sizeof head - 1, sizeof head - 1);
}

/* ---- garbage, missing or bad status line ------------------------------- */

static void test_bad(void **state)
{
    static const struct {
        const char *buf;
        size_t len;
    } cases[] = {
        { LIT("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n") },
        { LIT("<html><body>Login</body></html>\r\n\r\n") },
        { LIT("\x16\x03\x01\x00\x2a\x02\x00\x00") },         /* a TLS record */
        { LIT("\x15\x03\x03\x00\x02\x02\x28") },             /* TLS alert */
        { LIT("\0\0\0\0\0\0\0\0\0\0") },
        { LIT("X") },
        { LIT("\r\n\r\n") },                                  /* missing status line */
        { LIT("\n\n") },
        { LIT("Server: nginx\r\n\r\n") },                     /* headers, no status line */
        { LIT(" HTTP/1.1 200 OK\r\n\r\n") },
        { LIT("http/1.1 200 OK\r\n\r\n") },
        { LIT("HTTP/2 200\r\n\r\n") },
        { LIT("HTTP/2.0 200 OK\r\n\r\n") },
        { LIT("HTTP/1.1\r\n\r\n") },
        { LIT("HTTP/1.1 \r\n\r\n") },
        { LIT("HTTP/1.\r\n\r\n") },
        { LIT("HTTP/1.x 200 OK\r\n\r\n") },
        { LIT("HTTP/1.11 200 OK\r\n\r\n") },
        { LIT("HTTP/1.1  200 OK\r\n\r\n") },
        { LIT("HTTP/1.1 2x0 OK\r\n\r\n") },                   /* bad status codes */
        { LIT("HTTP/1.1 20\r\n\r\n") },
        { LIT("HTTP/1.1 2\r\n\r\n") },
        { LIT("HTTP/1.1 099 Low\r\n\r\n") },
        { LIT("HTTP/1.1 000 Zero\r\n\r\n") },
        { LIT("HTTP/1.1 -20 OK\r\n\r\n") },
        { LIT("HTTP/1.1 OK\r\n\r\n") },
        { LIT("HTTP/1.1\t200 OK\r\n\r\n") },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct http_head h;
        char err[128] = "";
        enum http_parse_rc rc = parse(cases[i].buf, cases[i].len, &h, err, sizeof err);
        if (rc != HTTP_BAD)
            fail_msg("case %zu: rc %d, want HTTP_BAD", i, rc);
        if (!err[0])
            fail_msg("case %zu: no reason written to err", i);
    }
    /* err may be NULL. */
    struct http_head h;
    assert_int_equal(parse(LIT("garbage\r\n\r\n"), &h, NULL, 0), HTTP_BAD);
}

static void test_garbage_fails_early(void **state)
{
    /* Something that is clearly not HTTP is refused before a head end, so
     * that the caller does not wait for a timeout. */
    struct http_head h;
    char err[128] = "";
    (void)state;
    assert_int_equal(parse(LIT("SSH-2.0-"), &h, err, sizeof err), HTTP_BAD);
    assert_int_equal(parse(LIT("<"), &h, err, sizeof err), HTTP_BAD);
    assert_int_equal(parse(LIT("HTTP/2"), &h, err, sizeof err), HTTP_BAD);
    /* A prefix of "HTTP/1." is still possible HTTP. */
    assert_int_equal(parse(LIT("HTT"), &h, err, sizeof err), HTTP_INCOMPLETE);
    assert_int_equal(parse(LIT("HTTP/1."), &h, err, sizeof err), HTTP_INCOMPLETE);
}

/* ---- size limit ------------------------------------------------------ */

static void test_too_large(void **state)
{
    size_t cap = HTTP_HEAD_MAX * 2;
    char *buf = malloc(cap);
    size_t n = 0;
    (void)state;
    assert_non_null(buf);
    n += (size_t)snprintf(buf, cap, "HTTP/1.1 200 OK\r\n");
    while (n + 40 < cap)
        n += (size_t)snprintf(buf + n, cap - n, "X-Pad-%06zu: aaaaaaaaaaaaaaaaaaaa\r\n", n);

    struct http_head h;
    char err[128] = "";
    /* No end of head within HTTP_HEAD_MAX bytes: refused. */
    assert_int_equal(parse(buf, HTTP_HEAD_MAX, &h, err, sizeof err), HTTP_TOO_LARGE);
    assert_true(err[0] != '\0');
    err[0] = '\0';
    assert_int_equal(parse(buf, n, &h, err, sizeof err), HTTP_TOO_LARGE);
    assert_true(err[0] != '\0');
    /* One byte less: still waiting. */
    assert_int_equal(parse(buf, HTTP_HEAD_MAX - 1, &h, err, sizeof err), HTTP_INCOMPLETE);

    /* A blank line only past HTTP_HEAD_MAX does not help. */
    memcpy(buf + n, "\r\n", 2);
    assert_int_equal(parse(buf, n + 2, &h, err, sizeof err), HTTP_TOO_LARGE);

    /* A large head that ends within the limit is accepted. */
    size_t m = 0;
    m += (size_t)snprintf(buf, cap, "HTTP/1.1 200 OK\r\n");
    while (m + 80 < HTTP_HEAD_MAX)
        m += (size_t)snprintf(buf + m, cap - m, "X-Pad-%06zu: aaaaaaaaaaaaaaaaaaaa\r\n", m);
    m += (size_t)snprintf(buf + m, cap - m, "Server: big\r\n\r\n");
    assert_true(m <= HTTP_HEAD_MAX);
    assert_int_equal(parse(buf, m, &h, err, sizeof err), HTTP_DONE);
    assert_string_equal(h.server, "big");
    assert_int_equal(h.head_len, m);
    free(buf);
}

/* ---- header values ----------------------------------------------------- */

static void test_control_chars(void **state)
{
    static const char head[] =
        "HTTP/1.1 200 O\x01K\r\n"
        "Server: Ama\0zon\r\n"
        "x-amzn-RequestId: \x1b[31mred\x1b[0m\r\n"
        "Content-Type: text/\x7fhtml\r\n"
        "Date: Sun,\t29 Nov 2026 10:00:00 GMT\r\n"
        "\r\n";
    struct http_head h;
    (void)state;
    assert_int_equal(parse(LIT(head), &h, NULL, 0), HTTP_DONE);
    assert_string_equal(h.reason, "O?K");
    assert_string_equal(h.server, "Ama?zon");
    assert_string_equal(h.request_id, "?[31mred?[0m");
    assert_string_equal(h.content_type, "text/?html");
    assert_string_equal(h.date, "Sun,?29 Nov 2026 10:00:00 GMT");
    assert_int_equal(h.head_len, sizeof head - 1);
    /* Nothing unprintable survives in any field. */
    const char *fields[] = { h.reason, h.server, h.request_id, h.content_type, h.date };
    for (size_t i = 0; i < N(fields); i++)
        for (const char *c = fields[i]; *c; c++)
            assert_true((unsigned char)*c >= 0x20 && (unsigned char)*c != 0x7f);
}

static void test_whitespace_and_odd_lines(void **state)
{
    static const char head[] =
        "HTTP/1.1 200 OK\r\n"
        "Server:    spaced   \t\r\n"
        "NoColonLine\r\n"
        " folded: continuation\r\n"
        "\tx-amzn-RequestId: folded-id\r\n"
        "Content-Type:\r\n"
        "\r\n"
        "x-amzn-RequestId: in-the-body\r\n"
        "\r\n";
    struct http_head h;
    (void)state;
    assert_int_equal(parse(LIT(head), &h, NULL, 0), HTTP_DONE);
    assert_string_equal(h.server, "spaced");
    assert_string_equal(h.request_id, "");      /* folded line and body ignored */
    assert_string_equal(h.content_type, "");
    assert_false(http_is_aws(&h, NULL, 0));
}

static void test_truncated_values(void **state)
{
    char buf[1024];
    char longv[300];
    struct http_head h;
    (void)state;
    memset(longv, 'A', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    int n = snprintf(buf, sizeof buf, "HTTP/1.1 200 %s\r\nServer: %s\r\nx-amzn-RequestId: %s\r\n\r\n",
                     longv, longv, longv);
    assert_int_equal(parse(buf, (size_t)n, &h, NULL, 0), HTTP_DONE);
    assert_int_equal(strlen(h.reason), sizeof h.reason - 1);
    assert_int_equal(strlen(h.server), sizeof h.server - 1);
    assert_int_equal(strlen(h.request_id), sizeof h.request_id - 1);
    assert_int_equal(h.head_len, (size_t)n);
}

static void test_content_length(void **state)
{
    static const struct {
        const char *lines;
        size_t ll;
        long len;
        bool chunked;
    } cases[] = {
        { LIT("Content-Length: 36\r\n"), 36, false },
        { LIT("content-length:0\r\n"), 0, false },
        { LIT("CONTENT-LENGTH:   1234  \r\n"), 1234, false },
        { LIT("Content-Length: abc\r\n"), -1, false },
        { LIT("Content-Length: 12abc\r\n"), -1, false },
        { LIT("Content-Length: -5\r\n"), -1, false },
        { LIT("Content-Length: \r\n"), -1, false },
        { LIT("Content-Length: 1\0" "2\r\n"), -1, false },
        { LIT("Transfer-Encoding: chunked\r\n"), -1, true },
        { LIT("Transfer-Encoding: Chunked\r\n"), -1, true },
        { LIT("transfer-encoding: gzip, CHUNKED\r\n"), -1, true },
        { LIT("Transfer-Encoding: gzip\r\n"), -1, false },
        { LIT("Content-Length: 10\r\nTransfer-Encoding: chunked\r\n"), 10, true },
        { LIT("X-Content-Length: 99\r\n"), -1, false },
        { LIT(""), -1, false },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        char buf[256];
        struct http_head h;
        size_t n = (size_t)snprintf(buf, sizeof buf, "HTTP/1.1 200 OK\r\n");
        memcpy(buf + n, cases[i].lines, cases[i].ll);
        n += cases[i].ll;
        memcpy(buf + n, "\r\n", 2);
        n += 2;
        assert_int_equal(parse(buf, n, &h, NULL, 0), HTTP_DONE);
        assert_int_equal(h.head_len, n);
        if (h.content_length != cases[i].len || h.chunked != cases[i].chunked)
            fail_msg("case %zu: content_length %ld chunked %d, want %ld %d", i, h.content_length,
                     h.chunked, cases[i].len, cases[i].chunked);
    }
}

static void test_proxy_authenticate(void **state)
{
    static const char head[] =
        "HTTP/1.1 407 Proxy Authentication Required\r\n"
        "Proxy-Authenticate: Basic realm=\"corp proxy\"\r\n"
        "proxy-authenticate: Negotiate\r\n"
        "Content-Length: 0\r\n"
        "\r\n";
    struct http_head h;
    (void)state;
    assert_int_equal(parse(LIT(head), &h, NULL, 0), HTTP_DONE);
    assert_int_equal(h.status, 407);
    assert_string_equal(h.proxy_authenticate, "Basic realm=\"corp proxy\"");
    assert_int_equal(h.content_length, 0);
    assert_false(http_is_aws(&h, NULL, 0));

    static const char ntlm[] = "HTTP/1.0 407 Auth\nPROXY-AUTHENTICATE: NTLM\n\n";
    assert_int_equal(parse(LIT(ntlm), &h, NULL, 0), HTTP_DONE);
    assert_string_equal(h.proxy_authenticate, "NTLM");
}

static void test_out_is_reset(void **state)
{
    struct http_head h;
    (void)state;
    assert_int_equal(parse(LIT("HTTP/1.1 200 OK\r\nServer: a\r\nContent-Length: 3\r\n"
                               "x-amzn-RequestId: r\r\nTransfer-Encoding: chunked\r\n\r\n"),
                           &h, NULL, 0), HTTP_DONE);
    assert_int_equal(parse(LIT("HTTP/1.1 204 No\r\n\r\n"), &h, NULL, 0), HTTP_DONE);
    assert_string_equal(h.server, "");
    assert_string_equal(h.request_id, "");
    assert_int_equal(h.content_length, -1);
    assert_false(h.chunked);
    /* Incomplete input leaves no stale facts either. */
    assert_int_equal(parse(LIT("HTTP/1.1 200 OK\r\nServer: a\r\n\r\n"), &h, NULL, 0), HTTP_DONE);
    assert_int_equal(parse(LIT("HTTP/1.1 200 OK\r\n"), &h, NULL, 0), HTTP_INCOMPLETE);
    assert_string_equal(h.server, "");
}

/* ---- Date ------------------------------------------------------------ */

static void test_parse_date(void **state)
{
    static const struct {
        const char *s;
        long long t;
    } cases[] = {
        /* RFC 9110 §5.6.7 examples: the same instant in all three forms. */
        { "Sun, 06 Nov 1994 08:49:37 GMT", 784111777 },
        { "Sunday, 06-Nov-94 08:49:37 GMT", 784111777 },
        { "Sun Nov  6 08:49:37 1994", 784111777 },
        { "Sun Nov 06 08:49:37 1994", 784111777 },
        { "Sun, 29 Nov 2026 10:00:00 GMT", 1795946400 },
        { "Sunday, 29-Nov-26 10:00:00 GMT", 1795946400 },
        { "Sun Nov 29 10:00:00 2026", 1795946400 },
        { "Thu, 01 Jan 1970 00:00:00 GMT", 0 },
        { "Thu, 01 Jan 1970 00:00:01 GMT", 1 },
        { "Sat, 29 Feb 2020 23:59:59 GMT", 1583020799 },
        { "Fri, 31 Dec 2027 23:59:59 GMT", 1830297599 },
        { "Sun, 29 Nov 2026 10:00:00 GMT ", 1795946400 },  /* trailing space tolerated */
        { "Thursday, 01-Jan-70 00:00:00 GMT", 0 },
    };
    static const char *const broken[] = {
        "",
        "garbage",
        "Sun, 06 Nov 1994",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 PST",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 GMTX",
        "Sun, 06 Nov 1994 08:49:37 GMT+1",
        "Sun, 06 Xyz 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:37 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 06 Nov 1994 -1:49:37 GMT",
        "Sun, 06 Nov 1969 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Xyz-94 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 EST",
        "Sun Nov  6 08:49:37",
        "Sun Xyz  6 08:49:37 1994",
        "Sun Nov  6 08:49:37 1994x",
        "Sun Nov 32 08:49:37 1994",
        "1994-11-06T08:49:37Z",
        "784111777",
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        time_t t = http_parse_date(cases[i].s);
        if ((long long)t != cases[i].t)
            fail_msg("http_parse_date(\"%s\") = %lld, want %lld", cases[i].s, (long long)t,
                     cases[i].t);
    }
    for (size_t i = 0; i < N(broken); i++) {
        time_t t = http_parse_date(broken[i]);
        if (t != (time_t)-1)
            fail_msg("http_parse_date(\"%s\") = %lld, want -1", broken[i], (long long)t);
    }
}

static void test_iso8601(void **state)
{
    static const struct {
        long long t;
        const char *s;
    } cases[] = {
        { 0, "1970-01-01T00:00:00Z" },
        { 784111777, "1994-11-06T08:49:37Z" },
        { 1795946400, "2026-11-29T10:00:00Z" },
        { 1583020799, "2020-02-29T23:59:59Z" },
    };
    char out[64];
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        http_iso8601((time_t)cases[i].t, out, sizeof out);
        assert_string_equal(out, cases[i].s);
    }
    /* Round trip with the Date parser. */
    http_iso8601(http_parse_date("Sun, 29 Nov 2026 10:00:00 GMT"), out, sizeof out);
    assert_string_equal(out, "2026-11-29T10:00:00Z");
    /* Exactly enough room, and too little: never a partial string. */
    char fit[21];
    http_iso8601(1795946400, fit, sizeof fit);
    assert_string_equal(fit, "2026-11-29T10:00:00Z");
    char small[20];
    memset(small, 'x', sizeof small);
    http_iso8601(1795946400, small, sizeof small);
    assert_string_equal(small, "");
}

/* ---- is it AWS? -------------------------------------------------------- */

static void test_is_aws(void **state)
{
    static const struct {
        const char *head;
        const char *body;
        bool aws;
    } cases[] = {
        { "HTTP/1.1 404 Not Found\r\nx-amzn-RequestId: abc\r\n\r\n", "", true },
        { "HTTP/1.1 200 OK\r\nx-amz-request-id: abc\r\n\r\n", NULL, true },
        { "HTTP/1.1 404 Not Found\r\n\r\n", "<UnknownOperationException/>", true },
        { "HTTP/1.1 400 Bad Request\r\n\r\n",
          "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\",\"message\":null}",
          true },
        { "HTTP/1.1 403 Forbidden\r\n\r\n",
          "{\"message\":\"Missing Authentication Token\",\"__type\":\"MissingAuthenticationTokenException\"}",
          true },
        { "HTTP/1.1 400 Bad Request\r\n\r\n",
          "<ErrorResponse><Error><Code>UnrecognizedClientException</Code></Error></ErrorResponse>",
          true },
        { "HTTP/1.1 403 Forbidden\r\n\r\n",
          "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>", true },
        { "HTTP/1.1 400 Bad Request\r\n\r\n", "{\"__type\":\"InvalidSignatureException\"}", true },
        { "HTTP/1.1 400 Bad Request\r\n\r\n", "{\"__type\":\"IncompleteSignatureException\"}", true },
        /* captive portals, proxies' own pages, other servers */
        { "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\n\r\n",
          "<!DOCTYPE html><html><head><title>Hotel WiFi - Sign in</title></head><body>"
          "<form action=\"/login\"><input name=\"room\"></form></body></html>", false },
        { "HTTP/1.1 302 Found\r\nLocation: http://captive.example/portal\r\n\r\n", "", false },
        { "HTTP/1.1 403 Forbidden\r\nServer: squid/5.7\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\n\r\n",
          "<html><body><h1>ERROR</h1><p>Access Denied.</p></body></html>", false },
        { "HTTP/1.1 503 Service Unavailable\r\nServer: Zscaler/6.2\r\n\r\n",
          "<html>Website blocked</html>", false },
        { "HTTP/1.1 200 OK\r\nx-amz-id-2: notanid\r\n\r\n", "{}", false },
        { "HTTP/1.1 200 OK\r\n\r\n", NULL, false },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct http_head h;
        assert_int_equal(parse(cases[i].head, strlen(cases[i].head), &h, NULL, 0), HTTP_DONE);
        bool got = http_is_aws(&h, cases[i].body, cases[i].body ? strlen(cases[i].body) : 0);
        if (got != cases[i].aws)
            fail_msg("case %zu: http_is_aws = %d, want %d", i, got, cases[i].aws);
    }
}

static void test_is_aws_body_bounds(void **state)
{
    struct http_head h;
    static const char body[] = "xx<UnknownOperationException/>";
    (void)state;
    assert_int_equal(parse(LIT("HTTP/1.1 404 Not Found\r\n\r\n"), &h, NULL, 0), HTTP_DONE);
    /* Only bodylen bytes are looked at: a marker cut by the length is not seen. */
    assert_true(http_is_aws(&h, body, sizeof body - 1));
    assert_false(http_is_aws(&h, body, 10));
    assert_false(http_is_aws(&h, body, 0));
    /* A body with NUL bytes before the marker. */
    static const char nul[] = "\0\0\0MissingAuthenticationTokenException";
    assert_true(http_is_aws(&h, nul, sizeof nul - 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aws_404),
        cmocka_unit_test(test_s3_request_id),
        cmocka_unit_test(test_request_id_spellings),
        cmocka_unit_test(test_bare_lf),
        cmocka_unit_test(test_mixed_line_ends),
        cmocka_unit_test(test_status_line_forms),
        cmocka_unit_test(test_every_prefix_crlf),
        cmocka_unit_test(test_every_prefix_lf),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_garbage_fails_early),
        cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_control_chars),
        cmocka_unit_test(test_whitespace_and_odd_lines),
        cmocka_unit_test(test_truncated_values),
        cmocka_unit_test(test_content_length),
        cmocka_unit_test(test_proxy_authenticate),
        cmocka_unit_test(test_out_is_reset),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_is_aws),
        cmocka_unit_test(test_is_aws_body_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
