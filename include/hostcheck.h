/* hostcheck.h — the instance's own side of "does not show up in Session
 * Manager": OS, agent installed/version/running, ssm-user, a leftover
 * hybrid registration, and the agent's recent connectivity errors.
 *
 * Everything is read under a root directory (--root, "/" by default) so
 * tests and mounted images work the same way as the live system. Two
 * steps, so that gathering (files, one bounded child process) stays apart
 * from judging:
 *
 *   hostcheck_run()          gather facts into struct hostcheck_facts
 *   hostcheck_fill_context() copy them into report->host (SPEC context.host)
 *   hostcheck_report()       add findings to the report
 *
 * hostcheck_run() blocks for at most about 2 × exec_timeout_ms (the agent
 * binary's -version, and rpm -q on the live system): run it before the
 * loop, after it, or in a uv_queue_work() job — it keeps no global state.
 * Nothing here prints. */
#ifndef SSMPROBE_HOSTCHECK_H
#define SSMPROBE_HOSTCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "discover.h"
#include "result.h"

#define HOSTCHECK_EXEC_TIMEOUT_MS 2000  /* default bound on one child process */
#define HOSTCHECK_LOG_TAIL (256 * 1024) /* bytes read from the end of errors.log */
#define HOSTCHECK_LOG_LINES 5           /* matching lines kept, the newest */
#define HOSTCHECK_LOG_RECENT_S 3600     /* a newer error makes agent_log_errors a warning */

struct hostcheck_opts {
    const char *root;         /* "/" (NULL means "/") or a directory holding a system image */
    const char *procdir;      /* NULL: "/proc" for the live root, "<root>/proc" otherwise */
    int exec_timeout_ms;      /* per child process; 0 means HOSTCHECK_EXEC_TIMEOUT_MS */
    int use_rpm;              /* -1: only when root is "/"; 0 never; 1 always */
    time_t now;               /* wall clock for the age of log lines; 0 means time(NULL) */
};

enum hostcheck_os_support {
    HC_OS_UNKNOWN = 0,        /* no os-release */
    HC_OS_SUPPORTED,          /* on AWS's list of Linux distributions for SSM Agent */
    HC_OS_UNSUPPORTED,        /* a listed distribution, but a release older than the list */
    HC_OS_UNLISTED            /* not in ssmprobe's list (other distribution, or newer) */
};

/* Features and the agent version that brought them (ssm-facts §8). */
struct hostcheck_feature {
    const char *min_version;  /* "2.3.68.0" */
    const char *name;         /* "Session Manager" */
    enum status severity;     /* when lacking: FAIL, WARN or INFO */
};

struct hostcheck_facts {
    char root[4096];

    /* /etc/os-release (or /usr/lib/os-release) */
    bool os_found;
    char os_pretty[128];      /* PRETTY_NAME, else NAME VERSION_ID */
    char os_id[32];           /* ID */
    char os_version_id[32];   /* VERSION_ID */
    enum hostcheck_os_support os_support;
    char os_note[192];        /* why unsupported/unlisted, "" otherwise */

    /* the agent */
    int agent_installed;      /* -1 unknown, 0 no, 1 yes */
    char agent_version[32];   /* "3.3.40.0", "" unknown */
    char agent_source[16];    /* "binary", "snap", "dpkg", "rpm", "" */
    char agent_path[4096];    /* binary or database the version came from, "" none */
    char agent_error[256];    /* why the version is unknown, "" when known or absent */

    int agent_running;        /* -1 unknown, 0 no, 1 yes */
    long agent_pid;           /* 0 when not found */
    char running_note[192];   /* how it was decided, or why unknown */

    int ssm_user;             /* -1 unknown (no passwd), 0 missing, 1 present */

    struct discover_registration registration;

    int dmi_ec2;              /* -1 unknown, 0 not EC2, 1 EC2 (from DMI / hypervisor ids) */
    char dmi_note[128];

    /* errors.log: the newest lines matching known connectivity errors */
    bool log_found;
    char log_path[4096];
    int log_matches;          /* matching lines in the tail read (may exceed nlog) */
    int nlog;
    struct host_log_line log[HOSTCHECK_LOG_LINES]; /* oldest first */
    time_t now;               /* the clock used for log ages */
};

/* Gather every fact. Never fails as a whole: each part records unknown. */
void hostcheck_run(const struct hostcheck_opts *opts, struct hostcheck_facts *facts);

/* Copy facts into the report's context.host (sets checked). */
void hostcheck_fill_context(const struct hostcheck_facts *facts, struct host_context *host);

/* Add the host findings to r: agent_not_installed, agent_not_running,
 * agent_version_low, ssm_user_missing, os_unsupported,
 * hybrid_registration_on_ec2, agent_log_errors. on_ec2: 1 / 0 as IMDS
 * decided, -1 to fall back on facts->dmi_ec2. Returns the number added. */
int hostcheck_report(const struct hostcheck_facts *facts, int on_ec2, struct report *r);

/* The pieces, exported for the engine and the unit tests. */

/* Parse os-release text into facts' os_* fields and classify it. */
void hostcheck_parse_os_release(const char *text, struct hostcheck_facts *facts);
enum hostcheck_os_support hostcheck_classify_os(const char *id, const char *version_id,
                                                const char *name, char *note, size_t notelen);

/* "3.3.40.0", "3.3.40.0-1", "1:3.0.1", "SSM Agent version: 3.2.582.0":
 * up to four numeric fields into v (missing ones 0). Returns the number of
 * fields read, or -1 when there is no version. */
int hostcheck_version_parse(const char *s, unsigned long v[4]);
/* <0, 0, >0 like strcmp; unparsable versions sort first. */
int hostcheck_version_cmp(const char *a, const char *b);

/* The feature table (n entries) and the features version lacks, as a
 * ", "-separated list into out; returns how many, and the worst severity. */
const struct hostcheck_feature *hostcheck_features(size_t *n);
int hostcheck_missing_features(const char *version, char *out, size_t outlen,
                               enum status *worst);

/* Classify one agent log line: a short kind ("dns", "tcp_timeout", …) or
 * NULL when it is not a known connectivity error. */
const char *hostcheck_log_kind(const char *line);

/* Fill facts' log fields from the bounded tail of the errors.log at path. */
void hostcheck_scan_log(const char *path, struct hostcheck_facts *facts);

/* Copy a log line for display: control characters replaced, secrets in
 * URLs (X-Amz-Security-Token=, Signature=, Credential=, token=) masked. */
void hostcheck_sanitize_line(const char *in, size_t inlen, char *out, size_t outlen);

/* Run path argv with a clean environment, stdout+stderr captured into out
 * (at most outlen-1 bytes kept), killed (with its process group) after
 * timeout_ms. Returns the exit status (0..255), -1 on spawn failure or
 * signal, -2 on timeout; err says what happened. */
int hostcheck_exec(const char *path, char *const argv[], int timeout_ms, char *out,
                   size_t outlen, char *err, size_t errlen);

#endif
