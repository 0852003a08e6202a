/* probe_context.c — host context around the run: the agent's config,
 * region discovery, the proxy the agent would use, host checks and IMDS.
 * Everything here feeds the plan, the engine or the verdicts as data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agentcfg.h"
#include "discover.h"
#include "hostcheck.h"
#include "hostextra.h"
#include "imds_glue.h"
#include "msgs.h"
#include "probe_context.h"
#include "proxy.h"

extern char **environ;

struct priv {
    struct agentcfg cfg;
    bool cfg_loaded;
    char cfg_warning[600];        /* malformed default config: a finding, not exit 2 */
    struct hostcheck_facts *facts;/* malloced when host checks ran */
    struct client_facts clients;
    char time_sync[200];
    struct proxy_settings env_ps, agent_ps;
    bool env_ps_used, agent_ps_used;
    struct proxy_url url;
    bool url_parsed;
    char *noproxy;                /* malloced, effective NO_PROXY, or NULL */
    char *auth_b64;               /* malloced base64(user:pass) or NULL */
    bool *use_proxy;              /* per target */
    const struct proxy_settings *chosen; /* the settings the proxy came from, or NULL */
    struct imds_glue imds;
};

void probe_context_init(struct probe_context *pc)
{
    memset(pc, 0, sizeof *pc);
    struct priv *p = xcalloc(1, sizeof *p);
    agentcfg_init(&p->cfg);
    pc->priv = p;
}

void probe_context_free(struct probe_context *pc)
{
    struct priv *p = pc->priv;
    if (p) {
        agentcfg_free(&p->cfg);
        free(p->facts);
        proxy_settings_free(&p->env_ps);
        proxy_settings_free(&p->agent_ps);
        if (p->url_parsed)
            proxy_url_free(&p->url);
        free(p->noproxy);
        if (p->auth_b64) {
            memset(p->auth_b64, 0, strlen(p->auth_b64));
            free(p->auth_b64);
        }
        free(p->use_proxy);
        imds_glue_free(&p->imds);
        free(p);
    }
    memset(pc, 0, sizeof *pc);
}

/* ---- agent config ---------------------------------------------------------- */

static int load_agent_config(struct priv *p, const struct options *o, char *err, size_t errlen)
{
    char path[4200];
    if (o->agent_config) {
        snprintf(path, sizeof path, "%s", o->agent_config);
    } else if (!agentcfg_default_path(o->root, path, sizeof path)) {
        return EXIT_OK;
    }
    enum agentcfg_rc rc = agentcfg_load(path, &p->cfg, NULL, 0);
    if (rc == AGENTCFG_OK) {
        p->cfg_loaded = true;
        return EXIT_OK;
    }
    if (rc == AGENTCFG_ABSENT && !o->agent_config_explicit)
        return EXIT_OK;
    if (o->agent_config_explicit) {
        snprintf(err, errlen, "--agent-config: %s", p->cfg.error[0] ? p->cfg.error : path);
        return EXIT_USAGE;
    }
    /* The default file is broken: the agent will not start well either. */
    snprintf(p->cfg_warning, sizeof p->cfg_warning, "%s", p->cfg.error);
    return EXIT_OK;
}

static void fill_plan_agent(struct probe_context *pc, struct priv *p)
{
    if (!p->cfg_loaded)
        return;
    pc->agent.service_domain = p->cfg.service_domain;
    for (int s = 0; s < SVC_COUNT; s++) {
        pc->agent.endpoint[s] = p->cfg.endpoint[s];
        pc->agent.endpoint_key[s] = agentcfg_endpoint_key((enum service)s);
    }
}

/* ---- region ------------------------------------------------------------------ */

