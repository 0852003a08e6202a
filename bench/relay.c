/* bench/relay.c — a user-space delay line between two network namespaces.
 *
 *   relay NS_A IF_A NS_B IF_B DELAY_MS [TRACEFILE]
 *
 * The kernel here has no netem, so the bench builds the "long path" itself:
 * it creates one TUN device in each namespace (IF_A in NS_A, IF_B in NS_B;
 * the caller gives them addresses and routes once they exist) and copies
 * every IP packet read from one to the other DELAY_MS later — a fixed
 * one-way delay in each direction, for every packet: SYN, SYN-ACK, TLS
 * records, HTTP, FIN. Unlike a TCP proxy it delays the TCP handshake too,
 * so tcp_ms, tls_ms and http_ms each see exactly one round trip of
 * 2 × DELAY_MS plus the end hosts' own work.
 *
 * One thread at SCHED_FIFO priority 20 (when allowed), ppoll() with a
 * nanosecond timeout, timer slack 1 µs. The
 * delay is fixed, so each direction is a FIFO. On SIGTERM/SIGINT it prints
 * its own figures to stderr: packets per direction and how late they were
 * written (lateness = write time - due time: median, p99, max in µs) — the
 * relay's own overhead on top of the delay.
 *
 * TRACEFILE (diagnostics, e.g. BENCH_TRACE=1 bench/run): one line per TCP
 * packet as read: "t_ns dir sport dport tcpflags payload_len" (dir 0 =
 * A→B, 1 = B→A) — when each side really sent what, to tell the network,
 * the server and the client apart.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <sched.h>
#include <sys/mman.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define MAXPKT 65536
#define MAXQ 200000 /* packets queued per direction; beyond: dropped */
#define LBUCKETS 20001 /* lateness histogram, 1 µs buckets up to 20 ms */

struct pkt {
    struct pkt *next;
    uint64_t due;
    size_t len;
    unsigned char data[];
};

struct dir {
    int in, out;
    struct pkt *head, *tail;
    long queued, sent, dropped;
    int dir; /* 0: a->b, 1: b->a (trace lines) */
};

static volatile sig_atomic_t stop;
static FILE *trace; /* optional: one line per packet read (diagnostics) */
static uint64_t late_hist[LBUCKETS];
static uint64_t late_max, late_n;

static void on_sig(int s) { (void)s; stop = 1; }

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int tun_in_ns(const char *ns, const char *ifname) {
    char path[256];
    snprintf(path, sizeof path, "/var/run/netns/%s", ns);
    int nfd = open(path, O_RDONLY | O_CLOEXEC);
    if (nfd < 0 || setns(nfd, CLONE_NEWNET) < 0) {
        fprintf(stderr, "relay: enter netns %s: %s\n", ns, strerror(errno));
        return -1;
    }
    close(nfd);
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        fprintf(stderr, "relay: /dev/net/tun: %s\n", strerror(errno));
        return -1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        fprintf(stderr, "relay: TUNSETIFF %s in %s: %s\n", ifname, ns, strerror(errno));
        return -1;
    }
    return fd;
}

static void send_due(struct dir *d, uint64_t now) {
    while (d->head && d->head->due <= now) {
        struct pkt *p = d->head;
        if (write(d->out, p->data, p->len) < 0)
            d->dropped++;
        else
            d->sent++;
        uint64_t late = (now_ns() - p->due) / 1000;
        late_hist[late < LBUCKETS ? late : LBUCKETS - 1]++;
        if (late > late_max) late_max = late;
        late_n++;
        d->head = p->next;
        if (!d->head) d->tail = NULL;
        d->queued--;
        free(p);
    }
}

