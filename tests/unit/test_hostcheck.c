/* test_hostcheck.c — host checks over fixture roots (tests/fixtures/hostN):
 * OS classification, agent version (binary, snap, dpkg, timeout), running,
 * ssm-user, registration, DMI, errors.log, and the findings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostcheck.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *fixture(const char *rel, char *buf, size_t len)
{
    const char *troot = getenv("TESTS_ROOT");
    snprintf(buf, len, "%s/fixtures/%s", troot && *troot ? troot : "tests", rel);
    return buf;
}

static time_t local_time(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    sscanf(s, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
           &tm.tm_min, &tm.tm_sec);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- versions -------------------------------------------------------- */

static void test_version_parse(void **state)
{
    static const struct {
        const char *in;
        int n;
        unsigned long v[4];
    } cases[] = {
        { "3.3.40.0", 4, { 3, 3, 40, 0 } },
        { "SSM Agent version: 3.2.582.0", 4, { 3, 2, 582, 0 } },
        { "ssm agent Version:3.0.1124.0\n", 4, { 3, 0, 1124, 0 } },
        { "3.0.655.0-1", 4, { 3, 0, 655, 0 } },
        { "1:3.1.0.0~rc1", 4, { 3, 1, 0, 0 } },
        { "2.3", 2, { 2, 3, 0, 0 } },
        { "10", 1, { 10, 0, 0, 0 } },
        { "3.3.40.0.7", -1, { 0 } },
        { "", -1, { 0 } },
        { "v3.3.40.0", -1, { 0 } },
        { "3.3.40.0abc", -1, { 0 } },
        { "3..1", -1, { 0 } },
        { "999999999999.1", -1, { 0 } },
    };
    unsigned long v[4];

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        int n = hostcheck_version_parse(cases[i].in, v);
        if (n != cases[i].n)
            fail_msg("'%s': %d fields, want %d", cases[i].in, n, cases[i].n);
        if (n > 0)
            for (int k = 0; k < 4; k++)
                assert_int_equal(v[k], cases[i].v[k]);
    }
    assert_int_equal(hostcheck_version_parse(NULL, v), -1);
}

