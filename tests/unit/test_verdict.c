/* test_verdict.c — verdicts, hints and findings derived from hand-built
 * result models (SPEC "Verdicts and failure codes"), version comparison,
 * and the classification of failed connects (errno, ICMP). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "conn.h"
#include "msgs.h"
#include "result.h"
#include "verdict.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MS 1000000ull

/* ---- model builders ---------------------------------------------------- */

static void add_region(struct report *r, const char *name)
{
    r->regions = realloc(r->regions, (size_t)(r->nregions + 1) * sizeof *r->regions);
    assert_non_null(r->regions);
    r->regions[r->nregions++] = strdup(name);
}

static struct target_result *add_target(struct report *r, const char *region, enum service svc)
{
    bool known = false;
    for (int i = 0; i < r->nregions; i++)
        if (strcmp(r->regions[i], region) == 0)
            known = true;
    if (!known)
        add_region(r, region);
    struct target_result *t = report_add_target(r);
    snprintf(t->region, sizeof t->region, "%s", region);
    t->service = svc;
    snprintf(t->host, sizeof t->host, "%s.%s.amazonaws.com", service_name(svc), region);
    t->port = 443;
    t->t_start = 1000 * MS;
    t->dns.performed = true;
    t->dns.source = DNS_SOURCE_DNS;
    t->dns.start = t->t_start;
    t->dns.end = t->t_start + 2 * MS;
    snprintf(t->dns.server, sizeof t->dns.server, "10.0.0.2:53");
    snprintf(t->dns.rcode, sizeof t->dns.rcode, "NOERROR");
    return t;
}

static void add_addr(struct target_result *t, const char *ip)
{
    int fam = 0;
    assert_true(addr_is_literal(ip, &fam));
    t->dns.addrs = realloc(t->dns.addrs, (size_t)(t->dns.naddrs + 1) * sizeof *t->dns.addrs);
    assert_non_null(t->dns.addrs);
    struct dns_address *a = &t->dns.addrs[t->dns.naddrs++];
    memset(a, 0, sizeof *a);
    snprintf(a->address, sizeof a->address, "%s", ip);
    a->family = fam;
    a->ttl = 60;
    a->scope = addr_scope_of(ip);
}

/* A connection to ip that worked (code FC_NONE) or failed with code. Pointers
 * into t->conns are invalidated by the next add_conn(). */
static struct conn_result *add_conn(struct target_result *t, const char *ip, enum fail_code code)
{
    add_addr(t, ip);
    t->conns = realloc(t->conns, (size_t)(t->nconns + 1) * sizeof *t->conns);
    assert_non_null(t->conns);
    struct conn_result *c = &t->conns[t->nconns++];
    memset(c, 0, sizeof *c);
    snprintf(c->address, sizeof c->address, "%s", ip);
    c->family = t->dns.addrs[t->dns.naddrs - 1].family;
    c->scope = t->dns.addrs[t->dns.naddrs - 1].scope;
    c->t_start = t->t_start + 3 * MS;
    if (code == FC_NONE || fail_code_phase(code) != PHASE_TCP) {
        c->t_tcp = c->t_tcp_end = c->t_start + 1 * MS;
    } else {
        c->t_tcp_end = c->t_start + 5000 * MS;
    }
    if (code == FC_NONE || fail_code_phase(code) == PHASE_HTTP) {
        c->tls.done = true;
        c->t_tls_start = c->t_tcp;
        c->t_tls = c->t_tls_start + 5 * MS;
        snprintf(c->tls.version, sizeof c->tls.version, "TLSv1.3");
        snprintf(c->tls.verify, sizeof c->tls.verify, "ok");
    }
    if (code == FC_NONE) {
        c->http.done = true;
        c->http.status = 404;
        c->http.aws = true;
        snprintf(c->http.request_id, sizeof c->http.request_id, "req-1");
        c->t_req = c->t_tls;
        c->t_first_byte = c->t_done = c->t_req + 3 * MS;
    } else {
        failure_set(&c->failure, code, NULL, "connect to %s port 443: %s", ip,
                    fail_code_name(code));
    }
    return c;
}

static struct finding *find(struct report *r, const char *code)
{
    struct finding *hit = NULL;
    for (int i = 0; i < r->nfindings; i++)
        if (strcmp(r->findings[i].code, code) == 0) {
            if (hit)
                fail_msg("finding %s reported more than once", code);
            hit = &r->findings[i];
        }
    return hit;
}

static bool finding_names(const struct finding *f, const char *host)
{
    for (int i = 0; i < f->ntargets; i++)
        if (strcmp(f->targets[i], host) == 0)
            return true;
    return false;
}

static void apply(struct report *r, const char *agent_version)
{
    struct options o;
    struct verdict_context vc = { .agent_version = agent_version };
    options_init(&o);
    verdict_apply(r, &o, &vc);
    options_free(&o);
}

#define assert_contains(hay, needle)                                                          \
    do {                                                                                      \
        if (!strstr((hay), (needle)))                                                         \
            fail_msg("'%s' does not contain '%s'", (hay), (needle));                         \
    } while (0)

/* ---- DNS failures ------------------------------------------------------ */

