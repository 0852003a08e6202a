/* fuzz_dns.c — libFuzzer target: a raw DNS reply as a resolver sends it,
 * walked by our dns_walk_answer (rcode, CNAME chain) and parsed by c-ares'
 * ares_parse_a_reply / ares_parse_aaaa_reply exactly as dns.c's callback
 * does (64 addrttls, hostent freed), plus the address formatting.
 *
 *   tests/fuzz/run dns
 *
 * Invariants: the rcode is a NUL-terminated printable name, the CNAME chain
 * holds at most 32 distinct NUL-terminated names, c-ares never reports more
 * addrttls than it was given room for. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ares.h>

#include "dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65535)
        return 0;
    unsigned char *abuf = malloc(size ? size : 1);   /* exact size for ASan */
    if (!abuf)
        return 0;
    memcpy(abuf, data, size);
    int alen = (int)size;

    char rcode[16];
    char **cname = NULL;
    int ncname = 0;
    memset(rcode, 0, sizeof rcode);
    if (dns_walk_answer(abuf, alen, rcode, sizeof rcode, &cname, &ncname) == 0) {
        if (strnlen(rcode, sizeof rcode) == sizeof rcode || !rcode[0])
            abort();
    }
    if (ncname < 0 || ncname > 32)
        abort();
    for (int i = 0; i < ncname; i++) {
        if (!cname[i])
            abort();
        for (int k = 0; k < i; k++)
            if (strcmp(cname[i], cname[k]) == 0)
                abort();                   /* duplicates are dropped */
    }
    for (int i = 0; i < ncname; i++)
        free(cname[i]);
    free(cname);

    /* Our walk again with a NULL-able chain already holding entries: the
     * engine calls it once per family on the same result. */
    cname = NULL;
    ncname = 0;
    (void)dns_walk_answer(abuf, alen, rcode, sizeof rcode, &cname, &ncname);
    (void)dns_walk_answer(abuf, alen, rcode, sizeof rcode, &cname, &ncname);
    for (int i = 0; i < ncname; i++)
        free(cname[i]);
    free(cname);

    {
        struct ares_addrttl ttls[64];
        int n = 64;
        struct hostent *he = NULL;
        if (ares_parse_a_reply(abuf, alen, &he, ttls, &n) == ARES_SUCCESS) {
            if (n < 0 || n > 64)
                abort();
            for (int i = 0; i < n; i++) {
                char text[INET6_ADDRSTRLEN];
                inet_ntop(AF_INET, &ttls[i].ipaddr, text, sizeof text);
            }
        }
        if (he)
            ares_free_hostent(he);
    }
    {
        struct ares_addr6ttl ttls[64];
        int n = 64;
        struct hostent *he = NULL;
        if (ares_parse_aaaa_reply(abuf, alen, &he, ttls, &n) == ARES_SUCCESS) {
            if (n < 0 || n > 64)
                abort();
            for (int i = 0; i < n; i++) {
                char text[INET6_ADDRSTRLEN];
                inet_ntop(AF_INET6, &ttls[i].ip6addr, text, sizeof text);
            }
        }
        if (he)
            ares_free_hostent(he);
    }
    free(abuf);
    return 0;
}
