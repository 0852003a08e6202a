/* report_json.c — the schema-1 JSON object of SPEC, keys in SPEC order,
 * every key present, null when absent. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "msgs.h"
#include "report.h"

#define JSON_FLAGS (JSON_REAL_PRECISION(12) | JSON_ENSURE_ASCII)

/* A JSON string from text that may come off the network: invalid UTF-8
 * bytes become '?', so that a hostile header never costs the key or the
 * rest of the value. */
static json_t *jstr(const char *s)
{
    json_t *v = json_string(s);
    if (v)
        return v;
    size_t n = strlen(s), j = 0;
    char *out = xmalloc(n + 1);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        int len = u[i] < 0x80 ? 1 : (u[i] & 0xe0) == 0xc0 ? 2 : (u[i] & 0xf0) == 0xe0 ? 3
                : (u[i] & 0xf8) == 0xf0 ? 4 : 0;
        bool ok = len > 0 && i + (size_t)len <= n;
        for (int k = 1; ok && k < len; k++)
            ok = (u[i + (size_t)k] & 0xc0) == 0x80;
        if (ok && len > 1) {
            /* Reject what jansson rejects: overlong forms and surrogates. */
            json_t *probe = json_stringn((const char *)u + i, (size_t)len);
            ok = probe != NULL;
            json_decref(probe);
        }
        if (ok) {
            memcpy(out + j, u + i, (size_t)len);
            j += (size_t)len;
            i += (size_t)len;
        } else {
            out[j++] = '?';
            i++;
        }
    }
    out[j] = '\0';
    v = json_string(out);
    free(out);
    return v;
}

static json_t *str_or_null(const char *s)
{
    return s && s[0] ? jstr(s) : json_null();
}

/* jansson refuses invalid UTF-8; network text is sanitised to ASCII, but
 * keep a fallback so that a bad byte never drops a key. */
static void set(json_t *o, const char *key, json_t *v)
{
    json_object_set_new(o, key, v ? v : jstr("?"));
}

json_t *report_ms(mono_ns from, mono_ns to)
{
    double ms = ns_to_ms(from, to);
    return ms < 0 ? json_null() : json_real(ms);
}

static json_t *failure_json(const struct failure *f)
{
    if (f->code == FC_NONE)
        return json_null();
    json_t *o = json_object();
    set(o, "phase", jstr(phase_name(f->phase)));
    set(o, "code", jstr(fail_code_name(f->code)));
    set(o, "message", jstr(f->message));
    set(o, "hint", jstr(f->hint));
    return o;
}

static json_t *strv(char **v, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, jstr(v[i]));
    return a;
}

static json_t *dns_json(const struct target_result *t)
{
    const struct dns_result *d = &t->dns;
    if (!d->performed)
        return json_null();
    json_t *o = json_object();
    set(o, "ms", report_ms(d->start, d->end));
    set(o, "source", jstr(dns_source_name(d->source)));
    set(o, "server", str_or_null(d->source == DNS_SOURCE_DNS ? d->server : NULL));
    set(o, "rcode", str_or_null(d->source == DNS_SOURCE_DNS ? d->rcode : NULL));
    set(o, "cname", strv(d->cname, d->ncname));
    json_t *addrs = json_array();
    for (int i = 0; i < d->naddrs; i++) {
        const struct dns_address *a = &d->addrs[i];
        json_t *ao = json_object();
        set(ao, "address", jstr(a->address));
        set(ao, "family", jstr(a->family == 6 ? "ipv6" : "ipv4"));
        set(ao, "ttl", a->ttl >= 0 ? json_integer(a->ttl) : json_null());
        set(ao, "scope", jstr(scope_name(a->scope)));
        json_array_append_new(addrs, ao);
    }
    set(o, "addresses", addrs);
    set(o, "error", str_or_null(d->error));
    return o;
}

static json_t *tls_json(const struct tls_result *t)
{
    if (!t->done && !t->subject)
        return json_null();
    json_t *o = json_object();
    set(o, "version", str_or_null(t->done ? t->version : NULL));
    set(o, "cipher", str_or_null(t->done ? t->cipher : NULL));
    set(o, "alpn", str_or_null(t->alpn));
    set(o, "verify", str_or_null(t->verify));
    set(o, "subject", str_or_null(t->subject));
    set(o, "issuer", str_or_null(t->issuer));
    set(o, "root", str_or_null(t->root));
    set(o, "not_after", str_or_null(t->not_after));
    set(o, "intercepted", json_boolean(t->intercepted));
    return o;
}

static json_t *large_hello_json(const struct large_hello_result *l)
{
    if (l->status == STATUS_PENDING)
        return json_null();
    json_t *o = json_object();
    set(o, "status", jstr(status_name(l->status)));
    set(o, "bytes", l->bytes ? json_integer(l->bytes) : json_null());
    set(o, "ms", report_ms(l->start, l->end));
    set(o, "error", str_or_null(l->error));
    return o;
}

