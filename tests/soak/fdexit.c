/* tests/soak/fdexit.c — LD_PRELOAD shim: which file descriptors a process
 * holds when it exits.
 *
 *   SOAK_FDEXIT=FILE LD_PRELOAD=fdexit.so CMD...
 *
 * At load (constructor) and at the very end of exit() it lists
 * /proc/self/fd and appends to FILE one line each:
 *   start N fd:target fd:target ...
 *   exit  N fd:target fd:target ...
 * (its own directory descriptor excluded). "exit" is taken after the
 * program's atexit handlers AND every shared object's destructor: the
 * handler is registered from the constructor with no DSO handle, i.e.
 * before the dynamic linker's _dl_fini is registered by __libc_start_main,
 * so it runs after it. (A plain destructor here would run before libuv's
 * uv_library_shutdown(), which closes libuv's global signal-lock pipe, and
 * would report that pipe as open.) A process that ends by _exit() or a
 * signal writes no "exit" line: the harness reports that as unknown.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void list_fds(const char *when)
{
    const char *out = getenv("SOAK_FDEXIT");
    if (!out || !*out)
        return;
    char line[8192];
    size_t len = 0;
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return;
    int self = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        int fd = atoi(e->d_name);
        if (fd == self)
            continue;
        char p[64], tgt[256];
        snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
        ssize_t k = readlink(p, tgt, sizeof tgt - 1);
        tgt[k > 0 ? k : 0] = '\0';
        for (char *c = tgt; *c; c++)
            if (*c == ' ')
                *c = '_';
        n++;
        if (len < sizeof line - 300)
            len += (size_t)snprintf(line + len, sizeof line - len, " %d:%s", fd, tgt);
    }
    closedir(d);
    int f = open(out, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (f < 0)
        return;
    dprintf(f, "%s %d%s\n", when, n, line);
    close(f);
}

extern int __cxa_atexit(void (*fn)(void *), void *arg, void *dso);

static void fdexit_end(void *arg)
{
    (void)arg;
    list_fds("exit");
}

__attribute__((constructor)) static void fdexit_start(void)
{
    list_fds("start");
    __cxa_atexit(fdexit_end, NULL, NULL);
}