static void test_dns_failure(void **state)
{
    static const struct {
        enum fail_code code;
        const char *name, *text;
    } cases[] = {
        { FC_DNS_NXDOMAIN, "dns_nxdomain", "NXDOMAIN" },
        { FC_DNS_NODATA, "dns_nodata", "NODATA" },
        { FC_DNS_SERVFAIL, "dns_servfail", "SERVFAIL" },
        { FC_DNS_REFUSED, "dns_refused", "REFUSED" },
        { FC_DNS_TIMEOUT, "dns_timeout", "no answer" },
        { FC_DNS_NO_SERVER, "dns_no_server", "no resolver" },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct report r;
        report_init(&r);
        struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
        t->dns.code = cases[i].code;
        if (cases[i].code != FC_DNS_NXDOMAIN && cases[i].code != FC_DNS_NODATA) {
            t->dns.nfaults = 1;
            snprintf(t->dns.faults[0].server, sizeof t->dns.faults[0].server, "10.0.0.2:53");
            snprintf(t->dns.faults[0].what, sizeof t->dns.faults[0].what, "%s", "timeout");
        }
        apply(&r, "3.3.40.0");
        assert_int_equal(t->status, STATUS_FAIL);
        assert_int_equal(t->failure.code, cases[i].code);
        assert_int_equal(t->failure.phase, PHASE_DNS);
        assert_string_equal(fail_code_name(t->failure.code), cases[i].name);
        /* message: the host, what happened, and the resolver */
        assert_contains(t->failure.message, "ssm.us-east-1.amazonaws.com");
        assert_contains(t->failure.message, cases[i].text);
        assert_contains(t->failure.message, "10.0.0.2:53");
        /* a concrete hint */
        assert_true(strlen(t->failure.hint) > 20);
        assert_string_equal(t->failure.hint, verdict_hint(cases[i].code));
        /* dns.error carries the same text */
        assert_string_equal(t->dns.error, t->failure.message);
        assert_int_equal(r.status, STATUS_FAIL);
        /* a DNS failure is not also a dns_resolver_failed finding */
        assert_null(find(&r, "dns_resolver_failed"));
        report_free(&r);
    }
}

static void test_no_address(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
    apply(&r, NULL);   /* resolved, but nothing to connect to */
    assert_int_equal(t->status, STATUS_FAIL);
    assert_int_equal(t->failure.code, FC_DNS_NODATA);
    assert_true(t->failure.hint[0] != '\0');
    assert_int_equal(r.status, STATUS_FAIL);
    report_free(&r);
}

/* ---- connection failures ----------------------------------------------- */

static void test_all_conns_fail(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
    add_conn(t, "52.46.141.158", FC_TCP_TIMEOUT);
    add_conn(t, "52.46.141.159", FC_TCP_REFUSED);
    add_conn(t, "2600:1f18::1", FC_NET_UNREACHABLE);
    apply(&r, "3.3.40.0");

    assert_int_equal(t->status, STATUS_FAIL);
    /* the target names the first connection's failure */
    assert_int_equal(t->failure.code, FC_TCP_TIMEOUT);
    assert_int_equal(t->failure.phase, PHASE_TCP);
    assert_string_equal(t->failure.message, t->conns[0].failure.message);
    assert_contains(t->failure.message, "52.46.141.158");
    assert_string_equal(t->failure.hint, verdict_hint(FC_TCP_TIMEOUT));
    assert_contains(t->failure.hint, "security group");
    /* every connection is failed, with its own hint */
    for (int k = 0; k < t->nconns; k++) {
        assert_int_equal(t->conns[k].status, STATUS_FAIL);
        assert_string_equal(t->conns[k].failure.hint, verdict_hint(t->conns[k].failure.code));
    }
    assert_int_equal(r.status, STATUS_FAIL);
    report_free(&r);
}

static void test_first_failure_by_order(void **state)
{
    /* Table: conns' codes in order → target code (the first one). */
    static const struct {
        enum fail_code codes[3];
        int n;
        enum fail_code want;
    } cases[] = {
        { { FC_TLS_UNTRUSTED, FC_TCP_TIMEOUT }, 2, FC_TLS_UNTRUSTED },
        { { FC_HTTP_NOT_AWS }, 1, FC_HTTP_NOT_AWS },
        { { FC_TLS_RESET, FC_TLS_RESET, FC_HTTP_TIMEOUT }, 3, FC_TLS_RESET },
        { { FC_ADMIN_PROHIBITED, FC_TCP_REFUSED }, 2, FC_ADMIN_PROHIBITED },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct report r;
        report_init(&r);
        struct target_result *t = add_target(&r, "eu-west-1", SVC_SSMMESSAGES);
        for (int k = 0; k < cases[i].n; k++) {
            char ip[32];
            snprintf(ip, sizeof ip, "52.94.0.%d", k + 1);
            add_conn(t, ip, cases[i].codes[k]);
        }
        apply(&r, NULL);
        assert_int_equal(t->status, STATUS_FAIL);
        assert_int_equal(t->failure.code, cases[i].want);
        assert_int_equal(t->failure.phase, fail_code_phase(cases[i].want));
        assert_string_equal(t->failure.hint, verdict_hint(cases[i].want));
        report_free(&r);
    }
}

static void test_some_conns_fail(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
    add_conn(t, "52.46.141.158", FC_TCP_TIMEOUT);
    add_conn(t, "52.46.141.159", FC_NONE);
    apply(&r, "3.3.40.0");
    assert_int_equal(t->conns[0].status, STATUS_FAIL);
    assert_int_equal(t->conns[1].status, STATUS_OK);
    assert_int_equal(t->status, STATUS_WARN);
    assert_int_equal(t->failure.code, FC_NONE);
    assert_int_equal(r.status, STATUS_WARN);
    report_free(&r);
}

static void test_all_ok(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    static const enum service svcs[] = { SVC_SSM, SVC_SSMMESSAGES, SVC_EC2MESSAGES };
    for (size_t i = 0; i < N(svcs); i++) {
        struct target_result *t = add_target(&r, "us-east-1", svcs[i]);
        add_conn(t, "52.46.141.158", FC_NONE);
        add_conn(t, "2600:1f18::1", FC_NONE);
    }
    apply(&r, "3.3.40.0");
    for (int i = 0; i < r.ntargets; i++) {
        assert_int_equal(r.targets[i].status, STATUS_OK);
        assert_int_equal(r.targets[i].failure.code, FC_NONE);
        assert_int_equal(r.targets[i].endpoint_kind, EK_PUBLIC);
    }
    assert_int_equal(r.nfindings, 0);
    assert_int_equal(r.status, STATUS_OK);
    report_free(&r);
}

