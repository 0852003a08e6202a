/* conn.c — one connection attempt: TCP → [CONNECT] → TLS → [HTTP].
 *
 * OpenSSL runs over two memory BIOs on the libuv stream, so the proxy
 * phase and TLS share one uv_tcp_t: bytes after the CONNECT reply's head
 * are fed to the TLS read BIO. Every stamp is uv_hrtime() taken as the
 * first statement of the callback. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <openssl/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "http.h"
#include "msgs.h"
#include "tls.h"

#define RX_CAP (HTTP_HEAD_MAX + 4096) /* response head plus a small body */

enum state { ST_CONNECT, ST_PROXY, ST_TLS, ST_HTTP, ST_DONE };

struct conn {
    uv_tcp_t tcp;             /* closed in finish(); conn freed after both closes */
    uv_timer_t timer;
    uv_connect_t creq;
    int open_handles;
    bool tcp_open;
    struct conn_params p;     /* copied; strings borrowed from the caller (outlive us) */
    struct conn_result *res;
    conn_done_fn done;
    void *data;
    enum state state;
    SSL *ssl;                 /* owns rbio and wbio */
    BIO *rbio, *wbio;
    int hello_bytes;          /* size of the first flight (the ClientHello) */
    size_t tls_rx;            /* bytes received from the server during the handshake */
    bool peer_closed, peer_reset;
    char *rx;                 /* malloced when needed: CONNECT reply or HTTP plaintext */
    size_t rxlen;
    struct http_head head;
    bool head_done;
    mono_ns last_read;
};

/* One heap block per write: the request and its bytes live until write_cb. */
struct wreq {
    uv_write_t req;
    char bytes[];
};

static void finish(struct conn *c);
static void timer_cb(uv_timer_t *t);
static void need_rx(struct conn *c);

static void event(struct conn *c, mono_ns t, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void event(struct conn *c, mono_ns t, const char *name, const char *fmt, ...)
{
    char detail[160] = "";
    va_list ap;
    if (fmt) {
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
    }
    target_add_event(c->p.target, t, name, c->p.conn_index, "%s", detail);
}

static bool large(const struct conn *c) { return c->p.mode == CONN_LARGE_HELLO; }

/* Record a failure (first one wins) and end the attempt. */
static void fail(struct conn *c, enum fail_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct conn *c, enum fail_code code, const char *fmt, ...)
{
    char msg[MSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (large(c)) {
        if (c->res->large_hello.status == STATUS_PENDING) {
            c->res->large_hello.status = STATUS_FAIL;
            snprintf(c->res->large_hello.error, sizeof c->res->large_hello.error, "%s", msg);
        }
    } else if (c->res->failure.code == FC_NONE) {
        failure_set(&c->res->failure, code, NULL, "%s", msg);
        c->res->status = STATUS_FAIL;
    }
    event(c, uv_hrtime(), "failed", "%s: %s", fail_code_name(code), msg);
    finish(c);
}

/* ---- closing ------------------------------------------------------------ */

static void close_cb(uv_handle_t *h)
{
    struct conn *c = h->data;
    if (--c->open_handles == 0) {
        free(c->rx);
        free(c);
    }
}

static void finish(struct conn *c)
{
    if (c->state == ST_DONE)
        return;
    c->state = ST_DONE;
    if (large(c))
        c->res->large_hello.end = uv_hrtime();
    else
        c->res->t_done = c->res->t_done ? c->res->t_done : uv_hrtime();
    if (c->ssl) {
        SSL_free(c->ssl);
        c->ssl = NULL;
    }
    uv_timer_stop(&c->timer);
    uv_close((uv_handle_t *)&c->timer, close_cb);
    /* Aborted before start_cb ran: the TCP handle was never initialised. */
    if (c->tcp_open)
        uv_close((uv_handle_t *)&c->tcp, close_cb);
    c->done(c, c->res, c->data);
}

/* ---- writing ------------------------------------------------------------ */

static void write_cb(uv_write_t *req, int status)
{
    (void)status; /* a failed write shows up as a read error or timeout */
    free((struct wreq *)req);
}

static int send_bytes(struct conn *c, const char *data, size_t len)
{
    struct wreq *w = xmalloc(sizeof *w + len);
    memcpy(w->bytes, data, len);
    uv_buf_t b = uv_buf_init(w->bytes, (unsigned)len);
    int rc = uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, write_cb);
    if (rc < 0) {
        free(w);
        return rc;
    }
    return 0;
}

/* Move whatever OpenSSL produced to the socket: always, even after an
 * error, so that alerts reach the peer. */
static void flush_tls(struct conn *c)
{
    char buf[16384];
    int n;
    while (c->wbio && (n = BIO_read(c->wbio, buf, sizeof buf)) > 0) {
        if (!c->hello_bytes)
            c->hello_bytes = n;
        send_bytes(c, buf, (size_t)n);
    }
}

/* ---- HTTP over TLS ------------------------------------------------------- */

static void http_request(struct conn *c)
{
    char req[600];
    int n;
    if (c->p.port == 443)
        n = snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: %s\r\nUser-Agent: ssmprobe/%s\r\n"
                     "Accept: */*\r\nConnection: close\r\n\r\n", c->p.host, SSMPROBE_VERSION);
    else
        n = snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: ssmprobe/%s\r\n"
                     "Accept: */*\r\nConnection: close\r\n\r\n", c->p.host, c->p.port,
                     SSMPROBE_VERSION);
    need_rx(c);
    /* Stamped before the write, as curl's pretransfer: the time to first
     * byte then covers sending the request, the server and the way back. */
    c->res->t_req = uv_hrtime();
    ERR_clear_error();
    SSL_write(c->ssl, req, n);
    flush_tls(c);
    c->state = ST_HTTP;
    event(c, c->res->t_req, "http_request", "GET / HTTP/1.1");
}

