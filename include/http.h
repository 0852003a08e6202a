/* http.h — the small HTTP/1.x response-head parser used for the AWS answer
 * and for the proxy's CONNECT reply. Pure functions: no I/O. */
#ifndef SSMPROBE_HTTP_H
#define SSMPROBE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define HTTP_HEAD_MAX 16384   /* response heads larger than this are refused */

struct http_head {
    int status;               /* 100..999 */
    int minor;                /* HTTP/1.minor */
    char reason[64];
    char date[64];            /* raw Date: value, "" when absent */
    char server[64];
    char request_id[96];      /* x-amzn-RequestId, x-amz-request-id or x-amzn-requestid */
    char content_type[64];
    char proxy_authenticate[64]; /* first Proxy-Authenticate scheme(s) */
    long content_length;      /* -1 when absent */
    bool chunked;
    size_t head_len;          /* bytes of the head including the blank line */
};

enum http_parse_rc {
    HTTP_INCOMPLETE = 0,      /* need more bytes */
    HTTP_DONE = 1,            /* head parsed; body starts at head_len */
    HTTP_BAD = -1,            /* not an HTTP/1.x response */
    HTTP_TOO_LARGE = -2       /* no end of head within HTTP_HEAD_MAX */
};

/* Parse a response head from buf[0..len). Accepts CRLF or bare LF line ends.
 * On HTTP_BAD/HTTP_TOO_LARGE a reason is written to err. Header values are
 * truncated to their field sizes; control characters are replaced by '?'. */
enum http_parse_rc http_parse_head(const char *buf, size_t len, struct http_head *out,
                                   char *err, size_t errlen);

/* Parse an HTTP Date (IMF-fixdate, RFC 850, asctime). -1 when malformed. */
time_t http_parse_date(const char *s);

/* Format a UTC time as "2026-11-29T10:00:00Z". */
void http_iso8601(time_t t, char *out, size_t outlen);

/* Whether the answer comes from AWS itself: an AWS request id header, or an
 * AWS error body (UnknownOperationException, MissingAuthenticationToken…). */
bool http_is_aws(const struct http_head *h, const char *body, size_t bodylen);

#endif
