/* test_imds.c — the IMDS client: URL parsing, the credentials scanner and
 * classification, CIDR lists, the EC2 guess, and every mode of the fake IMDS
 * (tests/lib/fake_imds.py, started here and killed by PID), including that
 * no token or credential string ever reaches a result, context or finding. */
#define _GNU_SOURCE 1   /* memmem */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "imds.h"

#define SEC 1000000000ULL

/* The fake secrets of tests/lib/fake_imds.py. */
static const char *const secrets[] = {
    "AQAEAFakeImdsTokenDoNotPrint0123456789abcdefXYZ==",
    "FakeImdsToken",
    "ASIAFAKEACCESSKEYID77",
    "wJalrXUtnFakeSecretAccessKeyDoNotPrint42",
    "FakeSecretAccessKey",
    "IQoJb3JpZ2luX2VjFakeSessionTokenDoNotPrint0987654321",
    "FakeSessionToken",
};

/* ---- URL ----------------------------------------------------------------- */

static void test_url_ok(void **state)
{
    (void)state;
    static const struct { const char *url, *endpoint, *host; int family, port; } ok[] = {
        {"http://169.254.169.254", "169.254.169.254:80", "169.254.169.254", AF_INET, 80},
        {"http://169.254.169.254/", "169.254.169.254:80", "169.254.169.254", AF_INET, 80},
        {"HTTP://169.254.169.254:80", "169.254.169.254:80", "169.254.169.254", AF_INET, 80},
        {"http://127.0.0.1:8080", "127.0.0.1:8080", "127.0.0.1:8080", AF_INET, 8080},
        {"http://[fd00:ec2::254]", "[fd00:ec2::254]:80", "[fd00:ec2::254]", AF_INET6, 80},
        {"http://[fd00:ec2::254]/", "[fd00:ec2::254]:80", "[fd00:ec2::254]", AF_INET6, 80},
        {"http://[::1]:65535", "[::1]:65535", "[::1]:65535", AF_INET6, 65535},
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        struct sockaddr_storage sa;
        char ep[80], host[80], err[200] = "";
        int rc = imds_parse_url(ok[i].url, &sa, ep, sizeof ep, host, sizeof host, err, sizeof err);
        if (rc != 0)
            fail_msg("%s: %s", ok[i].url, err);
        assert_string_equal(ep, ok[i].endpoint);
        assert_string_equal(host, ok[i].host);
        assert_int_equal(sa.ss_family, ok[i].family);
        int port = ntohs(ok[i].family == AF_INET ? ((struct sockaddr_in *)&sa)->sin_port
                                                 : ((struct sockaddr_in6 *)&sa)->sin6_port);
        assert_int_equal(port, ok[i].port);
    }
}

static void test_url_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "169.254.169.254", "https://169.254.169.254", "http://", "http://metadata.google",
        "http://instance-data", "http://169.254.169.254/latest/", "http://169.254.169.254:0",
        "http://169.254.169.254:65536", "http://169.254.169.254:", "http://169.254.169.254:80x",
        "http://user@169.254.169.254", "http://169.254.169.254?x=1", "http://[fd00:ec2::254",
        "http://[zz::1]", "http://[]", "http://1.2.3", "http://1.2.3.4.5", "http://256.1.1.1",
        "http://[fd00:ec2::254]x", "http://169.254.169.254:8080/path",
        "http://0x7f.0.0.1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct sockaddr_storage sa;
        char ep[80], host[80], err[200] = "";
        int rc = imds_parse_url(bad[i], &sa, ep, sizeof ep, host, sizeof host, err, sizeof err);
        if (rc != -1)
            fail_msg("accepted '%s'", bad[i]);
        assert_true(strlen(err) > 10);
    }
    /* imds_run refuses it too, with the reason in error. */
    struct imds_result r;
    assert_int_equal(imds_run("http://metadata.example", SEC, SEC, &r), -1);
    assert_non_null(strstr(r.error, "metadata.example"));
}

/* ---- JSON scanner and credentials ----------------------------------------- */

