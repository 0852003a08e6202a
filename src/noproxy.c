/* noproxy.c — does a target bypass the proxy? Two answers:
 *
 * Go's, because the agent is a Go program: golang.org/x/net/http/httpproxy
 * (config.init and useProxy), which net/http's ProxyFromEnvironment uses.
 * curl's, because that is what the user tries by hand: lib/noproxy.c
 * (Curl_check_noproxy, curl >= 8.9). The report notes where they differ.
 *
 * Both are re-implemented from their documented rules and test tables
 * (httpproxy proxy_test.go, curl tests/unit/unit1614.c), not copied.
 * Neither resolves names. Go also maps non-ASCII names to IDNA; we do not
 * (AWS endpoint names are ASCII). */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msgs.h"
#include "proxy.h"

/* An IP in 16-byte form; IPv4 is stored IPv4-mapped (::ffff:a.b.c.d), which
 * is how Go's net.IP compares the two families. */
struct ip16 {
    unsigned char b[16];
    bool v4;             /* parsed from dotted IPv4 text */
};

/* A CIDR prefix length: digits only (no sign, no blank), bounded. */
static bool parse_bits(const char *p, size_t len, unsigned long *bits)
{
    *bits = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)p[i]))
            return false;
        *bits = *bits * 10 + (unsigned)(p[i] - '0');
        if (*bits > 1000)
            return false;
    }
    return true;
}

static bool parse_ip(const char *s, size_t n, struct ip16 *ip)
{
    char buf[64];
    unsigned char a4[4];
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    memset(ip, 0, sizeof *ip);
    /* inet_pton takes exactly a.b.c.d without leading zeros, as Go >= 1.17
     * does, and IPv6 without a %zone, as net.ParseIP does. */
    if (inet_pton(AF_INET, buf, a4) == 1) {
        ip->b[10] = ip->b[11] = 0xff;
        memcpy(ip->b + 12, a4, 4);
        ip->v4 = true;
        return true;
    }
    return inet_pton(AF_INET6, buf, ip->b) == 1;
}

