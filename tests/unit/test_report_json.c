/* test_report_json.c — the schema-1 JSON object of SPEC: exact key order of
 * every object, null (never missing) for absent values, millisecond times
 * with microsecond precision. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"
#include "result.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define US 1000ull
#define MS 1000000ull
#define T0 5000000000ull   /* the run's start on the monotonic clock */

/* ---- key order --------------------------------------------------------- */

static void assert_keys(const json_t *o, const char *what, const char *const *keys, size_t n)
{
    if (!json_is_object(o))
        fail_msg("%s: not an object", what);
    size_t i = 0;
    for (void *it = json_object_iter((json_t *)o); it;
         it = json_object_iter_next((json_t *)o, it), i++) {
        const char *k = json_object_iter_key(it);
        if (i >= n)
            fail_msg("%s: unexpected key '%s' at position %zu", what, k, i);
        if (strcmp(k, keys[i]) != 0)
            fail_msg("%s: key %zu is '%s', want '%s'", what, i, k, keys[i]);
    }
    if (i != n)
        fail_msg("%s: %zu keys, want %zu (first missing: '%s')", what, i, n, keys[i]);
}

#define KEYS(o, what, ...)                                                                    \
    do {                                                                                      \
        static const char *const k_[] = { __VA_ARGS__ };                                      \
        assert_keys((o), (what), k_, N(k_));                                                  \
    } while (0)

static const json_t *get(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    if (!v)
        fail_msg("key '%s' missing", key);
    return v;
}

static void assert_null_key(const json_t *o, const char *key)
{
    const json_t *v = get(o, key);
    if (!json_is_null(v))
        fail_msg("'%s' is not null", key);
}

static void assert_str(const json_t *o, const char *key, const char *want)
{
    const json_t *v = get(o, key);
    if (!json_is_string(v))
        fail_msg("'%s' is not a string", key);
    if (strcmp(json_string_value(v), want) != 0)
        fail_msg("'%s' is '%s', want '%s'", key, json_string_value(v), want);
}

static void assert_real(const json_t *o, const char *key, double want)
{
    const json_t *v = get(o, key);
    if (!json_is_real(v))
        fail_msg("'%s' is not a real number", key);
    if (json_real_value(v) != want)
        fail_msg("'%s' is %.9f, want %.9f", key, json_real_value(v), want);
}

static void assert_int(const json_t *o, const char *key, long long want)
{
    const json_t *v = get(o, key);
    if (!json_is_integer(v))
        fail_msg("'%s' is not an integer", key);
    if (json_integer_value(v) != want)
        fail_msg("'%s' is %lld, want %lld", key, (long long)json_integer_value(v), want);
}

static void assert_bool(const json_t *o, const char *key, bool want)
{
    const json_t *v = get(o, key);
    if (!json_is_boolean(v))
        fail_msg("'%s' is not a boolean", key);
    if (json_is_true(v) != want)
        fail_msg("'%s' is %d, want %d", key, json_is_true(v), want);
}

/* ---- the fixed model (SPEC's example, plus a failing and a proxied target) */

static char **strv(int n, ...)
{
    va_list ap;
    char **v = calloc((size_t)n, sizeof *v);
    assert_non_null(v);
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        v[i] = strdup(va_arg(ap, const char *));
    va_end(ap);
    return v;
}

