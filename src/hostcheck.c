/* hostcheck.c — OS, agent installed/version/running, ssm-user, hybrid
 * registration, DMI: the facts about this host, and the findings they
 * lead to. See hostcheck.h; errors.log lives in hostlog.c, the bounded
 * child process in hostexec.c. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostcheck.h"

#define AGENT_BIN "/usr/bin/amazon-ssm-agent"
#define AGENT_SNAP_BIN "/snap/amazon-ssm-agent/current/amazon-ssm-agent"
#define ERRORS_LOG "/var/log/amazon/ssm/errors.log"

/* ---------------------------------------------------------------- paths */

static bool is_live_root(const char *root)
{
    return !root || !*root || strspn(root, "/") == strlen(root);
}

/* root + path into out ("/" + "/etc/x" is "/etc/x"). */
static const char *rpath(const char *root, const char *path, char *out, size_t outlen)
{
    size_t rl = is_live_root(root) ? 0 : strlen(root);
    while (rl > 0 && root[rl - 1] == '/')
        rl--;
    snprintf(out, outlen, "%.*s%s", (int)rl, rl ? root : "", path);
    return out;
}

/* Read a small file into buf (NUL-terminated). Returns bytes or -1. */
static ssize_t read_small(const char *path, char *buf, size_t buflen)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    if (!f)
        return -1;
    n = fread(buf, 1, buflen - 1, f);
    buf[n] = '\0';
    fclose(f);
    return (ssize_t)n;
}

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
}

/* ------------------------------------------------------------- versions */

static const char *ci_find(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return hay;
    return NULL;
}

int hostcheck_version_parse(const char *s, unsigned long v[4])
{
    const char *p, *tag;
    int n = 0;

    v[0] = v[1] = v[2] = v[3] = 0;
    if (!s)
        return -1;
    tag = ci_find(s, "version:");
    p = tag ? tag + 8 : s;
    while (*p == ' ' || *p == '\t')
        p++;
    /* A Debian epoch "1:" comes before the version proper. */
    const char *q = p;
    while (isdigit((unsigned char)*q))
        q++;
    if (q > p && *q == ':')
        p = q + 1;
    if (!isdigit((unsigned char)*p))
        return -1;
    while (n < 4 && isdigit((unsigned char)*p)) {
        unsigned long x = 0;
        while (isdigit((unsigned char)*p)) {
            if (x > 99999999UL)
                return -1;
            x = x * 10 + (unsigned long)(*p++ - '0');
        }
        v[n++] = x;
        if (*p != '.' || !isdigit((unsigned char)p[1]))
            break;
        p++;
    }
    if (*p && !isspace((unsigned char)*p) && *p != '-' && *p != '+' && *p != '~')
        return -1;
    return n;
}

int hostcheck_version_cmp(const char *a, const char *b)
{
    unsigned long va[4], vb[4];
    int na = hostcheck_version_parse(a, va), nb = hostcheck_version_parse(b, vb);
    if (na < 0 || nb < 0)
        return (na >= 0) - (nb >= 0);
    for (int i = 0; i < 4; i++)
        if (va[i] != vb[i])
            return va[i] < vb[i] ? -1 : 1;
    return 0;
}

static const struct hostcheck_feature features[] = {
    { "2.3.68.0", "Session Manager", STATUS_FAIL },
    { "2.3.539.0", "KMS encryption of session data", STATUS_WARN },
    { "3.0.161.0", "shell profiles", STATUS_WARN },
    { "3.0.222.0", "port forwarding and SSH/SCP sessions", STATUS_WARN },
    { "3.0.284.0", "streaming session logs to CloudWatch Logs", STATUS_WARN },
    { "3.2.582.0", "Default Host Management Configuration", STATUS_INFO },
    { "3.3.40.0", "ec2messages optional (falls back to ssmmessages)", STATUS_INFO },
};

const struct hostcheck_feature *hostcheck_features(size_t *n)
{
    *n = sizeof features / sizeof features[0];
    return features;
}

int hostcheck_missing_features(const char *version, char *out, size_t outlen,
                               enum status *worst)
{
    unsigned long v[4];
    int count = 0;
    size_t used = 0;

