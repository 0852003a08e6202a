/* bench/firstpkt.c — time from exec to the first DNS packet.
 *
 *   firstpkt ADDR PORT CMD [ARGS…]
 *
 * Binds a UDP socket on ADDR:PORT (the "resolver" CMD is told to use),
 * takes t0 just before fork(), execs CMD, and waits (bounded: 5 s) for the
 * first datagram: prints "first_packet_ms=…" (t1 - t0). It never answers;
 * the child is then stopped by its PID (SIGKILL) and reaped.
 * Exit 0 when a packet arrived, 1 when none did.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: firstpkt ADDR PORT CMD [ARGS...]\n");
        return 2;
    }
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[2]))};
    inet_pton(AF_INET, argv[1], &sa.sin_addr);
    if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("bind"); return 2; }
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        int dn = open("/dev/null", O_WRONLY);
        if (dn >= 0) { dup2(dn, 1); dup2(dn, 2); }
        execvp(argv[3], argv + 3);
        _exit(127);
    }
    struct pollfd pf = {.fd = s, .events = POLLIN};
    int r = poll(&pf, 1, 5000);
    double t1 = now_ms();
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    if (r == 1) {
        printf("first_packet_ms=%.3f\n", t1 - t0);
        return 0;
    }
    printf("first_packet_ms=none\n");
    return 1;
}