static void test_admin_prohibited_icmp_source(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
    struct conn_result *c = add_conn(t, "52.46.141.158", FC_ADMIN_PROHIBITED);
    snprintf(c->icmp_from, sizeof c->icmp_from, "10.0.0.1");
    apply(&r, NULL);
    assert_int_equal(t->status, STATUS_FAIL);
    assert_int_equal(t->failure.code, FC_ADMIN_PROHIBITED);
    assert_contains(t->conns[0].failure.hint, "ICMP from 10.0.0.1");
    assert_contains(t->failure.hint, "ICMP from 10.0.0.1");
    report_free(&r);
}

static void test_interrupted(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
    add_conn(t, "52.46.141.158", FC_NONE);
    r.interrupted = true;
    apply(&r, NULL);
    assert_int_equal(t->status, STATUS_OK);
    assert_int_equal(r.status, STATUS_FAIL);
    report_free(&r);
}

/* ---- TLS interception -------------------------------------------------- */

static void intercept(struct conn_result *c, long verify_code)
{
    c->tls.intercepted = true;
    c->tls.verify_code = verify_code;
    c->tls.issuer = strdup("CN=Corp Inspection CA,O=Example Corp,C=US");
    c->tls.root = strdup("CN=Corp Root,O=Example Corp,C=US");
    c->tls.root_org = strdup("Example Corp");
}

static void test_tls_intercepted_trusted(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = add_target(&r, "us-east-1", SVC_SSMMESSAGES);
    intercept(add_conn(t, "52.94.0.1", FC_NONE), 0);
    apply(&r, "3.3.40.0");
    assert_int_equal(t->conns[0].status, STATUS_WARN);
    assert_int_equal(t->status, STATUS_WARN);
    assert_int_equal(t->failure.code, FC_NONE);
    struct finding *f = find(&r, "tls_intercepted");
    assert_non_null(f);
    assert_int_equal(f->severity, STATUS_WARN);
    assert_true(finding_names(f, t->host));
    assert_contains(f->message, "Example Corp");
    assert_true(f->hint[0] != '\0');
    assert_int_equal(r.status, STATUS_WARN);
    report_free(&r);
}

static void test_tls_intercepted_untrusted(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
    struct conn_result *c = add_conn(t, "52.46.141.158", FC_TLS_UNTRUSTED);
    intercept(c, 20 /* X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY */);
    /* a second, trusted interception does not lower the severity */
    struct target_result *t2 = add_target(&r, "us-east-1", SVC_SSMMESSAGES);
    intercept(add_conn(t2, "52.94.0.1", FC_NONE), 0);
    apply(&r, "3.3.40.0");
    t = &r.targets[0];
    t2 = &r.targets[1];
    assert_int_equal(t->status, STATUS_FAIL);
    assert_int_equal(t->failure.code, FC_TLS_UNTRUSTED);
    assert_int_equal(t->failure.phase, PHASE_TLS);
    /* the hint explains the interception and names the root */
    assert_contains(t->failure.hint, "intercepted");
    assert_contains(t->failure.hint, "CN=Corp Root,O=Example Corp,C=US");
    struct finding *f = find(&r, "tls_intercepted");
    assert_non_null(f);
    assert_int_equal(f->severity, STATUS_FAIL);
    assert_true(finding_names(f, t->host));
    assert_true(finding_names(f, t2->host));
    assert_int_equal(r.status, STATUS_FAIL);
    report_free(&r);

    /* Order reversed: trusted first, untrusted second → still fail. */
    report_init(&r);
    t2 = add_target(&r, "us-east-1", SVC_SSMMESSAGES);
    intercept(add_conn(t2, "52.94.0.1", FC_NONE), 0);
    t = add_target(&r, "us-east-1", SVC_SSM);
    intercept(add_conn(t, "52.46.141.158", FC_TLS_UNTRUSTED), 20);
    apply(&r, "3.3.40.0");
    f = find(&r, "tls_intercepted");
    assert_non_null(f);
    assert_int_equal(f->severity, STATUS_FAIL);
    report_free(&r);
}

static void test_tls_not_intercepted(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
    struct conn_result *c = add_conn(t, "52.46.141.158", FC_TLS_UNTRUSTED);
    c->tls.issuer = strdup("CN=Amazon RSA 2048 M01,O=Amazon,C=US");
    c->tls.verify_code = 20;
    apply(&r, NULL);
    assert_null(find(&r, "tls_intercepted"));
    assert_string_equal(t->failure.hint, verdict_hint(FC_TLS_UNTRUSTED));
    report_free(&r);
}

/* ---- clock skew -------------------------------------------------------- */

static void test_clock_skew(void **state)
{
    static const struct {
        double skew;
        enum status sev;           /* STATUS_PENDING: no finding */
        const char *dir;
    } cases[] = {
        { 0.4, STATUS_PENDING, NULL },
        { 30, STATUS_PENDING, NULL },
        { -30, STATUS_PENDING, NULL },
        { 60, STATUS_PENDING, NULL },
        { 60.5, STATUS_WARN, "ahead" },
        { 90, STATUS_WARN, "ahead" },
        { -90, STATUS_WARN, "behind" },
        { 300, STATUS_WARN, "ahead" },
        { 301, STATUS_FAIL, "ahead" },
        { 400, STATUS_FAIL, "ahead" },
        { -400, STATUS_FAIL, "behind" },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct report r;
        report_init(&r);
        struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
        struct conn_result *c = add_conn(t, "52.46.141.158", FC_NONE);
        c->http.have_skew = true;
        c->http.clock_skew_s = cases[i].skew;
        apply(&r, "3.3.40.0");
        struct finding *f = find(&r, "clock_skew");
        assert_int_equal(t->status, STATUS_OK);
        if (cases[i].sev == STATUS_PENDING) {
            if (f)
                fail_msg("skew %.1f s: unexpected clock_skew finding", cases[i].skew);
            assert_int_equal(r.status, STATUS_OK);
        } else {
            if (!f)
                fail_msg("skew %.1f s: no clock_skew finding", cases[i].skew);
            if (f->severity != cases[i].sev)
                fail_msg("skew %.1f s: severity %s, want %s", cases[i].skew,
                         status_name(f->severity), status_name(cases[i].sev));
            assert_contains(f->message, cases[i].dir);
            assert_true(finding_names(f, t->host));
            assert_true(f->hint[0] != '\0');
            assert_int_equal(r.status, cases[i].sev);
        }
        report_free(&r);
    }
}

