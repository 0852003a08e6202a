/* regions.c — partition/region lookups and endpoint naming over the
 * generated table in regions_data.c (see include/regions.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "regions.h"
#include "regions_data.h"

static const char *const service_names[SVC_COUNT] = {
    [SVC_SSM] = "ssm",
    [SVC_SSMMESSAGES] = "ssmmessages",
    [SVC_EC2MESSAGES] = "ec2messages",
    [SVC_S3] = "s3",
    [SVC_KMS] = "kms",
    [SVC_LOGS] = "logs",
    [SVC_STS] = "sts",
    [SVC_MONITORING] = "monitoring",
    [SVC_EC2] = "ec2",
};

const char *service_name(enum service s)
{
    if ((unsigned)s >= SVC_COUNT)
        return "?";
    return service_names[s];
}

int service_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < SVC_COUNT; i++)
        if (strcmp(service_names[i], name) == 0)
            return i;
    return -1;
}

int services_parse(const char *list, unsigned *mask, char *why, size_t whylen)
{
    unsigned m = 0;
    const char *p = list ? list : "";

    if (why && whylen)
        why[0] = '\0';
    for (;;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char name[32];

        if (n == 0) {
            if (why && whylen)
                snprintf(why, whylen, "empty service name in \"%s\"", list ? list : "");
            return -1;
        }
        if (n >= sizeof name) {
            if (why && whylen)
                snprintf(why, whylen, "unknown service \"%.*s\"", (int)n, p);
            return -1;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        if (strcmp(name, "all") == 0) {
            m |= SVC_ALL_MASK;
        } else {
            int s = service_from_name(name);
            if (s < 0) {
                if (why && whylen)
                    snprintf(why, whylen,
                             "unknown service \"%s\" (known: ssm, ssmmessages, ec2messages, s3, "
                             "kms, logs, sts, monitoring, ec2, all)", name);
                return -1;
            }
            m |= SVC_BIT(s);
        }
        if (!e)
            break;
        p = e + 1;
    }
    *mask = m;
    return 0;
}

const struct partition_info *regions_partitions(size_t *n)
{
    if (n)
        *n = regions_data_npartitions;
    return regions_data_partitions;
}

const struct partition_info *regions_partition(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < regions_data_npartitions; i++)
        if (strcmp(regions_data_partitions[i].name, name) == 0)
            return &regions_data_partitions[i];
    return NULL;
}

static const struct region_info *find_in(const struct partition_info *p, const char *region)
{
    for (size_t j = 0; j < p->nregions; j++)
        if (strcmp(p->regions[j].name, region) == 0)
            return &p->regions[j];
    return NULL;
}

const struct region_info *regions_find(const char *region)
{
    if (!region)
        return NULL;
    for (size_t i = 0; i < regions_data_npartitions; i++) {
        const struct region_info *r = find_in(&regions_data_partitions[i], region);
        if (r)
            return r;
    }
    return NULL;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Region prefix -> partition, for regions not in the table (the agent's
 * prefix rule, endpoint.go, plus aws-us-gov which shares the aws suffix). */
static const struct {
    const char *prefix;
    const char *partition;
} prefix_rules[] = {
    { "cn-", "aws-cn" },
    { "us-gov-", "aws-us-gov" },
    { "us-iso-", "aws-iso" },
    { "us-isob-", "aws-iso-b" },
    { "us-isof-", "aws-iso-f" },
    { "eu-isoe-", "aws-iso-e" },
    { "eusc-", "aws-eusc" },
};

const struct partition_info *regions_partition_of(const char *region)
{
    if (!region)
        return regions_partition("aws");
    for (size_t i = 0; i < regions_data_npartitions; i++)
        if (find_in(&regions_data_partitions[i], region))
            return &regions_data_partitions[i];
    for (size_t i = 0; i < sizeof prefix_rules / sizeof prefix_rules[0]; i++) {
        if (has_prefix(region, prefix_rules[i].prefix)) {
            const struct partition_info *p = regions_partition(prefix_rules[i].partition);
            if (p)
                return p;
        }
    }
    return regions_partition("aws") ? regions_partition("aws") : &regions_data_partitions[0];
}

/* The agent's own rule (common/identity/endpoint/endpoint.go). */
const char *regions_agent_domain(const char *region)
{
    static const struct {
        const char *prefix;
        const char *domain;
    } rules[] = {
        { "cn-", "amazonaws.com.cn" },
        { "us-iso-", "c2s.ic.gov" },
        { "us-isob-", "sc2s.sgov.gov" },
        { "us-isof-", "csp.hci.ic.gov" },
        { "eu-isoe-", "cloud.adc-e.uk" },
        { "eusc-de-", "amazonaws.eu" },
    };
    if (region)
        for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
            if (has_prefix(region, rules[i].prefix))
                return rules[i].domain;
    return "amazonaws.com";
}

