/* proxy_url.c — parse a proxy URL the way the agent's Go client reads it,
 * redact it for output, and build the Proxy-Authorization value.
 *
 * Go (httpproxy parseProxy) takes "http://", "https://" and "socks5://"
 * URLs and reads anything else as "http://" + value, so "proxy:3128" is an
 * HTTP proxy. When Go cannot parse a value at all it silently uses no proxy:
 * our error texts say so, because that is what the agent will do. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgs.h"
#include "proxy.h"

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower((unsigned char)c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Go's validUserinfo: RFC 3986 unreserved, sub-delims, ':', '%', '@'.
 * Anything else makes url.Parse fail, and then the agent uses no proxy. */
static bool userinfo_char(unsigned char c)
{
    return isalnum(c) || strchr("-._~!$&'()*+,;=:%@", c) != NULL;
}

/* Host name characters Go's parseHost lets through (shouldEscape with
 * encodeHost); '%', blanks and controls are refused. */
static bool host_char(unsigned char c)
{
    return isalnum(c) || strchr("-._~!$&'()*+,;=", c) != NULL;
}

/* Percent-decode [s, s+n) into a malloced string; NULL on a bad escape or
 * an encoded NUL (a C string cannot carry it). */
static char *pct_decode(const char *s, size_t n)
{
    char *out = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            out[o++] = s[i];
            continue;
        }
        int hi = i + 1 < n ? hexval(s[i + 1]) : -1;
        int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            free(out);
            return NULL;
        }
        out[o++] = (char)(hi * 16 + lo);
        i += 2;
    }
    out[o] = '\0';
    return out;
}

static void wipe_free(char *p)
{
    if (p) {
        explicit_bzero(p, strlen(p));
        free(p);
    }
}

void proxy_url_free(struct proxy_url *u)
{
    if (!u)
        return;
    free(u->host);
    wipe_free(u->user);
    wipe_free(u->password);
    memset(u, 0, sizeof *u);
}

/* The port part after ':' — digits only, 1..65535. Go accepts an empty
 * port ("host:") as no port. Returns the port, 0 for empty, -1 if bad. */
static int parse_port(const char *s, size_t n)
{
    long v = 0;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
        if (v > 65535)
            return -1;
    }
    return v >= 1 ? (int)v : -1;
}

static int parse_hostport(const char *a, size_t n, struct proxy_url *u, char *err, size_t errlen)
{
    const char *port = NULL;
    size_t portlen = 0;
    if (n && a[0] == '[') {
        const char *rb = memchr(a, ']', n);
        char buf[INET6_ADDRSTRLEN + 1];
        unsigned char tmp[16];
        if (!rb) {
            set_err(err, errlen, "IPv6 proxy address lacks its closing ']'");
            return -1;
        }
        size_t hl = (size_t)(rb - a) - 1;
        if (hl == 0 || hl >= sizeof buf) {
            set_err(err, errlen, "bad IPv6 proxy address in [ ]");
            return -1;
        }
        memcpy(buf, a + 1, hl);
        buf[hl] = '\0';
        if (inet_pton(AF_INET6, buf, tmp) != 1) {
            set_err(err, errlen, "bad IPv6 proxy address in [ ] (zones are not supported)");
            return -1;
        }
        size_t rest = n - (size_t)(rb - a) - 1;
        if (rest) {
            if (rb[1] != ':') {
                set_err(err, errlen, "unexpected text after ']' in the proxy address");
                return -1;
            }
            port = rb + 2;
            portlen = rest - 1;
        }
        u->host = xstrdup(buf);
        u->ipv6 = true;
    } else {
        const char *colon = memchr(a, ':', n);
        size_t hl = colon ? (size_t)(colon - a) : n;
        if (colon) {
            port = colon + 1;
            portlen = n - hl - 1;
            if (memchr(port, ':', portlen)) {
                set_err(err, errlen, "too many ':' in the proxy address (write IPv6 as [addr]:port)");
                return -1;
            }
        }
        if (hl == 0) {
            set_err(err, errlen, "the proxy URL has no host");
            return -1;
        }
        for (size_t i = 0; i < hl; i++) {
            unsigned char c = (unsigned char)a[i];
            if (c >= 0x80) {
                set_err(err, errlen, "non-ASCII proxy host name: write its xn-- (IDNA) form");
                return -1;
            }
            if (!host_char(c)) {
                set_err(err, errlen, "invalid character in the proxy host name");
                return -1;
            }
        }
        u->host = xstrndup(a, hl);
    }
    if (port) {
        int p = parse_port(port, portlen);
        if (p < 0) {
            set_err(err, errlen, "the proxy port is not a number from 1 to 65535");
            return -1;
        }
        if (p > 0) {
            u->port = p;
            u->port_given = true;
        }
    }
    return 0;
}

