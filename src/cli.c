/* cli.c — the probe command line: one option table drives parsing, --help
 * and the man-page consistency test. Values are validated here so that a
 * bad flag costs exit 2 and one clear line, before any packet is sent. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addr.h"
#include "msgs.h"
#include "options.h"

enum opt_id {
    OPT_REGION = 'r', OPT_SERVICES = 's', OPT_OUTPUT = 'o', OPT_QUIET = 'q',
    OPT_VERBOSE = 'v', OPT_HELP = 'h', OPT_VERSION = 'V', OPT_IPV4 = '4', OPT_IPV6 = '6',
    OPT_ALL_REGIONS = 256, OPT_PARTITION, OPT_FIPS, OPT_DUALSTACK, OPT_ENDPOINT,
    OPT_AGENT_CONFIG, OPT_PORT, OPT_DNS_SERVER, OPT_RESOLVE, OPT_PROXY, OPT_NOPROXY,
    OPT_PROXY_SOURCE, OPT_CA_FILE, OPT_CA_PATH, OPT_TIMEOUT, OPT_CONNECT_TIMEOUT,
    OPT_DNS_TIMEOUT, OPT_NO_LARGE_HELLO, OPT_ALL_ADDRESSES, OPT_FIRST_ADDRESS,
    OPT_CONCURRENCY, OPT_IMDS, OPT_NO_IMDS, OPT_IMDS_ENDPOINT, OPT_HOST_CHECKS,
    OPT_NO_HOST_CHECKS, OPT_ROOT, OPT_JSON, OPT_TRACE, OPT_COLOR,
};

struct opt_def {
    const char *name;         /* long name without dashes */
    int id;                   /* short letter or OPT_* */
    const char *arg;          /* argument name, NULL for a flag */
    const char *help;
};

/* Order here is the order of --help. */
static const struct opt_def opt_table[] = {
    {"region", OPT_REGION, "LIST", "regions to probe, comma-separated (default: discovered)"},
    {"all-regions", OPT_ALL_REGIONS, NULL, "every region of --partition"},
    {"partition", OPT_PARTITION, "P", "aws, aws-cn, aws-us-gov, aws-eusc, aws-iso*, all"},
    {"services", OPT_SERVICES, "LIST", "ssm,ssmmessages,ec2messages,s3,kms,logs,sts,monitoring,ec2|all"},
    {"fips", OPT_FIPS, NULL, "probe the FIPS endpoint names"},
    {"dualstack", OPT_DUALSTACK, NULL, "probe the dual-stack endpoint names"},
    {"endpoint", OPT_ENDPOINT, "SVC=URL", "override one service's endpoint (repeatable)"},
    {"agent-config", OPT_AGENT_CONFIG, "FILE", "the agent's JSON config"},
    {"ipv4", OPT_IPV4, NULL, "only IPv4 addresses (-4)"},
    {"ipv6", OPT_IPV6, NULL, "only IPv6 addresses (-6)"},
    {"port", OPT_PORT, "N", "TCP port (default 443)"},
    {"dns-server", OPT_DNS_SERVER, "LIST", "resolvers ADDR[:PORT], [ADDR6]:PORT, in order"},
    {"resolve", OPT_RESOLVE, "H:P:A[,A]", "skip DNS for host H (curl syntax; repeatable)"},
    {"proxy", OPT_PROXY, "URL", "HTTP proxy http://[user:pass@]host:port for CONNECT"},
    {"noproxy", OPT_NOPROXY, "LIST", "hosts/domains/CIDRs that bypass the proxy"},
    {"proxy-source", OPT_PROXY_SOURCE, "S", "env, agent or none (default env, then agent)"},
    {"ca-file", OPT_CA_FILE, "FILE", "trust store file (default: system store)"},
    {"ca-path", OPT_CA_PATH, "DIR", "trust store directory"},
    {"timeout", OPT_TIMEOUT, "SECS", "bound on one target, first query to verdict (10)"},
    {"connect-timeout", OPT_CONNECT_TIMEOUT, "SECS", "bound on one TCP connect (5)"},
    {"dns-timeout", OPT_DNS_TIMEOUT, "SECS", "bound on one resolution (5)"},
    {"no-large-hello", OPT_NO_LARGE_HELLO, NULL, "skip the handshake with a large ClientHello"},
    {"all-addresses", OPT_ALL_ADDRESSES, NULL, "connect to every resolved address (default)"},
    {"first-address", OPT_FIRST_ADDRESS, NULL, "connect to the first address of each family"},
    {"concurrency", OPT_CONCURRENCY, "N", "simultaneous connections at most (64)"},
    {"imds", OPT_IMDS, NULL, "query the instance metadata service"},
    {"no-imds", OPT_NO_IMDS, NULL, "do not query the instance metadata service"},
    {"imds-endpoint", OPT_IMDS_ENDPOINT, "URL", "IMDS base URL (http://169.254.169.254)"},
    {"host-checks", OPT_HOST_CHECKS, NULL, "check OS, agent, ssm-user, config, clock (default)"},
    {"no-host-checks", OPT_NO_HOST_CHECKS, NULL, "skip the local host checks"},
    {"root", OPT_ROOT, "DIR", "read host files under DIR (default /)"},
    {"output", OPT_OUTPUT, "FMT", "text, json or ndjson (default text)"},
    {"json", OPT_JSON, NULL, "same as -o json"},
    {"trace", OPT_TRACE, NULL, "text: add each target's event timeline"},
    {"color", OPT_COLOR, "WHEN", "auto, always or never (NO_COLOR honoured)"},
    {"quiet", OPT_QUIET, NULL, "print nothing; exit status only"},
    {"verbose", OPT_VERBOSE, NULL, "more detail (repeatable)"},
    {"help", OPT_HELP, NULL, "show this help"},
    {"version", OPT_VERSION, NULL, "show the version"},
};
#define NOPTS (sizeof opt_table / sizeof opt_table[0])