    if (outlen)
        out[0] = '\0';
    *worst = STATUS_OK;
    if (hostcheck_version_parse(version, v) < 0)
        return 0;
    for (size_t i = 0; i < sizeof features / sizeof features[0]; i++) {
        if (hostcheck_version_cmp(version, features[i].min_version) >= 0)
            continue;
        count++;
        if (features[i].severity > *worst)
            *worst = features[i].severity;
        if (used < outlen) {
            int w = snprintf(out + used, outlen - used, "%s%s (%s)", used ? ", " : "",
                             features[i].name, features[i].min_version);
            used += w > 0 ? (size_t)w : 0;
        }
    }
    return count;
}

/* ------------------------------------------------------------------- OS */

/* AWS's supported Linux list for SSM Agent, as major[.minor] bounds;
 * releases above max_major are "not in our list", below min "unsupported". */
static const struct {
    const char *id;
    const char *label;
    unsigned long min_major, min_minor, max_major;
} os_table[] = {
    { "rhel", "Red Hat Enterprise Linux", 7, 0, 9 },
    { "centos", "CentOS", 7, 0, 9 },
    { "rocky", "Rocky Linux", 8, 0, 9 },
    { "almalinux", "AlmaLinux", 8, 0, 9 },
    { "ol", "Oracle Linux", 7, 5, 9 },
    { "sles", "SUSE Linux Enterprise Server", 12, 0, 15 },
    { "sles_sap", "SUSE Linux Enterprise Server for SAP", 12, 0, 15 },
    { "ubuntu", "Ubuntu", 16, 4, 24 },
    { "debian", "Debian", 9, 0, 12 },
    { "raspbian", "Raspberry Pi OS", 9, 0, 12 },
};

enum hostcheck_os_support hostcheck_classify_os(const char *id, const char *version_id,
                                                const char *name, char *note, size_t notelen)
{
    unsigned long v[4];
    if (notelen)
        note[0] = '\0';
    if (!id || !*id)
        return HC_OS_UNKNOWN;
    int nv = hostcheck_version_parse(version_id, v);

    if (strcmp(id, "amzn") == 0) {
        if (version_id && (strcmp(version_id, "2") == 0 || strcmp(version_id, "2023") == 0))
            return HC_OS_SUPPORTED;
        if (nv > 0 && v[0] >= 2010 && v[0] <= 2018) {
            snprintf(note, notelen, "Amazon Linux AMI %s (Amazon Linux 1) is past end of life; "
                     "supported: Amazon Linux 2 and 2023", version_id);
            return HC_OS_UNSUPPORTED;
        }
        snprintf(note, notelen, "Amazon Linux %s is not in ssmprobe's list (2, 2023)",
                 version_id ? version_id : "(no VERSION_ID)");
        return HC_OS_UNLISTED;
    }
    /* CentOS Stream says ID=centos with NAME "CentOS Stream". */
    for (size_t i = 0; i < sizeof os_table / sizeof os_table[0]; i++) {
        if (strcmp(id, os_table[i].id) != 0)
            continue;
        if (nv <= 0) {
            snprintf(note, notelen, "%s without a VERSION_ID (testing or rolling release?) "
                     "is not in ssmprobe's list", name && *name ? name : os_table[i].label);
            return HC_OS_UNLISTED;
        }
        if (v[0] < os_table[i].min_major ||
            (v[0] == os_table[i].min_major && v[1] < os_table[i].min_minor)) {
            if (os_table[i].min_minor)
                snprintf(note, notelen, "%s %s is older than the oldest supported release, %lu.%02lu",
                         os_table[i].label, version_id, os_table[i].min_major,
                         os_table[i].min_minor);
            else
                snprintf(note, notelen, "%s %s is older than the oldest supported release, %lu",
                         os_table[i].label, version_id, os_table[i].min_major);
            return HC_OS_UNSUPPORTED;
        }
        if (v[0] > os_table[i].max_major) {
            snprintf(note, notelen, "%s %s is newer than ssmprobe's list (up to %lu); "
                     "check AWS's list of supported operating systems",
                     os_table[i].label, version_id, os_table[i].max_major);
            return HC_OS_UNLISTED;
        }
        return HC_OS_SUPPORTED;
    }
    snprintf(note, notelen, "%s is not on AWS's list of supported Linux distributions "
             "for SSM Agent", name && *name ? name : id);
    return HC_OS_UNLISTED;
}

