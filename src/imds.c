/* imds.c — the IMDS client (its own libuv loop), the credentials and CIDR
 * parsers, the EC2 guess for auto mode, and IMDS findings.
 *
 * Secrets: the token lives only in struct run (wiped at the end), in the
 * request buffers that carry it and in the PUT's response buffer; the
 * credentials document only in the response buffer. Every request and
 * response buffer, and the read buffer, is wiped before it is freed or
 * reused. Nothing secret is copied into struct imds_result. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uv.h>

#include "http.h"
#include "imds.h"
#include "msgs.h"
#include "verdict.h"

#ifndef SSMPROBE_VERSION
#define SSMPROBE_VERSION "0"
#endif

#define DHMC_MIN_AGENT "3.2.582.0"
#define RESP_CAP (HTTP_HEAD_MAX + IMDS_BODY_MAX)

static void wipe(void *p, size_t n)
{
    if (p && n)
        explicit_bzero(p, n);
}

/* ---- small text helpers ------------------------------------------------- */

/* Copy at most dstlen-1 bytes, printable ASCII only ('?' otherwise). */
static void copy_clean(char *dst, size_t dstlen, const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < dstlen; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[k++] = (c > 0x20 && c < 0x7f) ? (char)c : '?';
    }
    dst[k] = '\0';
}

/* The first non-empty line of a body, trimmed. */
static size_t first_line(const char *s, size_t len, const char **start)
{
    size_t i = 0;
    while (i < len && (s[i] == '\r' || s[i] == '\n' || s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t j = i;
    while (j < len && s[j] != '\r' && s[j] != '\n')
        j++;
    while (j > i && (s[j - 1] == ' ' || s[j - 1] == '\t'))
        j--;
    *start = s + i;
    return j - i;
}

static bool all_chars(const char *s, size_t n, const char *extra)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c) && !strchr(extra, c))
            return false;
    }
    return true;
}

/* ---- URL ---------------------------------------------------------------- */

int imds_parse_url(const char *url, struct sockaddr_storage *sa, char *endpoint,
                   size_t endpoint_len, char *host_header, size_t host_header_len,
                   char *err, size_t errlen)
{
#define BAD(...) do { if (err && errlen) snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)
    if (!url || !*url)
        BAD("IMDS endpoint: empty URL");
    if (strncasecmp(url, "http://", 7) != 0)
        BAD("IMDS endpoint '%.80s': not an http:// URL (IMDS speaks plain HTTP)", url);
    const char *p = url + 7, *hend;
    char host[INET6_ADDRSTRLEN + 1];
    int family;
    if (*p == '[') {
        hend = strchr(p, ']');
        if (!hend)
            BAD("IMDS endpoint '%.80s': '[' without ']'", url);
        size_t n = (size_t)(hend - p - 1);
        if (n == 0 || n >= sizeof host)
            BAD("IMDS endpoint '%.80s': bad IPv6 literal", url);
        memcpy(host, p + 1, n);
        host[n] = '\0';
        family = AF_INET6;
        hend++;
    } else {
        hend = p;
        while (*hend && *hend != ':' && *hend != '/')
            hend++;
        size_t n = (size_t)(hend - p);
        if (n == 0 || n >= sizeof host)
            BAD("IMDS endpoint '%.80s': no host", url);
        memcpy(host, p, n);
        host[n] = '\0';
        family = AF_INET;
    }
    long port = 80;
    if (*hend == ':') {
        const char *q = hend + 1;
        char *e;
        if (!isdigit((unsigned char)*q))
            BAD("IMDS endpoint '%.80s': bad port", url);
        errno = 0;
        port = strtol(q, &e, 10);
        if (errno || port < 1 || port > 65535 || e - q > 5)
            BAD("IMDS endpoint '%.80s': port out of range 1..65535", url);
        hend = e;
    }
    if (*hend == '/' && hend[1] == '\0')
        hend++;
    if (*hend != '\0')
        BAD("IMDS endpoint '%.80s': only http://ADDRESS[:PORT] is accepted (no path, user or query)",
            url);

    memset(sa, 0, sizeof *sa);
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)sa;
        if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
            BAD("IMDS endpoint '%.80s': '%s' is not a numeric IPv4 address "
                "(use 169.254.169.254 or [fd00:ec2::254])", url, host);
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t)port);
        snprintf(endpoint, endpoint_len, "%s:%ld", host, port);
        if (port == 80)
            snprintf(host_header, host_header_len, "%s", host);
        else
            snprintf(host_header, host_header_len, "%s:%ld", host, port);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)sa;
        if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
            BAD("IMDS endpoint '%.80s': '%s' is not a numeric IPv6 address", url, host);
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((uint16_t)port);
        snprintf(endpoint, endpoint_len, "[%s]:%ld", host, port);
        if (port == 80)
            snprintf(host_header, host_header_len, "[%s]", host);
        else
            snprintf(host_header, host_header_len, "[%s]:%ld", host, port);
    }
    return 0;
#undef BAD
}

/* ---- a JSON scanner that copies only what it is asked for --------------- */

static size_t skip_ws(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

/* Scan a string starting at s[i] == '"'. When out is non-NULL, decode it
 * into out (truncated). Returns the index after the closing quote, or 0. */
static size_t scan_string(const char *s, size_t len, size_t i, char *out, size_t outlen)
{
    size_t k = 0;
    if (i >= len || s[i] != '"')
        return 0;
    for (i++; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') {
            if (out && outlen)
                out[k < outlen ? k : outlen - 1] = '\0';
            return i + 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            if (++i >= len)
                return 0;
            switch (s[i]) {
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            case '/': c = '/'; break;
            case 'b': case 'f': case 'n': case 'r': case 't': c = '?'; break;
            case 'u':
                for (int d = 1; d <= 4; d++)
                    if (i + (size_t)d >= len || !isxdigit((unsigned char)s[i + (size_t)d]))
                        return 0;
                i += 4;
                c = '?';
                break;
            default:
                return 0;
            }
        }
        if (out && k + 1 < outlen)
            out[k++] = (char)((c >= 0x20 && c < 0x7f) ? c : '?');
    }
    return 0;
}

