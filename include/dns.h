/* dns.h — name resolution on the loop: c-ares 1.18 driven by libuv.
 *
 * One c-ares channel per resolver, each with ARES_FLAG_NOCHECKRESP, so that
 * ssmprobe sees every resolver's own answer and fails over itself the way
 * the system resolver does (next server on timeout, SERVFAIL, REFUSED),
 * recording which server answered and which failed. A and AAAA are asked
 * separately and timed separately. /etc/hosts is consulted first, as the
 * agent's resolver does. */
#ifndef SSMPROBE_DNS_H
#define SSMPROBE_DNS_H

#include <uv.h>

#include "options.h"
#include "result.h"

struct dns_ctx;
struct dns_lookup;

typedef void (*dns_done_cb)(struct dns_lookup *lk);

/* One resolution of one name. Lives inside its owner (a target) and must
 * stay valid until dns_shutdown() has returned. */
struct dns_lookup {
    /* public: set before dns_resolve() */
    struct dns_result *res;   /* filled in; not owned */
    dns_done_cb done;         /* called once, never from inside dns_resolve() */
    void *data;
    /* private */
    struct dns_ctx *ctx;
    char host[256];
    int pending;              /* queries in flight */
    int server[2];            /* index of the server asked, per family */
    bool finished, cancelled;
    uv_timer_t *defer;        /* heap; delivers synchronous results on a later turn */
};

/* Create the resolver set: --dns-server list, else the system's
 * (/etc/resolv.conf, read by c-ares). Returns 0, or -1 with err filled. */
int dns_init(struct dns_ctx **out, uv_loop_t *loop, const struct options *o, char *err,
             size_t errlen);

/* The resolvers in use, "ADDR:PORT", in order. */
int dns_server_count(const struct dns_ctx *ctx);
const char *dns_server_name(const struct dns_ctx *ctx, int i);

/* Start resolving host: --resolve entries, literals and /etc/hosts are
 * answered without DNS; otherwise A and/or AAAA (family 0, 4 or 6). */
void dns_resolve(struct dns_ctx *ctx, struct dns_lookup *lk, const char *host, int port,
                 int family);

/* Stop waiting: the lookup's callback will not be called. */
void dns_cancel(struct dns_lookup *lk);

/* Destroy the channels and close every handle. Call from a plain loop turn,
 * never from inside a c-ares callback; then run the loop to drain closes. */
void dns_shutdown(struct dns_ctx *ctx);

/* Free the context after the loop has delivered every close callback. */
void dns_free(struct dns_ctx *ctx);

/* Exposed for tests and fuzzing: walk a raw DNS answer, collecting the
 * rcode name and the CNAME chain. Returns 0, or -1 when malformed. */
int dns_walk_answer(const unsigned char *abuf, int alen, char *rcode, size_t rcodelen,
                    char ***cname, int *ncname);

#endif