/* The answer is complete: judge what came back. */
static void http_complete(struct conn *c)
{
    struct conn_result *r = c->res;
    struct http_result *h = &r->http;
    mono_ns now = uv_hrtime();
    const char *body = c->rx + c->head.head_len;
    size_t bodylen = c->rxlen - c->head.head_len;

    r->t_done = now;
    h->done = true;
    h->status = c->head.status;
    snprintf(h->server, sizeof h->server, "%s", c->head.server);
    snprintf(h->request_id, sizeof h->request_id, "%s", c->head.request_id);
    h->aws = http_is_aws(&c->head, body, bodylen);
    if (c->head.date[0]) {
        time_t server = http_parse_date(c->head.date);
        if (server >= 0) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            /* The local wall clock when the first byte arrived; Date has
             * whole seconds, so the server's time is on average +0.5 s. */
            double local = (double)ts.tv_sec + ts.tv_nsec / 1e9 - (double)(now - r->t_first_byte) / 1e9;
            http_iso8601(server, h->server_date, sizeof h->server_date);
            h->have_skew = true;
            h->clock_skew_s = local - ((double)server + 0.5);
        }
    }
    event(c, now, "http_response", "HTTP %d%s%s", h->status, h->aws ? ", AWS request id " : "",
          h->aws ? (h->request_id[0] ? h->request_id : "(error body)") : "");
    if (!h->aws) {
        fail(c, FC_HTTP_NOT_AWS, "HTTP %d from %s is not an AWS answer (no request id, no AWS error"
             " body%s%s)", h->status, c->p.host, c->head.server[0] ? "; Server: " : "",
             c->head.server);
        return;
    }
    r->status = STATUS_OK;
    finish(c);
}