/* Skip one value of any kind without copying it. Returns the index after
 * it, or 0 when malformed. */
static size_t skip_value(const char *s, size_t len, size_t i)
{
    i = skip_ws(s, len, i);
    if (i >= len)
        return 0;
    if (s[i] == '"')
        return scan_string(s, len, i, NULL, 0);
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        while (i < len) {
            char c = s[i];
            if (c == '"') {
                i = scan_string(s, len, i, NULL, 0);
                if (!i)
                    return 0;
                continue;
            }
            if (c == '{' || c == '[') {
                if (++depth > 64)
                    return 0;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
            i++;
        }
        return 0;
    }
    size_t st = i;
    while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '+' || s[i] == '.'))
        i++;
    return i > st ? i : 0;
}

int imds_json_strings(const char *s, size_t len, const char *const keys[], char *const outs[],
                      const size_t outlens[], int nkeys)
{
    for (int k = 0; k < nkeys; k++)
        if (outs[k] && outlens[k])
            outs[k][0] = '\0';
    size_t i = skip_ws(s, len, 0);
    if (i >= len || s[i] != '{')
        return -1;
    i = skip_ws(s, len, i + 1);
    if (i < len && s[i] == '}')
        return skip_ws(s, len, i + 1) == len ? 0 : -1;
    for (;;) {
        char key[64];
        i = skip_ws(s, len, i);
        i = scan_string(s, len, i, key, sizeof key);
        if (!i)
            return -1;
        i = skip_ws(s, len, i);
        if (i >= len || s[i] != ':')
            return -1;
        i = skip_ws(s, len, i + 1);
        int want = -1;
        for (int k = 0; k < nkeys; k++)
            if (strcmp(key, keys[k]) == 0)
                want = k;
        if (want >= 0 && i < len && s[i] == '"' && outs[want] && outlens[want])
            i = scan_string(s, len, i, outs[want], outlens[want]);
        else
            i = skip_value(s, len, i);
        if (!i)
            return -1;
        i = skip_ws(s, len, i);
        if (i < len && s[i] == ',') {
            i++;
            continue;
        }
        if (i < len && s[i] == '}')
            return skip_ws(s, len, i + 1) == len ? 0 : -1;
        return -1;
    }
}

time_t imds_parse_iso8601(const char *s)
{
    int y, mo, d, h, mi, sec, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
        return -1;
    const char *rest = s + n;
    if (*rest == '.') {
        rest++;
        if (!isdigit((unsigned char)*rest))
            return -1;
        while (isdigit((unsigned char)*rest))
            rest++;
    }
    if (strcmp(rest, "Z") != 0 && strcmp(rest, "+00:00") != 0 && strcmp(rest, "") != 0)
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1970)
        return -1;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    return timegm(&tm);
}

const char *imds_classify_credentials(const char *body, size_t len, time_t now,
                                      char *code, size_t codelen, char *expiration,
                                      size_t explen, long *expired_s)
{
    char c[48], e[40];
    static const char *const keys[] = {"Code", "Expiration"};
    char *const outs[] = {c, e};
    const size_t lens[] = {sizeof c, sizeof e};
    if (expired_s)
        *expired_s = 0;
    if (code && codelen)
        code[0] = '\0';
    if (expiration && explen)
        expiration[0] = '\0';
    if (!body || imds_json_strings(body, len, keys, outs, lens, 2) != 0)
        return "error";
    if (code && codelen)
        snprintf(code, codelen, "%s", c);
    if (expiration && explen)
        snprintf(expiration, explen, "%s", e);
    if (strcmp(c, "Success") != 0)
        return c[0] ? "missing" : "error";
    if (!e[0])
        return "ok";
    time_t t = imds_parse_iso8601(e);
    if (t < 0)
        return "error";
    if (t <= now) {
        if (expired_s)
            *expired_s = (long)(now - t);
        return "expired";
    }
    return "ok";
}

static bool valid_cidr(const char *s)
{
    unsigned a, b, c, d, m;
    char tail;
    if (sscanf(s, "%3u.%3u.%3u.%3u/%2u%c", &a, &b, &c, &d, &m, &tail) != 5)
        return false;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p) && *p != '.' && *p != '/')
            return false;
    return a < 256 && b < 256 && c < 256 && d < 256 && m <= 32;
}

int imds_parse_cidrs(const char *body, size_t len, char out[][IMDS_CIDR_LEN], int max)
{
    int n = 0;
    size_t i = 0;
    while (i < len && n < max) {
        size_t j = i;
        while (j < len && body[j] != '\n')
            j++;
        size_t a = i, b = j;
        while (a < b && isspace((unsigned char)body[a]))
            a++;
        while (b > a && isspace((unsigned char)body[b - 1]))
            b--;
        if (b > a && b - a < IMDS_CIDR_LEN) {
            char tmp[IMDS_CIDR_LEN];
            memcpy(tmp, body + a, b - a);
            tmp[b - a] = '\0';
            if (valid_cidr(tmp))
                snprintf(out[n++], IMDS_CIDR_LEN, "%s", tmp);
        }
        i = j + 1;
    }
    return n;
}

/* ---- the client --------------------------------------------------------- */

static const char *const req_names[IMDS_REQ_COUNT] = {
    [IMDS_REQ_TOKEN] = "token", [IMDS_REQ_REGION] = "region",
    [IMDS_REQ_INSTANCE_ID] = "instance_id", [IMDS_REQ_IAM_INFO] = "iam_info",
    [IMDS_REQ_ROLES] = "roles", [IMDS_REQ_CREDENTIALS] = "credentials",
    [IMDS_REQ_MACS] = "macs", [IMDS_REQ_CIDRS] = "vpc_cidrs",
};

struct run {
    uv_loop_t loop;
    uv_timer_t total_timer;
    bool total_timer_open;
    struct sockaddr_storage sa;
    char host_header[80];
    dur_ns per_request;
    struct imds_result *out;
    mono_ns t_start;
    bool stopped;             /* sequence over: no further requests */
    char token[IMDS_TOKEN_MAX + 1];
    size_t token_len;

