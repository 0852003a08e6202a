/* engine.c — the loop: every target starts at once; DNS, then one
 * connection per address (under --concurrency), then the large-hello
 * handshake; --timeout bounds each target; Ctrl-C ends the run with what
 * was gathered. */
#include <openssl/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "conn.h"
#include "dns.h"
#include "engine.h"
#include "msgs.h"
#include "tls.h"

struct engine;

struct tgt {
    struct engine *e;
    struct target_result *res;
    struct dns_lookup lk;
    struct dns_result proxy_dns; /* resolution of the proxy's name (via proxy) */
    uv_timer_t timer;         /* --timeout for the whole target */
    struct conn **live;       /* per conn_result: the running attempt or NULL */
    int outstanding;          /* attempts queued or running */
    bool via_proxy;
    bool finished;
    bool dns_pending;
};

struct job {
    struct tgt *t;
    int idx;                  /* conn_result index */
    enum conn_mode mode;
    struct job *next;
};

struct engine {
    uv_loop_t loop;
    const struct options *o;
    const struct engine_proxy *proxy;
    struct report *r;
    struct dns_ctx *dns;
    SSL_CTX *ctx, *ctx_large;
    struct tgt *tgts;
    int ntgts;
    int targets_left;
    int running;              /* connections in flight */
    struct job *queue, *queue_tail;
    uv_signal_t sigint, sigterm;
    uv_idle_t shutdown_idle;
    bool shutting_down;
    bool interrupted;
};

static void target_done(struct tgt *t);
static void pump(struct engine *e);

/* ---- connections ---------------------------------------------------------- */

static void enqueue(struct tgt *t, int idx, enum conn_mode mode)
{
    struct job *j = xcalloc(1, sizeof *j);
    j->t = t;
    j->idx = idx;
    j->mode = mode;
    if (t->e->queue_tail)
        t->e->queue_tail->next = j;
    else
        t->e->queue = j;
    t->e->queue_tail = j;
    t->outstanding++;
}

static void conn_done(struct conn *c, struct conn_result *res, void *data)
{
    struct job *j = data;
    struct tgt *t = j->t;
    struct engine *e = t->e;
    (void)c;

    t->live[j->idx] = NULL;
    e->running--;
    t->outstanding--;
    /* A working first handshake earns the large-hello check. */
    if (j->mode == CONN_FULL && e->o->large_hello && !e->interrupted && !t->finished &&
        res->tls.done)
        enqueue(t, j->idx, CONN_LARGE_HELLO);
    free(j);
    if (t->outstanding == 0)
        target_done(t);
    pump(e);
}

static void start_job(struct engine *e, struct job *j)
{
    struct tgt *t = j->t;
    struct conn_result *cr = &t->res->conns[j->idx];
    struct conn_params p;

    memset(&p, 0, sizeof p);
    p.loop = &e->loop;
    p.ssl_ctx = j->mode == CONN_LARGE_HELLO ? e->ctx_large : e->ctx;
    p.mode = j->mode;
    p.host = t->res->host;
    p.port = t->res->port;
    p.connect_timeout = e->o->connect_timeout;
    /* The large hello may not run for longer than a connect: a middlebox
     * that drops it would otherwise hold the target to --timeout. */
    p.phase_timeout = j->mode == CONN_LARGE_HELLO ? e->o->connect_timeout : 0;
    p.target = t->res;
    p.conn_index = j->idx;
    if (t->via_proxy) {
        p.via_proxy = true;
        p.addr = t->proxy_dns.addrs[0].address;
        p.addr_port = e->proxy->port;
        p.proxy_auth = e->proxy->auth_b64;
    } else {
        p.addr = cr->address;
        p.addr_port = t->res->port;
    }
    e->running++;
    t->live[j->idx] = conn_start(&p, cr, conn_done, j); /* j is freed in conn_done */
}

static void pump(struct engine *e)
{
    while (e->queue && e->running < e->o->concurrency) {
        struct job *j = e->queue;
        e->queue = j->next;
        if (!e->queue)
            e->queue_tail = NULL;
        if (j->t->finished) {
            j->t->outstanding--;
            free(j);
        } else {
            start_job(e, j);
        }
    }
}

