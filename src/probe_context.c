/* probe_context.c — host context around the run: region discovery, agent
 * config, proxy selection, IMDS and host checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgs.h"
#include "probe_context.h"

struct priv {
    bool *use_proxy;          /* per target */
};

void probe_context_init(struct probe_context *pc)
{
    memset(pc, 0, sizeof *pc);
    pc->priv = xcalloc(1, sizeof(struct priv));
}

void probe_context_free(struct probe_context *pc)
{
    struct priv *p = pc->priv;
    if (p) {
        free(p->use_proxy);
        free(p);
    }
    memset(pc, 0, sizeof *pc);
}

/* Region discovery, SPEC order: --region > AWS_REGION > AWS_DEFAULT_REGION
 * > agent config > registration > IMDS. */
static int discover_region(struct options *o, struct report *r, char *err, size_t errlen)
{
    static const char *const envs[] = {"AWS_REGION", "AWS_DEFAULT_REGION"};
    if (o->nregions || o->all_regions) {
        snprintf(r->region_source, sizeof r->region_source, "flag");
        return EXIT_OK;
    }
    for (size_t i = 0; i < 2; i++) {
        const char *v = getenv(envs[i]);
        char why[200];
        if (!v || !v[0])
            continue;
        if (!regions_valid_syntax(v, why, sizeof why)) {
            snprintf(err, errlen, "%s: %s", envs[i], why);
            return EXIT_USAGE;
        }
        o->regions = xrealloc(o->regions, sizeof *o->regions);
        o->regions[0] = xstrdup(v);
        o->nregions = 1;
        snprintf(r->region_source, sizeof r->region_source, "env:%s", envs[i]);
        return EXIT_OK;
    }
    snprintf(err, errlen, "no region: give --region (or REGION...); tried --region, AWS_REGION,"
             " AWS_DEFAULT_REGION");
    return EXIT_USAGE;
}

int probe_context_prepare(struct probe_context *pc, struct options *o, struct report *r,
                          char *err, size_t errlen)
{
    (void)pc;
    return discover_region(o, r, err, errlen);
}

int probe_context_proxy_targets(struct probe_context *pc, const struct options *o,
                                struct report *r, char *err, size_t errlen)
{
    (void)pc; (void)o; (void)r; (void)err; (void)errlen;
    return EXIT_OK;
}

void probe_context_after_run(struct probe_context *pc, const struct options *o, struct report *r)
{
    (void)pc; (void)o; (void)r;
}