static void test_clock_skew_largest_wins(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
    struct conn_result *c = add_conn(t, "52.46.141.158", FC_NONE);
    c->http.have_skew = true;
    c->http.clock_skew_s = 90;
    struct target_result *t2 = add_target(&r, "us-east-1", SVC_SSMMESSAGES);
    c = add_conn(t2, "52.94.0.1", FC_NONE);
    c->http.have_skew = true;
    c->http.clock_skew_s = -400;
    add_target(&r, "us-east-1", SVC_EC2MESSAGES);  /* no answer, no skew */
    add_conn(&r.targets[2], "52.94.0.2", FC_NONE);
    apply(&r, "3.3.40.0");
    struct finding *f = find(&r, "clock_skew");
    assert_non_null(f);
    assert_int_equal(f->severity, STATUS_FAIL);
    assert_contains(f->message, "400");
    assert_contains(f->message, "behind");
    assert_int_equal(f->ntargets, 2);
    assert_false(finding_names(f, r.targets[2].host));
    report_free(&r);
}

/* ---- VPC endpoints ----------------------------------------------------- */

static void test_vpce_partial(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *ssm = add_target(&r, "us-east-1", SVC_SSM);
    add_conn(ssm, "10.0.1.5", FC_NONE);
    struct target_result *mgs = add_target(&r, "us-east-1", SVC_SSMMESSAGES);
    add_conn(mgs, "52.94.0.1", FC_TCP_TIMEOUT);
    struct target_result *mds = add_target(&r, "us-east-1", SVC_EC2MESSAGES);
    add_conn(mds, "10.0.2.7", FC_NONE);
    apply(&r, "3.3.40.0");
    /* report_add_target() may move the array: fetch the targets again */
    ssm = &r.targets[0];
    mgs = &r.targets[1];
    mds = &r.targets[2];

    assert_int_equal(ssm->endpoint_kind, EK_VPC_ENDPOINT);
    assert_int_equal(mgs->endpoint_kind, EK_PUBLIC);
    assert_int_equal(mds->endpoint_kind, EK_VPC_ENDPOINT);
    struct finding *f = find(&r, "vpce_partial");
    assert_non_null(f);
    assert_int_equal(f->severity, STATUS_WARN);
    /* the message says which side each service is on */
    assert_contains(f->message, "us-east-1");
    assert_contains(f->message, "but ssmmessages");
    assert_contains(f->message, "ssm, ec2messages");
    /* the hint tells what to create, for the public one */
    assert_contains(f->hint, "ssmmessages");
    assert_contains(f->hint, "us-east-1");
    assert_true(finding_names(f, ssm->host));
    assert_true(finding_names(f, mgs->host));
    assert_true(finding_names(f, mds->host));
    assert_int_equal(r.status, STATUS_FAIL);   /* ssmmessages itself fails */
    report_free(&r);
}

static void test_vpce_partial_negative(void **state)
{
    static const struct {
        const char *region[3];
        const char *ip[3];
    } cases[] = {
        /* all private */
        { { "us-east-1", "us-east-1", "us-east-1" }, { "10.0.1.5", "10.0.1.6", "10.0.1.7" } },
        /* all public */
        { { "us-east-1", "us-east-1", "us-east-1" }, { "52.0.0.1", "52.0.0.2", "52.0.0.3" } },
        /* private in one region, public in another */
        { { "us-east-1", "us-east-1", "eu-west-1" }, { "10.0.1.5", "10.0.1.6", "52.0.0.3" } },
    };
    static const enum service svcs[] = { SVC_SSM, SVC_SSMMESSAGES, SVC_EC2MESSAGES };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct report r;
        report_init(&r);
        for (int k = 0; k < 3; k++)
            add_conn(add_target(&r, cases[i].region[k], svcs[k]), cases[i].ip[k], FC_NONE);
        apply(&r, "3.3.40.0");
        if (find(&r, "vpce_partial"))
            fail_msg("case %zu: unexpected vpce_partial", i);
        report_free(&r);
    }

    /* A public non-session service (s3) beside private session endpoints. */
    struct report r;
    report_init(&r);
    for (int k = 0; k < 3; k++)
        add_conn(add_target(&r, "us-east-1", svcs[k]), "10.0.1.5", FC_NONE);
    add_conn(add_target(&r, "us-east-1", SVC_S3), "52.216.0.1", FC_NONE);
    apply(&r, "3.3.40.0");
    assert_null(find(&r, "vpce_partial"));
    assert_int_equal(r.status, STATUS_OK);
    report_free(&r);
}

static void test_vpce_placement(void **state)
{
    static const char *const cidrs[] = { "10.0.0.0/16", "10.2.0.0/16" };
    struct report r;
    struct options o;
    struct verdict_context vc = { .agent_version = "3.3.40.0", .vpc_cidrs = (const char **)cidrs, .nvpc_cidrs = 2 };
    (void)state;
    report_init(&r);
    struct target_result *in = add_target(&r, "us-east-1", SVC_SSM);
    add_conn(in, "10.2.1.5", FC_NONE);
    struct target_result *out = add_target(&r, "us-east-1", SVC_SSMMESSAGES);
    add_conn(out, "10.1.1.5", FC_NONE);
    struct target_result *pub = add_target(&r, "us-east-1", SVC_S3);
    add_conn(pub, "52.216.0.1", FC_NONE);
    options_init(&o);
    verdict_apply(&r, &o, &vc);
    options_free(&o);
    in = &r.targets[0];
    out = &r.targets[1];
    pub = &r.targets[2];
    struct finding *fi = find(&r, "vpce_in_vpc");
    struct finding *fo = find(&r, "vpce_outside_vpc");
    assert_non_null(fi);
    assert_non_null(fo);
    assert_int_equal(fi->severity, STATUS_INFO);
    assert_int_equal(fo->severity, STATUS_INFO);
    assert_true(finding_names(fi, in->host));
    assert_true(finding_names(fo, out->host));
    assert_false(finding_names(fi, pub->host));
    assert_false(finding_names(fo, pub->host));
    /* informational findings do not change the overall status */
    assert_int_equal(r.status, STATUS_OK);
    report_free(&r);
}