/* ---- targets -------------------------------------------------------------- */

static void shutdown_cb(uv_idle_t *h);

static void maybe_shutdown(struct engine *e)
{
    if (e->targets_left > 0 || e->shutting_down)
        return;
    e->shutting_down = true;
    /* Destroy c-ares from a fresh loop turn, never inside its callback. */
    uv_idle_start(&e->shutdown_idle, shutdown_cb);
}

static void noop_close(uv_handle_t *h) { (void)h; }

static void target_done(struct tgt *t)
{
    if (t->res->finished)
        return;
    t->finished = true;
    t->res->finished = true;
    t->res->t_end = uv_hrtime();
    uv_timer_stop(&t->timer);
    target_add_event(t->res, t->res->t_end, "target_done", -1, NULL);
    t->e->targets_left--;
    maybe_shutdown(t->e);
}

/* Choose the addresses to connect to and queue one attempt each. */
static void start_connections(struct tgt *t)
{
    struct target_result *tr = t->res;
    const struct dns_result *d = &tr->dns;
    bool seen4 = false, seen6 = false;

    tr->conns = xcalloc((size_t)(d->naddrs ? d->naddrs : 1), sizeof *tr->conns);
    for (int i = 0; i < d->naddrs; i++) {
        const struct dns_address *a = &d->addrs[i];
        if (t->e->o->first_address) {
            if ((a->family == 4 && seen4) || (a->family == 6 && seen6))
                continue;
        }
        seen4 |= a->family == 4;
        seen6 |= a->family == 6;
        struct conn_result *c = &tr->conns[tr->nconns++];
        snprintf(c->address, sizeof c->address, "%s", a->address);
        c->family = a->family;
        c->scope = a->scope;
    }
    t->live = xcalloc((size_t)(tr->nconns ? tr->nconns : 1), sizeof *t->live);
    for (int i = 0; i < tr->nconns; i++)
        enqueue(t, i, CONN_FULL);
    if (t->outstanding == 0)
        target_done(t);
}

static void dns_done(struct dns_lookup *lk)
{
    mono_ns now = uv_hrtime();
    struct tgt *t = lk->data;
    struct dns_result *d = &t->res->dns;
    t->dns_pending = false;
    if (t->finished)
        return;
    if (d->code != FC_NONE) {
        target_add_event(t->res, now, "dns_failed", -1, "%s (%s)", fail_code_name(d->code),
                         d->rcode[0] ? d->rcode : "no answer");
        target_done(t);
        return;
    }
    target_add_event(t->res, now, "dns_answer", -1, "%d address%s from %s", d->naddrs,
                     d->naddrs == 1 ? "" : "es",
                     d->source == DNS_SOURCE_DNS ? d->server : dns_source_name(d->source));
    start_connections(t);
    pump(t->e);
}

/* The proxy's own name, resolved per target (it is usually one lookup
 * served by the same resolver; the time is part of this target's story). */
static void proxy_dns_done(struct dns_lookup *lk)
{
    struct tgt *t = lk->data;
    struct target_result *tr = t->res;
    t->dns_pending = false;
    if (t->res->finished)
        return;
    tr->conns = xcalloc(1, sizeof *tr->conns);
    tr->nconns = 1;
    tr->conns[0].via_proxy = true;
    t->live = xcalloc(1, sizeof *t->live);
    if (t->proxy_dns.code != FC_NONE || t->proxy_dns.naddrs == 0) {
        struct conn_result *c = &tr->conns[0];
        enum fail_code why = t->proxy_dns.code ? t->proxy_dns.code : FC_DNS_NODATA;
        c->status = STATUS_FAIL;
        failure_set(&c->failure, why == FC_INTERRUPTED ? FC_INTERRUPTED : FC_PROXY_UNREACHABLE,
                    NULL, "cannot resolve the proxy's name %s: %s", t->e->proxy->host,
                    fail_code_name(why));
        c->failure.phase = PHASE_PROXY;
        target_done(t);
        return;
    }
    target_add_event(tr, uv_hrtime(), "proxy_resolved", -1, "%s -> %s", t->e->proxy->host,
                     t->proxy_dns.addrs[0].address);
    enqueue(t, 0, CONN_FULL);
    pump(t->e);
}

