/* policy.c — `ssmprobe policy [OPTIONS] FILE...`: does the role's policy let
 * Session Manager work? Parses the options, loads every document, evaluates
 * each needed action and renders (SPEC "policy").
 *
 * Exit: 0 every required action allowed (conditions not evaluated count as
 * allowed, with a warning), 1 something missing or denied, 2 bad usage or
 * bad input, 3 internal error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgs.h"
#include "policy.h"
#include "subcommands.h"

enum opt_id { OPT_KMS, OPT_S3_LOGS, OPT_CW_LOGS, OPT_PRINT, OPT_OUTPUT, OPT_JSON, OPT_QUIET, OPT_HELP };
enum opt_arg { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL_ARN };

struct opt_def {
    const char *lng;
    char shrt;
    enum opt_arg arg;
    enum opt_id id;
    const char *meta;
    const char *help;
};

static const struct opt_def opt_table[] = {
    {"kms", 0, ARG_OPTIONAL_ARN, OPT_KMS, "[KEY_ARN]",
     "also check kms:Decrypt (session encryption), on KEY_ARN when given"},
    {"s3-logs", 0, ARG_REQUIRED, OPT_S3_LOGS, "BUCKET",
     "also check session logging to S3 BUCKET[/PREFIX] (s3:PutObject)"},
    {"cw-logs", 0, ARG_NONE, OPT_CW_LOGS, NULL,
     "also check session logging to CloudWatch Logs"},
    {"print", 0, ARG_NONE, OPT_PRINT, NULL,
     "write the minimal inline policy for these options and exit"},
    {"output", 'o', ARG_REQUIRED, OPT_OUTPUT, "FMT", "text or json"},
    {"json", 0, ARG_NONE, OPT_JSON, NULL, "same as -o json"},
    {"quiet", 'q', ARG_NONE, OPT_QUIET, NULL, "print nothing; exit status only"},
    {"help", 'h', ARG_NONE, OPT_HELP, NULL, "show this help"},
    {NULL, 0, ARG_NONE, OPT_HELP, NULL, NULL}
};

struct policy_cli {
    struct policy_opts o;
    bool print, json, quiet, help;
    char **files;                /* malloced array of borrowed argv strings */
    int nfiles;
};

static void usage(FILE *fp)
{
    fputs("usage: ssmprobe policy [OPTIONS] FILE...\n"
          "       ssmprobe policy --print [--kms [KEY_ARN]] [--s3-logs BUCKET] [--cw-logs]\n\n"
          "Check whether IAM policy documents (a role's inline and managed policies) allow\n"
          "what Session Manager needs. FILE is a policy document, the output of\n"
          "`aws iam get-policy-version` or `aws iam get-role-policy`, or - for stdin.\n\n"
          "Options:\n", fp);
    for (const struct opt_def *d = opt_table; d->lng; d++) {
        char left[64];
        if (d->shrt)
            snprintf(left, sizeof left, "-%c, --%s%s%s", d->shrt, d->lng, d->meta ? " " : "",
                     d->meta ? d->meta : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", d->lng, d->meta ? " " : "",
                     d->meta ? d->meta : "");
        fprintf(fp, "  %-26s %s\n", left, d->help);
    }
    fputs("\nExit status: 0 all required actions allowed, 1 something missing or denied,\n"
          "2 bad usage or input, 3 internal error.\n", fp);
}

static int set_opt(struct policy_cli *c, const struct opt_def *d, const char *val)
{
    switch (d->id) {
    case OPT_KMS: c->o.kms = true; c->o.kms_key = val; break;
    case OPT_S3_LOGS: c->o.s3_bucket = val; break;
    case OPT_CW_LOGS: c->o.cw_logs = true; break;
    case OPT_PRINT: c->print = true; break;
    case OPT_JSON: c->json = true; break;
    case OPT_QUIET: c->quiet = true; break;
    case OPT_HELP: c->help = true; break;
    case OPT_OUTPUT:
        if (strcmp(val, "json") == 0) {
            c->json = true;
        } else if (strcmp(val, "text") == 0) {
            c->json = false;
        } else {
            errorf("policy: -o/--output: \"%s\" is not text or json", val);
            return -1;
        }
        break;
    }
    return 0;
}

