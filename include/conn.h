/* conn.h — one connection attempt on the loop:
 * TCP connect → [proxy CONNECT] → TLS handshake → [HTTP exchange].
 *
 * The connection writes facts into a struct conn_result owned by the
 * caller and events into the target's timeline; it never decides a
 * target's verdict and never prints. */
#ifndef SSMPROBE_CONN_H
#define SSMPROBE_CONN_H

#include <openssl/ssl.h>
#include <uv.h>

#include "result.h"

struct conn;

enum conn_mode {
    CONN_FULL,                /* TCP, TLS, HTTP */
    CONN_LARGE_HELLO          /* TCP and a handshake with a padded ClientHello */
};

struct conn_params {
    uv_loop_t *loop;
    SSL_CTX *ssl_ctx;
    enum conn_mode mode;
    const char *host;         /* endpoint name: SNI, verification, Host header */
    int port;                 /* endpoint port */
    const char *addr;         /* numeric address to connect to: endpoint or proxy */
    int addr_port;            /* port of addr */
    dur_ns connect_timeout;   /* bound on the TCP connect */
    dur_ns phase_timeout;     /* bound on everything after connect (0: none) */
    bool via_proxy;           /* send CONNECT host:port first */
    const char *proxy_auth;   /* base64 user:pass for Basic, or NULL; never logged */
    struct target_result *target; /* for events; conn_index is the event's conn */
    int conn_index;
};

/* Called once when the attempt has ended (success or failure); the result
 * is complete. The conn is freed by itself afterwards. */
typedef void (*conn_done_fn)(struct conn *c, struct conn_result *res, void *data);

/* Start an attempt; the result goes to res (large-hello mode fills
 * res->large_hello only). Never calls done from inside conn_start. */
struct conn *conn_start(const struct conn_params *p, struct conn_result *res, conn_done_fn done,
                        void *data);

/* End an attempt now with the timeout code of its current phase (the
 * target's bound expired, or Ctrl-C with FC_INTERRUPTED). */
void conn_abort(struct conn *c, enum fail_code why);

/* Exposed for tests: the failure code for a failed connect, from errno and
 * the ICMP type/code read from the error queue (-1 when none). */
enum fail_code conn_classify_connect(int uv_status, int icmp_family, int icmp_type, int icmp_code);

#endif
