/* regions_data.h — the generated tables behind regions.h (src/regions_data.c,
 * written by scripts/gen-regions). Only src/regions.c and tests use these. */
#ifndef SSMPROBE_REGIONS_DATA_H
#define SSMPROBE_REGIONS_DATA_H

#include <stddef.h>

#include "regions.h"

#define REGIONS_VAR_FIPS      1u
#define REGIONS_VAR_DUALSTACK 2u

/* One published (explicit) variant host of a service in a region:
 * endpoints.json services.SVC.endpoints.REGION.variants[] after the service
 * defaults are applied. Partition-wide default templates are not listed:
 * they exist for every region and prove nothing. Sorted by service, region,
 * tags. */
struct endpoint_variant {
    unsigned char svc;       /* enum service */
    unsigned char tags;      /* REGIONS_VAR_* */
    const char *region;
    const char *hostname;
};

extern const struct partition_info regions_data_partitions[];
extern const size_t regions_data_npartitions;
extern const struct endpoint_variant regions_data_variants[];
extern const size_t regions_data_nvariants;

#endif
