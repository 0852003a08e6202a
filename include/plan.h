/* plan.h — from options to the list of targets (region × service → host).
 *
 * The plan decides which names the agent would use: --endpoint first, then
 * the agent config's per-service endpoint keys, then SERVICE.REGION.SUFFIX
 * with Agent.ServiceDomain or the partition's suffix (FIPS / dual-stack on
 * request). It writes the targets into the report, nothing else. */
#ifndef SSMPROBE_PLAN_H
#define SSMPROBE_PLAN_H

#include "options.h"
#include "result.h"

/* Endpoint choices read from the agent's config (all may be NULL). */
struct plan_agent {
    const char *service_domain;          /* Agent.ServiceDomain */
    const char *endpoint[SVC_COUNT];     /* Ssm.Endpoint → [SVC_SSM], … */
    const char *endpoint_key[SVC_COUNT]; /* "Ssm.Endpoint", … for the report */
};

/* Expand the regions (explicit, or every region of --partition) into
 * r->regions, then add one target per region and service. Returns 0, or
 * -1 with err filled (unknown partition). */
int plan_build(const struct options *o, const struct plan_agent *agent, struct report *r,
               char *err, size_t errlen);

#endif