static void build(struct report *r)
{
    report_init(r);
    r->started_at.tv_sec = 1795946400;           /* 2026-11-29T10:00:00Z */
    r->started_at.tv_nsec = 0;
    r->t_start = T0;
    r->t_end = T0 + 84213 * US;                   /* 84.213 ms */
    r->status = STATUS_FAIL;
    r->regions = strv(1, "us-east-1");
    r->nregions = 1;
    snprintf(r->region_source, sizeof r->region_source, "flag");
    r->resolvers = strv(1, "10.0.0.2:53");
    r->nresolvers = 1;
    r->proxy.configured = true;
    r->proxy.url = strdup("http://proxy.corp:3128");
    snprintf(r->proxy.source, sizeof r->proxy.source, "env:https_proxy");
    r->proxy.noproxy = strdup("169.254.169.254,.internal");
    r->imds.queried = true;
    r->imds.status = STATUS_OK;
    r->imds.ms = 2.1;
    snprintf(r->imds.region, sizeof r->imds.region, "us-east-1");
    snprintf(r->imds.instance_id, sizeof r->imds.instance_id, "i-0abc");
    snprintf(r->imds.iam_role, sizeof r->imds.iam_role, "SSMRole");
    snprintf(r->imds.credentials, sizeof r->imds.credentials, "ok");
    r->host.checked = true;
    snprintf(r->host.os, sizeof r->host.os, "Amazon Linux 2023");
    snprintf(r->host.agent_version, sizeof r->host.agent_version, "3.3.40.0");
    r->host.agent_running = 1;
    r->host.ssm_user = 1;

    /* Target 0: ssm through a VPC endpoint, everything fine. */
    struct target_result *t = report_add_target(r);
    snprintf(t->region, sizeof t->region, "us-east-1");
    t->service = SVC_SSM;
    snprintf(t->host, sizeof t->host, "ssm.us-east-1.amazonaws.com");
    t->port = 443;
    t->endpoint_kind = EK_VPC_ENDPOINT;
    t->status = STATUS_OK;
    t->t_start = T0;
    t->dns.performed = true;
    t->dns.start = T0;
    t->dns.end = T0 + 1204 * US;                  /* 1.204 ms */
    t->dns.source = DNS_SOURCE_DNS;
    snprintf(t->dns.server, sizeof t->dns.server, "10.0.0.2:53");
    snprintf(t->dns.rcode, sizeof t->dns.rcode, "NOERROR");
    t->dns.addrs = calloc(1, sizeof *t->dns.addrs);
    t->dns.naddrs = 1;
    snprintf(t->dns.addrs[0].address, sizeof t->dns.addrs[0].address, "10.0.1.5");
    t->dns.addrs[0].family = 4;
    t->dns.addrs[0].ttl = 60;
    t->dns.addrs[0].scope = SCOPE_PRIVATE;
    t->conns = calloc(1, sizeof *t->conns);
    t->nconns = 1;
    struct conn_result *c = &t->conns[0];
    snprintf(c->address, sizeof c->address, "10.0.1.5");
    c->family = 4;
    c->status = STATUS_OK;
    c->t_start = T0 + 1204 * US;
    c->t_tcp = c->t_tcp_end = c->t_start + 812 * US;        /* 0.812 */
    c->t_tls_start = c->t_tcp;
    c->t_tls = c->t_tls_start + 5102 * US;                   /* 5.102 */
    c->t_req = c->t_tls;
    c->t_first_byte = c->t_req + 3301 * US;                  /* 3.301 */
    c->t_done = c->t_first_byte;                             /* total 10.419 */
    c->tls.done = true;
    snprintf(c->tls.version, sizeof c->tls.version, "TLSv1.3");
    snprintf(c->tls.cipher, sizeof c->tls.cipher, "TLS_AES_128_GCM_SHA256");
    snprintf(c->tls.verify, sizeof c->tls.verify, "ok");
    c->tls.subject = strdup("CN=ssm.us-east-1.amazonaws.com");
    c->tls.issuer = strdup("CN=Amazon RSA 2048 M01,O=Amazon,C=US");
    c->tls.root = strdup("CN=Amazon Root CA 1,O=Amazon,C=US");
    c->tls.root_org = strdup("Amazon");
    snprintf(c->tls.not_after, sizeof c->tls.not_after, "2027-06-01T00:00:00Z");
    c->large_hello.status = STATUS_OK;
    c->large_hello.bytes = 1712;
    c->large_hello.start = T0 + 20 * MS;
    c->large_hello.end = c->large_hello.start + 5400 * US;  /* 5.4 */
    c->http.done = true;
    c->http.status = 404;
    snprintf(c->http.server_date, sizeof c->http.server_date, "2026-11-29T10:00:00Z");
    c->http.have_skew = true;
    c->http.clock_skew_s = 0.4;
    snprintf(c->http.request_id, sizeof c->http.request_id, "5c2f6a3e-8d1b");
    snprintf(c->http.server, sizeof c->http.server, "Server");
    c->http.aws = true;

    /* Target 1: ssmmessages, public, TCP timeout; address from /etc/hosts. */
    t = report_add_target(r);
    snprintf(t->region, sizeof t->region, "us-east-1");
    t->service = SVC_SSMMESSAGES;
    snprintf(t->host, sizeof t->host, "ssmmessages.us-east-1.amazonaws.com");
    t->port = 443;
    t->endpoint_kind = EK_PUBLIC;
    t->status = STATUS_FAIL;
    t->t_start = T0;
    t->dns.performed = true;
    t->dns.start = T0;
    t->dns.end = T0 + 15 * US;
    t->dns.source = DNS_SOURCE_HOSTS;
    snprintf(t->dns.server, sizeof t->dns.server, "ignored");   /* not dns: null */
    t->dns.cname = strv(2, "a.example", "b.example");
    t->dns.ncname = 2;
    t->dns.addrs = calloc(1, sizeof *t->dns.addrs);
    t->dns.naddrs = 1;
    snprintf(t->dns.addrs[0].address, sizeof t->dns.addrs[0].address, "2600:1f18::1");
    t->dns.addrs[0].family = 6;
    t->dns.addrs[0].ttl = -1;
    t->dns.addrs[0].scope = SCOPE_PUBLIC;
    t->conns = calloc(1, sizeof *t->conns);
    t->nconns = 1;
    c = &t->conns[0];
    snprintf(c->address, sizeof c->address, "2600:1f18::1");
    c->family = 6;
    c->status = STATUS_FAIL;
    c->t_start = T0 + 20 * US;
    c->t_tcp_end = c->t_start + 5000 * MS;
    failure_set(&c->failure, FC_TCP_TIMEOUT, "check the security group",
                "connect to 2600:1f18::1 port 443: timed out after 5000.0 ms");
    t->failure = c->failure;

    /* Target 2: ec2messages via a proxy (no DNS), status still pending. */
    t = report_add_target(r);
    snprintf(t->region, sizeof t->region, "us-east-1");
    t->service = SVC_EC2MESSAGES;
    snprintf(t->host, sizeof t->host, "ec2messages.us-east-1.amazonaws.com");
    t->port = 443;
    t->endpoint_kind = EK_PROXY;
    t->status = STATUS_PENDING;
    t->t_start = T0;
    t->dns.performed = false;
    t->conns = calloc(1, sizeof *t->conns);
    t->nconns = 1;
    c = &t->conns[0];
    c->via_proxy = true;
    c->status = STATUS_PENDING;
    c->t_start = T0 + 10 * US;
    c->t_tcp = c->t_tcp_end = c->t_start + 300 * US;
    c->t_proxy = c->t_tcp + 1500 * US;

    struct finding *f = report_add_finding(r, STATUS_WARN, "clock_skew");
    snprintf(f->message, sizeof f->message, "the local clock is 90 s ahead of AWS's");
    snprintf(f->hint, sizeof f->hint, "synchronise the clock");
    finding_add_target(f, "ssm.us-east-1.amazonaws.com");
}

