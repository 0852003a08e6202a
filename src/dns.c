/* dns.c — c-ares 1.18 on libuv, one channel per resolver, own failover.
 *
 * Why one channel per server: with ARES_FLAG_NOCHECKRESP c-ares hands us a
 * SERVFAIL/REFUSED answer instead of silently asking the next server, so
 * we know which resolver said what, and we fail over ourselves in the
 * system resolver's order. c-ares 1.18 cannot tell which server answered a
 * multi-server channel; one server per channel makes that a fact. */
#include <arpa/inet.h>
#include <ares.h>
#include <ares_dns.h>
#include <arpa/nameser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "dns.h"
#include "msgs.h"

struct watcher {
    uv_poll_t poll;           /* freed in close_cb */
    ares_socket_t fd;
    int events;
    struct server_chan *chan;
    struct watcher *next;
};

struct server_chan {
    ares_channel ch;
    bool ch_live;
    uv_timer_t timer;         /* one-shot from ares_timeout() */
    bool timer_live;
    struct watcher *watchers; /* linked while c-ares uses the socket */
    char name[72];            /* "ADDR:PORT" */
    struct dns_ctx *ctx;
};

struct dns_ctx {
    uv_loop_t *loop;
    const struct options *o;
    struct server_chan *chans; /* malloced, nchans */
    int nchans;
    bool shutting_down;
};

/* One ares_query in flight. Freed in its callback (also on destruction). */
struct query {
    struct dns_lookup *lk;
    int fam;                  /* 0: A, 1: AAAA */
};

static void chan_rearm(struct server_chan *sc);

/* ---- libuv glue ------------------------------------------------------- */

static void watcher_close_cb(uv_handle_t *h)
{
    free(h->data);
}

static void poll_cb(uv_poll_t *handle, int status, int events)
{
    struct watcher *w = handle->data;
    struct server_chan *sc = w->chan;
    ares_socket_t fd = w->fd;

    if (status < 0) {
        /* POLLERR (e.g. ICMP port unreachable on the connected UDP socket)
         * arrives as UV_EBADF and libuv stops the handle: let c-ares read
         * the error for both directions. */
        ares_process_fd(sc->ch, fd, fd);
    } else {
        ares_process_fd(sc->ch, (events & UV_READABLE) ? fd : ARES_SOCKET_BAD,
                        (events & UV_WRITABLE) ? fd : ARES_SOCKET_BAD);
    }
    /* If c-ares kept the socket, make sure it is polled again. */
    if (status < 0) {
        for (struct watcher *x = sc->watchers; x; x = x->next)
            if (x->fd == fd && x->events)
                uv_poll_start(&x->poll, x->events, poll_cb);
    }
    chan_rearm(sc);
}

static void sock_state_cb(void *data, ares_socket_t fd, int readable, int writable)
{
    struct server_chan *sc = data;
    struct watcher **pp = &sc->watchers, *w;

    while ((w = *pp) && w->fd != fd)
        pp = &w->next;
    if (!readable && !writable) {
        if (w) {
            /* Unlink now: c-ares may reuse this fd number before close_cb. */
            *pp = w->next;
            uv_close((uv_handle_t *)&w->poll, watcher_close_cb);
        }
        return;
    }
    if (!w) {
        w = xcalloc(1, sizeof *w);
        w->fd = fd;
        w->chan = sc;
        if (uv_poll_init_socket(sc->ctx->loop, &w->poll, fd) != 0) {
            free(w);
            return; /* c-ares will time the query out */
        }
        w->poll.data = w;
        w->next = sc->watchers;
        sc->watchers = w;
    }
    w->events = (readable ? UV_READABLE : 0) | (writable ? UV_WRITABLE : 0);
    uv_poll_start(&w->poll, w->events, poll_cb);
}

