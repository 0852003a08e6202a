/* discover.c — region discovery in the order of SPEC "Invocation".
 * See discover.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>

#include "discover.h"

extern char **environ;

void discover_result_init(struct discover_result *res)
{
    memset(res, 0, sizeof *res);
}

void discover_result_free(struct discover_result *res)
{
    for (int i = 0; i < res->nregions; i++)
        free(res->regions[i]);
    free(res->regions);
    discover_result_init(res);
}

static bool is_live_root(const char *root)
{
    return !root || !*root || strspn(root, "/") == strlen(root);
}

static void join_root(const char *root, const char *path, char *out, size_t outlen)
{
    size_t rl = is_live_root(root) ? 0 : strlen(root);
    while (rl > 0 && root[rl - 1] == '/')
        rl--;
    snprintf(out, outlen, "%.*s%s", (int)rl, rl ? root : "", path);
}

/* Case-insensitive member lookup, last match wins (Go's encoding/json). */
static json_t *get_ci(json_t *obj, const char *key)
{
    const char *k;
    json_t *v, *found = NULL;
    json_object_foreach(obj, k, v) {
        if (strcasecmp(k, key) == 0)
            found = v;
    }
    return found;
}

static void copy_member(json_t *obj, const char *key, char *out, size_t outlen)
{
    json_t *v = get_ci(obj, key);
    out[0] = '\0';
    if (json_is_string(v) && !memchr(json_string_value(v), '\0', json_string_length(v)))
        snprintf(out, outlen, "%s", json_string_value(v));
}

int discover_read_registration(const char *root, struct discover_registration *reg)
{
    FILE *f = NULL;
    char *buf = NULL;
    json_t *doc = NULL;
    json_error_t jerr;
    int rc = -1;

    memset(reg, 0, sizeof *reg);
    join_root(root, DISCOVER_REGISTRATION_PATH, reg->path, sizeof reg->path);
    f = fopen(reg->path, "rb");
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR) {
            rc = 0;
            goto out;
        }
        reg->present = true;
        if (errno == EACCES)
            snprintf(reg->error, sizeof reg->error,
                     "permission denied (the agent writes it readable by root only)");
        else
            snprintf(reg->error, sizeof reg->error, "%s", strerror(errno));
        goto out;
    }
    reg->present = true;
    buf = malloc(DISCOVER_REGISTRATION_MAX + 1);
    if (!buf) {
        snprintf(reg->error, sizeof reg->error, "out of memory");
        goto out;
    }
    size_t len = fread(buf, 1, DISCOVER_REGISTRATION_MAX + 1, f);
    if (ferror(f)) {
        snprintf(reg->error, sizeof reg->error, "read error");
        goto out;
    }
    if (len > DISCOVER_REGISTRATION_MAX) {
        snprintf(reg->error, sizeof reg->error, "larger than %d bytes",
                 DISCOVER_REGISTRATION_MAX);
        goto out;
    }
    doc = json_loadb(buf, len, 0, &jerr);
    if (!doc) {
        snprintf(reg->error, sizeof reg->error, "malformed JSON at line %d, column %d: %s",
                 jerr.line, jerr.column, jerr.text);
        goto out;
    }
    if (!json_is_object(doc)) {
        snprintf(reg->error, sizeof reg->error, "not a JSON object");
        goto out;
    }
    reg->parsed = true;
    copy_member(doc, "ManagedInstanceID", reg->instance_id, sizeof reg->instance_id);
    copy_member(doc, "Region", reg->region, sizeof reg->region);
    rc = 1;
out:
    json_decref(doc);
    free(buf);
    if (f)
        fclose(f);
    return rc;
}

static const char *env_lookup(const struct discover_input *in, const char *name)
{
    if (in->getenv_fn)
        return in->getenv_fn(name, in->getenv_ud);
    char *const *envp = in->envp ? in->envp : environ;
    size_t n = strlen(name);
    const char *found = NULL;
    for (; envp && *envp; envp++)
        if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=') {
            found = *envp + n + 1;
            break; /* getenv(3) returns the first */
        }
    return found;
}

