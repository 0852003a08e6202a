/* policy_report.c — render policy results as text or JSON, and write the
 * minimal inline policy (--print). Reads the results only; decides nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgs.h"
#include "policy.h"

#ifndef SSMPROBE_VERSION
#define SSMPROBE_VERSION "0.0.0"
#endif

#define ACTION_COL 41

static const char *base(const char *path)
{
    const char *b = strrchr(path, '/');
    return b && b[1] ? b + 1 : path;
}

/* The file as shown in text: its base name, unless two inputs share it. */
static const char *file_label(const struct policy_set *set, int doc)
{
    const char *b = base(set->docs[doc].file);
    for (int i = 0; i < set->ndocs; i++)
        if (i != doc && strcmp(base(set->docs[i].file), b) == 0)
            return set->docs[doc].file;
    return b;
}

static void stmt_label(const struct policy_set *set, int stmt, bool full, char *buf, size_t len)
{
    const struct policy_stmt *s;
    const char *file;

    if (stmt < 0 || stmt >= set->nstmts) {
        snprintf(buf, len, "-");
        return;
    }
    s = &set->stmts[stmt];
    file = full ? set->docs[s->doc].file : file_label(set, s->doc);
    if (s->sid && s->sid[0])
        snprintf(buf, len, "%s: Sid \"%.60s\"", file, s->sid);
    else
        snprintf(buf, len, "%s: statement %d", file, s->index);
}

void policy_stmt_label(const struct policy_set *set, int stmt, char *buf, size_t len)
{
    stmt_label(set, stmt, true, buf, len);
}

enum policy_status policy_overall(const struct policy_result *r, int n)
{
    enum policy_status st = PSTATUS_OK;
    for (int i = 0; i < n; i++) {
        if (!r[i].need->required)
            continue;
        if (r[i].decision == DEC_DENIED || r[i].decision == DEC_MISSING)
            return PSTATUS_FAIL;
        if (r[i].decision == DEC_CONDITIONAL)
            st = PSTATUS_WARN;
    }
    return st;
}

static const char *status_name(enum policy_status s)
{
    return s == PSTATUS_OK ? "ok" : s == PSTATUS_WARN ? "warn" : "fail";
}

/* Append to a bounded buffer, marking truncation with "…". */
struct sbuf {
    char *p;
    size_t len, used;
};

static void sb_add(struct sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->used + 1 >= b->len)
        return;
    if (b->used + n + 1 > b->len) {
        size_t room = b->len - b->used - 1;
        memcpy(b->p + b->used, s, room);
        b->used += room;
        b->p[b->used] = '\0';
        if (b->len >= 4)
            memcpy(b->p + b->len - 4, "\xE2\x80\xA6", 4);   /* "…" */
        b->used = b->len - 1;
        return;
    }
    memcpy(b->p + b->used, s, n + 1);
    b->used += n;
}

static void sb_list(struct sbuf *b, const json_t *v, const char *sep)
{
    size_t i;
    json_t *e;

    if (json_is_string(v)) {
        sb_add(b, json_string_value(v));
        return;
    }
    json_array_foreach((json_t *)v, i, e) {
        if (i)
            sb_add(b, sep);
        sb_add(b, json_string_value(e));
    }
}

/* "resource is X and aws:SourceVpc" — what one conditional statement depends on. */
static void describe_cond(struct sbuf *b, const struct policy_set *set, const struct policy_condref *c)
{
    const struct policy_stmt *s = &set->stmts[c->stmt];
    bool first = true;

    if (c->resource_partial) {
        sb_add(b, s->resource ? "resource is " : "resource is not ");
        sb_list(b, s->resource ? s->resource : s->notresource, " or ");
        first = false;
    }
    if (s->condition) {
        const char *op, *key;
        json_t *keys, *v;
        json_object_foreach((json_t *)s->condition, op, keys) {
            json_object_foreach(keys, key, v) {
                (void)v;
                sb_add(b, first ? "" : " and ");
                sb_add(b, key);
                first = false;
            }
        }
    }
}