/* Stop a resolution still in flight (the target's --timeout, or Ctrl-C)
 * and end the target with code as the DNS outcome. */
static void stop_dns(struct tgt *t, enum fail_code code)
{
    dns_cancel(&t->lk);
    t->dns_pending = false;
    struct dns_result *d = t->via_proxy ? &t->proxy_dns : &t->res->dns;
    d->end = uv_hrtime();
    d->code = code;
    if (t->via_proxy)
        proxy_dns_done(&t->lk); /* records the proxy failure, ends the target */
    else
        target_done(t);
}

static void target_timeout_cb(uv_timer_t *h)
{
    struct tgt *t = h->data;
    struct engine *e = t->e;
    if (t->finished)
        return;
    t->finished = true; /* no new attempts from here on */
    target_add_event(t->res, uv_hrtime(), "target_timeout", -1, "--timeout %.3f s reached",
                     (double)e->o->timeout / 1e9);
    if (t->dns_pending) {
        stop_dns(t, FC_DNS_TIMEOUT);
        return;
    }
    for (int i = 0; i < t->res->nconns; i++)
        if (t->live[i])
            conn_abort(t->live[i], FC_NONE);
    /* Attempts still queued never started: say so rather than guess. */
    for (int i = 0; i < t->res->nconns; i++) {
        struct conn_result *c = &t->res->conns[i];
        if (!c->t_start && c->failure.code == FC_NONE) {
            c->status = STATUS_FAIL;
            failure_set(&c->failure, FC_TCP_TIMEOUT, NULL,
                        "connection to %s was still queued (--concurrency %d) when --timeout"
                        " expired", c->address, e->o->concurrency);
        }
    }
    target_done(t);
}

static void start_target(struct engine *e, struct tgt *t)
{
    uv_timer_init(&e->loop, &t->timer);
    t->timer.data = t;
    uv_timer_start(&t->timer, target_timeout_cb, (e->o->timeout + 999999) / 1000000, 0);
    t->res->t_start = uv_hrtime();
    t->dns_pending = true;
    t->lk.data = t;
    if (t->via_proxy) {
        t->res->dns.performed = false;
        t->res->endpoint_kind = t->res->endpoint_kind == EK_CUSTOM ? EK_CUSTOM : EK_PROXY;
        t->lk.res = &t->proxy_dns;
        t->lk.done = proxy_dns_done;
        target_add_event(t->res, t->res->t_start, "proxy_resolve", -1, "%s", e->proxy->host);
        dns_resolve(e->dns, &t->lk, e->proxy->host, e->proxy->port, 0);
    } else {
        t->lk.res = &t->res->dns;
        t->lk.done = dns_done;
        target_add_event(t->res, t->res->t_start, "dns_query", -1, "%s%s", t->res->host,
                         e->o->family == 4 ? " A" : e->o->family == 6 ? " AAAA" : " A+AAAA");
        dns_resolve(e->dns, &t->lk, t->res->host, t->res->port, e->o->family);
    }
}

/* ---- signals and shutdown --------------------------------------------------- */

static void signal_cb(uv_signal_t *h, int signum)
{
    struct engine *e = h->data;
    (void)signum;
    if (e->interrupted)
        return;
    e->interrupted = true;
    e->r->interrupted = true;
    for (int i = 0; i < e->ntgts; i++) {
        struct tgt *t = &e->tgts[i];
        if (t->finished)
            continue;
        t->finished = true;
        if (t->dns_pending) {
            stop_dns(t, FC_INTERRUPTED);
            continue;
        }
        for (int k = 0; k < t->res->nconns; k++)
            if (t->live && t->live[k])
                conn_abort(t->live[k], FC_INTERRUPTED);
        target_done(t);
    }
}

