/* hostextra.c — time synchronisation and client-side prerequisites. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostcheck.h"
#include "hostextra.h"
#include "msgs.h"
#include "verdict.h"

#define CLIENT_EXEC_TIMEOUT_MS 2000

static void join(const char *root, const char *path, char *out, size_t outlen)
{
    bool slash = root[0] && root[strlen(root) - 1] == '/';
    snprintf(out, outlen, "%s%s", strcmp(root, "/") == 0 ? "" : root,
             slash && path[0] == '/' ? path + 1 : path);
}

/* Read at most 64 KiB of a small text file; NULL when absent. */
static char *slurp(const char *path)
{
    struct stat st;
    FILE *f;
    if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || !(f = fopen(path, "r")))
        return NULL;
    char *buf = xmalloc(65537);
    size_t n = fread(buf, 1, 65536, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* One pass over the process table: the index in names of the first
 * process whose comm matches one of them (the lowest index wins), or -1. */
static int process_running(const char *procdir, const char *const names[], int nnames)
{
    DIR *d = opendir(procdir);
    struct dirent *de;
    int found = -1;
    int scanned = 0;
    if (!d)
        return -1;
    while (found != 0 && scanned < 100000 && (de = readdir(d))) {
        char path[4200], name[64] = "";
        FILE *f;
        if (!isdigit((unsigned char)de->d_name[0]))
            continue;
        scanned++;
        snprintf(path, sizeof path, "%s/%s/comm", procdir, de->d_name);
        if (!(f = fopen(path, "r")))
            continue;
        if (fgets(name, sizeof name, f)) {
            name[strcspn(name, "\n")] = '\0';
            for (int i = 0; i < nnames; i++)
                if (strcmp(name, names[i]) == 0 && (found < 0 || i < found))
                    found = i;
        }
        fclose(f);
    }
    closedir(d);
    return found;
}

void timesync_check(const char *root, const char *procdir, struct timesync_facts *out)
{
    static const char *const chrony_confs[] = {"/etc/chrony.conf", "/etc/chrony/chrony.conf"};
    char path[4200];
    memset(out, 0, sizeof *out);
    out->synchronized = -1;

    /* comm is cut to 15 characters: "systemd-timesyn". */
    static const char *const comms[] = {"chronyd", "systemd-timesyn", "ntpd"};
    static const char *const services[] = {"chrony", "systemd-timesyncd", "ntpd"};
    int which = process_running(procdir, comms, 3);
    if (which >= 0)
        snprintf(out->service, sizeof out->service, "%s", services[which]);

    /* systemd-timesyncd (and systemd's NTP accounting) touch this file once
     * the clock is synchronised. */
    join(root, "/run/systemd/timesync/synchronized", path, sizeof path);
    if (access(path, F_OK) == 0)
        out->synchronized = 1;
    else if (strcmp(out->service, "systemd-timesyncd") == 0)
        out->synchronized = 0;

    for (size_t i = 0; i < sizeof chrony_confs / sizeof chrony_confs[0]; i++) {
        join(root, chrony_confs[i], path, sizeof path);
        char *text = slurp(path);
        if (!text)
            continue;
        snprintf(out->config, sizeof out->config, "%s", chrony_confs[i]);
        out->amazon_source = strstr(text, "169.254.169.123") || strstr(text, "fd00:ec2::123");
        free(text);
        break;
    }
    if (!out->config[0]) {
        join(root, "/etc/systemd/timesyncd.conf", path, sizeof path);
        char *text = slurp(path);
        if (text) {
            snprintf(out->config, sizeof out->config, "/etc/systemd/timesyncd.conf");
            out->amazon_source = strstr(text, "169.254.169.123") || strstr(text, "fd00:ec2::123");
            free(text);
        }
    }
}

bool clienttools_parse_aws_version(const char *text, char *out, size_t outlen)
{
    const char *p = strstr(text, "aws-cli/");
    if (!p)
        return false;
    p += 8;
    size_t n = strspn(p, "0123456789.");
    if (n == 0 || n >= outlen)
        return false;
    memcpy(out, p, n);
    out[n] = '\0';
    return true;
}

static void find_tool(const char *root, const char *name, struct client_tool *t)
{
    static const char *const dirs[] = {"/usr/local/bin", "/usr/bin", "/bin", "/snap/bin",
                                       "/usr/local/sessionmanagerplugin/bin"};
    char path[4200];
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char rel[200];
        snprintf(rel, sizeof rel, "%s/%s", dirs[i], name);
        join(root, rel, path, sizeof path);
        if (access(path, X_OK) == 0) {
            t->found = true;
            snprintf(t->path, sizeof t->path, "%s", rel);
            return;
        }
    }
}