static void test_version_cmp(void **state)
{
    static const struct {
        const char *a, *b;
        int sign;
    } cases[] = {
        { "3.3.40.0", "3.3.40.0", 0 },   { "3.3.40.0", "3.3.39.99", 1 },
        { "3.0.222.0", "3.0.1124.0", -1 }, { "2.3.612.0", "2.3.68.0", 1 },
        { "3.2", "3.2.0.0", 0 },         { "10.0.0.0", "9.9.9.9", 1 },
        { "junk", "1.0.0.0", -1 },       { "1.0.0.0", "junk", 1 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        int c = hostcheck_version_cmp(cases[i].a, cases[i].b);
        int s = (c > 0) - (c < 0);
        if (s != cases[i].sign)
            fail_msg("%s vs %s: %d want %d", cases[i].a, cases[i].b, s, cases[i].sign);
    }
}

static void test_missing_features(void **state)
{
    static const struct {
        const char *version;
        int count;
        enum status worst;
        const char *has, *lacks;
    } cases[] = {
        { "3.3.987.0", 0, STATUS_OK, NULL, NULL },
        { "3.3.40.0", 0, STATUS_OK, NULL, NULL },
        { "3.2.582.0", 1, STATUS_INFO, "ec2messages optional", "Default Host" },
        { "3.0.1124.0", 2, STATUS_INFO, "Default Host Management Configuration (3.2.582.0)",
          "port forwarding" },
        { "3.0.222.0", 3, STATUS_WARN, "streaming session logs", "port forwarding" },
        { "2.3.539.0", 5, STATUS_WARN, "shell profiles", "KMS" },
        { "2.3.68.0", 6, STATUS_WARN, "KMS encryption of session data (2.3.539.0)", "(2.3.68.0)" },
        { "2.3.50.0", 7, STATUS_FAIL, "Session Manager (2.3.68.0)", NULL },
        { "unknown", 0, STATUS_OK, NULL, NULL },
    };
    char out[MSG_LEN];
    enum status worst;
    size_t nf;

    (void)state;
    assert_int_equal(N(cases) - 2, hostcheck_features(&nf) ? nf : 0);
    for (size_t i = 0; i < N(cases); i++) {
        int n = hostcheck_missing_features(cases[i].version, out, sizeof out, &worst);
        if (n != cases[i].count || worst != cases[i].worst)
            fail_msg("%s: %d missing (worst %d), want %d (%d): %s", cases[i].version, n, worst,
                     cases[i].count, cases[i].worst, out);
        if (cases[i].has && !strstr(out, cases[i].has))
            fail_msg("%s: '%s' lacks '%s'", cases[i].version, out, cases[i].has);
        if (cases[i].lacks && strstr(out, cases[i].lacks))
            fail_msg("%s: '%s' has '%s'", cases[i].version, out, cases[i].lacks);
    }
}

/* ---- OS -------------------------------------------------------------- */

static void test_classify_os(void **state)
{
    static const struct {
        const char *id, *version;
        enum hostcheck_os_support want;
    } cases[] = {
        { "amzn", "2", HC_OS_SUPPORTED },        { "amzn", "2023", HC_OS_SUPPORTED },
        { "amzn", "2018.03", HC_OS_UNSUPPORTED }, { "amzn", "2027", HC_OS_UNLISTED },
        { "rhel", "7.9", HC_OS_SUPPORTED },      { "rhel", "9.4", HC_OS_SUPPORTED },
        { "rhel", "6.10", HC_OS_UNSUPPORTED },   { "rhel", "10.0", HC_OS_UNLISTED },
        { "centos", "7", HC_OS_SUPPORTED },      { "centos", "9", HC_OS_SUPPORTED },
        { "centos", "6", HC_OS_UNSUPPORTED },    { "rocky", "8.10", HC_OS_SUPPORTED },
        { "almalinux", "9.5", HC_OS_SUPPORTED }, { "ol", "7.9", HC_OS_SUPPORTED },
        { "ol", "7.4", HC_OS_UNSUPPORTED },      { "ol", "8.10", HC_OS_SUPPORTED },
        { "sles", "12.5", HC_OS_SUPPORTED },     { "sles", "15.6", HC_OS_SUPPORTED },
        { "sles", "11.4", HC_OS_UNSUPPORTED },   { "ubuntu", "16.04", HC_OS_SUPPORTED },
        { "ubuntu", "24.04", HC_OS_SUPPORTED },  { "ubuntu", "14.04", HC_OS_UNSUPPORTED },
        { "ubuntu", "16.03", HC_OS_UNSUPPORTED }, { "ubuntu", "26.04", HC_OS_UNLISTED },
        { "debian", "9", HC_OS_SUPPORTED },      { "debian", "12", HC_OS_SUPPORTED },
        { "debian", "8", HC_OS_UNSUPPORTED },    { "debian", "", HC_OS_UNLISTED },
        { "raspbian", "11", HC_OS_SUPPORTED },   { "fedora", "41", HC_OS_UNLISTED },
        { "arch", NULL, HC_OS_UNLISTED },        { "", "1", HC_OS_UNKNOWN },
        { NULL, NULL, HC_OS_UNKNOWN },
    };
    char note[192];

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        enum hostcheck_os_support s =
            hostcheck_classify_os(cases[i].id, cases[i].version, NULL, note, sizeof note);
        if (s != cases[i].want)
            fail_msg("%s %s: %d, want %d (%s)", cases[i].id ? cases[i].id : "(null)",
                     cases[i].version ? cases[i].version : "(null)", s, cases[i].want, note);
        assert_int_equal(note[0] != '\0', s == HC_OS_UNSUPPORTED || s == HC_OS_UNLISTED);
    }
}