static void http_pump(struct conn *c)
{
    char buf[4096];
    for (;;) {
        ERR_clear_error();
        int n = SSL_read(c->ssl, buf, sizeof buf);
        flush_tls(c);
        if (n <= 0) {
            int e = SSL_get_error(c->ssl, n);
            if (e == SSL_ERROR_WANT_READ && !c->peer_closed)
                return;
            /* Closed by the peer (close_notify or EOF). */
            if (c->head_done) {
                http_complete(c);
            } else if (c->rxlen == 0) {
                fail(c, FC_HTTP_BAD_RESPONSE, "%s closed the connection without an HTTP answer",
                     c->p.addr);
            } else {
                fail(c, FC_HTTP_BAD_RESPONSE, "%s closed the connection after %zu bytes of an"
                     " incomplete HTTP answer", c->p.addr, c->rxlen);
            }
            return;
        }
        if (!c->res->t_first_byte) {
            c->res->t_first_byte = c->last_read;
            event(c, c->last_read, "http_first_byte", NULL);
        }
        size_t take = (size_t)n;
        if (c->rxlen + take > RX_CAP)
            take = RX_CAP - c->rxlen;
        memcpy(c->rx + c->rxlen, buf, take);
        c->rxlen += take;

        if (!c->head_done) {
            char err[120];
            enum http_parse_rc rc = http_parse_head(c->rx, c->rxlen, &c->head, err, sizeof err);
            if (rc == HTTP_BAD || rc == HTTP_TOO_LARGE) {
                fail(c, FC_HTTP_BAD_RESPONSE, "bad HTTP answer from %s: %s", c->p.addr, err);
                return;
            }
            if (rc == HTTP_INCOMPLETE)
                continue;
            c->head_done = true;
        }
        /* Enough body to recognise an AWS error: Content-Length, or 4 KiB. */
        size_t body = c->rxlen - c->head.head_len;
        size_t want = c->head.content_length >= 0 ? (size_t)c->head.content_length : 4096;
        if (want > 4096)
            want = 4096;
        if (body >= want || c->rxlen >= RX_CAP || c->head.status == 204 || c->head.status == 304) {
            http_complete(c);
            return;
        }
    }
}

/* ---- TLS handshake -------------------------------------------------------- */

static void tls_failed(struct conn *c, int sslerr)
{
    char why[200] = "";
    unsigned long e = ERR_peek_error();
    if (e)
        ERR_error_string_n(e, why, sizeof why);
    tls_describe(c->ssl, &c->res->tls);
    ERR_clear_error();

    if (c->peer_reset || (c->peer_closed && (!e || ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING))) {
        fail(c, FC_TLS_RESET, "%s %s the connection during the TLS handshake%s (ClientHello %d bytes)",
             c->p.addr, c->peer_reset ? "reset" : "closed",
             c->res->tls.subject ? " after sending its certificate" : "", c->hello_bytes);
        return;
    }
    (void)sslerr;
    if (e && ERR_GET_REASON(e) == SSL_R_EXCESSIVE_MESSAGE_SIZE) {
        fail(c, FC_TLS_PROTOCOL, "TLS handshake with %s failed: the server's handshake message"
             " (its certificate chain, %zu bytes received) is larger than TLS clients accept; the"
             " agent's Go TLS refuses it too", c->p.addr, c->tls_rx);
        return;
    }
    fail(c, FC_TLS_PROTOCOL, "TLS handshake with %s failed: %s", c->p.addr, why[0] ? why : "protocol error");
}

static void tls_step(struct conn *c)
{
    ERR_clear_error();
    int r = SSL_do_handshake(c->ssl);
    flush_tls(c);
    if (r == 1) {
        mono_ns now = uv_hrtime();
        struct conn_result *res = c->res;
        if (large(c)) {
            res->large_hello.status = STATUS_OK;
            res->large_hello.bytes = c->hello_bytes;
            event(c, now, "large_hello_done", "%d-byte ClientHello accepted", c->hello_bytes);
            finish(c);
            return;
        }
        res->t_tls = now;
        tls_describe(c->ssl, &res->tls);
        res->tls.done = true;
        event(c, now, "tls_done", "%s %s, verify %s", res->tls.version, res->tls.cipher,
              res->tls.verify);
        enum fail_code code = tls_verify_code(res->tls.verify_code);
        if (code == FC_NONE && res->tls.expired)
            code = FC_TLS_EXPIRED;
        if (code != FC_NONE) {
            char names[200] = "";
            for (int i = 0; i < res->tls.nsans && strlen(names) < 150; i++) {
                size_t n = strlen(names);
                snprintf(names + n, sizeof names - n, "%s%s", i ? "," : "", res->tls.sans[i]);
            }
            fail(c, code, "certificate from %s for %s: %s; subject %s%s%s%s, issuer %s%s%s",
                 c->p.addr, c->p.host, res->tls.verify,
                 res->tls.subject ? res->tls.subject : "none", names[0] ? " (SANs " : "", names,
                 names[0] ? ")" : "", res->tls.issuer ? res->tls.issuer : "unknown",
                 res->tls.not_after[0] ? ", not after " : "", res->tls.not_after);
            return;
        }
        http_request(c);
        http_pump(c);
        return;
    }
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_WANT_READ && !c->peer_closed)
        return;
    tls_failed(c, e);
}

