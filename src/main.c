/* main.c — start-up hygiene and subcommand dispatch. */
#include <fcntl.h>
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

    if (argc > 1 && strcmp(argv[1], "policy") == 0)
        return policy_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "regions") == 0)
        return regions_main(argc - 1, argv + 1);
    return probe_main(argc, argv);
}
