/* imds.h — the EC2 instance metadata service (IMDS) client.
 *
 * imds_run() runs its own libuv loop (created and closed inside), talks
 * directly to the IMDS address (never through a proxy) and fills a plain
 * struct imds_result. One fresh TCP connection per request, Connection:
 * close, TCP_NODELAY; each request bounded by per_request_timeout, the
 * whole sequence by total_timeout:
 *
 *   PUT  /latest/api/token                      (X-aws-ec2-metadata-token-ttl-seconds: 60)
 *   GET  /latest/meta-data/placement/region
 *   GET  /latest/meta-data/instance-id
 *   GET  /latest/meta-data/iam/info             (404: no instance profile)
 *   GET  /latest/meta-data/iam/security-credentials/       (role name)
 *   GET  /latest/meta-data/iam/security-credentials/ROLE   (only Code, Expiration read)
 *   GET  /latest/meta-data/network/interfaces/macs/        (first MAC)
 *   GET  /latest/meta-data/network/interfaces/macs/MAC/vpc-ipv4-cidr-blocks
 *
 * The GETs carry the token (X-aws-ec2-metadata-token) when the PUT gave one;
 * else they go without it (IMDSv1 fallback, recorded). Secrets — the token,
 * AccessKeyId, SecretAccessKey, Token — are never stored in the result,
 * never in an error string, and their buffers are wiped before being freed.
 *
 * Nothing here prints; imds_report() turns a result into findings. */
#ifndef SSMPROBE_IMDS_H
#define SSMPROBE_IMDS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include "options.h"
#include "result.h"

#define IMDS_DEFAULT_URL "http://169.254.169.254"
#define IMDS_MAX_CIDRS 16
#define IMDS_CIDR_LEN 20          /* "255.255.255.255/32" + NUL */
#define IMDS_BODY_MAX 65536       /* bodies larger than this are refused */
#define IMDS_TOKEN_MAX 512        /* longer tokens are treated as unusable */

/* The requests, in the order they are made. */
enum imds_req_kind {
    IMDS_REQ_TOKEN = 0,
    IMDS_REQ_REGION,
    IMDS_REQ_INSTANCE_ID,
    IMDS_REQ_IAM_INFO,
    IMDS_REQ_ROLES,
    IMDS_REQ_CREDENTIALS,
    IMDS_REQ_MACS,
    IMDS_REQ_CIDRS,
    IMDS_REQ_COUNT
};

enum imds_outcome {
    IMDS_OUT_NOT_SENT = 0,    /* not made (skipped or stopped before) */
    IMDS_OUT_ANSWERED,        /* a complete HTTP response (any status) */
    IMDS_OUT_CONNECT_FAILED,  /* connect refused / unreachable */
    IMDS_OUT_CONNECT_TIMEOUT, /* no TCP connection within the per-request bound */
    IMDS_OUT_TIMEOUT,         /* connected, but no complete answer in time */
    IMDS_OUT_CLOSED,          /* connection closed before a complete answer */
    IMDS_OUT_BAD_RESPONSE,    /* not HTTP, or truncated */
    IMDS_OUT_TOO_LARGE,       /* head or body past the caps */
    IMDS_OUT_TOTAL_TIMEOUT    /* cut short by the total bound */
};

/* One request's record (nothing secret: the paths hold at most the role
 * name and the MAC). */
struct imds_request {
    const char *name;         /* static: "token", "region", "instance_id", "iam_info",
                                 "roles", "credentials", "macs", "vpc_cidrs" */
    char method[4];           /* "PUT", "GET" */
    char path[192];
    bool with_token;          /* sent X-aws-ec2-metadata-token */
    enum imds_outcome outcome;
    int http_status;          /* 0: no answer */
    double connect_ms;        /* -1: no connection */
    double ms;                /* start to outcome; -1: not sent */
    char error[160];          /* "" when answered */
};

