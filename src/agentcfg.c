/* agentcfg.c — the SSM agent's amazon-ssm-agent.json, the keys that decide
 * which endpoints it dials. See agentcfg.h. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

#include "agentcfg.h"

/* Top-level section and key per service, as in the agent's contracts.go. */
static const struct {
    enum service svc;
    const char *section;
    const char *key;           /* "Ssm.Endpoint" */
} endpoint_keys[] = {
    { SVC_SSM, "Ssm", "Ssm.Endpoint" },
    { SVC_SSMMESSAGES, "Mgs", "Mgs.Endpoint" },
    { SVC_EC2MESSAGES, "Mds", "Mds.Endpoint" },
    { SVC_S3, "S3", "S3.Endpoint" },
    { SVC_KMS, "Kms", "Kms.Endpoint" },
};
#define NENDPOINT_KEYS (sizeof endpoint_keys / sizeof endpoint_keys[0])

const char *agentcfg_endpoint_key(enum service svc)
{
    for (size_t i = 0; i < NENDPOINT_KEYS; i++)
        if (endpoint_keys[i].svc == svc)
            return endpoint_keys[i].key;
    return NULL;
}

void agentcfg_init(struct agentcfg *cfg)
{
    memset(cfg, 0, sizeof *cfg);
}

void agentcfg_free(struct agentcfg *cfg)
{
    free(cfg->region);
    free(cfg->service_domain);
    for (int i = 0; i < SVC_COUNT; i++) {
        free(cfg->endpoint[i]);
        free(cfg->endpoint_raw[i]);
    }
    agentcfg_init(cfg);
}

static bool join_root(const char *root, const char *path, char *out, size_t outlen)
{
    size_t rl = root ? strlen(root) : 0;
    while (rl > 0 && root[rl - 1] == '/')
        rl--;
    int n = snprintf(out, outlen, "%.*s%s", (int)rl, rl ? root : "", path);
    return n >= 0 && (size_t)n < outlen;
}

bool agentcfg_default_path(const char *root, char *out, size_t outlen)
{
    struct stat st;
    bool is_slash = !root || !*root || strspn(root, "/") == strlen(root);

    /* A snap agent prefers <snap>/configuration/amazon-ssm-agent.json when it
     * exists and (on the live system) belongs to root (constants_unix.go). */
    if (join_root(root, AGENTCFG_SNAP_PATH, out, outlen) && stat(out, &st) == 0 &&
        S_ISREG(st.st_mode) && (!is_slash || st.st_uid == 0))
        return true;
    return join_root(root, AGENTCFG_PATH, out, outlen);
}

static void set_err(struct agentcfg *cfg, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void set_err(struct agentcfg *cfg, char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cfg->error, sizeof cfg->error, fmt, ap);
    va_end(ap);
    if (err && errlen)
        snprintf(err, errlen, "%s", cfg->error);
}

/* Go's encoding/json: keys match case-insensitively; with several matches
 * the last one in the document is the value that sticks. */
static json_t *get_ci(json_t *obj, const char *key)
{
    const char *k;
    json_t *v, *found = NULL;
    if (!json_is_object(obj))
        return NULL;
    json_object_foreach(obj, k, v) {
        if (strcasecmp(k, key) == 0)
            found = v;
    }
    return found;
}

static const char *json_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

/* Fetch SECTION.KEY as a string. Returns 0 with *out malloced (NULL when
 * unset, null or empty), -1 when something has the wrong JSON type. */