/* One os-release value: unquote "…" (with \ escapes) or '…'. */
static void os_value(const char *v, char *out, size_t outlen)
{
    size_t o = 0;
    char q = (*v == '"' || *v == '\'') ? *v++ : 0;
    for (; *v && o + 1 < outlen; v++) {
        if (q && *v == q)
            break;
        if (q == '"' && *v == '\\' && v[1])
            v++;
        out[o++] = *v;
    }
    out[o] = '\0';
    if (!q)
        chomp(out);
}

void hostcheck_parse_os_release(const char *text, struct hostcheck_facts *facts)
{
    char name[128] = "", line[512];
    const char *p = text;

    facts->os_found = true;
    facts->os_pretty[0] = facts->os_id[0] = facts->os_version_id[0] = '\0';
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t ll = nl ? (size_t)(nl - p) : strlen(p);
        snprintf(line, sizeof line, "%.*s", (int)(ll < sizeof line ? ll : sizeof line - 1), p);
        p = nl ? nl + 1 : NULL;
        chomp(line);
        if (strncmp(line, "PRETTY_NAME=", 12) == 0)
            os_value(line + 12, facts->os_pretty, sizeof facts->os_pretty);
        else if (strncmp(line, "NAME=", 5) == 0)
            os_value(line + 5, name, sizeof name);
        else if (strncmp(line, "ID=", 3) == 0)
            os_value(line + 3, facts->os_id, sizeof facts->os_id);
        else if (strncmp(line, "VERSION_ID=", 11) == 0)
            os_value(line + 11, facts->os_version_id, sizeof facts->os_version_id);
    }
    for (char *c = facts->os_id; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    if (!facts->os_pretty[0])
        snprintf(facts->os_pretty, sizeof facts->os_pretty, "%.90s%s%.31s",
                 name[0] ? name : facts->os_id, facts->os_version_id[0] ? " " : "",
                 facts->os_version_id);
    facts->os_support = hostcheck_classify_os(facts->os_id, facts->os_version_id, name,
                                              facts->os_note, sizeof facts->os_note);
}

static void check_os(const char *root, struct hostcheck_facts *facts)
{
    static const char *const paths[] = { "/etc/os-release", "/usr/lib/os-release" };
    char path[4096], buf[16384];
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (read_small(rpath(root, paths[i], path, sizeof path), buf, sizeof buf) >= 0) {
            hostcheck_parse_os_release(buf, facts);
            return;
        }
}

/* ---------------------------------------------------------------- agent */

static bool is_executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

/* Run BINARY -version; true when the binary exists (version may stay ""). */
static bool version_from_binary(const char *path, const char *source, int timeout_ms,
                                struct hostcheck_facts *facts)
{
    char out[2048], err[256];
    unsigned long v[4];
    char *const argv[] = { "amazon-ssm-agent", "-version", NULL };

    if (!is_executable_file(path))
        return false;
    facts->agent_installed = 1;
    snprintf(facts->agent_source, sizeof facts->agent_source, "%s", source);
    snprintf(facts->agent_path, sizeof facts->agent_path, "%s", path);
    int rc = hostcheck_exec(path, argv, timeout_ms, out, sizeof out, err, sizeof err);
    const char *tag = ci_find(out, "SSM Agent version:");
    if (rc != -2 && tag && hostcheck_version_parse(tag, v) == 4) {
        snprintf(facts->agent_version, sizeof facts->agent_version, "%lu.%lu.%lu.%lu", v[0],
                 v[1], v[2], v[3]);
        return true;
    }
    snprintf(facts->agent_error, sizeof facts->agent_error, "%.80s -version: %.160s", path,
             err[0] ? err : "no \"SSM Agent version:\" line in its output");
    return true;
}