static void timer_cb(uv_timer_t *t)
{
    struct server_chan *sc = t->data;
    ares_process_fd(sc->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    chan_rearm(sc);
}

static void chan_rearm(struct server_chan *sc)
{
    struct timeval tv;
    if (!sc->ch_live || !sc->timer_live)
        return;
    if (!ares_timeout(sc->ch, NULL, &tv)) {
        uv_timer_stop(&sc->timer);
        return;
    }
    uint64_t ms = (uint64_t)tv.tv_sec * 1000 + ((uint64_t)tv.tv_usec + 999) / 1000;
    uv_update_time(sc->ctx->loop);
    uv_timer_start(&sc->timer, timer_cb, ms ? ms : 1, 0);
}

/* ---- set-up ------------------------------------------------------------ */

static int chan_open(struct dns_ctx *ctx, struct server_chan *sc, const char *csv, int timeout_ms,
                     char *err, size_t errlen)
{
    struct ares_options ao;
    memset(&ao, 0, sizeof ao);
    ao.sock_state_cb = sock_state_cb;
    ao.sock_state_cb_data = sc;
    ao.timeout = timeout_ms;
    ao.tries = 2;
    ao.flags = ARES_FLAG_NOCHECKRESP;
    ao.lookups = (char *)"b";
    int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS |
               ARES_OPT_LOOKUPS;
    int rc = ares_init_options(&sc->ch, &ao, mask);
    if (rc != ARES_SUCCESS) {
        snprintf(err, errlen, "cannot start the resolver: %s", ares_strerror(rc));
        return -1;
    }
    sc->ch_live = true;
    sc->ctx = ctx;
    if (csv) {
        rc = ares_set_servers_ports_csv(sc->ch, csv);
        if (rc != ARES_SUCCESS) {
            snprintf(err, errlen, "cannot use resolver %s: %s", csv, ares_strerror(rc));
            return -1;
        }
    }
    uv_timer_init(ctx->loop, &sc->timer);
    sc->timer.data = sc;
    sc->timer_live = true;
    return 0;
}

static void format_server(char *out, size_t outlen, int family, const void *addr, int port)
{
    char a[INET6_ADDRSTRLEN] = "?";
    inet_ntop(family, addr, a, sizeof a);
    if (family == AF_INET6)
        snprintf(out, outlen, "[%s]:%d", a, port ? port : 53);
    else
        snprintf(out, outlen, "%s:%d", a, port ? port : 53);
}

int dns_init(struct dns_ctx **out, uv_loop_t *loop, const struct options *o, char *err,
             size_t errlen)
{
    struct dns_ctx *ctx = xcalloc(1, sizeof *ctx);
    char names[16][72];
    int n = 0;

    ctx->loop = loop;
    ctx->o = o;
    if (o->ndns_servers) {
        for (int i = 0; i < o->ndns_servers && i < 16; i++) {
            int fam = strchr(o->dns_servers[i].addr, ':') ? 6 : 4;
            if (fam == 6)
                snprintf(names[n], sizeof names[n], "[%s]:%d", o->dns_servers[i].addr,
                         o->dns_servers[i].port);
            else
                snprintf(names[n], sizeof names[n], "%s:%d", o->dns_servers[i].addr,
                         o->dns_servers[i].port);
            n++;
        }
    } else {
        /* The system's resolvers, as c-ares reads them from resolv.conf. */
        ares_channel probe;
        struct ares_addr_port_node *list = NULL;
        if (ares_init(&probe) == ARES_SUCCESS) {
            if (ares_get_servers_ports(probe, &list) == ARES_SUCCESS) {
                for (struct ares_addr_port_node *p = list; p && n < 16; p = p->next) {
                    format_server(names[n], sizeof names[n], p->family, &p->addr,
                                  p->udp_port);
                    n++;
                }
                ares_free_data(list);
            }
            ares_destroy(probe);
        }
    }

    ctx->nchans = n;
    ctx->chans = xcalloc((size_t)(n ? n : 1), sizeof *ctx->chans);
    /* Each server's share of --dns-timeout, two tries each (c-ares doubles
     * the second: t + 2t), so that the whole list fits the bound. */
    uint64_t share_ms = o->dns_timeout / 1000000 / (uint64_t)(n ? n : 1);
    int timeout_ms = (int)(share_ms / 3 > 50 ? share_ms / 3 : 50);
    for (int i = 0; i < n; i++) {
        snprintf(ctx->chans[i].name, sizeof ctx->chans[i].name, "%.71s", names[i]);
        if (chan_open(ctx, &ctx->chans[i], names[i], timeout_ms, err, errlen) < 0) {
            ctx->nchans = i + 1;
            *out = ctx;
            return -1;
        }
    }
    *out = ctx;
    return 0;
}

int dns_server_count(const struct dns_ctx *ctx) { return ctx->nchans; }
const char *dns_server_name(const struct dns_ctx *ctx, int i) { return ctx->chans[i].name; }

/* ---- answers ----------------------------------------------------------- */

static const char *rcode_name(int rc)
{
    static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                        "NOTIMP", "REFUSED"};
    return rc >= 0 && rc < 6 ? names[rc] : "OTHER";
}

