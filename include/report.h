/* report.h — renderers: the result model to text, JSON (schema 1), NDJSON.
 * Renderers only read the model; they never touch the network. */
#ifndef SSMPROBE_REPORT_H
#define SSMPROBE_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "options.h"
#include "result.h"

/* The schema-1 object, keys in SPEC order. Caller owns the reference. */
json_t *report_json(const struct report *r);

/* Write the schema-1 object as one JSON document. 0, or -1 on write error. */
int report_json_write(FILE *out, const struct report *r);

/* Text report (header, rows, failures, findings, summary). */
int report_text_write(FILE *out, const struct report *r, const struct options *o, bool color);

/* NDJSON: start streaming events to out as they happen; finish with the
 * report line. */
void report_ndjson_begin(FILE *out, struct report *r);
int report_ndjson_end(FILE *out, const struct report *r);

/* A one-line "n/N targets done" indicator on f while a sweep runs (the
 * caller decides: a terminal, not -q, not JSON). */
void report_progress_begin(FILE *f, const struct report *r);
void report_progress_end(void);

/* Exposed for tests: milliseconds between stamps as JSON (null if unset). */
json_t *report_ms(mono_ns from, mono_ns to);

#endif