    /* the current request */
    struct {
        bool active;          /* handles open */
        bool finished;        /* outcome decided */
        int open_handles;
        enum imds_req_kind kind;
        uv_tcp_t tcp;
        uv_timer_t timer;
        uv_connect_t creq;
        uv_write_t wreq;
        char *wbuf;
        size_t wlen;
        char *buf;            /* response, RESP_CAP at most */
        size_t len;
        bool head_done;
        struct http_head head;
        mono_ns t0, t_conn, t_end;
    } rq;
    char rbuf[4096];
};

static void start_request(struct run *r, enum imds_req_kind kind, const char *path);
static void next_step(struct run *r, enum imds_req_kind done);

static void rq_close_cb(uv_handle_t *h)
{
    struct run *r = h->data;
    if (--r->rq.open_handles > 0)
        return;
    r->rq.active = false;
    enum imds_req_kind kind = r->rq.kind;
    next_step(r, kind);
    /* Whatever next_step read, the buffers are wiped now (unless the next
     * request already replaced them: it wiped and freed these first). */
}

static void rq_free_buffers(struct run *r)
{
    if (r->rq.wbuf) {
        wipe(r->rq.wbuf, r->rq.wlen);
        free(r->rq.wbuf);
        r->rq.wbuf = NULL;
    }
    if (r->rq.buf) {
        wipe(r->rq.buf, RESP_CAP + 1);
        free(r->rq.buf);
        r->rq.buf = NULL;
    }
    r->rq.len = 0;
    wipe(r->rbuf, sizeof r->rbuf);
}

static void finish_request(struct run *r, mono_ns now, enum imds_outcome oc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void finish_request(struct run *r, mono_ns now, enum imds_outcome oc, const char *fmt, ...)
{
    if (r->rq.finished)
        return;
    r->rq.finished = true;
    r->rq.t_end = now;
    struct imds_request *q = &r->out->req[r->rq.kind];
    q->outcome = oc;
    q->ms = ns_to_ms(r->rq.t0, now);
    q->connect_ms = r->rq.t_conn ? ns_to_ms(r->rq.t0, r->rq.t_conn) : -1;
    if (oc == IMDS_OUT_ANSWERED)
        q->http_status = r->rq.head.status;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(q->error, sizeof q->error, fmt, ap);
        va_end(ap);
    }
    uv_timer_stop(&r->rq.timer);
    if (!uv_is_closing((uv_handle_t *)&r->rq.tcp)) {
        uv_read_stop((uv_stream_t *)&r->rq.tcp);
        uv_close((uv_handle_t *)&r->rq.tcp, rq_close_cb);
    }
    if (!uv_is_closing((uv_handle_t *)&r->rq.timer))
        uv_close((uv_handle_t *)&r->rq.timer, rq_close_cb);
}

static void rq_timer_cb(uv_timer_t *t)
{
    mono_ns now = uv_hrtime();
    struct run *r = t->data;
    double ms = (double)r->per_request / 1e6;
    if (!r->rq.t_conn)
        finish_request(r, now, IMDS_OUT_CONNECT_TIMEOUT,
                       "no TCP connection to %s within %.0f ms", r->out->endpoint, ms);
    else
        finish_request(r, now, IMDS_OUT_TIMEOUT,
                       "connected in %.1f ms, but no answer within %.0f ms",
                       ns_to_ms(r->rq.t0, r->rq.t_conn), ms);
}

static void total_timer_cb(uv_timer_t *t)
{
    mono_ns now = uv_hrtime();
    struct run *r = t->data;
    r->out->total_timed_out = true;
    r->stopped = true;
    if (r->rq.active && !r->rq.t_conn)
        finish_request(r, now, IMDS_OUT_CONNECT_TIMEOUT,
                       "no TCP connection to %s within the total IMDS time bound (%.1f ms)",
                       r->out->endpoint, ns_to_ms(r->t_start, now));
    else if (r->rq.active)
        finish_request(r, now, IMDS_OUT_TOTAL_TIMEOUT,
                       "connected in %.1f ms, but no answer within the total IMDS time bound "
                       "(%.1f ms)", ns_to_ms(r->rq.t0, r->rq.t_conn), ns_to_ms(r->t_start, now));
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct run *r = h->data;
    (void)suggested;
    buf->base = r->rbuf;
    buf->len = sizeof r->rbuf;
}

static bool response_complete(struct run *r)
{
    if (!r->rq.head_done)
        return false;
    long cl = r->rq.head.content_length;
    return !r->rq.head.chunked && cl >= 0 && r->rq.len >= r->rq.head.head_len + (size_t)cl;
}

static void read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    mono_ns now = uv_hrtime();
    struct run *r = s->data;
    (void)buf;
    if (r->rq.finished)
        return;
    if (nread < 0) {
        wipe(r->rbuf, sizeof r->rbuf);
        if (nread != UV_EOF) {
            finish_request(r, now, IMDS_OUT_CLOSED, "connection error while reading: %s",
                           uv_strerror((int)nread));
            return;
        }
        if (!r->rq.head_done) {
            if (r->rq.len == 0)
                finish_request(r, now, IMDS_OUT_CLOSED, "connection closed without an answer");
            else
                finish_request(r, now, IMDS_OUT_BAD_RESPONSE,
                               "connection closed inside the response head (%zu bytes)", r->rq.len);
            return;
        }
        long cl = r->rq.head.content_length;
        if (!r->rq.head.chunked && cl >= 0 && r->rq.len < r->rq.head.head_len + (size_t)cl) {
            finish_request(r, now, IMDS_OUT_BAD_RESPONSE,
                           "body truncated: %zu of %ld bytes",
                           r->rq.len - r->rq.head.head_len, cl);
            return;
        }
        finish_request(r, now, IMDS_OUT_ANSWERED, NULL);
        return;
    }
    if (nread == 0)
        return;
    if (r->rq.len + (size_t)nread > RESP_CAP) {
        wipe(r->rbuf, sizeof r->rbuf);
        finish_request(r, now, IMDS_OUT_TOO_LARGE, "response larger than %d bytes", RESP_CAP);
        return;
    }
    memcpy(r->rq.buf + r->rq.len, r->rbuf, (size_t)nread);
    r->rq.len += (size_t)nread;
    r->rq.buf[r->rq.len] = '\0';
    wipe(r->rbuf, (size_t)nread);
    if (!r->rq.head_done) {
        char err[96];
        enum http_parse_rc rc = http_parse_head(r->rq.buf, r->rq.len, &r->rq.head, err, sizeof err);
        if (rc == HTTP_BAD || rc == HTTP_TOO_LARGE) {
            finish_request(r, now, rc == HTTP_BAD ? IMDS_OUT_BAD_RESPONSE : IMDS_OUT_TOO_LARGE,
                           "%s", err);
            return;
        }
        if (rc == HTTP_DONE) {
            r->rq.head_done = true;
            if (r->rq.head.content_length > IMDS_BODY_MAX) {
                finish_request(r, now, IMDS_OUT_TOO_LARGE, "body of %ld bytes refused (cap %d)",
                               r->rq.head.content_length, IMDS_BODY_MAX);
                return;
            }
        }
    }
    if (response_complete(r))
        finish_request(r, now, IMDS_OUT_ANSWERED, NULL);
}

