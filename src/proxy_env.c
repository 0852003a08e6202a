/* proxy_env.c — which proxy the agent uses, from the places it comes from.
 *
 * On Linux the agent takes its proxy from its environment only
 * (agent/proxyconfig/proxy_unix.go), and its HTTP client is Go's
 * ProxyFromEnvironment. So the truth is the running process's environ;
 * when that cannot be read (not root) or the agent is not running, the
 * places an administrator puts the variables: systemd drop-ins (AWS's
 * "systemctl edit amazon-ssm-agent" writes override.conf) or the upstart
 * override. Everything here is a pure function of files under a root and
 * a proc directory, so tests run on fixtures. Input is untrusted: every
 * read is capped and parsing never fails hard. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msgs.h"
#include "proxy.h"

#define FILE_CAP (1024 * 1024)     /* bytes read from any one file */
#define MAX_DROPINS 256            /* *.conf files taken from one directory */
#define AGENT_NAME "amazon-ssm-agent"

/* ---- the "K=V" list --------------------------------------------------- */

static void envlist_push(struct proxy_envlist *l, char *kv, int tag)
{
    if (l->n + 1 >= l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
        l->tag = xrealloc(l->tag, l->cap * sizeof *l->tag);
    }
    l->v[l->n] = kv;
    l->tag[l->n] = tag;
    l->n++;
    l->v[l->n] = NULL;
}

static void envlist_clear(struct proxy_envlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    l->n = 0;
    if (l->v)
        l->v[0] = NULL;
}

void proxy_envlist_free(struct proxy_envlist *l)
{
    envlist_clear(l);
    free(l->v);
    free(l->tag);
    memset(l, 0, sizeof *l);
}

static ssize_t envlist_find(const struct proxy_envlist *l, const char *key, size_t keylen)
{
    for (size_t i = 0; i < l->n; i++)
        if (strncmp(l->v[i], key, keylen) == 0 && l->v[i][keylen] == '=')
            return (ssize_t)i;
    return -1;
}

static char *make_kv(const char *key, size_t keylen, const char *val)
{
    size_t vl = strlen(val);
    char *kv = xmalloc(keylen + 1 + vl + 1);
    memcpy(kv, key, keylen);
    kv[keylen] = '=';
    memcpy(kv + keylen + 1, val, vl + 1);
    return kv;
}

void proxy_envlist_set(struct proxy_envlist *l, const char *key, size_t keylen,
                       const char *val, int tag)
{
    ssize_t i = envlist_find(l, key, keylen);
    char *kv = make_kv(key, keylen, val);
    if (i < 0) {
        envlist_push(l, kv, tag);
        return;
    }
    free(l->v[i]);
    l->v[i] = kv;
    l->tag[i] = tag;
}

const char *proxy_envlist_get(const struct proxy_envlist *l, const char *key, int *tag)
{
    ssize_t i = envlist_find(l, key, strlen(key));
    if (i < 0)
        return NULL;
    if (tag)
        *tag = l->tag[i];
    return l->v[i] + strlen(key) + 1;
}

void proxy_envlist_from_block(struct proxy_envlist *l, const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len) {
        const char *s = buf + i;
        const char *nul = memchr(s, '\0', len - i);
        size_t n = nul ? (size_t)(nul - s) : len - i;
        const char *eq = memchr(s, '=', n);
        /* Entries without '=' or with an empty name are not variables. */
        if (eq && eq > s && envlist_find(l, s, (size_t)(eq - s)) < 0)
            envlist_push(l, xstrndup(s, n), 0);
        i += n + 1;
    }
}

/* ---- parsers ---------------------------------------------------------- */

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A growable byte buffer for building words. */
struct sbuf {
    char *p;
    size_t n, cap;
};

static void sb_put(struct sbuf *b, char c)
{
    if (b->n + 2 > b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->p = xrealloc(b->p, b->cap);
    }
    b->p[b->n++] = c;
    b->p[b->n] = '\0';
}

static bool valid_key(const char *k, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (k[i] == '=' || is_ws(k[i]) || k[i] == '\0')
            return false;
    return true;
}

/* Add "K=V" word w to env when it is an assignment; systemd ignores
 * (with a warning) words that are not. */
