/* proxy.h — the proxy as the SSM agent sees it: URL, NO_PROXY, discovery.
 *
 * Pure logic, no network and no printing: functions return codes and fill
 * a caller's error buffer (redis anet.c). The engine drives the CONNECT
 * tunnel with what these functions return.
 *
 *   proxy_url.c  parse / redact a proxy URL, build the Basic auth value
 *   noproxy.c    NO_PROXY as Go's httpproxy decides it, and as curl does
 *   proxy_env.c  which proxy the agent uses: an environment, the running
 *                agent's /proc/PID/environ, systemd drop-ins, upstart
 *
 * The agent is a Go program (net/http ProxyFromEnvironment, Go >= 1.16):
 * https:// requests (every SSM endpoint, and wss://) use HTTPS_PROXY or
 * https_proxy only; http:// requests (IMDS) use HTTP_PROXY or http_proxy. */
#ifndef SSMPROBE_PROXY_H
#define SSMPROBE_PROXY_H

#include <stdbool.h>
#include <stddef.h>

/* ---- proxy_url.c ------------------------------------------------------ */

/* Port used when the proxy URL has none. 3128 is Squid's port and the usual
 * corporate proxy port (curl assumes 1080). NB: the agent's Go client dials
 * 80 for http:// and 443 for https:// proxy URLs without a port: go_port. */
#define PROXY_DEFAULT_PORT 3128

struct proxy_url {
    char *host;          /* malloced; IPv6 literals without brackets */
    int port;            /* 1..65535; PROXY_DEFAULT_PORT when not given */
    int go_port;         /* the port the agent (Go) dials: given, else 80/443 */
    bool port_given;
    bool ipv6;           /* host was a [bracketed] IPv6 literal */
    bool scheme_given;   /* false: "host:port" taken as http:// (as Go does) */
    bool tls_scheme;     /* "https://": TLS to the proxy itself. Pointed at a
                            plain-HTTP proxy the agent fails with "proxyconnect
                            tcp: tls: first record does not look like a TLS
                            handshake" (amazon-ssm-agent#226) */
    char *user;          /* malloced, percent-decoded, or NULL */
    char *password;      /* malloced, percent-decoded, or NULL. Never print;
                            proxy_url_free() wipes it */
};

/* Parse "[scheme://][user[:pass]@]host[:port][/]". Schemes: http, https;
 * none means http. Returns 0, or -1 with err filled (err never contains the
 * password). On -1, *u is left empty (nothing to free, freeing is harmless). */
int proxy_url_parse(const char *s, struct proxy_url *u, char *err, size_t errlen);
void proxy_url_free(struct proxy_url *u);

/* "http://user:***@host:port" ("[v6]" bracketed, user percent-encoded,
 * "***" whenever a password is present). Malloced. */
char *proxy_url_redacted(const struct proxy_url *u);

/* The same redaction on a raw string that may not parse (an environment
 * value, an error message): the text between the first ':' of the userinfo
 * and its last '@' becomes "***". Malloced. */
char *proxy_url_redact_raw(const char *s);

/* The Proxy-Authorization value, "Basic base64(user:pass)", malloced; NULL
 * when the URL has no user. Like Go, a user without password sends "user:". */
char *proxy_basic_auth(const struct proxy_url *u);

/* Standard base64 (RFC 4648, padded) of n bytes; malloced, NUL-terminated. */
char *proxy_base64(const unsigned char *p, size_t n);

/* ---- noproxy.c -------------------------------------------------------- */

enum noproxy_why {
    NOPROXY_NONE = 0,    /* no match: the proxy is used */
    NOPROXY_ALL,         /* "*" */
    NOPROXY_LOCALHOST,   /* Go never proxies "localhost", whatever the list */
    NOPROXY_LOOPBACK,    /* Go never proxies 127.0.0.0/8 and ::1 */
    NOPROXY_IP,          /* an IP entry (with or without :port) */
    NOPROXY_CIDR,        /* an IP/bits entry */
    NOPROXY_DOMAIN       /* a name entry, suffix or exact */
};

struct noproxy_hit {
    enum noproxy_why why;
    char entry[128];     /* the list entry that matched (trimmed, lower case,
                            truncated); "" for NOPROXY_NONE/LOCALHOST/LOOPBACK */
};

/* Would the agent's Go client connect to host:port directly, given this
 * NO_PROXY value? Go's golang.org/x/net/http/httpproxy useProxy() rules.
 * host: a name or an IP literal (brackets optional); port: the target port
 * (443 for the SSM endpoints, 80 for IMDS). hit may be NULL. NULL or empty
 * noproxy is an empty list (localhost and loopback still bypass). */
bool noproxy_go_match(const char *noproxy, const char *host, int port);
bool noproxy_go_match_why(const char *noproxy, const char *host, int port,
                          struct noproxy_hit *hit);

/* Would curl skip the proxy for host (lib/noproxy.c, curl >= 8.9 rules)?
 * Ports in entries never match; localhost is not special. */
