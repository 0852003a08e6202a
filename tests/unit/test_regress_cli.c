/* test_regress_cli.c — regression tests for bugs found by the unit tests, now fixed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "msgs.h"
#include "options.h"

static int run(struct options *o, const char *const *args)
{
    char *argv[16];
    int argc = 0;
    bool done;
    argv[argc++] = strdup("ssmprobe");
    for (int i = 0; args[i]; i++)
        argv[argc++] = strdup(args[i]);
    argv[argc] = NULL;
    options_init(o);
    int rc = cli_parse(o, argc, argv, &done);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    return rc;
}

/* Bug 1: cli.c sets optind = 1 (not 0): glibc keeps __nextchar from the
 * previous call, a pointer into the previous (here freed) argv. */
static void test_second_call_is_independent(void **state)
{
    struct options o;
    (void)state;
    const char *a1[] = { "-x4", NULL };       /* error in the middle of a cluster */
    assert_int_equal(run(&o, a1), EXIT_USAGE);
    options_free(&o);
    const char *a2[] = { "us-east-1", NULL };
    assert_int_equal(run(&o, a2), EXIT_OK);  /* ASan: heap-use-after-free in getopt */
    assert_int_equal(o.family, 0);            /* without ASan: the stale '4' is applied */
    options_free(&o);
}

/* Bug 2: "--json=yes" (value given to a flag) is reported as
 * "unknown option '-<ESC>'": optopt holds OPT_JSON (283), printed with %c. */
static void test_flag_with_value_message(void **state)
{
    struct options o;
    char path[] = "/tmp/bug_cli_XXXXXX";
    int fd = mkstemp(path), saved = dup(2);
    (void)state;
    fflush(stderr);
    dup2(fd, 2);
    const char *a[] = { "--json=yes", NULL };
    int rc = run(&o, a);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    options_free(&o);
    char buf[256] = "";
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    close(fd);
    unlink(path);
    assert_int_equal(rc, EXIT_USAGE);
    assert_true(n > 0);
    for (ssize_t i = 0; i < n; i++)
        if (buf[i] != '\n' && (unsigned char)buf[i] < 0x20)
            fail_msg("control character 0x%02x in message: %s", buf[i], buf);
    assert_non_null(strstr(buf, "--json"));
}

/* Bug 3: "-r ," (a list with no region in it) is accepted as no region. */
static void test_region_list_of_commas(void **state)
{
    struct options o;
    (void)state;
    const char *a[] = { "-r", ",", NULL };
    assert_int_equal(run(&o, a), EXIT_USAGE);
    options_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flag_with_value_message),
        cmocka_unit_test(test_region_list_of_commas),
        cmocka_unit_test(test_second_call_is_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
