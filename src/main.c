/* main.c — start-up hygiene and subcommand dispatch. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "msgs.h"
#include "subcommands.h"

/* Make sure fds 0-2 are open before any socket is created: otherwise a
 * socket could become "stdout" and the report would go to the network. */
static void check_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) == -1) {
            int nfd = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
            if (nfd < 0)
                die_internal("cannot open /dev/null");
            if (nfd != fd) {
                dup2(nfd, fd);
                close(nfd);
            }
        }
    }
}

int main(int argc, char **argv)
{
    check_fds();
    signal(SIGPIPE, SIG_IGN);

    int rc;
    if (argc > 1 && strcmp(argv[1], "policy") == 0)
        rc = policy_main(argc - 1, argv + 1);
    else if (argc > 1 && strcmp(argv[1], "regions") == 0)
        rc = regions_main(argc - 1, argv + 1);
    else
        rc = probe_main(argc, argv);

    /* Output that could not be written (a full disk) is an error of its
     * own; a reader that went away (| head) is not. */
    errno = 0;
    int flushed = fflush(stdout);
    int err = errno;
    if ((flushed != 0 || ferror(stdout)) && err != EPIPE) {
        /* The failed write's errno is gone by now; a fresh one tells. */
        if (!err) {
            fputc('\n', stdout);
            fflush(stdout);
            err = errno;
        }
        if (err != EPIPE) {
            errorf("cannot write the output: %s", err ? strerror(err) : "write error");
            rc = EXIT_INTERNAL;
        }
    }
    return rc;
}