static void tls_start(struct conn *c, const char *early, size_t earlylen)
{
    mono_ns now = uv_hrtime();
    c->ssl = SSL_new(c->p.ssl_ctx);
    c->rbio = BIO_new(BIO_s_mem());
    c->wbio = BIO_new(BIO_s_mem());
    if (!c->ssl || !c->rbio || !c->wbio)
        die_internal("out of memory (TLS)");
    SSL_set_bio(c->ssl, c->rbio, c->wbio); /* the SSL owns both BIOs now */
    tls_prepare(c->ssl, c->p.host);
    c->state = ST_TLS;
    if (large(c))
        c->res->large_hello.start = now;
    else
        c->res->t_tls_start = now;
    event(c, now, large(c) ? "large_hello_start" : "tls_start", "SNI %s", c->p.host);
    if (earlylen)
        BIO_write(c->rbio, early, (int)earlylen);
    tls_step(c);
}

/* ---- proxy CONNECT -------------------------------------------------------- */

static void proxy_send(struct conn *c)
{
    char req[1024];
    int n = snprintf(req, sizeof req, "CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\n", c->p.host,
                     c->p.port, c->p.host, c->p.port);
    if (c->p.proxy_auth)
        n += snprintf(req + n, sizeof req - (size_t)n, "Proxy-Authorization: Basic %s\r\n",
                      c->p.proxy_auth);
    n += snprintf(req + n, sizeof req - (size_t)n, "User-Agent: ssmprobe/%s\r\n\r\n",
                  SSMPROBE_VERSION);
    if ((size_t)n >= sizeof req) {
        fail(c, FC_PROXY_BAD_RESPONSE, "CONNECT request too long");
        return;
    }
    c->state = ST_PROXY;
    need_rx(c);
    send_bytes(c, req, (size_t)n);
    event(c, uv_hrtime(), "proxy_connect", "CONNECT %s:%d%s", c->p.host, c->p.port,
          c->p.proxy_auth ? " (Basic auth)" : "");
}

