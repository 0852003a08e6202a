/* result.c — construction and destruction of the result model, and the
 * names of its enums (the stable strings of SPEC). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgs.h"
#include "result.h"

static const char *const status_names[] = {
    [STATUS_PENDING] = "pending", [STATUS_OK] = "ok", [STATUS_INFO] = "info",
    [STATUS_WARN] = "warn", [STATUS_FAIL] = "fail",
};

static const char *const phase_names[] = {
    [PHASE_NONE] = "none", [PHASE_DNS] = "dns", [PHASE_TCP] = "tcp",
    [PHASE_PROXY] = "proxy", [PHASE_TLS] = "tls", [PHASE_HTTP] = "http",
};

static const struct {
    const char *name;
    enum phase phase;
} codes[FC_COUNT] = {
    [FC_NONE] = {"none", PHASE_NONE},
    [FC_DNS_NXDOMAIN] = {"dns_nxdomain", PHASE_DNS},
    [FC_DNS_NODATA] = {"dns_nodata", PHASE_DNS},
    [FC_DNS_SERVFAIL] = {"dns_servfail", PHASE_DNS},
    [FC_DNS_REFUSED] = {"dns_refused", PHASE_DNS},
    [FC_DNS_TIMEOUT] = {"dns_timeout", PHASE_DNS},
    [FC_DNS_NO_SERVER] = {"dns_no_server", PHASE_DNS},
    [FC_TCP_TIMEOUT] = {"tcp_timeout", PHASE_TCP},
    [FC_TCP_REFUSED] = {"tcp_refused", PHASE_TCP},
    [FC_NET_UNREACHABLE] = {"net_unreachable", PHASE_TCP},
    [FC_HOST_UNREACHABLE] = {"host_unreachable", PHASE_TCP},
    [FC_ADMIN_PROHIBITED] = {"admin_prohibited", PHASE_TCP},
    [FC_PROXY_UNREACHABLE] = {"proxy_unreachable", PHASE_PROXY},
    [FC_PROXY_TIMEOUT] = {"proxy_timeout", PHASE_PROXY},
    [FC_PROXY_AUTH_REQUIRED] = {"proxy_auth_required", PHASE_PROXY},
    [FC_PROXY_DENIED] = {"proxy_denied", PHASE_PROXY},
    [FC_PROXY_UPSTREAM_FAILED] = {"proxy_upstream_failed", PHASE_PROXY},
    [FC_PROXY_BAD_RESPONSE] = {"proxy_bad_response", PHASE_PROXY},
    [FC_TLS_TIMEOUT] = {"tls_timeout", PHASE_TLS},
    [FC_TLS_RESET] = {"tls_reset", PHASE_TLS},
    [FC_TLS_UNTRUSTED] = {"tls_untrusted", PHASE_TLS},
    [FC_TLS_HOSTNAME_MISMATCH] = {"tls_hostname_mismatch", PHASE_TLS},
    [FC_TLS_EXPIRED] = {"tls_expired", PHASE_TLS},
    [FC_TLS_PROTOCOL] = {"tls_protocol", PHASE_TLS},
    [FC_HTTP_TIMEOUT] = {"http_timeout", PHASE_HTTP},
    [FC_HTTP_NOT_AWS] = {"http_not_aws", PHASE_HTTP},
    [FC_HTTP_BAD_RESPONSE] = {"http_bad_response", PHASE_HTTP},
    [FC_INTERRUPTED] = {"interrupted", PHASE_NONE},
};

static const char *const scope_names[] = {
    [SCOPE_PUBLIC] = "public", [SCOPE_PRIVATE] = "private", [SCOPE_LOOPBACK] = "loopback",
    [SCOPE_LINK_LOCAL] = "link-local", [SCOPE_OTHER] = "other",
};

static const char *const source_names[] = {
    [DNS_SOURCE_DNS] = "dns", [DNS_SOURCE_HOSTS] = "hosts",
    [DNS_SOURCE_RESOLVE] = "resolve", [DNS_SOURCE_LITERAL] = "literal",
};

static const char *const kind_names[] = {
    [EK_PUBLIC] = "public", [EK_VPC_ENDPOINT] = "vpc-endpoint", [EK_CUSTOM] = "custom",
    [EK_PROXY] = "proxy", [EK_UNKNOWN] = "unknown",
};

const char *status_name(enum status s) { return status_names[s]; }
const char *phase_name(enum phase p) { return phase_names[p]; }
const char *fail_code_name(enum fail_code c) { return codes[c].name; }
enum phase fail_code_phase(enum fail_code c) { return codes[c].phase; }
const char *scope_name(enum addr_scope s) { return scope_names[s]; }
const char *dns_source_name(enum dns_source s) { return source_names[s]; }
const char *endpoint_kind_name(enum endpoint_kind k) { return kind_names[k]; }

double ns_to_ms(mono_ns from, mono_ns to)
{
    if (!from || !to || to < from)
        return -1;
    /* Microsecond precision: round to whole microseconds first. */
    return (double)((to - from + 500) / 1000) / 1000.0;
}