static void print_help(void)
{
    printf("Usage: ssmprobe [OPTIONS] [REGION...]\n"
           "       ssmprobe policy [OPTIONS] FILE...\n"
           "       ssmprobe regions [--partition P] [-o json]\n\n"
           "Can this machine reach AWS Systems Manager (Session Manager)? If not, where\n"
           "does it break and what to change.\n\nOptions:\n");
    for (size_t i = 0; i < NOPTS; i++) {
        const struct opt_def *d = &opt_table[i];
        char left[48];
        char shortpart[8] = "    ";
        if (d->id < 256 && d->id != OPT_IPV4 && d->id != OPT_IPV6)
            snprintf(shortpart, sizeof shortpart, "-%c, ", d->id);
        else if (d->id == OPT_IPV4 || d->id == OPT_IPV6)
            snprintf(shortpart, sizeof shortpart, "-%c, ", d->id);
        snprintf(left, sizeof left, "%s--%s%s%s", shortpart, d->name, d->arg ? " " : "",
                 d->arg ? d->arg : "");
        printf("  %-30s %s\n", left, d->help);
    }
    printf("\nExit status: 0 all passed, 1 a target or check failed, 2 usage error,"
           " 3 internal error.\nSee ssmprobe(1).\n");
}

void options_init(struct options *o)
{
    memset(o, 0, sizeof *o);
    o->partition = xstrdup("aws");
    o->services = SVC_DEFAULT_MASK;
    o->port = 443;
    o->timeout = 10000000000ull;
    o->connect_timeout = 5000000000ull;
    o->dns_timeout = 5000000000ull;
    o->large_hello = true;
    o->concurrency = 64;
    o->imds = TRI_AUTO;
    o->imds_endpoint = xstrdup("http://169.254.169.254");
    o->host_checks = true;
    o->root = xstrdup("/");
    o->proxy_source = PROXY_SOURCE_DEFAULT;
}

void resolve_entry_free(struct resolve_entry *r)
{
    free(r->host);
    for (int i = 0; i < r->naddrs; i++)
        free(r->addrs[i]);
    free(r->addrs);
    memset(r, 0, sizeof *r);
}

void options_free(struct options *o)
{
    for (int i = 0; i < o->nregions; i++)
        free(o->regions[i]);
    free(o->regions);
    free(o->partition);
    for (int i = 0; i < SVC_COUNT; i++)
        free(o->endpoint[i]);
    free(o->agent_config);
    free(o->dns_servers);
    for (int i = 0; i < o->nresolves; i++)
        resolve_entry_free(&o->resolves[i]);
    free(o->resolves);
    free(o->proxy);
    free(o->noproxy);
    free(o->ca_file);
    free(o->ca_path);
    free(o->imds_endpoint);
    free(o->root);
    memset(o, 0, sizeof *o);
}