/* ---- IPv6, resolvers, large hello -------------------------------------- */

static void test_ipv6_broken(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
    add_conn(t, "52.46.141.158", FC_NONE);
    add_conn(t, "2600:1f18::1", FC_TCP_TIMEOUT);
    add_conn(t, "2600:1f18::2", FC_NET_UNREACHABLE);
    apply(&r, "3.3.40.0");
    struct finding *f = find(&r, "ipv6_broken");
    assert_non_null(f);
    assert_int_equal(f->severity, STATUS_WARN);
    assert_true(finding_names(f, t->host));
    assert_int_equal(t->status, STATUS_WARN);
    assert_int_equal(r.status, STATUS_WARN);
    report_free(&r);
}

static void test_ipv6_broken_negative(void **state)
{
    static const struct {
        const char *ip[2];
        enum fail_code code[2];
    } cases[] = {
        { { "52.46.141.158", "2600:1f18::1" }, { FC_NONE, FC_NONE } },           /* both work */
        { { "52.46.141.158", "2600:1f18::1" }, { FC_TCP_TIMEOUT, FC_TCP_TIMEOUT } }, /* both fail */
        { { "52.46.141.158", "2600:1f18::1" }, { FC_TCP_TIMEOUT, FC_NONE } },    /* v4 broken */
        { { "52.46.141.158", "52.46.141.159" }, { FC_NONE, FC_TCP_TIMEOUT } },  /* no AAAA */
        /* IPv6 TCP works, TLS fails: not an IPv6 routing problem */
        { { "52.46.141.158", "2600:1f18::1" }, { FC_NONE, FC_TLS_RESET } },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct report r;
        report_init(&r);
        struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
        add_conn(t, cases[i].ip[0], cases[i].code[0]);
        add_conn(t, cases[i].ip[1], cases[i].code[1]);
        apply(&r, "3.3.40.0");
        if (find(&r, "ipv6_broken"))
            fail_msg("case %zu: unexpected ipv6_broken", i);
        report_free(&r);
    }
}

static void test_dns_resolver_failed(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
    add_conn(t, "52.46.141.158", FC_NONE);
    t->dns.nfaults = 1;
    snprintf(t->dns.faults[0].server, sizeof t->dns.faults[0].server, "10.9.9.9:53");
    snprintf(t->dns.faults[0].what, sizeof t->dns.faults[0].what, "timeout");
    snprintf(t->dns.server, sizeof t->dns.server, "10.0.0.2:53");
    struct target_result *t2 = add_target(&r, "us-east-1", SVC_SSMMESSAGES);
    add_conn(t2, "52.94.0.1", FC_NONE);
    t2->dns.nfaults = 2;
    snprintf(t2->dns.faults[0].server, sizeof t2->dns.faults[0].server, "10.9.9.9:53");
    snprintf(t2->dns.faults[0].what, sizeof t2->dns.faults[0].what, "timeout");
    snprintf(t2->dns.faults[1].server, sizeof t2->dns.faults[1].server, "10.8.8.8:53");
    snprintf(t2->dns.faults[1].what, sizeof t2->dns.faults[1].what, "REFUSED");
    struct target_result *t3 = add_target(&r, "us-east-1", SVC_EC2MESSAGES);
    add_conn(t3, "52.94.0.2", FC_NONE);   /* clean */
    apply(&r, "3.3.40.0");
    t = &r.targets[0];
    t2 = &r.targets[1];
    t3 = &r.targets[2];
    struct finding *f = find(&r, "dns_resolver_failed");
    assert_non_null(f);
    assert_int_equal(f->severity, STATUS_WARN);
    assert_contains(f->message, "10.9.9.9:53 (timeout)");
    assert_contains(f->message, "10.8.8.8:53 (REFUSED)");
    /* named once although two targets saw it */
    const char *first = strstr(f->message, "10.9.9.9:53");
    assert_null(strstr(first + 1, "10.9.9.9:53"));
    assert_true(finding_names(f, t->host));
    assert_true(finding_names(f, t2->host));
    assert_false(finding_names(f, t3->host));
    assert_int_equal(t->status, STATUS_OK);
    assert_int_equal(r.status, STATUS_WARN);
    report_free(&r);
}

static void test_large_hello_blocked(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = add_target(&r, "us-east-1", SVC_SSMMESSAGES);
    struct conn_result *c = add_conn(t, "52.94.0.1", FC_NONE);
    c->large_hello.status = STATUS_FAIL;
    c->large_hello.bytes = 1712;
    snprintf(c->large_hello.error, sizeof c->large_hello.error, "connection reset by peer");
    struct target_result *t2 = add_target(&r, "us-east-1", SVC_SSM);
    c = add_conn(t2, "52.46.141.158", FC_NONE);
    c->large_hello.status = STATUS_OK;
    c->large_hello.bytes = 1712;
    apply(&r, "3.3.40.0");
    t = &r.targets[0];
    t2 = &r.targets[1];
    struct finding *f = find(&r, "large_hello_blocked");
    assert_non_null(f);
    assert_int_equal(f->severity, STATUS_WARN);
    assert_contains(f->message, "1712");
    assert_contains(f->message, "52.94.0.1");
    assert_contains(f->message, "connection reset by peer");
    assert_true(finding_names(f, t->host));
    assert_false(finding_names(f, t2->host));
    assert_int_equal(t->conns[0].status, STATUS_WARN);
    assert_int_equal(t->status, STATUS_WARN);
    assert_int_equal(t2->status, STATUS_OK);
    assert_int_equal(r.status, STATUS_WARN);
    report_free(&r);
}

