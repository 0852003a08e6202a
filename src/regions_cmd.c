/* TEMPORARY placeholder owned by the regions helper: replaced by the real command. */
#include "msgs.h"
#include "subcommands.h"
int regions_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    errorf("regions: not built yet");
    return EXIT_USAGE;
}
