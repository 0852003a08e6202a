/* policy_load.c — read IAM policy documents, unwrap the shapes the AWS CLI
 * prints, validate statements and collect them into a policy_set.
 *
 * Accepted top levels:
 *   {"Version":…, "Statement":…}                      a bare document
 *   {"PolicyVersion": {"Document": DOC}}              aws iam get-policy-version
 *   {"PolicyDocument": DOC, "PolicyName":…}           aws iam get-role-policy (and
 *                                                     get-user-/get-group-policy)
 *   {"Policy": "…"}                                   a document held in a string
 * where DOC is an object, or a string holding the document, URL-encoded as
 * the IAM API returns it (RFC 3986: %XX only) or plain. Other AWS CLI
 * outputs that people paste (get-policy, get-role, list-attached-role-policies)
 * get a message saying which command prints the document instead. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msgs.h"
#include "policy.h"

/* Size above which a document cannot be a real IAM policy (inline role
 * policies: 10,240 characters in total; managed policies 6,144). */
#define IAM_MAX_POLICY_CHARS 10240

void policy_set_init(struct policy_set *set)
{
    memset(set, 0, sizeof *set);
}

void policy_set_free(struct policy_set *set)
{
    for (int i = 0; i < set->ndocs; i++) {
        free(set->docs[i].file);
        json_decref(set->docs[i].root);
        json_decref(set->docs[i].inner);
    }
    free(set->docs);
    free(set->stmts);
    for (int i = 0; i < set->nwarnings; i++)
        free(set->warnings[i]);
    free(set->warnings);
    memset(set, 0, sizeof *set);
}

static void seterr(char *err, size_t errlen, const char *fmt, ...) MSG_PRINTF(3, 4);
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static void addwarn(struct policy_set *set, const char *fmt, ...) MSG_PRINTF(2, 3);
static void addwarn(struct policy_set *set, const char *fmt, ...)
{
    char line[POLICY_ERRLEN];
    va_list ap;

    if (set->nwarnings >= 100)     /* a hostile document must not flood stderr */
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    set->warnings = xrealloc(set->warnings, (size_t)(set->nwarnings + 1) * sizeof *set->warnings);
    set->warnings[set->nwarnings++] = xstrdup(line);
}

