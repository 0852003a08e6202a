/* fuzz_cli.c — libFuzzer target: command-line values. --resolve,
 * --dns-server and the seconds parser directly, and the whole probe command
 * line through cli_parse (which covers --endpoint SERVICE=URL, --services,
 * --region, --port, --proxy, --imds-endpoint, …).
 *
 *   tests/fuzz/run cli
 *
 * Input: the single-value parsers get the whole input as a C string (up to
 * the first NUL); cli_parse gets the input split at '\n' into argv[1..]
 * (at most 64 arguments), e.g. "--endpoint\nssm=https://vpce-1.example:443/".
 * cli_parse's messages go to /dev/null; the target checks that a parsed
 * value is within its documented range. */
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int devnull = -1, saved_out = -1, saved_err = -1;

static void quiet(int on)
{
    if (devnull < 0) {
        devnull = open("/dev/null", O_WRONLY);
        saved_out = dup(1);
        saved_err = dup(2);
    }
    fflush(stdout);
    fflush(stderr);
    if (on) {
        dup2(devnull, 1);
        dup2(devnull, 2);
    } else {
        dup2(saved_out, 1);
        dup2(saved_err, 2);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    char err[256];

    dur_ns d = 0;
    if (cli_parse_seconds(s, &d, err, sizeof err) == 0) {
        if (d == 0 || d > (dur_ns)3600 * 1000000000ull)
            abort();
    }
    struct dns_server ds;
    if (cli_parse_dns_server(s, &ds, err, sizeof err) == 0) {
        if (ds.port < 1 || ds.port > 65535 || strnlen(ds.addr, sizeof ds.addr) == sizeof ds.addr)
            abort();
    }
    struct resolve_entry re;
    if (cli_parse_resolve(s, &re, err, sizeof err) == 0) {
        if (re.port < 1 || re.port > 65535 || re.naddrs < 1 || !re.host || !*re.host)
            abort();
        resolve_entry_free(&re);
    }

    /* argv from '\n'-separated pieces (NULs end a piece early, as in a real
     * argv). */
    char *argv[66];
    int argc = 0;
    argv[argc++] = "ssmprobe";
    for (char *p = s, *nl; argc < 65; p = nl + 1) {
        nl = strchr(p, '\n');
        argv[argc++] = p;
        if (!nl)
            break;
        *nl = '\0';
    }
    argv[argc] = NULL;

    /* glibc keeps getopt state (a pointer into the previous argv) across
     * calls unless optind is 0: reset it fully, as a second cli_parse in one
     * process would need to. */
    optind = 0;
    {
        char *dummy[] = {"x", NULL};
        (void)getopt(1, dummy, "");
    }

    struct options o;
    bool done = false;
    options_init(&o);
    quiet(1);
    int rc = cli_parse(&o, argc, argv, &done);
    quiet(0);
    if (rc == 0 && !done) {
        if (o.port < 1 || o.port > 65535 || o.timeout == 0)
            abort();
        for (int i = 0; i < SVC_COUNT; i++)
            if (o.endpoint[i] && !*o.endpoint[i])
                abort();
    }
    options_free(&o);
    free(s);
    return 0;
}