static void write_cb(uv_write_t *w, int status)
{
    mono_ns now = uv_hrtime();
    struct run *r = w->data;
    if (r->rq.wbuf)
        wipe(r->rq.wbuf, r->rq.wlen);  /* may hold the token: not needed any more */
    if (status < 0 && status != UV_ECANCELED)
        finish_request(r, now, IMDS_OUT_CLOSED, "cannot send the request: %s", uv_strerror(status));
}

static void connect_cb(uv_connect_t *c, int status)
{
    mono_ns now = uv_hrtime();
    struct run *r = c->data;
    if (r->rq.finished)
        return;
    if (status < 0) {
        finish_request(r, now, IMDS_OUT_CONNECT_FAILED, "TCP connect to %s: %s after %.1f ms",
                       r->out->endpoint, uv_strerror(status), ns_to_ms(r->rq.t0, now));
        return;
    }
    r->rq.t_conn = now;
    r->out->reachable = true;
    uv_buf_t b = uv_buf_init(r->rq.wbuf, (unsigned)r->rq.wlen);
    r->rq.wreq.data = r;
    int rc = uv_write(&r->rq.wreq, (uv_stream_t *)&r->rq.tcp, &b, 1, write_cb);
    if (rc < 0) {
        finish_request(r, now, IMDS_OUT_CLOSED, "cannot send the request: %s", uv_strerror(rc));
        return;
    }
    rc = uv_read_start((uv_stream_t *)&r->rq.tcp, alloc_cb, read_cb);
    if (rc < 0)
        finish_request(r, now, IMDS_OUT_CLOSED, "cannot read: %s", uv_strerror(rc));
}

static void start_request(struct run *r, enum imds_req_kind kind, const char *path)
{
    mono_ns now = uv_hrtime();
    struct imds_request *q = &r->out->req[kind];
    rq_free_buffers(r);
    memset(&r->rq, 0, sizeof r->rq);
    r->rq.kind = kind;
    r->rq.t0 = now;
    r->rq.active = true;
    q->name = req_names[kind];
    snprintf(q->method, sizeof q->method, "%s", kind == IMDS_REQ_TOKEN ? "PUT" : "GET");
    snprintf(q->path, sizeof q->path, "%s", path);
    q->with_token = kind != IMDS_REQ_TOKEN && r->token_len > 0;
    q->ms = -1;
    q->connect_ms = -1;

    size_t cap = 512 + strlen(path) + IMDS_TOKEN_MAX;
    r->rq.wbuf = xmalloc(cap);
    int n;
    if (kind == IMDS_REQ_TOKEN)
        n = snprintf(r->rq.wbuf, cap,
                     "PUT %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: ssmprobe/%s\r\n"
                     "X-aws-ec2-metadata-token-ttl-seconds: 60\r\nContent-Length: 0\r\n"
                     "Connection: close\r\n\r\n", path, r->host_header, SSMPROBE_VERSION);
    else
        n = snprintf(r->rq.wbuf, cap,
                     "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: ssmprobe/%s\r\nAccept: */*\r\n"
                     "%s%.*s%sConnection: close\r\n\r\n", path, r->host_header, SSMPROBE_VERSION,
                     q->with_token ? "X-aws-ec2-metadata-token: " : "",
                     (int)(q->with_token ? r->token_len : 0), r->token,
                     q->with_token ? "\r\n" : "");
    r->rq.wlen = n > 0 && (size_t)n < cap ? (size_t)n : 0;
    r->rq.buf = xmalloc(RESP_CAP + 1);
    r->rq.buf[0] = '\0';

    uv_tcp_init(&r->loop, &r->rq.tcp);
    uv_timer_init(&r->loop, &r->rq.timer);
    r->rq.tcp.data = r;
    r->rq.timer.data = r;
    r->rq.creq.data = r;
    r->rq.open_handles = 2;
    uv_tcp_nodelay(&r->rq.tcp, 1);
    uv_update_time(&r->loop);
    uv_timer_start(&r->rq.timer, rq_timer_cb, (r->per_request + 999999) / 1000000, 0);
    int rc = uv_tcp_connect(&r->rq.creq, &r->rq.tcp, (const struct sockaddr *)&r->sa, connect_cb);
    if (rc < 0)
        finish_request(r, uv_hrtime(), IMDS_OUT_CONNECT_FAILED, "TCP connect to %s: %s",
                       r->out->endpoint, uv_strerror(rc));
}

/* The body of the current (answered) response: dechunked in place when needed. */
static const char *rq_body(struct run *r, size_t *len)
{
    char *b = r->rq.buf + r->rq.head.head_len;
    size_t n = r->rq.len - r->rq.head.head_len;
    if (r->rq.head.content_length >= 0 && (size_t)r->rq.head.content_length < n)
        n = (size_t)r->rq.head.content_length;
    if (r->rq.head.chunked) {
        size_t in = 0, outp = 0;
        for (;;) {
            char *e;
            if (in >= n)
                break;
            unsigned long sz = strtoul(b + in, &e, 16);
            if (e == b + in)
                break;
            char *nl = memchr(e, '\n', n - (size_t)(e - b));
            if (!nl)
                break;
            in = (size_t)(nl - b) + 1;
            if (sz == 0 || sz > n - in)
                break;
            memmove(b + outp, b + in, sz);
            outp += sz;
            in += sz;
            while (in < n && (b[in] == '\r' || b[in] == '\n'))
                in++;
        }
        wipe(b + outp, n - outp);
        n = outp;
    }
    b[n] = '\0';
    *len = n;
    return b;
}