static void proxy_reply(struct conn *c)
{
    char err[120];
    enum http_parse_rc rc = http_parse_head(c->rx, c->rxlen, &c->head, err, sizeof err);
    if (rc == HTTP_INCOMPLETE) {
        if (c->peer_closed)
            fail(c, FC_PROXY_BAD_RESPONSE, "proxy %s:%d closed the connection before answering"
                 " CONNECT", c->p.addr, c->p.addr_port);
        return;
    }
    if (rc != HTTP_DONE) {
        fail(c, FC_PROXY_BAD_RESPONSE, "proxy %s:%d sent a bad CONNECT reply: %s", c->p.addr,
             c->p.addr_port, err);
        return;
    }
    int st = c->head.status;
    mono_ns now = uv_hrtime();
    event(c, now, "proxy_reply", "HTTP %d %s", st, c->head.reason);
    if (st >= 200 && st < 300) {
        if (!large(c))
            c->res->t_proxy = now;
        /* Bytes after the head already belong to the TLS stream. */
        size_t extra = c->rxlen - c->head.head_len;
        char early[RX_CAP];
        memcpy(early, c->rx + c->head.head_len, extra);
        c->rxlen = 0;
        memset(&c->head, 0, sizeof c->head);
        tls_start(c, early, extra);
        return;
    }
    if (st == 407 || st == 401)
        fail(c, FC_PROXY_AUTH_REQUIRED, "proxy %s:%d answered %d %s%s%s%s%s", c->p.addr,
             c->p.addr_port, st, c->head.reason, c->head.proxy_authenticate[0] ? " (wants " : "",
             c->head.proxy_authenticate[0] ? c->head.proxy_authenticate : "",
             c->head.proxy_authenticate[0] ? ")" : "",
             c->p.proxy_auth ? "; the credentials sent were refused" : "; no credentials were sent");
    else if (st == 403)
        fail(c, FC_PROXY_DENIED, "proxy %s:%d refused CONNECT %s:%d with 403 %s", c->p.addr,
             c->p.addr_port, c->p.host, c->p.port, c->head.reason);
    else if (st == 500 || st == 502 || st == 503 || st == 504)
        fail(c, FC_PROXY_UPSTREAM_FAILED, "proxy %s:%d could not reach %s:%d: %d %s", c->p.addr,
             c->p.addr_port, c->p.host, c->p.port, st, c->head.reason);
    else
        fail(c, FC_PROXY_BAD_RESPONSE, "proxy %s:%d answered CONNECT with %d %s", c->p.addr,
             c->p.addr_port, st, c->head.reason);
}

/* ---- reading ---------------------------------------------------------------- */

/* One read buffer for every connection: libuv calls read_cb right after
 * alloc_cb on the same thread, and read_cb consumes the bytes (into the
 * TLS BIO or rx) before returning, so nothing outlives the callback. This
 * keeps 16 KiB per connection in flight out of the footprint. */
static char shared_rbuf[65536];

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    *buf = uv_buf_init(shared_rbuf, sizeof shared_rbuf);
}

static void need_rx(struct conn *c)
{
    if (!c->rx)
        c->rx = xmalloc(RX_CAP);
}

static void read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    mono_ns now = uv_hrtime();
    struct conn *c = s->data;
    if (c->state == ST_DONE || nread == 0)
        return;
    c->last_read = now;
    if (nread < 0) {
        c->peer_closed = true;
        if (nread == UV_ECONNRESET)
            c->peer_reset = true;
        if (c->rbio)
            BIO_set_mem_eof_return(c->rbio, 0);
        uv_read_stop(s);
    }
    switch (c->state) {
    case ST_PROXY:
        if (nread > 0) {
            size_t take = (size_t)nread;
            if (c->rxlen + take > RX_CAP)
                take = RX_CAP - c->rxlen;
            memcpy(c->rx + c->rxlen, buf->base, take);
            c->rxlen += take;
        }
        proxy_reply(c);
        break;
    case ST_TLS:
        if (nread > 0) {
            c->tls_rx += (size_t)nread;
            BIO_write(c->rbio, buf->base, (int)nread);
        }
        tls_step(c);
        break;
    case ST_HTTP:
        if (nread > 0)
            BIO_write(c->rbio, buf->base, (int)nread);
        http_pump(c);
        break;
    default:
        break;
    }
}

/* ---- connecting --------------------------------------------------------------- */