/* Debian's package database is a text file: no need to run dpkg-query,
 * and it works for a mounted image too. */
static bool version_from_dpkg(const char *root, struct hostcheck_facts *facts)
{
    char path[4096], *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool in_pkg = false, installed = false, done = false;
    char version[64] = "";
    FILE *f = fopen(rpath(root, "/var/lib/dpkg/status", path, sizeof path), "r");

    if (!f)
        return false;
    while (!done && (n = getline(&line, &cap, f)) >= 0) {
        chomp(line);
        if (line[0] == '\0') { /* end of a paragraph */
            done = in_pkg;
            if (!done)
                installed = false, version[0] = '\0';
            continue;
        }
        if (strncmp(line, "Package: ", 9) == 0)
            in_pkg = strcmp(line + 9, "amazon-ssm-agent") == 0;
        else if (strncmp(line, "Status: ", 8) == 0) {
            size_t l = strlen(line);
            installed = l >= 10 && strcmp(line + l - 10, " installed") == 0;
        } else if (strncmp(line, "Version: ", 9) == 0)
            snprintf(version, sizeof version, "%s", line + 9);
    }
    free(line);
    fclose(f);
    if (!in_pkg || !installed)
        return false;
    facts->agent_installed = 1;
    snprintf(facts->agent_source, sizeof facts->agent_source, "dpkg");
    snprintf(facts->agent_path, sizeof facts->agent_path, "%s", path);
    unsigned long v[4];
    if (hostcheck_version_parse(version, v) > 0)
        snprintf(facts->agent_version, sizeof facts->agent_version, "%lu.%lu.%lu.%lu", v[0],
                 v[1], v[2], v[3]);
    return true;
}

static bool version_from_rpm(int timeout_ms, struct hostcheck_facts *facts)
{
    static const char *const rpms[] = { "/usr/bin/rpm", "/bin/rpm" };
    char *const argv[] = { "rpm", "-q", "--qf", "%{VERSION}\n", "amazon-ssm-agent", NULL };
    char out[512], err[256];
    unsigned long v[4];

    for (size_t i = 0; i < sizeof rpms / sizeof rpms[0]; i++) {
        if (!is_executable_file(rpms[i]))
            continue;
        if (hostcheck_exec(rpms[i], argv, timeout_ms, out, sizeof out, err, sizeof err) != 0)
            return false; /* "package amazon-ssm-agent is not installed" */
        if (hostcheck_version_parse(out, v) <= 0)
            return false;
        facts->agent_installed = 1;
        snprintf(facts->agent_source, sizeof facts->agent_source, "rpm");
        snprintf(facts->agent_path, sizeof facts->agent_path, "%s", rpms[i]);
        snprintf(facts->agent_version, sizeof facts->agent_version, "%lu.%lu.%lu.%lu", v[0],
                 v[1], v[2], v[3]);
        return true;
    }
    return false;
}

static void check_agent(const struct hostcheck_opts *o, const char *root,
                        struct hostcheck_facts *facts)
{
    char path[4096];
    int tmo = o->exec_timeout_ms > 0 ? o->exec_timeout_ms : HOSTCHECK_EXEC_TIMEOUT_MS;
    bool rpm = o->use_rpm < 0 ? is_live_root(root) : o->use_rpm > 0;

    facts->agent_installed = 0;
    if (version_from_binary(rpath(root, AGENT_BIN, path, sizeof path), "binary", tmo, facts) &&
        facts->agent_version[0])
        return;
    if (!facts->agent_installed &&
        version_from_binary(rpath(root, AGENT_SNAP_BIN, path, sizeof path), "snap", tmo, facts) &&
        facts->agent_version[0])
        return;
    /* The binary is missing or did not say: ask the package databases. */
    struct hostcheck_facts pkg;
    memset(&pkg, 0, sizeof pkg);
    if (version_from_dpkg(root, &pkg) || (rpm && version_from_rpm(tmo, &pkg))) {
        bool had_binary = facts->agent_installed == 1;
        facts->agent_installed = 1;
        snprintf(facts->agent_version, sizeof facts->agent_version, "%s", pkg.agent_version);
        if (!had_binary || pkg.agent_version[0]) {
            snprintf(facts->agent_source, sizeof facts->agent_source, "%s", pkg.agent_source);
            snprintf(facts->agent_path, sizeof facts->agent_path, "%s", pkg.agent_path);
        }
        if (pkg.agent_version[0])
            facts->agent_error[0] = '\0';
    }
}