static void describe_result(struct sbuf *b, const struct policy_set *set, const struct policy_result *r)
{
    bool any_allow = false, any_deny = false;

    sb_add(b, "allowed");
    for (int i = 0; i < r->nconds; i++) {
        const struct policy_condref *c = &r->conds[i];
        bool deny = set->stmts[c->stmt].effect == POLICY_DENY;
        if (deny)
            sb_add(b, any_deny ? " or " : " unless ");
        else
            sb_add(b, any_allow ? " or " : " if ");
        describe_cond(b, set, c);
        any_allow |= !deny;
        any_deny |= deny;
    }
    if (r->more_conds)
        sb_add(b, " …");
}

static void text_row(FILE *fp, const struct policy_set *set, const struct policy_result *r)
{
    char label[POLICY_ERRLEN], res[160];
    struct sbuf b = {res, sizeof res, 0};

    res[0] = '\0';
    stmt_label(set, r->stmt, false, label, sizeof label);
    if (r->decision == DEC_CONDITIONAL)
        describe_result(&b, set, r);
    else
        sb_add(&b, policy_decision_name(r->decision));
    if (strlen(res) > 30) {
        /* too wide for the row: "allowed if" in the row, the rest below */
        const char *rest = res + strlen("allowed ");
        size_t w = strcspn(rest, " ");
        fprintf(fp, "  %-*s allowed %.*s  %s\n", ACTION_COL, r->need->action, (int)w, rest, label);
        fprintf(fp, "      %s\n", rest);
    } else if (r->stmt >= 0) {
        fprintf(fp, "  %-*s %-8s  %s\n", ACTION_COL, r->need->action, res, label);
    } else {
        fprintf(fp, "  %-*s %s\n", ACTION_COL, r->need->action, res);
    }
    if (r->need->mode != RES_ANY || strcmp(r->need->display, "*") != 0)
        fprintf(fp, "      on %s\n", r->need->display);
    if (r->decision == DEC_MISSING && r->near_miss >= 0) {
        char more[160];
        struct sbuf m = {more, sizeof more, 0};
        const struct policy_stmt *s = &set->stmts[r->near_miss];
        more[0] = '\0';
        sb_list(&m, s->resource ? s->resource : s->notresource, ", ");
        stmt_label(set, r->near_miss, false, label, sizeof label);
        fprintf(fp, "      (%s allows it on %s%s only)\n", label, s->resource ? "" : "everything but ",
                more);
    }
}

