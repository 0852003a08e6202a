/* imds_glue.c — when and how the probe asks IMDS: --imds, --no-imds, or
 * auto (on when the host looks like EC2, or when --imds-endpoint was set). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imds.h"
#include "imds_glue.h"
#include "msgs.h"

int imds_glue_check_options(const struct options *o, char *err, size_t errlen)
{
    struct sockaddr_storage sa;
    char ep[80], host[80];
    /* A bad value is a bad flag even with --no-imds. */
    if (imds_parse_url(o->imds_endpoint ? o->imds_endpoint : IMDS_DEFAULT_URL, &sa, ep, sizeof ep,
                       host, sizeof host, err, errlen) != 0)
        return -1;
    return 0;
}

void imds_glue_run(struct imds_glue *g, const struct options *o)
{
    if (g->attempted)
        return;
    g->attempted = true;
    if (o->imds == TRI_OFF) {
        snprintf(g->why_not, sizeof g->why_not, "--no-imds");
        return;
    }
    bool endpoint_given = o->imds_endpoint && strcmp(o->imds_endpoint, IMDS_DEFAULT_URL) != 0;
    if (o->imds == TRI_AUTO && !endpoint_given && !imds_looks_like_ec2(o->root)) {
        snprintf(g->why_not, sizeof g->why_not, "not queried: this host does not look like EC2 (DMI)");
        return;
    }
    struct imds_result *res = xcalloc(1, sizeof *res);
    dur_ns per = 1000000000ULL, total = 3000000000ULL;
    if (o->imds == TRI_ON) {
        per = o->connect_timeout && o->connect_timeout < 2000000000ULL ? o->connect_timeout : 2000000000ULL;
        total = o->timeout && o->timeout < 5000000000ULL ? o->timeout : 5000000000ULL;
    }
    if (imds_run(o->imds_endpoint ? o->imds_endpoint : IMDS_DEFAULT_URL, per, total, res) != 0) {
        snprintf(g->why_not, sizeof g->why_not, "%.199s", res->error);
        free(res);
        return;
    }
    g->ran = true;
    g->res = res;
    g->reachable = res->reachable;
    snprintf(g->region, sizeof g->region, "%s", res->region);
    if (!res->region[0])
        snprintf(g->why_not, sizeof g->why_not, "%.199s", res->error[0] ? res->error : "no region");
    for (int i = 0; i < res->nvpc_cidrs && i < 16; i++)
        g->cidrs[g->ncidrs++] = xstrdup(res->vpc_cidrs[i]);
}

void imds_glue_fill(const struct imds_glue *g, struct imds_context *ctx)
{
    if (g->res)
        imds_fill_context(g->res, ctx);
}

void imds_glue_report(const struct imds_glue *g, const struct options *o,
                      const char *agent_version, struct report *r)
{
    if (g->res)
        imds_report(g->res, agent_version, o->imds == TRI_ON, r);
}

void imds_glue_free(struct imds_glue *g)
{
    for (int i = 0; i < g->ncidrs; i++)
        free(g->cidrs[i]);
    free(g->res);
    memset(g, 0, sizeof *g);
}