/* ---- tests ------------------------------------------------------------- */

static void test_key_order(void **state)
{
    struct report r;
    (void)state;
    build(&r);
    json_t *o = report_json(&r);
    assert_non_null(o);

    KEYS(o, "top level", "tool", "version", "schema", "started_at", "duration_ms", "status",
         "context", "targets", "findings", "summary");
    const json_t *ctx = get(o, "context");
    KEYS(ctx, "context", "regions", "region_source", "resolvers", "proxy", "imds", "host");
    KEYS(get(ctx, "proxy"), "context.proxy", "url", "source", "noproxy");
    KEYS(get(ctx, "imds"), "context.imds", "status", "ms", "region", "instance_id", "iam_role",
         "credentials", "error");
    KEYS(get(ctx, "host"), "context.host", "os", "agent_version", "agent_running", "ssm_user");

    const json_t *targets = get(o, "targets");
    assert_int_equal(json_array_size(targets), 3);
    for (size_t i = 0; i < 3; i++) {
        const json_t *t = json_array_get(targets, i);
        KEYS(t, "target", "region", "service", "host", "port", "endpoint_kind", "status",
             "failure", "dns", "connections");
        const json_t *conns = get(t, "connections");
        assert_int_equal(json_array_size(conns), 1);
        KEYS(json_array_get(conns, 0), "connection", "address", "via_proxy", "status", "tcp_ms",
             "proxy_ms", "tls_ms", "http_ms", "total_ms", "tls", "large_hello", "http", "failure");
    }
    const json_t *t0 = json_array_get(targets, 0);
    const json_t *dns = get(t0, "dns");
    KEYS(dns, "dns", "ms", "source", "server", "rcode", "cname", "addresses", "error");
    KEYS(json_array_get(get(dns, "addresses"), 0), "dns address", "address", "family", "ttl",
         "scope");
    const json_t *c0 = json_array_get(get(t0, "connections"), 0);
    KEYS(get(c0, "tls"), "tls", "version", "cipher", "alpn", "verify", "subject", "issuer",
         "root", "not_after", "intercepted");
    KEYS(get(c0, "large_hello"), "large_hello", "status", "bytes", "ms", "error");
    KEYS(get(c0, "http"), "http", "status", "server_date", "clock_skew_s", "request_id",
         "server", "aws");

    const json_t *t1 = json_array_get(targets, 1);
    KEYS(get(t1, "failure"), "target failure", "phase", "code", "message", "hint");
    KEYS(get(json_array_get(get(t1, "connections"), 0), "failure"), "connection failure",
         "phase", "code", "message", "hint");
    KEYS(get(t1, "dns"), "dns (hosts)", "ms", "source", "server", "rcode", "cname", "addresses",
         "error");

    const json_t *findings = get(o, "findings");
    assert_int_equal(json_array_size(findings), 1);
    KEYS(json_array_get(findings, 0), "finding", "severity", "code", "message", "hint",
         "targets");
    KEYS(get(o, "summary"), "summary", "targets", "ok", "warn", "fail");
    json_decref(o);
    report_free(&r);
}