int cli_parse_seconds(const char *s, dur_ns *out, char *err, size_t errlen)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v)) {
        snprintf(err, errlen, "'%s' is not a number of seconds", s);
        return -1;
    }
    if (v <= 0 || v > 3600) {
        snprintf(err, errlen, "'%s' is out of range (more than 0, at most 3600 seconds)", s);
        return -1;
    }
    *out = (dur_ns)llround(v * 1e9);
    if (*out == 0)
        *out = 1;
    return 0;
}

static int parse_port(const char *s, int *port)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < 1 || v > 65535)
        return -1;
    *port = (int)v;
    return 0;
}

int cli_parse_dns_server(const char *s, struct dns_server *out, char *err, size_t errlen)
{
    char host[64];
    const char *port = NULL;
    size_t len;
    int fam;

    memset(out, 0, sizeof *out);
    out->port = 53;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || (close[1] && close[1] != ':'))
            goto bad;
        len = (size_t)(close - s - 1);
        if (len >= sizeof host)
            goto bad;
        memcpy(host, s + 1, len);
        host[len] = '\0';
        if (close[1] == ':')
            port = close + 2;
        if (!addr_is_literal(host, &fam) || fam != 6)
            goto bad;
    } else {
        const char *colon = strchr(s, ':');
        if (colon && strchr(colon + 1, ':'))
            colon = NULL; /* a bare IPv6 address, no port */
        len = colon ? (size_t)(colon - s) : strlen(s);
        if (len >= sizeof host)
            goto bad;
        memcpy(host, s, len);
        host[len] = '\0';
        if (colon)
            port = colon + 1;
        if (!addr_is_literal(host, &fam))
            goto bad;
    }
    if (port && parse_port(port, &out->port) < 0)
        goto bad;
    snprintf(out->addr, sizeof out->addr, "%s", host);
    return 0;
bad:
    snprintf(err, errlen, "'%.80s' is not a resolver address (ADDR[:PORT] or [IPV6]:PORT)", s);
    return -1;
}

static bool valid_hostname(const char *h)
{
    size_t n = strlen(h);
    if (n == 0 || n > 253)
        return false;
    for (const char *p = h; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!(c == '-' || c == '.' || c == '_' || (c >= '0' && c <= '9') ||
              (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return false;
    }
    return true;
}

int cli_parse_resolve(const char *s, struct resolve_entry *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *c1 = strchr(s, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    char portbuf[8];
    if (!c1 || !c2 || c1 == s || (size_t)(c2 - c1 - 1) >= sizeof portbuf || !c2[1])
        goto bad;
    out->host = xstrndup(s, (size_t)(c1 - s));
    for (char *p = out->host; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    if (!valid_hostname(out->host))
        goto bad;
    memcpy(portbuf, c1 + 1, (size_t)(c2 - c1 - 1));
    portbuf[c2 - c1 - 1] = '\0';
    if (parse_port(portbuf, &out->port) < 0)
        goto bad;

    const char *p = c2 + 1;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char addr[INET6_ADDRSTRLEN + 2];
        if (len >= sizeof addr || len == 0)
            goto bad;
        memcpy(addr, p, len);
        addr[len] = '\0';
        char *a = addr;
        if (a[0] == '[' && len > 2 && a[len - 1] == ']') {
            a[len - 1] = '\0';
            a++;
        }
        if (!addr_is_literal(a, NULL))
            goto bad;
        out->addrs = xrealloc(out->addrs, (size_t)(out->naddrs + 1) * sizeof *out->addrs);
        out->addrs[out->naddrs++] = xstrdup(a);
        p += len;
        if (*p == ',')
            p++;
        if (comma && !*p)
            goto bad;
    }
    if (out->naddrs == 0)
        goto bad;
    return 0;
bad:
    resolve_entry_free(out);
    snprintf(err, errlen, "'%.80s' is not HOST:PORT:ADDR[,ADDR...]", s);
    return -1;
}

static void add_region(struct options *o, const char *name)
{
    for (int i = 0; i < o->nregions; i++)
        if (strcmp(o->regions[i], name) == 0)
            return;
    o->regions = xrealloc(o->regions, (size_t)(o->nregions + 1) * sizeof *o->regions);
    o->regions[o->nregions++] = xstrdup(name);
}

static int add_region_list(struct options *o, const char *list)
{
    char *copy = xstrdup(list), *save = NULL;
    int rc = 0;
    if (!*list) {
        errorf("--region: empty region list");
        rc = -1;
    }
    int ntok = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok && rc == 0; tok = strtok_r(NULL, ",", &save)) {
        char why[160];
        ntok++;
        if (strcmp(tok, "all") == 0) {
            o->all_regions = true;
            continue;
        }
        if (!regions_valid_syntax(tok, why, sizeof why)) {
            errorf("%s", why);
            rc = -1;
            break;
        }
        add_region(o, tok);
    }
    if (rc == 0 && ntok == 0 && *list) {
        errorf("--region: '%.40s' names no region", list);
        rc = -1;
    }
    free(copy);
    return rc;
}

static int parse_services(struct options *o, const char *list)
{
    char *copy = xstrdup(list), *save = NULL;
    unsigned mask = 0;
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "all") == 0) {
            mask |= SVC_ALL_MASK;
            continue;
        }
        int s = service_from_name(tok);
        if (s < 0) {
            errorf("--services: unknown service '%.40s' (known: ssm, ssmmessages, ec2messages,"
                   " s3, kms, logs, sts, monitoring, ec2, all)", tok);
            rc = -1;
            break;
        }
        mask |= SVC_BIT(s);
    }
    if (rc == 0 && !mask) {
        errorf("--services: empty service list");
        rc = -1;
    }
    if (rc == 0)
        o->services = mask;
    free(copy);
    return rc;
}