enum fail_code conn_classify_connect(int uv_status, int icmp_family, int icmp_type, int icmp_code)
{
    if (icmp_family == 4 && icmp_type == ICMP_DEST_UNREACH) {
        switch (icmp_code) {
        case ICMP_NET_UNREACH: case ICMP_NET_UNKNOWN: case ICMP_NET_UNR_TOS:
            return FC_NET_UNREACHABLE;
        case ICMP_HOST_UNREACH: case ICMP_HOST_UNKNOWN: case ICMP_HOST_UNR_TOS:
            return FC_HOST_UNREACHABLE;
        case ICMP_PORT_UNREACH:
            return FC_TCP_REFUSED;
        case ICMP_PKT_FILTERED: case ICMP_NET_ANO: case ICMP_HOST_ANO: case ICMP_PREC_VIOLATION:
        case ICMP_PREC_CUTOFF:
            return FC_ADMIN_PROHIBITED;
        default:
            break;
        }
    }
    if (icmp_family == 6 && icmp_type == ICMP6_DST_UNREACH) {
        switch (icmp_code) {
        case ICMP6_DST_UNREACH_NOROUTE: return FC_NET_UNREACHABLE;
        case ICMP6_DST_UNREACH_ADDR: return FC_HOST_UNREACHABLE;
        case ICMP6_DST_UNREACH_NOPORT: return FC_TCP_REFUSED;
        default: return FC_ADMIN_PROHIBITED; /* admin, beyond scope, policy, reject route */
        }
    }
    switch (uv_status) {
    case UV_ECONNREFUSED: return FC_TCP_REFUSED;
    case UV_ENETUNREACH: return FC_NET_UNREACHABLE;
    case UV_EHOSTUNREACH: return FC_HOST_UNREACHABLE;
    case UV_EACCES: case UV_EPERM: return FC_ADMIN_PROHIBITED;
    case UV_ETIMEDOUT: return FC_TCP_TIMEOUT;
    default: return FC_TCP_REFUSED;
    }
}

/* Read the ICMP error the kernel queued for this socket (IP_RECVERR). */
static void read_errqueue(int fd, int *family, int *type, int *code, char *from, size_t fromlen)
{
    char cbuf[512];
    char dummy[64];
    struct iovec iov = {dummy, sizeof dummy};
    struct sockaddr_storage peer;
    struct msghdr msg;

    *family = *type = *code = -1;
    for (int i = 0; i < 4; i++) {
        memset(&msg, 0, sizeof msg);
        msg.msg_name = &peer;
        msg.msg_namelen = sizeof peer;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = cbuf;
        msg.msg_controllen = sizeof cbuf;
        if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
            return;
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
            bool v4 = cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_RECVERR;
            bool v6 = cm->cmsg_level == SOL_IPV6 && cm->cmsg_type == IPV6_RECVERR;
            if (!v4 && !v6)
                continue;
            struct sock_extended_err ee;
            memcpy(&ee, CMSG_DATA(cm), sizeof ee);
            if (ee.ee_origin != SO_EE_ORIGIN_ICMP && ee.ee_origin != SO_EE_ORIGIN_ICMP6)
                continue;
            *family = ee.ee_origin == SO_EE_ORIGIN_ICMP ? 4 : 6;
            *type = ee.ee_type;
            *code = ee.ee_code;
            const struct sockaddr *off = SO_EE_OFFENDER((struct sock_extended_err *)CMSG_DATA(cm));
            if (off->sa_family == AF_INET)
                inet_ntop(AF_INET, &((const struct sockaddr_in *)off)->sin_addr, from, (socklen_t)fromlen);
            else if (off->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)off)->sin6_addr, from, (socklen_t)fromlen);
            return;
        }
    }
}

static const char *icmp_text(int family, int type, int code)
{
    if (family == 4 && type == ICMP_DEST_UNREACH) {
        switch (code) {
        case 0: return "ICMP net unreachable";
        case 1: return "ICMP host unreachable";
        case 3: return "ICMP port unreachable";
        case 9: case 10: case 13: return "ICMP administratively prohibited";
        default: return "ICMP destination unreachable";
        }
    }
    if (family == 6 && type == ICMP6_DST_UNREACH) {
        switch (code) {
        case 0: return "ICMPv6 no route";
        case 1: return "ICMPv6 administratively prohibited";
        case 3: return "ICMPv6 address unreachable";
        case 4: return "ICMPv6 port unreachable";
        default: return "ICMPv6 destination unreachable";
        }
    }
    return "ICMP error";
}