void report_count(const struct report *r, int *ok, int *warn, int *fail)
{
    *ok = *warn = *fail = 0;
    for (int i = 0; i < r->ntargets; i++) {
        enum status s = r->targets[i].status;
        if (s == STATUS_OK || s == STATUS_INFO)
            (*ok)++;
        else if (s == STATUS_WARN)
            (*warn)++;
        else
            (*fail)++;
    }
}

void report_init(struct report *r)
{
    memset(r, 0, sizeof *r);
    r->host.agent_running = -1;
    r->host.ssm_user = -1;
}

static void free_strv(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void tls_result_free(struct tls_result *t)
{
    free(t->subject);
    free(t->issuer);
    free(t->root);
    free(t->root_org);
    free_strv(t->sans, t->nsans);
    t->subject = t->issuer = t->root = t->root_org = NULL;
    t->sans = NULL;
    t->nsans = 0;
}

void report_free(struct report *r)
{
    for (int i = 0; i < r->ntargets; i++) {
        struct target_result *t = &r->targets[i];
        free_strv(t->dns.cname, t->dns.ncname);
        free(t->dns.addrs);
        for (int c = 0; c < t->nconns; c++)
            tls_result_free(&t->conns[c].tls);
        free(t->conns);
        free(t->events);
    }
    free(r->targets);
    for (int i = 0; i < r->nfindings; i++)
        free_strv(r->findings[i].targets, r->findings[i].ntargets);
    free(r->findings);
    free_strv(r->regions, r->nregions);
    free_strv(r->resolvers, r->nresolvers);
    free(r->proxy.url);
    free(r->proxy.noproxy);
    memset(r, 0, sizeof *r);
}

struct target_result *report_add_target(struct report *r)
{
    r->targets = xrealloc(r->targets, (size_t)(r->ntargets + 1) * sizeof *r->targets);
    struct target_result *t = &r->targets[r->ntargets++];
    memset(t, 0, sizeof *t);
    t->endpoint_kind = EK_UNKNOWN;
    return t;
}

struct finding *report_add_finding(struct report *r, enum status sev, const char *code)
{
    r->findings = xrealloc(r->findings, (size_t)(r->nfindings + 1) * sizeof *r->findings);
    struct finding *f = &r->findings[r->nfindings++];
    memset(f, 0, sizeof *f);
    f->severity = sev;
    snprintf(f->code, sizeof f->code, "%s", code);
    return f;
}

void finding_add_target(struct finding *f, const char *host)
{
    for (int i = 0; i < f->ntargets; i++)
        if (strcmp(f->targets[i], host) == 0)
            return;
    f->targets = xrealloc(f->targets, (size_t)(f->ntargets + 1) * sizeof *f->targets);
    f->targets[f->ntargets++] = xstrdup(host);
}

static event_hook_fn event_hook;
static void *event_hook_arg;
static bool keep_events = true;

void result_set_event_hook(event_hook_fn hook, void *arg)
{
    event_hook = hook;
    event_hook_arg = arg;
}

void result_set_keep_events(bool keep)
{
    keep_events = keep;
}

void target_add_event(struct target_result *t, mono_ns when, const char *name, int conn,
                      const char *fmt, ...)
{
    struct event ev;
    ev.t = when;
    ev.name = name;
    ev.conn = conn;
    ev.detail[0] = '\0';
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ev.detail, sizeof ev.detail, fmt, ap);
        va_end(ap);
    }
    /* The timeline is kept only where a renderer reads it (--trace): a
     * sweep of thousands of connections should not grow by its history. */
    if (keep_events) {
        if (t->nevents == t->events_cap) {
            t->events_cap = t->events_cap ? t->events_cap * 2 : 16;
            t->events = xrealloc(t->events, (size_t)t->events_cap * sizeof *t->events);
        }
        t->events[t->nevents++] = ev;
    }
    if (event_hook)
        event_hook(t, &ev, event_hook_arg);
}

void failure_set(struct failure *f, enum fail_code code, const char *hint, const char *fmt, ...)
{
    va_list ap;
    f->code = code;
    f->phase = fail_code_phase(code);
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    snprintf(f->hint, sizeof f->hint, "%s", hint ? hint : "");
}
