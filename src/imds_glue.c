/* TEMPORARY until imds.c lands: IMDS never queried. */
#include <stdio.h>
#include <string.h>
#include "imds_glue.h"
int imds_glue_check_options(const struct options *o, char *err, size_t errlen)
{ (void)o; (void)err; (void)errlen; return 0; }
void imds_glue_run(struct imds_glue *g, const struct options *o)
{ (void)o; snprintf(g->why_not, sizeof g->why_not, "IMDS not queried"); }
void imds_glue_fill(const struct imds_glue *g, struct imds_context *ctx) { (void)g; (void)ctx; }
void imds_glue_report(const struct imds_glue *g, const struct options *o, const char *v, struct report *r)
{ (void)g; (void)o; (void)v; (void)r; }
void imds_glue_free(struct imds_glue *g) { (void)g; }