/* A process named amazon-ssm-agent. The kernel keeps 15 characters of the
 * name in comm ("amazon-ssm-agen"), so argv[0] confirms it. */
static void check_running(const struct hostcheck_opts *o, const char *root,
                          struct hostcheck_facts *facts)
{
    char procdir[4096], path[4096 + 300], buf[512];
    struct stat st;
    DIR *d;
    struct dirent *de;
    int seen = 0;

    facts->agent_running = -1;
    facts->agent_pid = 0;
    if (o->procdir)
        snprintf(procdir, sizeof procdir, "%s", o->procdir);
    else
        rpath(root, "/proc", procdir, sizeof procdir);
    if (stat(procdir, &st) < 0 || !S_ISDIR(st.st_mode) || !(d = opendir(procdir))) {
        snprintf(facts->running_note, sizeof facts->running_note,
                 "no process table at %.160s", procdir);
        return;
    }
    while ((de = readdir(d))) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end || pid <= 0)
            continue;
        seen++;
        snprintf(path, sizeof path, "%s/%s/comm", procdir, de->d_name);
        if (read_small(path, buf, sizeof buf) < 0)
            continue;
        chomp(buf);
        if (strcmp(buf, "amazon-ssm-agen") != 0 && strcmp(buf, "amazon-ssm-agent") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s/cmdline", procdir, de->d_name);
        ssize_t n = read_small(path, buf, sizeof buf);
        if (n > 0) {
            const char *base = strrchr(buf, '/');
            base = base ? base + 1 : buf;
            if (strcmp(base, "amazon-ssm-agent") != 0)
                continue;
        }
        facts->agent_running = 1;
        facts->agent_pid = pid;
        snprintf(facts->running_note, sizeof facts->running_note, "process %ld in %.120s", pid,
                 procdir);
        break;
    }
    closedir(d);
    if (facts->agent_running == 1)
        return;
    /* With hidepid=2 an unprivileged user sees only its own processes:
     * pid 1 missing from a real procfs means "cannot tell". */
    snprintf(path, sizeof path, "%s/self", procdir);
    char one[4096 + 8];
    snprintf(one, sizeof one, "%s/1", procdir);
    if (stat(path, &st) == 0 && stat(one, &st) < 0) {
        snprintf(facts->running_note, sizeof facts->running_note,
                 "%.100s hides other users' processes (hidepid); run as root to check", procdir);
        return;
    }
    facts->agent_running = 0;
    snprintf(facts->running_note, sizeof facts->running_note,
             "no amazon-ssm-agent among %d processes in %.120s", seen, procdir);
}

static void check_ssm_user(const char *root, struct hostcheck_facts *facts)
{
    char path[4096], *line = NULL;
    size_t cap = 0;
    FILE *f = fopen(rpath(root, "/etc/passwd", path, sizeof path), "r");

    facts->ssm_user = -1;
    if (!f)
        return;
    facts->ssm_user = 0;
    while (getline(&line, &cap, f) >= 0)
        if (strncmp(line, "ssm-user:", 9) == 0) {
            facts->ssm_user = 1;
            break;
        }
    free(line);
    fclose(f);
}

/* EC2 from DMI: sys_vendor "Amazon EC2" (Nitro), "amazon" in the Xen BIOS
 * version, an i-… asset tag, or a Xen hypervisor uuid starting "ec2". */
