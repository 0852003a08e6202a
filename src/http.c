/* http.c — response-head parsing, Date parsing, the "is this AWS" test. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

static void copy_value(char *dst, size_t dstlen, const char *v, size_t vlen)
{
    size_t n = vlen < dstlen - 1 ? vlen : dstlen - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        dst[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    dst[n] = '\0';
}

/* Find the end of the head: "\r\n\r\n" or "\n\n" (bare LF tolerated). */
static size_t head_end(const char *buf, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (buf[i] != '\n')
            continue;
        if (buf[i + 1] == '\n')
            return i + 2;
        if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

static void header(struct http_head *h, const char *name, size_t nlen, const char *v, size_t vlen)
{
#define IS(s) (nlen == sizeof(s) - 1 && strncasecmp(name, s, nlen) == 0)
    if (IS("date"))
        copy_value(h->date, sizeof h->date, v, vlen);
    else if (IS("server"))
        copy_value(h->server, sizeof h->server, v, vlen);
    else if (IS("x-amzn-requestid") || IS("x-amz-request-id") || IS("x-amzn-request-id"))
        copy_value(h->request_id, sizeof h->request_id, v, vlen);
    else if (IS("content-type"))
        copy_value(h->content_type, sizeof h->content_type, v, vlen);
    else if (IS("proxy-authenticate")) {
        if (!h->proxy_authenticate[0])
            copy_value(h->proxy_authenticate, sizeof h->proxy_authenticate, v, vlen);
    } else if (IS("content-length")) {
        char tmp[24];
        copy_value(tmp, sizeof tmp, v, vlen);
        char *end;
        long n = strtol(tmp, &end, 10);
        if (end != tmp && *end == '\0' && n >= 0)
            h->content_length = n;
    } else if (IS("transfer-encoding")) {
        char tmp[64];
        copy_value(tmp, sizeof tmp, v, vlen);
        for (char *c = tmp; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        if (strstr(tmp, "chunked"))
            h->chunked = true;
    }
#undef IS
}

enum http_parse_rc http_parse_head(const char *buf, size_t len, struct http_head *h,
                                   char *err, size_t errlen)
{
    memset(h, 0, sizeof *h);
    h->content_length = -1;

    /* Reject early what cannot be HTTP, so garbage does not wait for a timeout. */
    static const char proto[] = "HTTP/1.";
    size_t cmp = len < sizeof proto - 1 ? len : sizeof proto - 1;
    if (memcmp(buf, proto, cmp) != 0) {
        set_err(err, errlen, "the answer does not start with HTTP/1.x");
        return HTTP_BAD;
    }
    size_t end = head_end(buf, len < HTTP_HEAD_MAX ? len : HTTP_HEAD_MAX);
    if (!end) {
        if (len >= HTTP_HEAD_MAX) {
            set_err(err, errlen, "response head larger than 16384 bytes");
            return HTTP_TOO_LARGE;
        }
        return HTTP_INCOMPLETE;
    }
    h->head_len = end;

    /* Status line: HTTP/1.x SP DDD [SP reason] */
    const char *p = buf + 7, *lim = buf + end;
    if (p >= lim || !isdigit((unsigned char)*p)) {
        set_err(err, errlen, "malformed status line");
        return HTTP_BAD;
    }
    h->minor = *p - '0';
    p++;
    if (p + 4 > lim || *p != ' ' || !isdigit((unsigned char)p[1]) ||
        !isdigit((unsigned char)p[2]) || !isdigit((unsigned char)p[3])) {
        set_err(err, errlen, "malformed status line");
        return HTTP_BAD;
    }
    if (p + 4 < lim && p[4] != ' ' && p[4] != '\r' && p[4] != '\n') {
        set_err(err, errlen, "malformed status code");
        return HTTP_BAD;
    }
    h->status = (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    if (h->status < 100) {
        set_err(err, errlen, "malformed status code");
        return HTTP_BAD;
    }
    p += 4;
    const char *eol = memchr(p, '\n', (size_t)(lim - p));
    if (!eol)
        eol = lim;
    if (p < eol && *p == ' ')
        p++;
    size_t rlen = (size_t)(eol - p);
    if (rlen && p[rlen - 1] == '\r')
        rlen--;
    copy_value(h->reason, sizeof h->reason, p, rlen);

    /* Header lines until the blank line. Folded lines are ignored. */
    p = eol < lim ? eol + 1 : lim;
    while (p < lim) {
        eol = memchr(p, '\n', (size_t)(lim - p));
        if (!eol)
            eol = lim;
        size_t llen = (size_t)(eol - p);
        if (llen && p[llen - 1] == '\r')
            llen--;
        if (llen == 0)
            break;
        if (*p != ' ' && *p != '\t') {
            const char *colon = memchr(p, ':', llen);
            if (colon) {
                size_t nlen = (size_t)(colon - p);
                const char *v = colon + 1;
                const char *vend = p + llen;
                while (v < vend && (*v == ' ' || *v == '\t'))
                    v++;
                while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
                    vend--;
                header(h, p, nlen, v, (size_t)(vend - v));
            }
        }
        p = eol + 1;
    }
    return HTTP_DONE;
}

static int month_index(const char *m)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (strncmp(m, months + 3 * i, 3) == 0)
            return i;
    return -1;
}

static bool valid_tm(const struct tm *tm)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = tm->tm_year + 1900;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (tm->tm_mon == 1 && tm->tm_mday == 29 && !leap)
        return false;
    return tm->tm_mday >= 1 && tm->tm_mday <= days[tm->tm_mon] && tm->tm_hour >= 0 && tm->tm_hour <= 23 &&
           tm->tm_min >= 0 && tm->tm_min <= 59 && tm->tm_sec >= 0 && tm->tm_sec <= 60 &&
           tm->tm_year >= 70 && tm->tm_year < 1100;
}

time_t http_parse_date(const char *s)
{
    struct tm tm;
    char mon[4] = "", wk[16] = "", tz[8] = "";
    int day, year, hh, mm, ss, n = 0;

    memset(&tm, 0, sizeof tm);
    /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
    if (sscanf(s, "%3[A-Za-z], %2d %3s %4d %2d:%2d:%2d %3s%n", wk, &day, mon, &year, &hh, &mm,
               &ss, tz, &n) == 8 && strcmp(tz, "GMT") == 0) {
        /* ok */
    } else if (sscanf(s, "%15[A-Za-z], %2d-%3s-%2d %2d:%2d:%2d %3s%n", wk, &day, mon, &year,
                      &hh, &mm, &ss, tz, &n) == 8 && strcmp(tz, "GMT") == 0) {
        /* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
        year += year < 70 ? 2000 : 1900;
    } else if (sscanf(s, "%3[A-Za-z] %3s %2d %2d:%2d:%2d %4d%n", wk, mon, &day, &hh, &mm, &ss,
                      &year, &n) == 7) {
        /* asctime: Sun Nov  6 08:49:37 1994 */
    } else {
        return -1;
    }
    if (s[n] != '\0' && s[n] != ' ')
        return -1;
    int m = month_index(mon);
    if (m < 0)
        return -1;
    tm.tm_mday = day;
    tm.tm_mon = m;
    tm.tm_year = year - 1900;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    if (!valid_tm(&tm))
        return -1;
    return timegm(&tm);
}

void http_iso8601(time_t t, char *out, size_t outlen)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, outlen, "%s", "");
}

bool http_is_aws(const struct http_head *h, const char *body, size_t bodylen)
{
    static const char *const markers[] = {
        "UnknownOperationException", "MissingAuthenticationToken", "UnrecognizedClientException",
        "InvalidSignatureException", "IncompleteSignature", "AccessDenied",
    };
    if (h->request_id[0])
        return true;
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
        size_t ml = strlen(markers[i]);
        for (size_t j = 0; body && j + ml <= bodylen; j++)
            if (memcmp(body + j, markers[i], ml) == 0)
                return true;
    }
    return false;
}