static json_t *http_json(const struct http_result *h)
{
    if (!h->done)
        return json_null();
    json_t *o = json_object();
    set(o, "status", json_integer(h->status));
    set(o, "server_date", str_or_null(h->server_date));
    set(o, "clock_skew_s", h->have_skew ? json_real((double)(long long)(h->clock_skew_s * 10 + (h->clock_skew_s < 0 ? -0.5 : 0.5)) / 10) : json_null());
    set(o, "request_id", str_or_null(h->request_id));
    set(o, "server", str_or_null(h->server));
    set(o, "aws", json_boolean(h->aws));
    return o;
}

static json_t *conn_json(const struct target_result *t, const struct conn_result *c)
{
    json_t *o = json_object();
    set(o, "address", str_or_null(c->address));
    set(o, "via_proxy", json_boolean(c->via_proxy));
    set(o, "status", jstr(status_name(c->status == STATUS_PENDING ? STATUS_FAIL : c->status)));
    set(o, "tcp_ms", report_ms(c->t_start, c->t_tcp_end));
    set(o, "proxy_ms", report_ms(c->t_tcp, c->t_proxy));
    set(o, "tls_ms", report_ms(c->t_tls_start, c->t_tls));
    set(o, "http_ms", report_ms(c->t_req, c->t_first_byte));
    set(o, "total_ms", report_ms(t->t_start, c->t_done));
    set(o, "tls", tls_json(&c->tls));
    set(o, "large_hello", large_hello_json(&c->large_hello));
    set(o, "http", http_json(&c->http));
    set(o, "failure", failure_json(&c->failure));
    return o;
}

static json_t *target_json(const struct target_result *t)
{
    json_t *o = json_object();
    set(o, "region", jstr(t->region));
    set(o, "service", jstr(service_name(t->service)));
    set(o, "host", jstr(t->host));
    set(o, "port", json_integer(t->port));
    set(o, "endpoint_kind", t->endpoint_kind == EK_UNKNOWN ? json_null()
                                                           : jstr(endpoint_kind_name(t->endpoint_kind)));
    set(o, "status", jstr(status_name(t->status == STATUS_PENDING ? STATUS_FAIL : t->status)));
    set(o, "failure", failure_json(&t->failure));
    set(o, "dns", dns_json(t));
    json_t *conns = json_array();
    for (int i = 0; i < t->nconns; i++)
        json_array_append_new(conns, conn_json(t, &t->conns[i]));
    set(o, "connections", conns);
    return o;
}

static json_t *context_json(const struct report *r)
{
    json_t *o = json_object();
    set(o, "regions", strv(r->regions, r->nregions));
    set(o, "region_source", str_or_null(r->region_source));
    set(o, "resolvers", strv(r->resolvers, r->nresolvers));
    if (r->proxy.configured) {
        json_t *p = json_object();
        set(p, "url", str_or_null(r->proxy.url));
        set(p, "source", str_or_null(r->proxy.source));
        set(p, "noproxy", str_or_null(r->proxy.noproxy));
        set(o, "proxy", p);
    } else {
        set(o, "proxy", json_null());
    }
    if (r->imds.queried) {
        const struct imds_context *m = &r->imds;
        json_t *p = json_object();
        set(p, "status", jstr(status_name(m->status)));
        set(p, "ms", m->ms >= 0 ? json_real(m->ms) : json_null());
        set(p, "region", str_or_null(m->region));
        set(p, "instance_id", str_or_null(m->instance_id));
        set(p, "iam_role", str_or_null(m->iam_role));
        set(p, "credentials", str_or_null(m->credentials));
        set(p, "error", str_or_null(m->error));
        set(o, "imds", p);
    } else {
        set(o, "imds", json_null());
    }
    if (r->host.checked) {
        const struct host_context *h = &r->host;
        json_t *p = json_object();
        set(p, "os", str_or_null(h->os));
        set(p, "agent_version", str_or_null(h->agent_version));
        set(p, "agent_running", h->agent_running < 0 ? json_null() : json_boolean(h->agent_running));
        set(p, "ssm_user", h->ssm_user < 0 ? json_null() : json_boolean(h->ssm_user));
        set(o, "host", p);
    } else {
        set(o, "host", json_null());
    }
    return o;
}

/* The top level without "targets": every other key, in SPEC order, with a
 * null placeholder for targets so the order is fixed. */
