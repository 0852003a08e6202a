/* hostextra.h — two small host facts beyond the agent: how the clock is
 * kept (chrony / systemd-timesyncd, Amazon Time Sync) and the client-side
 * Session Manager prerequisites (AWS CLI, session-manager-plugin) when they
 * are installed. Read under a root directory; never prints. */
#ifndef SSMPROBE_HOSTEXTRA_H
#define SSMPROBE_HOSTEXTRA_H

#include <stdbool.h>

#include "result.h"

struct timesync_facts {
    char service[24];         /* "chrony", "systemd-timesyncd", "ntpd", "" none found */
    int synchronized;         /* -1 unknown, 0 no, 1 yes (timesyncd's flag file) */
    bool amazon_source;       /* a config names 169.254.169.123 / fd00:ec2::123 */
    char config[160];         /* the config file read, "" none */
};

struct client_tool {
    bool found;
    char path[200];
    char version[40];         /* "" when it could not be read */
};

struct client_facts {
    struct client_tool aws_cli;
    struct client_tool plugin; /* session-manager-plugin */
};

/* procdir: the process table to scan ("<root>/proc", or "/proc"). */
void timesync_check(const char *root, const char *procdir, struct timesync_facts *out);
void clienttools_check(const char *root, struct client_facts *out);

/* One sentence on how the clock is kept, for the clock_skew finding. */
void timesync_describe(const struct timesync_facts *ts, char *out, size_t outlen);

/* Findings: client_prerequisites (info) for the tools that are installed. */
void hostextra_report(const struct client_facts *cf, struct report *r);

/* Exposed for tests: "aws-cli/2.15.0 Python/…" → "2.15.0". */
bool clienttools_parse_aws_version(const char *text, char *out, size_t outlen);

#endif
