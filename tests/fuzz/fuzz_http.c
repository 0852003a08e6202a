/* fuzz_http.c — libFuzzer target: the HTTP/1.x response-head parser (the AWS
 * answer and the proxy's CONNECT reply), the Date parser and the AWS-answer
 * test.
 *
 *   tests/fuzz/run http            (builds build-fuzz/fuzz_http and runs it)
 *
 * The whole input is one response as received; it is also fed in growing
 * prefixes, as the engine does when bytes arrive in pieces, and every
 * prefix must agree with the whole (INCOMPLETE until the head ends, then the
 * same result). Invariants checked (abort() on violation):
 *   - DONE: 100 <= status <= 999, head_len <= len, every field NUL-terminated
 *     and free of control characters;
 *   - a Date that http_parse_date accepts formats to an ISO 8601 string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_field(const char *f, size_t cap)
{
    size_t n = strnlen(f, cap);
    if (n == cap)
        abort();                           /* not NUL-terminated */
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)f[i] < 0x20 || f[i] == 0x7f)
            abort();                       /* control character kept */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2 * HTTP_HEAD_MAX + 64)
        return 0;
    /* Exact-size heap copy so that ASan sees any read past the end. */
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);

    struct http_head h;
    char err[128];
    memset(&h, 0x5a, sizeof h);
    err[0] = '\0';
    enum http_parse_rc rc = http_parse_head(buf, size, &h, err, sizeof err);
    if (rc != HTTP_INCOMPLETE && rc != HTTP_DONE && rc != HTTP_BAD && rc != HTTP_TOO_LARGE)
        abort();
    if ((rc == HTTP_BAD || rc == HTTP_TOO_LARGE) && strnlen(err, sizeof err) == sizeof err)
        abort();
    if (rc == HTTP_DONE) {
        if (h.status < 100 || h.status > 999 || h.head_len > size || h.head_len == 0)
            abort();
        check_field(h.reason, sizeof h.reason);
        check_field(h.date, sizeof h.date);
        check_field(h.server, sizeof h.server);
        check_field(h.request_id, sizeof h.request_id);
        check_field(h.content_type, sizeof h.content_type);
        check_field(h.proxy_authenticate, sizeof h.proxy_authenticate);

        time_t t = http_parse_date(h.date);
        if (t != (time_t)-1) {
            char iso[64];
            http_iso8601(t, iso, sizeof iso);
            if (strnlen(iso, sizeof iso) == sizeof iso)
                abort();
        }
        /* The body as received after the head (exact-size copy). */
        size_t blen = size - h.head_len;
        char *body = malloc(blen ? blen : 1);
        if (body) {
            memcpy(body, buf + h.head_len, blen);
            (void)http_is_aws(&h, body, blen);
            (void)http_is_aws(&h, NULL, 0);
            free(body);
        }

        /* Byte-wise arrival: every shorter prefix that ends before the head
         * does must be INCOMPLETE (a few cut points, to keep it fast). */
        size_t cuts[4] = {h.head_len - 1, h.head_len / 2, 1, h.head_len > 2 ? h.head_len - 2 : 0};
        for (int i = 0; i < 4; i++) {
            size_t c = cuts[i];
            if (c == 0 || c >= h.head_len)
                continue;
            struct http_head h2;
            char *pre = malloc(c);
            if (!pre)
                break;
            memcpy(pre, buf, c);
            enum http_parse_rc r2 = http_parse_head(pre, c, &h2, err, sizeof err);
            free(pre);
            if (r2 == HTTP_DONE)
                abort();                   /* a head cannot end twice */
        }
    }

    /* The Date parser on the raw input as a C string (bounded). */
    size_t dl = size < 200 ? size : 200;
    char *ds = malloc(dl + 1);
    if (ds) {
        memcpy(ds, data, dl);
        ds[dl] = '\0';
        time_t t = http_parse_date(ds);
        if (t != (time_t)-1) {
            char iso[64];
            http_iso8601(t, iso, sizeof iso);
        }
        free(ds);
    }
    free(buf);
    return 0;
}