static void test_json_strings(void **state)
{
    (void)state;
    const char *doc = "{ \"a\": {\"Code\": \"nested\", \"x\": [1, \"]}\", {}]}, \"Code\" : "
                      "\"Su\\u0063cess\\\"x\", \"n\": -1.5e3, \"t\": true, \"z\": null, "
                      "\"Expiration\": \"2030-01-01T00:00:00Z\" }\n";
    char c[32], e[32];
    static const char *const keys[] = {"Code", "Expiration"};
    char *const outs[] = {c, e};
    const size_t lens[] = {sizeof c, sizeof e};
    assert_int_equal(imds_json_strings(doc, strlen(doc), keys, outs, lens, 2), 0);
    assert_string_equal(c, "Su?cess\"x");   /* \u escapes are not decoded */
    assert_string_equal(e, "2030-01-01T00:00:00Z");

    static const char *const bad[] = {
        "", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":\"x}", "{\"a\":1} x",
        "{\"a\":\"\\q\"}", "{\"a\":[1,2}", "{\"a\":\"\\u12\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (imds_json_strings(bad[i], strlen(bad[i]), keys, outs, lens, 2) != -1)
            fail_msg("accepted '%s'", bad[i]);
    /* Truncation of a long value. */
    char small[8];
    char *const o2[] = {small};
    const size_t l2[] = {sizeof small};
    const char *d2 = "{\"Code\":\"abcdefghijklmnop\"}";
    assert_int_equal(imds_json_strings(d2, strlen(d2), keys, o2, l2, 1), 0);
    assert_string_equal(small, "abcdefg");
}

static void test_classify_credentials(void **state)
{
    (void)state;
    time_t now = imds_parse_iso8601("2026-11-29T10:00:00Z");
    assert_true(now > 0);
    char code[48], exp[32];
    long ago;
    const char *ok = "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"2026-11-29T09:00:00Z\",\n"
                     "  \"Type\" : \"AWS-HMAC\",\n  \"AccessKeyId\" : \"ASIAFAKEACCESSKEYID77\",\n"
                     "  \"SecretAccessKey\" : \"wJalrXUtnFakeSecretAccessKeyDoNotPrint42\",\n"
                     "  \"Token\" : \"IQoJb3JpZ2luX2VjFakeSessionTokenDoNotPrint0987654321\",\n"
                     "  \"Expiration\" : \"2026-11-29T16:00:00Z\"\n}";
    assert_string_equal(imds_classify_credentials(ok, strlen(ok), now, code, sizeof code, exp,
                                                  sizeof exp, &ago), "ok");
    assert_string_equal(code, "Success");
    assert_string_equal(exp, "2026-11-29T16:00:00Z");
    assert_int_equal(ago, 0);

    /* Later than the expiry: expired, and by how much. */
    assert_string_equal(imds_classify_credentials(ok, strlen(ok), now + 7 * 3600, code,
                                                  sizeof code, exp, sizeof exp, &ago), "expired");
    assert_int_equal(ago, 3600);

    const char *fail = "{\"Code\":\"AssumeRoleUnauthorizedAccess\",\"Message\":\"x\","
                       "\"LastUpdated\":\"2026-11-29T09:00:00Z\"}";
    assert_string_equal(imds_classify_credentials(fail, strlen(fail), now, code, sizeof code, exp,
                                                  sizeof exp, NULL), "missing");
    assert_string_equal(code, "AssumeRoleUnauthorizedAccess");
    assert_string_equal(exp, "");

    const char *noexp = "{\"Code\":\"Success\"}";
    assert_string_equal(imds_classify_credentials(noexp, strlen(noexp), now, NULL, 0, NULL, 0,
                                                  NULL), "ok");
    const char *badexp = "{\"Code\":\"Success\",\"Expiration\":\"tomorrow\"}";
    assert_string_equal(imds_classify_credentials(badexp, strlen(badexp), now, NULL, 0, NULL, 0,
                                                  NULL), "error");
    const char *nocode = "{\"Expiration\":\"2030-01-01T00:00:00Z\"}";
    assert_string_equal(imds_classify_credentials(nocode, strlen(nocode), now, NULL, 0, NULL, 0,
                                                  NULL), "error");
    assert_string_equal(imds_classify_credentials("<html>", 6, now, code, sizeof code, exp,
                                                  sizeof exp, NULL), "error");
    assert_string_equal(imds_classify_credentials(NULL, 0, now, NULL, 0, NULL, 0, NULL), "error");
}

static void test_iso8601(void **state)
{
    (void)state;
    assert_int_equal(imds_parse_iso8601("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(imds_parse_iso8601("2026-11-29T10:00:00Z"), 1795946400);
    assert_int_equal(imds_parse_iso8601("2026-11-29T10:00:00.123Z"), 1795946400);
    assert_int_equal(imds_parse_iso8601("2026-11-29T10:00:00+00:00"), 1795946400);
    assert_int_equal(imds_parse_iso8601("2026-11-29 10:00:00Z"), -1);
    assert_int_equal(imds_parse_iso8601("2026-13-29T10:00:00Z"), -1);
    assert_int_equal(imds_parse_iso8601("2026-11-29T10:00:00+02:00"), -1);
    assert_int_equal(imds_parse_iso8601(""), -1);
    assert_int_equal(imds_parse_iso8601(NULL), -1);
}

static void test_cidrs(void **state)
{
    (void)state;
    char out[IMDS_MAX_CIDRS][IMDS_CIDR_LEN];
    const char *b = "10.20.0.0/16\r\n  10.21.0.0/16 \nbogus\n300.1.1.1/8\n10.0.0.0/33\n"
                    "10.1.0.0\n\n172.31.0.0/16";
    assert_int_equal(imds_parse_cidrs(b, strlen(b), out, IMDS_MAX_CIDRS), 3);
    assert_string_equal(out[0], "10.20.0.0/16");
    assert_string_equal(out[1], "10.21.0.0/16");
    assert_string_equal(out[2], "172.31.0.0/16");
    assert_int_equal(imds_parse_cidrs("", 0, out, IMDS_MAX_CIDRS), 0);
    /* At most max. */
    char many[2048] = "";
    for (int i = 0; i < 40; i++) {
        char line[32];
        snprintf(line, sizeof line, "10.%d.0.0/16\n", i);
        strcat(many, line);
    }
    assert_int_equal(imds_parse_cidrs(many, strlen(many), out, IMDS_MAX_CIDRS), IMDS_MAX_CIDRS);
    assert_string_equal(out[15], "10.15.0.0/16");
    /* Only what len says. */
    assert_int_equal(imds_parse_cidrs("10.0.0.0/8\n10.1.0.0/16", 10, out, IMDS_MAX_CIDRS), 1);
}

/* ---- auto mode ------------------------------------------------------------ */

static void put_file(const char *root, const char *rel, const char *text)
{
    char path[512], cmd[600];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", path);
    assert_int_equal(system(cmd), 0);
    *slash = '/';
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_looks_like_ec2(void **state)
{
    (void)state;
    static const char *const envs[] = {"AWS_EXECUTION_ENV", "ECS_CONTAINER_METADATA_URI",
                                       "ECS_CONTAINER_METADATA_URI_V4",
                                       "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"};
    for (size_t i = 0; i < 4; i++)
        unsetenv(envs[i]);
    static const struct { const char *rel, *text; bool ec2; } cases[] = {
        {"sys/class/dmi/id/sys_vendor", "Amazon EC2\n", true},
        {"sys/class/dmi/id/sys_vendor", "QEMU\n", false},
        {"sys/class/dmi/id/sys_vendor", "Xen\n", false},
        {"sys/class/dmi/id/bios_vendor", "Amazon EC2\n", true},
        {"sys/class/dmi/id/product_version", "4.11.amazon\n", true},
        {"sys/class/dmi/id/board_asset_tag", "i-0fa4e1234567890ab\n", true},
        {"sys/class/dmi/id/board_asset_tag", "Not Specified\n", false},
        {"sys/hypervisor/uuid", "ec2e1916-9099-7caf-fd21-012345abcdef\n", true},
        {"sys/hypervisor/uuid", "EC2E1916-9099-7caf-fd21-012345abcdef\n", true},
        {"sys/hypervisor/uuid", "4e1916ec-9099-7caf-fd21-012345abcdef\n", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char root[] = "/tmp/ssmprobe-imds-root.XXXXXX";
        assert_non_null(mkdtemp(root));
        put_file(root, cases[i].rel, cases[i].text);
        if (imds_looks_like_ec2(root) != cases[i].ec2)
            fail_msg("%s = %s: expected %d", cases[i].rel, cases[i].text, cases[i].ec2);
        /* A readable non-Amazon DMI wins over the environment. */
        setenv("AWS_EXECUTION_ENV", "AWS_ECS_EC2", 1);
        assert_int_equal(imds_looks_like_ec2(root), cases[i].ec2);
        unsetenv("AWS_EXECUTION_ENV");
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        assert_int_equal(system(cmd), 0);
    }
    /* Nothing readable: only the environment decides. */
    char root[] = "/tmp/ssmprobe-imds-root.XXXXXX";
    assert_non_null(mkdtemp(root));
    assert_false(imds_looks_like_ec2(root));
    for (size_t i = 0; i < 4; i++) {
        setenv(envs[i], "x", 1);
        assert_true(imds_looks_like_ec2(root));
        unsetenv(envs[i]);
    }
    rmdir(root);
}

/* ---- the fake IMDS -------------------------------------------------------- */

struct fake {
    pid_t pid;
    int port;
    char dir[64];
    char url[64];
    char log[128];
};

/* Started servers, so that a failed assertion (which longjmps out of the
 * test) still has them killed by the teardown. */
static pid_t running[8];

static void track(pid_t pid, bool on)
{
    for (size_t i = 0; i < sizeof running / sizeof *running; i++) {
        if (on && running[i] == 0) {
            running[i] = pid;
            return;
        }
        if (!on && running[i] == pid) {
            running[i] = 0;
            return;
        }
    }
}

static int kill_running(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof running / sizeof *running; i++)
        if (running[i] > 0) {
            kill(running[i], SIGTERM);
            waitpid(running[i], NULL, 0);
            running[i] = 0;
        }
    return 0;
}

static bool have_python(void)
{
    return system("python3 -c 'import http.server' >/dev/null 2>&1") == 0;
}

static void fake_start_bind(struct fake *f, const char *mode, const char *bind);

static void fake_start(struct fake *f, const char *mode)
{
    fake_start_bind(f, mode, "127.0.0.1");
}

static void fake_start_bind(struct fake *f, const char *mode, const char *bind)
{
    const char *troot = getenv("TESTS_ROOT");
    char script[512], portfile[128];
    snprintf(script, sizeof script, "%s/lib/fake_imds.py", troot && *troot ? troot : "tests");
    snprintf(f->dir, sizeof f->dir, "/tmp/ssmprobe-fake-imds.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(portfile, sizeof portfile, "%s/port", f->dir);
    snprintf(f->log, sizeof f->log, "%s/requests.log", f->dir);
    f->pid = fork();
    assert_true(f->pid >= 0);
    if (f->pid == 0) {
        char errlog[160];
        snprintf(errlog, sizeof errlog, "%s/stderr.log", f->dir);
        if (!freopen("/dev/null", "r", stdin) || !freopen(errlog, "w", stdout) ||
            !freopen(errlog, "a", stderr))
            _exit(126);
        execlp("python3", "python3", script, mode, portfile, "--log", f->log, "--bind", bind,
               (char *)NULL);
        _exit(127);
    }
    track(f->pid, true);
    /* Bounded wait for the port file: 10 s at most. */
    f->port = 0;
    for (int i = 0; i < 500 && !f->port; i++) {
        FILE *pf = fopen(portfile, "r");
        if (pf) {
            if (fscanf(pf, "%d", &f->port) != 1)
                f->port = 0;
            fclose(pf);
        }
        if (!f->port) {
            int st;
            if (waitpid(f->pid, &st, WNOHANG) == f->pid) {
                track(f->pid, false);
                fail_msg("fake_imds.py %s exited (status %d)", mode, st);
            }
            struct timespec ts = {0, 20 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    if (!f->port) {
        kill(f->pid, SIGKILL);
        waitpid(f->pid, NULL, 0);
        track(f->pid, false);
        fail_msg("fake_imds.py %s wrote no port within 10 s", mode);
    }
    if (strchr(bind, ':'))
        snprintf(f->url, sizeof f->url, "http://[%s]:%d", bind, f->port);
    else
        snprintf(f->url, sizeof f->url, "http://%s:%d", bind, f->port);
}

static void fake_stop(struct fake *f)
{
    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        waitpid(f->pid, NULL, 0);
        track(f->pid, false);
        f->pid = 0;
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", f->dir);
}

/* Count log lines containing both a and b. */
static int log_count(const struct fake *f, const char *a, const char *b)
{
    FILE *fp = fopen(f->log, "r");
    if (!fp)
        return -1;
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, fp))
        if (strstr(line, a) && (!b || strstr(line, b)))
            n++;
    fclose(fp);
    return n;
}

static void assert_no_secret_in(const void *mem, size_t len, const char *what)
{
    for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++)
        if (memmem(mem, len, secrets[i], strlen(secrets[i])))
            fail_msg("secret '%s' found in %s", secrets[i], what);
}

/* Run the whole chain for a mode and check that no secret reached the
 * result, the context or the findings. */
static void run_mode(const char *mode, dur_ns per_req, dur_ns total, struct imds_result *res,
                     struct report *rep, const char *agent, bool explicit_request,
                     struct fake *keep_fake)
{
    struct fake f;
    fake_start(&f, mode);
    assert_int_equal(imds_run(f.url, per_req, total, res), 0);
    report_init(rep);
    imds_fill_context(res, &rep->imds);
    imds_report(res, agent, explicit_request, rep);
    assert_no_secret_in(res, sizeof *res, "struct imds_result");
    assert_no_secret_in(&rep->imds, sizeof rep->imds, "context.imds");
    for (int i = 0; i < rep->nfindings; i++) {
        const struct finding *fd = &rep->findings[i];
        assert_no_secret_in(fd, sizeof *fd, "a finding");
        assert_true(strlen(fd->message) > 20);
        assert_true(strlen(fd->hint) > 20);
        /* Every message carries the address and a number. */
        char ep[32];
        snprintf(ep, sizeof ep, "127.0.0.1:%d", f.port);
        if (!strstr(fd->message, ep))
            fail_msg("%s: message without %s: %s", fd->code, ep, fd->message);
        assert_non_null(strpbrk(fd->message, "0123456789"));
    }
    for (int i = 0; i < IMDS_REQ_COUNT; i++)
        assert_non_null(res->req[i].name);
    if (keep_fake)
        *keep_fake = f;
    else
        fake_stop(&f);
}

static const struct finding *find(const struct report *r, const char *code)
{
    for (int i = 0; i < r->nfindings; i++)
        if (strcmp(r->findings[i].code, code) == 0)
            return &r->findings[i];
    return NULL;
}

#define NEED_PYTHON() do { if (!have_python()) skip(); } while (0)

static void test_mode_v2(void **state)
{
    (void)state;
    NEED_PYTHON();
    struct imds_result res;
    struct report rep;
    struct fake f;
    run_mode("v2", SEC, 5 * SEC, &res, &rep, NULL, true, &f);
    assert_int_equal(res.status, STATUS_OK);
    assert_true(res.reachable && res.token_ok);
    assert_false(res.v1_fallback || res.put_timed_out || res.v1_disabled || res.no_profile ||
                 res.incomplete || res.total_timed_out);
    assert_int_equal(res.put_status, 200);
    assert_string_equal(res.region, "eu-west-3");
    assert_string_equal(res.instance_id, "i-0fa4e1234567890ab");
    assert_string_equal(res.iam_role, "SSMFakeRole");
    assert_string_equal(res.profile_arn,
                        "arn:aws:iam::123456789012:instance-profile/SSMFakeProfile");
    assert_string_equal(res.credentials, "ok");
    assert_string_equal(res.credentials_code, "Success");
    assert_true(imds_parse_iso8601(res.credentials_expiration) > time(NULL));
    assert_string_equal(res.mac, "0e:11:22:33:44:55");
    assert_int_equal(res.nvpc_cidrs, 2);
    assert_string_equal(res.vpc_cidrs[0], "10.20.0.0/16");
    assert_string_equal(res.vpc_cidrs[1], "10.21.0.0/16");
    assert_string_equal(res.error, "");
    assert_true(res.ms > 0 && res.ms < 5000);
    for (int i = 0; i < IMDS_REQ_COUNT; i++) {
        assert_int_equal(res.req[i].outcome, IMDS_OUT_ANSWERED);
        assert_int_equal(res.req[i].http_status, 200);
        assert_true(res.req[i].connect_ms >= 0 && res.req[i].ms >= res.req[i].connect_ms);
        assert_int_equal(res.req[i].with_token, i != IMDS_REQ_TOKEN);
    }
    assert_string_equal(res.req[IMDS_REQ_TOKEN].method, "PUT");
    /* The server saw the TTL header on the PUT and the token on every GET. */
    assert_int_equal(log_count(&f, "PUT /latest/api/token", "ttl=60"), 1);
    assert_int_equal(log_count(&f, "GET ", "token=yes"), IMDS_REQ_COUNT - 1);
    assert_int_equal(log_count(&f, "GET ", NULL), IMDS_REQ_COUNT - 1);
    fake_stop(&f);
    assert_int_equal(rep.nfindings, 0);
    assert_true(rep.imds.queried);
    assert_int_equal(rep.imds.status, STATUS_OK);
    assert_string_equal(rep.imds.region, "eu-west-3");
    assert_string_equal(rep.imds.instance_id, "i-0fa4e1234567890ab");
    assert_string_equal(rep.imds.iam_role, "SSMFakeRole");
    assert_string_equal(rep.imds.credentials, "ok");
    assert_string_equal(rep.imds.error, "");
    report_free(&rep);
}

static void check_v1only(const char *mode, int put_status)
{
    struct imds_result res;
    struct report rep;
    struct fake f;
    run_mode(mode, SEC, 5 * SEC, &res, &rep, "3.3.40.0", true, &f);
    assert_int_equal(res.status, STATUS_WARN);
    assert_true(res.reachable && res.v1_fallback);
    assert_false(res.token_ok || res.put_timed_out || res.v1_disabled);
    assert_int_equal(res.put_status, put_status);
    assert_string_equal(res.region, "eu-west-3");
    assert_string_equal(res.credentials, "ok");
    assert_int_equal(res.nvpc_cidrs, 2);
    assert_false(res.req[IMDS_REQ_REGION].with_token);
    assert_int_equal(log_count(&f, "GET ", "token=no"), IMDS_REQ_COUNT - 1);
    fake_stop(&f);
    const struct finding *fd = find(&rep, "imds_v1_fallback");
    assert_non_null(fd);
    assert_int_equal(fd->severity, STATUS_WARN);
    char st[16];
    snprintf(st, sizeof st, "HTTP %d", put_status);
    assert_non_null(strstr(fd->message, st));
    assert_non_null(strstr(fd->hint, "IMDSv2"));
    assert_null(find(&rep, "imds_hop_limit"));
    assert_int_equal(rep.nfindings, 1);
    report_free(&rep);
}

static void test_mode_v1only(void **state)
{
    (void)state;
    NEED_PYTHON();
    check_v1only("v1only", 403);
    check_v1only("v1only405", 405);
}

static void test_mode_hoplimit(void **state)
{
    (void)state;
    NEED_PYTHON();
    struct imds_result res;
    struct report rep;
    run_mode("hoplimit", SEC / 2, 5 * SEC, &res, &rep, NULL, false, NULL);
    assert_int_equal(res.status, STATUS_FAIL);
    assert_true(res.reachable && res.put_timed_out && res.v1_fallback);
    assert_false(res.token_ok || res.v1_disabled);
    assert_int_equal(res.req[IMDS_REQ_TOKEN].outcome, IMDS_OUT_TIMEOUT);
    assert_true(res.req[IMDS_REQ_TOKEN].connect_ms >= 0);
    assert_true(res.req[IMDS_REQ_TOKEN].ms >= 450 && res.req[IMDS_REQ_TOKEN].ms < 2000);
    assert_string_equal(res.region, "eu-west-3");   /* IMDSv1 still answers */
    assert_string_equal(res.credentials, "ok");
    assert_true(res.ms < 3000);
    const struct finding *fd = find(&rep, "imds_hop_limit");
    assert_non_null(fd);
    assert_int_equal(fd->severity, STATUS_FAIL);
    assert_non_null(strstr(fd->hint, "HttpPutResponseHopLimit to 2"));
    assert_non_null(strstr(fd->hint, "i-0fa4e1234567890ab"));
    assert_null(find(&rep, "imds_v1_fallback"));   /* folded into the hop-limit finding */
    assert_null(find(&rep, "imds_unreachable"));
    report_free(&rep);

    /* The same with IMDSv1 disabled: nothing but 401s. */
    run_mode("hoplimit_required", SEC / 2, 5 * SEC, &res, &rep, NULL, true, NULL);
    assert_int_equal(res.status, STATUS_FAIL);
    assert_true(res.put_timed_out && res.v1_disabled);
    assert_string_equal(res.region, "");
    assert_int_equal(res.req[IMDS_REQ_REGION].http_status, 401);
    assert_int_equal(res.req[IMDS_REQ_INSTANCE_ID].outcome, IMDS_OUT_NOT_SENT);
    fd = find(&rep, "imds_hop_limit");
    assert_non_null(fd);
    assert_non_null(strstr(fd->message, "401"));
    assert_non_null(strstr(rep.imds.error, "hop limit"));
    report_free(&rep);

    /* The total bound cuts the PUT short: still recognised, and fast. */
    run_mode("hoplimit", 5 * SEC, SEC / 4, &res, &rep, NULL, true, NULL);
    assert_true(res.total_timed_out && res.put_timed_out && res.reachable);
    assert_int_equal(res.req[IMDS_REQ_TOKEN].outcome, IMDS_OUT_TOTAL_TIMEOUT);
    assert_int_equal(res.req[IMDS_REQ_REGION].outcome, IMDS_OUT_NOT_SENT);
    assert_true(res.ms < 1500);
    assert_int_equal(res.status, STATUS_FAIL);
    assert_non_null(find(&rep, "imds_hop_limit"));
    report_free(&rep);
}

static void test_mode_norole(void **state)
{
    (void)state;
    NEED_PYTHON();
    struct imds_result res;
    struct report rep;
    run_mode("norole", SEC, 5 * SEC, &res, &rep, NULL, true, NULL);
    assert_int_equal(res.status, STATUS_WARN);
    assert_true(res.no_profile && res.token_ok);
    assert_string_equal(res.iam_role, "");
    assert_string_equal(res.credentials, "missing");
    assert_int_equal(res.req[IMDS_REQ_IAM_INFO].http_status, 404);
    assert_int_equal(res.req[IMDS_REQ_ROLES].outcome, IMDS_OUT_NOT_SENT);
    assert_int_equal(res.nvpc_cidrs, 2);            /* the rest still asked */
    const struct finding *fd = find(&rep, "no_instance_profile");
    assert_non_null(fd);
    assert_int_equal(fd->severity, STATUS_WARN);    /* DHMC can help: IMDSv2, agent unknown */
    assert_non_null(strstr(fd->hint, "AmazonSSMManagedInstanceCore"));
    assert_non_null(strstr(fd->hint, "Default Host Management"));
    assert_null(find(&rep, "credentials_missing"));
    report_free(&rep);

    /* The same result judged for an agent too old for DHMC: fail. */
    report_init(&rep);
    imds_report(&res, "3.2.183.0", true, &rep);
    fd = find(&rep, "no_instance_profile");
    assert_non_null(fd);
    assert_int_equal(fd->severity, STATUS_FAIL);
    assert_non_null(strstr(fd->message, "3.2.183.0"));
    report_free(&rep);
    report_init(&rep);
    imds_report(&res, "3.2.582.0", true, &rep);
    assert_int_equal(find(&rep, "no_instance_profile")->severity, STATUS_WARN);
    report_free(&rep);
    /* … or without IMDSv2: fail. */
    res.token_ok = false;
    res.v1_fallback = true;
    report_init(&rep);
    imds_report(&res, "3.3.40.0", true, &rep);
    assert_int_equal(find(&rep, "no_instance_profile")->severity, STATUS_FAIL);
    report_free(&rep);
}

static void test_mode_expired(void **state)
{
    (void)state;
    NEED_PYTHON();
    struct imds_result res;
    struct report rep;
    run_mode("expired", SEC, 5 * SEC, &res, &rep, NULL, true, NULL);
    assert_int_equal(res.status, STATUS_FAIL);
    assert_string_equal(res.credentials, "expired");
    assert_true(res.credentials_expired_s >= 7100 && res.credentials_expired_s < 7400);
    const struct finding *fd = find(&rep, "credentials_expired");
    assert_non_null(fd);
    assert_int_equal(fd->severity, STATUS_FAIL);
    assert_non_null(strstr(fd->message, res.credentials_expiration));
    assert_string_equal(rep.imds.credentials, "expired");
    report_free(&rep);

    run_mode("credfail", SEC, 5 * SEC, &res, &rep, NULL, true, NULL);
    assert_int_equal(res.status, STATUS_FAIL);
    assert_string_equal(res.credentials, "missing");
    assert_string_equal(res.credentials_code, "AssumeRoleUnauthorizedAccess");
    fd = find(&rep, "credentials_missing");
    assert_non_null(fd);
    assert_int_equal(fd->severity, STATUS_FAIL);
    assert_non_null(strstr(fd->message, "AssumeRoleUnauthorizedAccess"));
    report_free(&rep);
}

static void test_mode_v2required(void **state)
{
    (void)state;
    NEED_PYTHON();
    struct imds_result res;
    struct report rep;
    run_mode("v2required", SEC, 5 * SEC, &res, &rep, NULL, true, NULL);
    assert_int_equal(res.status, STATUS_OK);      /* the token is sent: nothing refused */
    assert_true(res.token_ok);
    assert_false(res.v1_disabled || res.v1_fallback);
    assert_string_equal(res.credentials, "ok");
    assert_int_equal(rep.nfindings, 0);
    report_free(&rep);
}

static void test_ipv6(void **state)
{
    (void)state;
    NEED_PYTHON();
    if (system("python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind((\"::1\", 0))'"
               " >/dev/null 2>&1") != 0)
        skip();
    struct fake f;
    fake_start_bind(&f, "v2", "::1");
    struct imds_result res;
    assert_int_equal(imds_run(f.url, SEC, 5 * SEC, &res), 0);
    fake_stop(&f);
    assert_int_equal(res.status, STATUS_OK);
    assert_true(res.token_ok);
    assert_string_equal(res.region, "eu-west-3");
    assert_int_equal(strncmp(res.endpoint, "[::1]:", 6), 0);
    assert_no_secret_in(&res, sizeof res, "struct imds_result (IPv6)");
}

static void test_unreachable(void **state)
{
    (void)state;
    /* A loopback port where nothing listens: refused at once. */
    int port = 0;
    for (int p = 47000; p < 47100 && !port; p++) {
        char cmd[96];
        snprintf(cmd, sizeof cmd, "ss -Htln 'sport = :%d' 2>/dev/null | grep -q .", p);
        if (system(cmd) != 0)
            port = p;
    }
    assert_true(port > 0);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    struct imds_result res;
    assert_int_equal(imds_run(url, SEC, 2 * SEC, &res), 0);
    assert_int_equal(res.status, STATUS_FAIL);
    assert_false(res.reachable);
    assert_int_equal(res.req[IMDS_REQ_TOKEN].outcome, IMDS_OUT_CONNECT_FAILED);
    assert_int_equal(res.req[IMDS_REQ_REGION].outcome, IMDS_OUT_NOT_SENT);
    assert_true(res.ms < 1000);
    assert_non_null(strstr(res.error, url + 7));

    struct report rep;
    report_init(&rep);
    imds_report(&res, NULL, true, &rep);
    assert_int_equal(rep.nfindings, 1);
    assert_string_equal(rep.findings[0].code, "imds_unreachable");
    assert_int_equal(rep.findings[0].severity, STATUS_WARN);
    assert_non_null(strstr(rep.findings[0].message, url + 7));
    assert_int_equal(rep.findings[0].ntargets, 1);
    assert_string_equal(rep.findings[0].targets[0], "127.0.0.1");
    report_free(&rep);
    /* Auto mode, nothing found: only info. */
    report_init(&rep);
    imds_report(&res, NULL, false, &rep);
    assert_int_equal(rep.findings[0].severity, STATUS_INFO);
    report_free(&rep);
    report_init(&rep);
    imds_fill_context(&res, &rep.imds);
    assert_true(rep.imds.queried);
    assert_int_equal(rep.imds.status, STATUS_FAIL);
    assert_string_equal(rep.imds.region, "");
    assert_non_null(strstr(rep.imds.error, "unreachable"));
    report_free(&rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_ok),
        cmocka_unit_test(test_url_bad),
        cmocka_unit_test(test_json_strings),
        cmocka_unit_test(test_classify_credentials),
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_cidrs),
        cmocka_unit_test(test_looks_like_ec2),
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test_teardown(test_mode_v2, kill_running),
        cmocka_unit_test_teardown(test_mode_v1only, kill_running),
        cmocka_unit_test_teardown(test_mode_hoplimit, kill_running),
        cmocka_unit_test_teardown(test_mode_norole, kill_running),
        cmocka_unit_test_teardown(test_mode_expired, kill_running),
        cmocka_unit_test_teardown(test_mode_v2required, kill_running),
        cmocka_unit_test_teardown(test_ipv6, kill_running),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