static void tried_add(struct discover_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void tried_add(struct discover_result *res, const char *fmt, ...)
{
    size_t used = strlen(res->tried);
    va_list ap;
    if (used + 3 >= sizeof res->tried)
        return;
    if (used) {
        memcpy(res->tried + used, "; ", 3);
        used += 2;
    }
    va_start(ap, fmt);
    vsnprintf(res->tried + used, sizeof res->tried - used, fmt, ap);
    va_end(ap);
}

static int found(struct discover_result *res, const char *source, const char *origin,
                 char *const *regions, int n)
{
    res->regions = calloc((size_t)n, sizeof *res->regions);
    if (!res->regions)
        return -1;
    for (int i = 0; i < n; i++) {
        res->regions[i] = strdup(regions[i]);
        if (!res->regions[i])
            return -1;
        res->nregions = i + 1;
    }
    snprintf(res->source, sizeof res->source, "%s", source);
    snprintf(res->origin, sizeof res->origin, "%s", origin);
    return 0;
}

static enum discover_rc found1(struct discover_result *res, const char *source,
                               const char *origin, const char *region)
{
    char *one[1] = { (char *)region };
    if (found(res, source, origin, one, 1) < 0) {
        snprintf(res->message, sizeof res->message, "out of memory");
        return DISCOVER_NONE;
    }
    return DISCOVER_FOUND;
}

enum discover_rc discover_region(const struct discover_input *in, struct discover_result *res)
{
    static const char *const env_names[] = { "AWS_REGION", "AWS_DEFAULT_REGION" };
    char src[48];

    discover_result_free(res);

    /* 1. --region */
    if (in->nflag_regions > 0 && in->flag_regions) {
        if (found(res, "flag", "--region", in->flag_regions, in->nflag_regions) < 0) {
            snprintf(res->message, sizeof res->message, "out of memory");
            return DISCOVER_NONE;
        }
        return DISCOVER_FOUND;
    }
    tried_add(res, "--region: not given");

    /* 2, 3. The environment, as the AWS SDKs read it: set but empty is unset. */
    for (size_t i = 0; i < sizeof env_names / sizeof env_names[0]; i++) {
        const char *v = env_lookup(in, env_names[i]);
        if (v && *v) {
            snprintf(src, sizeof src, "env:%s", env_names[i]);
            return found1(res, src, env_names[i], v);
        }
        tried_add(res, "%s: %s", env_names[i], v ? "empty" : "not set");
    }

    /* 4. The agent's config, loaded by the caller. */
    if (!in->cfg)
        tried_add(res, "agent config: not read");
    else if (in->cfg->loaded && in->cfg->region)
        return found1(res, "agent-config", in->cfg->path, in->cfg->region);
    else if (in->cfg->loaded)
        tried_add(res, "%s: no Agent.Region", in->cfg->path);
    else if (in->cfg->error[0])
        tried_add(res, "%s", in->cfg->error); /* already names the file */
    else
        tried_add(res, "%s: not found", in->cfg->path[0] ? in->cfg->path : AGENTCFG_PATH);

    /* 5. The hybrid registration file. */
    struct discover_registration *reg = &res->registration;
    int r = discover_read_registration(in->root, reg);
    if (r > 0 && reg->region[0])
        return found1(res, "registration", reg->path, reg->region);
    if (r > 0)
        tried_add(res, "%s: no Region", reg->path);
    else if (r == 0)
        tried_add(res, "%s: not found", reg->path);
    else
        tried_add(res, "%s: %s", reg->path, reg->error);

    /* 6. IMDS, supplied by the caller. */
    switch (in->imds) {
    case DISCOVER_IMDS_PENDING:
        return DISCOVER_NEED_IMDS;
    case DISCOVER_IMDS_DONE:
        if (in->imds_region && *in->imds_region)
            return found1(res, "imds", "IMDS placement/region", in->imds_region);
        tried_add(res, "IMDS: %s",
                  in->imds_error && *in->imds_error ? in->imds_error : "no region");
        break;
    case DISCOVER_IMDS_DISABLED:
        tried_add(res, "IMDS: %s",
                  in->imds_error && *in->imds_error ? in->imds_error : "not queried");
        break;
    }
    snprintf(res->message, sizeof res->message,
             "no region to probe; tried %s. Name one with --region or AWS_REGION", res->tried);
    return DISCOVER_NONE;
}