/* The host[:port] part of an URL or a bare host name. */
static int url_host(const char *url, char **host_out)
{
    const char *p = url;
    if (strncmp(p, "https://", 8) == 0)
        p += 8;
    else if (strstr(p, "://"))
        return -1;
    size_t len = strcspn(p, "/?#");
    if (len == 0 || len > 260)
        return -1;
    char *h = xstrndup(p, len);
    int port;
    if (h[0] == '[') {
        /* [IPv6] or [IPv6]:port, the address a numeric IPv6 literal. */
        char *close = strchr(h, ']');
        int fam = 0;
        if (!close || (close[1] && (close[1] != ':' || parse_port(close + 2, &port) < 0))) {
            free(h);
            return -1;
        }
        *close = '\0';
        bool ok = addr_is_literal(h + 1, &fam) && fam == 6;
        *close = ']';
        if (!ok) {
            free(h);
            return -1;
        }
        *host_out = h;
        return 0;
    }
    char *colon = strrchr(h, ':');
    if (colon) {
        if (parse_port(colon + 1, &port) < 0) {
            free(h);
            return -1;
        }
        *colon = '\0';
    }
    if (!valid_hostname(h)) {
        free(h);
        return -1;
    }
    if (colon)
        *colon = ':';
    *host_out = h;
    return 0;
}

static int parse_endpoint(struct options *o, const char *arg)
{
    const char *eq = strchr(arg, '=');
    char svcname[32];
    if (!eq || (size_t)(eq - arg) >= sizeof svcname) {
        errorf("--endpoint: '%.80s' is not SERVICE=URL", arg);
        return -1;
    }
    memcpy(svcname, arg, (size_t)(eq - arg));
    svcname[eq - arg] = '\0';
    int s = service_from_name(svcname);
    if (s < 0) {
        errorf("--endpoint: unknown service '%s'", svcname);
        return -1;
    }
    char *host;
    if (url_host(eq + 1, &host) < 0) {
        errorf("--endpoint: '%.80s' is not an https URL or host name", eq + 1);
        return -1;
    }
    free(o->endpoint[s]);
    o->endpoint[s] = host;
    return 0;
}

static int need_file(const char *opt, const char *path, bool dir)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        errorf("%s: cannot read '%.200s': %s", opt, path, strerror(errno));
        return -1;
    }
    if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
        errorf("%s: '%.200s' is %s", opt, path,
               dir ? "not a directory" : S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
        return -1;
    }
    if (access(path, R_OK) < 0) {
        errorf("%s: cannot read '%.200s': %s", opt, path, strerror(errno));
        return -1;
    }
    return 0;
}

static void set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = xstrdup(v);
}