int dns_walk_answer(const unsigned char *abuf, int alen, char *rcode, size_t rcodelen,
                    char ***cname, int *ncname)
{
    if (!abuf || alen < HFIXEDSZ)
        return -1;
    snprintf(rcode, rcodelen, "%s", rcode_name(DNS_HEADER_RCODE(abuf)));
    int qd = DNS_HEADER_QDCOUNT(abuf), an = DNS_HEADER_ANCOUNT(abuf);
    const unsigned char *p = abuf + HFIXEDSZ;
    long enclen;
    char *name;

    /* Lengths are compared before the pointer moves: never point past the
     * end of the answer, not even for a moment. */
    const unsigned char *end = abuf + alen;
    for (int i = 0; i < qd; i++) {
        if (ares_expand_name(p, abuf, alen, &name, &enclen) != ARES_SUCCESS)
            return -1;
        ares_free_string(name);
        if (enclen < 0 || (long)(end - p) < enclen + QFIXEDSZ)
            return -1;
        p += enclen + QFIXEDSZ;
    }
    for (int i = 0; i < an && i < 256; i++) {
        if (p >= end || ares_expand_name(p, abuf, alen, &name, &enclen) != ARES_SUCCESS)
            return -1;
        ares_free_string(name);
        if (enclen < 0 || (long)(end - p) < enclen + RRFIXEDSZ)
            return -1;
        p += enclen;
        int type = DNS_RR_TYPE(p);
        int rdlen = DNS_RR_LEN(p);
        p += RRFIXEDSZ;
        if ((long)(end - p) < rdlen)
            return -1;
        if (type == T_CNAME && *ncname < 32) {
            if (ares_expand_name(p, abuf, alen, &name, &enclen) != ARES_SUCCESS)
                return -1;
            bool dup = false;
            for (int k = 0; k < *ncname; k++)
                if (strcmp((*cname)[k], name) == 0)
                    dup = true;
            if (!dup) {
                *cname = xrealloc(*cname, (size_t)(*ncname + 1) * sizeof **cname);
                (*cname)[(*ncname)++] = xstrdup(name);
            }
            ares_free_string(name);
        }
        p += rdlen;
    }
    return 0;
}

static void add_addr(struct dns_result *r, int family, const void *bin, int ttl)
{
    char text[INET6_ADDRSTRLEN];
    inet_ntop(family == 4 ? AF_INET : AF_INET6, bin, text, sizeof text);
    for (int i = 0; i < r->naddrs; i++)
        if (strcmp(r->addrs[i].address, text) == 0)
            return;
    r->addrs = xrealloc(r->addrs, (size_t)(r->naddrs + 1) * sizeof *r->addrs);
    struct dns_address *a = &r->addrs[r->naddrs++];
    memset(a, 0, sizeof *a);
    snprintf(a->address, sizeof a->address, "%s", text);
    a->family = family;
    a->ttl = ttl;
    a->scope = addr_scope_of(text);
}

static void add_text_addr(struct dns_result *r, const char *text)
{
    unsigned char bin[16];
    if (inet_pton(AF_INET, text, bin) == 1)
        add_addr(r, 4, bin, -1);
    else if (inet_pton(AF_INET6, text, bin) == 1)
        add_addr(r, 6, bin, -1);
}

