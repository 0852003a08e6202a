/* result.h — the result model: plain structs the probes fill and the
 * renderers read.
 *
 * Data flows one way: probes (dns.c, conn.c) write facts here, verdict.c
 * derives statuses, failures and findings from these facts alone, and the
 * renderers (report_*.c) format them. Times are mono_ns stamps from
 * uv_hrtime(); 0 means "did not happen". Strings are fixed buffers or
 * malloced where noted; result_free() releases everything. */
#ifndef SSMPROBE_RESULT_H
#define SSMPROBE_RESULT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "options.h"
#include "regions.h"

enum status { STATUS_PENDING = 0, STATUS_OK, STATUS_INFO, STATUS_WARN, STATUS_FAIL };

enum phase { PHASE_NONE = 0, PHASE_DNS, PHASE_TCP, PHASE_PROXY, PHASE_TLS, PHASE_HTTP };

/* SPEC "Verdicts and failure codes", plus "interrupted" for Ctrl-C. */
enum fail_code {
    FC_NONE = 0,
    FC_DNS_NXDOMAIN, FC_DNS_NODATA, FC_DNS_SERVFAIL, FC_DNS_REFUSED, FC_DNS_TIMEOUT,
    FC_DNS_NO_SERVER,
    FC_TCP_TIMEOUT, FC_TCP_REFUSED, FC_NET_UNREACHABLE, FC_HOST_UNREACHABLE,
    FC_ADMIN_PROHIBITED,
    FC_PROXY_UNREACHABLE, FC_PROXY_TIMEOUT, FC_PROXY_AUTH_REQUIRED, FC_PROXY_DENIED,
    FC_PROXY_UPSTREAM_FAILED, FC_PROXY_BAD_RESPONSE,
    FC_TLS_TIMEOUT, FC_TLS_RESET, FC_TLS_UNTRUSTED, FC_TLS_HOSTNAME_MISMATCH, FC_TLS_EXPIRED,
    FC_TLS_PROTOCOL,
    FC_HTTP_TIMEOUT, FC_HTTP_NOT_AWS, FC_HTTP_BAD_RESPONSE,
    FC_INTERRUPTED,
    FC_COUNT
};

const char *status_name(enum status s);   /* "ok", "info", "warn", "fail" */
const char *phase_name(enum phase p);     /* "dns", … */
const char *fail_code_name(enum fail_code c);
enum phase fail_code_phase(enum fail_code c);

#define MSG_LEN 320
#define HINT_LEN 400

struct failure {
    enum fail_code code;      /* FC_NONE: no failure */
    enum phase phase;
    char message[MSG_LEN];    /* what happened, with numbers */
    char hint[HINT_LEN];      /* what to check or change */
};

enum addr_scope { SCOPE_PUBLIC, SCOPE_PRIVATE, SCOPE_LOOPBACK, SCOPE_LINK_LOCAL, SCOPE_OTHER };
const char *scope_name(enum addr_scope s);

struct dns_address {
    char address[INET6_ADDRSTRLEN];
    int family;               /* 4 or 6 */
    int ttl;                  /* seconds; -1 unknown (hosts, --resolve) */
    enum addr_scope scope;
};

enum dns_source { DNS_SOURCE_DNS, DNS_SOURCE_HOSTS, DNS_SOURCE_RESOLVE, DNS_SOURCE_LITERAL };
const char *dns_source_name(enum dns_source s);

/* Outcome of one query (A or AAAA) against the resolvers. */
struct dns_query {
    bool asked;
    mono_ns start, end;
    int ares_status;          /* ARES_SUCCESS, ARES_ENOTFOUND, … */
    char rcode[12];           /* "NOERROR", "NXDOMAIN", … or "" when no answer */
    char server[72];          /* "ADDR:PORT" that answered, or "" */
    int naddrs;
};

/* One resolver that timed out or failed while another answered. */
struct dns_server_fault {
    char server[72];
    char what[24];            /* "timeout", "SERVFAIL", "REFUSED", "unreachable" */
};

struct dns_result {
    bool performed;           /* false: via proxy (dns is null in JSON) */
    mono_ns start, end;
    enum dns_source source;
    char server[72];
    char rcode[12];
    char **cname;             /* malloced chain (owner names renamed), ncname entries */
    int ncname;
    struct dns_address *addrs;/* malloced */
    int naddrs;
    char error[MSG_LEN];      /* "" when no error */
    enum fail_code code;      /* FC_NONE when resolved */
    struct dns_query q[2];    /* [0] A, [1] AAAA */
    struct dns_server_fault faults[4];
    int nfaults;
};

struct tls_result {
    bool done;                /* handshake completed */
    char version[16];
    char cipher[64];
    char alpn[32];            /* "" = null */
    long verify_code;         /* X509_V_OK = 0 */
    char verify[96];          /* "ok" or OpenSSL's text */
    char *subject;            /* malloced RFC 2253 strings, NULL when absent */
    char *issuer;
    char *root;               /* top of the chain (verified, else as sent) */
    char *root_org;           /* O= of that certificate */
    char **sans;              /* malloced DNS/IP SANs of the leaf */
    int nsans;
    char not_after[32];       /* "2027-06-01T00:00:00Z" or "" */
    bool expired;
    bool intercepted;         /* root's O= neither Amazon nor Starfield */
};

struct large_hello_result {
    enum status status;       /* PENDING = not performed */
    int bytes;                /* ClientHello record size sent */
    mono_ns start, end;
    char error[MSG_LEN];
};

struct http_result {
    bool done;                /* a full response head was parsed */
    int status;               /* 0 when none */
    char server_date[32];     /* ISO 8601 of Date:, "" when absent */
    bool have_skew;
    double clock_skew_s;      /* local - server, seconds (server Date has 1 s resolution) */
    char request_id[96];
    char server[64];
    bool aws;
};