static void read_all(struct dir *d, uint64_t delay) {
    static unsigned char buf[MAXPKT];
    for (int i = 0; i < 4096; i++) {
        ssize_t n = read(d->in, buf, sizeof buf);
        if (n <= 0) return;
        if (d->queued >= MAXQ) { d->dropped++; continue; }
        struct pkt *p = malloc(sizeof *p + (size_t)n);
        if (!p) { d->dropped++; continue; }
        p->next = NULL;
        p->len = (size_t)n;
        p->due = now_ns() + delay;
        if (trace && n >= 40 && (buf[0] >> 4) == 4 && buf[9] == 6) {
            size_t ihl = (size_t)(buf[0] & 15) * 4, doff = (size_t)(buf[ihl + 12] >> 4) * 4;
            fprintf(trace, "%llu %d %u %u %02x %zu\n", (unsigned long long)(p->due - delay),
                    d->dir, (unsigned)(buf[ihl] << 8 | buf[ihl + 1]),
                    (unsigned)(buf[ihl + 2] << 8 | buf[ihl + 3]), buf[ihl + 13],
                    (size_t)n - ihl - doff);
        }
        memcpy(p->data, buf, (size_t)n);
        if (d->tail) d->tail->next = p; else d->head = p;
        d->tail = p;
        d->queued++;
    }
}

static uint64_t pct(double q) {
    uint64_t want = (uint64_t)(q * (double)late_n), acc = 0;
    for (int i = 0; i < LBUCKETS; i++) {
        acc += late_hist[i];
        if (acc > want) return (uint64_t)i;
    }
    return late_max;
}

int main(int argc, char **argv) {
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: relay NS_A IF_A NS_B IF_B DELAY_MS [TRACEFILE]\n");
        return 2;
    }
    uint64_t delay = (uint64_t)(atof(argv[5]) * 1e6);
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    /* A network does not slow down when the end hosts are busy: run the
     * delay line at real-time priority (root), so that the client's and the
     * server's CPU work cannot push packets past their due time. */
    struct sched_param sp = {.sched_priority = 20};
    int rt = sched_setscheduler(0, SCHED_FIFO, &sp) == 0;
    mlockall(MCL_CURRENT | MCL_FUTURE);
    int a = tun_in_ns(argv[1], argv[2]);
    if (a < 0) return 1;
    int b = tun_in_ns(argv[3], argv[4]);
    if (b < 0) return 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sig;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    struct dir ab = {.in = a, .out = b, .dir = 0}, ba = {.in = b, .out = a, .dir = 1};
    if (argc == 7 && !(trace = fopen(argv[6], "w"))) {
        perror(argv[6]);
        return 1;
    }
    fprintf(stderr, "relay: %s/%s <-> %s/%s, %.3f ms one way, %s\n", argv[1], argv[2], argv[3],
            argv[4], (double)delay / 1e6, rt ? "SCHED_FIFO" : "SCHED_OTHER (no real-time priority)");
    while (!stop) {
        struct pollfd pf[2] = {{.fd = a, .events = POLLIN}, {.fd = b, .events = POLLIN}};
        struct timespec ts, *tp = NULL;
        uint64_t next = UINT64_MAX;
        if (ab.head) next = ab.head->due;
        if (ba.head && ba.head->due < next) next = ba.head->due;
        if (next != UINT64_MAX) {
            uint64_t n = now_ns(), w = next > n ? next - n : 0;
            ts.tv_sec = (time_t)(w / 1000000000ull);
            ts.tv_nsec = (long)(w % 1000000000ull);
            tp = &ts;
        }
        int r = ppoll(pf, 2, tp, NULL);
        if (r < 0 && errno != EINTR) break;
        if (r > 0) {
            if (pf[0].revents & POLLIN) read_all(&ab, delay);
            if (pf[1].revents & POLLIN) read_all(&ba, delay);
        }
        uint64_t n = now_ns();
        send_due(&ab, n);
        send_due(&ba, n);
    }
    if (trace) fclose(trace);
    fprintf(stderr,
            "relay stats: a->b %ld sent %ld dropped, b->a %ld sent %ld dropped; "
            "lateness us median %llu p99 %llu max %llu (n=%llu)\n",
            ab.sent, ab.dropped, ba.sent, ba.dropped, (unsigned long long)pct(0.5),
            (unsigned long long)pct(0.99), (unsigned long long)late_max,
            (unsigned long long)late_n);
    return 0;
}