static void note_fault(struct dns_result *r, const char *server, const char *what)
{
    for (int i = 0; i < r->nfaults; i++)
        if (strcmp(r->faults[i].server, server) == 0)
            return;
    if (r->nfaults >= (int)(sizeof r->faults / sizeof r->faults[0]))
        return;
    snprintf(r->faults[r->nfaults].server, sizeof r->faults[0].server, "%s", server);
    snprintf(r->faults[r->nfaults].what, sizeof r->faults[0].what, "%s", what);
    r->nfaults++;
}

static void finish(struct dns_lookup *lk);
static void send_query(struct dns_lookup *lk, int fam);

static void defer_close_cb(uv_handle_t *h) { free(h); }

static void defer_cb(uv_timer_t *t)
{
    struct dns_lookup *lk = t->data;
    lk->defer = NULL;
    uv_close((uv_handle_t *)t, defer_close_cb);
    if (!lk->cancelled)
        lk->done(lk);
}

/* Deliver the result on a later loop turn: the caller of dns_resolve()
 * must never see its callback run inside the call. */
static void deliver_later(struct dns_lookup *lk)
{
    lk->defer = xmalloc(sizeof *lk->defer);
    uv_timer_init(lk->ctx->loop, lk->defer);
    lk->defer->data = lk;
    uv_timer_start(lk->defer, defer_cb, 0, 0);
}

static const char *fault_of(int status)
{
    switch (status) {
    case ARES_ETIMEOUT: return "timeout";
    case ARES_ESERVFAIL: return "SERVFAIL";
    case ARES_EREFUSED: return "REFUSED";
    case ARES_ECONNREFUSED: return "unreachable";
    case ARES_EFORMERR: return "FORMERR";
    case ARES_ENOTIMP: return "NOTIMP";
    case ARES_EBADRESP: return "bad answer";
    default: return NULL;
    }
}

/* Whether a NOERROR answer is well formed: c-ares can parse it (or it is
 * a plain NODATA) and our walk over it succeeds. */
static bool answer_parses(const unsigned char *abuf, int alen, int fam)
{
    char rcode[12];
    char **cname = NULL;
    int ncname = 0;
    int rc = dns_walk_answer(abuf, alen, rcode, sizeof rcode, &cname, &ncname);
    for (int i = 0; i < ncname; i++)
        free(cname[i]);
    free(cname);
    if (rc < 0)
        return false;
    struct hostent *he = NULL;
    int n = 64;
    int prc;
    if (fam == 0) {
        struct ares_addrttl ttls[64];
        prc = ares_parse_a_reply(abuf, alen, &he, ttls, &n);
    } else {
        struct ares_addr6ttl ttls[64];
        prc = ares_parse_aaaa_reply(abuf, alen, &he, ttls, &n);
    }
    if (he)
        ares_free_hostent(he);
    return prc == ARES_SUCCESS || prc == ARES_ENODATA;
}