static void test_values(void **state)
{
    struct report r;
    (void)state;
    build(&r);
    json_t *o = report_json(&r);

    assert_str(o, "tool", "ssmprobe");
    assert_str(o, "version", SSMPROBE_VERSION);
    assert_int(o, "schema", 1);
    assert_str(o, "started_at", "2026-11-29T10:00:00.000Z");
    assert_real(o, "duration_ms", 84.213);
    assert_str(o, "status", "fail");

    const json_t *ctx = get(o, "context");
    assert_int_equal(json_array_size(get(ctx, "regions")), 1);
    assert_string_equal(json_string_value(json_array_get(get(ctx, "regions"), 0)), "us-east-1");
    assert_str(ctx, "region_source", "flag");
    assert_string_equal(json_string_value(json_array_get(get(ctx, "resolvers"), 0)),
                        "10.0.0.2:53");
    assert_str(get(ctx, "proxy"), "url", "http://proxy.corp:3128");
    assert_str(get(ctx, "proxy"), "source", "env:https_proxy");
    assert_str(get(ctx, "proxy"), "noproxy", "169.254.169.254,.internal");
    const json_t *imds = get(ctx, "imds");
    assert_str(imds, "status", "ok");
    assert_real(imds, "ms", 2.1);
    assert_str(imds, "instance_id", "i-0abc");
    assert_str(imds, "iam_role", "SSMRole");
    assert_str(imds, "credentials", "ok");
    assert_null_key(imds, "error");
    const json_t *host = get(ctx, "host");
    assert_str(host, "os", "Amazon Linux 2023");
    assert_str(host, "agent_version", "3.3.40.0");
    assert_bool(host, "agent_running", true);
    assert_bool(host, "ssm_user", true);

    const json_t *targets = get(o, "targets");
    const json_t *t0 = json_array_get(targets, 0);
    assert_str(t0, "region", "us-east-1");
    assert_str(t0, "service", "ssm");
    assert_str(t0, "host", "ssm.us-east-1.amazonaws.com");
    assert_int(t0, "port", 443);
    assert_str(t0, "endpoint_kind", "vpc-endpoint");
    assert_str(t0, "status", "ok");
    assert_null_key(t0, "failure");
    const json_t *dns = get(t0, "dns");
    assert_real(dns, "ms", 1.204);
    assert_str(dns, "source", "dns");
    assert_str(dns, "server", "10.0.0.2:53");
    assert_str(dns, "rcode", "NOERROR");
    assert_true(json_is_array(get(dns, "cname")));
    assert_int_equal(json_array_size(get(dns, "cname")), 0);
    const json_t *a0 = json_array_get(get(dns, "addresses"), 0);
    assert_str(a0, "address", "10.0.1.5");
    assert_str(a0, "family", "ipv4");
    assert_int(a0, "ttl", 60);
    assert_str(a0, "scope", "private");
    assert_null_key(dns, "error");

    const json_t *c0 = json_array_get(get(t0, "connections"), 0);
    assert_str(c0, "address", "10.0.1.5");
    assert_bool(c0, "via_proxy", false);
    assert_str(c0, "status", "ok");
    assert_real(c0, "tcp_ms", 0.812);
    assert_null_key(c0, "proxy_ms");
    assert_real(c0, "tls_ms", 5.102);
    assert_real(c0, "http_ms", 3.301);
    assert_real(c0, "total_ms", 10.419);
    const json_t *tls = get(c0, "tls");
    assert_str(tls, "version", "TLSv1.3");
    assert_str(tls, "cipher", "TLS_AES_128_GCM_SHA256");
    assert_null_key(tls, "alpn");
    assert_str(tls, "verify", "ok");
    assert_str(tls, "subject", "CN=ssm.us-east-1.amazonaws.com");
    assert_str(tls, "issuer", "CN=Amazon RSA 2048 M01,O=Amazon,C=US");
    assert_str(tls, "root", "CN=Amazon Root CA 1,O=Amazon,C=US");
    assert_str(tls, "not_after", "2027-06-01T00:00:00Z");
    assert_bool(tls, "intercepted", false);
    const json_t *lh = get(c0, "large_hello");
    assert_str(lh, "status", "ok");
    assert_int(lh, "bytes", 1712);
    assert_real(lh, "ms", 5.4);
    assert_null_key(lh, "error");
    const json_t *http = get(c0, "http");
    assert_int(http, "status", 404);
    assert_str(http, "server_date", "2026-11-29T10:00:00Z");
    assert_real(http, "clock_skew_s", 0.4);
    assert_str(http, "request_id", "5c2f6a3e-8d1b");
    assert_str(http, "server", "Server");
    assert_bool(http, "aws", true);
    assert_null_key(c0, "failure");

    /* target 1: failure objects, hosts source, absent phases null */
    const json_t *t1 = json_array_get(targets, 1);
    assert_str(t1, "endpoint_kind", "public");
    assert_str(t1, "status", "fail");
    const json_t *f1 = get(t1, "failure");
    assert_str(f1, "phase", "tcp");
    assert_str(f1, "code", "tcp_timeout");
    assert_str(f1, "message", "connect to 2600:1f18::1 port 443: timed out after 5000.0 ms");
    assert_str(f1, "hint", "check the security group");
    const json_t *d1 = get(t1, "dns");
    assert_real(d1, "ms", 0.015);
    assert_str(d1, "source", "hosts");
    assert_null_key(d1, "server");
    assert_null_key(d1, "rcode");
    assert_int_equal(json_array_size(get(d1, "cname")), 2);
    assert_string_equal(json_string_value(json_array_get(get(d1, "cname"), 1)), "b.example");
    const json_t *a1 = json_array_get(get(d1, "addresses"), 0);
    assert_str(a1, "family", "ipv6");
    assert_null_key(a1, "ttl");
    assert_str(a1, "scope", "public");
    const json_t *c1 = json_array_get(get(t1, "connections"), 0);
    assert_str(c1, "status", "fail");
    assert_real(c1, "tcp_ms", 5000.0);
    assert_null_key(c1, "proxy_ms");
    assert_null_key(c1, "tls_ms");
    assert_null_key(c1, "http_ms");
    assert_null_key(c1, "total_ms");
    assert_null_key(c1, "tls");
    assert_null_key(c1, "large_hello");
    assert_null_key(c1, "http");
    assert_str(get(c1, "failure"), "code", "tcp_timeout");

    /* target 2: via proxy, dns null, pending rendered as fail */
    const json_t *t2 = json_array_get(targets, 2);
    assert_str(t2, "endpoint_kind", "proxy");
    assert_str(t2, "status", "fail");
    assert_null_key(t2, "failure");
    assert_null_key(t2, "dns");
    const json_t *c2 = json_array_get(get(t2, "connections"), 0);
    assert_null_key(c2, "address");
    assert_bool(c2, "via_proxy", true);
    assert_str(c2, "status", "fail");
    assert_real(c2, "tcp_ms", 0.3);
    assert_real(c2, "proxy_ms", 1.5);
    assert_null_key(c2, "failure");

    const json_t *f = json_array_get(get(o, "findings"), 0);
    assert_str(f, "severity", "warn");
    assert_str(f, "code", "clock_skew");
    assert_int_equal(json_array_size(get(f, "targets")), 1);

    const json_t *sum = get(o, "summary");
    assert_int(sum, "targets", 3);
    assert_int(sum, "ok", 1);
    assert_int(sum, "warn", 0);
    assert_int(sum, "fail", 2);
    json_decref(o);
    report_free(&r);
}

