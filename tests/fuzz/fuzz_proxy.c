/* fuzz_proxy.c — libFuzzer target: proxy URL, NO_PROXY (Go and curl), the
 * systemd / EnvironmentFile / upstart / environ parsers.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_DEFAULT_SOURCE \
 *     -Iinclude -o fuzz_proxy tests/fuzz/fuzz_proxy.c src/proxy_url.c \
 *     src/noproxy.c src/proxy_env.c src/msgs.c
 *   mkdir -p /tmp/fz && ./fuzz_proxy -max_total_time=60 /tmp/fz tests/fuzz/corpus/proxy
 *   (new units go to the first directory: keep the seed corpus small)
 *
 * Input: "LIST\nHOST\nREST"; the URL parser gets the whole input, the
 * matchers LIST and HOST, the file parsers the raw bytes (NULs included). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';

    struct proxy_url u;
    char err[200];
    if (proxy_url_parse(s, &u, err, sizeof err) == 0) {
        char *r = proxy_url_redacted(&u);
        if (u.password && !strstr(r, ":***@"))
            abort();                       /* a password must always be masked */
        if (u.port < 1 || u.port > 65535 || !u.host || !*u.host)
            abort();
        free(r);
        free(proxy_basic_auth(&u));
    }
    proxy_url_free(&u);
    free(proxy_url_redact_raw(s));

    /* NO_PROXY: first line the list, second the host (strlen stops at NUL). */
    char *nl = strchr(s, '\n');
    const char *host = "ssm.us-east-1.amazonaws.com";
    if (nl) {
        *nl = '\0';
        host = nl + 1;
        char *nl2 = strchr(nl + 1, '\n');
        if (nl2)
            *nl2 = '\0';
    }
    struct noproxy_hit hit;
    (void)noproxy_go_match_why(s, host, 443, &hit);
    (void)noproxy_go_match(host, s, 80);
    (void)noproxy_curl_match(s, host);
    (void)noproxy_curl_match(host, s);
    (void)noproxy_has_space_separator(s);

    struct proxy_envlist env = {0}, files = {0};
    proxy_parse_systemd((const char *)data, size, &env, 1, &files);
    proxy_parse_envfile((const char *)data, size, &env, 2);
    proxy_parse_upstart((const char *)data, size, &env, 3);
    proxy_envlist_from_block(&env, (const char *)data, size);
    struct proxy_settings ps;
    proxy_settings_from_env(env.v, "agent", &ps);
    proxy_settings_free(&ps);
    proxy_envlist_free(&env);
    proxy_envlist_free(&files);
    free(s);
    return 0;
}