int policy_read_file(const char *path, char **bufp, size_t *lenp, char *err, size_t errlen)
{
    int fd = 0, rc = -1;
    size_t len = 0, cap = 64 * 1024;
    char *buf = NULL;
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;

    if (strcmp(path, "-") != 0) {
        /* O_NONBLOCK: opening a FIFO without a writer must not hang. */
        struct stat st;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
            seterr(err, errlen, "%s: cannot open: %s", name, strerror(errno));
            return -1;
        }
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
            seterr(err, errlen, "%s: cannot read: %s", name,
                   S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
            close(fd);
            return -1;
        }
    }
    buf = xmalloc(cap);
    for (;;) {
        ssize_t got;
        if (len > POLICY_MAX_INPUT) {
            seterr(err, errlen, "%s: larger than %u MiB: not an IAM policy document "
                   "(IAM allows %d characters)", name, POLICY_MAX_INPUT >> 20,
                   IAM_MAX_POLICY_CHARS);
            goto out;
        }
        if (len == cap) {          /* grow, but never past the limit + 1 byte */
            cap = cap * 2 > POLICY_MAX_INPUT ? POLICY_MAX_INPUT + 1 : cap * 2;
            buf = xrealloc(buf, cap);
        }
        got = read(fd, buf + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            seterr(err, errlen, "%s: cannot read: %s", name, strerror(errno));
            goto out;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    *bufp = buf;
    *lenp = len;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    if (fd > 0)
        close(fd);
    return rc;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* RFC 3986 percent-decoding (no '+' rule). Returns a malloced string, or
 * NULL for a bad escape or an encoded NUL. */
POLICY_STATIC char *policy_url_decode(const char *s, size_t len, size_t *outlen)
{
    char *out = xmalloc(len + 1);
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%') {
            int hi = i + 1 < len ? hexval((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < len ? hexval((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                free(out);
                return NULL;
            }
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    *outlen = o;
    return out;
}

/* A string document: URL-encoded when it does not start with '{' or '['
 * after blanks and holds a % escape. */
static bool looks_encoded(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i < len && s[i] != '{' && s[i] != '[' && memchr(s, '%', len) != NULL;
}

static bool blank(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r' && buf[i] != '\n')
            return false;
    return true;
}

/* Parse JSON text; on error "WHERE:LINE:COLUMN: invalid JSON: …". */
static json_t *parse_json(const char *where, const char *buf, size_t len, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *j;

    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {   /* a UTF-8 BOM (Windows editors) */
        buf += 3;
        len -= 3;
    }
    if (blank(buf, len)) {
        seterr(err, errlen, "%s: empty%s: expected an IAM policy document (JSON)",
               where, len ? " (only blanks)" : "");
        return NULL;
    }
    j = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!j)
        seterr(err, errlen, "%s:%d:%d: invalid JSON: %s", where, jerr.line, jerr.column, jerr.text);
    return j;
}

static const char *json_kind(const json_t *j)
{
    if (!j)
        return "missing";
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: case JSON_REAL: return "a number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* "a, b, c" of an object's first keys, for messages. */
static void key_list(const json_t *obj, char *buf, size_t len)
{
    const char *key;
    json_t *v;
    size_t used = 0;
    int n = 0;

    buf[0] = '\0';
    json_object_foreach((json_t *)obj, key, v) {
        int w;
        (void)v;
        if (n == 6) {
            snprintf(buf + used, len - used, ", …");
            return;
        }
        w = snprintf(buf + used, len - used, "%s\"%.40s\"", n ? ", " : "", key);
        if (w < 0 || (size_t)w >= len - used)
            return;
        used += (size_t)w;
        n++;
    }
    if (n == 0)
        snprintf(buf, len, "none");
}

/* A string or a non-empty array of strings. */
static bool string_or_list(const json_t *v)
{
    size_t i;
    json_t *e;

    if (json_is_string(v))
        return true;
    if (!json_is_array(v) || json_array_size(v) == 0)
        return false;
    json_array_foreach((json_t *)v, i, e)
        if (!json_is_string(e))
            return false;
    return true;
}

static void warn_actions(struct policy_set *set, const char *where, const json_t *v)
{
    size_t i;
    json_t *e;

    if (json_is_string(v)) {
        const char *a = json_string_value(v);
        if (strcmp(a, "*") != 0 && !strchr(a, ':'))
            addwarn(set, "%s: action \"%.80s\" has no service prefix (expected \"service:Action\"): "
                    "it matches nothing", where, a);
        return;
    }
    json_array_foreach((json_t *)v, i, e)
        warn_actions(set, where, e);
}

static const char *const stmt_keys[] = {
    "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition",
    "Principal", "NotPrincipal", NULL
};

/* Validate one statement and fill *st. Returns 0 or -1 with err filled. */
static int load_statement(struct policy_set *set, const char *file, const json_t *js, int index,
                          struct policy_stmt *st, char *err, size_t errlen)
{
    char where[POLICY_ERRLEN / 2];
    const json_t *sid, *eff, *cond;
    const char *key, *estr;
    json_t *v;

    if (!json_is_object(js)) {
        seterr(err, errlen, "%s: statement %d is %s, expected an object", file, index, json_kind(js));
        return -1;
    }
    sid = json_object_get(js, "Sid");
    if (sid && !json_is_string(sid)) {
        seterr(err, errlen, "%s: statement %d: \"Sid\" must be a string", file, index);
        return -1;
    }
    if (sid)
        snprintf(where, sizeof where, "%s: statement %d (Sid \"%.60s\")", file, index,
                 json_string_value(sid));
    else
        snprintf(where, sizeof where, "%s: statement %d", file, index);

    json_object_foreach((json_t *)js, key, v) {
        int k = 0;
        while (stmt_keys[k] && strcmp(stmt_keys[k], key) != 0)
            k++;
        if (!stmt_keys[k])
            addwarn(set, "%s: unknown key \"%.40s\" ignored", where, key);
    }
    if (json_object_get(js, "Principal") || json_object_get(js, "NotPrincipal")) {
        seterr(err, errlen, "%s has \"Principal\": this is a trust policy or a resource-based "
               "policy (bucket, key), not a permissions policy of the role", where);
        return -1;
    }
    eff = json_object_get(js, "Effect");
    if (!eff) {
        seterr(err, errlen, "%s: no \"Effect\" (\"Allow\" or \"Deny\")", where);
        return -1;
    }
    estr = json_is_string(eff) ? json_string_value(eff) : NULL;
    if (estr && strcmp(estr, "Allow") == 0) {
        st->effect = POLICY_ALLOW;
    } else if (estr && strcmp(estr, "Deny") == 0) {
        st->effect = POLICY_DENY;
    } else if (estr) {
        seterr(err, errlen, "%s: \"Effect\" must be \"Allow\" or \"Deny\" (case matters), not \"%.40s\"",
               where, estr);
        return -1;
    } else {
        seterr(err, errlen, "%s: \"Effect\" must be the string \"Allow\" or \"Deny\", not %s",
               where, json_kind(eff));
        return -1;
    }

    st->action = json_object_get(js, "Action");
    st->notaction = json_object_get(js, "NotAction");
    if ((st->action != NULL) == (st->notaction != NULL)) {
        seterr(err, errlen, "%s: needs exactly one of \"Action\" and \"NotAction\"", where);
        return -1;
    }
    if (!string_or_list(st->action ? st->action : st->notaction)) {
        seterr(err, errlen, "%s: \"%s\" must be a string or a non-empty array of strings", where,
               st->action ? "Action" : "NotAction");
        return -1;
    }
    warn_actions(set, where, st->action ? st->action : st->notaction);

    st->resource = json_object_get(js, "Resource");
    st->notresource = json_object_get(js, "NotResource");
    if ((st->resource != NULL) == (st->notresource != NULL)) {
        seterr(err, errlen, "%s: needs exactly one of \"Resource\" and \"NotResource\"", where);
        return -1;
    }
    if (!string_or_list(st->resource ? st->resource : st->notresource)) {
        seterr(err, errlen, "%s: \"%s\" must be a string or a non-empty array of strings", where,
               st->resource ? "Resource" : "NotResource");
        return -1;
    }

    cond = json_object_get(js, "Condition");
    st->condition = NULL;
    if (cond) {
        if (!json_is_object(cond)) {
            seterr(err, errlen, "%s: \"Condition\" must be an object", where);
            return -1;
        }
        json_object_foreach((json_t *)cond, key, v) {
            if (!json_is_object(v)) {
                seterr(err, errlen, "%s: condition operator \"%.40s\" must map to an object of keys",
                       where, key);
                return -1;
            }
        }
        if (json_object_size(cond) > 0)
            st->condition = cond;
    }
    st->sid = sid ? json_string_value(sid) : NULL;
    st->index = index;
    return 0;
}

static void push_stmt(struct policy_set *set, const struct policy_stmt *st)
{
    if (set->nstmts == set->capstmts) {
        set->capstmts = set->capstmts ? set->capstmts * 2 : 16;
        set->stmts = xrealloc(set->stmts, (size_t)set->capstmts * sizeof *set->stmts);
    }
    set->stmts[set->nstmts++] = *st;
}

/* Validate a document object and append its statements (undone on error). */
static int load_document(struct policy_set *set, int docidx, const json_t *doc, char *err,
                         size_t errlen)
{
    const char *file = set->docs[docidx].file;
    const json_t *ver, *stmts;
    const char *key;
    json_t *v;
    int first = set->nstmts;

    if (!json_is_object(doc)) {
        seterr(err, errlen, "%s: the policy document is %s, expected an object with \"Statement\"",
               file, json_kind(doc));
        return -1;
    }
    json_object_foreach((json_t *)doc, key, v) {
        if (strcmp(key, "Version") != 0 && strcmp(key, "Statement") != 0 && strcmp(key, "Id") != 0)
            addwarn(set, "%s: unknown key \"%.40s\" in the policy document ignored", file, key);
    }
    ver = json_object_get(doc, "Version");
    if (ver && !json_is_string(ver)) {
        seterr(err, errlen, "%s: \"Version\" must be a string such as \"2012-10-17\"", file);
        return -1;
    }
    if (ver && strcmp(json_string_value(ver), "2012-10-17") != 0
        && strcmp(json_string_value(ver), "2008-10-17") != 0)
        addwarn(set, "%s: unknown policy \"Version\" \"%.40s\" (IAM knows \"2012-10-17\")", file,
                json_string_value(ver));
    stmts = json_object_get(doc, "Statement");
    if (!stmts) {
        seterr(err, errlen, "%s: the policy document has no \"Statement\"", file);
        return -1;
    }
    if (json_is_object(stmts)) {
        struct policy_stmt st = {.doc = docidx};
        if (load_statement(set, file, stmts, 1, &st, err, errlen) < 0)
            return -1;
        push_stmt(set, &st);
    } else if (json_is_array(stmts)) {
        size_t i;
        json_t *e;
        if (json_array_size(stmts) == 0)
            addwarn(set, "%s: \"Statement\" is empty: this document allows nothing", file);
        json_array_foreach((json_t *)stmts, i, e) {
            struct policy_stmt st = {.doc = docidx};
            if (load_statement(set, file, e, (int)i + 1, &st, err, errlen) < 0) {
                set->nstmts = first;
                return -1;
            }
            push_stmt(set, &st);
        }
    } else {
        seterr(err, errlen, "%s: \"Statement\" must be an object or an array, not %s", file,
               json_kind(stmts));
        return -1;
    }
    set->docs[docidx].nstatements = set->nstmts - first;
    return 0;
}

/* A document given as a string (URL-encoded or plain): parse it into
 * doc->inner. */
static const json_t *parse_string_doc(struct policy_doc *doc, const char *field, const json_t *s,
                                      char *err, size_t errlen)
{
    const char *text = json_string_value(s);
    size_t len = json_string_length(s);
    char where[POLICY_ERRLEN / 2];

    if (looks_encoded(text, len)) {
        size_t dlen;
        char *dec = policy_url_decode(text, len, &dlen);
        if (!dec) {
            seterr(err, errlen, "%s: %s: bad URL encoding (a %% not followed by two hex digits)",
                   doc->file, field);
            return NULL;
        }
        snprintf(where, sizeof where, "%s: %s (URL-decoded)", doc->file, field);
        doc->inner = parse_json(where, dec, dlen, err, errlen);
        free(dec);
    } else {
        snprintf(where, sizeof where, "%s: %s", doc->file, field);
        doc->inner = parse_json(where, text, len, err, errlen);
    }
    return doc->inner;
}

/* Find the policy document inside what the user gave. NULL with err filled
 * when there is none. */
static const json_t *unwrap(struct policy_doc *doc, char *err, size_t errlen)
{
    const json_t *root = doc->root, *v, *d;
    char keys[256];

    if (!json_is_object(root)) {
        seterr(err, errlen, "%s: not an IAM policy: the top level is %s, expected an object "
               "{\"Version\": \"2012-10-17\", \"Statement\": [...]}", doc->file, json_kind(root));
        return NULL;
    }
    if (json_object_get(root, "Statement")) {
        doc->shape = "document";
        return root;
    }
    if ((v = json_object_get(root, "PolicyVersion")) != NULL) {
        doc->shape = "get-policy-version";
        d = json_is_object(v) ? json_object_get(v, "Document") : NULL;
        if (!d) {
            seterr(err, errlen, "%s: \"PolicyVersion\" has no \"Document\"", doc->file);
            return NULL;
        }
        return json_is_string(d) ? parse_string_doc(doc, "PolicyVersion.Document", d, err, errlen) : d;
    }
    if ((d = json_object_get(root, "PolicyDocument")) != NULL) {
        doc->shape = "get-role-policy";
        return json_is_string(d) ? parse_string_doc(doc, "PolicyDocument", d, err, errlen) : d;
    }
    if ((v = json_object_get(root, "Policy")) != NULL) {
        if (json_is_string(v)) {
            doc->shape = "policy-string";
            return parse_string_doc(doc, "Policy", v, err, errlen);
        }
        if (json_is_object(v) && json_object_get(v, "DefaultVersionId")) {
            const json_t *arn = json_object_get(v, "Arn"), *ver = json_object_get(v, "DefaultVersionId");
            seterr(err, errlen, "%s: this is `aws iam get-policy` output (no document); use "
                   "`aws iam get-policy-version --policy-arn %s --version-id %s`", doc->file,
                   json_is_string(arn) ? json_string_value(arn) : "ARN",
                   json_is_string(ver) ? json_string_value(ver) : "VERSION");
            return NULL;
        }
    }
    if ((v = json_object_get(root, "Role")) != NULL && json_is_object(v)
        && json_object_get(v, "AssumeRolePolicyDocument")) {
        seterr(err, errlen, "%s: this is `aws iam get-role` output: its document is the trust "
               "policy; give the role's permissions policies (`aws iam get-role-policy`, "
               "`aws iam get-policy-version`)", doc->file);
        return NULL;
    }
    if (json_object_get(root, "AttachedPolicies") || json_object_get(root, "PolicyNames")) {
        seterr(err, errlen, "%s: this is a list of policy names, not documents; fetch each with "
               "`aws iam get-policy-version` (managed) or `aws iam get-role-policy` (inline)",
               doc->file);
        return NULL;
    }
    if (json_object_get(root, "Effect") && (json_object_get(root, "Action")
                                            || json_object_get(root, "NotAction"))) {
        seterr(err, errlen, "%s: this is a single statement, not a policy document: wrap it as "
               "{\"Version\": \"2012-10-17\", \"Statement\": [ ... ]}", doc->file);
        return NULL;
    }
    key_list(root, keys, sizeof keys);
    seterr(err, errlen, "%s: JSON, but not an IAM policy document: no \"Statement\" "
           "(top-level keys: %s)", doc->file, keys);
    return NULL;
}

int policy_set_add(struct policy_set *set, const char *name, const char *buf, size_t len,
                   char *err, size_t errlen)
{
    struct policy_doc doc = {0};
    const json_t *d;
    int idx;

    doc.file = xstrdup(strcmp(name, "-") == 0 ? "(stdin)" : name);
    doc.shape = "document";
    doc.root = parse_json(doc.file, buf, len, err, errlen);
    if (!doc.root)
        goto fail;
    d = unwrap(&doc, err, errlen);
    if (!d)
        goto fail;

    set->docs = xrealloc(set->docs, (size_t)(set->ndocs + 1) * sizeof *set->docs);
    idx = set->ndocs++;
    set->docs[idx] = doc;
    if (load_document(set, idx, d, err, errlen) < 0) {
        set->ndocs--;
        goto fail;
    }
    if (len > IAM_MAX_POLICY_CHARS)
        addwarn(set, "%s: %zu bytes: larger than IAM accepts for a policy (%d characters for a "
                "role's inline policies, 6,144 for a managed policy)", doc.file, len,
                IAM_MAX_POLICY_CHARS);
    return 0;
fail:
    free(doc.file);
    json_decref(doc.root);
    json_decref(doc.inner);
    return -1;
}