static void test_os_release_parse(void **state)
{
    static const struct {
        const char *text, *pretty, *id, *version;
        enum hostcheck_os_support want;
    } cases[] = {
        { "NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"22.04\"\nPRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\n",
          "Ubuntu 22.04.4 LTS", "ubuntu", "22.04", HC_OS_SUPPORTED },
        { "ID='rhel'\nVERSION_ID='8.9'\nNAME='Red Hat Enterprise Linux'\n",
          "Red Hat Enterprise Linux 8.9", "rhel", "8.9", HC_OS_SUPPORTED },
        { "PRETTY_NAME=\"Say \\\"hi\\\" \\\\ OS\"\r\nID=Debian\r\nVERSION_ID=\"7\"\r\n",
          "Say \"hi\" \\ OS", "debian", "7", HC_OS_UNSUPPORTED },
        { "# comment\n\nID=\"sles\"\nVERSION_ID=\"15.5\"\n", "sles 15.5", "sles", "15.5",
          HC_OS_SUPPORTED },
        { "", "", "", "", HC_OS_UNKNOWN },
    };
    struct hostcheck_facts *f = calloc(1, sizeof *f);

    (void)state;
    assert_non_null(f);
    for (size_t i = 0; i < N(cases); i++) {
        hostcheck_parse_os_release(cases[i].text, f);
        assert_string_equal(f->os_pretty, cases[i].pretty);
        assert_string_equal(f->os_id, cases[i].id);
        assert_string_equal(f->os_version_id, cases[i].version);
        assert_int_equal(f->os_support, cases[i].want);
    }
    free(f);
}

/* ---- logs ------------------------------------------------------------ */

static void test_log_kind(void **state)
{
    static const struct {
        const char *line, *kind;
    } cases[] = {
        { "Health ping failed with error - RequestError: send request failed caused by: Post "
          "https://ssm.eu-west-1.amazonaws.com/: dial tcp: lookup ssm.eu-west-1.amazonaws.com on "
          "10.0.0.2:53: i/o timeout", "dns" },
        { "dial tcp 52.95.120.1:443: i/o timeout", "tcp_timeout" },
        { "dial tcp 52.95.120.1:443: connect: connection refused", "tcp_refused" },
        { "proxyconnect tcp: dial tcp 10.9.9.9:3128: i/o timeout", "proxy" },
        { "x509: certificate signed by unknown authority", "tls" },
        { "InvalidSignatureException: Signature expired: 20240101T000000Z is now earlier", "clock_skew" },
        { "EC2RoleRequestError: no EC2 instance role found", "no_instance_profile" },
        { "AccessDeniedException: User: arn:aws:sts::1:assumed-role/r/i-1 is not authorized to "
          "perform: ssm:UpdateInstanceInformation", "access_denied" },
        { "EC2MetadataError: failed to get IMDSv2 token and fallback to IMDSv1 is disabled", "imds" },
        { "CreateControlChannel failed with error: unexpected response", "control_channel" },
        { "Entering SSM Agent hibernate - AccessDeniedException", "access_denied" },
        { "Entering SSM Agent hibernate - something", "hibernate" },
        { "error when calling AWS APIs. error details - boom", "api_call" },
        { "INFO [MessageGatewayService] Opening websocket connection to: wss://x", NULL },
        { "ERROR [Registrar] something unrelated", NULL },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        const char *k = hostcheck_log_kind(cases[i].line);
        if ((k == NULL) != (cases[i].kind == NULL) || (k && strcmp(k, cases[i].kind) != 0))
            fail_msg("'%s': %s, want %s", cases[i].line, k ? k : "(none)",
                     cases[i].kind ? cases[i].kind : "(none)");
    }
}

static void test_sanitize(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        { "GET https://b.s3.amazonaws.com/k?X-Amz-Security-Token=SECRET1&X-Amz-Signature=SECRET2 x",
          "GET https://b.s3.amazonaws.com/k?X-Amz-Security-Token=***&X-Amz-Signature=*** x" },
        { "header X-aws-ec2-metadata-token: AQAAAsecret done", "header X-aws-ec2-metadata-token:*** done" },
        { "{\"SecretAccessKey\": \"wJalrXUtnFEMI\", \"x\": 1}", "{\"SecretAccessKey***\", \"x\": 1}" },
        { "tab\there\x01", "tab here " },
        { "plain line", "plain line" },
    };
    char out[240];
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        hostcheck_sanitize_line(cases[i].in, strlen(cases[i].in), out, sizeof out);
        assert_string_equal(out, cases[i].want);
    }
    hostcheck_sanitize_line("0123456789", 10, out, 5);
    assert_string_equal(out, "0123");
}