static void assign_word(struct proxy_envlist *env, const char *w, int tag)
{
    const char *eq = strchr(w, '=');
    if (eq && valid_key(w, (size_t)(eq - w)))
        proxy_envlist_set(env, w, (size_t)(eq - w), eq + 1, tag);
}

static char unescape_char(char c)
{
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 's': return ' ';
    default: return c;
    }
}

/* Environment= value: whitespace-separated words; "…" and '…' group,
 * also in mid-word (FOO="a b"); C escapes; "%%" is "%" (specifiers). */
static void parse_env_words(const char *v, struct proxy_envlist *env, int tag)
{
    struct sbuf w = {0};
    const char *p = v;
    for (;;) {
        while (*p && is_ws(*p))
            p++;
        if (!*p)
            break;
        w.n = 0;
        sb_put(&w, '\0');
        w.n = 0;
        char quote = 0;
        for (; *p; p++) {
            if (!quote && is_ws(*p))
                break;
            if (*p == '\\' && p[1]) {
                p++;
                sb_put(&w, unescape_char(*p));
            } else if (quote && *p == quote) {
                quote = 0;
            } else if (!quote && (*p == '"' || *p == '\'')) {
                quote = *p;
            } else if (*p == '%' && p[1] == '%') {
                sb_put(&w, '%');
                p++;
            } else {
                sb_put(&w, *p);
            }
        }
        assign_word(env, w.p, tag);
    }
    free(w.p);
}

/* Split text into logical lines: a trailing backslash joins the next line
 * (systemd puts a space there); comment lines inside are skipped. The
 * callback gets one NUL-terminated, trimmed line. */
static void for_each_line(const char *text, size_t len, bool join,
                          void (*fn)(char *line, void *ctx), void *ctx)
{
    struct sbuf line = {0};
    size_t i = 0;
    bool cont = false;
    while (i < len) {
        const char *s = text + i;
        const char *nl = memchr(s, '\n', len - i);
        size_t n = nl ? (size_t)(nl - s) : len - i;
        i += n + 1;
        while (n && is_ws(*s)) {
            s++;
            n--;
        }
        while (n && is_ws(s[n - 1]))
            n--;
        if (cont && n && (*s == '#' || *s == ';'))
            continue;
        if (!cont)
            line.n = 0;
        for (size_t k = 0; k < n; k++)
            sb_put(&line, s[k] ? s[k] : ' ');
        if (join && n && s[n - 1] == '\\') {
            line.p[line.n - 1] = ' ';
            cont = true;
            continue;
        }
        cont = false;
        sb_put(&line, '\0');
        line.n--;
        fn(line.p, ctx);
    }
    if (cont && line.p)
        fn(line.p, ctx);
    free(line.p);
}

struct sd_ctx {
    struct proxy_envlist *env, *files;
    int tag;
    bool in_service;
};

static void sd_line(char *l, void *vctx)
{
    struct sd_ctx *c = vctx;
    if (!*l || *l == '#' || *l == ';')
        return;
    if (*l == '[') {
        c->in_service = strcmp(l, "[Service]") == 0;
        return;
    }
    char *eq = strchr(l, '=');
    if (!c->in_service || !eq)
        return;
    char *k = l, *ke = eq, *v = eq + 1;
    while (ke > k && is_ws(ke[-1]))
        ke--;
    while (*v && is_ws(*v))
        v++;
    size_t kl = (size_t)(ke - k);
    if (kl == 11 && memcmp(k, "Environment", 11) == 0) {
        if (!*v)
            envlist_clear(c->env);   /* "Environment=" resets the list */
        else
            parse_env_words(v, c->env, c->tag);
    } else if (kl == 15 && memcmp(k, "EnvironmentFile", 15) == 0 && c->files) {
        if (!*v)
            envlist_clear(c->files);
        else
            envlist_push(c->files, xstrdup(v), c->tag);
    }
}

void proxy_parse_systemd(const char *text, size_t len, struct proxy_envlist *env,
                         int tag, struct proxy_envlist *files)
{
    struct sd_ctx c = {env, files, tag, false};
    for_each_line(text, len, true, sd_line, &c);
}

/* Value of a KEY=VALUE line in an env file or upstart stanza: quotes
 * group and are removed, a backslash escapes the next character. */
