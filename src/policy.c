/* TEMPORARY placeholder owned by the policy helper: replaced by the real command. */
#include "msgs.h"
#include "subcommands.h"
int policy_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    errorf("policy: not built yet");
    return EXIT_USAGE;
}
