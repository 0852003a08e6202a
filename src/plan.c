/* plan.c — regions and services into targets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgs.h"
#include "plan.h"

static void add_region(struct report *r, const char *name)
{
    for (int i = 0; i < r->nregions; i++)
        if (strcmp(r->regions[i], name) == 0)
            return;
    r->regions = xrealloc(r->regions, (size_t)(r->nregions + 1) * sizeof *r->regions);
    r->regions[r->nregions++] = xstrdup(name);
}

static int expand_regions(const struct options *o, struct report *r, char *err, size_t errlen)
{
    if (o->all_regions) {
        size_t np;
        const struct partition_info *all = regions_partitions(&np);
        bool every = strcmp(o->partition, "all") == 0;
        bool found = false;
        for (size_t i = 0; i < np; i++) {
            if (!every && strcmp(all[i].name, o->partition) != 0)
                continue;
            found = true;
            for (size_t k = 0; k < all[i].nregions; k++)
                add_region(r, all[i].regions[k].name);
        }
        if (!found) {
            snprintf(err, errlen, "unknown partition '%s'", o->partition);
            return -1;
        }
    }
    for (int i = 0; i < o->nregions; i++)
        add_region(r, o->regions[i]);
    return 0;
}

/* Split "host[:port]" or "[v6]:port" into the target's host and port. */
static void set_host_port(struct target_result *t, const char *hostport, int default_port)
{
    const char *colon = strchr(hostport, ':');
    t->port = default_port;
    if (hostport[0] == '[') {
        const char *close = strchr(hostport, ']');
        int len = close ? (int)(close - hostport - 1) : 0;
        snprintf(t->host, sizeof t->host, "%.*s", len, hostport + 1);
        if (close && close[1] == ':')
            t->port = atoi(close + 2);
    } else if (colon && !strchr(colon + 1, ':')) {
        snprintf(t->host, sizeof t->host, "%.*s", (int)(colon - hostport), hostport);
        t->port = atoi(colon + 1);
    } else {
        snprintf(t->host, sizeof t->host, "%s", hostport);
    }
}

int plan_build(const struct options *o, const struct plan_agent *agent, struct report *r,
               char *err, size_t errlen)
{
    if (expand_regions(o, r, err, errlen) < 0)
        return -1;
    for (int ri = 0; ri < r->nregions; ri++) {
        const char *region = r->regions[ri];
        for (int s = 0; s < SVC_COUNT; s++) {
            if (!(o->services & SVC_BIT(s)))
                continue;
            struct target_result *t = report_add_target(r);
            snprintf(t->region, sizeof t->region, "%s", region);
            t->service = (enum service)s;
            if (o->endpoint[s]) {
                set_host_port(t, o->endpoint[s], o->port);
                t->endpoint_kind = EK_CUSTOM;
                snprintf(t->endpoint_source, sizeof t->endpoint_source, "--endpoint");
            } else if (agent && agent->endpoint[s] && agent->endpoint[s][0]) {
                set_host_port(t, agent->endpoint[s], o->port);
                t->endpoint_kind = EK_CUSTOM;
                snprintf(t->endpoint_source, sizeof t->endpoint_source, "%s",
                         agent->endpoint_key[s] ? agent->endpoint_key[s] : "agent config");
            } else {
                const char *domain = agent ? agent->service_domain : NULL;
                if (!endpoint_name((enum service)s, region, domain, o->fips, o->dualstack,
                                   t->host, sizeof t->host)) {
                    snprintf(err, errlen, "endpoint name too long for %s in %s",
                             service_name((enum service)s), region);
                    return -1;
                }
                t->port = o->port;
                t->variant_name = o->fips || o->dualstack;
                t->variant_published = (!o->fips || endpoint_fips_offered((enum service)s, region)) &&
                                       (!o->dualstack || endpoint_dualstack_offered((enum service)s, region));
                if (domain && domain[0])
                    snprintf(t->endpoint_source, sizeof t->endpoint_source, "Agent.ServiceDomain");
            }
        }
    }
    return 0;
}