static void query_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    mono_ns now = uv_hrtime();
    struct query *q = arg;
    struct dns_lookup *lk = q->lk;
    int fam = q->fam;
    struct dns_result *r = lk->res;
    struct dns_query *dq = &r->q[fam];
    (void)timeouts;
    free(q);

    if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED || lk->cancelled ||
        lk->finished) {
        lk->pending--;
        return;
    }
    struct server_chan *sc = &lk->ctx->chans[lk->server[fam]];
    const char *fault = fault_of(status);
    /* An answer that does not parse is this resolver's fault too. */
    if (!fault && status == ARES_SUCCESS && abuf && !answer_parses(abuf, alen, fam)) {
        fault = "bad answer";
        status = ARES_EBADRESP;
    }
    if (fault) {
        note_fault(r, sc->name, fault);
        dq->ares_status = status;
        if (abuf && alen >= HFIXEDSZ)
            snprintf(dq->rcode, sizeof dq->rcode, "%s", rcode_name(DNS_HEADER_RCODE(abuf)));
        /* Ask the next resolver, as the system resolver does. */
        if (lk->server[fam] + 1 < lk->ctx->nchans && !lk->ctx->shutting_down) {
            lk->server[fam]++;
            lk->pending--;
            send_query(lk, fam);
            return;
        }
        dq->end = now;
        lk->pending--;
        if (lk->pending == 0)
            finish(lk);
        return;
    }
    dq->end = now;
    dq->ares_status = status;
    snprintf(dq->server, sizeof dq->server, "%s", sc->name);
    if (abuf) {
        dns_walk_answer(abuf, alen, dq->rcode, sizeof dq->rcode, &r->cname, &r->ncname);
    }
    if (status == ARES_SUCCESS && abuf) {
        if (fam == 0) {
            struct ares_addrttl ttls[64];
            int n = 64;
            struct hostent *he = NULL;
            if (ares_parse_a_reply(abuf, alen, &he, ttls, &n) == ARES_SUCCESS) {
                for (int i = 0; i < n; i++)
                    add_addr(r, 4, &ttls[i].ipaddr, ttls[i].ttl);
                dq->naddrs = n;
            }
            if (he)
                ares_free_hostent(he);
        } else {
            struct ares_addr6ttl ttls[64];
            int n = 64;
            struct hostent *he = NULL;
            if (ares_parse_aaaa_reply(abuf, alen, &he, ttls, &n) == ARES_SUCCESS) {
                for (int i = 0; i < n; i++)
                    add_addr(r, 6, &ttls[i].ip6addr, ttls[i].ttl);
                dq->naddrs = n;
            }
            if (he)
                ares_free_hostent(he);
        }
    }
    lk->pending--;
    if (lk->pending == 0)
        finish(lk);
}

static void send_query(struct dns_lookup *lk, int fam)
{
    struct query *q = xmalloc(sizeof *q);
    struct server_chan *sc = &lk->ctx->chans[lk->server[fam]];
    q->lk = lk;
    q->fam = fam;
    lk->pending++;
    if (!lk->res->q[fam].start)
        lk->res->q[fam].start = uv_hrtime();
    ares_query(sc->ch, lk->host, C_IN, fam == 0 ? T_A : T_AAAA, query_cb, q);
    chan_rearm(sc);
}

/* Decide the outcome of the whole lookup from its queries. */
static void finish(struct dns_lookup *lk)
{
    struct dns_result *r = lk->res;
    lk->finished = true;
    r->end = uv_hrtime();
    int first = r->q[0].asked ? 0 : 1;
    snprintf(r->rcode, sizeof r->rcode, "%s", r->q[first].rcode);
    snprintf(r->server, sizeof r->server, "%s", r->q[first].server[0] ? r->q[first].server
                                                 : r->q[1 - first].server);
    if (!r->server[0] && r->q[1 - first].asked)
        snprintf(r->server, sizeof r->server, "%s", r->q[1 - first].server);

    if (r->naddrs == 0) {
        bool nx = false, nodata = true, servfail = false, refused = false, timeout = false;
        for (int f = 0; f < 2; f++) {
            if (!r->q[f].asked)
                continue;
            int st = r->q[f].ares_status;
            if (st == ARES_ENOTFOUND)
                nx = true;
            if (st != ARES_ENODATA && st != ARES_SUCCESS)
                nodata = false;
            if (st == ARES_ESERVFAIL || st == ARES_EBADRESP)
                servfail = true; /* a malformed answer: the resolver failed */
            if (st == ARES_EREFUSED)
                refused = true;
            if (st == ARES_ETIMEOUT)
                timeout = true;
        }
        if (nx)
            r->code = FC_DNS_NXDOMAIN;
        else if (nodata)
            r->code = FC_DNS_NODATA;
        else if (servfail)
            r->code = FC_DNS_SERVFAIL;
        else if (refused)
            r->code = FC_DNS_REFUSED;
        else if (timeout)
            r->code = FC_DNS_TIMEOUT;
        else
            r->code = FC_DNS_NO_SERVER;
        if (r->code == FC_DNS_NXDOMAIN || r->code == FC_DNS_NODATA)
            snprintf(r->rcode, sizeof r->rcode, "%s", r->code == FC_DNS_NXDOMAIN ? "NXDOMAIN" : "NOERROR");
    }
    lk->done(lk);
}

