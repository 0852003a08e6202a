/* addr.c — address scope classification. Pure functions. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

bool addr_is_literal(const char *s, int *family)
{
    unsigned char buf[16];
    if (inet_pton(AF_INET, s, buf) == 1) {
        if (family)
            *family = 4;
        return true;
    }
    if (inet_pton(AF_INET6, s, buf) == 1) {
        if (family)
            *family = 6;
        return true;
    }
    return false;
}

static bool in4(uint32_t a, uint32_t net, int bits)
{
    uint32_t mask = bits ? ~0u << (32 - bits) : 0;
    return (a & mask) == (net & mask);
}

static enum addr_scope scope4(uint32_t a)
{
    if (in4(a, 0x7f000000, 8))
        return SCOPE_LOOPBACK;
    if (in4(a, 0x0a000000, 8) || in4(a, 0xac100000, 12) || in4(a, 0xc0a80000, 16) ||
        in4(a, 0x64400000, 10))
        return SCOPE_PRIVATE;
    if (in4(a, 0xa9fe0000, 16))
        return SCOPE_LINK_LOCAL;
    if (in4(a, 0x00000000, 8) ||       /* "this network" */
        in4(a, 0xc0000000, 24) ||      /* IETF protocol assignments */
        in4(a, 0xc0000200, 24) ||      /* TEST-NET-1 */
        in4(a, 0xc6336400, 24) ||      /* TEST-NET-2 */
        in4(a, 0xcb007100, 24) ||      /* TEST-NET-3 */
        in4(a, 0xc6120000, 15) ||      /* benchmarking */
        in4(a, 0xe0000000, 4) ||       /* multicast */
        in4(a, 0xf0000000, 4))         /* reserved, broadcast */
        return SCOPE_OTHER;
    return SCOPE_PUBLIC;
}

enum addr_scope addr_scope_of(const char *ip)
{
    unsigned char b[16];
    if (inet_pton(AF_INET, ip, b) == 1)
        return scope4((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]);
    if (inet_pton(AF_INET6, ip, b) != 1)
        return SCOPE_OTHER;

    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    /* NAT64 well-known prefix 64:ff9b::/96 (DNS64 in IPv6-only subnets):
     * the scope is that of the embedded IPv4 address. */
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
        return scope4((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15]);

    static const unsigned char zero[16];
    if (memcmp(b, zero, 15) == 0)
        return b[15] == 1 ? SCOPE_LOOPBACK : SCOPE_OTHER; /* ::1, :: */
    if ((b[0] & 0xfe) == 0xfc)
        return SCOPE_PRIVATE;                              /* fc00::/7 */
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        return SCOPE_LINK_LOCAL;                           /* fe80::/10 */
    if (b[0] == 0xff)
        return SCOPE_OTHER;                                /* multicast */
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        return SCOPE_OTHER;                                /* 2001:db8::/32 documentation */
    if ((b[0] & 0xe0) != 0x20)
        return SCOPE_OTHER;                                /* outside 2000::/3: reserved */
    return SCOPE_PUBLIC;
}

bool addr_in_cidr4(const char *ip, const char *cidr)
{
    char net[INET_ADDRSTRLEN];
    const char *slash = strchr(cidr, '/');
    unsigned char a[4], n[4];
    char *end;
    long bits = 32;

    if (slash) {
        size_t len = (size_t)(slash - cidr);
        if (len >= sizeof net)
            return false;
        memcpy(net, cidr, len);
        net[len] = '\0';
        for (const char *d = slash + 1; ; d++) {
            if (*d == '\0') {
                if (d == slash + 1)
                    return false; /* "10.0.0.0/" has no prefix length */
                break;
            }
            if (*d < '0' || *d > '9')
                return false;
        }
        bits = strtol(slash + 1, &end, 10);
        if (*end || bits < 0 || bits > 32)
            return false;
    } else {
        snprintf(net, sizeof net, "%s", cidr);
    }
    if (inet_pton(AF_INET, ip, a) != 1 || inet_pton(AF_INET, net, n) != 1)
        return false;
    return in4((uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3],
               (uint32_t)n[0] << 24 | (uint32_t)n[1] << 16 | (uint32_t)n[2] << 8 | n[3], (int)bits);
}