static void stop_sequence(struct run *r)
{
    r->stopped = true;
    if (r->total_timer_open) {
        r->total_timer_open = false;
        uv_timer_stop(&r->total_timer);
        uv_close((uv_handle_t *)&r->total_timer, NULL);
    }
}

static void copy_line(char *dst, size_t dstlen, const char *body, size_t len)
{
    const char *s;
    size_t n = first_line(body, len, &s);
    copy_clean(dst, dstlen, s, n);
}

/* Decide what the finished request means and start the next one. */
static void next_step(struct run *r, enum imds_req_kind done)
{
    struct imds_result *o = r->out;
    struct imds_request *q = &o->req[done];
    enum imds_req_kind next = IMDS_REQ_COUNT;
    size_t blen = 0;
    const char *body = q->outcome == IMDS_OUT_ANSWERED ? rq_body(r, &blen) : NULL;
    int st = q->http_status;
    char path[192];

    if (done == IMDS_REQ_TOKEN && q->outcome == IMDS_OUT_TOTAL_TIMEOUT)
        o->put_timed_out = true;   /* TCP worked, no answer to the PUT in time */
    if (q->outcome == IMDS_OUT_TOTAL_TIMEOUT || r->stopped) {
        o->incomplete = true;
        goto stop;
    }
    if (done == IMDS_REQ_TOKEN) {
        if (q->outcome == IMDS_OUT_CONNECT_FAILED || q->outcome == IMDS_OUT_CONNECT_TIMEOUT) {
            o->reachable = false;
            goto stop;
        }
        o->put_status = st;
        const char *tok = NULL;
        size_t tn = 0;
        if (body && st == 200) {
            tn = first_line(body, blen, &tok);
            if (tn > IMDS_TOKEN_MAX || !all_chars(tok, tn, "+/=_-.~"))
                tn = 0;
        }
        if (tn) {
            memcpy(r->token, tok, tn);
            r->token[tn] = '\0';
            r->token_len = tn;
            o->token_ok = true;
        } else {
            o->v1_fallback = true;
            if (q->outcome == IMDS_OUT_TIMEOUT)
                o->put_timed_out = true;
            else if (q->outcome == IMDS_OUT_ANSWERED && st == 200)
                snprintf(q->error, sizeof q->error, "HTTP 200 without a usable token");
            else if (q->outcome == IMDS_OUT_ANSWERED)
                snprintf(q->error, sizeof q->error, "HTTP %d", st);
        }
        next = IMDS_REQ_REGION;
        goto go;
    }

    /* A GET. Connection-level failures end the sequence (IMDS went away). */
    if (q->outcome == IMDS_OUT_CONNECT_FAILED || q->outcome == IMDS_OUT_CONNECT_TIMEOUT) {
        o->incomplete = true;
        goto stop;
    }
    if (q->outcome == IMDS_OUT_ANSWERED && st == 401) {
        if (!q->with_token) {
            o->v1_disabled = true;
            snprintf(q->error, sizeof q->error, "HTTP 401 without a token (IMDSv1 disabled)");
        } else
            snprintf(q->error, sizeof q->error, "HTTP 401: the token was refused");
        o->incomplete = o->incomplete || q->with_token;
        goto stop;
    }
    bool ok = q->outcome == IMDS_OUT_ANSWERED && st == 200;
    if (q->outcome == IMDS_OUT_ANSWERED && !ok && !(st == 404 && done == IMDS_REQ_IAM_INFO))
        snprintf(q->error, sizeof q->error, "HTTP %d", st);
    if (!ok && !(st == 404 && (done == IMDS_REQ_IAM_INFO || done == IMDS_REQ_ROLES ||
                               done == IMDS_REQ_CREDENTIALS)))
        o->incomplete = true;

    switch (done) {
    case IMDS_REQ_REGION:
        if (ok) {
            const char *s;
            size_t n = first_line(body, blen, &s);
            if (n < sizeof o->region && all_chars(s, n, "-"))
                copy_clean(o->region, sizeof o->region, s, n);
            else
                snprintf(q->error, sizeof q->error, "not a region name");
        }
        next = IMDS_REQ_INSTANCE_ID;
        break;
    case IMDS_REQ_INSTANCE_ID:
        if (ok)
            copy_line(o->instance_id, sizeof o->instance_id, body, blen);
        next = IMDS_REQ_IAM_INFO;
        break;
    case IMDS_REQ_IAM_INFO:
        if (st == 404 && q->outcome == IMDS_OUT_ANSWERED) {
            o->no_profile = true;
            snprintf(o->credentials, sizeof o->credentials, "missing");
            next = IMDS_REQ_MACS;
            break;
        }
        if (ok) {
            char code[48];
            static const char *const keys[] = {"InstanceProfileArn", "Code"};
            char *const outs[] = {o->profile_arn, code};
            const size_t lens[] = {sizeof o->profile_arn, sizeof code};
            if (imds_json_strings(body, blen, keys, outs, lens, 2) != 0)
                snprintf(q->error, sizeof q->error, "iam/info is not a JSON object");
        }
        next = IMDS_REQ_ROLES;
        break;
    case IMDS_REQ_ROLES:
        if (ok) {
            const char *s;
            size_t n = first_line(body, blen, &s);
            if (n && n < sizeof o->iam_role && all_chars(s, n, "+=,.@_-")) {
                copy_clean(o->iam_role, sizeof o->iam_role, s, n);
                next = IMDS_REQ_CREDENTIALS;
                break;
            }
            snprintf(o->credentials, sizeof o->credentials, n ? "error" : "missing");
            if (n)
                snprintf(q->error, sizeof q->error, "not an IAM role name");
        } else {
            snprintf(o->credentials, sizeof o->credentials, st == 404 ? "missing" : "error");
        }
        next = IMDS_REQ_MACS;
        break;
    case IMDS_REQ_CREDENTIALS:
        if (ok) {
            const char *c = imds_classify_credentials(
                body, blen, time(NULL), o->credentials_code, sizeof o->credentials_code,
                o->credentials_expiration, sizeof o->credentials_expiration,
                &o->credentials_expired_s);
            snprintf(o->credentials, sizeof o->credentials, "%s", c);
            if (strcmp(c, "error") == 0)
                snprintf(q->error, sizeof q->error, "the credentials document is malformed");
        } else {
            snprintf(o->credentials, sizeof o->credentials, st == 404 ? "missing" : "error");
        }
        next = IMDS_REQ_MACS;
        break;
    case IMDS_REQ_MACS:
        if (ok) {
            const char *s;
            size_t n = first_line(body, blen, &s);
            if (n && s[n - 1] == '/')
                n--;
            if (n && n < sizeof o->mac && all_chars(s, n, ":")) {
                copy_clean(o->mac, sizeof o->mac, s, n);
                next = IMDS_REQ_CIDRS;
            } else {
                snprintf(q->error, sizeof q->error, "no MAC address in the list");
            }
        }
        break;
    case IMDS_REQ_CIDRS:
        if (ok)
            o->nvpc_cidrs = imds_parse_cidrs(body, blen, o->vpc_cidrs, IMDS_MAX_CIDRS);
        break;
    default:
        break;
    }

go:
    if (next == IMDS_REQ_COUNT)
        goto stop;
    switch (next) {
    case IMDS_REQ_REGION: snprintf(path, sizeof path, "/latest/meta-data/placement/region"); break;
    case IMDS_REQ_INSTANCE_ID: snprintf(path, sizeof path, "/latest/meta-data/instance-id"); break;
    case IMDS_REQ_IAM_INFO: snprintf(path, sizeof path, "/latest/meta-data/iam/info"); break;
    case IMDS_REQ_ROLES:
        snprintf(path, sizeof path, "/latest/meta-data/iam/security-credentials/");
        break;
    case IMDS_REQ_CREDENTIALS:
        snprintf(path, sizeof path, "/latest/meta-data/iam/security-credentials/%s", o->iam_role);
        break;
    case IMDS_REQ_MACS:
        snprintf(path, sizeof path, "/latest/meta-data/network/interfaces/macs/");
        break;
    case IMDS_REQ_CIDRS:
        snprintf(path, sizeof path,
                 "/latest/meta-data/network/interfaces/macs/%s/vpc-ipv4-cidr-blocks", o->mac);
        break;
    default:
        goto stop;
    }
    start_request(r, next, path);   /* wipes and frees this response first */
    return;
stop:
    rq_free_buffers(r);
    stop_sequence(r);
}