void clienttools_check(const char *root, struct client_facts *out)
{
    char path[4200], text[512], err[200];
    memset(out, 0, sizeof *out);

    find_tool(root, "aws", &out->aws_cli);
    if (out->aws_cli.found) {
        join(root, out->aws_cli.path, path, sizeof path);
        char *argv[] = {path, (char *)"--version", NULL};
        if (hostcheck_exec(path, argv, CLIENT_EXEC_TIMEOUT_MS, text, sizeof text, err, sizeof err) >= 0)
            clienttools_parse_aws_version(text, out->aws_cli.version, sizeof out->aws_cli.version);
    }
    find_tool(root, "session-manager-plugin", &out->plugin);
    if (out->plugin.found) {
        join(root, out->plugin.path, path, sizeof path);
        char *argv[] = {path, (char *)"--version", NULL};
        if (hostcheck_exec(path, argv, CLIENT_EXEC_TIMEOUT_MS, text, sizeof text, err, sizeof err) >= 0) {
            size_t n = strspn(text, "0123456789.");
            if (n > 0 && n < sizeof out->plugin.version) {
                memcpy(out->plugin.version, text, n);
                out->plugin.version[n] = '\0';
            }
        }
    }
}

static void tool_finding(struct report *r, const char *what, const struct client_tool *t,
                         const char *minimum, const char *hint)
{
    if (!t->found)
        return;
    bool low = t->version[0] && verdict_version_cmp(t->version, minimum) < 0;
    struct finding *f = report_add_finding(r, STATUS_INFO, "client_prerequisites");
    snprintf(f->message, sizeof f->message, "%s %s at %s%s%s", what,
             t->version[0] ? t->version : "(version unknown)", t->path,
             low ? ": older than " : "", low ? minimum : "");
    snprintf(f->hint, sizeof f->hint, "%s", low ? hint : "nothing to change on this side");
}

void timesync_describe(const struct timesync_facts *ts, char *out, size_t outlen)
{
    if (!ts->service[0] && ts->synchronized != 1) {
        snprintf(out, outlen, "no time synchronisation service runs (chrony, systemd-timesyncd,"
                 " ntpd)");
        return;
    }
    snprintf(out, outlen, "clock kept by %s%s%s%s%s", ts->service[0] ? ts->service : "an NTP client",
             ts->synchronized == 1 ? ", synchronised" : ts->synchronized == 0 ? ", not synchronised" : "",
             ts->config[0] ? (ts->amazon_source ? ", Amazon Time Sync in " : ", no Amazon Time Sync in ")
                           : "",
             ts->config[0] ? ts->config : "", "");
}

void hostextra_report(const struct client_facts *cf, struct report *r)
{
    if (cf) {
        tool_finding(r, "AWS CLI", &cf->aws_cli, "1.16.12",
                     "update the AWS CLI to 1.16.12 or later to start sessions");
        tool_finding(r, "session-manager-plugin", &cf->plugin, "1.2.764.0",
                     "update the Session Manager plugin to 1.2.764.0 or later");
    }
}