static int get_string(json_t *root, const char *section, const char *key, char **out,
                      struct agentcfg *cfg, char *err, size_t errlen)
{
    *out = NULL;
    json_t *sec = get_ci(root, section);
    if (!sec || json_is_null(sec))
        return 0;
    if (!json_is_object(sec)) {
        set_err(cfg, err, errlen, "%s: \"%s\" is %s, expected an object", cfg->path, section,
                json_type_name(sec));
        return -1;
    }
    json_t *v = get_ci(sec, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        set_err(cfg, err, errlen, "%s: \"%s.%s\" is %s, expected a string", cfg->path, section,
                key, json_type_name(v));
        return -1;
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    /* Kept verbatim: the agent does not trim either, so a stray blank is a
     * misconfiguration worth reporting, not hiding. "" means unset. */
    if (len == 0)
        return 0;
    if (memchr(s, '\0', len)) {
        set_err(cfg, err, errlen, "%s: \"%s.%s\" contains a NUL character", cfg->path, section,
                key);
        return -1;
    }
    *out = strndup(s, len);
    if (!*out) {
        set_err(cfg, err, errlen, "%s: out of memory", cfg->path);
        return -1;
    }
    return 0;
}

int agentcfg_endpoint_host(const char *value, char *out, size_t outlen, char *err, size_t errlen)
{
    const char *p = value, *end;
    size_t n;

    if (!value) {
        snprintf(err, errlen, "empty endpoint");
        return -1;
    }
    const char *sep = strstr(p, "://");
    if (sep) {
        size_t sl = (size_t)(sep - p);
        if (!((sl == 5 && strncasecmp(p, "https", 5) == 0) ||
              (sl == 4 && strncasecmp(p, "http", 4) == 0))) {
            snprintf(err, errlen, "unsupported scheme \"%.*s\" (expected https://)",
                     (int)(sl > 16 ? 16 : sl), p);
            return -1;
        }
        p = sep + 3;
    }
    /* The authority ends at the path, query or fragment. */
    end = p + strcspn(p, "/?#");
    /* Credentials in a URL are never kept (nor printed). */
    for (const char *q = end; q > p; q--) {
        if (q[-1] == '@') {
            p = q;
            break;
        }
    }
    n = (size_t)(end - p);
    if (n == 0) {
        snprintf(err, errlen, "no host name in the endpoint");
        return -1;
    }
    if (n + 1 > outlen || n > 255 + 6) {
        snprintf(err, errlen, "endpoint host name too long");
        return -1;
    }
    const char *hend = p + n; /* where host ends and ":port" begins */
    if (*p == '[') {
        const char *rb = memchr(p, ']', n);
        if (!rb || rb == p + 1) {
            snprintf(err, errlen, "unterminated IPv6 literal in the endpoint");
            return -1;
        }
        for (const char *q = p + 1; q < rb; q++)
            if (!isxdigit((unsigned char)*q) && *q != ':' && *q != '.') {
                snprintf(err, errlen, "bad character in IPv6 literal");
                return -1;
            }
        hend = rb + 1;
        if (hend < p + n && *hend != ':') {
            snprintf(err, errlen, "unexpected text after the IPv6 literal");
            return -1;
        }
    } else {
        const char *colon = memchr(p, ':', n);
        if (colon)
            hend = colon;
        if (hend == p) {
            snprintf(err, errlen, "no host name in the endpoint");
            return -1;
        }
        for (const char *q = p; q < hend; q++)
            if (!isalnum((unsigned char)*q) && *q != '-' && *q != '.' && *q != '_') {
                snprintf(err, errlen, "bad character '%c' in the endpoint host name",
                         isprint((unsigned char)*q) ? *q : '?');
                return -1;
            }
    }
    if (hend < p + n) { /* ":port" */
        const char *q = hend + 1;
        long port = 0;
        if (q == p + n) {
            snprintf(err, errlen, "empty port in the endpoint");
            return -1;
        }
        for (; q < p + n; q++) {
            if (!isdigit((unsigned char)*q) || port > 65535) {
                snprintf(err, errlen, "bad port in the endpoint");
                return -1;
            }
            port = port * 10 + (*q - '0');
        }
        if (port < 1 || port > 65535) {
            snprintf(err, errlen, "port out of range in the endpoint");
            return -1;
        }
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)p[i]);
    out[n] = '\0';
    return 0;
}