static const struct resolve_entry *find_resolve(const struct options *o, const char *host, int port)
{
    for (int i = 0; i < o->nresolves; i++)
        if (o->resolves[i].port == port && strcasecmp(o->resolves[i].host, host) == 0)
            return &o->resolves[i];
    return NULL;
}

static bool from_hosts_file(struct dns_lookup *lk, int family)
{
    struct dns_ctx *ctx = lk->ctx;
    struct hostent *he = NULL;
    bool found = false;
    if (!ctx->nchans)
        return false; /* no channel to read through: cannot consult */
    for (int f = 0; f < 2; f++) {
        if ((f == 0 && family == 6) || (f == 1 && family == 4))
            continue;
        if (ares_gethostbyname_file(ctx->chans[0].ch, lk->host, f == 0 ? AF_INET : AF_INET6,
                                    &he) == ARES_SUCCESS && he) {
            for (char **a = he->h_addr_list; *a; a++)
                add_addr(lk->res, f == 0 ? 4 : 6, *a, -1);
            ares_free_hostent(he);
            he = NULL;
            found = true;
        }
    }
    return found;
}

void dns_resolve(struct dns_ctx *ctx, struct dns_lookup *lk, const char *host, int port,
                 int family)
{
    struct dns_result *r = lk->res;
    const struct resolve_entry *re;
    int litfam;

    lk->ctx = ctx;
    lk->pending = 0;
    lk->finished = lk->cancelled = false;
    lk->server[0] = lk->server[1] = 0;
    snprintf(lk->host, sizeof lk->host, "%s", host);
    r->performed = true;
    r->start = uv_hrtime();
    r->source = DNS_SOURCE_DNS;

    if ((re = find_resolve(ctx->o, host, port))) {
        r->source = DNS_SOURCE_RESOLVE;
        for (int i = 0; i < re->naddrs; i++)
            add_text_addr(r, re->addrs[i]);
    } else if (addr_is_literal(host, &litfam)) {
        r->source = DNS_SOURCE_LITERAL;
        add_text_addr(r, host);
    } else if (from_hosts_file(lk, family)) {
        r->source = DNS_SOURCE_HOSTS;
    } else if (ctx->nchans == 0) {
        r->code = FC_DNS_NO_SERVER;
    } else {
        r->q[0].asked = family != 6;
        r->q[1].asked = family != 4;
        if (r->q[0].asked)
            send_query(lk, 0);
        if (r->q[1].asked)
            send_query(lk, 1);
        return;
    }
    /* Answered without the network. Drop addresses of the unwanted family. */
    int keep = 0;
    for (int i = 0; i < r->naddrs; i++)
        if (!family || r->addrs[i].family == family)
            r->addrs[keep++] = r->addrs[i];
    r->naddrs = keep;
    if (!keep && r->code == FC_NONE)
        r->code = FC_DNS_NODATA;
    lk->finished = true;
    r->end = uv_hrtime();
    deliver_later(lk);
}

void dns_cancel(struct dns_lookup *lk)
{
    lk->cancelled = true;
}

static void timer_close_cb(uv_handle_t *h) { (void)h; }

void dns_shutdown(struct dns_ctx *ctx)
{
    if (!ctx)
        return;
    ctx->shutting_down = true;
    for (int i = 0; i < ctx->nchans; i++) {
        struct server_chan *sc = &ctx->chans[i];
        if (sc->ch_live) {
            /* Runs pending callbacks with ARES_EDESTRUCTION and closes every
             * socket through sock_state_cb, which closes the poll handles. */
            ares_destroy(sc->ch);
            sc->ch_live = false;
        }
        if (sc->timer_live) {
            uv_close((uv_handle_t *)&sc->timer, timer_close_cb);
            sc->timer_live = false;
        }
    }
}

void dns_free(struct dns_ctx *ctx)
{
    if (!ctx)
        return;
    free(ctx->chans);
    free(ctx);
}