static int discover(struct priv *p, struct options *o, struct report *r, char *err,
                    size_t errlen)
{
    struct discover_input in;
    struct discover_result res;
    int rc = EXIT_OK;

    if (o->nregions || o->all_regions) {
        snprintf(r->region_source, sizeof r->region_source, "flag");
        return EXIT_OK;
    }
    memset(&in, 0, sizeof in);
    in.envp = environ;
    in.cfg = p->cfg_loaded ? &p->cfg : NULL;
    in.root = o->root;
    in.imds = DISCOVER_IMDS_PENDING;
    discover_result_init(&res);
    enum discover_rc d = discover_region(&in, &res);
    if (d == DISCOVER_NEED_IMDS) {
        imds_glue_run(&p->imds, o);
        discover_result_free(&res);
        discover_result_init(&res);
        in.imds = p->imds.ran ? DISCOVER_IMDS_DONE : DISCOVER_IMDS_DISABLED;
        in.imds_region = p->imds.region[0] ? p->imds.region : NULL;
        in.imds_error = p->imds.why_not[0] ? p->imds.why_not : NULL;
        d = discover_region(&in, &res);
    }
    if (d != DISCOVER_FOUND) {
        /* A broken default config is why Agent.Region could not help: say so. */
        snprintf(err, errlen, "%s%s%s", res.message[0] ? res.message : "no region found",
                 p->cfg_warning[0] ? "; " : "", p->cfg_warning);
        rc = EXIT_USAGE;
        goto out;
    }
    for (int i = 0; i < res.nregions; i++) {
        char why[300];
        if (!regions_valid_syntax(res.regions[i], why, sizeof why)) {
            snprintf(err, errlen, "region from %s: %s", res.source, why);
            rc = EXIT_USAGE;
            goto out;
        }
        o->regions = xrealloc(o->regions, (size_t)(o->nregions + 1) * sizeof *o->regions);
        o->regions[o->nregions++] = xstrdup(res.regions[i]);
    }
    snprintf(r->region_source, sizeof r->region_source, "%s", res.source);
out:
    discover_result_free(&res);
    return rc;
}

/* ---- proxy --------------------------------------------------------------------- */

static int choose_proxy(struct probe_context *pc, struct priv *p, const struct options *o,
                        struct report *r, char *err, size_t errlen)
{
    const char *url = NULL, *noproxy = NULL;
    char source[PROXY_SOURCE_LEN] = "";

    if (o->proxy_source != PROXY_SOURCE_NONE && o->proxy_source != PROXY_SOURCE_AGENT) {
        proxy_settings_from_env(environ, "env", &p->env_ps);
        p->env_ps_used = true;
    }
    /* The agent's own settings are read in the default mode too, so that a
     * shell/agent mismatch can be reported; they are used only when this
     * shell has no proxy. Under --root, the process table is <root>/proc. */
    if (o->proxy_source == PROXY_SOURCE_AGENT || o->proxy_source == PROXY_SOURCE_DEFAULT) {
        char procdir[4200];
        bool live = strcmp(o->root, "/") == 0;
        snprintf(procdir, sizeof procdir, "%s/proc", o->root);
        proxy_settings_from_agent(o->root, live ? NULL : procdir, &p->agent_ps);
        p->agent_ps_used = true;
    }
    const struct proxy_settings *ps = NULL;
    if (p->env_ps_used && p->env_ps.https_proxy)
        ps = &p->env_ps;
    else if (p->agent_ps_used && p->agent_ps.https_proxy && !o->proxy_given)
        ps = &p->agent_ps;
    p->chosen = o->proxy_given ? NULL : ps;
    if (o->proxy_given) {
        url = o->proxy[0] ? o->proxy : NULL;
        snprintf(source, sizeof source, "flag");
    } else if (ps) {
        url = ps->https_proxy;
        snprintf(source, sizeof source, "%s", ps->source);
    }
    if (o->noproxy_given)
        noproxy = o->noproxy;
    else if (ps && ps->no_proxy)
        noproxy = ps->no_proxy;
    else if (p->env_ps_used && p->env_ps.no_proxy)
        noproxy = p->env_ps.no_proxy;
    if (!url)
        return EXIT_OK;

    char perr[200];
    if (proxy_url_parse(url, &p->url, perr, sizeof perr) < 0) {
        snprintf(err, errlen, "%s proxy URL: %s", o->proxy_given ? "--proxy:" : source, perr);
        return EXIT_USAGE;
    }
    p->url_parsed = true;
    if (noproxy)
        p->noproxy = xstrdup(noproxy);
    if (p->url.user) {
        size_t ul = strlen(p->url.user), pl = p->url.password ? strlen(p->url.password) : 0;
        char *cred = xmalloc(ul + pl + 2);
        memcpy(cred, p->url.user, ul);
        cred[ul] = ':';
        if (pl)
            memcpy(cred + ul + 1, p->url.password, pl);
        cred[ul + 1 + pl] = '\0';
        p->auth_b64 = proxy_base64((const unsigned char *)cred, ul + 1 + pl);
        memset(cred, 0, ul + pl + 1);
        free(cred);
    }
    r->proxy.configured = true;
    r->proxy.url = proxy_url_redacted(&p->url);
    snprintf(r->proxy.source, sizeof r->proxy.source, "%s", source);
    r->proxy.noproxy = noproxy ? xstrdup(noproxy) : NULL;
    pc->proxy_in_use = true;
    pc->engine_proxy.host = p->url.host;
    pc->engine_proxy.port = p->url.port;
    pc->engine_proxy.auth_b64 = p->auth_b64;
    return EXIT_OK;
}

