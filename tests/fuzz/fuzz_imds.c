/* fuzz_imds.c — libFuzzer target: the IMDS answer parsers (include/imds.h):
 * the security-credentials document (imds_json_strings and
 * imds_classify_credentials: secrets must be skipped, never copied), the
 * vpc-ipv4-cidr-blocks body, the ISO 8601 Expiration parser and the
 * --imds-endpoint URL parser.
 *
 *   tests/fuzz/run imds
 *
 * Each parser gets the whole input (exact-size heap copy; the string
 * parsers a NUL-terminated copy). Invariants: outputs NUL-terminated within
 * their buffers, the classification one of ok/expired/missing/error, no
 * CIDR longer than its slot, and the value of a SecretAccessKey, Token or
 * AccessKeyId never appears in any output. */
#define _GNU_SOURCE 1 /* memmem */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "imds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SECRET "FUZZSECRETVALUE"

static void no_secret(const char *s, size_t cap)
{
    if (strnlen(s, cap) == cap)
        abort();                               /* not NUL-terminated */
    if (strstr(s, SECRET))
        abort();                               /* a secret leaked into an output */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    char *buf = malloc(size ? size : 1);
    char *s = malloc(size + 1);
    if (!buf || !s) {
        free(buf);
        free(s);
        return 0;
    }
    memcpy(buf, data, size);
    memcpy(s, data, size);
    s[size] = '\0';

    /* The input as a document; also wrapped so that a secret key holds the
     * marker: {"Code":INPUT-as-string-ish…} is too structured for a fuzzer,
     * so the marker document is built around the raw bytes instead. */
    char code[64], expiration[64];
    long expired_s = 0;
    const char *cls = imds_classify_credentials(buf, size, (time_t)1764410400, code, sizeof code,
                                                expiration, sizeof expiration, &expired_s);
    if (!cls || (strcmp(cls, "ok") && strcmp(cls, "expired") && strcmp(cls, "missing") &&
                 strcmp(cls, "error")))
        abort();
    if (strnlen(code, sizeof code) == sizeof code ||
        strnlen(expiration, sizeof expiration) == sizeof expiration)
        abort();

    static const char *const keys[] = {"Code", "Expiration", "LastUpdated", "Type"};
    char o0[32], o1[32], o2[32], o3[8];
    char *const outs[] = {o0, o1, o2, o3};
    const size_t lens[] = {sizeof o0, sizeof o1, sizeof o2, sizeof o3};
    if (imds_json_strings(buf, size, keys, outs, lens, 4) == 0)
        for (int i = 0; i < 4; i++)
            if (strnlen(outs[i], lens[i]) == lens[i])
                abort();

    /* Secrets next to the fuzzed value: never copied into any output. */
    size_t dl = size < 2048 ? size : 2048;
    /* (An input that itself holds the marker would copy it legitimately.) */
    char *doc = memmem(data, size, "SECRET", 6) ? NULL : malloc(dl * 6 + 256);
    if (doc) {
        size_t n = 0;
        n += (size_t)sprintf(doc + n, "{\"SecretAccessKey\":\"" SECRET "\",\"Code\":\"");
        for (size_t i = 0; i < dl; i++) {          /* the input as JSON string content */
            unsigned char c = data[i];
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f)
                n += (size_t)sprintf(doc + n, "\\u%04x", c);
            else
                doc[n++] = (char)c;
        }
        n += (size_t)sprintf(doc + n, "\",\"Token\":\"" SECRET "\",\"AccessKeyId\":\"" SECRET
                                      "\",\"Expiration\":\"2026-11-29T10:00:00Z\"}");
        char *exact = malloc(n);
        if (exact) {
            memcpy(exact, doc, n);
            imds_classify_credentials(exact, n, (time_t)1764410400, code, sizeof code, expiration,
                                      sizeof expiration, &expired_s);
            no_secret(code, sizeof code);
            no_secret(expiration, sizeof expiration);
            if (imds_json_strings(exact, n, keys, outs, lens, 4) == 0)
                for (int i = 0; i < 4; i++)
                    no_secret(outs[i], lens[i]);
            free(exact);
        }
        free(doc);
    }

    char cidrs[IMDS_MAX_CIDRS][IMDS_CIDR_LEN];
    int nc = imds_parse_cidrs(buf, size, cidrs, IMDS_MAX_CIDRS);
    if (nc < 0 || nc > IMDS_MAX_CIDRS)
        abort();
    for (int i = 0; i < nc; i++)
        if (strnlen(cidrs[i], IMDS_CIDR_LEN) == IMDS_CIDR_LEN || !cidrs[i][0])
            abort();
    char one[1][IMDS_CIDR_LEN];
    if (imds_parse_cidrs(buf, size, one, 1) > 1)
        abort();

    (void)imds_parse_iso8601(s);

    struct sockaddr_storage sa;
    char endpoint[80], hosthdr[80], err[256];
    if (imds_parse_url(s, &sa, endpoint, sizeof endpoint, hosthdr, sizeof hosthdr, err,
                       sizeof err) == 0) {
        if (!endpoint[0] || !hosthdr[0] ||
            (sa.ss_family != AF_INET && sa.ss_family != AF_INET6))
            abort();
    }
    char tiny[4];
    (void)imds_parse_url(s, &sa, tiny, sizeof tiny, tiny, sizeof tiny, err, sizeof err);

    free(buf);
    free(s);
    return 0;
}
