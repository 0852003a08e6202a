/* policy.h — `ssmprobe policy`: does an IAM policy let Session Manager work?
 *
 * Data flows one way: policy_load.c reads and validates documents into a
 * policy_set, policy_needs.c builds the list of actions to check from the
 * options, policy_eval.c decides each one, policy_report.c renders, and
 * policy.c (the command) ties them together. Lower layers never print:
 * they return -1 and fill an error buffer, or append to set->warnings. */
#ifndef SSMPROBE_POLICY_H
#define SSMPROBE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#ifdef UNITTEST
#define POLICY_STATIC
#else
#define POLICY_STATIC static
#endif

/* Inputs larger than this are refused (IAM itself allows 10,240 characters). */
#define POLICY_MAX_INPUT (64u * 1024 * 1024)
#define POLICY_ERRLEN 512

/* ---- policy_match.c: IAM wildcard matching ---------------------------- */

#define PM_NOCASE   0x1u /* ASCII case-insensitive (actions) */
#define PM_TAIL_ANY 0x2u /* subject stands for "subject followed by anything" */
#define PM_PREFIX   0x4u /* true if pattern matches SOME string starting with subject */

/* `*` matches any run of characters, `?` exactly one; everything else is
 * literal. Linear in practice, O(len(pat) * len(subj)) at worst. */
bool policy_glob(const char *pat, const char *subj, unsigned flags);
/* A pattern made only of '*' (matches every string). */
bool policy_glob_all(const char *pat);

/* ---- policy_load.c: documents and statements -------------------------- */

enum policy_effect { POLICY_ALLOW, POLICY_DENY };

/* One statement; the json_t pointers are borrowed from the owning document. */
struct policy_stmt {
    enum policy_effect effect;
    const char *sid;             /* NULL or borrowed */
    int index;                   /* 1-based position in the document's Statement */
    int doc;                     /* index into policy_set.docs */
    const json_t *action;        /* string or array of strings, or NULL */
    const json_t *notaction;     /* exactly one of action/notaction is set */
    const json_t *resource;      /* string or array of strings, or NULL */
    const json_t *notresource;   /* exactly one of resource/notresource is set */
    const json_t *condition;     /* NULL or a non-empty object of objects */
};

struct policy_doc {
    char *file;                  /* malloced: the name as given, "(stdin)" for "-" */
    const char *shape;           /* static: "document", "get-policy-version", ... */
    json_t *root;                /* owned reference: the parsed file */
    json_t *inner;               /* owned reference: a decoded string document, or NULL */
    int nstatements;
};

struct policy_set {
    struct policy_doc *docs;     /* malloced array */
    int ndocs;
    struct policy_stmt *stmts;   /* malloced array over every document, in order */
    int nstmts, capstmts;
    char **warnings;             /* malloced array of malloced lines */
    int nwarnings;
};

void policy_set_init(struct policy_set *set);
void policy_set_free(struct policy_set *set);

/* Parse one input (its bytes, its display name) and append its statements.
 * Returns 0, or -1 with a one-line message in err (no trailing newline):
 * "FILE:LINE:COLUMN: ..." for JSON errors, "FILE: ..." otherwise. On -1
 * the set is unchanged except for warnings. */
int policy_set_add(struct policy_set *set, const char *name, const char *buf, size_t len,
                   char *err, size_t errlen);

/* Read a whole file ("-" = stdin) into a malloced buffer, at most
 * POLICY_MAX_INPUT bytes. Returns 0, or -1 with err filled. */
int policy_read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen);

#ifdef UNITTEST
char *policy_url_decode(const char *s, size_t len, size_t *outlen);
#endif

/* ---- policy_needs.c: what Session Manager needs ----------------------- */

enum policy_resmode {
    RES_ANY,      /* every resource the agent may use ("*"); specific ones are a restriction */
    RES_EXACT,    /* one ARN, e.g. the KMS key */
    RES_PREFIX    /* every ARN starting with resource (S3 objects under a bucket/prefix) */
};

struct policy_need {
    const char *action;          /* static, canonical case */
    const char *group;           /* static: "session", "kms", "s3-logs", "cw-logs", "agent" */
    bool required;               /* counts for the exit status */
    enum policy_resmode mode;
    char *resource;              /* malloced: "*", an ARN, or a prefix (RES_PREFIX) */
    char *display;               /* malloced: resource as shown (arn:aws:s3:::b/ and a star) */
};

struct policy_opts {
    bool kms;                    /* --kms given */
    const char *kms_key;         /* NULL or the key ARN */
    const char *s3_bucket;       /* NULL or BUCKET[/PREFIX] or an S3 ARN */
    bool cw_logs;
};

/* Validate the option values; 0, or -1 with err filled. */
int policy_opts_check(const struct policy_opts *o, char *err, size_t errlen);
/* Build the list; *needs malloced, free with policy_needs_free. */
int policy_needs_build(const struct policy_opts *o, struct policy_need **needs);
void policy_needs_free(struct policy_need *needs, int n);
const char *policy_group_title(const char *group);
/* The ARN partition to use for built resource names ("aws" unless the key says otherwise). */
const char *policy_partition(const struct policy_opts *o);

/* ---- policy_eval.c: the decision for one action ----------------------- */

enum policy_decision { DEC_ALLOWED, DEC_CONDITIONAL, DEC_DENIED, DEC_MISSING };

#define POLICY_MAX_CONDS 8

/* A statement whose effect depends on something not evaluated. */
struct policy_condref {
    int stmt;                    /* index into set->stmts */
    bool resource_partial;       /* applies to some resources only */
};

struct policy_result {
    const struct policy_need *need;  /* borrowed */
    enum policy_decision decision;
    int stmt;                    /* deciding statement (set->stmts index), -1 = none */
    int near_miss;               /* -1, or an Allow of this action on other resources */
    struct policy_condref conds[POLICY_MAX_CONDS];
    int nconds;
    bool more_conds;             /* conds was full */
};

/* How a statement's Resource/NotResource covers a need's resource. */
enum policy_cover { COVER_NONE, COVER_PARTIAL, COVER_FULL };

bool policy_action_applies(const struct policy_stmt *s, const char *action);
enum policy_cover policy_resource_covers(const struct policy_stmt *s, const struct policy_need *n);
void policy_evaluate(const struct policy_set *set, const struct policy_need *need,
                     struct policy_result *out);
const char *policy_decision_name(enum policy_decision d);

/* ---- policy_report.c: renderers --------------------------------------- */

enum policy_status { PSTATUS_OK, PSTATUS_WARN, PSTATUS_FAIL };

enum policy_status policy_overall(const struct policy_result *r, int n);
void policy_report_text(FILE *fp, const struct policy_set *set, const struct policy_result *r,
                        int n, const struct policy_opts *o);
int policy_report_json(FILE *fp, const struct policy_set *set, const struct policy_result *r,
                       int n, const struct policy_opts *o);
/* --print: the minimal inline policy (JSON) for the options. */
int policy_print_minimal(FILE *fp, const struct policy_opts *o);
/* Both renderers' description of a statement: `file: Sid "X"` / `file: statement 3`. */
void policy_stmt_label(const struct policy_set *set, int stmt, char *buf, size_t len);

#endif
