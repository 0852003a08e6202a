/* policy_needs.c — the actions Session Manager and the agent need, and on
 * which resource, for the options given.
 *
 * "session" is what a shell session needs and decides the exit status: the
 * agent registers (ssm:UpdateInstanceInformation — without it the instance
 * never shows as managed), opens its control and data channels on
 * ssmmessages, and AWS's Session Manager instance policy grants
 * s3:GetEncryptionConfiguration (the agent checks the log bucket's
 * encryption with it). "agent" is the rest of AmazonSSMManagedInstanceCore:
 * Run Command, State Manager, Inventory and Patch Manager use it (ec2messages
 * carries Run Command for agents before 3.3.40.0); it is reported but does
 * not fail the check. kms, s3-logs and cw-logs are added by their options. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgs.h"
#include "policy.h"

static const char *const session_actions[] = {
    "ssm:UpdateInstanceInformation",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
    NULL
};

static const char *const cw_actions[] = {
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogGroups",
    "logs:DescribeLogStreams",
    NULL
};

/* AmazonSSMManagedInstanceCore minus what "session" already checks. */
static const char *const agent_actions[] = {
    "ssm:DescribeAssociation",
    "ssm:GetDeployablePatchSnapshotForInstance",
    "ssm:GetDocument",
    "ssm:DescribeDocument",
    "ssm:GetManifest",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:ListAssociations",
    "ssm:ListInstanceAssociations",
    "ssm:PutInventory",
    "ssm:PutComplianceItems",
    "ssm:PutConfigurePackageResult",
    "ssm:UpdateAssociationStatus",
    "ssm:UpdateInstanceAssociationStatus",
    "ec2messages:AcknowledgeMessage",
    "ec2messages:DeleteMessage",
    "ec2messages:FailMessage",
    "ec2messages:GetEndpoint",
    "ec2messages:GetMessages",
    "ec2messages:SendReply",
    NULL
};

const char *policy_group_title(const char *group)
{
    if (strcmp(group, "session") == 0)
        return "Session Manager (required)";
    if (strcmp(group, "kms") == 0)
        return "Session encryption with KMS (--kms, required)";
    if (strcmp(group, "s3-logs") == 0)
        return "Session logs to S3 (--s3-logs, required)";
    if (strcmp(group, "cw-logs") == 0)
        return "Session logs to CloudWatch Logs (--cw-logs, required)";
    return "Other AmazonSSMManagedInstanceCore actions (not needed for sessions)";
}

/* Field i (0-based) of a colon-separated ARN, into buf. False if absent. */
static bool arn_field(const char *arn, int i, char *buf, size_t len)
{
    const char *p = arn, *e;
    for (int k = 0; k < i; k++) {
        p = strchr(p, ':');
        if (!p)
            return false;
        p++;
    }
    e = i < 5 ? strchr(p, ':') : p + strlen(p);
    if (!e || (size_t)(e - p) >= len)
        return false;
    memcpy(buf, p, (size_t)(e - p));
    buf[e - p] = '\0';
    return true;
}

const char *policy_partition(const struct policy_opts *o)
{
    static char part[32];
    const char *arn = o->kms_key ? o->kms_key
                    : (o->s3_bucket && strncmp(o->s3_bucket, "arn:", 4) == 0) ? o->s3_bucket : NULL;
    if (arn && arn_field(arn, 1, part, sizeof part) && part[0])
        return part;
    return "aws";
}

static bool bucket_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
           || c == '.' || c == '-' || c == '_';
}

/* The bucket name part of --s3-logs (BUCKET[/PREFIX] or arn:P:s3:::BUCKET[/PREFIX]). */
static const char *s3_path(const char *v)
{
    if (strncmp(v, "arn:", 4) == 0) {
        const char *p = strstr(v, ":::");
        return p ? p + 3 : v + strlen(v);
    }
    return v;
}

