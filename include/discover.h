/* discover.h — which region(s) to probe when the user did not say.
 *
 * SPEC order: --region > AWS_REGION > AWS_DEFAULT_REGION > the agent
 * config's Agent.Region > the hybrid registration file > IMDS. The first
 * source with a non-empty value wins and is named in the result
 * ("flag", "env:AWS_REGION", "env:AWS_DEFAULT_REGION", "agent-config",
 * "registration", "imds").
 *
 * IMDS is asynchronous (the engine's loop), so discovery runs in up to two
 * steps: call discover_region() with imds = DISCOVER_IMDS_PENDING; when no
 * local source answers it returns DISCOVER_NEED_IMDS; run IMDS, fill in
 * imds/imds_region/imds_error and call again. An engine that queries IMDS
 * anyway may also run it first and call once with DISCOVER_IMDS_DONE.
 *
 * Pure: no printing, no globals; the environment comes in through the
 * input so that tests do not touch the process environment. */
#ifndef SSMPROBE_DISCOVER_H
#define SSMPROBE_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "agentcfg.h"

#define DISCOVER_REGISTRATION_PATH "/var/lib/amazon/ssm/registration"
#define DISCOVER_REGISTRATION_MAX (64 * 1024) /* bytes */

/* The hybrid (on-premises) registration file written by
 * `amazon-ssm-agent -register`: {"ManagedInstanceID":"mi-…","Region":"…"}.
 * Only these two keys are read; nothing in it is secret, but the vault
 * beside it is, and is never opened. */
struct discover_registration {
    bool present;            /* the file exists (even if unreadable) */
    bool parsed;             /* read and parsed as a JSON object */
    char path[4096];
    char instance_id[128];   /* ManagedInstanceID, "" when absent */
    char region[128];        /* Region, "" when absent */
    char error[320];         /* why it could not be used, "" when fine or absent */
};

/* Read <root>/var/lib/amazon/ssm/registration (root NULL or "/": the live
 * system). Returns 1 when parsed, 0 when absent, -1 on error (reg->error). */
int discover_read_registration(const char *root, struct discover_registration *reg);

enum discover_imds {
    DISCOVER_IMDS_PENDING = 0, /* not asked yet: discovery stops with DISCOVER_NEED_IMDS */
    DISCOVER_IMDS_DISABLED,    /* not to be asked (--no-imds, not EC2): imds_error says why */
    DISCOVER_IMDS_DONE         /* asked: imds_region, or imds_error */
};

/* A getenv(3)-like lookup; returns NULL when unset. */
typedef const char *(*discover_getenv_fn)(const char *name, void *ud);

struct discover_input {
    char *const *flag_regions;  /* --region values as given (may hold "all"); NULL when none */
    int nflag_regions;
    /* Environment, first that is set: getenv_fn(name, getenv_ud); envp, a
     * NULL-terminated "K=V" array; else the process environment. */
    discover_getenv_fn getenv_fn;
    void *getenv_ud;
    char *const *envp;
    const struct agentcfg *cfg; /* loaded by the caller (agentcfg_load), or NULL when not read */
    const char *root;           /* prefix for the registration file; NULL means "/" */
    enum discover_imds imds;
    const char *imds_region;    /* DONE: the region IMDS reported, NULL or "" when none */
    const char *imds_error;     /* DONE without a region, or DISABLED: the reason */
};

enum discover_rc {
    DISCOVER_FOUND = 0,     /* regions and source are set */
    DISCOVER_NEED_IMDS = 1, /* only IMDS is left: ask it, then call again */
    DISCOVER_NONE = -1      /* nothing anywhere: message names every source tried */
};

struct discover_result {
    char **regions;         /* malloced array of malloced names; NULL when none */
    int nregions;
    char source[32];        /* "flag", "env:AWS_REGION", …; "" when none */
    char origin[4160];      /* where exactly: the file path, variable or "--region"; "" when none */
    char tried[2048];       /* "source: why nothing" entries, "; "-separated, in order */
    char message[2304];     /* DISCOVER_NONE: one line for stderr naming every source tried */
    struct discover_registration registration; /* as read, when that step ran */
};

void discover_result_init(struct discover_result *res);
void discover_result_free(struct discover_result *res);

/* Run the discovery order. res is (re)initialised; free with
 * discover_result_free. Returns a discover_rc. */
enum discover_rc discover_region(const struct discover_input *in, struct discover_result *res);

#endif