static void test_empty_report(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    json_t *o = report_json(&r);
    KEYS(o, "top level", "tool", "version", "schema", "started_at", "duration_ms", "status",
         "context", "targets", "findings", "summary");
    assert_str(o, "started_at", "1970-01-01T00:00:00.000Z");
    assert_null_key(o, "duration_ms");
    const json_t *ctx = get(o, "context");
    KEYS(ctx, "context", "regions", "region_source", "resolvers", "proxy", "imds", "host");
    assert_int_equal(json_array_size(get(ctx, "regions")), 0);
    assert_null_key(ctx, "region_source");
    assert_int_equal(json_array_size(get(ctx, "resolvers")), 0);
    assert_null_key(ctx, "proxy");
    assert_null_key(ctx, "imds");
    assert_null_key(ctx, "host");
    assert_int_equal(json_array_size(get(o, "targets")), 0);
    assert_int_equal(json_array_size(get(o, "findings")), 0);
    assert_int(get(o, "summary"), "targets", 0);
    assert_int(get(o, "summary"), "ok", 0);
    json_decref(o);

    /* Checked host with unknown facts, queried IMDS with nothing found. */
    r.host.checked = true;
    r.imds.queried = true;
    r.imds.status = STATUS_FAIL;
    r.imds.ms = -1;
    snprintf(r.imds.error, sizeof r.imds.error, "connection refused");
    r.proxy.configured = true;
    o = report_json(&r);
    ctx = get(o, "context");
    const json_t *host = get(ctx, "host");
    KEYS(host, "context.host", "os", "agent_version", "agent_running", "ssm_user");
    assert_null_key(host, "os");
    assert_null_key(host, "agent_version");
    assert_null_key(host, "agent_running");   /* -1: unknown */
    assert_null_key(host, "ssm_user");
    const json_t *imds = get(ctx, "imds");
    KEYS(imds, "context.imds", "status", "ms", "region", "instance_id", "iam_role",
         "credentials", "error");
    assert_str(imds, "status", "fail");
    assert_null_key(imds, "ms");
    assert_null_key(imds, "region");
    assert_null_key(imds, "instance_id");
    assert_null_key(imds, "iam_role");
    assert_null_key(imds, "credentials");
    assert_str(imds, "error", "connection refused");
    const json_t *proxy = get(ctx, "proxy");
    KEYS(proxy, "context.proxy", "url", "source", "noproxy");
    assert_null_key(proxy, "url");
    assert_null_key(proxy, "source");
    assert_null_key(proxy, "noproxy");
    json_decref(o);

    r.host.agent_running = 0;
    r.host.ssm_user = 0;
    o = report_json(&r);
    host = get(get(o, "context"), "host");
    assert_bool(host, "agent_running", false);
    assert_bool(host, "ssm_user", false);
    json_decref(o);
    report_free(&r);
}

