/* regions_cmd.c — `ssmprobe regions`: list the built-in partitions, regions
 * and the endpoint names a probe would use. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "msgs.h"
#include "regions.h"
#include "regions_data.h"
#include "subcommands.h"

#define REGIONS_WIDTH 100

static void regions_usage(FILE *f)
{
    fputs("usage: ssmprobe regions [--partition P] [-o text|json] [--json]\n"
          "                        [-s LIST] [--fips] [--dualstack]\n"
          "\n"
          "List the built-in partitions and regions (description, opt-in) and the\n"
          "endpoint names ssmprobe would probe in each region.\n"
          "\n"
          "  --partition P      aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e,\n"
          "                     aws-iso-f, aws-eusc or all (default: all)\n"
          "  -o, --output FMT   text or json (default: text)\n"
          "  --json             same as -o json\n"
          "  -s, --services L   ssm,ssmmessages,ec2messages,s3,kms,logs,sts,monitoring,\n"
          "                     ec2 or all (default: ssm,ssmmessages,ec2messages)\n"
          "  --fips             show the FIPS endpoint names\n"
          "  --dualstack        show the dual-stack endpoint names\n"
          "  -h, --help         this help\n"
          "\n"
          "A FIPS or dual-stack name the published data does not list is marked\n"
          "\"not offered\" (text) or listed under \"not_offered\" (json).\n", f);
}

static void partition_list(char *buf, size_t len)
{
    size_t n, used = 0;
    const struct partition_info *p = regions_partitions(&n);

    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(buf + used, len - used, "%s, ", p[i].name);
        if (w < 0 || (size_t)w >= len - used)
            return;
        used += (size_t)w;
    }
    snprintf(buf + used, len - used, "all");
}

static bool variant_offered(enum service s, const char *region, bool fips, bool dualstack)
{
    unsigned tags = (fips ? REGIONS_VAR_FIPS : 0) | (dualstack ? REGIONS_VAR_DUALSTACK : 0);

    if (fips && !dualstack)
        return endpoint_fips_offered(s, region);
    if (dualstack && !fips)
        return endpoint_dualstack_offered(s, region);
    /* fips+dualstack: only where that combined host is published */
    for (size_t i = 0; i < regions_data_nvariants; i++)
        if (regions_data_variants[i].svc == (unsigned)s && regions_data_variants[i].tags == tags &&
            strcmp(regions_data_variants[i].region, region) == 0)
            return true;
    return false;
}

static const char *variant_label(bool fips, bool dualstack)
{
    if (fips && dualstack)
        return "fips+dualstack";
    if (fips)
        return "fips";
    if (dualstack)
        return "dualstack";
    return "standard";
}

