/* engine.h — runs every target of a report concurrently on one libuv loop.
 *
 * Input: options and a report whose targets the plan has filled (host,
 * port). Output: the same report with DNS, connection facts and the
 * timeline filled in. Verdicts are derived afterwards by verdict.c. */
#ifndef SSMPROBE_ENGINE_H
#define SSMPROBE_ENGINE_H

#include "options.h"
#include "result.h"

/* How targets reach the endpoint when a proxy is in use. */
struct engine_proxy {
    const char *host;         /* proxy host (name or literal); NULL: no proxy */
    int port;
    const char *auth_b64;     /* Basic credentials or NULL; never printed */
    /* Whether target i goes through the proxy (NO_PROXY decided already). */
    bool *use_for_target;     /* array of ntargets, owned by the caller */
};

/* Run the probes. Returns EXIT_OK when the run completed (whatever the
 * verdicts), EXIT_USAGE for configuration errors found while starting
 * (unusable trust store), with a message in err. Ctrl-C ends the run early
 * and sets r->interrupted. */
int engine_run(const struct options *o, const struct engine_proxy *proxy, struct report *r,
               char *err, size_t errlen);

#endif