static int handle(struct options *o, int id, const char *arg, bool *done)
{
    char err[200];
    dur_ns *dur = NULL;
    const char *name = NULL;

    switch (id) {
    case OPT_REGION:
        return add_region_list(o, arg);
    case OPT_ALL_REGIONS: o->all_regions = true; return 0;
    case OPT_PARTITION:
        if (strcmp(arg, "all") != 0 && !regions_partition(arg)) {
            errorf("--partition: unknown partition '%.40s' (aws, aws-cn, aws-us-gov, aws-eusc,"
                   " aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, all)", arg);
            return -1;
        }
        set_str(&o->partition, arg);
        return 0;
    case OPT_SERVICES: return parse_services(o, arg);
    case OPT_FIPS: o->fips = true; return 0;
    case OPT_DUALSTACK: o->dualstack = true; return 0;
    case OPT_ENDPOINT: return parse_endpoint(o, arg);
    case OPT_AGENT_CONFIG:
        if (need_file("--agent-config", arg, false) < 0)
            return -1;
        set_str(&o->agent_config, arg);
        o->agent_config_explicit = true;
        return 0;
    case OPT_IPV4: o->family = 4; return 0;
    case OPT_IPV6: o->family = 6; return 0;
    case OPT_PORT:
        if (parse_port(arg, &o->port) < 0) {
            errorf("--port: '%.40s' is not a port number (1-65535)", arg);
            return -1;
        }
        return 0;
    case OPT_DNS_SERVER: {
        char *copy = xstrdup(arg), *save = NULL;
        int rc = 0;
        if (!*arg) {
            errorf("--dns-server: empty resolver list");
            rc = -1;
        }
        int ntok = 0;
        for (char *tok = strtok_r(copy, ",", &save); tok && rc == 0; tok = strtok_r(NULL, ",", &save)) {
            struct dns_server ds;
            ntok++;
            if (cli_parse_dns_server(tok, &ds, err, sizeof err) < 0) {
                errorf("--dns-server: %s", err);
                rc = -1;
                break;
            }
            if (o->ndns_servers >= 16) {
                errorf("--dns-server: at most 16 resolvers");
                rc = -1;
                break;
            }
            o->dns_servers = xrealloc(o->dns_servers, (size_t)(o->ndns_servers + 1) * sizeof ds);
            o->dns_servers[o->ndns_servers++] = ds;
        }
        if (rc == 0 && ntok == 0 && *arg) {
            errorf("--dns-server: '%.40s' names no resolver", arg);
            rc = -1;
        }
        free(copy);
        return rc;
    }
    case OPT_RESOLVE: {
        struct resolve_entry r;
        if (cli_parse_resolve(arg, &r, err, sizeof err) < 0) {
            errorf("--resolve: %s", err);
            return -1;
        }
        o->resolves = xrealloc(o->resolves, (size_t)(o->nresolves + 1) * sizeof r);
        o->resolves[o->nresolves++] = r;
        return 0;
    }
    case OPT_PROXY: set_str(&o->proxy, arg); o->proxy_given = true; return 0;
    case OPT_NOPROXY: set_str(&o->noproxy, arg); o->noproxy_given = true; return 0;
    case OPT_PROXY_SOURCE:
        if (strcmp(arg, "env") == 0) o->proxy_source = PROXY_SOURCE_ENV;
        else if (strcmp(arg, "agent") == 0) o->proxy_source = PROXY_SOURCE_AGENT;
        else if (strcmp(arg, "none") == 0) o->proxy_source = PROXY_SOURCE_NONE;
        else {
            errorf("--proxy-source: '%.40s' is not env, agent or none", arg);
            return -1;
        }
        return 0;
    case OPT_CA_FILE:
        if (need_file("--ca-file", arg, false) < 0)
            return -1;
        set_str(&o->ca_file, arg);
        return 0;
    case OPT_CA_PATH:
        if (need_file("--ca-path", arg, true) < 0)
            return -1;
        set_str(&o->ca_path, arg);
        return 0;
    case OPT_TIMEOUT: dur = &o->timeout; name = "--timeout"; break;
    case OPT_CONNECT_TIMEOUT: dur = &o->connect_timeout; name = "--connect-timeout"; break;
    case OPT_DNS_TIMEOUT: dur = &o->dns_timeout; name = "--dns-timeout"; break;
    case OPT_NO_LARGE_HELLO: o->large_hello = false; return 0;
    case OPT_ALL_ADDRESSES: o->first_address = false; return 0;
    case OPT_FIRST_ADDRESS: o->first_address = true; return 0;
    case OPT_CONCURRENCY: {
        char *end;
        errno = 0;
        long v = strtol(arg, &end, 10);
        if (!*arg || *end || errno || v < 1 || v > 100000) {
            errorf("--concurrency: '%.40s' is not a number from 1 to 100000", arg);
            return -1;
        }
        o->concurrency = (int)v;
        return 0;
    }
    case OPT_IMDS: o->imds = TRI_ON; return 0;
    case OPT_NO_IMDS: o->imds = TRI_OFF; return 0;
    case OPT_IMDS_ENDPOINT:
        if (strncmp(arg, "http://", 7) != 0 || !arg[7]) {
            errorf("--imds-endpoint: '%.80s' is not an http:// URL", arg);
            return -1;
        }
        set_str(&o->imds_endpoint, arg);
        return 0;
    case OPT_HOST_CHECKS: o->host_checks = true; return 0;
    case OPT_NO_HOST_CHECKS: o->host_checks = false; return 0;
    case OPT_ROOT:
        if (need_file("--root", arg, true) < 0)
            return -1;
        set_str(&o->root, arg);
        return 0;
    case OPT_OUTPUT:
        if (strcmp(arg, "text") == 0) o->output = OUTPUT_TEXT;
        else if (strcmp(arg, "json") == 0) o->output = OUTPUT_JSON;
        else if (strcmp(arg, "ndjson") == 0) o->output = OUTPUT_NDJSON;
        else {
            errorf("--output: '%.40s' is not text, json or ndjson", arg);
            return -1;
        }
        return 0;
    case OPT_JSON: o->output = OUTPUT_JSON; return 0;
    case OPT_TRACE: o->trace = true; return 0;
    case OPT_COLOR:
        if (strcmp(arg, "auto") == 0) o->color = COLOR_AUTO;
        else if (strcmp(arg, "always") == 0) o->color = COLOR_ALWAYS;
        else if (strcmp(arg, "never") == 0) o->color = COLOR_NEVER;
        else {
            errorf("--color: '%.40s' is not auto, always or never", arg);
            return -1;
        }
        return 0;
    case OPT_QUIET: o->quiet = true; return 0;
    case OPT_VERBOSE: o->verbose++; return 0;
    case OPT_HELP: print_help(); *done = true; return 0;
    case OPT_VERSION: printf("ssmprobe %s\n", SSMPROBE_VERSION); *done = true; return 0;
    default:
        errorf("internal: unhandled option %d", id);
        return -1;
    }
    if (cli_parse_seconds(arg, dur, err, sizeof err) < 0) {
        errorf("%s: %s", name, err);
        return -1;
    }
    return 0;
}