static int print_text(const struct partition_info *const *parts, size_t nparts, unsigned mask,
                      bool fips, bool dualstack)
{
    char host[256];

    for (size_t i = 0; i < nparts; i++) {
        const struct partition_info *p = parts[i];
        size_t nopt = 0;

        for (size_t j = 0; j < p->nregions; j++)
            nopt += p->regions[j].opt_in;
        if (i > 0)
            putchar('\n');
        printf("%s: DNS suffix %s, dual-stack suffix %s; %zu region%s", p->name, p->dns_suffix,
               p->dualstack_suffix ? p->dualstack_suffix : "-", p->nregions,
               p->nregions == 1 ? "" : "s");
        if (nopt)
            printf(" (%zu opt-in)", nopt);
        putchar('\n');
        printf("  %-16s %-7s %s\n", "REGION", "OPT-IN", "DESCRIPTION");
        for (size_t j = 0; j < p->nregions; j++) {
            const struct region_info *r = &p->regions[j];
            int desc_room = REGIONS_WIDTH - 2 - 17 - 8;

            printf("  %-16s %-7s %.*s\n", r->name, r->opt_in ? "yes" : "no", desc_room,
                   r->description);
            for (int s = 0; s < SVC_COUNT; s++) {
                if (!(mask & SVC_BIT(s)))
                    continue;
                if (!endpoint_name((enum service)s, r->name, NULL, fips, dualstack, host,
                                   sizeof host)) {
                    errorf("regions: endpoint name too long for %s in %s", service_name((enum service)s),
                           r->name);
                    return EXIT_INTERNAL;
                }
                printf("    %-12s %s%s\n", service_name((enum service)s), host,
                       (fips || dualstack) && !variant_offered((enum service)s, r->name, fips, dualstack)
                           ? "  (not offered)"
                           : "");
            }
        }
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_INTERNAL;
}

static json_t *jstr(const char *s)
{
    json_t *v = s ? json_string(s) : json_null();
    if (!v)
        die_internal("out of memory (json)");
    return v;
}

static void jset(json_t *obj, const char *key, json_t *val)
{
    if (!val || json_object_set_new(obj, key, val) != 0)
        die_internal("out of memory (json)");
}

static void jappend(json_t *arr, json_t *val)
{
    if (!val || json_array_append_new(arr, val) != 0)
        die_internal("out of memory (json)");
}

static int print_json(const struct partition_info *const *parts, size_t nparts, unsigned mask,
                      bool fips, bool dualstack)
{
    char host[256];
    json_t *root = json_object(), *jparts = json_array();
    int rc;

    if (!root || !jparts)
        die_internal("out of memory (json)");
    jset(root, "variant", jstr(variant_label(fips, dualstack)));
    jset(root, "services", json_array());
    for (int s = 0; s < SVC_COUNT; s++)
        if (mask & SVC_BIT(s))
            jappend(json_object_get(root, "services"), jstr(service_name((enum service)s)));
    for (size_t i = 0; i < nparts; i++) {
        const struct partition_info *p = parts[i];
        json_t *jp = json_object(), *jregs = json_array();

        if (!jp || !jregs)
            die_internal("out of memory (json)");
        jset(jp, "name", jstr(p->name));
        jset(jp, "dns_suffix", jstr(p->dns_suffix));
        jset(jp, "dualstack_suffix", jstr(p->dualstack_suffix));
        jset(jp, "region_regex", jstr(p->region_regex));
        for (size_t j = 0; j < p->nregions; j++) {
            const struct region_info *r = &p->regions[j];
            json_t *jr = json_object(), *eps = json_object(), *no = json_array();

            if (!jr || !eps || !no)
                die_internal("out of memory (json)");
            jset(jr, "name", jstr(r->name));
            jset(jr, "description", jstr(r->description));
            jset(jr, "opt_in", json_boolean(r->opt_in));
            for (int s = 0; s < SVC_COUNT; s++) {
                if (!(mask & SVC_BIT(s)))
                    continue;
                if (!endpoint_name((enum service)s, r->name, NULL, fips, dualstack, host,
                                   sizeof host)) {
                    json_decref(jr);
                    json_decref(eps);
                    json_decref(no);
                    json_decref(jregs);
                    json_decref(jp);
                    json_decref(jparts);
                    json_decref(root);
                    errorf("regions: endpoint name too long for %s in %s",
                           service_name((enum service)s), r->name);
                    return EXIT_INTERNAL;
                }
                jset(eps, service_name((enum service)s), jstr(host));
                if ((fips || dualstack) && !variant_offered((enum service)s, r->name, fips, dualstack))
                    jappend(no, jstr(service_name((enum service)s)));
            }
            jset(jr, "endpoints", eps);
            if (fips || dualstack)
                jset(jr, "not_offered", no);
            else
                json_decref(no);
            jappend(jregs, jr);
        }
        jset(jp, "regions", jregs);
        jappend(jparts, jp);
    }
    jset(root, "partitions", jparts);
    rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0 || putchar('\n') == EOF || fflush(stdout) != 0) {
        errorf("regions: cannot write the output");
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

int regions_main(int argc, char **argv)
{
    enum { OPT_PARTITION = 256, OPT_JSON, OPT_FIPS, OPT_DUALSTACK };
    static const struct option longopts[] = {
        { "partition", required_argument, NULL, OPT_PARTITION },
        { "output", required_argument, NULL, 'o' },
        { "json", no_argument, NULL, OPT_JSON },
        { "services", required_argument, NULL, 's' },
        { "fips", no_argument, NULL, OPT_FIPS },
        { "dualstack", no_argument, NULL, OPT_DUALSTACK },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *partition = "all";
    bool json = false, fips = false, dualstack = false;
    unsigned mask = SVC_DEFAULT_MASK;
    char why[256];
    const struct partition_info *all, *sel[64];
    size_t nall, nsel = 0;
    int c;

    opterr = 0;
    optind = 0; /* glibc: full re-initialisation, argv[0] is "regions" */
    while ((c = getopt_long(argc, argv, ":o:s:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_PARTITION:
            partition = optarg;
            break;
        case 'o':
            if (strcmp(optarg, "json") == 0) {
                json = true;
            } else if (strcmp(optarg, "text") == 0) {
                json = false;
            } else {
                errorf("regions: unknown output format \"%s\" (valid: text, json)", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_JSON:
            json = true;
            break;
        case 's':
            if (services_parse(optarg, &mask, why, sizeof why) != 0) {
                errorf("regions: %s", why);
                return EXIT_USAGE;
            }
            break;
        case OPT_FIPS:
            fips = true;
            break;
        case OPT_DUALSTACK:
            dualstack = true;
            break;
        case 'h':
            regions_usage(stdout);
            return EXIT_OK;
        case ':':
            errorf("regions: option %s needs an argument (see ssmprobe regions --help)",
                   argv[optind - 1]);
            return EXIT_USAGE;
        default:
            if (optopt > 0 && optopt < 256)
                errorf("regions: unknown option -%c (see ssmprobe regions --help)", optopt);
            else
                errorf("regions: unknown option %s (see ssmprobe regions --help)", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        errorf("regions: unexpected argument \"%s\" (see ssmprobe regions --help)", argv[optind]);
        return EXIT_USAGE;
    }

    all = regions_partitions(&nall);
    for (size_t i = 0; i < nall && nsel < sizeof sel / sizeof sel[0]; i++)
        if (strcmp(partition, "all") == 0 || strcmp(partition, all[i].name) == 0)
            sel[nsel++] = &all[i];
    if (nsel == 0) {
        partition_list(why, sizeof why);
        errorf("regions: unknown partition \"%s\" (valid: %s)", partition, why);
        return EXIT_USAGE;
    }
    return json ? print_json(sel, nsel, mask, fips, dualstack)
                : print_text(sel, nsel, mask, fips, dualstack);
}
