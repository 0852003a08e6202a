/* probe_context.h — what the probe needs to know about this host before
 * and after the run: the agent's config, the region and where it came
 * from, the proxy the agent would use, IMDS and host checks. It feeds the
 * plan, the engine and the verdicts; it never prints. */
#ifndef SSMPROBE_PROBE_CONTEXT_H
#define SSMPROBE_PROBE_CONTEXT_H

#include "engine.h"
#include "options.h"
#include "plan.h"
#include "result.h"
#include "verdict.h"

struct probe_context {
    struct plan_agent agent;          /* endpoint choices from the agent config */
    struct verdict_context verdict;   /* agent version, VPC CIDRs */
    struct engine_proxy engine_proxy; /* valid when proxy_in_use */
    bool proxy_in_use;
    /* private: storage behind the pointers above */
    void *priv;
};

void probe_context_init(struct probe_context *pc);
void probe_context_free(struct probe_context *pc);

/* Before the plan: agent config, region discovery (fills r->regions source
 * via o->regions when discovered), proxy selection. EXIT_OK or EXIT_USAGE
 * with err filled. */
int probe_context_prepare(struct probe_context *pc, struct options *o, struct report *r,
                          char *err, size_t errlen);

/* After the plan: which targets go through the proxy (NO_PROXY). */
int probe_context_proxy_targets(struct probe_context *pc, const struct options *o,
                                struct report *r, char *err, size_t errlen);

/* After the run: context findings (host checks, proxy_imds, …). */
void probe_context_after_run(struct probe_context *pc, const struct options *o, struct report *r);

#endif