static char *shell_value(const char *v)
{
    struct sbuf w = {0};
    char quote = 0;
    sb_put(&w, '\0');
    w.n = 0;
    for (const char *p = v; *p; p++) {
        if (quote == '\'' && *p != '\'') {
            sb_put(&w, *p);
        } else if (*p == '\\' && p[1] && quote != '\'') {
            p++;
            sb_put(&w, *p);
        } else if (quote && *p == quote) {
            quote = 0;
        } else if (!quote && (*p == '"' || *p == '\'')) {
            quote = *p;
        } else if (!quote && is_ws(*p)) {
            break;           /* unquoted blank ends the value */
        } else {
            sb_put(&w, *p);
        }
    }
    return w.p;
}

static void kv_line(char *l, struct proxy_envlist *env, int tag)
{
    char *eq = strchr(l, '=');
    if (!eq)
        return;
    char *ke = eq;
    while (ke > l && is_ws(ke[-1]))
        ke--;
    char *v = eq + 1;
    while (*v && is_ws(*v))
        v++;
    if (!valid_key(l, (size_t)(ke - l)))
        return;
    char *val = shell_value(v);
    proxy_envlist_set(env, l, (size_t)(ke - l), val, tag);
    free(val);
}

struct kv_ctx {
    struct proxy_envlist *env;
    int tag;
};

static void envfile_line(char *l, void *vctx)
{
    struct kv_ctx *c = vctx;
    if (!*l || *l == '#' || *l == ';')
        return;
    if (strncmp(l, "export", 6) == 0 && is_ws(l[6]))
        l += 7;
    while (is_ws(*l))
        l++;
    kv_line(l, c->env, c->tag);
}

void proxy_parse_envfile(const char *text, size_t len, struct proxy_envlist *env, int tag)
{
    struct kv_ctx c = {env, tag};
    for_each_line(text, len, true, envfile_line, &c);
}

static void upstart_line(char *l, void *vctx)
{
    struct kv_ctx *c = vctx;
    if (strncmp(l, "env", 3) != 0 || !is_ws(l[3]))
        return;
    l += 4;
    while (is_ws(*l))
        l++;
    kv_line(l, c->env, c->tag);
}

void proxy_parse_upstart(const char *text, size_t len, struct proxy_envlist *env, int tag)
{
    struct kv_ctx c = {env, tag};
    for_each_line(text, len, false, upstart_line, &c);
}

/* ---- settings --------------------------------------------------------- */

static void add_note(struct proxy_settings *s, const char *fmt, ...) MSG_PRINTF(2, 3);
static void add_note(struct proxy_settings *s, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    if (s->nnotes >= PROXY_MAX_NOTES)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    s->notes[s->nnotes++] = xstrdup(buf);
}

void proxy_settings_free(struct proxy_settings *s)
{
    if (!s)
        return;
    if (s->https_proxy)
        explicit_bzero(s->https_proxy, strlen(s->https_proxy));
    if (s->http_proxy)
        explicit_bzero(s->http_proxy, strlen(s->http_proxy));
    free(s->https_proxy);
    free(s->http_proxy);
    free(s->no_proxy);
    for (int i = 0; i < s->nnotes; i++)
        free(s->notes[i]);
    memset(s, 0, sizeof *s);
}

/* getenv over an environ-shaped array: the first entry of a name wins. */
static const char *env_get(char *const *envp, const char *name)
{
    size_t n = strlen(name);
    for (; envp && *envp; envp++)
        if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
            return *envp + n + 1;
    return NULL;
}

/* Go's getEnvAny(UPPER, lower): the first non-empty one. Notes when both
 * are set and differ, because curl reads lower case first. */
static char *env_any(char *const *envp, const char *upper, const char *lower,
                     const char **which, struct proxy_settings *s)
{
    const char *u = env_get(envp, upper), *l = env_get(envp, lower);
    *which = NULL;
    if (u && *u && l && *l && strcmp(u, l) != 0)
        add_note(s, "%s and %s differ: the agent (Go) uses %s, curl uses %s",
                 upper, lower, upper, lower);
    if (u && *u) {
        *which = upper;
        return xstrdup(u);
    }
    if (l && *l) {
        *which = lower;
        return xstrdup(l);
    }
    return NULL;
}