static void test_minimal_target_nulls(void **state)
{
    /* A target that failed in DNS: no connections, dns with an error. */
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = report_add_target(&r);
    snprintf(t->region, sizeof t->region, "eu-west-1");
    t->service = SVC_SSM;
    snprintf(t->host, sizeof t->host, "ssm.eu-west-1.amazonaws.com");
    t->port = 443;
    t->status = STATUS_FAIL;
    t->dns.performed = true;
    t->dns.source = DNS_SOURCE_DNS;
    t->dns.start = T0;          /* no end: no time */
    snprintf(t->dns.error, sizeof t->dns.error, "NXDOMAIN");
    failure_set(&t->failure, FC_DNS_NXDOMAIN, "check the name", "no such name");
    json_t *o = report_json(&r);
    const json_t *jt = json_array_get(get(o, "targets"), 0);
    KEYS(jt, "target", "region", "service", "host", "port", "endpoint_kind", "status", "failure",
         "dns", "connections");
    assert_null_key(jt, "endpoint_kind");       /* EK_UNKNOWN */
    assert_str(get(jt, "failure"), "phase", "dns");
    assert_str(get(jt, "failure"), "code", "dns_nxdomain");
    const json_t *dns = get(jt, "dns");
    KEYS(dns, "dns", "ms", "source", "server", "rcode", "cname", "addresses", "error");
    assert_null_key(dns, "ms");
    assert_null_key(dns, "server");
    assert_null_key(dns, "rcode");
    assert_int_equal(json_array_size(get(dns, "addresses")), 0);
    assert_str(dns, "error", "NXDOMAIN");
    assert_true(json_is_array(get(jt, "connections")));
    assert_int_equal(json_array_size(get(jt, "connections")), 0);
    assert_int(get(o, "summary"), "fail", 1);
    json_decref(o);
    report_free(&r);
}

