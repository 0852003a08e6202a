/* report_text.c — the human report: header, one row per connection,
 * failures with hints, findings, summary. Fits 100 columns; colour only
 * when asked for (the caller decides: terminal, --color, NO_COLOR). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

#define WIDTH 100

struct out {
    FILE *f;
    bool color;
    bool err;
};

static const char *col(const struct out *o, enum status s)
{
    if (!o->color)
        return "";
    switch (s) {
    case STATUS_OK: return "\033[32m";
    case STATUS_WARN: return "\033[33m";
    case STATUS_FAIL: return "\033[31m";
    default: return "\033[36m";
    }
}

static const char *reset(const struct out *o) { return o->color ? "\033[0m" : ""; }

static void pr(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pr(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(o->f, fmt, ap) < 0)
        o->err = true;
    va_end(ap);
}

/* Copy with control characters escaped: nothing from the network may move
 * the cursor or change colours on the user's terminal. */
static void clean(char *dst, size_t dstlen, const char *src)
{
    size_t j = 0;
    for (size_t i = 0; src && src[i] && j + 5 < dstlen; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c < 0x20 || c == 0x7f)
            j += (size_t)snprintf(dst + j, dstlen - j, "\\x%02x", c);
        else
            dst[j++] = (char)c;
    }
    dst[j] = '\0';
}

/* Print text wrapped at WIDTH with a hanging indent. */
static void wrap(struct out *o, const char *first, const char *indent, const char *text)
{
    char buf[1600];
    clean(buf, sizeof buf, text);
    size_t col0 = strlen(first), width = WIDTH - strlen(indent);
    const char *p = buf;
    bool firstline = true;
    pr(o, "%s", first);
    while (*p) {
        size_t avail = firstline ? WIDTH - col0 : width;
        size_t len = strlen(p);
        if (len <= avail) {
            pr(o, "%s\n", p);
            return;
        }
        size_t cut = avail;
        while (cut > 0 && p[cut] != ' ')
            cut--;
        if (cut == 0)
            cut = avail;
        pr(o, "%.*s\n%s", (int)cut, p, indent);
        p += cut;
        while (*p == ' ')
            p++;
        firstline = false;
    }
    pr(o, "\n");
}

static void ms_cell(char *buf, size_t len, double ms)
{
    if (ms < 0)
        snprintf(buf, len, "%s", "-");
    else if (ms >= 10000)
        snprintf(buf, len, "%.0f", ms);
    else
        snprintf(buf, len, "%.1f", ms);
}

static void header(struct out *o, const struct report *r)
{
    char regions[200] = "", resolvers[200] = "";
    for (int i = 0; i < r->nregions; i++) {
        size_t n = strlen(regions);
        snprintf(regions + n, sizeof regions - n, "%s%s", i ? "," : "", r->regions[i]);
    }
    if (strlen(regions) > 50)
        snprintf(regions, sizeof regions, "%d (%s ... %s)", r->nregions, r->regions[0],
                 r->regions[r->nregions - 1]);
    for (int i = 0; i < r->nresolvers; i++) {
        size_t n = strlen(resolvers);
        snprintf(resolvers + n, sizeof resolvers - n, "%s%s", i ? ", " : "", r->resolvers[i]);
    }
    pr(o, "ssmprobe %s  regions: %s (%s)\n", SSMPROBE_VERSION, regions,
       r->region_source[0] ? r->region_source : "?");
    pr(o, "resolvers: %.60s\n", resolvers[0] ? resolvers : "none");
    if (r->proxy.configured) {
        char line[600];
        snprintf(line, sizeof line, "%s (%s)%s%s", r->proxy.url, r->proxy.source,
                 r->proxy.noproxy ? ", no_proxy " : "", r->proxy.noproxy ? r->proxy.noproxy : "");
        wrap(o, "proxy: ", "       ", line);
    } else {
        pr(o, "proxy: none\n");
    }
}

static const char *conn_result_text(const struct conn_result *c, char *buf, size_t len)
{
    if (c->failure.code != FC_NONE)
        snprintf(buf, len, "%s", fail_code_name(c->failure.code));
    else if (c->http.done)
        snprintf(buf, len, "ok HTTP %d%s%s", c->http.status, c->http.aws ? " AWS" : "",
                 c->tls.intercepted ? " intercepted" : "");
    else
        snprintf(buf, len, "%s", status_name(c->status));
    return buf;
}