/* ---- validation and suggestions ------------------------------------- */

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[128];

    if (la >= 127 || lb >= 127)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 0 : 1;
            size_t best = diag + cost;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (up + 1 < best)
                best = up + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *regions_suggest(const char *region)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;

    if (!region || !*region)
        return NULL;
    for (size_t i = 0; i < regions_data_npartitions; i++) {
        const struct partition_info *p = &regions_data_partitions[i];
        for (size_t j = 0; j < p->nregions; j++) {
            size_t d = edit_distance(region, p->regions[j].name);
            if (d < bestd) {
                bestd = d;
                best = p->regions[j].name;
            }
        }
    }
    /* Close enough to be a typo: at most 3 edits and under a third of the name. */
    if (best && bestd > 0 && bestd <= 3 && bestd * 3 <= strlen(best))
        return best;
    /* Only case differs. */
    if (best && bestd == 0 && strcmp(best, region) != 0)
        return best;
    return NULL;
}

/* ^[a-z]{2,4}(-[a-z]+)+-[0-9]+$ */
static bool region_shape_ok(const char *s)
{
    size_t n = 0;
    int words = 0;

    while (s[n] >= 'a' && s[n] <= 'z')
        n++;
    if (n < 2 || n > 4)
        return false;
    s += n;
    for (;;) {
        if (*s != '-')
            return false;
        s++;
        if (*s >= 'a' && *s <= 'z') {
            while (*s >= 'a' && *s <= 'z')
                s++;
            words++;
            continue;
        }
        if (*s >= '0' && *s <= '9' && words > 0) {
            while (*s >= '0' && *s <= '9')
                s++;
            return *s == '\0';
        }
        return false;
    }
}

bool regions_valid_syntax(const char *region, char *why, size_t whylen)
{
    const char *reason = NULL;
    char buf[256];

    if (!region || !*region) {
        reason = "empty region name";
    } else if (strlen(region) > 100) {
        reason = "longer than 100 characters";
    } else {
        for (const char *p = region; *p; p++) {
            if (!isalnum((unsigned char)*p) && *p != '-') {
                reason = "only letters, digits and '-' are allowed";
                break;
            }
        }
        if (!reason && !region_shape_ok(region)) {
            bool upper = false;
            for (const char *p = region; *p; p++)
                if (isupper((unsigned char)*p))
                    upper = true;
            reason = upper ? "region names are lower case (e.g. us-east-1)"
                           : "not of the form AREA-NAME-N (e.g. us-east-1)";
        }
    }
    if (!reason)
        return true;
    if (why && whylen) {
        const char *sugg = region ? regions_suggest(region) : NULL;
        if (region && *region && strlen(region) <= 100)
            snprintf(buf, sizeof buf, "invalid region \"%s\": %s", region, reason);
        else
            snprintf(buf, sizeof buf, "invalid region: %s", reason);
        if (sugg)
            snprintf(why, whylen, "%s; did you mean %s?", buf, sugg);
        else
            snprintf(why, whylen, "%s", buf);
    }
    return false;
}

/* ---- endpoint names -------------------------------------------------- */

static const struct endpoint_variant *find_variant(enum service svc, const char *region, unsigned tags)
{
    if (!region)
        return NULL;
    for (size_t i = 0; i < regions_data_nvariants; i++) {
        const struct endpoint_variant *v = &regions_data_variants[i];
        if (v->svc == (unsigned)svc && v->tags == tags && strcmp(v->region, region) == 0)
            return v;
    }
    return NULL;
}

bool endpoint_fips_offered(enum service svc, const char *region)
{
    return find_variant(svc, region, REGIONS_VAR_FIPS) != NULL;
}

bool endpoint_dualstack_offered(enum service svc, const char *region)
{
    return find_variant(svc, region, REGIONS_VAR_DUALSTACK) != NULL;
}

bool endpoint_name(enum service svc, const char *region, const char *service_domain,
                   bool fips, bool dualstack, char *out, size_t outlen)
{
    const struct partition_info *p;
    const char *suffix, *dsuffix, *name;
    unsigned tags = (fips ? REGIONS_VAR_FIPS : 0) | (dualstack ? REGIONS_VAR_DUALSTACK : 0);
    bool custom_domain;
    int n;

    if (!out || outlen == 0 || !region || (unsigned)svc >= SVC_COUNT)
        return false;
    out[0] = '\0';
    p = regions_partition_of(region);
    suffix = regions_agent_domain(region);
    custom_domain = service_domain && *service_domain && strcmp(service_domain, suffix) != 0;
    if (custom_domain)
        suffix = service_domain;
    dsuffix = p->dualstack_suffix ? p->dualstack_suffix : suffix;
    name = service_name(svc);

    /* A published variant host wins (e.g. aws-us-gov FIPS == standard host). */
    if (tags && !custom_domain) {
        const struct endpoint_variant *v = find_variant(svc, region, tags);
        if (v) {
            n = snprintf(out, outlen, "%s", v->hostname);
            return n >= 0 && (size_t)n < outlen;
        }
    }
    if (svc == SVC_S3 && dualstack)
        n = snprintf(out, outlen, "s3%s.dualstack.%s.%s", fips ? "-fips" : "", region, suffix);
    else if (dualstack)
        n = snprintf(out, outlen, "%s%s.%s.%s", name, fips ? "-fips" : "", region, dsuffix);
    else
        n = snprintf(out, outlen, "%s%s.%s.%s", name, fips ? "-fips" : "", region, suffix);
    if (n < 0 || (size_t)n >= outlen) {
        out[0] = '\0';
        return false;
    }
    return true;
}