/* ---- ec2messages is optional for new agents ---------------------------- */

static void test_ec2messages_optional(void **state)
{
    static const struct {
        const char *agent;
        enum status sev, target, overall;
    } cases[] = {
        { "3.3.40.0", STATUS_WARN, STATUS_WARN, STATUS_WARN },
        { "3.3.131.0", STATUS_WARN, STATUS_WARN, STATUS_WARN },
        { "3.10.0.0", STATUS_WARN, STATUS_WARN, STATUS_WARN },
        { "4.0.0.0", STATUS_WARN, STATUS_WARN, STATUS_WARN },
        { "3.3.39.9", STATUS_FAIL, STATUS_FAIL, STATUS_FAIL },
        { "3.2.0.0", STATUS_FAIL, STATUS_FAIL, STATUS_FAIL },
        { "2.3.68.0", STATUS_FAIL, STATUS_FAIL, STATUS_FAIL },
        { NULL, STATUS_FAIL, STATUS_FAIL, STATUS_FAIL },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct report r;
        report_init(&r);
        add_conn(add_target(&r, "us-east-1", SVC_SSM), "52.46.141.158", FC_NONE);
        add_conn(add_target(&r, "us-east-1", SVC_SSMMESSAGES), "52.94.0.1", FC_NONE);
        struct target_result *t = add_target(&r, "us-east-1", SVC_EC2MESSAGES);
        add_conn(t, "52.94.0.2", FC_TCP_TIMEOUT);
        apply(&r, cases[i].agent);
        struct finding *f = find(&r, "ec2messages_optional");
        if (!f)
            fail_msg("agent %s: no ec2messages_optional finding", cases[i].agent);
        if (f->severity != cases[i].sev || t->status != cases[i].target ||
            r.status != cases[i].overall)
            fail_msg("agent %s: finding %s, target %s, overall %s; want %s %s %s",
                     cases[i].agent ? cases[i].agent : "(unknown)", status_name(f->severity),
                     status_name(t->status), status_name(r.status), status_name(cases[i].sev),
                     status_name(cases[i].target), status_name(cases[i].overall));
        assert_true(finding_names(f, t->host));
        assert_contains(f->message, t->host);
        assert_contains(f->message, cases[i].agent ? cases[i].agent : "unknown");
        assert_true(f->hint[0] != '\0');
        /* the target keeps its own failure either way */
        assert_int_equal(t->failure.code, FC_TCP_TIMEOUT);
        report_free(&r);
    }

    /* Without a verdict context at all: unknown agent → fail. */
    struct report r;
    struct options o;
    report_init(&r);
    add_conn(add_target(&r, "us-east-1", SVC_SSMMESSAGES), "52.94.0.1", FC_NONE);
    struct target_result *t = add_target(&r, "us-east-1", SVC_EC2MESSAGES);
    add_conn(t, "52.94.0.2", FC_TCP_TIMEOUT);
    options_init(&o);
    verdict_apply(&r, &o, NULL);
    options_free(&o);
    struct finding *f = find(&r, "ec2messages_optional");
    assert_non_null(f);
    assert_int_equal(f->severity, STATUS_FAIL);
    assert_int_equal(t->status, STATUS_FAIL);
    report_free(&r);
}

static void test_ec2messages_optional_negative(void **state)
{
    struct report r;
    (void)state;
    /* ssmmessages fails too: no fallback, no finding. */
    report_init(&r);
    add_conn(add_target(&r, "us-east-1", SVC_SSMMESSAGES), "52.94.0.1", FC_TCP_TIMEOUT);
    struct target_result *t = add_target(&r, "us-east-1", SVC_EC2MESSAGES);
    add_conn(t, "52.94.0.2", FC_TCP_TIMEOUT);
    apply(&r, "3.3.40.0");
    assert_null(find(&r, "ec2messages_optional"));
    assert_int_equal(t->status, STATUS_FAIL);
    report_free(&r);

    /* ssmmessages works in another region only. */
    report_init(&r);
    add_conn(add_target(&r, "eu-west-1", SVC_SSMMESSAGES), "52.94.0.1", FC_NONE);
    t = add_target(&r, "us-east-1", SVC_EC2MESSAGES);
    add_conn(t, "52.94.0.2", FC_TCP_TIMEOUT);
    apply(&r, "3.3.40.0");
    assert_null(find(&r, "ec2messages_optional"));
    assert_int_equal(t->status, STATUS_FAIL);
    assert_int_equal(r.status, STATUS_FAIL);
    report_free(&r);

    /* ec2messages works: nothing to say. */
    report_init(&r);
    add_conn(add_target(&r, "us-east-1", SVC_SSMMESSAGES), "52.94.0.1", FC_NONE);
    add_conn(add_target(&r, "us-east-1", SVC_EC2MESSAGES), "52.94.0.2", FC_NONE);
    apply(&r, "3.2.0.0");
    assert_null(find(&r, "ec2messages_optional"));
    assert_int_equal(r.status, STATUS_OK);
    report_free(&r);
}

/* ---- version comparison, hints ----------------------------------------- */