/* Go's IP.To4() != nil: an IPv4 or IPv4-mapped address. */
static bool is_4(const unsigned char b[16])
{
    static const unsigned char pre[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return memcmp(b, pre, 12) == 0;
}

static bool prefix_eq(const unsigned char *a, const unsigned char *b, unsigned bits)
{
    unsigned bytes = bits / 8, rest = bits % 8;
    if (memcmp(a, b, bytes) != 0)
        return false;
    if (rest) {
        unsigned char mask = (unsigned char)(0xff << (8 - rest));
        return ((a[bytes] ^ b[bytes]) & mask) == 0;
    }
    return true;
}

/* ---- Go --------------------------------------------------------------- */

/* Go's IsLoopback: 127.0.0.0/8 (also IPv4-mapped) or ::1. */
static bool go_loopback(const struct ip16 *ip)
{
    static const unsigned char one[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    if (is_4(ip->b))
        return ip->b[12] == 127;
    return memcmp(ip->b, one, 16) == 0;
}

/* net.SplitHostPort: "host:port", "[v6]:port"; the port is any text. */
static bool go_split_hostport(const char *s, size_t n, const char **h, size_t *hl,
                              const char **pt, size_t *pl)
{
    const char *i = NULL;
    size_t j = 0, k = 0;
    for (size_t x = 0; x < n; x++)
        if (s[x] == ':')
            i = s + x;
    if (!i)
        return false;                       /* missing port */
    if (n && s[0] == '[') {
        const char *end = memchr(s, ']', n);
        if (!end || end + 1 == s + n || end + 1 != i)
            return false;                   /* missing ']' or port, too many colons */
        *h = s + 1;
        *hl = (size_t)(end - s) - 1;
        j = 1;
        k = (size_t)(end - s) + 1;
    } else {
        *h = s;
        *hl = (size_t)(i - s);
        if (memchr(s, ':', *hl))
            return false;                   /* too many colons */
    }
    if (memchr(s + j, '[', n - j) || memchr(s + k, ']', n - k))
        return false;
    *pt = i + 1;
    *pl = n - (size_t)(i - s) - 1;
    return true;
}

/* Go's net.ParseCIDR: ADDR/BITS, decimal BITS <= 32 (IPv4) or <= 128. */
static bool go_parse_cidr(const char *s, size_t n, struct ip16 *net, unsigned *eff_bits,
                          bool *net4)
{
    const char *slash = memchr(s, '/', n);
    if (!slash)
        return false;
    size_t al = (size_t)(slash - s), bl = n - al - 1;
    if (!parse_ip(s, al, net) || bl == 0)
        return false;
    unsigned long bits = 0;
    if (!parse_bits(slash + 1, bl, &bits))
        return false;
    if (bits > (net->v4 ? 32u : 128u))
        return false;
    /* IPv4 text: a /bits of the mapped form's last 32 bits. IPv6 text that
     * is still IPv4-mapped after masking acts as an IPv4 network in Go
     * (networkNumberAndMask uses To4), so it only ever contains IPv4. */
    unsigned eb = (unsigned)bits + (net->v4 ? 96u : 0u);
    for (unsigned x = 0; x < 128; x++)
        if (x >= eb)
            net->b[x / 8] &= (unsigned char)~(0x80u >> (x % 8));
    *eff_bits = eb;
    *net4 = is_4(net->b);
    return true;
}

/* The host without brackets and without an IPv6 %zone: a zone is no part
 * of the name to match (x/net fix for CVE-2025-22870: "[::1%25.example.com]"
 * must not match "example.com"). Sets *len. */
static const char *bare_host(const char *host, size_t *len)
{
    size_t n = strlen(host);
    if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
        host++;
        n -= 2;
    }
    const char *pct = memchr(host, '%', n);
    if (pct && memchr(host, ':', (size_t)(pct - host)))
        n = (size_t)(pct - host);
    *len = n;
    return host;
}

static void hit_set(struct noproxy_hit *hit, enum noproxy_why why, const char *e, size_t el)
{
    if (!hit)
        return;
    hit->why = why;
    if (el >= sizeof hit->entry)
        el = sizeof hit->entry - 1;
    memcpy(hit->entry, e, el);
    hit->entry[el] = '\0';
}

static bool go_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* One NO_PROXY entry p[0..n) (trimmed, lower case) against the target. */
static enum noproxy_why go_entry(const char *p, size_t n, const char *addr, size_t addrlen,
                                 const char *port, const struct ip16 *ip)
{
    struct ip16 e;
    unsigned eb;
    bool net4;
    if (n == 1 && p[0] == '*')
        return NOPROXY_ALL;
    if (go_parse_cidr(p, n, &e, &eb, &net4)) {
        if (ip && is_4(ip->b) == net4 && prefix_eq(ip->b, e.b, eb))
            return NOPROXY_CIDR;
        return NOPROXY_NONE;
    }
    const char *h = p, *pp = "";
    size_t hl = n, pl = 0;
    if (go_split_hostport(p, n, &h, &hl, &pp, &pl)) {
        if (hl == 0)
            return NOPROXY_NONE;   /* ":80": no host, ignored by Go */
    } else {
        h = p;
        hl = n;
        pp = "";
        pl = 0;
    }
    bool port_ok = pl == 0 || (strlen(port) == pl && memcmp(pp, port, pl) == 0);
    if (parse_ip(h, hl, &e)) {
        if (ip && memcmp(ip->b, e.b, 16) == 0 && port_ok)
            return NOPROXY_IP;
        return NOPROXY_NONE;
    }
    if (hl == 0)
        return NOPROXY_NONE;
    /* "*.example.com" is ".example.com"; a leading '.' means subdomains
     * only; a bare name matches itself and its subdomains. Domain entries
     * are tried against IP targets too: "3.4" matches host "1.2.3.4". */
    if (hl >= 2 && h[0] == '*' && h[1] == '.') {
        h++;
        hl--;
    }
    bool match_host = h[0] != '.';
    const char *suf = match_host ? h : h + 1;       /* without its dot */
    size_t sl = match_host ? hl : hl - 1;
    bool m = false;
    if (addrlen > sl && addr[addrlen - sl - 1] == '.' && memcmp(addr + addrlen - sl, suf, sl) == 0)
        m = true;                                   /* HasSuffix(host, "."+suf) */
    if (match_host && addrlen == sl && memcmp(addr, suf, sl) == 0)
        m = true;
    return m && port_ok ? NOPROXY_DOMAIN : NOPROXY_NONE;
}

bool noproxy_go_match_why(const char *noproxy, const char *host, int port,
                          struct noproxy_hit *hit)
{
    struct ip16 ipbuf, *ip = NULL;
    char portstr[16] = "";
    bool result = false;
    if (hit)
        memset(hit, 0, sizeof *hit);
    if (!host || !*host)
        return false;
    size_t hl;
    host = bare_host(host, &hl);
    if (hl == 9 && memcmp(host, "localhost", 9) == 0) {
        hit_set(hit, NOPROXY_LOCALHOST, "", 0);
        return true;
    }
    if (parse_ip(host, hl, &ipbuf)) {
        ip = &ipbuf;
        if (go_loopback(ip)) {
            hit_set(hit, NOPROXY_LOOPBACK, "", 0);
            return true;
        }
    }
    if (!noproxy || !*noproxy)
        return false;
    if (port > 0)
        snprintf(portstr, sizeof portstr, "%d", port);

    /* addr = ToLower(TrimSpace(host)) */
    while (hl && go_space(*host)) {
        host++;
        hl--;
    }
    while (hl && go_space(host[hl - 1]))
        hl--;
    char *addr = xstrndup(host, hl);
    for (size_t i = 0; i < hl; i++)
        addr[i] = (char)tolower((unsigned char)addr[i]);
    char *list = xstrdup(noproxy);
    for (char *c = list; *c; c++)
        *c = (char)tolower((unsigned char)*c);

    /* A "*" anywhere wins over the other entries (Go returns on it). */
    enum noproxy_why best = NOPROXY_NONE;
    const char *best_e = NULL;
    size_t best_l = 0;
    for (char *p = list; p;) {
        char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char *e = p;
        p = comma ? comma + 1 : NULL;
        while (n && go_space(*e)) {
            e++;
            n--;
        }
        while (n && go_space(e[n - 1]))
            n--;
        if (n == 0)
            continue;
        enum noproxy_why w = go_entry(e, n, addr, hl, portstr, ip);
        if (w != NOPROXY_NONE && (best == NOPROXY_NONE || w == NOPROXY_ALL)) {
            best = w;
            best_e = e;
            best_l = n;
        }
        if (w == NOPROXY_ALL)
            break;
    }
    if (best != NOPROXY_NONE) {
        hit_set(hit, best, best_e, best_l);
        result = true;
    }
    free(addr);
    free(list);
    return result;
}

bool noproxy_go_match(const char *noproxy, const char *host, int port)
{
    return noproxy_go_match_why(noproxy, host, port, NULL);
}

/* ---- curl ------------------------------------------------------------- */

static bool curl_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* An IP token "ADDR[/BITS]" against an IP host of the same family. No bits,
 * or /0, means an exact match in curl; a bad /BITS never matches. */
static bool curl_ip_token(const char *t, size_t tl, const struct ip16 *host)
{
    struct ip16 net;
    unsigned long bits = 0;
    const char *slash = memchr(t, '/', tl);
    size_t al = slash ? (size_t)(slash - t) : tl;
    if (tl >= 128 || !parse_ip(t, al, &net) || net.v4 != host->v4)
        return false;
    if (slash) {
        size_t bl = tl - al - 1;
        if (bl == 0 || !parse_bits(slash + 1, bl, &bits))
            return false;
    }
    if (bits > (host->v4 ? 32u : 128u))
        return false;
    if (bits == 0)
        bits = host->v4 ? 32 : 128;
    return prefix_eq(host->b + (host->v4 ? 12 : 0), net.b + (host->v4 ? 12 : 0),
                     (unsigned)bits);
}

bool noproxy_curl_match(const char *noproxy, const char *host)
{
    struct ip16 ip;
    bool is_ip = false;
    if (!host || !*host || !noproxy || !*noproxy)
        return false;
    if (strcmp(noproxy, "*") == 0)
        return true;
    size_t nl;
    host = bare_host(host, &nl);
    /* IP hosts compare with IP tokens only; names lose one trailing dot. */
    if (parse_ip(host, nl, &ip))
        is_ip = true;
    else if (nl && host[nl - 1] == '.')
        nl--;

    const char *p = noproxy;
    while (*p) {
        while (*p && curl_blank(*p))
            p++;
        const char *t = p;
        size_t tl = 0;
        while (*p && !curl_blank(*p) && *p != ',') {
            p++;
            tl++;
        }
        if (tl) {
            bool m = false;
            if (is_ip) {
                m = curl_ip_token(t, tl, &ip);
            } else {
                if (t[tl - 1] == '.')
                    tl--;
                if (tl && t[0] == '.') {
                    t++;
                    tl--;
                }
                if (tl == nl)
                    m = strncasecmp(t, host, nl) == 0;
                else if (tl < nl)
                    m = host[nl - tl - 1] == '.' && strncasecmp(t, host + nl - tl, tl) == 0;
            }
            if (m)
                return true;
        }
        while (curl_blank(*p))
            p++;
        if (*p != ',')
            break;          /* curl >= 8.9: a blank does not separate */
        while (*p == ',')
            p++;
    }
    return false;
}

bool noproxy_has_space_separator(const char *noproxy)
{
    const char *p = noproxy;
    if (!p)
        return false;
    while (*p) {
        while (curl_blank(*p))
            p++;
        size_t tl = 0;
        while (*p && !curl_blank(*p) && *p != ',') {
            p++;
            tl++;
        }
        while (curl_blank(*p))
            p++;
        if (*p && *p != ',' && tl)
            return true;
        while (*p == ',')
            p++;
    }
    return false;
}