static void shutdown_cb(uv_idle_t *h)
{
    struct engine *e = h->data;
    uv_idle_stop(h);
    uv_close((uv_handle_t *)h, noop_close);
    dns_shutdown(e->dns);
    for (int i = 0; i < e->ntgts; i++)
        uv_close((uv_handle_t *)&e->tgts[i].timer, noop_close);
    uv_close((uv_handle_t *)&e->sigint, noop_close);
    uv_close((uv_handle_t *)&e->sigterm, noop_close);
}

int engine_run(const struct options *o, const struct engine_proxy *proxy, struct report *r,
               char *err, size_t errlen)
{
    struct engine e;
    int rc = EXIT_OK;

    memset(&e, 0, sizeof e);
    e.o = o;
    e.proxy = proxy;
    e.r = r;
    if (uv_loop_init(&e.loop) != 0) {
        snprintf(err, errlen, "cannot create the event loop");
        return EXIT_INTERNAL;
    }
    /* Contexts and trust store are loaded before any clock starts: set-up
     * work is never counted as handshake time. */
    e.ctx = tls_ctx_new(o, false, NULL, err, errlen);
    e.ctx_large = e.ctx && o->large_hello ? tls_ctx_new(o, true, e.ctx, err, errlen) : NULL;
    if (!e.ctx || (o->large_hello && !e.ctx_large)) {
        rc = EXIT_USAGE;
        goto out;
    }
    if (dns_init(&e.dns, &e.loop, o, err, errlen) < 0) {
        rc = EXIT_USAGE;
        goto out;
    }
    r->resolvers = xcalloc((size_t)(dns_server_count(e.dns) + 1), sizeof *r->resolvers);
    for (int i = 0; i < dns_server_count(e.dns); i++)
        r->resolvers[r->nresolvers++] = xstrdup(dns_server_name(e.dns, i));

    uv_signal_init(&e.loop, &e.sigint);
    uv_signal_init(&e.loop, &e.sigterm);
    e.sigint.data = e.sigterm.data = &e;
    uv_signal_start(&e.sigint, signal_cb, SIGINT);
    uv_signal_start(&e.sigterm, signal_cb, SIGTERM);
    uv_idle_init(&e.loop, &e.shutdown_idle);
    e.shutdown_idle.data = &e;

    e.ntgts = r->ntargets;
    e.tgts = xcalloc((size_t)(e.ntgts ? e.ntgts : 1), sizeof *e.tgts);
    e.targets_left = e.ntgts;
    for (int i = 0; i < e.ntgts; i++) {
        e.tgts[i].e = &e;
        e.tgts[i].res = &r->targets[i];
        e.tgts[i].via_proxy = proxy && proxy->host && proxy->use_for_target &&
                              proxy->use_for_target[i];
    }
    for (int i = 0; i < e.ntgts; i++)
        start_target(&e, &e.tgts[i]);
    maybe_shutdown(&e);
    uv_run(&e.loop, UV_RUN_DEFAULT);

out:
    if (!e.shutting_down) {
        /* Failed before the run: close whatever was opened. */
        if (e.dns)
            dns_shutdown(e.dns);
    }
    uv_run(&e.loop, UV_RUN_DEFAULT);
    if (uv_loop_close(&e.loop) != 0)
        verbosef(1, "event loop closed with handles still open");
    for (int i = 0; i < e.ntgts; i++)
        free(e.tgts[i].live);
    for (int i = 0; i < e.ntgts; i++) {
        free(e.tgts[i].proxy_dns.addrs);
        for (int k = 0; k < e.tgts[i].proxy_dns.ncname; k++)
            free(e.tgts[i].proxy_dns.cname[k]);
        free(e.tgts[i].proxy_dns.cname);
    }
    while (e.queue) {
        struct job *j = e.queue;
        e.queue = j->next;
        free(j);
    }
    free(e.tgts);
    dns_free(e.dns);
    SSL_CTX_free(e.ctx);
    SSL_CTX_free(e.ctx_large);
    return rc;
}
