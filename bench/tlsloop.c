/* bench/tlsloop.c — the reference client: a minimal libssl loop.
 *
 *   tlsloop -c CAFILE -H HOST[,HOST…] -a ADDR[,ADDR…] [-p PORT] [-n N]
 *           [-d DNSADDR:PORT] [-v]
 *
 * Everything that is set-up — the SSL_CTX, the trust store (CAFILE), the
 * host and address lists — is done before the clock starts. Then N times,
 * one after the other (iteration i uses HOST[i % nhosts] and
 * ADDR[(i / nhosts) % naddrs]):
 *   dns   (only with -d) A and AAAA queries for HOST sent at once over UDP,
 *         until both answers are in (what ssmprobe's dns.ms covers)
 *   tcp   socket + TCP_NODELAY + blocking connect()
 *   tls   SSL_new + SNI + hostname check + SSL_connect (full handshake:
 *         no session is ever reused) — chain verified against CAFILE
 *   http  "GET / HTTP/1.1 … Connection: close" written → first byte read
 *   then read to the end, SSL_shutdown-less close (as a probe does).
 * Times are CLOCK_MONOTONIC, printed per iteration with -v as
 *   "i dns_ms tcp_ms tls_ms http_ms total_ms ok".
 * At the end one line: "tlsloop n=N ok=K wall_ms=… cpu_ms=… (user+sys of the
 * loop only, getrusage before/after)". Exit 0 when every iteration succeeded.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int split(char *s, char **out, int max) {
    int n = 0;
    for (char *t = strtok(s, ","); t && n < max; t = strtok(NULL, ",")) out[n++] = t;
    return n;
}

static size_t dns_query(unsigned char *b, uint16_t id, const char *name, uint16_t type) {
    size_t o = 12;
    memset(b, 0, 12);
    b[0] = id >> 8; b[1] = id & 0xff; b[2] = 0x01; /* RD */ b[5] = 1;
    const char *p = name;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t l = dot ? (size_t)(dot - p) : strlen(p);
        b[o++] = (unsigned char)l;
        memcpy(b + o, p, l);
        o += l;
        p += l + (dot ? 1 : 0);
    }
    b[o++] = 0;
    b[o++] = 0; b[o++] = (unsigned char)type; b[o++] = 0; b[o++] = 1;
    return o;
}

/* A and AAAA at once, wait for both answers (bounded: 5 s). */
static int dns_both(const struct sockaddr_in *srv, const char *name, uint16_t seq) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0 || connect(s, (const struct sockaddr *)srv, sizeof *srv) < 0) return -1;
    unsigned char q[600], r[1500];
    uint16_t ida = (uint16_t)(seq * 2), id6 = (uint16_t)(seq * 2 + 1);
    size_t l = dns_query(q, ida, name, 1);
    send(s, q, l, 0);
    l = dns_query(q, id6, name, 28);
    send(s, q, l, 0);
    int got = 0;
    double end = now_ms() + 5000;
    while (got != 3) {
        struct pollfd pf = {.fd = s, .events = POLLIN};
        int left = (int)(end - now_ms());
        if (left <= 0 || poll(&pf, 1, left) <= 0) { close(s); return -1; }
        ssize_t n = recv(s, r, sizeof r, 0);
        if (n >= 2) {
            uint16_t id = (uint16_t)(r[0] << 8 | r[1]);
            if (id == ida) got |= 1;
            if (id == id6) got |= 2;
        }
    }
    close(s);
    return 0;
}

int main(int argc, char **argv) {
    const char *ca = NULL, *dns = NULL;
    char *hosts_s = NULL, *addrs_s = NULL;
    int port = 443, n = 1, verbose = 0, opt;
    while ((opt = getopt(argc, argv, "c:H:a:p:n:d:v")) != -1) {
        switch (opt) {
        case 'c': ca = optarg; break;
        case 'H': hosts_s = optarg; break;
        case 'a': addrs_s = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 'n': n = atoi(optarg); break;
        case 'd': dns = optarg; break;
        case 'v': verbose = 1; break;
        default: return 2;
        }
    }
    if (!ca || !hosts_s || !addrs_s) {
        fprintf(stderr, "usage: tlsloop -c CAFILE -H HOSTS -a ADDRS [-p PORT] [-n N] [-d DNS:PORT] [-v]\n");
        return 2;
    }
    static char *hosts[4096], *addrs[65536];
    int nh = split(hosts_s, hosts, 4096), na = split(addrs_s, addrs, 65536);
    static struct sockaddr_in sa[65536];
    for (int i = 0; i < na; i++) {
        sa[i].sin_family = AF_INET;
        sa[i].sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, addrs[i], &sa[i].sin_addr) != 1) { fprintf(stderr, "bad address %s\n", addrs[i]); return 2; }
    }
    struct sockaddr_in dsa = {.sin_family = AF_INET};
    if (dns) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%s", dns);
        char *c = strrchr(tmp, ':');
        dsa.sin_port = htons(c ? (uint16_t)atoi(c + 1) : 53);
        if (c) *c = 0;
        inet_pton(AF_INET, tmp, &dsa.sin_addr);
    }
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) { ERR_print_errors_fp(stderr); return 2; }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);

    char req[512];
    int ok = 0;
    double w0 = now_ms(), c0 = cpu_ms();
    for (int i = 0; i < n; i++) {
        const char *h = hosts[i % nh];
        const struct sockaddr_in *a = &sa[(i / nh) % na];
        double t0 = now_ms(), t1 = t0, t2, t3, t4, t5;
        int good = 0;
        if (dns && dns_both(&dsa, h, (uint16_t)i) < 0) { t2 = t3 = t4 = t5 = now_ms(); goto out; }
        t1 = now_ms();
        int s = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(s, (const struct sockaddr *)a, sizeof *a) < 0) { close(s); t2 = t3 = t4 = t5 = now_ms(); goto out; }
        t2 = now_ms();
        SSL *ssl = SSL_new(ctx);
        SSL_set_fd(ssl, s);
        SSL_set_tlsext_host_name(ssl, h);
        SSL_set1_host(ssl, h);
        int hs = SSL_connect(ssl);
        t3 = now_ms();
        t4 = t3;
        if (hs == 1) {
            int l = snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: %s\r\nUser-Agent: tlsloop\r\nConnection: close\r\n\r\n", h);
            char buf[16384];
            if (SSL_write(ssl, req, l) == l) {
                int r = SSL_read(ssl, buf, sizeof buf);
                t4 = now_ms();
                if (r > 0 && memcmp(buf, "HTTP/1.1 ", 9) == 0) good = 1;
                while (r > 0) r = SSL_read(ssl, buf, sizeof buf);
            }
        } else if (verbose) {
            ERR_print_errors_fp(stderr);
        }
        SSL_free(ssl);
        close(s);
        t5 = now_ms();
    out:
        ok += good;
        if (verbose)
            printf("%d %.3f %.3f %.3f %.3f %.3f %d\n", i, dns ? t1 - t0 : -1.0, t2 - t1, t3 - t2, t4 - t3,
                   t5 - t0, good);
    }
    double wall = now_ms() - w0, cpu = cpu_ms() - c0;
    printf("tlsloop n=%d ok=%d wall_ms=%.3f cpu_ms=%.3f\n", n, ok, wall, cpu);
    SSL_CTX_free(ctx);
    return ok == n ? 0 : 1;
}