enum agentcfg_rc agentcfg_parse(const char *buf, size_t len, const char *name,
                                struct agentcfg *cfg, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *root = NULL;
    enum agentcfg_rc rc = AGENTCFG_ERROR;
    char host[300], why[128];

    agentcfg_free(cfg);
    snprintf(cfg->path, sizeof cfg->path, "%s", name ? name : "agent config");
    if (len > AGENTCFG_MAX_SIZE) {
        set_err(cfg, err, errlen, "%s: larger than %d bytes", cfg->path, AGENTCFG_MAX_SIZE);
        goto out;
    }
    root = json_loadb(buf, len, 0, &jerr);
    if (!root) {
        cfg->err_line = jerr.line > 0 ? jerr.line : 0;
        cfg->err_column = jerr.column > 0 ? jerr.column : 0;
        set_err(cfg, err, errlen, "%s:%d:%d: malformed JSON: %s", cfg->path, cfg->err_line,
                cfg->err_column, jerr.text);
        goto out;
    }
    if (!json_is_object(root)) {
        set_err(cfg, err, errlen, "%s: the top level is %s, expected an object", cfg->path,
                json_type_name(root));
        goto out;
    }
    if (get_string(root, "Agent", "Region", &cfg->region, cfg, err, errlen) < 0 ||
        get_string(root, "Agent", "ServiceDomain", &cfg->service_domain, cfg, err, errlen) < 0)
        goto out;
    for (size_t i = 0; i < NENDPOINT_KEYS; i++) {
        enum service svc = endpoint_keys[i].svc;
        if (get_string(root, endpoint_keys[i].section, "Endpoint", &cfg->endpoint_raw[svc], cfg,
                       err, errlen) < 0)
            goto out;
        if (!cfg->endpoint_raw[svc])
            continue;
        if (agentcfg_endpoint_host(cfg->endpoint_raw[svc], host, sizeof host, why,
                                   sizeof why) < 0) {
            set_err(cfg, err, errlen, "%s: %s: %s", cfg->path, endpoint_keys[i].key, why);
            goto out;
        }
        cfg->endpoint[svc] = strdup(host);
        if (!cfg->endpoint[svc]) {
            set_err(cfg, err, errlen, "%s: out of memory", cfg->path);
            goto out;
        }
    }
    cfg->loaded = true;
    rc = AGENTCFG_OK;
out:
    json_decref(root);
    return rc;
}

enum agentcfg_rc agentcfg_load(const char *path, struct agentcfg *cfg, char *err, size_t errlen)
{
    FILE *f = NULL;
    char *buf = NULL;
    size_t len = 0;
    struct stat st;
    enum agentcfg_rc rc = AGENTCFG_ERROR;

    agentcfg_free(cfg);
    snprintf(cfg->path, sizeof cfg->path, "%s", path);
    f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR) {
            rc = AGENTCFG_ABSENT;
            goto out;
        }
        set_err(cfg, err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        set_err(cfg, err, errlen, "%s: is a directory", path);
        goto out;
    }
    /* Read at most one byte past the cap, whatever stat says (pipes, /proc). */
    buf = malloc(AGENTCFG_MAX_SIZE + 1);
    if (!buf) {
        set_err(cfg, err, errlen, "%s: out of memory", path);
        goto out;
    }
    len = fread(buf, 1, AGENTCFG_MAX_SIZE + 1, f);
    if (ferror(f)) {
        set_err(cfg, err, errlen, "%s: read error", path);
        goto out;
    }
    if (len > AGENTCFG_MAX_SIZE) {
        set_err(cfg, err, errlen, "%s: larger than %d bytes", path, AGENTCFG_MAX_SIZE);
        goto out;
    }
    rc = agentcfg_parse(buf, len, path, cfg, err, errlen);
out:
    free(buf);
    if (f)
        fclose(f);
    return rc;
}