/* -v: what the handshake and the answer said, under the row. */
static void conn_details(struct out *o, const struct conn_result *c)
{
    char line[900];
    const struct tls_result *t = &c->tls;
    if (t->done || t->subject) {
        snprintf(line, sizeof line, "%s %s, verify %s; subject %s; issuer %s; root %s;"
                 " not after %s%s", t->version[0] ? t->version : "TLS", t->cipher,
                 t->verify[0] ? t->verify : "?", t->subject ? t->subject : "-",
                 t->issuer ? t->issuer : "-", t->root ? t->root : "-",
                 t->not_after[0] ? t->not_after : "-", t->intercepted ? " (intercepted)" : "");
        wrap(o, "             tls: ", "                  ", line);
    }
    if (c->large_hello.status != STATUS_PENDING) {
        snprintf(line, sizeof line, "%s, %d-byte ClientHello, %.1f ms%s%s",
                 status_name(c->large_hello.status), c->large_hello.bytes,
                 ns_to_ms(c->large_hello.start, c->large_hello.end),
                 c->large_hello.error[0] ? ": " : "", c->large_hello.error);
        wrap(o, "             large hello: ", "                  ", line);
    }
    if (c->http.done) {
        snprintf(line, sizeof line, "HTTP %d, server %s, request id %s, date %s%s",
                 c->http.status, c->http.server[0] ? c->http.server : "-",
                 c->http.request_id[0] ? c->http.request_id : "-",
                 c->http.server_date[0] ? c->http.server_date : "-", "");
        if (c->http.have_skew) {
            size_t n = strlen(line);
            snprintf(line + n, sizeof line - n, ", clock skew %.1f s", c->http.clock_skew_s);
        }
        wrap(o, "             http: ", "                  ", line);
    }
}

static void rows(struct out *o, const struct report *r, const struct options *opt)
{
    pr(o, "\n%-12s %-28s %8s %8s %8s %8s  %s\n", "SERVICE", "ADDRESS", "DNS ms", "TCP ms",
       "TLS ms", "HTTP ms", "RESULT");
    for (int i = 0; i < r->ntargets; i++) {
        const struct target_result *t = &r->targets[i];
        char host[300], kind[40] = "";
        clean(host, sizeof host, t->host);
        if (t->endpoint_kind != EK_UNKNOWN && t->endpoint_source[0])
            snprintf(kind, sizeof kind, " [%s: %.24s]", endpoint_kind_name(t->endpoint_kind),
                     t->endpoint_source);
        else if (t->endpoint_kind != EK_UNKNOWN)
            snprintf(kind, sizeof kind, " [%s]", endpoint_kind_name(t->endpoint_kind));
        pr(o, "%s%s%s  %s:%d%s\n", col(o, t->status), status_name(t->status), reset(o), host,
           t->port, kind);
        char dns[16];
        ms_cell(dns, sizeof dns, t->dns.performed ? ns_to_ms(t->dns.start, t->dns.end) : -1);
        if (t->nconns == 0) {
            char why[40];
            snprintf(why, sizeof why, "%s", t->failure.code ? fail_code_name(t->failure.code)
                     : t->status == STATUS_INFO ? "not offered" : "-");
            pr(o, "%-12s %-28s %8s %8s %8s %8s  %s%s%s\n", service_name(t->service),
               t->dns.performed ? "(no address)" : "via proxy", dns, "-", "-", "-",
               col(o, t->status), why, reset(o));
            continue;
        }
        for (int k = 0; k < t->nconns; k++) {
            const struct conn_result *c = &t->conns[k];
            char addr[80], tcp[16], tls[16], http[16], res[80];
            if (c->via_proxy)
                snprintf(addr, sizeof addr, "via proxy");
            else if (strlen(c->address) + strlen(scope_name(c->scope)) + 3 <= 28)
                snprintf(addr, sizeof addr, "%s (%s)", c->address, scope_name(c->scope));
            else
                snprintf(addr, sizeof addr, "%s", c->address);
            ms_cell(tcp, sizeof tcp, ns_to_ms(c->t_start, c->t_tcp_end));
            ms_cell(tls, sizeof tls, ns_to_ms(c->t_tls_start, c->t_tls));
            ms_cell(http, sizeof http, ns_to_ms(c->t_req, c->t_first_byte));
            res[100 - 81] = '\0'; /* the row stays within 100 columns */
            pr(o, "%-12s %-28s %8s %8s %8s %8s  %s%s%s\n", k == 0 ? service_name(t->service) : "",
               addr, k == 0 ? dns : "", tcp, tls, http, col(o, c->status),
               conn_result_text(c, res, sizeof res), reset(o));
            if (opt->verbose)
                conn_details(o, c);
            if (c->via_proxy && c->t_proxy) {
                char pms[16];
                ms_cell(pms, sizeof pms, ns_to_ms(c->t_tcp, c->t_proxy));
                pr(o, "%-12s %-28s  (CONNECT answered in %s ms)\n", "", "", pms);
            }
        }
    }
}