static void summarize(struct imds_result *o)
{
    const struct imds_request *put = &o->req[IMDS_REQ_TOKEN];
    o->error[0] = '\0';
    if (!o->reachable) {
        o->status = STATUS_FAIL;
        snprintf(o->error, sizeof o->error, "IMDS at %s unreachable: %s", o->endpoint,
                 put->error[0] ? put->error : "no connection");
    } else if (o->put_timed_out && o->v1_disabled) {
        o->status = STATUS_FAIL;
        snprintf(o->error, sizeof o->error,
                 "token PUT to %s unanswered after %.1f ms (TCP connected in %.1f ms) and IMDSv1 "
                 "is disabled (401): hop limit 1?", o->endpoint, put->ms, put->connect_ms);
    } else if (o->put_timed_out) {
        o->status = STATUS_FAIL;
        snprintf(o->error, sizeof o->error,
                 "token PUT to %s unanswered after %.1f ms (TCP connected in %.1f ms): hop limit "
                 "1?%s", o->endpoint, put->ms, put->connect_ms,
                 o->v1_fallback ? "; metadata read with IMDSv1" : "");
    } else if (o->v1_disabled) {
        o->status = STATUS_FAIL;
        snprintf(o->error, sizeof o->error,
                 "no IMDSv2 token (PUT: %s) and IMDSv1 is disabled (401 without a token)",
                 put->error[0] ? put->error : "failed");
    } else if (!o->no_profile && (strcmp(o->credentials, "missing") == 0 ||
                                  strcmp(o->credentials, "expired") == 0)) {
        o->status = STATUS_FAIL;
        snprintf(o->error, sizeof o->error, "instance profile credentials %s%s%s%s",
                 o->credentials, o->credentials_code[0] ? " (Code " : "", o->credentials_code,
                 o->credentials_code[0] ? ")" : "");
    } else if (o->no_profile) {
        o->status = STATUS_WARN;
        snprintf(o->error, sizeof o->error, "no instance profile (iam/info: 404)");
    } else if (o->v1_fallback) {
        o->status = STATUS_WARN;
        snprintf(o->error, sizeof o->error, "IMDSv1 fallback: the token PUT got %s",
                 put->error[0] ? put->error : "no token");
    } else if (o->incomplete) {
        o->status = STATUS_WARN;
        for (int i = 0; i < IMDS_REQ_COUNT; i++)
            if (o->req[i].error[0]) {
                snprintf(o->error, sizeof o->error, "%.150s: %.160s", o->req[i].path,
                         o->req[i].error);
                break;
            }
        if (!o->error[0])
            snprintf(o->error, sizeof o->error, "incomplete answers");
    } else {
        o->status = STATUS_OK;
    }
}