struct conn_result {
    char address[INET6_ADDRSTRLEN];  /* the endpoint's address ("" via proxy) */
    int family;
    enum addr_scope scope;
    bool via_proxy;
    enum status status;
    mono_ns t_start;          /* connect() issued */
    mono_ns t_tcp;            /* connected */
    mono_ns t_tcp_end;        /* connect outcome, success or failure (tcp_ms) */
    mono_ns t_proxy;          /* CONNECT answered 2xx */
    mono_ns t_tls_start, t_tls;
    mono_ns t_req;            /* request written */
    mono_ns t_first_byte;     /* first response byte */
    mono_ns t_done;           /* response head (and small body) read */
    struct tls_result tls;
    struct large_hello_result large_hello;
    struct http_result http;
    struct failure failure;
    char icmp_from[INET6_ADDRSTRLEN]; /* who sent the ICMP error, "" if none */
    int sys_errno;            /* errno of a failed connect, 0 if none */
};

/* One step of a target's timeline (--trace, NDJSON). */
struct event {
    mono_ns t;
    const char *name;         /* static string: "dns_query", "tcp_connected", … */
    int conn;                 /* index into conns, -1 for the target */
    char detail[160];         /* human text, already free of secrets */
};

enum endpoint_kind { EK_PUBLIC, EK_VPC_ENDPOINT, EK_CUSTOM, EK_PROXY, EK_UNKNOWN };
const char *endpoint_kind_name(enum endpoint_kind k);

struct target_result {
    char region[64];
    enum service service;
    char host[256];
    int port;
    enum endpoint_kind endpoint_kind;
    char endpoint_source[64]; /* config key or flag that chose the host, "" default */
    bool variant_name;        /* a --fips / --dualstack name: may not be offered */
    bool variant_published;   /* the published data lists that name */
    enum status status;
    struct failure failure;   /* the first phase that broke, for the target */
    mono_ns t_start, t_end;
    struct dns_result dns;
    struct conn_result *conns;/* malloced */
    int nconns;
    struct event *events;     /* malloced timeline */
    int nevents, events_cap;
    bool finished;
};

struct finding {
    enum status severity;     /* STATUS_INFO, WARN, FAIL */
    char code[40];
    char message[MSG_LEN * 2];
    char hint[HINT_LEN];
    char **targets;           /* malloced host names */
    int ntargets;
};

struct imds_context {
    bool queried;
    enum status status;
    double ms;
    char region[64], instance_id[64], iam_role[128], credentials[32];
    char error[MSG_LEN];
};

/* One line of the agent's errors.log that matched a known connectivity
 * error (hostcheck.c), already sanitised for display. */
struct host_log_line {
    char time[24];            /* "2026-11-29 10:00:00" (agent's local time), "" unknown */
    char kind[24];            /* "dns", "tcp_timeout", "tls", … (hostcheck_log_kind) */
    char text[240];           /* the line after its timestamp, secrets masked, truncated */
};

struct host_context {
    bool checked;
    char os[128];
    char agent_version[32];
    int agent_running;        /* -1 unknown */
    int ssm_user;             /* -1 unknown */
    /* Added by hostcheck.c (host checks): */
    char os_id[32];           /* os-release ID, "" unknown */
    char os_version_id[32];   /* os-release VERSION_ID, "" unknown */
    int os_supported;         /* 1 listed, 0 release too old, -1 unknown or not listed */
    int agent_installed;      /* -1 unknown, 0 no, 1 yes */
    char agent_source[16];    /* where the version came from: "binary", "snap", "dpkg", "rpm", "" */
    long agent_pid;           /* 0 when not found */
    int hybrid_registration;  /* 0 none, 1 present (even if unreadable to us) */
    char managed_instance_id[128]; /* "mi-…" from the registration file, "" none */
    int nlog_lines;           /* entries used in log_lines */
    struct host_log_line log_lines[5]; /* newest connectivity errors, oldest first */
};

struct proxy_context {
    bool configured;
    char *url;                /* malloced, credentials already redacted */
    char source[160];
    char *noproxy;            /* malloced or NULL */
};

struct report {
    struct timespec started_at; /* wall clock when the run began */
    mono_ns t_start, t_end;
    enum status status;
    char **regions; int nregions;  /* malloced */
    char region_source[32];
    char **resolvers; int nresolvers; /* malloced "ADDR:PORT" */
    struct proxy_context proxy;
    struct imds_context imds;
    struct host_context host;
    struct target_result *targets;  /* malloced */
    int ntargets;
    struct finding *findings;       /* malloced */
    int nfindings;
    bool interrupted;
};

void report_init(struct report *r);
void report_free(struct report *r);
struct target_result *report_add_target(struct report *r);
struct finding *report_add_finding(struct report *r, enum status sev, const char *code);
void finding_add_target(struct finding *f, const char *host);
void target_add_event(struct target_result *t, mono_ns when, const char *name, int conn,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Observer of events as they happen (the NDJSON renderer registers one);
 * target_add_event() calls it after recording the event. */
typedef void (*event_hook_fn)(const struct target_result *t, const struct event *e, void *arg);
void result_set_event_hook(event_hook_fn hook, void *arg);

/* Whether target_add_event() keeps the timeline in the model (default
 * true; the probe keeps it only for --trace). The hook sees every event. */
void result_set_keep_events(bool keep);

void failure_set(struct failure *f, enum fail_code code, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Count targets by status for the summary (info counts as ok). */
void report_count(const struct report *r, int *ok, int *warn, int *fail);

/* Milliseconds between two stamps, or -1 when either is 0. */
double ns_to_ms(mono_ns from, mono_ns to);

#endif