struct imds_result {
    enum status status;       /* OK, WARN or FAIL (PENDING: not run) */
    double ms;                /* whole sequence */
    char endpoint[80];        /* "169.254.169.254:80", "[fd00:ec2::254]:80" */
    bool reachable;           /* a TCP connection to IMDS was made */
    bool token_ok;            /* IMDSv2 token obtained */
    bool v1_fallback;         /* metadata read without a token */
    bool put_timed_out;       /* TCP worked, the token PUT got no answer in time */
    int put_status;           /* HTTP status of the token PUT, 0 none */
    bool v1_disabled;         /* a GET without token got 401 (HttpTokens=required) */
    bool no_profile;          /* iam/info 404 */
    bool incomplete;          /* some request failed or the total bound cut the run */
    bool total_timed_out;
    char region[64];
    char instance_id[64];
    char iam_role[128];
    char profile_arn[256];
    char credentials[16];     /* "ok", "expired", "missing", "error", "" (not asked) */
    char credentials_code[48];/* the Code field ("Success", …), "" */
    char credentials_expiration[32]; /* ISO 8601 as IMDS gave it, "" */
    long credentials_expired_s; /* seconds since expiry when expired, else 0 */
    char mac[32];
    char vpc_cidrs[IMDS_MAX_CIDRS][IMDS_CIDR_LEN];
    int nvpc_cidrs;
    char error[MSG_LEN];      /* "" when status is OK; the main reason otherwise */
    struct imds_request req[IMDS_REQ_COUNT];
};

/* Run the sequence. Returns 0 (result in *out, whatever IMDS did), or -1
 * when base_url is not http://IPv4[:PORT] or http://[IPv6][:PORT] (reason in
 * out->error; the CLI makes that exit 2). Timeouts of 0 mean 1 s / 3 s. */
int imds_run(const char *base_url, dur_ns per_request_timeout, dur_ns total_timeout,
             struct imds_result *out);

/* SPEC context.imds: status, ms, region, instance_id, iam_role, credentials, error. */
void imds_fill_context(const struct imds_result *res, struct imds_context *ctx);

/* Findings: imds_unreachable (warn; info when !explicit_request),
 * imds_hop_limit (fail), imds_v1_disabled (fail: no token and 401 without),
 * imds_v1_fallback (warn), no_instance_profile (warn; fail when the agent is
 * older than 3.2.582.0 or IMDSv2 is unavailable), credentials_missing and
 * credentials_expired (fail), imds_incomplete (warn). agent_version may be
 * NULL (unknown). */
void imds_report(const struct imds_result *res, const char *agent_version,
                 bool explicit_request, struct report *r);

/* Auto mode: does this look like EC2? DMI under root (sys_vendor,
 * board_asset_tag "i-…", bios_vendor / product_version with "amazon"),
 * /sys/hypervisor/uuid starting with "ec2". When none is readable: true only
 * if AWS_EXECUTION_ENV or the ECS variables are set. root NULL or "" = "/". */
bool imds_looks_like_ec2(const char *root);

/* ---- pure helpers, exposed for the unit tests ---- */

/* Parse http://HOST[:PORT][/] with HOST a numeric IPv4 or [IPv6] literal.
 * Fills sa (port in network order), endpoint ("HOST:PORT" with IPv6 in
 * brackets) and host_header ("HOST" or "HOST:PORT" when not 80). 0 or -1. */
int imds_parse_url(const char *url, struct sockaddr_storage *sa, char *endpoint,
                   size_t endpoint_len, char *host_header, size_t host_header_len,
                   char *err, size_t errlen);

/* Copy the string values of the named top-level keys of a JSON object;
 * other values (the secrets) are skipped without being copied. Keys not
 * found leave outs[i] = "". 0, or -1 when the document is malformed. */
int imds_json_strings(const char *s, size_t len, const char *const keys[], char *const outs[],
                      const size_t outlens[], int nkeys);

/* Classify a security-credentials/ROLE document at time now: "ok",
 * "expired" (Expiration <= now), "missing" (Code other than Success),
 * "error" (malformed). Copies Code and Expiration (either may be NULL). */
const char *imds_classify_credentials(const char *body, size_t len, time_t now,
                                      char *code, size_t codelen, char *expiration,
                                      size_t explen, long *expired_s);

/* The IPv4 CIDR lines of a vpc-ipv4-cidr-blocks body; invalid lines skipped.
 * Returns how many were stored (at most max). */
int imds_parse_cidrs(const char *body, size_t len, char out[][IMDS_CIDR_LEN], int max);

/* Parse "2026-11-29T10:00:00Z" (fraction and +00:00 allowed); -1 if malformed. */
time_t imds_parse_iso8601(const char *s);

#endif