int imds_run(const char *base_url, dur_ns per_request_timeout, dur_ns total_timeout,
             struct imds_result *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < IMDS_REQ_COUNT; i++) {
        out->req[i].name = req_names[i];
        out->req[i].ms = -1;
        out->req[i].connect_ms = -1;
    }
    out->ms = -1;
    struct run *r = xcalloc(1, sizeof *r);
    if (imds_parse_url(base_url, &r->sa, out->endpoint, sizeof out->endpoint, r->host_header,
                       sizeof r->host_header, out->error, sizeof out->error) != 0) {
        out->status = STATUS_FAIL;
        free(r);
        return -1;
    }
    r->out = out;
    r->per_request = per_request_timeout ? per_request_timeout : 1000000000ULL;
    if (!total_timeout)
        total_timeout = 3000000000ULL;
    if (uv_loop_init(&r->loop) != 0) {
        snprintf(out->error, sizeof out->error, "cannot create an event loop");
        out->status = STATUS_FAIL;
        free(r);
        return -1;
    }
    r->t_start = uv_hrtime();
    uv_timer_init(&r->loop, &r->total_timer);
    r->total_timer.data = r;
    r->total_timer_open = true;
    uv_timer_start(&r->total_timer, total_timer_cb, (total_timeout + 999999) / 1000000, 0);
    start_request(r, IMDS_REQ_TOKEN, "/latest/api/token");
    uv_run(&r->loop, UV_RUN_DEFAULT);
    out->ms = ns_to_ms(r->t_start, uv_hrtime());
    /* Every handle is closed by now; the loop must close cleanly. */
    if (r->total_timer_open) {
        uv_close((uv_handle_t *)&r->total_timer, NULL);
        uv_run(&r->loop, UV_RUN_DEFAULT);
    }
    int rc = uv_loop_close(&r->loop);
    rq_free_buffers(r);
    wipe(r->token, sizeof r->token);
    r->token_len = 0;
    wipe(r, sizeof *r);
    free(r);
    summarize(out);
    if (rc != 0)
        die_internal("imds: event loop still busy at close");
    return 0;
}

/* ---- context and findings ----------------------------------------------- */

void imds_fill_context(const struct imds_result *res, struct imds_context *ctx)
{
    ctx->queried = true;
    ctx->status = res->status;
    ctx->ms = res->ms;
    snprintf(ctx->region, sizeof ctx->region, "%s", res->region);
    snprintf(ctx->instance_id, sizeof ctx->instance_id, "%s", res->instance_id);
    snprintf(ctx->iam_role, sizeof ctx->iam_role, "%s", res->iam_role);
    snprintf(ctx->credentials, sizeof ctx->credentials, "%s", res->credentials);
    snprintf(ctx->error, sizeof ctx->error, "%s", res->error);
}

static struct finding *add(struct report *r, const struct imds_result *res, enum status sev,
                           const char *code)
{
    struct finding *f = report_add_finding(r, sev, code);
    char host[80];
    snprintf(host, sizeof host, "%s", res->endpoint);
    /* The host part of "ADDR:PORT" / "[ADDR]:PORT". */
    char *colon = strrchr(host, ':');
    if (colon && (host[0] != '[' || colon[-1] == ']'))
        *colon = '\0';
    finding_add_target(f, host);
    return f;
}

static void instance_arg(const struct imds_result *res, char *buf, size_t len)
{
    snprintf(buf, len, "--instance-id %s", res->instance_id[0] ? res->instance_id : "i-…");
}