/* A sweep: one row per region with each service's result, the endpoint
 * kinds and the slowest target's time; the detail is in JSON. */
static void rows_sweep(struct out *o, const struct report *r)
{
    int nsvc = 0, svcs[SVC_COUNT];
    for (int s = 0; s < SVC_COUNT; s++) {
        for (int i = 0; i < r->ntargets; i++)
            if (r->targets[i].service == (enum service)s) {
                svcs[nsvc++] = s;
                break;
            }
    }
    int w = nsvc ? (100 - 15 - 1 - 5 - 1 - 13 - 1 - 8) / nsvc - 1 : 10;
    if (w > 21)
        w = 21;
    pr(o, "\n%-15s %-5s %-13s", "REGION", "", "ENDPOINTS");
    for (int k = 0; k < nsvc; k++)
        pr(o, " %-*.*s", w, w, service_name((enum service)svcs[k]));
    pr(o, " %7s\n", "MAX ms");
    for (int ri = 0; ri < r->nregions; ri++) {
        enum status st = STATUS_OK;
        char kinds[40] = "";
        double slowest = -1;
        const struct target_result *by[SVC_COUNT] = {0};
        for (int i = 0; i < r->ntargets; i++) {
            const struct target_result *t = &r->targets[i];
            if (strcmp(t->region, r->regions[ri]) != 0)
                continue;
            by[t->service] = t;
            if (t->status > st)
                st = t->status;
            const char *kn = t->endpoint_kind == EK_UNKNOWN ? "?" : endpoint_kind_name(t->endpoint_kind);
            if (!strstr(kinds, kn)) {
                size_t n = strlen(kinds);
                snprintf(kinds + n, sizeof kinds - n, "%s%s", n ? "," : "", kn);
            }
            double ms = ns_to_ms(t->t_start, t->t_end);
            if (ms > slowest)
                slowest = ms;
        }
        pr(o, "%-15s %s%-5s%s %-13.13s", r->regions[ri], col(o, st), status_name(st), reset(o), kinds);
        for (int k = 0; k < nsvc; k++) {
            const struct target_result *t = by[svcs[k]];
            const char *res = !t ? "-" : t->failure.code ? fail_code_name(t->failure.code)
                                                         : status_name(t->status);
            char cell[64], ms2[16] = "";
            if (t)
                ms_cell(ms2, sizeof ms2, ns_to_ms(t->t_start, t->t_end));
            int room = w - (int)strlen(ms2) - 1;
            snprintf(cell, sizeof cell, "%.*s %s", room > 0 ? room : 0, res, ms2);
            pr(o, " %s%-*.*s%s", t ? col(o, t->status) : "", w, w, cell, t ? reset(o) : "");
        }
        char ms[16];
        ms_cell(ms, sizeof ms, slowest);
        pr(o, " %7s\n", ms);
    }
}

static void failures(struct out *o, const struct report *r)
{
    bool any = false;
    for (int i = 0; i < r->ntargets; i++) {
        const struct target_result *t = &r->targets[i];
        const struct failure *seen[64];
        int nseen = 0;
        if (t->failure.code != FC_NONE && t->nconns == 0) {
            seen[nseen++] = &t->failure;
        }
        for (int k = 0; k < t->nconns && nseen < 64; k++)
            if (t->conns[k].failure.code != FC_NONE)
                seen[nseen++] = &t->conns[k].failure;
        for (int k = 0; k < nseen; k++) {
            char first[340];
            if (!any)
                pr(o, "\nFailures:\n");
            any = true;
            snprintf(first, sizeof first, "  %s%s%s %s/%s: ", col(o, STATUS_FAIL),
                     fail_code_name(seen[k]->code), reset(o), service_name(t->service), t->region);
            wrap(o, first, "      ", seen[k]->message);
            wrap(o, "      hint: ", "      ", seen[k]->hint);
        }
    }
}