int proxy_settings_from_env(char *const *envp, const char *origin, struct proxy_settings *s)
{
    memset(s, 0, sizeof *s);
    s->https_proxy = env_any(envp, "HTTPS_PROXY", "https_proxy", &s->https_var, s);
    s->http_proxy = env_any(envp, "HTTP_PROXY", "http_proxy", &s->http_var, s);
    s->no_proxy = env_any(envp, "NO_PROXY", "no_proxy", &s->no_proxy_var, s);
    const char *rm = env_get(envp, "REQUEST_METHOD");
    s->cgi = rm && *rm;
    if (!origin)
        origin = "env";
    if (s->https_proxy && !strchr(origin, ':'))
        snprintf(s->source, sizeof s->source, "%s:%s", origin, s->https_var);
    else
        snprintf(s->source, sizeof s->source, "%s", origin);
    /* Go >= 1.16 stopped using HTTP_PROXY for https:// URLs. */
    if (s->http_proxy && !s->https_proxy)
        add_note(s, "%s is set but https_proxy is not: the agent (Go) and curl connect to "
                 "https:// endpoints, every SSM endpoint, directly; set https_proxy too",
                 s->http_var);
    if (s->cgi && s->http_proxy)
        add_note(s, "REQUEST_METHOD is set: Go refuses %s for http:// requests "
                 "such as IMDS (golang.org/s/cgihttpproxy)", s->http_var);
    return s->https_proxy != NULL;
}

static bool str_differ(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) != (b != NULL);
    return strcmp(a, b) != 0;
}

bool proxy_settings_differ(const struct proxy_settings *a, const struct proxy_settings *b)
{
    return str_differ(a->https_proxy, b->https_proxy) || str_differ(a->no_proxy, b->no_proxy);
}

/* ---- files ------------------------------------------------------------ */

/* "<root>/<path>" without doubled slashes; root NULL or "" is "/". */
static char *path_join(const char *root, const char *path)
{
    size_t rl = root ? strlen(root) : 0;
    while (rl && root[rl - 1] == '/')
        rl--;
    while (*path == '/')
        path++;
    char *out = xmalloc(rl + 1 + strlen(path) + 1);
    memcpy(out, root ? root : "", rl);
    out[rl] = '/';
    strcpy(out + rl + 1, path);
    return out;
}

/* Read at most FILE_CAP bytes of a regular or /proc file. Returns 0 and a
 * malloced, NUL-terminated *buf, or an errno value. */
static int read_capped(const char *path, char **buf, size_t *len)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    int rc = 0;
    size_t n = 0, cap = 4096;
    char *b = NULL;
    if (fd < 0)
        return errno;
    if (fstat(fd, &st) < 0) {
        rc = errno;
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {   /* never block on a FIFO or a device */
        rc = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        goto out;
    }
    b = xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap >= FILE_CAP)
                break;
            cap *= 2;
            b = xrealloc(b, cap + 1);
        }
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = errno;
            goto out;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    b = NULL;
out:
    free(b);
    close(fd);
    return rc;
}

/* The lowest PID whose comm is the agent's (the kernel cuts comm to 15
 * bytes: "amazon-ssm-agen") and whose argv[0] ends in /amazon-ssm-agent. */