void policy_report_text(FILE *fp, const struct policy_set *set, const struct policy_result *r,
                        int n, const struct policy_opts *o)
{
    int req = 0, allowed = 0, cond = 0, denied = 0, missing = 0, agent = 0, agent_missing = 0;
    const char *group = "";
    enum policy_status st = policy_overall(r, n);

    fprintf(fp, "policy: %d document%s, %d statement%s:", set->ndocs, set->ndocs == 1 ? "" : "s",
            set->nstmts, set->nstmts == 1 ? "" : "s");
    for (int i = 0; i < set->ndocs; i++)
        fprintf(fp, "%s %s", i ? "," : "", set->docs[i].file);
    fputc('\n', fp);

    for (int i = 0; i < n; i++) {
        if (!r[i].need->required) {
            agent++;
            agent_missing += r[i].decision == DEC_MISSING || r[i].decision == DEC_DENIED;
            continue;
        }
        req++;
        allowed += r[i].decision == DEC_ALLOWED;
        cond += r[i].decision == DEC_CONDITIONAL;
        denied += r[i].decision == DEC_DENIED;
        missing += r[i].decision == DEC_MISSING;
    }

    for (int i = 0; i < n; i++) {
        if (strcmp(group, r[i].need->group) != 0) {
            group = r[i].need->group;
            fprintf(fp, "\n%s\n", policy_group_title(group));
            if (!r[i].need->required && agent_missing == agent
                && r[i].decision == DEC_MISSING) {
                bool same = true;
                for (int k = i; k < n; k++)
                    same &= r[k].decision == DEC_MISSING && r[k].near_miss < 0;
                if (same) {
                    fprintf(fp, "  %-*s missing\n", ACTION_COL, "(all of these actions)");
                    break;
                }
            }
        }
        text_row(fp, set, &r[i]);
    }

    fputc('\n', fp);
    if (st == PSTATUS_OK) {
        fprintf(fp, "result: all %d required actions allowed\n", req);
    } else if (st == PSTATUS_WARN) {
        fprintf(fp, "result: %d of %d required actions allowed only under conditions that "
                "were not evaluated\n", cond, req);
    } else {
        fprintf(fp, "result: %d of %d required actions not allowed (%d missing, %d denied)\n",
                missing + denied, req, missing, denied);
    }
    if (denied)
        fprintf(fp, "hint: an explicit Deny beats every Allow: remove or narrow the statement "
                "named above\n");
    if (missing) {
        fprintf(fp, "hint: add them to the instance profile's role:\n      ssmprobe policy --print");
        if (o->kms)
            fprintf(fp, " --kms%s%s", o->kms_key ? "=" : "", o->kms_key ? o->kms_key : "");
        if (o->s3_bucket)
            fprintf(fp, " --s3-logs %s", o->s3_bucket);
        if (o->cw_logs)
            fprintf(fp, " --cw-logs");
        fprintf(fp, " > ssm.json\n      aws iam put-role-policy --role-name ROLE "
                "--policy-name SessionManager \\\n          --policy-document file://ssm.json\n");
    }
    if (agent_missing)
        fprintf(fp, "note: %d of %d other AmazonSSMManagedInstanceCore actions not allowed:\n"
                "      Run Command, State Manager, Inventory and Patching need them; sessions do not\n",
                agent_missing, agent);
    (void)allowed;
}

static json_t *stmt_ref(const struct policy_set *set, int stmt)
{
    const struct policy_stmt *s;
    if (stmt < 0)
        return json_null();
    s = &set->stmts[stmt];
    return json_pack("{s:i, s:o}", "index", s->index, "sid", s->sid ? json_string(s->sid) : json_null());
}

static json_t *json_list(const json_t *v)
{
    if (json_is_array(v))
        return json_deep_copy(v);
    return json_pack("[O]", v);
}

static json_t *result_json(const struct policy_set *set, const struct policy_result *r)
{
    json_t *conds = json_array(), *o;
    char note[POLICY_ERRLEN];

    for (int i = 0; i < r->nconds; i++) {
        const struct policy_stmt *s = &set->stmts[r->conds[i].stmt];
        json_t *c = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}",
            "effect", s->effect == POLICY_DENY ? "Deny" : "Allow",
            "file", set->docs[s->doc].file,
            "statement", stmt_ref(set, r->conds[i].stmt),
            "condition", s->condition ? json_deep_copy(s->condition) : json_null(),
            "resource_only", r->conds[i].resource_partial && s->resource ? json_list(s->resource)
                                                                         : json_null(),
            "resource_except", r->conds[i].resource_partial && s->notresource
                                   ? json_list(s->notresource) : json_null());
        json_array_append_new(conds, c);
    }
    note[0] = '\0';
    if (r->decision == DEC_MISSING && r->near_miss >= 0) {
        char label[POLICY_ERRLEN / 2];
        policy_stmt_label(set, r->near_miss, label, sizeof label);
        snprintf(note, sizeof note, "%s allows it on other resources only", label);
    } else if (r->more_conds) {
        snprintf(note, sizeof note, "more conditional statements than listed");
    }
    o = json_pack("{s:s, s:s, s:b, s:s, s:s, s:o, s:o, s:o, s:o}",
        "action", r->need->action,
        "group", r->need->group,
        "required", r->need->required,
        "resource", r->need->display,
        "decision", policy_decision_name(r->decision),
        "file", r->stmt >= 0 ? json_string(set->docs[set->stmts[r->stmt].doc].file) : json_null(),
        "statement", stmt_ref(set, r->stmt),
        "conditions", conds,
        "note", note[0] ? json_string(note) : json_null());
    return o;
}

