/* bench/runstat.c — run a command, report what it cost.
 *
 *   runstat [-f] OUTFILE CMD [ARGS…]
 *
 * Forks, execs CMD (stdin/stdout/stderr inherited), waits with wait4() and
 * appends one line to OUTFILE:
 *   wall_ms user_ms sys_ms maxrss_kb exit_status max_fds
 * wall is CLOCK_MONOTONIC from just before fork() to the reap; user/sys and
 * maxrss come from the child's rusage (ru_maxrss: the largest resident set
 * of the child or of any descendant it waited for). With -f the child is
 * polled every ~1 ms instead and its open file descriptors are counted
 * (/proc/PID/fd) each time: max_fds is the largest count seen (else -1).
 * The exit status of runstat is CMD's.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int count_fds(pid_t pid) {
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(p);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

int main(int argc, char **argv) {
    int fds = 0, a = 1;
    if (argc > 1 && strcmp(argv[1], "-f") == 0) { fds = 1; a++; }
    if (argc - a < 2) {
        fprintf(stderr, "usage: runstat [-f] OUTFILE CMD [ARGS...]\n");
        return 125;
    }
    const char *out = argv[a];
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 125; }
    if (pid == 0) {
        execvp(argv[a + 1], argv + a + 1);
        fprintf(stderr, "runstat: exec %s: %s\n", argv[a + 1], strerror(errno));
        _exit(127);
    }
    int st = 0, maxfd = -1;
    struct rusage ru;
    if (fds) {
        struct timespec ms = {0, 1000000};
        for (;;) {
            pid_t r = wait4(pid, &st, WNOHANG, &ru);
            if (r == pid) break;
            if (r < 0 && errno != EINTR) { perror("wait4"); return 125; }
            int n = count_fds(pid);
            if (n > maxfd) maxfd = n;
            nanosleep(&ms, NULL);
        }
    } else {
        while (wait4(pid, &st, 0, &ru) < 0)
            if (errno != EINTR) { perror("wait4"); return 125; }
    }
    double wall = now_ms() - t0;
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    FILE *f = fopen(out, "a");
    if (!f) { perror(out); return 125; }
    fprintf(f, "%.3f %.3f %.3f %ld %d %d\n", wall,
            (double)ru.ru_utime.tv_sec * 1e3 + (double)ru.ru_utime.tv_usec / 1e3,
            (double)ru.ru_stime.tv_sec * 1e3 + (double)ru.ru_stime.tv_usec / 1e3, ru.ru_maxrss, rc,
            maxfd);
    fclose(f);
    return rc;
}