int cli_parse(struct options *o, int argc, char **argv, bool *done)
{
    struct option longopts[NOPTS + 1];
    char shortopts[64];
    size_t ns = 0;

    *done = false;
    memset(longopts, 0, sizeof longopts);
    shortopts[ns++] = ':'; /* report a missing argument as ':' */
    for (size_t i = 0; i < NOPTS; i++) {
        longopts[i].name = opt_table[i].name;
        longopts[i].has_arg = opt_table[i].arg ? required_argument : no_argument;
        longopts[i].val = opt_table[i].id;
        if (opt_table[i].id < 256) {
            shortopts[ns++] = (char)opt_table[i].id;
            if (opt_table[i].arg)
                shortopts[ns++] = ':';
        }
    }
    shortopts[ns] = '\0';

    opterr = 0;
    optind = 0; /* 0, not 1: glibc then resets its internal state fully */
    for (;;) {
        int idx = -1;
        int c = getopt_long(argc, argv, shortopts, longopts, &idx);
        if (c == -1)
            break;
        if (c == '?') {
            const char *arg = argv[optind - 1];
            if (optopt >= 256 || (optopt && strncmp(arg, "--", 2) == 0))
                errorf("option '%.80s' takes no value (see ssmprobe --help)", arg);
            else if (optopt > 32 && optopt < 127)
                errorf("unknown option '-%c' (see ssmprobe --help)", optopt);
            else
                errorf("unknown option '%.80s' (see ssmprobe --help)", arg);
            return EXIT_USAGE;
        }
        if (c == ':') {
            errorf("option '%.80s' needs a value (see ssmprobe --help)", argv[optind - 1]);
            return EXIT_USAGE;
        }
        if (handle(o, c, optarg, done) < 0)
            return EXIT_USAGE;
        if (*done)
            return EXIT_OK;
    }
    for (int i = optind; i < argc; i++)
        if (add_region_list(o, argv[i]) < 0)
            return EXIT_USAGE;
    if (o->all_regions && o->nregions) {
        /* "all" plus names: all wins; the names are part of it anyway. */
    }
    return EXIT_OK;
}
