/* policy_eval.c — decide one action the way IAM does for an identity policy.
 *
 * A statement applies when its Action (or NotAction) matches the action and
 * its Resource (or NotResource) covers the resource the agent uses. Then:
 * an applicable Deny without conditions denies, whatever allows it; else an
 * applicable Allow without conditions allows; else nothing allows and the
 * action is missing (IAM's implicit deny). Conditions are not evaluated: an
 * Allow that carries one makes the action "allowed if …", a Deny that
 * carries one makes an allowed action "allowed unless …". A statement that
 * covers only some of the resources the agent may use (a specific instance
 * ARN where the agent needs every one) counts like a conditional one.
 *
 * Cost: every need scans every statement once; patterns are short, so a
 * 10 MB document evaluates in well under a second. */
#include <string.h>

#include "policy.h"

static bool any_match(const json_t *v, const char *subj, unsigned flags)
{
    size_t i;
    json_t *e;

    if (json_is_string(v))
        return policy_glob(json_string_value(v), subj, flags);
    json_array_foreach((json_t *)v, i, e)
        if (json_is_string(e) && policy_glob(json_string_value(e), subj, flags))
            return true;
    return false;
}

static bool any_all(const json_t *v)
{
    size_t i;
    json_t *e;

    if (json_is_string(v))
        return policy_glob_all(json_string_value(v));
    json_array_foreach((json_t *)v, i, e)
        if (json_is_string(e) && policy_glob_all(json_string_value(e)))
            return true;
    return false;
}

bool policy_action_applies(const struct policy_stmt *s, const char *action)
{
    if (s->action)
        return any_match(s->action, action, PM_NOCASE);
    return !any_match(s->notaction, action, PM_NOCASE);
}

enum policy_cover policy_resource_covers(const struct policy_stmt *s, const struct policy_need *n)
{
    const json_t *list = s->resource ? s->resource : s->notresource;
    bool neg = s->resource == NULL;
    bool full, some;

    switch (n->mode) {
    case RES_EXACT:
        full = any_match(list, n->resource, 0);
        return full != neg ? COVER_FULL : COVER_NONE;
    case RES_PREFIX:
        full = any_match(list, n->resource, PM_TAIL_ANY);
        some = full || any_match(list, n->resource, PM_PREFIX);
        break;
    case RES_ANY:
    default:
        full = any_all(list);
        some = true;      /* a specific ARN is some of "every resource" */
        break;
    }
    if (!neg)
        return full ? COVER_FULL : some ? COVER_PARTIAL : COVER_NONE;
    /* NotResource: applies to everything its patterns do not match. */
    return full ? COVER_NONE : some ? COVER_PARTIAL : COVER_FULL;
}

struct condlist {
    struct policy_condref v[POLICY_MAX_CONDS];
    int n;
    bool more;
};

static void cond_add(struct condlist *l, int stmt, bool partial)
{
    if (l->n == POLICY_MAX_CONDS) {
        l->more = true;
        return;
    }
    l->v[l->n].stmt = stmt;
    l->v[l->n].resource_partial = partial;
    l->n++;
}

static void cond_copy(struct policy_result *out, const struct condlist *l)
{
    for (int i = 0; i < l->n; i++) {
        if (out->nconds == POLICY_MAX_CONDS) {
            out->more_conds = true;
            return;
        }
        out->conds[out->nconds++] = l->v[i];
    }
    if (l->more)
        out->more_conds = true;
}

void policy_evaluate(const struct policy_set *set, const struct policy_need *need,
                     struct policy_result *out)
{
    struct condlist allows = {.n = 0}, denies = {.n = 0};
    int allow = -1;

    memset(out, 0, sizeof *out);
    out->need = need;
    out->stmt = -1;
    out->near_miss = -1;

    for (int i = 0; i < set->nstmts; i++) {
        const struct policy_stmt *s = &set->stmts[i];
        enum policy_cover cover;
        bool cond;

        if (!policy_action_applies(s, need->action))
            continue;
        cover = policy_resource_covers(s, need);
        if (cover == COVER_NONE) {
            if (s->effect == POLICY_ALLOW && out->near_miss < 0)
                out->near_miss = i;
            continue;
        }
        cond = s->condition != NULL || cover == COVER_PARTIAL;
        if (s->effect == POLICY_DENY && !cond) {
            out->decision = DEC_DENIED;        /* an explicit Deny beats every Allow */
            out->stmt = i;
            out->near_miss = -1;
            return;
        }
        if (cond)
            cond_add(s->effect == POLICY_DENY ? &denies : &allows, i, cover == COVER_PARTIAL);
        else if (allow < 0)
            allow = i;
    }

    if (allow >= 0) {
        out->decision = denies.n ? DEC_CONDITIONAL : DEC_ALLOWED;
        out->stmt = allow;
        cond_copy(out, &denies);
    } else if (allows.n) {
        out->decision = DEC_CONDITIONAL;
        out->stmt = allows.v[0].stmt;
        cond_copy(out, &allows);
        cond_copy(out, &denies);
    } else {
        out->decision = DEC_MISSING;
        return;
    }
    out->near_miss = -1;
}

const char *policy_decision_name(enum policy_decision d)
{
    switch (d) {
    case DEC_ALLOWED: return "allowed";
    case DEC_CONDITIONAL: return "conditional";
    case DEC_DENIED: return "denied";
    case DEC_MISSING: default: return "missing";
    }
}
