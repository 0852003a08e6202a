/* agentcfg.h — read the SSM agent's own JSON configuration.
 *
 * The agent reads /etc/amazon/ssm/amazon-ssm-agent.json (or, for a snap
 * install, <snap>/configuration/amazon-ssm-agent.json when that exists) and
 * uses Agent.Region, Agent.ServiceDomain and the per-service Endpoint
 * overrides to build the host names it dials (ssm-facts §4.1). This module
 * extracts exactly those keys, the way Go's encoding/json would: object keys
 * match case-insensitively, the last match wins, null means "not set".
 *
 * Pure: no printing; errors go into the struct (and the caller's buffer). */
#ifndef SSMPROBE_AGENTCFG_H
#define SSMPROBE_AGENTCFG_H

#include <stdbool.h>
#include <stddef.h>

#include "regions.h"

#define AGENTCFG_MAX_SIZE (1024 * 1024)   /* bytes; larger files are rejected */
#define AGENTCFG_PATH "/etc/amazon/ssm/amazon-ssm-agent.json"
#define AGENTCFG_SNAP_PATH "/snap/amazon-ssm-agent/current/configuration/amazon-ssm-agent.json"

enum agentcfg_rc {
    AGENTCFG_OK = 0,       /* read and parsed */
    AGENTCFG_ABSENT = 1,   /* no such file (not an error for the default path) */
    AGENTCFG_ERROR = -1    /* unreadable, too large, malformed JSON or a key of the wrong type */
};

struct agentcfg {
    bool loaded;                 /* the file was read and parsed */
    char path[4096];             /* the file read (or tried), as given */
    char *region;                /* Agent.Region; malloced, NULL when unset or "" */
    char *service_domain;        /* Agent.ServiceDomain; malloced, NULL when unset or "" */
    char *endpoint[SVC_COUNT];   /* host[:port] of Ssm/Mgs/Mds/S3/Kms.Endpoint; malloced or NULL */
    char *endpoint_raw[SVC_COUNT]; /* the value as written in the file; malloced or NULL */
    int err_line, err_column;    /* 1-based position of a JSON syntax error, 0 when none */
    char error[512];             /* "" when none; names the file (and line:column) */
};

/* The config key that overrides a service, "Ssm.Endpoint", …, or NULL for a
 * service the agent has no override for (logs, sts, monitoring, ec2). */
const char *agentcfg_endpoint_key(enum service svc);

/* Join root ("/" or a directory) and the default path into out. When a snap
 * configuration file exists under root it is chosen, as the snap agent does.
 * Returns false when out is too small. */
bool agentcfg_default_path(const char *root, char *out, size_t outlen);

/* Read and parse path into cfg (cfg is initialised here; free it with
 * agentcfg_free whatever the result). On AGENTCFG_ERROR cfg->error holds
 * the reason, also copied into err when err is non-NULL. */
enum agentcfg_rc agentcfg_load(const char *path, struct agentcfg *cfg, char *err, size_t errlen);

/* Parse a buffer (for tests and fuzzers); name is used in messages. */
enum agentcfg_rc agentcfg_parse(const char *buf, size_t len, const char *name,
                                struct agentcfg *cfg, char *err, size_t errlen);

/* Reduce an endpoint value ("host", "host:port", "https://host[:port]/path",
 * "https://[v6]:port") to host[:port] in out, lower-cased. Returns 0, or -1
 * with a reason in err (empty, bad scheme, bad characters, too long). */
int agentcfg_endpoint_host(const char *value, char *out, size_t outlen, char *err, size_t errlen);

void agentcfg_init(struct agentcfg *cfg);
void agentcfg_free(struct agentcfg *cfg);

#endif
