/* verdict.h — statuses, hints and findings, derived from the result model
 * alone (no network, no output). */
#ifndef SSMPROBE_VERDICT_H
#define SSMPROBE_VERDICT_H

#include "options.h"
#include "result.h"

/* What verdicts need to know about the instance beyond the probes. */
struct verdict_context {
    const char *agent_version;   /* "3.3.40.0" or NULL when unknown */
    const char **vpc_cidrs;      /* IPv4 CIDRs of this VPC (IMDS), or NULL */
    int nvpc_cidrs;
    const char *time_sync;       /* how the clock is kept (host checks), or NULL */
};

/* Fill hints, conn/target statuses, endpoint kinds, findings, r->status. */
void verdict_apply(struct report *r, const struct options *o, const struct verdict_context *vc);

/* The concrete hint for a failure code (exposed for tests). */
const char *verdict_hint(enum fail_code code);

/* Compare dotted versions numerically: <0, 0, >0. */
int verdict_version_cmp(const char *a, const char *b);

#endif