/* Returns 0, or -1 after a message on stderr. */
POLICY_STATIC int policy_parse_args(int argc, char **argv, struct policy_cli *c)
{
    bool only_files = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const struct opt_def *d = NULL;
        const char *val = NULL;

        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            c->files = xrealloc(c->files, (size_t)(c->nfiles + 1) * sizeof *c->files);
            c->files[c->nfiles++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_files = true;
            continue;
        }
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t n = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
            for (d = opt_table; d->lng; d++)
                if (strlen(d->lng) == n && strncmp(d->lng, a + 2, n) == 0)
                    break;
            if (!d->lng) {
                errorf("policy: unknown option %s (see ssmprobe policy --help)", a);
                return -1;
            }
            if (eq && d->arg == ARG_NONE) {
                errorf("policy: --%s takes no value", d->lng);
                return -1;
            }
            val = eq ? eq + 1 : NULL;
        } else {
            for (d = opt_table; d->lng; d++)
                if (d->shrt == a[1])
                    break;
            if (!d->lng) {
                errorf("policy: unknown option %s (see ssmprobe policy --help)", a);
                return -1;
            }
            if (d->arg == ARG_NONE && a[2]) {
                errorf("policy: unknown option %s (give -%c on its own)", a, a[1]);
                return -1;
            }
            val = a[2] ? a + 2 : NULL;
        }
        if (d->arg == ARG_REQUIRED && !val) {
            if (i + 1 >= argc) {
                errorf("policy: --%s needs a value: %s", d->lng, d->meta);
                return -1;
            }
            val = argv[++i];
        } else if (d->arg == ARG_OPTIONAL_ARN && !val && i + 1 < argc
                   && strncmp(argv[i + 1], "arn:", 4) == 0) {
            val = argv[++i];
        }
        if (d->arg == ARG_REQUIRED && val[0] == '\0') {
            errorf("policy: --%s needs a value: %s", d->lng, d->meta);
            return -1;
        }
        if (set_opt(c, d, val) < 0)
            return -1;
    }
    return 0;
}

static void *jansson_alloc(size_t n)
{
    return xmalloc(n);
}

int policy_main(int argc, char **argv)
{
    struct policy_cli c = {0};
    struct policy_set set;
    struct policy_need *needs = NULL;
    struct policy_result *res = NULL;
    char err[POLICY_ERRLEN];
    int rc = EXIT_USAGE, nneeds = 0, bad = 0;

    json_set_alloc_funcs(jansson_alloc, free);   /* out of memory: exit 3, never a crash */
    policy_set_init(&set);
    if (policy_parse_args(argc, argv, &c) < 0)
        goto out;
    if (c.help) {
        usage(stdout);
        rc = EXIT_OK;
        goto out;
    }
    msgs_set_quiet(c.quiet);
    if (policy_opts_check(&c.o, err, sizeof err) < 0) {
        errorf("policy: %s", err);
        goto out;
    }
    if (c.print) {
        if (c.nfiles) {
            errorf("policy: --print takes no FILE (it writes the policy for the options given)");
            goto out;
        }
        if (c.o.kms && !c.o.kms_key)
            warnf("policy: --kms without a key ARN: the policy allows kms:Decrypt on every key; "
                  "give --kms=ARN to scope it");
        if (!c.quiet)
            policy_print_minimal(stdout, &c.o);
        rc = EXIT_OK;
        goto out;
    }
    if (c.nfiles == 0) {
        errorf("policy: no FILE given (a policy document, or - for stdin; see --help)");
        goto out;
    }

    for (int i = 0; i < c.nfiles; i++) {
        char *buf = NULL;
        size_t len = 0;
        if (policy_read_file(c.files[i], &buf, &len, err, sizeof err) < 0
            || policy_set_add(&set, c.files[i], buf, len, err, sizeof err) < 0) {
            errorf("%s", err);
            bad++;
        }
        free(buf);
    }
    for (int i = 0; i < set.nwarnings; i++)
        warnf("%s", set.warnings[i]);
    if (bad)
        goto out;

    nneeds = policy_needs_build(&c.o, &needs);
    res = xcalloc((size_t)nneeds, sizeof *res);
    for (int i = 0; i < nneeds; i++)
        policy_evaluate(&set, &needs[i], &res[i]);

    if (!c.quiet) {
        if (c.json)
            policy_report_json(stdout, &set, res, nneeds, &c.o);
        else
            policy_report_text(stdout, &set, res, nneeds, &c.o);
    }
    rc = policy_overall(res, nneeds) == PSTATUS_FAIL ? EXIT_FAILED : EXIT_OK;
out:
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)          /* a reader that went away (| head) needs no message */
            errorf("policy: cannot write the report: %s", strerror(errno));
        rc = EXIT_INTERNAL;
    }
    free(res);
    policy_needs_free(needs, nneeds);
    policy_set_free(&set);
    free(c.files);
    return rc;
}