static void connect_cb(uv_connect_t *req, int status)
{
    mono_ns now = uv_hrtime();
    struct conn *c = req->data;
    struct conn_result *r = c->res;

    if (c->state == ST_DONE || status == UV_ECANCELED)
        return;
    if (status < 0) {
        int fam, type, code;
        uv_os_fd_t fd;
        char from[INET6_ADDRSTRLEN] = "";
        fam = type = code = -1;
        if (uv_fileno((uv_handle_t *)&c->tcp, &fd) == 0)
            read_errqueue(fd, &fam, &type, &code, from, sizeof from);
        enum fail_code fc = conn_classify_connect(status, fam, type, code);
        double ms = (double)(now - (large(c) ? c->res->large_hello.start : r->t_start)) / 1e6;
        if (!large(c)) {
            r->t_tcp_end = now;
            snprintf(r->icmp_from, sizeof r->icmp_from, "%s", from);
            r->sys_errno = -status;
        }
        if (c->p.via_proxy) {
            fail(c, FC_PROXY_UNREACHABLE, "cannot connect to proxy %s port %d: %s after %.1f ms%s%s",
                 c->p.addr, c->p.addr_port, uv_strerror(status), ms, from[0] ? "; ICMP from " : "",
                 from);
        } else if (fam > 0) {
            fail(c, fc, "connect to %s port %d: %s from %s after %.1f ms (%s)", c->p.addr,
                 c->p.addr_port, icmp_text(fam, type, code), from[0] ? from : "?", ms,
                 uv_strerror(status));
        } else {
            fail(c, fc, "connect to %s port %d: %s after %.1f ms", c->p.addr, c->p.addr_port,
                 uv_strerror(status), ms);
        }
        return;
    }
    if (!large(c))
        r->t_tcp = r->t_tcp_end = now;
    event(c, now, "tcp_connected", "%s port %d", c->p.addr, c->p.addr_port);
    uv_timer_stop(&c->timer);
    if (c->p.phase_timeout) {
        uv_update_time(c->p.loop);
        uv_timer_start(&c->timer, timer_cb, (c->p.phase_timeout + 999999) / 1000000, 0);
    }
    uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, read_cb);
    if (c->p.via_proxy)
        proxy_send(c);
    else
        tls_start(c, NULL, 0);
}

static enum fail_code phase_timeout_code(const struct conn *c)
{
    switch (c->state) {
    case ST_CONNECT: return c->p.via_proxy ? FC_PROXY_TIMEOUT : FC_TCP_TIMEOUT;
    case ST_PROXY: return FC_PROXY_TIMEOUT;
    case ST_TLS: return FC_TLS_TIMEOUT;
    default: return FC_HTTP_TIMEOUT;
    }
}

void conn_abort(struct conn *c, enum fail_code why)
{
    if (c->state == ST_DONE)
        return;
    mono_ns now = uv_hrtime();
    struct conn_result *r = c->res;
    if (why == FC_INTERRUPTED) {
        enum phase ph = c->state == ST_CONNECT ? (c->p.via_proxy ? PHASE_PROXY : PHASE_TCP)
                        : c->state == ST_PROXY ? PHASE_PROXY
                        : c->state == ST_TLS ? PHASE_TLS : PHASE_HTTP;
        bool first = !large(c) && r->failure.code == FC_NONE;
        fail(c, FC_INTERRUPTED, "interrupted during the %s phase", phase_name(ph));
        if (first)
            r->failure.phase = ph; /* r outlives the conn: owned by the target */
        return;
    }
    if (!c->tcp_open) {
        fail(c, c->p.via_proxy ? FC_PROXY_TIMEOUT : FC_TCP_TIMEOUT,
             "connection to %s port %d was not started before --timeout expired", c->p.addr,
             c->p.addr_port);
        return;
    }
    enum fail_code code = phase_timeout_code(c);
    mono_ns since = large(c) ? r->large_hello.start : r->t_start;
    switch (c->state) {
    case ST_CONNECT:
        if (!large(c))
            r->t_tcp_end = now;
        if (c->p.via_proxy)
            fail(c, FC_PROXY_TIMEOUT, "no answer from proxy %s port %d to TCP SYN within %.1f ms",
                 c->p.addr, c->p.addr_port, (double)(now - since) / 1e6);
        else
            fail(c, code, "no answer from %s port %d to TCP SYN within %.1f ms (silently dropped)",
                 c->p.addr, c->p.addr_port, (double)(now - since) / 1e6);
        break;
    case ST_PROXY:
        fail(c, code, "proxy %s port %d did not answer CONNECT %s:%d within %.1f ms", c->p.addr,
             c->p.addr_port, c->p.host, c->p.port, (double)(now - r->t_tcp) / 1e6);
        break;
    case ST_TLS: {
        char got[80];
        if (!c->hello_bytes)
            snprintf(got, sizeof got, "not sent");
        else if (c->tls_rx)
            snprintf(got, sizeof got, "%zu bytes of the server's handshake received", c->tls_rx);
        else
            snprintf(got, sizeof got, "no answer from the server");
        fail(c, code, "TLS handshake with %s did not finish within %.1f ms (ClientHello %d bytes,"
             " %s)", c->p.addr, (double)(now - (large(c) ? r->large_hello.start : r->t_tls_start)) / 1e6,
             c->hello_bytes, got);
        break;
    }
    default:
        fail(c, code, "no complete HTTP answer from %s within %.1f ms of the request (%zu bytes"
             " received)", c->p.addr, (double)(now - r->t_req) / 1e6, c->rxlen);
        break;
    }
}