int probe_context_prepare(struct probe_context *pc, struct options *o, struct report *r,
                          char *err, size_t errlen)
{
    struct priv *p = pc->priv;
    int rc = load_agent_config(p, o, err, errlen);
    if (rc != EXIT_OK)
        return rc;
    fill_plan_agent(pc, p);
    if (imds_glue_check_options(o, err, errlen) < 0)
        return EXIT_USAGE;
    rc = discover(p, o, r, err, errlen);
    if (rc != EXIT_OK)
        return rc;
    rc = choose_proxy(pc, p, o, r, err, errlen);
    if (rc != EXIT_OK)
        return rc;

    /* Host checks before the run: the agent version decides verdicts. */
    if (o->host_checks) {
        struct hostcheck_opts ho;
        memset(&ho, 0, sizeof ho);
        ho.root = o->root;
        ho.use_rpm = -1;
        p->facts = xcalloc(1, sizeof *p->facts);
        hostcheck_run(&ho, p->facts);
        hostcheck_fill_context(p->facts, &r->host);
        struct timesync_facts ts;
        char procdir[4200];
        snprintf(procdir, sizeof procdir, "%s/proc", strcmp(o->root, "/") == 0 ? "" : o->root);
        timesync_check(o->root, procdir, &ts);
        timesync_describe(&ts, p->time_sync, sizeof p->time_sync);
        pc->verdict.time_sync = p->time_sync;
        clienttools_check(o->root, &p->clients);
        r->host.checked = true;
        if (r->host.agent_version[0])
            pc->verdict.agent_version = r->host.agent_version;
    }
    /* IMDS also feeds the VPC CIDRs used to place private endpoints. */
    imds_glue_run(&p->imds, o); /* once: a no-op when discovery already asked */
    if (p->imds.ran) {
        imds_glue_fill(&p->imds, &r->imds);
        pc->verdict.vpc_cidrs = (const char **)p->imds.cidrs;
        pc->verdict.nvpc_cidrs = p->imds.ncidrs;
    }
    return EXIT_OK;
}

int probe_context_proxy_targets(struct probe_context *pc, const struct options *o,
                                struct report *r, char *err, size_t errlen)
{
    struct priv *p = pc->priv;
    (void)o; (void)err; (void)errlen;
    if (!pc->proxy_in_use)
        return EXIT_OK;
    p->use_proxy = xcalloc((size_t)(r->ntargets ? r->ntargets : 1), sizeof *p->use_proxy);
    for (int i = 0; i < r->ntargets; i++) {
        const struct target_result *t = &r->targets[i];
        bool direct = p->noproxy && noproxy_go_match(p->noproxy, t->host, t->port);
        p->use_proxy[i] = !direct;
    }
    pc->engine_proxy.use_for_target = p->use_proxy;
    return EXIT_OK;
}

/* ---- findings about the context ---------------------------------------------------- */