static void test_tls_partial_and_large_hello_fail(void **state)
{
    /* Handshake failed but the certificate was seen: tls object present,
     * version/cipher null; a failed large hello with no bytes. */
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = report_add_target(&r);
    snprintf(t->host, sizeof t->host, "ssm.us-east-1.amazonaws.com");
    snprintf(t->region, sizeof t->region, "us-east-1");
    t->conns = calloc(1, sizeof *t->conns);
    t->nconns = 1;
    struct conn_result *c = &t->conns[0];
    snprintf(c->address, sizeof c->address, "52.46.141.158");
    c->status = STATUS_FAIL;
    snprintf(c->tls.version, sizeof c->tls.version, "TLSv1.3");   /* not done: not shown */
    snprintf(c->tls.verify, sizeof c->tls.verify, "unable to get local issuer certificate");
    c->tls.subject = strdup("CN=ssm.us-east-1.amazonaws.com");
    c->tls.intercepted = true;
    c->large_hello.status = STATUS_FAIL;
    snprintf(c->large_hello.error, sizeof c->large_hello.error, "reset");
    json_t *o = report_json(&r);
    const json_t *jc = json_array_get(get(json_array_get(get(o, "targets"), 0), "connections"), 0);
    const json_t *tls = get(jc, "tls");
    KEYS(tls, "tls", "version", "cipher", "alpn", "verify", "subject", "issuer", "root",
         "not_after", "intercepted");
    assert_null_key(tls, "version");
    assert_null_key(tls, "cipher");
    assert_null_key(tls, "alpn");
    assert_str(tls, "verify", "unable to get local issuer certificate");
    assert_str(tls, "subject", "CN=ssm.us-east-1.amazonaws.com");
    assert_null_key(tls, "issuer");
    assert_null_key(tls, "root");
    assert_null_key(tls, "not_after");
    assert_bool(tls, "intercepted", true);
    const json_t *lh = get(jc, "large_hello");
    KEYS(lh, "large_hello", "status", "bytes", "ms", "error");
    assert_str(lh, "status", "fail");
    assert_null_key(lh, "bytes");
    assert_null_key(lh, "ms");
    assert_str(lh, "error", "reset");
    json_decref(o);
    report_free(&r);
}