static long find_agent_pid(const char *procdir)
{
    DIR *d = opendir(procdir);
    struct dirent *de;
    long best = -1;
    if (!d)
        return -1;
    while ((de = readdir(d))) {
        char *end, rel[64], *path, *buf = NULL;
        size_t len;
        long pid = strtol(de->d_name, &end, 10);
        if (!de->d_name[0] || *end || pid <= 0 || (best > 0 && pid >= best))
            continue;
        snprintf(rel, sizeof rel, "%ld/comm", pid);
        path = path_join(procdir, rel);
        int crc = read_capped(path, &buf, &len);
        free(path);
        bool comm_ok = false;
        if (crc == 0) {
            buf[strcspn(buf, "\n")] = '\0';
            comm_ok = strcmp(buf, AGENT_NAME) == 0 || strcmp(buf, "amazon-ssm-agen") == 0;
        }
        free(buf);
        buf = NULL;
        if (crc == 0 && !comm_ok)
            continue;
        snprintf(rel, sizeof rel, "%ld/cmdline", pid);
        path = path_join(procdir, rel);
        int mrc = read_capped(path, &buf, &len);
        free(path);
        bool argv_ok = false, argv_empty = true;
        if (mrc == 0 && len) {
            const char *slash = strrchr(buf, '/');   /* buf ends at argv[0]'s NUL */
            argv_ok = strcmp(slash ? slash + 1 : buf, AGENT_NAME) == 0;
            argv_empty = buf[0] == '\0';
        }
        free(buf);
        if ((comm_ok && (argv_ok || argv_empty)) || (crc != 0 && argv_ok))
            best = pid;
    }
    closedir(d);
    return best;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted malloced "*.conf" names of dir (systemd applies them in this
 * order); NULL when the directory cannot be opened. */
static char **list_confs(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **v = NULL;
    *n = 0;
    if (!d)
        return NULL;
    v = xcalloc(MAX_DROPINS + 1, sizeof *v);
    while ((de = readdir(d)) && *n < MAX_DROPINS) {
        size_t l = strlen(de->d_name);
        if (l > 5 && de->d_name[0] != '.' && strcmp(de->d_name + l - 5, ".conf") == 0)
            v[(*n)++] = xstrdup(de->d_name);
    }
    closedir(d);
    qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

/* Move src's values into dst (freeing dst's), appending src's notes. */
static void settings_take(struct proxy_settings *dst, struct proxy_settings *src)
{
    free(dst->https_proxy);
    free(dst->http_proxy);
    free(dst->no_proxy);
    dst->https_proxy = src->https_proxy;
    dst->http_proxy = src->http_proxy;
    dst->no_proxy = src->no_proxy;
    dst->https_var = src->https_var;
    dst->http_var = src->http_var;
    dst->no_proxy_var = src->no_proxy_var;
    dst->cgi = src->cgi;
    dst->found = src->found;
    memcpy(dst->source, src->source, sizeof dst->source);
    for (int i = 0; i < src->nnotes; i++) {
        if (dst->nnotes < PROXY_MAX_NOTES)
            dst->notes[dst->nnotes++] = src->notes[i];
        else
            free(src->notes[i]);
    }
    memset(src, 0, sizeof *src);
}

/* Tag of the variable that decided the proxy (https first), or -1. */
static int deciding_tag(const struct proxy_envlist *env, const struct proxy_settings *s)
{
    const char *vars[3] = {s->https_var, s->http_var, s->no_proxy_var};
    for (int i = 0; i < 3; i++) {
        int tag;
        if (vars[i] && proxy_envlist_get(env, vars[i], &tag))
            return tag;
    }
    return -1;
}

static bool any_proxy_var(const struct proxy_settings *s)
{
    return s->https_proxy || s->http_proxy || s->no_proxy;
}

/* One unit's drop-in directory, EnvironmentFile=s applied after all
 * Environment= lines (they override them, systemd.exec(5)). */
static bool from_dropins(const char *root, const char *unitdir, struct proxy_settings *s)
{
    struct proxy_envlist env = {0}, files = {0};
    char *dir = path_join(root, unitdir);
    size_t n = 0;
    char **names = list_confs(dir, &n);
    char **paths = NULL;
    size_t npaths = 0;
    bool found = false;
    memset(s, 0, sizeof *s);
    if (!names || n == 0)
        goto out;
    paths = xcalloc(n + MAX_DROPINS, sizeof *paths);
    for (size_t i = 0; i < n; i++) {
        char *buf = NULL;
        size_t len;
        paths[npaths] = path_join(dir, names[i]);
        if (read_capped(paths[npaths], &buf, &len) == 0)
            proxy_parse_systemd(buf, len, &env, (int)npaths, &files);
        npaths++;
        free(buf);
    }
    struct proxy_settings tmp;
    for (size_t i = 0; i < files.n && npaths < n + MAX_DROPINS; i++) {
        const char *f = files.v[i];
        bool optional = *f == '-';
        char *buf = NULL;
        size_t len;
        paths[npaths] = path_join(root, optional ? f + 1 : f);
        int rc = read_capped(paths[npaths], &buf, &len);
        if (rc == 0)
            proxy_parse_envfile(buf, len, &env, (int)npaths);
        else if (!optional)
            add_note(s, "EnvironmentFile %s cannot be read (%s): systemd refuses to start "
                     "the agent", paths[npaths], strerror(rc));
        free(buf);
        npaths++;
    }
    proxy_settings_from_env(env.v, "agent", &tmp);
    int tag = deciding_tag(&env, &tmp);
    if (tag >= 0)
        snprintf(tmp.source, sizeof tmp.source, "agent:%s", paths[tag]);
    else
        snprintf(tmp.source, sizeof tmp.source, "agent:%s", dir);
    tmp.found = true;
    found = any_proxy_var(&tmp);
    settings_take(s, &tmp);
out:
    for (size_t i = 0; i < npaths; i++)
        free(paths[i]);
    free(paths);
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    free(dir);
    proxy_envlist_free(&env);
    proxy_envlist_free(&files);
    return found;
}

static const char *const unit_dirs[] = {
    "etc/systemd/system/amazon-ssm-agent.service.d",
    "etc/systemd/system/snap.amazon-ssm-agent.amazon-ssm-agent.service.d",
};

/* The agent's configuration files: the first drop-in directory that sets a
 * proxy variable, else the upstart override. */
static void from_config(const char *root, struct proxy_settings *s)
{
    struct proxy_settings tmp;
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < sizeof unit_dirs / sizeof unit_dirs[0]; i++) {
        bool ok = from_dropins(root, unit_dirs[i], &tmp);
        /* Drop-ins without proxy variables still tell where we looked. */
        if (ok || (tmp.found && !s->found))
            settings_take(s, &tmp);
        proxy_settings_free(&tmp);
        if (ok)
            return;
    }
    char *path = path_join(root, "etc/init/amazon-ssm-agent.override");
    char *buf = NULL;
    size_t len;
    if (read_capped(path, &buf, &len) == 0) {
        struct proxy_envlist env = {0};
        proxy_parse_upstart(buf, len, &env, 0);
        proxy_settings_from_env(env.v, "agent", &tmp);
        snprintf(tmp.source, sizeof tmp.source, "agent:%s", path);
        tmp.found = true;
        if (any_proxy_var(&tmp) || !s->found)
            settings_take(s, &tmp);
        proxy_settings_free(&tmp);
        proxy_envlist_free(&env);
        free(buf);
    }
    free(path);
}

int proxy_settings_from_agent(const char *root, const char *procdir, struct proxy_settings *s)
{
    struct proxy_settings cfg;
    memset(s, 0, sizeof *s);
    if (!procdir || !*procdir)
        procdir = "/proc";
    long pid = find_agent_pid(procdir);
    if (pid > 0) {
        char rel[64], *buf = NULL;
        size_t len;
        snprintf(rel, sizeof rel, "%ld/environ", pid);
        char *path = path_join(procdir, rel);
        int rc = read_capped(path, &buf, &len);
        if (rc == 0) {
            struct proxy_envlist env = {0};
            char origin[PROXY_SOURCE_LEN];
            proxy_envlist_from_block(&env, buf, len);
            snprintf(origin, sizeof origin, "agent:%s", path);
            proxy_settings_from_env(env.v, origin, s);
            s->found = true;
            proxy_envlist_free(&env);
            free(buf);
            free(path);
            /* Edited drop-ins take effect only after daemon-reload and a
             * restart: say so when the files and the process disagree. */
            from_config(root, &cfg);
            if (cfg.found && proxy_settings_differ(s, &cfg))
                add_note(s, "the running agent's proxy settings differ from %s: run "
                         "systemctl daemon-reload and restart the agent", cfg.source + 6);
            proxy_settings_free(&cfg);
            return s->https_proxy != NULL;
        }
        add_note(s, "cannot read %s (%s): run as root to see the running agent's own proxy "
                 "settings; showing its configuration files instead", path, strerror(rc));
        free(path);
    } else {
        add_note(s, "no running amazon-ssm-agent process found in %s; "
                 "showing its configuration files", procdir);
    }
    from_config(root, &cfg);
    settings_take(s, &cfg);
    return s->https_proxy != NULL;
}
