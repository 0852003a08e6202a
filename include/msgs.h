/* msgs.h — every message ssmprobe writes to stderr goes through here.
 *
 * One place owns the "ssmprobe: " prefix and the quiet/verbose gates, so that
 * lower layers only return codes and fill error buffers (curl tool_msgs.c). */
#ifndef SSMPROBE_MSGS_H
#define SSMPROBE_MSGS_H

#include <stdarg.h>
#include <stddef.h>

#define MSG_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Exit statuses of SPEC "Exit status". */
enum exit_status {
    EXIT_OK = 0,        /* every target and check passed (warnings allowed) */
    EXIT_FAILED = 1,    /* at least one target or check failed */
    EXIT_USAGE = 2,     /* usage or configuration error */
    EXIT_INTERNAL = 3   /* out of memory, a bug */
};

void msgs_set_quiet(int quiet);   /* -q: errors still go to stderr, nothing else */
void msgs_set_verbose(int level); /* -v count */
int msgs_verbose(void);

void errorf(const char *fmt, ...) MSG_PRINTF(1, 2);   /* always printed */
void warnf(const char *fmt, ...) MSG_PRINTF(1, 2);    /* not with -q */
void verbosef(int level, const char *fmt, ...) MSG_PRINTF(2, 3); /* -v count >= level */

/* Out of memory is an internal error (exit 3), never a crash. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
__attribute__((noreturn)) void die_internal(const char *what);

#endif
