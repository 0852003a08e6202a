/* options.h — what the user asked for, after parsing and validation.
 *
 * Filled by cli.c, read by plan.c and the engine; nothing else writes it.
 * Every pointer is owned by the struct and freed by options_free(). */
#ifndef SSMPROBE_OPTIONS_H
#define SSMPROBE_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "regions.h"

typedef uint64_t mono_ns; /* nanoseconds on the monotonic clock (uv_hrtime) */
typedef uint64_t dur_ns;  /* a duration in nanoseconds */

enum output_format { OUTPUT_TEXT, OUTPUT_JSON, OUTPUT_NDJSON };
enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
enum tristate { TRI_AUTO = -1, TRI_OFF = 0, TRI_ON = 1 };
enum proxy_source { PROXY_SOURCE_DEFAULT, PROXY_SOURCE_ENV, PROXY_SOURCE_AGENT, PROXY_SOURCE_NONE };

/* --resolve HOST:PORT:ADDR[,ADDR…] */
struct resolve_entry {
    char *host;               /* malloced, lower case */
    int port;                 /* 1..65535 */
    char **addrs;             /* malloced array of malloced numeric addresses */
    int naddrs;
};

/* --dns-server entry: numeric address and port. */
struct dns_server {
    char addr[64];            /* numeric IPv4 or IPv6, no brackets */
    int port;                 /* default 53 */
};

struct options {
    char **regions;           /* malloced list of malloced names, as given (may hold "all") */
    int nregions;
    bool all_regions;         /* --all-regions or "all" */
    char *partition;          /* "aws" default; "all" allowed */
    unsigned services;        /* SVC_BIT mask */
    bool fips, dualstack;
    char *endpoint[SVC_COUNT];/* --endpoint SERVICE=URL, host part; NULL when not given */
    char *agent_config;       /* NULL: default path if present */
    bool agent_config_explicit;
    int family;               /* 0 both, 4 or 6 */
    int port;                 /* 443 */
    struct dns_server *dns_servers; int ndns_servers;
    struct resolve_entry *resolves; int nresolves;
    char *proxy;              /* --proxy URL (may hold credentials: never print) */
    bool proxy_given;
    char *noproxy;            /* --noproxy */
    bool noproxy_given;
    enum proxy_source proxy_source;
    char *ca_file, *ca_path;
    dur_ns timeout;           /* per target, first query to verdict */
    dur_ns connect_timeout;   /* one TCP connect */
    dur_ns dns_timeout;       /* one resolution */
    bool large_hello;         /* second handshake with a big ClientHello */
    bool first_address;       /* only the first address of each family */
    int concurrency;          /* simultaneous connections at most */
    enum tristate imds;
    char *imds_endpoint;      /* "http://169.254.169.254" */
    bool host_checks;
    char *root;               /* "/" */
    enum output_format output;
    bool trace;
    enum color_when color;
    bool quiet;
    int verbose;
};

void options_init(struct options *o);
void options_free(struct options *o);

/* Parse the probe command line. Returns EXIT_OK, or EXIT_USAGE after one
 * line on stderr. *done is set when --help/--version was handled. */
int cli_parse(struct options *o, int argc, char **argv, bool *done);

/* Parsers of single values, exposed for the unit tests and fuzzers. Each
 * returns 0 and fills out, or -1 and writes a reason into err. */
int cli_parse_seconds(const char *s, dur_ns *out, char *err, size_t errlen);
int cli_parse_dns_server(const char *s, struct dns_server *out, char *err, size_t errlen);
int cli_parse_resolve(const char *s, struct resolve_entry *out, char *err, size_t errlen);
void resolve_entry_free(struct resolve_entry *r);

#endif