static void test_version_cmp(void **state)
{
    static const struct {
        const char *a, *b;
        int sign;
    } cases[] = {
        { "3.3.40.0", "3.3.40.0", 0 },
        { "3.3.40", "3.3.40.0", 0 },
        { "3.3.40.0", "3.3.39.0", 1 },
        { "3.3.39.9", "3.3.40.0", -1 },
        { "3.10.0.0", "3.9.0.0", 1 },          /* numeric, not lexical */
        { "3.3.131.0", "3.3.40.0", 1 },
        { "3.2.0.0", "3.3.40.0", -1 },
        { "2.3.68.0", "2.3.539.0", -1 },
        { "3.0.222.0", "3.0.284.0", -1 },
        { "4", "3.99.99.99", 1 },
        { "3.3.40.1", "3.3.40.0", 1 },
        { "0.0.0.0", "0", 0 },
        { "", "0.0.0.0", 0 },
        { "10.0.0.0", "9.9.9.9", 1 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        int got = verdict_version_cmp(cases[i].a, cases[i].b);
        int sign = got < 0 ? -1 : got > 0 ? 1 : 0;
        if (sign != cases[i].sign)
            fail_msg("verdict_version_cmp(\"%s\", \"%s\") = %d, want sign %d", cases[i].a,
                     cases[i].b, got, cases[i].sign);
        int rev = verdict_version_cmp(cases[i].b, cases[i].a);
        int rsign = rev < 0 ? -1 : rev > 0 ? 1 : 0;
        if (rsign != -cases[i].sign)
            fail_msg("verdict_version_cmp(\"%s\", \"%s\") not antisymmetric", cases[i].b,
                     cases[i].a);
    }
}

static void test_hints(void **state)
{
    (void)state;
    for (int c = FC_NONE + 1; c < FC_COUNT; c++) {
        const char *h = verdict_hint((enum fail_code)c);
        assert_non_null(h);
        if (strlen(h) < 30)
            fail_msg("hint for %s is missing or too short: '%s'", fail_code_name((enum fail_code)c), h);
    }
    assert_string_equal(verdict_hint(FC_NONE), "");
    assert_contains(verdict_hint(FC_TCP_TIMEOUT), "NACL");
    assert_contains(verdict_hint(FC_PROXY_AUTH_REQUIRED), "credentials");
    assert_contains(verdict_hint(FC_TLS_EXPIRED), "clock");
}

/* ---- conn_classify_connect --------------------------------------------- */

static void test_classify_icmp4(void **state)
{
    /* ICMP type 3 (destination unreachable), SPEC: code 0 net, 1 host,
     * 13 (also 9/10) admin; port unreachable is a refusal. */
    static const struct {
        int code;
        enum fail_code want;
    } cases[] = {
        { 0, FC_NET_UNREACHABLE },
        { 1, FC_HOST_UNREACHABLE },
        { 3, FC_TCP_REFUSED },
        { 6, FC_NET_UNREACHABLE },     /* destination network unknown */
        { 7, FC_HOST_UNREACHABLE },    /* destination host unknown */
        { 9, FC_ADMIN_PROHIBITED },
        { 10, FC_ADMIN_PROHIBITED },
        { 11, FC_NET_UNREACHABLE },
        { 12, FC_HOST_UNREACHABLE },
        { 13, FC_ADMIN_PROHIBITED },
        { 14, FC_ADMIN_PROHIBITED },
        { 15, FC_ADMIN_PROHIBITED },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        /* The ICMP code decides whatever errno the kernel reported. */
        static const int errs[] = { UV_EHOSTUNREACH, UV_ENETUNREACH, UV_ECONNREFUSED, UV_ETIMEDOUT };
        for (size_t e = 0; e < N(errs); e++) {
            enum fail_code got = conn_classify_connect(errs[e], 4, 3, cases[i].code);
            if (got != cases[i].want)
                fail_msg("ICMP 3/%d with %s: %s, want %s", cases[i].code, uv_err_name(errs[e]),
                         fail_code_name(got), fail_code_name(cases[i].want));
        }
    }
}

static void test_classify_icmp6(void **state)
{
    /* ICMPv6 type 1 (destination unreachable), RFC 4443 codes. */
    static const struct {
        int code;
        enum fail_code want;
    } cases[] = {
        { 0, FC_NET_UNREACHABLE },     /* no route */
        { 1, FC_ADMIN_PROHIBITED },    /* administratively prohibited */
        { 2, FC_ADMIN_PROHIBITED },    /* beyond scope of source address */
        { 3, FC_HOST_UNREACHABLE },    /* address unreachable */
        { 4, FC_TCP_REFUSED },         /* port unreachable */
        { 5, FC_ADMIN_PROHIBITED },    /* source address failed policy */
        { 6, FC_ADMIN_PROHIBITED },    /* reject route */
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        enum fail_code got = conn_classify_connect(UV_EHOSTUNREACH, 6, 1, cases[i].code);
        if (got != cases[i].want)
            fail_msg("ICMPv6 1/%d: %s, want %s", cases[i].code, fail_code_name(got),
                     fail_code_name(cases[i].want));
    }
}

static void test_classify_errno(void **state)
{
    static const struct {
        int uv;
        int fam, type, code;
        enum fail_code want;
    } cases[] = {
        /* no ICMP: errno decides */
        { UV_ECONNREFUSED, -1, -1, -1, FC_TCP_REFUSED },
        { UV_ENETUNREACH, -1, -1, -1, FC_NET_UNREACHABLE },
        { UV_EHOSTUNREACH, -1, -1, -1, FC_HOST_UNREACHABLE },
        { UV_EPERM, -1, -1, -1, FC_ADMIN_PROHIBITED },      /* local firewall REJECT/DROP */
        { UV_EACCES, -1, -1, -1, FC_ADMIN_PROHIBITED },
        { UV_ETIMEDOUT, -1, -1, -1, FC_TCP_TIMEOUT },
        /* ICMP that is not destination-unreachable: errno decides */
        { UV_ETIMEDOUT, 4, 11, 0, FC_TCP_TIMEOUT },          /* time exceeded */
        { UV_EHOSTUNREACH, 4, 11, 0, FC_HOST_UNREACHABLE },
        { UV_ENETUNREACH, 6, 3, 0, FC_NET_UNREACHABLE },     /* ICMPv6 time exceeded */
        /* v4 type/code under family 6 (and vice versa) is not mixed up */
        { UV_ECONNREFUSED, 6, 3, 13, FC_TCP_REFUSED },
        { UV_ETIMEDOUT, 4, 1, 1, FC_TCP_TIMEOUT },
        /* unknown ICMP code: errno decides */
        { UV_EHOSTUNREACH, 4, 3, 2, FC_HOST_UNREACHABLE },   /* protocol unreachable */
        { UV_ENETUNREACH, 4, 3, 99, FC_NET_UNREACHABLE },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        enum fail_code got = conn_classify_connect(cases[i].uv, cases[i].fam, cases[i].type,
                                                   cases[i].code);
        if (got != cases[i].want)
            fail_msg("case %zu (%s, ICMP fam %d %d/%d): %s, want %s", i,
                     uv_err_name(cases[i].uv), cases[i].fam, cases[i].type, cases[i].code,
                     fail_code_name(got), fail_code_name(cases[i].want));
        assert_int_equal(fail_code_phase(got), PHASE_TCP);
    }
}

/* ---- VPC endpoint certificate and session-logging endpoints ------------- */

static void test_vpce_cert_mismatch(void **state)
{
    struct report r;
    (void)state;
    report_init(&r);
    struct target_result *t = add_target(&r, "us-east-1", SVC_SSM);
    struct conn_result *c = add_conn(t, "10.0.1.5", FC_TLS_HOSTNAME_MISMATCH);
    c->tls.subject = strdup("CN=*.vpce.example");
    apply(&r, NULL);
    struct finding *f = find(&r, "vpce_cert_mismatch");
    assert_non_null(f);
    assert_int_equal(f->severity, STATUS_FAIL);
    assert_contains(f->message, "10.0.1.5");
    assert_contains(f->message, "CN=*.vpce.example");
    assert_true(finding_names(f, t->host));
    report_free(&r);

    /* A public address with a wrong certificate is not a VPC endpoint issue. */
    report_init(&r);
    t = add_target(&r, "us-east-1", SVC_SSM);
    add_conn(t, "3.3.3.3", FC_TLS_HOSTNAME_MISMATCH);
    apply(&r, NULL);
    assert_null(find(&r, "vpce_cert_mismatch"));
    report_free(&r);
}

static void test_session_logging_endpoints(void **state)
{
    struct report r;
    (void)state;
    /* Private core, logs public, s3 failing: two warnings naming each. */
    report_init(&r);
    add_conn(add_target(&r, "eu-west-1", SVC_SSM), "10.0.1.5", FC_NONE);
    add_conn(add_target(&r, "eu-west-1", SVC_SSMMESSAGES), "10.0.1.6", FC_NONE);
    add_conn(add_target(&r, "eu-west-1", SVC_EC2MESSAGES), "10.0.1.7", FC_NONE);
    add_conn(add_target(&r, "eu-west-1", SVC_LOGS), "3.4.5.6", FC_NONE);
    add_conn(add_target(&r, "eu-west-1", SVC_S3), "3.5.6.7", FC_TCP_TIMEOUT);
    apply(&r, NULL);
    int n = 0;
    for (int i = 0; i < r.nfindings; i++) {
        if (strcmp(r.findings[i].code, "session_logging_endpoint") != 0)
            continue;
        n++;
        assert_int_equal(r.findings[i].severity, STATUS_WARN);
        assert_true(strstr(r.findings[i].message, "logs.eu-west-1") ||
                    strstr(r.findings[i].message, "s3.eu-west-1"));
    }
    assert_int_equal(n, 2);
    report_free(&r);

    /* An S3 gateway endpoint keeps public addresses: reachable s3 is fine;
     * a private logs endpoint is fine. */
    report_init(&r);
    add_conn(add_target(&r, "eu-west-1", SVC_SSM), "10.0.1.5", FC_NONE);
    add_conn(add_target(&r, "eu-west-1", SVC_LOGS), "10.0.1.9", FC_NONE);
    add_conn(add_target(&r, "eu-west-1", SVC_S3), "3.5.6.7", FC_NONE);
    apply(&r, NULL);
    for (int i = 0; i < r.nfindings; i++)
        assert_string_not_equal(r.findings[i].code, "session_logging_endpoint");
    report_free(&r);

    /* Public core: logging endpoints are not singled out. */
    report_init(&r);
    add_conn(add_target(&r, "eu-west-1", SVC_SSM), "3.1.1.1", FC_NONE);
    add_conn(add_target(&r, "eu-west-1", SVC_S3), "3.5.6.7", FC_TCP_TIMEOUT);
    apply(&r, NULL);
    for (int i = 0; i < r.nfindings; i++)
        assert_string_not_equal(r.findings[i].code, "session_logging_endpoint");
    report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dns_failure),
        cmocka_unit_test(test_no_address),
        cmocka_unit_test(test_all_conns_fail),
        cmocka_unit_test(test_first_failure_by_order),
        cmocka_unit_test(test_some_conns_fail),
        cmocka_unit_test(test_all_ok),
        cmocka_unit_test(test_admin_prohibited_icmp_source),
        cmocka_unit_test(test_interrupted),
        cmocka_unit_test(test_tls_intercepted_trusted),
        cmocka_unit_test(test_tls_intercepted_untrusted),
        cmocka_unit_test(test_tls_not_intercepted),
        cmocka_unit_test(test_clock_skew),
        cmocka_unit_test(test_clock_skew_largest_wins),
        cmocka_unit_test(test_vpce_partial),
        cmocka_unit_test(test_vpce_partial_negative),
        cmocka_unit_test(test_vpce_placement),
        cmocka_unit_test(test_ipv6_broken),
        cmocka_unit_test(test_ipv6_broken_negative),
        cmocka_unit_test(test_dns_resolver_failed),
        cmocka_unit_test(test_large_hello_blocked),
        cmocka_unit_test(test_ec2messages_optional),
        cmocka_unit_test(test_ec2messages_optional_negative),
        cmocka_unit_test(test_version_cmp),
        cmocka_unit_test(test_hints),
        cmocka_unit_test(test_classify_icmp4),
        cmocka_unit_test(test_classify_icmp6),
        cmocka_unit_test(test_classify_errno),
        cmocka_unit_test(test_vpce_cert_mismatch),
        cmocka_unit_test(test_session_logging_endpoints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