static void check_dmi(const char *root, struct hostcheck_facts *facts)
{
    static const struct {
        const char *file;
        const char *needle;
        bool prefix;
    } probes[] = {
        { "/sys/class/dmi/id/sys_vendor", "Amazon EC2", true },
        { "/sys/class/dmi/id/board_asset_tag", "i-", true },
        { "/sys/class/dmi/id/bios_vendor", "Amazon EC2", true },
        { "/sys/class/dmi/id/bios_version", "amazon", false },
        { "/sys/hypervisor/uuid", "ec2", true },
    };
    char path[4096], buf[256];
    bool any = false;

    facts->dmi_ec2 = -1;
    facts->dmi_note[0] = '\0';
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
        if (read_small(rpath(root, probes[i].file, path, sizeof path), buf, sizeof buf) < 0)
            continue;
        chomp(buf);
        any = true;
        bool hit = probes[i].prefix
                       ? strncasecmp(buf, probes[i].needle, strlen(probes[i].needle)) == 0
                       : ci_find(buf, probes[i].needle) != NULL;
        if (hit) {
            facts->dmi_ec2 = 1;
            snprintf(facts->dmi_note, sizeof facts->dmi_note, "%s: %.60s", probes[i].file, buf);
            return;
        }
    }
    if (any) {
        facts->dmi_ec2 = 0;
        snprintf(facts->dmi_note, sizeof facts->dmi_note, "no Amazon EC2 mark in DMI");
    }
}

void hostcheck_run(const struct hostcheck_opts *o, struct hostcheck_facts *facts)
{
    const char *root = o->root && *o->root ? o->root : "/";
    char path[4096];

    memset(facts, 0, sizeof *facts);
    snprintf(facts->root, sizeof facts->root, "%s", root);
    facts->now = o->now ? o->now : time(NULL);
    facts->agent_installed = facts->agent_running = facts->ssm_user = facts->dmi_ec2 = -1;
    check_os(root, facts);
    check_agent(o, root, facts);
    check_running(o, root, facts);
    check_ssm_user(root, facts);
    discover_read_registration(root, &facts->registration);
    check_dmi(root, facts);
    hostcheck_scan_log(rpath(root, ERRORS_LOG, path, sizeof path), facts);
}

void hostcheck_fill_context(const struct hostcheck_facts *facts, struct host_context *h)
{
    h->checked = true;
    snprintf(h->os, sizeof h->os, "%s", facts->os_pretty);
    snprintf(h->agent_version, sizeof h->agent_version, "%s", facts->agent_version);
    h->agent_running = facts->agent_running;
    h->ssm_user = facts->ssm_user;
    snprintf(h->os_id, sizeof h->os_id, "%s", facts->os_id);
    snprintf(h->os_version_id, sizeof h->os_version_id, "%s", facts->os_version_id);
    h->os_supported = facts->os_support == HC_OS_SUPPORTED     ? 1
                      : facts->os_support == HC_OS_UNSUPPORTED ? 0
                                                               : -1;
    h->agent_installed = facts->agent_installed;
    snprintf(h->agent_source, sizeof h->agent_source, "%s", facts->agent_source);
    h->agent_pid = facts->agent_pid;
    h->hybrid_registration = !facts->registration.present ? 0
                             : facts->registration.parsed ? 1
                                                          : -1;
    if (facts->registration.present && !facts->registration.parsed)
        h->hybrid_registration = 1; /* there, though unreadable to us */
    snprintf(h->managed_instance_id, sizeof h->managed_instance_id, "%s",
             facts->registration.instance_id);
    h->nlog_lines = facts->nlog;
    memcpy(h->log_lines, facts->log, sizeof h->log_lines);
}

/* ------------------------------------------------------------- findings */