static void test_report_ms(void **state)
{
    static const struct {
        mono_ns from, to;
        double ms;                 /* < 0: null */
    } cases[] = {
        { 0, 5 * MS, -1 },
        { T0, 0, -1 },
        { 0, 0, -1 },
        { T0 + 10, T0, -1 },                      /* backwards */
        { T0, T0, 0.0 },
        { T0, T0 + 1204 * US, 1.204 },
        { T0, T0 + 1204 * US + 499, 1.204 },      /* rounded to the microsecond */
        { T0, T0 + 1204 * US + 500, 1.205 },
        { T0, T0 + 1, 0.0 },
        { T0, T0 + 500, 0.001 },
        { T0, T0 + 84213 * US, 84.213 },
        { T0, T0 + 10000 * MS, 10000.0 },
        { 1, 1 + 3600000 * MS + 1 * US, 3600000.001 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        json_t *v = report_ms(cases[i].from, cases[i].to);
        assert_non_null(v);
        if (cases[i].ms < 0) {
            if (!json_is_null(v))
                fail_msg("case %zu: report_ms(%llu, %llu) not null", i,
                         (unsigned long long)cases[i].from, (unsigned long long)cases[i].to);
        } else {
            if (!json_is_real(v))
                fail_msg("case %zu: not a real", i);
            if (json_real_value(v) != cases[i].ms)
                fail_msg("case %zu: %.9f, want %.9f", i, json_real_value(v), cases[i].ms);
        }
        json_decref(v);
    }
}

static void test_serialised_precision(void **state)
{
    /* In the written document, times carry exactly microsecond digits. */
    struct report r;
    char *text = NULL;
    size_t len = 0;
    (void)state;
    build(&r);
    r.started_at.tv_nsec = 123456789;
    r.targets[0].dns.end = r.targets[0].dns.start + 1204 * US + 321;   /* 1.204321 ms → 1.204 */
    FILE *mf = open_memstream(&text, &len);
    assert_non_null(mf);
    assert_int_equal(report_json_write(mf, &r), 0);
    fclose(mf);
    /* Top-level keys are "key": value; targets are written compact. */
    assert_true(strstr(text, "\"started_at\": \"2026-11-29T10:00:00.123Z\"") || strstr(text, "\"started_at\":\"2026-11-29T10:00:00.123Z\""));
    assert_true(strstr(text, "\"duration_ms\": 84.213,") || strstr(text, "\"duration_ms\":84.213,"));
    assert_true(strstr(text, "\"ms\": 1.204,") || strstr(text, "\"ms\":1.204,"));
    assert_true(strstr(text, "\"tcp_ms\": 0.812,") || strstr(text, "\"tcp_ms\":0.812,"));
    assert_true(strstr(text, "\"total_ms\": 10.419,") || strstr(text, "\"total_ms\":10.419,"));
    assert_true(strstr(text, "\"proxy_ms\": null,") || strstr(text, "\"proxy_ms\":null,"));
    assert_true(strstr(text, "\"clock_skew_s\": 0.4,") || strstr(text, "\"clock_skew_s\":0.4,"));
    assert_int_equal(text[len - 1], '\n');
    /* and it parses back to the same object */
    json_error_t err;
    json_t *back = json_loads(text, 0, &err);
    if (!back)
        fail_msg("written JSON does not parse: %s (line %d)", err.text, err.line);
    json_t *o = report_json(&r);
    assert_true(json_equal(back, o));
    json_decref(back);
    json_decref(o);
    free(text);
    report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_order),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_empty_report),
        cmocka_unit_test(test_minimal_target_nulls),
        cmocka_unit_test(test_tls_partial_and_large_hello_fail),
        cmocka_unit_test(test_report_ms),
        cmocka_unit_test(test_serialised_precision),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