void imds_report(const struct imds_result *res, const char *agent_version,
                 bool explicit_request, struct report *r)
{
    const struct imds_request *put = &res->req[IMDS_REQ_TOKEN];
    char iid[96];
    instance_arg(res, iid, sizeof iid);
    struct finding *f;

    if (res->status == STATUS_PENDING)
        return;
    if (!res->reachable) {
        f = add(r, res, explicit_request ? STATUS_WARN : STATUS_INFO, "imds_unreachable");
        snprintf(f->message, sizeof f->message,
                 "no TCP connection to the instance metadata service at %s: %s (after %.1f ms)",
                 res->endpoint, put->error[0] ? put->error : "failed", put->ms);
        snprintf(f->hint, sizeof f->hint,
                 "not EC2, or IMDS is disabled (aws ec2 modify-instance-metadata-options %s "
                 "--http-endpoint enabled), or a local firewall or route blocks %s; on EC2 the "
                 "agent needs IMDS for its region and credentials", iid, res->endpoint);
        return;
    }
    if (res->put_timed_out) {
        f = add(r, res, STATUS_FAIL, "imds_hop_limit");
        snprintf(f->message, sizeof f->message,
                 "TCP to IMDS at %s connected in %.1f ms, but the token PUT got no answer within "
                 "%.1f ms%s", res->endpoint, put->connect_ms, put->ms,
                 res->v1_disabled ? "; GETs without a token get 401 (IMDSv1 disabled): no "
                                    "region, no credentials for the agent"
                 : res->v1_fallback ? "; metadata was read with IMDSv1 (no token) instead"
                                    : " (the total IMDS time bound ended the run)");
        snprintf(f->hint, sizeof f->hint,
                 "the PUT response is dropped after one hop (a container, bridge networking): "
                 "raise HttpPutResponseHopLimit to 2 (aws ec2 modify-instance-metadata-options "
                 "%s --http-put-response-hop-limit 2 --http-endpoint enabled)", iid);
    } else if (res->v1_disabled) {
        f = add(r, res, STATUS_FAIL, "imds_v1_disabled");
        snprintf(f->message, sizeof f->message,
                 "the token PUT to %s failed (%s, %.1f ms) and GETs without a token get 401 "
                 "(HttpTokens=required): the agent gets neither region nor credentials",
                 res->endpoint, put->error[0] ? put->error : "no token", put->ms);
        snprintf(f->hint, sizeof f->hint,
                 "make PUT /latest/api/token work: check local firewalls and proxies for "
                 "PUT to %s, and the metadata options (aws ec2 describe-instances %s --query "
                 "'Reservations[].Instances[].MetadataOptions')", res->endpoint, iid);
    } else if (res->v1_fallback) {
        f = add(r, res, STATUS_WARN, "imds_v1_fallback");
        snprintf(f->message, sizeof f->message,
                 "the IMDSv2 token PUT to %s got %s after %.1f ms; metadata was read with IMDSv1 "
                 "(no token)", res->endpoint, put->error[0] ? put->error : "no token", put->ms);
        snprintf(f->hint, sizeof f->hint,
                 "SSM Agent releases since 2024 no longer fall back to IMDSv1 for their EC2 "
                 "identity, and Default Host Management Configuration needs IMDSv2: enable "
                 "tokens (aws ec2 modify-instance-metadata-options %s --http-endpoint enabled "
                 "--http-tokens required) and check what rejects the PUT", iid);
    }

    bool v2 = res->token_ok;
    bool old_agent = agent_version && *agent_version &&
                     verdict_version_cmp(agent_version, DHMC_MIN_AGENT) < 0;
    if (res->no_profile) {
        enum status sev = (old_agent || !v2) ? STATUS_FAIL : STATUS_WARN;
        f = add(r, res, sev, "no_instance_profile");
        const struct imds_request *info = &res->req[IMDS_REQ_IAM_INFO];
        snprintf(f->message, sizeof f->message,
                 "no IAM instance profile: %s/latest/meta-data/iam/info answered 404 in %.1f ms%s%s%s",
                 res->endpoint, info->ms,
                 old_agent ? "; the agent " : (!v2 ? "; IMDSv2 is unavailable, so Default Host "
                                                    "Management Configuration cannot help" : ""),
                 old_agent ? agent_version : "",
                 old_agent ? " is older than 3.2.582.0, so Default Host Management "
                             "Configuration cannot help" : "");
        snprintf(f->hint, sizeof f->hint,
                 "attach an instance profile whose role has AmazonSSMManagedInstanceCore "
                 "(aws ec2 associate-iam-instance-profile %s --iam-instance-profile Name=…), or "
                 "enable Default Host Management Configuration (needs agent >= 3.2.582.0 and "
                 "IMDSv2)", iid);
    } else if (strcmp(res->credentials, "missing") == 0) {
        f = add(r, res, STATUS_FAIL, "credentials_missing");
        const struct imds_request *q = res->iam_role[0] ? &res->req[IMDS_REQ_CREDENTIALS]
                                                        : &res->req[IMDS_REQ_ROLES];
        if (res->credentials_code[0])
            snprintf(f->message, sizeof f->message,
                     "instance profile %s: IMDS at %s returned credentials for role %s with Code "
                     "%s (not Success), in %.1f ms", res->profile_arn[0] ? res->profile_arn : "?",
                     res->endpoint, res->iam_role, res->credentials_code, q->ms);
        else
            snprintf(f->message, sizeof f->message,
                     "instance profile %s is attached, but IMDS at %s has no role credentials "
                     "(%s: HTTP %d, %.1f ms)", res->profile_arn[0] ? res->profile_arn : "?",
                     res->endpoint, q->path, q->http_status, q->ms);
        snprintf(f->hint, sizeof f->hint,
                 "the profile must hold a role whose trust policy lets ec2.amazonaws.com call "
                 "sts:AssumeRole; check the role exists and is in the profile (aws iam "
                 "get-instance-profile), or re-associate the profile");
    } else if (strcmp(res->credentials, "expired") == 0) {
        f = add(r, res, STATUS_FAIL, "credentials_expired");
        snprintf(f->message, sizeof f->message,
                 "IMDS at %s serves credentials for role %s that expired at %s (%ld s ago by this "
                 "host's clock)", res->endpoint, res->iam_role, res->credentials_expiration,
                 res->credentials_expired_s);
        snprintf(f->hint, sizeof f->hint,
                 "IMDS refreshes role credentials well before they expire: check this host's "
                 "clock (Amazon Time Sync at 169.254.169.123), then detach and re-attach the "
                 "instance profile (aws ec2 replace-iam-instance-profile-association)");
    }

    if (res->incomplete && !res->v1_disabled) {
        for (int i = 0; i < IMDS_REQ_COUNT; i++) {
            const struct imds_request *q = &res->req[i];
            if (i == IMDS_REQ_TOKEN || !q->error[0])
                continue;
            f = add(r, res, STATUS_WARN, "imds_incomplete");
            snprintf(f->message, sizeof f->message, "IMDS at %s: %s %s: %s (%.1f ms)%s",
                     res->endpoint, q->method, q->path, q->error, q->ms,
                     res->total_timed_out ? "; the total IMDS time bound was reached" : "");
            snprintf(f->hint, sizeof f->hint,
                     "IMDS answered other requests: retry; if it persists, check local "
                     "firewalls or proxies intercepting %s, and the instance's metadata options",
                     res->endpoint);
            break;
        }
    }
}

/* ---- auto mode ---------------------------------------------------------- */

static int read_small(const char *root, const char *rel, char *buf, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root && *root ? root : "", rel);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, len - 1, f);
    fclose(f);
    buf[n] = '\0';
    return 0;
}

static bool has_amazon(const char *s)
{
    for (const char *p = s; *p; p++)
        if (strncasecmp(p, "amazon", 6) == 0)
            return true;
    return false;
}

bool imds_looks_like_ec2(const char *root)
{
    char buf[256];
    bool readable = false;
    static const char *const amazon_files[] = {
        "sys/class/dmi/id/sys_vendor", "sys/class/dmi/id/bios_vendor",
        "sys/class/dmi/id/product_version",
    };
    const char *rt = root && *root && strcmp(root, "/") != 0 ? root : "";
    for (size_t i = 0; i < sizeof amazon_files / sizeof *amazon_files; i++) {
        if (read_small(rt, amazon_files[i], buf, sizeof buf) != 0)
            continue;
        readable = true;
        if (has_amazon(buf))
            return true;
    }
    if (read_small(rt, "sys/class/dmi/id/board_asset_tag", buf, sizeof buf) == 0) {
        readable = true;
        if (strncmp(buf, "i-", 2) == 0 && isxdigit((unsigned char)buf[2]))
            return true;
    }
    if (read_small(rt, "sys/hypervisor/uuid", buf, sizeof buf) == 0) {
        readable = true;
        if (strncasecmp(buf, "ec2", 3) == 0)
            return true;
    }
    if (readable)
        return false;
    static const char *const envs[] = {
        "AWS_EXECUTION_ENV", "ECS_CONTAINER_METADATA_URI", "ECS_CONTAINER_METADATA_URI_V4",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    };
    for (size_t i = 0; i < sizeof envs / sizeof *envs; i++) {
        const char *v = getenv(envs[i]);
        if (v && *v)
            return true;
    }
    return false;
}