static json_t *report_json_shell(const struct report *r)
{
    json_t *o = json_object();
    char started[40];
    struct tm tm;
    time_t secs = r->started_at.tv_sec;
    gmtime_r(&secs, &tm);
    size_t n = strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(started + n, sizeof started - n, ".%03ldZ", r->started_at.tv_nsec / 1000000);

    set(o, "tool", jstr("ssmprobe"));
    set(o, "version", jstr(SSMPROBE_VERSION));
    set(o, "schema", json_integer(1));
    set(o, "started_at", jstr(started));
    set(o, "duration_ms", report_ms(r->t_start, r->t_end));
    set(o, "status", jstr(status_name(r->status == STATUS_PENDING ? STATUS_FAIL : r->status)));
    set(o, "context", context_json(r));
    set(o, "targets", json_null());
    json_t *findings = json_array();
    for (int i = 0; i < r->nfindings; i++) {
        const struct finding *f = &r->findings[i];
        json_t *fo = json_object();
        set(fo, "severity", jstr(status_name(f->severity)));
        set(fo, "code", jstr(f->code));
        set(fo, "message", jstr(f->message));
        set(fo, "hint", jstr(f->hint));
        set(fo, "targets", strv(f->targets, f->ntargets));
        json_array_append_new(findings, fo);
    }
    set(o, "findings", findings);
    int ok, warn, fail;
    report_count(r, &ok, &warn, &fail);
    json_t *sum = json_object();
    set(sum, "targets", json_integer(r->ntargets));
    set(sum, "ok", json_integer(ok));
    set(sum, "warn", json_integer(warn));
    set(sum, "fail", json_integer(fail));
    set(o, "summary", sum);
    return o;
}

json_t *report_json(const struct report *r)
{
    json_t *o = report_json_shell(r);
    json_t *targets = json_array();
    for (int i = 0; i < r->ntargets; i++)
        json_array_append_new(targets, target_json(&r->targets[i]));
    set(o, "targets", targets);
    return o;
}

/* Write the schema-1 object one top-level key at a time and one target at
 * a time, so that a sweep of thousands of connections never holds the
 * whole JSON tree in memory. pretty: keys on their own lines and one
 * target per line (diff-friendly); otherwise one line (NDJSON). */
static int write_streamed(FILE *out, const struct report *r, bool pretty, const char *event)
{
    json_t *shell = report_json_shell(r);
    const char *nl = pretty ? "\n" : "", *ind = pretty ? "  " : "", *ind2 = pretty ? "    " : "";
    int rc = 0, first = 1;
    void *it;

    if (fprintf(out, "{%s", nl) < 0)
        rc = -1;
    if (event) {
        fprintf(out, "%s\"event\":%s\"%s\"", ind, pretty ? " " : "", event);
        first = 0;
    }
    for (it = json_object_iter(shell); it && rc == 0; it = json_object_iter_next(shell, it)) {
        const char *key = json_object_iter_key(it);
        if (fprintf(out, "%s%s%s\"%s\":%s", first ? "" : ",", first ? "" : nl, ind, key,
                    pretty ? " " : "") < 0)
            rc = -1;
        first = 0;
        if (strcmp(key, "targets") == 0) {
            fprintf(out, "[%s", r->ntargets ? nl : "");
            for (int i = 0; i < r->ntargets && rc == 0; i++) {
                json_t *t = target_json(&r->targets[i]);
                fprintf(out, "%s", ind2);
                if (json_dumpf(t, out, JSON_FLAGS | JSON_COMPACT) != 0)
                    rc = -1;
                json_decref(t);
                fprintf(out, "%s%s", i + 1 < r->ntargets ? "," : "", nl);
            }
            fprintf(out, "%s]", r->ntargets ? ind : "");
        } else {
            int flags = JSON_FLAGS | JSON_COMPACT;
            if (json_dumpf(json_object_iter_value(it), out, flags | JSON_ENCODE_ANY) != 0)
                rc = -1;
        }
    }
    json_decref(shell);
    if (fprintf(out, "%s}\n", nl) < 0)
        rc = -1;
    if (fflush(out) != 0 || ferror(out))
        rc = -1;
    return rc;
}

int report_json_write(FILE *out, const struct report *r)
{
    return write_streamed(out, r, true, NULL);
}

/* ---- NDJSON ---------------------------------------------------------------- */

struct ndjson_state {
    FILE *out;
    const struct report *r;
};
static struct ndjson_state nd;

static void ndjson_event(const struct target_result *t, const struct event *e, void *arg)
{
    struct ndjson_state *s = arg;
    json_t *o = json_object();
    /* SPEC's order first: t_ms, event, host, address; then the rest. */
    set(o, "t_ms", report_ms(s->r->t_start, e->t));
    set(o, "event", jstr(e->name));
    set(o, "host", jstr(t->host));
    if (e->conn >= 0 && e->conn < t->nconns && t->conns[e->conn].address[0])
        set(o, "address", jstr(t->conns[e->conn].address));
    else
        set(o, "address", json_null());
    set(o, "region", jstr(t->region));
    set(o, "service", jstr(service_name(t->service)));
    set(o, "detail", str_or_null(e->detail));
    json_dumpf(o, s->out, JSON_FLAGS | JSON_COMPACT);
    fputc('\n', s->out);
    fflush(s->out);
    json_decref(o);
}

void report_ndjson_begin(FILE *out, struct report *r)
{
    nd.out = out;
    nd.r = r;
    result_set_event_hook(ndjson_event, &nd);
}

int report_ndjson_end(FILE *out, const struct report *r)
{
    result_set_event_hook(NULL, NULL);
    return write_streamed(out, r, false, "report");
}