static void proxy_findings(struct priv *p, struct report *r)
{
    if (!r->proxy.configured)
        return;
    const char *np = p->noproxy ? p->noproxy : "";
    if (!noproxy_go_match(np, "169.254.169.254", 80)) {
        struct finding *f = report_add_finding(r, STATUS_WARN, "proxy_imds");
        snprintf(f->message, sizeof f->message,
                 "a proxy is configured (%s) and no_proxy (%s) lacks 169.254.169.254: IMDS"
                 " requests sent through http_proxy reach the proxy instead of the instance",
                 r->proxy.source, np[0] ? np : "empty");
        snprintf(f->hint, sizeof f->hint, "add 169.254.169.254 (and fd00:ec2::254 with IPv6"
                 " IMDS) to no_proxy/NO_PROXY in the agent's environment (systemd drop-in)");
    }
    if (p->url.tls_scheme) {
        struct finding *f = report_add_finding(r, STATUS_WARN, "proxy_https_scheme");
        snprintf(f->message, sizeof f->message,
                 "the proxy URL uses https://: the agent then speaks TLS to the proxy itself;"
                 " ssmprobe probes it as a plain HTTP CONNECT proxy (TLS to the proxy is not"
                 " supported)");
        snprintf(f->hint, sizeof f->hint, "if the proxy is a plain HTTP proxy, write http:// in"
                 " https_proxy: with https:// the agent fails with \"proxyconnect tcp: tls:"
                 " first record does not look like a TLS handshake\"");
    }
    for (int i = 0; i < r->ntargets; i++) {
        const struct target_result *t = &r->targets[i];
        bool go = p->noproxy && noproxy_go_match(p->noproxy, t->host, t->port);
        bool curl = p->noproxy && noproxy_curl_match(p->noproxy, t->host);
        if (go == curl)
            continue;
        struct finding *f = report_add_finding(r, STATUS_INFO, "noproxy_curl_differs");
        snprintf(f->message, sizeof f->message,
                 "for %s the agent (Go NO_PROXY rules) goes %s, but curl with the same no_proxy"
                 " would go %s", t->host, go ? "direct" : "through the proxy",
                 curl ? "direct" : "through the proxy");
        snprintf(f->hint, sizeof f->hint, "test with ssmprobe rather than curl, or write"
                 " no_proxy entries both understand (a plain domain suffix without *)");
        finding_add_target(f, t->host);
    }
    if (p->env_ps_used && p->agent_ps_used && (p->env_ps.https_proxy || p->agent_ps.https_proxy) &&
        p->agent_ps.found && proxy_settings_differ(&p->env_ps, &p->agent_ps)) {
        struct finding *f = report_add_finding(r, STATUS_WARN, "proxy_mismatch");
        snprintf(f->message, sizeof f->message, "this shell's proxy settings differ from the"
                 " agent's (%s)", p->agent_ps.source[0] ? p->agent_ps.source : "none found");
        snprintf(f->hint, sizeof f->hint, "set https_proxy/no_proxy for the agent in a systemd"
                 " drop-in (/etc/systemd/system/amazon-ssm-agent.service.d/override.conf), then"
                 " systemctl daemon-reload and restart amazon-ssm-agent");
    }
}

/* What discovery could not read or noticed (never holds proxy values). */
static void proxy_notes(const struct proxy_settings *ps, struct report *r)
{
    for (int i = 0; i < ps->nnotes; i++) {
        /* Reading the drop-ins because no agent runs is normal, not news. */
        if (strncmp(ps->notes[i], "no running amazon-ssm-agent process", 35) == 0)
            continue;
        struct finding *f = report_add_finding(r, STATUS_INFO, "proxy_discovery");
        snprintf(f->message, sizeof f->message, "%s", ps->notes[i]);
        snprintf(f->hint, sizeof f->hint, "run as root to read the agent's own environment, or"
                 " give --proxy explicitly");
    }
}

void probe_context_after_run(struct probe_context *pc, const struct options *o, struct report *r)
{
    struct priv *p = pc->priv;
    /* Discovery notes matter only where a proxy is in play or was asked for. */
    if (p->chosen)
        proxy_notes(p->chosen, r);
    else if (o->proxy_source == PROXY_SOURCE_AGENT && p->agent_ps_used)
        proxy_notes(&p->agent_ps, r);
    for (int i = 0; i < r->nregions; i++) {
        if (regions_find(r->regions[i]))
            continue;
        const char *near = regions_suggest(r->regions[i]);
        struct finding *f = report_add_finding(r, STATUS_WARN, "region_unknown");
        snprintf(f->message, sizeof f->message, "region %s is not in the built-in table; is it"
                 " new?%s%s%s", r->regions[i], near ? " (did you mean " : "", near ? near : "",
                 near ? "?)" : "");
        snprintf(f->hint, sizeof f->hint, "check the region name; a region launched after this"
                 " build is probed with the partition's naming rule");
    }
    if (p->cfg_warning[0]) {
        struct finding *f = report_add_finding(r, STATUS_WARN, "agent_config_invalid");
        snprintf(f->message, sizeof f->message, "%s", p->cfg_warning);
        snprintf(f->hint, sizeof f->hint, "fix the JSON of the agent's config (compare with"
                 " amazon-ssm-agent.json.template) and restart the agent");
    }
    proxy_findings(p, r);
    if (p->imds.ran)
        imds_glue_report(&p->imds, o, pc->verdict.agent_version, r);
    if (p->facts) {
        hostcheck_report(p->facts, p->imds.ran ? (p->imds.reachable ? 1 : 0) : -1, r);
        hostextra_report(&p->clients, r);
    }
}