bool noproxy_curl_match(const char *noproxy, const char *host);

/* True when the list separates entries with blanks ("a b" or "a, b c"):
 * curl >= 8.9 stops reading at such a blank, curl 7.x (Debian 12's 7.88)
 * reads on with a warning, Go takes "a b" as one entry that never matches. */
bool noproxy_has_space_separator(const char *noproxy);

/* ---- proxy_env.c ------------------------------------------------------ */

/* A list of "KEY=VALUE" strings in the shape of environ(7), NULL-terminated.
 * Each entry carries a tag (which file set it). All strings malloced, owned
 * by the list; proxy_envlist_free() releases them. */
struct proxy_envlist {
    char **v;            /* malloced array of malloced "K=V", v[n] == NULL */
    int *tag;            /* malloced, tag[i] for v[i] */
    size_t n, cap;
};

void proxy_envlist_free(struct proxy_envlist *l);
/* Set KEY (keylen bytes) to val, replacing an earlier value (systemd: the
 * later assignment wins). */
void proxy_envlist_set(struct proxy_envlist *l, const char *key, size_t keylen,
                       const char *val, int tag);
/* NULL, or the value of key (the first one, as getenv does). */
const char *proxy_envlist_get(const struct proxy_envlist *l, const char *key, int *tag);

/* Split a /proc/PID/environ block (NUL-separated) into l. A variable set
 * twice keeps its first value, as getenv(3) and Go's os.Getenv do. */
void proxy_envlist_from_block(struct proxy_envlist *l, const char *buf, size_t len);

/* Parse a systemd unit or drop-in: Environment= assignments of the
 * [Service] section into env (tag on each), EnvironmentFile= paths into
 * files (as "PATH" strings, leading '-' kept). */
void proxy_parse_systemd(const char *text, size_t len, struct proxy_envlist *env,
                         int tag, struct proxy_envlist *files);
/* Parse an EnvironmentFile (KEY=VALUE lines, quotes, # and ; comments). */
void proxy_parse_envfile(const char *text, size_t len, struct proxy_envlist *env, int tag);
/* Parse an upstart job override: "env KEY=VALUE" stanzas. */
void proxy_parse_upstart(const char *text, size_t len, struct proxy_envlist *env, int tag);

#define PROXY_SOURCE_LEN 320
#define PROXY_MAX_NOTES 6

/* Proxy settings as the agent's Go client reads them from one environment. */
struct proxy_settings {
    char *https_proxy;   /* malloced or NULL: used for https:// (the SSM
                            endpoints). Raw value: may hold a password */
    char *http_proxy;    /* malloced or NULL: used for http:// only (IMDS) */
    char *no_proxy;      /* malloced or NULL */
    const char *https_var;    /* static: "HTTPS_PROXY"/"https_proxy"/NULL */
    const char *http_var;     /* static: "HTTP_PROXY"/"http_proxy"/NULL */
    const char *no_proxy_var; /* static: "NO_PROXY"/"no_proxy"/NULL */
    bool cgi;            /* REQUEST_METHOD set: Go refuses HTTP_PROXY for
                            http:// URLs (golang.org/s/cgihttpproxy) */
    bool found;          /* a source was found (a process or a file) */
    char source[PROXY_SOURCE_LEN]; /* "env:https_proxy",
                            "agent:/proc/1234/environ",
                            "agent:/etc/systemd/system/…/override.conf", or "" */
    char *notes[PROXY_MAX_NOTES]; /* malloced sentences for the report */
    int nnotes;
};

void proxy_settings_free(struct proxy_settings *s);

/* From an environ(7)-shaped array (NULL-terminated), Go's order: HTTPS_PROXY
 * then https_proxy, HTTP_PROXY then http_proxy, NO_PROXY then no_proxy, the
 * first non-empty wins. origin prefixes the source: "env" gives
 * "env:https_proxy". Returns 1 when an https proxy is set, else 0. */
int proxy_settings_from_env(char *const *envp, const char *origin,
                            struct proxy_settings *s);

/* What the agent uses: the environ of the running amazon-ssm-agent process
 * under procdir (NULL: "/proc"), else <root>/etc/systemd/system/
 * {amazon-ssm-agent,snap.amazon-ssm-agent.amazon-ssm-agent}.service.d/
 * *.conf in name order (with their EnvironmentFile=s), else
 * <root>/etc/init/amazon-ssm-agent.override. root NULL or "" means "/".
 * Notes say what could not be read and where the running agent and its
 * configuration differ. Returns 1 when an https proxy is set, else 0. */
int proxy_settings_from_agent(const char *root, const char *procdir,
                              struct proxy_settings *s);

/* True when a and b name a different https proxy or no_proxy: the shell and
 * the agent disagree, itself a common cause. */
bool proxy_settings_differ(const struct proxy_settings *a, const struct proxy_settings *b);

#endif
