/* subcommands.h — entry points of ssmprobe's commands. Each parses its own
 * arguments (argv[0] is the command name) and returns an exit status. */
#ifndef SSMPROBE_SUBCOMMANDS_H
#define SSMPROBE_SUBCOMMANDS_H

int probe_main(int argc, char **argv);    /* probe.c: the default command */
int policy_main(int argc, char **argv);   /* policy.c: ssmprobe policy FILE... */
int regions_main(int argc, char **argv);  /* regions_cmd.c: ssmprobe regions */

#endif