static void findings(struct out *o, const struct report *r)
{
    if (r->nfindings == 0)
        return;
    pr(o, "\nFindings:\n");
    for (int i = 0; i < r->nfindings; i++) {
        const struct finding *f = &r->findings[i];
        char first[120];
        snprintf(first, sizeof first, "  %s[%s]%s %s: ", col(o, f->severity),
                 status_name(f->severity), reset(o), f->code);
        wrap(o, first, "      ", f->message);
        wrap(o, "      hint: ", "      ", f->hint);
    }
}

static void context(struct out *o, const struct report *r)
{
    if (!r->imds.queried && !r->host.checked)
        return;
    pr(o, "\nInstance:\n");
    if (r->imds.queried) {
        if (r->imds.status == STATUS_OK)
            pr(o, "  IMDS: ok (%.1f ms) instance %s, region %s, role %s, credentials %s\n",
               r->imds.ms, r->imds.instance_id[0] ? r->imds.instance_id : "?",
               r->imds.region[0] ? r->imds.region : "?",
               r->imds.iam_role[0] ? r->imds.iam_role : "none",
               r->imds.credentials[0] ? r->imds.credentials : "?");
        else
            pr(o, "  IMDS: %s %s\n", status_name(r->imds.status), r->imds.error);
    }
    if (r->host.checked)
        pr(o, "  OS: %s   agent: %s (%s)   ssm-user: %s\n", r->host.os[0] ? r->host.os : "?",
           r->host.agent_version[0] ? r->host.agent_version : "not found",
           r->host.agent_running < 0 ? "state unknown" : r->host.agent_running ? "running" : "not running",
           r->host.ssm_user < 0 ? "unknown" : r->host.ssm_user ? "present" : "missing");
}

static void trace(struct out *o, const struct report *r)
{
    pr(o, "\nTrace:\n");
    for (int i = 0; i < r->ntargets; i++) {
        const struct target_result *t = &r->targets[i];
        pr(o, "  %s\n", t->host);
        for (int k = 0; k < t->nevents; k++) {
            const struct event *e = &t->events[k];
            char detail[200];
            clean(detail, sizeof detail, e->detail);
            pr(o, "    +%.3f ms  %-20s %s%s%s\n", ns_to_ms(t->t_start, e->t), e->name,
               e->conn >= 0 && e->conn < t->nconns ? t->conns[e->conn].address : "",
               e->conn >= 0 && e->conn < t->nconns ? " " : "", detail);
        }
    }
}

int report_text_write(FILE *f, const struct report *r, const struct options *opt, bool color)
{
    struct out o = {f, color, false};
    int ok, warn, fail;

    header(&o, r);
    if (r->nregions > 1 && !opt->verbose)
        rows_sweep(&o, r);
    else
        rows(&o, r, opt);
    failures(&o, r);
    findings(&o, r);
    context(&o, r);
    if (opt->trace)
        trace(&o, r);
    report_count(r, &ok, &warn, &fail);
    pr(&o, "\n%s%s%s: %d target%s, %d ok, %d warn, %d fail, %d finding%s in %.1f ms%s\n",
       col(&o, r->status), status_name(r->status == STATUS_PENDING ? STATUS_FAIL : r->status),
       reset(&o), r->ntargets, r->ntargets == 1 ? "" : "s", ok, warn, fail, r->nfindings,
       r->nfindings == 1 ? "" : "s", ns_to_ms(r->t_start, r->t_end),
       r->interrupted ? " (interrupted)" : "");
    if (fflush(f) != 0)
        o.err = true;
    return o.err ? -1 : 0;
}

/* ---- progress on stderr during a sweep ------------------------------------ */

struct progress {
    FILE *f;
    const struct report *r;
    int done;
};
static struct progress prog;

static void progress_event(const struct target_result *t, const struct event *e, void *arg)
{
    struct progress *p = arg;
    (void)t;
    if (strcmp(e->name, "target_done") != 0)
        return;
    p->done++;
    fprintf(p->f, "\r%d/%d targets done", p->done, p->r->ntargets);
    fflush(p->f);
}

void report_progress_begin(FILE *f, const struct report *r)
{
    prog.f = f;
    prog.r = r;
    prog.done = 0;
    result_set_event_hook(progress_event, &prog);
}

void report_progress_end(void)
{
    result_set_event_hook(NULL, NULL);
    if (prog.f) {
        fprintf(prog.f, "\r%*s\r", 40, "");
        fflush(prog.f);
        prog.f = NULL;
    }
}