/* Only the tail of a big log is read; its first, partial line is skipped. */
static void test_log_tail(void **state)
{
    char path[] = "/tmp/ssmprobe-test-errors-XXXXXX";
    int fd = mkstemp(path);
    FILE *f;
    struct hostcheck_facts *facts = calloc(1, sizeof *facts);

    (void)state;
    assert_true(fd >= 0);
    assert_non_null(facts);
    f = fdopen(fd, "w");
    fprintf(f, "2020-01-01 00:00:00 ERROR dial tcp 1.1.1.1:443: i/o timeout (too old to read)\n");
    for (int i = 0; i < 4000; i++)
        fprintf(f, "2020-01-01 00:00:%02d ERROR [Other] filler line number %06d ............\n",
                i % 60, i);
    for (int i = 0; i < 8; i++)
        fprintf(f, "2020-01-02 00:00:0%d.1234 ERROR [HealthCheck] dial tcp 1.1.1.%d:443: i/o "
                   "timeout\n", i, i);
    fclose(f);
    hostcheck_scan_log(path, facts);
    unlink(path);
    assert_true(facts->log_found);
    assert_int_equal(facts->log_matches, 8);
    assert_int_equal(facts->nlog, HOSTCHECK_LOG_LINES);
    assert_string_equal(facts->log[0].time, "2020-01-02 00:00:03");
    assert_string_equal(facts->log[4].time, "2020-01-02 00:00:07");
    assert_string_equal(facts->log[4].kind, "tcp_timeout");
    assert_string_equal(facts->log[4].text, "ERROR [HealthCheck] dial tcp 1.1.1.7:443: i/o timeout");

    hostcheck_scan_log("/nonexistent/errors.log", facts);
    assert_false(facts->log_found);
    assert_int_equal(facts->nlog, 0);
    free(facts);
}

/* ---- exec ------------------------------------------------------------ */

static void test_exec(void **state)
{
    char out[64], err[256];
    char *const sh_ok[] = { "sh", "-c", "echo hello; echo world >&2; exit 3", NULL };
    char *const sh_big[] = { "sh", "-c", "i=0; while [ $i -lt 2000 ]; do echo xxxxxxxxxx; "
                                         "i=$((i+1)); done", NULL };
    char *const sh_hang[] = { "sh", "-c", "sleep 20 & sleep 20; echo never", NULL };
    char *const none[] = { "x", NULL };

    (void)state;
    assert_int_equal(hostcheck_exec("/bin/sh", sh_ok, 2000, out, sizeof out, err, sizeof err), 3);
    assert_string_equal(out, "hello\nworld\n");
    assert_non_null(strstr(err, "status 3"));

    assert_int_equal(hostcheck_exec("/bin/sh", sh_big, 5000, out, sizeof out, err, sizeof err), 0);
    assert_int_equal(strlen(out), sizeof out - 1);

    double t0 = mono_s();
    assert_int_equal(hostcheck_exec("/bin/sh", sh_hang, 300, out, sizeof out, err, sizeof err), -2);
    assert_true(mono_s() - t0 < 2.0);
    assert_non_null(strstr(err, "300 ms"));

    assert_int_equal(hostcheck_exec("/nonexistent/x", none, 1000, out, sizeof out, err, sizeof err),
                     127);
    assert_non_null(strstr(err, "could not be executed"));
}

/* ---- whole roots ----------------------------------------------------- */

struct root_case {
    const char *root;
    const char *os_pretty;
    enum hostcheck_os_support os;
    int installed;
    const char *version, *source;
    int running;
    long pid;
    int ssm_user;
    bool registration;
    int dmi;
    int nlog;
    const char *last_kind;
    /* findings with on_ec2 = -1 (DMI decides), "code:severity" */
    const char *findings[8];
};

static const struct root_case root_cases[] = {
    { "host1", "Amazon Linux 2023.6.20241212", HC_OS_SUPPORTED, 1, "3.3.40.0", "binary", 1, 812,
      1, false, 1, 2, "tcp_timeout", { "agent_log_errors:info" } },
    { "host2", "Ubuntu 14.04.6 LTS", HC_OS_UNSUPPORTED, 1, "2.3.50.0", "binary", 0, 0, 0, true, 1,
      5, "tcp_timeout",
      { "os_unsupported:warn", "agent_version_low:fail", "agent_not_running:fail",
        "ssm_user_missing:warn", "hybrid_registration_on_ec2:warn", "agent_log_errors:warn" } },
    { "host3", "Debian GNU/Linux 12 (bookworm)", HC_OS_SUPPORTED, 0, "", "", -1, 0, 0, false, -1,
      0, NULL, { "agent_not_installed:fail" } },
    { "host4", "CentOS Linux 6", HC_OS_UNSUPPORTED, 1, "3.2.582.0", "dpkg", -1, 0, -1, true, -1,
      0, NULL, { "os_unsupported:warn", "agent_version_low:info" } },
    { "host5", "Rocky Linux 9.4 (Blue Onyx)", HC_OS_SUPPORTED, 1, "3.0.1124.0", "snap", -1, 0, 1,
      false, -1, 0, NULL, { "agent_version_low:info" } },
};

