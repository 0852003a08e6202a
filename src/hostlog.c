/* hostlog.c — the newest known connectivity errors in the agent's
 * errors.log, for hostcheck.c. Reads only a bounded tail of the file and
 * keeps at most HOSTCHECK_LOG_LINES lines, sanitised. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "hostcheck.h"

/* Substrings of the agent's own error texts (ssm-facts §4.4), most
 * specific first: a health ping that failed on a DNS lookup is "dns". */
static const struct {
    const char *needle;
    const char *kind;
} log_patterns[] = {
    { "proxyconnect", "proxy" },
    { "dial tcp: lookup", "dns" },
    { "no such host", "dns" },
    { "server misbehaving", "dns" },
    { "x509:", "tls" },
    { "tls: ", "tls" },
    { "Signature expired", "clock_skew" },
    { "Signature not yet current", "clock_skew" },
    { "no EC2 instance role found", "no_instance_profile" },
    { "EC2RoleRequestError", "no_instance_profile" },
    { "instance management role is not configured", "dhmc_not_configured" },
    { "is not authorized to perform", "access_denied" },
    { "AccessDeniedException", "access_denied" },
    { "Unauthorized request", "access_denied" },
    { "failed to get IMDSv2 token", "imds" },
    { "Failed to get instance info from IMDS", "imds" },
    { "failed to get identity region", "imds" },
    { "EC2MetadataError", "imds" },
    { "connection refused", "tcp_refused" },
    { "network is unreachable", "tcp_unreachable" },
    { "no route to host", "tcp_unreachable" },
    { "i/o timeout", "tcp_timeout" },
    { "connection reset by peer", "tcp_reset" },
    { "Failed to get controlchannel token", "control_channel" },
    { "CreateControlChannel failed", "control_channel" },
    { "failed to initialize websocket channel", "control_channel" },
    { "failed to reconnect to the control channel", "control_channel" },
    { "no valid credentials could be retrieved", "credentials" },
    { "Retrieve credentials produced error", "credentials" },
    { "Entering SSM Agent hibernate", "hibernate" },
    { "Health ping failed", "api_call" },
    { "error when calling AWS APIs", "api_call" },
    { "send request failed", "api_call" },
};

const char *hostcheck_log_kind(const char *line)
{
    for (size_t i = 0; i < sizeof log_patterns / sizeof log_patterns[0]; i++)
        if (strstr(line, log_patterns[i].needle))
            return log_patterns[i].kind;
    return NULL;
}

/* Query parameters and headers whose values must never be shown. */
static const char *const secret_keys[] = {
    "x-amz-security-token=", "x-amz-signature=", "x-amz-credential=", "signature=",
    "token=", "credential=", "x-aws-ec2-metadata-token:", "secretaccesskey",
};

static size_t secret_key_at(const char *s, size_t left)
{
    for (size_t i = 0; i < sizeof secret_keys / sizeof secret_keys[0]; i++) {
        size_t kl = strlen(secret_keys[i]);
        if (kl <= left && strncasecmp(s, secret_keys[i], kl) == 0)
            return kl;
    }
    return 0;
}

void hostcheck_sanitize_line(const char *in, size_t inlen, char *out, size_t outlen)
{
    size_t o = 0, i = 0;
    if (!outlen)
        return;
    while (i < inlen && o + 1 < outlen) {
        size_t kl = secret_key_at(in + i, inlen - i);
        if (kl) {
            /* Keep the key, mask the value up to the next delimiter. */
            for (size_t k = 0; k < kl && o + 1 < outlen; k++)
                out[o++] = in[i + k];
            i += kl;
            while (i < inlen && (in[i] == ' ' || in[i] == '"' || in[i] == ':'))
                i++;
            while (i < inlen && !strchr("&\"' ,;)]}", in[i]) && !isspace((unsigned char)in[i]))
                i++;
            for (const char *m = "***"; *m && o + 1 < outlen; m++)
                out[o++] = *m;
            continue;
        }
        unsigned char c = (unsigned char)in[i++];
        out[o++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
    out[o] = '\0';
}

/* "2006-01-02 15:04:05" at the start of a line (the agent's seelog format). */
static bool line_time(const char *s, size_t len, char *out, size_t outlen)
{
    static const char shape[] = "dddd-dd-dd dd:dd:dd";
    if (len < sizeof shape - 1)
        return false;
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
            return false;
    }
    snprintf(out, outlen, "%.*s", (int)(sizeof shape - 1), s);
    return true;
}

/* Skip "2006-01-02 15:04:05.0000 " so the text starts at the level. */
static size_t skip_time(const char *s, size_t len)
{
    size_t i = 19;
    while (i < len && (isdigit((unsigned char)s[i]) || s[i] == '.'))
        i++;
    while (i < len && s[i] == ' ')
        i++;
    return i;
}

void hostcheck_scan_log(const char *path, struct hostcheck_facts *facts)
{
    FILE *f = NULL;
    char *buf = NULL;
    struct stat st;
    size_t len, start = 0;
    char cur_time[24] = "";

    facts->log_found = false;
    facts->nlog = facts->log_matches = 0;
    snprintf(facts->log_path, sizeof facts->log_path, "%s", path);
    f = fopen(path, "rb");
    if (!f || fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode))
        goto out;
    facts->log_found = true;
    if (st.st_size > HOSTCHECK_LOG_TAIL) {
        if (fseeko(f, st.st_size - HOSTCHECK_LOG_TAIL, SEEK_SET) < 0)
            goto out;
        start = 1; /* the first line is partial: skip it */
    }
    buf = malloc(HOSTCHECK_LOG_TAIL + 1);
    if (!buf)
        goto out;
    len = fread(buf, 1, HOSTCHECK_LOG_TAIL, f);
    buf[len] = '\0';
    size_t pos = 0;
    if (start) {
        char *nl = memchr(buf, '\n', len);
        pos = nl ? (size_t)(nl - buf) + 1 : len;
    }
    while (pos < len) {
        char *nl = memchr(buf + pos, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - (buf + pos)) : len - pos;
        char *line = buf + pos;
        char t[24];
        pos += ll + 1;
        if (ll && line[ll - 1] == '\r')
            ll--;
        bool stamped = line_time(line, ll, t, sizeof t);
        if (stamped)
            snprintf(cur_time, sizeof cur_time, "%s", t);
        char save = line[ll];
        line[ll] = '\0'; /* strstr on this line only (NULs inside just end it early) */
        const char *kind = hostcheck_log_kind(line);
        line[ll] = save;
        if (!kind)
            continue;
        facts->log_matches++;
        if (facts->nlog == HOSTCHECK_LOG_LINES) {
            memmove(&facts->log[0], &facts->log[1],
                    sizeof facts->log[0] * (HOSTCHECK_LOG_LINES - 1));
            facts->nlog--;
        }
        struct host_log_line *hl = &facts->log[facts->nlog++];
        size_t skip = stamped ? skip_time(line, ll) : 0;
        snprintf(hl->time, sizeof hl->time, "%s", cur_time);
        snprintf(hl->kind, sizeof hl->kind, "%s", kind);
        hostcheck_sanitize_line(line + skip, ll - skip, hl->text, sizeof hl->text);
    }
out:
    free(buf);
    if (f)
        fclose(f);
}