int proxy_url_parse(const char *s, struct proxy_url *u, char *err, size_t errlen)
{
    memset(u, 0, sizeof *u);
    if (!s || !*s) {
        set_err(err, errlen, "empty proxy URL");
        return -1;
    }
    for (const char *c = s; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == ' ') {
            set_err(err, errlen, "the proxy URL contains a blank or control character");
            return -1;
        }
    }

    /* Scheme: letters, digits, + - . before "://" (RFC 3986). */
    const char *p = s;
    const char *sep = strstr(s, "://");
    if (sep && sep > s && isalpha((unsigned char)s[0])) {
        bool ok = true;
        for (const char *c = s; c < sep; c++)
            if (!isalnum((unsigned char)*c) && !strchr("+-.", *c))
                ok = false;
        if (ok) {
            size_t sl = (size_t)(sep - s);
            if (sl == 4 && strncasecmp(s, "http", 4) == 0) {
                u->tls_scheme = false;
            } else if (sl == 5 && strncasecmp(s, "https", 5) == 0) {
                u->tls_scheme = true;
            } else if (sl >= 5 && strncasecmp(s, "socks", 5) == 0) {
                set_err(err, errlen, "SOCKS proxies are not supported: ssmprobe tests HTTP "
                        "proxies with CONNECT (use an http:// proxy URL)");
                return -1;
            } else {
                char msg[160];
                snprintf(msg, sizeof msg, "unsupported proxy scheme \"%.*s\": use http://",
                         (int)(sl > 20 ? 20 : sl), s);
                set_err(err, errlen, msg);
                return -1;
            }
            u->scheme_given = true;
            p = sep + 3;
        }
    }

    /* Authority ends at the path, query or fragment; those are ignored for
     * a proxy, as Go and curl ignore them. */
    size_t alen = strcspn(p, "/?#");
    const char *at = NULL;
    for (size_t i = 0; i < alen; i++)
        if (p[i] == '@')
            at = p + i;   /* the last '@', as Go: "p@ss" may hold one */
    const char *hp = p;
    size_t hlen = alen;
    if (at) {
        size_t ul = (size_t)(at - p);
        for (size_t i = 0; i < ul; i++) {
            if (!userinfo_char((unsigned char)p[i])) {
                set_err(err, errlen, "invalid character in the proxy user or password "
                        "(percent-encode it); Go rejects the URL and the agent would use no proxy");
                return -1;
            }
        }
        const char *colon = memchr(p, ':', ul);
        size_t userl = colon ? (size_t)(colon - p) : ul;
        u->user = pct_decode(p, userl);
        if (u->user && colon)
            u->password = pct_decode(colon + 1, ul - userl - 1);
        if (!u->user || (colon && !u->password)) {
            proxy_url_free(u);
            set_err(err, errlen, "bad %-escape in the proxy user or password "
                    "(a % must be followed by two hex digits, not %00)");
            return -1;
        }
        hp = at + 1;
        hlen = alen - ul - 1;
    }
    u->port = PROXY_DEFAULT_PORT;
    if (parse_hostport(hp, hlen, u, err, errlen) < 0) {
        proxy_url_free(u);
        return -1;
    }
    if (strlen(u->host) > 253) {
        proxy_url_free(u);
        set_err(err, errlen, "the proxy host name is longer than 253 characters");
        return -1;
    }
    u->go_port = u->port_given ? u->port : (u->tls_scheme ? 443 : 80);
    return 0;
}

static void put(char *out, size_t *o, const char *s)
{
    size_t n = strlen(s);
    memcpy(out + *o, s, n);
    *o += n;
}

char *proxy_url_redacted(const struct proxy_url *u)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *host = u->host ? u->host : "";
    size_t ul = u->user ? strlen(u->user) : 0;
    /* scheme + user (x3 when encoded) + ":***@" + [host] + ":65535" */
    char *out = xmalloc(16 + ul * 3 + 8 + strlen(host) + 2 + 8);
    size_t o = 0;
    put(out, &o, u->tls_scheme ? "https://" : "http://");
    if (u->user) {
        for (size_t i = 0; i < ul; i++) {
            unsigned char c = (unsigned char)u->user[i];
            if (isalnum(c) || strchr("-._~", c)) {
                out[o++] = (char)c;
            } else {
                out[o++] = '%';
                out[o++] = hex[c >> 4];
                out[o++] = hex[c & 15];
            }
        }
        if (u->password)
            put(out, &o, ":***");
        out[o++] = '@';
    }
    if (u->ipv6)
        out[o++] = '[';
    put(out, &o, host);
    if (u->ipv6)
        out[o++] = ']';
    o += (size_t)sprintf(out + o, ":%d", u->port);
    out[o] = '\0';
    return out;
}

char *proxy_url_redact_raw(const char *s)
{
    if (!s)
        return xstrdup("");
    const char *p = strstr(s, "://");
    p = p ? p + 3 : s;
    size_t alen = strcspn(p, "/?#");
    const char *at = NULL;
    for (size_t i = 0; i < alen; i++)
        if (p[i] == '@')
            at = p + i;
    const char *colon = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
    if (!colon)
        return xstrdup(s);
    size_t head = (size_t)(colon - s) + 1;
    char *out = xmalloc(strlen(s) + 4);
    memcpy(out, s, head);
    memcpy(out + head, "***", 3);
    strcpy(out + head + 3, at);
    return out;
}

char *proxy_base64(const unsigned char *p, size_t n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = xmalloc((n + 2) / 3 * 4 + 1);
    size_t o = 0, i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = tab[v >> 6 & 63];
        out[o++] = tab[v & 63];
    }
    if (i < n) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        out[o++] = '=';
    }
    out[o] = '\0';
    return out;
}

char *proxy_basic_auth(const struct proxy_url *u)
{
    if (!u->user)
        return NULL;
    size_t ul = strlen(u->user), pl = u->password ? strlen(u->password) : 0;
    unsigned char *cred = xmalloc(ul + 1 + pl);
    memcpy(cred, u->user, ul);
    cred[ul] = ':';
    if (pl)
        memcpy(cred + ul + 1, u->password, pl);
    char *b64 = proxy_base64(cred, ul + 1 + pl);
    explicit_bzero(cred, ul + 1 + pl);
    free(cred);
    char *out = xmalloc(6 + strlen(b64) + 1);
    memcpy(out, "Basic ", 6);
    strcpy(out + 6, b64);
    explicit_bzero(b64, strlen(b64));
    free(b64);
    return out;
}