static void check_findings(const char *root, struct report *r, const char *const *want)
{
    int nwant = 0;
    for (; nwant < 8 && want[nwant]; nwant++) {
        char code[48];
        const char *colon = strchr(want[nwant], ':');
        snprintf(code, sizeof code, "%.*s", (int)(colon - want[nwant]), want[nwant]);
        int hit = 0;
        for (int i = 0; i < r->nfindings; i++)
            if (strcmp(r->findings[i].code, code) == 0) {
                hit = 1;
                if (strcmp(status_name(r->findings[i].severity), colon + 1) != 0)
                    fail_msg("%s: %s is %s, want %s (%s)", root, code,
                             status_name(r->findings[i].severity), colon + 1,
                             r->findings[i].message);
                assert_true(r->findings[i].message[0] != '\0');
                assert_true(r->findings[i].hint[0] != '\0');
            }
        if (!hit)
            fail_msg("%s: no finding %s", root, code);
    }
    if (r->nfindings != nwant) {
        for (int i = 0; i < r->nfindings; i++)
            print_error("  %s: %s\n", r->findings[i].code, r->findings[i].message);
        fail_msg("%s: %d findings, want %d", root, r->nfindings, nwant);
    }
}

static void test_roots(void **state)
{
    char root[4096];
    struct hostcheck_facts *f = calloc(1, sizeof *f);

    (void)state;
    assert_non_null(f);
    for (size_t i = 0; i < N(root_cases); i++) {
        const struct root_case *c = &root_cases[i];
        struct hostcheck_opts o = {
            .root = fixture(c->root, root, sizeof root),
            .exec_timeout_ms = 400,
            .use_rpm = 0,
            .now = local_time("2026-11-29 09:40:00"),
        };
        double t0 = mono_s();
        hostcheck_run(&o, f);
        if (mono_s() - t0 > 2.0)
            fail_msg("%s: host checks took %.1f s", c->root, mono_s() - t0);
        assert_string_equal(f->os_pretty, c->os_pretty);
        assert_int_equal(f->os_support, c->os);
        if (f->agent_installed != c->installed)
            fail_msg("%s: installed %d want %d (%s)", c->root, f->agent_installed, c->installed,
                     f->agent_error);
        if (strcmp(f->agent_version, c->version) != 0)
            fail_msg("%s: version '%s' want '%s' (%s)", c->root, f->agent_version, c->version,
                     f->agent_error);
        assert_string_equal(f->agent_source, c->source);
        if (f->agent_running != c->running)
            fail_msg("%s: running %d want %d (%s)", c->root, f->agent_running, c->running,
                     f->running_note);
        assert_int_equal(f->agent_pid, c->pid);
        assert_int_equal(f->ssm_user, c->ssm_user);
        assert_int_equal(f->registration.present, c->registration);
        assert_int_equal(f->dmi_ec2, c->dmi);
        assert_int_equal(f->nlog, c->nlog);
        if (c->last_kind)
            assert_string_equal(f->log[f->nlog - 1].kind, c->last_kind);

        struct report r;
        report_init(&r);
        hostcheck_fill_context(f, &r.host);
        assert_true(r.host.checked);
        assert_string_equal(r.host.os, c->os_pretty);
        assert_string_equal(r.host.agent_version, c->version);
        assert_int_equal(r.host.agent_running, c->running);
        assert_int_equal(r.host.nlog_lines, c->nlog);
        hostcheck_report(f, -1, &r);
        check_findings(c->root, &r, c->findings);
        /* No secret from any fixture log reaches a finding or the context. */
        for (int k = 0; k < r.nfindings; k++) {
            assert_null(strstr(r.findings[k].message, "EXAMPLESECRET"));
            assert_null(strstr(r.findings[k].message, "deadbeef"));
        }
        for (int k = 0; k < r.host.nlog_lines; k++)
            assert_null(strstr(r.host.log_lines[k].text, "EXAMPLESECRET"));
        report_free(&r);
    }
    free(f);
}