int policy_report_json(FILE *fp, const struct policy_set *set, const struct policy_result *r,
                       int n, const struct policy_opts *o)
{
    json_t *root, *inputs = json_array(), *actions = json_array(), *warnings = json_array();
    int cnt[4] = {0}, req = 0, opt = 0, opt_allowed = 0, rc;

    for (int i = 0; i < set->ndocs; i++)
        json_array_append_new(inputs, json_pack("{s:s, s:s, s:i}", "file", set->docs[i].file,
                                                "shape", set->docs[i].shape,
                                                "statements", set->docs[i].nstatements));
    for (int i = 0; i < n; i++) {
        json_array_append_new(actions, result_json(set, &r[i]));
        if (r[i].need->required) {
            req++;
            cnt[r[i].decision]++;
        } else {
            opt++;
            opt_allowed += r[i].decision == DEC_ALLOWED;
        }
    }
    for (int i = 0; i < set->nwarnings; i++)
        json_array_append_new(warnings, json_string(set->warnings[i]));

    root = json_pack("{s:s, s:s, s:i, s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
        "tool", "ssmprobe", "version", SSMPROBE_VERSION, "schema", 1, "command", "policy",
        "status", status_name(policy_overall(r, n)),
        "options", json_pack("{s:b, s:o, s:o, s:b}", "kms", o->kms,
                             "kms_key", o->kms_key ? json_string(o->kms_key) : json_null(),
                             "s3_logs", o->s3_bucket ? json_string(o->s3_bucket) : json_null(),
                             "cw_logs", o->cw_logs),
        "inputs", inputs,
        "actions", actions,
        "warnings", warnings,
        "summary", json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "required", req,
                             "allowed", cnt[DEC_ALLOWED], "conditional", cnt[DEC_CONDITIONAL],
                             "denied", cnt[DEC_DENIED], "missing", cnt[DEC_MISSING],
                             "optional", opt, "optional_allowed", opt_allowed));
    if (!root)
        die_internal("cannot build the JSON report");
    rc = json_dumpf(root, fp, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    fputc('\n', fp);
    json_decref(root);
    return rc;
}

/* Sid of the statement holding the actions on one resource. */
static const char *sid_for(const struct policy_need *n)
{
    if (strcmp(n->display, "*") == 0)
        return "SessionManager";
    if (strcmp(n->group, "kms") == 0)
        return "SessionManagerKmsKey";
    if (n->mode == RES_PREFIX)
        return "SessionLogsS3Objects";
    return "SessionLogsS3Bucket";
}

int policy_print_minimal(FILE *fp, const struct policy_opts *o)
{
    struct policy_need *needs = NULL;
    int n = policy_needs_build(o, &needs), rc;
    json_t *stmts = json_array(), *doc;

    /* One statement per resource, in the order the needs list them. */
    for (int i = 0; i < n; i++) {
        json_t *st = NULL, *acts;
        size_t k;
        json_t *e;
        if (!needs[i].required)
            continue;
        json_array_foreach(stmts, k, e) {
            if (strcmp(json_string_value(json_object_get(e, "Resource")), needs[i].display) == 0) {
                st = e;
                break;
            }
        }
        if (!st) {
            st = json_pack("{s:s, s:s, s:[], s:s}", "Sid", sid_for(&needs[i]), "Effect", "Allow",
                           "Action", "Resource", needs[i].display);
            json_array_append_new(stmts, st);
        }
        acts = json_object_get(st, "Action");
        json_array_append_new(acts, json_string(needs[i].action));
    }
    doc = json_pack("{s:s, s:o}", "Version", "2012-10-17", "Statement", stmts);
    if (!doc)
        die_internal("cannot build the policy");
    rc = json_dumpf(doc, fp, JSON_INDENT(2));
    fputc('\n', fp);
    json_decref(doc);
    policy_needs_free(needs, n);
    return rc;
}
