/* probe.c — the default command: options → plan → engine → verdict →
 * renderer, and the exit status of SPEC. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "engine.h"
#include "msgs.h"
#include "plan.h"
#include "probe_context.h"
#include "report.h"
#include "subcommands.h"
#include "verdict.h"

static bool use_color(const struct options *o)
{
    if (o->color == COLOR_ALWAYS)
        return true;
    if (o->color == COLOR_NEVER)
        return false;
    const char *nc = getenv("NO_COLOR");
    if (nc && nc[0])
        return false;
    return isatty(STDOUT_FILENO);
}

static int render(const struct options *o, struct report *r)
{
    int rc = 0;
    switch (o->output) {
    case OUTPUT_JSON:
        rc = report_json_write(stdout, r);
        break;
    case OUTPUT_NDJSON:
        rc = report_ndjson_end(stdout, r);
        break;
    default:
        rc = report_text_write(stdout, r, o, use_color(o));
        break;
    }
    return rc;
}

int probe_main(int argc, char **argv)
{
    struct options o;
    struct report r;
    struct probe_context pc;
    char err[400] = "";
    bool done = false;
    int rc;

    options_init(&o);
    report_init(&r);
    probe_context_init(&pc);
    rc = cli_parse(&o, argc, argv, &done);
    if (rc != EXIT_OK || done)
        goto out;
    msgs_set_quiet(o.quiet);
    msgs_set_verbose(o.verbose);

    clock_gettime(CLOCK_REALTIME, &r.started_at);
    r.t_start = uv_hrtime();

    /* Everything the plan needs from the host: agent config, region,
     * proxy. Configuration errors are exit 2 before any packet. */
    rc = probe_context_prepare(&pc, &o, &r, err, sizeof err);
    if (rc != EXIT_OK) {
        errorf("%s", err);
        goto out;
    }
    if (plan_build(&o, &pc.agent, &r, err, sizeof err) < 0) {
        errorf("%s", err);
        rc = EXIT_USAGE;
        goto out;
    }
    rc = probe_context_proxy_targets(&pc, &o, &r, err, sizeof err);
    if (rc != EXIT_OK) {
        errorf("%s", err);
        goto out;
    }

    result_set_keep_events(o.trace && o.output == OUTPUT_TEXT && !o.quiet);
    if (o.output == OUTPUT_NDJSON && !o.quiet)
        report_ndjson_begin(stdout, &r);
    else if (o.output == OUTPUT_TEXT && !o.quiet && r.nregions > 1 && isatty(STDERR_FILENO))
        report_progress_begin(stderr, &r);
    rc = engine_run(&o, pc.proxy_in_use ? &pc.engine_proxy : NULL, &r, err, sizeof err);
    r.t_end = uv_hrtime();
    report_progress_end();
    if (rc != EXIT_OK) {
        errorf("%s", err);
        goto out;
    }
    probe_context_after_run(&pc, &o, &r);
    verdict_apply(&r, &o, &pc.verdict);

    if (!o.quiet && render(&o, &r) < 0) {
        /* A reader that went away (| head) is not an error worth a word. */
        if (errno != EPIPE) {
            rc = EXIT_INTERNAL; /* main() says what could not be written */
            goto out;
        }
    }
    rc = r.status == STATUS_FAIL ? EXIT_FAILED : EXIT_OK;
out:
    result_set_event_hook(NULL, NULL);
    probe_context_free(&pc);
    report_free(&r);
    options_free(&o);
    return rc;
}
