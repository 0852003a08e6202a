/* fuzz_agentcfg.c — libFuzzer target: the SSM agent's JSON configuration
 * (agentcfg_parse: Agent.Region, Agent.ServiceDomain, the Endpoint
 * overrides, Go-style case-insensitive keys), the endpoint-value reducer
 * agentcfg_endpoint_host, and the hybrid registration file
 * (discover_read_registration, fed through a file under a private root
 * because it reads only from a path).
 *
 *   tests/fuzz/run agentcfg
 *
 * Invariants: parsed strings are non-empty when set; endpoint hosts fit and
 * are lower case; the registration's fields are NUL-terminated. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agentcfg.h"
#include "discover.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];
static char regpath[160];

static void setup(void)
{
    char dir[160];
    snprintf(root, sizeof root, "/tmp/fuzz_agentcfg.%ld", (long)getpid());
    snprintf(dir, sizeof dir, "%s/var", root);
    mkdir(root, 0700);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/var/lib", root);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/var/lib/amazon", root);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/var/lib/amazon/ssm", root);
    mkdir(dir, 0700);
    snprintf(regpath, sizeof regpath, "%s/var/lib/amazon/ssm/registration", root);
}

static void cleanup(void)
{
    char dir[160];
    unlink(regpath);
    const char *sub[] = {"/var/lib/amazon/ssm", "/var/lib/amazon", "/var/lib", "/var", ""};
    for (int i = 0; i < 5; i++) {
        snprintf(dir, sizeof dir, "%s%s", root, sub[i]);
        rmdir(dir);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!root[0]) {
        setup();
        atexit(cleanup);
    }
    if (size > 65536)
        return 0;
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);

    struct agentcfg cfg;
    char err[512];
    enum agentcfg_rc rc = agentcfg_parse(buf, size, "fuzz.json", &cfg, err, sizeof err);
    if (rc != AGENTCFG_OK && rc != AGENTCFG_ERROR && rc != AGENTCFG_ABSENT)
        abort();
    if (strnlen(cfg.error, sizeof cfg.error) == sizeof cfg.error)
        abort();
    if (rc == AGENTCFG_OK) {
        if ((cfg.region && !*cfg.region) || (cfg.service_domain && !*cfg.service_domain))
            abort();
        for (int i = 0; i < SVC_COUNT; i++)
            if (cfg.endpoint[i] && !*cfg.endpoint[i])
                abort();
    }
    agentcfg_free(&cfg);

    /* The endpoint reducer on the raw input as a string. */
    char *s = malloc(size + 1);
    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
        char host[300];
        if (agentcfg_endpoint_host(s, host, sizeof host, err, sizeof err) == 0) {
            if (!host[0] || strnlen(host, sizeof host) == sizeof host)
                abort();
            for (char *p = host; *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                    abort();
        }
        char small[8];
        (void)agentcfg_endpoint_host(s, small, sizeof small, err, sizeof err);
        free(s);
    }

    /* The registration file. */
    FILE *f = fopen(regpath, "wb");
    if (f) {
        fwrite(data, 1, size, f);
        fclose(f);
        struct discover_registration reg;
        int r = discover_read_registration(root, &reg);
        if (r == 1 && (!reg.parsed || strnlen(reg.region, sizeof reg.region) == sizeof reg.region))
            abort();
    }
    free(buf);
    return 0;
}
