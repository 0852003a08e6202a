/* imds_glue.h — when and how the probe asks the instance metadata service,
 * and what it keeps from the answers (region, VPC CIDRs, reachability).
 * The client itself is imds.c; this decides auto/on/off and holds the
 * result for region discovery, verdicts and findings. */
#ifndef SSMPROBE_IMDS_GLUE_H
#define SSMPROBE_IMDS_GLUE_H

#include <stdbool.h>

#include "options.h"
#include "result.h"

struct imds_glue {
    bool attempted;           /* the decision was made (queried or not): never twice */
    bool ran;                 /* IMDS was queried */
    bool reachable;           /* TCP to IMDS worked */
    char region[64];
    char why_not[200];        /* why IMDS was not queried or gave no region */
    char *cidrs[16];          /* malloced VPC IPv4 CIDR blocks */
    int ncidrs;
    void *res;                /* struct imds_result *, malloced */
};

/* Validate --imds-endpoint (numeric host). -1 with err on a bad URL. */
int imds_glue_check_options(const struct options *o, char *err, size_t errlen);

/* Query IMDS once if --imds, or in auto mode when the host looks like EC2. */
void imds_glue_run(struct imds_glue *g, const struct options *o);

void imds_glue_fill(const struct imds_glue *g, struct imds_context *ctx);
void imds_glue_report(const struct imds_glue *g, const struct options *o,
                      const char *agent_version, struct report *r);
void imds_glue_free(struct imds_glue *g);

#endif