int policy_opts_check(const struct policy_opts *o, char *err, size_t errlen)
{
    char f[256];

    if (o->kms_key) {
        const char *k = o->kms_key;
        if (strncmp(k, "arn:", 4) != 0 || !arn_field(k, 2, f, sizeof f) || strcmp(f, "kms") != 0
            || !arn_field(k, 5, f, sizeof f)) {
            snprintf(err, errlen, "--kms: \"%.100s\" is not a KMS key ARN "
                     "(arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)", k);
            return -1;
        }
        if (strncmp(f, "alias/", 6) == 0) {
            snprintf(err, errlen, "--kms: give the key ARN (…:key/KEY-ID), not an alias: "
                     "kms:Decrypt is authorized on the key");
            return -1;
        }
        if (strncmp(f, "key/", 4) != 0 || f[4] == '\0') {
            snprintf(err, errlen, "--kms: \"%.100s\" is not a KMS key ARN "
                     "(arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)", k);
            return -1;
        }
    }
    if (o->s3_bucket) {
        const char *b = s3_path(o->s3_bucket);
        size_t n = strcspn(b, "/");
        if (strncmp(o->s3_bucket, "arn:", 4) == 0
            && (!arn_field(o->s3_bucket, 2, f, sizeof f) || strcmp(f, "s3") != 0)) {
            snprintf(err, errlen, "--s3-logs: \"%.100s\" is not an S3 ARN (arn:aws:s3:::BUCKET)",
                     o->s3_bucket);
            return -1;
        }
        if (n == 0 || n > 255) {
            snprintf(err, errlen, "--s3-logs: no bucket name in \"%.100s\"", o->s3_bucket);
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            if (!bucket_char((unsigned char)b[i])) {
                snprintf(err, errlen, "--s3-logs: \"%.*s\" is not a bucket name", (int)n, b);
                return -1;
            }
        }
    }
    return 0;
}

static void add(struct policy_need **v, int *n, const char *action, const char *group,
                bool required, enum policy_resmode mode, const char *res, const char *display)
{
    struct policy_need *e;
    *v = xrealloc(*v, (size_t)(*n + 1) * sizeof **v);
    e = &(*v)[(*n)++];
    e->action = action;
    e->group = group;
    e->required = required;
    e->mode = mode;
    e->resource = xstrdup(res);
    e->display = xstrdup(display ? display : res);
}

static char *xasprintf(const char *fmt, ...) MSG_PRINTF(1, 2);
static char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        die_internal("vsnprintf");
    p = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

int policy_needs_build(const struct policy_opts *o, struct policy_need **needs)
{
    struct policy_need *v = NULL;
    int n = 0;
    const char *part = policy_partition(o);
    char *bucket_arn = NULL, *objects = NULL, *objects_disp = NULL;

    if (o->s3_bucket) {
        const char *b = s3_path(o->s3_bucket);
        int bl = (int)strcspn(b, "/");
        const char *prefix = b[bl] == '/' ? b + bl + 1 : "";
        int pl = (int)strlen(prefix);
        while (pl > 0 && prefix[pl - 1] == '/')
            pl--;
        bucket_arn = xasprintf("arn:%s:s3:::%.*s", part, bl, b);
        objects = xasprintf("%s/%.*s%s", bucket_arn, pl, prefix, pl ? "/" : "");
        objects_disp = xasprintf("%s*", objects);
    }

    for (int i = 0; session_actions[i]; i++)
        add(&v, &n, session_actions[i], "session", true, RES_ANY, "*", NULL);
    add(&v, &n, "s3:GetEncryptionConfiguration", "session", true,
        o->s3_bucket ? RES_EXACT : RES_ANY, o->s3_bucket ? bucket_arn : "*", NULL);
    if (o->kms)
        add(&v, &n, "kms:Decrypt", "kms", true, o->kms_key ? RES_EXACT : RES_ANY,
            o->kms_key ? o->kms_key : "*", NULL);
    if (o->s3_bucket)
        add(&v, &n, "s3:PutObject", "s3-logs", true, RES_PREFIX, objects, objects_disp);
    if (o->cw_logs)
        for (int i = 0; cw_actions[i]; i++)
            add(&v, &n, cw_actions[i], "cw-logs", true, RES_ANY, "*", NULL);
    for (int i = 0; agent_actions[i]; i++)
        add(&v, &n, agent_actions[i], "agent", false, RES_ANY, "*", NULL);
    free(bucket_arn);
    free(objects);
    free(objects_disp);
    *needs = v;
    return n;
}

void policy_needs_free(struct policy_need *needs, int n)
{
    for (int i = 0; i < n; i++) {
        free(needs[i].resource);
        free(needs[i].display);
    }
    free(needs);
}