static struct finding *add(struct report *r, enum status sev, const char *code, int *count,
                           const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static struct finding *add(struct report *r, enum status sev, const char *code, int *count,
                           const char *hint, const char *fmt, ...)
{
    va_list ap;
    struct finding *f = report_add_finding(r, sev, code);
    if (!f)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    snprintf(f->hint, sizeof f->hint, "%s", hint);
    (*count)++;
    return f;
}

static const char *log_hint(const char *kind)
{
    static const struct {
        const char *kind, *hint;
    } hints[] = {
        { "dns", "the agent cannot resolve the endpoints: check /etc/resolv.conf, the VPC "
                 "DNS settings (enableDnsSupport/enableDnsHostnames) and, with VPC endpoints, "
                 "their private DNS names" },
        { "tcp_timeout", "connections to the endpoints time out: security group egress, "
                         "NACL, route to an internet/NAT gateway, or the VPC endpoint "
                         "security group's inbound 443" },
        { "tcp_refused", "a firewall or proxy refuses the connection: check the proxy and "
                         "the host firewall" },
        { "tcp_unreachable", "no route to the endpoints: check the route table and the "
                             "host firewall" },
        { "tcp_reset", "connections are reset: a firewall or TLS-inspecting device" },
        { "proxy", "the agent's proxy (https_proxy in its systemd drop-in) failed: check "
                   "the proxy address and that it allows CONNECT to port 443" },
        { "tls", "certificate verification failed: a TLS-inspecting proxy, or the Amazon "
                 "root CAs missing from the system trust store" },
        { "clock_skew", "the clock is off by more than 5 minutes: enable chrony or "
                        "systemd-timesyncd with the Amazon Time Sync Service 169.254.169.123" },
        { "no_instance_profile", "attach an instance profile with "
                                 "AmazonSSMManagedInstanceCore, or enable Default Host "
                                 "Management Configuration; then restart the agent" },
        { "dhmc_not_configured", "enable Default Host Management Configuration in this "
                                 "Region, or attach an instance profile" },
        { "access_denied", "the role lacks Session Manager permissions: attach "
                           "AmazonSSMManagedInstanceCore (see `ssmprobe policy`)" },
        { "imds", "the agent cannot use IMDS: check the hop limit (2 in containers), "
                  "IMDSv2 settings, and that no_proxy holds 169.254.169.254" },
        { "control_channel", "the ssmmessages control channel fails: ssmmessages must be "
                             "reachable (endpoint or internet) and the role needs the "
                             "ssmmessages:*Channel actions" },
        { "credentials", "the agent has no credentials: instance profile, DHMC or (hybrid) "
                         "the registration's role" },
        { "hibernate", "the agent hibernated because it cannot reach Systems Manager: fix "
                       "the other errors, then restart the agent" },
    };
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (strcmp(kind, hints[i].kind) == 0)
            return hints[i].hint;
    return "the agent cannot reach Systems Manager: see the network results above";
}

/* Seconds between a log time (local) and now; -1 when unknown. */
static long log_age(const char *t, time_t now)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (sscanf(t, "%4d-%2d-%2d %2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    time_t when = mktime(&tm);
    if (when == (time_t)-1)
        return -1;
    return now >= when ? (long)(now - when) : 0;
}

static void report_log(const struct hostcheck_facts *facts, struct report *r, int *count)
{
    const struct host_log_line *last = &facts->log[facts->nlog - 1];
    long age = log_age(last->time, facts->now);
    enum status sev = age >= 0 && age <= HOSTCHECK_LOG_RECENT_S ? STATUS_WARN : STATUS_INFO;
    struct finding *f = add(r, sev, "agent_log_errors", count, log_hint(last->kind),
                            "%d connectivity error line%s in %s", facts->log_matches,
                            facts->log_matches == 1 ? "" : "s", facts->log_path);
    if (!f)
        return;
    size_t used = strlen(f->message);
    if (age >= 0)
        used += (size_t)snprintf(f->message + used, sizeof f->message - used,
                                 ", newest %ld min ago", age / 60);
    /* Newest first, each shortened so that several fit. */
    for (int i = facts->nlog - 1; i >= 0 && used + 40 < sizeof f->message; i--) {
        int w = snprintf(f->message + used, sizeof f->message - used, "%s[%s] %.*s",
                         i == facts->nlog - 1 ? ": " : " | ",
                         facts->log[i].time[0] ? facts->log[i].time : "?",
                         facts->nlog > 1 ? 110 : 300, facts->log[i].text);
        if (w < 0 || (size_t)w >= sizeof f->message - used) {
            f->message[sizeof f->message - 1] = '\0';
            break;
        }
        used += (size_t)w;
    }
}

int hostcheck_report(const struct hostcheck_facts *facts, int on_ec2, struct report *r)
{
    int count = 0;
    char missing[MSG_LEN];
    enum status worst;

    if (on_ec2 < 0)
        on_ec2 = facts->dmi_ec2;

    if (facts->os_support == HC_OS_UNSUPPORTED || facts->os_support == HC_OS_UNLISTED)
        add(r, facts->os_support == HC_OS_UNSUPPORTED ? STATUS_WARN : STATUS_INFO,
            "os_unsupported", &count,
            "see \"Supported operating systems\" in the Systems Manager user guide; "
            "move to a supported release if the agent misbehaves",
            "%s (%s): %s", facts->os_pretty, facts->os_id, facts->os_note);

    if (facts->agent_installed == 0) {
        add(r, STATUS_FAIL, "agent_not_installed", &count,
            "install SSM Agent: the distribution's package (amazon-ssm-agent rpm/deb) or, on "
            "Ubuntu, sudo snap install amazon-ssm-agent --classic; then enable and start it",
            "SSM Agent is not installed under %s (no %s, no snap, no package)", facts->root,
            AGENT_BIN);
    } else if (facts->agent_installed == 1) {
        if (facts->agent_version[0] &&
            hostcheck_missing_features(facts->agent_version, missing, sizeof missing, &worst))
            add(r, worst, "agent_version_low", &count,
                "update SSM Agent (Run Command document AWS-UpdateSSMAgent, the package "
                "manager, or snap refresh amazon-ssm-agent), then restart it",
                "SSM Agent %s lacks: %s", facts->agent_version, missing);
        if (facts->agent_running == 0)
            add(r, STATUS_FAIL, "agent_not_running", &count,
                "start it: sudo systemctl enable --now amazon-ssm-agent (snap: sudo snap start "
                "--enable amazon-ssm-agent); if it stops again, read "
                "/var/log/amazon/ssm/amazon-ssm-agent.log",
                "SSM Agent %s is installed but not running (%s)",
                facts->agent_version[0] ? facts->agent_version : "(version unknown)",
                facts->running_note);
        if (facts->ssm_user == 0) {
            /* 2.3.50.0 up to 2.3.612.0 create ssm-user when the agent starts;
             * newer agents at the first session, so its absence is normal. */
            bool at_start = facts->agent_version[0] &&
                            hostcheck_version_cmp(facts->agent_version, "2.3.612.0") < 0 &&
                            hostcheck_version_cmp(facts->agent_version, "2.3.50.0") >= 0;
            if (at_start)
                add(r, STATUS_WARN, "ssm_user_missing", &count,
                    "restart the agent (it creates ssm-user at start); check that useradd "
                    "works and /etc/passwd is writable",
                    "ssm-user is missing from /etc/passwd although SSM Agent %s creates it "
                    "when it starts", facts->agent_version);
            else
                add(r, STATUS_INFO, "ssm_user_missing", &count,
                    "nothing to do unless sessions fail to start: then check that useradd "
                    "works, or set Run As in the Session Manager preferences",
                    "ssm-user is not in /etc/passwd yet; SSM Agent %s creates it at the "
                    "first session",
                    facts->agent_version[0] ? facts->agent_version : "2.3.612.0 or later");
        }
    }

    const struct discover_registration *reg = &facts->registration;
    if (reg->present && on_ec2 == 1) {
        struct finding *f = add(
            r, STATUS_WARN, "hybrid_registration_on_ec2", &count,
            "if this instance should be managed as EC2: deregister the managed node (aws ssm "
            "deregister-managed-instance), delete the registration file and "
            "/var/lib/amazon/ssm/Vault, then restart the agent",
            "%s exists on an EC2 instance: the agent uses the on-premises identity first "
            "and registers as %s, not as the instance id%s",
            reg->path, reg->instance_id[0] ? reg->instance_id : "a managed instance (mi-…)",
            reg->region[0] ? "" : " (region unknown)");
        if (f && reg->instance_id[0])
            finding_add_target(f, reg->instance_id);
    }

    if (facts->nlog > 0)
        report_log(facts, r, &count);
    return count;
}