/* host2 in detail: which lines, in which order, and the message. */
static void test_host2_log(void **state)
{
    char root[4096];
    struct hostcheck_facts *f = calloc(1, sizeof *f);
    struct hostcheck_opts o = { .exec_timeout_ms = 1000, .use_rpm = 0 };
    static const char *const kinds[] = { "proxy", "tls", "dhmc_not_configured", "clock_skew",
                                         "tcp_timeout" };
    struct report r;

    (void)state;
    assert_non_null(f);
    o.root = fixture("host2", root, sizeof root);
    o.now = local_time("2026-11-30 12:00:00"); /* a day later: old errors are info */
    hostcheck_run(&o, f);
    assert_int_equal(f->log_matches, 6);
    for (int i = 0; i < 5; i++)
        assert_string_equal(f->log[i].kind, kinds[i]);
    assert_string_equal(f->log[0].time, "2026-11-29 09:05:00");
    assert_non_null(strstr(f->log[1].text, "X-Amz-Security-Token=***&X-Amz-Signature=***"));
    assert_true(strncmp(f->log[4].text, "ERROR [HealthCheck]", 19) == 0);

    report_init(&r);
    hostcheck_report(f, -1, &r);
    struct finding *lf = NULL;
    for (int i = 0; i < r.nfindings; i++)
        if (strcmp(r.findings[i].code, "agent_log_errors") == 0)
            lf = &r.findings[i];
    assert_non_null(lf);
    assert_int_equal(lf->severity, STATUS_INFO);
    assert_non_null(strstr(lf->message, "6 connectivity error lines"));
    assert_non_null(strstr(lf->message, "[2026-11-29 09:30:00] ERROR [HealthCheck]"));
    assert_non_null(strstr(lf->hint, "security group"));
    /* The ssm-user finding explains why it is a warning for 2.3.50.0. */
    for (int i = 0; i < r.nfindings; i++)
        if (strcmp(r.findings[i].code, "agent_version_low") == 0)
            assert_non_null(strstr(r.findings[i].message, "Session Manager (2.3.68.0)"));
    report_free(&r);
    free(f);
}

/* IMDS knows better than DMI: on_ec2 = 1 turns a leftover registration
 * into a finding even where DMI is silent, 0 suppresses it. */
static void test_on_ec2_override(void **state)
{
    char root[4096];
    struct hostcheck_facts *f = calloc(1, sizeof *f);
    struct hostcheck_opts o = { .exec_timeout_ms = 300, .use_rpm = 0, .now = 1 };
    struct report r;
    int hybrid;

    (void)state;
    assert_non_null(f);
    o.root = fixture("host4", root, sizeof root);
    hostcheck_run(&o, f);
    for (int on_ec2 = 0; on_ec2 <= 1; on_ec2++) {
        report_init(&r);
        hostcheck_report(f, on_ec2, &r);
        hybrid = 0;
        for (int i = 0; i < r.nfindings; i++)
            if (strcmp(r.findings[i].code, "hybrid_registration_on_ec2") == 0) {
                hybrid = 1;
                assert_non_null(strstr(r.findings[i].message, "mi-…"));
            }
        assert_int_equal(hybrid, on_ec2);
        report_free(&r);
    }
    /* host2 has DMI marks but IMDS said no: no finding. */
    o.root = fixture("host2", root, sizeof root);
    hostcheck_run(&o, f);
    report_init(&r);
    hostcheck_report(f, 0, &r);
    for (int i = 0; i < r.nfindings; i++)
        assert_string_not_equal(r.findings[i].code, "hybrid_registration_on_ec2");
    report_free(&r);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_parse),
        cmocka_unit_test(test_version_cmp),
        cmocka_unit_test(test_missing_features),
        cmocka_unit_test(test_classify_os),
        cmocka_unit_test(test_os_release_parse),
        cmocka_unit_test(test_log_kind),
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_log_tail),
        cmocka_unit_test(test_exec),
        cmocka_unit_test(test_roots),
        cmocka_unit_test(test_host2_log),
        cmocka_unit_test(test_on_ec2_override),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
