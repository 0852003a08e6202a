/* hostexec.c — run one short-lived helper (the agent's -version, rpm -q)
 * with a hard time bound, for hostcheck.c. See hostcheck_exec(). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hostcheck.h"

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the child: only async-signal-safe calls until execve. */
static void child(const char *path, char *const argv[], char *const envp[], int wfd,
                  int maxfd)
{
    sigset_t none;
    int devnull = open("/dev/null", O_RDONLY);

    setpgid(0, 0); /* its own group, so a timeout kills grandchildren too */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    if (devnull >= 0 && devnull != 0) {
        dup2(devnull, 0);
        close(devnull);
    }
    dup2(wfd, 1);
    dup2(wfd, 2);
    for (int fd = 3; fd < maxfd; fd++)
        close(fd);
    execve(path, argv, envp);
    _exit(127);
}

int hostcheck_exec(const char *path, char *const argv[], int timeout_ms, char *out,
                   size_t outlen, char *err, size_t errlen)
{
    static char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };
    int p[2] = { -1, -1 };
    size_t used = 0;
    int status = 0, rc = -1;
    bool timed_out = false, exited = false;
    long maxfd = sysconf(_SC_OPEN_MAX);
    long long deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : HOSTCHECK_EXEC_TIMEOUT_MS);
    pid_t pid;

    if (outlen)
        out[0] = '\0';
    if (err && errlen)
        err[0] = '\0';
    if (maxfd < 0 || maxfd > 4096)
        maxfd = 4096;
    if (pipe(p) < 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0)
        child(path, argv, envp, p[1], (int)maxfd);
    close(p[1]);

    /* Read until EOF or the deadline; keep what fits, drain the rest. */
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd pfd = { .fd = p[0], .events = POLLIN };
        int n = poll(&pfd, 1, (int)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            timed_out = n == 0;
            break;
        }
        char buf[1024];
        ssize_t got = read(p[0], buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break; /* EOF: every writer is gone */
        if (outlen > 1 && used < outlen - 1) {
            size_t take = (size_t)got;
            if (take > outlen - 1 - used)
                take = outlen - 1 - used;
            memcpy(out + used, buf, take);
            used += take;
            out[used] = '\0';
        }
    }
    close(p[0]);

    /* Reap it within what is left of the deadline. */
    while (!timed_out) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            exited = true;
            break;
        }
        if (w < 0 && errno != EINTR)
            break;
        if (now_ms() >= deadline) {
            timed_out = true;
            break;
        }
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    if (!exited) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    if (timed_out) {
        snprintf(err, errlen, "%s did not finish within %d ms (killed)", path,
                 timeout_ms > 0 ? timeout_ms : HOSTCHECK_EXEC_TIMEOUT_MS);
        return -2;
    }
    if (WIFEXITED(status)) {
        rc = WEXITSTATUS(status);
        if (rc == 127 && used == 0)
            snprintf(err, errlen, "%s could not be executed", path);
        else if (rc != 0)
            snprintf(err, errlen, "%s exited with status %d", path, rc);
    } else if (WIFSIGNALED(status)) {
        snprintf(err, errlen, "%s was killed by signal %d", path, WTERMSIG(status));
        rc = -1;
    }
    return rc;
}