static void timer_cb(uv_timer_t *t)
{
    conn_abort(t->data, FC_NONE);
}

static void start_cb(uv_timer_t *t);

struct conn *conn_start(const struct conn_params *p, struct conn_result *res, conn_done_fn done,
                        void *data)
{
    struct conn *c = xcalloc(1, sizeof *c);
    c->p = *p;
    c->res = res;
    c->done = done;
    c->data = data;
    c->state = ST_CONNECT;
    uv_timer_init(p->loop, &c->timer);
    c->timer.data = c;
    c->open_handles = 1;
    /* The socket is opened on the next loop turn so that a synchronous
     * failure never calls done inside conn_start. */
    uv_timer_start(&c->timer, start_cb, 0, 0);
    return c;
}

static void start_cb(uv_timer_t *t)
{
    struct conn *c = t->data;
    const struct conn_params *p = &c->p;
    struct sockaddr_storage ss;
    int family = strchr(p->addr, ':') ? AF_INET6 : AF_INET;
    int one = 1;

    memset(&ss, 0, sizeof ss);
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t)p->addr_port);
        inet_pton(AF_INET, p->addr, &sin->sin_addr);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((uint16_t)p->addr_port);
        inet_pton(AF_INET6, p->addr, &sin6->sin6_addr);
    }

    uv_tcp_init(p->loop, &c->tcp);
    c->tcp.data = c;
    c->tcp_open = true;
    c->open_handles = 2;
    mono_ns now = uv_hrtime();
    if (large(c))
        c->res->large_hello.start = now;
    else
        c->res->t_start = now;

    /* Our own socket, so that ICMP errors are queued for us to read. */
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fail(c, FC_TCP_REFUSED, "cannot create a socket: %s", strerror(errno));
        return;
    }
    if (family == AF_INET)
        setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof one);
    else
        setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof one);
    if (uv_tcp_open(&c->tcp, fd) != 0) {
        close(fd);
        fail(c, FC_TCP_REFUSED, "cannot use a socket");
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    c->creq.data = c;
    event(c, now, large(c) ? "large_hello_connect" : "tcp_connect", "%s port %d", p->addr,
          p->addr_port);
    int rc = uv_tcp_connect(&c->creq, &c->tcp, (const struct sockaddr *)&ss, connect_cb);
    if (rc < 0) {
        enum fail_code fc = conn_classify_connect(rc, -1, -1, -1);
        if (p->via_proxy)
            fc = FC_PROXY_UNREACHABLE;
        fail(c, fc, "connect to %s port %d: %s", p->addr, p->addr_port, uv_strerror(rc));
        return;
    }
    uv_update_time(p->loop);
    uv_timer_start(&c->timer, timer_cb, (p->connect_timeout + 999999) / 1000000, 0);
}
